//! The strict TOON decoder of docs/formats.md#toon-lines-and-indentation to
//! docs/formats.md#toon-errors, recording where every value was written.
//!
//! We wrote our own rather than use the crates.io `toon-format` crate because every later
//! diagnostic must point at the key or list marker of the value it concerns: that crate reports
//! only a line and column for parse errors and records no source position for decoded values (its
//! experimental layout metadata describes array shapes, not spans). It also accepts constructs our
//! spec rejects (key folding, keyed tabular objects) and cannot produce our [`DecodeError`] kinds.
//!
//! One pass: the text is cut into content lines once (comments dropped, indentation checked),
//! then a recursive descent over those lines builds the value; every line is classified once and
//! no line is skipped without either consuming it or reporting it.

use std::collections::HashSet;

use serde_json::{Map, Number, Value};

use super::{DecodeError, Decoded, MAX_DEPTH, Positions};
use crate::pointer;
use crate::text::Span;

pub(super) fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let (lines, pending) = split_lines(text);
    let mut parser = Parser {
        lines,
        pending,
        next: 0,
        open_arrays: 0,
        positions: Positions::default(),
    };
    let value = parser.document()?;
    Ok(Decoded {
        value,
        positions: parser.positions,
    })
}

/// The full-line comments (the only kind TOON has), as [`split_lines`] recognises them.
pub(super) fn comments(text: &str) -> Vec<super::Comment> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for raw in text.split('\n') {
        let start = line_start;
        line_start += raw.len() + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if let Some(rest) = content.strip_prefix('#') {
            found.push(super::Comment {
                text: rest.trim_end().to_owned(),
                at: start + raw.len() - content.len(),
                own_line: true,
            });
        }
    }
    found
}

/// A line that is neither blank nor a comment.
#[derive(Clone, Copy)]
struct Line<'a> {
    depth: usize,
    /// The text after the indentation, without CR and trailing spaces.
    content: &'a str,
    /// Byte offset of `content`.
    at: usize,
    /// The first blank line between the previous content line and this one: blank lines are
    /// only an error when they turn out to sit inside an array's span, which is known only once
    /// the next content line is consumed.
    blank_before: Option<Span>,
}

/// Cuts the text into content lines. Stops at the first line with broken indentation and hands
/// that error back separately, so that the parser reports it only when it gets there and errors
/// still come out in document order.
fn split_lines(text: &str) -> (Vec<Line<'_>>, Option<DecodeError>) {
    let mut lines = Vec::new();
    let mut blank = None;
    let mut line_start = 0;
    for raw in text.split('\n') {
        let start = line_start;
        line_start += raw.len() + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim_end_matches(' ');
        let content = trimmed.trim_start_matches(' ');
        let indent = trimmed.len() - content.len();
        let at = start + indent;
        match content.as_bytes().first() {
            None => {
                blank.get_or_insert(Span::new(start, start + raw.len()));
                continue;
            }
            Some(b'#') => continue,
            Some(b'\t') => {
                let error = DecodeError::syntax(
                    "tabs are not allowed in indentation; indent with 2 spaces per level",
                    Span::new(at, at + 1),
                );
                return (lines, Some(error));
            }
            Some(_) => {}
        }
        if indent % 2 != 0 {
            let error = DecodeError::syntax(
                format!(
                    "indentation must be a multiple of 2 spaces (this line has {indent}); \
                     indent with 2 spaces per level"
                ),
                Span::new(at - 1, at),
            );
            return (lines, Some(error));
        }
        lines.push(Line {
            depth: indent / 2,
            content,
            at,
            blank_before: blank.take(),
        });
    }
    (lines, None)
}

