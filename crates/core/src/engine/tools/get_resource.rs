//! `get_resource` (docs/protocol.md#get_resource): one resource of the session's workflow or,
//! qualified, of another.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::ResourceLookupError;
use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::render::{to_value, with_header};
use crate::engine::warnings;
use crate::ids;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_resource",
    description: |_| {
        "One resource (guide, template) by index or name; WF/... for another workflow's."
            .to_owned()
    },
    read_only: true,
    structured_content: false,
    input_schema: input::<GetResourceParams>,
    output_schema: output::<GetResourceResult>,
    run: get_resource,
};

#[derive(JsonSchema)]
pub(crate) struct GetResourceParams {
    pub session_token: String,
    /// INDEX, NAME, WF/INDEX or WF/NAME.
    pub resource_index: String,
}

impl SessionParams for GetResourceParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let resource_index = a.id("resource_index", IdKind::ResourceRef, true);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                resource_index: resource_index.unwrap_or_default(),
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetResourceResult {
    /// The argument as given.
    pub resource_index: String,
    pub workflow_id: String,
    /// As written in the file name.
    pub index: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `markdown`, `toon`, `yaml` or `json`.
    pub format: String,
    pub content: String,
    pub session_token: String,
}

fn get_resource(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<GetResourceParams>(
        cx,
        args,
        |cx, at, p| resource(cx, at, &p.resource_index),
    )
}

fn resource(cx: &Cx<'_>, at: &mut Attempt, reference: &str) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let session_wf = served.definition.workflow.id.as_str();
    let wf = ids::parse_resource_ref(reference)
        .and_then(|(explicit, _)| explicit)
        .unwrap_or(session_wf);
    let found = cx
        .catalog
        .library()
        .resolve_resource(reference, session_wf)
        .map_err(|e| match e {
            ResourceLookupError::NotFound => CallError::tool(
                ErrorCode::ResourceNotFound,
                format!("Resource not found: {reference} in workflow {wf}."),
            ),
            ResourceLookupError::Ambiguous {
                index,
                files,
                names,
            } => CallError::tool(
                ErrorCode::ResourceAmbiguous,
                format!(
                    "Resource index '{index}' is ambiguous in workflow '{wf}': {}. Refer to it by \
                     name, e.g. '{wf}/{}'.",
                    files.join(", "),
                    names.first().map_or("", String::as_str)
                ),
            ),
            e @ ResourceLookupError::Unavailable(_) => CallError::tool(
                ErrorCode::ResourceUnavailable,
                format!("Resource '{reference}' is unavailable: {e}."),
            ),
        })?;
    let Ok(content) = &found.content else {
        return Err(CallError::tool(
            ErrorCode::ResourceUnavailable,
            format!("Resource '{reference}' is unavailable."),
        ));
    };
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, session_wf));
    let token = at.token(cx);
    let mut header: Vec<(&str, &str)> = vec![("resource_index", reference)];
    if let Some(id) = &content.id {
        header.push(("id", id));
    }
    if let Some(version) = &content.version {
        header.push(("version", version));
    }
    header.push(("session_token", &token));
    let text = with_header(&header, &content.content);
    let result = GetResourceResult {
        resource_index: reference.to_owned(),
        workflow_id: found.workflow.clone(),
        index: found.index.clone(),
        name: found.name.clone(),
        id: content.id.clone(),
        version: content.version.clone(),
        format: found.format.name().to_owned(),
        content: content.content.clone(),
        session_token: token.clone(),
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
}
