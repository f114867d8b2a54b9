//! YAML 1.2 (core schema) with the position of every value.
//!
//! `saphyr-parser` does the YAML grammar and hands over a stream of events with character
//! markers; this module builds the JSON value from it with its own stack (no recursion, so depth
//! is only limited by [`MAX_DEPTH`]), resolves plain scalars by the core schema, and refuses the
//! parts of YAML that would make a definition depend on something other than what is written
//! where it is read: anchors, aliases, merge keys and custom tags.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Number, Value};

use super::{DecodeError, Decoded, MAX_DEPTH, Positions};
use crate::pointer;
use crate::text::Span;

const ANCHORS: &str =
    "anchors and aliases are not allowed: definitions must be self-contained; repeat the value";

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

pub(super) fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let mut decoder = Decoder {
        text,
        offsets: Offsets::new(text),
        positions: Positions::default(),
        stack: Vec::new(),
        root: None,
    };
    decoder.positions.insert(String::new(), Span::new(0, 0));
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| decoder.scan_error(&e))?;
        let span = decoder.span(span);
        match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(DecodeError::syntax(
                        "a file holds exactly one YAML document, and a second one starts here; \
                         remove it or move it to a file of its own",
                        span,
                    ));
                }
            }
            Event::Alias(_) => return Err(DecodeError::syntax(ANCHORS, span)),
            Event::Scalar(value, style, anchor, tag) => {
                decoder.no_anchor(anchor, span)?;
                decoder.scalar(value, style, tag.as_deref(), span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                decoder.no_anchor(anchor, span)?;
                decoder.open(tag.as_deref(), span, true)?;
            }
            Event::MappingStart(anchor, tag) => {
                decoder.no_anchor(anchor, span)?;
                decoder.open(tag.as_deref(), span, false)?;
            }
            Event::SequenceEnd | Event::MappingEnd => decoder.close(span),
        }
    }
    Ok(Decoded {
        value: decoder.root.unwrap_or(Value::Null),
        positions: decoder.positions,
    })
}

/// The comments of a YAML text: each `#` that starts a line's content or follows a blank, and
/// lies outside every scalar (keys, values, block scalars) the parser reports, up to the line
/// end. The parser reports no comment events, so the scalars' spans tell a comment from a `#`
/// inside quoted or block text.
pub(super) fn comments(text: &str) -> Vec<super::Comment> {
    let mut offsets = Offsets::new(text);
    let mut scalars = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::StreamEnd => break,
            Event::Scalar(..) => {
                let start = offsets.byte(span.start.index());
                let end = offsets.byte(span.end.index());
                scalars.push(Span::new(start, end.max(start)));
            }
            _ => {}
        }
    }
    scalars.sort_by_key(|s| s.start);
    let inside = |at: usize| {
        let i = scalars.partition_point(|s| s.start <= at);
        i > 0 && at < scalars[i - 1].end
    };
    let mut found = Vec::new();
    let mut line_start = 0;
    for raw in text.split('\n') {
        let start = line_start;
        line_start += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let bytes = line.as_bytes();
        let comment = (0..bytes.len()).find(|&i| {
            bytes[i] == b'#' && (i == 0 || is_blank(bytes[i - 1])) && !inside(start + i)
        });
        if let Some(i) = comment {
            found.push(super::Comment {
                text: line[i + 1..].trim_end().to_owned(),
                at: start + i,
                own_line: line[..i].trim().is_empty(),
            });
        }
    }
    found
}

/// A sequence or mapping whose entries are still being read.
struct Frame {
    pointer: String,
    /// Byte offset where the collection starts.
    start: usize,
    kind: Kind,
}

enum Kind {
    Seq {
        items: Vec<Value>,
        /// Block sequences mark each entry with `- `; flow sequences (`[…]`) do not.
        block: bool,
    },
    Map {
        map: Map<String, Value>,
        /// The key whose value comes next, or `None` when a key comes next.
        key: Option<String>,
    },
}

struct Decoder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    positions: Positions,
    stack: Vec<Frame>,
    root: Option<Value>,
}

