//! The JSON decoder: RFC 8259 and nothing more, errors at the offending character, positions.

use serde_json::json;
mod decode_support;

use decode_support::{ErrorCase, assert_errors};
use workflow_core::decode::{DecodeErrorKind, Format, MAX_DEPTH, decode};
use workflow_core::text::LineIndex;

const CASES: &[ErrorCase] = &[
    (
        "trailing comma in an array",
        "[1,\n 2,\n]",
        DecodeErrorKind::Syntax,
        "trailing comma is not allowed in JSON",
        2,
        3,
    ),
    (
        "trailing comma in an object",
        "{\"a\": 1,}",
        DecodeErrorKind::Syntax,
        "trailing comma is not allowed in JSON",
        1,
        8,
    ),
    (
        "line comment",
        "{\n  \"a\": 1 // why\n}",
        DecodeErrorKind::Syntax,
        "comments are not allowed in JSON",
        2,
        10,
    ),
    (
        "block comment",
        "/* header */ {}",
        DecodeErrorKind::Syntax,
        "comments are not allowed in JSON",
        1,
        1,
    ),
    (
        "duplicate key",
        "{\"id\": 1,\n \"id\": 2}",
        DecodeErrorKind::DuplicateKey,
        "duplicate key 'id'",
        2,
        2,
    ),
    (
        "unterminated string",
        "{\"a\": \"never closed",
        DecodeErrorKind::Syntax,
        "unterminated string",
        1,
        7,
    ),
    (
        "line break in a string",
        "[\"two\nlines\"]",
        DecodeErrorKind::Syntax,
        "line break inside a string",
        1,
        6,
    ),
    (
        "raw tab in a string",
        "[\"a\tb\"]",
        DecodeErrorKind::Syntax,
        "must be escaped",
        1,
        4,
    ),
    (
        "missing comma between members",
        "{\"a\": 1 \"b\": 2}",
        DecodeErrorKind::Syntax,
        "expected ',' or '}' after object member",
        1,
        9,
    ),
    (
        "missing comma between elements",
        "[true false]",
        DecodeErrorKind::Syntax,
        "expected ',' or ']' after array element",
        1,
        7,
    ),
    (
        "missing colon",
        "{\"a\" 1}",
        DecodeErrorKind::Syntax,
        "expected ':' after object key",
        1,
        6,
    ),
    (
        "unquoted key",
        "{a: 1}",
        DecodeErrorKind::Syntax,
        "expected an object key in double quotes",
        1,
        2,
    ),
    (
        "single quotes",
        "['a']",
        DecodeErrorKind::Syntax,
        "single quotes are not allowed",
        1,
        2,
    ),
    (
        "leading zero",
        "[007]",
        DecodeErrorKind::Syntax,
        "leading zeros",
        1,
        3,
    ),
    (
        "bare decimal point",
        "[1.]",
        DecodeErrorKind::Syntax,
        "expected a digit after the decimal point",
        1,
        4,
    ),
    (
        "invalid escape",
        "[\"\\x41\"]",
        DecodeErrorKind::Syntax,
        "invalid escape",
        1,
        3,
    ),
    (
        "lone surrogate",
        "[\"\\ud800\"]",
        DecodeErrorKind::Syntax,
        "surrogate",
        1,
        3,
    ),
    (
        "number out of range",
        "[1e400]",
        DecodeErrorKind::Syntax,
        "too large for a 64-bit float",
        1,
        2,
    ),
    (
        "two values",
        "{}\n{}",
        DecodeErrorKind::Syntax,
        "exactly one value",
        2,
        1,
    ),
    (
        "empty file",
        "",
        DecodeErrorKind::Syntax,
        "unexpected end of file",
        1,
        1,
    ),
    (
        "cut short",
        "{\"a\": [1, 2",
        DecodeErrorKind::Syntax,
        "unexpected end of file: expected ',' or ']'",
        1,
        12,
    ),
    (
        "not a JSON word",
        "{\"a\": True}",
        DecodeErrorKind::Syntax,
        "expected a JSON value",
        1,
        7,
    ),
    (
        "position after multi-byte characters",
        "{\"é\": \"𝄞\",}",
        DecodeErrorKind::Syntax,
        "trailing comma",
        1,
        10,
    ),
];

