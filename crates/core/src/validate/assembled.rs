//! The checks that span the files of an assembled workflow (docs/formats.md#activity-assembly-and-order): activity ids
//! unique across files, `initialActivity`, transition targets, skill and resource references
//! resolved in the library, and every activity reachable from the start. The catalog assembles
//! the workflow and decides its status; these checks only read what it assembled and report.

use std::collections::{HashMap, HashSet, VecDeque};

use super::definitions::{self, Scope};
use super::{FileCtx, References};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Activity, Skill, Workflow};
use crate::pointer::{push, push_index};

/// An activity of an assembled workflow and the file it is written in.
pub(crate) struct Member<'a> {
    pub activity: &'a Activity,
    /// Its own file, or the workflow file for an inline activity.
    pub file: FileCtx<'a>,
    /// The activity's pointer in that file.
    pub base: &'a str,
    /// The workflow whose folder holds the file: skill references resolve from there.
    pub origin: &'a str,
}

/// A workflow as the catalog assembled it from its folder.
pub(crate) struct Assembled<'a> {
    pub id: &'a str,
    pub workflow: &'a Workflow,
    pub file: FileCtx<'a>,
    /// Its activities in catalog order.
    pub members: Vec<Member<'a>>,
    /// Ids of activities whose files failed their own checks: known, so references to them
    /// are not reported as unknown on top of the file's own error, but not checked.
    pub failed: Vec<&'a str>,
    /// The folder's skill files that loaded.
    pub skills: Vec<(&'a Skill, FileCtx<'a>)>,
}

/// Runs every check that needs the whole workflow and the library.
pub(crate) fn check(
    assembled: &Assembled<'_>,
    library: &dyn References,
    out: &mut Vec<Diagnostic>,
) {
    has_activities(assembled, out);
    unique_activity_ids(assembled, out);
    let activity_ids: HashSet<&str> = assembled
        .members
        .iter()
        .map(|m| m.activity.id.as_str())
        .chain(assembled.failed.iter().copied())
        .collect();
    let initial_known = initial_activity(assembled, &activity_ids, out);
    let scope = Scope::new(assembled.workflow, activity_ids, library, assembled.id);
    for m in &assembled.members {
        definitions::check_activity(m.activity, m.base, &scope, m.origin, &m.file, out);
    }
    workflow_references(assembled, &scope, library, out);
    skill_resources(assembled, library, out);
    if assembled.failed.is_empty() && initial_known {
        unreachable_activities(assembled, out);
    }
}

fn has_activities(assembled: &Assembled<'_>, out: &mut Vec<Diagnostic>) {
    if assembled.members.is_empty() && assembled.failed.is_empty() {
        let id = assembled.id;
        out.push(assembled.file.diag(
            Code::NoActivities,
            format!("Workflow '{id}' has no activities; add files under {id}/activities/ named NN-<id>.yaml"),
            "",
        ));
    }
}

fn unique_activity_ids(assembled: &Assembled<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for m in &assembled.members {
        if !seen.insert(m.activity.id.as_str()) {
            out.push(m.file.diag(
                Code::DuplicateId,
                format!(
                    "Activity id '{}' appears twice in workflow '{}'; ids must be unique",
                    m.activity.id, assembled.id
                ),
                &push(m.base, "id"),
            ));
        }
    }
}

/// Reports an `initialActivity` that names no activity; returns whether it names one.
fn initial_activity(
    assembled: &Assembled<'_>,
    activity_ids: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(initial) = &assembled.workflow.initial_activity else {
        return false;
    };
    if activity_ids.contains(initial.as_str()) {
        return true;
    }
    if !activity_ids.is_empty() {
        let mut known: Vec<&str> = activity_ids.iter().copied().collect();
        known.sort_unstable();
        out.push(assembled.file.diag(
            Code::InitialActivityUnknown,
            format!(
                "initialActivity '{initial}' is not an activity of this workflow; use one of [{}]",
                known.join(", ")
            ),
            "/initialActivity",
        ));
    }
    false
}

/// The workflow file's references: its skills, and the activities and resources of its modes.
fn workflow_references(
    assembled: &Assembled<'_>,
    scope: &Scope<'_>,
    library: &dyn References,
    out: &mut Vec<Diagnostic>,
) {
    let (wf, id, ctx) = (assembled.workflow, assembled.id, &assembled.file);
    if let Some(skills) = &wf.skills {
        definitions::skill_ref(scope, id, &skills.primary, ctx, "/skills/primary", out);
        for (i, s) in skills.supporting.iter().enumerate() {
            definitions::skill_ref(scope, id, s, ctx, &push_index("/skills/supporting", i), out);
        }
    }
    for (i, mode) in wf.modes.iter().enumerate() {
        let at = push_index("/modes", i);
        for (k, skip) in mode.skip_activities.iter().enumerate() {
            if !scope.activity_ids.contains(skip.as_str()) {
                out.push(ctx.diag(
                    Code::UnknownActivityRef,
                    format!(
                        "Mode '{}' skips '{skip}', which is not an activity of this workflow",
                        mode.id
                    ),
                    &push_index(&push(&at, "skipActivities"), k),
                ));
            }
        }
        if let Some(reference) = &mode.resource
            && let Some(why) = library.unresolved_resource(reference, id)
        {
            out.push(ctx.diag(
                Code::UnresolvedResource,
                format!(
                    "Mode '{}' names resource '{reference}', which {why}",
                    mode.id
                ),
                &push(&at, "resource"),
            ));
        }
    }
}

/// Skill files' resource references, which resolve in the skill's own workflow.
fn skill_resources(assembled: &Assembled<'_>, library: &dyn References, out: &mut Vec<Diagnostic>) {
    for (skill, ctx) in &assembled.skills {
        for (i, reference) in skill.resources.iter().enumerate() {
            if let Some(why) = library.unresolved_resource(reference, assembled.id) {
                out.push(ctx.diag(
                    Code::UnresolvedResource,
                    format!(
                        "Skill '{}' lists resource '{reference}' (entry {i}), which {why}",
                        skill.id
                    ),
                    &push_index("/resources", i),
                ));
            }
        }
    }
}

/// Activities that no path from `initialActivity` reaches.
fn unreachable_activities(assembled: &Assembled<'_>, out: &mut Vec<Diagnostic>) {
    let by_id: HashMap<&str, &Activity> = assembled
        .members
        .iter()
        .map(|m| (m.activity.id.as_str(), m.activity))
        .collect();
    let initial = assembled
        .workflow
        .initial_activity
        .as_deref()
        .unwrap_or_default();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from([initial]);
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(activity) = by_id.get(id) {
            queue.extend(activity.exits().filter_map(|e| e.to()));
        }
    }
    for m in &assembled.members {
        if !seen.contains(m.activity.id.as_str()) {
            out.push(m.file.diag(
                Code::UnreachableActivity,
                format!(
                    "Activity '{}' cannot be reached from initialActivity '{initial}' through transitions, decisions, checkpoint options or loops",
                    m.activity.id,
                ),
                &push(m.base, "id"),
            ));
        }
    }
}
