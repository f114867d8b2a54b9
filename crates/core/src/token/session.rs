//! Session tokens and checkpoint handles (docs/protocol.md#session-token-format,
//! docs/protocol.md#token-verification, docs/protocol.md#checkpoint-handle).

use serde::Serialize;

use super::fields::{self, Fields};
use super::{OpenError, Verified, open, seal};
use crate::keyring::KeyRing;

/// The payload of a session token. Field order is the wire order
/// (docs/protocol.md#session-token-format): tokens minted by the original server have the same
/// bytes for the same values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenPayload {
    pub wf: String,
    pub act: String,
    pub skill: String,
    pub cond: String,
    pub v: String,
    pub seq: u64,
    /// Issue time, Unix seconds.
    pub ts: u64,
    pub sid: String,
    pub aid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bcp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psid: Option<String>,
}

/// Why a token-valued argument was refused (docs/protocol.md#token-verification). Each error
/// carries the argument's name because the message names it; `Display` is the message the agent
/// sees.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error(
        "Invalid {}: the token is malformed (missing signature segment). A token is \
         `<payload>.<signature>`; this value was truncated, corrupted, or is not a token. Call \
         start_session to obtain a fresh token and use the returned token in later calls.",
        subject(.param)
    )]
    Malformed { param: String },
    #[error(
        "Invalid {}: HMAC signature verification failed. The token was not issued by this \
         server's keys (another deployment, a key removed from the key ring) or it was \
         modified. Call start_session to obtain a fresh token. If this is a checkpoint_handle, \
         use the latest handle returned by yield_checkpoint.",
        subject(.param)
    )]
    Signature { param: String },
    #[error(
        "Invalid {}: failed to decode payload ({detail}). The signature is valid but the \
         payload could not be parsed. Call start_session to obtain a fresh token.",
        subject(.param)
    )]
    Payload { param: String, detail: String },
}

impl TokenError {
    /// The stable `_meta.error_code` (docs/protocol.md#error-catalogue).
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Malformed { .. } => "token_malformed",
            TokenError::Signature { .. } => "token_signature",
            TokenError::Payload { .. } => "token_payload",
        }
    }
}

/// `session_token` reads as "session token" in messages; other arguments keep their names.
fn subject(param: &str) -> &str {
    if param == "session_token" {
        "session token"
    } else {
        param
    }
}

/// Mints a session token signed with the ring's current key.
pub fn sign(ring: &KeyRing, payload: &TokenPayload) -> String {
    seal(ring, payload)
}

/// Verifies a session token presented as argument `param` (e.g. `session_token`,
/// `checkpoint_handle`), following the order of docs/protocol.md#token-verification exactly.
pub fn verify(
    ring: &KeyRing,
    token: &str,
    param: &str,
) -> Result<Verified<TokenPayload>, TokenError> {
    let param = || param.to_owned();
    let payload_error = |detail| TokenError::Payload {
        param: param(),
        detail,
    };
    let (map, retired_key) = open(ring, token).map_err(|e| match e {
        OpenError::Malformed => TokenError::Malformed { param: param() },
        OpenError::Signature => TokenError::Signature { param: param() },
        OpenError::Decode(detail) => payload_error(detail),
        OpenError::NotObject => payload_error("not a JSON object".to_owned()),
    })?;
    let mut f = Fields::new(map);
    let payload = TokenPayload {
        wf: f.string("wf"),
        act: f.string("act"),
        skill: f.string("skill"),
        cond: f.string("cond"),
        v: f.string("v"),
        seq: f.uint("seq"),
        ts: f.uint("ts"),
        sid: f.string("sid"),
        aid: f.string("aid"),
        bcp: f.opt_string("bcp"),
        psid: f.opt_string("psid"),
    };
    f.finish().map_err(|bad| {
        payload_error(format!("malformed payload fields: {}", fields::list(&bad)))
    })?;
    Ok(Verified {
        payload,
        retired_key,
    })
}
