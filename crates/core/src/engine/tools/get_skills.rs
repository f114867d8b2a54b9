//! `get_skills` (docs/protocol.md#get_skills): the workflow-level skills, primary first.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::gates::{self, Gate};
use crate::engine::params::SessionTokenParams;
use crate::engine::render::{to_value, toon};
use crate::engine::results::ServedSkill;
use crate::engine::skills::{SECTION, serve, skill_unavailable};
use crate::engine::warnings;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_skills",
    description: |_| {
        "The workflow's own skills, primary first."
            .to_owned()
    },
    read_only: true,
    structured_content: false,
    input_schema: input::<SessionTokenParams>,
    output_schema: output::<GetSkillsResult>,
    run: get_skills,
};

#[derive(Serialize, JsonSchema)]
pub(crate) struct FailedSkill {
    #[serde(rename = "ref")]
    pub reference: String,
    pub reason: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetSkillsResult {
    /// `workflow`.
    pub scope: String,
    pub skills: Vec<ServedSkill>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_skills: Vec<FailedSkill>,
    pub session_token: String,
}

fn get_skills(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<SessionTokenParams>(
        cx,
        args,
        |cx, at, _| {
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
                    .map(|s| {
                        format!(
                            "skill_id: {}\n{}",
                            s.skill_id,
                            toon(&Value::Object(s.skill.clone()))
                        )
                    })
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
