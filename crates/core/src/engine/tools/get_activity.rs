//! `get_activity` (docs/protocol.md#get_activity): the current activity as authored, with the
//! server's own fields added.

use schemars::JsonSchema;
use serde::Serialize;

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::definition_json::{self, served_activity};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::SessionTokenParams;
use crate::engine::render::{to_value, with_header};
use crate::engine::results::Object;
use crate::engine::warnings::{self, transitions};

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_activity",
    description: |_| {
        "Workers: the current activity, with its ways out and their conditions."
            .to_owned()
    },
    read_only: true,
    structured_content: false,
    input_schema: input::<SessionTokenParams>,
    output_schema: output::<GetActivityResult>,
    run: get_activity,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetActivityResult {
    /// The activity as authored, plus `artifactPrefix` and `workflowId`.
    pub activity: Object,
    pub session_token: String,
}

fn get_activity(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<SessionTokenParams>(
        cx,
        args,
        |cx, at, _| {
            gated(at, Gate::General)?;
            let served = gates::definition(&cx.catalog, &at.rec)?;
            let def = &served.definition;
            let Some(current) = &at.rec.current else {
                return Err(CallError::tool(
                    ErrorCode::NoCurrentActivity,
                    format!(
                        "No current activity in session '{}'. Call next_activity first.",
                        at.rec.sid
                    ),
                ));
            };
            let Some(activity) = def.activity(&current.activity_id) else {
                return Err(CallError::tool(
                    ErrorCode::ActivityNotFound,
                    format!(
                        "Activity not found: {}. The workflow definition changed since the \
                         session entered it; call next_activity to move to an existing activity.",
                        current.activity_id
                    ),
                ));
            };
            at.warn(warnings::version_drift(&at.rec, served));
            at.warn(warnings::serving_last_good(&cx.catalog, &def.workflow.id));
            let token = at.token(cx);
            let mut text = with_header(
                &[("session_token", token.as_str())],
                &definition_json::activity_text(def, activity),
            );
            text.push_str("\n\n");
            text.push_str(&transitions::exits_text(&activity.activity, &at.rec.variables));
            let structured = cx.unlisted_structured(|| {
                to_value(&GetActivityResult {
                    activity: served_activity(def, activity),
                    session_token: token.clone(),
                })
            });
            Ok(Reply::new(structured, text).with_meta("session_token", token))
        },
    )
}
