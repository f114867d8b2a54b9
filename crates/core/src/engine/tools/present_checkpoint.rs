//! `present_checkpoint` (docs/protocol.md#present_checkpoint): the checkpoint behind a handle, as
//! authored, for the orchestrator to show.

use schemars::JsonSchema;
use serde::Serialize;

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::checkpoints::{active, authored, condition_holds, ids_of};
use crate::engine::errors::CallError;
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::render::{rfc3339, to_value, toon};
use crate::engine::results::Object;
use crate::engine::warnings;

use super::{Tool, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "present_checkpoint",
    description: |_| {
        "Orchestrators: the checkpoint behind a handle, to ask the user."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<CheckpointHandleParams>,
    output_schema: output::<PresentResult>,
    run: present_checkpoint,
};

#[derive(JsonSchema)]
pub(crate) struct CheckpointHandleParams {
    pub checkpoint_handle: String,
}

impl SessionParams for CheckpointHandleParams {
    const TOKEN: &'static str = "checkpoint_handle";

    fn token(&self) -> &str {
        &self.checkpoint_handle
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let checkpoint_handle = a.token("checkpoint_handle", true);
        done(
            a,
            Self {
                checkpoint_handle: checkpoint_handle.unwrap_or_default(),
            },
        )
    }
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
    /// What the worker attached when it yielded; absent when it attached nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub checkpoint_handle: String,
}

fn present_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<CheckpointHandleParams>(
        cx,
        args,
        |cx, at, p| {
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
                context: active.context.clone(),
                checkpoint_handle: p.checkpoint_handle.clone(),
            };
            let structured = to_value(&result);
            let text = toon(&structured);
            Ok(Reply::new(structured, text))
        },
    )
}
