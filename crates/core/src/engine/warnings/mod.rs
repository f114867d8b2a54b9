//! Validation warnings (docs/protocol.md#warnings): advisory findings a call reports in
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

codes! {
    /// Stable warning codes, sent in `_meta.validation.codes` and recorded in trace events
    /// (docs/protocol.md#warning-codes).
    pub enum WarningCode {
    ActivityManifestCondition = "activity_manifest_condition",
    ActivityManifestEmpty = "activity_manifest_empty",
    ActivityManifestNotCompleted = "activity_manifest_not_completed",
    ActivityManifestOutcome = "activity_manifest_outcome",
    ActivityManifestUnknown = "activity_manifest_unknown",
    ActivitySkipped = "activity_skipped",
    AgentChanged = "agent_changed",
    CheckpointConditionFalse = "checkpoint_condition_false",
    CheckpointPending = "checkpoint_pending",
    CheckpointReyield = "checkpoint_reyield",
    CheckpointUnanswered = "checkpoint_unanswered",
    ChildrenOpen = "children_open",
    CompleteConditionHolds = "complete_condition_holds",
    CompleteDirected = "complete_directed",
    CompleteOpenTransition = "complete_open_transition",
    ConditionDefault = "condition_default",
    ConditionFalse = "condition_false",
    ConditionMismatch = "condition_mismatch",
    ConditionRequired = "condition_required",
    ConditionShadowed = "condition_shadowed",
    DismissConditionHolds = "dismiss_condition_holds",
    InitialActivityFallback = "initial_activity_fallback",
    ManifestUnchecked = "manifest_unchecked",
    NoActivity = "no_activity",
    NothingToResume = "nothing_to_resume",
    ServingLastGood = "serving_last_good",
    SessionCompletedInherited = "session_completed_inherited",
    SessionRecovered = "session_recovered",
    SkillUnavailable = "skill_unavailable",
    SkillUnreferenced = "skill_unreferenced",
    StepEmptyOutput = "step_empty_output",
    StepManifestIgnored = "step_manifest_ignored",
    StepManifestMissing = "step_manifest_missing",
    StepOrder = "step_order",
    StepsDuplicate = "steps_duplicate",
    StepsMissing = "steps_missing",
    StepsUnexpected = "steps_unexpected",
    TemplatePlaceholders = "template_placeholders",
    TokenRetiredKey = "token_retired_key",
    TransitionDirected = "transition_directed",
    TransitionFirst = "transition_first",
    TransitionIllegal = "transition_illegal",
    UnknownArgument = "unknown_argument",
    VariableMissing = "variable_missing",
    VariableType = "variable_type",
    VariableUndeclared = "variable_undeclared",
    VersionDrift = "version_drift",
    }
}

/// One warning: a stable code and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Warning {
    pub code: WarningCode,
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: WarningCode, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn unknown_argument(name: &str) -> Warning {
        Warning::new(
            WarningCode::UnknownArgument,
            format!(
                "Unknown argument '{}' was ignored.",
                super::render::shown(name)
            ),
        )
    }

    /// Every tool but `start_session`, which words its own (docs/protocol.md#start_session).
    pub(crate) fn token_retired_key(param: &str) -> Warning {
        Warning::new(
            WarningCode::TokenRetiredKey,
            format!(
                "The {param} was signed with a retired server key. It was verified; the tokens \
                 this call returns are signed with the current key. Use the new token."
            ),
        )
    }
}

/// The `_meta.validation` object (docs/protocol.md#validation-object).
pub(crate) fn validation(warnings: &[Warning]) -> Value {
    json!({
        "status": if warnings.is_empty() { "valid" } else { "warning" },
        "warnings": warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>(),
        "codes": warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
    })
}

/// The warnings as the end of a result's text, one line each, so an agent whose host shows only
/// the text still sees them; nothing when there are none.
pub(crate) fn text_lines(warnings: &[Warning]) -> String {
    let mut out = String::new();
    for (i, w) in warnings.iter().enumerate() {
        out.push_str(if i == 0 { "\n\n" } else { "\n" });
        out.push_str("warning ");
        out.push_str(w.code.as_str());
        out.push_str(": ");
        out.push_str(&w.message);
    }
    out
}

/// `version_drift` (docs/protocol.md#version-drift): the record's version against the served one.
pub(crate) fn version_drift(record: &SessionRecord, served: &Served) -> Option<Warning> {
    let current = &served.definition.workflow.version;
    (record.workflow_version != *current).then(|| {
        Warning::new(
            WarningCode::VersionDrift,
            format!(
                "Workflow version drift: session started with v{} but current definition is v{}. \
                 Workflow may have changed mid-session.",
                record.workflow_version, current
            ),
        )
    })
}

/// `serving_last_good` (docs/protocol.md#warning-codes) for a workflow whose files are broken now.
pub(crate) fn serving_last_good(catalog: &Catalog, workflow_id: &str) -> Option<Warning> {
    let served = catalog.served(workflow_id)?;
    served.last_good.then(|| {
        Warning::new(
            WarningCode::ServingLastGood,
            format!(
                "Workflow '{workflow_id}' currently has errors in its files; serving the last \
                 valid definition (version {}, loaded at {}).",
                served.definition.workflow.version,
                rfc3339(served.loaded_at)
            ),
        )
    })
}

/// `variable_undeclared` and `variable_type` (docs/protocol.md#variable-warnings) for values an
/// agent supplied, in argument order. The values are stored whatever these say.
pub(crate) fn supplied_variables(workflow: &Workflow, values: &Map<String, Value>) -> Vec<Warning> {
    values
        .iter()
        .filter_map(|(name, value)| match declared(workflow, name) {
            None => Some(Warning::new(
                WarningCode::VariableUndeclared,
                format!(
                    "Variable '{name}' is not declared by workflow '{}'; it was stored anyway.",
                    workflow.id
                ),
            )),
            Some(v) if !v.kind.admits(value) => Some(Warning::new(
                WarningCode::VariableType,
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

/// `variable_missing` (docs/protocol.md#variable-warnings): required declared variables that have
/// no value.
pub(crate) fn missing_variables(workflow: &Workflow, values: &Map<String, Value>) -> Vec<Warning> {
    workflow
        .variables
        .iter()
        .filter(|v| v.required && !values.contains_key(&v.name))
        .map(|v| {
            Warning::new(
                WarningCode::VariableMissing,
                format!("Required variable '{}' has no value yet.", v.name),
            )
        })
        .collect()
}

fn declared<'w>(workflow: &'w Workflow, name: &str) -> Option<&'w Variable> {
    workflow.variables.iter().find(|v| v.name == name)
}

/// A new session's variables: every declared default (docs/protocol.md#session-variables).
pub(crate) fn default_variables(workflow: &Workflow) -> Map<String, Value> {
    workflow
        .variables
        .iter()
        .filter_map(|v| Some((v.name.clone(), v.default_value.clone()?)))
        .collect()
}
