//! Known-answer vectors, every verification error with its exact message, and key-ring rotation
//! and file format (docs/protocol.md#tokens, docs/protocol.md#trace-tokens).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;
use workflow_core::keyring::{Key, KeyMatch, KeyRing, KeyRingError};
use workflow_core::token::{
    self, FieldError, TokenError, TokenPayload, TraceTokenError, TraceTokenPayload, Verified,
};

const SID: &str = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

fn secret(seed: u8) -> [u8; 32] {
    std::array::from_fn(|i| seed.wrapping_add(i as u8))
}

fn ring() -> KeyRing {
    KeyRing::new(Key::new("k0", secret(0), 1_764_000_000_000))
}

/// Signs arbitrary payload text, so tests can present payloads the server would never mint.
fn forge(ring: &KeyRing, payload_text: &str) -> String {
    format!("{payload_text}.{}", ring.sign(payload_text.as_bytes()))
}

fn forge_json(ring: &KeyRing, json: &str) -> String {
    forge(ring, &URL_SAFE_NO_PAD.encode(json))
}

/// The token computed without the crate under test: base64 and hmac used directly.
fn independent_token(key: &[u8], json: &str) -> String {
    let payload = URL_SAFE_NO_PAD.encode(json);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(payload.as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("{payload}.{hex}")
}

fn design_payload() -> TokenPayload {
    TokenPayload {
        wf: "work-package".into(),
        act: "design".into(),
        skill: "work-package/review-code".into(),
        cond: "needs_review == true".into(),
        v: "1.2.0".into(),
        seq: 3,
        ts: 1_764_000_000,
        sid: SID.into(),
        aid: "agent-1".into(),
        bcp: None,
        psid: None,
    }
}

fn review_payload() -> TokenPayload {
    TokenPayload {
        wf: "work-package".into(),
        act: "review".into(),
        skill: String::new(),
        cond: "note == \"café ☕\"".into(),
        v: "1.2.0".into(),
        seq: 12,
        ts: 1_764_000_123,
        sid: SID.into(),
        aid: "worker-2".into(),
        bcp: Some("approve-plan".into()),
        psid: Some("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".into()),
    }
}

const DESIGN_JSON: &str = r#"{"wf":"work-package","act":"design","skill":"work-package/review-code","cond":"needs_review == true","v":"1.2.0","seq":3,"ts":1764000000,"sid":"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b","aid":"agent-1"}"#;
/// Computed with Python's hmac/base64 modules from DESIGN_JSON and key bytes 0..=31.
const DESIGN_TOKEN: &str = "eyJ3ZiI6IndvcmstcGFja2FnZSIsImFjdCI6ImRlc2lnbiIsInNraWxsIjoid29yay1wYWNrYWdlL3Jldmlldy1jb2RlIiwiY29uZCI6Im5lZWRzX3JldmlldyA9PSB0cnVlIiwidiI6IjEuMi4wIiwic2VxIjozLCJ0cyI6MTc2NDAwMDAwMCwic2lkIjoiM2YyYjhjMWUtOWE0ZC00ZTZmLThiN2EtMWMyZDNlNGY1YTZiIiwiYWlkIjoiYWdlbnQtMSJ9.5c4bec31ef7cb0de290fae39427f91ecbe97cb01113aa86f0a65581640378a9f";

const REVIEW_JSON: &str = r#"{"wf":"work-package","act":"review","skill":"","cond":"note == \"café ☕\"","v":"1.2.0","seq":12,"ts":1764000123,"sid":"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b","aid":"worker-2","bcp":"approve-plan","psid":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}"#;
const REVIEW_TOKEN: &str = "eyJ3ZiI6IndvcmstcGFja2FnZSIsImFjdCI6InJldmlldyIsInNraWxsIjoiIiwiY29uZCI6Im5vdGUgPT0gXCJjYWbDqSDimJVcIiIsInYiOiIxLjIuMCIsInNlcSI6MTIsInRzIjoxNzY0MDAwMTIzLCJzaWQiOiIzZjJiOGMxZS05YTRkLTRlNmYtOGI3YS0xYzJkM2U0ZjVhNmIiLCJhaWQiOiJ3b3JrZXItMiIsImJjcCI6ImFwcHJvdmUtcGxhbiIsInBzaWQiOiIwYTFiMmMzZC00ZTVmLTRhNmItOGM3ZC05ZTBmMWEyYjNjNGQifQ.b03ca90ed1546e352f79445fe5c7521efed40e632f195863693f298ca2679f57";

const MALFORMED_TAIL: &str = "the token is malformed (missing signature segment). A token is \
    `<payload>.<signature>`; this value was truncated, corrupted, or is not a token. Call \
    start_session to obtain a fresh token and use the returned token in later calls.";
const SIGNATURE_TAIL: &str = "HMAC signature verification failed. The token was not issued by \
    this server's keys (another deployment, a key removed from the key ring) or it was modified. \
    Call start_session to obtain a fresh token. If this is a checkpoint_handle, use the latest \
    handle returned by yield_checkpoint.";

fn payload_message(detail: &str) -> String {
    format!(
        "Invalid session token: failed to decode payload ({detail}). The signature is valid but \
         the payload could not be parsed. Call start_session to obtain a fresh token."
    )
}

fn verify_err(ring: &KeyRing, token: &str) -> TokenError {
    token::verify(ring, token, "session_token").unwrap_err()
}

#[test]
fn known_answer_without_optional_keys() {
    let ring = ring();
    assert_eq!(independent_token(&secret(0), DESIGN_JSON), DESIGN_TOKEN);
    assert_eq!(token::sign(&ring, &design_payload()), DESIGN_TOKEN);
    assert_eq!(
        token::verify(&ring, DESIGN_TOKEN, "session_token").unwrap(),
        Verified {
            payload: design_payload(),
            retired_key: false
        }
    );
}

#[test]
fn known_answer_with_optional_keys_and_non_ascii() {
    let ring = ring();
    assert_eq!(independent_token(&secret(0), REVIEW_JSON), REVIEW_TOKEN);
    assert_eq!(token::sign(&ring, &review_payload()), REVIEW_TOKEN);
    let verified = token::verify(&ring, REVIEW_TOKEN, "checkpoint_handle").unwrap();
    assert_eq!(verified.payload, review_payload());
}

#[test]
fn signature_is_lowercase_hex_over_the_payload_text() {
    let token = token::sign(&ring(), &review_payload());
    let (payload, signature) = token.rsplit_once('.').unwrap();
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    );
    assert!(!payload.contains(['=', '+', '/']));
}

