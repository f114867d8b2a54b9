//! The tools that serve definitions of the session's workflow: `get_workflow`, `get_activity`
//! and `get_resource` (protocol.md §7.8, §7.10, §7.17). Definitions are served as authored,
//! with the server's own fields added.

use serde_json::{Map, Value, json};

use crate::catalog::{ActivityDef, Definition, ResourceLookupError};
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{GetResourceParams, GetWorkflowParams, SessionTokenParams};
use crate::engine::render::{to_value, toon, with_header};
use crate::engine::results::{GetActivityResult, GetResourceResult, GetWorkflowResult};
use crate::engine::warnings;
use crate::ids;

use super::skills::{SECTION, serve, skill_unavailable};
use super::{gated, with_session};

/// Puts `key` when it has a value; with `nulls`, an absent value is written as `null` (the
/// TOON text shows every key of a summary, the structured result omits absent ones).
fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>, nulls: bool) {
    match value {
        Some(v) => {
            map.insert(key.to_owned(), v);
        }
        None if nulls => {
            map.insert(key.to_owned(), Value::Null);
        }
        None => {}
    }
}

/// Activity stubs in catalog order: `id`, `name`, `required`, `artifactPrefix`.
fn stubs(def: &Definition, nulls: bool) -> Value {
    Value::Array(
        def.activities
            .iter()
            .map(|a| {
                let mut m = Map::new();
                m.insert("id".into(), json!(a.activity.id));
                m.insert("name".into(), json!(a.activity.name));
                m.insert("required".into(), json!(a.activity.required));
                put(
                    &mut m,
                    "artifactPrefix",
                    a.artifact_prefix.clone().map(Value::String),
                    nulls,
                );
                Value::Object(m)
            })
            .collect(),
    )
}

/// The summary object of §7.8, without `session_token`.
fn summary(def: &Definition, nulls: bool) -> Map<String, Value> {
    let raw = &def.raw;
    let mut m = Map::new();
    for key in ["id", "version", "title", "description", "tags", "rules"] {
        put(&mut m, key, raw.get(key).cloned(), nulls);
    }
    let variables = raw.contains_key("variables").then(|| {
        Value::Array(
            def.workflow
                .variables
                .iter()
                .map(|v| {
                    let mut o = Map::new();
                    o.insert("name".into(), json!(v.name));
                    o.insert("type".into(), json!(v.kind.as_str()));
                    put(
                        &mut o,
                        "description",
                        v.description.clone().map(Value::String),
                        nulls,
                    );
                    put(&mut o, "defaultValue", v.default_value.clone(), nulls);
                    o.insert("required".into(), json!(v.required));
                    Value::Object(o)
                })
                .collect(),
        )
    });
    put(&mut m, "variables", variables, nulls);
    for key in ["modes", "artifactLocations", "skills", "initialActivity"] {
        put(&mut m, key, raw.get(key).cloned(), nulls);
    }
    m.insert("activities".into(), stubs(def, nulls));
    m
}

/// Every workflow-level field as authored, `activities` replaced by the stubs (in place when
/// the file has the field, else last).
fn full(def: &Definition, nulls: bool) -> Map<String, Value> {
    let mut m = def.raw.clone();
    m.insert("activities".into(), stubs(def, nulls));
    m
}

/// An activity as served: authored fields in file order, then the server fields
/// `artifactPrefix` (replacing an authored value; none for inline activities) and `workflowId`
/// (for an activity taken from another workflow's folder).
pub(crate) fn served_activity(def: &Definition, activity: &ActivityDef) -> Map<String, Value> {
    let mut object = activity.raw.clone();
    object.shift_remove("artifactPrefix");
    if let Some(prefix) = &activity.artifact_prefix {
        object.insert("artifactPrefix".into(), json!(prefix));
    }
    if activity.origin != def.workflow.id {
        object.shift_remove("workflowId");
        object.insert("workflowId".into(), json!(activity.origin));
    }
    object
}

pub(crate) fn get_workflow(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = GetWorkflowParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| workflow(cx, at, p.summary.unwrap_or(true)),
    )
}

