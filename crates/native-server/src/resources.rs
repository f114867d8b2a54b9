//! The MCP resources of protocol.md §11, built from the cached catalog and the generated
//! schemas; nothing is read from disk per request.
//!
//! This module only maps catalog data to JSON. When the core's `engine::resources` functions
//! land, the host calls those instead and this module goes.

use serde_json::{Map, Value, json};
use workflow_core::catalog::Catalog;
use workflow_core::schema::SchemaKind;

const SCHEMAS: &str = "workflow-server://schemas";
const WORKFLOWS: &str = "workflow-server://workflows/";

/// A listed resource: URI, name, description.
pub struct Listed {
    pub uri: String,
    pub name: String,
    pub description: String,
}

pub fn list(catalog: &Catalog) -> Vec<Listed> {
    let mut out = vec![Listed {
        uri: SCHEMAS.to_owned(),
        name: "schemas".to_owned(),
        description: "Every definition JSON Schema, keyed by type.".to_owned(),
    }];
    for kind in SchemaKind::ALL {
        out.push(Listed {
            uri: format!("{SCHEMAS}/{}", kind.name()),
            name: format!("{} schema", kind.name()),
            description: format!(
                "JSON Schema (draft 2020-12) of a {} definition.",
                kind.name()
            ),
        });
    }
    for entry in catalog.library().workflows() {
        out.push(Listed {
            uri: format!("{WORKFLOWS}{}", entry.id),
            name: entry.title.clone().unwrap_or_else(|| entry.id.clone()),
            description: format!(
                "Workflow '{}' ({}): definition and diagnostics.",
                entry.id,
                entry.status.as_str()
            ),
        });
    }
    out
}

/// The resource's JSON, or `None` for an unknown URI.
pub fn read(catalog: &Catalog, uri: &str) -> Option<Value> {
    if uri == SCHEMAS {
        let all: Map<String, Value> = SchemaKind::ALL
            .iter()
            .map(|k| (k.name().to_owned(), k.schema().clone()))
            .collect();
        return Some(Value::Object(all));
    }
    if let Some(name) = uri.strip_prefix(SCHEMAS).and_then(|r| r.strip_prefix('/')) {
        return SchemaKind::ALL
            .iter()
            .find(|k| k.name() == name)
            .map(|k| k.schema().clone());
    }
    let id = uri.strip_prefix(WORKFLOWS)?;
    let entry = catalog.entry(id)?;
    let served = catalog.served(id);
    let definition = served.map(|s| {
        let mut def = s.definition.raw.clone();
        let activities: Vec<Value> = s
            .definition
            .activities
            .iter()
            .map(|a| Value::Object(a.raw.clone()))
            .collect();
        def.insert("activities".into(), Value::Array(activities));
        Value::Object(def)
    });
    Some(json!({
        "id": entry.id,
        "status": entry.status.as_str(),
        "startable": catalog.startable(id),
        "version": served
            .map(|s| s.definition.workflow.version.clone())
            .or_else(|| entry.version.clone()),
        "definition": definition,
        "diagnostics": entry.diagnostics,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use workflow_core::catalog::Library;

    fn catalog() -> Catalog {
        Catalog::new(
            Library::load([
                (
                    "w/workflow.yaml",
                    "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: a\n",
                ),
                ("w/activities/01-a.yaml", "id: a\nversion: 1.0.0\nname: A\n"),
            ]),
            1,
        )
    }

    #[test]
    fn schemas_and_each_workflow_are_listed_and_readable() {
        let c = catalog();
        let uris: Vec<String> = list(&c).into_iter().map(|l| l.uri).collect();
        assert!(uris.contains(&"workflow-server://schemas/skill".to_owned()));
        assert!(uris.contains(&"workflow-server://workflows/w".to_owned()));
        for uri in &uris {
            assert!(read(&c, uri).is_some(), "{uri} reads");
        }
        let w = read(&c, "workflow-server://workflows/w").expect("reads");
        assert_eq!(w["status"], "ok");
        assert_eq!(w["definition"]["activities"][0]["id"], "a");
        assert!(read(&c, "workflow-server://workflows/nope").is_none());
        assert!(read(&c, "workflow-server://schemas/nope").is_none());
        assert!(read(&c, "file:///etc/passwd").is_none());
    }
}
