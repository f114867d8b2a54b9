//! `workflow-server serve`: assembles the engine from the state folder (key ring, store), the
//! catalog and the options, then serves it over stdio or HTTP until the client leaves or the
//! process is told to stop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use rmcp::ServiceExt;
use tokio_util::sync::CancellationToken;
use workflow_core::catalog::Catalog;
use workflow_core::engine::{Engine, EngineConfig, MAX_WAIT_MS};

use crate::changes::Change;
use crate::clock::now_ms;
use crate::http::{self, HttpOptions};
use crate::mcp::{Calls, Handler, Waits};
use crate::sessions::Sessions;
use crate::workflows::{self, Loaded, Source};
use crate::{files, state, stdio};

/// How often retention looks for expired sessions after the start-up sweep.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Args, Clone, Debug, Default)]
pub struct ServeArgs {
    /// Serve streamable HTTP at ADDR (e.g. 127.0.0.1:8080) instead of stdio.
    #[arg(long, value_name = "ADDR")]
    pub http: Option<SocketAddr>,
    /// The workflows root; without it (and without WORKFLOW_DIR) the embedded library is served.
    #[arg(long, env = "WORKFLOW_DIR", value_name = "DIR")]
    pub workflows: Option<PathBuf>,
    /// The most bytes the workflows folder's files may hold in all; a larger folder is not loaded.
    #[arg(long, default_value_t = files::DEFAULT_MAX_FOLDER_BYTES, value_name = "BYTES")]
    pub max_workflows_bytes: u64,
    #[command(flatten)]
    pub state: state::StateArgs,
    /// Start even when the session store is damaged or truncated (it is renamed aside and a new
    /// one begun) or the key ring is missing beside stored sessions (a new key is made); every
    /// existing session token then fails.
    #[arg(long)]
    pub accept_state_loss: bool,
    /// Require `Authorization: Bearer TOKEN` on /mcp.
    #[arg(
        long,
        env = "WORKFLOW_SERVER_AUTH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub auth_token: Option<String>,
    /// Also accept this Host header on /mcp (loopback names are always accepted); repeatable.
    #[arg(long, value_name = "HOST")]
    pub allowed_host: Vec<String>,
    /// Also accept this browser Origin on /mcp, e.g. https://app.example:443; repeatable.
    #[arg(long, value_name = "ORIGIN")]
    pub allowed_origin: Vec<String>,
    /// Minimum time between a checkpoint's yield and an option answer.
    #[arg(
        long,
        env = "WORKFLOW_MIN_RESPONSE_MS",
        default_value_t = 3000,
        value_name = "MS"
    )]
    pub min_response_ms: u64,
    /// Sessions untouched for this many days are removed with their traces.
    #[arg(
        long,
        env = "WORKFLOW_RETENTION_DAYS",
        default_value_t = 90,
        value_name = "DAYS"
    )]
    pub retention_days: u32,
    /// Largest accepted request (one JSON-RPC message), in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_request_bytes: usize,
    /// HTTP: close a connection whose next request's headers are not complete this long after
    /// it connected or got its last response (idle and slow-header connections).
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub http_header_timeout_ms: u64,
    /// HTTP: answer 408 and close when a request's body and answer take longer than this.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    pub http_request_timeout_ms: u64,
    /// HTTP: most open connections (also kept below the open-file limit); at the cap the one
    /// idle the longest is closed for a new one.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub http_max_connections: usize,
    /// On SIGTERM or Ctrl-C, how long requests in flight may finish before their connections
    /// are dropped (HTTP) or the process exits (stdio).
    #[arg(long, default_value_t = 5_000, value_name = "MS")]
    pub shutdown_timeout_ms: u64,
}

