//! Structural validation with the `jsonschema` crate against the generated schemas, mapped to
//! the stable codes of formats.md §11 (`missing_field`, `wrong_type`, `invalid_value`,
//! `invalid_id`). `oneOf`/`anyOf` failures are narrowed to the alternative the author evidently
//! meant, because "not valid under any of the schemas" tells nobody what to fix.

use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationError, ValidationErrorKind};
use serde_json::Value;

use super::{FileCtx, describe};
use crate::diagnostic::{Code, Diagnostic};
use crate::ids::{ID_PATTERN, ID_RULE, VARIABLE_PATTERN, VARIABLE_RULE, VERSION_PATTERN};
use crate::model::workflow::json_type_name;
use crate::schema::SchemaKind;

fn validator(kind: SchemaKind) -> &'static Validator {
    static CACHE: [OnceLock<Validator>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    CACHE[kind as usize].get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(false)
            .build(kind.schema())
            .expect("generated schemas are valid draft 2020-12")
    })
}

/// Checks `value` against the schema of `kind`; returns whether it passed.
pub(crate) fn check(
    kind: SchemaKind,
    value: &Value,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let before = out.len();
    for error in validator(kind).iter_errors(value) {
        report(&error, ctx, out);
    }
    out.len() == before
}

fn report(error: &ValidationError<'_>, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    let pointer = error.instance_path().as_str();
    let instance: &Value = error.instance();
    let field = field_name(pointer);
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(ctx.diag(
                Code::MissingField,
                format!(
                    "Missing required field '{name}' in {}; add it",
                    describe(pointer)
                ),
                pointer,
            ));
        }
        ValidationErrorKind::Type { kind } => {
            out.push(ctx.diag(
                Code::WrongType,
                format!(
                    "'{field}' must be {} but is {}",
                    expected_types(kind),
                    with_article(json_type_name(instance))
                ),
                pointer,
            ));
        }
        ValidationErrorKind::Pattern { pattern } => {
            let text = instance.as_str().unwrap_or_default();
            let (code, message) = if pattern == ID_PATTERN {
                (
                    Code::InvalidId,
                    format!("Invalid id '{text}' in '{field}': {ID_RULE}"),
                )
            } else if pattern == VARIABLE_PATTERN {
                (
                    Code::InvalidId,
                    format!("Invalid variable name '{text}' in '{field}': {VARIABLE_RULE}"),
                )
            } else if pattern == VERSION_PATTERN {
                (
                    Code::InvalidValue,
                    format!(
                        "Invalid version '{text}': write it as MAJOR.MINOR.PATCH with digits only, e.g. 1.0.0"
                    ),
                )
            } else {
                (
                    Code::InvalidValue,
                    format!("'{field}' does not match the pattern {pattern}"),
                )
            };
            out.push(ctx.diag(code, message, pointer));
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = options
                .as_array()
                .map(|a| a.iter().map(short).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' is {} but must be one of: {allowed}",
                    short(instance)
                ),
                pointer,
            ));
        }
        ValidationErrorKind::MinItems { limit } => {
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
                pointer,
            ));
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            out.push(ctx.diag(
                Code::InvalidValue,
                format!(
                    "'{field}' is {} but must be at least {limit}",
                    short(instance)
                ),
                pointer,
            ));
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            report_alternatives(pointer, instance, context, ctx, out);
        }
        _ => out.push(ctx.diag(Code::InvalidValue, format!("'{field}': {error}"), pointer)),
    }
}

/// Reports the errors of the alternative the value was evidently written for: one whose type
/// and discriminating constants (a condition's `type`) match; among those, the one with the
/// fewest errors. When none matches, says which shapes are accepted.
fn report_alternatives(
    pointer: &str,
    instance: &Value,
    branches: &[Vec<ValidationError<'static>>],
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let shape_mismatch = |e: &ValidationError<'_>| {
        matches!(e.kind(), ValidationErrorKind::Constant { .. })
            || (e.instance_path().as_str() == pointer
                && matches!(e.kind(), ValidationErrorKind::Type { .. }))
    };
    let best = branches
        .iter()
        .filter(|errors| !errors.iter().any(shape_mismatch))
        .min_by_key(|errors| errors.len());
    if let Some(errors) = best {
        for error in errors {
            report(error, ctx, out);
        }
        return;
    }
    // No alternative fits the shape: name the discriminator values, or the accepted types.
    let constants: Vec<(String, String)> = branches
        .iter()
        .flatten()
        .filter_map(|e| match e.kind() {
            ValidationErrorKind::Constant { expected_value } => {
                Some((e.instance_path().as_str().to_owned(), short(expected_value)))
            }
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
    for e in branches.iter().flatten() {
        if let ValidationErrorKind::Type { kind } = e.kind()
            && e.instance_path().as_str() == pointer
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
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
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

fn expected_types(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
    };
    names
        .iter()
        .filter(|n| n.as_str() != "null")
        .map(|n| with_article(n))
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
