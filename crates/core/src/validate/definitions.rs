//! The semantic rules of docs/formats.md that a schema cannot express: uniqueness, references
//! between parts of a workflow, conditions against declared variables, checkpoint settings.
//! Each check runs on the typed model and places its diagnostic with the file's positions.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{FileCtx, References};
use crate::diagnostic::{Code, Diagnostic};
use crate::ids;
use crate::model::activity::{Action, Decision, Loop, LoopKind, Trigger};
use crate::model::condition::MAX_DEPTH;
use crate::model::workflow::json_type_name;
use crate::model::{
    Activity, Checkpoint, CheckpointOption, Condition, Effect, Operator, Step, VariableType,
    Workflow,
};
use crate::pointer::{push, push_index};
use crate::schema::SchemaKind;

/// What a workflow offers the checks of its parts.
pub(crate) struct Scope<'a> {
    pub variables: HashMap<&'a str, VariableType>,
    pub activity_ids: HashSet<&'a str>,
    pub artifact_locations: HashSet<&'a str>,
    /// The library around the workflow, for triggers and skill references.
    pub library: &'a dyn References,
    /// The workflow checked: skill references are resolved for its sessions.
    pub workflow_id: &'a str,
}

impl<'a> Scope<'a> {
    pub fn new(
        workflow: &'a Workflow,
        activity_ids: HashSet<&'a str>,
        library: &'a dyn References,
        workflow_id: &'a str,
    ) -> Self {
        Self {
            variables: workflow
                .variables
                .iter()
                .map(|v| (v.name.as_str(), v.kind))
                .collect(),
            activity_ids,
            artifact_locations: workflow
                .artifact_locations
                .keys()
                .map(String::as_str)
                .collect(),
            library,
            workflow_id,
        }
    }
}

/// The rules (one per code) the semantic checks of an activity or skill file report once its
/// structure is sound: an activity's own checks ([`check_activity`]) and its file-name id, a
/// skill's file-name id and resources. A structural error leaves the file untyped, so these
/// are skipped and the error says how many (docs/formats.md#diagnostics). `None` for kinds
/// whose checks still run on what is sound (a workflow file is salvaged).
pub(crate) fn semantic_rules(kind: SchemaKind) -> Option<&'static [Code]> {
    match kind {
        SchemaKind::Activity => Some(&[
            Code::IdMismatch,
            Code::DuplicateId,
            Code::UnresolvedSkill,
            Code::UnknownCheckpointRef,
            Code::UnknownDefaultOption,
            Code::AutoAdvanceWithoutDefault,
            Code::AdvisoryOnBlocking,
            Code::VariableUndeclared,
            Code::VariableType,
            Code::UnknownTransitionTarget,
            Code::UnknownActivityRef,
            Code::MultipleDefaults,
            Code::LoopIncomplete,
            Code::UnknownWorkflow,
            Code::EstimatedTime,
            Code::UnknownArtifactLocation,
            Code::InvalidValue,
            Code::ConditionValueMissing,
            Code::ConditionValueIgnored,
            Code::ConditionUndeclaredVariable,
            Code::ConditionType,
        ]),
        SchemaKind::Skill => Some(&[Code::IdMismatch, Code::UnresolvedResource]),
        SchemaKind::Workflow | SchemaKind::Condition => None,
    }
}

/// Reports the second and later occurrences of each id.
fn unique<'x>(
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
    what: &str,
    within: &str,
    items: impl IntoIterator<Item = (&'x str, String)>,
) {
    let mut seen = HashSet::new();
    for (id, pointer) in items {
        if !seen.insert(id) {
            out.push(ctx.diag(
                Code::DuplicateId,
                format!("Duplicate {what} id '{id}' in {within}; ids must be unique, rename one"),
                &pointer,
            ));
        }
    }
}