pub async fn run(args: ServeArgs) -> Result<()> {
    let (keys, store) = state::open(&args.state, args.accept_state_loss, now_ms())?;
    let store = Arc::new(store);

    let retention_ms = u64::from(args.retention_days) * DAY_MS;

    let source = match &args.workflows {
        Some(dir) if !dir.is_dir() => {
            anyhow::bail!(
                "{} is not a folder; pass the workflows root (one sub-folder per workflow)",
                dir.display()
            )
        }
        Some(dir) => Source::Folder {
            dir: dir.clone(),
            max_bytes: args.max_workflows_bytes,
        },
        None => Source::Embedded,
    };

    let config = EngineConfig {
        min_response_ms: args.min_response_ms,
        retention_days: args.retention_days,
        structured_for_every_tool: false,
        ..EngineConfig::default()
    };
    let engine = Arc::new(Engine::new(Catalog::default(), store.clone(), keys, config));
    engine.set_started_at(now_ms());
    let loaded = workflows::load_in_background(source, engine.clone());
    if store.postgres().is_some() {
        tokio::spawn(follow_key_ring(engine.clone(), store.clone()));
    }

    // Retention runs at start-up (the first tick is immediate) and then periodically, off the
    // path of the first requests.
    let swept = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            let store = swept.clone();
            let _ = tokio::task::spawn_blocking(move || sweep(&store, retention_ms)).await;
        }
    });

    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    match args.http {
        Some(addr) => {
            http::serve(
                engine,
                loaded,
                HttpOptions {
                    addr,
                    auth_token: args.auth_token,
                    allowed_hosts: args.allowed_host,
                    allowed_origins: args.allowed_origin,
                    max_request_bytes: args.max_request_bytes,
                    limits: http::Limits {
                        header_timeout: Duration::from_millis(args.http_header_timeout_ms),
                        request_timeout: Duration::from_millis(args.http_request_timeout_ms),
                        max_connections: args.http_max_connections,
                        shutdown_timeout: Duration::from_millis(args.shutdown_timeout_ms),
                    },
                    changes: store.changes().clone(),
                },
                shutdown,
            )
            .await
        }
        None => {
            let waits = Waits {
                changes: store.changes().clone(),
                longest: Duration::from_millis(MAX_WAIT_MS),
            };
            let deadline = Duration::from_millis(args.shutdown_timeout_ms);
            serve_stdio(
                engine,
                loaded,
                waits,
                args.max_request_bytes,
                shutdown,
                deadline,
            )
            .await
        }
    }
}

async fn serve_stdio(
    engine: Arc<Engine>,
    loaded: Loaded,
    waits: Waits,
    max_request_bytes: usize,
    shutdown: CancellationToken,
    deadline: Duration,
) -> Result<()> {
    let (transport, writer) = stdio::transport(max_request_bytes);
    tracing::info!("serving MCP over stdio");
    let service = match Handler::new(engine, loaded, Calls::Inline, waits)
        .serve_with_ct(transport, shutdown.clone())
        .await
    {
        Ok(service) => service,
        // A signal before the client finished its handshake is a stop, not a failure.
        Err(_) if shutdown.is_cancelled() => return Ok(()),
        Err(e) => return Err(e).context("the MCP handshake over stdio failed"),
    };
    let waiting = service.waiting();
    tokio::pin!(waiting);
    tokio::select! {
        ended = &mut waiting => {
            ended?;
        }
        () = shutdown.cancelled() => {
            // The call in flight may finish until the deadline; then the process exits anyway.
            match tokio::time::timeout(deadline, &mut waiting).await {
                Ok(ended) => {
                    ended?;
                }
                Err(_) => {
                    tracing::warn!(
                        deadline_ms = deadline.as_millis() as u64,
                        "a call was still running at the shutdown deadline; exiting"
                    );
                    return Ok(());
                }
            }
        }
    }
    // The service and its transport are gone: the writer ends once the queued replies are out.
    match tokio::time::timeout(deadline, writer).await {
        Ok(Ok(Err(e))) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            tracing::warn!(error = %e, "writing to stdout failed")
        }
        _ => {}
    }
    Ok(())
}

/// Swaps in the database's key ring whenever it was rotated (or may have been, while the LISTEN
/// connection was down), so every server signs with the new key without a restart.
async fn follow_key_ring(engine: Arc<Engine>, store: Arc<Sessions>) {
    let mut changes = store.changes().subscribe();
    let mut seen = None;
    while let Some(change) = changes.next().await {
        if !matches!(change, Change::Keys | Change::All) {
            continue;
        }
        let reader = store.clone();
        let stored = tokio::task::spawn_blocking(move || {
            reader.postgres().map(|pg| pg.key_ring()).transpose()
        })
        .await;
        let bytes = match stored {
            Ok(Ok(Some(Some(bytes)))) => bytes,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the key ring from the database");
                continue;
            }
            _ => continue,
        };
        if seen.as_ref() == Some(&bytes) {
            continue;
        }
        match state::decode_ring(&bytes) {
            Ok(ring) => {
                if seen.is_some() {
                    tracing::info!(
                        current = ring.current().id(),
                        "picked up a rotated key ring"
                    );
                }
                engine.set_keys(ring);
                seen = Some(bytes);
            }
            Err(e) => tracing::error!(error = %format!("{e:#}"), "ignored the database's key ring"),
        }
    }
}

/// Removes sessions untouched for longer than the retention period.
fn sweep(store: &Sessions, retention_ms: u64) {
    let cutoff = now_ms().saturating_sub(retention_ms);
    match store.remove_older_than(cutoff) {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "retention removed expired sessions"),
        Err(e) => tracing::error!(error = %e, "retention sweep failed"),
    }
}

async fn stop_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    shutdown.cancel();
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("stopping");
    shutdown.cancel();
}
