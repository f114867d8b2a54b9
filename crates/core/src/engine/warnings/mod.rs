//! Validation warnings (protocol.md §9): advisory findings a call reports in
//! `_meta.validation` and in its trace event, never a reason to refuse it. Each constructor
//! holds the exact wording of its code, so the texts agents and tests match on live in one
//! place per topic.

pub(crate) mod manifests;
pub(crate) mod transitions;

use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, Served};
use crate::model::workflow::json_type_name;
use crate::model::{Variable, Workflow};
use crate::session::SessionRecord;

use super::render::rfc3339;

/// One warning: a stable code and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Warning {
    pub code: &'static str,
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn unknown_argument(name: &str) -> Warning {
        Warning::new(
            "unknown_argument",
            format!(
                "Unknown argument '{}' was ignored.",
                super::args::shown(name)
            ),
        )
    }

    /// Every tool but `start_session`, which words its own (§7.4).
    pub(crate) fn token_retired_key(param: &str) -> Warning {
        Warning::new(
            "token_retired_key",
            format!(
                "The {param} was signed with a retired server key. It was verified; the tokens \
                 this call returns are signed with the current key. Use the new token."
            ),
        )
    }
}

/// The `_meta.validation` object (§1.3).
pub(crate) fn validation(warnings: &[Warning]) -> Value {
    json!({
        "status": if warnings.is_empty() { "valid" } else { "warning" },
        "warnings": warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>(),
        "codes": warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
    })
}

/// `version_drift` (§9.2): the record's version against the served one.
pub(crate) fn version_drift(record: &SessionRecord, served: &Served) -> Option<Warning> {
    let current = &served.definition.workflow.version;
    (record.workflow_version != *current).then(|| {
        Warning::new(
            "version_drift",
            format!(
                "Workflow version drift: session started with v{} but current definition is v{}. \
                 Workflow may have changed mid-session.",
                record.workflow_version, current
            ),
        )
    })
}

/// `serving_last_good` (§9.9) for a workflow whose files are broken now.
pub(crate) fn serving_last_good(catalog: &Catalog, workflow_id: &str) -> Option<Warning> {
    let served = catalog.served(workflow_id)?;
    served.last_good.then(|| {
        Warning::new(
            "serving_last_good",
            format!(
                "Workflow '{workflow_id}' currently has errors in its files; serving the last \
                 valid definition (version {}, loaded at {}).",
                served.definition.workflow.version,
                rfc3339(served.loaded_at)
            ),
        )
    })
}

/// `variable_undeclared` and `variable_type` (§9.8) for values an agent supplied, in argument
/// order. The values are stored whatever these say.
pub(crate) fn supplied_variables(workflow: &Workflow, values: &Map<String, Value>) -> Vec<Warning> {
    values
        .iter()
        .filter_map(|(name, value)| match declared(workflow, name) {
            None => Some(Warning::new(
                "variable_undeclared",
                format!(
                    "Variable '{name}' is not declared by workflow '{}'; it was stored anyway.",
                    workflow.id
                ),
            )),
            Some(v) if !v.kind.admits(value) => Some(Warning::new(
                "variable_type",
                format!(
                    "Variable '{name}' is declared as {} but was given {}; it was stored anyway.",
                    v.kind.as_str(),
                    json_type_name(value)
                ),
            )),
            Some(_) => None,
        })
        .collect()
}

/// `variable_missing` (§9.8): required declared variables that have no value.
pub(crate) fn missing_variables(workflow: &Workflow, values: &Map<String, Value>) -> Vec<Warning> {
    workflow
        .variables
        .iter()
        .filter(|v| v.required && !values.contains_key(&v.name))
        .map(|v| {
            Warning::new(
                "variable_missing",
                format!("Required variable '{}' has no value yet.", v.name),
            )
        })
        .collect()
}

fn declared<'w>(workflow: &'w Workflow, name: &str) -> Option<&'w Variable> {
    workflow.variables.iter().find(|v| v.name == name)
}

/// A new session's variables: every declared default (§3.2).
pub(crate) fn default_variables(workflow: &Workflow) -> Map<String, Value> {
    workflow
        .variables
        .iter()
        .filter_map(|v| Some((v.name.clone(), v.default_value.clone()?)))
        .collect()
}
