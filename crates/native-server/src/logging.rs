//! Logs go to stderr only: in stdio mode stdout carries the protocol, and one stray byte there
//! breaks the client. `RUST_LOG` filters (default `info`, with rmcp's own chatter at `warn`).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,rmcp=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init();
}
