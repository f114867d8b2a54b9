//! `start_session` (docs/protocol.md#start_session): the fresh, recover, inherit and restore paths.
//! Only a token a key of the ring verifies is ever inherited or restored; anything else starts a
//! fresh session without reading the payload.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::Served;
use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{self, Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates;
use crate::engine::params::{Parsed, done};
use crate::engine::results::is_false;
use crate::engine::render::{json, to_value};
use crate::engine::results::WorkflowInfo;
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::session::SessionRecord;
use crate::session::record::{ActiveCheckpoint, CurrentVisit};
use crate::token::{self, TokenError, TokenPayload, Verified};

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
    /// Continue this session instead.
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
    pub restored: bool,
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
    restored: bool,
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
        let sid = &verified.payload.sid;
        let loaded = cx.store().load(sid)?;
        if verified.payload.wf != p.workflow_id {
            // Traced on the token's session when it exists (docs/protocol.md#start_session: errors
            // after a verified token).
            let refusal = mismatch(&verified.payload.wf, &p.workflow_id);
            return match loaded {
                Some(record) => Ok((
                    Attempt::on(record, verified.payload.aid.clone()),
                    Err(refusal),
                )),
                None => Err(refusal),
            };
        }
        Ok(match loaded {
            Some(record) => inherit(cx, served, p, &parsed.warnings, &verified, record),
            None => restore(cx, served, p, &parsed.warnings, &verified),
        })
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
            cx.env.uuid(),
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
        let reply = reply(cx, served, &at, "", &flags);
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

fn agent_changed(token: &TokenPayload, agent_id: &str) -> Option<Warning> {
    (!token.aid.is_empty() && token.aid != agent_id).then(|| {
        Warning::new(WarningCode::AgentChanged,
            format!(
                "Warning: The provided agent_id '{agent_id}' does not match the inherited session \
                 token's agent_id '{}'. The session has been transitioned to '{agent_id}'.",
                token.aid
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
    verified: &Verified<TokenPayload>,
    record: SessionRecord,
) -> (Attempt, Result<Reply, CallError>) {
    let token = &verified.payload;
    let mut at = Attempt::on(record, p.agent_id.clone());
    at.warnings.extend_from_slice(arg_warnings);
    if let Err(e) = gates::consistent(&at.rec, token) {
        return (at, Err(e));
    }
    at.change(cx.now);
    if !at.rec.agents.contains(&p.agent_id) {
        at.rec.agents.push(p.agent_id.clone());
    }
    let flags = Flags {
        inherited: true,
        adopted: verified.retired_key,
        ..Flags::default()
    };
    if flags.adopted {
        at.warn(Some(retired_key_warning()));
        at.note.marker = Some("adopted:retired_key".to_owned());
    }
    at.warn(agent_changed(token, &p.agent_id));
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
    let reply = reply(cx, served, &at, &token.skill, &flags);
    (at, Ok(reply))
}

/// The restore path: no record, but the token verified, so its signed payload rebuilds one.
fn restore(
    cx: &Cx<'_>,
    served: &Served,
    p: &StartSessionParams,
    arg_warnings: &[Warning],
    verified: &Verified<TokenPayload>,
) -> (Attempt, Result<Reply, CallError>) {
    let token = &verified.payload;
    let def = &served.definition;
    let mut record =
        SessionRecord::new(token.sid.clone(), token.wf.clone(), token.v.clone(), cx.now);
    let issued_at = token.ts.saturating_mul(1000);
    if let Some(activity) = def.activity(&token.act) {
        record.current = Some(CurrentVisit {
            activity_id: token.act.clone(),
            entered_at: issued_at,
            entered_revision: token.seq,
            condition: token.cond.clone(),
        });
        record.active_checkpoint = token
            .bcp
            .as_ref()
            .filter(|bcp| activity.activity.checkpoint(bcp).is_some())
            .map(|bcp| ActiveCheckpoint {
                checkpoint_id: bcp.clone(),
                activity_id: token.act.clone(),
                yielded_at: issued_at,
                yield_revision: token.seq,
                yielded_by: token.aid.clone(),
                context: None,
            });
    }
    record.parent_sid = token.psid.clone();
    record.depth = match &token.psid {
        None => 0,
        Some(parent) => match cx.store().load(parent) {
            Ok(Some(parent)) => parent.depth.saturating_add(1),
            _ => 1,
        },
    };
    record.variables = warnings::default_variables(&def.workflow);
    record.revision = token.seq.saturating_add(1);
    record.agents = vec![p.agent_id.clone()];
    let mut at = Attempt::create(record, p.agent_id.clone());
    at.warnings.extend_from_slice(arg_warnings);
    let flags = Flags {
        inherited: true,
        restored: true,
        adopted: verified.retired_key,
        ..Flags::default()
    };
    if flags.adopted {
        at.warn(Some(retired_key_warning()));
    }
    at.warn(Some(Warning::new(WarningCode::SessionRestored,
        format!(
            "No record of session '{}' exists on this server; it was rebuilt from the verified \
             token. The activity position and any pending checkpoint were kept; variables were \
             reset to their defaults and the history and trace were lost.",
            token.sid
        ),
    )));
    at.note.marker = Some("restored:missing_record".to_owned());
    at.warn(agent_changed(token, &p.agent_id));
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(checkpoint_pending(&at.rec));
    at.warn(warnings::serving_last_good(&cx.catalog, &p.workflow_id));
    let reply = reply(cx, served, &at, &token.skill, &flags);
    (at, Ok(reply))
}

fn reply(cx: &Cx<'_>, served: &Served, at: &Attempt, skill: &str, flags: &Flags) -> Reply {
    let workflow = &served.definition.workflow;
    let token = cx.token(&at.rec, &at.aid, skill);
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
        restored: flags.restored,
        recovered: flags.recovered,
        warning: at.warnings.first().map(|w| w.message.clone()),
    };
    let structured = to_value(&result);
    let text = json(&structured);
    Reply::new(structured, text).with_meta("session_token", token)
}
