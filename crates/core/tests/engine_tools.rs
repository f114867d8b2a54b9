//! One scenario per tool: its success, its errors and its warnings, through `Engine::call`.

mod engine_support;

use std::sync::Arc;

use engine_support::*;
use serde_json::{Value, json};
use workflow_core::engine::{CallError, EngineConfig, ErrorCode, MAX_WAIT_MS, Wait};
use workflow_core::keyring::KeyRing;
use workflow_core::session::{MemoryStore, Store};

/// A session of `release` moved into `draft`; returns (token, sid).
fn in_draft(h: &Harness) -> (String, String) {
    let (t, sid) = h.start("release", "orch");
    let t = token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    ));
    (t, sid)
}

/// Yields `checkpoint` from a session in draft; returns the handle.
fn yield_cp(h: &Harness, t: &str, checkpoint: &str) -> String {
    let out = h.ok(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": checkpoint}),
    );
    out.structured["checkpoint_handle"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn tools_are_listed_in_protocol_order_with_schemas() {
    let h = Harness::new();
    let tools = h.engine.tools();
    let names: Vec<&str> = tools.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
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
            "get_trace"
        ]
    );
    let read_only: Vec<&str> = tools
        .iter()
        .filter(|t| t.read_only)
        .map(|t| t.name)
        .collect();
    assert_eq!(
        read_only,
        [
            "discover",
            "list_workflows",
            "health_check",
            "get_workflow_status",
            "get_workflow",
            "get_activity",
            "present_checkpoint",
            "get_skills",
            "get_skill",
            "get_resource",
            "get_trace"
        ]
    );
    for t in &tools {
        assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        assert!(!t.description.is_empty());
        jsonschema::validator_for(&t.output_schema).expect("output schema compiles");
    }
    let start = &tools[3];
    assert!(start.description.contains("90 days"));
    assert_eq!(
        start.input_schema["required"],
        json!(["workflow_id", "agent_id"])
    );
    assert_eq!(
        h.call("get_rules", json!({})),
        Err(CallError::UnknownTool("get_rules".into()))
    );
}

#[test]
fn structured_results_conform_to_their_output_schemas() {
    let h = Harness::new();
    let schemas: std::collections::HashMap<&str, Value> = h
        .engine
        .tools()
        .into_iter()
        .map(|t| (t.name, t.output_schema))
        .collect();
    let check = |tool: &str, out: &workflow_core::engine::ToolOutput| {
        let v = jsonschema::validator_for(&schemas[tool]).unwrap();
        assert!(
            v.is_valid(&out.structured),
            "{tool}: {}",
            serde_json::to_string_pretty(&out.structured).unwrap()
        );
    };
    check("discover", &h.ok("discover", json!({})));
    check("list_workflows", &h.ok("list_workflows", json!({})));
    check("health_check", &h.ok("health_check", json!({})));
    let (m, _) = h.start("meta", "m");
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    check("dispatch_workflow", &d);
    let m = d.meta["session_token"].as_str().unwrap().to_owned();
    check(
        "get_workflow_status",
        &h.ok("get_workflow_status", json!({"parent_session_token": m})),
    );
    let (t, _) = in_draft(&h);
    check(
        "get_workflow_status",
        &h.ok("get_workflow_status", json!({"client_session_token": t})),
    );
    check(
        "get_workflow",
        &h.ok("get_workflow", json!({"session_token": t})),
    );
    check(
        "get_workflow",
        &h.ok(
            "get_workflow",
            json!({"session_token": t, "summary": false}),
        ),
    );
    check(
        "get_activity",
        &h.ok("get_activity", json!({"session_token": t})),
    );
    check(
        "get_skills",
        &h.ok("get_skills", json!({"session_token": t})),
    );
    check("get_skill", &h.ok("get_skill", json!({"session_token": t})));
    check(
        "get_resource",
        &h.ok(
            "get_resource",
            json!({"session_token": t, "resource_index": "01"}),
        ),
    );
    check("get_trace", &h.ok("get_trace", json!({"session_token": t})));
    let y = h.ok(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review"}),
    );
    check("yield_checkpoint", &y);
    let handle = y.structured["checkpoint_handle"].as_str().unwrap();
    check(
        "present_checkpoint",
        &h.ok("present_checkpoint", json!({"checkpoint_handle": handle})),
    );
    h.env.advance(3_000);
    let r = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve"}),
    );
    check("respond_checkpoint", &r);
    check(
        "resume_checkpoint",
        &h.ok("resume_checkpoint", json!({"session_token": handle})),
    );
    let n = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "publish"}),
    );
    check("next_activity", &n);
    check(
        "complete_workflow",
        &h.ok("complete_workflow", json!({"session_token": token(&n)})),
    );
}

#[test]
fn discover_returns_the_bootstrap_text_or_says_it_is_missing() {
    let h = Harness::new();
    let out = h.ok("discover", json!({"ignored": 1}));
    assert_eq!(out.structured["server"], "workflow-server");
    assert_eq!(
        out.structured["bootstrap"],
        "# Bootstrap\n\nCall list_workflows."
    );
    assert!(out.text.starts_with("server: workflow-server\nversion: "));
    assert!(
        out.text
            .ends_with("\n\n# Bootstrap\n\nCall list_workflows.")
    );
    assert!(out.meta.is_empty());

    let files = files()
        .into_iter()
        .filter(|(p, _)| !p.contains("bootstrap"))
        .collect();
    let h = Harness::with(files, EngineConfig::default());
    let out = h.ok("discover", json!({}));
    assert_eq!(out.structured["bootstrap"], Value::Null);
    assert!(out.text.ends_with(
        "\nbootstrap: unavailable (the meta workflow has no usable 'bootstrap-protocol' resource)"
    ));
}

fn with_broken() -> Vec<(&'static str, String)> {
    let mut f = files();
    f.push((
        "broken/workflow.yaml",
        "id: broken\nversion: 1.0.0\ntitle: Broken\ninitialActivity: a\n".into(),
    ));
    f.push((
        "broken/activities/01-a.yaml",
        "id: a\nversion: 1.0.0\n".into(),
    ));
    f
}

#[test]
fn list_workflows_lists_every_folder_sorted_with_status() {
    let h = Harness::with(with_broken(), EngineConfig::default());
    let out = h.ok("list_workflows", json!({}));
    let list = out.structured["workflows"].as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["broken", "meta", "release"]);
    assert_eq!(list[0]["status"], "broken");
    assert_eq!(list[0]["startable"], false);
    assert!(
        list[0]["first_error"]
            .as_str()
            .unwrap()
            .starts_with("broken/activities/01-a.yaml:")
    );
    assert_eq!(list[1]["startable"], true);
    assert!(list[1].get("first_error").is_none());
    assert!(out.text.starts_with("[3]:"), "{}", out.text);
}