/// Checks of the workflow file that need no other file.
pub(crate) fn check_workflow(wf: &Workflow, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    unique(
        ctx,
        out,
        "variable",
        "the workflow",
        wf.variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.as_str(), push(&push_index("/variables", i), "name"))),
    );
    unique(
        ctx,
        out,
        "mode",
        "the workflow",
        wf.modes
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), push(&push_index("/modes", i), "id"))),
    );
    for (i, v) in wf.variables.iter().enumerate() {
        if let Some(default) = &v.default_value
            && !v.kind.admits(default)
        {
            out.push(ctx.diag(
                    Code::DefaultType,
                    format!(
                        "Variable '{}' is declared as {} but its defaultValue is {}; change the type or the default",
                        v.name,
                        v.kind.as_str(),
                        json_type_name(default)
                    ),
                    &push(&push_index("/variables", i), "defaultValue"),
                ));
        }
    }
    let declared: HashMap<&str, VariableType> = wf
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.kind))
        .collect();
    for (i, mode) in wf.modes.iter().enumerate() {
        let at = push_index("/modes", i);
        if declared.get(mode.activation_variable.as_str()) != Some(&VariableType::Boolean) {
            out.push(ctx.diag(
                Code::ModeVariable,
                format!(
                    "Mode '{}' is activated by '{}', which is not a declared boolean variable; declare it with type: boolean",
                    mode.id, mode.activation_variable
                ),
                &push(&at, "activationVariable"),
            ));
        }
        if let Some(defaults) = &mode.defaults {
            for key in defaults.keys() {
                if !declared.contains_key(key.as_str()) {
                    out.push(ctx.diag(
                        Code::VariableUndeclared,
                        format!("Mode '{}' sets a default for '{key}', which the workflow does not declare; declare it under variables", mode.id),
                        &push(&push(&at, "defaults"), key),
                    ));
                }
            }
        }
    }
    if wf.initial_activity.is_none() {
        out.push(ctx.diag(
        Code::InitialActivityMissing,
        "No initialActivity is declared; dispatch will start at the first activity. Add initialActivity: <activity id>",
        "",
    ))
    }
}

/// Checks of one activity in the scope of a workflow. `base` is the activity's pointer in its
/// file (`""` for an activity file, `/activities/<i>` for an inline one).
pub(crate) fn check_activity(
    act: &Activity,
    base: &str,
    scope: &Scope<'_>,
    origin: &str,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let steps = steps_with_pointers(act, base);
    unique_part_ids(act, base, &steps, ctx, out);
    let loop_vars: HashSet<&str> = act
        .loops
        .iter()
        .filter_map(|l| l.variable.as_deref())
        .collect();
    let check = ActivityCheck {
        act,
        base,
        scope,
        origin,
        ctx,
        conditions: ConditionCheck {
            scope,
            loop_vars: &loop_vars,
            ctx,
        },
    };
    check.skills(out);
    check.steps(&steps, out);
    for (i, cp) in act.checkpoints.iter().enumerate() {
        check.checkpoint(cp, &push_index(&push(base, "checkpoints"), i), out);
    }
    check.transitions(out);
    for (i, d) in act.decisions.iter().enumerate() {
        check.decision(d, &push_index(&push(base, "decisions"), i), out);
    }
    for (i, lp) in act.loops.iter().enumerate() {
        check_loop(
            lp,
            &push_index(&push(base, "loops"), i),
            scope,
            &check.conditions,
            ctx,
            out,
        );
    }
    triggers(scope, &act.triggers, &push(base, "triggers"), ctx, out);
    actions(
        &check.conditions,
        &act.entry_actions,
        &push(base, "entryActions"),
        out,
    );
    actions(
        &check.conditions,
        &act.exit_actions,
        &push(base, "exitActions"),
        out,
    );
    check.estimated_time(out);
    check.artifact_locations(out);
}

/// Top-level steps, then loop steps, each with its pointer: the activity's step namespace.
fn steps_with_pointers<'a>(act: &'a Activity, base: &str) -> Vec<(&'a Step, String)> {
    act.steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s, push_index(&push(base, "steps"), i)))
        .chain(act.loops.iter().enumerate().flat_map(|(l, lp)| {
            lp.steps.iter().enumerate().map(move |(i, s)| {
                (
                    s,
                    push_index(&push(&push_index(&push(base, "loops"), l), "steps"), i),
                )
            })
        }))
        .collect()
}

/// Ids of steps, checkpoints, decisions, loops and artifacts are unique within the activity.
fn unique_part_ids(
    act: &Activity,
    base: &str,
    steps: &[(&Step, String)],
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let within = format!("activity '{}'", act.id);
    unique(
        ctx,
        out,
        "step",
        &within,
        steps.iter().map(|(s, p)| (s.id.as_str(), push(p, "id"))),
    );
    unique(
        ctx,
        out,
        "checkpoint",
        &within,
        id_pointers(
            base,
            "checkpoints",
            act.checkpoints.iter().map(|c| c.id.as_str()),
        ),
    );
    unique(
        ctx,
        out,
        "decision",
        &within,
        id_pointers(
            base,
            "decisions",
            act.decisions.iter().map(|d| d.id.as_str()),
        ),
    );
    unique(
        ctx,
        out,
        "loop",
        &within,
        id_pointers(base, "loops", act.loops.iter().map(|l| l.id.as_str())),
    );
    unique(
        ctx,
        out,
        "artifact",
        &within,
        id_pointers(
            base,
            "artifacts",
            act.artifacts.iter().map(|a| a.id.as_str()),
        ),
    );
}

