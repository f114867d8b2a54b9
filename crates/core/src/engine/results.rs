//! One result type per tool: serialised, it is the `structuredContent` (field order = key
//! order of protocol.md §7); its JSON Schema is the tool's `outputSchema`. Optional keys are
//! omitted when absent; `| null` keys are always present.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

type Object = Map<String, Value>;

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DiscoverResult {
    pub server: String,
    pub version: String,
    /// The meta workflow's `bootstrap-protocol` text; null when unavailable.
    pub bootstrap: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct WorkflowListing {
    pub id: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub tags: Vec<String>,
    /// `ok`, `degraded` or `broken`.
    pub status: String,
    pub startable: bool,
    pub errors: usize,
    pub warnings: usize,
    /// `<file>:<line>:<col>: <message>` of the first error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListWorkflowsResult {
    pub workflows: Vec<WorkflowListing>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct HealthResult {
    /// `healthy` or `degraded`.
    pub status: String,
    pub server: String,
    pub version: String,
    pub workflows_available: usize,
    pub workflows_broken: usize,
    pub uptime_seconds: u64,
    pub protocol_versions: Vec<String>,
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
pub(crate) struct StartSessionResult {
    pub workflow: WorkflowInfo,
    pub session_token: String,
    pub session_id: String,
    /// `active`, `blocked` or `completed`.
    pub status: String,
    pub current_activity: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub inherited: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub adopted: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub restored: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub recovered: bool,
    /// The first warning, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DispatchResult {
    pub client_session_token: String,
    pub client_session_id: String,
    pub parent_session_id: String,
    pub workflow: WorkflowInfo,
    pub initial_activity: String,
    pub agent_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Object>,
    pub client_prompt: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusWorkflow {
    pub id: String,
    /// The version the session was started with.
    pub version: String,
    pub title: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusCheckpoint {
    pub id: String,
    pub activity: String,
    pub yielded_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusAnswer {
    pub id: String,
    pub activity: String,
    /// null when the checkpoint was dismissed.
    pub option: Option<String>,
    /// `option`, `auto_advance` or `condition_not_met`.
    pub mode: String,
    pub at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildSummary {
    pub session_id: String,
    pub workflow_id: String,
    pub status: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SessionStatusResult {
    pub session_id: String,
    pub status: String,
    pub workflow: StatusWorkflow,
    pub current_activity: Option<String>,
    pub completed_activities: Vec<String>,
    pub active_checkpoint: Option<StatusCheckpoint>,
    pub last_checkpoint: Option<StatusAnswer>,
    pub variables: Object,
    pub active_modes: Vec<String>,
    pub outcome: Option<String>,
    pub parent_session_id: Option<String>,
    pub children: Vec<ChildSummary>,
    pub agents: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// Token mode only: a new token for the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildListing {
    pub session_id: String,
    pub workflow_id: String,
    pub status: String,
    pub current_activity: Option<String>,
    pub updated_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildrenResult {
    pub parent_session_id: String,
    pub children: Vec<ChildListing>,
}

/// get_workflow_status answers one session, or lists a parent's children.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum StatusResult {
    Session(Box<SessionStatusResult>),
    Children(ChildrenResult),
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CompleteResult {
    /// `completed`.
    pub status: String,
    pub session_id: String,
    pub completed_activities: Vec<String>,
    pub variables: Object,
    pub outcome: Option<String>,
    pub parent_session_id: Option<String>,
    pub completed_at: String,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ServedSkill {
    /// Qualified: `<workflow>/<id>`.
    pub skill_id: String,
    /// The skill as authored, resource references qualified.
    pub skill: Object,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetWorkflowResult {
    pub primary_skill: Option<ServedSkill>,
    pub workflow: Object,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct NextActivityResult {
    pub activity_id: String,
    pub name: String,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetActivityResult {
    /// The activity as authored, plus `artifactPrefix` and `workflowId`.
    pub activity: Object,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct YieldResult {
    /// `yielded`.
    pub status: String,
    pub checkpoint_id: String,
    pub checkpoint_handle: String,
    pub message: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ResumeResult {
    /// `resumed`.
    pub status: String,
    pub checkpoint_id: Option<String>,
    pub activity_id: Option<String>,
    pub mode: Option<String>,
    pub resolved_option: Option<String>,
    pub effect: Option<Value>,
    pub variables: Object,
    pub message: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct PresentResult {
    /// The checkpoint as authored.
    #[serde(flatten)]
    pub checkpoint: Object,
    pub activity_id: String,
    pub yielded_at: String,
    /// The checkpoint's condition on the session variables; null without a condition or when a
    /// referenced variable is absent.
    pub condition_holds: Option<bool>,
    pub checkpoint_handle: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RespondResult {
    pub checkpoint_id: String,
    pub resolved: bool,
    /// The token the worker continues with (no active checkpoint).
    pub checkpoint_handle: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_option: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<Value>,
    #[serde(skip_serializing_if = "is_false")]
    pub dismissed: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub auto_advanced: bool,
    pub variables: Object,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct FailedSkill {
    #[serde(rename = "ref")]
    pub reference: String,
    pub reason: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetSkillsResult {
    /// `workflow`.
    pub scope: String,
    pub skills: Vec<ServedSkill>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_skills: Vec<FailedSkill>,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetSkillResult {
    pub skill_id: String,
    pub skill: Object,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetResourceResult {
    /// The argument as given.
    pub resource_index: String,
    pub workflow_id: String,
    /// As written in the file name.
    pub index: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `markdown`, `toon`, `yaml` or `json`.
    pub format: String,
    pub content: String,
    pub session_token: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SegmentView {
    pub act: String,
    pub from: u64,
    pub to: u64,
    pub closed_by: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetTraceResult {
    #[serde(rename = "traceId")]
    pub trace_id: String,
    /// `record` or `tokens`.
    pub source: String,
    pub event_count: usize,
    pub events: Vec<Value>,
    /// Token mode: one message per refused trace token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_errors: Option<Vec<String>>,
    /// Record mode: events removed by the retention cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<u64>,
    /// Record mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<SegmentView>>,
    pub session_token: String,
}
