//! `get_skill` (docs/protocol.md#get_skill): one skill, chosen by step, by reference, or the
//! current primary.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::catalog::{Definition, SkillLookupError};
use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Attempt, Cx, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::render::{to_value, toon, with_header};
use crate::engine::results::Object;
use crate::engine::skills::serve;
use crate::engine::warnings::{self, Warning, WarningCode};

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_skill",
    description: |_| {
        "One skill: the current primary skill, a step's (step_id) or a named one (skill_id)."
            .to_owned()
    },
    read_only: true,
    structured_content: false,
    input_schema: input::<GetSkillParams>,
    output_schema: output::<GetSkillResult>,
    run: get_skill,
};

#[derive(JsonSchema)]
pub(crate) struct GetSkillParams {
    pub session_token: String,
    pub step_id: Option<String>,
    /// ID or WF/ID.
    pub skill_id: Option<String>,
}

impl SessionParams for GetSkillParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let step_id = a.id("step_id", IdKind::Step, false);
        let skill_id = a.id("skill_id", IdKind::SkillRef, false);
        if step_id.is_some() && skill_id.is_some() {
            a.refuse("Provide either step_id or skill_id, not both.");
        }
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                step_id,
                skill_id,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetSkillResult {
    pub skill_id: String,
    pub skill: Object,
    pub session_token: String,
}

fn get_skill(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<GetSkillParams>(cx, args, one_skill)
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
        at.warn(Some(Warning::new(WarningCode::SkillUnreferenced,
            format!(
                "Skill '{reference}' is not referenced by the workflow or the current activity."
            ),
        )));
    }
    at.warn(warnings::version_drift(&at.rec, served));
    at.warn(warnings::serving_last_good(&cx.catalog, wf));
    let token = at.token(cx);
    let text = with_header(
        &[
            ("skill_id", served_skill.skill_id.as_str()),
            ("session_token", token.as_str()),
        ],
        &skill
            .text
            .get_or_render(|| toon(&Value::Object(served_skill.skill.clone()))),
    );
    let structured = cx.unlisted_structured(|| {
        to_value(&GetSkillResult {
            skill_id: served_skill.skill_id,
            skill: served_skill.skill,
            session_token: token.clone(),
        })
    });
    Ok(Reply::new(structured, text).with_meta("session_token", token))
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
