//! `complete_workflow` (docs/protocol.md#complete_workflow): finishes the session — warnings never
//! prevent it — closes the final trace segment and tells the parent in the same batch.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Attempt, Cx, Extra, Reply};
use crate::engine::errors::CallError;
use crate::engine::gates::{self, Gate};
use crate::session::record::StepReport;
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::variables;
use crate::engine::render::{rfc3339, to_value, toon};
use crate::engine::results::Object;
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::engine::warnings::manifests::{self, Leaving};
use crate::engine::warnings::transitions::holds;
use crate::ids::TERMINAL;
use crate::model::Condition;
use crate::session::SessionStatus;
use crate::session::record::RelatedSession;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "complete_workflow",
    description: |_| {
        "Finish the session's workflow; the parent sees it completed."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<CompleteWorkflowParams>,
    output_schema: output::<CompleteResult>,
    run: complete_workflow,
};

#[derive(JsonSchema)]
pub(crate) struct CompleteWorkflowParams {
    pub session_token: String,
    /// Steps done in the final activity.
    pub step_manifest: Option<Vec<StepReport>>,
    /// Final variable values.
    pub variables: Option<Map<String, Value>>,
    /// A summary for the parent.
    pub outcome: Option<String>,
    /// Return `_meta.trace_token` too.
    pub include_trace_token: Option<bool>,
}

impl SessionParams for CompleteWorkflowParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let step_manifest = a.step_manifest("step_manifest");
        let variables = a.variables("variables");
        let outcome = a.bounded_string("outcome", false, crate::engine::args::MAX_OUTPUT);
        let include_trace_token = a.boolean("include_trace_token");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                step_manifest,
                variables,
                outcome,
                include_trace_token,
            },
        )
    }
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

fn complete_workflow(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<CompleteWorkflowParams>(cx, args, complete)
}

fn complete(cx: &Cx<'_>, at: &mut Attempt, p: &CompleteWorkflowParams) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    finish(
        cx,
        at,
        Finish {
            step_manifest: p.step_manifest.as_deref(),
            variables: p.variables.as_ref(),
            outcome: p.outcome.clone(),
            condition: String::new(),
        },
    )?;
    at.note.wants_trace_token = p.include_trace_token == Some(true);
    let token = at.token(cx);
    let result = CompleteResult {
        status: "completed".to_owned(),
        session_id: at.rec.sid.clone(),
        completed_activities: at.rec.completed_activities.clone(),
        variables: at.rec.variables.clone(),
        outcome: at.rec.outcome.clone(),
        parent_session_id: at.rec.parent_sid.clone(),
        completed_at: rfc3339(cx.now),
        session_token: token.clone(),
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text).with_meta("session_token", token))
}

/// What ends a session besides the call's gates: `complete_workflow`'s arguments, or those of a
/// `next_activity` move to `__terminal__`.
pub(super) struct Finish<'p> {
    pub step_manifest: Option<&'p [StepReport]>,
    pub variables: Option<&'p Map<String, Value>>,
    pub outcome: Option<String>,
    /// The condition recorded on the final visit: the terminal transition's, or none.
    pub condition: String,
}

/// Completes the session (docs/protocol.md#complete_workflow) after the caller's gates: its
/// warnings, the final visit closed, and the parent told in the same batch.
pub(super) fn finish(cx: &Cx<'_>, at: &mut Attempt, p: Finish<'_>) -> Result<(), CallError> {
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    if let Some(values) = p.variables {
        at.warn_all(warnings::supplied_variables(&def.workflow, values));
        variables::assign(&def.workflow, &mut at.rec.variables, values);
    }
    let current = at.rec.current.as_ref().map(|c| c.activity_id.clone());
    if current.is_none() && at.rec.completed_activities.is_empty() {
        at.warn(Some(Warning::new(WarningCode::NoActivity,
            format!(
                "Session '{}' is completed without having entered any activity.",
                at.rec.sid
            ),
        )));
    }
    if let Some(activity) = current.as_deref().and_then(|a| def.activity(a)) {
        let a = &activity.activity;
        // A transition to `__terminal__` is a way to finish, not a sign of unfinished work.
        let onward = || a.transitions.iter().filter(|t| t.to != TERMINAL);
        if let Some(open) = onward().find(|t| t.condition.is_none() || t.is_default)
        {
            at.warn(Some(Warning::new(WarningCode::CompleteOpenTransition,
                format!(
                    "Activity '{}' still has an unconditional transition to '{}'; the workflow \
                     may not be finished.",
                    a.id, open.to
                ),
            )));
        }
        let holding = onward().find_map(|t| {
            t.condition
                .as_ref()
                .filter(|c| holds(c, &at.rec.variables))
                .map(|c| (t, c))
        });
        if let Some((t, c)) = holding {
            at.warn(Some(Warning::new(WarningCode::CompleteConditionHolds,
                format!(
                    "Transition from '{}' to '{}' has condition '{}', which holds for the session \
                     variables; the workflow may not be finished.",
                    a.id,
                    t.to,
                    Condition::render(c)
                ),
            )));
        }
    }
    if let Some(d) = &at.rec.directed_transition {
        let w = Warning::new(WarningCode::CompleteDirected,
            format!(
                "Checkpoint '{}' option '{}' directed the workflow to '{}', which was not entered.",
                d.checkpoint_id, d.option_id, d.to
            ),
        );
        at.warn(Some(w));
    }
    if let Some(a) = &current {
        at.warn_all(manifests::steps(
            def,
            &at.rec,
            a,
            p.step_manifest,
            Leaving::Final,
        ));
        at.warn_all(manifests::checkpoints(def, &at.rec, a));
    }
    for sid in at.rec.children.clone() {
        let Some(child) = cx.store().load(&sid)? else {
            continue;
        };
        let status = child.status();
        if status != SessionStatus::Completed {
            at.warn(Some(Warning::new(WarningCode::ChildrenOpen,
                format!(
                    "Child session '{sid}' (workflow '{}') is still {}.",
                    child.workflow_id,
                    status.as_str()
                ),
            )));
        }
    }
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, &def.workflow.id));

    at.change(cx.now);
    at.rec.close_visit(
        cx.now,
        p.step_manifest.map(<[StepReport]>::to_vec),
        p.condition,
        None,
    );
    at.rec.completed_at = Some(cx.now);
    at.rec.outcome = p.outcome;
    at.note.closes_segment = true;
    if let Some(parent_sid) = at.rec.parent_sid.clone()
        && let Some(parent) = cx.store().load(&parent_sid)?
    {
        at.extra.push(Extra {
            expected_version: Some(parent.version),
            record: parent,
            aid: at.aid.clone(),
            related: RelatedSession {
                sid: at.rec.sid.clone(),
                wf: at.rec.workflow_id.clone(),
            },
        });
    }
    Ok(())
}