fn workflow(cx: &Cx<'_>, at: &mut Attempt, summarise: bool) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    let wf = def.workflow.id.as_str();
    let primary = match def.workflow.skills.as_ref() {
        None => None,
        Some(s) => match cx.catalog.library().resolve_skill(&s.primary, wf, Some(wf)) {
            Ok(skill) => Some(serve(&skill)),
            Err(e) => {
                at.warn(Some(skill_unavailable(&s.primary, &e)));
                None
            }
        },
    };
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, wf));
    let token = at.token(cx);
    let mut text = primary
        .as_ref()
        .map(|s| format!("{}{SECTION}", toon(&Value::Object(s.skill.clone()))))
        .unwrap_or_default();
    let structured_workflow = if summarise {
        let mut shown = summary(def, true);
        shown.insert("session_token".into(), json!(token));
        text.push_str(&toon(&Value::Object(shown)));
        summary(def, false)
    } else {
        text.push_str(&with_header(
            &[("session_token", token.as_str())],
            &toon(&Value::Object(full(def, true))),
        ));
        full(def, false)
    };
    let result = GetWorkflowResult {
        primary_skill: primary,
        workflow: structured_workflow,
        session_token: token.clone(),
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
}

pub(crate) fn get_activity(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = SessionTokenParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| {
            gated(at, Gate::General)?;
            let served = gates::definition(&cx.catalog, &at.rec)?;
            let def = &served.definition;
            let Some(current) = &at.rec.current else {
                return Err(CallError::tool(
                    ErrorCode::NoCurrentActivity,
                    format!(
                        "No current activity in session '{}'. Call next_activity first.",
                        at.rec.sid
                    ),
                ));
            };
            let Some(activity) = def.activity(&current.activity_id) else {
                return Err(CallError::tool(
                    ErrorCode::ActivityNotFound,
                    format!(
                        "Activity not found: {}. The workflow definition changed since the \
                         session entered it; call next_activity to move to an existing activity.",
                        current.activity_id
                    ),
                ));
            };
            let object = served_activity(def, activity);
            at.warn(warnings::version_drift(&at.rec, served));
            at.warn(warnings::serving_last_good(&cx.catalog, &def.workflow.id));
            let token = at.token(cx);
            let text = with_header(
                &[("session_token", token.as_str())],
                &toon(&Value::Object(object.clone())),
            );
            let result = GetActivityResult {
                activity: object,
                session_token: token.clone(),
            };
            Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
        },
    )
}

pub(crate) fn get_resource(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = GetResourceParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| resource(cx, at, &p.resource_index),
    )
}

fn resource(cx: &Cx<'_>, at: &mut Attempt, reference: &str) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let session_wf = served.definition.workflow.id.as_str();
    let wf = ids::parse_resource_ref(reference)
        .and_then(|(explicit, _)| explicit)
        .unwrap_or(session_wf);
    let found = cx
        .catalog
        .library()
        .resolve_resource(reference, session_wf)
        .map_err(|e| match e {
            ResourceLookupError::NotFound => CallError::tool(
                ErrorCode::ResourceNotFound,
                format!("Resource not found: {reference} in workflow {wf}."),
            ),
            ResourceLookupError::Ambiguous {
                index,
                files,
                names,
            } => CallError::tool(
                ErrorCode::ResourceAmbiguous,
                format!(
                    "Resource index '{index}' is ambiguous in workflow '{wf}': {}. Refer to it by \
                     name, e.g. '{wf}/{}'.",
                    files.join(", "),
                    names.first().map_or("", String::as_str)
                ),
            ),
            e @ ResourceLookupError::Unavailable(_) => CallError::tool(
                ErrorCode::ResourceUnavailable,
                format!("Resource '{reference}' is unavailable: {e}."),
            ),
        })?;
    let Ok(content) = &found.content else {
        return Err(CallError::tool(
            ErrorCode::ResourceUnavailable,
            format!("Resource '{reference}' is unavailable."),
        ));
    };
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, session_wf));
    let token = at.token(cx);
    let mut header: Vec<(&str, &str)> = vec![("resource_index", reference)];
    if let Some(id) = &content.id {
        header.push(("id", id));
    }
    if let Some(version) = &content.version {
        header.push(("version", version));
    }
    header.push(("session_token", &token));
    let text = with_header(&header, &content.content);
    let result = GetResourceResult {
        resource_index: reference.to_owned(),
        workflow_id: found.workflow.clone(),
        index: found.index.clone(),
        name: found.name.clone(),
        id: content.id.clone(),
        version: content.version.clone(),
        format: found.format.name().to_owned(),
        content: content.content.clone(),
        session_token: token.clone(),
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
}
