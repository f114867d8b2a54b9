//! Warnings about what an agent reports when it leaves an activity (docs/protocol.md#step-manifest
//! to docs/protocol.md#activity-manifest): the step manifest, checkpoint coverage, and the
//! orchestrator's activity manifest.

use schemars::JsonSchema;
use std::collections::HashSet;

use crate::catalog::Definition;
use crate::model::{Activity, Step};
use crate::session::SessionRecord;
use crate::session::record::StepReport;

use super::transitions::{Guard, collapse, holds, transition_list};
use super::{Warning, WarningCode};

/// One activity the orchestrator reports as done.
#[derive(Clone, Debug, PartialEq, JsonSchema)]
pub(crate) struct ActivityManifestEntry {
    pub activity_id: String,
    /// What it achieved.
    pub outcome: String,
    pub transition_condition: Option<String>,
}

/// Whether the activity is being left for another (`next_activity`) or finished
/// (`complete_workflow`); only the wording differs.
#[derive(Clone, Copy)]
pub(crate) enum Leaving {
    Previous,
    Final,
}

/// Top-level steps expected in a manifest: required, and unconditional or with a condition that
/// is decidable and true.
fn expected_steps<'a>(activity: &'a Activity, record: &SessionRecord) -> Vec<&'a Step> {
    activity
        .steps
        .iter()
        .filter(|s| {
            s.required
                && s.condition
                    .as_ref()
                    .is_none_or(|c| holds(c, &record.variables))
        })
        .collect()
}

fn list(ids: &[&str]) -> String {
    format!("[{}]", ids.join(", "))
}

/// The step-manifest warnings (docs/protocol.md#step-manifest) for the activity `activity_id` being
/// left.
pub(crate) fn steps(
    def: &Definition,
    record: &SessionRecord,
    activity_id: &str,
    manifest: Option<&[StepReport]>,
    leaving: Leaving,
) -> Vec<Warning> {
    let Some(activity) = def.activity(activity_id).map(|a| &a.activity) else {
        return vec![Warning::new(
            WarningCode::ManifestUnchecked,
            format!("Cannot validate manifest: activity '{activity_id}' not found"),
        )];
    };
    if activity.all_steps().next().is_none() {
        return Vec::new();
    }
    let Some(manifest) = manifest else {
        let which = match leaving {
            Leaving::Previous => "previous",
            Leaving::Final => "final",
        };
        return vec![Warning::new(
            WarningCode::StepManifestMissing,
            format!(
                "No step_manifest provided for {which} activity '{activity_id}'. Include a \
                 manifest to enable step completion validation."
            ),
        )];
    };
    let mut out = Vec::new();
    let listed: Vec<&str> = manifest.iter().map(|e| e.step_id.as_str()).collect();
    let top: Vec<&str> = activity.steps.iter().map(|s| s.id.as_str()).collect();
    let all: HashSet<&str> = activity.all_steps().map(|s| s.id.as_str()).collect();

    let missing: Vec<&str> = expected_steps(activity, record)
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| !listed.contains(id))
        .collect();
    if !missing.is_empty() {
        out.push(Warning::new(
            WarningCode::StepsMissing,
            format!("Missing steps in manifest: {}", list(&missing)),
        ));
    }
    let mut unexpected: Vec<&str> = Vec::new();
    for id in &listed {
        if !all.contains(id) && !unexpected.contains(id) {
            unexpected.push(id);
        }
    }
    if !unexpected.is_empty() {
        out.push(Warning::new(
            WarningCode::StepsUnexpected,
            format!("Unexpected steps in manifest: {}", list(&unexpected)),
        ));
    }
    let mut duplicate: Vec<&str> = Vec::new();
    for id in &top {
        if listed.iter().filter(|l| *l == id).count() > 1 {
            duplicate.push(id);
        }
    }
    if !duplicate.is_empty() {
        out.push(Warning::new(
            WarningCode::StepsDuplicate,
            format!("Duplicate steps in manifest: {}", list(&duplicate)),
        ));
    }
    // First occurrence of each top-level id, with its manifest position.
    let mut seen: Vec<(usize, &str)> = Vec::new();
    for (position, id) in listed.iter().enumerate() {
        if top.contains(id) && !seen.iter().any(|(_, s)| s == id) {
            seen.push((position, id));
        }
    }
    let mut sorted: Vec<&str> = seen.iter().map(|(_, id)| *id).collect();
    sorted.sort_by_key(|id| top.iter().position(|t| t == id));
    for ((position, got), expected) in seen.iter().zip(&sorted) {
        if got != expected {
            out.push(Warning::new(
                WarningCode::StepOrder,
                format!(
                    "Step order mismatch at position {position}: expected '{expected}' but got \
                     '{got}'"
                ),
            ));
        }
    }
    for entry in manifest {
        if entry.output.trim().is_empty() {
            out.push(Warning::new(
                WarningCode::StepEmptyOutput,
                format!("Step '{}' has empty output", entry.step_id),
            ));
        }
    }
    out
}

