//! `list_workflows` (docs/protocol.md#list_workflows): every workflow of the catalog, broken ones
//! included.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::params::NoParams;
use crate::engine::render::{to_value, toon};

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "list_workflows",
    description: |_| {
        "Every workflow: id, title, description, tags, required variables, status, whether it can start. No token."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<NoParams>,
    output_schema: output::<ListWorkflowsResult>,
    run: list_workflows,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct WorkflowListing {
    pub id: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Variables declared required without a default: a session needs values for them.
    pub required_variables: Vec<String>,
    /// `ok`, `degraded` or `broken`.
    pub status: String,
    pub startable: bool,
    pub errors: usize,
    pub warnings: usize,
    /// `<file>:<line>:<col>: <message>` of the first error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
    /// Activities left out of a `degraded` workflow for errors in their files.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unavailable_activities: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListWorkflowsResult {
    pub workflows: Vec<WorkflowListing>,
}

fn list_workflows(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    args.finish()?;
    let workflows: Vec<WorkflowListing> = cx
        .catalog
        .library()
        .workflows()
        .map(|w| WorkflowListing {
            id: w.id.clone(),
            title: w.title.clone(),
            version: w.version.clone(),
            description: w.description.clone(),
            tags: w.tags.clone(),
            required_variables: cx
                .catalog
                .served(&w.id)
                .map(|s| {
                    s.definition
                        .workflow
                        .variables
                        .iter()
                        .filter(|v| v.required && v.default_value.is_none())
                        .map(|v| v.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            status: w.status.as_str().to_owned(),
            startable: cx.catalog.startable(&w.id),
            errors: w.error_count(),
            warnings: w.warning_count(),
            first_error: w
                .errors()
                .next()
                .map(|d| format!("{}: {}", d.location(), d.message)),
            unavailable_activities: w
                .definition
                .as_ref()
                .map(|d| d.unavailable.keys().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    let result = ListWorkflowsResult { workflows };
    let structured = to_value(&result);
    let text = toon(structured.get("workflows").unwrap_or(&Value::Null));
    Ok(Reply::new(structured, text).finish(None, None))
}
