//! The JavaScript surface. Each export converts its arguments from JavaScript values, calls
//! [`crate::api`] and converts the result back; failures become `Error`s carrying the
//! [`ApiError`] fields (`code`, `line`, …). No workflow logic lives here.

use js_sys::{Function, Reflect, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use workflow_core::keyring::SECRET_LEN;
use workflow_core::session::Env;

use crate::api::{self, ApiError, EngineOptions, Files, Host};
use crate::preview::Preview;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../generated/types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const INPUTS: &str = r#"
/**
 * A workflow library: each path relative to the workflows root (`meta/workflow.yaml`) mapped to
 * the file's text, or to its bytes as read from disk (a file that is not valid UTF-8 then gets
 * the CLI's `syntax` diagnostic). `readFolder` builds it from a folder.
 */
export type Files = Record<string, string | Uint8Array>;
/** Session variables: names mapped to JSON values. */
export type Variables = Record<string, unknown>;
/** The formats `convert` reads and writes (`yml` is read as YAML). */
export type Format = "toon" | "yaml" | "yml" | "json";
/** A library converted to one format by `convertLibrary` (docs/formats.md#converting-a-library). */
export interface LibraryConversion {
  /** Every file afterwards: converted definitions under their new names, every other file as it was (text when it is valid UTF-8, bytes otherwise). */
  files: Files;
  /** Old path → new path of each converted file. */
  renamed: Record<string, string>;
  /** Files already in the target format whose activity references were rewritten. */
  rewritten: string[];
  /** `comments_dropped` and `file_not_converted` warnings, located in the given files. */
  diagnostics: Diagnostic[];
}
/** What every function throws: an `Error` with the fields of `ApiError`. */
export type WorkflowError = Error & ApiError;
/** The host side of an engine: its clock and its ids. Both default to the page's own. */
export interface EngineCallbacks {
  /** Unix time in milliseconds (default `Date.now`); read once per call. */
  now?: () => number;
  /** A fresh random (v4) UUID (default: from `crypto.getRandomValues`). */
  uuid?: () => string;
}
/** `composeDispatchPackage`'s settings: the signing key (default: a random one), the clock and ids, and engine settings. */
export type DispatchOptions = EngineOptions & EngineCallbacks & { key?: Uint8Array };
"#;

/// Plain objects rather than `Map`s, and numbers rather than `BigInt`s, so results read like
/// the JSON the server sends.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| throw(ApiError::new("internal", e.to_string())))
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| throw(ApiError::invalid_argument(format!("{what}: {e}"))))
}

/// The `files` argument: a plain object whose values are strings (taken as their UTF-8 bytes) or
/// `Uint8Array`s (taken as they are).
fn files_from_js(files: &JsValue) -> Result<Files, JsValue> {
    const SHAPE: &str = "files must be an object mapping each path (like 'hello/workflow.yaml') to the file's text or bytes";
    if !files.is_object() || files.is_function() || js_sys::Array::is_array(files) {
        return Err(throw(ApiError::invalid_argument(SHAPE)));
    }
    let mut out = Files::new();
    for entry in js_sys::Object::entries(files.unchecked_ref()).iter() {
        let entry: js_sys::Array = entry.unchecked_into();
        let path = entry.get(0).as_string().unwrap_or_default();
        let value = entry.get(1);
        let bytes = if let Some(text) = value.as_string() {
            text.into_bytes()
        } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
            bytes.to_vec()
        } else {
            return Err(throw(ApiError::invalid_argument(format!(
                "files['{path}'] must be a string or a Uint8Array; {SHAPE}"
            ))));
        };
        out.insert(path, bytes);
    }
    Ok(out)
}

/// `workflow_not_found` as a JavaScript caller needs it: the workflows the files hold, instead of
/// the engine's advice to call `list_workflows`, a tool this caller is not talking to. `wanted`
/// is the workflow asked for; when the files hold it, the one missing is `meta` (a dispatch
/// package is composed from a meta session).
fn not_found_for_js(error: ApiError, files: &Files, wanted: &str) -> ApiError {
    if error.code != "workflow_not_found" {
        return error;
    }
    let held: std::collections::BTreeSet<&str> = files
        .keys()
        .filter_map(|path| path.split_once('/'))
        .filter(|(_, rest)| {
            rest.strip_prefix("workflow.")
                .is_some_and(|ext| matches!(ext, "toon" | "yaml" | "yml" | "json"))
        })
        .map(|(folder, _)| folder)
        .collect();
    let missing = if held.contains(wanted) {
        workflow_core::catalog::META
    } else {
        wanted
    };
    let list = if held.is_empty() {
        "none (a workflow is a folder with a workflow.yaml, .toon or .json)".to_owned()
    } else {
        held.into_iter().collect::<Vec<_>>().join(", ")
    };
    ApiError {
        message: format!("Workflow not found: {missing}; the files hold the workflows: {list}"),
        ..error
    }
}

