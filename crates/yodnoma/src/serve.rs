//! `yodnoma serve`: the site until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;

use anyhow::Context;
use yodnoma_web::AppState;

use crate::data_dir::DataDir;

pub async fn run(data: &DataDir, listen: SocketAddr, demo: bool) -> anyhow::Result<()> {
    let store = data.open_store().await?;
    let media = data.media();
    if demo
        && crate::demo::load_if_empty(&store, &media)
            .await
            .context("cannot load the demo data")?
    {
        tracing::info!("loaded the demo data");
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "yodnoma listening on http://{address}/")?;
        out.flush()?;
    }
    yodnoma_web::serve(
        listener,
        AppState::new(store.clone(), media),
        shutdown_signal(),
    )
    .await
    .context("the server stopped")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(cause = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(cause = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
