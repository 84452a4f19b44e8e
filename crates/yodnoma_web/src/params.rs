//! Query-string parameters, read by hand so that every bad value gets an error naming the
//! parameter, in JSON for the API and in a page for the site.

use std::collections::HashMap;

use crate::WebError;

/// The parameters of one query string. A repeated parameter keeps its first value; the API
/// refuses repetitions ([`Params::refuse_repeated`]), pages forgive them.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>, Option<String>);

impl Params {
    pub fn parse(query: Option<&str>) -> Self {
        let mut map = HashMap::new();
        let mut repeated = None;
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if map.contains_key(key.as_ref()) {
                repeated.get_or_insert_with(|| key.clone().into_owned());
                continue;
            }
            map.insert(key.into_owned(), value.into_owned());
        }
        Self(map, repeated)
    }

    /// A 400 naming the first of `names` given blank: the API takes numbers or nothing, where a
    /// page's form may send an empty field.
    pub fn refuse_blank(&self, names: &[&str]) -> Result<(), WebError> {
        match names
            .iter()
            .find(|n| self.0.get(**n).is_some_and(|v| v.trim().is_empty()))
        {
            Some(name) => Err(WebError::BadRequest(format!(
                "{name}: is empty; give a number or leave it out"
            ))),
            None => Ok(()),
        }
    }

    /// A 400 naming the first parameter given more than once.
    pub fn refuse_repeated(&self) -> Result<(), WebError> {
        match &self.1 {
            Some(name) => Err(WebError::BadRequest(format!(
                "{}: is given more than once",
                name.chars().take(40).collect::<String>()
            ))),
            None => Ok(()),
        }
    }

    /// Whether the parameter is given at all (perhaps blank).
    pub fn present(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// A text parameter, trimmed; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// A whole number within `min..=max`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, WebError> {
        let Some(text) = self.text(name) else {
            return Ok(default);
        };
        match text.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(WebError::BadRequest(format!(
                "{name}: '{}' is not a whole number between {min} and {max}",
                text.chars().take(20).collect::<String>()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_within_bounds_and_names_the_bad_parameter() {
        let p = Params::parse(Some(
            "q=%D0%A3%D1%80%D0%B0%D0%B7%D0%BE%D0%B2&limit=500&x=&offset=3",
        ));
        assert_eq!(p.text("q"), Some("Уразов"));
        assert_eq!(p.text("x"), None);
        assert!(matches!(p.number("offset", 0, 0, 10), Ok(3)));
        assert!(matches!(p.number("page", 1, 1, 10), Ok(1)));
        let Err(WebError::BadRequest(message)) = p.number("limit", 20, 1, 100) else {
            panic!("500 is out of bounds")
        };
        assert_eq!(
            message,
            "limit: '500' is not a whole number between 1 and 100"
        );
    }
}