/// Each id of a list of `base` with the pointer of its `id` field.
fn id_pointers<'x>(
    base: &str,
    list: &str,
    ids: impl Iterator<Item = &'x str>,
) -> impl Iterator<Item = (&'x str, String)> {
    let at = push(base, list);
    ids.enumerate()
        .map(move |(i, id)| (id, push(&push_index(&at, i), "id")))
}

/// The parts of one activity's check that every sub-check reads.
struct ActivityCheck<'a, 'f> {
    act: &'a Activity,
    /// The activity's pointer in its file.
    base: &'a str,
    scope: &'a Scope<'a>,
    /// The workflow whose folder holds the activity: skill references resolve from there.
    origin: &'a str,
    ctx: &'a FileCtx<'f>,
    conditions: ConditionCheck<'a, 'f>,
}

impl ActivityCheck<'_, '_> {
    /// The activity's primary and supporting skills resolve.
    fn skills(&self, out: &mut Vec<Diagnostic>) {
        let Some(skills) = &self.act.skills else {
            return;
        };
        let at = push(self.base, "skills");
        if let Some(primary) = &skills.primary {
            skill_ref(
                self.scope,
                self.origin,
                primary,
                self.ctx,
                &push(&at, "primary"),
                out,
            );
        }
        for (i, s) in skills.supporting.iter().enumerate() {
            skill_ref(
                self.scope,
                self.origin,
                s,
                self.ctx,
                &push_index(&push(&at, "supporting"), i),
                out,
            );
        }
    }

    /// Each step's checkpoint, skill, condition, actions and triggers.
    fn steps(&self, steps: &[(&Step, String)], out: &mut Vec<Diagnostic>) {
        let (act, ctx) = (self.act, self.ctx);
        let checkpoint_ids: HashSet<&str> = act.checkpoints.iter().map(|c| c.id.as_str()).collect();
        for (step, at) in steps {
            if let Some(cp) = &step.checkpoint
                && !checkpoint_ids.contains(cp.as_str())
            {
                out.push(ctx.diag(
                    Code::UnknownCheckpointRef,
                    format!("Step '{}' names checkpoint '{cp}', which activity '{}' does not define; add it under checkpoints or fix the id", step.id, act.id),
                    &push(at, "checkpoint"),
                ));
            }
            if let Some(skill) = &step.skill {
                skill_ref(self.scope, self.origin, skill, ctx, &push(at, "skill"), out);
            }
            if let Some(c) = &step.condition {
                self.conditions.check(c, &push(at, "condition"), out);
            }
            actions(&self.conditions, &step.actions, &push(at, "actions"), out);
            triggers(self.scope, &step.triggers, &push(at, "triggers"), ctx, out);
        }
    }

    /// A checkpoint's option ids, its default and auto-advance settings, its condition and
    /// what its options do.
    fn checkpoint(&self, cp: &Checkpoint, at: &str, out: &mut Vec<Diagnostic>) {
        let ctx = self.ctx;
        unique(
            ctx,
            out,
            "option",
            &format!("checkpoint '{}'", cp.id),
            id_pointers(at, "options", cp.options.iter().map(|o| o.id.as_str())),
        );
        if let Some(default) = &cp.default_option
            && !cp.options.iter().any(|o| &o.id == default)
        {
            let valid: Vec<&str> = cp.options.iter().map(|o| o.id.as_str()).collect();
            out.push(ctx.diag(
                    Code::UnknownDefaultOption,
                    format!("defaultOption '{default}' is not an option of checkpoint '{}'; use one of [{}]", cp.id, valid.join(", ")),
                    &push(at, "defaultOption"),
                ));
        }
        if cp.auto_advance_ms.is_some() && cp.default_option.is_none() {
            out.push(ctx.diag(
                Code::AutoAdvanceWithoutDefault,
                format!("Checkpoint '{}' has autoAdvanceMs but no defaultOption; add defaultOption or remove autoAdvanceMs", cp.id),
                &push(at, "autoAdvanceMs"),
            ));
        }
        if cp.blocking && (cp.default_option.is_some() || cp.auto_advance_ms.is_some()) {
            let key = if cp.auto_advance_ms.is_some() {
                "autoAdvanceMs"
            } else {
                "defaultOption"
            };
            out.push(ctx.diag(
                Code::AdvisoryOnBlocking,
                format!("Checkpoint '{}' is blocking, so its defaultOption/autoAdvanceMs are never used; set blocking: false to make it advisory", cp.id),
                &push(at, key),
            ));
        }
        if let Some(c) = &cp.condition {
            self.conditions.check(c, &push(at, "condition"), out);
        }
        for (j, option) in cp.options.iter().enumerate() {
            if let Some(effect) = &option.effect {
                let eat = push(&push_index(&push(at, "options"), j), "effect");
                self.effect(option, effect, &eat, out);
            }
        }
    }

