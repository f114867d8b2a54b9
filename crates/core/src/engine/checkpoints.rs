//! The active checkpoint and its authored form, shared by the checkpoint tools: which
//! checkpoint a handle names, what the activity file says of it, and whether its condition holds.

use serde_json::{Map, Value};

use super::attempt::{Attempt, Cx};
use super::errors::{CallError, ErrorCode};
use super::gates;
use crate::catalog::{ActivityDef, Served};
use crate::model::{Checkpoint, Condition};
use crate::session::record::ActiveCheckpoint;

pub(crate) fn ids_of(activity: Option<&ActivityDef>) -> String {
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
pub(crate) fn authored(activity: &ActivityDef, id: &str) -> Map<String, Value> {
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
pub(crate) fn authored_effect(
    activity: &ActivityDef,
    checkpoint: &str,
    option: &str,
) -> Option<Value> {
    authored(activity, checkpoint)
        .get("options")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(Value::as_object)
        .find(|o| o.get("id").and_then(Value::as_str) == Some(option))?
        .get("effect")
        .cloned()
}

/// The checks present and respond share after the handle verified
/// (docs/protocol.md#completion-gate, docs/protocol.md#handle-validity,
/// docs/protocol.md#catalog-states): the active checkpoint, its activity and its definition.
pub(crate) fn active<'c>(
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
    let active = gates::handle(cx.store(), &at.rec, handle)?.clone();
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
pub(crate) fn condition_holds(
    condition: Option<&Condition>,
    variables: &Map<String, Value>,
) -> Option<bool> {
    let c = condition?;
    c.is_decidable(variables).then(|| c.evaluate(variables))
}

/// The variables an answer's effect set (`setVariable`): what respond and resume report, so
/// an agent reads what changed instead of every variable again.
pub(crate) fn changed_variables(effect: Option<&Value>) -> Map<String, Value> {
    effect
        .and_then(|e| e.get("setVariable"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}
