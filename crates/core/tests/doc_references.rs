//! The repository's own docs stay the one reference the code points at: every `<file>.md#anchor`
//! reference and every relative markdown link in the sources and docs resolves to an existing
//! file and heading, no section number of the original spec is left, and the code tables of
//! docs/protocol.md#warning-codes, docs/protocol.md#error-catalogue and
//! docs/formats.md#diagnostic-codes list exactly the codes the code defines.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use workflow_core::diagnostic::Code;
use workflow_core::engine::{ErrorCode, WarningCode, tool_names};

/// Files that may cite the docs.
const EXTENSIONS: [&str; 6] = ["rs", "ts", "js", "mjs", "sh", "md"];
/// Build output, dependencies and git internals.
const SKIPPED: [&str; 3] = ["target", "node_modules", ".git"];
/// The spec's section sign, written as an escape so this file does not cite itself.
const SECTION_SIGN: char = '\u{a7}';

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !SKIPPED.contains(&name) {
                sources(&path, out);
            }
        } else if EXTENSIONS
            .iter()
            .any(|ext| path.extension().and_then(|e| e.to_str()) == Some(ext))
        {
            out.push(path);
        }
    }
}

/// Every scanned file with its path relative to the repository root.
fn files() -> Vec<(String, PathBuf, String)> {
    let root = root();
    let mut paths = Vec::new();
    sources(&root, &mut paths);
    paths
        .into_iter()
        .filter_map(|path| {
            let text = fs::read_to_string(&path).ok()?;
            let rel = path
                .strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, path, text))
        })
        .collect()
}

/// A heading's anchor as GitHub makes it: lowercase, punctuation other than `-` and `_` dropped,
/// spaces turned into `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The headings of a markdown text with their line numbers, fenced code blocks left out.
fn headings(text: &str) -> Vec<(usize, String)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            out.push((i + 1, slug(&line[hashes + 1..])));
        }
    }
    out
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-')
}

fn is_anchor_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

/// A reference to a markdown file, as written: the path, and the anchor when there is one.
#[derive(Debug)]
struct Reference {
    line: usize,
    path: String,
    anchor: Option<String>,
}

/// Every `<path>.md#<anchor>` in `text`, and every markdown link whose target is a `.md` file.
/// URLs (`scheme://…`) are not references to this repository.
fn references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(".md") {
            let end = from + found + ".md".len();
            from = end;
            let start = line[..end - 3]
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_path_char(*c))
                .last()
                .map_or(end - 3, |(j, _)| j);
            let path = &line[start..end];
            if path == ".md" || line[..start].ends_with(':') || path.starts_with("//") {
                continue;
            }
            let rest = &line[end..];
            let anchor = rest.strip_prefix('#').map(|a| {
                a.chars()
                    .take_while(|c| is_anchor_char(*c))
                    .collect::<String>()
            });
            let linked =
                line[..start].ends_with("](") && (rest.starts_with(')') || anchor.is_some());
            if anchor.is_some() || linked {
                out.push(Reference {
                    line: i + 1,
                    path: path.to_owned(),
                    anchor,
                });
            }
        }
    }
    out
}

/// Where a reference written in `file` points: a path from the repository root for sources, a
/// path relative to the file for markdown links; whichever exists.
fn resolve(file: &str, reference: &str) -> Option<PathBuf> {
    let root = root();
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let relative = root.join(dir).join(reference);
    let from_root = root.join(reference);
    let candidates = if file.ends_with(".md") {
        [relative, from_root]
    } else {
        [from_root, relative]
    };
    candidates.into_iter().find(|p| p.is_file())
}

fn check_references() -> Vec<String> {
    let mut anchors: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (rel, _, text) in files() {
        for r in references(&text) {
            let at = format!("{rel}:{}", r.line);
            let Some(target) = resolve(&rel, &r.path) else {
                problems.push(format!("{at}: {} does not exist", r.path));
                continue;
            };
            let Some(anchor) = r.anchor else { continue };
            let known = anchors.entry(target.clone()).or_insert_with(|| {
                let text = fs::read_to_string(&target).unwrap_or_default();
                headings(&text).into_iter().map(|(_, s)| s).collect()
            });
            if !known.contains(&anchor) {
                problems.push(format!(
                    "{at}: {}#{anchor} names no heading of {}",
                    r.path, r.path
                ));
            }
        }
    }
    problems
}

