//! Signed tokens (docs/protocol.md#tokens, docs/protocol.md#trace-tokens): `<payload>.<signature>`,
//! both signed with the key ring's current key over the payload text. A session token's payload
//! is a few bytes of base64url with a truncated MAC, since agents carry it in every call; a trace
//! token's is base64url JSON with the full hex HMAC-SHA256, since it holds a segment of events.
//!
//! Tokens are signed, not encrypted. Verification checks the signature before it decodes
//! anything, so the payload of a token no key verifies is never read.

mod fields;
mod session;
mod trace_token;

pub use fields::FieldError;
pub use session::{TokenError, TokenPayload, sign, verify};
pub use trace_token::{TraceTokenError, TraceTokenPayload, sign_trace, verify_trace};

/// A payload whose signature a key of the ring verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified<P> {
    pub payload: P,
    /// A retired key verified it: the call is accepted but warns `token_retired_key`, and the
    /// tokens it issues are signed with the current key.
    pub retired_key: bool,
}

/// The base64url failure, worded for `token_payload` messages.
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
