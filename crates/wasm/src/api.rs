//! The package's functions as plain Rust over the core, so they are tested natively and the
//! wasm-bindgen layer ([`crate::bindings`]) does nothing but convert values and errors.

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use workflow_core::catalog::{Catalog, Library};
use workflow_core::convert::{self, LibraryConversion};
use workflow_core::decode::{DecodeError, DecodeErrorKind, Format};
use workflow_core::diagnostic::Diagnostic;
use workflow_core::engine::{CallError, Engine, EngineConfig, ToolOutput};
use workflow_core::keyring::{Key, KeyRing, SECRET_LEN};
use workflow_core::model::Condition;
use workflow_core::session::{Env, MemoryStore};
use workflow_core::text::LineIndex;

/// A workflow library as the package takes it: each path relative to the workflows root
/// (`meta/workflow.yaml`) mapped to the file's bytes, as the CLI reads them from a folder, so a
/// file that is not valid UTF-8 gets the CLI's `syntax` diagnostic (JavaScript strings arrive
/// as their UTF-8 encoding).
pub type Files = BTreeMap<String, Vec<u8>>;

/// Why a call failed. The bindings throw it as a JavaScript `Error` whose extra properties are
/// these fields, so callers branch on `code` and editors place decode errors by position.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// Stable: a decode code (`syntax`, `duplicate_key`, `too_deep`), `invalid_argument`,
    /// `invalid_condition`, `workflow_not_found`, `workflow_broken`, or an engine error code
    /// (docs/protocol.md#error-catalogue) and `unknown_tool`; `internal` for a result JavaScript
    /// cannot hold.
    pub code: String,
    pub message: String,
    /// Where a decode error is, 1-based; columns count Unicode scalar values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// UTF-16 offsets of the error in the input, for JavaScript string indexing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utf16_start: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utf16_end: Option<u32>,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            utf16_start: None,
            utf16_end: None,
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new("invalid_argument", message)
    }

    /// A decode error of `text`, located the way the validator locates it.
    fn decode(text: &str, error: &DecodeError) -> Self {
        let code = match error.kind {
            DecodeErrorKind::Syntax => "syntax",
            DecodeErrorKind::DuplicateKey => "duplicate_key",
            DecodeErrorKind::TooDeep => "too_deep",
        };
        let index = LineIndex::new(text);
        let start = index.position(error.span.start);
        let end = index.position(error.span.end.max(error.span.start));
        Self {
            line: Some(start.line),
            column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
            utf16_start: Some(start.utf16),
            utf16_end: Some(end.utf16),
            ..Self::new(
                code,
                format!("{}:{}: {}", start.line, start.column, error.message),
            )
        }
    }
}

/// Every diagnostic of the library, sorted by file and position: what `workflow-server validate
/// --format json` prints for the same files.
pub fn validate(files: &Files) -> Vec<Diagnostic> {
    Library::load(files).diagnostics().to_vec()
}

fn format(name: &str) -> Result<Format, ApiError> {
    Format::parse(name).ok_or_else(|| {
        ApiError::invalid_argument(format!("unknown format '{name}'; use toon, yaml or json"))
    })
}

/// Re-encodes `text` from one format to another with the core's conversion: the result decodes
/// to the same value (key order included) and keeps the comments when the target has them.
pub fn convert(text: &str, from: &str, to: &str) -> Result<String, ApiError> {
    let (from, to) = (format(from)?, format(to)?);
    convert::convert(text, from, to)
        .map(|c| c.text)
        .map_err(|e| ApiError::decode(text, &e))
}

/// Every definition file of the library in format `to`, with references and comments carried
/// (docs/formats.md#converting-a-library): what `workflow-server migrate --out` writes.
pub fn convert_library(files: &Files, to: &str) -> Result<LibraryConversion, ApiError> {
    Ok(convert::convert_library(files, format(to)?))
}

/// The outcome of evaluating a condition on a set of variables
/// (docs/formats.md#condition-evaluation).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The two-valued result.
    pub value: bool,
    /// Whether every path the condition reads is present; the server warns only about
    /// decidable conditions.
    pub decidable: bool,
    /// The canonical one-line rendering (docs/formats.md#condition-rendering), as agents echo it.
    pub rendered: String,
    /// The paths the condition reads, in reading order.
    pub variables: Vec<String>,
}

