//! Warnings about a move between activities (docs/protocol.md#transition-legality to
//! docs/protocol.md#transition-conditions): legality, directed and skipped targets, and transition
//! conditions — claimed by the agent and evaluated on the recorded variables.

use serde_json::{Map, Value};

use crate::catalog::Definition;
use crate::model::condition::{claim_matches, lookup};
use crate::model::{Activity, Condition, Exit, Workflow};
use crate::session::SessionRecord;

use super::{Warning, WarningCode};

/// Where an entry of the transition list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Transition,
    Branch,
    Option,
}

/// What an entry's condition is.
#[derive(Clone, Debug)]
pub(crate) enum Guard<'a> {
    None,
    Condition(&'a Condition),
    /// `checkpoint:<checkpointId>:<optionId>` for a checkpoint option's `transitionTo`.
    Checkpoint(String),
}

/// One entry of an activity's transition list (docs/protocol.md#transition-list).
#[derive(Clone, Debug)]
pub(crate) struct Entry<'a> {
    pub to: &'a str,
    pub guard: Guard<'a>,
    pub is_default: bool,
    pub source: Source,
}

impl Entry<'_> {
    fn rendered(&self) -> Option<String> {
        match &self.guard {
            Guard::None => None,
            Guard::Condition(c) => Some(c.render()),
            Guard::Checkpoint(s) => Some(s.clone()),
        }
    }

    /// Whether a claimed condition names this entry's condition (canonical or legacy).
    pub(crate) fn matches_claim(&self, claim: &str) -> bool {
        match &self.guard {
            Guard::None => false,
            Guard::Condition(c) => claim_matches(c, claim),
            Guard::Checkpoint(s) => collapse(s) == collapse(claim),
        }
    }

    fn is_unconditional_or_default(&self) -> bool {
        self.is_default || matches!(self.guard, Guard::None)
    }
}

pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The transition list of an activity, deduplicated by target, first occurrence first.
pub(crate) fn transition_list(activity: &Activity) -> Vec<Entry<'_>> {
    let mut list: Vec<Entry<'_>> = Vec::new();
    for exit in activity.exits() {
        let (guard, source) = match exit {
            Exit::Transition(_) => (Guard::None, Source::Transition),
            Exit::Branch { .. } => (Guard::None, Source::Branch),
            Exit::Option {
                checkpoint, option, ..
            } => (
                Guard::Checkpoint(format!("checkpoint:{}:{}", checkpoint.id, option.id)),
                Source::Option,
            ),
            Exit::Loop { .. } => continue,
        };
        let Some(to) = exit.to() else { continue };
        let entry = Entry {
            to,
            guard: exit.condition().map_or(guard, Guard::Condition),
            is_default: exit.is_default(),
            source,
        };
        push(&mut list, entry);
    }
    list
}

/// Adds an entry unless its target is listed already (first occurrence wins).
fn push<'a>(list: &mut Vec<Entry<'a>>, entry: Entry<'a>) {
    if !list.iter().any(|e| e.to == entry.to) {
        list.push(entry);
    }
}

/// `transition_first` and `transition_illegal`: whether the target is a direct
/// transition of the current activity (docs/protocol.md#transition-legality).
pub(crate) fn legality(def: &Definition, current: Option<&str>, target: &str) -> Option<Warning> {
    let Some(current) = current else {
        let initial = def.workflow.initial_activity.as_deref()?;
        return (initial != target).then(|| {
            Warning::new(
                WarningCode::TransitionFirst,
                format!(
                    "First activity must be '{initial}' but '{target}' was requested. Start with \
                     the workflow's initialActivity."
                ),
            )
        });
    };
    if current == target {
        return None;
    }
    let activity = def.activity(current)?;
    let valid: Vec<&str> = transition_list(&activity.activity)
        .iter()
        .map(|e| e.to)
        .collect();
    (!valid.is_empty() && !valid.contains(&target)).then(|| {
        Warning::new(
            WarningCode::TransitionIllegal,
            format!(
                "Activity '{target}' is not a direct transition from '{current}'. Valid \
                 transitions: [{}]",
                valid.join(", ")
            ),
        )
    })
}

/// `transition_directed` (docs/protocol.md#directed-and-skipped-transitions).
pub(crate) fn directed(record: &SessionRecord, target: &str) -> Option<Warning> {
    let d = record.directed_transition.as_ref()?;
    (d.to != target).then(|| {
        Warning::new(
            WarningCode::TransitionDirected,
            format!(
                "Checkpoint '{}' option '{}' directed the workflow to '{}' but '{target}' was \
                 requested.",
                d.checkpoint_id, d.option_id, d.to
            ),
        )
    })
}

/// `activity_skipped` (docs/protocol.md#directed-and-skipped-transitions): one warning per cause.
pub(crate) fn skipped(record: &SessionRecord, workflow: &Workflow, target: &str) -> Vec<Warning> {
    let mut out: Vec<Warning> = Vec::new();
    for s in record
        .skipped_activities
        .iter()
        .filter(|s| s.activity_id == target)
    {
        let w = Warning::new(
            WarningCode::ActivitySkipped,
            format!(
                "Activity '{target}' was marked to be skipped by checkpoint '{}' option '{}'.",
                s.checkpoint_id, s.option_id
            ),
        );
        if !out.contains(&w) {
            out.push(w);
        }
    }
    for mode in &workflow.modes {
        let active = record.variables.get(&mode.activation_variable) == Some(&Value::Bool(true));
        if active && mode.skip_activities.iter().any(|a| a == target) {
            out.push(Warning::new(
                WarningCode::ActivitySkipped,
                format!(
                    "Activity '{target}' is skipped in mode '{}' (active while '{}' is true).",
                    mode.id, mode.activation_variable
                ),
            ));
        }
    }
    out
}

