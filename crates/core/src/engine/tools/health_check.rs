//! `health_check` (docs/protocol.md#health_check): liveness, version, uptime and the catalog's
//! state.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::WorkflowStatus;
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::params::NoParams;
use crate::engine::render::{to_value, toon};

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "health_check",
    description: |_| {
        "Server status, version, uptime and workflow counts. No token."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<NoParams>,
    output_schema: output::<HealthResult>,
    run: health_check,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct HealthResult {
    /// `healthy` or `degraded`.
    pub status: String,
    pub server: String,
    pub version: String,
    pub workflows_available: usize,
    pub workflows_broken: usize,
    /// Ids of the `degraded` workflows: served, with some parts unavailable.
    pub workflows_degraded: Vec<String>,
    pub uptime_seconds: u64,
    pub protocol_versions: Vec<String>,
}

/// The MCP protocol versions the hosts serve.
const PROTOCOL_VERSIONS: [&str; 2] = ["2025-11-25", "2026-07-28"];

fn health_check(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    args.finish()?;
    cx.store().check()?;
    let library = cx.catalog.library();
    let config = cx.config();
    let result = HealthResult {
        status: if cx.catalog.healthy() {
            "healthy"
        } else {
            "degraded"
        }
        .to_owned(),
        server: config.server_name.clone(),
        version: config.server_version.clone(),
        workflows_available: library
            .workflows()
            .filter(|w| cx.catalog.startable(&w.id))
            .count(),
        workflows_broken: library
            .workflows()
            .filter(|w| w.status == WorkflowStatus::Broken)
            .count(),
        workflows_degraded: library
            .workflows()
            .filter(|w| w.status == WorkflowStatus::Degraded)
            .map(|w| w.id.clone())
            .collect(),
        uptime_seconds: cx.now.saturating_sub(cx.started_at) / 1000,
        protocol_versions: PROTOCOL_VERSIONS.iter().map(|v| v.to_string()).collect(),
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text).finish(None, None))
}
