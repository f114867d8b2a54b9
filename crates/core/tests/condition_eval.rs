//! Path lookup, evaluation, decidability and referenced variables (docs/formats.md#path-lookup,
//! docs/formats.md#condition-evaluation).

use serde_json::{Map, Value, json};
use workflow_core::model::Condition;
use workflow_core::model::condition::{MAX_DEPTH, lookup};

fn vars() -> Map<String, Value> {
    let Value::Object(map) = json!({
        "n": 5,
        "f": 1.0,
        "one": 1,
        "s": "5",
        "spaced": " 3 ",
        "tabbed": "\t4\n",
        "b": true,
        "nul": null,
        "arr": [10, {"k": "v"}, null],
        "obj": {"a": {"b": 2}, "": "empty key"},
        "str": "abc",
        "empty": "",
        "blank": "   ",
        "big": 9_007_199_254_740_993u64,
        "max": u64::MAX,
        "neg": -2,
        "exp": "1e2",
        "lead0": "01",
        "plus": "+1",
        "dot": ".5",
        "huge": "1e400",
        "true_s": "true",
        "half": 0.5
    }) else {
        unreachable!()
    };
    map
}

fn condition(value: Value) -> Condition {
    serde_json::from_value(value).unwrap()
}

fn simple(variable: &str, operator: &str, value: Value) -> Condition {
    condition(json!({"type": "simple", "variable": variable, "operator": operator, "value": value}))
}

fn unary(variable: &str, operator: &str) -> Condition {
    condition(json!({"type": "simple", "variable": variable, "operator": operator}))
}

#[test]
fn lookup_follows_keys_and_indices() {
    let vars = vars();
    let cases: &[(&str, Option<Value>)] = &[
        ("n", Some(json!(5))),
        ("nul", Some(Value::Null)),
        ("arr.0", Some(json!(10))),
        ("arr.1.k", Some(json!("v"))),
        ("arr.2", Some(Value::Null)),
        ("arr.3", None),
        ("arr.01", None),
        ("arr.+1", None),
        ("arr.-1", None),
        ("arr.k", None),
        ("arr.", None),
        ("arr.99999999999999999999999", None),
        ("obj.a.b", Some(json!(2))),
        ("obj.a", Some(json!({"b": 2}))),
        ("obj.", Some(json!("empty key"))),
        ("obj.a.c", None),
        ("n.x", None),
        ("str.0", None),
        ("missing", None),
        ("missing.x", None),
        ("", None),
    ];
    for (path, expected) in cases {
        assert_eq!(lookup(&vars, path), expected.as_ref(), "path {path:?}");
    }
}

