//! Result parts more than one tool returns. Each tool's own result type is in its module under
//! `tools/`: serialised, it is the `structuredContent`; its JSON Schema is the `outputSchema`.
//! Optional keys are omitted when absent; `| null` keys are always present.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

pub(crate) type Object = Map<String, Value>;

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// A workflow as start_session and dispatch_workflow describe it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct WorkflowInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ServedSkill {
    /// Qualified: `<workflow>/<id>`.
    pub skill_id: String,
    /// The skill as authored, resource references qualified.
    pub skill: Object,
}