/// Recursive descent over the content lines. Functions take two counters: `depth`, the
/// indentation level the lines they read must sit at, and `nest`, the nesting level of arrays and
/// objects for [`MAX_DEPTH`]. They differ because a list item's first field shares the hyphen's
/// line yet counts as one level deeper (docs/formats.md#toon-arrays), and inline arrays and table
/// rows nest without indenting.
struct Parser<'a> {
    lines: Vec<Line<'a>>,
    /// The indentation error that ended [`split_lines`], raised when the parser reaches it.
    pending: Option<DecodeError>,
    next: usize,
    /// Arrays that have consumed their first item or row and not yet their last: while any is
    /// open, a blank line is inside an array's span.
    open_arrays: usize,
    positions: Positions,
}

/// What a line (or the text after a list item's `- `) is, by docs/formats.md#toon-kinds-of-line.
enum Kind<'a> {
    Header(Header<'a>),
    Pair {
        key: String,
        key_span: Span,
        value: &'a str,
        value_at: usize,
    },
    Bare {
        text: &'a str,
        at: usize,
    },
}

struct Header<'a> {
    key: Option<(String, Span)>,
    /// The header as written, up to its colon, to name it in messages.
    text: &'a str,
    /// Where the header starts: its key, or `[` when it has none.
    at: usize,
    len: usize,
    len_span: Span,
    delim: u8,
    fields: Option<Vec<(String, Span)>>,
    /// Inline values after the colon.
    rest: &'a str,
    rest_at: usize,
}

impl Header<'_> {
    fn name(&self) -> &str {
        self.key.as_ref().map_or("array", |(k, _)| k.as_str())
    }

    fn span(&self) -> Span {
        self.key
            .as_ref()
            .map_or(Span::new(self.at, self.at + 1), |(_, s)| *s)
    }

    fn too_many(&self, span: Span) -> DecodeError {
        DecodeError::syntax(
            format!(
                "{}: declared {} items but found more; update the count in {} or remove the \
                 extra item",
                self.name(),
                self.len,
                self.text
            ),
            span,
        )
    }

    fn too_few(&self, found: usize) -> DecodeError {
        DecodeError::syntax(
            format!(
                "{}: declared {} items but found {found}; update the count in {} or add the \
                 missing items",
                self.name(),
                self.len,
                self.text
            ),
            self.len_span,
        )
    }
}

