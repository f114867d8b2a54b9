//! Checking definition files: the JSON Schema check, unknown fields, and the semantic rules of
//! docs/formats.md that a schema cannot express. Every check reports into one diagnostics list with
//! positions taken from the decoder that read the file.

pub(crate) mod assembled;
pub(crate) mod definitions;
pub(crate) mod schema_check;
mod structure;
pub(crate) mod unknown_fields;

use crate::decode::Positions;
use crate::diagnostic::{Code, Diagnostic};
use crate::text::LineIndex;

/// One decoded file and the means to place diagnostics in it.
pub(crate) struct FileCtx<'a> {
    pub file: &'a str,
    pub index: LineIndex<'a>,
    pub positions: &'a Positions,
}

impl<'a> FileCtx<'a> {
    pub fn new(file: &'a str, text: &'a str, positions: &'a Positions) -> Self {
        Self {
            file,
            index: LineIndex::new(text),
            positions,
        }
    }

    /// A diagnostic at the value `pointer` names, or at its nearest recorded ancestor.
    pub fn diag(&self, code: Code, message: impl Into<String>, pointer: &str) -> Diagnostic {
        let span = self.positions.nearest(pointer);
        Diagnostic::at(code, message, self.file, &self.index, span, pointer)
    }
}

/// What the checks ask of the library a workflow belongs to: whether the names it references
/// exist there.
pub(crate) trait References {
    /// Whether the library has a workflow of this id (triggers name one).
    fn has_workflow(&self, id: &str) -> bool;
    /// Whether a skill reference written in workflow `origin` gives a skill for a session of
    /// workflow `session`. A skill whose file fails its own checks counts as found: that file
    /// carries the diagnostic.
    fn skill_resolves(&self, reference: &str, origin: &str, session: &str) -> bool;
    /// Why `reference` gives no resource in workflow `id`, as the end of a sentence, or `None`
    /// when it resolves.
    fn unresolved_resource(&self, reference: &str, id: &str) -> Option<String>;
}

/// How messages name a place in a file: the pointer, or "the top level".
pub(crate) fn describe(pointer: &str) -> String {
    if pointer.is_empty() {
        "the top level".to_owned()
    } else {
        pointer.to_owned()
    }
}
