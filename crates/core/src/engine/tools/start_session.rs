//! `start_session` (docs/protocol.md#start_session): the fresh, recover and inherit paths. Only a
//! token a key of the ring verifies is ever inherited; anything else starts a fresh session
//! without reading the payload. A verified token whose record is gone is refused with
//! `unknown_session`: the record is the truth, and the token holds too little to rebuild it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::Served;
use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{self, Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::{gates, tokens};
use crate::engine::params::{Parsed, done};
use crate::engine::results::is_false;
use crate::engine::render::{to_value, toon};
use crate::engine::results::WorkflowInfo;
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::session::SessionRecord;
use crate::token::{self, TokenError};

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "start_session",
    description: |config| {
        format!(
            "Start a session (or continue one: pass its session_token). Returns the token later \
             calls take; records are kept {} days.",
            config.retention_days
        )
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<StartSessionParams>,
    output_schema: output::<StartSessionResult>,
    run: start_session,
};

#[derive(JsonSchema)]
pub(crate) struct StartSessionParams {
    pub workflow_id: String,
    pub agent_id: String,
    pub session_token: Option<String>,
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

#[derive(Serialize, JsonSchema)]
pub(crate) struct StartSessionResult {
    pub workflow: WorkflowInfo,
    pub session_token: String,
    pub session_id: String,
    /// `active`, `blocked` or `completed`.
    pub status: String,
    pub current_activity: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub inherited: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub adopted: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub recovered: bool,
    /// The first warning, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Default)]
struct Flags {
    inherited: bool,
    adopted: bool,
    recovered: bool,
}

fn start_session(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = StartSessionParams::parse(args)?;
    let p = &parsed.params;
    let served = gates::startable(&cx.catalog, &p.workflow_id)?;
    let verified = match p.session_token.as_deref() {
        None => return fresh(cx, served, p, &parsed.warnings, None),
        Some(t) => match token::verify(&cx.keys, t, "session_token") {
            Err(e) => return fresh(cx, served, p, &parsed.warnings, Some(e)),
            Ok(v) => v,
        },
    };
    attempt::retrying(cx, || {
        let record = cx.load(&verified.payload.sid)?;
        let token_agent = tokens::agent(&record, &verified.payload)?;
        if record.workflow_id != p.workflow_id {
            // Traced on the token's session (docs/protocol.md#start_session: errors after a
            // verified token).
            let refusal = mismatch(&record.workflow_id, &p.workflow_id);
            return Ok((Attempt::on(record, token_agent), Err(refusal)));
        }
        Ok(inherit(
            cx,
            served,
            p,
            &parsed.warnings,
            verified.retired_key,
            &token_agent,
            record,
        ))
    })
}

fn mismatch(token_wf: &str, requested: &str) -> CallError {
    CallError::tool(
        ErrorCode::WorkflowMismatch,
        format!(
            "Workflow mismatch: session token is for '{token_wf}' but '{requested}' was \
             requested. Omit session_token to start a fresh session for '{requested}', or pass \
             workflow_id '{token_wf}' to continue that session."
        ),
    )
}

/// The fresh and recover paths: a new record; nothing is taken from a presented token.
fn fresh(
    cx: &Cx<'_>,
    served: &Served,
    p: &StartSessionParams,
    arg_warnings: &[Warning],
    refused: Option<TokenError>,
) -> Result<ToolOutput, CallError> {
    let workflow = &served.definition.workflow;
    attempt::retrying(cx, || {
        let mut record = SessionRecord::new(
            cx.new_session_id(),
            workflow.id.clone(),
            workflow.version.clone(),
            cx.now,
        );
        record.variables = warnings::default_variables(workflow);
        record.agents = vec![p.agent_id.clone()];
        let mut at = Attempt::create(record, p.agent_id.clone());
        at.warnings.extend_from_slice(arg_warnings);
        let mut flags = Flags::default();
        if let Some(e) = &refused {
            at.warn(Some(Warning::new(WarningCode::SessionRecovered,
                format!(
                    "The provided session_token could not be verified ({e}). A fresh session \
                     has been created instead; the previous session's state was NOT inherited. \
                     Continue with the new token; previous progress must be re-established by \
                     the orchestrator."
                ),
            )));
            at.note.marker = Some("recovered:invalid_session_token".to_owned());
            flags.recovered = true;
        }
        at.warn_all(warnings::missing_variables(workflow, &at.rec.variables));
        at.warn(warnings::serving_last_good(&cx.catalog, &workflow.id));
        let reply = reply(cx, served, &at, &flags);
        Ok((at, Ok(reply)))
    })
}

fn retired_key_warning() -> Warning {
    Warning::new(WarningCode::TokenRetiredKey,
        "The session token was signed with a retired server key. It was verified, and the \
         session has been adopted and re-signed with the current key — session id, activity \
         position and variables are unchanged. Use the new token.",
    )
}

fn agent_changed(token_agent: &str, agent_id: &str) -> Option<Warning> {
    (token_agent != agent_id).then(|| {
        Warning::new(WarningCode::AgentChanged,
            format!(
                "Warning: The provided agent_id '{agent_id}' does not match the inherited session \
                 token's agent_id '{token_agent}'. The session has been transitioned to \
                 '{agent_id}'."
            ),
        )
    })
}

fn checkpoint_pending(record: &SessionRecord) -> Option<Warning> {
    record.active_checkpoint.as_ref().map(|a| {
        Warning::new(WarningCode::CheckpointPending,
            format!(
                "Checkpoint '{}' on activity '{}' is awaiting a response; tools stay gated until \
                 respond_checkpoint resolves it.",
                a.checkpoint_id, a.activity_id
            ),
        )
    })
}

/// The inherit path: the record exists; the call records the agent and issues a new token.
fn inherit(
    cx: &Cx<'_>,
    served: &Served,
    p: &StartSessionParams,
    arg_warnings: &[Warning],
    retired_key: bool,
    token_agent: &str,
    record: SessionRecord,
) -> (Attempt, Result<Reply, CallError>) {
    let mut at = Attempt::on(record, p.agent_id.clone());
    at.warnings.extend_from_slice(arg_warnings);
    at.change(cx.now);
    if !at.rec.agents.contains(&p.agent_id) {
        at.rec.agents.push(p.agent_id.clone());
    }
    let flags = Flags {
        inherited: true,
        adopted: retired_key,
        ..Flags::default()
    };
    if flags.adopted {
        at.warn(Some(retired_key_warning()));
        at.note.marker = Some("adopted:retired_key".to_owned());
    }
    at.warn(agent_changed(token_agent, &p.agent_id));
    at.warn(warnings::version_drift(&at.rec, served));
    if at.rec.completed_at.is_some() {
        at.warn(Some(Warning::new(WarningCode::SessionCompletedInherited,
            format!(
                "Session '{}' is completed; its tools are closed. Call start_session without a \
                 token to run the workflow again.",
                at.rec.sid
            ),
        )));
    }
    at.warn(checkpoint_pending(&at.rec));
    at.warn(warnings::serving_last_good(&cx.catalog, &p.workflow_id));
    let reply = reply(cx, served, &at, &flags);
    (at, Ok(reply))
}

fn reply(cx: &Cx<'_>, served: &Served, at: &Attempt, flags: &Flags) -> Reply {
    let workflow = &served.definition.workflow;
    let token = at.token(cx);
    let result = StartSessionResult {
        workflow: WorkflowInfo {
            id: workflow.id.clone(),
            version: workflow.version.clone(),
            title: workflow.title.clone(),
            description: workflow.description.clone(),
        },
        session_token: token.clone(),
        session_id: at.rec.sid.clone(),
        status: at.rec.status().as_str().to_owned(),
        current_activity: at.rec.current.as_ref().map(|c| c.activity_id.clone()),
        inherited: flags.inherited,
        adopted: flags.adopted,
        recovered: flags.recovered,
        warning: at.warnings.first().map(|w| w.message.clone()),
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Reply::new(structured, text).with_meta("session_token", token)
}