impl Decoder<'_> {
    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), DecodeError> {
        let block_scalar = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
        if self.begin_node(span, block_scalar) {
            return self.key(text.into_owned(), style, tag, span);
        }
        let value = match tag {
            Some(tag) => {
                let kind = self.core_tag(tag, span)?;
                tagged_scalar(&text, kind).map_err(|m| DecodeError::syntax(m, span))?
            }
            None if style == ScalarStyle::Plain => {
                plain_scalar(&text).map_err(|m| DecodeError::syntax(m, span))?
            }
            None => Value::String(text.into_owned()),
        };
        let pointer = self.slot_pointer();
        self.positions.insert_value(pointer, span);
        self.finish(value, span);
        Ok(())
    }

    /// The pointer of the value that comes next in the innermost open collection.
    fn slot_pointer(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame {
                pointer,
                kind: Kind::Map { key, .. },
                ..
            }) => pointer::push(pointer, key.as_deref().unwrap_or_default()),
            Some(Frame {
                pointer,
                kind: Kind::Seq { items, .. },
                ..
            }) => pointer::push_index(pointer, items.len()),
        }
    }

    /// Records a mapping key: a string, not `<<`, not yet in the mapping.
    ///
    /// A plain key is taken as written, unresolved: `1:` and `true:` are the keys "1" and
    /// "true" (as YAML-to-JSON tools read them), since a JSON object holds no other keys.
    fn key(
        &mut self,
        key: String,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), DecodeError> {
        if let Some(tag) = tag
            && self.core_tag(tag, span)? != "str"
        {
            return Err(DecodeError::syntax(
                "mapping keys must be strings; remove the tag",
                span,
            ));
        }
        if style == ScalarStyle::Plain && key == "<<" {
            return Err(DecodeError::syntax(
                "merge keys (<<) are not allowed: definitions must be self-contained; write the \
                 merged entries out",
                span,
            ));
        }
        let Some(Frame {
            pointer,
            kind: Kind::Map { map, key: slot },
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        if map.contains_key(&key) {
            return Err(DecodeError::duplicate_key(&key, span));
        }
        self.positions.insert(pointer::push(pointer, &key), span);
        *slot = Some(key);
        Ok(())
    }

    fn open(&mut self, tag: Option<&Tag>, span: Span, seq: bool) -> Result<(), DecodeError> {
        if self.begin_node(span, false) {
            return Err(DecodeError::syntax(
                "mapping keys must be strings, not lists or mappings",
                span,
            ));
        }
        if let Some(tag) = tag {
            let kind = self.core_tag(tag, span)?;
            let fits = if seq { "seq" } else { "map" };
            if kind != fits {
                let what = if seq { "a list" } else { "a mapping" };
                return Err(DecodeError::syntax(
                    format!("the tag '!!{kind}' cannot be used on {what}; remove it"),
                    span,
                ));
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(DecodeError::too_deep(self.char_span(span.start)));
        }
        let kind = if seq {
            let block = span.end == span.start || self.text.as_bytes()[span.end - 1] != b'[';
            Kind::Seq {
                items: Vec::new(),
                block,
            }
        } else {
            Kind::Map {
                map: Map::new(),
                key: None,
            }
        };
        let pointer = self.slot_pointer();
        self.stack.push(Frame {
            pointer,
            start: span.start,
            kind,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) {
        if let Some(frame) = self.stack.pop() {
            let value = match frame.kind {
                Kind::Seq { items, .. } => Value::Array(items),
                Kind::Map { map, .. } => Value::Object(map),
            };
            self.finish(value, Span::new(frame.start, span.end));
        }
    }

    /// Whether a new node is a mapping key. For an entry of a block sequence this records the
    /// position of its `-`.
    fn begin_node(&mut self, span: Span, block_scalar: bool) -> bool {
        match self.stack.last() {
            Some(Frame {
                kind: Kind::Map { key, .. },
                ..
            }) => key.is_none(),
            Some(Frame {
                pointer,
                kind: Kind::Seq { items, block: true },
                ..
            }) => {
                let marker = self.entry_marker(span.start, block_scalar);
                self.positions
                    .insert(pointer::push_index(pointer, items.len()), marker);
                false
            }
            _ => false,
        }
    }

    /// Stores a finished value in its parent (or as the document). Flow sequence entries have no
    /// marker, so their own span is their position.
    fn finish(&mut self, value: Value, span: Span) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame {
                kind: Kind::Map { map, key },
                ..
            }) => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
            Some(Frame {
                pointer,
                kind: Kind::Seq { items, block },
                ..
            }) => {
                if !*block {
                    self.positions
                        .insert(pointer::push_index(pointer, items.len()), span);
                }
                items.push(value);
            }
        }
    }

    /// The `-` of a block sequence entry whose content starts at byte `node`.
    ///
    /// The parser reports no event for the `-` itself, and an indentless sequence (`key:` then
    /// `- a` in the same column) even starts after its first `-`. Between a `-` and its content
    /// there can only be spaces, comments, blank lines and, for a block scalar (whose content
    /// starts on the line after it), the `|`/`>` header and its tag. So going back line by line
    /// and stripping those, the marker is the last character left. Falls back to the content's
    /// own position if that is not a `-`.
    fn entry_marker(&self, node: usize, block_scalar: bool) -> Span {
        let bytes = self.text.as_bytes();
        let mut header = block_scalar;
        let mut end = node;
        loop {
            let line_start = bytes[..end]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = &bytes[line_start..end];
            let mut content = line
                .iter()
                .enumerate()
                .position(|(i, &b)| b == b'#' && (i == 0 || is_blank(line[i - 1])))
                .map_or(line, |comment| &line[..comment]);
            content = trim_end(content);
            if header && !content.is_empty() {
                content = strip_last_word(content, |w| w.starts_with(b"|") || w.starts_with(b">"));
                content = strip_last_word(content, |w| w.starts_with(b"!"));
                header = false;
            }
            match content.last() {
                Some(b'-') => {
                    let at = line_start + content.len() - 1;
                    return Span::new(at, at + 1);
                }
                None if line_start > 0 => end = line_start - 1,
                _ => return Span::new(node, node),
            }
        }
    }

    fn no_anchor(&self, anchor: usize, span: Span) -> Result<(), DecodeError> {
        if anchor == 0 {
            return Ok(());
        }
        let at = self.text[span.start..span.end]
            .find('&')
            .map_or(span.start, |i| span.start + i);
        Err(DecodeError::syntax(ANCHORS, self.char_span(at)))
    }

    /// The name of a core tag (`str`, `int`, …), or an error for any other tag.
    fn core_tag(&self, tag: &Tag, span: Span) -> Result<&'static str, DecodeError> {
        let full = format!("{}{}", tag.handle, tag.suffix);
        if let Some(name) = full.strip_prefix(CORE_TAG_PREFIX)
            && let Some(core) = ["str", "int", "float", "bool", "null", "seq", "map"]
                .into_iter()
                .find(|c| *c == name)
        {
            return Ok(core);
        }
        let shown = match full.strip_prefix(CORE_TAG_PREFIX) {
            Some(name) => format!("!!{name}"),
            None => full.clone(),
        };
        let at = self.text[span.start..span.end]
            .find('!')
            .map_or(span.start, |i| span.start + i);
        Err(DecodeError::syntax(
            format!(
                "the tag '{shown}' is not allowed: only the core tags !!str, !!int, !!float, \
                 !!bool, !!null, !!seq and !!map are; remove it (quote the value to keep it a \
                 string)"
            ),
            self.char_span(at),
        ))
    }

    fn scan_error(&mut self, error: &ScanError) -> DecodeError {
        let at = self.offsets.byte(error.marker().index());
        let info = error.info();
        // The scanner looks ahead through nested `[`/`{` (any of them could open a key) and gives
        // up at 255 levels, before this decoder sees the 65th: by then the file is too deep.
        if info == "recursion limit exceeded" {
            return DecodeError::too_deep(self.char_span(at));
        }
        DecodeError::syntax(
            format!("invalid YAML: {info}; {}", hint(info)),
            self.char_span(at),
        )
    }

    fn span(&mut self, span: saphyr_parser::Span) -> Span {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index());
        Span::new(start, end.max(start))
    }

    /// The character at byte `at` (empty at the end of the text).
    fn char_span(&self, at: usize) -> Span {
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let len = bytes
        .iter()
        .rposition(|&b| !is_blank(b))
        .map_or(0, |i| i + 1);
    &bytes[..len]
}