#[test]
fn uppercase_signature_verifies() {
    let (payload, signature) = DESIGN_TOKEN.rsplit_once('.').unwrap();
    let upper = format!("{payload}.{}", signature.to_ascii_uppercase());
    let verified = token::verify(&ring(), &upper, "session_token").unwrap();
    assert_eq!(verified.payload, design_payload());
}

#[test]
fn malformed_names_the_parameter() {
    let ring = ring();
    for token in ["", "no-dot-here", "eyJ3ZiI6IndvcmsifQ"] {
        let err = verify_err(&ring, token);
        assert_eq!(
            err,
            TokenError::Malformed {
                param: "session_token".into()
            }
        );
        assert_eq!(err.code(), "token_malformed");
        assert_eq!(
            err.to_string(),
            format!("Invalid session token: {MALFORMED_TAIL}")
        );
    }
    let err = token::verify(&ring, "abc", "checkpoint_handle").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Invalid checkpoint_handle: {MALFORMED_TAIL}")
    );
    let err = token::verify(&ring, "abc", "parent_session_token").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Invalid parent_session_token: {MALFORMED_TAIL}")
    );
}

#[test]
fn bad_signatures_all_fail_alike() {
    let ring = ring();
    let (payload, signature) = DESIGN_TOKEN.rsplit_once('.').unwrap();
    let other_key = KeyRing::new(Key::new("other", secret(7), 0));
    let cases = [
        format!("{payload}."),
        format!("{payload}.{}", &signature[..63]),
        format!("{payload}.{signature}0"),
        format!("{payload}.{}g", &signature[..63]),
        format!("{payload}.{}", "0".repeat(64)),
        format!("{payload}. {}", &signature[1..]),
        format!("{payload}.{}", "é".repeat(32)),
        token::sign(&other_key, &design_payload()),
        format!("{payload}x.{signature}"),
    ];
    for token in cases {
        let err = verify_err(&ring, &token);
        assert_eq!(err.code(), "token_signature", "{token}");
        assert_eq!(
            err.to_string(),
            format!("Invalid session token: {SIGNATURE_TAIL}")
        );
    }
    let err = token::verify(&ring, "x.y", "checkpoint_handle").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Invalid checkpoint_handle: {SIGNATURE_TAIL}")
    );
}

