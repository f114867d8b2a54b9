//! MCP resources (docs/protocol.md#mcp-resources): the definition schemas and one document per
//! workflow, all from the cached catalog. The host lists and reads them through these functions.

use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, Definition};
use crate::schema::SchemaKind;

use super::definition_json::{self, served_activity};
use super::render::to_value;

const SCHEMES: &str = "workflow-server://schemas";
const WORKFLOWS: &str = "workflow-server://workflows/";
/// After a workflow's URI: the whole definition instead of its summary.
const FULL: &str = "/full";

/// One entry of `resources/list`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceInfo {
    pub uri: String,
    pub name: String,
    pub description: String,
    /// Always `application/json`.
    pub mime_type: &'static str,
}

fn info(uri: String, name: String, description: String) -> ResourceInfo {
    ResourceInfo {
        uri,
        name,
        description,
        mime_type: "application/json",
    }
}

/// Every resource: the schema index, each schema, each workflow of the catalog.
pub fn resources(catalog: &Catalog) -> Vec<ResourceInfo> {
    let mut out = vec![info(
        SCHEMES.to_owned(),
        "schemas".to_owned(),
        "JSON Schemas (draft 2020-12) of workflow, activity, condition and skill definitions."
            .to_owned(),
    )];
    for kind in SchemaKind::ALL {
        out.push(info(
            format!("{SCHEMES}/{}", kind.name()),
            format!("schema: {}", kind.name()),
            format!("JSON Schema of a {} definition.", kind.name()),
        ));
    }
    for entry in catalog.library().workflows() {
        out.push(info(
            format!("{WORKFLOWS}{}", entry.id),
            format!("workflow: {}", entry.id),
            format!(
                "Workflow '{}' ({}): its summary (description, variables, modes, activity stubs) \
                 and diagnostics; append /full for every activity inlined.",
                entry.id,
                entry.status.as_str()
            ),
        ));
    }
    out
}

/// The JSON of a resource; `None` for an unknown URI (a JSON-RPC "resource not found").
pub fn read_resource(catalog: &Catalog, uri: &str) -> Option<Value> {
    if uri == SCHEMES {
        let all: Map<String, Value> = SchemaKind::ALL
            .iter()
            .map(|k| (k.name().to_owned(), k.schema().clone()))
            .collect();
        return Some(Value::Object(all));
    }
    if let Some(name) = uri.strip_prefix(&format!("{SCHEMES}/")) {
        return SchemaKind::ALL
            .iter()
            .find(|k| k.name() == name)
            .map(|k| k.schema().clone());
    }
    let path = uri.strip_prefix(WORKFLOWS)?;
    let (id, full) = match path.strip_suffix(FULL) {
        Some(id) => (id, true),
        None => (path, false),
    };
    let entry = catalog.entry(id)?;
    let definition = catalog.served(id).map_or(Value::Null, |s| {
        if full {
            inlined(&s.definition)
        } else {
            Value::Object(definition_json::summary(&s.definition))
        }
    });
    Some(json!({
        "id": entry.id,
        "status": entry.status.as_str(),
        "startable": catalog.startable(id),
        "version": entry.version,
        "definition": definition,
        "diagnostics": to_value(&entry.diagnostics),
    }))
}

/// The workflow as authored with `activities` holding each activity as `get_activity` serves it.
fn inlined(def: &Definition) -> Value {
    let mut workflow = def.raw.clone();
    let activities = def
        .activities
        .iter()
        .map(|a| Value::Object(served_activity(def, a)))
        .collect();
    workflow.insert("activities".into(), Value::Array(activities));
    Value::Object(workflow)
}
