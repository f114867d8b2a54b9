//! Every JSON value survives YAML encoding and decoding (and pretty JSON and decoding)
//! unchanged, key order included.

use proptest::prelude::*;
use serde_json::{Map, Value};
use workflow_core::decode::{Format, decode};
use workflow_core::encode::yaml;

/// Strings that a careless emitter writes plain and a reader then takes for something else.
const TRICKY: &[&str] = &[
    "",
    " ",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "TRUE",
    "null",
    "Null",
    "~",
    "1",
    "-1",
    "+1",
    "007",
    "1.0",
    "1.",
    ".5",
    "1e5",
    "-2.5E-3",
    "0x1F",
    "0o17",
    "0b1",
    ".inf",
    "-.Inf",
    ".nan",
    "1.0.0",
    "1_000",
    "12:30",
    "-",
    "- a",
    "-a",
    "?",
    "? a",
    ":",
    "a:",
    "a: b",
    "a:b",
    "#",
    "a #b",
    "a#b",
    "&a",
    "*a",
    "!a",
    "!!str",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "[a]",
    "{a}",
    "a, b",
    ",",
    "<<",
    "---",
    "...",
    "--- a",
    "a\nb",
    "a\nb\n",
    "a\nb\n\n",
    "\n",
    "\na",
    " a\nb",
    "a\n b",
    "a \n",
    "a\n\n\nb",
    "\t",
    "a\tb",
    "\r\n",
    "é",
    "𝄞",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "\u{7f}",
    "x\u{1b}[0m",
    "back\\slash",
    "tab\tand\nnewline",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(TRICKY).prop_map(str::to_owned),
        2 => "[a-z0-9 .:#-]{0,12}",
        2 => "(\\PC|[\\n\\t ]){0,16}",
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        string().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((string(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Equal values with keys in the same order (their JSON text shows the order).
fn same(actual: &Value, expected: &Value) -> bool {
    actual == expected && serde_json::to_string(actual).ok() == serde_json::to_string(expected).ok()
}

proptest! {
    #[test]
    fn yaml_encoding_decodes_to_the_same_value(value in value()) {
        let text = yaml::encode(&value);
        let decoded = decode(Format::Yaml, &text);
        prop_assert!(decoded.is_ok(), "{text}\n{:?}", decoded.err());
        let decoded = decoded.unwrap().value;
        prop_assert!(same(&decoded, &value), "{text}\ndecoded {decoded}\nexpected {value}");
    }

    #[test]
    fn pretty_json_decodes_to_the_same_value(value in value()) {
        let text = serde_json::to_string_pretty(&value).unwrap();
        let decoded = decode(Format::Json, &text);
        prop_assert!(decoded.is_ok(), "{text}\n{:?}", decoded.err());
        let decoded = decoded.unwrap().value;
        prop_assert!(same(&decoded, &value), "{text}\ndecoded {decoded}\nexpected {value}");
    }
}

#[test]
fn encoding_is_block_style_and_quotes_only_what_needs_it() {
    let value = serde_json::json!({
        "id": "draft",
        "version": "1.0.0",
        "flag": "yes",
        "count": "12",
        "steps": [
            {"id": "a", "tags": ["x", "y"]},
            [1, 2.5, null, true],
            [],
            {}
        ],
        "message": "Ready: go?",
        "text": "line one\nline two\n",
        "empty": ""
    });
    let expected = "\
id: draft
version: 1.0.0
flag: \"yes\"
count: \"12\"
steps:
  - id: a
    tags:
      - x
      - \"y\"
  - - 1
    - 2.5
    - null
    - true
  - []
  - {}
message: \"Ready: go?\"
text: |
  line one
  line two
empty: \"\"
";
    assert_eq!(yaml::encode(&value), expected);
}

#[test]
fn keys_past_the_implicit_key_limit_round_trip() {
    for len in [990, 1000, 1001, 1030, 5000] {
        for unit in ["k", "é", "a b"] {
            let key = unit.repeat(len / unit.len());
            let value = serde_json::json!({ key.clone(): {"inner": [key]}, "next": 1 });
            let text = yaml::encode(&value);
            let decoded = decode(Format::Yaml, &text).expect("decodes").value;
            assert!(same(&decoded, &value), "{len} {unit}");
        }
    }
}