#[test]
fn signature_is_checked_before_the_payload_is_decoded() {
    // An undecodable payload with a wrong signature is a signature error: unverified payloads
    // are never read.
    let err = verify_err(&ring(), &format!("%%%not-base64%%%.{}", "a".repeat(64)));
    assert_eq!(err.code(), "token_signature");
}

#[test]
fn splits_at_the_last_dot() {
    // "a.b" is signed as a whole, so the signature verifies and the '.' then fails base64.
    let err = verify_err(&ring(), &forge(&ring(), "eyJ9.eyJ9"));
    assert_eq!(
        err.to_string(),
        payload_message("not base64url: byte 0x2e at offset 4")
    );
}

#[test]
fn payload_errors_have_exact_messages() {
    let ring = ring();
    let padded = format!("{}=", URL_SAFE_NO_PAD.encode(r#"{"a":1}"#));
    let standard_alphabet = STANDARD.encode([0xfb, 0xff]); // "+/8="
    let cases: Vec<(String, String)> = vec![
        (padded, "not base64url: padding is not allowed".into()),
        (
            standard_alphabet.trim_end_matches('=').to_owned(),
            "not base64url: byte 0x2b at offset 0".into(),
        ),
        (
            "eyJ3".to_owned() + "Z",
            "not base64url: 5 symbols cannot encode whole bytes".into(),
        ),
        (
            "eR".into(),
            "not base64url: non-canonical last symbol at offset 1".into(),
        ),
        (
            URL_SAFE_NO_PAD.encode([b'{', 0xff, b'}']),
            "not UTF-8 after byte 1".into(),
        ),
        (
            URL_SAFE_NO_PAD.encode("hello"),
            "not JSON: expected value at line 1 column 1".into(),
        ),
        (
            URL_SAFE_NO_PAD.encode(""),
            "not JSON: EOF while parsing a value at line 1 column 0".into(),
        ),
        (URL_SAFE_NO_PAD.encode("[1,2]"), "not a JSON object".into()),
        (URL_SAFE_NO_PAD.encode("\"wf\""), "not a JSON object".into()),
    ];
    for (payload_text, detail) in cases {
        let err = verify_err(&ring, &forge(&ring, &payload_text));
        assert_eq!(err.code(), "token_payload", "{payload_text}");
        assert_eq!(err.to_string(), payload_message(&detail), "{payload_text}");
    }
}

#[test]
fn payload_field_errors_list_every_bad_field() {
    let ring = ring();
    let json = r#"{"wf":1,"act":"a","skill":"","cond":"","seq":-1,"ts":1.5,"sid":"s","aid":null,"bcp":null,"psid":7}"#;
    let err = verify_err(&ring, &forge_json(&ring, json));
    assert_eq!(
        err,
        TokenError::Payload {
            param: "session_token".into(),
            detail: "malformed payload fields: wf (expected string), v (expected string), \
                     seq (expected non-negative integer), ts (expected non-negative integer), \
                     aid (expected string), bcp (expected string), psid (expected string)"
                .into()
        }
    );
    assert_eq!(err.code(), "token_payload");
}

#[test]
fn integers_beyond_u64_and_floats_are_rejected() {
    let ring = ring();
    for seq in ["18446744073709551616", "3.0", "3e0", "\"3\"", "true"] {
        let json = DESIGN_JSON.replace("\"seq\":3", &format!("\"seq\":{seq}"));
        let err = verify_err(&ring, &forge_json(&ring, &json));
        assert_eq!(
            err.to_string(),
            payload_message("malformed payload fields: seq (expected non-negative integer)"),
            "{seq}"
        );
    }
    let json = DESIGN_JSON.replace("\"seq\":3", "\"seq\":18446744073709551615");
    let verified = token::verify(&ring, &forge_json(&ring, &json), "session_token").unwrap();
    assert_eq!(verified.payload.seq, u64::MAX);
}

#[test]
fn unknown_keys_are_ignored_and_key_order_is_free() {
    let ring = ring();
    let json = r#"{"aid":"agent-1","extra":{"x":[1]},"sid":"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b","ts":1764000000,"seq":3,"v":"1.2.0","cond":"needs_review == true","skill":"work-package/review-code","act":"design","wf":"work-package"}"#;
    let verified = token::verify(&ring, &forge_json(&ring, json), "session_token").unwrap();
    assert_eq!(verified.payload, design_payload());
}

#[test]
fn rotation_keeps_old_tokens_and_flags_them() {
    let mut ring = ring();
    let old = token::sign(&ring, &design_payload());
    ring.rotate(Key::new("k1", secret(1), 2_000), 2_000)
        .unwrap();
    ring.rotate(Key::new("k2", secret(2), 3_000), 3_000)
        .unwrap();
    let ids: Vec<&str> = ring.retired().iter().map(|r| r.key.id()).collect();
    assert_eq!(ids, ["k1", "k0"]);
    assert_eq!(ring.current().id(), "k2");

    let verified = token::verify(&ring, &old, "session_token").unwrap();
    assert_eq!(verified.payload, design_payload());
    assert!(verified.retired_key);

    let fresh = token::sign(&ring, &design_payload());
    assert_ne!(fresh, old);
    assert_eq!(fresh, independent_token(&secret(2), DESIGN_JSON));
    assert!(
        !token::verify(&ring, &fresh, "session_token")
            .unwrap()
            .retired_key
    );

    let removed = ring.remove_retired("k0").unwrap();
    assert_eq!(removed.retired_at, 2_000);
    assert_eq!(verify_err(&ring, &old).code(), "token_signature");
    assert!(ring.remove_retired("k0").is_none());
}

#[test]
fn key_ring_verify_reports_which_key() {
    let mut ring = ring();
    let message = b"payload";
    let first = ring.sign(message);
    assert_eq!(ring.verify(message, &first), Some(KeyMatch::Current));
    ring.rotate(Key::new("k1", secret(1), 0), 10).unwrap();
    assert_eq!(ring.verify(message, &first), Some(KeyMatch::Retired));
    assert_eq!(ring.verify(b"other", &first), None);
}

#[test]
fn key_ids_stay_unique() {
    let mut ring = ring();
    assert_eq!(
        ring.rotate(Key::new("k0", secret(1), 0), 1),
        Err(KeyRingError::DuplicateId("k0".into()))
    );
    ring.rotate(Key::new("k1", secret(1), 0), 1).unwrap();
    assert_eq!(
        ring.add_retired(Key::new("k1", secret(2), 0), 5),
        Err(KeyRingError::DuplicateId("k1".into()))
    );
    assert_eq!(ring.current().id(), "k1");
}

#[test]
fn imported_original_key_verifies_its_tokens() {
    // The original server's key file is 32 raw bytes; the host imports it as a retired key.
    let original = secret(0x40);
    let token = independent_token(&original, DESIGN_JSON);
    let mut ring = ring();
    ring.rotate(Key::new("k1", secret(1), 0), 100).unwrap();
    ring.add_retired(Key::new("original", original, 0), 50)
        .unwrap();
    ring.add_retired(Key::new("newest", secret(9), 0), 500)
        .unwrap();
    let ids: Vec<&str> = ring.retired().iter().map(|r| r.key.id()).collect();
    assert_eq!(ids, ["newest", "k0", "original"]);
    let verified = token::verify(&ring, &token, "session_token").unwrap();
    assert!(verified.retired_key);
    assert_eq!(verified.payload, design_payload());
}

#[test]
fn debug_output_hides_secrets() {
    let mut ring = KeyRing::new(Key::new("k0", [0xab; 32], 1));
    ring.rotate(Key::new("k1", [0xcd; 32], 2), 3).unwrap();
    let debug = format!("{ring:?} {:?}", ring.current());
    assert!(debug.contains("k0") && debug.contains("k1"));
    assert!(debug.contains("<redacted>"));
    for needle in ["171", "205", "ab", "AB", "cd", "CD", "q6ur", "zc3N"] {
        assert!(!debug.contains(needle), "{needle} in {debug}");
    }
}

#[test]
fn key_ring_file_round_trips() {
    let text = json!({
        "version": 1,
        "current": {"id": "k2", "key": STANDARD.encode(secret(2)), "created_at": 3000},
        "retired": [
            {"id": "k0", "key": STANDARD.encode(secret(0)), "created_at": 1000, "retired_at": 2000},
            {"id": "k1", "key": STANDARD.encode(secret(1)), "created_at": 2000, "retired_at": 3000}
        ]
    });
    let ring: KeyRing = serde_json::from_value(text).unwrap();
    // Retired keys come out newest first whatever the file's order.
    let ids: Vec<&str> = ring.retired().iter().map(|r| r.key.id()).collect();
    assert_eq!(ids, ["k1", "k0"]);
    assert_eq!(ring.current().created_at(), 3000);
    let verified = token::verify(&ring, DESIGN_TOKEN, "session_token").unwrap();
    assert!(verified.retired_key);

    let written = serde_json::to_value(&ring).unwrap();
    assert_eq!(
        written,
        json!({
            "version": 1,
            "current": {"id": "k2", "key": STANDARD.encode(secret(2)), "created_at": 3000},
            "retired": [
                {"id": "k1", "key": STANDARD.encode(secret(1)), "created_at": 2000, "retired_at": 3000},
                {"id": "k0", "key": STANDARD.encode(secret(0)), "created_at": 1000, "retired_at": 2000}
            ]
        })
    );
    let again: KeyRing = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), written);
}

