//! The one place where errors become HTTP responses.
//!
//! A handler returns a [`WebError`]; its response carries the error as an extension. The
//! [`render_errors`] middleware, which knows the request, then writes the body: JSON
//! `{"error": ...}` under `/api`, a page in the reader's language elsewhere. A server error is
//! logged with its cause and shown without it.

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::i18n::Locale;
use crate::pages::error_page;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    /// Made on a state that another change has replaced since.
    #[error("{0}")]
    Conflict(String),
    /// A valid request this server does not serve (an IIIF rotation by 45 degrees).
    #[error("{0}")]
    NotImplemented(String),
    /// Past a limit on submissions.
    #[error("{0}")]
    TooMany(String),
    /// Busy for now: the client may try again later.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A page for signed-in accounts, asked for by an anonymous visitor: they are sent to sign
    /// in, and brought back to this path afterwards.
    #[error("sign in to see {0}")]
    SignIn(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::SignIn(_) => StatusCode::SEE_OTHER,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the visitor may read: never the internal cause.
    pub fn public_message(&self) -> String {
        match self {
            Self::NotFound(m)
            | Self::BadRequest(m)
            | Self::Conflict(m)
            | Self::NotImplemented(m)
            | Self::Forbidden(m)
            | Self::TooMany(m)
            | Self::Unavailable(m) => m.clone(),
            Self::SignIn(path) => format!("sign in to see {path}"),
            Self::Internal(_) => "internal server error".to_owned(),
        }
    }
}

impl From<yodnoma_db::DbError> for WebError {
    fn from(e: yodnoma_db::DbError) -> Self {
        match e {
            yodnoma_db::DbError::NotFound(what) => Self::NotFound(what),
            // What the store refuses as it stands (an id taken, a decision no longer pending).
            yodnoma_db::DbError::Invalid(why) => Self::BadRequest(why),
            yodnoma_db::DbError::Conflict(why) => Self::Conflict(why),
            yodnoma_db::DbError::Limit(why) => Self::TooMany(why),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(format!("template: {e}"))
    }
}

impl From<yodnoma_media::MediaError> for WebError {
    fn from(e: yodnoma_media::MediaError) -> Self {
        match e {
            // Two uploads at once chose the same new id: the second is sent again.
            yodnoma_media::MediaError::Exists(id) => Self::Conflict(format!(
                "another upload took the id {id} meanwhile: send the form again"
            )),
            // What was sent is not a safe image: the sender's to change.
            yodnoma_media::MediaError::Refused(reason) => {
                Self::BadRequest(format!("the image was refused: {reason}"))
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

/// Marks a response whose handler rendered its own page for an error status (the sign-in form
/// answering 401 or 429), which is left as it is.
#[derive(Clone, Copy, Debug)]
pub struct Rendered;

/// Marks a response as an error still to be rendered.
#[derive(Clone, Debug)]
struct Pending {
    status: StatusCode,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        if let Self::SignIn(path) = &self {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", path)
                .finish();
            return axum::response::Redirect::to(&format!("/login?{query}")).into_response();
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Pending {
            status: self.status(),
            message: self.public_message(),
        });
        response
    }
}

/// The path of the page of this site that sent the request (its `Referer`), if any.
fn referring_path(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(axum::http::header::REFERER)?.to_str().ok()?;
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    let same = crate::accounts::host_name(authority)
        .eq_ignore_ascii_case(crate::accounts::host_name(host));
    let local = crate::accounts::local_path(Some(path));
    (same && local == path).then_some(local)
}

/// Gives every error response its body, and every bodiless 404 (an unknown route) the same.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    // IIIF viewers on other sites read the status of a refusal too.
    let is_iiif = request.uri().path().starts_with("/iiif/");
    let locale = Locale::from_parts(request.uri(), request.headers());
    let asked = crate::pages::Asked {
        form: request.method() == axum::http::Method::POST,
        from: referring_path(request.headers()),
    };
    let response = next.run(request).await;
    let status = response.status();
    if response.extensions().get::<Rendered>().is_some() {
        return response;
    }
    let pending = match response.extensions().get::<Pending>() {
        Some(p) => p.clone(),
        None if status == StatusCode::NOT_FOUND => Pending {
            status,
            message: "no such page".to_owned(),
        },
        // Errors made by the framework rather than a handler (a wrong method, a path that is not
        // UTF-8, a caught panic) get the same body as ours.
        None if status.is_client_error() || status.is_server_error() => Pending {
            status,
            message: status.canonical_reason().unwrap_or("error").to_lowercase(),
        },
        None => return response,
    };
    if is_api {
        return (
            pending.status,
            Json(serde_json::json!({ "error": pending.message })),
        )
            .into_response();
    }
    let mut page = match error_page(&locale, pending.status, &pending.message, &asked) {
        Ok(html) => (pending.status, html).into_response(),
        Err(e) => {
            tracing::error!(cause = %e, "error page failed");
            (pending.status, pending.message).into_response()
        }
    };
    if is_iiif {
        page.headers_mut().insert(
            axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
            axum::http::HeaderValue::from_static("*"),
        );
    }
    page
}
