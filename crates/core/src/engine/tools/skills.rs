//! `get_skills` and `get_skill` (protocol.md §7.15, §7.16), and how a skill is served: as
//! authored, with its resource references qualified by its own workflow.

use serde_json::Value;

use crate::catalog::{Definition, SkillDef, SkillLookupError};
use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{GetSkillParams, SessionTokenParams};
use crate::engine::render::{to_value, toon, with_header};
use crate::engine::results::{FailedSkill, GetSkillResult, GetSkillsResult, ServedSkill};
use crate::engine::warnings::{self, Warning};

use super::{gated, with_session};

/// Separates the sections of a text rendering that holds several definitions.
pub(crate) const SECTION: &str = "\n\n---\n\n";

/// The skill as served: authored fields in file order; bare resource references get the
/// skill's workflow in front (`"03"` in a meta skill becomes `"meta/03"`).
pub(crate) fn serve(skill: &SkillDef) -> ServedSkill {
    let mut raw = skill.raw.clone();
    if let Some(Value::Array(refs)) = raw.get_mut("resources") {
        for r in refs.iter_mut() {
            if let Value::String(s) = r
                && !s.contains('/')
            {
                *s = format!("{}/{}", skill.workflow, s);
            }
        }
    }
    ServedSkill {
        skill_id: skill.qualified_id(),
        skill: raw,
    }
}

pub(crate) fn skill_unavailable(reference: &str, reason: &SkillLookupError) -> Warning {
    Warning::new(
        "skill_unavailable",
        format!("Skill '{reference}' is unavailable: {reason}."),
    )
}