/// Evaluates `condition` (a condition object as written in a definition) on `variables`.
pub fn evaluate_condition(
    condition: Value,
    variables: &Map<String, Value>,
) -> Result<Evaluation, ApiError> {
    let condition: Condition = serde_json::from_value(condition)
        .map_err(|e| ApiError::new("invalid_condition", format!("invalid condition: {e}")))?;
    if !condition.within_depth_limit() {
        return Err(ApiError::new(
            "invalid_condition",
            format!(
                "invalid condition: nested deeper than {} levels",
                workflow_core::model::condition::MAX_DEPTH
            ),
        ));
    }
    Ok(Evaluation {
        value: condition.evaluate(variables),
        decidable: condition.is_decidable(variables),
        rendered: condition.render(),
        variables: condition
            .referenced_variables()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    })
}

impl From<CallError> for ApiError {
    fn from(error: CallError) -> Self {
        match error {
            CallError::Tool { code, message } => ApiError::new(code.as_str(), message),
            CallError::UnknownTool(_) => ApiError::new("unknown_tool", error.to_string()),
        }
    }
}

/// Settings of an in-memory engine; absent ones keep the server's defaults.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    /// Reported by `discover` and `health_check` (default `workflow-server`).
    pub server_name: Option<String>,
    /// The minimum time between a yield and an `option_id` answer (default 3000). A page that
    /// simulates a session may lower it.
    pub min_response_ms: Option<u64>,
    /// The deepest dispatch allowed (default 8).
    pub max_dispatch_depth: Option<u32>,
    /// Trace events kept per session (default 10000).
    pub trace_event_cap: Option<u64>,
}

impl EngineOptions {
    fn config(&self) -> EngineConfig {
        let d = EngineConfig::default();
        EngineConfig {
            server_name: self.server_name.clone().unwrap_or(d.server_name),
            min_response_ms: self.min_response_ms.unwrap_or(d.min_response_ms),
            max_dispatch_depth: self.max_dispatch_depth.unwrap_or(d.max_dispatch_depth),
            trace_event_cap: self.trace_event_cap.unwrap_or(d.trace_event_cap),
            ..d
        }
    }
}

/// A successful tool call (docs/protocol.md#successful-results).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CallResult {
    /// `structuredContent`: the tool's result object.
    pub structured: Value,
    /// The text rendering agents read.
    pub text: String,
    /// `_meta`: `session_token`, `validation` and `trace_token` as the tool
    /// defines.
    pub meta: Map<String, Value>,
}

impl From<ToolOutput> for CallResult {
    fn from(output: ToolOutput) -> Self {
        Self {
            structured: output.structured,
            text: output.text,
            meta: output.meta,
        }
    }
}

/// How a tool is listed (`tools/list`).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToolInfo {
    pub name: String,
    pub description: String,
    /// JSON Schema of the arguments.
    pub input_schema: Value,
    /// JSON Schema of `structured`.
    pub output_schema: Value,
    /// The tool never changes session state.
    pub read_only: bool,
}

/// The server's engine over a library, an in-memory store and one key: every tool, in the page.
pub struct Host {
    engine: Engine,
}

impl Host {
    /// `key` is the 32-byte signing key; `now_ms` stamps the key, the catalog and the uptime.
    pub fn new(
        files: &Files,
        key: &[u8],
        options: &EngineOptions,
        now_ms: u64,
    ) -> Result<Host, ApiError> {
        let secret: [u8; SECRET_LEN] = key.try_into().map_err(|_| {
            ApiError::invalid_argument(format!(
                "key: {} bytes given; the key is {SECRET_LEN} bytes",
                key.len()
            ))
        })?;
        let engine = Engine::new(
            Catalog::new(Library::load(files), now_ms),
            Arc::new(MemoryStore::new()),
            KeyRing::new(Key::new("local", secret, now_ms)),
            options.config(),
        );
        engine.set_started_at(now_ms);
        Ok(Host { engine })
    }

