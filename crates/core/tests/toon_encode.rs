//! The canonical TOON encoder (docs/formats.md#toon-encoding): golden output for the main shapes,
//! and the round trip through the strict decoder for arbitrary JSON values.

use proptest::prelude::*;
use serde_json::{Map, Number, Value, json};
use workflow_core::decode::{Format, decode};
use workflow_core::encode::toon::encode;

fn decoded(text: &str) -> Value {
    match decode(Format::Toon, text) {
        Ok(d) => d.value,
        Err(e) => panic!("{text:?} did not decode: {} at {:?}", e.message, e.span),
    }
}

/// Encodes, compares with the golden text, and checks that the text decodes back.
fn golden(value: Value, expected: &str) {
    let text = encode(&value);
    assert_eq!(text, expected, "encoding {value}");
    assert_eq!(decoded(&text), value, "decoding {text:?}");
}

#[test]
fn tabular() {
    golden(
        json!({"items": [{"id": 1, "name": "a b", "ok": true}, {"id": 2.5, "name": "x,y", "ok": null}]}),
        "items[2]{id,name,ok}:\n  1,a b,true\n  2.5,\"x,y\",null",
    );
    // The first row's field order names the columns.
    golden(
        json!({"t": [{"a": 1, "b": 2}, {"b": 4, "a": 3}]}),
        "t[2]{a,b}:\n  1,2\n  3,4",
    );
}

#[test]
fn list_with_nested_objects() {
    golden(
        json!({"steps": [
            {"id": "a", "effect": {"set": {"x": true}}, "tags": ["p", "q"]},
            {"effect": {"y": 1}, "id": "b"},
            {"id": "c"}
        ]}),
        "steps[3]:\n  - id: a\n    effect:\n      set:\n        x: true\n    tags[2]: p,q\n  \
         - effect:\n      y: 1\n    id: b\n  - id: c",
    );
}

#[test]
fn list_items_of_every_kind() {
    golden(
        json!({"x": [
            1,
            "s",
            {},
            [],
            [1, 2],
            [[3], {"k": "v"}],
            {"rows": [{"a": 1}, {"a": 2}], "name": "t"},
            {"list": [{"a": [1]}], "e": {}},
            {"e": {}, "f": 1}
        ]}),
        "x[9]:\n  - 1\n  - s\n  -\n  - [0]:\n  - [2]: 1,2\n  - [2]:\n    - [1]: 3\n    - k: v\n  \
         - rows[2]{a}:\n      1\n      2\n    name: t\n  - list[1]:\n      - a[1]: 1\n    e:\n  \
         - e:\n    f: 1",
    );
}

#[test]
fn empty_object_and_array() {
    golden(json!({}), "");
    golden(
        json!({"a": {}, "b": [], "c": {"d": {}}}),
        "a:\nb[0]:\nc:\n  d:",
    );
}

#[test]
fn root_arrays_and_primitives() {
    golden(json!([]), "[0]:");
    golden(json!([1, "x", null]), "[3]: 1,x,null");
    golden(json!([{"a": 1}, {"a": 2}]), "[2]{a}:\n  1\n  2");
    golden(json!([{"a": [1]}, 2]), "[2]:\n  - a[1]: 1\n  - 2");
    // An array that is itself a list item is never tabular.
    golden(
        json!([[{"a": 1}, {"a": 2}]]),
        "[1]:\n  - [2]:\n    - a: 1\n    - a: 2",
    );
    golden(json!("hello world"), "hello world");
    golden(json!("a: b"), "\"a: b\"");
    golden(json!(""), "\"\"");
    golden(json!(-5), "-5");
    golden(json!(null), "null");
}

#[test]
fn string_quoting() {
    golden(
        json!({"s": [
            "", " a", "a ", "true", "false", "null", "42", "-3.5", "1e6", "+1", ".5", "1.", "05",
            "a:b", "say \"hi\"", "back\\slash", "[x]", "{y}", "l\nf", "c\rr", "t\tb", "a,b", "-x",
            "#x", "a#b", "a-b", "a|b", "é 𝄞", "1.0.0", "Infinity"
        ]}),
        "s[30]: \"\",\" a\",\"a \",\"true\",\"false\",\"null\",\"42\",\"-3.5\",\"1e6\",\"+1\",\".5\",\
         \"1.\",\"05\",\"a:b\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"[x]\",\"{y}\",\"l\\nf\",\
         \"c\\rr\",\"t\\tb\",\"a,b\",\"-x\",\"#x\",a#b,a-b,a|b,é 𝄞,1.0.0,Infinity",
    );
}

#[test]
fn key_quoting() {
    golden(
        json!({"resolve-target": [1], "$schema": "x", "a.b": 1, "_x": 2, "1a": 3, "": 4, "k y": {"q\"": 5}}),
        "\"resolve-target\"[1]: 1\n\"$schema\": x\na.b: 1\n_x: 2\n\"1a\": 3\n\"\": 4\n\"k y\":\n  \"q\\\"\": 5",
    );
    golden(
        json!({"t": [{"a b": 1, "c,d": 2}]}),
        "t[1]{\"a b\",\"c,d\"}:\n  1,2",
    );
}

