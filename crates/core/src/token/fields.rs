//! Typed extraction of payload fields that records every bad field instead of stopping at the
//! first, so a trace-token error can list them all (docs/protocol.md#trace-tokens step 5).

use std::fmt;

use serde_json::{Map, Value};

/// One payload field that is missing or has the wrong JSON type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// `string`, `non-negative integer` or `array`.
    pub expected: &'static str,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (expected {})", self.field, self.expected)
    }
}

/// `a (expected string), b (expected array)`.
pub(super) fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(FieldError::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

const STRING: &str = "string";
const UINT: &str = "non-negative integer";
const ARRAY: &str = "array";

/// Takes fields out of a payload object; a bad field yields a placeholder and is recorded, and
/// [`Fields::finish`] reports them all. Keys not asked for are ignored.
pub(super) struct Fields {
    map: Map<String, Value>,
    bad: Vec<FieldError>,
}

impl Fields {
    pub(super) fn new(map: Map<String, Value>) -> Fields {
        Fields {
            map,
            bad: Vec::new(),
        }
    }

    pub(super) fn string(&mut self, field: &'static str) -> String {
        match self.map.remove(field) {
            Some(Value::String(s)) => s,
            _ => self.reject(field, STRING, String::new()),
        }
    }

    pub(super) fn uint(&mut self, field: &'static str) -> u64 {
        match self.map.remove(field).as_ref().and_then(Value::as_u64) {
            Some(n) => n,
            None => self.reject(field, UINT, 0),
        }
    }

    /// Absent is fine; present must be a non-negative integer (`null` is not).
    pub(super) fn opt_uint(&mut self, field: &'static str) -> Option<u64> {
        match self.map.remove(field) {
            None => None,
            Some(v) => match v.as_u64() {
                Some(n) => Some(n),
                None => self.reject(field, UINT, None),
            },
        }
    }

    pub(super) fn array(&mut self, field: &'static str) -> Vec<Value> {
        match self.map.remove(field) {
            Some(Value::Array(items)) => items,
            _ => self.reject(field, ARRAY, Vec::new()),
        }
    }

    pub(super) fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.bad.is_empty() {
            Ok(())
        } else {
            Err(self.bad)
        }
    }

    fn reject<T>(&mut self, field: &'static str, expected: &'static str, placeholder: T) -> T {
        self.bad.push(FieldError { field, expected });
        placeholder
    }
}
