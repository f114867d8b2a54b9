//! JSON Schemas (draft 2020-12) generated from the model types, so the schemas editors use, the
//! ones the validator checks and the types the server runs on can never disagree. The generated
//! schemas are committed under `schemas/`; a test fails when they drift.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::{Activity, Condition, Skill, Workflow};

/// The kinds of definition file that have a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    Workflow,
    Activity,
    Condition,
    Skill,
}

impl SchemaKind {
    pub const ALL: [SchemaKind; 4] = [
        SchemaKind::Workflow,
        SchemaKind::Activity,
        SchemaKind::Condition,
        SchemaKind::Skill,
    ];

    /// The name used in file names and resource URIs.
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Workflow => "workflow",
            SchemaKind::Activity => "activity",
            SchemaKind::Condition => "condition",
            SchemaKind::Skill => "skill",
        }
    }

    /// The generated schema, built once per process.
    pub fn schema(self) -> &'static Value {
        static CACHE: [OnceLock<Value>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        CACHE[self as usize].get_or_init(|| generate(self))
    }
}

fn generate(kind: SchemaKind) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match kind {
        SchemaKind::Workflow => generator.into_root_schema_for::<Workflow>(),
        SchemaKind::Activity => generator.into_root_schema_for::<Activity>(),
        SchemaKind::Condition => generator.into_root_schema_for::<Condition>(),
        SchemaKind::Skill => generator.into_root_schema_for::<Skill>(),
    };
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.insert(
            "$id".into(),
            Value::String(format!("workflow-server://schemas/{}", kind.name())),
        );
    }
    value
}

/// The schema text as committed: pretty JSON with a trailing newline.
pub fn render(kind: SchemaKind) -> String {
    let mut text = serde_json::to_string_pretty(kind.schema()).expect("schemas serialise");
    text.push('\n');
    text
}
