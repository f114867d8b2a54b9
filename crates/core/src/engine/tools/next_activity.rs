//! `next_activity` (docs/protocol.md#next_activity): moves the session, never refusing a move for
//! being unusual — every doubt is a warning — and closes the trace segment of the visit it ends.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::ToolOutput;
use crate::ids::TERMINAL;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::session::record::StepReport;
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::variables;
use crate::engine::render::{to_value, toon};
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::engine::warnings::manifests::{self, ActivityManifestEntry, Leaving};
use crate::engine::warnings::transitions;
use crate::session::record::CurrentVisit;

use super::complete_workflow::{Finish, finish};
use super::{Tool, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "next_activity",
    description: |_| {
        "Orchestrators: move the session to an activity (the server checks the move), then call get_activity."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<NextActivityParams>,
    output_schema: output::<NextActivityResult>,
    run: next_activity,
};

#[derive(JsonSchema)]
pub(crate) struct NextActivityParams {
    pub session_token: String,
    pub activity_id: String,
    pub transition_condition: Option<String>,
    /// Steps done in the activity being left.
    pub step_manifest: Option<Vec<StepReport>>,
    /// Activities done, for the trace.
    pub activity_manifest: Option<Vec<ActivityManifestEntry>>,
    /// Variables set in the activity being left.
    pub variables: Option<Map<String, Value>>,
    /// Return `_meta.trace_token` too.
    pub include_trace_token: Option<bool>,
}

impl SessionParams for NextActivityParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let activity_id = a.id("activity_id", IdKind::Target, true);
        let transition_condition = a.string("transition_condition", false);
        let step_manifest = a.step_manifest("step_manifest");
        let activity_manifest = a.activity_manifest("activity_manifest");
        let variables = a.variables("variables");
        let include_trace_token = a.boolean("include_trace_token");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                activity_id: activity_id.unwrap_or_default(),
                transition_condition,
                step_manifest,
                activity_manifest,
                variables,
                include_trace_token,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct NextActivityResult {
    pub activity_id: String,
    pub name: String,
    pub session_token: String,
}

fn next_activity(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<NextActivityParams>(cx, args, advance)
}

fn advance(cx: &Cx<'_>, at: &mut Attempt, p: &NextActivityParams) -> Result<Reply, CallError> {
    // The event names the requested target, refused or not.
    at.note.to = Some(p.activity_id.clone());
    gates::completion(&at.rec)?;
    gates::checkpoint(
        &at.rec,
        Gate::NextActivity {
            target: &p.activity_id,
        },
    )?;
    if p.activity_id == TERMINAL {
        return terminate(cx, at, p);
    }
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    let Some(target) = def.activity(&p.activity_id) else {
        if let Some(d) = def.unavailable.get(&p.activity_id) {
            return Err(CallError::tool(
                ErrorCode::ActivityUnavailable,
                format!(
                    "Activity '{}' of workflow '{}' cannot be entered: its file has an error: {}: {}. \
                     Fix the file; the server reloads it automatically.",
                    p.activity_id,
                    def.workflow.id,
                    d.location(),
                    d.message
                ),
            ));
        }
        let ids: Vec<&str> = def
            .activities
            .iter()
            .map(|a| a.activity.id.as_str())
            .collect();
        return Err(CallError::tool(
            ErrorCode::ActivityNotFound,
            format!(
                "Activity not found: {}. Activities of workflow '{}': [{}].",
                p.activity_id,
                def.workflow.id,
                ids.join(", ")
            ),
        ));
    };
    let target_id = target.activity.id.as_str();

    if let Some(values) = &p.variables {
        at.warn_all(warnings::supplied_variables(&def.workflow, values));
        variables::assign(&def.workflow, &mut at.rec.variables, values);
    }
    let leaving = at.rec.current.as_ref().map(|c| c.activity_id.clone());
    let current_def = leaving.as_deref().and_then(|a| def.activity(a));
    at.warn(transitions::legality(def, leaving.as_deref(), target_id));
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(transitions::directed(&at.rec, target_id));
    at.warn_all(transitions::skipped(&at.rec, &def.workflow, target_id));
    if let Some(current) = current_def {
        at.warn_all(transitions::conditions(
            &at.rec,
            &current.activity,
            target_id,
            p.transition_condition.as_deref(),
        ));
    }
    match &leaving {
        Some(a) => {
            at.warn_all(manifests::steps(
                def,
                &at.rec,
                a,
                p.step_manifest.as_deref(),
                Leaving::Previous,
            ));
            at.warn_all(manifests::checkpoints(def, &at.rec, a));
        }
        None if p.step_manifest.is_some() => at.warn(Some(Warning::new(WarningCode::StepManifestIgnored,
            "step_manifest was ignored: no activity was current.",
        ))),
        None => {}
    }
    at.warn_all(manifests::activities(
        def,
        &at.rec,
        leaving.as_deref(),
        p.activity_manifest.as_deref(),
    ));
    at.warn(warnings::serving_last_good(&cx.catalog, &def.workflow.id));

    at.change(cx.now);
    // Without a claim, the visit records the condition of the way the move took.
    let condition = match (&p.transition_condition, current_def) {
        (Some(claim), _) => claim.clone(),
        (None, Some(current)) => transitions::taken_condition(&current.activity, target_id),
        (None, None) => String::new(),
    };
    at.rec.close_visit(
        cx.now,
        p.step_manifest.clone(),
        condition.clone(),
        Some(target_id.to_owned()),
    );
    at.rec.current = Some(CurrentVisit {
        activity_id: target_id.to_owned(),
        entered_at: cx.now,
        entered_revision: at.rec.revision,
        condition,
    });
    at.rec.directed_transition = None;
    at.note.closes_segment = true;
    at.note.wants_trace_token = p.include_trace_token == Some(true);

    let token = at.token(cx);
    let result = NextActivityResult {
        activity_id: target_id.to_owned(),
        name: target.activity.name.clone(),
        session_token: token.clone(),
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text).with_meta("session_token", token))
}

