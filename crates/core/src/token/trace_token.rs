//! Trace tokens (docs/protocol.md#trace-tokens): one closed trace segment, signed so `get_trace`
//! can trust the events an agent hands back.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::{self, FieldError, Fields};
use super::{Verified, describe_base64};
use crate::keyring::{KeyMatch, KeyRing};

/// The payload of a trace token, in wire order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceTokenPayload {
    pub sid: String,
    /// The segment's activity.
    pub act: String,
    /// First event index of the segment (absolute, docs/protocol.md#trace-events).
    pub from: u64,
    /// Event index one past the segment's end.
    pub to: u64,
    /// Number of events included.
    pub n: u64,
    /// `ts` of the first included event.
    pub t0: u64,
    /// `ts` of the last included event.
    pub t1: u64,
    /// Mint time, Unix seconds.
    pub ts: u64,
    pub events: Vec<Value>,
    /// How many of the segment's earliest events were left out to keep the token bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<u64>,
}

/// Why a trace token was refused; `Display` is the message listed in `token_errors`, one step
/// of docs/protocol.md#trace-tokens per variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TraceTokenError {
    #[error("Invalid trace token: the token is malformed (missing signature segment).")]
    Malformed,
    #[error(
        "Invalid trace token: HMAC signature verification failed. Omit the trace_tokens \
         parameter to read the trace from the session record."
    )]
    Signature,
    #[error("Invalid trace token: failed to decode payload ({0}).")]
    Payload(String),
    #[error("Invalid trace token: payload is not an object")]
    NotObject,
    #[error("Invalid trace token: malformed payload fields: {}", fields::list(.0))]
    Fields(Vec<FieldError>),
    /// The scope check of docs/protocol.md#get_trace: the token is valid but reports on an
    /// unrelated session.
    #[error(
        "trace token belongs to session '{sid}', which is not this session or one of its \
         descendants"
    )]
    OutOfScope { sid: String },
}

impl TraceTokenPayload {
    /// Step 6 of docs/protocol.md#trace-tokens: `in_scope` tells whether a session id is the
    /// calling session or one of its descendants; only the host's session store knows that.
    pub fn check_scope(&self, in_scope: impl FnOnce(&str) -> bool) -> Result<(), TraceTokenError> {
        if in_scope(&self.sid) {
            Ok(())
        } else {
            Err(TraceTokenError::OutOfScope {
                sid: self.sid.clone(),
            })
        }
    }
}

/// Mints a trace token signed with the ring's current key.
pub fn sign_trace(ring: &KeyRing, payload: &TraceTokenPayload) -> String {
    seal(ring, payload)
}

/// Steps 1–5 of docs/protocol.md#trace-tokens; step 6 is [`TraceTokenPayload::check_scope`].
pub fn verify_trace(
    ring: &KeyRing,
    token: &str,
) -> Result<Verified<TraceTokenPayload>, TraceTokenError> {
    let (map, retired_key) = open(ring, token).map_err(|e| match e {
        OpenError::Malformed => TraceTokenError::Malformed,
        OpenError::Signature => TraceTokenError::Signature,
        OpenError::Decode(detail) => TraceTokenError::Payload(detail),
        OpenError::NotObject => TraceTokenError::NotObject,
    })?;
    let mut f = Fields::new(map);
    let payload = TraceTokenPayload {
        sid: f.string("sid"),
        act: f.string("act"),
        from: f.uint("from"),
        to: f.uint("to"),
        n: f.uint("n"),
        t0: f.uint("t0"),
        t1: f.uint("t1"),
        ts: f.uint("ts"),
        events: f.array("events"),
        omitted: f.opt_uint("omitted"),
    };
    f.finish().map_err(TraceTokenError::Fields)?;
    Ok(Verified {
        payload,
        retired_key,
    })
}

fn seal<P: Serialize>(ring: &KeyRing, payload: &P) -> String {
    // The payloads are structs of strings, integers and JSON values written to a Vec: nothing
    // in them can make serialisation fail.
    let json = serde_json::to_vec(payload).expect("token payloads always serialise");
    let mut token = URL_SAFE_NO_PAD.encode(json);
    let signature = ring.sign(token.as_bytes());
    token.push('.');
    token.push_str(&signature);
    token
}

/// How opening a trace token failed, before [`verify_trace`] words it.
enum OpenError {
    Malformed,
    Signature,
    /// Not base64url, not UTF-8 or not JSON.
    Decode(String),
    NotObject,
}

/// Steps 1–4, in the protocol's order: split at the last `.`, verify the
/// signature, then decode base64url, UTF-8 and JSON.
fn open(ring: &KeyRing, token: &str) -> Result<(Map<String, Value>, bool), OpenError> {
    let (payload, signature) = token.rsplit_once('.').ok_or(OpenError::Malformed)?;
    let matched = ring
        .verify(payload.as_bytes(), signature)
        .ok_or(OpenError::Signature)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| OpenError::Decode(describe_base64(e)))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| OpenError::Decode(format!("not UTF-8 after byte {}", e.valid_up_to())))?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| OpenError::Decode(format!("not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok((map, matched == KeyMatch::Retired)),
        _ => Err(OpenError::NotObject),
    }
}
