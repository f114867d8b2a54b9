//! The package's functions as plain Rust over the core, so they are tested natively and the
//! wasm-bindgen layer ([`crate::bindings`]) does nothing but convert values and errors.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use workflow_core::catalog::Library;
use workflow_core::decode::{self, DecodeError, DecodeErrorKind, Format};
use workflow_core::diagnostic::Diagnostic;
use workflow_core::encode;
use workflow_core::model::Condition;
use workflow_core::text::LineIndex;

use crate::preview::Preview;

/// A workflow library as the package takes it: each path relative to the workflows root
/// (`meta/workflow.yaml`) mapped to the file's text.
pub type Files = BTreeMap<String, String>;

/// Why a call failed. The bindings throw it as a JavaScript `Error` whose extra properties are
/// these fields, so callers branch on `code` and editors place decode errors by position.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// Stable: a decode code (`syntax`, `duplicate_key`, `too_deep`), `invalid_argument`,
    /// `invalid_condition`, `workflow_not_found`, `workflow_broken`, or an engine error code
    /// (protocol.md §10) and `unknown_tool`.
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

/// The summary, activity graph and Mermaid flowchart of one workflow of `files`.
pub fn preview(files: &Files, workflow_id: &str) -> Result<Preview, ApiError> {
    Preview::of(&Library::load(files), workflow_id)
}

fn format(name: &str) -> Result<Format, ApiError> {
    Format::parse(name).ok_or_else(|| {
        ApiError::invalid_argument(format!("unknown format '{name}'; use toon, yaml or json"))
    })
}

/// Re-encodes `text` from one format to another with the core's decoders and encoders, so
/// the result decodes to the same value (key order included).
pub fn convert(text: &str, from: &str, to: &str) -> Result<String, ApiError> {
    let (from, to) = (format(from)?, format(to)?);
    let decoded = decode::decode(from, text).map_err(|e| ApiError::decode(text, &e))?;
    Ok(encode::encode(to, &decoded.value))
}

/// The outcome of evaluating a condition on a set of variables (formats.md §7.3).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The two-valued result.
    pub value: bool,
    /// Whether every path the condition reads is present; the server warns only about
    /// decidable conditions.
    pub decidable: bool,
    /// The canonical one-line rendering (formats.md §7.4), as agents echo it.
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
}
