//! The walkthrough of docs/dispatch.md#a-full-run-step-by-step, end to end through `Engine::call`:
//! a meta session dispatches a child, the child runs two activities with a checkpoint, the parent
//! polls, the checkpoint is answered once, and the parent sees the completed child and its
//! variables; the child dispatches a grandchild one level down.

mod engine_support;

use engine_support::*;
use serde_json::json;
use workflow_core::engine::ErrorCode;

#[test]
fn hierarchical_dispatch_with_a_checkpoint() {
    let h = Harness::new();
    let discover = h.ok("discover", json!({}));
    assert!(discover.text.contains("# Bootstrap"));
    h.ok("list_workflows", json!({}));

    // 1. The meta session.
    let (m0, s_meta) = h.start("meta", "meta");
    h.ok("get_workflow", json!({"session_token": m0}));
    let m = token(&h.ok(
        "next_activity",
        json!({"session_token": m0, "activity_id": "orchestrate"}),
    ));

    // 2. Dispatch the child with a variable.
    let dispatch = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "release", "parent_session_token": m,
               "variables": {"release_tag": "v2.3.0"}}),
    );
    assert_eq!(codes(&dispatch), Vec::<String>::new());
    let c0 = dispatch.structured["client_session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let s_c = dispatch.structured["client_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let m = dispatch.meta["session_token"].as_str().unwrap().to_owned();
    let prompt = dispatch.structured["client_prompt"].as_str().unwrap();
    assert!(prompt.contains(&c0) && prompt.contains(&s_c) && prompt.contains(&s_meta));
    assert!(prompt.contains("release_tag: v2.3.0"));
    assert!(
        !prompt.contains("id: client-prompt-template"),
        "front matter removed"
    );
    let child = h.record(&s_c);
    assert_eq!(child.parent_sid.as_deref(), Some(s_meta.as_str()));
    assert_eq!(child.variables["release_tag"], "v2.3.0");
    assert_eq!(child.depth, 1);
    assert_eq!(h.record(&s_meta).children, vec![s_c.clone()]);

    // 3. The sub-agent inherits the child session and moves to `draft`.
    let start = h.ok(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "orch-1", "session_token": c0}),
    );
    assert_eq!(start.structured["inherited"], true);
    assert_eq!(start.structured["session_id"], s_c.as_str());
    assert!(codes(&start).contains(&"agent_changed".to_owned()));
    let c = token(&start);
    h.ok("get_workflow", json!({"session_token": c}));
    let c = token(&h.ok(
        "next_activity",
        json!({"session_token": c, "activity_id": "draft"}),
    ));
    let pre_yield = c.clone();
    h.ok("get_activity", json!({"session_token": c}));
    let yielded = h.ok(
        "yield_checkpoint",
        json!({"session_token": c, "checkpoint_id": "draft-review"}),
    );
    let handle = yielded.structured["checkpoint_handle"]
        .as_str()
        .unwrap()
        .to_owned();

    // Blocked: every gated tool refuses, with the handle and with the pre-yield token.
    for t in [&handle, &pre_yield] {
        assert_eq!(
            h.err("get_activity", json!({"session_token": t})).0,
            ErrorCode::CheckpointActive
        );
        assert_eq!(
            h.err(
                "next_activity",
                json!({"session_token": t, "activity_id": "publish"})
            )
            .0,
            ErrorCode::CheckpointActive
        );
        assert_eq!(
            h.err("resume_checkpoint", json!({"session_token": t})).0,
            ErrorCode::CheckpointActive
        );
    }

    // 4. The parent polls by id.
    let status = h.ok(
        "get_workflow_status",
        json!({"client_session_id": s_c, "parent_session_token": m}),
    );
    assert_eq!(status.structured["status"], "blocked");
    assert_eq!(status.structured["active_checkpoint"]["id"], "draft-review");

    // 5. Present, then respond after the minimum response time.
    let presented = h.ok("present_checkpoint", json!({"checkpoint_handle": handle}));
    assert_eq!(presented.structured["id"], "draft-review");
    assert_eq!(
        h.err(
            "respond_checkpoint",
            json!({"checkpoint_handle": handle, "option_id": "approve"})
        )
        .0,
        ErrorCode::ResponseTooFast
    );
    h.env.advance(3_000);
    let responded = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "approve"}),
    );
    assert_eq!(
        responded.structured["changed_variables"],
        json!({"approved": true}),
        "only what the answer changed"
    );
    let c_prime = responded.structured["checkpoint_handle"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, message) = h.err(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": "hold"}),
    );
    assert_eq!(code, ErrorCode::CheckpointAnswered);
    assert!(message.contains("already been answered"));

    // 6. The worker resumes with its own handle; the orchestrator moves on and completes.
    let resumed = h.ok("resume_checkpoint", json!({"session_token": handle}));
    assert_eq!(resumed.structured["resolved_option"], "approve");
    assert_eq!(
        resumed.structured["changed_variables"],
        json!({"approved": true})
    );
    let next = h.ok(
        "next_activity",
        json!({"session_token": c_prime, "activity_id": "publish",
               "transition_condition": "approved == true", "include_trace_token": true,
               "step_manifest": [
                   {"step_id": "collect", "output": "12 PRs"},
                   {"step_id": "write", "output": "drafted"},
                   {"step_id": "review", "output": "approved"}]}),
    );
    assert_eq!(codes(&next), Vec::<String>::new(), "{:?}", warnings(&next));
    assert!(next.meta.contains_key("trace_token"));

    // The child dispatches a grandchild with its own token as parent token.
    let grand = h.ok(
        "dispatch_workflow",
        json!({"workflow_id": "meta", "parent_session_token": token(&next)}),
    );
    let s_g = grand.structured["client_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(h.record(&s_g).depth, 2);
    assert_eq!(h.record(&s_g).parent_sid.as_deref(), Some(s_c.as_str()));
    let c = grand.meta["session_token"].as_str().unwrap().to_owned();
    let g = grand.structured["client_session_token"].as_str().unwrap();
    let g = token(&h.ok(
        "next_activity",
        json!({"session_token": g, "activity_id": "orchestrate"}),
    ));
    h.ok(
        "complete_workflow",
        json!({"session_token": g, "outcome": "nothing to do",
               "step_manifest": [{"step_id": "pick", "output": "x"}, {"step_id": "dispatch", "output": "y"}]}),
    );

    let done = h.ok(
        "complete_workflow",
        json!({"session_token": c, "outcome": "published", "include_trace_token": true,
               "step_manifest": [{"step_id": "attach", "output": "attached"}]}),
    );
    assert_eq!(codes(&done), Vec::<String>::new(), "{:?}", warnings(&done));
    assert!(done.meta.contains_key("trace_token"));

    // 7. The parent sees the completed child and its final variables.
    let status = h.ok(
        "get_workflow_status",
        json!({"client_session_id": s_c, "parent_session_token": m}),
    );
    let s = &status.structured;
    assert_eq!(s["status"], "completed");
    assert_eq!(s["completed_activities"], json!(["draft", "publish"]));
    assert_eq!(s["last_checkpoint"]["id"], "draft-review");
    assert_eq!(s["last_checkpoint"]["option"], "approve");
    assert_eq!(s["variables"]["approved"], true);
    assert_eq!(s["variables"]["release_tag"], "v2.3.0");
    assert_eq!(s["outcome"], "published");
    assert_eq!(s["children"][0]["status"], "completed");

    // The parent's trace holds the dispatch and the child's completion.
    let trace = h.ok("get_trace", json!({"session_token": m}));
    let names: Vec<&str> = trace.structured["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "start_session",
            "get_workflow",
            "next_activity",
            "dispatch_workflow",
            "complete_workflow"
        ]
    );
    // Closed sessions keep their trace and status readable but their tools closed.
    let (code, message) = h.err("get_activity", json!({"session_token": c}));
    assert_eq!(code, ErrorCode::SessionCompleted);
    assert!(message.starts_with("Session completed"));
    h.ok("get_trace", json!({"session_token": c}));
    h.ok("get_workflow_status", json!({"client_session_token": c}));
}