impl<'a> Parser<'a> {
    /// The next content line, not consumed.
    fn peek(&mut self) -> Result<Option<Line<'a>>, DecodeError> {
        match self.lines.get(self.next) {
            Some(line) => Ok(Some(*line)),
            None => match self.pending.take() {
                Some(error) => Err(error),
                None => Ok(None),
            },
        }
    }

    /// Consumes the line last returned by [`Parser::peek`].
    fn take(&mut self, line: &Line<'a>) -> Result<(), DecodeError> {
        self.next += 1;
        match line.blank_before {
            Some(blank) if self.open_arrays > 0 => Err(DecodeError::syntax(
                "blank line inside an array; remove it (blank lines may only separate lines \
                 outside arrays)",
                blank,
            )),
            _ => Ok(()),
        }
    }

    fn document(&mut self) -> Result<Value, DecodeError> {
        self.positions.insert(String::new(), Span::new(0, 0));
        let Some(first) = self.peek()? else {
            return Ok(Value::Object(Map::new()));
        };
        if first.depth == 0 && !is_item(first.content) {
            let only_line = self.lines.len() == 1 && self.pending.is_none();
            match classify(first.content, first.at)? {
                Kind::Header(header) if header.key.is_none() => {
                    self.take(&first)?;
                    let value = self.array(&header, 0, "", 1)?;
                    if let Some(extra) = self.peek()? {
                        return Err(DecodeError::syntax(
                            "nothing may follow a root array; remove this line or give the \
                             array a key",
                            char_span(extra.content, extra.at, 0),
                        ));
                    }
                    return Ok(value);
                }
                Kind::Bare { text, at } if only_line => {
                    self.take(&first)?;
                    return token(text, at, true, 1);
                }
                _ => {}
            }
        }
        let mut map = Map::new();
        self.fields(0, &mut map, "", 1)?;
        Ok(Value::Object(map))
    }

    /// Reads the fields of an object whose lines sit at `depth` into `map`; `nest` is the
    /// object's nesting level.
    fn fields(
        &mut self,
        depth: usize,
        map: &mut Map<String, Value>,
        ptr: &str,
        nest: usize,
    ) -> Result<(), DecodeError> {
        while let Some(line) = self.peek()? {
            if line.depth < depth {
                break;
            }
            if line.depth > depth {
                return Err(too_indented(&line, depth));
            }
            self.take(&line)?;
            if is_item(line.content) {
                return Err(DecodeError::syntax(
                    "list item outside a list array; `- ` items belong directly under an array \
                     header such as `key[N]:`",
                    Span::new(line.at, line.at + 1),
                ));
            }
            let kind = classify(line.content, line.at)?;
            self.field(kind, depth, map, ptr, nest)?;
        }
        Ok(())
    }

    /// One field written as if alone on a line at `depth` (its nested content one deeper).
    fn field(
        &mut self,
        kind: Kind<'a>,
        depth: usize,
        map: &mut Map<String, Value>,
        ptr: &str,
        nest: usize,
    ) -> Result<(), DecodeError> {
        match kind {
            Kind::Bare { text, at } => {
                if text.starts_with('"') {
                    parse_quoted(text, at)?;
                }
                Err(DecodeError::syntax(
                    "missing colon after key; write `key: value`, or `key:` followed by nested \
                     lines",
                    Span::new(at + text.len(), at + text.len()),
                ))
            }
            Kind::Header(header) => {
                let Some((key, key_span)) = &header.key else {
                    return Err(DecodeError::syntax(
                        "array header without a key; write `key[N]:` (only a root array or a \
                         list item may omit the key)",
                        header.span(),
                    ));
                };
                check_duplicate(map, key, *key_span)?;
                let child = pointer::push(ptr, key);
                self.positions.insert(child.clone(), *key_span);
                let value = self.array(&header, depth, &child, nest + 1)?;
                map.insert(key.clone(), value);
                Ok(())
            }
            Kind::Pair {
                key,
                key_span,
                value,
                value_at,
            } => {
                check_duplicate(map, &key, key_span)?;
                let child = pointer::push(ptr, &key);
                self.positions.insert(child.clone(), key_span);
                let value = if value.is_empty() {
                    check_nest(nest + 1, key_span)?;
                    let mut object = Map::new();
                    self.fields(depth + 1, &mut object, &child, nest + 1)?;
                    Value::Object(object)
                } else {
                    self.positions
                        .insert_value(child, Span::new(value_at, value_at + value.len()));
                    token(value, value_at, true, nest + 1)?
                };
                map.insert(key, value);
                Ok(())
            }
        }
    }

    /// The array a header opens; the header stands at `depth`, its items or rows one deeper.
    fn array(
        &mut self,
        header: &Header<'a>,
        depth: usize,
        ptr: &str,
        nest: usize,
    ) -> Result<Value, DecodeError> {
        check_nest(nest, header.span())?;
        match &header.fields {
            Some(_) if !header.rest.is_empty() => Err(DecodeError::syntax(
                "a tabular header cannot also have inline values; put the rows on their own \
                 lines below it",
                char_span(header.rest, header.rest_at, 0),
            )),
            Some(fields) => self.table(header, fields, depth + 1, ptr, nest),
            None if !header.rest.is_empty() => self.inline(header, ptr, nest),
            None => self.list(header, depth + 1, ptr, nest),
        }
    }

    fn inline(
        &mut self,
        header: &Header<'a>,
        ptr: &str,
        nest: usize,
    ) -> Result<Value, DecodeError> {
        let mut items = Vec::new();
        for (start, end) in Pieces::new(header.rest, header.delim) {
            let at = header.rest_at + start;
            let span = Span::new(at, header.rest_at + end);
            if items.len() == header.len {
                return Err(header.too_many(span));
            }
            let value = token(&header.rest[start..end], at, false, nest + 1)?;
            self.positions
                .insert(pointer::push_index(ptr, items.len()), span);
            items.push(value);
        }
        if items.len() < header.len {
            return Err(header.too_few(items.len()));
        }
        Ok(Value::Array(items))
    }

    /// A list array's `- ` items at `depth`.
    fn list(
        &mut self,
        header: &Header<'a>,
        depth: usize,
        ptr: &str,
        nest: usize,
    ) -> Result<Value, DecodeError> {
        let mut items = Vec::new();
        while let Some(line) = self.peek()? {
            if line.depth < depth || (line.depth == depth && !is_item(line.content)) {
                break;
            }
            if line.depth > depth {
                return Err(too_indented(&line, depth));
            }
            if items.len() == header.len {
                return Err(header.too_many(Span::new(line.at, line.at + 1)));
            }
            self.take(&line)?;
            if items.is_empty() {
                self.open_arrays += 1;
            }
            let item_ptr = pointer::push_index(ptr, items.len());
            items.push(self.item(line, depth, &item_ptr, nest + 1)?);
        }
        if !items.is_empty() {
            self.open_arrays -= 1;
        }
        if items.len() < header.len {
            return Err(header.too_few(items.len()));
        }
        Ok(Value::Array(items))
    }

    /// One list item whose hyphen stands at `depth`; `nest` is the item's nesting level.
    fn item(
        &mut self,
        line: Line<'a>,
        depth: usize,
        ptr: &str,
        nest: usize,
    ) -> Result<Value, DecodeError> {
        let hyphen = Span::new(line.at, line.at + 1);
        self.positions.insert(ptr.to_owned(), hyphen);
        let kind = match line.content.strip_prefix("- ") {
            None => None,
            Some(rest) => {
                let rest = rest.trim_start_matches(' ');
                Some(classify(rest, line.at + line.content.len() - rest.len())?)
            }
        };
        match kind {
            Some(Kind::Header(header)) if header.key.is_none() => {
                self.array(&header, depth, ptr, nest)
            }
            Some(Kind::Bare { text, at }) => {
                self.positions
                    .insert_value(ptr.to_owned(), Span::new(at, at + text.len()));
                token(text, at, true, nest)
            }
            first => {
                check_nest(nest, hyphen)?;
                let mut object = Map::new();
                if let Some(kind) = first {
                    self.field(kind, depth + 1, &mut object, ptr, nest)?;
                }
                self.fields(depth + 1, &mut object, ptr, nest)?;
                Ok(Value::Object(object))
            }
        }
    }

    /// A tabular array's rows at `depth`.
    fn table(
        &mut self,
        header: &Header<'a>,
        fields: &[(String, Span)],
        depth: usize,
        ptr: &str,
        nest: usize,
    ) -> Result<Value, DecodeError> {
        let mut rows = Vec::new();
        let mut cells = Vec::with_capacity(fields.len());
        while let Some(line) = self.peek()? {
            if line.depth < depth {
                break;
            }
            if line.depth > depth {
                return Err(too_indented(&line, depth));
            }
            // A colon before the first delimiter makes this a key–value line, which ends the rows.
            if let Some((_, b':')) = find_unquoted(line.content.as_bytes(), &[b':', header.delim]) {
                break;
            }
            let row_span = Span::new(line.at, line.at + line.content.len());
            if rows.len() == header.len {
                return Err(header.too_many(row_span));
            }
            self.take(&line)?;
            if rows.is_empty() {
                self.open_arrays += 1;
                check_nest(nest + 1, row_span)?;
            }
            cells.clear();
            cells.extend(Pieces::new(line.content, header.delim));
            if cells.len() != fields.len() {
                let span = match cells.get(fields.len()) {
                    Some(&(start, _)) => char_span(line.content, line.at, start),
                    None => Span::new(row_span.end, row_span.end),
                };
                return Err(DecodeError::syntax(
                    format!(
                        "row has {} values but the header declares {} fields; add or remove \
                         values (quote a value that contains the delimiter)",
                        cells.len(),
                        fields.len()
                    ),
                    span,
                ));
            }
            let row_ptr = pointer::push_index(ptr, rows.len());
            let mut object = Map::new();
            for ((name, _), &(start, end)) in fields.iter().zip(&cells) {
                let at = line.at + start;
                let value = token(&line.content[start..end], at, false, nest + 2)?;
                self.positions
                    .insert(pointer::push(&row_ptr, name), Span::new(at, line.at + end));
                object.insert(name.clone(), value);
            }
            self.positions.insert(row_ptr, row_span);
            rows.push(Value::Object(object));
        }
        if !rows.is_empty() {
            self.open_arrays -= 1;
        }
        if rows.len() < header.len {
            return Err(header.too_few(rows.len()));
        }
        Ok(Value::Array(rows))
    }
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

