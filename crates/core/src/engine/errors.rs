//! The error catalogue (docs/protocol.md#error-catalogue): stable codes beside every error message.

codes! {
    /// Stable error codes, sent as `_meta.error_code`.
    pub enum ErrorCode {
        InvalidArgument = "invalid_argument",
        InvalidId = "invalid_id",
        TokenMalformed = "token_malformed",
        TokenSignature = "token_signature",
        TokenPayload = "token_payload",
        UnknownSession = "unknown_session",
        SessionCompleted = "session_completed",
        CheckpointActive = "checkpoint_active",
        CheckpointNotActive = "checkpoint_not_active",
        CheckpointAnswered = "checkpoint_answered",
        HandleOutOfDate = "handle_out_of_date",
        WorkflowNotFound = "workflow_not_found",
        WorkflowBroken = "workflow_broken",
        WorkflowMismatch = "workflow_mismatch",
        DispatchDepth = "dispatch_depth",
        TemplateMissing = "template_missing",
        StatusArguments = "status_arguments",
        NotAChild = "not_a_child",
        ActivityNotFound = "activity_not_found",
        ActivityUnavailable = "activity_unavailable",
        NoCurrentActivity = "no_current_activity",
        CheckpointNotFound = "checkpoint_not_found",
        ResponseMode = "response_mode",
        ResponseTooFast = "response_too_fast",
        InvalidOption = "invalid_option",
        AutoAdvanceUnavailable = "auto_advance_unavailable",
        AutoAdvanceBlocking = "auto_advance_blocking",
        AutoAdvanceTooEarly = "auto_advance_too_early",
        NotConditional = "not_conditional",
        NoPrimarySkill = "no_primary_skill",
        StepNotFound = "step_not_found",
        StepHasNoSkill = "step_has_no_skill",
        SkillNotFound = "skill_not_found",
        SkillUnavailable = "skill_unavailable",
        ResourceNotFound = "resource_not_found",
        ResourceAmbiguous = "resource_ambiguous",
        ResourceUnavailable = "resource_unavailable",
        SessionFull = "session_full",
        StoreUnavailable = "store_unavailable",
        Conflict = "conflict",
    }
}

/// A call that did not produce a result.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CallError {
    /// A tool error (`isError: true`): the caller can fix it. `meta` holds `error_code`.
    #[error("{message}")]
    Tool { code: ErrorCode, message: String },
    /// No tool of that name: a JSON-RPC error (-32602).
    #[error("Unknown tool: {0}")]
    UnknownTool(String),
}

impl CallError {
    pub fn tool(code: ErrorCode, message: impl Into<String>) -> CallError {
        CallError::Tool {
            code,
            message: message.into(),
        }
    }

    /// The stable code of a tool error; `None` for protocol errors.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            CallError::Tool { code, .. } => Some(*code),
            CallError::UnknownTool(_) => None,
        }
    }
}

impl From<crate::session::StoreError> for CallError {
    fn from(error: crate::session::StoreError) -> CallError {
        use crate::session::StoreError;
        match error {
            StoreError::Conflict => CallError::tool(
                ErrorCode::Conflict,
                "The session changed while this call was running; retry the call.",
            ),
            StoreError::Unavailable(reason) => CallError::tool(
                ErrorCode::StoreUnavailable,
                format!("The session store is unavailable ({reason}); retry later."),
            ),
        }
    }
}
