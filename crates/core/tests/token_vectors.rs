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

fn design_payload() -> TokenPayload {
    TokenPayload {
        sid: SID.into(),
        psid: None,
        agent: 0,
        seq: 3,
    }
}

fn review_payload() -> TokenPayload {
    TokenPayload {
        sid: SID.into(),
        psid: Some("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".into()),
        agent: 2,
        seq: 300,
    }
}

/// Format byte 1, the session id's 16 bytes, agent 0, seq 3.
const DESIGN_BYTES: &str = "013f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b0003";
/// Computed with Python's hmac/base64 modules from DESIGN_BYTES and key bytes 0..=31.
const DESIGN_TOKEN: &str = "AT8rjB6aTU5vi3ocLT5PWmsAAw.wvWwTL6WZis7Qr3xcVOXxA";

/// Agent 2, seq 300 (two LEB128 bytes `ac 02`), then the parent's 16 bytes.
const REVIEW_BYTES: &str =
    "013f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b02ac020a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d";
const REVIEW_TOKEN: &str =
    "AT8rjB6aTU5vi3ocLT5PWmsCrAIKGyw9Tl9Ka4x9ng8aKzxN.LfebtxUGJ3grPXY2BSAdcA";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The token computed without the crate under test: base64 and hmac used directly.
fn independent_token(key: &[u8], payload: &[u8]) -> String {
    let payload = URL_SAFE_NO_PAD.encode(payload);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(payload.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(&tag[..16]))
}

const MALFORMED_TAIL: &str = "the token is malformed (missing signature segment). A token is \
    `<payload>.<signature>`; this value was truncated, corrupted, or is not a token. Call \
    start_session to obtain a fresh token and use the returned token in later calls.";
const SIGNATURE_TAIL: &str = "HMAC signature verification failed. The token was not issued by \
    this server's keys (another deployment, a key removed from the key ring, an earlier token \
    format) or it was modified. Call start_session to obtain a fresh token. If this is a \
    checkpoint_handle, use the latest handle returned by yield_checkpoint.";

fn payload_message(detail: &str) -> String {
    format!(
        "Invalid session token: failed to decode payload ({detail}). The signature is valid but \
         the payload could not be parsed. Call start_session to obtain a fresh token."
    )
}

fn verify_err(ring: &KeyRing, token: &str) -> TokenError {
    token::verify(ring, token, "session_token").unwrap_err()
}

/// Signs arbitrary payload bytes the way the server signs a session token, so tests can present
/// payloads the server would never mint.
fn forge_bytes(ring: &KeyRing, payload: &[u8]) -> String {
    forge_text(ring, &URL_SAFE_NO_PAD.encode(payload))
}

fn forge_text(ring: &KeyRing, payload_text: &str) -> String {
    let tag = ring.sign_short(payload_text.as_bytes());
    format!("{payload_text}.{}", URL_SAFE_NO_PAD.encode(tag))
}