/// `bytes` without its last space-separated word if that word passes `strip`.
fn strip_last_word(bytes: &[u8], strip: impl Fn(&[u8]) -> bool) -> &[u8] {
    let start = bytes
        .iter()
        .rposition(|&b| is_blank(b))
        .map_or(0, |i| i + 1);
    if strip(&bytes[start..]) {
        trim_end(&bytes[..start])
    } else {
        bytes
    }
}

/// What to try, given the parser's message.
fn hint(info: &str) -> &'static str {
    if info.contains("anchor") {
        ANCHORS
    } else if info.contains("tab") {
        "indent with spaces, not tabs"
    } else if info.contains("mapping values are not allowed") {
        "quote a value that contains ': ', or check the indentation"
    } else if info.contains("end of stream") {
        "close the quoted string"
    } else if info.contains("indent") || info.contains("expected key") || info.contains("'-'") {
        "check the indentation: the entries of one mapping or list start in the same column"
    } else if info.contains("flow") {
        "separate the entries of an inline list or mapping with commas and close it"
    } else {
        "check the indentation, and quote values that start with a special character or contain \
         ': ' or ' #'"
    }
}

/// A plain (unquoted, untagged) scalar, resolved by the YAML 1.2 core schema.
fn plain_scalar(text: &str) -> Result<Value, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match core_number(text)? {
            Some(number) => number,
            None => Value::String(text.to_owned()),
        },
    })
}

