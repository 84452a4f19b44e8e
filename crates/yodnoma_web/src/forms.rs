//! Submitted forms, read with errors that name the field.

use std::collections::HashMap;

use crate::WebError;

/// The fields of a submitted form (`application/x-www-form-urlencoded`).
pub struct FormFields(HashMap<String, String>);

impl FormFields {
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// Fields read otherwise (a multipart form's text fields); of a name given twice, the last.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    pub fn optional(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn text(&self, name: &str) -> Result<&str, WebError> {
        self.optional(name)
            .ok_or_else(|| WebError::BadRequest(format!("form field `{name}` is missing")))
    }

    pub fn number(&self, name: &str) -> Result<i64, WebError> {
        let text = self.text(name)?;
        text.parse().map_err(|_| {
            WebError::BadRequest(format!("form field `{name}`: `{text}` is not a number"))
        })
    }

    /// Where to go afterwards: a path of this site only.
    pub fn back(&self, default: &str) -> String {
        match self.optional("back") {
            Some(path) => {
                let local = crate::accounts::local_path(Some(path));
                if local == "/" && path != "/" {
                    default.to_owned()
                } else {
                    local
                }
            }
            None => default.to_owned(),
        }
    }
}
