//! Block-style YAML that [`crate::decode`] reads back to the same value.
//!
//! Written by hand: the maintained emitters (`saphyr`'s, `serde_yaml_ng`, `yaml_serde`) either
//! need the value copied into their own tree or decide quoting by their own (YAML 1.1-leaning)
//! rules, while what matters here is what *our* decoder makes of a plain scalar. So a string is
//! written plain only when the decoder reads exactly that string back from it; otherwise it is
//! double-quoted, or, for multi-line text in a mapping or list, a literal block (`|`) so
//! descriptions stay readable.

use serde_json::{Map, Value};

use crate::decode::{Format, decode};

/// Spaces added per nesting level; also the explicit indentation indicator of block scalars,
/// which counts from the column of the collection holding the scalar.
const STEP: usize = 2;

/// Implicit keys may not run past 1024 characters; longer ones are written as `? key`.
const LONG_KEY: usize = 1000;

pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        // A literal block's indentation has no parent to count from at the top level.
        _ => {
            inline(&mut out, value);
            out.push('\n');
        }
    }
    out
}

/// Writes the entries of a non-empty mapping whose first key starts where `out` ends and whose
/// other keys start at `column`.
fn mapping(out: &mut String, map: &Map<String, Value>, column: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            indent(out, column);
        }
        let mut written = String::new();
        string(&mut written, key, true);
        if written.len() > LONG_KEY {
            out.push_str("? ");
            out.push_str(&written);
            out.push('\n');
            indent(out, column);
        } else {
            out.push_str(&written);
        }
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                indent(out, column + STEP);
                mapping(out, inner, column + STEP);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                indent(out, column + STEP);
                sequence(out, items, column + STEP);
            }
            _ => {
                out.push(' ');
                scalar(out, value, column);
            }
        }
    }
}

/// Writes the entries of a non-empty sequence, laid out like [`mapping`]. Collections inside an
/// entry start on the line of its `- `.
fn sequence(out: &mut String, items: &[Value], column: usize) {
    for (i, value) in items.iter().enumerate() {
        if i > 0 {
            indent(out, column);
        }
        out.push_str("- ");
        match value {
            Value::Object(inner) if !inner.is_empty() => mapping(out, inner, column + STEP),
            Value::Array(inner) if !inner.is_empty() => sequence(out, inner, column + STEP),
            _ => scalar(out, value, column),
        }
    }
}

/// Writes a scalar or empty collection and ends the line; `column` is that of the collection
/// holding it.
fn scalar(out: &mut String, value: &Value, column: usize) {
    match value {
        Value::String(s) if literal_block_fits(s) => literal_block(out, s, column),
        _ => {
            inline(out, value);
            out.push('\n');
        }
    }
}

fn inline(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // serde_json writes floats with a `.` or an exponent, which the core schema reads back
        // as a float, and integers as plain digits.
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s, false),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Writes `s` plain when that reads back as `s`, double-quoted otherwise.
fn string(out: &mut String, s: &str, key: bool) {
    if plain_fits(s, key) {
        out.push_str(s);
    } else {
        double_quoted(out, s);
    }
}

fn plain_fits(s: &str, key: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_whitespace()
        || s.ends_with(char::is_whitespace)
        || s.ends_with(':')
        || s.starts_with("...")
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c == '\t' || c == '\n' || needs_escape(c))
        // A plain `<<` key would be read as a merge key.
        || (key && s == "<<")
        // YAML 1.1 readers take these for booleans; quoting keeps such tools in agreement.
        || ["y", "n", "yes", "no", "on", "off"]
            .iter()
            .any(|w| s.eq_ignore_ascii_case(w))
    {
        return false;
    }
    matches!(decode(Format::Yaml, s), Ok(d) if d.value.as_str() == Some(s))
}

/// Characters a YAML reader would not take literally: non-printable ones, the byte-order mark,
/// and the line separators YAML 1.1 still breaks lines at.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    ) || c == '\r'
}

fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Multi-line text whose every character a literal block keeps as written.
fn literal_block_fits(s: &str) -> bool {
    s.contains('\n') && !s.trim().is_empty() && !s.chars().any(|c| c == '\t' || needs_escape(c))
}

/// `|` with the chomping indicator that keeps exactly the trailing line breaks of `s`, and an
/// explicit indentation when the first line starts with a space (or is empty), which would
/// otherwise be taken for indentation.
fn literal_block(out: &mut String, s: &str, column: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push('|');
    if body.starts_with([' ', '\n']) {
        out.push_str(&STEP.to_string());
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, column + STEP);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

fn indent(out: &mut String, column: usize) {
    out.extend(std::iter::repeat_n(' ', column));
}
