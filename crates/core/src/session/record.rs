//! The session record (docs/protocol.md#record-fields): the truth about a session. Tokens are only
//! handles; every gate, warning and status reads this.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One session's state. Times are Unix milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub sid: String,
    pub workflow_id: String,
    /// The definition's version when the session was created.
    pub workflow_version: String,
    pub parent_sid: Option<String>,
    /// 0 for a root session, parent depth + 1 for a child.
    pub depth: u32,
    /// Dispatched children, in dispatch order.
    pub children: Vec<String>,
    /// Agent ids seen, in first-seen order.
    pub agents: Vec<String>,
    /// +1 per successful state-changing call; tokens carry it as `seq`.
    pub revision: u64,
    /// Store-internal write counter: +1 on every write, trace appends included. The store's
    /// compare-and-swap uses it, so concurrent bookkeeping never overwrites a state change.
    pub version: u64,
    pub created_at: u64,
    pub updated_at: u64,
    pub completed_at: Option<u64>,
    pub outcome: Option<String>,
    pub current: Option<CurrentVisit>,
    pub completed_activities: Vec<CompletedVisit>,
    pub active_checkpoint: Option<ActiveCheckpoint>,
    pub answers: Vec<Answer>,
    pub variables: Map<String, Value>,
    pub directed_transition: Option<DirectedTransition>,
    pub skipped_activities: Vec<SkippedActivity>,
    pub trace: TraceState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Active,
    Blocked,
    Completed,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Blocked => "blocked",
            SessionStatus::Completed => "completed",
        }
    }
}

impl SessionRecord {
    /// Ends the current visit, if any, and appends it to `completed_activities`: `next` is the
    /// activity entered next, `None` when `complete_workflow` closes the session.
    pub fn close_visit(
        &mut self,
        now: u64,
        step_manifest: Option<Vec<StepReport>>,
        transition_condition: String,
        next: Option<String>,
    ) {
        if let Some(visit) = self.current.take() {
            self.completed_activities.push(CompletedVisit {
                activity_id: visit.activity_id,
                entered_at: visit.entered_at,
                left_at: now,
                step_manifest,
                transition_condition,
                next,
            });
        }
    }

    /// A root session at revision 0 with nothing recorded yet; callers fill in variables,
    /// agents and, for a child, its parent and depth.
    pub fn new(sid: String, workflow_id: String, workflow_version: String, now_ms: u64) -> Self {
        Self {
            sid,
            workflow_id,
            workflow_version,
            parent_sid: None,
            depth: 0,
            children: Vec::new(),
            agents: Vec::new(),
            revision: 0,
            version: 0,
            created_at: now_ms,
            updated_at: now_ms,
            completed_at: None,
            outcome: None,
            current: None,
            completed_activities: Vec::new(),
            active_checkpoint: None,
            answers: Vec::new(),
            variables: Map::new(),
            directed_transition: None,
            skipped_activities: Vec::new(),
            trace: TraceState::default(),
        }
    }

    /// Exactly one meaning per value (docs/protocol.md#record-fields).
    pub fn status(&self) -> SessionStatus {
        if self.completed_at.is_some() {
            SessionStatus::Completed
        } else if self.active_checkpoint.is_some() {
            SessionStatus::Blocked
        } else {
            SessionStatus::Active
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentVisit {
    pub activity_id: String,
    pub entered_at: u64,
    pub entered_revision: u64,
    /// The transition condition claimed on entry, `""` when none.
    pub condition: String,
}

/// One step an agent reported as done, in a `step_manifest` argument and in the visit it closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepReport {
    pub step_id: String,
    /// What it produced.
    pub output: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletedVisit {
    pub activity_id: String,
    pub entered_at: u64,
    pub left_at: u64,
    pub step_manifest: Option<Vec<StepReport>>,
    pub transition_condition: String,
    /// The activity entered next; `None` when `complete_workflow` closed the visit.
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActiveCheckpoint {
    pub checkpoint_id: String,
    pub activity_id: String,
    pub yielded_at: u64,
    pub yield_revision: u64,
    pub yielded_by: String,
    /// What the worker attached for the person who answers (`yield_checkpoint`'s `context`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerMode {
    Option,
    AutoAdvance,
    ConditionNotMet,
}

impl AnswerMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerMode::Option => "option",
            AnswerMode::AutoAdvance => "auto_advance",
            AnswerMode::ConditionNotMet => "condition_not_met",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub checkpoint_id: String,
    pub activity_id: String,
    /// The revision of the yield this answers.
    pub yield_revision: u64,
    pub mode: AnswerMode,
    pub option_id: Option<String>,
    pub effect: Option<Value>,
    /// The variables the answer set: the effect's `setVariable` and the defaults of any mode it
    /// switched on (docs/formats.md#modes-and-artifact-locations). Absent in records written
    /// before it was kept.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub changed_variables: Map<String, Value>,
    pub answered_at: u64,
    /// The revision of the answering call.
    pub revision: u64,
    pub resumed_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectedTransition {
    pub to: String,
    pub checkpoint_id: String,
    pub option_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkippedActivity {
    pub activity_id: String,
    pub checkpoint_id: String,
    pub option_id: String,
}

/// Bookkeeping of the trace stored beside the record (docs/protocol.md#trace). The events
/// themselves live in the store under (sid, index), so a commit writes only the new ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceState {
    /// Absolute index the next event gets.
    pub next_index: u64,
    /// Events with a smaller index were removed by the retention cap.
    pub first_kept: u64,
    /// Index of the first event of the open segment.
    pub segment_start: u64,
    /// Closed segments, oldest first.
    pub segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub act: String,
    pub from: u64,
    /// Exclusive.
    pub to: u64,
    pub closed_by: Option<String>,
}

/// One traced call (docs/protocol.md#trace-events). Never holds tokens, manifests, outputs or
/// values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Absolute index in the session's trace.
    pub index: u64,
    #[serde(rename = "traceId")]
    pub trace_id: String,
    #[serde(rename = "spanId")]
    pub span_id: String,
    pub name: String,
    pub ts: u64,
    pub ms: u64,
    pub s: EventStatus,
    pub wf: String,
    pub act: String,
    pub aid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vw: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub related: Option<RelatedSession>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Ok,
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedSession {
    pub sid: String,
    pub wf: String,
}
