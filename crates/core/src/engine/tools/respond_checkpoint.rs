//! `respond_checkpoint` (docs/protocol.md#respond_checkpoint): one answer to the active checkpoint;
//! a handle is honoured only for the yield it was issued for.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::checkpoints::{active, authored_effect};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::params::{Parsed, done};
use crate::engine::results::is_false;
use crate::engine::variables;
use crate::engine::render::{to_value, toon};
use crate::engine::results::Object;
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::engine::warnings::transitions::holds;
use crate::session::record::{Answer, AnswerMode, DirectedTransition, SkippedActivity};

use super::{Tool, input, output, with_session};

pub(super) const TOOL: Tool = Tool {
    name: "respond_checkpoint",
    description: |_| {
        "Orchestrators: answer a checkpoint after asking the user: exactly one of option_id, auto_advance, condition_not_met."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<RespondCheckpointParams>,
    output_schema: output::<RespondResult>,
    run: respond_checkpoint,
};

#[derive(JsonSchema)]
pub(crate) struct RespondCheckpointParams {
    pub checkpoint_handle: String,
    /// The option the user chose.
    pub option_id: Option<String>,
    /// Take the default option.
    pub auto_advance: Option<bool>,
    /// Dismiss a conditional checkpoint.
    pub condition_not_met: Option<bool>,
    /// Also resume: you yielded it yourself.
    pub resume: Option<bool>,
}

impl RespondCheckpointParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let checkpoint_handle = a.token("checkpoint_handle", true);
        let option_id = a.id("option_id", IdKind::Option, false);
        let auto_advance = a.boolean("auto_advance");
        let condition_not_met = a.boolean("condition_not_met");
        let resume = a.boolean("resume");
        done(
            a,
            Self {
                checkpoint_handle: checkpoint_handle.unwrap_or_default(),
                option_id,
                auto_advance,
                condition_not_met,
                resume,
            },
        )
    }
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
    /// The variables the answer set (its effect's `setVariable` and the defaults of a mode it
    /// switched on); the others are unchanged.
    pub changed_variables: Object,
    /// The caller asked to resume too (`resume: true`: the agent that yielded answered itself),
    /// so no resume_checkpoint call is needed.
    #[serde(skip_serializing_if = "is_false")]
    pub resumed: bool,
}

fn respond_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = RespondCheckpointParams::parse(args)?;
    let p = &parsed.params;
    let mode = mode(p)?;
    with_session(
        cx,
        &p.checkpoint_handle,
        "checkpoint_handle",
        &parsed.warnings,
        |cx, at| respond(cx, at, &mode, p.resume == Some(true)),
    )
}

/// Which of the three answers respond_checkpoint was given.
enum Mode {
    Option(String),
    AutoAdvance,
    ConditionNotMet,
}

fn response_mode(message: &str) -> CallError {
    CallError::tool(ErrorCode::ResponseMode, message)
}

/// Step 1 of docs/protocol.md#respond_checkpoint: exactly one mode, and a given boolean must be
/// `true`.
fn mode(p: &RespondCheckpointParams) -> Result<Mode, CallError> {
    let given = usize::from(p.option_id.is_some())
        + usize::from(p.auto_advance.is_some())
        + usize::from(p.condition_not_met.is_some());
    if given != 1 {
        return Err(response_mode(
            "Exactly one of option_id, auto_advance, or condition_not_met must be provided.",
        ));
    }
    match (&p.option_id, p.auto_advance, p.condition_not_met) {
        (Some(o), _, _) => Ok(Mode::Option(o.clone())),
        (_, Some(true), _) => Ok(Mode::AutoAdvance),
        (_, Some(false), _) => Err(response_mode(
            "auto_advance must be true when given; to choose an option, pass option_id.",
        )),
        (_, _, Some(true)) => Ok(Mode::ConditionNotMet),
        _ => Err(response_mode("condition_not_met must be true when given.")),
    }
}

/// Seconds for messages: whole when exact, else with the milliseconds.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

