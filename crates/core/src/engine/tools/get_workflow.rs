//! `get_workflow` (docs/protocol.md#get_workflow): the session's workflow, summarised or whole;
//! its primary skill comes from get_skill.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::definition_json::{workflow_full, workflow_summary};
use crate::engine::errors::CallError;
use crate::engine::gates::{self, Gate};
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::render::{to_value, toon, with_header};
use crate::engine::results::Object;
use crate::engine::warnings;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_workflow",
    description: |_| {
        "The session's workflow: a summary, or every field with summary=false."
            .to_owned()
    },
    read_only: true,
    structured_content: false,
    input_schema: input::<GetWorkflowParams>,
    output_schema: output::<GetWorkflowResult>,
    run: get_workflow,
};

#[derive(JsonSchema)]
pub(crate) struct GetWorkflowParams {
    pub session_token: String,
    /// false: every workflow field (default: a summary).
    pub summary: Option<bool>,
}

impl SessionParams for GetWorkflowParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let summary = a.boolean("summary");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                summary,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetWorkflowResult {
    pub workflow: Object,
    pub session_token: String,
}

fn get_workflow(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<GetWorkflowParams>(
        cx,
        args,
        |cx, at, p| workflow(cx, at, p.summary.unwrap_or(true)),
    )
}

fn workflow(cx: &Cx<'_>, at: &mut Attempt, summarise: bool) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    let wf = def.workflow.id.as_str();
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, wf));
    let token = at.token(cx);
    let mut text = String::new();
    let structured_workflow = if summarise {
        let summary = workflow_summary(def);
        let mut shown = summary.clone();
        shown.insert("session_token".into(), json!(token));
        text.push_str(&toon(&Value::Object(shown)));
        summary
    } else {
        let full = workflow_full(def);
        text.push_str(&with_header(
            &[("session_token", token.as_str())],
            &toon(&Value::Object(full.clone())),
        ));
        full
    };
    let result = GetWorkflowResult {
        workflow: structured_workflow,
        session_token: token.clone(),
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
}
