//! The project's own workflow library: it validates without a single diagnostic, and every
//! definition file survives conversion to each format (TOON, YAML, JSON) unchanged, so the
//! library can be rewritten in any format without losing anything. Authors copy it, so each
//! workflow keeps to one format and the standard folder layout (workflows/README.md).

mod library_support;

use library_support::library_files;

use std::collections::{BTreeMap, BTreeSet};

use workflow_core::catalog::Library;
use workflow_core::decode::{Format, decode};
use workflow_core::encode::encode;

#[test]
fn the_library_validates_without_diagnostics() {
    let library = Library::load(library_files());
    let all: Vec<String> = library
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(all.is_empty(), "{}", all.join("\n"));
    for id in ["meta", "work-package", "code-review", "bug-triage"] {
        let entry = library
            .workflow(id)
            .unwrap_or_else(|| panic!("workflow {id} is missing"));
        assert!(entry.definition.is_some(), "{id} has no definition");
    }
}

#[test]
fn every_definition_file_round_trips_through_every_format() {
    let mut checked = 0;
    for (path, bytes) in library_files() {
        let Some(from) = Format::from_path(&path) else {
            continue;
        };
        let text = String::from_utf8(bytes).unwrap();
        let value = decode(from, &text)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .value;
        for to in [Format::Toon, Format::Yaml, Format::Json] {
            let converted = encode(to, &value);
            let back = decode(to, &converted)
                .unwrap_or_else(|e| panic!("{path} as {}: {e}\n{converted}", to.name()))
                .value;
            assert_eq!(back, value, "{path} changed through {}", to.name());
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                serde_json::to_string(&value).unwrap(),
                "{path} lost its key order through {}",
                to.name()
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} definition files found");
}

#[test]
fn the_library_rewritten_in_each_format_validates_the_same() {
    for to in [Format::Toon, Format::Yaml, Format::Json] {
        let files: Vec<(String, Vec<u8>)> = library_files()
            .into_iter()
            .map(|(path, bytes)| match Format::from_path(&path) {
                Some(from) if !path.contains("/resources/") => {
                    let mut value = decode(from, std::str::from_utf8(&bytes).unwrap())
                        .unwrap()
                        .value;
                    // References with an extension name the old file; without one they match any.
                    if let Some(list) = value.get_mut("activities").and_then(|a| a.as_array_mut()) {
                        for entry in list.iter_mut() {
                            if let Some(reference) = entry
                                .as_str()
                                .and_then(|r| r.rsplit_once('.'))
                                .map(|(stem, _)| stem.to_owned())
                            {
                                *entry = reference.into();
                            }
                        }
                    }
                    let stem = path.rsplit_once('.').unwrap().0;
                    (
                        format!("{stem}.{}", to.name()),
                        encode(to, &value).into_bytes(),
                    )
                }
                _ => (path, bytes),
            })
            .collect();
        let library = Library::load(files);
        let all: Vec<String> = library
            .diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(all.is_empty(), "as {}: {}", to.name(), all.join("\n"));
    }
}

#[test]
fn each_workflow_keeps_to_one_format_and_the_standard_layout() {
    let mut formats: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (path, _) in library_files() {
        let parts: Vec<&str> = path.split('/').collect();
        let [workflow, rest @ ..] = parts.as_slice() else {
            unreachable!("split yields at least one part")
        };
        let in_place = match rest {
            [] => path == "README.md",
            [name] => name.starts_with("workflow.") || *name == "README.md",
            [dir, _] => ["activities", "skills", "resources"].contains(dir),
            _ => false,
        };
        assert!(in_place, "{path} is outside the standard layout");
        if let Some(format) = Format::from_path(&path) {
            formats
                .entry((*workflow).to_owned())
                .or_default()
                .insert(format.name());
        }
    }
    let mut shown = BTreeSet::new();
    for (workflow, used) in &formats {
        assert_eq!(used.len(), 1, "{workflow} mixes formats: {used:?}");
        shown.extend(used);
    }
    assert_eq!(
        shown,
        BTreeSet::from(["json", "toon", "yaml"]),
        "every format is shown by a workflow of its own"
    );
}

/// The library handed over one level too high (every path under `workflows/`): the one
/// diagnostic names the cause and the fix instead of only saying a workflow file is missing.
#[test]
fn a_root_one_level_too_high_is_named() {
    let prefixed = library_files()
        .into_iter()
        .map(|(path, bytes)| (format!("workflows/{path}"), bytes));
    let library = Library::load(prefixed);
    let all: Vec<String> = library
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(all.len(), 1, "{}", all.join("\n"));
    assert!(
        all[0].starts_with("workflows:1:1: warning[no_workflow_file]: Folder 'workflows' has no workflow file, but 'workflows/"),
        "{}",
        all[0]
    );
    assert!(
        all[0].ends_with(
            "use the folder 'workflows' itself as the workflows root (drop the 'workflows/' prefix)"
        ),
        "{}",
        all[0]
    );
}
