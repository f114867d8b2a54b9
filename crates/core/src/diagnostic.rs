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
    ($( $variant:ident = $name:literal : $severity:ident, $cause:literal, $fix:literal; )*) => {
        /// Stable diagnostic codes (docs/formats.md#diagnostics). The severity of a code never varies.
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

            /// What makes the loader report this code, as docs/formats.md's table of codes says it
            /// (markdown; a test keeps the two equal).
            pub fn cause(self) -> &'static str {
                match self { $( Code::$variant => $cause, )* }
            }

            /// How to fix it, likewise from docs/formats.md.
            pub fn fix(self) -> &'static str {
                match self { $( Code::$variant => $fix, )* }
            }

            pub fn parse(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    Syntax = "syntax": Error,
        "the file does not decode (TOON, YAML or JSON rules, invalid UTF-8)",
        "go to the line and column; for TOON check indentation, array counts and quoting ([TOON errors](#toon-errors))";
    DuplicateKey = "duplicate_key": Error,
        "a key appears twice in one object",
        "remove or rename one";
    MissingField = "missing_field": Error,
        "a required field is absent",
        "add it (see the field tables above)";
    WrongType = "wrong_type": Error,
        "a value has the wrong JSON type (a string where a list is expected; a definition file whose root is not an object)",
        "change the type; in YAML, check for a list item read as a mapping";
    InvalidValue = "invalid_value": Error,
        "a value breaks its rule: a version not `MAJOR.MINOR.PATCH`, an unknown enum value, a non-positive integer, too few items (a decision needs two branches, `and`/`or` two operands), a condition nested deeper than 32 levels",
        "correct the value";
    InvalidId = "invalid_id": Error,
        "an id or variable name breaks [its rule](#identifiers-and-names)",
        "letters, digits, `.`, `_`, `-`, starting with a letter or digit";
    DuplicateId = "duplicate_id": Error,
        "two things that must be unique share an id ([Identifiers and names](#identifiers-and-names))",
        "rename one; loop steps share the activity's step namespace";
    IdMismatch = "id_mismatch": Error,
        "the `id` inside a file differs from its folder or file name",
        "make them equal";
    DuplicateFile = "duplicate_file": Error,
        "two workflow files in one folder, or an activity reference matching two files",
        "delete one, or give the reference an extension";
    ResourceIndexCollision = "resource_index_collision": Error,
        "two resources of a workflow share an index",
        "renumber one";
    ResourceNameCollision = "resource_name_collision": Error,
        "two resources of a workflow share a name",
        "rename one";
    UnresolvedActivityRef = "unresolved_activity_ref": Error,
        "an `activities` entry matches no file",
        "fix the index, id or workflow in the reference";
    NoActivities = "no_activities": Error,
        "the workflow has no activities",
        "add an activity file or an `activities` entry";
    InitialActivityUnknown = "initial_activity_unknown": Error,
        "`initialActivity` names no activity",
        "correct it";
    UnknownDefaultOption = "unknown_default_option": Error,
        "`defaultOption` is not one of the options",
        "name an existing option";
    AutoAdvanceWithoutDefault = "auto_advance_without_default": Error,
        "`autoAdvanceMs` without `defaultOption`",
        "add `defaultOption` or remove the timer";
    ConditionValueMissing = "condition_value_missing": Error,
        "a comparison operator without `value`",
        "add `value`";
    FileTooLarge = "file_too_large": Error,
        "a file over 4 MiB",
        "split the file";
    TooDeep = "too_deep": Error,
        "a file nested deeper than 64 levels",
        "flatten the structure";
    UnknownField = "unknown_field": Warning,
        "a field the schema does not define (often a typo)",
        "correct the spelling or remove it; it is kept but means nothing";
    ServerField = "server_field": Warning,
        "`artifactPrefix` written in an activity",
        "remove it; the server computes it from the file name";
    InitialActivityMissing = "initial_activity_missing": Warning,
        "no `initialActivity`",
        "declare one; dispatch otherwise starts at the first activity";
    UnknownTransitionTarget = "unknown_transition_target": Warning,
        "a transition, branch or option `transitionTo` names no activity",
        "correct the id";
    UnknownActivityRef = "unknown_activity_ref": Warning,
        "`skipActivities` or loop `activities` names no activity",
        "correct the id";
    UnknownCheckpointRef = "unknown_checkpoint_ref": Warning,
        "a step's `checkpoint` names no checkpoint of the activity",
        "correct the id or add the checkpoint";
    UnknownWorkflow = "unknown_workflow": Warning,
        "a trigger names no workflow",
        "correct the id";
    UnknownArtifactLocation = "unknown_artifact_location": Warning,
        "an artifact's `location` is a bare word that is no `artifactLocations` key",
        "add the location or write a path";
    UnresolvedSkill = "unresolved_skill": Warning,
        "a skill reference resolves nowhere ([Skill references](#skill-references))",
        "correct the reference or add the skill";
    UnresolvedResource = "unresolved_resource": Warning,
        "a skill's or mode's resource reference resolves nowhere",
        "correct it; bare references resolve only in the skill's own workflow";
    ConditionUndeclaredVariable = "condition_undeclared_variable": Warning,
        "a condition reads an undeclared variable",
        "declare it";
    ConditionType = "condition_type": Warning,
        "the declared type cannot match the comparison (a boolean compared with a string, `>` on a non-number)",
        "fix the value or the variable's type";
    ConditionValueIgnored = "condition_value_ignored": Warning,
        "`value` given with `exists` or `notExists`",
        "remove `value`";
    DefaultType = "default_type": Warning,
        "`defaultValue` has another type than `type`",
        "fix one of them";
    VariableType = "variable_type": Warning,
        "a `setVariable` value has another type than the variable's",
        "fix the value or the declared type";
    VariableUndeclared = "variable_undeclared": Warning,
        "a `setVariable` key or a mode's `defaults` key names an undeclared variable",
        "declare it under `variables`";
    AdvisoryOnBlocking = "advisory_on_blocking": Warning,
        "`defaultOption` or `autoAdvanceMs` on a blocking checkpoint",
        "add `blocking: false`, or remove them";
    MultipleDefaults = "multiple_defaults": Warning,
        "more than one default transition or default branch",
        "keep one";
    LoopIncomplete = "loop_incomplete": Warning,
        "`forEach` without `variable` and `over`; `while`/`doWhile` without `condition`",
        "add the missing fields";
    ModeVariable = "mode_variable": Warning,
        "a mode's `activationVariable` is not a declared boolean",
        "declare it with `type: boolean`";
    DuplicateIndex = "duplicate_index": Warning,
        "two activity files with the same index (their artifacts would collide)",
        "renumber one";
    ActivityNotListed = "activity_not_listed": Warning,
        "with an `activities` list, a local activity file is not in it",
        "list it or remove the file";
    EstimatedTime = "estimated_time": Warning,
        "`estimatedTime` does not match forms like `20m`, `1-2h`, `2 days`, `10-120 min`",
        "one number or range with one unit";
    FrontMatterInvalid = "front_matter_invalid": Warning,
        "a markdown resource's front matter is not valid YAML",
        "fix it (keys `id`, `version`, `title`, `description`)";
    ResourceIdMismatch = "resource_id_mismatch": Warning,
        "a markdown resource's front-matter `id` differs from its file name",
        "make them equal";
    MetaResourceMissing = "meta_resource_missing": Warning,
        "meta lacks `bootstrap-protocol` or its dispatch template (`client-prompt-template` unless `dispatchTemplate` names another)",
        "add the resource, or name the one it has in `dispatchTemplate`";
    FileIgnored = "file_ignored": Warning,
        "a file not named `NN-<id>.<ext>` (resources: `NN-<name>.<ext>`), a definition file at the root or in a sub-folder, or a `guides/` folder",
        "rename or move it";
    FolderIgnored = "folder_ignored": Warning,
        "a folder whose name is not a valid id",
        "rename it";
    NoWorkflowFile = "no_workflow_file": Warning,
        "a folder without a workflow file",
        "add one or remove the folder";
    UnreachableActivity = "unreachable_activity": Warning,
        "an activity cannot be reached from `initialActivity`",
        "add a transition, branch, option effect or loop that leads to it";
    CommentsDropped = "comments_dropped": Warning,
        "converting a library to JSON (which has no comments) drops a TOON or YAML file's `#` comments ([Converting a library](#converting-a-library))",
        "move what they say into a `description`, or convert to YAML or TOON";
    FileNotConverted = "file_not_converted": Warning,
        "converting a library leaves a definition file as it is: it does not decode, or its converted name is taken",
        "fix the file, or rename the other one, and convert again";
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
    /// Where the offending value itself is written, when it is a scalar and the problem is the
    /// value rather than its key (a wrong type, an unknown target): editors underline this,
    /// while `line`/`column` stay on the key as the CLI prints them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<TextRange>>,
}

