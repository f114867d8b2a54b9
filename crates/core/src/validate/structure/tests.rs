//! The checker is held to the `jsonschema` crate's verdicts: on every definition file of the
//! library and the fixtures, checked against every schema, and on those files broken at random,
//! both must report the same violations at the same places, alternatives included.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationError, ValidationErrorKind};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::tree::{CompileError, Tree};
use super::{Violation, ViolationKind, tree};
use crate::decode::{Format, decode};
use crate::pointer;
use crate::schema::SchemaKind;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn collect(dir: &Path, out: &mut Vec<Value>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if let Some(format) = Format::from_path(&path.to_string_lossy())
            && let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(decoded) = decode(format, &text)
        {
            out.push(decoded.value);
        }
    }
}

/// Every decodable definition file of the library and the fixtures.
fn corpus() -> &'static [Value] {
    static CORPUS: OnceLock<Vec<Value>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut out = Vec::new();
        collect(&repo().join("workflows"), &mut out);
        collect(&repo().join("tests/fixtures"), &mut out);
        assert!(out.len() > 50, "corpus too small: {} files", out.len());
        out
    })
}

fn reference(kind: SchemaKind) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<Vec<jsonschema::Validator>> = OnceLock::new();
    &CACHE.get_or_init(|| {
        SchemaKind::ALL
            .iter()
            .map(|k| {
                jsonschema::options()
                    .should_validate_formats(false)
                    .build(k.schema())
                    .expect("schema compiles")
            })
            .collect()
    })[kind as usize]
}

fn ours(violation: &Violation<'_, '_>) -> String {
    let detail = match &violation.kind {
        ViolationKind::Required(name) => format!("required {name}"),
        ViolationKind::Type(types) => {
            let mut names: Vec<&str> = types.names().collect();
            names.sort_unstable();
            format!("type {}", names.join(","))
        }
        ViolationKind::Pattern(pattern) => format!("pattern {}", pattern.source()),
        ViolationKind::Enum(options) => format!("enum {}", Value::from(options.to_vec())),
        ViolationKind::Const(value) => format!("const {value}"),
        ViolationKind::MinItems(limit) => format!("minItems {limit}"),
        ViolationKind::Minimum(limit) => format!("minimum {limit}"),
        ViolationKind::NoAlternative(branches) => {
            let branches: Vec<String> = branches.iter().map(|b| normal(b, ours)).collect();
            format!("alternatives [{}]", branches.join(" | "))
        }
        ViolationKind::SeveralAlternatives => "several".to_owned(),
    };
    format!("{} {detail}", violation.pointer)
}

fn theirs(error: &ValidationError<'_>) -> String {
    let detail = match error.kind() {
        ValidationErrorKind::Required { property } => {
            format!("required {}", property.as_str().unwrap_or_default())
        }
        ValidationErrorKind::Type { kind } => {
            let mut names: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            names.sort_unstable();
            format!("type {}", names.join(","))
        }
        ValidationErrorKind::Pattern { pattern } => format!("pattern {pattern}"),
        ValidationErrorKind::Enum { options } => format!("enum {options}"),
        ValidationErrorKind::Constant { expected_value } => format!("const {expected_value}"),
        ValidationErrorKind::MinItems { limit } => format!("minItems {limit}"),
        ValidationErrorKind::Minimum { limit } => format!("minimum {limit}"),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let branches: Vec<String> = context.iter().map(|b| normal(b, theirs)).collect();
            format!("alternatives [{}]", branches.join(" | "))
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => "several".to_owned(),
        other => format!("unmapped {other:?}"),
    };
    format!("{} {detail}", error.instance_path().as_str())
}

/// A list of violations as one comparable string: each normalised, sorted.
fn normal<T>(items: &[T], one: fn(&T) -> String) -> String {
    let mut all: Vec<String> = items.iter().map(one).collect();
    all.sort_unstable();
    all.join("; ")
}

/// Checks `value` against every schema both ways; returns a description of the first
/// disagreement.
fn disagreement(value: &Value) -> Option<String> {
    for kind in SchemaKind::ALL {
        let mine = normal(&tree(kind).check(value), ours);
        let errors: Vec<ValidationError<'_>> = reference(kind).iter_errors(value).collect();
        let reference = normal(&errors, theirs);
        if mine != reference {
            return Some(format!(
                "{} schema on {value}\n ours:       {mine}\n jsonschema: {reference}",
                kind.name()
            ));
        }
    }
    None
}

#[test]
fn agrees_with_jsonschema_on_the_library_and_the_fixtures() {
    let mut failing = 0;
    for value in corpus() {
        if let Some(diff) = disagreement(value) {
            panic!("{diff}");
        }
        failing += SchemaKind::ALL
            .iter()
            .filter(|k| !tree(**k).check(value).is_empty())
            .count();
    }
    // Checking each file against the other kinds' schemas is what exercises the failures.
    assert!(failing > 100, "only {failing} failing checks");
}