#[test]
fn health_check_reports_counts_uptime_and_store_trouble() {
    let h = Harness::with(with_broken(), EngineConfig::default());
    h.engine.set_started_at(T0);
    h.env.advance(61_500);
    let out = h.ok("health_check", json!({}));
    let s = &out.structured;
    assert_eq!(s["status"], "degraded");
    assert_eq!(s["workflows_available"], 2);
    assert_eq!(s["workflows_broken"], 1);
    assert_eq!(s["uptime_seconds"], 61);
    assert_eq!(s["protocol_versions"], json!(["2025-11-25", "2026-07-28"]));
    assert!(out.text.starts_with("status: degraded\n"), "{}", out.text);
    assert_eq!(
        Harness::new().ok("health_check", json!({})).structured["status"],
        "healthy"
    );

    struct Down;
    impl workflow_core::session::Store for Down {
        fn load(
            &self,
            _: &str,
        ) -> Result<Option<workflow_core::session::SessionRecord>, workflow_core::session::StoreError>
        {
            Err(workflow_core::session::StoreError::Unavailable(
                "disk gone".into(),
            ))
        }
        fn commit(
            &self,
            _: &[workflow_core::session::Write],
        ) -> Result<(), workflow_core::session::StoreError> {
            Err(workflow_core::session::StoreError::Unavailable(
                "disk gone".into(),
            ))
        }
        fn history(
            &self,
            _: &str,
            _: u64,
            _: u64,
        ) -> Result<Vec<workflow_core::session::HistoryEntry>, workflow_core::session::StoreError>
        {
            Err(workflow_core::session::StoreError::Unavailable(
                "disk gone".into(),
            ))
        }
        fn events(
            &self,
            _: &str,
            _: u64,
            _: u64,
        ) -> Result<Vec<workflow_core::session::TraceEvent>, workflow_core::session::StoreError>
        {
            Err(workflow_core::session::StoreError::Unavailable(
                "disk gone".into(),
            ))
        }
        fn check(&self) -> Result<(), workflow_core::session::StoreError> {
            Err(workflow_core::session::StoreError::Unavailable(
                "disk gone".into(),
            ))
        }
    }
    let engine = workflow_core::engine::Engine::new(
        workflow_core::catalog::Catalog::new(library(files()), T0),
        Arc::new(Down),
        KeyRing::new(key(1)),
        EngineConfig::default(),
    );
    let env = FakeEnv::new(T0);
    for (tool, args) in [
        ("health_check", json!({})),
        (
            "start_session",
            json!({"workflow_id": "meta", "agent_id": "a"}),
        ),
    ] {
        let Err(CallError::Tool { code, message }) =
            engine.call(&env, tool, args.as_object().unwrap().clone())
        else {
            panic!("{tool} must fail");
        };
        assert_eq!(code, ErrorCode::StoreUnavailable);
        assert_eq!(
            message,
            "The session store is unavailable (disk gone); retry later."
        );
    }
}

#[test]
fn start_session_fresh_and_its_refusals() {
    let h = Harness::new();
    let out = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "orch", "extra": true}),
    );
    let s = &out.structured;
    assert_eq!(s["workflow"]["id"], "release");
    assert_eq!(s["workflow"]["version"], "1.0.0");
    assert_eq!(s["status"], "active");
    assert_eq!(s["current_activity"], Value::Null);
    assert!(s.get("inherited").is_none());
    assert_eq!(codes(&out), ["unknown_argument", "variable_missing"]);
    assert_eq!(
        warnings(&out)[1],
        "Required variable 'release_tag' has no value yet."
    );
    assert_eq!(s["warning"], "Unknown argument 'extra' was ignored.");
    assert_eq!(s["session_token"], out.meta["session_token"]);
    let record = h.record(s["session_id"].as_str().unwrap());
    assert_eq!(record.revision, 0);
    assert_eq!(record.agents, ["orch"]);
    assert_eq!(record.variables["approved"], false);
    assert!(!record.variables.contains_key("release_tag"));

    let (code, message) = h.err(
        "start_session",
        json!({"workflow_id": "nope", "agent_id": "a"}),
    );
    assert_eq!(code, ErrorCode::WorkflowNotFound);
    assert!(message.starts_with("Workflow not found: nope."));
    let (code, message) = h.err(
        "start_session",
        json!({"workflow_id": "../x", "agent_id": "a"}),
    );
    assert_eq!(code, ErrorCode::InvalidId);
    assert_eq!(
        message,
        "Invalid workflow id '../x': ids are 1–128 characters of letters, digits, '.', '_' and \
         '-', starting with a letter or digit."
    );
    assert_eq!(
        h.err(
            "start_session",
            json!({"workflow_id": "meta", "agent_id": ""})
        )
        .0,
        ErrorCode::InvalidId
    );
    let (code, message) = h.err("start_session", json!({"workflow_id": 3}));
    assert_eq!(code, ErrorCode::InvalidArgument);
    assert_eq!(
        message,
        "Invalid arguments for start_session: workflow_id: expected a string; agent_id: is required"
    );
    let hb = Harness::with(with_broken(), EngineConfig::default());
    let (code, message) = hb.err(
        "start_session",
        json!({"workflow_id": "broken", "agent_id": "a"}),
    );
    assert_eq!(code, ErrorCode::WorkflowBroken);
    assert!(message.starts_with(
        "Workflow 'broken' is broken and cannot be started: broken/activities/01-a.yaml:"
    ));
}

#[test]
fn start_session_recovers_inherits_refuses_lost_records_and_adopts() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);

    // Recover: a tampered token is never read; a fresh session starts.
    let mut forged = t.clone();
    forged.insert(3, 'x');
    let out = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "orch", "session_token": forged}),
    );
    assert_eq!(out.structured["recovered"], true);
    assert_ne!(out.structured["session_id"], sid.as_str());
    assert_eq!(codes(&out)[0], "session_recovered");
    assert!(warnings(&out)[0].contains("HMAC signature verification failed"));
    assert_eq!(out.structured["current_activity"], Value::Null);

    // Inherit: same session, agent recorded, revision +1, position kept.
    let before = h.record(&sid);
    let out = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "worker", "session_token": t}),
    );
    assert_eq!(out.structured["inherited"], true);
    assert_eq!(out.structured["current_activity"], "draft");
    assert_eq!(codes(&out), ["agent_changed"]);
    assert!(warnings(&out)[0].contains("does not match the inherited session token's agent_id"));
    let after = h.record(&sid);
    assert_eq!(after.revision, before.revision + 1);
    assert_eq!(after.agents, ["orch", "worker"]);

    // Another workflow's token.
    let (code, message) = h.err(
        "start_session",
        json!({"workflow_id": "meta", "agent_id": "orch", "session_token": t}),
    );
    assert_eq!(code, ErrorCode::WorkflowMismatch);
    assert!(message.starts_with("Workflow mismatch"));
    let last = h.record(&sid);
    assert_eq!(
        state_of(&last),
        state_of(&after),
        "a refusal changes no state"
    );
    assert_eq!(
        last.trace.next_index,
        after.trace.next_index + 1,
        "but is traced"
    );

    // Record gone: another store, same keys. The token verifies, but nothing is rebuilt, so
    // the pending checkpoint cannot be walked past.
    let handle = yield_cp(&h, &t, "draft-review");
    let store = Arc::new(MemoryStore::new());
    let h2 = Harness::with_store(files(), EngineConfig::default(), store.clone());
    let (code, message) = h2.err(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "orch", "session_token": handle}),
    );
    assert_eq!(code, ErrorCode::UnknownSession);
    assert!(
        message.ends_with("Call start_session without a session_token to start a fresh session.")
    );
    assert!(store.load(&sid).unwrap().is_none(), "no record is created");
    let (code, _) = h2.err(
        "next_activity",
        json!({"session_token": handle, "activity_id": "review"}),
    );
    assert_eq!(code, ErrorCode::UnknownSession);

    // Adopt: after a rotation the old key verifies as retired; tokens are re-signed.
    let mut ring = KeyRing::new(key(1));
    ring.rotate(key(2), T0).unwrap();
    h.engine.set_keys(ring);
    let out = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "worker", "session_token": handle}),
    );
    assert_eq!(out.structured["adopted"], true);
    assert_eq!(codes(&out)[0], "token_retired_key");
    let renewed = token(&out);
    let out = h.ok("present_checkpoint", json!({"checkpoint_handle": renewed}));
    assert_eq!(codes(&out), Vec::<String>::new());
}

