//! Converting whole libraries (docs/formats.md#converting-a-library): the project's library and
//! every broken library of `tests/fixtures/invalid`, converted to each format and on to each
//! other format, load with the same diagnostics (same files under their new names, same codes,
//! values and messages; only lines and columns move), and every converted definition decodes to
//! the value it had.

#[allow(dead_code)]
mod library_support;

use std::collections::BTreeMap;

use library_support::files_under;
use workflow_core::catalog::Library;
use workflow_core::convert::convert_library;
use workflow_core::decode::{Format, decode};

const FORMATS: [Format; 3] = [Format::Toon, Format::Yaml, Format::Json];

type Files = BTreeMap<String, Vec<u8>>;

/// A diagnostic without its position, its file named without extension (file names in messages
/// too), so that the same problem reads the same before and after a conversion.
fn comparable(files: &Files) -> Vec<String> {
    let mut out: Vec<String> = Library::load(files.clone())
        .diagnostics()
        .iter()
        .map(|d| {
            let stem = d.file.rsplit_once('.').map_or(d.file.as_str(), |(s, _)| s);
            let mut message = d.message.clone();
            for ext in [".toon", ".yaml", ".yml", ".json"] {
                message = message.replace(ext, ".EXT");
            }
            format!(
                "{stem} {} {} {} {message}",
                d.severity.as_str(),
                d.code,
                d.pointer
            )
        })
        .collect();
    out.sort();
    out
}

fn libraries() -> Vec<(String, Files)> {
    let mut all = vec![(
        "workflows".to_owned(),
        files_under("workflows").into_iter().collect(),
    )];
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/invalid");
    let mut cases: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for case in cases {
        let dir = format!("tests/fixtures/invalid/{case}");
        let files: Files = files_under(&dir)
            .into_iter()
            .filter(|(p, _)| p != "expected")
            .collect();
        all.push((dir, files));
    }
    all
}

#[test]
fn converted_libraries_keep_their_diagnostics() {
    let mut conversions = 0;
    for (name, files) in libraries() {
        let before = comparable(&files);
        for to in FORMATS {
            let once = convert_library(&files, to);
            assert_eq!(comparable(&once.files), before, "{name} to {}", to.name());
            for then in FORMATS {
                let twice = convert_library(&once.files, then);
                assert_eq!(
                    comparable(&twice.files),
                    before,
                    "{name} to {} then {}",
                    to.name(),
                    then.name()
                );
                conversions += 1;
            }
        }
    }
    assert!(conversions >= 9 * 10, "{conversions}");
}

#[test]
fn the_library_converts_without_loss() {
    let files: Files = files_under("workflows").into_iter().collect();
    for to in FORMATS {
        let out = convert_library(&files, to);
        // Every definition of the library is in `to` afterwards.
        let left: Vec<&String> = out
            .files
            .keys()
            .filter(|p| Format::from_path(p).is_some_and(|f| f != to) && !p.starts_with("README"))
            .collect();
        assert!(left.is_empty(), "{}: {left:?}", to.name());
        for (old, new) in &out.renamed {
            let value = |files: &Files, path: &str| {
                let format = Format::from_path(path).unwrap();
                decode(format, std::str::from_utf8(&files[path]).unwrap())
                    .unwrap()
                    .value
            };
            let (mut was, now) = (value(&files, old), value(&out.files, new));
            // The one rewrite: activity references with an extension follow the renamed files.
            if let Some(list) = was.get_mut("activities").and_then(|a| a.as_array_mut()) {
                for entry in list.iter_mut().filter(|e| e.is_string()) {
                    let text = entry.as_str().unwrap();
                    if let Some((stem, _)) = text
                        .rsplit_once('.')
                        .filter(|(_, e)| Format::parse(e).is_some())
                    {
                        *entry = format!("{stem}.{}", to.name()).into();
                    }
                }
            }
            assert_eq!(now, was, "{old} -> {new}");
            if to != Format::Json {
                let comments = |files: &Files, path: &str| {
                    let format = Format::from_path(path).unwrap();
                    workflow_core::decode::comments(
                        format,
                        std::str::from_utf8(&files[path]).unwrap(),
                    )
                    .into_iter()
                    .map(|c| c.text)
                    .collect::<Vec<_>>()
                };
                assert_eq!(
                    comments(&out.files, new),
                    comments(&files, old),
                    "{old} -> {new}"
                );
            }
        }
        // Comments survive into TOON and YAML; JSON reports the files that had them.
        let dropped = out
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "comments_dropped")
            .count();
        let with_comments = out
            .renamed
            .keys()
            .filter(|p| {
                let f = Format::from_path(p).unwrap();
                !workflow_core::decode::comments(f, std::str::from_utf8(&files[*p]).unwrap())
                    .is_empty()
            })
            .count();
        if to == Format::Json {
            assert!(with_comments > 0);
            assert_eq!(dropped, with_comments);
        } else {
            assert_eq!(dropped, 0);
            assert_eq!(out.diagnostics, []);
        }
    }
}
