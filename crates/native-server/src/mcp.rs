//! The MCP face of the engine: `tools/list` and `tools/call` route to the core's tool list and
//! `Engine::call`, resources to the cached catalog. No tool logic lives here; this module only
//! translates between rmcp's types and the engine's.

use std::borrow::Cow;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, CustomRequest,
    CustomResult, ErrorCode, Implementation, JsonObject, ListResourcesResult, ListToolsResult,
    MetaObject, PaginatedRequestParams, ProtocolVersion, ReadResourceRequestParams,
    ReadResourceResponse, ReadResourceResult, Resource, ResourceContents, ServerCapabilities,
    ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Map, Value};
use tracing::Instrument;
use workflow_core::engine::mcp_resources;
use workflow_core::engine::{CallError, Engine, ToolOutput, ToolSpec};

use crate::changes::Changes;
use crate::clock::SystemEnv;
use crate::wait::{self, Outcome};
use crate::workflows::Loaded;

/// The protocol versions this server speaks (docs/protocol.md#transports-and-tool-list).
const VERSIONS: &[ProtocolVersion] =
    &[ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28];

/// Numbers calls across all connections, so every log line of a call can be found together.
static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

/// One per connection (stdio) or per request (stateless HTTP): cheap to clone.
#[derive(Clone)]
pub struct Handler {
    engine: Arc<Engine>,
    tools: Arc<[Tool]>,
    /// Calls and resources wait for the first catalog; the tool list does not need it.
    loaded: Loaded,
    calls: Calls,
    waits: Waits,
}

/// What a call that asks to wait (`get_workflow_status`'s `wait_ms`) waits on.
#[derive(Clone)]
pub struct Waits {
    pub changes: Arc<Changes>,
    /// The longest wait this transport allows, below its own request timeout.
    pub longest: std::time::Duration,
}

/// Where a call runs. A call may wait for a durable commit (a fraction of a millisecond to a
/// few), which blocks the thread it runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calls {
    /// On the async worker that received it: the fastest path, for one client (stdio), whose
    /// few concurrent requests the other worker can carry meanwhile.
    Inline,
    /// `block_in_place`: the worker's other tasks move to another thread first, so many clients
    /// (HTTP) keep being served and their commits can share one flush.
    HandOff,
}

impl Handler {
    pub fn new(engine: Arc<Engine>, loaded: Loaded, calls: Calls, waits: Waits) -> Handler {
        let tools = engine.tools().into_iter().map(to_tool).collect();
        Handler {
            engine,
            tools,
            loaded,
            calls,
            waits,
        }
    }

    /// Runs one evaluation of a call where [`Calls`] says; a panic is caught so the client still
    /// gets an answer.
    fn run(&self, tool: &str, arguments: &Map<String, Value>) -> Outcome {
        let call = || {
            panic::catch_unwind(AssertUnwindSafe(|| {
                self.engine.call(&SystemEnv, tool, arguments.clone())
            }))
            .map_err(|_| ())
        };
        match self.calls {
            Calls::Inline => call(),
            Calls::HandOff => tokio::task::block_in_place(call),
        }
    }
}

/// A tool as `tools/list` shows it: schemas from the engine, annotations per
/// docs/protocol.md#transports-and-tool-list.
fn to_tool(spec: ToolSpec) -> Tool {
    let annotations = if spec.read_only {
        ToolAnnotations::new().read_only(true).open_world(false)
    } else {
        ToolAnnotations::new()
            .read_only(false)
            .destructive(false)
            .idempotent(false)
            .open_world(false)
    };
    let tool = Tool::new_with_raw(
        spec.name,
        Some(Cow::Owned(spec.description)),
        Arc::new(for_clients(spec.input_schema)),
    )
    .with_annotations(annotations);
    if spec.structured_content {
        tool.with_raw_output_schema(Arc::new(for_clients(spec.output_schema)))
    } else {
        tool
    }
}