/// A range of a file's text, in the units of a `Diagnostic`'s own position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TextRange {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub utf16_start: u32,
    pub utf16_end: u32,
}

impl TextRange {
    pub fn of(index: &LineIndex<'_>, span: Span) -> Self {
        let start = index.position(span.start);
        let end = index.position(span.end.max(span.start));
        Self {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            utf16_start: start.utf16,
            utf16_end: end.utf16,
        }
    }
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
        let at = TextRange::of(index, span);
        Self {
            severity: code.severity(),
            code,
            message: bounded(message.into()),
            file: file.to_owned(),
            line: at.line,
            column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
            utf16_start: at.utf16_start,
            utf16_end: at.utf16_end,
            pointer: pointer.into(),
            value: None,
        }
    }

    /// Whether the value a diagnostic points at is the problem, rather than its key (an
    /// unknown or server-computed field) or something absent (a missing field).
    pub fn is_about_value(&self) -> bool {
        !matches!(
            self.code,
            Code::UnknownField | Code::ServerField | Code::MissingField
        )
    }

    /// A diagnostic about a whole file (a name, a layout rule), placed at its first character.
    pub fn file_level(code: Code, message: impl Into<String>, file: &str) -> Self {
        Self {
            severity: code.severity(),
            code,
            message: bounded(message.into()),
            file: file.to_owned(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            utf16_start: 0,
            utf16_end: 0,
            pointer: String::new(),
            value: None,
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

/// The longest run without whitespace a message keeps (a quoted value, an id, a number); longer
/// runs are cut here with `…` (docs/formats.md#diagnostics).
pub const MAX_QUOTED_CHARS: usize = 80;

/// What may close a cut run and is kept after its `…`: quotes and punctuation.
const CLOSERS: &str = "'\"`:;,.)]";

/// The most characters of a message, after runs are cut (values with spaces).
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// A message as a diagnostic keeps it: messages quote values from the file, and a megabyte value
/// (a million-digit number, a huge key or id) must not come back whole. Every diagnostic passes
/// through here, so no message site has to remember: each run of non-whitespace characters over
/// [`MAX_QUOTED_CHARS`] keeps its first characters, `…` and its closing quote or punctuation, and the whole
/// message is cut at [`MAX_MESSAGE_CHARS`].
fn bounded(message: String) -> String {
    if message.len() <= MAX_QUOTED_CHARS {
        return message;
    }
    let long_run = message
        .split(char::is_whitespace)
        .any(|run| run.chars().nth(MAX_QUOTED_CHARS).is_some());
    let mut out = if long_run {
        let mut out = String::with_capacity(message.len().min(4 * MAX_MESSAGE_CHARS));
        for piece in message.split_inclusive(char::is_whitespace) {
            let run = piece.trim_end_matches(char::is_whitespace);
            match run.char_indices().nth(MAX_QUOTED_CHARS) {
                None => out.push_str(piece),
                Some((cut, _)) => {
                    // The closing quote and punctuation stay, so the sentence still reads.
                    let tail = run
                        .char_indices()
                        .rev()
                        .take(3)
                        .take_while(|(_, c)| CLOSERS.contains(*c))
                        .last()
                        .map_or(run.len(), |(i, _)| i.max(cut));
                    out.push_str(&run[..cut]);
                    out.push('…');
                    out.push_str(&run[tail..]);
                    out.push_str(&piece[run.len()..]);
                }
            }
        }
        out
    } else {
        message
    };
    if let Some((cut, _)) = out.char_indices().nth(MAX_MESSAGE_CHARS) {
        out.truncate(cut);
        out.push('…');
    }
    out
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
    fn messages_do_not_echo_huge_values_whole() {
        let at = |message: String| Diagnostic::file_level(Code::Syntax, message, "f").message;
        let number = "9".repeat(1_000_000);
        let message = at(format!("number `{number}` is out of range; quote it"));
        let kept = format!("`{}…`", &number[..MAX_QUOTED_CHARS - 1]);
        assert_eq!(message, format!("number {kept} is out of range; quote it"));

        let id = "é".repeat(MAX_QUOTED_CHARS);
        let message = at(format!("Invalid id {id} here"));
        assert_eq!(
            message,
            format!("Invalid id {id} here"),
            "at the limit: whole"
        );

        let words = "ab ".repeat(100_000);
        let message = at(format!("value '{words}'"));
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(message.ends_with('…'));
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