#[test]
fn comparison_table() {
    let vars = vars();
    #[rustfmt::skip]
    let cases: &[(&str, &str, Value, bool)] = &[
        // == : numbers by value, no conversion between types
        ("n", "==", json!(5), true),
        ("n", "==", json!(5.0), true),
        ("one", "==", json!(1.0), true),
        ("f", "==", json!(1), true),
        ("n", "==", json!(6), false),
        ("s", "==", json!(5), false),
        ("n", "==", json!("5"), false),
        ("s", "==", json!("5"), true),
        ("b", "==", json!(true), true),
        ("b", "==", json!("true"), false),
        ("true_s", "==", json!(true), false),
        ("b", "==", json!(1), false),
        ("nul", "==", Value::Null, true),
        ("nul", "==", json!(0), false),
        ("nul", "==", json!(""), false),
        ("empty", "==", Value::Null, false),
        ("missing", "==", Value::Null, false),
        ("str", "==", json!("abc"), true),
        ("str", "==", json!("ABC"), false),
        ("str", "==", json!("abc "), false),
        ("arr", "==", json!(10), false),
        ("obj", "==", Value::Null, false),
        ("arr.0", "==", json!(10), true),
        ("arr.1.k", "==", json!("v"), true),
        ("obj.a.b", "==", json!(2.0), true),
        ("big", "==", json!(9_007_199_254_740_992u64), false),
        ("big", "==", json!(9_007_199_254_740_992.0), false),
        ("big", "==", json!(9_007_199_254_740_993u64), true),
        ("max", "==", json!(u64::MAX), true),
        ("neg", "==", json!(-2.0), true),
        // != : the negation of ==, so absent is true
        ("s", "!=", json!(5), true),
        ("n", "!=", json!(5), false),
        ("n", "!=", json!(5.0), false),
        ("missing", "!=", json!(1), true),
        ("missing", "!=", Value::Null, true),
        ("nul", "!=", Value::Null, false),
        ("arr", "!=", json!(10), true),
        // ordering: numeric strings convert, anything else is false
        ("spaced", ">", json!(2), true),
        ("spaced", "<", json!(2), false),
        ("spaced", "==", json!(3), false),
        ("tabbed", ">=", json!(4), true),
        ("s", ">", json!(4), true),
        ("n", ">", json!("4"), true),
        ("n", ">", json!(" 4 "), true),
        ("s", "<=", json!("5"), true),
        ("n", ">", json!(5), false),
        ("n", ">=", json!(5), true),
        ("n", "<=", json!(5), true),
        ("n", "<", json!(5), false),
        ("n", "<", json!(6), true),
        ("f", ">=", json!(1), true),
        ("f", "<=", json!(1), true),
        ("half", ">", json!(0), true),
        ("half", "<", json!(1), true),
        ("one", ">", json!(0.5), true),
        ("one", "<", json!(1.5), true),
        ("neg", "<", json!(-1), true),
        ("neg", ">", json!(-2.5), true),
        ("big", ">", json!(9_007_199_254_740_992.0), true),
        ("max", ">", json!(1e19), true),
        ("max", "<", json!(18_446_744_073_709_551_616.0), true),
        ("max", "==", json!(18_446_744_073_709_551_616.0), false),
        ("max", "<", json!(1e20), true),
        ("exp", ">", json!(99), true),
        ("exp", "==", json!(100), false),
        ("str", ">", json!(1), false),
        ("str", "<", json!(1), false),
        ("empty", ">", json!(-1), false),
        ("empty", "<=", json!(0), false),
        ("blank", "<", json!(1), false),
        ("b", ">", json!(0), false),
        ("b", ">=", json!(true), false),
        ("nul", ">", json!(-1), false),
        ("nul", "<", json!(1), false),
        ("missing", ">", json!(0), false),
        ("missing", "<", json!(0), false),
        ("missing", ">=", json!(0), false),
        ("missing", "<=", json!(0), false),
        ("arr", ">", json!(0), false),
        ("obj", "<", json!(0), false),
        ("lead0", ">", json!(0), false),
        ("plus", ">", json!(0), false),
        ("dot", ">", json!(0), false),
        ("huge", ">", json!(0), false),
        ("n", ">", json!("abc"), false),
        ("n", ">", Value::Null, false),
        ("n", "<", json!(true), false),
        ("n", ">", json!(""), false),
    ];
    for (variable, operator, value, expected) in cases {
        let c = simple(variable, operator, value.clone());
        assert_eq!(c.evaluate(&vars), *expected, "{}", c.render());
    }
}

#[test]
fn exists_and_not_exists() {
    let vars = vars();
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        ("n", true), ("empty", true), ("b", true), ("arr", true), ("arr.0", true),
        ("nul", false), ("arr.2", false), ("missing", false), ("arr.5", false), ("n.x", false),
    ];
    for (variable, exists) in cases {
        assert_eq!(
            unary(variable, "exists").evaluate(&vars),
            *exists,
            "{variable} exists"
        );
        assert_eq!(
            unary(variable, "notExists").evaluate(&vars),
            !exists,
            "{variable} notExists"
        );
    }
    // A value on exists/notExists is ignored.
    assert!(simple("n", "exists", json!(false)).evaluate(&vars));
    assert!(!simple("nul", "exists", json!(true)).evaluate(&vars));
}

#[test]
fn comparisons_without_a_value() {
    let vars = vars();
    assert!(!unary("n", "==").evaluate(&vars));
    assert!(unary("n", "!=").evaluate(&vars));
    assert!(!unary("n", ">").evaluate(&vars));
    assert!(!unary("nul", "==").evaluate(&vars));
}

#[test]
fn and_or_not() {
    let vars = vars();
    let t = || json!({"type": "simple", "variable": "n", "operator": "==", "value": 5});
    let f = || json!({"type": "simple", "variable": "n", "operator": "==", "value": 6});
    let cases = [
        (json!({"type": "and", "conditions": [t(), t()]}), true),
        (json!({"type": "and", "conditions": [t(), f()]}), false),
        (json!({"type": "and", "conditions": [f(), t(), t()]}), false),
        (json!({"type": "or", "conditions": [f(), t()]}), true),
        (json!({"type": "or", "conditions": [f(), f()]}), false),
        (json!({"type": "not", "condition": t()}), false),
        (json!({"type": "not", "condition": f()}), true),
        (
            json!({"type": "not", "condition": {"type": "simple", "variable": "missing", "operator": ">", "value": 0}}),
            true,
        ),
        (
            json!({"type": "or", "conditions": [
                {"type": "and", "conditions": [t(), f()]},
                {"type": "not", "condition": {"type": "or", "conditions": [f(), f()]}}
            ]}),
            true,
        ),
    ];
    for (c, expected) in cases {
        let c = condition(c);
        assert_eq!(c.evaluate(&vars), expected, "{}", c.render());
    }
}

