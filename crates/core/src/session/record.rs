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
    /// Dispatched children, in dispatch order; at most [`MAX_CHILDREN`].
    pub children: Vec<String>,
    /// Agent ids seen, in first-seen order; at most [`MAX_AGENTS`].
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
    /// Ids of the activities with a closed visit, each once, in the order first closed. The
    /// visits themselves are history entries.
    pub completed_activities: Vec<String>,
    pub active_checkpoint: Option<ActiveCheckpoint>,
    /// The latest answer; the answers before it are history entries.
    pub last_answer: Option<Answer>,
    /// Checkpoint ids answered since the current visit was entered, each once.
    pub visit_answers: Vec<String>,
    pub variables: Map<String, Value>,
    pub directed_transition: Option<DirectedTransition>,
    /// Each distinct skip an answered option asked for, once.
    pub skipped_activities: Vec<SkippedActivity>,
    pub trace: TraceState,
    pub history: HistoryState,
    /// History entries this call appended, not yet stored: the commit hands them to the store.
    #[serde(skip)]
    pub new_history: Vec<HistoryEntry>,
}

/// The most agent ids one session records (docs/protocol.md#server-limits).
pub const MAX_AGENTS: usize = 64;
/// The most sessions one session dispatches (docs/protocol.md#server-limits).
pub const MAX_CHILDREN: usize = 1_000;

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
    /// Ends the current visit, if any, and appends it to the history: `next` is the activity
    /// entered next, `None` when `complete_workflow` closes the session.
    pub fn close_visit(
        &mut self,
        now: u64,
        step_manifest: Option<Vec<StepReport>>,
        transition_condition: String,
        next: Option<String>,
    ) {
        if let Some(visit) = self.current.take() {
            if !self.completed_activities.contains(&visit.activity_id) {
                self.completed_activities.push(visit.activity_id.clone());
            }
            self.visit_answers.clear();
            self.append_history(HistoryItem::Visit(CompletedVisit {
                activity_id: visit.activity_id,
                entered_at: visit.entered_at,
                left_at: now,
                step_manifest,
                transition_condition,
                next,
            }));
        }
    }

    /// Makes `answer` the latest answer; the one it replaces goes to the history.
    pub fn record_answer(&mut self, answer: Answer) {
        if !self.visit_answers.contains(&answer.checkpoint_id) {
            self.visit_answers.push(answer.checkpoint_id.clone());
        }
        if let Some(previous) = self.last_answer.replace(answer) {
            self.append_history(HistoryItem::Answer(previous));
        }
    }

    fn append_history(&mut self, item: HistoryItem) {
        let index = self.history.next_index;
        self.history.next_index += 1;
        self.new_history.push(HistoryEntry { index, item });
    }

    /// Applies the history cap: entries more than `cap` behind the newest may be removed.
    pub fn cap_history(&mut self, cap: u64) {
        let cap = cap.max(1);
        let history = &mut self.history;
        history.first_kept = history
            .first_kept
            .max(history.next_index.saturating_sub(cap));
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
            last_answer: None,
            visit_answers: Vec::new(),
            variables: Map::new(),
            directed_transition: None,
            skipped_activities: Vec::new(),
            trace: TraceState::default(),
            history: HistoryState::default(),
            new_history: Vec::new(),
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

/// Where the session's history stands (docs/protocol.md#session-history). The entries live in
/// the store under (sid, index), so the record stays the same size however long the session runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryState {
    /// Absolute index the next entry gets.
    pub next_index: u64,
    /// Entries with a smaller index were removed by the history cap.
    pub first_kept: u64,
}

/// One entry of a session's history, at its absolute index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub index: u64,
    #[serde(flatten)]
    pub item: HistoryItem,
}

/// What a history entry holds: a closed activity visit, or an answer a later answer replaced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryItem {
    Visit(CompletedVisit),
    Answer(Answer),
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
/// themselves live in the store under (sid, index), so a commit writes only the new ones;
/// closed segments are read back from the events that closed them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceState {
    /// Absolute index the next event gets.
    pub next_index: u64,
    /// Events with a smaller index were removed by the retention cap.
    pub first_kept: u64,
    /// Index of the first event of the open segment.
    pub segment_start: u64,
}

/// A run of events of one activity visit (docs/protocol.md#trace-segments).
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

impl TraceEvent {
    /// Whether this event ended its segment: a successful `next_activity` or
    /// `complete_workflow` of the session itself (a child's completion booked on its parent
    /// names the child in `ref` and ends nothing).
    pub fn closes_segment(&self) -> bool {
        self.s == EventStatus::Ok
            && self.related.is_none()
            && matches!(self.name.as_str(), "next_activity" | "complete_workflow")
    }
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
