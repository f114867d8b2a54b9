//! Properties of the engine over random input: tampered tokens are never accepted (nor
//! re-signed), and no sequence of calls, with any token ever issued, gets past an active
//! checkpoint or changes state when refused.

mod engine_support;

use engine_support::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use workflow_core::engine::{CallError, ErrorCode};
use workflow_core::keyring::KeyRing;
use workflow_core::token;

#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize),
    Truncate(usize),
    Swap(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let c = prop_oneof![
        proptest::char::range('0', '9'),
        proptest::char::range('a', 'z'),
        proptest::char::range('A', 'Z'),
        Just('.'),
        Just('-'),
        Just('_'),
        Just('='),
        any::<char>(),
    ];
    prop_oneof![
        (any::<usize>(), c.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<usize>(), c).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Swap(i, j)),
    ]
}

fn apply(token: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    for m in mutations {
        let n = chars.len().max(1);
        match *m {
            Mutation::Replace(i, c) if !chars.is_empty() => chars[i % n] = c,
            Mutation::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Mutation::Delete(i) if !chars.is_empty() => {
                chars.remove(i % n);
            }
            Mutation::Truncate(i) => chars.truncate(i % n),
            Mutation::Swap(i, j) if !chars.is_empty() => chars.swap(i % n, j % n),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_tokens_are_refused_or_verify_to_the_same_payload(
        mutations in proptest::collection::vec(mutation(), 1..4)
    ) {
        thread_local! {
            static FIXTURE: (Harness, String, String) = {
                let h = Harness::new();
                let (t, sid) = h.start("release", "orch");
                let t = token(&h.ok("next_activity", json!({"session_token": t, "activity_id": "draft"})));
                (h, t, sid)
            };
        }
        FIXTURE.with(|(h, original, sid)| {
            let mutated = apply(original, &mutations);
            let ring = KeyRing::new(key(1));
            let genuine = token::verify(&ring, original, "session_token").unwrap().payload;
            match h.call("get_activity", json!({"session_token": mutated})) {
                Ok(_) => {
                    let payload = token::verify(&ring, &mutated, "session_token").unwrap().payload;
                    prop_assert_eq!(payload, genuine);
                }
                Err(CallError::Tool { code, .. }) => prop_assert!(matches!(
                    code,
                    ErrorCode::TokenMalformed
                        | ErrorCode::TokenSignature
                        | ErrorCode::TokenPayload
                        | ErrorCode::InvalidArgument
                        | ErrorCode::UnknownSession
                ), "unexpected {:?}", code),
                Err(e) => prop_assert!(false, "protocol error {:?}", e),
            }
            // start_session never inherits (or re-signs) a token no key verifies.
            if token::verify(&ring, &mutated, "session_token").is_err() && !mutated.is_empty() {
                let out = h.call("start_session", json!({"workflow_id": "release", "agent_id": "x", "session_token": mutated}));
                if let Ok(out) = out {
                    prop_assert_eq!(&out.structured["recovered"], &Value::Bool(true));
                    prop_assert_ne!(out.structured["session_id"].as_str(), Some(sid.as_str()));
                }
            }
            Ok(())
        })?;
    }
}

/// One step of a random session.
#[derive(Clone, Debug)]
enum Step {
    /// A tool call with the token at this index (modulo the tokens issued so far).
    Call(usize, &'static str),
    Yield(usize, &'static str),
    Respond(usize, &'static str),
    Wait(u64),
}

const GATED: [&str; 11] = [
    "get_workflow",
    "get_activity",
    "get_skills",
    "get_skill",
    "get_resource",
    "get_trace",
    "complete_workflow",
    "dispatch_workflow",
    "next_activity",
    "yield_checkpoint",
    "resume_checkpoint",
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (any::<usize>(), proptest::sample::select(GATED.to_vec())).prop_map(|(i, t)| Step::Call(i, t)),
        2 => (any::<usize>(), proptest::sample::select(vec!["draft-review", "advisory", "big"])).prop_map(|(i, c)| Step::Yield(i, c)),
        2 => (any::<usize>(), proptest::sample::select(vec!["approve", "hold", "auto", "dismiss"])).prop_map(|(i, o)| Step::Respond(i, o)),
        1 => (0u64..6_000).prop_map(Step::Wait),
    ]
}

fn args_for(tool: &str, token: &str) -> Value {
    match tool {
        "dispatch_workflow" => json!({"workflow_id": "meta", "parent_session_token": token}),
        "next_activity" => json!({"session_token": token, "activity_id": "draft"}),
        "get_resource" => json!({"session_token": token, "resource_index": "01"}),
        _ => json!({"session_token": token}),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_calls_passes_an_active_checkpoint(steps in proptest::collection::vec(step(), 1..30)) {
        let h = Harness::new();
        let (t, sid) = h.start("release", "orch");
        let mut tokens = vec![t.clone()];
        tokens.push(token(&h.ok("next_activity", json!({"session_token": t, "activity_id": "draft"}))));
        for s in steps {
            let before = h.record(&sid);
            let blocked = before.active_checkpoint.is_some();
            let pick = |i: usize| tokens[i % tokens.len()].clone();
            let (tool, result) = match s {
                Step::Wait(ms) => { h.env.advance(ms); continue; }
                Step::Call(i, tool) => (tool, h.call(tool, args_for(tool, &pick(i)))),
                Step::Yield(i, cp) => ("yield_checkpoint", h.call("yield_checkpoint", json!({"session_token": pick(i), "checkpoint_id": cp}))),
                Step::Respond(i, how) => {
                    let args = match how {
                        "auto" => json!({"checkpoint_handle": pick(i), "auto_advance": true}),
                        "dismiss" => json!({"checkpoint_handle": pick(i), "condition_not_met": true}),
                        o => json!({"checkpoint_handle": pick(i), "option_id": o}),
                    };
                    ("respond_checkpoint", h.call("respond_checkpoint", args))
                }
            };
            let after = h.record(&sid);
            match &result {
                Ok(out) => {
                    prop_assert!(!(blocked && GATED.contains(&tool)), "{} passed an active checkpoint", tool);
                    // Dispatch's session_token is the child's: keep only this session's tokens.
                    let own = if tool == "dispatch_workflow" { "parent_session_token" } else { "session_token" };
                    if let Some(t) = out.meta.get(own).and_then(Value::as_str) {
                        tokens.push(t.to_owned());
                    }
                }
                Err(_) => prop_assert_eq!(state_of(&after), state_of(&before), "{} refused but changed state", tool),
            }
            if after.completed_at.is_some() { break; }
        }
    }
}
