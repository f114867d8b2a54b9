//! The checkpoint tools (protocol.md §7.11–§7.14). The gate lives in the record: a yield sets
//! `active_checkpoint`, one answer clears it, and a handle is honoured only for the yield it
//! was issued for.

use serde_json::{Map, Value};

use crate::catalog::{ActivityDef, Served};
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{
    CheckpointHandleParams, RespondCheckpointParams, SessionTokenParams, YieldCheckpointParams,
};
use crate::engine::render::{json, rfc3339, to_value, toon};
use crate::engine::results::{PresentResult, RespondResult, ResumeResult, YieldResult};
use crate::engine::warnings::transitions::holds;
use crate::engine::warnings::{self, Warning};
use crate::model::{Checkpoint, Condition};
use crate::session::record::{
    ActiveCheckpoint, Answer, AnswerMode, DirectedTransition, SkippedActivity,
};

use super::{gated, with_session};

fn ids_of(activity: Option<&ActivityDef>) -> String {
    activity
        .map(|a| {
            a.activity
                .checkpoints
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The checkpoint as authored in the activity file.
fn authored(activity: &ActivityDef, id: &str) -> Map<String, Value> {
    activity
        .raw
        .get("checkpoints")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .filter_map(Value::as_object)
                .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
        })
        .cloned()
        .unwrap_or_default()
}

/// The authored effect of an option, key order kept.
fn authored_effect(activity: &ActivityDef, checkpoint: &str, option: &str) -> Option<Value> {
    authored(activity, checkpoint)
        .get("options")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(Value::as_object)
        .find(|o| o.get("id").and_then(Value::as_str) == Some(option))?
        .get("effect")
        .cloned()
}

pub(crate) fn yield_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = YieldCheckpointParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| {
            let id = p.checkpoint_id.as_str();
            gated(at, Gate::Yield { checkpoint: id })?;
            let served = gates::definition(&cx.catalog, &at.rec)?;
            let def = &served.definition;
            let Some(current) = at.rec.current.clone() else {
                return Err(CallError::tool(
                    ErrorCode::NoCurrentActivity,
                    format!(
                        "No current activity in session '{}'. Call next_activity first.",
                        at.rec.sid
                    ),
                ));
            };
            let activity = def.activity(&current.activity_id);
            let Some(checkpoint) = activity.and_then(|a| a.activity.checkpoint(id)) else {
                return Err(CallError::tool(
                    ErrorCode::CheckpointNotFound,
                    format!(
                        "Checkpoint not found: {id} in activity {}. Checkpoints of this \
                         activity: [{}].",
                        current.activity_id,
                        ids_of(activity)
                    ),
                ));
            };
            if let Some(c) = &checkpoint.condition
                && c.is_decidable(&at.rec.variables)
                && !c.evaluate(&at.rec.variables)
            {
                at.warn(Some(Warning::new(
                    "checkpoint_condition_false",
                    format!(
                        "Checkpoint '{id}' has condition '{}', which is false for the session \
                         variables; it would normally be skipped.",
                        c.render()
                    ),
                )));
            }
            let answered_this_visit = at.rec.answers.iter().any(|a| {
                a.checkpoint_id == id
                    && a.activity_id == current.activity_id
                    && a.revision > current.entered_revision
            });
            if answered_this_visit {
                at.warn(Some(Warning::new(
                    "checkpoint_reyield",
                    format!(
                        "Checkpoint '{id}' was already answered during this visit of activity \
                         '{}'.",
                        current.activity_id
                    ),
                )));
            }
            at.warn(warnings::version_drift(&at.rec, served));
            at.warn(warnings::serving_last_good(&cx.catalog, &def.workflow.id));
            at.change(cx.now);
            at.rec.active_checkpoint = Some(ActiveCheckpoint {
                checkpoint_id: id.to_owned(),
                activity_id: current.activity_id,
                yielded_at: cx.now,
                yield_revision: at.rec.revision,
                yielded_by: at.aid.clone(),
            });
            let handle = at.token(cx);
            let result = YieldResult {
                status: "yielded".to_owned(),
                checkpoint_id: id.to_owned(),
                checkpoint_handle: handle.clone(),
                message: format!(
                    "Checkpoint '{id}' successfully yielded. Yield this checkpoint_handle to the \
                     orchestrator using a <checkpoint_yield> block, then STOP execution and wait \
                     to be resumed."
                ),
            };
            let structured = to_value(&result);
            let text = json(&structured);
            Ok(Reply::new(structured, text).with_meta("session_token", handle))
        },
    )
}

pub(crate) fn resume_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = SessionTokenParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| {
            gated(at, Gate::Resume)?;
            let bcp = at.presented.as_ref().and_then(|t| t.bcp.clone());
            let index = match &bcp {
                Some(cp) => at.rec.answers.iter().rposition(|a| a.checkpoint_id == *cp),
                None => at.rec.answers.len().checked_sub(1),
            };
            if at.rec.answers.is_empty() {
                at.warn(Some(Warning::new(
                    "nothing_to_resume",
                    "No checkpoint has been answered in this session; nothing to resume.",
                )));
            }
            let wf = at.rec.workflow_id.clone();
            at.warn(warnings::serving_last_good(&cx.catalog, &wf));
            if let Some(i) = index
                && at
                    .rec
                    .answers
                    .get(i)
                    .is_some_and(|a| a.resumed_at.is_none())
            {
                at.change(cx.now);
                if let Some(answer) = at.rec.answers.get_mut(i) {
                    answer.resumed_at = Some(cx.now);
                }
            }
            let answer = index.and_then(|i| at.rec.answers.get(i));
            let result = ResumeResult {
                status: "resumed".to_owned(),
                checkpoint_id: answer.map(|a| a.checkpoint_id.clone()),
                activity_id: answer.map(|a| a.activity_id.clone()),
                mode: answer.map(|a| a.mode.as_str().to_owned()),
                resolved_option: answer.and_then(|a| a.option_id.clone()),
                effect: answer.and_then(|a| a.effect.clone()),
                variables: at.rec.variables.clone(),
                message: "Checkpoint cleared. You may proceed to the next step. Apply the effect \
                          and variables returned here."
                    .to_owned(),
            };
            let token = at.token(cx);
            let structured = to_value(&result);
            let text = json(&structured);
            Ok(Reply::new(structured, text).with_meta("session_token", token))
        },
    )
}

