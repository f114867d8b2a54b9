//! The check each decoder's table of broken texts runs: every text fails with its kind, at its
//! line and column, with a message that contains its fragment. All mismatches are listed at
//! once, so one run shows every rule that drifted.

use workflow_core::decode::{DecodeErrorKind, Format, decode};
use workflow_core::text::LineIndex;

/// `(name, text, kind, message fragment, line, column)`.
pub type ErrorCase<'a> = (&'a str, &'a str, DecodeErrorKind, &'a str, u32, u32);

pub fn assert_errors<'a>(format: Format, cases: impl IntoIterator<Item = ErrorCase<'a>>) {
    let mut failures = Vec::new();
    for (name, text, kind, fragment, line, column) in cases {
        match decode(format, text) {
            Ok(d) => failures.push(format!("{name}: decoded to {}", d.value)),
            Err(e) => {
                let p = LineIndex::new(text).position(e.span.start);
                if !e.message.contains(fragment)
                    || (p.line, p.column) != (line, column)
                    || e.kind != kind
                {
                    failures.push(format!(
                        "{name}: got {:?} at {}:{}: {}\n   want {kind:?} at {line}:{column}: {fragment}",
                        e.kind, p.line, p.column, e.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
