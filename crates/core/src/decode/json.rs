//! Strict JSON (RFC 8259) with the position of every value.
//!
//! Hand-written rather than built on a crate: `jsonc-parser` (the one span-keeping parser that
//! fits) was tried with every leniency switched off and still accepts raw control characters
//! inside strings, builds a whole AST that would then be copied into a `serde_json::Value`, and
//! recurses once per nesting level. A direct parser is short, reads the text once, keeps its own
//! stack (so `[[[[…` a hundred thousand deep stops at [`MAX_DEPTH`] instead of overflowing the
//! call stack) and phrases every error for the person who has to fix the file.

use serde_json::{Map, Number, Value};

use super::{DecodeError, Decoded, MAX_DEPTH, Positions};
use crate::pointer;
use crate::text::Span;

pub(super) fn decode(text: &str) -> Result<Decoded, DecodeError> {
    Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        positions: Positions::default(),
    }
    .document()
}

/// An array or object whose members are still being read.
enum Frame {
    Array {
        items: Vec<Value>,
        /// Where the `[` is, for the array's own span when it is an element of another array.
        start: usize,
        pointer: String,
        /// Where the element being read starts.
        item_start: usize,
    },
    Object {
        map: Map<String, Value>,
        start: usize,
        pointer: String,
        /// The key whose value is being read.
        key: String,
    },
}

