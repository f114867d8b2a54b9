//! `dispatch_workflow` (docs/protocol.md#dispatch_workflow): a child session for another workflow,
//! created in the same atomic batch as the parent's `children` update, and the client prompt
//! composed from the meta workflow's dispatch template (`client-prompt-template` unless meta
//! declares another).

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, META};
use crate::engine::ToolOutput;
use crate::engine::args::{Args, IdKind};
use crate::engine::attempt::{Attempt, Cx, Extra, Reply};
use crate::engine::errors::{CallError, ErrorCode};
use crate::engine::gates::{self, Gate};
use crate::engine::params::{SessionParams, Parsed, done};
use crate::engine::variables;
use crate::engine::render::{to_value, toon};
use crate::engine::results::{Object, WorkflowInfo};
use crate::engine::warnings::{self, Warning, WarningCode};
use crate::model::workflow::DEFAULT_DISPATCH_TEMPLATE;
use crate::session::SessionRecord;
use crate::session::record::RelatedSession;

use super::{Tool, gated, input, on_session, output};

pub(super) const TOOL: Tool = Tool {
    name: "dispatch_workflow",
    description: |_| {
        "Orchestrators: start a child session of another workflow; returns the package (client token, initial activity, prompt) to hand to a sub-agent."
            .to_owned()
    },
    read_only: false,
    structured_content: true,
    input_schema: input::<DispatchWorkflowParams>,
    output_schema: output::<DispatchResult>,
    run: dispatch_workflow,
};

#[derive(JsonSchema)]
pub(crate) struct DispatchWorkflowParams {
    pub workflow_id: String,
    pub parent_session_token: String,
    /// The child's initial variables.
    pub variables: Option<Map<String, Value>>,
}

impl SessionParams for DispatchWorkflowParams {
    const TOKEN: &'static str = "parent_session_token";