fn respond(
    cx: &Cx<'_>,
    at: &mut Attempt,
    mode: &Mode,
    resume: bool,
) -> Result<Reply, CallError> {
    let (active, served, activity, checkpoint) = active(cx, at, |cp, act, _| {
        format!("Checkpoint definition not found: {cp} in activity {act}.")
    })?;
    let cp = checkpoint.id.as_str();
    let elapsed = cx.now.saturating_sub(active.yielded_at);
    let option_ids = || {
        checkpoint
            .options
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Every answer waits the minimum response time, whatever its mode: a dismissal or an
    // auto-advance made in the same breath as the yield is no more a person's than an option.
    let min = cx.config().min_response_ms;
    if elapsed < min {
        return Err(CallError::tool(
            ErrorCode::ResponseTooFast,
            format!(
                "Checkpoint response too fast ({}s < {}s minimum). Present the checkpoint to \
                 the user before responding.",
                elapsed / 1000,
                seconds(min)
            ),
        ));
    }
    let option = match mode {
        Mode::Option(o) => {
            let Some(option) = checkpoint.options.iter().find(|x| x.id == *o) else {
                return Err(CallError::tool(
                    ErrorCode::InvalidOption,
                    format!(
                        "Invalid option '{o}' for checkpoint '{cp}'. Valid options: [{}]",
                        option_ids()
                    ),
                ));
            };
            Some(option)
        }
        Mode::AutoAdvance => {
            let (Some(default), Some(wait)) =
                (&checkpoint.default_option, checkpoint.auto_advance_ms)
            else {
                return Err(CallError::tool(
                    ErrorCode::AutoAdvanceUnavailable,
                    format!(
                        "Cannot auto-advance checkpoint '{cp}': missing defaultOption or \
                         autoAdvanceMs."
                    ),
                ));
            };
            if checkpoint.blocking {
                return Err(CallError::tool(
                    ErrorCode::AutoAdvanceBlocking,
                    format!(
                        "Cannot auto-advance checkpoint '{cp}': it is blocking; a person must \
                         choose an option with option_id."
                    ),
                ));
            }
            if elapsed < wait {
                return Err(CallError::tool(
                    ErrorCode::AutoAdvanceTooEarly,
                    format!(
                        "Auto-advance timer not elapsed for checkpoint '{cp}' ({}s < {}s). Wait \
                         for the full autoAdvanceMs ({wait}ms) before auto-advancing.",
                        elapsed / 1000,
                        wait.div_ceil(1000)
                    ),
                ));
            }
            let Some(option) = checkpoint.options.iter().find(|x| x.id == *default) else {
                return Err(CallError::tool(
                    ErrorCode::InvalidOption,
                    format!("Default option '{default}' not found in checkpoint '{cp}'."),
                ));
            };
            Some(option)
        }
        Mode::ConditionNotMet => {
            let Some(condition) = &checkpoint.condition else {
                return Err(CallError::tool(
                    ErrorCode::NotConditional,
                    format!(
                        "Cannot dismiss checkpoint '{cp}': it has no condition field. Only \
                         conditional checkpoints can be dismissed with condition_not_met."
                    ),
                ));
            };
            if holds(condition, &at.rec.variables) {
                at.warn(Some(Warning::new(WarningCode::DismissConditionHolds,
                    format!(
                        "Checkpoint '{cp}' was dismissed with condition_not_met, but its \
                         condition '{}' holds for the session variables.",
                        condition.render()
                    ),
                )));
            }
            None
        }
    };
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(
        &cx.catalog,
        &served.definition.workflow.id,
    ));

    at.change(cx.now);
    let effect = option.and_then(|o| {
        o.effect
            .as_ref()
            .map(|_| authored_effect(activity, cp, &o.id))
    });
    let effect = effect.flatten();
    let mut changed = Map::new();
    if let Some(e) = option.and_then(|o| o.effect.as_ref()) {
        let o = option.map(|o| o.id.clone()).unwrap_or_default();
        if let Some(values) = &e.set_variable {
            changed = variables::assign(
                &served.definition.workflow,
                &mut at.rec.variables,
                values,
            );
        }
        if let Some(to) = &e.transition_to {
            at.rec.directed_transition = Some(DirectedTransition {
                to: to.clone(),
                checkpoint_id: cp.to_owned(),
                option_id: o.clone(),
            });
        }
        for skipped in &e.skip_activities {
            let skip = SkippedActivity {
                activity_id: skipped.clone(),
                checkpoint_id: cp.to_owned(),
                option_id: o.clone(),
            };
            if !at.rec.skipped_activities.contains(&skip) {
                at.rec.skipped_activities.push(skip);
            }
        }
    }
    at.rec.active_checkpoint = None;
    at.rec.record_answer(Answer {
        checkpoint_id: cp.to_owned(),
        activity_id: active.activity_id.clone(),
        yield_revision: active.yield_revision,
        mode: match mode {
            Mode::Option(_) => AnswerMode::Option,
            Mode::AutoAdvance => AnswerMode::AutoAdvance,
            Mode::ConditionNotMet => AnswerMode::ConditionNotMet,
        },
        option_id: option.map(|o| o.id.clone()),
        effect: effect.clone(),
        changed_variables: changed.clone(),
        answered_at: cx.now,
        revision: at.rec.revision,
        // The agent that yielded answered its own checkpoint: this call resumes it too.
        resumed_at: resume.then_some(cx.now),
    });
    let token = at.token(cx);
    let result = RespondResult {
        checkpoint_id: cp.to_owned(),
        resolved: true,
        checkpoint_handle: token.clone(),
        resolved_option: option.map(|o| o.id.clone()),
        effect,
        dismissed: matches!(mode, Mode::ConditionNotMet),
        auto_advanced: matches!(mode, Mode::AutoAdvance),
        changed_variables: changed,
        resumed: resume,
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text).with_meta("session_token", token))
}
