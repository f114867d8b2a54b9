//! Bounds (docs/protocol.md#limits, docs/protocol.md#session-history): a session's record stays
//! the same size however long it runs, what grows goes to the append-only history and trace,
//! earlier answers are still found there, long traces come in pages, and a call that would take
//! a session past a bound is refused with a clear error.

mod engine_support;

use engine_support::*;
use serde_json::{Value, json};
use workflow_core::engine::ErrorCode;
use workflow_core::session::HistoryItem;

fn record_bytes(h: &Harness, sid: &str) -> usize {
    serde_json::to_vec(&h.record(sid)).unwrap().len()
}

#[test]
fn a_record_stays_the_same_size_at_visit_10_and_visit_300() {
    let h = Harness::new();
    let (mut t, sid) = h.start("release", "orch");
    let mut at_10 = 0;
    for visit in 1..=300 {
        let target = if visit % 2 == 1 { "draft" } else { "polish" };
        let manifest = json!([{"step_id": "collect", "output": "x".repeat(2_000)}]);
        let out = h.ok(
            "next_activity",
            json!({"session_token": t, "activity_id": target, "step_manifest": manifest}),
        );
        t = token(&out);
        if visit == 10 {
            at_10 = record_bytes(&h, &sid);
        }
    }
    let at_300 = record_bytes(&h, &sid);
    // Only counters gain digits (revision, version, trace and history indices).
    assert!(
        at_300 <= at_10 + 16,
        "the record grew from {at_10} to {at_300} bytes"
    );
    let visits = h.visits(&sid);
    assert_eq!(visits.len(), 299, "each closed visit is a history entry");
    assert_eq!(
        visits[298].step_manifest.as_ref().unwrap()[0].output.len(),
        2_000
    );
    assert_eq!(h.record(&sid).completed_activities, vec!["draft", "polish"]);
}

/// Yields `draft-review`, waits past the minimum response time and answers `option`; returns
/// (the yield's handle, the answer's token).
fn ask(h: &Harness, t: &str, option: &str) -> (String, String) {
    let handle = h
        .ok(
            "yield_checkpoint",
            json!({"session_token": t, "checkpoint_id": "draft-review"}),
        )
        .structured["checkpoint_handle"]
        .as_str()
        .unwrap()
        .to_owned();
    h.env.advance(4_000);
    let answered = h.ok(
        "respond_checkpoint",
        json!({"checkpoint_handle": handle, "option_id": option}),
    );
    (handle, token(&answered))
}

#[test]
fn an_earlier_answer_is_found_in_the_history() {
    let h = Harness::new();
    let (t, sid) = h.start("release", "orch");
    let t = token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    ));
    let (first_handle, t) = ask(&h, &t, "hold");
    let t = token(&h.ok("resume_checkpoint", json!({"session_token": t})));
    let (_, t) = ask(&h, &t, "approve");
    let record = h.record(&sid);
    assert_eq!(
        record.last_answer.as_ref().unwrap().option_id.as_deref(),
        Some("approve")
    );
    assert!(
        matches!(&h.history(&sid)[..], [HistoryItem::Answer(a)] if a.option_id.as_deref() == Some("hold")),
        "the replaced answer is the only history entry"
    );

    // The first yield's handle belongs to the answer now in the history.
    let (code, message) = h.err(
        "present_checkpoint",
        json!({"checkpoint_handle": first_handle}),
    );
    assert_eq!(code, ErrorCode::CheckpointAnswered);
    assert!(message.contains("(option 'hold' at "), "{message}");

    // A worker resuming late with its yield's token gets the answer its yield got, and the
    // latest answer's own resumption is not taken by it.
    let late = h.ok("resume_checkpoint", json!({"session_token": first_handle}));
    assert_eq!(late.structured["resolved_option"], "hold");
    assert!(h.record(&sid).last_answer.unwrap().resumed_at.is_none());
    let now = h.ok("resume_checkpoint", json!({"session_token": t}));
    assert_eq!(now.structured["resolved_option"], "approve");
    assert!(h.record(&sid).last_answer.unwrap().resumed_at.is_some());
}

