//! The JSON objects served for a definition: the workflow summary and whole workflow of
//! `get_workflow`, and an activity as `get_activity` serves it. Hosts (the npm package's preview)
//! use the same summary, so there is one.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::catalog::{ActivityDef, Definition};
use crate::model::Condition;

/// Puts `key` when it has a value: absent fields are left out, in the text as in the
/// structured result, so an agent reads only what the workflow says.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v);
    }
}

/// Activity stubs in catalog order: `id`, `name`, `required`, `artifactPrefix`.
fn stubs(def: &Definition) -> Value {
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
                );
                Value::Object(m)
            })
            .collect(),
    )
}

/// The summary object of docs/protocol.md#get_workflow, without `session_token`.
pub(crate) fn workflow_summary(def: &Definition) -> Map<String, Value> {
    let raw = &def.raw;
    let mut m = Map::new();
    for key in ["id", "version", "title", "description", "tags", "rules"] {
        put(&mut m, key, raw.get(key).cloned());
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
                    );
                    put(&mut o, "defaultValue", v.default_value.clone());
                    o.insert("required".into(), json!(v.required));
                    Value::Object(o)
                })
                .collect(),
        )
    });
    put(&mut m, "variables", variables);
    for key in ["modes", "artifactLocations", "skills", "initialActivity"] {
        put(&mut m, key, raw.get(key).cloned());
    }
    m.insert("activities".into(), stubs(def));
    if !def.unavailable.is_empty() {
        m.insert("unavailableActivities".into(), unavailable(def));
    }
    m
}

/// The activities left out for errors in their files, each as `<id>: <file>:<line>:<col>:
/// <message>` (docs/protocol.md#get_workflow).
fn unavailable(def: &Definition) -> Value {
    Value::Array(
        def.unavailable
            .iter()
            .map(|(id, d)| json!(format!("{id}: {}: {}", d.location(), d.message)))
            .collect(),
    )
}

/// Every workflow-level field as authored, `activities` replaced by the stubs (in place when
/// the file has the field, else last).
pub(crate) fn workflow_full(def: &Definition) -> Map<String, Value> {
    let mut m = def.raw.clone();
    m.insert("activities".into(), stubs(def));
    if !def.unavailable.is_empty() {
        m.insert("unavailableActivities".into(), unavailable(def));
    }
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

/// The summary `get_workflow` returns as its structured `workflow` (absent fields omitted), for
/// hosts that show a workflow without running a session.
pub fn summary(def: &Definition) -> Map<String, Value> {
    workflow_summary(def)
}

/// The activity text `get_activity` serves (docs/protocol.md#get_activity), rendered once per
/// catalog load: the served object in TOON with every condition in its canonical one-line text,
/// and without `transitions`, which the call's `next` list gives with their conditions.
pub(crate) fn activity_text(def: &Definition, activity: &ActivityDef) -> Arc<str> {
    activity.text.get_or_render(|| {
        let mut object = served_activity(def, activity);
        object.shift_remove("transitions");
        let mut value = Value::Object(object);
        conditions_as_text(&mut value);
        super::render::toon(&value)
    })
}

/// Replaces each condition object under a `condition` or `breakCondition` key with its canonical
/// text (docs/formats.md#condition-rendering): one short line instead of an object of four keys
/// per operand. A value that is not a valid condition stays as written.
fn conditions_as_text(value: &mut Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if matches!(key.as_str(), "condition" | "breakCondition")
                        && let Ok(condition) = Condition::deserialize(&*child)
                    {
                        *child = Value::String(condition.render());
                    } else {
                        pending.push(child);
                    }
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}
