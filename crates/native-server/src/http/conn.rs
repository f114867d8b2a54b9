//! The HTTP connection loop: what `axum::serve` does, plus the bounds a hostile or broken client
//! must not get past (docs/protocol.md#http-guards):
//!
//! * a header-read timeout (hyper's), which runs from the moment a connection waits for a
//!   request, so it closes idle keep-alive connections and slow-header senders alike;
//! * a request timeout from the end of the headers to the response, so a body trickling in
//!   cannot hold a connection and its buffer (408, then the connection closes);
//! * a cap on open connections below the open-file limit; at the cap the connection idle the
//!   longest (no request in flight) is closed for the new one, so idle sockets cannot lock
//!   `/health` and the tools out, and only when every connection is busy is the new one refused;
//! * a shutdown deadline: on SIGTERM idle connections close at once, requests in flight get the
//!   deadline to finish, and whatever is still open then (a half-sent request) is dropped.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// File descriptors kept out of the connection cap: the store, the key ring, the workflow files
/// and their watcher, stdio, and the listener itself.
const RESERVED_FILES: u64 = 64;

/// How long the accept loop pauses after a failed accept (e.g. the open-file limit reached by
/// something else), instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The bounds of the connection loop (the options and their defaults: `ServeArgs`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_timeout: Duration,
}

/// Raises the soft open-file limit to the hard one where allowed and returns how many
/// connections fit below it, at most `wanted`.
pub fn connection_cap(wanted: usize) -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read or raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    };
    let fits = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    let cap = wanted.min(fits).max(1);
    if cap < wanted {
        tracing::warn!(
            open_files = files,
            max_connections = cap,
            "the open-file limit caps connections below --http-max-connections"
        );
    }
    cap
}

/// One open connection, as the cap sees it.
struct Conn {
    in_flight: AtomicUsize,
    /// When a request last started or ended (or the connection opened), in ms since the
    /// registry's epoch.
    last_active: AtomicU64,
    /// Closes the connection now (it was chosen to make room).
    evict: CancellationToken,
}

impl Conn {
    fn touch(&self, epoch: Instant) {
        let ms = u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_active.store(ms, Ordering::Release);
    }
}

/// Marks a connection busy while one request is served.
struct Busy {
    conn: Arc<Conn>,
    epoch: Instant,
}

impl Busy {
    fn start(conn: Arc<Conn>, epoch: Instant) -> Busy {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        conn.touch(epoch);
        Busy { conn, epoch }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn.touch(self.epoch);
        self.conn.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The open connections.
struct Registry {
    epoch: Instant,
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Registry {
    /// Registers a new connection when there is room, making room by evicting the connection
    /// idle the longest; `None` when every connection is busy.
    fn admit(&self, cap: usize) -> Option<(u64, Arc<Conn>)> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.len() >= cap {
            let idlest = open
                .iter()
                .filter(|(_, c)| c.in_flight.load(Ordering::Acquire) == 0)
                .min_by_key(|(_, c)| c.last_active.load(Ordering::Acquire))
                .map(|(id, _)| *id)?;
            if let Some(conn) = open.remove(&idlest) {
                conn.evict.cancel();
            }
        }
        let conn = Arc::new(Conn {
            in_flight: AtomicUsize::new(0),
            last_active: AtomicU64::new(0),
            evict: CancellationToken::new(),
        });
        conn.touch(self.epoch);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        open.insert(id, conn.clone());
        Some((id, conn))
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }
}

/// Serves `app` on `listener` until `shutdown`, then drains within the shutdown deadline.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: CancellationToken,
) {
    let registry = Arc::new(Registry {
        epoch: Instant::now(),
        next: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
    });
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot accept a connection");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let Some((id, conn)) = registry.admit(limits.max_connections) else {
                    tracing::debug!("every connection is busy; refused a new one");
                    continue;
                };
                let app = app.clone();
                let registry = registry.clone();
                let shutdown = shutdown.clone();
                tasks.spawn(async move {
                    connection(stream, app, conn, registry.epoch, limits, shutdown).await;
                    registry.remove(id);
                });
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(limits.shutdown_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = tasks.len(),
            "closing the connections still open at the shutdown deadline"
        );
        tasks.shutdown().await;
    }
}

/// Serves one connection until it closes, times out, is evicted, or shutdown comes.
async fn connection(
    stream: TcpStream,
    app: Router,
    conn: Arc<Conn>,
    epoch: Instant,
    limits: Limits,
    shutdown: CancellationToken,
) {
    let app = TowerToHyperService::new(app);
    let evict = conn.evict.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let busy = Busy::start(conn.clone(), epoch);
        let response = app.call(request.map(Body::new));
        async move {
            let response = tokio::time::timeout(limits.request_timeout, response).await;
            drop(busy);
            Ok::<_, Infallible>(match response {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(_) => request_timeout(),
            })
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = evict.cancelled() => return,
            _ = shutdown.cancelled(), if !stopping => {
                connection.as_mut().graceful_shutdown();
                stopping = true;
            }
        }
    }
}

/// The answer to a request whose body and handling outlasted the request timeout; the
/// connection closes after it, since the rest of the body was never read.
fn request_timeout() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "the request was not received and answered within the request timeout \
         (--http-request-timeout-ms)\n",
    ));
    *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}
