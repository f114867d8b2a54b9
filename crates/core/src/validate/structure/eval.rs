//! Checking a value against a compiled schema with draft 2020-12 semantics: every keyword of a
//! node applies independently, `anyOf`/`oneOf` keep each failing alternative's own violations
//! so the reporter can name the one the author meant.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::tree::{NodeId, Pattern, Tree, Types};
use crate::number::compare_numbers;

/// One way a value breaks its schema, at the value `pointer` names.
#[derive(Debug)]
pub(crate) struct Violation<'v, 's> {
    pub pointer: String,
    pub instance: &'v Value,
    pub kind: ViolationKind<'v, 's>,
}

#[derive(Debug)]
pub(crate) enum ViolationKind<'v, 's> {
    Required(&'s str),
    Type(Types),
    Pattern(Pattern),
    Enum(&'s [Value]),
    Const(&'s Value),
    MinItems(u64),
    Minimum(&'s Number),
    /// No alternative of an `anyOf` or `oneOf` holds; each one's violations, in schema order.
    NoAlternative(Vec<Vec<Violation<'v, 's>>>),
    /// More than one alternative of a `oneOf` holds.
    SeveralAlternatives,
}

/// How deep schema nodes may nest while checking one value: the decoders bound values at
/// `MAX_DEPTH` levels, and each level passes through a few nodes (`$ref`, `anyOf`, the object).
const MAX_NODES_DEEP: usize = crate::decode::MAX_DEPTH * 8;

impl Tree {
    /// Every violation of `value`, in no particular order.
    pub fn check<'v, 's>(&'s self, value: &'v Value) -> Vec<Violation<'v, 's>> {
        let mut out = Vec::new();
        let mut pointer = String::new();
        self.eval(Tree::ROOT, value, &mut pointer, 0, &mut out);
        out
    }

    fn eval<'v, 's>(
        &'s self,
        id: NodeId,
        value: &'v Value,
        pointer: &mut String,
        depth: usize,
        out: &mut Vec<Violation<'v, 's>>,
    ) {
        if depth > MAX_NODES_DEEP {
            return;
        }
        let node = &self.nodes[id];
        let violation = |pointer: &str, kind| Violation {
            pointer: pointer.to_owned(),
            instance: value,
            kind,
        };
        if let Some(target) = node.reference {
            self.eval(target, value, pointer, depth + 1, out);
        }
        if let Some(types) = node.types
            && !types.admits(value)
        {
            out.push(violation(pointer, ViolationKind::Type(types)));
        }
        if let Some(options) = &node.enumeration
            && !options.iter().any(|o| same(o, value))
        {
            out.push(violation(pointer, ViolationKind::Enum(options)));
        }
        if let Some(constant) = &node.constant
            && !same(constant, value)
        {
            out.push(violation(pointer, ViolationKind::Const(constant)));
        }
        match value {
            Value::String(text) => {
                if let Some(pattern) = node.pattern
                    && !pattern.matches(text)
                {
                    out.push(violation(pointer, ViolationKind::Pattern(pattern)));
                }
            }
            Value::Number(n) => {
                if let Some(limit) = &node.minimum
                    && below(n, limit)
                {
                    out.push(violation(pointer, ViolationKind::Minimum(limit)));
                }
            }
            Value::Array(items) => {
                if let Some(min) = node.min_items
                    && (items.len() as u64) < min
                {
                    out.push(violation(pointer, ViolationKind::MinItems(min)));
                }
                if let Some(item) = node.items {
                    for (i, element) in items.iter().enumerate() {
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&i.to_string());
                        self.eval(item, element, pointer, depth + 1, out);
                        pointer.truncate(len);
                    }
                }
            }
            Value::Object(members) => {
                for name in &node.required {
                    if !members.contains_key(name) {
                        out.push(violation(pointer, ViolationKind::Required(name)));
                    }
                }
                if !node.properties.is_empty() || node.additional.is_some() {
                    for (name, member) in members {
                        let schema = node.property(name).or(node.additional);
                        if let Some(schema) = schema {
                            let len = pointer.len();
                            crate::pointer::push_onto(pointer, name);
                            self.eval(schema, member, pointer, depth + 1, out);
                            pointer.truncate(len);
                        }
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
        if !node.any_of.is_empty() {
            let mut failures = Vec::new();
            for &branch in &node.any_of {
                let mut errors = Vec::new();
                self.eval(branch, value, pointer, depth + 1, &mut errors);
                if errors.is_empty() {
                    failures.clear();
                    break;
                }
                failures.push(errors);
            }
            if !failures.is_empty() {
                out.push(violation(pointer, ViolationKind::NoAlternative(failures)));
            }
        }
        if !node.one_of.is_empty() {
            let mut failures = Vec::new();
            for &branch in &node.one_of {
                let mut errors = Vec::new();
                self.eval(branch, value, pointer, depth + 1, &mut errors);
                failures.push(errors);
            }
            match failures.iter().filter(|e| e.is_empty()).count() {
                0 => out.push(violation(pointer, ViolationKind::NoAlternative(failures))),
                1 => {}
                _ => out.push(violation(pointer, ViolationKind::SeveralAlternatives)),
            }
        }
    }
}

/// JSON equality, under which `1` and `1.0` are the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn below(n: &Number, limit: &Number) -> bool {
    compare_numbers(n, limit) == Some(Ordering::Less)
}
