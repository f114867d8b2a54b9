//! The checks every session tool shares (docs/protocol.md#order-of-checks steps 3–5,
//! docs/protocol.md#gates): record lookup, the completion and checkpoint gates read from the
//! record, handle validity, and the availability of the session's definition.

use crate::catalog::{Catalog, Served};
use crate::session::record::{ActiveCheckpoint, AnswerMode};
use crate::session::{SessionRecord, Store};
use crate::token::TokenPayload;

use super::answers::{self, Look};
use super::errors::{CallError, ErrorCode};
use super::render::rfc3339;

pub(crate) fn unknown_session(sid: &str) -> CallError {
    CallError::tool(
        ErrorCode::UnknownSession,
        format!(
            "Unknown session '{}': this server has no record of it (it may have expired or the \
             session store was reset). Call start_session without a session_token to start a fresh \
             session.",
            super::render::shown(sid)
        ),
    )
}

/// The completion gate: a completed session's tools are closed
/// (docs/protocol.md#completion-gate).
pub(crate) fn completion(record: &SessionRecord) -> Result<(), CallError> {
    match record.completed_at {
        None => Ok(()),
        Some(at) => Err(CallError::tool(
            ErrorCode::SessionCompleted,
            format!(
                "Session completed: session '{}' (workflow '{}') was completed at {}. Its tools \
                 are closed; read it with get_workflow_status or get_trace, or call \
                 start_session without a token to run the workflow again.",
                record.sid,
                record.workflow_id,
                rfc3339(at)
            ),
        )),
    }
}

/// How a gated tool words the checkpoint gate (docs/protocol.md#checkpoint-gate).
pub(crate) enum Gate<'a> {
    /// The tools that say "All tools are gated".
    General,
    NextActivity {
        target: &'a str,
    },
    Yield {
        checkpoint: &'a str,
    },
    Resume,
}

/// The checkpoint gate (docs/protocol.md#checkpoint-gate): decided by the record, whatever token
/// was presented.
pub(crate) fn checkpoint(record: &SessionRecord, gate: Gate<'_>) -> Result<(), CallError> {
    let Some(active) = &record.active_checkpoint else {
        return Ok(());
    };
    let (cp, act) = (&active.checkpoint_id, &active.activity_id);
    let message = match gate {
        Gate::General => format!(
            "Blocked: Active checkpoint '{cp}' on activity '{act}'. All tools are gated until the \
             checkpoint is resolved. The orchestrator must call respond_checkpoint with the \
             checkpoint_handle before any other tool call can proceed."
        ),
        Gate::NextActivity { target } => format!(
            "Cannot transition to '{target}': Active checkpoint '{cp}' on activity '{act}'. The \
             orchestrator must resolve it by calling respond_checkpoint."
        ),
        Gate::Yield { checkpoint } => format!(
            "Cannot yield checkpoint '{checkpoint}': Checkpoint '{cp}' is already active and \
             awaiting orchestrator resolution."
        ),
        Gate::Resume => format!(
            "Cannot resume: Checkpoint '{cp}' is still active and has not been resolved by the \
             orchestrator."
        ),
    };
    Err(CallError::tool(ErrorCode::CheckpointActive, message))
}