#[test]
fn decidable_when_every_path_is_present() {
    let vars = vars();
    let both = |a: &str, b: &str| {
        condition(json!({"type": "and", "conditions": [
            {"type": "simple", "variable": a, "operator": "==", "value": 1},
            {"type": "not", "condition": {"type": "simple", "variable": b, "operator": "exists"}}
        ]}))
    };
    assert!(both("n", "nul").is_decidable(&vars));
    assert!(both("arr.2", "obj.a.b").is_decidable(&vars));
    assert!(!both("n", "missing").is_decidable(&vars));
    assert!(!both("arr.3", "n").is_decidable(&vars));
    assert!(unary("nul", "notExists").is_decidable(&vars));
    assert!(!unary("missing", "notExists").is_decidable(&vars));
    assert!(!unary("missing", "notExists").is_decidable(&Map::new()));
}

#[test]
fn referenced_variables_in_order_without_repeats() {
    let c = condition(json!({"type": "and", "conditions": [
        {"type": "simple", "variable": "a", "operator": "==", "value": 1},
        {"type": "or", "conditions": [
            {"type": "simple", "variable": "b.0", "operator": ">", "value": 2},
            {"type": "simple", "variable": "a", "operator": "<", "value": 3}
        ]},
        {"type": "not", "condition": {"type": "simple", "variable": "c", "operator": "exists"}},
        {"type": "simple", "variable": "b.0", "operator": "exists"}
    ]}));
    assert_eq!(c.referenced_variables(), ["a", "b.0", "c"]);
}

fn nested_nots(levels: usize) -> Condition {
    let mut c = simple("n", "==", json!(5));
    for _ in 1..levels {
        c = Condition::Not {
            condition: Box::new(c),
        };
    }
    c
}

#[test]
fn depth_limit_is_thirty_two_levels() {
    let vars = vars();
    // 32 levels: the simple condition under 31 nots, an odd number, so false.
    let at_limit = nested_nots(MAX_DEPTH);
    assert!(at_limit.within_depth_limit());
    assert!(at_limit.is_decidable(&vars));
    assert!(!at_limit.evaluate(&vars));
    let flipped = Condition::Not {
        condition: Box::new(nested_nots(MAX_DEPTH - 1)),
    };
    assert!(flipped.evaluate(&vars) != nested_nots(MAX_DEPTH - 1).evaluate(&vars));

    // 33 levels: too deep, so never true and never decidable, whatever the parity.
    for levels in [MAX_DEPTH + 1, MAX_DEPTH + 2] {
        let too_deep = nested_nots(levels);
        assert!(!too_deep.within_depth_limit());
        assert!(!too_deep.evaluate(&vars));
        assert!(!too_deep.is_decidable(&vars));
    }
}

#[test]
fn very_deep_conditions_do_not_overflow_the_stack() {
    const LEVELS: usize = 20_000;
    let vars = vars();
    let mut c = simple("n", "==", json!(5));
    for i in 0..LEVELS {
        c = if i % 2 == 0 {
            Condition::And {
                conditions: vec![unary("n", "exists"), c],
            }
        } else {
            Condition::Not {
                condition: Box::new(c),
            }
        };
    }
    assert!(!c.within_depth_limit());
    assert!(!c.evaluate(&vars));
    assert!(!c.is_decidable(&vars));
    assert_eq!(c.referenced_variables(), ["n"]);
    let rendered = c.render();
    assert!(rendered.starts_with("NOT (n exists AND NOT (n exists AND NOT ("));
    assert!(rendered.len() > LEVELS * 6);
    let innermost = format!("(n exists undefined AND n == 5{}", ")".repeat(LEVELS / 2));
    assert!(c.render_legacy().ends_with(&innermost));
    // Dropping 20,000 nested boxes recurses in the compiler's drop glue, which is not this
    // code's to change; leak instead so the test measures only the functions above.
    std::mem::forget(c);
}
