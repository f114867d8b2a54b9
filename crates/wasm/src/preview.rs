//! What an author sees of one workflow without running a server: the summary `get_workflow`
//! gives (docs/protocol.md#get_workflow), the activity graph (transitions, decision branches,
//! checkpoint options and their effects) and a Mermaid flowchart of that graph.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use workflow_core::catalog::{Catalog, Definition, Library, WorkflowStatus};
use workflow_core::diagnostic::Diagnostic;
use workflow_core::engine::{self, definition_json};
use workflow_core::ids::TERMINAL;
use workflow_core::model::activity::{Effect, LoopKind};
use workflow_core::model::workflow::{ArtifactLocation, Mode, Variable, WorkflowSkills};
use workflow_core::model::{Condition, Exit};

use crate::api::{ApiError, Files};

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// `ok` or `degraded`: a broken workflow has no definition to preview.
    pub status: WorkflowStatus,
    /// `get_workflow`'s summary object (docs/protocol.md#get_workflow), as the engine builds it.
    #[schemars(with = "Summary")]
    pub summary: Value,
    pub graph: Graph,
    /// The graph as a Mermaid flowchart (`flowchart TD`).
    pub mermaid: String,
    /// The workflow's own diagnostics (warnings, and errors of skill or resource files).
    pub diagnostics: Vec<Diagnostic>,
}

/// The shape of the summary object: fields the workflow file does not write are absent.
/// Only its schema is used (for the TypeScript types); the engine builds the value, and a test
/// reads every preview's summary back into this type.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Summary {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub rules: Option<Vec<String>>,
    pub variables: Option<Vec<Variable>>,
    pub modes: Option<Vec<Mode>>,
    pub artifact_locations: Option<IndexMap<String, ArtifactLocation>>,
    pub skills: Option<WorkflowSkills>,
    pub initial_activity: Option<String>,
    /// Stubs in catalog order.
    pub activities: Vec<ActivityStub>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityStub {
    pub id: String,
    pub name: String,
    pub required: bool,
    /// The file-name index; absent for inline activities.
    pub artifact_prefix: Option<String>,
}

