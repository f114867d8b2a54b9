//! The table of diagnostic codes in docs/authoring.md and the codes' own cause and fix texts
//! (which `validate --format sarif` publishes as rule help) say the same thing: every code has
//! one row, under the heading of its severity, with exactly its cause and fix.

use std::collections::BTreeMap;

use workflow_core::diagnostic::{Code, Severity};

const AUTHORING: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/authoring.md"
));

/// `code → (heading, cause, fix)` for every row of the form ``| `code` | cause | fix |``.
fn rows() -> BTreeMap<String, (String, String, String)> {
    let mut heading = String::new();
    let mut rows = BTreeMap::new();
    for line in AUTHORING.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            heading = h.to_owned();
        }
        let Some(cells) = line.strip_prefix("| `").and_then(|l| l.strip_suffix(" |")) else {
            continue;
        };
        let cells: Vec<&str> = cells.split(" | ").collect();
        if let [code, cause, fix] = cells.as_slice()
            && let Some(code) = code.strip_suffix('`')
            && Code::parse(code).is_some()
        {
            let previous = rows.insert(
                code.to_owned(),
                (heading.clone(), (*cause).to_owned(), (*fix).to_owned()),
            );
            assert!(previous.is_none(), "`{code}` has two rows");
        }
    }
    rows
}

#[test]
fn every_code_has_its_row_with_its_cause_and_fix() {
    let rows = rows();
    for code in Code::ALL {
        let (heading, cause, fix) = rows
            .get(code.as_str())
            .unwrap_or_else(|| panic!("docs/authoring.md has no row for `{code}`"));
        let expected = match code.severity() {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
        };
        assert_eq!(
            heading, expected,
            "`{code}` is listed under the wrong heading"
        );
        assert_eq!(cause, code.cause(), "cause of `{code}`");
        assert_eq!(fix, code.fix(), "fix of `{code}`");
    }
    assert_eq!(rows.len(), Code::ALL.len());
}
