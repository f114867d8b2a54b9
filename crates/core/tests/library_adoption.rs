//! What a library brought over from another system needs to be served before every file is
//! fixed: a workflow with a broken non-initial activity is `degraded` and the rest runs
//! (docs/formats.md#workflow-status), `to: __terminal__` ends the workflow
//! (docs/formats.md#transition), and the meta workflow names its own dispatch template
//! (docs/formats.md#the-meta-workflow).

mod engine_support;

use engine_support::{BOOTSTRAP, Harness, T0, codes, files, token};
use serde_json::json;
use workflow_core::catalog::{Catalog, Library, WorkflowStatus};
use workflow_core::diagnostic::{Code, Diagnostic};
use workflow_core::engine::{EngineConfig, ErrorCode};

const AUDIT: &str = "\
id: audit
version: 1.0.0
title: Audit
initialActivity: intake
variables:
  - name: deep
    type: boolean
    defaultValue: false
";

const INTAKE: &str = "\
id: intake
version: 1.0.0
name: Intake
transitions:
  - to: review
    condition:
      type: simple
      variable: deep
      operator: \"==\"
      value: true
  - to: close
    isDefault: true
";

/// A TOON activity whose steps array declares two items and holds one.
const REVIEW_WRONG_COUNT: &str = "\
id: review
version: 1.0.0
name: Review
steps[2]:
  - id: read
    name: Read
transitions[1]:
  - to: close
";

const CLOSE: &str = "\
id: close
version: 1.0.0
name: Close
transitions:
  - to: __terminal__
    condition:
      type: simple
      variable: deep
      operator: \"==\"
      value: false
";

fn audit(intake: &str, review: &str, close: &str) -> Vec<(&'static str, String)> {
    let mut f = files();
    f.push(("audit/workflow.yaml", AUDIT.into()));
    f.push(("audit/activities/01-intake.yaml", intake.into()));
    f.push(("audit/activities/02-review.toon", review.into()));
    f.push(("audit/activities/03-close.yaml", close.into()));
    f
}

/// Starts an `audit` session and moves it through `path`; returns the newest token and the
/// session id.
fn started_through(h: &Harness, path: &[&str]) -> (String, String) {
    let (mut t, sid) = h.start("audit", "orchestrator");
    for activity in path {
        t = token(&h.ok(
            "next_activity",
            json!({"session_token": t, "activity_id": activity}),
        ));
    }
    (t, sid)
}

fn errors_of<'l>(library: &'l Library, file: &str) -> Vec<&'l Diagnostic> {
    library
        .diagnostics()
        .iter()
        .filter(|d| d.is_error() && d.file == file)
        .collect()
}

#[test]
fn a_broken_activity_file_degrades_its_workflow_and_the_rest_is_served() {
    let library = Library::load(audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE));
    let review_errors = errors_of(&library, "audit/activities/02-review.toon");
    assert_eq!(review_errors.len(), 1, "{review_errors:?}");
    assert_eq!(review_errors[0].code, Code::Syntax);
    let entry = library.workflow("audit").unwrap();
    assert_eq!(entry.status, WorkflowStatus::Degraded);
    assert_eq!(entry.error_count(), 1);
    let def = entry
        .definition
        .as_ref()
        .expect("a degraded workflow is served");
    let served: Vec<&str> = def
        .activities
        .iter()
        .map(|a| a.activity.id.as_str())
        .collect();
    assert_eq!(served, ["intake", "close"]);
    assert_eq!(
        def.unavailable.keys().collect::<Vec<_>>(),
        ["review"],
        "the file name gives the id of a file that does not decode"
    );
    assert_eq!(&def.unavailable["review"], review_errors[0]);
    // No `unknown_transition_target` on top of the file's own error.
    assert!(
        library
            .diagnostics()
            .iter()
            .all(|d| d.file.ends_with(".toon") || !d.is_error())
    );
}

#[test]
fn a_broken_workflow_file_or_initial_activity_still_breaks_the_workflow() {
    let broken_initial = Library::load(audit(
        "id: intake\n",
        "id: review\nversion: 1.0.0\nname: R\n",
        CLOSE,
    ));
    assert_eq!(
        broken_initial.workflow("audit").unwrap().status,
        WorkflowStatus::Broken
    );
    assert!(
        broken_initial
            .workflow("audit")
            .unwrap()
            .definition
            .is_none()
    );

    // Without initialActivity the first activity in catalog order is the initial one.
    let mut f = audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE);
    f.retain(|(p, _)| *p != "audit/workflow.yaml" && *p != "audit/activities/01-intake.yaml");
    f.push((
        "audit/workflow.yaml",
        "id: audit\nversion: 1.0.0\ntitle: Audit\n".into(),
    ));
    let first_broken = Library::load(f);
    assert_eq!(
        first_broken.workflow("audit").unwrap().status,
        WorkflowStatus::Broken
    );

    let mut f = audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE);
    f.retain(|(p, _)| *p != "audit/workflow.yaml");
    f.push(("audit/workflow.yaml", format!("{AUDIT}title: twice\n")));
    let bad_workflow = Library::load(f);
    assert_eq!(
        bad_workflow.workflow("audit").unwrap().status,
        WorkflowStatus::Broken
    );
}

