//! TypeScript declarations of the package, generated from the JSON Schemas of the Rust types it
//! exchanges (schemars, as the core's definition schemas are), so the types are written once,
//! in Rust. The output is committed as `generated/types.d.ts` and compiled into the module's
//! `.d.ts`; a test fails when it drifts.

use serde_json::{Map, Value};

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use workflow_core::diagnostic::Diagnostic;
use workflow_core::engine::{ErrorCode, WarningCode};
use workflow_core::model::Condition;

use crate::api::{ApiError, CallResult, EngineOptions, Evaluation, Files, Host, ToolInfo};
use crate::preview::Preview;

/// The declarations of every type the package's functions take or return, and of every
/// tool's arguments and structured result (`ToolArgs`, `ToolResults`, keyed by tool name).
pub fn declarations() -> String {
    let mut defs = Map::new();
    let mut outputs = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    outputs.subschema_for::<Diagnostic>();
    outputs.subschema_for::<Preview>();
    outputs.subschema_for::<Evaluation>();
    outputs.subschema_for::<ApiError>();
    outputs.subschema_for::<CallResult>();
    outputs.subschema_for::<ToolInfo>();
    collect(&mut defs, outputs, true);
    let mut inputs = SchemaSettings::draft2020_12().into_generator();
    inputs.subschema_for::<Condition>();
    inputs.subschema_for::<EngineOptions>();
    collect(&mut defs, inputs, false);

    let host = Host::new(&Files::new(), &[0; 32], &EngineOptions::default(), 0)
        .expect("a 32-byte key is accepted");
    let tools = host.tools();
    let mut args = Map::new();
    let mut results = Map::new();
    for tool in &tools {
        let name = pascal(&tool.name);
        add_root(&mut defs, &format!("{name}Args"), &tool.input_schema, false);
        add_root(
            &mut defs,
            &format!("{name}Result"),
            &tool.output_schema,
            true,
        );
        args.insert(tool.name.clone(), json_ref(&format!("{name}Args")));
        results.insert(tool.name.clone(), json_ref(&format!("{name}Result")));
    }
    let names: Vec<Value> = tools
        .iter()
        .map(|t| Value::String(t.name.clone()))
        .collect();
    defs.insert(
        "ToolName".into(),
        serde_json::json!({"description": "The tools, in `tools/list` order.", "enum": names}),
    );
    let warnings: Vec<&str> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
    defs.insert(
        "WarningCode".into(),
        serde_json::json!({
            "description": "The codes of runtime warnings (`meta.validation.codes`).",
            "enum": warnings,
        }),
    );
    let errors: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    defs.insert(
        "ErrorCode".into(),
        serde_json::json!({
            "description": "The codes of tool errors (the `code` of an error `call` throws).",
            "enum": errors,
        }),
    );
    for (name, properties, what) in [
        ("ToolArgs", args, "Each tool's arguments."),
        ("ToolResults", results, "Each tool's structured result."),
    ] {
        let required: Vec<&String> = properties.keys().collect();
        let schema = serde_json::json!({
            "description": what,
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        });
        defs.insert(name.into(), schema);
    }

    let mut out = String::from(
        "// Generated from the Rust types by `UPDATE_TYPES=1 cargo test -p workflow-wasm --test types`; do not edit.\n",
    );
    for (name, schema) in &defs {
        out.push('\n');
        out.push_str(&declaration(name, schema));
    }
    out
}

fn json_ref(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/$defs/{name}") })
}