/// An `Error` named `WorkflowError` with the fields of `error` as own properties.
fn throw(error: ApiError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("WorkflowError");
    if let Ok(fields) = error.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        js_sys::Object::assign(&js, &fields.into());
    }
    js.into()
}

/// Every diagnostic of the library, with the fields of `workflow-server validate --format json`.
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
) -> Result<JsValue, JsValue> {
    let files = files_from_js(&files)?;
    to_js(&api::validate(&files))
}

/// The summary, activity graph and Mermaid flowchart of one workflow. Throws `workflow_not_found`
/// or `workflow_broken`.
#[wasm_bindgen(unchecked_return_type = "Preview")]
pub fn preview(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    #[wasm_bindgen(js_name = workflowId)] workflow_id: &str,
) -> Result<JsValue, JsValue> {
    let files = files_from_js(&files)?;
    let preview = Preview::of(&files, workflow_id)
        .map_err(|e| throw(not_found_for_js(e, &files, workflow_id)))?;
    to_js(&preview)
}

/// Re-encodes a document between TOON, YAML and JSON. A decode error is thrown with its
/// `code`, `line` and `column`.
#[wasm_bindgen]
pub fn convert(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "Format")] from: &str,
    #[wasm_bindgen(unchecked_param_type = "Format")] to: &str,
) -> Result<String, JsValue> {
    api::convert(text, from, to).map_err(throw)
}

/// Converts every definition file of a library to one format, keeping activity references valid
/// and comments where the format has them; the warnings say what was dropped or left as it was.
#[wasm_bindgen(js_name = convertLibrary, unchecked_return_type = "LibraryConversion")]
pub fn convert_library(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] to: &str,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Report<'a> {
        renamed: &'a std::collections::BTreeMap<String, String>,
        rewritten: &'a std::collections::BTreeSet<String>,
        diagnostics: &'a [workflow_core::diagnostic::Diagnostic],
    }
    let files = files_from_js(&files)?;
    let out = api::convert_library(&files, to).map_err(throw)?;
    let result = to_js(&Report {
        renamed: &out.renamed,
        rewritten: &out.rewritten,
        diagnostics: &out.diagnostics,
    })?;
    let converted = js_sys::Object::new();
    for (path, bytes) in &out.files {
        let value: JsValue = match std::str::from_utf8(bytes) {
            Ok(text) => text.into(),
            Err(_) => Uint8Array::from(bytes.as_slice()).into(),
        };
        Reflect::set(&converted, &path.into(), &value)?;
    }
    Reflect::set(&result, &"files".into(), &converted)?;
    Ok(result)
}

/// Evaluates a condition object on session variables.
#[wasm_bindgen(js_name = evaluateCondition, unchecked_return_type = "Evaluation")]
pub fn evaluate_condition(
    #[wasm_bindgen(unchecked_param_type = "Condition")] condition: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Variables")] variables: JsValue,
) -> Result<JsValue, JsValue> {
    let condition: Value = from_js(condition, "condition")?;
    let variables: Map<String, Value> = from_js(variables, "variables")?;
    to_js(&api::evaluate_condition(condition, &variables).map_err(throw)?)
}

/// `crypto.getRandomValues`, present in Node 20 and in every browser (secure context or not).
fn random_bytes(n: u32) -> Result<Vec<u8>, JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let fill: Function = Reflect::get(&crypto, &"getRandomValues".into())?.dyn_into()?;
    let bytes = Uint8Array::new_with_length(n);
    fill.call1(&crypto, &bytes)?;
    Ok(bytes.to_vec())
}

fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(random) = random_bytes(16) {
        bytes.copy_from_slice(&random);
    }
    api::uuid_v4(bytes)
}

/// A function-valued option, or `None` when absent.
fn callback(options: &JsValue, name: &str) -> Result<Option<Function>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let value = Reflect::get(options, &name.into())?;
    if value.is_undefined() {
        return Ok(None);
    }
    value.dyn_into().map(Some).map_err(|_| {
        throw(ApiError::invalid_argument(format!(
            "options.{name} must be a function"
        )))
    })
}

/// The caller's clock and ids. The clock is read once per call, before the engine runs, so a
/// failing clock is an error of that call rather than a wrong time inside it.
struct Callbacks {
    now: Option<Function>,
    uuid: Option<Function>,
}

impl Callbacks {
    fn from_options(options: &JsValue) -> Result<Self, JsValue> {
        Ok(Self {
            now: callback(options, "now")?,
            uuid: callback(options, "uuid")?,
        })
    }

