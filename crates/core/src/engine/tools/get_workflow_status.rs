//! `get_workflow_status` (docs/protocol.md#get_workflow_status): read-only and untraced. A session
//! is read with its own token, or by id with its parent's token (the parent relation is checked
//! against the record); a parent token alone lists its children. With `wait_ms` the result says
//! what a host that can wait watches ([`crate::engine::Wait`]); the core itself never waits.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::engine::{MAX_WAIT_MS, ToolOutput, Wait};
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::params::{Parsed, done};
use crate::engine::render::{rfc3339, to_value, toon};
use crate::engine::results::Object;
use crate::engine::tokens;
use crate::session::SessionRecord;

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_workflow_status",
    description: |_| {
        "A session's progress: by its own token, or by client_session_id with its parent's token; the parent's token alone lists the children."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<GetWorkflowStatusParams>,
    output_schema: output::<StatusResult>,
    run: get_workflow_status,
};

#[derive(JsonSchema)]
pub(crate) struct GetWorkflowStatusParams {
    pub client_session_token: Option<String>,
    /// Needs parent_session_token.
    pub client_session_id: Option<String>,
    /// The parent's token; alone, lists its children.
    pub parent_session_token: Option<String>,
    /// Answer once the result changes, waiting at most this long.
    #[schemars(range(max = MAX_WAIT_MS))]
    pub wait_ms: Option<u64>,
}

