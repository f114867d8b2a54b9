//! One decode error per rule of docs/formats.md#toon-lines-and-indentation to
//! docs/formats.md#toon-errors: the message names the construct and the fix, and the position is
//! the offending character.

mod decode_support;

use decode_support::assert_errors;
use workflow_core::decode::{DecodeErrorKind, Format, MAX_DEPTH, decode};
use workflow_core::text::LineIndex;

use DecodeErrorKind::{DuplicateKey, Syntax, TooDeep};

/// `(rule, text, message fragment, line, column, kind)`.
const CASES: &[(&str, &str, &str, u32, u32, DecodeErrorKind)] = &[
    // Lines and indentation (docs/formats.md#toon-lines-and-indentation)
    (
        "tab indent",
        "a:\n\tb: 1",
        "tabs are not allowed in indentation",
        2,
        1,
        Syntax,
    ),
    (
        "tab after spaces",
        "a:\n  \tb: 1",
        "tabs are not allowed in indentation",
        2,
        3,
        Syntax,
    ),
    (
        "tab before comment",
        "a: 1\n\t# c",
        "tabs are not allowed in indentation",
        2,
        1,
        Syntax,
    ),
    (
        "odd indent",
        "a:\n   b: 1",
        "indentation must be a multiple of 2 spaces",
        2,
        3,
        Syntax,
    ),
    (
        "blank in list",
        "a[2]:\n  - x\n\n  - y",
        "blank line inside an array",
        3,
        1,
        Syntax,
    ),
    (
        "blank in rows",
        "t[2]{a}:\n  1\n  \n  2",
        "blank line inside an array",
        3,
        1,
        Syntax,
    ),
    (
        "blank in an item's object",
        "a[1]:\n  - b:\n      c: 1\n\n      d: 2",
        "blank line inside an array",
        4,
        1,
        Syntax,
    ),
    (
        "blank before a nested array's first item inside an outer array",
        "a[2]:\n  - [1]:\n\n    - x\n  - y",
        "blank line inside an array",
        3,
        1,
        Syntax,
    ),
    (
        "two-level jump",
        "a:\n    b: 1",
        "unexpected indentation: this line is deeper than its parent allows; indent it by 2 spaces or fewer",
        2,
        5,
        Syntax,
    ),
    (
        "under key: value",
        "a: 1\n  b: 2",
        "unexpected indentation",
        2,
        3,
        Syntax,
    ),
    (
        "under a primitive item",
        "a[1]:\n  - x\n    y: 1",
        "unexpected indentation",
        3,
        5,
        Syntax,
    ),
    (
        "under an empty array",
        "a[0]:\n  b: 1",
        "unexpected indentation",
        2,
        3,
        Syntax,
    ),
    (
        "first-field content too deep",
        "a[1]:\n  - b: 1\n      c: 2",
        "unexpected indentation",
        3,
        7,
        Syntax,
    ),
    (
        "root indented",
        "  a: 1",
        "remove the indentation",
        1,
        3,
        Syntax,
    ),
    (
        "after a root array",
        "[1]: x\ny: 1",
        "nothing may follow a root array",
        2,
        1,
        Syntax,
    ),
    (
        "two bare tokens",
        "a\nb",
        "missing colon after key",
        1,
        2,
        Syntax,
    ),
    // Kinds of line (docs/formats.md#toon-kinds-of-line)
    (
        "bare token in an object",
        "a: 1\nfoo bar",
        "missing colon after key",
        2,
        8,
        Syntax,
    ),
    (
        "item outside a list",
        "a: 1\n- x",
        "list item outside a list array",
        2,
        1,
        Syntax,
    ),
    (
        "item under an object key",
        "a:\n  - x",
        "list item outside a list array",
        2,
        3,
        Syntax,
    ),
    (
        "length with leading zero",
        "a[03]: x,y,z",
        "remove the leading zero, e.g. `[3]`",
        1,
        3,
        Syntax,
    ),
    (
        "empty length",
        "a[]: x",
        "invalid array length",
        1,
        3,
        Syntax,
    ),
    (
        "non-numeric length",
        "a[x]: 1",
        "invalid array length",
        1,
        3,
        Syntax,
    ),
    (
        "negative length",
        "a[-1]: 1",
        "invalid array length",
        1,
        3,
        Syntax,
    ),
    (
        "comma marker",
        "a[2,]: x,y",
        "comma is the default delimiter",
        1,
        4,
        Syntax,
    ),
    (
        "keyed table header",
        "a[2:]{x}:",
        "expected `]` after the array length",
        1,
        4,
        Syntax,
    ),
    (
        "empty field list",
        "a[1]{}:",
        "empty field list",
        1,
        5,
        Syntax,
    ),
    (
        "empty field name",
        "a[1]{x,,y}:",
        "empty field name",
        1,
        8,
        Syntax,
    ),
    (
        "duplicate field name",
        "a[1]{x,x}:\n  1,2",
        "duplicate key 'x'",
        1,
        8,
        DuplicateKey,
    ),
    (
        "field separator differs (pipe)",
        "a[1|]{x,y}:\n  1|2",
        "separated by `,` but the header's delimiter is `|`",
        1,
        8,
        Syntax,
    ),
    (
        "field separator differs (comma)",
        "a[1]{x|y}:\n  1,2",
        "separated by `|` but the header's delimiter is `,`",
        1,
        7,
        Syntax,
    ),
    (
        "text after a quoted field",
        "a[1]{\"x\"y}:",
        "unexpected text after a quoted field name",
        1,
        9,
        Syntax,
    ),
    (
        "missing closing brace",
        "a[1]{x,y: 1",
        "missing `}`",
        1,
        5,
        Syntax,
    ),
    (
        "header without colon",
        "a[1] : x",
        "expected `:` after the array header",
        1,
        5,
        Syntax,
    ),
    (
        "space before bracket",
        "a [1]: x",
        "space between key and `[`",
        1,
        2,
        Syntax,
    ),
    (
        "keyless header in an object",
        "a: 1\n[1]: x",
        "array header without a key",
        2,
        1,
        Syntax,
    ),
    (
        "quoted key then space",
        "\"a\" : 1",
        "a quoted key must be followed directly by `:`",
        1,
        4,
        Syntax,
    ),
    (
        "brace in a key",
        "a{b: 1",
        "key `a{b` contains `{`; quote the key",
        1,
        2,
        Syntax,
    ),
    ("bracket in a key", "a]: 1", "contains `]`", 1, 2, Syntax),
    ("missing key", ": 1", "missing key before `:`", 1, 1, Syntax),
    (
        "key starting with #",
        "a[1]:\n  - #k: v",
        "cannot start with `#`",
        2,
        5,
        Syntax,
    ),
    // Values and keys (docs/formats.md#toon-values-and-keys)
    (
        "unterminated value",
        "a: \"abc",
        "unterminated string; add the closing `\"`",
        1,
        4,
        Syntax,
    ),
    (
        "unterminated key",
        "\"abc: 1",
        "unterminated string",
        1,
        1,
        Syntax,
    ),
    (
        "unterminated inline value",
        "a[2]: x,\"y",
        "unterminated string",
        1,
        9,
        Syntax,
    ),
    (
        "invalid escape",
        "a: \"x\\qy\"",
        "invalid escape \\q (only \\\\ \\\" \\n \\r \\t are allowed)",
        1,
        6,
        Syntax,
    ),
    (
        "invalid escape in a key",
        "\"a\\u0041\": 1",
        "invalid escape \\u",
        1,
        3,
        Syntax,
    ),
    (
        "text after a closing quote",
        "a: \"x\" y",
        "unexpected text after the closing quote",
        1,
        7,
        Syntax,
    ),
    (
        "duplicate key",
        "a: 1\nb: 2\na: 3",
        "duplicate key 'a'",
        3,
        1,
        DuplicateKey,
    ),
    (
        "duplicate key by header",
        "a: 1\na[1]: x",
        "duplicate key 'a'",
        2,
        1,
        DuplicateKey,
    ),
    (
        "duplicate quoted key",
        "a: 1\n\"a\": 2",
        "duplicate key 'a'",
        2,
        1,
        DuplicateKey,
    ),
    (
        "duplicate key in an item",
        "l[1]:\n  - a: 1\n    a: 2",
        "duplicate key 'a'",
        3,
        5,
        DuplicateKey,
    ),
    (
        "number out of range",
        "a: 1e400",
        "number `1e400` is out of range",
        1,
        4,
        Syntax,
    ),
    // Arrays (docs/formats.md#toon-arrays)
    (
        "too many inline values",
        "tags[2]: a,b,c",
        "tags: declared 2 items but found more; update the count in tags[2]: or remove the extra item",
        1,
        14,
        Syntax,
    ),
    (
        "too few inline values",
        "tags[3]: a,b",
        "tags: declared 3 items but found 2; update the count in tags[3]:",
        1,
        6,
        Syntax,
    ),
    (
        "values after [0]",
        "a[0]: x",
        "a: declared 0 items but found more",
        1,
        7,
        Syntax,
    ),
    (
        "fields and inline values",
        "a[1]{x}: 1",
        "a tabular header cannot also have inline values",
        1,
        10,
        Syntax,
    ),
    (
        "too many list items (the spec's example)",
        "checkpoints[1]:\n  - id: c\n    options[2]:\n      - id: a\n      - id: b\n      - id: c",
        "options: declared 2 items but found more; update the count in options[2]: or remove the extra item",
        6,
        7,
        Syntax,
    ),
    (
        "too few list items",
        "a[3]:\n  - x\n  - y\nb: 1",
        "a: declared 3 items but found 2",
        1,
        3,
        Syntax,
    ),
    (
        "too few list items at the end",
        "a[2]:\n  - x",
        "a: declared 2 items but found 1",
        1,
        3,
        Syntax,
    ),
    (
        "non-item line in a list",
        "a[2]:\n  - x\n  b: 1",
        "a: declared 2 items but found 1",
        1,
        3,
        Syntax,
    ),
    (
        "items after [0]",
        "a[0]:\n  - x",
        "a: declared 0 items but found more",
        2,
        3,
        Syntax,
    ),
    (
        "too few nested items",
        "a[1]:\n  - [1]:\n  - x",
        "array: declared 1 items but found 0; update the count in [1]:",
        2,
        6,
        Syntax,
    ),
    (
        "row with too many values",
        "t[1]{a,b}:\n  1,2,3",
        "row has 3 values but the header declares 2 fields",
        2,
        7,
        Syntax,
    ),
    (
        "row with too few values",
        "t[1]{a,b}:\n  1",
        "row has 1 values but the header declares 2 fields",
        2,
        4,
        Syntax,
    ),
    (
        "too many rows",
        "t[1]{a,b}:\n  1,2\n  3,4",
        "t: declared 1 items but found more; update the count in t[1]{a,b}:",
        3,
        3,
        Syntax,
    ),
    (
        "rows ended by a key-value line",
        "t[2]{a,b}:\n  1,2\n  c: 3",
        "t: declared 2 items but found 1",
        1,
        3,
        Syntax,
    ),
    (
        "key-value line at row depth",
        "t[1]{a}:\n  1\n  c: 3",
        "unexpected indentation",
        3,
        3,
        Syntax,
    ),
    // The first error in document order wins (docs/formats.md#toon-errors)
    (
        "structure before a later tab",
        "x: 1\n  y: 2\n\tz: 3",
        "unexpected indentation",
        2,
        3,
        Syntax,
    ),
    (
        "structure before later odd indentation",
        "x[1]: a,b\n   z",
        "x: declared 1 items but found more",
        1,
        9,
        Syntax,
    ),
];

