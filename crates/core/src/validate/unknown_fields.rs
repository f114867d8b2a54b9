//! Fields the model does not know. They are kept (definitions are served as authored) but each
//! is reported, because an unknown key is most often a misspelt known one. The walk is driven by
//! the generated schema, so the list of known fields has one source: the model types.

use serde_json::{Map, Value};

use super::structure::{self, Node, NodeId, Tree};
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
    let mut walker = Walker {
        tree: structure::tree(kind),
        ctx,
        out,
        server_fields,
    };
    walker.walk(Tree::ROOT, value, "", 0);
}

struct Walker<'a, 'b> {
    tree: &'static Tree,
    ctx: &'a FileCtx<'b>,
    out: &'a mut Vec<Diagnostic>,
    server_fields: &'a [&'a str],
}

impl Walker<'_, '_> {
    fn walk(&mut self, id: NodeId, value: &Value, at: &str, depth: usize) {
        if depth > crate::decode::MAX_DEPTH * 2 {
            return;
        }
        let node = self.tree.resolve(id);
        for branches in [&node.one_of, &node.any_of] {
            if let Some(branch) = pick_branch(self.tree, branches, value) {
                self.walk(branch, value, at, depth + 1);
            }
        }
        match value {
            Value::Object(members) => self.walk_object(node, members, at, depth),
            Value::Array(items) => {
                if let Some(item_schema) = node.items {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, &pointer::push_index(at, i), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_object(&mut self, node: &Node, members: &Map<String, Value>, at: &str, depth: usize) {
        if node.properties.is_empty() && node.additional.is_none() {
            return;
        }
        for (key, member) in members {
            let here = pointer::push(at, key);
            if let Some(schema) = node.property(key).or(node.additional) {
                self.walk(schema, member, &here, depth + 1);
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

/// The alternative of a `oneOf`/`anyOf` that a value was written for: the one whose JSON type
/// fits and, for tagged objects, whose constant discriminator equals the value's.
fn pick_branch(tree: &Tree, branches: &[NodeId], value: &Value) -> Option<NodeId> {
    let fits = |id: NodeId| type_fits(tree.resolve(id), value);
    let tagged = branches.iter().copied().find(|&id| {
        fits(id)
            && tree.resolve(id).properties.iter().any(|(k, p)| {
                tree.nodes[*p]
                    .constant
                    .as_ref()
                    .is_some_and(|c| value.get(k) == Some(c))
            })
    });
    tagged.or_else(|| branches.iter().copied().find(|&id| fits(id)))
}

fn type_fits(node: &Node, value: &Value) -> bool {
    match node.types {
        Some(types) => types.admits(value),
        // No type: an object schema with properties, or anything.
        None => node.properties.is_empty() || value.is_object(),
    }
}