    /// Runs one tool; `arguments` is the JSON object a client would send (`null` for none).
    pub fn call(
        &self,
        env: &dyn Env,
        tool: &str,
        arguments: Value,
    ) -> Result<CallResult, ApiError> {
        let arguments = match arguments {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(ApiError::invalid_argument("arguments must be an object")),
        };
        Ok(self.engine.call(env, tool, arguments)?.into())
    }

    /// Replaces the library, as the server does when files change: sessions keep running, a
    /// workflow that broke keeps its last good definition. Returns the new diagnostics.
    pub fn reload(&self, files: &Files, now_ms: u64) -> Vec<Diagnostic> {
        let library = Library::load(files);
        let diagnostics = library.diagnostics().to_vec();
        self.engine
            .set_catalog(self.engine.catalog().reload(library, now_ms));
        diagnostics
    }

    /// The catalog the engine serves now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.engine.catalog()
    }

    pub fn tools(&self) -> Vec<ToolInfo> {
        self.engine
            .tools()
            .into_iter()
            .map(|t| ToolInfo {
                name: t.name.to_owned(),
                description: t.description,
                input_schema: t.input_schema,
                output_schema: t.output_schema,
                read_only: t.read_only,
            })
            .collect()
    }
}

/// The agent id of the parent session a dispatch package is composed from.
const DISPATCHER: &str = "meta";

/// What `dispatch_workflow` returns for `workflow_id`, composed the server's way: a `meta`
/// session is started on a fresh in-memory engine and dispatches the workflow with
/// `variables`. The tokens are signed with `key`, but the sessions they name live only in that
/// engine: the package is a preview, and a server answers `unknown_session` for its tokens.
pub fn compose_dispatch_package(
    files: &Files,
    workflow_id: &str,
    variables: Option<Map<String, Value>>,
    key: &[u8],
    options: &EngineOptions,
    env: &dyn Env,
) -> Result<CallResult, ApiError> {
    let host = Host::new(files, key, options, env.now_ms())?;
    let parent = host.call(
        env,
        "start_session",
        json!({"workflow_id": workflow_core::catalog::META, "agent_id": DISPATCHER}),
    )?;
    let mut arguments = json!({
        "workflow_id": workflow_id,
        "parent_session_token": parent.meta["session_token"],
    });
    if let Some(variables) = variables {
        arguments["variables"] = Value::Object(variables);
    }
    host.call(env, "dispatch_workflow", arguments)
}