#[test]
fn known_answer_without_parent() {
    let ring = ring();
    assert_eq!(
        independent_token(&secret(0), &hex(DESIGN_BYTES)),
        DESIGN_TOKEN
    );
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
fn known_answer_with_parent_and_multibyte_sequence() {
    let ring = ring();
    assert_eq!(
        independent_token(&secret(0), &hex(REVIEW_BYTES)),
        REVIEW_TOKEN
    );
    assert_eq!(token::sign(&ring, &review_payload()), REVIEW_TOKEN);
    let verified = token::verify(&ring, REVIEW_TOKEN, "checkpoint_handle").unwrap();
    assert_eq!(verified.payload, review_payload());
}

#[test]
fn tokens_fit_the_length_bound() {
    // docs/protocol.md#session-token-format: at most 120 characters, whatever the values.
    let widest = TokenPayload {
        sid: SID.into(),
        psid: Some(SID.into()),
        agent: u32::MAX,
        seq: u64::MAX,
    };
    let token = token::sign(&ring(), &widest);
    assert!(token.len() <= 120, "{} characters: {token}", token.len());
    assert_eq!(
        token::verify(&ring(), &token, "session_token")
            .unwrap()
            .payload,
        widest
    );
    let (payload, signature) = token.rsplit_once('.').unwrap();
    assert_eq!(signature.len(), 22);
    assert!(!payload.contains(['=', '+', '/']));
}

#[test]
fn malformed_names_the_parameter() {
    let ring = ring();
    for token in ["", "no-dot-here", "AT8rjB6aTU5vi3ocLT5PWmsAAw"] {
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
    let full_tag = {
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret(0)).unwrap();
        mac.update(payload.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    };
    let cases = [
        format!("{payload}."),
        format!("{payload}.{}", &signature[..21]),
        format!("{payload}.{signature}A"),
        format!("{payload}.{}=", &signature[..21]),
        format!("{payload}.{}", "A".repeat(22)),
        format!("{payload}. {}", &signature[1..]),
        format!("{payload}.{}", "é".repeat(11)),
        // The full 32-byte MAC is not the token's 16-byte one.
        format!("{payload}.{full_tag}"),
        token::sign(&other_key, &design_payload()),
        format!("{payload}x.{signature}"),
        // A token of the earlier JSON format, signed with the same key.
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"sid":"x"}"#),
            ring.sign(URL_SAFE_NO_PAD.encode(r#"{"sid":"x"}"#).as_bytes())
        ),
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
    let err = verify_err(&ring(), &format!("%%%not-base64%%%.{}", "A".repeat(22)));
    assert_eq!(err.code(), "token_signature");
}

#[test]
fn splits_at_the_last_dot() {
    // "a.b" is signed as a whole, so the signature verifies and the '.' then fails base64.
    let err = verify_err(&ring(), &forge_text(&ring(), "AT8r.AT8r"));
    assert_eq!(
        err.to_string(),
        payload_message("not base64url: byte 0x2e at offset 4")
    );
}

#[test]
fn payload_errors_have_exact_messages() {
    let ring = ring();
    let sid = &hex(DESIGN_BYTES)[1..17];
    let with = |parts: &[&[u8]]| parts.concat();
    let byte_cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "empty payload"),
        (with(&[&[2], sid, &[0, 3]]), "unknown token format 2"),
        (b"{\"wf\":\"x\"}".to_vec(), "unknown token format 123"),
        (with(&[&[1], &sid[..15]]), "the session id is cut short"),
        (
            with(&[&[1], sid]),
            "the agent index is cut short or too large",
        ),
        (
            with(&[&[1], sid, &[0x80, 0x80, 0x80, 0x80, 0x10], &[3]]),
            "the agent index is cut short or too large",
        ),
        (
            with(&[&[1], sid, &[0]]),
            "the sequence number is cut short or too large",
        ),
        (
            with(&[&[1], sid, &[0], &[0xff; 10], &[1]]),
            "the sequence number is cut short or too large",
        ),
        (
            with(&[&[1], sid, &[0, 3], &sid[..5]]),
            "5 bytes after the sequence number; expected 0 or 16",
        ),
    ];
    for (bytes, detail) in byte_cases {
        let err = verify_err(&ring, &forge_bytes(&ring, &bytes));
        assert_eq!(err.code(), "token_payload", "{bytes:?}");
        assert_eq!(err.to_string(), payload_message(detail), "{bytes:?}");
    }
    let padded = format!("{}=", URL_SAFE_NO_PAD.encode([1, 2, 3, 4]));
    let standard_alphabet = STANDARD.encode([0xfb, 0xff]); // "+/8="
    let text_cases: Vec<(String, &str)> = vec![
        (padded, "not base64url: padding is not allowed"),
        (
            standard_alphabet.trim_end_matches('=').to_owned(),
            "not base64url: byte 0x2b at offset 0",
        ),
        (
            "AT8rZ".into(),
            "not base64url: 5 symbols cannot encode whole bytes",
        ),
        (
            "AR".into(),
            "not base64url: non-canonical last symbol at offset 1",
        ),
    ];
    for (payload_text, detail) in text_cases {
        let err = verify_err(&ring, &forge_text(&ring, &payload_text));
        assert_eq!(err.code(), "token_payload", "{payload_text}");
        assert_eq!(err.to_string(), payload_message(detail), "{payload_text}");
    }
}

#[test]
fn largest_values_round_trip() {
    let ring = ring();
    let payload = TokenPayload {
        agent: u32::MAX,
        seq: u64::MAX,
        ..review_payload()
    };
    let token = token::sign(&ring, &payload);
    assert_eq!(
        token::verify(&ring, &token, "session_token")
            .unwrap()
            .payload,
        payload
    );
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
    assert_eq!(fresh, independent_token(&secret(2), &hex(DESIGN_BYTES)));
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
fn imported_key_takes_its_place_among_the_retired_keys() {
    // The original server's key file is 32 raw bytes; the host imports it as a retired key, so
    // whatever it signed keeps verifying.
    let original = secret(0x40);
    let signed = token::sign(
        &KeyRing::new(Key::new("original", original, 0)),
        &design_payload(),
    );
    let mut ring = ring();
    ring.rotate(Key::new("k1", secret(1), 0), 100).unwrap();
    ring.add_retired(Key::new("original", original, 0), 50)
        .unwrap();
    ring.add_retired(Key::new("newest", secret(9), 0), 500)
        .unwrap();
    let ids: Vec<&str> = ring.retired().iter().map(|r| r.key.id()).collect();
    assert_eq!(ids, ["newest", "k0", "original"]);
    let verified = token::verify(&ring, &signed, "session_token").unwrap();
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

/// Signs arbitrary payload text the way trace tokens are signed (full hex MAC).
fn forge(ring: &KeyRing, payload_text: &str) -> String {
    format!("{payload_text}.{}", ring.sign(payload_text.as_bytes()))
}

fn forge_json(ring: &KeyRing, json: &str) -> String {
    forge(ring, &URL_SAFE_NO_PAD.encode(json))
}

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
    // Their MACs differ in length (16 bytes in base64url, 32 in hex), so neither verifies as
    // the other even under the same key.
    let err = token::verify_trace(&ring, DESIGN_TOKEN).unwrap_err();
    assert_eq!(err, TraceTokenError::Signature, "{err}");
    let err = verify_err(&ring, TRACE_TOKEN);
    assert_eq!(err.code(), "token_signature");
}