#[test]
fn dispatch_workflow_refusals_and_warnings() {
    let h = Harness::new();
    let (m, meta_sid) = h.start("meta", "meta");
    let out = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m,
               "variables": {"count": "many", "bogus": 1}}),
    );
    assert_eq!(
        codes(&out),
        ["variable_type", "variable_undeclared", "variable_missing"]
    );
    assert_eq!(
        warnings(&out)[0],
        "Variable 'count' is declared as number but was given string; it was stored anyway."
    );
    let child_sid = out.structured["client_session_id"].as_str().unwrap();
    assert_eq!(
        out.structured["agent_id"],
        format!("client-{}", &child_sid[..8])
    );
    assert!(
        out.text
            .contains("\n\nRun Release (release v1.0.0) from draft.")
    );
    assert!(out.text.starts_with("client_session_token: "));
    let child = h.record(child_sid);
    assert_eq!(
        child.trace.next_index, 1,
        "the child's trace has the dispatch"
    );
    assert_eq!(h.record(&meta_sid).revision, 1);

    assert_eq!(
        h.err(
            "dispatch_workflow",
            json!({"workflow_id": "nope", "parent_session_token": m})
        )
        .0,
        ErrorCode::WorkflowNotFound
    );
    let (code, message) = h.err(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": "abc"}),
    );
    assert_eq!(code, ErrorCode::TokenMalformed);
    assert!(message.starts_with("Invalid parent_session_token: the token is malformed"));

    // Depth limit.
    let config = EngineConfig {
        max_dispatch_depth: 1,
        ..EngineConfig::default()
    };
    let h1 = Harness::with(files(), config);
    let (m, _) = h1.start("meta", "meta");
    let child = h1.ok(
        "dispatch_workflow",
        json!({"workflow_id": "meta", "parent_session_token": m}),
    );
    let c = child.structured["client_session_token"].as_str().unwrap();
    let (code, message) = h1.err(
        "dispatch_workflow",
        json!({"workflow_id": "meta", "parent_session_token": c}),
    );
    assert_eq!(code, ErrorCode::DispatchDepth);
    assert!(message.contains("is at depth 1 and the limit is 1"));

    // No template, an unfilled placeholder, no initialActivity.
    let no_template: Vec<_> = files()
        .into_iter()
        .filter(|(p, _)| !p.contains("client-prompt"))
        .collect();
    let h2 = Harness::with(no_template, EngineConfig::default());
    let (m, _) = h2.start("meta", "meta");
    let (code, message) = h2.err(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    assert_eq!(code, ErrorCode::TemplateMissing);
    assert!(message.starts_with("Failed to load client prompt template:"));

    let mut f = files();
    for (path, text) in f.iter_mut() {
        if path.contains("client-prompt") {
            *text = "Hello {agent_id} {mystery} {mystery} {other}".into();
        }
        if *path == "release/workflow.yaml" {
            *text = text.replace("initialActivity: draft\n", "");
        }
    }
    let h3 = Harness::with(f, EngineConfig::default());
    let (m, _) = h3.start("meta", "meta");
    let out = h3.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m,
               "variables": {"release_tag": "v1"}}),
    );
    assert_eq!(
        codes(&out),
        ["initial_activity_fallback", "template_placeholders"]
    );
    assert_eq!(
        warnings(&out)[1],
        "The client prompt template leaves placeholders unfilled: {mystery}, {other}."
    );
    assert_eq!(out.structured["initial_activity"], "draft");
}

#[test]
fn get_workflow_status_modes_and_authorisation() {
    let h = Harness::new();
    let (m, meta_sid) = h.start("meta", "meta");
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    let m = d.meta["session_token"].as_str().unwrap().to_owned();
    let c = d.structured["client_session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let c_sid = d.structured["client_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (other, _) = h.start("meta", "someone");

    let out = h.ok("get_workflow_status", json!({"client_session_token": c}));
    assert_eq!(out.structured["session_id"], c_sid.as_str());
    assert_eq!(out.structured["status"], "active");
    assert_eq!(out.structured["parent_session_id"], meta_sid.as_str());
    assert!(out.meta.contains_key("session_token"));
    assert!(!out.meta.contains_key("validation"));

    let out = h.ok(
        "get_workflow_status",
        json!({"client_session_id": c_sid, "parent_session_token": m}),
    );
    assert!(out.meta.is_empty());
    let out = h.ok("get_workflow_status", json!({"parent_session_token": m}));
    assert_eq!(out.structured["children"][0]["session_id"], c_sid.as_str());
    assert_eq!(
        out.structured["children"][0]["current_activity"],
        Value::Null
    );

    let (code, message) = h.err(
        "get_workflow_status",
        json!({"client_session_id": c_sid, "parent_session_token": other}),
    );
    assert_eq!(code, ErrorCode::NotAChild);
    assert!(message.contains("is not a child of the session of parent_session_token"));
    let (code, message) = h.err("get_workflow_status", json!({"client_session_id": c_sid}));
    assert_eq!(code, ErrorCode::StatusArguments);
    assert_eq!(
        message,
        "parent_session_token is required when using client_session_id for authorization."
    );
    let (code, message) = h.err("get_workflow_status", json!({"client_session_token": ""}));
    assert_eq!(code, ErrorCode::StatusArguments);
    assert!(message.contains("Either client_session_token or client_session_id must be provided"));
    let (code, _) = h.err(
        "get_workflow_status",
        json!({"client_session_token": c, "client_session_id": meta_sid}),
    );
    assert_eq!(code, ErrorCode::StatusArguments);
    let missing = "00000000-0000-4000-8000-000000000000";
    let (code, _) = h.err(
        "get_workflow_status",
        json!({"client_session_id": missing, "parent_session_token": m}),
    );
    assert_eq!(code, ErrorCode::UnknownSession);
    assert_eq!(
        h.err(
            "get_workflow_status",
            json!({"client_session_id": "../x", "parent_session_token": m})
        )
        .0,
        ErrorCode::InvalidId
    );
    // Status is never traced.
    assert_eq!(h.record(&c_sid).trace.next_index, 1);
}

/// `wait_ms` is only read and bounded here; the result names what a waiting host watches, and the
/// core answers at once (docs/protocol.md#get_workflow_status).
#[test]
fn get_workflow_status_wait_names_the_sessions_a_host_watches() {
    let h = Harness::new();
    let (m, meta_sid) = h.start("meta", "meta");
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    let m = d.meta["session_token"].as_str().unwrap().to_owned();
    let c = d.structured["client_session_token"].as_str().unwrap();
    let c_sid = d.structured["client_session_id"].as_str().unwrap();

    let plain = h.ok("get_workflow_status", json!({"client_session_token": c}));
    assert_eq!(plain.wait, None);
    let waiting = h.ok(
        "get_workflow_status",
        json!({"client_session_token": c, "wait_ms": 5_000}),
    );
    assert_eq!(
        waiting.wait,
        Some(Wait {
            ms: 5_000,
            sessions: vec![c_sid.to_owned()]
        })
    );
    assert_eq!(waiting.structured, plain.structured);
    let children = h.ok(
        "get_workflow_status",
        json!({"parent_session_token": m, "wait_ms": MAX_WAIT_MS}),
    );
    assert_eq!(
        children.wait,
        Some(Wait {
            ms: MAX_WAIT_MS,
            sessions: vec![meta_sid.clone(), c_sid.to_owned()]
        })
    );
    let by_id = h.ok(
        "get_workflow_status",
        json!({"client_session_id": c_sid, "parent_session_token": m, "wait_ms": 0}),
    );
    assert_eq!(by_id.wait, None);

    for bad in [json!(MAX_WAIT_MS + 1), json!(-1), json!(1.5), json!("10")] {
        let (code, message) = h.err(
            "get_workflow_status",
            json!({"client_session_token": c, "wait_ms": bad}),
        );
        assert_eq!(code, ErrorCode::InvalidArgument);
        assert!(
            message.contains("wait_ms: expected an integer from 0 to 20000"),
            "{message}"
        );
    }
}

#[test]
fn complete_workflow_warns_closes_and_tells_the_parent() {
    let h = Harness::new();
    let (m, meta_sid) = h.start("meta", "meta");
    let (t, sid) = in_draft(&h);
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "meta", "parent_session_token": t}),
    );
    let t = d.meta["session_token"].as_str().unwrap().to_owned();
    let out = h.ok(
        "complete_workflow",
        json!({"session_token": t, "variables": {"count": 2}, "outcome": "early",
               "include_trace_token": true}),
    );
    assert_eq!(
        codes(&out),
        [
            "complete_open_transition",
            "step_manifest_missing",
            "checkpoint_unanswered",
            "children_open"
        ]
    );
    assert_eq!(
        warnings(&out)[0],
        "Activity 'draft' still has an unconditional transition to 'polish'; the workflow may \
         not be finished."
    );
    assert!(warnings(&out)[1].starts_with("No step_manifest provided for final activity 'draft'."));
    assert!(warnings(&out)[3].ends_with("is still active."));
    let s = &out.structured;
    assert_eq!(s["status"], "completed");
    assert_eq!(s["completed_activities"], json!(["draft"]));
    assert_eq!(s["variables"]["count"], 2);
    assert_eq!(s["outcome"], "early");
    assert_eq!(s["parent_session_id"], Value::Null);
    assert!(out.meta["trace_token"].is_string());
    let record = h.record(&sid);
    assert!(record.completed_at.is_some() && record.current.is_none());
    assert_eq!(h.visits(&sid)[0].next, None);

    let (code, _) = h.err("complete_workflow", json!({"session_token": t}));
    assert_eq!(code, ErrorCode::SessionCompleted);
    let inherit = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "orch", "session_token": t}),
    );
    assert_eq!(codes(&inherit), ["session_completed_inherited"]);
    assert_eq!(inherit.structured["status"], "completed");

    // A session that never entered an activity.
    let out = h.ok("complete_workflow", json!({"session_token": m}));
    assert_eq!(codes(&out), ["no_activity"]);
    assert!(h.record(&meta_sid).completed_at.is_some());
}

