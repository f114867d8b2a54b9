//! Structural validation against the generated schemas (by [`super::structure`]), mapped to
//! the stable codes of docs/formats.md#diagnostics (`missing_field`, `wrong_type`, `invalid_value`,
//! `invalid_id`). `oneOf`/`anyOf` failures are narrowed to the alternative the author evidently
//! meant, because "not valid under any of the schemas" tells nobody what to fix.

use serde_json::Value;

use super::structure::{self, Pattern, Types, Violation, ViolationKind};
use super::{FileCtx, definitions, describe};
use crate::diagnostic::{Code, Diagnostic};
use crate::ids::{ID_RULE, TERMINAL, VARIABLE_RULE};
use crate::model::workflow::json_type_name;
use crate::pointer::unescape;
use crate::schema::SchemaKind;

/// Checks `value` against the schema of `kind`; returns whether it passed. When it did not, the
/// file's semantic checks will not run, and its first structural error says how many are
/// skipped.
pub(crate) fn check(
    kind: SchemaKind,
    value: &Value,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let before = out.len();
    for violation in structure::tree(kind).check(value) {
        report(&violation, ctx, out);
    }
    if let Some(rules) = definitions::semantic_rules(kind)
        && let Some(first) = out[before..].iter_mut().min_by_key(|d| (d.line, d.column))
    {
        first.message.push_str(&format!(
            "; until the structure is fixed, the {} semantic checks of this {} file are skipped",
            rules.len(),
            kind.name()
        ));
    }
    out.len() == before
}

fn report(violation: &Violation<'_, '_>, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    let pointer = violation.pointer.as_str();
    let instance = violation.instance;
    let field = field_name(pointer);
    match &violation.kind {
        ViolationKind::Required(name) => {
            out.push(ctx.diag(
                Code::MissingField,
                format!(
                    "Missing required field '{name}' in {}; add it",
                    describe(pointer)
                ),
                pointer,
            ));
        }
        ViolationKind::Type(types) => {
            out.push(ctx.diag(
                Code::WrongType,
                format!(
                    "'{field}' must be {} but is {}",
                    expected_types(*types),
                    with_article(json_type_name(instance))
                ),
                pointer,
            ));
        }
        ViolationKind::Pattern(pattern) => {
            let text = instance.as_str().unwrap_or_default();
            let (code, message) = match pattern {
                Pattern::Id => (
                    Code::InvalidId,
                    format!("Invalid id '{text}' in '{field}': {ID_RULE}"),
                ),
                Pattern::Target => (
                    Code::InvalidId,
                    format!(
                        "Invalid transition target '{text}' in '{field}': {ID_RULE}, or {TERMINAL} to end the workflow"
                    ),
                ),
                Pattern::Variable => (
                    Code::InvalidId,
                    format!("Invalid variable name '{text}' in '{field}': {VARIABLE_RULE}"),
                ),
                Pattern::Version => (
                    Code::InvalidValue,
                    format!(
                        "Invalid version '{text}': write it as MAJOR.MINOR.PATCH with digits only, e.g. 1.0.0"
                    ),
                ),
            };
            out.push(ctx.diag(code, message, pointer));
        }
        ViolationKind::Enum(options) => {
            let allowed = options.iter().map(short).collect::<Vec<_>>().join(", ");
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' is {} but must be one of: {allowed}",
                    short(instance)
                ),
                pointer,
            ));
        }
        ViolationKind::MinItems(limit) => {
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
                pointer,
            ));
        }
        ViolationKind::Minimum(limit) => {
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' is {} but must be at least {limit}",
                    short(instance)
                ),
                pointer,
            ));
        }
        ViolationKind::Const(expected) => out.push(ctx.diag(
            Code::InvalidValue,
            format!("'{field}' must be {}", short(expected)),
            pointer,
        )),
        ViolationKind::NoAlternative(branches) => {
            report_alternatives(pointer, instance, branches, ctx, out);
        }
        ViolationKind::SeveralAlternatives => out.push(ctx.diag(
            Code::InvalidValue,
            format!("'{field}' fits more than one of the accepted shapes; make it fit exactly one"),
            pointer,
        )),
    }
}

/// Reports the errors of the alternative the value was evidently written for: one whose type
/// and discriminating constants (a condition's `type`) match; among those, the one with the
/// fewest errors. When none matches, says which shapes are accepted.
fn report_alternatives(
    pointer: &str,
    instance: &Value,
    branches: &[Vec<Violation<'_, '_>>],
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let shape_mismatch = |v: &Violation<'_, '_>| {
        matches!(v.kind, ViolationKind::Const(_))
            || (v.pointer == pointer && matches!(v.kind, ViolationKind::Type(_)))
    };
    let best = branches
        .iter()
        .filter(|errors| !errors.iter().any(shape_mismatch))
        .min_by_key(|errors| errors.len());
    if let Some(errors) = best {
        for violation in errors {
            report(violation, ctx, out);
        }
        return;
    }
    // No alternative fits the shape: name the discriminator values, or the accepted types.
    let constants: Vec<(String, String)> = branches
        .iter()
        .flatten()
        .filter_map(|v| match v.kind {
            ViolationKind::Const(expected) => Some((v.pointer.clone(), short(expected))),
            _ => None,
        })
        .collect();
    if let Some((at, _)) = constants.first() {
        let allowed: Vec<&str> = constants
            .iter()
            .filter(|(p, _)| p == at)
            .map(|(_, v)| v.as_str())
            .collect();
        out.push(ctx.diag(
            Code::InvalidValue,
            format!(
                "'{}' must be one of: {}",
                field_name(at),
                allowed.join(", ")
            ),
            at,
        ));
        return;
    }
    // An optional field's `null` alternative names no type worth offering (null is accepted
    // wherever the field may be absent), so it leaves an empty name that must not be listed.
    let mut types: Vec<String> = Vec::new();
    for v in branches.iter().flatten() {
        if let ViolationKind::Type(kind) = v.kind
            && v.pointer == pointer
        {
            let name = expected_types(kind);
            if !name.is_empty() && !types.contains(&name) {
                types.push(name);
            }
        }
    }
    out.push(ctx.diag(
        Code::WrongType,
        format!(
            "'{}' must be {} but is {}",
            field_name(pointer),
            types.join(" or "),
            with_article(json_type_name(instance))
        ),
        pointer,
    ));
}

/// The field a message is about: the last segment of the pointer, with its parent when it is
/// an array index (`correctness[1]`), so the author can find it.
fn field_name(pointer: &str) -> String {
    match pointer.rsplit_once('/') {
        Some((parent, last)) if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) => {
            match parent.rsplit_once('/') {
                Some((_, name)) => format!("{}[{last}]", unescape(name)),
                None => format!("[{last}]"),
            }
        }
        Some((_, last)) => unescape(last),
        None => "(file)".to_owned(),
    }
}

fn expected_types(types: Types) -> String {
    types
        .names()
        .filter(|n| *n != "null")
        .map(with_article)
        .collect::<Vec<_>>()
        .join(" or ")
}

fn with_article(name: &str) -> String {
    match name {
        "array" | "object" | "integer" => format!("an {name}"),
        "null" => "null".to_owned(),
        _ => format!("a {name}"),
    }
}

/// A value as messages quote it: short, on one line.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field_name;

    #[test]
    fn fields_are_named_with_their_array() {
        assert_eq!(field_name("/protocol/correctness/1"), "correctness[1]");
        assert_eq!(field_name("/steps/0/name"), "name");
        assert_eq!(field_name("/a~1b"), "a/b");
        assert_eq!(field_name(""), "(file)");
    }
}