#[test]
fn a_cross_file_error_inside_an_activity_file_takes_only_that_file_out() {
    let mut f = audit(INTAKE, "id: review\nversion: 1.0.0\nname: Review\n", CLOSE);
    f.push(("audit/activities/04-close.yaml", CLOSE.into()));
    let library = Library::load(f);
    let twin_errors = errors_of(&library, "audit/activities/04-close.yaml");
    assert_eq!(
        twin_errors.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::DuplicateId]
    );
    let entry = library.workflow("audit").unwrap();
    assert_eq!(entry.status, WorkflowStatus::Degraded);
    let def = entry.definition.as_ref().unwrap();
    let files: Vec<&str> = def.activities.iter().map(|a| a.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "audit/activities/01-intake.yaml",
            "audit/activities/02-review.toon",
            "audit/activities/03-close.yaml"
        ]
    );
    assert_eq!(&def.unavailable["close"], twin_errors[0]);
}

#[test]
fn tools_name_the_unavailable_activity_and_a_move_into_it_fails_with_its_position() {
    let h = Harness::with(
        audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE),
        EngineConfig::default(),
    );
    let defect = errors_of(
        &Library::load(audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE)),
        "audit/activities/02-review.toon",
    )[0]
    .clone();

    let list = h.ok("list_workflows", json!({}));
    let row = list.structured["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "audit")
        .unwrap()
        .clone();
    assert_eq!(row["status"], "degraded");
    assert_eq!(row["startable"], true);
    assert_eq!(row["unavailable_activities"], json!(["review"]));
    assert!(
        row["first_error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}: ", defect.location()))
    );
    let healthy_row = &list.structured["workflows"][1];
    assert!(healthy_row.get("unavailable_activities").is_none());

    let health = h.ok("health_check", json!({}));
    assert_eq!(health.structured["status"], "degraded");
    assert_eq!(health.structured["workflows_degraded"], json!(["audit"]));
    assert_eq!(health.structured["workflows_broken"], 0);

    let (t, _) = h.start("audit", "orchestrator");
    let wf = h.ok("get_workflow", json!({"session_token": t}));
    let t = token(&wf);
    let stubs: Vec<&str> = wf.structured["workflow"]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(stubs, ["intake", "close"]);
    let named = format!("review: {}: {}", defect.location(), defect.message);
    assert_eq!(
        wf.structured["workflow"]["unavailableActivities"],
        json!([named])
    );
    assert!(
        wf.text.contains("unavailableActivities[1]: "),
        "{}",
        wf.text
    );

    let moved = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "intake"}),
    );
    let t = token(&moved);
    let (code, message) = h.err(
        "next_activity",
        json!({"session_token": t, "activity_id": "review", "variables": {"deep": true}}),
    );
    assert_eq!(code, ErrorCode::ActivityUnavailable);
    assert!(
        message.contains(&format!("{}: {}", defect.location(), defect.message)),
        "{message}"
    );
    // The rest still runs.
    h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "close"}),
    );
}

#[test]
fn an_activity_that_breaks_later_degrades_the_workflow_instead_of_serving_the_last_good() {
    let good = Catalog::new(
        Library::load(audit(
            INTAKE,
            "id: review\nversion: 1.0.0\nname: Review\n",
            CLOSE,
        )),
        T0,
    );
    assert_eq!(good.entry("audit").unwrap().status, WorkflowStatus::Ok);
    let later = good.reload(
        Library::load(audit(INTAKE, REVIEW_WRONG_COUNT, CLOSE)),
        T0 + 1,
    );
    let served = later.served("audit").unwrap();
    assert!(!served.last_good);
    assert!(served.definition.activity("review").is_none());
    assert!(!later.reload_failed());
}