/// `start_session` → `StartSession`.
fn pascal(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Adds a root schema (a tool's) under `name`, and its `$defs` beside it.
fn add_root(defs: &mut Map<String, Value>, name: &str, schema: &Value, output: bool) {
    let mut schema = schema.clone();
    let inner = schema
        .as_object_mut()
        .and_then(|m| {
            m.remove("$schema");
            m.remove("$defs")
        })
        .and_then(|d| match d {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    for (def, value) in inner.into_iter().chain([(name.to_owned(), schema)]) {
        insert(defs, def, value, output);
    }
}

/// Adds the definitions of a generator's types. For values the package returns (`output`),
/// absent optional fields are left out rather than `null`; values it reads keep `null` where
/// the Rust type accepts it.
fn collect(defs: &mut Map<String, Value>, mut generator: SchemaGenerator, output: bool) {
    for (name, schema) in generator.take_definitions(true) {
        insert(defs, name, schema, output);
    }
}

fn insert(defs: &mut Map<String, Value>, name: String, schema: Value, output: bool) {
    let schema = if output {
        without_optional_nulls(schema)
    } else {
        schema
    };
    if let Some(before) = defs.get(&name) {
        assert_eq!(before, &schema, "two different types are named {name}");
    }
    defs.insert(name, schema);
}

/// Drops `null` from the types of optional properties: the Rust types skip an absent `Option`
/// when serialising, so such a property is missing rather than `null`.
fn without_optional_nulls(mut schema: Value) -> Value {
    if let Some(map) = schema.as_object_mut() {
        let required: Vec<String> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            for (key, prop) in props.iter_mut() {
                if !required.contains(key) {
                    strip_null(prop);
                }
            }
        }
        for value in map.values_mut() {
            *value = without_optional_nulls(std::mem::take(value));
        }
    } else if let Some(items) = schema.as_array_mut() {
        for item in items {
            *item = without_optional_nulls(std::mem::take(item));
        }
    }
    schema
}

fn strip_null(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            map.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(any_of)) = map.get("anyOf") {
        let rest: Vec<Value> = any_of
            .iter()
            .filter(|s| s.get("type").and_then(Value::as_str) != Some("null"))
            .cloned()
            .collect();
        if let [only] = rest.as_slice() {
            let only = only.clone();
            map.remove("anyOf");
            if let Value::Object(inner) = only {
                for (k, v) in inner {
                    map.entry(k).or_insert(v);
                }
            }
        } else {
            map.insert("anyOf".into(), Value::Array(rest));
        }
    }
}

/// `export interface Name { … }` for an object with properties, else `export type Name = …;`.
fn declaration(name: &str, schema: &Value) -> String {
    let mut out = doc(schema, "");
    if schema.get("properties").is_some() && is_plain_object(schema) {
        out.push_str(&format!("export interface {name} {}\n", object(schema, "")));
    } else {
        out.push_str(&format!("export type {name} = {};\n", ts(schema, "")));
    }
    out
}

fn is_plain_object(schema: &Value) -> bool {
    ["oneOf", "anyOf", "allOf", "enum", "const"]
        .iter()
        .all(|k| schema.get(k).is_none())
        && schema.get("type").is_none_or(|t| t == "object")
}

fn doc(schema: &Value, indent: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        None => String::new(),
        Some(text) => {
            let mut out = format!("{indent}/**\n");
            for line in text.lines() {
                out.push_str(
                    &format!("{indent} * {}\n", line.replace("*/", "*\\/")).replace(" \n", "\n"),
                );
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}

/// The TypeScript type of a schema. `indent` is the indentation of the line it starts on, for
/// nested object literals.
fn ts(schema: &Value, indent: &str) -> String {
    let map = match schema {
        Value::Bool(true) => return "unknown".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(map) => map,
        _ => return "unknown".into(),
    };
    if let Some(Value::String(r)) = map.get("$ref") {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if let Some(c) = map.get("const") {
        return c.to_string();
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return union(values.iter().map(Value::to_string).collect());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(options)) = map.get(key) {
            let mut members: Vec<String> = options.iter().map(|o| ts(o, indent)).collect();
            // Properties declared beside the alternatives apply to each of them.
            if map.contains_key("properties") {
                let common = object(schema, indent);
                members = members
                    .into_iter()
                    .map(|m| format!("{common} & {m}"))
                    .collect();
            }
            return union(members);
        }
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        return parts
            .iter()
            .map(|p| ts(p, indent))
            .collect::<Vec<_>>()
            .join(" & ");
    }
    match map.get("type") {
        Some(Value::String(t)) => of_type(t, schema, indent),
        Some(Value::Array(types)) => union(
            types
                .iter()
                .filter_map(Value::as_str)
                .map(|t| of_type(t, schema, indent))
                .collect(),
        ),
        _ if map.contains_key("properties") => object(schema, indent),
        _ => "unknown".into(),
    }
}

fn union(mut members: Vec<String>) -> String {
    members.dedup();
    if members.is_empty() {
        return "never".into();
    }
    members.join(" | ")
}

fn of_type(t: &str, schema: &Value, indent: &str) -> String {
    match t {
        "string" => "string".into(),
        "number" | "integer" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => match schema.get("items") {
            None => "unknown[]".into(),
            Some(items) => {
                let inner = ts(items, indent);
                if inner.contains(' ') && !inner.starts_with('{') {
                    format!("({inner})[]")
                } else {
                    format!("{inner}[]")
                }
            }
        },
        "object" => object(schema, indent),
        _ => "unknown".into(),
    }
}

/// An object literal type: its properties, then `additionalProperties` as an index signature.
fn object(schema: &Value, indent: &str) -> String {
    let props = schema.get("properties").and_then(Value::as_object);
    let extra = match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Some("unknown".to_owned()),
        Some(Value::Bool(false)) => None,
        Some(s) => Some(ts(s, indent)),
    };
    let Some(props) = props.filter(|p| !p.is_empty()) else {
        return format!(
            "Record<string, {}>",
            extra.unwrap_or_else(|| "never".into())
        );
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    for (key, prop) in props {
        out.push_str(&doc(prop, &inner));
        let optional = if required.contains(&key.as_str()) {
            ""
        } else {
            "?"
        };
        out.push_str(&format!(
            "{inner}{}{optional}: {};\n",
            property_name(key),
            ts(prop, &inner)
        ));
    }
    if schema
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false))
    {
        out.push_str(&format!(
            "{inner}[key: string]: {};\n",
            extra.unwrap_or_else(|| "unknown".into())
        ));
    }
    out.push_str(indent);
    out.push('}');
    out
}

fn property_name(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain {
        key.to_owned()
    } else {
        Value::String(key.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_become_types() {
        let schema = json!({
            "description": "A thing.",
            "type": "object",
            "properties": {
                "id": {"type": "string", "description": "The id."},
                "n": {"type": ["integer", "null"]},
                "kind": {"enum": ["a", "b"]},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
                "any": {},
                "map": {"type": "object", "additionalProperties": {"type": "number"}},
                "odd-key": {"anyOf": [{"type": "string"}, {"type": "null"}]}
            },
            "required": ["id", "kind"]
        });
        let schema = without_optional_nulls(schema);
        assert_eq!(
            declaration("Thing", &schema),
            "/**\n * A thing.\n */\nexport interface Thing {\n  /**\n   * The id.\n   */\n  id: string;\n  n?: number;\n  kind: \"a\" | \"b\";\n  tags?: Tag[];\n  any?: unknown;\n  map?: Record<string, number>;\n  \"odd-key\"?: string;\n}\n"
        );
        let tagged = json!({"oneOf": [
            {"type": "object", "properties": {"type": {"const": "x"}}, "required": ["type"]},
            {"type": "string", "const": "y"}
        ]});
        assert_eq!(
            declaration("T", &tagged),
            "export type T = {\n  type: \"x\";\n} | \"y\";\n"
        );
    }
}
