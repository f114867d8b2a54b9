//! The table of diagnostic codes in docs/formats.md and the codes' own cause and fix texts
//! (which `validate --format sarif` publishes as rule help) say the same thing: every code has
//! one row with exactly its cause and fix (doc_references.rs checks the codes and severities).

use std::collections::BTreeMap;

use workflow_core::diagnostic::Code;

const FORMATS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/formats.md"
));

/// `code → (cause, fix)` for every row of the form ``| `code` | severity | cause | fix |``.
fn rows() -> BTreeMap<String, (String, String)> {
    let mut rows = BTreeMap::new();
    for line in FORMATS.lines() {
        let Some(cells) = line.strip_prefix("| `").and_then(|l| l.strip_suffix(" |")) else {
            continue;
        };
        let cells: Vec<&str> = cells.split(" | ").collect();
        if let [code, _severity, cause, fix] = cells.as_slice()
            && let Some(code) = code.strip_suffix('`')
            && Code::parse(code).is_some()
        {
            let previous = rows.insert(code.to_owned(), ((*cause).to_owned(), (*fix).to_owned()));
            assert!(previous.is_none(), "`{code}` has two rows");
        }
    }
    rows
}

#[test]
fn every_code_has_its_row_with_its_cause_and_fix() {
    let rows = rows();
    for code in Code::ALL {
        let (cause, fix) = rows
            .get(code.as_str())
            .unwrap_or_else(|| panic!("docs/formats.md has no row for `{code}`"));
        assert_eq!(cause, code.cause(), "cause of `{code}`");
        assert_eq!(fix, code.fix(), "fix of `{code}`");
    }
    assert_eq!(rows.len(), Code::ALL.len());
}