pub(crate) fn get_skills(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = SessionTokenParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| {
            gated(at, Gate::General)?;
            let served = gates::definition(&cx.catalog, &at.rec)?;
            let workflow = &served.definition.workflow;
            let refs: Vec<&String> = workflow
                .skills
                .iter()
                .flat_map(|s| std::iter::once(&s.primary).chain(&s.supporting))
                .collect();
            let mut skills = Vec::new();
            let mut failed = Vec::new();
            for r in refs {
                match cx
                    .catalog
                    .library()
                    .resolve_skill(r, &workflow.id, Some(&workflow.id))
                {
                    Ok(skill) => skills.push(serve(&skill)),
                    Err(e) => {
                        at.warn(Some(skill_unavailable(r, &e)));
                        failed.push(FailedSkill {
                            reference: r.clone(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            at.warn(warnings::version_drift(&at.rec, served));
            at.warn(warnings::serving_last_good(&cx.catalog, &workflow.id));
            let token = at.token(cx);
            let mut header = vec![
                ("scope", "workflow".to_owned()),
                ("session_token", token.clone()),
            ];
            if !failed.is_empty() {
                let names: Vec<&str> = failed.iter().map(|f| f.reference.as_str()).collect();
                header.push(("failed_skills", names.join(", ")));
            }
            let mut text: String = header
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n");
            text.push_str(SECTION);
            text.push_str(
                &skills
                    .iter()
                    .map(|s| toon(&Value::Object(s.skill.clone())))
                    .collect::<Vec<_>>()
                    .join(SECTION),
            );
            let result = GetSkillsResult {
                scope: "workflow".to_owned(),
                skills,
                failed_skills: failed,
                session_token: token.clone(),
            };
            Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
        },
    )
}

pub(crate) fn get_skill(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = GetSkillParams::parse(args)?;
    let p = &parsed.params;
    with_session(
        cx,
        &p.session_token,
        "session_token",
        &parsed.warnings,
        true,
        |cx, at| one_skill(cx, at, p),
    )
}

fn one_skill(cx: &Cx<'_>, at: &mut Attempt, p: &GetSkillParams) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let served = gates::definition(&cx.catalog, &at.rec)?;
    let def = &served.definition;
    let wf = def.workflow.id.as_str();
    let current_id = at.rec.current.as_ref().map(|c| c.activity_id.clone());
    let current = current_id.as_deref().and_then(|id| def.activity(id));
    // Loading the current activity's own skills needs it in the served definition.
    let require_current = |id: &str| {
        current.ok_or_else(|| {
            CallError::tool(
                ErrorCode::ActivityNotFound,
                format!("Activity '{id}' not found in workflow '{wf}'."),
            )
        })
    };
    // The reference and the workflow its bare form resolves in first.
    let (reference, origin): (String, &str) = match (&p.skill_id, &p.step_id, &current_id) {
        (Some(id), _, _) => (id.clone(), current.map_or(wf, |a| a.origin.as_str())),
        (None, Some(_), None) => {
            return Err(CallError::tool(
                ErrorCode::NoCurrentActivity,
                "Cannot provide step_id when no activity is active. Call next_activity first.",
            ));
        }
        (None, None, None) => match def.workflow.skills.as_ref() {
            Some(s) => (s.primary.clone(), wf),
            None => {
                return Err(CallError::tool(
                    ErrorCode::NoPrimarySkill,
                    format!("Workflow '{wf}' does not define a primary skill."),
                ));
            }
        },
        (None, None, Some(id)) => {
            let a = require_current(id)?;
            match a.activity.skills.as_ref().and_then(|s| s.primary.as_ref()) {
                Some(primary) => (primary.clone(), &a.origin),
                None => {
                    return Err(CallError::tool(
                        ErrorCode::NoPrimarySkill,
                        format!(
                            "Activity '{}' does not define a primary skill.",
                            a.activity.id
                        ),
                    ));
                }
            }
        }
        (None, Some(step_id), Some(id)) => {
            let a = require_current(id)?;
            let Some(step) = a.activity.all_steps().find(|s| s.id == *step_id) else {
                let ids: Vec<&str> = a.activity.all_steps().map(|s| s.id.as_str()).collect();
                return Err(CallError::tool(
                    ErrorCode::StepNotFound,
                    format!(
                        "Step '{step_id}' not found in activity '{}'. Available steps: [{}]",
                        a.activity.id,
                        ids.join(", ")
                    ),
                ));
            };
            match &step.skill {
                Some(skill) => (skill.clone(), &a.origin),
                None => {
                    return Err(CallError::tool(
                        ErrorCode::StepHasNoSkill,
                        format!(
                            "Step '{step_id}' in activity '{}' has no associated skill.",
                            a.activity.id
                        ),
                    ));
                }
            }
        }
    };
    let library = cx.catalog.library();
    let skill = library
        .resolve_skill(&reference, origin, Some(wf))
        .map_err(|e| match e {
            SkillLookupError::NotFound { looked_in } => CallError::tool(
                ErrorCode::SkillNotFound,
                format!(
                    "Skill not found: {reference} (looked in {}).",
                    looked_in.join(", ")
                ),
            ),
            e @ SkillLookupError::Unavailable(_) => CallError::tool(
                ErrorCode::SkillUnavailable,
                format!("Skill '{reference}' is unavailable: {e}."),
            ),
        })?;
    let served_skill = serve(&skill);
    if p.skill_id.is_some()
        && !referenced(
            cx,
            def,
            current.map(|a| a.activity.id.as_str()),
            &served_skill.skill_id,
        )
    {
        at.warn(Some(Warning::new(
            "skill_unreferenced",
            format!(
                "Skill '{reference}' is not referenced by the workflow or the current activity."
            ),
        )));
    }
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, wf));
    at.skill = served_skill.skill_id.clone();
    let token = at.token(cx);
    let text = with_header(
        &[("session_token", token.as_str())],
        &toon(&Value::Object(served_skill.skill.clone())),
    );
    let result = GetSkillResult {
        skill_id: served_skill.skill_id,
        skill: served_skill.skill,
        session_token: token.clone(),
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", token))
}

/// Whether the workflow's skills or the current activity's primary, supporting or step skills
/// resolve to `qualified`.
fn referenced(cx: &Cx<'_>, def: &Definition, current: Option<&str>, qualified: &str) -> bool {
    let library = cx.catalog.library();
    let wf = def.workflow.id.as_str();
    let resolves = |r: &str, origin: &str| {
        library
            .resolve_skill(r, origin, Some(wf))
            .is_ok_and(|s| s.qualified_id() == qualified)
    };
    let workflow_refs = def
        .workflow
        .skills
        .iter()
        .flat_map(|s| std::iter::once(&s.primary).chain(&s.supporting));
    if workflow_refs.into_iter().any(|r| resolves(r, wf)) {
        return true;
    }
    let Some(a) = current.and_then(|id| def.activity(id)) else {
        return false;
    };
    let activity = &a.activity;
    let own = activity
        .skills
        .iter()
        .flat_map(|s| s.primary.iter().chain(&s.supporting));
    let steps = activity.all_steps().filter_map(|s| s.skill.as_ref());
    own.chain(steps).any(|r| resolves(r, &a.origin))
}
