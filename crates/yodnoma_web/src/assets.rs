//! The site's own static files, compiled into the binary: the stylesheet, the icon, the viewer
//! script, and OpenSeadragon, which `build.rs` brings from npm.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const STYLESHEET: &str = include_str!("../static/style.css");
const ICON: &str = include_str!("../static/icon.svg");
const VIEWER: &str = include_str!("../static/viewer.js");
const OPENSEADRAGON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/openseadragon.min.js"));

/// Whether this build has the deep-zoom viewer (it is left out when npm was not at hand).
pub fn viewer_available() -> bool {
    !OPENSEADRAGON.is_empty()
}

fn asset(media_type: &'static str, body: impl IntoResponse) -> Response {
    // An hour, not a year: the names carry no version, and a new binary may change them.
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

pub async fn icon() -> Response {
    asset("image/svg+xml", ICON)
}

pub async fn viewer() -> Response {
    asset("text/javascript; charset=utf-8", VIEWER)
}

pub async fn openseadragon() -> Response {
    if !viewer_available() {
        return crate::error::WebError::NotFound("the viewer is not in this build".to_owned())
            .into_response();
    }
    asset("text/javascript; charset=utf-8", OPENSEADRAGON)
}