fn too_indented(line: &Line<'_>, depth: usize) -> DecodeError {
    let fix = match depth {
        0 => "remove the indentation".to_owned(),
        d => format!("indent it by {} spaces or fewer", 2 * d),
    };
    DecodeError::syntax(
        format!("unexpected indentation: this line is deeper than its parent allows; {fix}"),
        char_span(line.content, line.at, 0),
    )
}

fn check_nest(nest: usize, span: Span) -> Result<(), DecodeError> {
    if nest > MAX_DEPTH {
        return Err(DecodeError::too_deep(span));
    }
    Ok(())
}

fn check_duplicate(map: &Map<String, Value>, key: &str, span: Span) -> Result<(), DecodeError> {
    if map.contains_key(key) {
        return Err(DecodeError::duplicate_key(key, span));
    }
    Ok(())
}

/// The span of the character at byte `i` of `s` (empty at the end of `s`); `at` is where `s`
/// starts.
fn char_span(s: &str, at: usize, i: usize) -> Span {
    let len = s[i..].chars().next().map_or(0, char::len_utf8);
    Span::new(at + i, at + i + len)
}

/// The first of `targets` outside double quotes, with its index. Every target is ASCII, so a
/// byte scan never lands inside a multi-byte character.
fn find_unquoted(s: &[u8], targets: &[u8]) -> Option<(usize, u8)> {
    let mut quoted = false;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if quoted {
            match b {
                b'\\' => i += 1,
                b'"' => quoted = false,
                _ => {}
            }
        } else if b == b'"' {
            quoted = true;
        } else if targets.contains(&b) {
            return Some((i, b));
        }
        i += 1;
    }
    None
}

