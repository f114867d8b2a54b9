//! The error catalogue (protocol.md §10): stable codes beside every error message.

macro_rules! error_codes {
    ($( $variant:ident = $name:literal, )*) => {
        /// Stable error codes, sent as `_meta.error_code`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $( $variant, )* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }
        }
    };
}

error_codes! {
    InvalidArgument = "invalid_argument",
    InvalidId = "invalid_id",
    TokenMalformed = "token_malformed",
    TokenSignature = "token_signature",
    TokenPayload = "token_payload",
    UnknownSession = "unknown_session",
    TokenMismatch = "token_mismatch",
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
    StoreUnavailable = "store_unavailable",
    Conflict = "conflict",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
