//! Activities and everything inside them (docs/formats.md#activities).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::condition::Condition;
use super::flags::{is_false, is_true, yes};
use super::patterns;

/// One stage of a workflow: `activities/NN-<id>.<ext>` or an inline entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Activity")]
pub struct Activity {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    #[schemars(schema_with = "patterns::version")]
    pub version: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The user problem this activity addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Phrases that match a user's intent to this activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognition: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<ActivitySkills>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkpoints: Vec<Checkpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loops: Vec<Loop>,
    /// Agents take the first whose condition holds, else the default; none means the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Transition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exit_actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome: Vec<String>,
    /// Facts to carry to later activities.
    #[serde(
        rename = "context_to_preserve",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub context_to_preserve: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Whether every run is expected to pass through it.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    /// For example `20m`, `1-2h`, `2 days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_time: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActivitySkills {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting: Vec<String>,
}

/// One unit of work inside an activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Step {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Skill reference to load for this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    /// A checkpoint of the same activity, yielded before the step is performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub checkpoint: Option<String>,
    /// `false`: the step may be left out.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    /// The step runs only when it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Arguments for the step's skill.
    #[serde(
        rename = "skill_args",
        default,
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub skill_args: IndexMap<String, SkillArg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SkillArg {
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
}

/// A decision point where a person chooses among options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub name: String,
    /// The question put to the user.
    pub message: String,
    #[schemars(length(min = 1))]
    pub options: Vec<CheckpointOption>,
    /// The checkpoint applies only when it holds; otherwise it may be dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// The answer taken by auto-advance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub default_option: Option<String>,
    /// How long an advisory checkpoint waits before its default may be taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::positive_integer")]
    pub auto_advance_ms: Option<u64>,
    /// `true`: a person must choose; `false`: may be auto-advanced.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub blocking: bool,
    /// `false`: the activity may be left without answering it.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckpointOption {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
}

/// Applied to the session when the option is chosen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Effect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_variable: Option<serde_json::Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub transition_to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "patterns::ids")]
    pub skip_activities: Vec<String>,
}

/// Conditional branching inside an activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[schemars(length(min = 2))]
    pub branches: Vec<Branch>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Omitted: the workflow ends on this branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::opt_id")]
    pub transition_to: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_default: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LoopKind {
    ForEach,
    While,
    DoWhile,
}

fn hundred() -> u64 {
    100
}

fn is_hundred(n: &u64) -> bool {
    *n == 100
}

/// Iteration over steps or activities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Loop {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: LoopKind,
    /// forEach: the name bound to the current item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// forEach: the path of the collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over: Option<String>,
    /// while/doWhile: continue while it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_condition: Option<Condition>,
    /// Safety bound.
    #[serde(default = "hundred", skip_serializing_if = "is_hundred")]
    #[schemars(schema_with = "patterns::positive_integer")]
    pub max_iterations: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Repeated per iteration; ids share the activity's step namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Activities repeated per iteration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "patterns::ids")]
    pub activities: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// An activity id, or `__terminal__`: the transition ends the workflow.
    #[schemars(schema_with = "patterns::target")]
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_default: bool,
}

/// Another workflow this activity or step starts as a child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    #[schemars(schema_with = "patterns::id")]
    pub workflow: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Variables whose values are passed as dispatch variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pass_context: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Log,
    Validate,
    Set,
    Emit,
    Message,
}

/// Something agents do on entry, exit or in a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    pub action: ActionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "patterns::any")]
    pub value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArtifactAction {
    #[default]
    Create,
    Update,
}

/// A file the activity produces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Artifact {
    #[schemars(schema_with = "patterns::id")]
    pub id: String,
    /// File name or template with `{variable}` placeholders.
    pub name: String,
    /// A key of `artifactLocations`, or a path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub action: ArtifactAction,
}

/// One way out of an activity (docs/formats.md#transition): what the transition warnings, the
/// reachability check and the activity graph all follow.
#[derive(Clone, Copy, Debug)]
pub enum Exit<'a> {
    /// An entry of `transitions`.
    Transition(&'a Transition),
    /// A decision branch; one without `transitionTo` ends the workflow.
    Branch {
        decision: &'a Decision,
        branch: &'a Branch,
    },
    /// A checkpoint option whose effect moves the workflow to `to`.
    Option {
        checkpoint: &'a Checkpoint,
        option: &'a CheckpointOption,
        to: &'a str,
    },
    /// A loop repeating `activity` per iteration.
    Loop { repeat: &'a Loop, activity: &'a str },
}