/// The pieces of `s` between delimiters outside quotes, each trimmed of spaces, as byte ranges.
struct Pieces<'a> {
    s: &'a str,
    delim: u8,
    /// Start of the next piece; `None` once the last one was returned.
    next: Option<usize>,
}

impl<'a> Pieces<'a> {
    fn new(s: &'a str, delim: u8) -> Self {
        Self {
            s,
            delim,
            next: Some(0),
        }
    }
}

impl Iterator for Pieces<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let start = self.next?;
        let rest = &self.s.as_bytes()[start..];
        let end = match find_unquoted(rest, &[self.delim]) {
            Some((i, _)) => {
                self.next = Some(start + i + 1);
                start + i
            }
            None => {
                self.next = None;
                self.s.len()
            }
        };
        let piece = &self.s[start..end];
        let lead = piece.len() - piece.trim_start_matches(' ').len();
        let trail = piece.len() - piece.trim_end_matches(' ').len();
        if lead == piece.len() {
            return Some((start, start));
        }
        Some((start + lead, end - trail))
    }
}

/// Classifies a line's content (or the text after a list item's `- `) that starts at `at`.
fn classify(content: &str, at: usize) -> Result<Kind<'_>, DecodeError> {
    let bytes = content.as_bytes();
    match find_unquoted(bytes, b":[") {
        Some((open, b'[')) if find_unquoted(&bytes[open..], b":").is_some() => {
            parse_header(content, at, open).map(Kind::Header)
        }
        Some((colon, b':')) => parse_pair(content, at, colon),
        _ => Ok(Kind::Bare { text: content, at }),
    }
}

