//! Where the YAML decoder says each value was written: keys for members, `-` for block entries,
//! the element itself inside `[…]`.

use workflow_core::decode::{Format, decode};
use workflow_core::text::LineIndex;

/// (pointer, line, column, the text the span covers)
fn check(text: &str, expected: &[(&str, u32, u32, &str)]) {
    let decoded = decode(Format::Yaml, text).expect("decodes");
    let index = LineIndex::new(text);
    for &(pointer, line, column, covered) in expected {
        let span = decoded
            .positions
            .get(pointer)
            .unwrap_or_else(|| panic!("no position for {pointer:?}"));
        let at = index.position(span.start);
        assert_eq!(
            (at.line, at.column, &text[span.start..span.end]),
            (line, column, covered),
            "{pointer}"
        );
    }
}

#[test]
fn keys_and_list_markers() {
    let text = "\
id: draft
\"quoted key\": 1
steps:
  - id: a
    name: A
  -
    id: b
  - - nested
    - more
  -    # a comment - with a dash
    id: c
  - |
    literal text
  - !!str >-   # folded
    folded text
  -
tags: [x, {k: v}, [y]]
indentless:
- é
- ü
";
    check(
        text,
        &[
            ("", 1, 1, ""),
            ("/id", 1, 1, "id"),
            ("/quoted key", 2, 1, "\"quoted key\""),
            ("/steps", 3, 1, "steps"),
            ("/steps/0", 4, 3, "-"),
            ("/steps/0/id", 4, 5, "id"),
            ("/steps/0/name", 5, 5, "name"),
            ("/steps/1", 6, 3, "-"),
            ("/steps/1/id", 7, 5, "id"),
            ("/steps/2", 8, 3, "-"),
            ("/steps/2/0", 8, 5, "-"),
            ("/steps/2/1", 9, 5, "-"),
            ("/steps/3", 10, 3, "-"),
            ("/steps/3/id", 11, 5, "id"),
            ("/steps/4", 12, 3, "-"),
            ("/steps/5", 14, 3, "-"),
            ("/steps/6", 16, 3, "-"),
            ("/tags", 17, 1, "tags"),
            ("/tags/0", 17, 8, "x"),
            ("/tags/1", 17, 11, "{k: v}"),
            ("/tags/1/k", 17, 12, "k"),
            ("/tags/2", 17, 19, "[y]"),
            ("/tags/2/0", 17, 20, "y"),
            ("/indentless/0", 19, 1, "-"),
            ("/indentless/1", 20, 1, "-"),
        ],
    );
}

#[test]
fn pointers_escape_slash_and_tilde() {
    check(
        "a/b: 1\nc~d: [2]\n",
        &[("/a~1b", 1, 1, "a/b"), ("/c~0d/0", 2, 7, "2")],
    );
}

#[test]
fn spans_after_a_byte_order_mark_count_it() {
    let text = "\u{feff}- a\n";
    let decoded = decode(Format::Yaml, text).unwrap();
    let span = decoded.positions.get("/0").unwrap();
    assert_eq!(&text[span.start..span.end], "-");
}
