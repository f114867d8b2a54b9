//! The canonical TOON encoder of docs/formats.md#toon-encoding, used for every response.
//!
//! We wrote our own rather than use the crates.io `toon-format` crate so that the output is
//! exactly the canonical form our spec fixes (quoting, number and list-item layout) and always
//! decodes back through our strict decoder (`decode/toon.rs`), which is in turn our own because
//! that crate records no source positions; keeping both sides here lets one round-trip property
//! test pin them to each other.

use serde_json::{Map, Number, Value};

/// Encodes `value` as TOON. Decoding the result gives back `value` (key order included, except
/// that a tabular array's rows take the first row's field order, docs/formats.md#toon-encoding).
pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) => fields(&mut out, map, 0),
        Value::Array(items) => array(&mut out, items, 1, true),
        _ => primitive(&mut out, value),
    }
    out
}

/// Starts a new line at `depth`.
fn line(out: &mut String, depth: usize) {
    if !out.is_empty() {
        out.push('\n');
    }
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn fields(out: &mut String, map: &Map<String, Value>, depth: usize) {
    for (key, value) in map {
        line(out, depth);
        field(out, key, value, depth + 1);
    }
}

/// Writes `key…` on the current line, with nested content at `child`.
fn field(out: &mut String, key: &str, value: &Value, child: usize) {
    write_key(out, key);
    match value {
        Value::Object(map) => {
            out.push(':');
            fields(out, map, child);
        }
        Value::Array(items) => array(out, items, child, true),
        _ => {
            out.push_str(": ");
            primitive(out, value);
        }
    }
}

/// Writes an array's header after its key (if any) and its rows or items at `child`. Arrays
/// that are themselves list items are never tabular (docs/formats.md#toon-encoding).
fn array(out: &mut String, items: &[Value], child: usize, tabular: bool) {
    out.push('[');
    out.push_str(&items.len().to_string());
    out.push(']');
    if items.is_empty() {
        out.push(':');
        return;
    }
    if items.iter().all(is_primitive) {
        out.push_str(": ");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            primitive(out, item);
        }
        return;
    }
    if let Some(names) = table_fields(items).filter(|_| tabular) {
        out.push('{');
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_key(out, name);
        }
        out.push_str("}:");
        for item in items {
            line(out, child);
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                primitive(out, item.get(name).unwrap_or(&Value::Null));
            }
        }
        return;
    }
    out.push(':');
    for item in items {
        line(out, child);
        list_item(out, item, child);
    }
}

/// A list item whose hyphen stands at `depth` (the line is started).
fn list_item(out: &mut String, item: &Value, depth: usize) {
    match item {
        Value::Object(map) if map.is_empty() => out.push('-'),
        Value::Object(map) => {
            out.push_str("- ");
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    line(out, depth + 1);
                }
                // The first field stands one level below the hyphen, so its content is two.
                field(out, key, value, depth + 2);
            }
        }
        Value::Array(items) => {
            out.push_str("- ");
            array(out, items, depth + 1, false);
        }
        _ => {
            out.push_str("- ");
            primitive(out, item);
        }
    }
}

/// The field names of a tabular array: every item an object with the same non-empty key set and
/// only primitive values, named in the first item's order.
fn table_fields(items: &[Value]) -> Option<Vec<&str>> {
    let Value::Object(first) = items.first()? else {
        return None;
    };
    if first.is_empty() {
        return None;
    }
    for item in items {
        let Value::Object(map) = item else {
            return None;
        };
        if map.len() != first.len() || !first.keys().all(|k| map.get(k).is_some_and(is_primitive)) {
            return None;
        }
    }
    Some(first.keys().map(String::as_str).collect())
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn primitive(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => number(out, n),
        Value::String(s) if needs_quotes(s) => quoted(out, s),
        Value::String(s) => out.push_str(s),
        Value::Array(_) | Value::Object(_) => {
            unreachable!("arrays and objects are written by their own callers")
        }
    }
}

/// Integers as digits; floats in the shortest form that reads back to the same float, never with
/// an exponent (Rust's `Display` for `f64` gives exactly that). A float whose digits would read
/// back as a 64-bit integer keeps `.0`, since the decoder (like JSON's) makes such tokens
/// integers and the round trip must give the same value.
fn number(out: &mut String, n: &Number) {
    if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else {
        match n.as_f64() {
            Some(f) if f.is_finite() => {
                // `+ 0.0` turns -0.0 into 0.0: no sign (docs/formats.md#toon-encoding).
                let text = (f + 0.0).to_string();
                let reads_as_integer = !text.contains('.')
                    && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok());
                out.push_str(&text);
                if reads_as_integer {
                    out.push_str(".0");
                }
            }
            _ => out.push_str("null"),
        }
    }
}

fn write_key(out: &mut String, key: &str) {
    let mut chars = key.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if plain {
        out.push_str(key);
    } else {
        quoted(out, key);
    }
}

/// Whether a string value must be quoted to read back as this string
/// (docs/formats.md#toon-encoding). A leading byte-order mark is quoted as well, because a decoder
/// skips one at the start of a document.
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || matches!(s, "true" | "false" | "null")
        || s.starts_with(['-', '#', '\u{feff}'])
        || s.bytes().any(|b| {
            matches!(
                b,
                b':' | b'"' | b'\\' | b'[' | b']' | b'{' | b'}' | b'\n' | b'\r' | b'\t' | b','
            )
        })
        || looks_numeric(s)
}

/// Whether any common decoder could read `s` as a number: an optional sign, digits and/or a
/// decimal point with digits, an optional exponent (`42`, `-3.5`, `1e6`, `+1`, `.5`, `1.`, `05`).
fn looks_numeric(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

fn quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}