#[test]
fn every_rule_reports_its_message_at_the_offending_character() {
    assert_errors(
        Format::Toon,
        CASES
            .iter()
            .map(|&(rule, text, fragment, line, column, kind)| {
                (rule, text, kind, fragment, line, column)
            }),
    );
}

#[test]
fn nesting_deeper_than_the_limit() {
    // The root object and MAX_DEPTH nested objects: one level too many, reported at the key that
    // opens the last one.
    let mut text = String::new();
    for depth in 0..MAX_DEPTH {
        text.push_str(&"  ".repeat(depth));
        text.push_str("a:\n");
    }
    text.push_str(&"  ".repeat(MAX_DEPTH));
    text.push_str("b: 1");
    let e = decode(Format::Toon, &text).unwrap_err();
    assert_eq!(e.kind, TooDeep);
    let p = LineIndex::new(&text).position(e.span.start);
    assert_eq!(
        (p.line, p.column),
        (MAX_DEPTH as u32, 2 * MAX_DEPTH as u32 - 1)
    );

    // Nested list arrays count as well: the root array and MAX_DEPTH arrays below it.
    let mut text = String::from("[1]:");
    for depth in 1..=MAX_DEPTH {
        text.push('\n');
        text.push_str(&"  ".repeat(depth));
        text.push_str(if depth == MAX_DEPTH {
            "- [1]: x"
        } else {
            "- [1]:"
        });
    }
    let e = decode(Format::Toon, &text).unwrap_err();
    assert_eq!(e.kind, TooDeep);
    assert_eq!(
        LineIndex::new(&text).position(e.span.start).line,
        MAX_DEPTH as u32 + 1
    );
}

mod garbage {
    use proptest::prelude::*;
    use workflow_core::decode::{Format, decode};

    const PIECES: &[&str] = &[
        "a", "b", "key", "- ", "-", ":", ": ", "[", "]", "[2]", "[0]", "[1|]", "[2\t]", "{", "}",
        "{a,b}", "{a|b}", "\"", "\\", "\\q", "\\n", ",", "|", "\t", "#", " ", "  ", "é", "𝄞", "\r",
        "1", "-0", "05", "1e9", "true", "[]",
    ];

    fn text() -> impl Strategy<Value = String> {
        let line = (
            0usize..4,
            prop::collection::vec(prop::sample::select(PIECES), 0..8),
        )
            .prop_map(|(indent, parts)| format!("{}{}", "  ".repeat(indent), parts.concat()));
        prop::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Whatever the input, decoding returns (no panic) and an error's span lies inside the
        /// text on character boundaries, so it can always be turned into a line and column.
        #[test]
        fn any_text_decodes_or_fails_cleanly(text in text()) {
            if let Err(e) = decode(Format::Toon, &text) {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{:?}", e);
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}