#[test]
fn a_transition_to_terminal_validates_and_taking_it_completes_the_session() {
    let library = Library::load(audit(
        INTAKE,
        "id: review\nversion: 1.0.0\nname: Review\n",
        CLOSE,
    ));
    assert_eq!(
        library.workflow("audit").unwrap().status,
        WorkflowStatus::Ok
    );
    assert!(
        library
            .diagnostics()
            .iter()
            .all(|d| !d.file.starts_with("audit/")),
        "{:?}",
        library.diagnostics()
    );

    let h = Harness::with(
        audit(INTAKE, "id: review\nversion: 1.0.0\nname: Review\n", CLOSE),
        EngineConfig::default(),
    );
    let (t, sid) = started_through(&h, &["intake", "close"]);
    let activity = h.ok("get_activity", json!({"session_token": t}));
    assert!(
        activity
            .text
            .contains("\n- __terminal__ when deep == false (holds)"),
        "{}",
        activity.text
    );
    let t = token(&activity);
    let end = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "__terminal__"}),
    );
    assert_eq!(end.structured["activity_id"], "__terminal__");
    assert!(!codes(&end).contains(&"complete_open_transition".to_owned()));
    let record = h.record(&sid);
    assert!(record.completed_at.is_some());
    let visits = h.visits(&sid);
    let last = visits.last().unwrap();
    assert_eq!(last.activity_id, "close");
    assert_eq!(last.next, None);
    assert_eq!(last.transition_condition, "deep == false");
    let (code, _) = h.err(
        "next_activity",
        json!({"session_token": token(&end), "activity_id": "intake"}),
    );
    assert_eq!(code, ErrorCode::SessionCompleted);

    // Ending where no transition says so is warned, never refused.
    let (t, sid) = started_through(&h, &["intake"]);
    let end = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "__terminal__", "variables": {"deep": true}}),
    );
    assert_eq!(codes(&end)[0], "transition_illegal", "{:?}", codes(&end));
    assert!(h.record(&sid).completed_at.is_some());
    assert_eq!(h.record(&sid).variables["deep"], json!(true));
}

#[test]
fn complete_workflow_does_not_call_a_terminal_transition_unfinished_work() {
    let always_end = "id: close\nversion: 1.0.0\nname: Close\ntransitions:\n  - to: __terminal__\n";
    let h = Harness::with(
        audit(
            INTAKE,
            "id: review\nversion: 1.0.0\nname: Review\n",
            always_end,
        ),
        EngineConfig::default(),
    );
    let (t, _) = started_through(&h, &["intake", "close"]);
    let done = h.ok("complete_workflow", json!({"session_token": t}));
    assert!(codes(&done).is_empty(), "{:?}", codes(&done));
}

#[test]
fn a_target_that_is_neither_an_id_nor_terminal_is_an_invalid_id() {
    let library = Library::load(audit(
        INTAKE,
        "id: review\nversion: 1.0.0\nname: Review\n",
        &CLOSE.replace("__terminal__", "__end__"),
    ));
    let errors = errors_of(&library, "audit/activities/03-close.yaml");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, Code::InvalidId);
    assert!(
        errors[0].message.contains("__terminal__"),
        "{}",
        errors[0].message
    );
}

/// The test library with its meta workflow declaring `dispatchTemplate: <name>` and its template
/// stored as `resources/02-<stored>.md`.
fn meta_declaring(name: &str, stored: &str) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = files()
        .into_iter()
        .filter(|(p, _)| *p != "meta/workflow.yaml" && !p.contains("client-prompt-template"))
        .collect();
    let (_, meta) = files()
        .into_iter()
        .find(|(p, _)| *p == "meta/workflow.yaml")
        .unwrap();
    f.push((
        "meta/workflow.yaml",
        format!("{meta}dispatchTemplate: {name}\n"),
    ));
    let path: &'static str = Box::leak(format!("meta/resources/02-{stored}.md").into_boxed_str());
    f.push((
        path,
        format!("---\nid: {stored}\n---\nRun {{workflow_id}} with {{client_session_token}}.\n"),
    ));
    f
}

#[test]
fn the_meta_workflow_names_its_dispatch_template() {
    let f = meta_declaring(
        "workflow-orchestrator-prompt",
        "workflow-orchestrator-prompt",
    );
    assert!(
        Library::load(f.clone())
            .diagnostics()
            .iter()
            .all(|d| d.code != Code::MetaResourceMissing)
    );
    let h = Harness::with(f, EngineConfig::default());
    let (m, _) = h.start("meta", "m");
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    let prompt = d.structured["client_prompt"].as_str().unwrap();
    let child = d.structured["client_session_token"].as_str().unwrap();
    assert_eq!(prompt.trim_end(), format!("Run release with {child}."));
}

#[test]
fn a_declared_template_that_is_missing_is_an_error_with_no_fallback() {
    // The default name is present; the declared one is not.
    let mut f = meta_declaring("orchestrator-prompt", "client-prompt-template");
    f.push((
        "meta/resources/03-unrelated.md",
        BOOTSTRAP.replace("bootstrap-protocol", "unrelated"),
    ));
    let library = Library::load(f.clone());
    let missing: Vec<&Diagnostic> = library
        .diagnostics()
        .iter()
        .filter(|d| d.code == Code::MetaResourceMissing)
        .collect();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("'orchestrator-prompt'"));
    assert!(
        missing[0].message.contains("dispatchTemplate"),
        "{}",
        missing[0].message
    );

    let h = Harness::with(f, EngineConfig::default());
    let (m, _) = h.start("meta", "m");
    let (code, message) = h.err(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    assert_eq!(code, ErrorCode::TemplateMissing);
    assert!(message.contains("'orchestrator-prompt'"), "{message}");
}