#[test]
fn numbers() {
    golden(
        json!({"n": [0, -3, u64::MAX, i64::MIN, 1.5, -0.25, 1e21, 1e-7, 2.0, 0.1, 123456789.125]}),
        "n[11]: 0,-3,18446744073709551615,-9223372036854775808,1.5,-0.25,\
         1000000000000000000000,0.0000001,2.0,0.1,123456789.125",
    );
    // -0.0 loses its sign; a float keeps `.0` only where its digits would read as an integer.
    assert_eq!(encode(&json!(-0.0)), "0.0");
    assert_eq!(encode(&json!(9.007199254740992e15)), "9007199254740992.0");
    assert_eq!(encode(&json!(1e19)), "10000000000000000000.0");
    assert_eq!(encode(&json!(1e20)), "100000000000000000000");
    assert_eq!(encode(&json!(f64::MAX)).len(), 309);
    assert_eq!(encode(&json!(5e-324)), format!("0.{}5", "0".repeat(323)));
}

#[test]
fn spec_examples_survive_a_round_trip() {
    let text = "id: changelog-scan\nprotocol:\n  find-range[1]:\n    - Find the tag.\n\
                inputs[1]{id,description}:\n  release-tag,The tag being released.\n\
                resources[1]: \"01\"";
    let value = decoded(text);
    let encoded = encode(&value);
    assert_eq!(
        encoded,
        "id: changelog-scan\nprotocol:\n  \"find-range\"[1]: Find the tag.\n\
         inputs[1]{id,description}:\n  release-tag,The tag being released.\nresources[1]: \"01\""
    );
    assert_eq!(decoded(&encoded), value);
}

// --- round trip -------------------------------------------------------------------------------

/// Strings chosen to hit every quoting rule, and pieces to build more of them.
const TRICKY: &[&str] = &[
    "",
    " ",
    "  lead",
    "trail ",
    "a b",
    ":",
    ",",
    "\"",
    "\\",
    "-",
    "-x",
    "- x",
    "--",
    "#",
    "#x",
    "a #b",
    "05",
    "-012",
    "0",
    "-0",
    "1.0",
    "1e6",
    "1E-3",
    ".5",
    "1.",
    "+1",
    "Infinity",
    "NaN",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[3]: x",
    "key: value",
    "a:b",
    "x,y",
    "a|b",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "é",
    "𝄞",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\u{0}",
    "ключ",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(TRICKY).prop_map(str::to_owned),
        prop::collection::vec(prop::sample::select(TRICKY), 0..5).prop_map(|parts| parts.concat()),
        "[a-z][a-z0-9 -]{0,8}",
        any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-zA-Z_][a-zA-Z0-9_.]{0,6}", 1 => string()]
}

fn number() -> impl Strategy<Value = Value> {
    let special = prop::sample::select(vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.5,
        1e21,
        1e20,
        1e-7,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        9.007199254740992e15,
        1.8446744073709552e19,
        -9.223372036854776e18,
    ]);
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        special.prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ]
}

/// Arrays of objects sharing one key list, so that tabular output is common.
fn table() -> impl Strategy<Value = Value> {
    prop::collection::vec(key(), 1..4).prop_flat_map(|keys| {
        let width = keys.len();
        prop::collection::vec(prop::collection::vec(leaf(), width), 1..4).prop_map(move |rows| {
            Value::Array(
                rows.into_iter()
                    .map(|cells| Value::Object(keys.iter().cloned().zip(cells).collect()))
                    .collect(),
            )
        })
    })
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 80, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            table(),
        ]
    })
}

/// `value` as the decoder gives it back: tabular rows take the first row's key order, and a
/// negative zero loses its sign. Everything else, key order included, must survive as is.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().map(canonical).collect();
            let order: Option<Vec<String>> = match items.first() {
                Some(Value::Object(first)) if !first.is_empty() => {
                    let tabular = items.iter().all(|item| match item {
                        Value::Object(m) => {
                            m.len() == first.len()
                                && first.keys().all(|k| {
                                    m.get(k).is_some_and(|v| !v.is_array() && !v.is_object())
                                })
                        }
                        _ => false,
                    });
                    tabular.then(|| first.keys().cloned().collect())
                }
                _ => None,
            };
            match order {
                Some(keys) => Value::Array(
                    items
                        .iter()
                        .map(|item| {
                            Value::Object(
                                keys.iter()
                                    .map(|k| (k.clone(), item.get(k).cloned().unwrap_or_default()))
                                    .collect::<Map<_, _>>(),
                            )
                        })
                        .collect(),
                ),
                None => Value::Array(items),
            }
        }
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => json!(0.0),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn decode_of_encode_gives_the_value_back(v in value()) {
        let text = encode(&v);
        let back = match decode(Format::Toon, &text) {
            Ok(d) => d.value,
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "{text:?} does not decode: {} at {:?}", e.message, e.span
                )));
            }
        };
        prop_assert_eq!(&back, &v, "through {:?}", text);
        // `==` on objects ignores key order; the text form does not.
        prop_assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&canonical(&v)).unwrap()
        );
        // Canonical output is stable.
        prop_assert_eq!(&encode(&back), &text);
        prop_assert!(!text.ends_with('\n') && !text.contains(" \n") && !text.ends_with(' '));
    }
}
