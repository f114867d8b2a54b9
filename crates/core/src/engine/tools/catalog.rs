//! The tools that need no session: `discover`, `list_workflows`, `health_check` (§7.1–§7.3).

use serde_json::Value;

use crate::catalog::{META, WorkflowStatus};
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::render::{json, to_value, toon};
use crate::engine::results::{DiscoverResult, HealthResult, ListWorkflowsResult, WorkflowListing};

/// The MCP protocol versions the hosts serve.
const PROTOCOL_VERSIONS: [&str; 2] = ["2025-11-25", "2026-07-28"];

pub(crate) fn discover(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    args.finish()?;
    let bootstrap = cx
        .catalog
        .library()
        .resolve_resource("bootstrap-protocol", META)
        .ok()
        .and_then(|r| r.content.as_ref().ok())
        .map(|c| c.content.clone());
    let config = cx.config();
    let mut text = format!(
        "server: {}\nversion: {}",
        config.server_name, config.server_version
    );
    match &bootstrap {
        Some(body) => {
            text.push_str("\n\n");
            text.push_str(body);
        }
        None => text.push_str(
            "\nbootstrap: unavailable (the meta workflow has no usable 'bootstrap-protocol' \
             resource)",
        ),
    }
    let result = DiscoverResult {
        server: config.server_name.clone(),
        version: config.server_version.clone(),
        bootstrap,
    };
    Ok(Reply::new(to_value(&result), text).finish(None, None))
}

pub(crate) fn list_workflows(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    args.finish()?;
    let workflows: Vec<WorkflowListing> = cx
        .catalog
        .library()
        .workflows()
        .map(|w| WorkflowListing {
            id: w.id.clone(),
            title: w.title.clone(),
            version: w.version.clone(),
            tags: w.tags.clone(),
            status: w.status.as_str().to_owned(),
            startable: cx.catalog.startable(&w.id),
            errors: w.error_count(),
            warnings: w.warning_count(),
            first_error: w
                .errors()
                .next()
                .map(|d| format!("{}: {}", d.location(), d.message)),
        })
        .collect();
    let result = ListWorkflowsResult { workflows };
    let structured = to_value(&result);
    let text = toon(structured.get("workflows").unwrap_or(&Value::Null));
    Ok(Reply::new(structured, text).finish(None, None))
}

pub(crate) fn health_check(
    cx: &Cx<'_>,
    args: Args,
    started_at: u64,
) -> Result<ToolOutput, CallError> {
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
        uptime_seconds: cx.now.saturating_sub(started_at) / 1000,
        protocol_versions: PROTOCOL_VERSIONS.iter().map(|v| v.to_string()).collect(),
    };
    let structured = to_value(&result);
    let text = json(&structured);
    Ok(Reply::new(structured, text).finish(None, None))
}
