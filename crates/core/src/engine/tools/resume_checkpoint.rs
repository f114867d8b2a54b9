//! `resume_checkpoint` (docs/protocol.md#resume_checkpoint): the worker picks up the answer once
//! the checkpoint is cleared.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::engine::ToolOutput;
use crate::engine::answers::{self, Look};
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::gates::Gate;
use crate::engine::params::SessionTokenParams;
use crate::engine::checkpoints::changed_variables;
use crate::engine::render::{to_value, toon};
use crate::engine::results::Object;
use crate::engine::warnings::{self, Warning, WarningCode};

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "resume_checkpoint",
    description: |_| {
        "Workers: continue after your checkpoint was answered; returns the answer."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<SessionTokenParams>,
    output_schema: output::<ResumeResult>,
    run: resume_checkpoint,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct ResumeResult {
    /// `resumed`.
    pub status: String,
    pub checkpoint_id: Option<String>,
    pub activity_id: Option<String>,
    pub mode: Option<String>,
    pub resolved_option: Option<String>,
    pub effect: Option<Value>,
    /// The variables the answer set (its effect's `setVariable` and the defaults of a mode it
    /// switched on); the others are unchanged.
    pub changed_variables: Object,
    pub message: String,
}

fn resume_checkpoint(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<SessionTokenParams>(
        cx,
        args,
        |cx, at, _| {
            gated(at, Gate::Resume)?;
            // The latest answer to a checkpoint yielded at or before the presented token: the
            // worker resumes with the token its yield returned.
            let seq = at.presented.as_ref().map_or(u64::MAX, |t| t.seq);
            if at.rec.last_answer.is_none() {
                at.warn(Some(Warning::new(WarningCode::NothingToResume,
                    "No checkpoint has been answered in this session; nothing to resume.",
                )));
            }
            let wf = at.rec.workflow_id.clone();
            at.warn(warnings::serving_last_good(&cx.catalog, &wf));
            let answer = answers::newest(cx.store(), &at.rec, |a| {
                if a.yield_revision <= seq { Look::Found } else { Look::Older }
            })?;
            // Only the latest answer is kept in the record, so only it records its resumption;
            // an earlier one (a worker resuming late, past a newer answer) is reported as it was.
            if let Some(last) = at.rec.last_answer.as_mut()
                && answer.as_ref().is_some_and(|a| a.revision == last.revision)
                && last.resumed_at.is_none()
            {
                last.resumed_at = Some(cx.now);
                at.change(cx.now);
            }
            let answer = answer.as_ref();
            let result = ResumeResult {
                status: "resumed".to_owned(),
                checkpoint_id: answer.map(|a| a.checkpoint_id.clone()),
                activity_id: answer.map(|a| a.activity_id.clone()),
                mode: answer.map(|a| a.mode.as_str().to_owned()),
                resolved_option: answer.and_then(|a| a.option_id.clone()),
                effect: answer.and_then(|a| a.effect.clone()),
                changed_variables: answer.map_or_else(Map::new, |a| {
                    if a.changed_variables.is_empty() {
                        changed_variables(a.effect.as_ref())
                    } else {
                        a.changed_variables.clone()
                    }
                }),
                message: "Checkpoint cleared: apply the effect and the changed variables, then go \
                          on."
                    .to_owned(),
            };
            let token = at.token(cx);
            let structured = to_value(&result);
            let text = toon(&structured);
            Ok(Reply::new(structured, text).with_meta("session_token", token))
        },
    )
}
