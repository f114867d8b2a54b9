//! Schema fragments for the string rules of docs/formats.md#identifiers-and-names, so the generated
//! JSON Schemas carry the same rules the validator enforces and editors can flag them as the author
//! types.

use schemars::{Schema, SchemaGenerator, json_schema};

use crate::ids::{ID_PATTERN, TARGET_PATTERN, VARIABLE_PATTERN, VERSION_PATTERN};

pub fn id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": ID_PATTERN })
}

/// A transition's `to`: an activity id, or `__terminal__` to end the workflow.
pub fn target(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": TARGET_PATTERN })
}

pub fn opt_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": ID_PATTERN })
}

pub fn ids(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": { "type": "string", "pattern": ID_PATTERN } })
}

pub fn variable(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": VARIABLE_PATTERN })
}

pub fn version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": VERSION_PATTERN })
}

pub fn positive_integer(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 1 })
}

/// Any JSON value: schemars would otherwise emit `true`, which editors render poorly.
pub fn any(_: &mut SchemaGenerator) -> Schema {
    json_schema!({})
}

/// A condition's compared value: primitives only.
pub fn primitive(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "number", "boolean", "null"] })
}
