//! Signed tokens (docs/protocol.md#tokens, docs/protocol.md#trace-tokens): `<payload>.<signature>`,
//! where the payload is base64url JSON and the signature the hex HMAC-SHA256 of the payload text
//! under the key ring's current key.
//!
//! Tokens are signed, not encrypted. Verification checks the signature before it decodes
//! anything, so the payload of a token no key verifies is never read.

mod fields;
mod session;
mod trace_token;

pub use fields::FieldError;
pub use session::{TokenError, TokenPayload, sign, verify};
pub use trace_token::{TraceTokenError, TraceTokenPayload, sign_trace, verify_trace};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::keyring::{KeyMatch, KeyRing};

/// A payload whose signature a key of the ring verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified<P> {
    pub payload: P,
    /// A retired key verified it: the call is accepted but warns `token_retired_key`, and the
    /// tokens it issues are signed with the current key.
    pub retired_key: bool,
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

/// How opening a token failed, before each flavour words it.
enum OpenError {
    Malformed,
    Signature,
    /// Not base64url, not UTF-8 or not JSON.
    Decode(String),
    NotObject,
}

/// Steps 1–4 shared by both flavours, in the protocol's order: split at the last `.`, verify the
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

fn describe_base64(error: base64::DecodeError) -> String {
    use base64::DecodeError as E;
    match error {
        E::InvalidByte(offset, b'=') => {
            format!("not base64url: padding '=' at offset {offset}; tokens are unpadded")
        }
        E::InvalidByte(offset, byte) => {
            format!("not base64url: byte 0x{byte:02x} at offset {offset}")
        }
        E::InvalidLength(len) => format!("not base64url: {len} symbols cannot encode whole bytes"),
        E::InvalidLastSymbol(offset, _) => {
            format!("not base64url: non-canonical last symbol at offset {offset}")
        }
        E::InvalidPadding => "not base64url: padding is not allowed".to_owned(),
    }
}
