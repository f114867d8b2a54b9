//! Conditions (docs/formats.md#conditions): the one boolean language of transitions, steps,
//! checkpoints, decisions and loops.

mod eval;
mod render;

pub use eval::lookup;
pub use render::claim_matches;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The deepest nesting a definition may use (docs/formats.md#condition-forms), counting a simple
/// condition as one level. Deeper conditions are load errors; evaluation treats them as false
/// rather than recurse without bound.
pub const MAX_DEPTH: usize = 32;

/// A condition as written in a definition. `type` selects the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Condition {
    Simple {
        /// A path: a variable name, then object keys or array indices, separated by `.`.
        variable: String,
        operator: Operator,
        /// The compared value: a string, number, boolean or null. Absent for
        /// `exists`/`notExists`.
        #[serde(
            default,
            deserialize_with = "present",
            skip_serializing_if = "Option::is_none"
        )]
        #[schemars(schema_with = "super::patterns::primitive")]
        value: Option<Value>,
    },
    And {
        #[schemars(length(min = 2))]
        conditions: Vec<Condition>,
    },
    Or {
        #[schemars(length(min = 2))]
        conditions: Vec<Condition>,
    },
    Not {
        condition: Box<Condition>,
    },
}

/// Keeps an explicit `"value": null` as `Some(Value::Null)`: `owner == null` compares with null,
/// while a missing value is `None` (serde's `Option` would read both as `None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Operator {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "exists")]
    Exists,
    #[serde(rename = "notExists")]
    NotExists,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "==",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Lt => "<",
            Operator::Ge => ">=",
            Operator::Le => "<=",
            Operator::Exists => "exists",
            Operator::NotExists => "notExists",
        }
    }

    /// `exists` and `notExists` take no value; every other operator compares with one.
    pub fn takes_value(self) -> bool {
        !matches!(self, Operator::Exists | Operator::NotExists)
    }

    /// The ordering operators compare numbers only.
    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            Operator::Gt | Operator::Lt | Operator::Ge | Operator::Le
        )
    }
}

impl Condition {
    /// Whether the nesting stays within [`MAX_DEPTH`]. Stops descending at the limit, so an
    /// arbitrarily deep condition costs at most `MAX_DEPTH` stack frames.
    pub fn within_depth_limit(&self) -> bool {
        self.fits_in(MAX_DEPTH)
    }

    fn fits_in(&self, levels: usize) -> bool {
        let Some(below) = levels.checked_sub(1) else {
            return false;
        };
        match self {
            Condition::Simple { .. } => true,
            Condition::And { conditions } | Condition::Or { conditions } => {
                conditions.iter().all(|c| c.fits_in(below))
            }
            Condition::Not { condition } => condition.fits_in(below),
        }
    }

    /// Every path the condition reads, in reading order, each once: what a warning lists and
    /// what must be present for the condition to be decidable.
    pub fn referenced_variables(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = Vec::new();
        // An explicit stack instead of recursion: any depth is safe.
        let mut pending = vec![self];
        while let Some(condition) = pending.pop() {
            match condition {
                Condition::Simple { variable, .. } => {
                    if !paths.contains(&variable.as_str()) {
                        paths.push(variable);
                    }
                }
                Condition::And { conditions } | Condition::Or { conditions } => {
                    pending.extend(conditions.iter().rev());
                }
                Condition::Not { condition } => pending.push(condition),
            }
        }
        paths
    }
}
