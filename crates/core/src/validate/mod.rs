//! Checking definition files: the JSON Schema check, unknown fields, and the semantic rules of
//! docs/formats.md that a schema cannot express. Every check reports into one diagnostics list with
//! positions taken from the decoder that read the file.

pub(crate) mod assembled;
pub(crate) mod definitions;
pub(crate) mod names;
pub(crate) mod schema_check;
mod structure;
pub(crate) mod unknown_fields;

use std::cell::OnceCell;

use crate::decode::Positions;
use crate::diagnostic::{Code, Diagnostic, TextRange};
use crate::text::LineIndex;

/// One decoded file and the means to place diagnostics in it.
pub(crate) struct FileCtx<'a> {
    pub file: &'a str,
    text: &'a str,
    /// Built on the first diagnostic: most files have none, and indexing lines reads the text.
    index: OnceCell<LineIndex<'a>>,
    pub positions: &'a Positions,
}

impl<'a> FileCtx<'a> {
    pub fn new(file: &'a str, text: &'a str, positions: &'a Positions) -> Self {
        Self {
            file,
            text,
            index: OnceCell::new(),
            positions,
        }
    }

    /// A diagnostic at the value `pointer` names, or at its nearest recorded ancestor; with the
    /// value's own range when that scalar is what is wrong.
    pub fn diag(&self, code: Code, message: impl Into<String>, pointer: &str) -> Diagnostic {
        let span = self.positions.nearest(pointer);
        let index = self.index.get_or_init(|| LineIndex::new(self.text));
        let mut d = Diagnostic::at(code, message, self.file, index, span, pointer);
        if d.is_about_value()
            && let Some(value) = self.positions.value(pointer)
        {
            d.value = Some(Box::new(TextRange::of(index, value)));
        }
        d
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
