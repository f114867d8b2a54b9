//! Golden tests over broken workflow libraries in `tests/fixtures/invalid/<case>/`.
//!
//! Each case is a workflows root. Its expected diagnostics are written next to the problem:
//!
//! * `# expect <severity>[<code>]: <fragment>` on a comment line — a diagnostic at the next
//!   line that is not an expectation, whose message contains `<fragment>`;
//!   `# expect <severity>[<code>] @<col>: …` also fixes the column;
//! * `# expect-file <severity>[<code>]: <fragment>` — a diagnostic at 1:1 of this file (file
//!   names, layout rules);
//! * in `<case>/expected` (for files that cannot hold comments: JSON, markdown, binary):
//!   `<file>:<line>:<col>: <severity>[<code>]: <fragment>` lines.
//!
//! The produced diagnostics must equal the expected ones exactly — nothing missing, nothing
//! extra — so a new false positive fails as surely as a missed defect.

use std::fs;
use std::path::{Path, PathBuf};

use workflow_core::catalog::Library;
use workflow_core::diagnostic::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    file: String,
    line: u32,
    column: Option<u32>,
    severity: String,
    code: String,
    fragment: String,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.file == self.file
            && d.line == self.line
            && self.column.is_none_or(|c| c == d.column)
            && d.severity.as_str() == self.severity
            && d.code.as_str() == self.code
            && d.message.contains(&self.fragment)
    }
}

/// Parses `<severity>[<code>] [@<col>]: <fragment>`.
fn parse_expectation(spec: &str) -> (String, String, Option<u32>, String) {
    let (head, fragment) = spec
        .split_once(": ")
        .unwrap_or_else(|| panic!("expectation without ': ': {spec}"));
    let (severity, rest) = head
        .split_once('[')
        .unwrap_or_else(|| panic!("expectation without '[code]': {spec}"));
    let (code, rest) = rest
        .split_once(']')
        .unwrap_or_else(|| panic!("unclosed code: {spec}"));
    let column = rest
        .trim()
        .strip_prefix('@')
        .map(|c| c.parse().expect("column number"));
    (
        severity.trim().to_owned(),
        code.to_owned(),
        column,
        fragment.trim().to_owned(),
    )
}

fn read_case(dir: &Path) -> (Vec<(String, Vec<u8>)>, Vec<Expected>) {
    let mut files = Vec::new();
    let mut expected = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let mut inputs = Vec::new();
    for (rel, path) in files {
        let bytes = fs::read(&path).unwrap();
        if rel == "expected" {
            for line in String::from_utf8(bytes)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                let mut parts = line.splitn(4, ':');
                let file = parts.next().unwrap().to_owned();
                let line_no: u32 = parts.next().unwrap().parse().unwrap();
                let col: u32 = parts.next().unwrap().parse().unwrap();
                let (severity, code, _, fragment) = parse_expectation(parts.next().unwrap().trim());
                expected.push(Expected {
                    file,
                    line: line_no,
                    column: Some(col),
                    severity,
                    code,
                    fragment,
                });
            }
            continue;
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let mut pending = Vec::new();
            for (i, line) in text.lines().enumerate() {
                let trimmed = line.trim_start();
                if let Some(spec) = trimmed.strip_prefix("# expect-file ") {
                    let (severity, code, _, fragment) = parse_expectation(spec);
                    expected.push(Expected {
                        file: rel.clone(),
                        line: 1,
                        column: Some(1),
                        severity,
                        code,
                        fragment,
                    });
                } else if let Some(spec) = trimmed.strip_prefix("# expect ") {
                    pending.push(parse_expectation(spec));
                } else if !pending.is_empty() {
                    for (severity, code, column, fragment) in pending.drain(..) {
                        expected.push(Expected {
                            file: rel.clone(),
                            line: i as u32 + 1,
                            column,
                            severity,
                            code,
                            fragment,
                        });
                    }
                }
            }
            assert!(
                pending.is_empty(),
                "{rel}: an expectation has no line after it"
            );
        }
        inputs.push((rel, bytes));
    }
    (inputs, expected)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn cases() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/invalid");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_fixture_reports_exactly_its_expected_diagnostics() {
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "expected the fixture cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (files, expected) = read_case(case);
        assert!(
            !expected.is_empty(),
            "case {name} declares no expected diagnostic"
        );
        let library = Library::load(files);
        let mut unmatched: Vec<&Diagnostic> = library.diagnostics().iter().collect();
        let mut missing = Vec::new();
        for e in &expected {
            match unmatched.iter().position(|d| e.matches(d)) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => missing.push(e),
            }
        }
        if !missing.is_empty() || !unmatched.is_empty() {
            let mut report = format!("case {name}:\n");
            for m in missing {
                report += &format!(
                    "  missing:    {}:{}:{}: {}[{}]: …{}…\n",
                    m.file,
                    m.line,
                    m.column.map_or("*".into(), |c| c.to_string()),
                    m.severity,
                    m.code,
                    m.fragment
                );
            }
            for d in unmatched {
                report += &format!("  unexpected: {d}\n");
            }
            failures.push(report);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