/// Every pointer of a value, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                pointers(member, crate::pointer::push(&at, key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, crate::pointer::push_index(&at, i), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Values that are wrong in common ways: wrong types, bad ids, near-miss discriminators.
fn odd_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(2.5),
        json!(3.0),
        json!(""),
        json!("Bad id!"),
        json!("../x"),
        json!("1.0"),
        json!("and"),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"type": "and", "conditions": []}),
        json!({"type": "simple", "variable": "x", "operator": "=="}),
        json!({"type": "nope"}),
    ]
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the value at a pointer with an odd value.
    Odd(prop::sample::Index, prop::sample::Index),
    /// Replace it with a value taken from another file, so it has a real shape in the wrong
    /// place.
    Graft(
        prop::sample::Index,
        prop::sample::Index,
        prop::sample::Index,
    ),
    /// Remove it from its object or array.
    Remove(prop::sample::Index),
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let mut places = Vec::new();
    pointers(value, String::new(), &mut places);
    let odd = odd_values();
    match mutation {
        Mutation::Odd(at, which) => {
            let at = at.get(&places).clone();
            *value.pointer_mut(&at).expect("pointer exists") = which.get(&odd).clone();
        }
        Mutation::Graft(at, file, part) => {
            let at = at.get(&places).clone();
            let donor = file.get(corpus());
            let mut parts = Vec::new();
            pointers(donor, String::new(), &mut parts);
            let graft = donor
                .pointer(part.get::<String>(&parts))
                .expect("pointer exists")
                .clone();
            *value.pointer_mut(&at).expect("pointer exists") = graft;
        }
        Mutation::Remove(at) => {
            let at: &String = at.get(&places);
            let Some((parent, last)) = at.rsplit_once('/') else {
                return;
            };
            let last = pointer::unescape(last);
            match value.pointer_mut(parent) {
                Some(Value::Object(members)) => {
                    members.shift_remove(&last);
                }
                Some(Value::Array(items)) => {
                    items.remove(last.parse::<usize>().expect("index"));
                }
                _ => {}
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::Odd(a, b)),
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>()
        )
            .prop_map(|(a, b, c)| Mutation::Graft(a, b, c)),
        any::<prop::sample::Index>().prop_map(Mutation::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn agrees_with_jsonschema_on_broken_files(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut value = file.get(corpus()).clone();
        for m in &mutations {
            apply(&mut value, m);
        }
        if let Some(diff) = disagreement(&value) {
            prop_assert!(false, "{}", diff);
        }
    }
}

#[test]
fn compiling_refuses_what_the_checker_cannot_check() {
    let unsupported = Tree::compile(&json!({"properties": {"a": {"maxLength": 3}}}));
    assert_eq!(
        unsupported.unwrap_err(),
        CompileError::Unsupported {
            keyword: "maxLength".into(),
            at: "#/properties/a".into()
        }
    );
    let pattern = Tree::compile(&json!({"pattern": "^a+$"}));
    assert!(matches!(pattern, Err(CompileError::UnknownPattern { .. })));
    let dangling = Tree::compile(&json!({"$ref": "#/$defs/Missing"}));
    assert!(matches!(dangling, Err(CompileError::UnresolvedRef { .. })));
    let recursive = Tree::compile(&json!({
        "$defs": {"List": {"type": "array", "items": {"$ref": "#/$defs/List"}}},
        "$ref": "#/$defs/List"
    }))
    .expect("recursive definitions compile");
    assert!(recursive.check(&json!([[[]]])).is_empty());
    assert_eq!(recursive.check(&json!([[1]])).len(), 1);
}

#[test]
fn each_type_name_admits_its_own_values() {
    let samples = [
        ("string", json!("x")),
        ("number", json!(1.5)),
        ("integer", json!(2)),
        ("boolean", json!(false)),
        ("array", json!([])),
        ("object", json!({})),
        ("null", json!(null)),
    ];
    for (name, _) in &samples {
        let tree = Tree::compile(&json!({ "type": name })).unwrap();
        let admitted: Vec<&str> = samples
            .iter()
            .filter(|(_, v)| tree.check(v).is_empty())
            .map(|(n, _)| *n)
            .collect();
        let expected: &[&str] = match *name {
            // Every integer is a number; `2` is an integer.
            "number" => &["number", "integer"],
            n => &[n][..],
        };
        assert_eq!(admitted, expected, "type {name}");
        assert_eq!(
            tree.nodes[Tree::ROOT]
                .types
                .unwrap()
                .names()
                .collect::<Vec<_>>(),
            [*name]
        );
    }
}
