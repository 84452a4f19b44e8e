//! Structured logs on stderr, filtered by `RUST_LOG` (default: info for yodnoma, warnings for
//! the libraries). Stdout stays for command output.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,yodnoma=info,yodnoma_web=info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