impl Frame {
    /// The pointer of the value being read inside this container.
    fn child_pointer(&self) -> String {
        match self {
            Frame::Array { items, pointer, .. } => pointer::push_index(pointer, items.len()),
            Frame::Object { pointer, key, .. } => pointer::push(pointer, key),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    positions: Positions,
}

impl Parser<'_> {
    fn document(mut self) -> Result<Decoded, DecodeError> {
        self.positions.insert(String::new(), Span::new(0, 0));
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_whitespace();
            let start = self.pos;
            // Either a finished scalar, or a container that was opened (then read its members).
            let mut value = match self.peek() {
                Some(b'{') => {
                    self.open(&stack)?;
                    let pointer = stack.last().map_or_else(String::new, Frame::child_pointer);
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::Object(Map::new())
                    } else {
                        let key = self.member_key(&pointer, &Map::new())?;
                        stack.push(Frame::Object {
                            map: Map::new(),
                            start,
                            pointer,
                            key,
                        });
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open(&stack)?;
                    let pointer = stack.last().map_or_else(String::new, Frame::child_pointer);
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Value::Array(Vec::new())
                    } else {
                        stack.push(Frame::Array {
                            items: Vec::new(),
                            start,
                            pointer,
                            item_start: self.pos,
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => Value::String(self.string()?),
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                Some(b'\'') => {
                    return Err(self.error_here(
                        "single quotes are not allowed in JSON; use double quotes for strings",
                    ));
                }
                _ => {
                    return Err(self.unexpected(
                        "expected a JSON value (object, array, string, number, true, false or null)",
                    ));
                }
            };
            let mut span = Span::new(start, self.pos);
            // Hand the finished value to its container; close every container it finishes.
            loop {
                let Some(mut frame) = stack.pop() else {
                    self.skip_whitespace();
                    if self.pos < self.bytes.len() {
                        return Err(self.unexpected(
                            "unexpected content after the JSON value; a file holds exactly one value",
                        ));
                    }
                    return Ok(Decoded {
                        value,
                        positions: self.positions,
                    });
                };
                let (close, what) = match &mut frame {
                    Frame::Array {
                        items,
                        pointer,
                        item_start,
                        ..
                    } => {
                        let at = pointer::push_index(pointer, items.len());
                        if !matches!(value, Value::Array(_) | Value::Object(_)) {
                            self.positions.insert_value(at.clone(), span);
                        }
                        self.positions.insert(at, Span::new(*item_start, span.end));
                        items.push(value);
                        (b']', "expected ',' or ']' after array element")
                    }
                    Frame::Object {
                        map, key, pointer, ..
                    } => {
                        if !matches!(value, Value::Array(_) | Value::Object(_)) {
                            self.positions
                                .insert_value(pointer::push(pointer, key), span);
                        }
                        map.insert(std::mem::take(key), value);
                        (b'}', "expected ',' or '}' after object member")
                    }
                };
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(close) {
                            return Err(trailing_comma(comma));
                        }
                        match &mut frame {
                            Frame::Array { item_start, .. } => *item_start = self.pos,
                            Frame::Object {
                                map, pointer, key, ..
                            } => *key = self.member_key(pointer, map)?,
                        }
                        stack.push(frame);
                        continue 'value;
                    }
                    Some(b) if b == close => {
                        self.pos += 1;
                        let start;
                        (value, start) = match frame {
                            Frame::Array { items, start, .. } => (Value::Array(items), start),
                            Frame::Object { map, start, .. } => (Value::Object(map), start),
                        };
                        span = Span::new(start, self.pos);
                    }
                    _ => return Err(self.unexpected(what)),
                }
            }
        }
    }

    /// Steps over a `[` or `{`, refusing to nest deeper than the limit.
    fn open(&mut self, stack: &[Frame]) -> Result<(), DecodeError> {
        if stack.len() >= MAX_DEPTH {
            return Err(DecodeError::too_deep(self.char_span()));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads `"key":` (the cursor is at the key), records the key's span as the member's
    /// position and refuses a key the object already has.
    fn member_key(
        &mut self,
        object: &str,
        map: &Map<String, Value>,
    ) -> Result<String, DecodeError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {}
            Some(b'\'') => {
                return Err(self.error_here(
                    "single quotes are not allowed in JSON; put object keys in double quotes",
                ));
            }
            _ => {
                return Err(self.unexpected("expected an object key in double quotes"));
            }
        }
        let key = self.string()?;
        let span = Span::new(start, self.pos);
        if map.contains_key(&key) {
            return Err(DecodeError::duplicate_key(&key, span));
        }
        self.positions.insert(pointer::push(object, &key), span);
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("expected ':' after object key"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// Reads a string literal; the cursor is at its opening quote.
    fn string(&mut self) -> Result<String, DecodeError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Only ASCII bytes stop the run, so both ends are character boundaries.
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b'\n' | b'\r') => {
                    return Err(self.error_here(
                        "line break inside a string: JSON strings end on the line they start; \
                         close the string with '\"' or write \\n",
                    ));
                }
                Some(b) => {
                    return Err(self.error_here(format!(
                        "control character U+{b:04X} must be escaped in a JSON string (as \\u{b:04X})"
                    )));
                }
                None => {
                    return Err(DecodeError::syntax(
                        "unterminated string: add the closing '\"'",
                        Span::new(open, open + 1),
                    ));
                }
            }
        }
    }

    /// Reads one escape sequence; the cursor is at its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), DecodeError> {
        let backslash = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let first = self.hex4(backslash)?;
                let ch = if (0xD800..0xDC00).contains(&first) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(lone_surrogate(backslash, self.pos));
                    }
                    self.pos += 2;
                    let second = self.hex4(backslash)?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(lone_surrogate(backslash, self.pos));
                    }
                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                } else {
                    char::from_u32(first)
                };
                out.push(ch.ok_or_else(|| lone_surrogate(backslash, self.pos))?);
                return Ok(());
            }
            _ => {
                return Err(DecodeError::syntax(
                    "invalid escape: JSON allows \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\uXXXX",
                    Span::new(backslash, self.pos + self.char_len()),
                ));
            }
        };
        self.pos += 1;
        out.push(simple);
        Ok(())
    }

    /// Reads the four hex digits of a `\u` escape.
    fn hex4(&mut self, backslash: usize) -> Result<u32, DecodeError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| {
                    DecodeError::syntax(
                        "invalid \\u escape: write exactly four hex digits, as in \\u00e9",
                        Span::new(backslash, self.pos + self.char_len()),
                    )
                })?;
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }

    /// Reads a number. Integers that fit 64 bits stay integers; everything else is an f64.
    fn number(&mut self) -> Result<Value, DecodeError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_here("leading zeros are not allowed in JSON numbers"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("expected a digit after '-'")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("expected a digit in the exponent"));
            }
            self.digits();
        }
        let literal = &self.text[start..self.pos];
        if integer {
            if let Ok(n) = literal.parse::<i64>() {
                return Ok(Value::from(n));
            }
            if let Ok(n) = literal.parse::<u64>() {
                return Ok(Value::from(n));
            }
        }
        literal
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| {
                DecodeError::syntax(
                    "number is too large for a 64-bit float",
                    Span::new(start, self.pos),
                )
            })
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, DecodeError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected(
                "expected a JSON value (object, array, string, number, true, false or null)",
            ))
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Byte length of the character at the cursor (0 at the end).
    fn char_len(&self) -> usize {
        self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8)
    }

    fn char_span(&self) -> Span {
        Span::new(self.pos, self.pos + self.char_len())
    }

    fn error_here(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::syntax(message, self.char_span())
    }

    /// An error for the character at the cursor, naming the two mistakes people make most
    /// (comments, and files cut short) before what was expected.
    fn unexpected(&self, expected: &str) -> DecodeError {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"//") || rest.starts_with(b"/*") {
            self.error_here("comments are not allowed in JSON; remove the comment")
        } else if rest.is_empty() {
            self.error_here(format!("unexpected end of file: {expected}"))
        } else {
            self.error_here(expected)
        }
    }
}

fn trailing_comma(comma: usize) -> DecodeError {
    DecodeError::syntax(
        "trailing comma is not allowed in JSON; remove the comma",
        Span::new(comma, comma + 1),
    )
}

fn lone_surrogate(backslash: usize, end: usize) -> DecodeError {
    DecodeError::syntax(
        "invalid \\u escape: a UTF-16 surrogate must come as a high-low pair",
        Span::new(backslash, end),
    )
}