#[test]
fn errors() {
    assert_errors(Format::Json, CASES.iter().copied());
}

#[test]
fn nesting_deeper_than_the_limit_is_refused_without_recursing() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(decode(Format::Json, &ok).is_ok());

    let deep = "[".repeat(100_000);
    let error = decode(Format::Json, &deep).expect_err("too deep");
    assert_eq!(error.kind, DecodeErrorKind::TooDeep);
    assert_eq!(error.span.start, MAX_DEPTH);

    let objects = "{\"a\":".repeat(100_000);
    let error = decode(Format::Json, &objects).expect_err("too deep");
    assert_eq!(error.kind, DecodeErrorKind::TooDeep);
}

#[test]
fn numbers_keep_integers_that_fit_64_bits() {
    let value = decode(
        Format::Json,
        "[0, -0, 42, -9223372036854775808, 18446744073709551615, 18446744073709551616, 1.0, 1e2, -2.5E-3]",
    )
    .unwrap()
    .value;
    let items = value.as_array().unwrap();
    assert_eq!(items[0].as_u64(), Some(0));
    assert_eq!(items[1].as_i64(), Some(0));
    assert_eq!(items[2].as_u64(), Some(42));
    assert_eq!(items[3].as_i64(), Some(i64::MIN));
    assert_eq!(items[4].as_u64(), Some(u64::MAX));
    assert!(items[5].is_f64());
    assert_eq!(items[5].as_f64(), Some(18446744073709551616.0));
    assert!(items[6].is_f64());
    assert_eq!(items[7].as_f64(), Some(100.0));
    assert!(items[7].is_f64());
    assert_eq!(items[8].as_f64(), Some(-0.0025));
}

#[test]
fn strings_unescape_and_keys_keep_their_order() {
    let decoded = decode(
        Format::Json,
        r#"{"z": "a\"b\\c\/d\b\f\n\r\t", "a": "\u00e9\ud834\udd1e", "m": "é𝄞"}"#,
    )
    .unwrap();
    let expected = json!({"z": "a\"b\\c/d\u{8}\u{c}\n\r\t", "a": "é𝄞", "m": "é𝄞"});
    assert_eq!(decoded.value, expected);
    assert_eq!(decoded.value.to_string(), expected.to_string());
}

#[test]
fn positions_are_keys_and_elements() {
    let text = "{\n  \"steps\": [\n    {\"id\": \"a\"},\n    [1, \"x\"]\n  ],\n  \"a/b\": null\n}";
    let decoded = decode(Format::Json, text).unwrap();
    let index = LineIndex::new(text);
    for (pointer, line, column, covered) in [
        ("", 1, 1, ""),
        ("/steps", 2, 3, "\"steps\""),
        ("/steps/0", 3, 5, "{\"id\": \"a\"}"),
        ("/steps/0/id", 3, 6, "\"id\""),
        ("/steps/1", 4, 5, "[1, \"x\"]"),
        ("/steps/1/0", 4, 6, "1"),
        ("/steps/1/1", 4, 9, "\"x\""),
        ("/a~1b", 6, 3, "\"a/b\""),
    ] {
        let span = decoded.positions.get(pointer).expect(pointer);
        let at = index.position(span.start);
        assert_eq!(
            (at.line, at.column, &text[span.start..span.end]),
            (line, column, covered),
            "{pointer}"
        );
    }
    assert_eq!(decoded.positions.len(), 8);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = "\u{feff}{\"a\": 1}";
    let decoded = decode(Format::Json, text).unwrap();
    assert_eq!(decoded.value, json!({"a": 1}));
    let span = decoded.positions.get("/a").unwrap();
    assert_eq!(&text[span.start..span.end], "\"a\"");
}

mod any_text {
    use proptest::prelude::*;
    use workflow_core::decode::{Format, decode};

    proptest! {
        /// The decoder answers every text without panicking, with an error span on character
        /// boundaries inside it.
        #[test]
        fn json_like_text(text in "([\\[\\]{}:,\"\\\\/*ntrufalse0-9eE.+ \\n-]|é|\\\\u[0-9a-fA-F]{0,4}){0,48}") {
            if let Err(e) = decode(Format::Json, &text) {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len());
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }
    }
}