/// A random (v4) UUID from 16 random bytes, lowercase and hyphenated, as `Env::uuid` returns.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validate_reports_what_the_library_reports() {
        let mut files = crate::testdata::library();
        assert_eq!(validate(&files), Vec::<Diagnostic>::new());
        files.insert(
            "release-notes/activities/02-publish.toon".into(),
            "id: publish\nversion: 1.0\nname: Publish Notes\n".into(),
        );
        let diagnostics = validate(&files);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.file.as_str(), d.line, d.column),
            (
                "wrong_type",
                "release-notes/activities/02-publish.toon",
                2,
                1
            )
        );
    }

    #[test]
    fn convert_round_trips_between_the_three_formats() {
        let yaml = "id: x\ntags:\n  - a\n  - b\ncount: 1.5\n";
        let toon = convert(yaml, "yaml", "toon").expect("converts");
        assert_eq!(toon, "id: x\ntags[2]: a,b\ncount: 1.5");
        let json = convert(&toon, "toon", "json").expect("converts");
        assert_eq!(
            serde_json::from_str::<Value>(&json).expect("json"),
            json!({"id": "x", "tags": ["a", "b"], "count": 1.5})
        );
        assert_eq!(convert(&json, "json", "yml").expect("converts"), yaml);
    }

    #[test]
    fn convert_keeps_comments_where_the_target_has_them() {
        let yaml = "# why\nid: x\n";
        assert_eq!(
            convert(yaml, "yaml", "toon").expect("converts"),
            "# why\nid: x"
        );
        assert_eq!(
            convert(yaml, "yaml", "json").expect("converts"),
            "{\n  \"id\": \"x\"\n}"
        );
    }

    #[test]
    fn convert_library_renames_and_reports() {
        let files: Files = [
            ("w/workflow.yaml", "# top\nid: w\n"),
            ("w/activities/01-a.toon", "id: a\n"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.as_bytes().to_vec()))
        .collect();
        let out = convert_library(&files, "json").expect("a known format");
        assert_eq!(
            out.files.keys().collect::<Vec<_>>(),
            ["w/activities/01-a.json", "w/workflow.json"]
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code.as_str(), "comments_dropped");
        assert_eq!(
            convert_library(&files, "xml").expect_err("unknown").code,
            "invalid_argument"
        );
    }

    #[test]
    fn convert_errors_carry_the_position_and_code() {
        let e = convert("id: x\nsteps[2]:\n  - a\n", "toon", "json").expect_err("fails");
        assert_eq!((e.code.as_str(), e.line), ("syntax", Some(2)));
        assert_eq!(
            e.message,
            "2:7: steps: declared 2 items but found 1; update the count in steps[2]: or add the missing items"
        );
        let e = convert("a: 1\na: 2\n", "yaml", "json").expect_err("fails");
        assert_eq!((e.code.as_str(), e.line), ("duplicate_key", Some(2)));
        let e = convert("a: 1", "xml", "json").expect_err("fails");
        assert_eq!(e.code, "invalid_argument");
    }

    #[test]
    fn evaluate_condition_renders_and_decides() {
        let condition = json!({"type": "and", "conditions": [
            {"type": "simple", "variable": "approved", "operator": "==", "value": true},
            {"type": "or", "conditions": [
                {"type": "simple", "variable": "count", "operator": ">", "value": 2},
                {"type": "simple", "variable": "owner", "operator": "exists"}
            ]}
        ]});
        let vars = json!({"approved": true, "count": "3"});
        let e = evaluate_condition(condition, vars.as_object().expect("object")).expect("ok");
        assert_eq!(
            e,
            Evaluation {
                value: true,
                decidable: false,
                rendered: "approved == true AND (count > 2 OR owner exists)".into(),
                variables: vec!["approved".into(), "count".into(), "owner".into()],
            }
        );
        let bad = evaluate_condition(json!({"type": "maybe"}), &Map::new()).expect_err("fails");
        assert_eq!(bad.code, "invalid_condition");
    }

    /// A clock the test moves and ids that count up.
    struct TestEnv {
        now: std::cell::Cell<u64>,
        ids: std::cell::Cell<u8>,
    }

    impl TestEnv {
        fn new() -> Self {
            Self {
                now: 1_700_000_000_000.into(),
                ids: 0.into(),
            }
        }

        fn advance(&self, ms: u64) {
            self.now.set(self.now.get() + ms);
        }
    }

    impl Env for TestEnv {
        fn now_ms(&self) -> u64 {
            self.now.get()
        }

        fn uuid(&self) -> String {
            self.ids.set(self.ids.get() + 1);
            uuid_v4([self.ids.get(); 16])
        }
    }

    const KEY: [u8; 32] = [7; 32];

    fn token(result: &CallResult) -> Value {
        result.meta["session_token"].clone()
    }

    #[test]
    fn the_host_runs_a_session_through_a_checkpoint() {
        let env = TestEnv::new();
        let host = Host::new(
            &crate::testdata::library(),
            &KEY,
            &EngineOptions::default(),
            env.now_ms(),
        )
        .expect("host");
        let started = host
            .call(
                &env,
                "start_session",
                json!({"workflow_id": "release-notes", "agent_id": "t"}),
            )
            .expect("starts");
        assert_eq!(started.structured["status"], "active");
        let moved = host
            .call(
                &env,
                "next_activity",
                json!({"session_token": token(&started), "activity_id": "draft"}),
            )
            .expect("moves");
        let yielded = host
            .call(
                &env,
                "yield_checkpoint",
                json!({"session_token": token(&moved), "checkpoint_id": "draft-review"}),
            )
            .expect("yields");
        let handle = yielded.structured["checkpoint_handle"].clone();
        let early = host
            .call(
                &env,
                "respond_checkpoint",
                json!({"checkpoint_handle": handle, "option_id": "approve"}),
            )
            .expect_err("too fast");
        assert_eq!(early.code, "response_too_fast");
        env.advance(3_000);
        let answered = host
            .call(
                &env,
                "respond_checkpoint",
                json!({"checkpoint_handle": handle, "option_id": "approve"}),
            )
            .expect("answers");
        assert_eq!(answered.structured["changed_variables"]["approved"], true);
        let unknown = host.call(&env, "nope", Value::Null).expect_err("unknown");
        assert_eq!(
            (unknown.code.as_str(), unknown.message.as_str()),
            ("unknown_tool", "Unknown tool: nope")
        );
        // Every listed tool runs (its own refusal of empty arguments, never `unknown_tool`).
        for tool in host.tools() {
            if let Err(e) = host.call(&env, &tool.name, json!({})) {
                assert_ne!(e.code, "unknown_tool", "{}", tool.name);
            }
        }
    }

    #[test]
    fn options_change_the_engine_settings() {
        let env = TestEnv::new();
        let options = EngineOptions {
            server_name: Some("page".into()),
            ..EngineOptions::default()
        };
        let host = Host::new(&crate::testdata::library(), &KEY, &options, 0).expect("host");
        let discovered = host.call(&env, "discover", Value::Null).expect("discovers");
        assert_eq!(discovered.structured["server"], "page");
        let short = Host::new(&Files::new(), &[1, 2], &options, 0)
            .err()
            .expect("short key");
        assert_eq!(short.code, "invalid_argument");
    }

    #[test]
    fn a_reload_swaps_the_library_under_running_sessions() {
        let env = TestEnv::new();
        let mut files = crate::testdata::library();
        let host = Host::new(&files, &KEY, &EngineOptions::default(), 0).expect("host");
        // The initial activity's file: an error there breaks the workflow.
        files.insert(
            "release-notes/activities/01-draft.yaml".into(),
            "id: draft\n".into(),
        );
        let diagnostics = host.reload(&files, 1);
        assert!(diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        let listed = host
            .call(&env, "list_workflows", Value::Null)
            .expect("lists");
        assert_eq!(listed.structured["workflows"][1]["status"], "broken");
        assert_eq!(listed.structured["workflows"][1]["startable"], true);
    }

    #[test]
    fn the_dispatch_package_is_the_engines() {
        let env = TestEnv::new();
        let files = crate::testdata::library();
        let variables = json!({"release_tag": "v2.3.0"});
        let package = compose_dispatch_package(
            &files,
            "release-notes",
            variables.as_object().cloned(),
            &KEY,
            &EngineOptions::default(),
            &env,
        )
        .expect("composes");
        let s = &package.structured;
        assert_eq!(s["initial_activity"], "draft");
        assert_eq!(s["workflow"]["title"], "Release Notes");
        assert_eq!(s["variables"], variables);
        let prompt = s["client_prompt"].as_str().expect("prompt");
        assert!(
            prompt.contains("Release Notes (release-notes 1.0.0)"),
            "{prompt}"
        );
        assert!(prompt.contains(s["client_session_token"].as_str().expect("token")));
        assert!(prompt.contains("release_tag: v2.3.0"), "{prompt}");
        assert_eq!(package.meta["validation"]["status"], "valid");
        // The child token verifies under the same key, but its session lived only in the
        // engine that composed the package.
        let other = Host::new(&files, &KEY, &EngineOptions::default(), env.now_ms()).expect("host");
        let refused = other
            .call(
                &env,
                "start_session",
                json!({"workflow_id": "release-notes", "agent_id": "child",
                       "session_token": s["client_session_token"]}),
            )
            .expect_err("no record");
        assert_eq!(refused.code, "unknown_session");
        let missing =
            compose_dispatch_package(&files, "nope", None, &KEY, &EngineOptions::default(), &env)
                .expect_err("unknown workflow");
        assert_eq!(missing.code, "workflow_not_found");
    }

    #[test]
    fn uuids_are_version_4() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