#[test]
fn get_workflow_summary_and_full() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let out = h.ok("get_workflow", json!({"session_token": t}));
    let s = &out.structured;
    assert!(
        s.get("primary_skill").is_none(),
        "the skill comes from get_skill"
    );
    assert!(!out.text.contains("meta-orchestrator:"));
    let w = &s["workflow"];
    let keys: Vec<&str> = w.as_object().unwrap().keys().map(String::as_str).collect();
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
            "modes",
            "skills",
            "initialActivity",
            "activities"
        ]
    );
    assert_eq!(
        w["variables"][0],
        json!({"name": "release_tag", "type": "string", "required": true})
    );
    assert_eq!(
        w["activities"][0],
        json!({"id": "draft", "name": "Draft Notes", "required": true, "artifactPrefix": "01"})
    );
    let token = token(&out);
    assert!(out.text.starts_with("id: release\n"));
    // Absent fields are left out of the text too: an agent reads only what the workflow says.
    assert!(!out.text.contains("artifactLocations"), "{}", out.text);
    assert!(!out.text.contains("null"), "{}", out.text);
    assert!(out.text.ends_with(&format!("\nsession_token: {token}")));

    let out = h.ok(
        "get_workflow",
        json!({"session_token": token, "summary": false}),
    );
    assert!(out.structured["workflow"]["activities"].is_array());
    assert!(out.text.starts_with(&format!(
        "session_token: {}\n\nid: release\n",
        crate::token(&out)
    )));
    assert_eq!(
        h.err(
            "get_workflow",
            json!({"session_token": token, "summary": "no"})
        )
        .0,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn next_activity_records_moves_and_warns() {
    let h = Harness::new();
    let (t, sid) = h.start("release", "orch");
    let out = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "polish",
               "step_manifest": [], "activity_manifest": []}),
    );
    assert_eq!(
        codes(&out),
        [
            "transition_first",
            "step_manifest_ignored",
            "activity_manifest_empty"
        ]
    );
    assert_eq!(
        warnings(&out)[0],
        "First activity must be 'draft' but 'polish' was requested. Start with the workflow's \
         initialActivity."
    );
    assert_eq!(out.structured["activity_id"], "polish");
    assert_eq!(out.structured["name"], "Polish");
    let t = token(&out);
    let out = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft",
               "transition_condition": "whatever",
               "step_manifest": [{"step_id": "tidy", "output": " "}, {"step_id": "zzz", "output": "x"}],
               "activity_manifest": [
                   {"activity_id": "polish", "outcome": "done"},
                   {"activity_id": "publish", "outcome": ""},
                   {"activity_id": "ghost", "outcome": "x"}]}),
    );
    assert_eq!(
        codes(&out),
        [
            "transition_illegal",
            "steps_unexpected",
            "step_empty_output",
            "activity_manifest_outcome",
            "activity_manifest_not_completed",
            "activity_manifest_unknown"
        ],
        "{:?}",
        warnings(&out)
    );
    assert_eq!(
        warnings(&out)[0],
        "Activity 'draft' is not a direct transition from 'polish'. Valid transitions: [publish]"
    );
    let t = token(&out);
    // Leaving draft: conditions evaluated on the recorded variables.
    let out = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "publish",
               "transition_condition": "approved == false",
               "variables": {"count": 3}, "include_trace_token": true,
               "step_manifest": [
                   {"step_id": "write", "output": "a"},
                   {"step_id": "collect", "output": "b"},
                   {"step_id": "check-item", "output": "1"},
                   {"step_id": "check-item", "output": "2"},
                   {"step_id": "write", "output": "c"}]}),
    );
    assert_eq!(
        codes(&out),
        [
            "condition_mismatch",
            "condition_false",
            "steps_missing",
            "steps_duplicate",
            "step_order",
            "step_order",
            "checkpoint_unanswered"
        ],
        "{:?}",
        warnings(&out)
    );
    let w = warnings(&out);
    assert_eq!(
        w[0],
        "Condition mismatch for transition to 'publish': workflow defines 'approved == true' but \
         agent claimed 'approved == false'."
    );
    assert_eq!(
        w[1],
        "Transition to 'publish' requires 'approved == true', which is false for the session \
         variables (approved=false)."
    );
    assert_eq!(w[2], "Missing steps in manifest: [review]");
    assert_eq!(w[3], "Duplicate steps in manifest: [write]");
    assert_eq!(
        w[4],
        "Step order mismatch at position 0: expected 'collect' but got 'write'"
    );
    assert_eq!(
        w[6],
        "Checkpoint 'draft-review' of activity 'draft' was not answered before leaving the activity."
    );
    assert!(out.meta["trace_token"].is_string());
    let record = h.record(&sid);
    assert_eq!(record.variables["count"], 3);
    assert_eq!(record.current.as_ref().unwrap().activity_id, "publish");
    assert_eq!(
        record.current.as_ref().unwrap().condition,
        "approved == false"
    );
    let visits = h.visits(&sid);
    assert_eq!(visits.len(), 2);
    assert_eq!(visits[1].next.as_deref(), Some("publish"));

    let (code, message) = h.err(
        "next_activity",
        json!({"session_token": token(&out), "activity_id": "nowhere"}),
    );
    assert_eq!(code, ErrorCode::ActivityNotFound);
    assert_eq!(
        message,
        "Activity not found: nowhere. Activities of workflow 'release': [draft, polish, publish]."
    );
}

