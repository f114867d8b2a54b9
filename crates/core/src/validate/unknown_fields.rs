//! Fields the model does not know. They are kept (definitions are served as authored) but each
//! is reported, because an unknown key is most often a misspelt known one. The walk is driven by
//! the generated schema, so the list of known fields has one source: the model types.

use serde_json::{Map, Value};

use super::{FileCtx, describe};
use crate::diagnostic::{Code, Diagnostic};
use crate::pointer;
use crate::schema::SchemaKind;

/// Reports unknown fields of a file of `kind`. `server_fields` are top-level keys the server
/// computes itself; writing them is reported as `server_field` rather than unknown.
pub(crate) fn check(
    kind: SchemaKind,
    value: &Value,
    server_fields: &[&str],
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let root = kind.schema();
    let mut walker = Walker {
        root,
        ctx,
        out,
        server_fields,
    };
    walker.walk(root, value, "", 0);
}

struct Walker<'a, 'b> {
    root: &'a Value,
    ctx: &'a FileCtx<'b>,
    out: &'a mut Vec<Diagnostic>,
    server_fields: &'a [&'a str],
}

impl Walker<'_, '_> {
    fn walk(&mut self, schema: &Value, value: &Value, at: &str, depth: usize) {
        if depth > crate::decode::MAX_DEPTH * 2 {
            return;
        }
        let schema = deref(self.root, schema);
        let Some(obj) = schema.as_object() else {
            return;
        };
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.walk(s, value, at, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = obj.get(key).and_then(Value::as_array)
                && let Some(branch) = pick_branch(self.root, branches, value)
            {
                self.walk(branch, value, at, depth + 1);
            }
        }
        match value {
            Value::Object(members) => self.walk_object(obj, members, at, depth),
            Value::Array(items) => {
                if let Some(item_schema) = obj.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, &pointer::push_index(at, i), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_object(
        &mut self,
        schema: &Map<String, Value>,
        members: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties").filter(|s| s.is_object());
        if properties.is_none() && additional.is_none() {
            return;
        }
        for (key, member) in members {
            let here = pointer::push(at, key);
            if let Some(prop) = properties.and_then(|p| p.get(key)) {
                self.walk(prop, member, &here, depth + 1);
            } else if let Some(extra) = additional {
                self.walk(extra, member, &here, depth + 1);
            } else if at.is_empty() && self.server_fields.contains(&key.as_str()) {
                self.out.push(self.ctx.diag(
                    Code::ServerField,
                    format!("'{key}' is computed by the server; the value written here is ignored, remove it"),
                    &here,
                ));
            } else {
                self.out.push(self.ctx.diag(
                    Code::UnknownField,
                    format!(
                        "Unknown field '{key}' in {}; it is kept but has no meaning to the server",
                        describe(at)
                    ),
                    &here,
                ));
            }
        }
    }
}

/// Follows a local `$ref` (`#/$defs/Name`).
fn deref<'s>(root: &'s Value, schema: &'s Value) -> &'s Value {
    let mut current = schema;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(path) => match root.pointer(path) {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}

/// The alternative of a `oneOf`/`anyOf` that a value was written for: the one whose JSON type
/// fits and, for tagged objects, whose constant discriminator equals the value's.
fn pick_branch<'s>(root: &'s Value, branches: &'s [Value], value: &Value) -> Option<&'s Value> {
    let fits = |b: &Value| type_fits(deref(root, b), value);
    let tagged = branches.iter().find(|b| {
        let s = deref(root, b);
        fits(b)
            && s.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|props| {
                    props
                        .iter()
                        .any(|(k, p)| p.get("const").is_some_and(|c| value.get(k) == Some(c)))
                })
    });
    tagged.or_else(|| branches.iter().find(|b| fits(b)))
}

fn type_fits(schema: &Value, value: &Value) -> bool {
    let name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let matches = |t: &str| t == name || (t == "number" && name == "integer");
    match schema.get("type") {
        Some(Value::String(t)) => matches(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(matches),
        // No type: an object schema with properties, or anything.
        _ => schema.get("properties").is_none() || name == "object",
    }
}
