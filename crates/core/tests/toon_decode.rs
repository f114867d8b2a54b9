//! The TOON decoder against the example of docs/formats.md#example (its TOON must decode to the
//! values of its YAML, key order included) and the value and position rules of
//! docs/formats.md#toon-lines-and-indentation to docs/formats.md#toon-arrays.

use serde_json::{Value, json};
use workflow_core::decode::{Decoded, Format, decode};
use workflow_core::text::LineIndex;

fn toon(text: &str) -> Decoded {
    match decode(Format::Toon, text) {
        Ok(decoded) => decoded,
        Err(e) => panic!("{text:?} did not decode: {} at {:?}", e.message, e.span),
    }
}

/// Asserts equal values with equal key order (`Value`'s `==` ignores key order).
fn assert_same(text: &str, expected: Value) {
    let got = toon(text).value;
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap(),
        "for {text:?}"
    );
}

#[test]
fn primitive_tokens() {
    let cases: &[(&str, Value)] = &[
        ("0", json!(0)),
        ("-0", json!(0)),
        ("42", json!(42)),
        ("-7", json!(-7)),
        ("0.5", json!(0.5)),
        ("-0.25", json!(-0.25)),
        ("1e3", json!(1000.0)),
        ("2.5E-2", json!(0.025)),
        ("18446744073709551615", json!(u64::MAX)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("18446744073709551616", json!(18446744073709551616.0)),
        ("05", json!("05")),
        ("-012", json!("-012")),
        (".5", json!(".5")),
        ("1.", json!("1.")),
        ("+1", json!("+1")),
        ("1e", json!("1e")),
        ("0x10", json!("0x10")),
        ("1.0.0", json!("1.0.0")),
        ("true", json!(true)),
        ("false", json!(false)),
        ("null", json!(null)),
        ("True", json!("True")),
        ("[]", json!([])),
        (r#""a\\b\"c\nd\re\tf""#, json!("a\\b\"c\nd\re\tf")),
        (r#""""#, json!("")),
        (r#""true""#, json!("true")),
        ("é 𝄞", json!("é 𝄞")),
    ];
    for (token, expected) in cases {
        let value = toon(&format!("v: {token}")).value;
        assert_eq!(value["v"], *expected, "token {token:?}");
        // The same token as a list item and as a root primitive.
        let value = toon(&format!("v[1]:\n  - {token}")).value;
        assert_eq!(value["v"][0], *expected, "item {token:?}");
        assert_eq!(toon(token).value, *expected, "root {token:?}");
    }
    // A value is one token whatever it contains (as an item this would be a key–value line).
    assert_eq!(
        toon("v: a, b: c # d [e]").value["v"],
        json!("a, b: c # d [e]")
    );
    assert_eq!(
        toon("v[1]:\n  - a, b: c").value["v"][0],
        json!({"a, b": "c"})
    );
    // Negative zero reads as the integer 0 and as a float 0 without a sign.
    assert!(toon("v: -0").value["v"].is_u64());
    let zero = toon("v: -0.0").value["v"].as_f64().unwrap();
    assert!(zero == 0.0 && zero.is_sign_positive());
}

#[test]
fn keys() {
    assert_same(
        "a.b: 1\n$schema: x\nmy key : y\n-x: 2\n\"q: [k]\": 3\n\"e\\\"\\\\\": 4\n\"\": 5",
        json!({"a.b": 1, "$schema": "x", "my key": "y", "-x": 2, "q: [k]": 3, "e\"\\": 4, "": 5}),
    );
    assert_same(
        "\"resolve-target\"[2]: a,b\nfind-range[1]: c",
        json!({"resolve-target": ["a", "b"], "find-range": ["c"]}),
    );
}

#[test]
fn root_forms() {
    assert_same("", json!({}));
    assert_same("\n\n  \n# only a comment\n", json!({}));
    assert_same("[3]: 1,x,null", json!([1, "x", null]));
    assert_same("[0]:", json!([]));
    assert_same(
        "[2]{a,b}:\n  1,2\n  3,4",
        json!([{"a": 1, "b": 2}, {"a": 3, "b": 4}]),
    );
    assert_same("[2]:\n  - a: 1\n  - x", json!([{"a": 1}, "x"]));
    assert_same("# c\nhello world\n", json!("hello world"));
    assert_same("\"a: b\"", json!("a: b"));
    assert_same("12", json!(12));
    assert_same("a: 1", json!({"a": 1}));
}

#[test]
fn objects_and_nesting() {
    assert_same(
        "a:\nb:\n  c:\n    d: 1\n  e: x\nf: 2",
        json!({"a": {}, "b": {"c": {"d": 1}, "e": "x"}, "f": 2}),
    );
}

#[test]
fn inline_arrays_and_delimiters() {
    assert_same(
        "a[4]: \"x,y\", 2 ,,\"\"\nb[2|]: x,y|z\nc[2\t]: p q\tr|s\nd[0]:\ne[1]: [] ",
        json!({
            "a": ["x,y", 2, "", ""],
            "b": ["x,y", "z"],
            "c": ["p q", "r|s"],
            "d": [],
            "e": ["[]"]
        }),
    );
}

#[test]
fn tabular_arrays() {
    assert_same(
        "t[2|]{a|\"b c\"}:\n  1|x,y\n  \"q|\"|\n\
         u[2\t]{x\ty}:\n  1\t2\n  3\t\n\
         v[0]{x}:\nw: 1",
        json!({
            "t": [{"a": 1, "b c": "x,y"}, {"a": "q|", "b c": ""}],
            "u": [{"x": 1, "y": 2}, {"x": 3, "y": ""}],
            "v": [],
            "w": 1
        }),
    );
    // A colon after the first delimiter keeps the line a row.
    assert_same(
        "t[1]{a,b}:\n  x,y: z",
        json!({"t": [{"a": "x", "b": "y: z"}]}),
    );
}

#[test]
fn list_arrays() {
    let text = "\
a[6]:
  - 1
  - [2]: x,y
  - [2]:
    - [1]: z
    - k: v
  -
    p: 1
    q:
      r: 2
  -
  - rows[2]{x,y}:
      1,2
      3,4
    name: t
b[2]:
  - first:
      inner: 1
    second[1]:
      - 2
    third: 3
  - c[0]:
    d: []";
    assert_same(
        text,
        json!({
            "a": [
                1,
                ["x", "y"],
                [["z"], {"k": "v"}],
                {"p": 1, "q": {"r": 2}},
                {},
                {"rows": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "name": "t"}
            ],
            "b": [
                {"first": {"inner": 1}, "second": [2], "third": 3},
                {"c": [], "d": []}
            ]
        }),
    );
}

#[test]
fn line_rules() {
    // CRLF, comments anywhere (also inside arrays and at odd indentation), trailing spaces,
    // blank lines outside arrays and between a header and its first item.
    let text = "# head\r\na: 1  \r\n\r\nb[2]:\r\n\r\n   # odd comment\r\n  - x\r\n# between\r\n  - y # not a comment\r\n\r\nc:\r\n\r\n  d: 2\r";
    assert_same(
        text,
        json!({"a": 1, "b": ["x", "y # not a comment"], "c": {"d": 2}}),
    );
}

#[test]
fn depth_limit_allows_64_levels() {
    // The root object, 62 nested objects and one array: 64 levels.
    let mut text = String::new();
    for depth in 0..62 {
        text.push_str(&"  ".repeat(depth));
        text.push_str("a:\n");
    }
    text.push_str(&"  ".repeat(62));
    text.push_str("b[1]: x");
    let value = toon(&text).value;
    let mut v = &value;
    for _ in 0..62 {
        v = &v["a"];
    }
    assert_eq!(v["b"], json!(["x"]));
}

/// `(line, column, byte length)` of the span recorded for `pointer`.
fn at(decoded: &Decoded, text: &str, pointer: &str) -> (u32, u32, usize) {
    let span = decoded
        .positions
        .get(pointer)
        .unwrap_or_else(|| panic!("no position for {pointer:?}"));
    let p = LineIndex::new(text).position(span.start);
    (p.line, p.column, span.end - span.start)
}

#[test]
fn positions_of_keys_markers_and_cells() {
    let text = "\
id: x
steps[2]:
  - id: a
    name: A
    sub:
      deep: 1
  - b
tags[2]: p, \"q\"
rows[1]{k,\"v w\"}:
  one,\"two\"
\"quoted key\": 1
list[1]:
  - [2]: 5,6";
    let d = toon(text);
    let cases: &[(&str, (u32, u32, usize))] = &[
        ("", (1, 1, 0)),
        ("/id", (1, 1, 2)),
        ("/steps", (2, 1, 5)),
        ("/steps/0", (3, 3, 1)),
        ("/steps/0/id", (3, 5, 2)),
        ("/steps/0/name", (4, 5, 4)),
        ("/steps/0/sub", (5, 5, 3)),
        ("/steps/0/sub/deep", (6, 7, 4)),
        ("/steps/1", (7, 3, 1)),
        ("/tags", (8, 1, 4)),
        ("/tags/0", (8, 10, 1)),
        ("/tags/1", (8, 13, 3)),
        ("/rows", (9, 1, 4)),
        ("/rows/0", (10, 3, 9)),
        ("/rows/0/k", (10, 3, 3)),
        ("/rows/0/v w", (10, 7, 5)),
        ("/quoted key", (11, 1, 12)),
        ("/list", (12, 1, 4)),
        ("/list/0", (13, 3, 1)),
        ("/list/0/0", (13, 10, 1)),
        ("/list/0/1", (13, 12, 1)),
    ];
    for (pointer, expected) in cases {
        assert_eq!(at(&d, text, pointer), *expected, "pointer {pointer:?}");
    }
    assert_eq!(d.positions.len(), cases.len());
}

#[test]
fn positions_escape_pointer_tokens_and_shift_past_a_bom() {
    let text = "\u{feff}\"a/b~c\": 1\n[x]: 2";
    let err = decode(Format::Toon, text).unwrap_err();
    // `[x]` is an invalid header; the span counts the BOM.
    assert_eq!(LineIndex::new(text).position(err.span.start).line, 2);
    let text = "\u{feff}\"a/b~c\":\n  é: 1";
    let d = toon(text);
    assert_eq!(at(&d, text, "/a~1b~0c"), (1, 2, 7));
    assert_eq!(at(&d, text, "/a~1b~0c/é"), (2, 3, 2));
}