#[test]
fn next_activity_condition_claims_shadowing_modes_and_effects() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    // Default transition while the conditional one holds; claiming 'default' is fine.
    let out = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "polish", "transition_condition": "default",
               "variables": {"approved": true, "fast": true}}),
    );
    let c = codes(&out);
    assert!(c.contains(&"condition_shadowed".to_owned()), "{c:?}");
    assert!(c.contains(&"activity_skipped".to_owned()), "{c:?}");
    assert!(warnings(&out).contains(
        &"Activity 'polish' is skipped in mode 'quick' (active while 'fast' is true).".to_owned()
    ));
    assert!(
        warnings(&out).contains(
            &"Transition to 'polish' is the default, but condition 'approved == true' of the \
          transition to 'publish' holds for the session variables."
                .to_owned()
        )
    );
    // Switching the mode on applied its declared defaults
    // (docs/formats.md#modes-and-artifact-locations); a mode already on applies nothing.
    assert_eq!(h.record(&sid).variables["count"], 1);
    let t = token(&out);
    let t = token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    ));
    // An option's effect directs the next transition and skips polish.
    let handle = yield_cp(&h, &t, "draft-review");
    h.env.advance(3_000);
    h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "skip-polish"}),
    );
    let out = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "polish", "transition_condition": ""}),
    );
    let c = codes(&out);
    assert!(c.contains(&"transition_directed".to_owned()), "{c:?}");
    assert!(warnings(&out).contains(
        &"Checkpoint 'draft-review' option 'skip-polish' directed the workflow to 'publish' but \
          'polish' was requested."
            .to_owned()
    ));
    assert!(
        warnings(&out).contains(
            &"Activity 'polish' was marked to be skipped by checkpoint 'draft-review' option \
          'skip-polish'."
                .to_owned()
        )
    );
}

#[test]
fn get_activity_serves_the_current_activity() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let (code, message) = h.err("get_activity", json!({"session_token": t}));
    assert_eq!(code, ErrorCode::NoCurrentActivity);
    assert!(message.starts_with("No current activity in session"));
    let (t, _) = in_draft(&h);
    let out = h.ok(
        "get_activity",
        json!({"session_token": t, "activity_id": "x"}),
    );
    assert_eq!(codes(&out), ["unknown_argument"]);
    let a = out.structured["activity"].as_object().unwrap();
    assert_eq!(a.keys().next_back().unwrap(), "artifactPrefix");
    assert_eq!(a["artifactPrefix"], "01");
    assert!(a.get("workflowId").is_none());
    assert!(
        out.text
            .starts_with(&format!("session_token: {}\n\nid: draft\n", token(&out)))
    );
    // Conditions read as their canonical text (one line, the form the `next` list and
    // transition_condition use), and the transitions appear once: in the `next` list.
    assert!(out.text.contains("condition: count > 5\n"), "{}", out.text);
    assert!(out.text.contains("condition: count > 10\n"), "{}", out.text);
    assert!(!out.text.contains("type: simple"), "{}", out.text);
    assert!(!out.text.contains("transitions"), "{}", out.text);
    assert!(
        a.contains_key("transitions"),
        "the structured activity is as authored"
    );
    assert!(
        out.text.contains("\n- publish when approved == true ("),
        "{}",
        out.text
    );
    assert!(out.text.contains("\n- polish (default)"), "{}", out.text);
}

#[test]
fn yield_checkpoint_checks_and_warnings() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    let (code, message) = h.err(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "nope"}),
    );
    assert_eq!(code, ErrorCode::CheckpointNotFound);
    assert_eq!(
        message,
        "Checkpoint not found: nope in activity draft. Checkpoints of this activity: \
         [draft-review, advisory, big]."
    );
    let out = h.ok(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "big"}),
    );
    assert_eq!(codes(&out), ["checkpoint_condition_false"]);
    assert_eq!(out.structured["status"], "yielded");
    assert!(
        out.structured["message"]
            .as_str()
            .unwrap()
            .contains("<checkpoint_yield>")
    );
    assert_eq!(
        out.meta["session_token"],
        out.structured["checkpoint_handle"]
    );
    let record = h.record(&sid);
    assert_eq!(record.status().as_str(), "blocked");
    let active = record.active_checkpoint.unwrap();
    assert_eq!(
        (active.yield_revision, active.yielded_by.as_str()),
        (record.revision, "orch")
    );
    let (code, message) = h.err(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review"}),
    );
    assert_eq!(code, ErrorCode::CheckpointActive);
    assert_eq!(
        message,
        "Cannot yield checkpoint 'draft-review': Checkpoint 'big' is already active and awaiting \
         orchestrator resolution."
    );
    // Answer it, then yield it again in the same visit.
    let handle = token(&out);
    h.env.advance(3_000);
    h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "condition_not_met": true}),
    );
    let out = h.ok(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "big"}),
    );
    assert_eq!(
        codes(&out),
        ["checkpoint_condition_false", "checkpoint_reyield"]
    );
}

#[test]
fn resume_checkpoint_reports_the_answer() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    let out = h.ok("resume_checkpoint", json!({"session_token": t}));
    assert_eq!(codes(&out), ["nothing_to_resume"]);
    assert_eq!(out.structured["checkpoint_id"], Value::Null);
    assert!(!out.text.contains(&token(&out)));
    let handle = yield_cp(&h, &t, "draft-review");
    let (code, message) = h.err("resume_checkpoint", json!({"session_token": t}));
    assert_eq!(code, ErrorCode::CheckpointActive);
    assert_eq!(
        message,
        "Cannot resume: Checkpoint 'draft-review' is still active and has not been resolved by \
         the orchestrator."
    );
    h.env.advance(4_000);
    let responded = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve"}),
    );
    let cleared = responded.structured["checkpoint_handle"].as_str().unwrap();
    let out = h.ok("resume_checkpoint", json!({"session_token": cleared}));
    let s = &out.structured;
    assert_eq!(s["checkpoint_id"], "draft-review");
    assert_eq!(s["mode"], "option");
    assert_eq!(s["effect"], json!({"setVariable": {"approved": true}}));
    assert_eq!(s["changed_variables"], json!({"approved": true}));
    assert!(h.record(&sid).last_answer.unwrap().resumed_at.is_some());
}

