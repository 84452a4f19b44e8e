//! The web face of yodnoma: the public site, the JSON API and media, over HTTP.
//!
//! This is the only crate that knows HTTP. Handlers are thin: they parse what the request
//! carries, make one call into the store, and render a template or JSON. All routes are in
//! [`router`]; all errors become responses in [`error`].

mod accounts;
mod api;
mod assets;
mod authoring;
mod charts;
mod contributions;
mod curator;
mod error;
pub mod export;
mod forms;
mod i18n;
mod iiif;
mod linked_data;
mod load;
mod manifest;
mod markdown;
mod memory;
mod oai;
mod openapi;
mod pages;
mod params;
mod router;
mod search;
mod statistics;
mod stats_api;
#[cfg(test)]
mod test_support;
mod unsaved;
mod views;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use yodnoma_db::Store;
use yodnoma_media::Media;
use yodnoma_search::SearchIndex;

pub use accounts::{MIN_PASSWORD_CHARS, PasswordError, hash_password};
pub use curator::reindex_persons;
pub use error::WebError;
pub use router::router;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub media: Media,
    pub search: SearchIndex,
    counts: Arc<Mutex<Option<(Instant, RegistryCounts)>>>,
    /// IIIF images rendered for earlier requests (not stored tiles).
    renders: Arc<iiif::Renders>,
    /// Whether visitors may make contributor accounts themselves (`serve --open-sign-up`).
    pub sign_up_open: bool,
    /// Whom harvesters write to about the repository (OAI-PMH `adminEmail`).
    pub admin_email: String,
}

/// How many persons and records the registry holds.
#[derive(Clone, Copy, Debug)]
pub struct RegistryCounts {
    pub persons: usize,
    pub records: usize,
}

/// Counting persons reads a whole index (a third of a second at a million records), so the home
/// page shows a count at most this old.
const COUNTS_MAX_AGE: Duration = Duration::from_secs(60);

impl AppState {
    pub fn new(store: Store, media: Media, search: SearchIndex) -> Self {
        Self {
            store,
            media,
            search,
            counts: Arc::default(),
            renders: Arc::new(iiif::Renders::new(iiif::RENDERS_KEPT_BYTES)),
            sign_up_open: false,
            admin_email: "webmaster@localhost".to_owned(),
        }
    }

    /// Whom harvesters write to; `None` keeps `webmaster@localhost`.
    pub fn with_admin_email(mut self, email: Option<String>) -> Self {
        if let Some(email) = email.filter(|e| !e.trim().is_empty()) {
            self.admin_email = email;
        }
        self
    }

    /// Lets visitors make contributor accounts at `/signup`.
    pub fn with_sign_up(mut self, open: bool) -> Self {
        self.sign_up_open = open;
        self
    }

    /// The registry's counts, recomputed when older than [`COUNTS_MAX_AGE`].
    pub async fn counts(&self) -> Result<RegistryCounts, WebError> {
        let mut cached = self.counts.lock().await;
        if let Some((at, counts)) = *cached
            && at.elapsed() < COUNTS_MAX_AGE
        {
            return Ok(counts);
        }
        let counts = RegistryCounts {
            persons: usize::try_from(self.store.person_count().await?).unwrap_or(0),
            records: usize::try_from(self.store.record_count().await?).unwrap_or(0),
        };
        *cached = Some((Instant::now(), counts));
        Ok(counts)
    }
}

/// Serves the site on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    statistics::keep_warm(state.clone());
    // The peer's address counts failed sign-ins.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