/// The checks present and respond share after the handle verified (§5.1, §5.3, §6): the active
/// checkpoint, its activity and its definition.
fn active<'c>(
    cx: &'c Cx<'_>,
    at: &Attempt,
    not_found: impl Fn(&str, &str, Option<&ActivityDef>) -> String,
) -> Result<
    (
        ActiveCheckpoint,
        &'c Served,
        &'c ActivityDef,
        &'c Checkpoint,
    ),
    CallError,
> {
    gates::completion(&at.rec)?;
    let handle = at.presented.as_ref().ok_or_else(|| {
        CallError::tool(
            ErrorCode::CheckpointNotActive,
            "The provided checkpoint_handle does not have an active checkpoint.",
        )
    })?;
    let active = gates::handle(&at.rec, handle)?.clone();
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    let activity = def.activity(&active.activity_id);
    match activity.and_then(|a| Some((a, a.activity.checkpoint(&active.checkpoint_id)?))) {
        Some((a, c)) => Ok((active, served, a, c)),
        None => Err(CallError::tool(
            ErrorCode::CheckpointNotFound,
            not_found(&active.checkpoint_id, &active.activity_id, activity),
        )),
    }
}

/// The condition of a checkpoint on the session variables; `None` without a condition or when
/// a referenced variable is absent.
fn condition_holds(condition: Option<&Condition>, variables: &Map<String, Value>) -> Option<bool> {
    let c = condition?;
    c.is_decidable(variables).then(|| c.evaluate(variables))
}

pub(crate) fn present_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = CheckpointHandleParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.checkpoint_handle,
        "checkpoint_handle",
        &parsed.warnings,
        true,
        |cx, at| {
            let (active, served, activity, checkpoint) = active(cx, at, |cp, act, a| {
                format!(
                    "Checkpoint not found: {cp} in activity {act}. Checkpoints of this activity: \
                     [{}].",
                    ids_of(a)
                )
            })?;
            at.warn(warnings::version_drift(&at.rec, served));
            at.warn(warnings::serving_last_good(
                &cx.catalog,
                &at.rec.workflow_id.clone(),
            ));
            let result = PresentResult {
                checkpoint: authored(activity, &checkpoint.id),
                activity_id: active.activity_id.clone(),
                yielded_at: rfc3339(active.yielded_at),
                condition_holds: condition_holds(checkpoint.condition.as_ref(), &at.rec.variables),
                checkpoint_handle: p.checkpoint_handle.clone(),
            };
            let structured = to_value(&result);
            let text = toon(&structured);
            Ok(Reply::new(structured, text))
        },
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

/// Step 1 of §7.14: exactly one mode, and a given boolean must be `true`.
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

pub(crate) fn respond_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = RespondCheckpointParams::parse(args)?;
    let p = &parsed.params;
    let mode = mode(p)?;
    with_session(
        cx,
        &p.checkpoint_handle,
        "checkpoint_handle",
        &parsed.warnings,
        true,
        |cx, at| respond(cx, at, &mode),
    )
}

fn respond(cx: &Cx<'_>, at: &mut Attempt, mode: &Mode) -> Result<Reply, CallError> {
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
    let option = match mode {
        Mode::Option(o) => {
            let min = cx.config().min_response_ms;
            if elapsed < min {
                return Err(CallError::tool(
                    ErrorCode::ResponseTooFast,
                    format!(
                        "Checkpoint response too fast ({}s < {}s minimum). Present the \
                         checkpoint to the user before responding.",
                        elapsed / 1000,
                        seconds(min)
                    ),
                ));
            }
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
                at.warn(Some(Warning::new(
                    "dismiss_condition_holds",
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
    if let Some(e) = option.and_then(|o| o.effect.as_ref()) {
        let o = option.map(|o| o.id.clone()).unwrap_or_default();
        if let Some(values) = &e.set_variable {
            at.rec
                .variables
                .extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(to) = &e.transition_to {
            at.rec.directed_transition = Some(DirectedTransition {
                to: to.clone(),
                checkpoint_id: cp.to_owned(),
                option_id: o.clone(),
            });
        }
        for skipped in &e.skip_activities {
            at.rec.skipped_activities.push(SkippedActivity {
                activity_id: skipped.clone(),
                checkpoint_id: cp.to_owned(),
                option_id: o.clone(),
            });
        }
    }
    at.rec.active_checkpoint = None;
    at.rec.answers.push(Answer {
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
        answered_at: cx.now,
        revision: at.rec.revision,
        resumed_at: None,
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
        variables: at.rec.variables.clone(),
    };
    let structured = to_value(&result);
    let text = json(&structured);
    Ok(Reply::new(structured, text).with_meta("session_token", token))
}