    fn token(&self) -> &str {
        &self.parent_session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let workflow_id = a.id("workflow_id", IdKind::Workflow, true);
        let parent_session_token = a.token("parent_session_token", true);
        let variables = a.variables("variables");
        done(
            a,
            Self {
                workflow_id: workflow_id.unwrap_or_default(),
                parent_session_token: parent_session_token.unwrap_or_default(),
                variables,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DispatchResult {
    pub client_session_token: String,
    pub client_session_id: String,
    pub parent_session_id: String,
    pub workflow: WorkflowInfo,
    pub initial_activity: String,
    pub agent_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Object>,
    pub client_prompt: String,
}

fn dispatch_workflow(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    on_session::<DispatchWorkflowParams>(cx, args, dispatch)
}

fn dispatch(cx: &Cx<'_>, at: &mut Attempt, p: &DispatchWorkflowParams) -> Result<Reply, CallError> {
    gated(at, Gate::General)?;
    let max = cx.config().max_dispatch_depth;
    if at.rec.depth.saturating_add(1) > max {
        return Err(CallError::tool(
            ErrorCode::DispatchDepth,
            format!(
                "Dispatch depth limit reached: session '{}' is at depth {} and the limit is {max}. \
                 Run the workflow inline instead.",
                at.rec.sid, at.rec.depth
            ),
        ));
    }
    let served = gates::startable(&cx.catalog, &p.workflow_id)?;
    let template = template(&cx.catalog)?;
    let def = &served.definition;
    let workflow = &def.workflow;

    let given = p.variables.clone().unwrap_or_default();
    let mut variables = warnings::default_variables(workflow);
    variables::assign(workflow, &mut variables, &given);
    at.warn_all(warnings::supplied_variables(workflow, &given));
    at.warn_all(warnings::missing_variables(workflow, &variables));
    let initial = match &workflow.initial_activity {
        Some(id) => id.clone(),
        None => {
            let first = def
                .activities
                .first()
                .map(|a| a.activity.id.clone())
                .unwrap_or_default();
            at.warn(Some(Warning::new(WarningCode::InitialActivityFallback,
                format!(
                    "Workflow '{}' declares no initialActivity; dispatch used its first activity \
                     '{first}'.",
                    workflow.id
                ),
            )));
            first
        }
    };

    let child_sid = cx.new_session_id();
    let agent_id = format!("client-{}", child_sid.chars().take(8).collect::<String>());
    let mut child = SessionRecord::new(
        child_sid.clone(),
        workflow.id.clone(),
        workflow.version.clone(),
        cx.now,
    );
    child.parent_sid = Some(at.rec.sid.clone());
    child.depth = at.rec.depth.saturating_add(1);
    child.variables = variables;
    child.agents = vec![agent_id.clone()];
    let child_token = cx.token(&child, &agent_id);

    at.change(cx.now);
    at.rec.children.push(child_sid.clone());
    let parent_token = at.token(cx);

    let variables_toon = if given.is_empty() {
        String::new()
    } else {
        toon(&Value::Object(given.clone()))
    };
    let (prompt, unfilled) = compose(
        &template,
        &[
            ("workflow_id", &workflow.id),
            ("workflow_title", &workflow.title),
            ("workflow_version", &workflow.version),
            ("initial_activity", &initial),
            ("activity_id", &initial),
            ("client_session_token", &child_token),
            ("client_session_id", &child_sid),
            ("parent_session_id", &at.rec.sid),
            ("agent_id", &agent_id),
            ("variables", &variables_toon),
        ],
    );
    if !unfilled.is_empty() {
        at.warn(Some(Warning::new(WarningCode::TemplatePlaceholders,
            format!(
                "The client prompt template leaves placeholders unfilled: {}.",
                unfilled
                    .iter()
                    .map(|n| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )));
    }
    at.warn(warnings::serving_last_good(&cx.catalog, &workflow.id));

    at.note.related = Some(RelatedSession {
        sid: child_sid.clone(),
        wf: workflow.id.clone(),
    });
    at.extra.push(Extra {
        expected_version: None,
        record: child,
        aid: agent_id.clone(),
        related: RelatedSession {
            sid: at.rec.sid.clone(),
            wf: at.rec.workflow_id.clone(),
        },
    });

    let info = WorkflowInfo {
        id: workflow.id.clone(),
        version: workflow.version.clone(),
        title: workflow.title.clone(),
        description: workflow.description.clone(),
    };
    let shown_variables = (!given.is_empty()).then_some(given);
    let mut head = Map::new();
    head.insert("client_session_token".into(), json!(child_token));
    head.insert("client_session_id".into(), json!(child_sid));
    head.insert("parent_session_id".into(), json!(at.rec.sid));
    head.insert("workflow".into(), to_value(&info));
    head.insert("initial_activity".into(), json!(initial));
    if let Some(v) = &shown_variables {
        head.insert("variables".into(), Value::Object(v.clone()));
    }
    // The caller's own renewed token, as every tool returns it; the child's is in the package.
    head.insert("session_token".into(), json!(parent_token));
    let text = format!("{}\n\n{}", toon(&Value::Object(head)), prompt);
    let result = DispatchResult {
        client_session_token: child_token.clone(),
        client_session_id: child_sid,
        parent_session_id: at.rec.sid.clone(),
        workflow: info,
        initial_activity: initial,
        agent_id,
        variables: shown_variables,
        client_prompt: prompt,
    };
    Ok(Reply::new(to_value(&result), text).with_meta("session_token", parent_token))
}

/// The template body: the meta workflow must be startable and have the resource it declares as
/// its dispatch template (docs/formats.md#the-meta-workflow); there is no built-in one.
fn template(catalog: &Catalog) -> Result<String, CallError> {
    let missing = |name: &str, reason: String| {
        CallError::tool(
            ErrorCode::TemplateMissing,
            format!(
                "Failed to load client prompt template: {reason}. The meta workflow must provide \
                 a resource named '{name}'."
            ),
        )
    };
    let Some(meta) = catalog.served(META) else {
        return Err(missing(
            DEFAULT_DISPATCH_TEMPLATE,
            "the meta workflow is not available".to_owned(),
        ));
    };
    let name = meta.definition.workflow.dispatch_template();
    let resource = catalog
        .library()
        .resolve_resource(name, META)
        .map_err(|e| missing(name, format!("resource '{META}/{name}' {e}")))?;
    match &resource.content {
        Ok(content) => Ok(content.content.clone()),
        Err(d) => Err(missing(name, format!("{}: {}", d.location(), d.message))),
    }
}

/// Replaces each known `{name}` in one pass over the template (replacement text is never
/// scanned again) and lists the unknown names left, each once, in order.
fn compose(template: &str, values: &[(&str, &str)]) -> (String, Vec<String>) {
    let mut out = String::with_capacity(template.len());
    let mut unfilled: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
            .count();
        if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
            let name = &after[..name_len];
            match values.iter().find(|(k, _)| *k == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push_str(&rest[open..open + name_len + 2]);
                    if !unfilled.iter().any(|u| u == name) {
                        unfilled.push(name.to_owned());
                    }
                }
            }
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, unfilled)
}

#[cfg(test)]
mod tests {
    use super::compose;

    #[test]
    fn substitution_is_single_pass_and_reports_unknown_names() {
        let (out, unfilled) = compose(
            "a {x} b {y} {x} {unknown} {Not} {z_1} {",
            &[("x", "{y}"), ("y", "Y")],
        );
        assert_eq!(out, "a {y} b Y {y} {unknown} {Not} {z_1} {");
        assert_eq!(unfilled, vec!["unknown", "z_1"]);
    }
}
