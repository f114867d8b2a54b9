//! The one diagnostics type shared by the decoders, the schema check, the semantic checks, the
//! CLI, the server's catalog and the browser editor, so a problem reads the same everywhere.

use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

use crate::text::{LineIndex, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $name:literal : $severity:ident, )*) => {
        /// Stable diagnostic codes (docs/formats.md#diagnostics). The severity of a code never
        /// varies.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            pub fn parse(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    Syntax = "syntax": Error,
    DuplicateKey = "duplicate_key": Error,
    MissingField = "missing_field": Error,
    WrongType = "wrong_type": Error,
    InvalidValue = "invalid_value": Error,
    InvalidId = "invalid_id": Error,
    DuplicateId = "duplicate_id": Error,
    IdMismatch = "id_mismatch": Error,
    DuplicateFile = "duplicate_file": Error,
    ResourceIndexCollision = "resource_index_collision": Error,
    ResourceNameCollision = "resource_name_collision": Error,
    UnresolvedActivityRef = "unresolved_activity_ref": Error,
    NoActivities = "no_activities": Error,
    InitialActivityUnknown = "initial_activity_unknown": Error,
    UnknownDefaultOption = "unknown_default_option": Error,
    AutoAdvanceWithoutDefault = "auto_advance_without_default": Error,
    ConditionValueMissing = "condition_value_missing": Error,
    FileTooLarge = "file_too_large": Error,
    TooDeep = "too_deep": Error,
    UnknownField = "unknown_field": Warning,
    ServerField = "server_field": Warning,
    InitialActivityMissing = "initial_activity_missing": Warning,
    UnknownTransitionTarget = "unknown_transition_target": Warning,
    UnknownActivityRef = "unknown_activity_ref": Warning,
    UnknownCheckpointRef = "unknown_checkpoint_ref": Warning,
    UnknownWorkflow = "unknown_workflow": Warning,
    UnknownArtifactLocation = "unknown_artifact_location": Warning,
    UnresolvedSkill = "unresolved_skill": Warning,
    UnresolvedResource = "unresolved_resource": Warning,
    ConditionUndeclaredVariable = "condition_undeclared_variable": Warning,
    ConditionType = "condition_type": Warning,
    ConditionValueIgnored = "condition_value_ignored": Warning,
    DefaultType = "default_type": Warning,
    VariableType = "variable_type": Warning,
    VariableUndeclared = "variable_undeclared": Warning,
    AdvisoryOnBlocking = "advisory_on_blocking": Warning,
    MultipleDefaults = "multiple_defaults": Warning,
    LoopIncomplete = "loop_incomplete": Warning,
    ModeVariable = "mode_variable": Warning,
    DuplicateIndex = "duplicate_index": Warning,
    ActivityNotListed = "activity_not_listed": Warning,
    EstimatedTime = "estimated_time": Warning,
    FrontMatterInvalid = "front_matter_invalid": Warning,
    ResourceIdMismatch = "resource_id_mismatch": Warning,
    MetaResourceMissing = "meta_resource_missing": Warning,
    FileIgnored = "file_ignored": Warning,
    FolderIgnored = "folder_ignored": Warning,
    NoWorkflowFile = "no_workflow_file": Warning,
    UnreachableActivity = "unreachable_activity": Warning,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codes as a string enum, so typed consumers (the npm package's TypeScript types) can match
/// on them exhaustively.
impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        schemars::json_schema!({ "type": "string", "enum": names })
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem found in a workflow library, located well enough for an editor to underline it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// What is wrong and how to fix it.
    pub message: String,
    /// Path relative to the workflows root, `/`-separated.
    pub file: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start, in Unicode scalar values.
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// UTF-16 offsets of the start and end, for JavaScript editors.
    pub utf16_start: u32,
    pub utf16_end: u32,
    /// JSON pointer to the value concerned (`""` for the whole file).
    pub pointer: String,
}

impl Diagnostic {
    /// A diagnostic at `span` of `index`'s text.
    pub fn at(
        code: Code,
        message: impl Into<String>,
        file: &str,
        index: &LineIndex<'_>,
        span: Span,
        pointer: impl Into<String>,
    ) -> Self {
        let start = index.position(span.start);
        let end = index.position(span.end.max(span.start));
        Self {
            severity: code.severity(),
            code,
            message: message.into(),
            file: file.to_owned(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            utf16_start: start.utf16,
            utf16_end: end.utf16,
            pointer: pointer.into(),
        }
    }

    /// A diagnostic about a whole file (a name, a layout rule), placed at its first character.
    pub fn file_level(code: Code, message: impl Into<String>, file: &str) -> Self {
        Self {
            severity: code.severity(),
            code,
            message: message.into(),
            file: file.to_owned(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            utf16_start: 0,
            utf16_end: 0,
            pointer: String::new(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The position part of the text form, `file:line:col`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    /// The rustc/eslint-like text form: `<file>:<line>:<col>: <severity>[<code>]: <message>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location(),
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Orders diagnostics the way a reader scans them: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_their_severity() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::Syntax.severity(), Severity::Error);
        assert_eq!(Code::UnknownField.severity(), Severity::Warning);
    }

    #[test]
    fn text_form_matches_rustc_style() {
        let text = "id: x\nsteps[2]:\n";
        let index = LineIndex::new(text);
        let d = Diagnostic::at(
            Code::Syntax,
            "declared 2 items but found 0",
            "wf/a.toon",
            &index,
            Span::new(6, 11),
            "/steps",
        );
        assert_eq!(
            d.to_string(),
            "wf/a.toon:2:1: error[syntax]: declared 2 items but found 0"
        );
        assert_eq!(
            (d.end_line, d.end_column, d.utf16_start, d.utf16_end),
            (2, 6, 6, 11)
        );
    }
}