/// The activities and every way to move between them.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Graph {
    /// The activity a session starts in: `initialActivity`, else the first in catalog order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial: Option<String>,
    pub activities: Vec<GraphActivity>,
    /// Every edge, grouped by activity in catalog order.
    pub edges: Vec<Edge>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphActivity {
    pub id: String,
    pub name: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_prefix: Option<String>,
    /// The file the activity is defined in.
    pub file: String,
    pub steps: Vec<StepNode>,
    pub checkpoints: Vec<CheckpointNode>,
    pub decisions: Vec<DecisionNode>,
    pub transitions: Vec<TransitionNode>,
    pub loops: Vec<LoopNode>,
    /// Whether the workflow can finish here: no transition is unconditional or default, so when
    /// no condition holds agents call `complete_workflow` (docs/formats.md#transition). Activities
    /// with decisions end through their branches instead.
    pub can_finish: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepNode {
    pub id: String,
    pub name: String,
    /// The checkpoint the worker yields before performing the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    /// Rendered condition under which the step runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Set when the step is repeated by a loop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_loop: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckpointNode {
    pub id: String,
    pub name: String,
    pub message: String,
    pub blocking: bool,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_option: Option<String>,
    pub options: Vec<OptionNode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionNode {
    pub id: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What choosing the option does to the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecisionNode {
    pub id: String,
    pub name: String,
    pub branches: Vec<BranchNode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BranchNode {
    pub id: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Absent: the workflow ends on this branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition_to: Option<String>,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransitionNode {
    pub to: String,
    /// The canonical rendering, as `next_activity` compares claims with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoopNode {
    pub id: String,
    pub name: String,
    pub kind: LoopKind,
    /// Activities repeated per iteration.
    pub activities: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum EdgeKind {
    /// An entry of `transitions`.
    Transition,
    /// A decision branch.
    Branch,
    /// A checkpoint option whose effect has `transitionTo`.
    Option,
    /// A loop repeating another activity.
    Loop,
    /// The workflow may finish after the activity.
    Finish,
}

/// One way from an activity to another (or to the end).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Edge {
    pub kind: EdgeKind,
    pub from: String,
    /// Absent: the workflow ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Rendered condition of a transition or branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub is_default: bool,
    /// The decision, checkpoint or loop the edge belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The branch or option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    /// Whether `to` names no activity of the workflow (warned as `unknown_transition_target`).
    pub dangling: bool,
    /// What the flowchart writes on the edge.
    pub label: String,
}

impl Preview {
    /// The summary is the one `get_workflow` returns, and errors are the engine's
    /// (`workflow_not_found`, `workflow_broken`) for a workflow a session could not start on.
    pub fn of(files: &Files, workflow_id: &str) -> Result<Preview, ApiError> {
        let catalog = Catalog::new(Library::load(files), 0);
        let served = engine::startable(&catalog, workflow_id)?;
        let entry = catalog
            .entry(workflow_id)
            .ok_or_else(|| ApiError::new("workflow_not_found", workflow_id))?;
        let graph = Graph::of(&served.definition);
        Ok(Preview {
            status: entry.status,
            summary: Value::Object(definition_json::summary(&served.definition)),
            mermaid: graph.mermaid(),
            graph,
            diagnostics: entry.diagnostics.clone(),
        })
    }
}

fn render(condition: &Option<Condition>) -> Option<String> {
    condition.as_ref().map(Condition::render)
}

impl Graph {
    fn of(definition: &Definition) -> Graph {
        let known = |id: &str| definition.activity(id).is_some();
        let mut activities = Vec::new();
        let mut edges = Vec::new();
        for def in &definition.activities {
            let a = &def.activity;
            let edge = |kind, to: Option<&str>, label: String| Edge {
                kind,
                from: a.id.clone(),
                to: to.map(str::to_owned),
                condition: None,
                is_default: false,
                via: None,
                choice: None,
                dangling: to.is_some_and(|t| !known(t)),
                label,
            };
            let transitions: Vec<TransitionNode> = a
                .transitions
                .iter()
                .map(|t| TransitionNode {
                    to: t.to.clone(),
                    condition: render(&t.condition),
                    is_default: t.is_default,
                })
                .collect();
            let decisions: Vec<DecisionNode> = a
                .decisions
                .iter()
                .map(|d| DecisionNode {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    branches: d
                        .branches
                        .iter()
                        .map(|b| BranchNode {
                            id: b.id.clone(),
                            label: b.label.clone(),
                            condition: render(&b.condition),
                            transition_to: b.transition_to.clone(),
                            is_default: b.is_default,
                        })
                        .collect(),
                })
                .collect();
            for exit in a.exits() {
                let condition = exit.condition().map(Condition::render);
                let is_default = exit.is_default();
                edges.push(match exit {
                    Exit::Transition(_) => {
                        let label = match (&condition, is_default) {
                            (Some(c), true) => format!("{c} (default)"),
                            (Some(c), false) => c.clone(),
                            (None, _) => String::new(),
                        };
                        // A transition to `__terminal__` ends the workflow: its edge goes to the end.
                        let to = exit.to().filter(|t| *t != TERMINAL);
                        Edge {
                            condition,
                            is_default,
                            ..edge(EdgeKind::Transition, to, label)
                        }
                    }
                    Exit::Branch { decision, branch } => {
                        let mut label = format!("{}: {}", decision.id, branch.label);
                        if let Some(c) = &condition {
                            label.push_str(&format!(" [{c}]"));
                        }
                        Edge {
                            condition,
                            is_default,
                            via: Some(decision.id.clone()),
                            choice: Some(branch.id.clone()),
                            ..edge(EdgeKind::Branch, exit.to(), label)
                        }
                    }
                    Exit::Option {
                        checkpoint, option, ..
                    } => Edge {
                        via: Some(checkpoint.id.clone()),
                        choice: Some(option.id.clone()),
                        ..edge(
                            EdgeKind::Option,
                            exit.to(),
                            format!("{}: {}", checkpoint.id, option.id),
                        )
                    },
                    Exit::Loop { repeat, .. } => Edge {
                        via: Some(repeat.id.clone()),
                        ..edge(EdgeKind::Loop, exit.to(), format!("loop {}", repeat.id))
                    },
                });
            }
            let can_finish = a.decisions.is_empty()
                && !a
                    .transitions
                    .iter()
                    .any(|t| t.condition.is_none() || t.is_default);
            if can_finish {
                edges.push(edge(EdgeKind::Finish, None, String::new()));
            }
            let loop_steps = a
                .loops
                .iter()
                .flat_map(|l| l.steps.iter().map(move |s| (s, Some(l.id.clone()))));
            activities.push(GraphActivity {
                id: a.id.clone(),
                name: a.name.clone(),
                required: a.required,
                artifact_prefix: def.artifact_prefix.clone(),
                file: def.file.clone(),
                steps: a
                    .steps
                    .iter()
                    .map(|s| (s, None))
                    .chain(loop_steps)
                    .map(|(s, in_loop)| StepNode {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        checkpoint: s.checkpoint.clone(),
                        skill: s.skill.clone(),
                        condition: render(&s.condition),
                        in_loop,
                    })
                    .collect(),
                checkpoints: a
                    .checkpoints
                    .iter()
                    .map(|c| CheckpointNode {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        message: c.message.clone(),
                        blocking: c.blocking,
                        required: c.required,
                        condition: render(&c.condition),
                        default_option: c.default_option.clone(),
                        options: c
                            .options
                            .iter()
                            .map(|o| OptionNode {
                                id: o.id.clone(),
                                label: o.label.clone(),
                                description: o.description.clone(),
                                effect: o.effect.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
                decisions,
                transitions,
                loops: a
                    .loops
                    .iter()
                    .map(|l| LoopNode {
                        id: l.id.clone(),
                        name: l.name.clone(),
                        kind: l.kind,
                        activities: l.activities.clone(),
                    })
                    .collect(),
                can_finish,
            });
        }
        Graph {
            initial: definition.initial_activity().map(|a| a.activity.id.clone()),
            activities,
            edges,
        }
    }

    /// The flowchart: activities as boxes (file index, name, id, checkpoints), a start marker
    /// on the initial activity, solid arrows for transitions, thick ones for decision
    /// branches, dotted ones for checkpoint options and loops, and an end marker. Node ids are
    /// generated (`a0`, `a1`, …) because activity ids may contain characters or words Mermaid
    /// reserves; every text is quoted and escaped.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        let mut ids: IndexMap<&str, String> = IndexMap::new();
        for (i, a) in self.activities.iter().enumerate() {
            ids.insert(&a.id, format!("a{i}"));
        }
        let mut missing: IndexMap<&str, String> = IndexMap::new();
        for e in &self.edges {
            if let Some(to) = e.to.as_deref().filter(|_| e.dangling) {
                let n = missing.len();
                missing.entry(to).or_insert_with(|| format!("m{n}"));
            }
        }
        out.push_str("  start((\"start\"))\n  finish((\"end\"))\n");
        for a in &self.activities {
            let mut label = match &a.artifact_prefix {
                Some(p) => format!("{} · {}", escape(p), escape(&a.name)),
                None => escape(&a.name),
            };
            label.push_str(&format!("<br/><i>{}</i>", escape(&a.id)));
            for c in &a.checkpoints {
                let options: Vec<String> = c.options.iter().map(effect_text).collect();
                label.push_str(&format!(
                    "<br/>◆ {}: {}",
                    escape(&c.id),
                    options.join(" | ")
                ));
            }
            out.push_str(&format!("  {}[\"{label}\"]\n", ids[a.id.as_str()]));
        }
        for (id, node) in &missing {
            out.push_str(&format!("  {node}[\"? {}\"]:::missing\n", escape(id)));
        }
        if let Some(initial) = self.initial.as_deref().and_then(|i| ids.get(i)) {
            out.push_str(&format!("  start --> {initial}\n"));
        }
        for e in &self.edges {
            let from = &ids[e.from.as_str()];
            let to = match e.to.as_deref() {
                None => "finish",
                Some(t) => ids
                    .get(t)
                    .or_else(|| missing.get(t))
                    .map(String::as_str)
                    .unwrap_or("finish"),
            };
            let arrow = match e.kind {
                EdgeKind::Transition | EdgeKind::Finish => "-->",
                EdgeKind::Branch => "==>",
                EdgeKind::Option | EdgeKind::Loop => "-.->",
            };
            if e.label.is_empty() {
                out.push_str(&format!("  {from} {arrow} {to}\n"));
            } else {
                out.push_str(&format!(
                    "  {from} {arrow}|\"{}\"| {to}\n",
                    escape(&e.label)
                ));
            }
        }
        out.push_str("  classDef missing stroke-dasharray: 4 4,color:#a00\n");
        out
    }
}

/// `option` or `option → a=1, skip x`: an option and what it does to the session.
fn effect_text(option: &OptionNode) -> String {
    let mut parts = Vec::new();
    if let Some(effect) = &option.effect {
        if let Some(set) = &effect.set_variable {
            parts.extend(set.iter().map(|(k, v)| format!("{k}={v}")));
        }
        if let Some(to) = &effect.transition_to {
            parts.push(format!("→ {to}"));
        }
        if !effect.skip_activities.is_empty() {
            parts.push(format!("skip {}", effect.skip_activities.join(",")));
        }
    }
    if parts.is_empty() {
        escape(&option.id)
    } else {
        escape(&format!("{} ({})", option.id, parts.join(", ")))
    }
}

/// Escapes text for a quoted Mermaid label with entity codes, so quotes, angle brackets, pipes
/// and `#` in ids, names and conditions are shown as written instead of ending the label or
/// being read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;
    use serde_json::json;

    fn preview() -> Preview {
        Preview::of(&testdata::library(), "release-notes").expect("preview")
    }

    #[test]
    fn the_summary_is_what_get_workflow_summarises() {
        let p = preview();
        let summary = &p.summary;
        let typed: Summary =
            serde_json::from_value(summary.clone()).expect("has the declared shape");
        assert_eq!(typed.modes, None);
        assert_eq!(summary["initialActivity"], "draft");
        assert_eq!(
            summary["activities"],
            json!([
                {"id": "draft", "name": "Draft Notes", "required": true, "artifactPrefix": "01"},
                {"id": "publish", "name": "Publish Notes", "required": true, "artifactPrefix": "02"}
            ])
        );
        assert_eq!(
            summary["variables"][1],
            json!({"name": "approved", "type": "boolean",
                   "description": "Set when the reviewer accepts the draft.",
                   "defaultValue": false, "required": false})
        );
        let keys: Vec<&String> = summary.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "version",
                "title",
                "description",
                "tags",
                "rules",
                "variables",
                "artifactLocations",
                "skills",
                "initialActivity",
                "activities"
            ]
        );
    }

    /// Every workflow of the repository's library, so the declared summary shape is checked
    /// against real definitions, not only the example.
    #[test]
    fn every_summary_has_the_declared_shape() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workflows");
        let mut files = Files::new();
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("reads workflows/") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let rel = path.strip_prefix(&root).expect("below root");
                    let bytes = std::fs::read(&path).expect("reads the file");
                    files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
                }
            }
        }
        let ids: Vec<String> = files
            .keys()
            .filter_map(|p| {
                p.strip_suffix("/workflow.yaml")
                    .or(p.strip_suffix("/workflow.toon"))
                    .or(p.strip_suffix("/workflow.json"))
            })
            .map(str::to_owned)
            .collect();
        assert!(ids.len() >= 4, "{ids:?}");
        for id in ids {
            let p = Preview::of(&files, &id).expect("previews");
            let summary: Result<Summary, _> = serde_json::from_value(p.summary.clone());
            assert!(summary.is_ok(), "{id}: {summary:?}");
        }
    }

    #[test]
    fn the_graph_has_transitions_checkpoints_and_ends() {
        let p = preview();
        assert_eq!(p.status, WorkflowStatus::Ok);
        let g = &p.graph;
        assert_eq!(g.initial.as_deref(), Some("draft"));
        let draft = &g.activities[0];
        assert_eq!(
            draft.transitions,
            vec![TransitionNode {
                to: "publish".into(),
                condition: Some("approved == true".into()),
                is_default: false
            }]
        );
        assert!(draft.can_finish);
        let approve = &draft.checkpoints[0].options[0];
        assert_eq!(
            serde_json::to_value(&approve.effect).expect("serialises"),
            json!({"setVariable": {"approved": true}})
        );
        assert_eq!(draft.steps[2].checkpoint.as_deref(), Some("draft-review"));
        let kinds: Vec<(EdgeKind, &str, Option<&str>)> = g
            .edges
            .iter()
            .map(|e| (e.kind, e.from.as_str(), e.to.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (EdgeKind::Transition, "draft", Some("publish")),
                (EdgeKind::Finish, "draft", None),
                (EdgeKind::Finish, "publish", None),
            ]
        );
    }

    #[test]
    fn a_transition_to_terminal_is_an_edge_to_the_end() {
        let mut files = Files::new();
        files.insert(
            "w/workflow.yaml".into(),
            b"id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: a\n".to_vec(),
        );
        files.insert(
            "w/activities/01-a.yaml".into(),
            b"id: a\nversion: 1.0.0\nname: A\ntransitions:\n  - to: __terminal__\n".to_vec(),
        );
        let g = Preview::of(&files, "w").expect("previews").graph;
        let ends: Vec<(EdgeKind, Option<&str>, bool)> = g
            .edges
            .iter()
            .map(|e| (e.kind, e.to.as_deref(), e.dangling))
            .collect();
        assert_eq!(ends, [(EdgeKind::Transition, None, false)]);
    }

    #[test]
    fn the_flowchart_escapes_labels_and_marks_the_start() {
        let m = preview().mermaid;
        assert!(m.starts_with("flowchart TD\n"), "{m}");
        assert!(m.contains("  start --> a0\n"), "{m}");
        assert!(m.contains("  a0 -->|\"approved == true\"| a1\n"), "{m}");
        assert!(
            m.contains("◆ draft-review: approve (approved=true) | hold"),
            "{m}"
        );
        assert!(m.contains("  a1 --> finish\n"), "{m}");
        assert_eq!(
            escape("a \"b\" <c> #d | e"),
            "a #quot;b#quot; #lt;c#gt; #35;d #124; e"
        );
    }

    #[test]
    fn branches_options_loops_and_unknown_targets_become_edges() {
        let mut files = testdata::library();
        files.insert(
            "release-notes/activities/02-publish.toon".into(),
            [
                "id: publish",
                "version: 1.0.0",
                "name: Publish",
                "checkpoints[1]:",
                "  - id: again",
                "    name: Again",
                "    message: Redo?",
                "    options[1]:",
                "      - id: redo",
                "        label: Redo",
                "        effect:",
                "          transitionTo: draft",
                "decisions[1]:",
                "  - id: route",
                "    name: Route",
                "    branches[2]:",
                "      - id: big",
                "        label: Big",
                "        transitionTo: nowhere",
                "        condition:",
                "          type: simple",
                "          variable: approved",
                "          operator: ==",
                "          value: \"a|b\"",
                "      - id: done",
                "        label: Done",
                "        isDefault: true",
                "loops[1]:",
                "  - id: each",
                "    name: Each",
                "    type: forEach",
                "    variable: x",
                "    over: approved",
                "    activities[1]: draft",
            ]
            .join("\n")
            .into_bytes(),
        );
        let p = Preview::of(&files, "release-notes").expect("preview");
        let publish: Vec<&Edge> = p
            .graph
            .edges
            .iter()
            .filter(|e| e.from == "publish")
            .collect();
        let kinds: Vec<(EdgeKind, Option<&str>, bool)> = publish
            .iter()
            .map(|e| (e.kind, e.to.as_deref(), e.dangling))
            .collect();
        assert_eq!(
            kinds,
            [
                (EdgeKind::Branch, Some("nowhere"), true),
                (EdgeKind::Branch, None, false),
                (EdgeKind::Option, Some("draft"), false),
                (EdgeKind::Loop, Some("draft"), false),
            ]
        );
        let m = &p.mermaid;
        assert!(m.contains("m0[\"? nowhere\"]:::missing"), "{m}");
        assert!(
            m.contains("a1 ==>|\"route: Big [approved == #quot;a#124;b#quot;]\"| m0"),
            "{m}"
        );
        assert!(m.contains("a1 ==>|\"route: Done\"| finish"), "{m}");
        assert!(m.contains("a1 -.->|\"again: redo\"| a0"), "{m}");
        assert!(m.contains("a1 -.->|\"loop each\"| a0"), "{m}");
    }

    #[test]
    fn broken_and_unknown_workflows_are_errors() {
        let mut files = testdata::library();
        let e = Preview::of(&files, "nope").expect_err("unknown");
        assert_eq!(e.code, "workflow_not_found");
        let mut degraded = files.clone();
        degraded.insert(
            "release-notes/activities/02-publish.toon".into(),
            "id: publish\n".into(),
        );
        let p = Preview::of(&degraded, "release-notes").expect("a degraded workflow previews");
        assert_eq!(p.status, WorkflowStatus::Degraded);
        files.insert(
            "release-notes/activities/01-draft.yaml".into(),
            "id: draft\n".into(),
        );
        let e = Preview::of(&files, "release-notes").expect_err("broken");
        assert_eq!(e.code, "workflow_broken");
        assert!(
            e.message.starts_with(
                "Workflow 'release-notes' is broken and cannot be started: release-notes/activities/01-draft.yaml:1:1: "
            ),
            "{}",
            e.message
        );
    }
}
