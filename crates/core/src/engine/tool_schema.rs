//! Tool schemas as MCP clients accept them, generated from each tool's parameter and result
//! types (docs/protocol.md#transports-and-tool-list).

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

pub(crate) fn input<T: JsonSchema>() -> Value {
    compact(tidy(
        SchemaSettings::draft2020_12()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value(),
    ))
}

pub(crate) fn output<T: JsonSchema>() -> Value {
    tidy(
        SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value(),
    )
}

/// The schema as MCP clients accept it: without the generator's title (it names a Rust type,
/// which means nothing to a client); with `"type": "object"` at the root, which MCP requires (a
/// result whose schema is an `anyOf` is still always an object, and rmcp drops output schemas
/// without it for 2025-11-25 peers); with boolean property schemas (`true` = anything) written
/// as the equivalent objects, because the official TypeScript client rejects a whole tool list
/// over one of them; and with only standard `format`s (schemars writes `uint64` and the like for
/// Rust integers, which Ajv-based clients warn about; `minimum` already says what they mean).
fn tidy(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        map.remove("title");
        map.entry("type")
            .or_insert_with(|| Value::String("object".into()));
    }
    for_clients(&mut schema);
    schema
}

/// An input schema as short as it can be and mean the same, since every byte of it reaches the
/// model with `tools/list`: no `$schema` (MCP's default is 2020-12), no description of the
/// parameter type itself (the tool's description says it), `"type": "X"` rather than
/// `["X", "null"]` for an optional parameter (a null argument is read as absent), no
/// `additionalProperties: true` (the default), and doc comments on one line.
fn compact(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("description");
        // A parameter type used in place is shorter than a reference to `$defs`; parameter
        // types do not refer to themselves, so one pass resolves every reference.
        if let Some(Value::Object(defs)) = map.remove("$defs") {
            for value in map.values_mut() {
                inline(value, &defs);
            }
        }
    }
    shorten(&mut schema);
    schema
}

fn inline(schema: &mut Value, defs: &serde_json::Map<String, Value>) {
    match schema {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .and_then(|name| defs.get(name));
            if let Some(def) = target {
                let mut def = def.clone();
                if let Value::Object(d) = &mut def {
                    d.remove("description");
                }
                *schema = def;
                return;
            }
            map.values_mut().for_each(|v| inline(v, defs));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline(v, defs)),
        _ => {}
    }
}

fn shorten(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(true)) {
                map.remove("additionalProperties");
            }
            if let Some(Value::Array(types)) = map.get("type")
                && let [only, Value::String(null)] = types.as_slice()
                && null == "null"
            {
                let only = only.clone();
                map.insert("type".into(), only);
            }
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("properties", Value::Object(named)) => named.values_mut().for_each(shorten),
                    ("$defs", Value::Object(named)) => {
                        for def in named.values_mut() {
                            // The property that refers to a type describes it there.
                            if let Value::Object(d) = def {
                                d.remove("description");
                            }
                            shorten(def);
                        }
                    }
                    ("description", _) => {}
                    (_, value) => shorten(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(shorten),
        _ => {}
    }
}

/// The formats JSON Schema 2020-12 defines.
const STANDARD_FORMATS: [&str; 19] = [
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Walks a schema: keys of `properties` and `$defs` are names, not keywords, so only their values
/// are schemas to walk.
fn for_clients(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| !STANDARD_FORMATS.contains(&f))
            {
                map.remove("format");
            }
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("properties" | "$defs", Value::Object(named)) => {
                        for sub in named.values_mut() {
                            if let Value::Bool(any) = sub {
                                *sub = if *any {
                                    serde_json::json!({})
                                } else {
                                    serde_json::json!({ "not": {} })
                                };
                            }
                            for_clients(sub);
                        }
                    }
                    (_, value) => for_clients(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(for_clients),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::tidy;

    fn has_boolean_property_schema(schema: &Value) -> bool {
        match schema {
            Value::Object(map) => map.iter().any(|(k, v)| {
                (k == "properties"
                    && v.as_object()
                        .is_some_and(|p| p.values().any(Value::is_boolean)))
                    || has_boolean_property_schema(v)
            }),
            Value::Array(items) => items.iter().any(has_boolean_property_schema),
            _ => false,
        }
    }

    #[test]
    fn every_tool_schema_is_one_mcp_clients_accept() {
        let config = crate::engine::EngineConfig::default();
        for spec in crate::engine::tools::TOOLS.iter().map(|t| t.spec(&config)) {
            for schema in [&spec.input_schema, &spec.output_schema] {
                assert_eq!(
                    schema["type"], "object",
                    "{}: root is not an object schema",
                    spec.name
                );
                assert!(schema.get("title").is_none(), "{}", spec.name);
                assert!(
                    !has_boolean_property_schema(schema),
                    "{}: a boolean property schema",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn only_standard_formats_remain() {
        let fixed = tidy(json!({
            "properties": {
                "n": {"type": "integer", "format": "uint64", "minimum": 0},
                "at": {"type": "string", "format": "date-time"},
                "format": {"type": "string"}
            }
        }));
        assert_eq!(
            fixed["properties"]["n"],
            json!({"type": "integer", "minimum": 0})
        );
        assert_eq!(fixed["properties"]["at"]["format"], "date-time");
        assert_eq!(fixed["properties"]["format"], json!({"type": "string"}));
        let config = crate::engine::EngineConfig::default();
        for spec in crate::engine::tools::TOOLS.iter().map(|t| t.spec(&config)) {
            for schema in [&spec.input_schema, &spec.output_schema] {
                assert!(
                    !schema.to_string().contains("\"format\":\"uint"),
                    "{}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn boolean_property_schemas_become_objects() {
        let fixed = tidy(json!({
            "anyOf": [{"type": "object", "properties": {"effect": true, "n": {"type": "integer"}}}],
            "properties": {"never": false, "default": {"default": true}}
        }));
        assert_eq!(fixed["type"], "object");
        assert_eq!(fixed["anyOf"][0]["properties"]["effect"], json!({}));
        assert_eq!(
            fixed["anyOf"][0]["properties"]["n"],
            json!({"type": "integer"})
        );
        assert_eq!(fixed["properties"]["never"], json!({"not": {}}));
        assert_eq!(fixed["properties"]["default"], json!({"default": true}));
    }
}
