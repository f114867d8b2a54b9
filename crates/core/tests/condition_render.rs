//! Canonical and legacy renderings (docs/formats.md#condition-rendering), claim matching
//! (docs/protocol.md#transition-conditions) and the unchanged serde form of conditions.

use serde_json::{Value, json};
use workflow_core::model::Condition;
use workflow_core::model::condition::claim_matches;

fn condition(value: Value) -> Condition {
    serde_json::from_value(value).unwrap()
}

fn s(variable: &str, operator: &str, value: Value) -> Value {
    json!({"type": "simple", "variable": variable, "operator": operator, "value": value})
}

fn u(variable: &str, operator: &str) -> Value {
    json!({"type": "simple", "variable": variable, "operator": operator})
}

fn and(items: Vec<Value>) -> Value {
    json!({"type": "and", "conditions": items})
}

fn or(items: Vec<Value>) -> Value {
    json!({"type": "or", "conditions": items})
}

fn not(item: Value) -> Value {
    json!({"type": "not", "condition": item})
}

#[test]
fn renderings_table() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            s("needs_review", "==", json!(true)),
            "needs_review == true",
            "needs_review == true",
        ),
        (
            s("mode", "==", json!("fast")),
            r#"mode == "fast""#,
            r#"mode == "fast""#,
        ),
        (s("count", ">", json!(0)), "count > 0", "count > 0"),
        (
            s("owner", "==", Value::Null),
            "owner == null",
            "owner == null",
        ),
        (
            s("owner", "!=", json!("me")),
            r#"owner != "me""#,
            r#"owner != "me""#,
        ),
        (s("n", "<=", json!(-2.5)), "n <= -2.5", "n <= -2.5"),
        (s("n", ">=", json!(1.0)), "n >= 1.0", "n >= 1"),
        (s("n", "<", json!(1e21)), "n < 1e+21", "n < 1e+21"),
        (s("items.0", "<", json!(3)), "items.0 < 3", "items.0 < 3"),
        (
            s("quote", "==", json!("say \"hi\"\n")),
            r#"quote == "say \"hi\"\n""#,
            r#"quote == "say \"hi\"\n""#,
        ),
        (
            s("name", "==", json!("café")),
            r#"name == "café""#,
            r#"name == "café""#,
        ),
        (
            u("issue", "exists"),
            "issue exists",
            "issue exists undefined",
        ),
        (
            u("issue", "notExists"),
            "issue notExists",
            "issue notExists undefined",
        ),
        (
            s("issue", "exists", json!(true)),
            "issue exists",
            "issue exists true",
        ),
        (
            and(vec![
                s("a", "==", json!(1)),
                or(vec![s("b", "==", json!(2)), s("c", "==", json!(3))]),
            ]),
            "a == 1 AND (b == 2 OR c == 3)",
            "a == 1 AND b == 2 OR c == 3",
        ),
        (
            or(vec![
                and(vec![s("a", "==", json!(1)), s("b", "==", json!(2))]),
                not(u("c", "exists")),
                s("d", ">", json!(4)),
            ]),
            "(a == 1 AND b == 2) OR NOT (c exists) OR d > 4",
            "a == 1 AND b == 2 OR NOT (c exists undefined) OR d > 4",
        ),
        (
            not(and(vec![s("a", "==", json!(1)), s("b", "==", json!(2))])),
            "NOT (a == 1 AND b == 2)",
            "NOT (a == 1 AND b == 2)",
        ),
        (
            and(vec![
                and(vec![s("a", "==", json!(1)), s("b", "==", json!(2))]),
                and(vec![
                    s("c", "==", json!(3)),
                    not(or(vec![u("d", "exists"), u("e", "notExists")])),
                ]),
            ]),
            "(a == 1 AND b == 2) AND (c == 3 AND NOT (d exists OR e notExists))",
            "a == 1 AND b == 2 AND c == 3 AND NOT (d exists undefined OR e notExists undefined)",
        ),
        (
            not(not(s("x", "==", json!(0)))),
            "NOT (NOT (x == 0))",
            "NOT (NOT (x == 0))",
        ),
    ];
    for (c, canonical, legacy) in cases {
        let c = condition(c);
        assert_eq!(c.render(), canonical);
        assert_eq!(c.render_legacy(), legacy);
        assert!(claim_matches(&c, canonical), "{canonical}");
        assert!(claim_matches(&c, legacy), "{legacy}");
    }
}

#[test]
fn comparison_without_value_renders_like_the_original() {
    let c = condition(u("n", "=="));
    assert_eq!(c.render(), "n ==");
    assert_eq!(c.render_legacy(), "n == undefined");
}

#[test]
fn claims_are_compared_after_trimming_and_collapsing_whitespace() {
    let c = condition(and(vec![
        s("a", "==", json!(1)),
        or(vec![s("b", "==", json!(2)), u("c", "notExists")]),
    ]));
    for claim in [
        "a == 1 AND (b == 2 OR c notExists)",
        "  a == 1 AND (b == 2 OR c notExists)  ",
        "a  ==  1\tAND\n(b == 2   OR c notExists)",
        "a == 1 AND b == 2 OR c notExists undefined",
        " a == 1  AND b == 2 OR  c notExists undefined\n",
    ] {
        assert!(claim_matches(&c, claim), "{claim:?}");
    }
    for claim in [
        "",
        "default",
        "a == 1",
        "a == 1 AND b == 2 OR c notExists",
        "a == 1 AND (b == 2 OR c notExists undefined)",
        "a==1 AND (b==2 OR c notExists)",
        "A == 1 AND (B == 2 OR C notExists)",
        "a == 1 and (b == 2 or c notExists)",
        "a == 1 AND ( b == 2 OR c notExists )",
    ] {
        assert!(!claim_matches(&c, claim), "{claim:?}");
    }
}

#[test]
fn claims_with_numbers_match_either_rendering() {
    let c = condition(s("ratio", "==", json!(2.0)));
    assert!(claim_matches(&c, "ratio == 2.0"));
    assert!(claim_matches(&c, "ratio == 2"));
    assert!(!claim_matches(&c, "ratio == 2.00"));
    let c = condition(s("mode", "==", json!("a  b")));
    assert!(claim_matches(&c, r#"mode == "a b""#));
}

#[test]
fn serde_form_is_unchanged() {
    let text = r#"{"type":"and","conditions":[{"type":"simple","variable":"a","operator":"==","value":1},{"type":"not","condition":{"type":"simple","variable":"b","operator":"notExists"}},{"type":"or","conditions":[{"type":"simple","variable":"c","operator":">=","value":"2"},{"type":"simple","variable":"d","operator":"exists"}]}]}"#;
    let c: Condition = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), text);
    assert_eq!(
        c.render(),
        r#"a == 1 AND NOT (b notExists) AND (c >= "2" OR d exists)"#
    );

    // An explicit null is a value to compare with, and stays in the serialised form.
    let text = r#"{"type":"simple","variable":"owner","operator":"==","value":null}"#;
    let c: Condition = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), text);
    assert_eq!(c.render(), "owner == null");
    let text = r#"{"type":"simple","variable":"owner","operator":"exists"}"#;
    let c: Condition = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), text);
}