fn parse_pair(content: &str, at: usize, colon: usize) -> Result<Kind<'_>, DecodeError> {
    let (key, key_span) = if content.starts_with('"') {
        let (key, end) = parse_quoted(content, at)?;
        if end != colon {
            return Err(DecodeError::syntax(
                "a quoted key must be followed directly by `:`",
                char_span(content, at, end),
            ));
        }
        (key, Span::new(at, at + end))
    } else {
        let raw = content[..colon].trim_end_matches(' ');
        if raw.is_empty() {
            return Err(DecodeError::syntax(
                "missing key before `:`; write `key: value`",
                char_span(content, at, colon),
            ));
        }
        check_key(raw, at, b"")?;
        (raw.to_owned(), Span::new(at, at + raw.len()))
    };
    let value = content[colon + 1..].trim_start_matches(' ');
    Ok(Kind::Pair {
        key,
        key_span,
        value,
        value_at: at + content.len() - value.len(),
    })
}

/// Checks an unquoted key or field name; `also` are further bytes it may not contain.
fn check_key(raw: &str, at: usize, also: &[u8]) -> Result<(), DecodeError> {
    if raw.starts_with('#') || raw.starts_with("- ") {
        return Err(DecodeError::syntax(
            format!(
                "key `{raw}` cannot start with `{}`; quote it: \"{raw}\"",
                &raw[..if raw.starts_with('#') { 1 } else { 2 }]
            ),
            Span::new(at, at + 1),
        ));
    }
    match raw
        .bytes()
        .position(|b| matches!(b, b'"' | b'[' | b']' | b'{' | b'}') || also.contains(&b))
    {
        Some(i) => Err(DecodeError::syntax(
            format!(
                "key `{raw}` contains `{}`; quote the key (escape `\"` as `\\\"`)",
                char::from(raw.as_bytes()[i]).escape_default()
            ),
            Span::new(at + i, at + i + 1),
        )),
        None => Ok(()),
    }
}