#[test]
fn every_doc_reference_resolves() {
    let problems = check_references();
    assert!(
        problems.is_empty(),
        "references that do not resolve:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reference_check_sees_references() {
    // The check must actually find the references it validates: the code cites the docs by
    // heading, and a broken anchor or file is reported.
    // Written in pieces, so the repository scan does not read this broken reference as one.
    let text = concat!(
        "see docs/protocol.md#checkpoint-gate and docs/protocol",
        ".md#no-such-heading\nand [x](missing",
        ".md) and docs/formats.md#json"
    );
    let found = references(text);
    let written: Vec<_> = found
        .iter()
        .map(|r| (r.path.as_str(), r.anchor.as_deref()))
        .collect();
    assert_eq!(
        written,
        [
            ("docs/protocol.md", Some("checkpoint-gate")),
            ("docs/protocol.md", Some("no-such-heading")),
            ("missing.md", None),
            ("docs/formats.md", Some("json")),
        ]
    );
    let protocol = fs::read_to_string(root().join("docs/protocol.md")).expect("docs/protocol.md");
    let slugs: BTreeSet<String> = headings(&protocol).into_iter().map(|(_, s)| s).collect();
    assert!(slugs.contains("checkpoint-gate"));
    assert!(!slugs.contains("no-such-heading"));
    assert!(resolve("crates/core/src/lib.rs", "missing.md").is_none());
    let citing = files()
        .into_iter()
        .filter(|(rel, _, text)| {
            rel.ends_with(".rs") && text.contains(concat!("docs/protocol.md", "#"))
        })
        .count();
    assert!(
        citing > 20,
        "only {citing} Rust files cite docs/protocol.md"
    );
}

#[test]
fn no_spec_section_numbers_remain() {
    let mut left = Vec::new();
    for (rel, _, text) in files() {
        for (i, line) in text.lines().enumerate() {
            let mut chars = line.char_indices().peekable();
            while let Some((_, c)) = chars.next() {
                if c != SECTION_SIGN {
                    continue;
                }
                let next = line[chars.peek().map_or(line.len(), |(j, _)| *j)..].trim_start();
                if next.starts_with(|d: char| d.is_ascii_digit()) {
                    left.push(format!("{rel}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        left.is_empty(),
        "section numbers of the original spec; link the heading in docs/ instead:\n{}",
        left.join("\n")
    );
}

#[test]
fn doc_headings_are_unique() {
    let mut duplicates = Vec::new();
    for (rel, _, text) in files() {
        if !rel.starts_with("docs/") {
            continue;
        }
        let mut seen = BTreeSet::new();
        for (line, s) in headings(&text) {
            if !seen.insert(s.clone()) {
                duplicates.push(format!("{rel}:{line}: #{s} is used twice"));
            }
        }
    }
    assert!(duplicates.is_empty(), "{}", duplicates.join("\n"));
}

/// The rows of the first table under `heading` in a docs file: its cells, backticks removed.
fn table_under(file: &str, heading: &str) -> Vec<(usize, Vec<String>)> {
    let text = fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let level = heading.chars().take_while(|c| *c == '#').count();
    let mut lines = text.lines().enumerate();
    lines
        .by_ref()
        .find(|(_, l)| l.trim_end() == heading)
        .unwrap_or_else(|| panic!("{file} has no heading {heading:?}"));
    let mut rows = Vec::new();
    for (i, line) in lines {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=level).contains(&hashes) && line[hashes..].starts_with(' ') {
            break;
        }
        if !line.starts_with('|') {
            if !rows.is_empty() {
                break;
            }
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().trim_matches('`').to_owned())
            .collect();
        rows.push((i + 1, cells));
    }
    assert!(rows.len() > 2, "{file}: no table under {heading:?}");
    // The header row and the `|---|` separator.
    rows.drain(..2);
    rows
}

/// The codes in the first column of the table under `heading`, each once.
fn listed_codes(file: &str, heading: &str) -> BTreeSet<String> {
    let mut listed = BTreeSet::new();
    for (line, cells) in table_under(file, heading) {
        assert!(
            listed.insert(cells[0].clone()),
            "{file}:{line}: {} is listed twice",
            cells[0]
        );
    }
    listed
}

/// The codes listed in `file` under `heading` are exactly `defined`.
fn assert_table_lists<'c>(file: &str, heading: &str, defined: impl Iterator<Item = &'c str>) {
    let listed = listed_codes(file, heading);
    let defined: BTreeSet<String> = defined.map(str::to_owned).collect();
    let missing: Vec<_> = defined.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&defined).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{file} {heading}: missing {missing:?}, not codes of the code {extra:?}"
    );
}

#[test]
fn warning_table_lists_every_warning_code() {
    assert_table_lists(
        "docs/protocol.md",
        "### Warning codes",
        WarningCode::ALL.iter().map(|c| c.as_str()),
    );
}

/// The reference has one section per tool, in `tools/list` order, derived from the same table.
#[test]
fn every_tool_has_its_section_in_order() {
    let text = fs::read_to_string(root().join("docs/protocol.md")).expect("docs/protocol.md");
    let tools = text
        .split("\n## Tools\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/protocol.md has a ## Tools section");
    let sections: Vec<&str> = tools
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter(|h| *h != "Tool roles")
        .collect();
    let names: Vec<&str> = tool_names().collect();
    assert_eq!(sections, names, "docs/protocol.md ## Tools sections");
}

#[test]
fn error_table_lists_every_error_code() {
    assert_table_lists(
        "docs/protocol.md",
        "## Error catalogue",
        ErrorCode::ALL.iter().map(|c| c.as_str()),
    );
}

#[test]
fn diagnostic_table_lists_every_code_with_its_severity() {
    let file = "docs/formats.md";
    let rows = table_under(file, "### Diagnostic codes");
    let mut listed = BTreeMap::new();
    for (line, cells) in &rows {
        let code = Code::parse(&cells[0])
            .unwrap_or_else(|| panic!("{file}:{line}: {} is not a diagnostic code", cells[0]));
        assert_eq!(
            cells[1],
            code.severity().as_str(),
            "{file}:{line}: the severity of {code}"
        );
        assert!(
            listed.insert(code, *line).is_none(),
            "{file}:{line}: {code} is listed twice"
        );
    }
    let missing: Vec<_> = Code::ALL
        .iter()
        .filter(|c| !listed.contains_key(*c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "{file} ### Diagnostic codes lacks {missing:?}"
    );
}