/// Handle validity (docs/protocol.md#handle-validity): a handle is a token issued while the
/// checkpoint the record has active was pending, which its `seq` tells: at or after the yield's
/// revision, and before the revision of any answer.
pub(crate) fn handle<'r>(
    store: &dyn Store,
    record: &'r SessionRecord,
    handle: &TokenPayload,
) -> Result<&'r ActiveCheckpoint, CallError> {
    if let Some(active) = &record.active_checkpoint
        && handle.seq >= active.yield_revision
    {
        return Ok(active);
    }
    // The answered instance the handle was issued for, if any: yielded at or before the handle,
    // answered after it. Answers before one given at or before the handle cannot be it.
    let seq = handle.seq;
    let answered = answers::newest(store, record, |a| {
        if a.revision <= seq {
            Look::Stop
        } else if a.yield_revision <= seq {
            Look::Found
        } else {
            Look::Older
        }
    })?;
    match (&record.active_checkpoint, answered) {
        (Some(active), Some(_)) => Err(CallError::tool(
            ErrorCode::HandleOutOfDate,
            format!(
                "This checkpoint_handle does not belong to the active checkpoint '{}' (yielded \
                 at {}). Use the handle returned by the latest yield_checkpoint.",
                active.checkpoint_id,
                rfc3339(active.yielded_at)
            ),
        )),
        (Some(active), None) => Err(CallError::tool(
            ErrorCode::CheckpointNotActive,
            format!(
                "This token was issued before checkpoint '{}' was yielded, so it is not its \
                 checkpoint_handle. Use the handle returned by its yield_checkpoint.",
                active.checkpoint_id
            ),
        )),
        (None, Some(a)) => {
            let how = match (a.mode, &a.option_id) {
                (AnswerMode::Option, Some(o)) => format!("option '{o}'"),
                (AnswerMode::AutoAdvance, Some(o)) => format!("auto-advanced to '{o}'"),
                _ => "dismissed".to_owned(),
            };
            Err(CallError::tool(
                ErrorCode::CheckpointAnswered,
                format!(
                    "Checkpoint '{}' has already been answered ({how} at {}). A checkpoint is \
                     answered once; hand the token returned by respond_checkpoint to the \
                     worker, which continues with resume_checkpoint.",
                    a.checkpoint_id,
                    rfc3339(a.answered_at)
                ),
            ))
        }
        (None, None) => Err(CallError::tool(
            ErrorCode::CheckpointNotActive,
            "The session of this checkpoint_handle has no active checkpoint. The worker must \
             yield a checkpoint first."
                .to_owned(),
        )),
    }
}

/// The definition a new session of `workflow_id` runs on: `workflow_not_found` for an unknown
/// workflow, `workflow_broken` for one that is not startable (start_session, dispatch, and hosts
/// that preview a workflow).
pub fn startable<'c>(catalog: &'c Catalog, workflow_id: &str) -> Result<&'c Served, CallError> {
    if catalog.entry(workflow_id).is_none() {
        return Err(CallError::tool(
            ErrorCode::WorkflowNotFound,
            format!(
                "Workflow not found: {workflow_id}. Call list_workflows to see the available workflows."
            ),
        ));
    }
    catalog
        .served(workflow_id)
        .ok_or_else(|| broken(catalog, workflow_id, true))
}

/// `workflow_broken` for a workflow without a valid definition (docs/protocol.md#catalog-states);
/// `starting` selects the wording of start_session and dispatch_workflow.
pub(crate) fn broken(catalog: &Catalog, workflow_id: &str, starting: bool) -> CallError {
    let detail = match catalog.entry(workflow_id) {
        None => "it is no longer in the workflow library".to_owned(),
        Some(entry) => {
            let mut errors = entry.errors();
            match errors.next() {
                None => "it has no valid definition".to_owned(),
                Some(first) => {
                    let more = errors.count();
                    let mut d = format!("{}: {}", first.location(), first.message);
                    if more > 0 {
                        d.push_str(&format!(" (and {more} more errors)"));
                    }
                    d
                }
            }
        }
    };
    let message = if starting {
        format!(
            "Workflow '{workflow_id}' is broken and cannot be started: {detail}. Fix the files; \
             the server reloads them automatically."
        )
    } else {
        format!(
            "Workflow '{workflow_id}' is broken: {detail}. Fix the files; the server reloads \
             them automatically."
        )
    };
    CallError::tool(ErrorCode::WorkflowBroken, message)
}

/// Step 5: the definition the session's tools serve.
pub(crate) fn definition<'c>(
    catalog: &'c Catalog,
    record: &SessionRecord,
) -> Result<&'c Served, CallError> {
    catalog
        .served(&record.workflow_id)
        .ok_or_else(|| broken(catalog, &record.workflow_id, false))
}