/// Parses `key[N<delim>]{fields}:` and what follows; `open` is the index of `[`.
fn parse_header(content: &str, at: usize, open: usize) -> Result<Header<'_>, DecodeError> {
    let b = content.as_bytes();
    let key = if open == 0 {
        None
    } else if b[0] == b'"' {
        let (key, end) = parse_quoted(content, at)?;
        if end != open {
            return Err(DecodeError::syntax(
                "a quoted key must be followed directly by `[` or `:`",
                char_span(content, at, end),
            ));
        }
        Some((key, Span::new(at, at + end)))
    } else {
        let raw = &content[..open];
        if raw.ends_with(' ') {
            return Err(DecodeError::syntax(
                "space between key and `[`; write the array header as `key[N]:`",
                Span::new(at + open - 1, at + open),
            ));
        }
        check_key(raw, at, b"")?;
        Some((raw.to_owned(), Span::new(at, at + open)))
    };

    let mut i = open + 1;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let digits = &content[open + 1..i];
    let len_span = Span::new(at + open + 1, at + i);
    if digits.is_empty() {
        return Err(DecodeError::syntax(
            "invalid array length: write the number of items inside the brackets, e.g. `[3]`",
            char_span(content, at, i),
        ));
    }
    if digits.len() > 1 && digits.starts_with('0') {
        let fixed = match digits.trim_start_matches('0') {
            "" => "0",
            d => d,
        };
        return Err(DecodeError::syntax(
            format!("invalid array length `{digits}`: remove the leading zero, e.g. `[{fixed}]`"),
            len_span,
        ));
    }
    let len: usize = digits.parse().map_err(|_| {
        DecodeError::syntax(
            format!("invalid array length `{digits}`: too large"),
            len_span,
        )
    })?;

    let delim = match b.get(i) {
        Some(&d @ (b'|' | b'\t')) => {
            i += 1;
            d
        }
        _ => b',',
    };
    if b.get(i) != Some(&b']') {
        let hint = if b.get(i) == Some(&b',') {
            "; comma is the default delimiter, so write `[N]` without it"
        } else {
            ""
        };
        return Err(DecodeError::syntax(
            format!(
                "expected `]` after the array length (optionally `|` or a tab before it){hint}"
            ),
            char_span(content, at, i),
        ));
    }
    i += 1;

    let fields = if b.get(i) == Some(&b'{') {
        let (fields, close) = parse_fields(content, at, i, delim)?;
        i = close + 1;
        Some(fields)
    } else {
        None
    };
    if b.get(i) != Some(&b':') {
        return Err(DecodeError::syntax(
            "expected `:` after the array header `key[N]` or `key[N]{fields}`",
            char_span(content, at, i),
        ));
    }
    let rest = content[i + 1..].trim_start_matches(' ');
    Ok(Header {
        key,
        text: &content[..=i],
        at: at + open,
        len,
        len_span,
        delim,
        fields,
        rest,
        rest_at: at + content.len() - rest.len(),
    })
}

/// Parses the field list whose `{` is at `open`; returns the fields and the index of `}`.
fn parse_fields(
    content: &str,
    at: usize,
    open: usize,
    delim: u8,
) -> Result<(Vec<(String, Span)>, usize), DecodeError> {
    let Some((len, _)) = find_unquoted(&content.as_bytes()[open + 1..], b"}") else {
        return Err(DecodeError::syntax(
            "missing `}` after the field names",
            char_span(content, at, open),
        ));
    };
    let close = open + 1 + len;
    let inner = &content[open + 1..close];
    let inner_at = at + open + 1;
    if inner.trim_matches(' ').is_empty() {
        return Err(DecodeError::syntax(
            "empty field list `{}`; name at least one field, or drop the braces for a list array",
            Span::new(at + open, at + close + 1),
        ));
    }
    let others: &[u8] = match delim {
        b'|' => b":,\t",
        b'\t' => b":,|",
        _ => b":|\t",
    };
    let mut fields = Vec::new();
    let mut seen = HashSet::new();
    for (start, end) in Pieces::new(inner, delim) {
        let text = &inner[start..end];
        let span = Span::new(inner_at + start, inner_at + end);
        let name = if text.starts_with('"') {
            let (name, after) = parse_quoted(text, span.start)?;
            if after != text.len() {
                return Err(DecodeError::syntax(
                    "unexpected text after a quoted field name; separate fields with the \
                     header's delimiter",
                    char_span(text, span.start, after),
                ));
            }
            name
        } else {
            if text.is_empty() {
                return Err(DecodeError::syntax(
                    "empty field name; remove the extra delimiter or quote an empty name as \"\"",
                    span,
                ));
            }
            if let Some(i) = text.bytes().position(|b| matches!(b, b',' | b'|' | b'\t')) {
                return Err(DecodeError::syntax(
                    format!(
                        "field names are separated by `{}` but the header's delimiter is `{}`; \
                         use the bracket's delimiter (`[N]` comma, `[N|]` pipe, `[N<TAB>]` tab)",
                        char::from(text.as_bytes()[i]).escape_default(),
                        char::from(delim).escape_default()
                    ),
                    Span::new(span.start + i, span.start + i + 1),
                ));
            }
            check_key(text, span.start, others)?;
            text.to_owned()
        };
        if !seen.insert(name.clone()) {
            return Err(DecodeError::duplicate_key(&name, span));
        }
        fields.push((name, span));
    }
    Ok((fields, close))
}