impl<'a> Exit<'a> {
    /// The activity the exit leads to (`__terminal__` for a transition that ends the workflow);
    /// `None` for a branch that ends the workflow.
    pub fn to(&self) -> Option<&'a str> {
        match *self {
            Exit::Transition(t) => Some(&t.to),
            Exit::Branch { branch, .. } => branch.transition_to.as_deref(),
            Exit::Option { to, .. } | Exit::Loop { activity: to, .. } => Some(to),
        }
    }

    /// The condition of a transition or branch.
    pub fn condition(&self) -> Option<&'a Condition> {
        match *self {
            Exit::Transition(t) => t.condition.as_ref(),
            Exit::Branch { branch, .. } => branch.condition.as_ref(),
            Exit::Option { .. } | Exit::Loop { .. } => None,
        }
    }

    /// Whether a transition or branch is marked `isDefault`.
    pub fn is_default(&self) -> bool {
        match *self {
            Exit::Transition(t) => t.is_default,
            Exit::Branch { branch, .. } => branch.is_default,
            Exit::Option { .. } | Exit::Loop { .. } => false,
        }
    }
}

impl Activity {
    /// Every way out of the activity, in this order: transitions, decision branches (those
    /// that end the workflow too), checkpoint options whose effect has `transitionTo`, and the
    /// activities its loops repeat.
    pub fn exits(&self) -> impl Iterator<Item = Exit<'_>> {
        let transitions = self.transitions.iter().map(Exit::Transition);
        let branches = self.decisions.iter().flat_map(|decision| {
            decision
                .branches
                .iter()
                .map(move |branch| Exit::Branch { decision, branch })
        });
        let options = self.checkpoints.iter().flat_map(|checkpoint| {
            checkpoint.options.iter().filter_map(move |option| {
                let to = option.effect.as_ref()?.transition_to.as_deref()?;
                Some(Exit::Option {
                    checkpoint,
                    option,
                    to,
                })
            })
        });
        let loops = self.loops.iter().flat_map(|repeat| {
            repeat
                .activities
                .iter()
                .map(move |activity| Exit::Loop { repeat, activity })
        });
        transitions.chain(branches).chain(options).chain(loops)
    }

    /// Top-level steps, then loop steps: the activity's whole step namespace.
    pub fn all_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .chain(self.loops.iter().flat_map(|l| l.steps.iter()))
    }

    pub fn checkpoint(&self, id: &str) -> Option<&Checkpoint> {
        self.checkpoints.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Activity, Exit};

    #[test]
    fn exits_are_transitions_branches_moving_options_then_loops() {
        let activity: Activity = serde_json::from_value(json!({
            "id": "a", "version": "1.0.0", "name": "A",
            "transitions": [
                {"to": "b", "condition": {"type": "simple", "variable": "x", "operator": "exists"}},
                {"to": "c", "isDefault": true}
            ],
            "decisions": [{"id": "d", "name": "D", "branches": [
                {"id": "again", "label": "Again", "transitionTo": "a"},
                {"id": "end", "label": "End", "isDefault": true}
            ]}],
            "checkpoints": [{"id": "k", "name": "K", "message": "?", "options": [
                {"id": "stay", "label": "Stay", "effect": {"setVariable": {"x": 1}}},
                {"id": "go", "label": "Go", "effect": {"transitionTo": "e"}}
            ]}],
            "loops": [{"id": "l", "name": "L", "type": "while", "activities": ["f", "g"]}]
        }))
        .expect("an activity");
        let exits: Vec<(&str, Option<&str>, bool, bool)> = activity
            .exits()
            .map(|e| {
                let via = match e {
                    Exit::Transition(_) => "transition",
                    Exit::Branch { branch, .. } => branch.id.as_str(),
                    Exit::Option { option, .. } => option.id.as_str(),
                    Exit::Loop { repeat, .. } => repeat.id.as_str(),
                };
                (via, e.to(), e.condition().is_some(), e.is_default())
            })
            .collect();
        assert_eq!(
            exits,
            [
                ("transition", Some("b"), true, false),
                ("transition", Some("c"), false, true),
                ("again", Some("a"), false, false),
                ("end", None, false, true),
                ("go", Some("e"), false, false),
                ("l", Some("f"), false, false),
                ("l", Some("g"), false, false),
            ]
        );
    }
}