    /// The environment of one call.
    fn env(&self) -> Result<CallEnv<'_>, JsValue> {
        let now = match &self.now {
            None => js_sys::Date::now(),
            Some(f) => f.call0(&JsValue::UNDEFINED)?.as_f64().ok_or_else(|| {
                throw(ApiError::invalid_argument(
                    "options.now must return a number (Unix milliseconds)",
                ))
            })?,
        };
        Ok(CallEnv {
            now: now.max(0.0) as u64,
            uuid: self.uuid.as_ref(),
        })
    }
}

struct CallEnv<'a> {
    now: u64,
    uuid: Option<&'a Function>,
}

impl Env for CallEnv<'_> {
    fn now_ms(&self) -> u64 {
        self.now
    }

    /// The caller's `uuid()`; a random one when it is absent, throws or returns no string
    /// (the trait cannot fail, and any fresh id serves).
    fn uuid(&self) -> String {
        self.uuid
            .and_then(|f| f.call0(&JsValue::UNDEFINED).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_else(random_uuid)
    }
}

fn engine_options(options: &JsValue) -> Result<EngineOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(EngineOptions::default())
    } else {
        from_js(options.clone(), "options")
    }
}

/// The dispatch package `dispatch_workflow` returns for a workflow: the engine starts a `meta`
/// session and dispatches the workflow from it, on a fresh in-memory store. Throws the
/// engine's errors (`workflow_not_found`, `workflow_broken`, `template_missing`, …).
#[wasm_bindgen(
    js_name = composeDispatchPackage,
    unchecked_return_type = "ToolCall<\"dispatch_workflow\">"
)]
pub fn compose_dispatch_package(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    #[wasm_bindgen(js_name = workflowId)] workflow_id: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Variables")] variables: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DispatchOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let files = files_from_js(&files)?;
    let variables: Option<Map<String, Value>> = from_js(variables, "variables")?;
    let callbacks = Callbacks::from_options(&options)?;
    let key = match (!options.is_undefined() && !options.is_null())
        .then(|| Reflect::get(&options, &"key".into()))
        .transpose()?
        .filter(|k| !k.is_undefined())
    {
        Some(k) => k
            .dyn_into::<Uint8Array>()
            .map_err(|_| {
                throw(ApiError::invalid_argument(
                    "options.key must be a Uint8Array",
                ))
            })?
            .to_vec(),
        None => random_bytes(SECRET_LEN as u32)?,
    };
    let result = api::compose_dispatch_package(
        &files,
        workflow_id,
        variables,
        &key,
        &engine_options(&options)?,
        &callbacks.env()?,
    );
    to_js(&result.map_err(|e| throw(not_found_for_js(e, &files, workflow_id)))?)
}

/// The server's engine in the page: every tool over the given files, an in-memory session
/// store and one signing key.
#[wasm_bindgen(js_name = Engine)]
pub struct JsEngine {
    host: Host,
    callbacks: Callbacks,
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// `key` is the 32-byte signing key: tokens verify on any engine or server holding it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EngineOptions & EngineCallbacks")]
        options: JsValue,
    ) -> Result<JsEngine, JsValue> {
        let files = files_from_js(&files)?;
        let key = key.dyn_into::<Uint8Array>().map_err(|_| {
            throw(ApiError::invalid_argument(format!(
                "key must be a Uint8Array of {SECRET_LEN} bytes (e.g. crypto.getRandomValues(new Uint8Array({SECRET_LEN})))"
            )))
        })?;
        let callbacks = Callbacks::from_options(&options)?;
        let now = callbacks.env()?.now;
        let host =
            Host::new(&files, &key.to_vec(), &engine_options(&options)?, now).map_err(throw)?;
        Ok(JsEngine { host, callbacks })
    }

    /// Runs one tool with its arguments (the JSON object an MCP client sends). Tool errors are
    /// thrown with their `code` (docs/protocol.md#error-catalogue); an unknown tool with
    /// `unknown_tool`.
    #[wasm_bindgen(unchecked_return_type = "CallResult")]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ToolName")] tool: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] args: JsValue,
    ) -> Result<JsValue, JsValue> {
        let args: Value = from_js(args, "args")?;
        let env = self.callbacks.env()?;
        to_js(&self.host.call(&env, tool, args).map_err(throw)?)
    }

    /// The tools as `tools/list` gives them.
    #[wasm_bindgen(unchecked_return_type = "ToolInfo[]")]
    pub fn tools(&self) -> Result<JsValue, JsValue> {
        to_js(&self.host.tools())
    }

    /// Replaces the files, as the server reloads them: running sessions continue, a workflow
    /// that broke keeps serving its last good definition. Returns the new diagnostics.
    #[wasm_bindgen(js_name = setFiles, unchecked_return_type = "Diagnostic[]")]
    pub fn set_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    ) -> Result<JsValue, JsValue> {
        let files = files_from_js(&files)?;
        let now = self.callbacks.env()?.now;
        to_js(&self.host.reload(&files, now))
    }
}