#[test]
fn key_ring_file_without_retired_keys() {
    let text = format!(
        r#"{{"version":1,"current":{{"id":"k0","key":"{}","created_at":5}}}}"#,
        STANDARD.encode(secret(0))
    );
    let ring: KeyRing = serde_json::from_str(&text).unwrap();
    assert!(ring.retired().is_empty());
    assert_eq!(token::sign(&ring, &design_payload()), DESIGN_TOKEN);
}

#[test]
fn key_ring_file_errors() {
    let key = STANDARD.encode(secret(0));
    let current = |key: &str| json!({"id": "k0", "key": key, "created_at": 1});
    let cases = [
        (
            json!({"version": 2, "current": current(&key)}),
            "unsupported key-ring file version 2; this server reads version 1",
        ),
        (
            json!({"version": 1, "current": current("not base64!")}),
            "key 'k0' is not valid base64",
        ),
        (
            json!({"version": 1, "current": current(&STANDARD.encode([1u8; 31]))}),
            "key 'k0' has 31 bytes; keys are 32 bytes",
        ),
        (
            json!({"version": 1, "current": current(&key), "retired": [
                {"id": "k0", "key": key, "created_at": 0, "retired_at": 1}
            ]}),
            "key id 'k0' is used twice in the key ring",
        ),
    ];
    for (file, message) in cases {
        let err = serde_json::from_value::<KeyRing>(file).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    assert!(serde_json::from_value::<KeyRing>(json!({"version": 1})).is_err());
}

// --- trace tokens (docs/protocol.md#trace-tokens) ---

const TRACE_TOKEN: &str = "eyJzaWQiOiIzZjJiOGMxZS05YTRkLTRlNmYtOGI3YS0xYzJkM2U0ZjVhNmIiLCJhY3QiOiJkZXNpZ24iLCJmcm9tIjowLCJ0byI6MiwibiI6MiwidDAiOjE3NjQwMDAwMDAsInQxIjoxNzY0MDAwMDYwLCJ0cyI6MTc2NDAwMDA2MSwiZXZlbnRzIjpbeyJ0cmFjZUlkIjoiM2YyYjhjMWUtOWE0ZC00ZTZmLThiN2EtMWMyZDNlNGY1YTZiIiwibmFtZSI6InN0YXJ0X3Nlc3Npb24iLCJ0cyI6MTc2NDAwMDAwMCwicyI6Im9rIn0seyJ0cmFjZUlkIjoiM2YyYjhjMWUtOWE0ZC00ZTZmLThiN2EtMWMyZDNlNGY1YTZiIiwibmFtZSI6Im5leHRfYWN0aXZpdHkiLCJ0cyI6MTc2NDAwMDA2MCwicyI6Im9rIiwidG8iOiJyZXZpZXcifV19.2518a930aa965da8746fdbe02d738366a558b73dbb8b9b10f9dee274aaefcc82";

fn trace_payload() -> TraceTokenPayload {
    TraceTokenPayload {
        sid: SID.into(),
        act: "design".into(),
        from: 0,
        to: 2,
        n: 2,
        t0: 1_764_000_000,
        t1: 1_764_000_060,
        ts: 1_764_000_061,
        events: vec![
            json!({"traceId": SID, "name": "start_session", "ts": 1_764_000_000, "s": "ok"}),
            json!({"traceId": SID, "name": "next_activity", "ts": 1_764_000_060, "s": "ok", "to": "review"}),
        ],
        omitted: None,
    }
}

#[test]
fn trace_token_known_answer() {
    let ring = ring();
    assert_eq!(token::sign_trace(&ring, &trace_payload()), TRACE_TOKEN);
    let verified = token::verify_trace(&ring, TRACE_TOKEN).unwrap();
    assert_eq!(verified.payload, trace_payload());
    assert!(!verified.retired_key);
}

#[test]
fn trace_token_with_omitted_round_trips_and_flags_retired_key() {
    let mut ring = ring();
    let mut payload = trace_payload();
    payload.omitted = Some(4_000);
    let token = token::sign_trace(&ring, &payload);
    let (text, _) = token.rsplit_once('.').unwrap();
    let json = String::from_utf8(URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap();
    assert!(
        json.ends_with(r#""to":"review"}],"omitted":4000}"#),
        "{json}"
    );
    ring.rotate(Key::new("k1", secret(1), 0), 1).unwrap();
    let verified = token::verify_trace(&ring, &token).unwrap();
    assert_eq!(verified.payload, payload);
    assert!(verified.retired_key);
}

#[test]
fn trace_token_errors_follow_the_six_steps() {
    let ring = ring();
    let message = |token: &str| token::verify_trace(&ring, token).unwrap_err().to_string();
    assert_eq!(
        message("nodot"),
        "Invalid trace token: the token is malformed (missing signature segment)."
    );
    assert_eq!(
        message(&token::sign_trace(
            &KeyRing::new(Key::new("x", secret(3), 0)),
            &trace_payload()
        )),
        "Invalid trace token: HMAC signature verification failed. Omit the trace_tokens \
         parameter to read the trace from the session record."
    );
    assert_eq!(
        message(&forge(&ring, "a=")),
        "Invalid trace token: failed to decode payload (not base64url: padding '=' at offset 1; tokens are unpadded)."
    );
    assert_eq!(
        message(&forge_json(&ring, "{")),
        "Invalid trace token: failed to decode payload (not JSON: EOF while parsing an object \
         at line 1 column 1)."
    );
    assert_eq!(
        message(&forge_json(&ring, "[]")),
        "Invalid trace token: payload is not an object"
    );
    let bad =
        r#"{"sid":5,"act":"a","from":-1,"to":1,"n":"2","t0":0,"ts":0,"events":{},"omitted":1.5}"#;
    let err = token::verify_trace(&ring, &forge_json(&ring, bad)).unwrap_err();
    assert_eq!(
        err,
        TraceTokenError::Fields(vec![
            FieldError {
                field: "sid",
                expected: "string"
            },
            FieldError {
                field: "from",
                expected: "non-negative integer"
            },
            FieldError {
                field: "n",
                expected: "non-negative integer"
            },
            FieldError {
                field: "t1",
                expected: "non-negative integer"
            },
            FieldError {
                field: "events",
                expected: "array"
            },
            FieldError {
                field: "omitted",
                expected: "non-negative integer"
            },
        ])
    );
    assert_eq!(
        err.to_string(),
        "Invalid trace token: malformed payload fields: sid (expected string), from (expected \
         non-negative integer), n (expected non-negative integer), t1 (expected non-negative \
         integer), events (expected array), omitted (expected non-negative integer)"
    );

    let payload = token::verify_trace(&ring, TRACE_TOKEN).unwrap().payload;
    assert_eq!(payload.check_scope(|sid| sid == SID), Ok(()));
    assert_eq!(
        payload.check_scope(|_| false).unwrap_err().to_string(),
        format!(
            "trace token belongs to session '{SID}', which is not this session or one of its \
             descendants"
        )
    );
}

#[test]
fn session_and_trace_tokens_do_not_pass_for_each_other() {
    let ring = ring();
    let err = token::verify_trace(&ring, DESIGN_TOKEN).unwrap_err();
    assert!(matches!(err, TraceTokenError::Fields(_)), "{err}");
    let err = verify_err(&ring, TRACE_TOKEN);
    assert_eq!(err.code(), "token_payload");
}