/// A checkpoint asked and answered by one agent takes two calls: the yield (whose message holds
/// the question and options) and the answer, which also resumes; the yield's context reaches
/// whoever presents the checkpoint.
#[test]
fn one_agent_yields_and_answers_in_two_calls() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    let yielded = h.ok(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review",
               "context": "Drafted 12 entries; 2 need a decision."}),
    );
    let message = yielded.structured["message"].as_str().unwrap();
    assert!(message.contains("options: approve = "), "{message}");
    let handle = yielded.structured["checkpoint_handle"].as_str().unwrap();
    let presented = h.ok("present_checkpoint", json!({"checkpoint_handle": handle}));
    assert_eq!(
        presented.structured["context"],
        "Drafted 12 entries; 2 need a decision."
    );
    h.env.advance(3_000);
    let answered = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve", "resume": true}),
    );
    assert_eq!(answered.structured["resumed"], true);
    assert!(h.record(&sid).last_answer.unwrap().resumed_at.is_some());
    assert!(h.record(&sid).active_checkpoint.is_none());

    // Without a context, present_checkpoint shows none; an oversize one is refused; an answer
    // without `resume` leaves the worker to resume itself (a relayed checkpoint).
    let (t, sid) = in_draft(&h);
    let handle = h
        .ok(
            "yield_checkpoint",
            json!({"session_token": t, "checkpoint_id": "draft-review"}),
        )
        .structured["checkpoint_handle"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        h.ok("present_checkpoint", json!({"checkpoint_handle": handle}))
            .structured
            .get("context")
            .is_none()
    );
    let too_long = "x".repeat(4 * 1024 + 1);
    let (code, _) = h.err(
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review", "context": too_long}),
    );
    assert_eq!(code, ErrorCode::InvalidArgument);
    h.env.advance(3_000);
    let relayed = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve"}),
    );
    assert!(relayed.structured.get("resumed").is_none());
    assert!(h.record(&sid).last_answer.unwrap().resumed_at.is_none());
}

#[test]
fn present_checkpoint_serves_the_checkpoint_behind_a_handle() {
    let h = Harness::new();
    let (t, _) = in_draft(&h);
    let (code, message) = h.err("present_checkpoint", json!({"checkpoint_handle": t}));
    assert_eq!(code, ErrorCode::CheckpointNotActive);
    assert_eq!(
        message,
        "The session of this checkpoint_handle has no active checkpoint. The worker must \
         yield a checkpoint first."
    );
    let handle = yield_cp(&h, &t, "advisory");
    let (code, message) = h.err("present_checkpoint", json!({"checkpoint_handle": t}));
    assert_eq!(code, ErrorCode::CheckpointNotActive);
    assert_eq!(
        message,
        "This token was issued before checkpoint 'advisory' was yielded, so it is not its \
         checkpoint_handle. Use the handle returned by its yield_checkpoint."
    );
    let out = h.ok("present_checkpoint", json!({"checkpoint_handle": handle}));
    let keys: Vec<&str> = out
        .structured
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "message",
            "blocking",
            "required",
            "defaultOption",
            "autoAdvanceMs",
            "options",
            "activity_id",
            "yielded_at",
            "condition_holds",
            "checkpoint_handle"
        ]
    );
    assert_eq!(out.structured["blocking"], false);
    assert_eq!(out.structured["yielded_at"], "2026-11-24T10:15:30.000Z");
    assert_eq!(out.structured["condition_holds"], Value::Null);
    assert!(!out.meta.contains_key("session_token"));
    assert!(out.meta.contains_key("validation"));
    assert!(out.text.starts_with("id: advisory\n"));
    let (code, _) = h.err("present_checkpoint", json!({"checkpoint_handle": "x.y"}));
    assert_eq!(code, ErrorCode::TokenSignature);
}

#[test]
fn respond_checkpoint_modes_timers_and_answered_once() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    let handle = yield_cp(&h, &t, "advisory");
    for (args, expected) in [
        (
            json!({"checkpoint_handle": handle}),
            "Exactly one of option_id, auto_advance, or condition_not_met must be provided.",
        ),
        (
            json!({"checkpoint_handle": handle, "option_id": "go", "auto_advance": true}),
            "Exactly one of option_id, auto_advance, or condition_not_met must be provided.",
        ),
        (
            json!({"checkpoint_handle": handle, "auto_advance": false}),
            "auto_advance must be true when given; to choose an option, pass option_id.",
        ),
        (
            json!({"checkpoint_handle": handle, "condition_not_met": false}),
            "condition_not_met must be true when given.",
        ),
    ] {
        assert_eq!(
            h.err("respond_checkpoint", args),
            (ErrorCode::ResponseMode, expected.to_owned())
        );
    }
    let before = h.record(&sid);
    h.env.advance(1_200);
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "go"}),
    );
    assert_eq!(code, ErrorCode::ResponseTooFast);
    assert_eq!(
        message,
        "Checkpoint response too fast (1s < 3s minimum). Present the checkpoint to the user before \
         responding."
    );
    // The minimum response time holds for every mode of answer.
    for mode in [
        json!({"auto_advance": true}),
        json!({"condition_not_met": true}),
    ] {
        let mut args = mode.as_object().unwrap().clone();
        args.insert("checkpoint_handle".into(), json!(handle));
        let (code, _) = h.err("respond_checkpoint", Value::Object(args));
        assert_eq!(code, ErrorCode::ResponseTooFast, "{mode}");
    }
    h.env.advance(2_000);
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "auto_advance": true}),
    );
    assert_eq!(code, ErrorCode::AutoAdvanceTooEarly);
    assert_eq!(
        message,
        "Auto-advance timer not elapsed for checkpoint 'advisory' (3s < 5s). Wait for the full \
         autoAdvanceMs (5000ms) before auto-advancing."
    );
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "condition_not_met": true}),
    );
    assert_eq!(code, ErrorCode::NotConditional);
    assert!(message.contains("it has no condition field"));
    assert_eq!(
        state_of(&h.record(&sid)),
        state_of(&before),
        "refusals change nothing"
    );
    h.env.advance(1_800);
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "nope"}),
    );
    assert_eq!(code, ErrorCode::InvalidOption);
    assert_eq!(
        message,
        "Invalid option 'nope' for checkpoint 'advisory'. Valid options: [go]"
    );
    let out = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "auto_advance": true}),
    );
    assert_eq!(out.structured["auto_advanced"], true);
    assert_eq!(out.structured["resolved_option"], "go");
    assert!(out.structured.get("dismissed").is_none());
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "auto_advance": true}),
    );
    assert_eq!(code, ErrorCode::CheckpointAnswered);
    assert!(message.contains("(auto-advanced to 'go' at "));

    // Blocking checkpoints are never auto-advanced; an old handle is out of date.
    let first = yield_cp(&h, &t, "draft-review");
    h.env.advance(3_000);
    h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": first, "option_id": "hold"}),
    );
    let second = yield_cp(&h, &t, "draft-review");
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": first, "option_id": "hold"}),
    );
    assert_eq!(code, ErrorCode::HandleOutOfDate);
    assert!(message.starts_with(
        "This checkpoint_handle does not belong to the active checkpoint 'draft-review'"
    ));
    h.env.advance(3_000);
    let (code, _) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": second, "auto_advance": true}),
    );
    assert_eq!(code, ErrorCode::AutoAdvanceUnavailable);

    // Dismissing a conditional checkpoint whose condition holds is warned.
    h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": second, "option_id": "hold"}),
    );
    let t = token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft", "variables": {"count": 9}}),
    ));
    let big = yield_cp(&h, &t, "big");
    h.env.advance(3_000);
    let out = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": big, "condition_not_met": true}),
    );
    assert_eq!(codes(&out), ["dismiss_condition_holds"]);
    assert_eq!(out.structured["dismissed"], true);
    assert!(out.structured.get("resolved_option").is_none());
}

#[test]
fn get_skills_lists_primary_supporting_and_failures() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let out = h.ok("get_skills", json!({"session_token": t}));
    let s = &out.structured;
    let ids: Vec<&str> = s["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["skill_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["meta/meta-orchestrator", "release/changelog-scan"]);
    assert_eq!(
        s["skills"][1]["skill"]["resources"],
        json!(["release/01", "meta/bootstrap-protocol"])
    );
    assert_eq!(s["failed_skills"][0]["ref"], "ghost-skill");
    assert_eq!(codes(&out), ["skill_unavailable"]);
    assert!(out.text.starts_with(&format!(
        "scope: workflow\nsession_token: {}\nfailed_skills: ghost-skill\n\n---\n\nskill_id: meta/meta-orchestrator\nid: meta-orchestrator",
        token(&out)
    )));
}

