//! Decoding TOON, YAML and JSON into one data model: a JSON value with ordered keys, plus the
//! source position of every value, so that later stages (schema, semantic checks) can point at
//! the line that needs fixing whichever format the author chose.

mod json;
mod toon;
mod yaml;

use std::collections::HashMap;

use foldhash::fast::RandomState;

use serde_json::Value;

use crate::text::Span;

/// Deepest nesting of arrays and objects a definition file may have
/// (docs/formats.md#folder-layout).
pub const MAX_DEPTH: usize = 64;

/// The format of a definition file, chosen by its extension and never by sniffing content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Toon,
    Yaml,
    Json,
}

impl Format {
    /// The format for a file name's extension (`.toon`, `.yaml`, `.yml`, `.json`).
    pub fn from_path(path: &str) -> Option<Format> {
        Format::parse(path.rsplit_once('.')?.1)
    }

    /// The lowercase name used in APIs (`toon`, `yaml`, `json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Toon => "toon",
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }

    /// The format an extension or API name stands for (`toon`, `yaml`, `yml`, `json`): the
    /// one list of definition-file extensions.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "toon" => Some(Format::Toon),
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Where each value of a decoded document was written.
///
/// Keyed by JSON pointer. For an object member the span is its key; for an array element it is
/// the list-item marker (`- ` in TOON and YAML) or, where there is none (inline values, table
/// rows, JSON), the element itself; the root pointer `""` is the start of the document.
///
/// One entry per decoded value makes this the hottest map of catalog loading, so it uses a fast
/// non-cryptographic hasher (a crafted file can only slow its own, size-capped, validation).
///
/// Scalar values also have their own span (the token as written, quotes included), so an editor
/// can underline the offending value rather than its key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    map: HashMap<String, Span, RandomState>,
    values: HashMap<String, Span, RandomState>,
}

impl Positions {
    pub fn insert(&mut self, pointer: String, span: Span) {
        self.map.insert(pointer, span);
    }

    /// Records where the scalar at `pointer` is written.
    pub fn insert_value(&mut self, pointer: String, span: Span) {
        self.values.insert(pointer, span);
    }

    /// The span of the scalar value at `pointer` itself (not its key), when it is one.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.values.get(pointer).copied()
    }

    pub fn get(&self, pointer: &str) -> Option<Span> {
        self.map.get(pointer).copied()
    }

    /// The span of `pointer`, or of its closest recorded ancestor, so a diagnostic about a value
    /// that does not exist (a missing field) lands on the object that lacks it.
    pub fn nearest(&self, pointer: &str) -> Span {
        let mut p = pointer;
        loop {
            if let Some(span) = self.map.get(p) {
                return *span;
            }
            match crate::pointer::parent(p) {
                Some(up) => p = up,
                None => return Span::default(),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every recorded pointer with its span, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Span)> {
        self.map.iter().map(|(p, s)| (p.as_str(), *s))
    }

    /// Moves every span right by `by` bytes (used after a byte-order mark was skipped).
    pub fn shift(&mut self, by: usize) {
        for span in self.map.values_mut().chain(self.values.values_mut()) {
            *span = span.shifted(by);
        }
    }
}

/// A successfully decoded document.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub value: Value,
    pub positions: Positions,
}

/// Why a document could not be decoded. Decoding stops at the first such problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The offending character(s).
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The text does not follow the format's grammar.
    Syntax,
    /// A key appears twice in one object.
    DuplicateKey,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl DecodeError {
    pub fn syntax(message: impl Into<String>, span: Span) -> Self {
        Self {
            kind: DecodeErrorKind::Syntax,
            message: message.into(),
            span,
        }
    }

    pub fn duplicate_key(key: &str, span: Span) -> Self {
        Self {
            kind: DecodeErrorKind::DuplicateKey,
            message: format!("duplicate key '{key}'; remove or rename one of them"),
            span,
        }
    }

    pub fn too_deep(span: Span) -> Self {
        Self {
            kind: DecodeErrorKind::TooDeep,
            message: format!("nesting is deeper than {MAX_DEPTH} levels; flatten the structure"),
            span,
        }
    }

    fn shifted(mut self, by: usize) -> Self {
        self.span = self.span.shifted(by);
        self
    }
}

/// A `#` comment of a TOON or YAML document: what a conversion carries into a target format
/// that has comments (docs/formats.md#converting-a-library).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after the `#`, without trailing blanks.
    pub text: String,
    /// Byte offset of the `#`.
    pub at: usize,
    /// Whether the comment is alone on its line (otherwise it ends a line of content, which
    /// YAML allows and TOON does not).
    pub own_line: bool,
}

/// The comments of `text`, in document order. JSON has none; a text that does not decode may
/// give a partial list. Decoding does not need them, so they are found only on request.
pub fn comments(format: Format, text: &str) -> Vec<Comment> {
    let (body, shift) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    let mut found = match format {
        Format::Toon => toon::comments(body),
        Format::Yaml => yaml::comments(body),
        Format::Json => Vec::new(),
    };
    for c in &mut found {
        c.at += shift;
    }
    found
}

const BOM: &str = "\u{FEFF}";

/// Decodes `text` as `format`. A leading byte-order mark is skipped; spans stay relative to the
/// text as given.
pub fn decode(format: Format, text: &str) -> Result<Decoded, DecodeError> {
    let (body, shift) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    let decoded = match format {
        Format::Toon => toon::decode(body),
        Format::Yaml => yaml::decode(body),
        Format::Json => json::decode(body),
    };
    match decoded {
        Ok(mut d) => {
            d.positions.shift(shift);
            Ok(d)
        }
        Err(e) => Err(e.shifted(shift)),
    }
}
