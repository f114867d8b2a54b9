//! Session tokens as the tools use them (docs/protocol.md#tokens): verification with coded errors,
//! and issuing a token whose progress fields come from the record, never from the presented token.

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

/// A token for `record` as it stands after the call (docs/protocol.md#session-token-format). `aid`
/// and `skill` are the only values carried from the presented token.
pub(crate) fn issue(
    keys: &KeyRing,
    record: &SessionRecord,
    aid: &str,
    skill: &str,
    now_ms: u64,
) -> String {
    let current = record.current.as_ref();
    token::sign(
        keys,
        &TokenPayload {
            wf: record.workflow_id.clone(),
            act: current.map(|c| c.activity_id.clone()).unwrap_or_default(),
            skill: skill.to_owned(),
            cond: current.map(|c| c.condition.clone()).unwrap_or_default(),
            v: record.workflow_version.clone(),
            seq: record.revision,
            ts: now_ms / 1000,
            sid: record.sid.clone(),
            aid: aid.to_owned(),
            bcp: record
                .active_checkpoint
                .as_ref()
                .map(|c| c.checkpoint_id.clone()),
            psid: record.parent_sid.clone(),
        },
    )
}
