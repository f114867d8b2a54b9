//! Every construct of the schema appears somewhere in the project's library: each field of
//! each definition type (workflow, activity, step, checkpoint, option, effect, decision,
//! branch, loop, transition, trigger, action, artifact, variable, mode, skill and its parts),
//! each enum value (operators, loop types, action kinds, variable types) and each condition
//! form. The library is the reference authors copy, so a construct missing from it is a
//! construct nobody has an example of.

mod library_support;

use library_support::library_files;
use std::collections::BTreeSet;

use serde_json::Value;
use workflow_core::decode::{Format, decode};
use workflow_core::schema::SchemaKind;

/// Follows `$ref`s, returning the schema and the name of the last definition entered.
fn deref<'a>(root: &'a Value, mut schema: &'a Value, mut name: String) -> (&'a Value, String) {
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        name = r.rsplit('/').next().unwrap().to_owned();
        schema = root.pointer(r.trim_start_matches('#')).unwrap();
    }
    (schema, name)
}

fn fits(schema: &Value, value: &Value) -> bool {
    let t = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let ok = |s: &str| s == t || (s == "number" && t == "integer");
    match schema.get("type") {
        Some(Value::String(s)) => ok(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(ok),
        _ => schema.get("properties").is_none() || t == "object",
    }
}

/// Records `(definition, field)` for every field used and `(definition, =value)` for enum and
/// constant values.
fn walk(
    root: &Value,
    schema: &Value,
    name: String,
    value: &Value,
    seen: &mut BTreeSet<(String, String)>,
) {
    let (schema, name) = deref(root, schema, name);
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let tagged = branches.iter().find(|b| {
                let (b, _) = deref(root, b, String::new());
                fits(b, value)
                    && b.get("properties")
                        .and_then(Value::as_object)
                        .is_some_and(|p| {
                            p.iter().any(|(k, s)| {
                                s.get("const").is_some_and(|c| value.get(k) == Some(c))
                            })
                        })
            });
            let pick = tagged.or_else(|| {
                branches
                    .iter()
                    .find(|b| fits(deref(root, b, String::new()).0, value))
            });
            if let Some(b) = pick {
                walk(root, b, name.clone(), value, seen);
            }
        }
    }
    if (schema.get("enum").is_some() || schema.get("const").is_some())
        && let Some(s) = value.as_str()
    {
        seen.insert((name.clone(), format!("={s}")));
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties").filter(|s| s.is_object());
            for (k, v) in map {
                if let Some(p) = props.and_then(|p| p.get(k)) {
                    seen.insert((name.clone(), k.clone()));
                    walk(root, p, name.clone(), v, seen);
                } else if let Some(e) = extra {
                    walk(root, e, name.clone(), v, seen);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for v in items {
                    walk(root, item, name.clone(), v, seen);
                }
            }
        }
        _ => {}
    }
}

/// Every `(definition, field)` and `(definition, =value)` a schema declares.
fn declared(root: &Value, root_name: &str) -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    let mut add = |name: &str, schema: &Value| {
        let mut schemas = vec![schema];
        for key in ["oneOf", "anyOf"] {
            if let Some(b) = schema.get(key).and_then(Value::as_array) {
                schemas.extend(b.iter());
            }
        }
        for s in schemas {
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                for (k, p) in props {
                    if k != "$schema" {
                        all.insert((name.to_owned(), k.clone()));
                    }
                    if let Some(c) = p.get("const").and_then(Value::as_str) {
                        all.insert((name.to_owned(), format!("={c}")));
                    }
                }
            }
            for e in s
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                all.insert((
                    name.to_owned(),
                    format!("={}", e.as_str().unwrap_or_default()),
                ));
            }
            if let Some(c) = s.get("const").and_then(Value::as_str) {
                all.insert((name.to_owned(), format!("={c}")));
            }
        }
    };
    add(root_name, root);
    for (name, schema) in root
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        add(name, schema);
    }
    all
}

#[test]
fn every_construct_of_the_schema_appears_in_the_library() {
    let files = library_files();
    // Definitions are shared between schemas (the workflow schema embeds activities), so
    // coverage is the union over all of them, keyed by definition name.
    let mut seen = BTreeSet::new();
    let mut all = BTreeSet::new();
    for (kind, root_name) in [
        (SchemaKind::Workflow, "Workflow"),
        (SchemaKind::Activity, "Activity"),
        (SchemaKind::Skill, "Skill"),
    ] {
        let root = kind.schema();
        all.extend(declared(root, root_name));
        for (path, bytes) in &files {
            let Some(format) = Format::from_path(path) else {
                continue;
            };
            let is_kind = match kind {
                SchemaKind::Workflow => {
                    path.ends_with(&format!("/workflow.{}", format.name()))
                        || path.ends_with("/workflow.yml")
                }
                SchemaKind::Activity => path.contains("/activities/"),
                SchemaKind::Skill => path.contains("/skills/"),
                SchemaKind::Condition => false,
            };
            if !is_kind {
                continue;
            }
            let value = decode(format, std::str::from_utf8(bytes).unwrap())
                .unwrap()
                .value;
            walk(root, root, root_name.to_owned(), &value, &mut seen);
        }
    }
    assert!(
        all.len() >= 200,
        "the schemas declare only {} constructs; the walk is broken",
        all.len()
    );
    let missing: Vec<String> = all
        .difference(&seen)
        .map(|(def, field)| format!("{def}.{field}"))
        .collect();
    assert!(
        missing.is_empty(),
        "constructs no library file uses:\n{}",
        missing.join("\n")
    );
}