/// The engine's schemas are already as MCP clients accept them (an object root, no boolean
/// property schemas); the host only unwraps them.
fn for_clients(schema: Value) -> JsonObject {
    match schema {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The error for a request rmcp could not type: bad params of a method this server serves, or a
/// method it does not have.
fn unroutable(method: &str) -> ErrorData {
    let hint = match method {
        "tools/call" => "`name` must be a string and `arguments` an object",
        "resources/read" => "`uri` must be a string",
        "initialize" => "`protocolVersion`, `capabilities` and `clientInfo` are required",
        "tools/list" | "resources/list" | "resources/templates/list" | "ping" => {
            "`cursor` must be a string when given"
        }
        _ => {
            return ErrorData::new(
                ErrorCode::METHOD_NOT_FOUND,
                format!("Method not found: {method}"),
                None,
            );
        }
    };
    ErrorData::invalid_params(format!("Invalid params for {method}: {hint}."), None)
}

/// A tool's result: its text, and its structured copy only where the tool keeps one.
fn success(out: ToolOutput, structured: bool) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(out.text)]);
    if structured {
        result.structured_content = Some(out.structured);
    }
    if !out.meta.is_empty() {
        result.meta = Some(MetaObject(out.meta));
    }
    result
}

fn tool_error(code: &str, message: String) -> CallToolResult {
    let mut result = CallToolResult::error(vec![ContentBlock::text(message)]);
    let mut meta = Map::new();
    meta.insert("error_code".into(), Value::String(code.to_owned()));
    result.meta = Some(MetaObject(meta));
    result
}

impl ServerHandler for Handler {
    fn get_info(&self) -> ServerConfig {
        let config = self.engine.config();
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_protocol_version(ProtocolVersion::V_2025_11_25)
        .with_server_info(Implementation::new(
            config.server_name.clone(),
            config.server_version.clone(),
        ))
        .with_instructions(
            "Structured workflows for agents. Call `discover` first: it returns the bootstrap \
             protocol and the available workflows.",
        )
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(VERSIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let rid = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
        let tool = request.name.into_owned();
        // Only the tool's name and the outcome are logged: arguments hold tokens and values.
        let span = tracing::info_span!("call", rid, tool = %tool, jsonrpc_id = %context.id);
        let arguments = request.arguments.unwrap_or_default();
        async move {
            let started = Instant::now();
            self.loaded.wait().await;
            let outcome = match self.run(&tool, &arguments) {
                Ok(Ok(first)) => {
                    let again = || self.run(&tool, &arguments);
                    let waits = &self.waits;
                    wait::until_changed(first, &waits.changes, waits.longest, &context.ct, again)
                        .await
                }
                failed => failed,
            };
            let us = started.elapsed().as_micros() as u64;
            match outcome {
                Ok(Ok(out)) => {
                    tracing::info!(us, "ok");
                    // A tool listed without an output schema answers in text only.
                    let structured = self
                        .tools
                        .iter()
                        .any(|t| t.name == tool && t.output_schema.is_some());
                    Ok(success(out, structured).into())
                }
                Ok(Err(CallError::Tool { code, message })) => {
                    tracing::info!(us, error_code = code.as_str(), "tool error");
                    Ok(tool_error(code.as_str(), message).into())
                }
                Ok(Err(CallError::UnknownTool(name))) => {
                    tracing::info!(us, "unknown tool");
                    Err(ErrorData::invalid_params(
                        format!("Unknown tool: {name}"),
                        None,
                    ))
                }
                Err(_) => {
                    tracing::error!(us, "the call panicked inside the server");
                    Err(ErrorData::internal_error(
                        "The call failed inside the server; nothing was changed. Retry it; if \
                         it fails again, report the server log.",
                        None,
                    ))
                }
            }
        }
        .instrument(span)
        .await
    }

    /// rmcp hands over a request whose params do not fit the method's type (a tools/call whose
    /// `name` is not a string, say) as a custom request; answer what is actually wrong.
    async fn on_custom_request(
        &self,
        request: CustomRequest,
        _context: RequestContext<RoleServer>,
    ) -> Result<CustomResult, ErrorData> {
        Err(unroutable(&request.method))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        self.loaded.wait().await;
        let catalog = self.engine.catalog();
        let items = mcp_resources::resources(&catalog)
            .into_iter()
            .map(|l| {
                Resource::new(l.uri, l.name)
                    .with_description(l.description)
                    .with_mime_type(l.mime_type)
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(items))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        self.loaded.wait().await;
        let catalog = self.engine.catalog();
        let Some(value) = mcp_resources::read_resource(&catalog, &request.uri) else {
            return Err(ErrorData::resource_not_found(
                format!("Resource not found: {}", request.uri),
                None,
            ));
        };
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(
            ReadResourceResult::new(vec![ResourceContents::TextResourceContents {
                uri: request.uri,
                mime_type: Some("application/json".into()),
                text,
                meta: None,
            }])
            .into(),
        )
    }
}
