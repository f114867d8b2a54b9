//! Every tool of the protocol (docs/protocol.md#tools), once, for every host: the MCP server and
//! the npm package call [`Engine::call`] with a tool name and its JSON arguments and get back the
//! structured result, its text rendering and `_meta`, or a coded error.

/// A closed set of stable codes, each a Rust variant and the snake_case name clients see.
macro_rules! codes {
    ($(#[$doc:meta])* pub enum $name:ident { $( $variant:ident = $text:literal, )* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $( $variant, )* }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod answers;
mod args;
mod attempt;
mod checkpoints;
pub mod definition_json;
mod errors;
mod gates;
pub mod mcp_resources;
mod params;
mod render;
mod results;
mod skills;
mod tokens;
mod tool_schema;
mod tools;
mod trace_log;
mod variables;
mod warnings;

use std::sync::{Arc, OnceLock, RwLock};

use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::keyring::KeyRing;
use crate::session::{Env, Store};

pub use errors::{CallError, ErrorCode};
pub use gates::startable;
pub use warnings::WarningCode;

/// The tool names in `tools/list` order, for hosts and checks that need no engine.
pub fn tool_names() -> impl Iterator<Item = &'static str> {
    tools::TOOLS.iter().map(|t| t.name)
}

/// Settings a host may change.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    /// Reported by `discover` and `health_check`.
    pub server_name: String,
    pub server_version: String,
    /// The minimum time between a yield and an `option_id` answer
    /// (docs/protocol.md#respond_checkpoint).
    pub min_response_ms: u64,
    /// The deepest dispatch allowed (a root session is depth 0).
    pub max_dispatch_depth: u32,
    /// Trace events kept per session; older ones are dropped and counted.
    pub trace_event_cap: u64,
    /// History entries (closed visits, replaced answers) kept per session; older ones are
    /// removed (docs/protocol.md#session-history).
    pub history_entry_cap: u64,
    /// Stated in `start_session`'s description; the host removes older records.
    pub retention_days: u32,
    /// Whether every tool's result carries its structured copy. An MCP host forwards
    /// `structuredContent` only for tools that list an output schema
    /// ([`ToolSpec::structured_content`]), so it sets this false and the others skip building a
    /// copy of a whole definition that nobody reads (docs/protocol.md#successful-results).
    pub structured_for_every_tool: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            server_name: "workflow-server".to_owned(),
            server_version: env!("CARGO_PKG_VERSION").to_owned(),
            min_response_ms: 3_000,
            max_dispatch_depth: 8,
            trace_event_cap: 10_000,
            history_entry_cap: 10_000,
            retention_days: 90,
            structured_for_every_tool: true,
        }
    }
}

/// How a tool is listed (`tools/list`).
#[derive(Clone, Debug, PartialEq)]
pub struct ToolSpec {
    pub name: &'static str,
    /// One or two sentences.
    pub description: String,
    /// JSON Schema of the arguments, generated from the parameter type.
    pub input_schema: Value,
    /// JSON Schema of `structuredContent`.
    pub output_schema: Value,
    /// `readOnlyHint`: the tool never changes session state.
    pub read_only: bool,
    /// Whether MCP hosts send `structuredContent` (and list the output schema). Tools that serve
    /// definitions send them once, as text; small results that programs read keep both.
    pub structured_content: bool,
}

/// A successful tool result (docs/protocol.md#successful-results).
#[derive(Clone, Debug, PartialEq)]
pub struct ToolOutput {
    /// `structuredContent`: always a JSON object.
    pub structured: Value,
    /// The one text content item.
    pub text: String,
    /// `_meta`: `session_token` (the caller's renewed token), `validation` and `trace_token` as the tool
    /// defines.
    pub meta: Map<String, Value>,
    /// The caller asked to wait for a change (`get_workflow_status`'s `wait_ms`). The core does
    /// not wait: a host that can runs the same call again whenever one of `sessions` changes
    /// and answers with the first result whose `structured` differs from this one, or with a
    /// fresh one after `ms` (docs/protocol.md#get_workflow_status). A host that cannot answers
    /// this result at once.
    pub wait: Option<Wait>,
}

/// What a waiting call waits on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// At most [`MAX_WAIT_MS`].
    pub ms: u64,
    /// The sessions whose changes can change the result.
    pub sessions: Vec<String>,
}

/// The longest `wait_ms`: below the HTTP transport's default request timeout (30 s) and MCP
/// clients' usual 60 s, so a wait ends in an answer rather than a timeout.
pub const MAX_WAIT_MS: u64 = 20_000;

/// The tools over a catalog, a store and a key ring. Shared by every connection of a host.
pub struct Engine {
    catalog: RwLock<Arc<Catalog>>,
    keys: RwLock<Arc<KeyRing>>,
    store: Arc<dyn Store>,
    config: EngineConfig,
    /// When the engine started serving, for `health_check`'s uptime.
    started_at: OnceLock<u64>,
}

impl Engine {
    pub fn new(
        catalog: Catalog,
        store: Arc<dyn Store>,
        keys: KeyRing,
        config: EngineConfig,
    ) -> Self {
        Self {
            catalog: RwLock::new(Arc::new(catalog)),
            keys: RwLock::new(Arc::new(keys)),
            store,
            config,
            started_at: OnceLock::new(),
        }
    }

    /// The catalog calls see now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Swaps in a reloaded catalog; calls already running finish on the old one.
    pub fn set_catalog(&self, catalog: Catalog) {
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(catalog);
    }

    pub fn keys(&self) -> Arc<KeyRing> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Swaps in a rotated key ring (the host persists it first).
    pub fn set_keys(&self, keys: KeyRing) {
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Sets the start time `health_check` counts uptime from; without it, the first call's
    /// time is used. Only the first setting counts.
    pub fn set_started_at(&self, now_ms: u64) {
        let _ = self.started_at.set(now_ms);
    }

    /// Every tool, in `tools/list` order.
    pub fn tools(&self) -> Vec<ToolSpec> {
        tools::TOOLS.iter().map(|t| t.spec(&self.config)).collect()
    }

    /// Runs one tool call. `arguments` is the JSON object the client sent.
    pub fn call(
        &self,
        env: &dyn Env,
        tool: &str,
        arguments: Map<String, Value>,
    ) -> Result<ToolOutput, CallError> {
        let Some(tool) = tools::find(tool) else {
            return Err(CallError::UnknownTool(tool.to_owned()));
        };
        let now = env.now_ms();
        let cx = attempt::Cx {
            engine: self,
            env,
            catalog: self.catalog(),
            keys: self.keys(),
            tool: tool.name,
            now,
            started_at: *self.started_at.get_or_init(|| now),
        };
        (tool.run)(&cx, args::Args::new(tool.name, arguments))
    }
}
