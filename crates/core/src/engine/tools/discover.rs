//! `discover` (docs/protocol.md#discover): the entry point, with the meta workflow's bootstrap
//! text.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::META;
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::params::NoParams;
use crate::engine::render::to_value;

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "discover",
    description: |_| {
        "Call first: server, version and the bootstrap protocol (what to call next). No token."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<NoParams>,
    output_schema: output::<DiscoverResult>,
    run: discover,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct DiscoverResult {
    pub server: String,
    pub version: String,
    /// The meta workflow's `bootstrap-protocol` text; null when unavailable.
    pub bootstrap: Option<String>,
}

fn discover(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
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
