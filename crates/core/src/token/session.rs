//! Session tokens and checkpoint handles (docs/protocol.md#session-token-format,
//! docs/protocol.md#token-verification, docs/protocol.md#checkpoint-handle).
//!
//! A session token is a short signed handle: which session, which of its agents, at which
//! revision, and the parent for a dispatched session. Everything else (position, gates,
//! variables) is read from the record, so the token carries nothing that could disagree with it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{Verified, describe_base64};
use crate::ids::{session_id_bytes, session_id_text};
use crate::keyring::{KeyMatch, KeyRing, SHORT_TAG_LEN};

/// The first payload byte: the layout below. A token of another layout fails as
/// `token_payload`, naming the byte.
const FORMAT: u8 = 1;

/// The signed part of a session token (docs/protocol.md#session-token-format).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenPayload {
    /// The session id (a lowercase hyphenated UUID).
    pub sid: String,
    /// The parent's session id, for a dispatched session.
    pub psid: Option<String>,
    /// The agent, as its position in the record's `agents`.
    pub agent: u32,
    /// The record's `revision` when the token was issued.
    pub seq: u64,
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
         server's keys (another deployment, a key removed from the key ring, an earlier token \
         format) or it was modified. Call start_session to obtain a fresh token. If this is a \
         checkpoint_handle, use the latest handle returned by yield_checkpoint.",
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
///
/// # Panics
/// When `sid` or `psid` is not a session id; the engine makes every session id one
/// (docs/protocol.md#identifiers).
pub fn sign(ring: &KeyRing, payload: &TokenPayload) -> String {
    let uuid = |s: &str| session_id_bytes(s).expect("session ids are lowercase UUIDs");
    let mut bytes = Vec::with_capacity(48);
    bytes.push(FORMAT);
    bytes.extend_from_slice(&uuid(&payload.sid));
    push_varint(&mut bytes, u64::from(payload.agent));
    push_varint(&mut bytes, payload.seq);
    if let Some(psid) = &payload.psid {
        bytes.extend_from_slice(&uuid(psid));
    }
    let mut token = URL_SAFE_NO_PAD.encode(bytes);
    let tag = ring.sign_short(token.as_bytes());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(tag));
    token
}

/// Verifies a session token presented as argument `param` (e.g. `session_token`,
/// `checkpoint_handle`), following the order of docs/protocol.md#token-verification exactly:
/// nothing of the payload is decoded before a key verifies its signature.
pub fn verify(
    ring: &KeyRing,
    token: &str,
    param: &str,
) -> Result<Verified<TokenPayload>, TokenError> {
    let param = || param.to_owned();
    let (payload, signature) = token
        .rsplit_once('.')
        .ok_or_else(|| TokenError::Malformed { param: param() })?;
    let matched = decode_tag(signature)
        .and_then(|tag| ring.verify_short(payload.as_bytes(), &tag))
        .ok_or_else(|| TokenError::Signature { param: param() })?;
    let payload = decode(payload).map_err(|detail| TokenError::Payload {
        param: param(),
        detail,
    })?;
    Ok(Verified {
        payload,
        retired_key: matched == KeyMatch::Retired,
    })
}

/// A tag that is not 22 base64url characters fails like a wrong one, so callers cannot tell the
/// two apart.
fn decode_tag(signature: &str) -> Option<[u8; SHORT_TAG_LEN]> {
    let bytes = URL_SAFE_NO_PAD.decode(signature).ok()?;
    bytes.try_into().ok()
}

fn decode(text: &str) -> Result<TokenPayload, String> {
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(describe_base64)?;
    let mut rest = bytes.as_slice();
    match rest.split_first() {
        Some((&FORMAT, tail)) => rest = tail,
        Some((other, _)) => return Err(format!("unknown token format {other}")),
        None => return Err("empty payload".to_owned()),
    }
    let sid = take_uuid(&mut rest).ok_or("the session id is cut short")?;
    let agent = take_varint(&mut rest)
        .and_then(|a| u32::try_from(a).ok())
        .ok_or("the agent index is cut short or too large")?;
    let seq = take_varint(&mut rest).ok_or("the sequence number is cut short or too large")?;
    let psid = match rest.len() {
        0 => None,
        16 => take_uuid(&mut rest),
        n => {
            return Err(format!(
                "{n} bytes after the sequence number; expected 0 or 16"
            ));
        }
    };
    Ok(TokenPayload {
        sid,
        psid,
        agent,
        seq,
    })
}

fn take_uuid(rest: &mut &[u8]) -> Option<String> {
    let (head, tail) = rest.split_first_chunk::<16>()?;
    *rest = tail;
    Some(session_id_text(head))
}

/// LEB128: seven bits per byte, low bits first, the high bit set on all but the last byte.
fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The inverse of [`push_varint`]; `None` when the bytes end inside it or it exceeds 64 bits.
fn take_varint(rest: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, byte) in rest.iter().enumerate() {
        let bits = u64::from(byte & 0x7f);
        let shift = 7 * i as u32;
        if shift >= 64 || (shift == 63 && bits > 1) {
            return None;
        }
        value |= bits << shift;
        if byte & 0x80 == 0 {
            *rest = &rest[i + 1..];
            return Some(value);
        }
    }
    None
}
