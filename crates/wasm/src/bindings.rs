//! The JavaScript surface. Each export converts its arguments from JavaScript values, calls
//! [`crate::api`] and converts the result back; failures become `Error`s carrying the
//! [`ApiError`] fields (`code`, `line`, …). No workflow logic lives here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiError, Files};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../generated/types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const INPUTS: &str = r#"
/** A workflow library: each path relative to the workflows root (`meta/workflow.yaml`) mapped to the file's text. */
export type Files = Record<string, string>;
/** Session variables: names mapped to JSON values. */
export type Variables = Record<string, unknown>;
/** The formats `convert` reads and writes (`yml` is read as YAML). */
export type Format = "toon" | "yaml" | "yml" | "json";
/** What every function throws: an `Error` with the fields of `ApiError`. */
export type WorkflowError = Error & ApiError;
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
    let files: Files = from_js(files, "files")?;
    to_js(&api::validate(&files))
}

/// The summary, activity graph and Mermaid flowchart of one workflow. Throws `workflow_not_found`
/// or `workflow_broken`.
#[wasm_bindgen(unchecked_return_type = "Preview")]
pub fn preview(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    #[wasm_bindgen(js_name = workflowId)] workflow_id: &str,
) -> Result<JsValue, JsValue> {
    let files: Files = from_js(files, "files")?;
    to_js(&api::preview(&files, workflow_id).map_err(throw)?)
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