#[test]
fn a_long_trace_is_read_in_pages() {
    let h = Harness::new();
    let (t, sid) = h.start("release", "orch");
    let t = token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    ));
    for _ in 0..600 {
        h.ok("get_activity", json!({"session_token": t}));
    }
    let total = h.record(&sid).trace.next_index;
    assert_eq!(total, 602);
    let first = h.ok("get_trace", json!({"session_token": t}));
    let s = &first.structured;
    assert_eq!(s["event_count"], 500);
    assert_eq!(s["next_from"], 500);
    assert_eq!(
        s["segments"],
        json!([
            {"act": "", "from": 0, "to": 2, "closed_by": "next_activity"},
            {"act": "draft", "from": 2, "to": 500, "closed_by": null}
        ])
    );
    let second = h.ok("get_trace", json!({"session_token": t, "from": 500}));
    let s = &second.structured;
    assert_eq!(s["event_count"], 102);
    assert_eq!(s["next_from"], Value::Null);
    assert_eq!(
        s["segments"],
        json!([{"act": "draft", "from": 500, "to": 602, "closed_by": null}])
    );
    let past_the_end = h.ok("get_trace", json!({"session_token": t, "from": 10_000}));
    assert_eq!(past_the_end.structured["event_count"], 0);
    let (code, message) = h.err("get_trace", json!({"session_token": t, "from": -1}));
    assert_eq!(code, ErrorCode::InvalidArgument);
    assert!(
        message.contains("from: expected a non-negative integer"),
        "{message}"
    );
}

#[test]
fn a_call_that_would_take_a_session_past_a_bound_is_refused_and_changes_nothing() {
    let h = Harness::new();
    let (mut t, sid) = h.start("release", "orch");
    // Variables: one call may set 256 KiB; a session keeps 1 MiB.
    let mut refused = None;
    for i in 0..5 {
        let variables = json!({format!("v{i}"): "x".repeat(250_000)});
        match h.call(
            "next_activity",
            json!({"session_token": t, "activity_id": "draft", "variables": variables}),
        ) {
            Ok(out) => t = token(&out),
            Err(e) => {
                refused = Some((i, e));
                break;
            }
        }
    }
    let (i, error) = refused.expect("the fifth quarter-megabyte is refused");
    assert_eq!(i, 4);
    assert_eq!(error.code(), Some(ErrorCode::SessionFull));
    assert!(
        error
            .to_string()
            .contains("bytes of variables as JSON, more than the 1048576"),
        "{error}"
    );
    let variables = h.record(&sid).variables;
    assert!(
        variables.contains_key("v3") && !variables.contains_key("v4"),
        "nothing of the refused call is kept"
    );

    // Agents: a session records at most 64.
    for n in 1..64 {
        h.ok(
            "start_session",
            json!({"workflow_id": "release", "agent_id": format!("agent-{n}"), "session_token": t}),
        );
    }
    let (code, message) = h.err(
        "start_session",
        json!({"workflow_id": "release", "agent_id": "one-too-many", "session_token": t}),
    );
    assert_eq!(code, ErrorCode::SessionFull);
    assert!(
        message.contains("already records 64 agent ids"),
        "{message}"
    );
    assert_eq!(h.record(&sid).agents.len(), 64);
}

#[test]
fn a_step_manifest_is_bounded_per_output_and_in_all() {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let one_long = json!([{"step_id": "collect", "output": "x".repeat(4_097)}]);
    let (code, message) = h.err(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft", "step_manifest": one_long}),
    );
    assert_eq!(code, ErrorCode::InvalidArgument);
    assert!(
        message.contains("step_manifest[0].output: longer than 4096 bytes"),
        "{message}"
    );
    let many: Vec<Value> = (0..20)
        .map(|i| json!({"step_id": format!("s{i}"), "output": "x".repeat(4_000)}))
        .collect();
    let (code, message) = h.err(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft", "step_manifest": many}),
    );
    assert_eq!(code, ErrorCode::InvalidArgument);
    assert!(
        message
            .contains("step_manifest: holds 80050 bytes of step ids and outputs, more than 65536"),
        "{message}"
    );
}
