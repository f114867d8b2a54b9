//! Session tokens as the tools use them (docs/protocol.md#tokens): verification with coded errors,
//! the agent a token names, and issuing a token for a record.

use super::errors::{CallError, ErrorCode};
use crate::keyring::KeyRing;
use crate::session::SessionRecord;
use crate::token::{self, TokenError, TokenPayload, Verified};

pub(crate) fn error_code(error: &TokenError) -> ErrorCode {
    match error {
        TokenError::Malformed { .. } => ErrorCode::TokenMalformed,
        TokenError::Signature { .. } => ErrorCode::TokenSignature,
        TokenError::Payload { .. } => ErrorCode::TokenPayload,
    }
}

/// Verifies the token-valued argument `param` (docs/protocol.md#token-verification steps 1–3).
pub(crate) fn verify(
    keys: &KeyRing,
    token: &str,
    param: &str,
) -> Result<Verified<TokenPayload>, CallError> {
    token::verify(keys, token, param).map_err(|e| CallError::tool(error_code(&e), e.to_string()))
}

/// The agent a verified token names: its index into the record's `agents`. The index was signed
/// with the record's list as it stood, and the list only grows, so a miss means the record is
/// not the one the token was issued for.
pub(crate) fn agent(record: &SessionRecord, token: &TokenPayload) -> Result<String, CallError> {
    let index = usize::try_from(token.agent).unwrap_or(usize::MAX);
    record.agents.get(index).cloned().ok_or_else(|| {
        CallError::tool(
            ErrorCode::TokenPayload,
            format!(
                "Invalid session token: it names agent {} of session '{}', which has {} agents. \
                 Call start_session to obtain a fresh token.",
                token.agent,
                record.sid,
                record.agents.len()
            ),
        )
    })
}

/// A token for `record` as it stands after the call (docs/protocol.md#session-token-format):
/// the session, its parent, the agent `aid` and the revision.
///
/// # Panics
/// When `aid` is not in the record's `agents`: every path that names an agent records it first.
pub(crate) fn issue(keys: &KeyRing, record: &SessionRecord, aid: &str) -> String {
    let agent = record
        .agents
        .iter()
        .position(|a| a == aid)
        .expect("the agent of a call is one of its session's agents");
    token::sign(
        keys,
        &TokenPayload {
            sid: record.sid.clone(),
            psid: record.parent_sid.clone(),
            agent: u32::try_from(agent).unwrap_or(u32::MAX),
            seq: record.revision,
        },
    )
}