#[test]
fn get_skill_resolves_each_kind_of_reference() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let out = h.ok("get_skill", json!({"session_token": t}));
    assert_eq!(out.structured["skill_id"], "meta/meta-orchestrator");
    let (code, message) = h.err(
        "get_skill",
        json!({"session_token": t, "step_id": "collect"}),
    );
    assert_eq!(code, ErrorCode::NoCurrentActivity);
    assert_eq!(
        message,
        "Cannot provide step_id when no activity is active. Call next_activity first."
    );
    let (t, _) = in_draft(&h);
    assert_eq!(
        h.ok("get_skill", json!({"session_token": t})).structured["skill_id"],
        "meta/activity-worker"
    );
    let out = h.ok(
        "get_skill",
        json!({"session_token": t, "step_id": "collect"}),
    );
    assert_eq!(out.structured["skill_id"], "release/changelog-scan");
    assert_eq!(codes(&out), Vec::<String>::new());

    let (code, message) = h.err("get_skill", json!({"session_token": t, "step_id": "write"}));
    assert_eq!(code, ErrorCode::StepHasNoSkill);
    assert_eq!(
        message,
        "Step 'write' in activity 'draft' has no associated skill."
    );
    let (code, _) = h.err(
        "get_skill",
        json!({"session_token": t, "step_id": "check-item"}),
    );
    assert_eq!(code, ErrorCode::StepHasNoSkill);
    let (code, message) = h.err("get_skill", json!({"session_token": t, "step_id": "zzz"}));
    assert_eq!(code, ErrorCode::StepNotFound);
    assert_eq!(
        message,
        "Step 'zzz' not found in activity 'draft'. Available steps: [collect, write, note, \
         review, check-item]"
    );
    let (code, message) = h.err(
        "get_skill",
        json!({"session_token": t, "skill_id": "ghost"}),
    );
    assert_eq!(code, ErrorCode::SkillNotFound);
    assert_eq!(message, "Skill not found: ghost (looked in release, meta).");
    let out = h.ok(
        "get_skill",
        json!({"session_token": t, "skill_id": "meta/activity-worker"}),
    );
    assert_eq!(codes(&out), Vec::<String>::new());
    let (t2, _) = h.start("meta", "m");
    let out = h.ok(
        "get_skill",
        json!({"session_token": t2, "skill_id": "release/changelog-scan"}),
    );
    assert_eq!(codes(&out), ["skill_unreferenced"]);
    let (code, message) = h.err(
        "get_skill",
        json!({"session_token": t, "skill_id": "a", "step_id": "b"}),
    );
    assert_eq!(code, ErrorCode::InvalidArgument);
    assert!(message.ends_with("Provide either step_id or skill_id, not both."));
    assert_eq!(
        h.err(
            "get_skill",
            json!({"session_token": t, "skill_id": "a/b/c"})
        )
        .0,
        ErrorCode::InvalidId
    );
}

#[test]
fn get_resource_by_index_name_and_workflow() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    for reference in [
        "01",
        "1",
        "style-guide",
        "release/01",
        "release/style-guide",
    ] {
        let out = h.ok(
            "get_resource",
            json!({"session_token": t, "resource_index": reference}),
        );
        let s = &out.structured;
        assert_eq!(s["resource_index"], reference);
        assert_eq!(s["workflow_id"], "release");
        assert_eq!(s["index"], "01");
        assert_eq!(s["name"], "style-guide");
        assert_eq!(s["id"], "style-guide");
        assert_eq!(s["version"], "2.0.0");
        assert_eq!(s["format"], "markdown");
        assert_eq!(s["content"], "# Style\n\nBe brief.");
        assert_eq!(
            out.text,
            format!(
                "resource_index: {reference}\nid: style-guide\nversion: 2.0.0\nsession_token: {}\n\n# Style\n\nBe brief.",
                token(&out)
            )
        );
    }
    let out = h.ok(
        "get_resource",
        json!({"session_token": t, "resource_index": "meta/2"}),
    );
    assert_eq!(out.structured["name"], "client-prompt-template");
    let (code, message) = h.err(
        "get_resource",
        json!({"session_token": t, "resource_index": "07"}),
    );
    assert_eq!(code, ErrorCode::ResourceNotFound);
    assert_eq!(message, "Resource not found: 07 in workflow release.");
    let (code, _) = h.err(
        "get_resource",
        json!({"session_token": t, "resource_index": "../etc"}),
    );
    assert_eq!(code, ErrorCode::InvalidId);

    let mut f = files();
    f.push(("release/resources/01-other.md", "Other".into()));
    let h = Harness::with(f, EngineConfig::default());
    let (t, _) = h.start("release", "orch");
    let (code, message) = h.err(
        "get_resource",
        json!({"session_token": t, "resource_index": "1"}),
    );
    assert_eq!(code, ErrorCode::ResourceAmbiguous);
    assert!(
        message.starts_with("Resource index '1' is ambiguous in workflow 'release':"),
        "{message}"
    );
    assert!(message.contains("Refer to it by name, e.g. 'release/"));
}

#[test]
fn get_trace_record_and_token_modes() {
    let h = Harness::new();
    let (m, _) = h.start("meta", "meta");
    let d = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m}),
    );
    let m = d.meta["session_token"].as_str().unwrap().to_owned();
    let c = d.structured["client_session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let n1 = h.ok(
        "next_activity",
        json!({"session_token": c, "activity_id": "draft", "include_trace_token": true}),
    );
    h.err("get_skill", json!({"session_token": c, "step_id": "zzz"}));
    let n2 = h.ok(
        "next_activity",
        json!({"session_token": c, "activity_id": "polish", "include_trace_token": true}),
    );
    h.ok("get_activity", json!({"session_token": c}));

    let out = h.ok("get_trace", json!({"session_token": c}));
    let s = &out.structured;
    assert_eq!(s["source"], "record");
    assert_eq!(s["event_count"], 5);
    assert_eq!(s["dropped"], 0);
    assert_eq!(
        s["segments"],
        json!([
            {"act": "", "from": 0, "to": 2, "closed_by": "next_activity"},
            {"act": "draft", "from": 2, "to": 4, "closed_by": "next_activity"},
            {"act": "polish", "from": 4, "to": 5, "closed_by": null}
        ])
    );
    let e = &s["events"][2];
    assert_eq!(e["name"], "get_skill");
    assert_eq!(e["s"], "error");
    assert!(
        e["err"]
            .as_str()
            .unwrap()
            .starts_with("Step 'zzz' not found")
    );
    assert!(e.get("index").is_none());
    assert_eq!(s["events"][3]["to"], "polish");
    assert_eq!(s["events"][0]["ref"]["wf"], "meta");

    let t1 = n1.meta["trace_token"].as_str().unwrap();
    let t2 = n2.meta["trace_token"].as_str().unwrap();
    let out = h.ok(
        "get_trace",
        json!({"session_token": m, "trace_tokens": [t1, t2, "garbage"]}),
    );
    let s = &out.structured;
    assert_eq!(s["source"], "tokens");
    assert_eq!(s["event_count"], 4);
    assert_eq!(
        s["token_errors"],
        json!([
            "trace_tokens[2]: Invalid trace token: the token is malformed (missing signature segment)."
        ])
    );
    let out = h.ok(
        "get_trace",
        json!({"session_token": c, "trace_tokens": [t1]}),
    );
    assert_eq!(out.structured["event_count"], 2);
    let (other, _) = h.start("meta", "x");
    let out = h.ok(
        "get_trace",
        json!({"session_token": other, "trace_tokens": [t1]}),
    );
    assert!(
        out.structured["token_errors"][0]
            .as_str()
            .unwrap()
            .contains("which is not this session or one of its descendants")
    );

    // The checkpoint gate applies, and a completed session's trace stays readable.
    let (t, _) = in_draft(&h);
    yield_cp(&h, &t, "draft-review");
    assert_eq!(
        h.err("get_trace", json!({"session_token": t})).0,
        ErrorCode::CheckpointActive
    );
}

