//! The tool list (protocol.md §1.1): names in their fixed order, descriptions, schemas generated
//! from the parameter and result types, and the read-only hint.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::params::*;
use super::results::*;
use super::{EngineConfig, ToolSpec};

/// The tool names in `tools/list` order.
pub(crate) const TOOL_NAMES: [&str; 18] = [
    "discover",
    "list_workflows",
    "health_check",
    "start_session",
    "dispatch_workflow",
    "get_workflow_status",
    "complete_workflow",
    "get_workflow",
    "next_activity",
    "get_activity",
    "yield_checkpoint",
    "resume_checkpoint",
    "present_checkpoint",
    "respond_checkpoint",
    "get_skills",
    "get_skill",
    "get_resource",
    "get_trace",
];

fn input<T: JsonSchema>() -> Value {
    tidy(
        SchemaSettings::draft2020_12()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value(),
    )
}

fn output<T: JsonSchema>() -> Value {
    tidy(
        SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value(),
    )
}

/// The schema as MCP clients accept it: without the generator's title (it names a Rust type,
/// which means nothing to a client); with `"type": "object"` at the root, which MCP requires (a
/// result whose schema is an `anyOf` is still always an object, and rmcp drops output schemas
/// without it for 2025-11-25 peers); and with boolean property schemas (`true` = anything)
/// written as the equivalent objects, because the official TypeScript client rejects a whole
/// tool list over one of them.
fn tidy(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        map.remove("title");
        map.entry("type")
            .or_insert_with(|| Value::String("object".into()));
    }
    objects_for_boolean_properties(&mut schema);
    schema
}

fn objects_for_boolean_properties(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "properties"
                    && let Value::Object(props) = value
                {
                    for prop in props.values_mut() {
                        if let Value::Bool(any) = prop {
                            *prop = if *any {
                                serde_json::json!({})
                            } else {
                                serde_json::json!({ "not": {} })
                            };
                        }
                    }
                }
                objects_for_boolean_properties(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(objects_for_boolean_properties),
        _ => {}
    }
}

fn spec(
    name: &'static str,
    description: String,
    input_schema: Value,
    output_schema: Value,
    read_only: bool,
) -> ToolSpec {
    ToolSpec {
        name,
        description,
        input_schema,
        output_schema,
        read_only,
    }
}