    /// An option's effect: variables it sets are declared and typed, the activities it moves
    /// to or skips exist.
    fn effect(
        &self,
        option: &CheckpointOption,
        effect: &Effect,
        at: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let (scope, ctx) = (self.scope, self.ctx);
        if let Some(vars) = &effect.set_variable {
            for (name, value) in vars {
                let vat = push(&push(at, "setVariable"), name);
                match scope.variables.get(name.as_str()) {
                    None => out.push(ctx.diag(
                        Code::VariableUndeclared,
                        format!("Option '{}' sets '{name}', which the workflow does not declare; declare it under variables", option.id),
                        &vat,
                    )),
                    Some(kind) if !kind.admits(value) => out.push(ctx.diag(
                        Code::VariableType,
                        format!(
                            "Option '{}' sets '{name}' to {}, but it is declared as {}",
                            option.id,
                            json_type_name(value),
                            kind.as_str()
                        ),
                        &vat,
                    )),
                    Some(_) => {}
                }
            }
        }
        if let Some(to) = &effect.transition_to {
            target(scope, to, ctx, &push(at, "transitionTo"), out);
        }
        for (k, skip) in effect.skip_activities.iter().enumerate() {
            activity_ref(
                scope,
                skip,
                ctx,
                &push_index(&push(at, "skipActivities"), k),
                out,
            );
        }
    }

    /// Transition targets and conditions, and at most one default transition.
    fn transitions(&self, out: &mut Vec<Diagnostic>) {
        let mut defaults = Vec::new();
        for (i, t) in self.act.transitions.iter().enumerate() {
            let at = push_index(&push(self.base, "transitions"), i);
            if t.to != ids::TERMINAL {
                target(self.scope, &t.to, self.ctx, &push(&at, "to"), out);
            }
            if let Some(c) = &t.condition {
                self.conditions.check(c, &push(&at, "condition"), out);
            }
            if t.is_default || t.condition.is_none() {
                defaults.push((t.to.as_str(), at));
            }
        }
        if let [_, rest @ ..] = defaults.as_slice() {
            for (to, at) in rest {
                out.push(self.ctx.diag(
                    Code::MultipleDefaults,
                    format!("Activity '{}' has more than one default (unconditional) transition; the one to '{to}' is never taken. Give it a condition", self.act.id),
                    at,
                ));
            }
        }
    }

    /// A decision's branch ids, targets and conditions, and at most one default branch.
    fn decision(&self, d: &Decision, at: &str, out: &mut Vec<Diagnostic>) {
        let ctx = self.ctx;
        unique(
            ctx,
            out,
            "branch",
            &format!("decision '{}'", d.id),
            id_pointers(at, "branches", d.branches.iter().map(|b| b.id.as_str())),
        );
        let mut seen_default = false;
        for (j, b) in d.branches.iter().enumerate() {
            let bat = push_index(&push(at, "branches"), j);
            if let Some(to) = &b.transition_to {
                target(self.scope, to, ctx, &push(&bat, "transitionTo"), out);
            }
            if let Some(c) = &b.condition {
                self.conditions.check(c, &push(&bat, "condition"), out);
            }
            if b.is_default {
                if seen_default {
                    out.push(ctx.diag(
                        Code::MultipleDefaults,
                        format!(
                            "Decision '{}' has more than one default branch; keep isDefault on one",
                            d.id
                        ),
                        &push(&bat, "isDefault"),
                    ));
                }
                seen_default = true;
            }
        }
    }

    fn estimated_time(&self, out: &mut Vec<Diagnostic>) {
        if let Some(time) = &self.act.estimated_time
            && !is_estimated_time(time)
        {
            out.push(self.ctx.diag(
                Code::EstimatedTime,
                format!("estimatedTime '{time}' is not a duration like '20m', '1-2h' or '2 days'"),
                &push(self.base, "estimatedTime"),
            ));
        }
    }

