//! One parameter type per tool: its JSON Schema is the tool's `inputSchema`, and its `parse`
//! reads a call's arguments into it by the rules of [`super::args`]. A test checks that every
//! property of each schema is a name `parse` reads, so the two cannot drift apart.

use schemars::JsonSchema;
use serde_json::{Map, Value};

use super::args::{Args, IdKind};
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
pub(crate) struct StartSessionParams {
    /// The workflow to run.
    pub workflow_id: String,
    /// Your agent id; recorded in the session and stamped into the token.
    pub agent_id: String,
    /// A token of an existing session to continue; omit (or pass "") to start a fresh session.
    pub session_token: Option<String>,
}

#[derive(JsonSchema)]
pub(crate) struct DispatchWorkflowParams {
    /// The child's workflow.
    pub workflow_id: String,
    /// A token of the dispatching session.
    pub parent_session_token: String,
    /// Initial variable values for the child.
    pub variables: Option<Map<String, Value>>,
}

#[derive(JsonSchema)]
pub(crate) struct GetWorkflowStatusParams {
    /// The session's own token.
    pub client_session_token: Option<String>,
    /// A child session's id; needs parent_session_token.
    pub client_session_id: Option<String>,
    /// The parent's token: with client_session_id, reads that child; alone, lists the children.
    pub parent_session_token: Option<String>,
}

#[derive(JsonSchema)]
pub(crate) struct CompleteWorkflowParams {
    pub session_token: String,
    /// Steps completed in the final activity.
    pub step_manifest: Option<Vec<StepManifestEntry>>,
    /// Final variable values set by the agent.
    pub variables: Option<Map<String, Value>>,
    /// A short summary for the parent (at most 64 KiB).
    pub outcome: Option<String>,
}

#[derive(JsonSchema)]
pub(crate) struct SessionTokenParams {
    pub session_token: String,
}

#[derive(JsonSchema)]
pub(crate) struct GetWorkflowParams {
    pub session_token: String,
    /// true (default): rules, variables, modes and activity stubs; false: every workflow field.
    pub summary: Option<bool>,
}

#[derive(JsonSchema)]
pub(crate) struct NextActivityParams {
    pub session_token: String,
    /// The activity to move to.
    pub activity_id: String,
    /// The condition you believe led here, as rendered in the transition list.
    pub transition_condition: Option<String>,
    /// Steps completed in the activity being left.
    pub step_manifest: Option<Vec<StepManifestEntry>>,
    /// Your account of completed activities.
    pub activity_manifest: Option<Vec<ActivityManifestEntry>>,
    /// Values set during the activity being left.
    pub variables: Option<Map<String, Value>>,
}

#[derive(JsonSchema)]
pub(crate) struct YieldCheckpointParams {
    pub session_token: String,
    /// The checkpoint of the current activity to yield.
    pub checkpoint_id: String,
}

#[derive(JsonSchema)]
pub(crate) struct CheckpointHandleParams {
    /// The handle returned by yield_checkpoint.
    pub checkpoint_handle: String,
}

#[derive(JsonSchema)]
pub(crate) struct RespondCheckpointParams {
    /// The handle returned by yield_checkpoint.
    pub checkpoint_handle: String,
    /// The option the user chose.
    pub option_id: Option<String>,
    /// true: take the default option of an advisory checkpoint after its timer.
    pub auto_advance: Option<bool>,
    /// true: dismiss a conditional checkpoint whose condition does not hold.
    pub condition_not_met: Option<bool>,
}

#[derive(JsonSchema)]
pub(crate) struct GetSkillParams {
    pub session_token: String,
    /// A step of the current activity whose skill to load.
    pub step_id: Option<String>,
    /// A skill reference (ID or WF/ID) to load.
    pub skill_id: Option<String>,
}

#[derive(JsonSchema)]
pub(crate) struct GetResourceParams {
    pub session_token: String,
    /// A resource reference: INDEX, NAME, WF/INDEX or WF/NAME.
    pub resource_index: String,
}

