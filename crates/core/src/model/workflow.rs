//! The workflow file (docs/formats.md#workflow-file to
//! docs/formats.md#modes-and-artifact-locations).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::activity::Activity;
use super::patterns;

/// A workflow definition: `<id>/workflow.<ext>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Workflow")]
pub struct Workflow {
    /// Editor hint; ignored by the server.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Equals the workflow's folder name.
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    /// `MAJOR.MINOR.PATCH`; sessions record it to detect drift.
    #[schemars(schema_with = "patterns::version")]
    pub version: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Directives agents follow for the whole workflow, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<Mode>,
    /// Named places where activities write artifacts.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub artifact_locations: IndexMap<String, ArtifactLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<WorkflowSkills>,
    /// The first activity of every session; dispatch falls back to the first activity without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub initial_activity: Option<String>,
    /// Explicit membership and order: activity references or inline activities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<ActivityEntry>>,
    /// Another folder name for the activity files (default `activities`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub activities_dir: Option<String>,
    /// Read in the meta workflow only: the name of the resource `dispatch_workflow` composes
    /// prompts from (default `client-prompt-template`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_template: Option<String>,
}

/// The meta resource `dispatch_workflow` composes prompts from when the meta workflow declares
/// none (docs/formats.md#the-meta-workflow).
pub const DEFAULT_DISPATCH_TEMPLATE: &str = "client-prompt-template";

impl Workflow {
    /// The name of the dispatch template resource, declared or default (meaningful for meta).
    pub fn dispatch_template(&self) -> &str {
        self.dispatch_template
            .as_deref()
            .unwrap_or(DEFAULT_DISPATCH_TEMPLATE)
    }
}

/// An entry of a workflow's `activities` list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ActivityEntry {
    /// `NN-<id>[.<ext>]`, `<wf>/NN-<id>[.<ext>]` or `<wf>/activities/NN-<id>[.<ext>]`.
    Reference(String),
    Inline(Box<Activity>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VariableType {
    String,
    Number,
    Boolean,
    Array,
    Object,
}

impl VariableType {
    pub fn as_str(self) -> &'static str {
        match self {
            VariableType::String => "string",
            VariableType::Number => "number",
            VariableType::Boolean => "boolean",
            VariableType::Array => "array",
            VariableType::Object => "object",
        }
    }

    /// Whether `value` has this JSON type; `null` fits every type ("unset but present").
    pub fn admits(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (_, Value::Null)
                | (VariableType::String, Value::String(_))
                | (VariableType::Number, Value::Number(_))
                | (VariableType::Boolean, Value::Bool(_))
                | (VariableType::Array, Value::Array(_))
                | (VariableType::Object, Value::Object(_))
        )
    }
}

/// The JSON type name of a value, as messages name it.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    #[schemars(schema_with = "patterns::variable")]
    pub name: String,
    #[serde(rename = "type")]
    pub kind: VariableType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Seeds every new session's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::any")]
    pub default_value: Option<Value>,
    /// A value is expected from the start; missing values are warned at start and dispatch.
    #[serde(default)]
    pub required: bool,
}

/// A named variant of the workflow, active while a boolean variable is true.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mode {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub name: String,
    #[schemars(schema_with = "patterns::variable")]
    pub activation_variable: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Phrases that suggest this mode from the user's request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognition: Vec<String>,
    /// Activities not run in this mode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "patterns::ids")]
    pub skip_activities: Vec<String>,
    /// Values the server sets when a call switches the mode on, except those the call sets
    /// itself (docs/formats.md#modes-and-artifact-locations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<serde_json::Map<String, Value>>,
    /// Guidance document for the mode (a resource reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// Where artifacts go: a path string, or a path with details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ArtifactLocation {
    Path(String),
    Detailed(ArtifactLocationDetail),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArtifactLocationDetail {
    /// May contain `{variable}` placeholders that agents fill.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub gitignored: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorkflowSkills {
    /// Skill reference (`ID` or `WF/ID`).
    pub primary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting: Vec<String>,
}