    /// A bare artifact location names a key of the workflow's `artifactLocations`.
    fn artifact_locations(&self, out: &mut Vec<Diagnostic>) {
        for (i, artifact) in self.act.artifacts.iter().enumerate() {
            if let Some(location) = &artifact.location {
                let bare = !location.contains(['/', '{', '.', '\\']);
                if bare && !self.scope.artifact_locations.contains(location.as_str()) {
                    out.push(self.ctx.diag(
                        Code::UnknownArtifactLocation,
                        format!("Artifact '{}' is written to '{location}', which is not a key of the workflow's artifactLocations; add it there or write a path", artifact.id),
                        &push(&push_index(&push(self.base, "artifacts"), i), "location"),
                    ));
                }
            }
        }
    }
}

fn check_loop(
    lp: &Loop,
    at: &str,
    scope: &Scope<'_>,
    conditions: &ConditionCheck<'_, '_>,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let incomplete = match lp.kind {
        LoopKind::ForEach => lp.variable.is_none() || lp.over.is_none(),
        LoopKind::While | LoopKind::DoWhile => lp.condition.is_none(),
    };
    if incomplete {
        let need = match lp.kind {
            LoopKind::ForEach => "a forEach loop needs 'variable' and 'over'",
            _ => "a while/doWhile loop needs a 'condition'",
        };
        out.push(ctx.diag(
            Code::LoopIncomplete,
            format!("Loop '{}' is incomplete: {need}", lp.id),
            at,
        ));
    }
    if let Some(c) = &lp.condition {
        conditions.check(c, &push(at, "condition"), out);
    }
    if let Some(c) = &lp.break_condition {
        conditions.check(c, &push(at, "breakCondition"), out);
    }
    for (i, a) in lp.activities.iter().enumerate() {
        activity_ref(scope, a, ctx, &push_index(&push(at, "activities"), i), out);
    }
}

fn actions(
    conditions: &ConditionCheck<'_, '_>,
    list: &[Action],
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    for (i, a) in list.iter().enumerate() {
        if let Some(c) = &a.condition {
            conditions.check(c, &push(&push_index(at, i), "condition"), out);
        }
    }
}

fn triggers(
    scope: &Scope<'_>,
    list: &[Trigger],
    at: &str,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (i, t) in list.iter().enumerate() {
        if !scope.library.has_workflow(&t.workflow) {
            out.push(ctx.diag(
                Code::UnknownWorkflow,
                format!(
                    "Trigger names workflow '{}', which is not in the library",
                    t.workflow
                ),
                &push(&push_index(at, i), "workflow"),
            ));
        }
    }
}

fn target(scope: &Scope<'_>, to: &str, ctx: &FileCtx<'_>, at: &str, out: &mut Vec<Diagnostic>) {
    if !scope.activity_ids.contains(to) {
        out.push(ctx.diag(
            Code::UnknownTransitionTarget,
            format!(
                "Transition target '{to}' is not an activity of this workflow; activities: [{}]",
                sorted(&scope.activity_ids)
            ),
            at,
        ));
    }
}

fn activity_ref(
    scope: &Scope<'_>,
    id: &str,
    ctx: &FileCtx<'_>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    if !scope.activity_ids.contains(id) {
        out.push(ctx.diag(
            Code::UnknownActivityRef,
            format!(
                "'{id}' is not an activity of this workflow; activities: [{}]",
                sorted(&scope.activity_ids)
            ),
            at,
        ));
    }
}

pub(crate) fn skill_ref(
    scope: &Scope<'_>,
    origin: &str,
    reference: &str,
    ctx: &FileCtx<'_>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    if scope
        .library
        .skill_resolves(reference, origin, scope.workflow_id)
    {
        return;
    }
    // A qualified reference is looked up only in the workflow it names
    // (docs/formats.md#skill-references), so the origin/meta search order and the advice to qualify
    // do not apply to it.
    let message = match ids::parse_skill_ref(reference) {
        Some((Some(workflow), id)) => format!(
            "Skill '{id}' was not found in workflow '{workflow}', which the reference names; add {workflow}/skills/NN-{id} or correct the reference"
        ),
        _ => format!(
            "Skill '{reference}' was not found in workflow '{origin}' or in 'meta'; add skills/NN-<id> or qualify it as <workflow>/<id>"
        ),
    };
    out.push(ctx.diag(Code::UnresolvedSkill, message, at));
}