/// A move to `__terminal__`: the workflow ends, so after the move's own warnings the session is
/// completed as `complete_workflow` completes it, the final visit keeping the condition of the
/// terminal transition taken (docs/protocol.md#next_activity).
fn terminate(cx: &Cx<'_>, at: &mut Attempt, p: &NextActivityParams) -> Result<Reply, CallError> {
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    // Applied before the condition checks, as a move applies them (and not again by finish).
    if let Some(values) = &p.variables {
        at.warn_all(warnings::supplied_variables(&def.workflow, values));
        variables::assign(&def.workflow, &mut at.rec.variables, values);
    }
    let leaving = at.rec.current.as_ref().map(|c| c.activity_id.clone());
    let current_def = leaving.as_deref().and_then(|a| def.activity(a));
    if leaving.is_some() {
        at.warn(transitions::legality(def, leaving.as_deref(), TERMINAL));
    }
    if let Some(current) = current_def {
        at.warn_all(transitions::conditions(
            &at.rec,
            &current.activity,
            TERMINAL,
            p.transition_condition.as_deref(),
        ));
    }
    let condition = match (&p.transition_condition, current_def) {
        (Some(claim), _) => claim.clone(),
        (None, Some(current)) => transitions::taken_condition(&current.activity, TERMINAL),
        (None, None) => String::new(),
    };
    finish(
        cx,
        at,
        Finish {
            step_manifest: p.step_manifest.as_deref(),
            variables: None,
            outcome: None,
            condition,
        },
    )?;
    at.note.wants_trace_token = p.include_trace_token == Some(true);
    let token = at.token(cx);
    let result = NextActivityResult {
        activity_id: TERMINAL.to_owned(),
        name: "Workflow completed".to_owned(),
        session_token: token.clone(),
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text).with_meta("session_token", token))
}