impl GetWorkflowStatusParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let client_session_token = a.optional_token("client_session_token");
        let client_session_id = a.optional_id("client_session_id", IdKind::Session);
        let parent_session_token = a.optional_token("parent_session_token");
        let wait_ms = a.index("wait_ms", MAX_WAIT_MS);
        done(
            a,
            Self {
                client_session_token,
                client_session_id,
                parent_session_token,
                wait_ms,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusWorkflow {
    pub id: String,
    /// The version the session was started with.
    pub version: String,
    pub title: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusCheckpoint {
    pub id: String,
    pub activity: String,
    pub yielded_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusAnswer {
    pub id: String,
    pub activity: String,
    /// null when the checkpoint was dismissed.
    pub option: Option<String>,
    /// `option`, `auto_advance` or `condition_not_met`.
    pub mode: String,
    pub at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildSummary {
    pub session_id: String,
    pub workflow_id: String,
    pub status: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SessionStatusResult {
    pub session_id: String,
    pub status: String,
    pub workflow: StatusWorkflow,
    pub current_activity: Option<String>,
    pub completed_activities: Vec<String>,
    pub active_checkpoint: Option<StatusCheckpoint>,
    pub last_checkpoint: Option<StatusAnswer>,
    pub variables: Object,
    pub active_modes: Vec<String>,
    pub outcome: Option<String>,
    pub parent_session_id: Option<String>,
    pub children: Vec<ChildSummary>,
    pub agents: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// Token mode only: a new token for the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildListing {
    pub session_id: String,
    pub workflow_id: String,
    pub status: String,
    pub current_activity: Option<String>,
    pub updated_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChildrenResult {
    pub parent_session_id: String,
    pub children: Vec<ChildListing>,
}

/// get_workflow_status answers one session, or lists a parent's children.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum StatusResult {
    Session(Box<SessionStatusResult>),
    Children(ChildrenResult),
}

fn arguments(message: String) -> CallError {
    CallError::tool(ErrorCode::StatusArguments, message)
}

fn get_workflow_status(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let p = GetWorkflowStatusParams::parse(args)?.params;
    if let Some(token) = &p.client_session_token {
        let verified = tokens::verify(&cx.keys, token, "client_session_token")?;
        let payload = &verified.payload;
        if let Some(id) = p
            .client_session_id
            .as_ref()
            .filter(|id| **id != payload.sid)
        {
            return Err(arguments(format!(
                "client_session_id '{id}' does not match the session of client_session_token \
                 ('{}'). Pass one of them.",
                payload.sid
            )));
        }
        let record = cx.load(&payload.sid)?;
        let token = cx.token(&record, &tokens::agent(&record, payload)?);
        let result = session_status(cx, &record, Some(token.clone()))?;
        let out = reply(&result)
            .with_meta("session_token", token)
            .finish(None, None);
        return Ok(waiting(out, p.wait_ms, &record));
    }
    if let Some(id) = &p.client_session_id {
        let Some(parent_token) = &p.parent_session_token else {
            return Err(arguments(
                "parent_session_token is required when using client_session_id for \
                 authorization."
                    .to_owned(),
            ));
        };
        let verified = tokens::verify(&cx.keys, parent_token, "parent_session_token")?;
        let parent = cx.load(&verified.payload.sid)?;
        let child = cx.store().load(id)?.ok_or_else(|| {
            CallError::tool(
                ErrorCode::UnknownSession,
                format!("Unknown session '{id}': this server has no record of it."),
            )
        })?;
        if child.parent_sid.as_deref() != Some(parent.sid.as_str()) {
            return Err(CallError::tool(
                ErrorCode::NotAChild,
                format!(
                    "Session '{id}' is not a child of the session of parent_session_token \
                     ('{}'). Only the dispatching session may read a child's status by id.",
                    parent.sid
                ),
            ));
        }
        let result = session_status(cx, &child, None)?;
        return Ok(waiting(reply(&result).finish(None, None), p.wait_ms, &child));
    }
    if let Some(parent_token) = &p.parent_session_token {
        let verified = tokens::verify(&cx.keys, parent_token, "parent_session_token")?;
        let parent = cx.load(&verified.payload.sid)?;
        let mut children = Vec::with_capacity(parent.children.len());
        for sid in &parent.children {
            if let Some(child) = cx.store().load(sid)? {
                children.push(ChildListing {
                    session_id: child.sid.clone(),
                    workflow_id: child.workflow_id.clone(),
                    status: child.status().as_str().to_owned(),
                    current_activity: child.current.as_ref().map(|c| c.activity_id.clone()),
                    updated_at: rfc3339(child.updated_at),
                });
            }
        }
        let result = StatusResult::Children(ChildrenResult {
            parent_session_id: parent.sid.clone(),
            children,
        });
        return Ok(waiting(reply(&result).finish(None, None), p.wait_ms, &parent));
    }
    Err(arguments(
        "Either client_session_token or client_session_id must be provided (or \
         parent_session_token alone to list its children)."
            .to_owned(),
    ))
}

/// The answer, with what a host waits on when the caller asked to: the session read (or the
/// parent listed) and its children, whose statuses the result shows.
fn waiting(out: ToolOutput, wait_ms: Option<u64>, record: &SessionRecord) -> ToolOutput {
    let wait = wait_ms.filter(|ms| *ms > 0).map(|ms| Wait {
        ms,
        sessions: std::iter::once(&record.sid)
            .chain(&record.children)
            .cloned()
            .collect(),
    });
    ToolOutput { wait, ..out }
}

fn reply(result: &StatusResult) -> Reply {
    let structured = to_value(result);
    let text = toon(&structured);
    Reply::new(structured, text)
}

fn session_status(
    cx: &Cx<'_>,
    record: &SessionRecord,
    session_token: Option<String>,
) -> Result<StatusResult, CallError> {
    let served = cx.catalog.served(&record.workflow_id);
    let active_modes = served
        .map(|s| {
            s.definition
                .workflow
                .modes
                .iter()
                .filter(|m| {
                    record.variables.get(&m.activation_variable) == Some(&Value::Bool(true))
                })
                .map(|m| m.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut children = Vec::with_capacity(record.children.len());
    for sid in &record.children {
        if let Some(child) = cx.store().load(sid)? {
            children.push(ChildSummary {
                session_id: child.sid.clone(),
                workflow_id: child.workflow_id.clone(),
                status: child.status().as_str().to_owned(),
            });
        }
    }
    Ok(StatusResult::Session(Box::new(SessionStatusResult {
        session_id: record.sid.clone(),
        status: record.status().as_str().to_owned(),
        workflow: StatusWorkflow {
            id: record.workflow_id.clone(),
            version: record.workflow_version.clone(),
            title: served.map(|s| s.definition.workflow.title.clone()),
        },
        current_activity: record.current.as_ref().map(|c| c.activity_id.clone()),
        completed_activities: record.completed_activities.clone(),
        active_checkpoint: record.active_checkpoint.as_ref().map(|a| StatusCheckpoint {
            id: a.checkpoint_id.clone(),
            activity: a.activity_id.clone(),
            yielded_at: rfc3339(a.yielded_at),
        }),
        last_checkpoint: record.last_answer.as_ref().map(|a| StatusAnswer {
            id: a.checkpoint_id.clone(),
            activity: a.activity_id.clone(),
            option: a.option_id.clone(),
            mode: a.mode.as_str().to_owned(),
            at: rfc3339(a.answered_at),
        }),
        variables: record.variables.clone(),
        active_modes,
        outcome: record.outcome.clone(),
        parent_session_id: record.parent_sid.clone(),
        children,
        agents: record.agents.clone(),
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
        completed_at: record.completed_at.map(rfc3339),
        session_token,
    })))
}