/// `name=<json>` for each variable a condition references, as condition warnings list them.
pub(crate) fn values_of(condition: &Condition, variables: &Map<String, Value>) -> String {
    condition
        .referenced_variables()
        .into_iter()
        .map(|path| {
            let value = lookup(variables, path).map_or_else(|| "null".to_owned(), Value::to_string);
            format!("{path}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a condition is decidable and true on the variables.
pub(crate) fn holds(condition: &Condition, variables: &Map<String, Value>) -> bool {
    condition.is_decidable(variables) && condition.evaluate(variables)
}

/// The claim check and the evaluation checks (docs/protocol.md#transition-conditions) for a move
/// from `current` to `target`.
pub(crate) fn conditions(
    record: &SessionRecord,
    current: &Activity,
    target: &str,
    claim: Option<&str>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    if current.id == target {
        return out;
    }
    let list = transition_list(current);
    let Some(t) = list.iter().find(|e| e.to == target) else {
        return out;
    };
    if let Some(claim) = claim {
        let claim = collapse(claim);
        if claim.is_empty() || claim == "default" {
            if !t.is_unconditional_or_default() {
                let c = t.rendered().unwrap_or_default();
                let claimed = if claim.is_empty() {
                    "no condition".to_owned()
                } else {
                    "'default'".to_owned()
                };
                out.push(Warning::new(
                    WarningCode::ConditionRequired,
                    format!(
                        "Transition to '{target}' requires condition '{c}' but agent claimed \
                         {claimed}."
                    ),
                ));
            }
        } else if matches!(t.guard, Guard::None) {
            if t.is_default {
                out.push(Warning::new(
                    WarningCode::ConditionDefault,
                    format!(
                        "Transition to '{target}' is the default (no condition) but agent \
                         claimed condition '{claim}'."
                    ),
                ));
            }
        } else if !t.matches_claim(&claim) {
            out.push(Warning::new(
                WarningCode::ConditionMismatch,
                format!(
                    "Condition mismatch for transition to '{target}': workflow defines '{}' but \
                     agent claimed '{claim}'.",
                    t.rendered().unwrap_or_default()
                ),
            ));
        }
    }
    let directed_here = record
        .directed_transition
        .as_ref()
        .is_some_and(|d| d.to == target);
    if t.source == Source::Option || directed_here {
        return out;
    }
    let variables = &record.variables;
    if let Guard::Condition(c) = &t.guard
        && c.is_decidable(variables)
        && !c.evaluate(variables)
    {
        out.push(Warning::new(
            WarningCode::ConditionFalse,
            format!(
                "Transition to '{target}' requires '{}', which is false for the session \
                 variables ({}).",
                c.render(),
                values_of(c, variables)
            ),
        ));
    }
    if t.source == Source::Transition && t.is_unconditional_or_default() {
        let shadow = current.transitions.iter().find(|other| {
            other.to != target
                && other
                    .condition
                    .as_ref()
                    .is_some_and(|c| holds(c, variables))
        });
        if let Some(other) = shadow {
            let c = other
                .condition
                .as_ref()
                .map(Condition::render)
                .unwrap_or_default();
            out.push(Warning::new(
                WarningCode::ConditionShadowed,
                format!(
                    "Transition to '{target}' is the default, but condition '{c}' of the \
                     transition to '{}' holds for the session variables.",
                    other.to
                ),
            ));
        }
    }
    out
}

/// The condition of the way from `current` to `target` as the transition list renders it: what a
/// move records when the agent names none (`""` for an unconditional way, or none).
pub(crate) fn taken_condition(current: &Activity, target: &str) -> String {
    transition_list(current)
        .iter()
        .find(|e| e.to == target)
        .and_then(Entry::rendered)
        .unwrap_or_default()
}

/// The ways out of `current` for an agent to read: each target with its condition in the
/// canonical text `transition_condition` matches, and whether it holds on the session variables
/// now (docs/protocol.md#transition-list).
pub(crate) fn exits_text(current: &Activity, variables: &Map<String, Value>) -> String {
    let list = transition_list(current);
    if list.is_empty() {
        return "next: none; complete_workflow ends the session here.".to_owned();
    }
    let mut out =
        String::from("next (next_activity evaluates these; transition_condition is optional):");
    for entry in list {
        out.push_str("\n- ");
        out.push_str(entry.to);
        match &entry.guard {
            Guard::None if entry.is_default => out.push_str(" (default)"),
            Guard::None => {}
            Guard::Condition(c) => {
                let state = if !c.is_decidable(variables) {
                    "undecided"
                } else if c.evaluate(variables) {
                    "holds"
                } else {
                    "false"
                };
                out.push_str(&format!(" when {} ({state})", c.render()));
            }
            Guard::Checkpoint(s) => out.push_str(&format!(" when {s}")),
        }
    }
    out
}
