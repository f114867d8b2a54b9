//! Parameter types more than one tool takes, and how a tool's parsed arguments come back with
//! the `unknown_argument` warnings reading them produced. Each tool's own parameter type is in
//! its module under `tools/`.

use schemars::JsonSchema;

use super::args::Args;
use super::errors::CallError;
use super::warnings::Warning;

/// A tool without parameters.
#[derive(JsonSchema)]
pub(crate) struct NoParams {}

/// One step reported as done.
#[derive(Clone, Debug, PartialEq, JsonSchema)]
pub(crate) struct StepManifestEntry {
    /// The step's id.
    pub step_id: String,
    /// What the step produced (at most 64 KiB).
    pub output: String,
}

/// The manifest as the record keeps it.
pub(crate) fn step_reports(
    manifest: Option<&Vec<StepManifestEntry>>,
) -> Option<Vec<crate::session::record::StepReport>> {
    manifest.map(|m| {
        m.iter()
            .map(|e| crate::session::record::StepReport {
                step_id: e.step_id.clone(),
                output: e.output.clone(),
            })
            .collect()
    })
}

/// One activity the orchestrator reports as done.
#[derive(Clone, Debug, PartialEq, JsonSchema)]
pub(crate) struct ActivityManifestEntry {
    /// The activity's id.
    pub activity_id: String,
    /// What the activity achieved (at most 64 KiB).
    pub outcome: String,
    /// The condition of the transition taken out of it.
    pub transition_condition: Option<String>,
}

#[derive(JsonSchema)]
pub(crate) struct SessionTokenParams {
    pub session_token: String,
}

/// Parsed arguments and the `unknown_argument` warnings they produced.
pub(crate) struct Parsed<P> {
    pub params: P,
    pub warnings: Vec<Warning>,
}

pub(crate) fn done<P>(args: Args, params: P) -> Result<Parsed<P>, CallError> {
    Ok(Parsed {
        warnings: args.finish()?,
        params,
    })
}

impl SessionTokenParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
            },
        )
    }
}