#[derive(JsonSchema)]
pub(crate) struct GetTraceParams {
    pub session_token: String,
    /// Trace tokens from next_activity and complete_workflow; omit to read the session record.
    pub trace_tokens: Option<Vec<String>>,
}

/// Parsed arguments and the `unknown_argument` warnings they produced.
pub(crate) struct Parsed<P> {
    pub params: P,
    pub warnings: Vec<Warning>,
}

fn done<P>(args: Args, params: P) -> Result<Parsed<P>, CallError> {
    Ok(Parsed {
        warnings: args.finish()?,
        params,
    })
}

impl StartSessionParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let workflow_id = a.id("workflow_id", IdKind::Workflow, true);
        let agent_id = a.id("agent_id", IdKind::Agent, true);
        let session_token = a.optional_token("session_token");
        done(
            a,
            Self {
                workflow_id: workflow_id.unwrap_or_default(),
                agent_id: agent_id.unwrap_or_default(),
                session_token,
            },
        )
    }
}

impl DispatchWorkflowParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let workflow_id = a.id("workflow_id", IdKind::Workflow, true);
        let parent_session_token = a.token("parent_session_token", true);
        let variables = a.variables("variables");
        done(
            a,
            Self {
                workflow_id: workflow_id.unwrap_or_default(),
                parent_session_token: parent_session_token.unwrap_or_default(),
                variables,
            },
        )
    }
}

impl GetWorkflowStatusParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let client_session_token = a.optional_token("client_session_token");
        let client_session_id = a.optional_id("client_session_id", IdKind::Session);
        let parent_session_token = a.optional_token("parent_session_token");
        done(
            a,
            Self {
                client_session_token,
                client_session_id,
                parent_session_token,
            },
        )
    }
}

impl CompleteWorkflowParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let step_manifest = a.step_manifest("step_manifest");
        let variables = a.variables("variables");
        let outcome = a.bounded_string("outcome", false, super::args::MAX_OUTPUT);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                step_manifest,
                variables,
                outcome,
            },
        )
    }
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

impl GetWorkflowParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
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

impl NextActivityParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let activity_id = a.id("activity_id", IdKind::Activity, true);
        let transition_condition = a.string("transition_condition", false);
        let step_manifest = a.step_manifest("step_manifest");
        let activity_manifest = a.activity_manifest("activity_manifest");
        let variables = a.variables("variables");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                activity_id: activity_id.unwrap_or_default(),
                transition_condition,
                step_manifest,
                activity_manifest,
                variables,
            },
        )
    }
}

impl YieldCheckpointParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let checkpoint_id = a.id("checkpoint_id", IdKind::Checkpoint, true);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                checkpoint_id: checkpoint_id.unwrap_or_default(),
            },
        )
    }
}

impl CheckpointHandleParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let checkpoint_handle = a.token("checkpoint_handle", true);
        done(
            a,
            Self {
                checkpoint_handle: checkpoint_handle.unwrap_or_default(),
            },
        )
    }
}

impl RespondCheckpointParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let checkpoint_handle = a.token("checkpoint_handle", true);
        let option_id = a.id("option_id", IdKind::Option, false);
        let auto_advance = a.boolean("auto_advance");
        let condition_not_met = a.boolean("condition_not_met");
        done(
            a,
            Self {
                checkpoint_handle: checkpoint_handle.unwrap_or_default(),
                option_id,
                auto_advance,
                condition_not_met,
            },
        )
    }
}

impl GetSkillParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let step_id = a.id("step_id", IdKind::Step, false);
        let skill_id = a.id("skill_id", IdKind::SkillRef, false);
        if step_id.is_some() && skill_id.is_some() {
            a.refuse("Provide either step_id or skill_id, not both.");
        }
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                step_id,
                skill_id,
            },
        )
    }
}

impl GetResourceParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
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

impl GetTraceParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let trace_tokens = a.string_list("trace_tokens");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                trace_tokens,
            },
        )
    }
}
