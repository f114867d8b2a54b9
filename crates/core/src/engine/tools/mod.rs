//! Every tool, one module each: its [`Tool`] definition (name, description, read-only hint,
//! schemas, handler) beside its own parameter and result types. [`TOOLS`] is the one list of
//! them; `tools/list`, [`super::Engine::call`], the npm package's API and TypeScript types, and
//! the tests all derive from it, so a new tool is its module plus one line in `tool_table!`.
//! Each handler reads its arguments, then follows the order of checks in
//! docs/protocol.md#order-of-checks.

use serde_json::Value;

use super::args::Args;
use super::attempt::{self, Attempt, Cx, Reply, SessionCall};
use super::errors::CallError;
use super::gates::{self, Gate};
use super::params::SessionParams;
use super::tokens;
use super::warnings::Warning;
use super::{EngineConfig, ToolOutput, ToolSpec};

pub(crate) use super::tool_schema::{input, output};

/// One tool, as it is listed and run.
pub(crate) struct Tool {
    pub name: &'static str,
    /// One or two sentences for `tools/list`; some state a setting of the engine.
    pub description: fn(&EngineConfig) -> String,
    /// `readOnlyHint`: the tool never changes session state.
    pub read_only: bool,
    /// Whether MCP hosts send `structuredContent`: false for tools whose text already holds a
    /// whole definition or trace, which need not reach the model twice.
    pub structured_content: bool,
    /// Generated from the tool's parameter type.
    pub input_schema: fn() -> Value,
    /// Generated from the tool's result type.
    pub output_schema: fn() -> Value,
    pub run: fn(&Cx<'_>, Args) -> Result<ToolOutput, CallError>,
}

impl Tool {
    pub(crate) fn spec(&self, config: &EngineConfig) -> ToolSpec {
        ToolSpec {
            name: self.name,
            description: (self.description)(config),
            input_schema: (self.input_schema)(),
            output_schema: (self.output_schema)(),
            read_only: self.read_only,
            structured_content: self.structured_content,
        }
    }
}

/// Declares each tool's module and lists its definition in [`TOOLS`], in the same order.
macro_rules! tool_table {
    ($($tool:ident,)*) => {
        $(mod $tool;)*

        /// Every tool, in `tools/list` order.
        pub(crate) static TOOLS: &[Tool] = &[$($tool::TOOL,)*];
    };
}

tool_table! {
    discover,
    list_workflows,
    health_check,
    start_session,
    dispatch_workflow,
    get_workflow_status,
    complete_workflow,
    get_workflow,
    next_activity,
    get_activity,
    yield_checkpoint,
    resume_checkpoint,
    present_checkpoint,
    respond_checkpoint,
    get_skills,
    get_skill,
    get_resource,
    get_trace,
}

/// The tool of that name.
pub(crate) fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

/// Runs a tool on the session its parameters name: reads the arguments, then runs `body` as
/// [`with_session`] does.
pub(crate) fn on_session<P: SessionParams>(
    cx: &Cx<'_>,
    args: Args,
    mut body: impl FnMut(&Cx<'_>, &mut Attempt, &P) -> Result<Reply, CallError>,
) -> Result<ToolOutput, CallError> {
    let parsed = P::parse(args)?;
    let params = &parsed.params;
    with_session(cx, params.token(), P::TOKEN, &parsed.warnings, |cx, at| {
        body(cx, at, params)
    })
}

/// Runs a traced tool that takes `session_token` (or another token-valued argument `param`):
/// verification, then `body` against the loaded record, committed with the call's event.
pub(crate) fn with_session(
    cx: &Cx<'_>,
    token: &str,
    param: &'static str,
    arg_warnings: &[Warning],
    body: impl FnMut(&Cx<'_>, &mut Attempt) -> Result<Reply, CallError>,
) -> Result<ToolOutput, CallError> {
    let verified = tokens::verify(&cx.keys, token, param)?;
    attempt::run(
        cx,
        SessionCall {
            token: &verified,
            param,
            arg_warnings,
        },
        body,
    )
}

/// The completion gate, then the checkpoint gate (docs/protocol.md#gates).
pub(crate) fn gated(at: &Attempt, gate: Gate<'_>) -> Result<(), CallError> {
    gates::completion(&at.rec)?;
    gates::checkpoint(&at.rec, gate)
}

#[cfg(test)]
mod tests {
    use super::TOOLS;

    /// A tool's module is named for the tool, so the table's line and the file name agree.
    #[test]
    fn tool_names_are_unique_identifiers() {
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
        assert!(names.iter().all(|n| crate::ids::is_variable_name(n)));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOOLS.len(), "two tools share a name");
    }
}
