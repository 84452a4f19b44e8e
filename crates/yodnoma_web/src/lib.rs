//! The web face of yodnoma: the public site, the JSON API and media, over HTTP.
//!
//! This is the only crate that knows HTTP. Handlers are thin: they parse what the request
//! carries, make one call into the store, and render a template or JSON. All routes are in
//! [`router`]; all errors become responses in [`error`].

mod api;
mod error;
mod i18n;
mod pages;
mod params;
mod router;
mod views;

use std::future::Future;

use yodnoma_db::Store;
use yodnoma_media::LocalMedia;

pub use error::WebError;
pub use router::router;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub media: LocalMedia,
}

/// Serves the site on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