fn tagged_scalar(text: &str, tag: &str) -> Result<Value, String> {
    let value = match tag {
        "str" => return Ok(Value::String(text.to_owned())),
        "null" | "bool" => plain_scalar(text)?,
        "int" | "float" => core_number(text)?.unwrap_or(Value::Null),
        _ => {
            return Err(format!(
                "the tag '!!{tag}' cannot be used on a single value; remove it"
            ));
        }
    };
    let fits = match tag {
        "null" => value.is_null(),
        "bool" => value.is_boolean(),
        "int" => value.is_i64() || value.is_u64(),
        _ => value.is_number(),
    };
    if !fits {
        return Err(format!(
            "'{text}' does not match its tag '!!{tag}'; fix the value or remove the tag"
        ));
    }
    if tag == "float" {
        // `!!float 1` is the float 1.0.
        if let Some(f) = value.as_f64().and_then(Number::from_f64) {
            return Ok(Value::Number(f));
        }
    }
    Ok(value)
}

/// A core-schema int or float, `None` when `text` is neither.
fn core_number(text: &str) -> Result<Option<Value>, String> {
    if let Some(digits) = text.strip_prefix("0x") {
        return Ok(radix_int(digits, 16));
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return Ok(radix_int(digits, 8));
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Err(format!(
            "'{text}' is not a number JSON can hold; quote it to make it a string"
        ));
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Some(Value::from(n)));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Ok(Some(Value::from(n)));
        }
    } else if !is_core_float(unsigned) {
        return Ok(None);
    }
    match text.parse::<f64>().ok().and_then(Number::from_f64) {
        Some(n) => Ok(Some(Value::Number(n))),
        None => Err(format!(
            "'{text}' is too large for a 64-bit float; quote it to make it a string"
        )),
    }
}

/// `0x…`/`0o…` digits as an integer, or as the nearest float when they overflow 64 bits.
fn radix_int(digits: &str, radix: u32) -> Option<Value> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if let Ok(n) = u64::from_str_radix(digits, radix) {
        return Some(Value::from(n));
    }
    let f = digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0, |acc, d| acc * f64::from(radix) + f64::from(d));
    Number::from_f64(f).map(Value::Number)
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, the sign already removed.
fn is_core_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut i = digits(0);
    let whole = i;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let fraction = digits(i);
        if whole == 0 && fraction == 0 {
            return false;
        }
        i += fraction;
    } else if whole == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exponent = digits(i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == bytes.len()
}

/// Turns the parser's character indices into byte offsets. Events arrive almost in text order,
/// so a cursor that walks from the last answer costs O(text) over a whole document.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.text.len());
        }
        while self.chars < chars {
            let Some(c) = self.text[self.bytes..].chars().next() else {
                break;
            };
            self.bytes += c.len_utf8();
            self.chars += 1;
        }
        while self.chars > chars {
            let Some(c) = self.text[..self.bytes].chars().next_back() else {
                break;
            };
            self.bytes -= c.len_utf8();
            self.chars -= 1;
        }
        self.bytes
    }
}
