//! Conditions (formats.md §7): the one boolean language of transitions, steps, checkpoints,
//! decisions and loops.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
