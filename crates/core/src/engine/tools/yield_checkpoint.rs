//! `yield_checkpoint` (docs/protocol.md#yield_checkpoint): sets the session's active checkpoint,
//! which gates the session until one answer clears it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind, MAX_CHECKPOINT_CONTEXT};
use crate::engine::attempt::{Cx, Reply};
use crate::engine::checkpoints::ids_of;
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::render::{to_value, toon};
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::session::record::ActiveCheckpoint;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "yield_checkpoint",
    description: |_| {
        "Workers: yield a checkpoint a step requires; pass the handle to your orchestrator."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<YieldCheckpointParams>,
    output_schema: output::<YieldResult>,
    run: yield_checkpoint,
};

#[derive(JsonSchema)]
pub(crate) struct YieldCheckpointParams {
    pub session_token: String,
    pub checkpoint_id: String,
    /// What the person answering should see (at most 4 KiB).
    pub context: Option<String>,
}

impl SessionParams for YieldCheckpointParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let checkpoint_id = a.id("checkpoint_id", IdKind::Checkpoint, true);
        let context = a.bounded_string("context", false, MAX_CHECKPOINT_CONTEXT);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                checkpoint_id: checkpoint_id.unwrap_or_default(),
                context,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct YieldResult {
    /// `yielded`.
    pub status: String,
    pub checkpoint_id: String,
    pub checkpoint_handle: String,
    pub message: String,
}

fn yield_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<YieldCheckpointParams>(
        cx,
        args,
        |cx, at, p| {
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
                at.warn(Some(Warning::new(WarningCode::CheckpointConditionFalse,
                    format!(
                        "Checkpoint '{id}' has condition '{}', which is false for the session \
                         variables; it would normally be skipped.",
                        c.render()
                    ),
                )));
            }
            if at.rec.visit_answers.iter().any(|a| a == id) {
                at.warn(Some(Warning::new(WarningCode::CheckpointReyield,
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
                context: p.context.clone(),
            });
            let handle = at.token(cx);
            let result = YieldResult {
                status: "yielded".to_owned(),
                checkpoint_id: id.to_owned(),
                checkpoint_handle: handle.clone(),
                message: format!(
                    "Checkpoint '{id}' yielded. Pass this checkpoint_handle to your orchestrator \
                     in a <checkpoint_yield> block and stop until resumed. With no orchestrator \
                     above you, ask the user \"{}\" (options: {}) and answer with \
                     respond_checkpoint and resume: true, which also resumes you.",
                    checkpoint.message,
                    checkpoint
                        .options
                        .iter()
                        .map(|o| format!("{} = {}", o.id, o.label))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let structured = to_value(&result);
            let text = toon(&structured);
            Ok(Reply::new(structured, text).with_meta("session_token", handle))
        },
    )
}