#[test]
fn the_retention_cap_drops_old_events_and_keeps_indices_absolute() {
    let config = EngineConfig {
        trace_event_cap: 3,
        ..EngineConfig::default()
    };
    let h = Harness::with(files(), config);
    let (t, sid) = in_draft(&h);
    for _ in 0..4 {
        h.ok("get_activity", json!({"session_token": t}));
    }
    let out = h.ok("get_trace", json!({"session_token": t}));
    assert_eq!(out.structured["dropped"], 3);
    assert_eq!(out.structured["event_count"], 3);
    assert_eq!(h.record(&sid).trace.next_index, 6);
    assert_eq!(
        out.structured["segments"],
        json!([{"act": "draft", "from": 3, "to": 6, "closed_by": null}])
    );
}

#[test]
fn mcp_resources_list_and_read() {
    use workflow_core::engine::mcp_resources::{read_resource, resources};
    let h = Harness::with(with_broken(), EngineConfig::default());
    let catalog = h.engine.catalog();
    let uris: Vec<String> = resources(&catalog).into_iter().map(|r| r.uri).collect();
    assert_eq!(
        uris,
        [
            "workflow-server://schemas",
            "workflow-server://schemas/workflow",
            "workflow-server://schemas/activity",
            "workflow-server://schemas/condition",
            "workflow-server://schemas/skill",
            "workflow-server://workflows/broken",
            "workflow-server://workflows/meta",
            "workflow-server://workflows/release"
        ]
    );
    let all = read_resource(&catalog, "workflow-server://schemas").unwrap();
    assert_eq!(
        all.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["workflow", "activity", "condition", "skill"]
    );
    let release = read_resource(&catalog, "workflow-server://workflows/release").unwrap();
    assert_eq!(release["status"], "ok");
    assert_eq!(release["definition"]["activities"][1]["id"], "polish");
    assert_eq!(
        release["definition"]["activities"][1]["artifactPrefix"],
        "02"
    );
    let broken = read_resource(&catalog, "workflow-server://workflows/broken").unwrap();
    assert_eq!(broken["definition"], Value::Null);
    assert_eq!(broken["startable"], false);
    assert!(!broken["diagnostics"].as_array().unwrap().is_empty());
    assert!(read_resource(&catalog, "workflow-server://workflows/nope").is_none());
    assert!(read_resource(&catalog, "workflow-server://other").is_none());
}

#[test]
fn input_schemas_name_exactly_the_arguments_the_tools_read() {
    let h = Harness::new();
    for tool in h.engine.tools() {
        let properties: Vec<String> = tool.input_schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let required: Vec<String> = tool.input_schema["required"]
            .as_array()
            .map(|r| r.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        if properties.is_empty() {
            continue;
        }
        // Every property is read: a wrong type is reported for each.
        let wrong: serde_json::Map<String, Value> = properties
            .iter()
            .map(|p| (p.clone(), json!(-1.5)))
            .collect();
        let (code, message) = h.err(tool.name, Value::Object(wrong));
        assert_eq!(code, ErrorCode::InvalidArgument, "{}", tool.name);
        for p in &properties {
            assert!(
                message.contains(&format!("{p}: expected")),
                "{}: {p} not read: {message}",
                tool.name
            );
        }
        // Exactly the required ones are required.
        let (_, message) = h.err(tool.name, json!({}));
        let missing: Vec<String> = message
            .trim_start_matches(&format!("Invalid arguments for {}: ", tool.name))
            .split("; ")
            .filter_map(|p| p.strip_suffix(": is required").map(String::from))
            .collect();
        if tool.name == "get_workflow_status" {
            assert!(required.is_empty());
        } else {
            assert_eq!(missing, required, "{}", tool.name);
        }
    }
}

/// What an agent sees without guessing (issue "agents first"): the ways out of an activity with
/// their conditions in the canonical text, a move that records the condition it took when the
/// agent names none, warnings in the text, trace tokens only when asked, and a listing that
/// says what a workflow needs.
#[test]
fn agents_see_transitions_warnings_and_what_a_workflow_needs() {
    let h = Harness::new();
    let (t, sid) = in_draft(&h);
    let activity = h.ok("get_activity", json!({"session_token": t}));
    assert!(
        activity.text.ends_with(
            "next (next_activity evaluates these; transition_condition is optional):\n\
             - publish when approved == true (false)\n\
             - polish (default)"
        ),
        "{}",
        activity.text
    );

    // No claim: the move records the condition of the way it took, and nothing is guessed.
    let moved = h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "publish", "variables": {"approved": true},
               "step_manifest": [{"step_id": "collect", "output": "a"},
                                 {"step_id": "write", "output": "b"},
                                 {"step_id": "review", "output": "c"}]}),
    );
    assert!(!moved.meta.contains_key("trace_token"), "not asked for");
    assert!(
        !codes(&moved).iter().any(|c| c.starts_with("condition")),
        "{:?}",
        codes(&moved)
    );
    assert_eq!(
        h.record(&sid).current.unwrap().condition,
        "approved == true"
    );
    // Every warning is also a line of the text.
    for (code, message) in codes(&moved).iter().zip(warnings(&moved)) {
        assert!(
            moved.text.contains(&format!("\nwarning {code}: {message}")),
            "{}",
            moved.text
        );
    }

    let listed = h.ok("list_workflows", json!({}));
    let release = listed.structured["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "release")
        .unwrap()
        .clone();
    assert_eq!(release["description"], "Draft, polish and publish notes.");
    assert_eq!(release["required_variables"], json!(["release_tag"]));
    assert!(listed.text.contains("Draft, polish and publish notes."));
}

#[test]
fn the_workflow_resource_is_a_summary_unless_full_is_asked() {
    use workflow_core::engine::mcp_resources::read_resource;
    let h = Harness::new();
    let catalog = h.engine.catalog();
    let summary = read_resource(&catalog, "workflow-server://workflows/release").unwrap();
    let full = read_resource(&catalog, "workflow-server://workflows/release/full").unwrap();
    assert_eq!(
        summary["definition"]["activities"][0],
        json!({"id": "draft", "name": "Draft Notes", "required": true, "artifactPrefix": "01"})
    );
    assert!(full["definition"]["activities"][0]["steps"].is_array());
    assert!(summary.to_string().len() * 2 < full.to_string().len());
    assert!(read_resource(&catalog, "workflow-server://workflows/nope/full").is_none());
}

/// What `tools/list` costs a model (names, descriptions, input schemas) stays within 6,000
/// bytes: every agent pays it before its first call. Bytes are deterministic.
#[test]
fn tools_list_fits_the_model_budget() {
    let h = Harness::new();
    let bytes: usize = h
        .engine
        .tools()
        .iter()
        .map(|t| t.name.len() + t.description.len() + t.input_schema.to_string().len())
        .sum();
    assert!(bytes <= 6_000, "tools/list costs {bytes} bytes");
}