/// The checkpoint-coverage warnings (docs/protocol.md#checkpoint-coverage) for the current visit of
/// `activity_id`.
pub(crate) fn checkpoints(
    def: &Definition,
    record: &SessionRecord,
    activity_id: &str,
) -> Vec<Warning> {
    let Some(activity) = def.activity(activity_id).map(|a| &a.activity) else {
        return Vec::new();
    };
    let expected_steps = expected_steps(activity, record);
    activity
        .checkpoints
        .iter()
        .filter(|c| {
            let applies = c.required
                && c.condition
                    .as_ref()
                    .is_none_or(|cond| holds(cond, &record.variables));
            let names = |s: &&Step| s.checkpoint.as_deref() == Some(c.id.as_str());
            let referenced = activity.all_steps().any(|s| names(&s));
            let by_expected = expected_steps.iter().any(names);
            applies && (!referenced || by_expected)
        })
        .filter(|c| !record.visit_answers.contains(&c.id))
        .map(|c| {
            Warning::new(
                WarningCode::CheckpointUnanswered,
                format!(
                    "Checkpoint '{}' of activity '{}' was not answered before leaving the \
                     activity.",
                    c.id, activity.id
                ),
            )
        })
        .collect()
}

/// The activity-manifest warnings (docs/protocol.md#activity-manifest); `leaving` is the activity
/// this call closes, if any.
pub(crate) fn activities(
    def: &Definition,
    record: &SessionRecord,
    leaving: Option<&str>,
    manifest: Option<&[ActivityManifestEntry]>,
) -> Vec<Warning> {
    let Some(manifest) = manifest else {
        return Vec::new();
    };
    if manifest.is_empty() {
        return vec![Warning::new(
            WarningCode::ActivityManifestEmpty,
            "Empty activity_manifest provided. Omit the parameter if no activities have been \
             completed.",
        )];
    }
    let mut out = Vec::new();
    for entry in manifest {
        let id = entry.activity_id.as_str();
        let Some(activity) = def.activity(id) else {
            out.push(Warning::new(
                WarningCode::ActivityManifestUnknown,
                format!("Activity manifest references unknown activity '{id}'"),
            ));
            continue;
        };
        if entry.outcome.trim().is_empty() {
            out.push(Warning::new(
                WarningCode::ActivityManifestOutcome,
                format!("Activity '{id}' has empty outcome"),
            ));
        }
        if let Some(claim) = entry
            .transition_condition
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            let list = transition_list(&activity.activity);
            let is_default_claim = collapse(claim) == "default";
            let found = list.iter().any(|e| {
                e.matches_claim(claim)
                    || (is_default_claim && (e.is_default || matches!(e.guard, Guard::None)))
            });
            if !list.is_empty() && !found {
                out.push(Warning::new(
                    WarningCode::ActivityManifestCondition,
                    format!(
                        "Activity '{id}' claims transition condition '{claim}' not found in \
                         workflow transitions"
                    ),
                ));
            }
        }
        let completed = record.completed_activities.iter().any(|v| v == id) || leaving == Some(id);
        if !completed {
            out.push(Warning::new(
                WarningCode::ActivityManifestNotCompleted,
                format!("Activity manifest lists '{id}', which this session has not completed"),
            ));
        }
    }
    out
}
