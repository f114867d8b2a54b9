//! `workflow-server migrate` on real folders: the project's library migrated to each format and
//! on to each other one validates with the same diagnostics (none), a broken library keeps its
//! diagnostics, in-place migration replaces the old files, and the warnings and exit status
//! tell what could not be carried (docs/formats.md#converting-a-library).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let out = Command::new(BIN)
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("the binary runs");
    Run {
        status: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn library(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// `validate --format json` of a folder, each diagnostic without its position and with its
/// file named without extension, so one library in two formats compares equal.
fn diagnostics(dir: &Path) -> Vec<String> {
    let run = run(&[&"validate", &dir, &"--format", &"json"]);
    let all: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let mut out: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            format!("{stem} {} {} {}", d["code"], d["pointer"], d["message"])
        })
        .collect();
    out.sort();
    out
}

/// Relative paths of every file below `dir`.
fn paths(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

#[test]
fn the_library_migrates_to_every_format_and_back_with_the_same_diagnostics() {
    for (source, count) in [("workflows", 0), ("tests/fixtures/invalid/references", 12)] {
        let source = repo(source);
        let before = diagnostics(&source);
        assert_eq!(before.len(), count, "{}", source.display());
        for to in ["toon", "yaml", "json"] {
            let tmp = tempfile::tempdir().unwrap();
            let once = tmp.path().join("once");
            let m = run(&[&"migrate", &source, &"--to", &to, &"--out", &once]);
            assert_eq!(m.status, 0, "{to}: {}", m.stderr);
            assert_eq!(diagnostics(&once), before, "{} to {to}", source.display());
            for back in ["toon", "yaml", "json"] {
                let twice = tmp.path().join(back);
                let m = run(&[&"migrate", &once, &"--to", &back, &"--out", &twice]);
                assert_eq!(m.status, 0, "{to} then {back}: {}", m.stderr);
                assert_eq!(
                    diagnostics(&twice),
                    before,
                    "{} to {to} then {back}",
                    source.display()
                );
            }
        }
    }
}

#[test]
fn in_place_migration_replaces_the_files_and_keeps_comments_and_references() {
    let lib = library(&[
        (
            "w/workflow.yaml",
            "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\nactivities:\n  - 01-start.yaml\n",
        ),
        (
            "w/activities/01-start.yaml",
            "# Where it begins.\nid: start\nversion: 1.0.0\nname: Start # short\n",
        ),
        ("w/resources/01-guide.md", "# Guide\n"),
    ]);
    let m = run(&[&"migrate", &lib.path(), &"--to", &"toon"]);
    assert_eq!(m.status, 0, "{}", m.stderr);
    assert_eq!(m.stdout, "");
    assert_eq!(
        m.stderr,
        "2 file(s) converted to toon, 0 rewritten for renamed references, 0 left as they were; 0 warning(s)\n"
    );
    assert_eq!(
        paths(lib.path()),
        [
            "w/activities/01-start.toon",
            "w/resources/01-guide.md",
            "w/workflow.toon"
        ]
    );
    assert_eq!(
        fs::read_to_string(lib.path().join("w/workflow.toon")).unwrap(),
        "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\nactivities[1]: 01-start.toon"
    );
    assert_eq!(
        fs::read_to_string(lib.path().join("w/activities/01-start.toon")).unwrap(),
        "# Where it begins.\nid: start\nversion: 1.0.0\n# short\nname: Start"
    );
    assert_eq!(diagnostics(lib.path()), Vec::<String>::new());
}

#[test]
fn dropped_comments_are_warned_and_unconvertible_files_fail() {
    let lib = library(&[
        (
            "w/workflow.yaml",
            "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\n",
        ),
        (
            "w/activities/01-start.yaml",
            "id: start\nversion: 1.0.0\n\n# why\nname: Start\n",
        ),
    ]);
    let out = lib.path().join("json");
    let m = run(&[&"migrate", &lib.path(), &"--to", &"json", &"--out", &out]);
    assert_eq!(m.status, 0, "{}", m.stderr);
    assert_eq!(
        m.stdout,
        "w/activities/01-start.yaml:4:1: warning[comments_dropped]: 1 comment(s) dropped converting to json: JSON has no comments; move what they say into a `description` to keep it\n"
    );
    assert_eq!(
        paths(&out),
        ["w/activities/01-start.json", "w/workflow.json"]
    );

    fs::write(lib.path().join("w/activities/02-broken.yaml"), "id: [\n").unwrap();
    let again = lib.path().join("again");
    let m = run(&[&"migrate", &lib.path(), &"--to", &"toon", &"--out", &again]);
    assert_eq!(m.status, 1, "{}", m.stderr);
    assert!(
        m.stdout.starts_with("w/activities/02-broken.yaml:2:1: warning[file_not_converted]: Not converted: the file does not decode"),
        "{}",
        m.stdout
    );
    assert!(again.join("w/activities/02-broken.yaml").exists());

    // --out must be a new or empty folder.
    let m = run(&[&"migrate", &lib.path(), &"--to", &"yaml", &"--out", &out]);
    assert_eq!(m.status, 2);
    assert!(m.stderr.contains("is not empty"), "{}", m.stderr);
}
