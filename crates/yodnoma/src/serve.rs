//! `yodnoma serve`: the site until SIGINT or SIGTERM.

use std::io::Write;

use anyhow::Context;
use yodnoma_web::AppState;

use crate::data_dir::DataDir;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// HOST:PORT, the host a name or an address.
    pub listen: String,
    /// Load the bundled demo into an empty store.
    pub demo: bool,
    /// Let visitors make contributor accounts.
    pub open_sign_up: bool,
    pub admin_email: Option<String>,
}

pub async fn run(data: &DataDir, options: Options) -> anyhow::Result<()> {
    let Options {
        listen,
        demo,
        open_sign_up,
        admin_email,
    } = options;
    let store = data.open_store().await?;
    let media = data.media();
    let index = data.open_index()?;
    if demo
        && crate::demo::load_if_empty(&store, &media, &index)
            .await
            .context("cannot load the demo data")?
    {
        tracing::info!("loaded the demo data");
    }
    // Another process writing the index (an import, `reindex`) brings it up to date itself:
    // the server starts on what it finds, and sees that process's commits as they come.
    match crate::indexing::ensure_current(&store, &index).await {
        Err(e)
            if e.downcast_ref::<yodnoma_search::SearchError>()
                .is_some_and(|e| matches!(e, yodnoma_search::SearchError::Busy)) =>
        {
            tracing::warn!(
                "the search index is being written by another process; serving it as it is"
            );
        }
        other => other.context("cannot bring the search index up to date")?,
    }
    let listener = tokio::net::TcpListener::bind(listen.as_str())
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "yodnoma listening on http://{address}/")?;
        out.flush()?;
    }
    yodnoma_web::serve(
        listener,
        AppState::new(store.clone(), media, index)
            .with_sign_up(open_sign_up)
            .with_admin_email(admin_email),
        shutdown,
    )
    .await
    .context("the server stopped")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// A future that completes on the first SIGINT (Ctrl-C) or SIGTERM. The handlers are installed
/// before this returns, so a signal sent as soon as the server has said it is ready is never
/// met by the default action, which would kill the process mid-request.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("shutting down");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
