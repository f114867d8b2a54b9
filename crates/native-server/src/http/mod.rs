//! Streamable HTTP: MCP at `/mcp`, liveness at `/health`, readiness at `/ready`.
//!
//! `/mcp` accepts only loopback `Host` and `Origin` values unless more are allowed (DNS
//! rebinding would otherwise let any web page drive a local server), caps request bodies, and
//! requires the bearer token when one is configured. Requests are served statelessly with JSON
//! responses: every tool answers in one message and the session lives in the store, so there is
//! no per-connection state to keep. Connections are served by [`conn`], which bounds their
//! number, their idle time and their requests' time.

mod conn;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;
use workflow_core::engine::Engine;

use crate::changes::Changes;
use crate::mcp::{Calls, Handler, Waits};
use crate::workflows::Loaded;

pub use conn::Limits;

pub struct HttpOptions {
    pub addr: SocketAddr,
    pub auth_token: Option<String>,
    /// Extra `Host` values (names or `name:port`) besides the loopback ones.
    pub allowed_hosts: Vec<String>,
    /// Extra browser origins (`scheme://host[:port|:*]`) besides the loopback ones.
    pub allowed_origins: Vec<String>,
    pub max_request_bytes: usize,
    pub limits: Limits,
    /// What `get_workflow_status` waits on.
    pub changes: Arc<Changes>,
}

/// How much of the request timeout a wait leaves for answering.
const ANSWER_MARGIN: std::time::Duration = std::time::Duration::from_secs(1);

const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
const LOOPBACK_ORIGINS: [&str; 6] = [
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "https://localhost:*",
    "https://127.0.0.1:*",
    "https://[::1]:*",
];

/// What `/ready` reads.
#[derive(Clone)]
struct Probe {
    engine: Arc<Engine>,
    loaded: Loaded,
}

pub async fn serve(
    engine: Arc<Engine>,
    loaded: Loaded,
    options: HttpOptions,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(options.max_request_bytes)
        .with_allowed_hosts(
            LOOPBACK_HOSTS
                .iter()
                .map(|h| h.to_string())
                .chain(options.allowed_hosts.iter().cloned()),
        )
        .with_allowed_origins(
            LOOPBACK_ORIGINS
                .iter()
                .map(|o| o.to_string())
                .chain(options.allowed_origins.iter().cloned()),
        )
        .enforce_origin_validation()
        .with_cancellation_token(shutdown.child_token());
    // A wait never outlasts the request timeout, which would answer 408 instead of the status.
    let waits = Waits {
        changes: options.changes,
        longest: options.limits.request_timeout.saturating_sub(ANSWER_MARGIN),
    };
    let handler = Handler::new(engine.clone(), loaded.clone(), Calls::HandOff, waits);
    let mcp = StreamableHttpService::new(
        move || Ok(handler.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let token: Option<Arc<str>> = options.auth_token.map(Into::into);
    let app = Router::new()
        .route_service("/mcp", mcp)
        .route_layer(middleware::from_fn(jsonrpc_parse_errors))
        .route_layer(middleware::from_fn_with_state(token, require_bearer))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .with_state(Probe { engine, loaded });

    let limits = Limits {
        max_connections: conn::connection_cap(options.limits.max_connections),
        ..options.limits
    };
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    tracing::info!(
        addr = %listener.local_addr()?,
        max_connections = limits.max_connections,
        "serving MCP over HTTP at /mcp"
    );
    conn::serve(listener, app, limits, shutdown).await;
    Ok(())
}

/// Rejects `/mcp` requests without the configured bearer token. The comparison takes the same
/// time wherever the first difference is, so the token cannot be guessed byte by byte.
async fn require_bearer(
    State(token): State<Option<Arc<str>>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(expected) = token {
        let presented = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !same(presented.as_bytes(), expected.as_bytes()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "missing or wrong bearer token\n",
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// rmcp answers a body that is not JSON, or not a JSON-RPC message, with a plain-text 415; a
/// client expects a JSON-RPC error (parse error or invalid request), so it gets one, with 400.
async fn jsonrpc_parse_errors(request: Request, next: Next) -> Response {
    const PREFIX: &[u8] = b"fail to deserialize request body";
    let response = next.run(request).await;
    if response.status() != StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    };
    if !bytes.starts_with(PREFIX) {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    let detail = String::from_utf8_lossy(&bytes[PREFIX.len()..])
        .trim()
        .to_owned();
    let (code, message) = if detail.contains("unrecognized JSON-RPC message") {
        (
            -32600,
            "Invalid Request: the body is JSON but not a JSON-RPC request".to_owned(),
        )
    } else {
        (-32700, format!("Parse error: {detail}"))
    };
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The process is up and answering.
async fn health() -> &'static str {
    "ok\n"
}

/// The server can serve calls: the catalog is loaded and has something startable, and the
/// store answers.
async fn ready(State(Probe { engine, loaded }): State<Probe>) -> Response {
    let loaded = loaded.is_loaded();
    let store = engine.store().check();
    let catalog = engine.catalog();
    let workflows = catalog.library().workflows().count();
    let startable = catalog
        .library()
        .workflows()
        .filter(|w| catalog.startable(&w.id))
        .count();
    let ok = loaded && store.is_ok() && startable > 0;
    let body = serde_json::json!({
        "ready": ok,
        "catalog": if loaded { "loaded" } else { "loading" },
        "store": match &store { Ok(()) => "ok".to_owned(), Err(e) => e.to_string() },
        "workflows": workflows,
        "startable": startable,
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret2"));
        assert!(!same(b"", b"x"));
    }
}
