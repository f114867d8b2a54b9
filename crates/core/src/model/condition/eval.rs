//! Path lookup and evaluation (docs/formats.md#path-lookup, docs/formats.md#condition-evaluation).
//! One function serves agents and the server's warnings, so both always agree on what a condition
//! means.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use super::{Condition, Operator};
use crate::number::{Num, compare, compare_numbers};

/// Follows `path` from the session's variables. `None` means absent; a reached `null` is
/// present.
pub fn lookup<'a>(variables: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let mut current = variables.get(segments.next()?)?;
    for segment in segments {
        current = match current {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(array_index(segment)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Only the canonical decimal form names an index: `1` does, `01`, `+1` and `1.0` do not,
/// matching how the original's property access treated them.
fn array_index(segment: &str) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let canonical = segment == "0" || !segment.starts_with('0');
    if digits && canonical {
        segment.parse().ok()
    } else {
        None
    }
}

impl Condition {
    /// Two-valued: absent variables make comparisons false rather than unknown. A condition
    /// nested deeper than [`super::MAX_DEPTH`] is false.
    pub fn evaluate(&self, variables: &Map<String, Value>) -> bool {
        self.within_depth_limit() && self.holds(variables)
    }

    /// Decidable when every referenced path is present (`null` counts); the server warns about
    /// decidable conditions only, so an unreported variable never produces a warning. A
    /// condition too deep to evaluate is never decidable.
    pub fn is_decidable(&self, variables: &Map<String, Value>) -> bool {
        self.within_depth_limit()
            && self
                .referenced_variables()
                .into_iter()
                .all(|path| lookup(variables, path).is_some())
    }

    /// Recursion depth is bounded by the caller's depth check.
    fn holds(&self, variables: &Map<String, Value>) -> bool {
        match self {
            Condition::Simple {
                variable,
                operator,
                value,
            } => simple(lookup(variables, variable), *operator, value.as_ref()),
            Condition::And { conditions } => conditions.iter().all(|c| c.holds(variables)),
            Condition::Or { conditions } => conditions.iter().any(|c| c.holds(variables)),
            Condition::Not { condition } => !condition.holds(variables),
        }
    }
}

fn simple(actual: Option<&Value>, operator: Operator, expected: Option<&Value>) -> bool {
    let exists = actual.is_some_and(|v| !v.is_null());
    let equal = || matches!((actual, expected), (Some(a), Some(b)) if equals(a, b));
    let order = || {
        let a = as_number(actual?)?;
        let b = as_number(expected?)?;
        compare(a, b)
    };
    match operator {
        Operator::Exists => exists,
        Operator::NotExists => !exists,
        Operator::Eq => equal(),
        Operator::Ne => !equal(),
        Operator::Gt => order() == Some(Ordering::Greater),
        Operator::Lt => order() == Some(Ordering::Less),
        Operator::Ge => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
        Operator::Le => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
    }
}

/// JSON equality without conversions between types; numbers by value, so `1 == 1.0`.
/// Arrays and objects equal nothing, since a condition's value is always a primitive.
fn equals(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => compare_numbers(a, b) == Some(Ordering::Equal),
        _ => false,
    }
}

/// Ordering operators accept numbers and numeric strings (JSON number syntax once trimmed);
/// everything else is not a number.
fn as_number(value: &Value) -> Option<Num> {
    match value {
        Value::Number(n) => Some(Num::of(n)),
        Value::String(s) => serde_json::from_str::<Number>(s.trim())
            .ok()
            .map(|n| Num::of(&n)),
        _ => None,
    }
}