fn sorted(set: &HashSet<&str>) -> String {
    let mut v: Vec<&str> = set.iter().copied().collect();
    v.sort_unstable();
    v.join(", ")
}

/// `^\d+(-\d+)?\s*(m|min|h|hr|hours?|d|days?)?$`, case-insensitive.
fn is_estimated_time(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(&t);
    if n == 0 {
        return false;
    }
    let mut rest = &t[n..];
    if let Some(r) = rest.strip_prefix('-') {
        let m = digits(r);
        if m == 0 {
            return false;
        }
        rest = &r[m..];
    }
    matches!(
        rest.trim_start(),
        "" | "m" | "min" | "h" | "hr" | "hour" | "hours" | "d" | "day" | "days"
    )
}

/// Condition checks against the declared variables (and loop variables of the activity).
struct ConditionCheck<'a, 'f> {
    scope: &'a Scope<'a>,
    loop_vars: &'a HashSet<&'a str>,
    ctx: &'a FileCtx<'f>,
}

impl ConditionCheck<'_, '_> {
    fn check(&self, condition: &Condition, at: &str, out: &mut Vec<Diagnostic>) {
        self.walk(condition, at, 1, out);
    }

    fn walk(&self, condition: &Condition, at: &str, depth: usize, out: &mut Vec<Diagnostic>) {
        if depth > MAX_DEPTH {
            out.push(self.ctx.diag(
                Code::InvalidValue,
                format!("Condition nesting is deeper than {MAX_DEPTH} levels; simplify it"),
                at,
            ));
            return;
        }
        match condition {
            Condition::Simple {
                variable,
                operator,
                value,
            } => self.simple(variable, *operator, value.as_ref(), at, out),
            Condition::And { conditions } | Condition::Or { conditions } => {
                for (i, c) in conditions.iter().enumerate() {
                    self.walk(c, &push_index(&push(at, "conditions"), i), depth + 1, out);
                }
            }
            Condition::Not { condition } => {
                self.walk(condition, &push(at, "condition"), depth + 1, out)
            }
        }
    }

    fn simple(
        &self,
        path: &str,
        operator: Operator,
        value: Option<&Value>,
        at: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let ctx = self.ctx;
        match (operator.takes_value(), value) {
            (true, None) => out.push(ctx.diag(
                Code::ConditionValueMissing,
                format!(
                    "Condition on '{path}' uses '{}' but has no value; add value: …",
                    operator.as_str()
                ),
                at,
            )),
            (false, Some(_)) => out.push(ctx.diag(
                Code::ConditionValueIgnored,
                format!(
                    "'{}' takes no value; the value of this condition is ignored, remove it",
                    operator.as_str()
                ),
                &push(at, "value"),
            )),
            _ => {}
        }
        let mut segments = path.split('.');
        let name = segments.next().unwrap_or_default();
        let nested = segments.next().is_some();
        if self.loop_vars.contains(name) {
            return;
        }
        let Some(kind) = self.scope.variables.get(name) else {
            out.push(ctx.diag(
                Code::ConditionUndeclaredVariable,
                format!("Condition uses variable '{name}', which the workflow does not declare; declare it under variables"),
                &push(at, "variable"),
            ));
            return;
        };
        if nested || !ids::is_variable_name(name) {
            return;
        }
        let Some(value) = value.filter(|_| operator.takes_value()) else {
            return;
        };
        let problem = if operator.is_ordering() {
            if *kind != VariableType::Number {
                Some(format!(
                    "'{}' compares numbers, but '{name}' is declared as {}",
                    operator.as_str(),
                    kind.as_str()
                ))
            } else if !value.is_number() {
                Some(format!(
                    "'{}' compares numbers, but the value is {}",
                    operator.as_str(),
                    json_type_name(value)
                ))
            } else {
                None
            }
        } else if !value.is_null() && !kind.admits(value) {
            Some(format!(
                "'{name}' is declared as {} but is compared with {} {}; the comparison is never true",
                kind.as_str(),
                json_type_name(value),
                value
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            out.push(ctx.diag(Code::ConditionType, message, &push(at, "value")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_estimated_time;

    #[test]
    fn estimated_time_pattern() {
        for ok in ["20m", "1-2h", "2 days", "3", "45 MIN", "1hr", "1 hour"] {
            assert!(is_estimated_time(ok), "{ok}");
        }
        for bad in ["", "m", "1-h", "about 2h", "2 weeks", "1.5h"] {
            assert!(!is_estimated_time(bad), "{bad}");
        }
    }
}
