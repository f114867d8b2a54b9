//! The tools, grouped by what they work on. Each reads its arguments, then follows the check
//! order of protocol.md §1.5 and its own section of §7.

pub(crate) mod catalog;
pub(crate) mod checkpoints;
pub(crate) mod complete;
pub(crate) mod definitions;
pub(crate) mod dispatch;
pub(crate) mod navigate;
pub(crate) mod skills;
pub(crate) mod start;
pub(crate) mod status;
pub(crate) mod trace;

use super::ToolOutput;
use super::attempt::{self, Attempt, Cx, Reply, SessionCall};
use super::errors::CallError;
use super::gates::{self, Gate};
use super::tokens;
use super::warnings::Warning;

/// Runs a traced tool that takes `session_token` (or another token-valued argument `param`):
/// verification, then `body` against the loaded record, committed with the call's event.
pub(crate) fn with_session(
    cx: &Cx<'_>,
    token: &str,
    param: &'static str,
    arg_warnings: &[Warning],
    validation: bool,
    body: impl FnMut(&Cx<'_>, &mut Attempt) -> Result<Reply, CallError>,
) -> Result<ToolOutput, CallError> {
    let verified = tokens::verify(&cx.keys, token, param)?;
    attempt::run(
        cx,
        SessionCall {
            token: &verified,
            param,
            arg_warnings,
            validation,
        },
        body,
    )
}

/// The completion gate, then the checkpoint gate (§5).
pub(crate) fn gated(at: &Attempt, gate: Gate<'_>) -> Result<(), CallError> {
    gates::completion(&at.rec)?;
    gates::checkpoint(&at.rec, gate)
}