/// Parses the quoted string that starts `s`; returns it and the index after its closing quote.
fn parse_quoted(s: &str, at: usize) -> Result<(String, usize), DecodeError> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut segment = 1;
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'"' => {
                out.push_str(&s[segment..i]);
                return Ok((out, i + 1));
            }
            b'\\' => {
                out.push_str(&s[segment..i]);
                let unescaped = match b.get(i + 1) {
                    Some(b'\\') => '\\',
                    Some(b'"') => '"',
                    Some(b'n') => '\n',
                    Some(b'r') => '\r',
                    Some(b't') => '\t',
                    Some(_) => {
                        let bad = char_span(s, at, i + 1);
                        return Err(DecodeError::syntax(
                            format!(
                                "invalid escape \\{} (only \\\\ \\\" \\n \\r \\t are allowed); \
                                 write \\\\ for a backslash",
                                &s[i + 1..bad.end - at]
                            ),
                            Span::new(at + i, bad.end),
                        ));
                    }
                    None => break,
                };
                out.push(unescaped);
                i += 2;
                segment = i;
            }
            _ => i += 1,
        }
    }
    Err(DecodeError::syntax(
        "unterminated string; add the closing `\"`",
        Span::new(at, at + 1),
    ))
}

/// A primitive token (docs/formats.md#toon-values-and-keys) at `at`. `[]` is an empty array only
/// where a whole value stands (after `key:` or `- `), not among inline values or row cells; `nest`
/// is the level an array would have.
fn token(s: &str, at: usize, allow_empty_array: bool, nest: usize) -> Result<Value, DecodeError> {
    if s.starts_with('"') {
        let (string, end) = parse_quoted(s, at)?;
        if end != s.len() {
            return Err(DecodeError::syntax(
                "unexpected text after the closing quote; put the whole value inside the quotes",
                char_span(s, at, end),
            ));
        }
        return Ok(Value::String(string));
    }
    Ok(match s {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        "[]" if allow_empty_array => {
            check_nest(nest, Span::new(at, at + 2))?;
            Value::Array(Vec::new())
        }
        _ => match number(s, at)? {
            Some(n) => Value::Number(n),
            None => Value::String(s.to_owned()),
        },
    })
}

/// The number `s` spells, if it follows the number grammar of docs/formats.md#toon-values-and-keys.
/// Integers (no fraction, no exponent) that fit 64 bits stay integers, like JSON and YAML read
/// them, so the same definition decodes to the same value in every format.
fn number(s: &str, at: usize) -> Result<Option<Number>, DecodeError> {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let int_start = usize::from(b.first() == Some(&b'-'));
    let mut i = digits(int_start);
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
        return Ok(None);
    }
    let mut integral = true;
    if b.get(i) == Some(&b'.') {
        let end = digits(i + 1);
        if end == i + 1 {
            return Ok(None);
        }
        i = end;
        integral = false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return Ok(None);
        }
        i = end;
        integral = false;
    }
    if i != b.len() {
        return Ok(None);
    }
    if integral {
        if let Ok(n) = s.parse::<u64>() {
            return Ok(Some(n.into()));
        }
        if let Ok(n) = s.parse::<i64>() {
            return Ok(Some(n.into()));
        }
    }
    let Ok(f) = s.parse::<f64>() else {
        return Ok(None);
    };
    if !f.is_finite() {
        return Err(DecodeError::syntax(
            format!("number `{s}` is out of range; quote it to keep it as text"),
            Span::new(at, at + s.len()),
        ));
    }
    // -0.0 is 0 (docs/formats.md#toon-values-and-keys).
    let f = if f == 0.0 { 0.0 } else { f };
    Ok(Number::from_f64(f))
}
