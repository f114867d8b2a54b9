//! Every YAML rule of docs/formats.md#yaml that refuses a file, with the message and the place.

mod decode_support;

use decode_support::{ErrorCase, assert_errors};
use workflow_core::decode::{DecodeErrorKind, Format, MAX_DEPTH, decode};
use workflow_core::text::LineIndex;

const CASES: &[ErrorCase] = &[
    (
        "anchor",
        "a: &base\n  x: 1\n",
        DecodeErrorKind::Syntax,
        "anchors and aliases are not allowed",
        1,
        4,
    ),
    (
        "anchor on a scalar",
        "a: 1\nb: &v two\n",
        DecodeErrorKind::Syntax,
        "repeat the value",
        2,
        4,
    ),
    (
        "alias",
        "a: [1]\nb: *x\n",
        DecodeErrorKind::Syntax,
        "anchors and aliases are not allowed",
        2,
        4,
    ),
    (
        "merge key",
        "a:\n  <<: {x: 1}\n  y: 2\n",
        DecodeErrorKind::Syntax,
        "merge keys (<<) are not allowed",
        2,
        3,
    ),
    (
        "custom tag",
        "a: !secret hunter2\n",
        DecodeErrorKind::Syntax,
        "the tag '!secret' is not allowed",
        1,
        4,
    ),
    (
        "non-core global tag",
        "a: !!binary aGk=\n",
        DecodeErrorKind::Syntax,
        "the tag '!!binary' is not allowed",
        1,
        4,
    ),
    (
        "core tag that does not fit",
        "a: !!int twelve\n",
        DecodeErrorKind::Syntax,
        "does not match its tag '!!int'",
        1,
        4,
    ),
    (
        "duplicate key",
        "id: a\nname: b\nid: c\n",
        DecodeErrorKind::DuplicateKey,
        "duplicate key 'id'",
        3,
        1,
    ),
    (
        "duplicate key written differently",
        "steps:\n  - id: a\n    'id': b\n",
        DecodeErrorKind::DuplicateKey,
        "duplicate key 'id'",
        3,
        5,
    ),
    (
        "mapping as a key",
        "? {a: 1}\n: x\n",
        DecodeErrorKind::Syntax,
        "mapping keys must be strings",
        1,
        3,
    ),
    (
        "list as a key",
        "[a, b]: x\n",
        DecodeErrorKind::Syntax,
        "mapping keys must be strings",
        1,
        1,
    ),
    (
        "two documents",
        "a: 1\n---\nb: 2\n",
        DecodeErrorKind::Syntax,
        "exactly one YAML document",
        2,
        1,
    ),
    (
        "bad indentation",
        "a:\n  b: 1\n c: 2\n",
        DecodeErrorKind::Syntax,
        "check the indentation",
        3,
        2,
    ),
    (
        "unterminated quote",
        "a: \"open\n",
        DecodeErrorKind::Syntax,
        "close the quoted string",
        1,
        4,
    ),
    (
        "colon in a plain value",
        "a: b: c\n",
        DecodeErrorKind::Syntax,
        "quote a value that contains ': '",
        1,
        5,
    ),
    (
        "infinity",
        "a: .inf\n",
        DecodeErrorKind::Syntax,
        "not a number JSON can hold",
        1,
        4,
    ),
    (
        "float overflow",
        "a: 1e999\n",
        DecodeErrorKind::Syntax,
        "too large for a 64-bit float",
        1,
        4,
    ),
    (
        "position after multi-byte characters",
        "é: ü\nb: \"𝄞\" x\n",
        DecodeErrorKind::Syntax,
        "invalid YAML",
        2,
        8,
    ),
];

#[test]
fn errors() {
    assert_errors(Format::Yaml, CASES.iter().copied());
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(decode(Format::Yaml, &ok).is_ok());

    let mut block = String::new();
    for level in 0..=MAX_DEPTH {
        block.push_str(&" ".repeat(level * 2));
        block.push_str("k:\n");
    }
    block.push_str(&" ".repeat((MAX_DEPTH + 1) * 2));
    block.push_str("v\n");
    let error = decode(Format::Yaml, &block).expect_err("too deep");
    assert_eq!(error.kind, DecodeErrorKind::TooDeep);
    assert_eq!(LineIndex::new(&block).position(error.span.start).line, 65);

    let deep = "[".repeat(100);
    let error = decode(Format::Yaml, &deep).expect_err("too deep");
    assert_eq!(error.kind, DecodeErrorKind::TooDeep);
    assert_eq!(error.span.start, MAX_DEPTH);

    // Past 255 levels the parser itself stops, before any value is built.
    let deep = "[".repeat(100_000);
    let error = decode(Format::Yaml, &deep).expect_err("too deep");
    assert_eq!(error.kind, DecodeErrorKind::TooDeep);
}

#[test]
fn yaml_1_1_words_stay_strings() {
    let d = decode(
        Format::Yaml,
        "a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: ~\nh:\n",
    )
    .unwrap()
    .value;
    assert_eq!(
        d,
        serde_json::json!({
            "a": "yes", "b": "no", "c": "on", "d": "off", "e": "y",
            "f": true, "g": null, "h": null
        })
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_spans_stay_on_the_text() {
    let text = "\u{feff}a: 1\na: 2\n";
    let error = decode(Format::Yaml, text).expect_err("duplicate");
    assert_eq!(&text[error.span.start..error.span.end], "a");
    assert_eq!(error.span.start, 8);
}