pub(crate) fn tools(config: &EngineConfig) -> Vec<ToolSpec> {
    let d = |s: &str| s.to_owned();
    vec![
        spec(
            "discover",
            d(
                "Entry point: call this first. Returns the server name, version and the bootstrap \
               protocol; needs no token. Call list_workflows next.",
            ),
            input::<NoParams>(),
            output::<DiscoverResult>(),
            true,
        ),
        spec(
            "list_workflows",
            d(
                "Lists every workflow with its id, title, version, tags, status and whether it can \
               be started. Needs no token.",
            ),
            input::<NoParams>(),
            output::<ListWorkflowsResult>(),
            true,
        ),
        spec(
            "health_check",
            d(
                "Reports server liveness, version, uptime and the number of available and broken \
               workflows. Needs no token.",
            ),
            input::<NoParams>(),
            output::<HealthResult>(),
            true,
        ),
        spec(
            "start_session",
            format!(
                "Starts a session for a workflow, or continues an existing one when you pass its \
                 session_token. The returned token is required for every later call; agent_id \
                 is recorded and stamped into the token. Session records are kept for {} days \
                 after their last change.",
                config.retention_days
            ),
            input::<StartSessionParams>(),
            output::<StartSessionResult>(),
            false,
        ),
        spec(
            "dispatch_workflow",
            d(
                "For orchestrators: creates an independent child session for another workflow and \
               returns a dispatch package (client token, ids, workflow metadata, initial \
               activity and a composed client prompt) to hand to a sub-agent. The child does \
               not inherit this session's state; dispatch is recursive.",
            ),
            input::<DispatchWorkflowParams>(),
            output::<DispatchResult>(),
            false,
        ),
        spec(
            "get_workflow_status",
            d(
                "Reads a session's progress: status (active, blocked or completed), current and \
               completed activities, last checkpoint, variables, parent and children. Authorised \
               by the session's own token, or by its id plus its parent's token; a parent token \
               alone lists its children. Read-only.",
            ),
            input::<GetWorkflowStatusParams>(),
            output::<StatusResult>(),
            true,
        ),
        spec(
            "complete_workflow",
            d(
                "Marks the session's workflow as finished; the parent then sees it completed with \
               its final variables. Afterwards the session's tools are closed.",
            ),
            input::<CompleteWorkflowParams>(),
            output::<CompleteResult>(),
            false,
        ),
        spec(
            "get_workflow",
            d(
                "Loads the session's workflow: its primary skill first, then the definition. The \
               summary (default) gives rules, variables, modes, initialActivity and activity \
               stubs; summary=false gives every workflow-level field. Activities come from \
               get_activity.",
            ),
            input::<GetWorkflowParams>(),
            output::<GetWorkflowResult>(),
            true,
        ),
        spec(
            "next_activity",
            d(
                "For orchestrators: moves the session to an activity. Validates and records the \
               move, returns the new token and a trace token for the activity just finished; it \
               does not return the activity (call get_activity). The first call uses the \
               workflow's initialActivity.",
            ),
            input::<NextActivityParams>(),
            output::<NextActivityResult>(),
            false,
        ),
        spec(
            "get_activity",
            d(
                "For workers: loads the full definition of the session's current activity (steps, \
               checkpoints, decisions, loops, transitions, rules, skills, artifacts). Takes no \
               activity id.",
            ),
            input::<SessionTokenParams>(),
            output::<GetActivityResult>(),
            true,
        ),
        spec(
            "yield_checkpoint",
            d(
                "For workers: call when a step requires a checkpoint. Returns a checkpoint_handle \
               that you must pass up to the orchestrator in a <checkpoint_yield> block; then \
               stop until resumed.",
            ),
            input::<YieldCheckpointParams>(),
            output::<YieldResult>(),
            false,
        ),
        spec(
            "resume_checkpoint",
            d(
                "For workers: call after the orchestrator answered the checkpoint, with your own \
               handle or the token respond_checkpoint returned. Succeeds only when no checkpoint \
               is active; returns the answer and the current variables.",
            ),
            input::<SessionTokenParams>(),
            output::<ResumeResult>(),
            false,
        ),
        spec(
            "present_checkpoint",
            d(
                "For orchestrators: loads the full checkpoint behind a worker's checkpoint_handle \
               (message, options with effects, advisory settings) to present it to the user.",
            ),
            input::<CheckpointHandleParams>(),
            output::<PresentResult>(),
            true,
        ),
        spec(
            "respond_checkpoint",
            d(
                "For orchestrators: submits the user's answer to an active checkpoint, which MUST \
               be presented to the user first. Pass exactly one of option_id (a minimum \
               response time applies), auto_advance: true (advisory checkpoints with a default \
               option, after the full timer) or condition_not_met: true (dismisses a \
               conditional checkpoint).",
            ),
            input::<RespondCheckpointParams>(),
            output::<RespondResult>(),
            false,
        ),
        spec(
            "get_skills",
            d(
                "Loads the workflow-level skills (behavioural protocols): the primary skill and \
               any supporting skills of the workflow. Activity and step skills come from \
               get_skill.",
            ),
            input::<SessionTokenParams>(),
            output::<GetSkillsResult>(),
            true,
        ),
        spec(
            "get_skill",
            d(
                "Loads one skill: the workflow's primary skill when no activity is current, the \
               current activity's primary skill, the skill of a step (step_id), or a named \
               skill (skill_id).",
            ),
            input::<GetSkillParams>(),
            output::<GetSkillResult>(),
            true,
        ),
        spec(
            "get_resource",
            d(
                "Loads one resource (a guide, template or reference document) by index or name. \
               A bare reference resolves in the session's workflow, a WF/… reference in that \
               workflow.",
            ),
            input::<GetResourceParams>(),
            output::<GetResourceResult>(),
            true,
        ),
        spec(
            "get_trace",
            d(
                "Returns the session's execution trace, from the session record or from trace \
               tokens collected from next_activity and complete_workflow.",
            ),
            input::<GetTraceParams>(),
            output::<GetTraceResult>(),
            true,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::tidy;

    fn has_boolean_property_schema(schema: &Value) -> bool {
        match schema {
            Value::Object(map) => map.iter().any(|(k, v)| {
                (k == "properties"
                    && v.as_object()
                        .is_some_and(|p| p.values().any(Value::is_boolean)))
                    || has_boolean_property_schema(v)
            }),
            Value::Array(items) => items.iter().any(has_boolean_property_schema),
            _ => false,
        }
    }

    #[test]
    fn every_tool_schema_is_one_mcp_clients_accept() {
        let engine_tools = super::tools(&crate::engine::EngineConfig::default());
        assert_eq!(engine_tools.len(), 18);
        for spec in engine_tools {
            for schema in [&spec.input_schema, &spec.output_schema] {
                assert_eq!(
                    schema["type"], "object",
                    "{}: root is not an object schema",
                    spec.name
                );
                assert!(schema.get("title").is_none(), "{}", spec.name);
                assert!(
                    !has_boolean_property_schema(schema),
                    "{}: a boolean property schema",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn boolean_property_schemas_become_objects() {
        let fixed = tidy(json!({
            "anyOf": [{"type": "object", "properties": {"effect": true, "n": {"type": "integer"}}}],
            "properties": {"never": false, "default": {"default": true}}
        }));
        assert_eq!(fixed["type"], "object");
        assert_eq!(fixed["anyOf"][0]["properties"]["effect"], json!({}));
        assert_eq!(
            fixed["anyOf"][0]["properties"]["n"],
            json!({"type": "integer"})
        );
        assert_eq!(fixed["properties"]["never"], json!({"not": {}}));
        assert_eq!(fixed["properties"]["default"], json!({"default": true}));
    }
}
