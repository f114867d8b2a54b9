//! `workflow-server validate` run as a CI job runs it: the built binary on small libraries
//! written to a temporary folder, checking stdout, stderr and the exit status of every output
//! format, warning limit and code filter; the SARIF log is checked against the SARIF 2.1.0
//! schema shipped in tests/data (see its README for the source).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_workflow-server");

/// A library with one clean workflow `w`.
const CLEAN: &[(&str, &str)] = &[
    (
        "w/workflow.yaml",
        "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\n",
    ),
    (
        "w/activities/01-start.yaml",
        "id: start\nversion: 1.0.0\nname: Start\n",
    ),
];

/// The same library with exactly one warning: an unknown field at line 5, column 1.
const ONE_WARNING: &[(&str, &str)] = &[
    (
        "w/workflow.yaml",
        "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\ncolour: red\n",
    ),
    (
        "w/activities/01-start.yaml",
        "id: start\nversion: 1.0.0\nname: Start\n",
    ),
];

/// One warning as above plus one error: a second workflow whose file does not decode.
const WARNING_AND_ERROR: &[(&str, &str)] = &[
    (
        "w/workflow.yaml",
        "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\ncolour: red\n",
    ),
    (
        "w/activities/01-start.yaml",
        "id: start\nversion: 1.0.0\nname: Start\n",
    ),
    ("x/workflow.json", "{\"id\": \"x\",\n"),
];

fn library(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn validate(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .arg("validate")
        .arg(dir)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        status: status.code().expect("exited, not killed"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn codes(run: &Run) -> Vec<String> {
    let diagnostics: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    diagnostics
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_clean_library_passes_every_format_and_limit() {
    let lib = library(CLEAN);
    for format in ["text", "json", "sarif", "github"] {
        let run = validate(lib.path(), &["--format", format, "--deny-warnings"]);
        assert_eq!(run.status, 0, "{format}: {}", run.stderr);
    }
    let run = validate(lib.path(), &["--format", "text"]);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "0 error(s), 0 warning(s) in 1 workflow(s), 2 file(s) read\n"
    );
}

#[test]
fn deny_warnings_fails_on_a_library_with_exactly_one_warning() {
    let lib = library(ONE_WARNING);
    let plain = validate(lib.path(), &[]);
    assert_eq!(plain.status, 0, "warnings alone pass: {}", plain.stderr);
    assert_eq!(
        plain.stdout,
        "w/workflow.yaml:5:1: warning[unknown_field]: Unknown field 'colour' in the top level; \
         it is kept but has no meaning to the server\n"
    );

    let denied = validate(lib.path(), &["--deny-warnings"]);
    assert_eq!(denied.status, 1);
    assert_eq!(denied.stdout, plain.stdout, "the report is the same");
    assert!(
        denied
            .stderr
            .ends_with("failing: 1 warning(s) and --deny-warnings\n"),
        "{}",
        denied.stderr
    );
}

#[test]
fn max_warnings_fails_only_above_the_limit() {
    let lib = library(ONE_WARNING);
    assert_eq!(validate(lib.path(), &["--max-warnings", "1"]).status, 0);
    let over = validate(lib.path(), &["--max-warnings", "0"]);
    assert_eq!(over.status, 1);
    assert!(
        over.stderr
            .ends_with("failing: 1 warning(s), more than --max-warnings 0\n"),
        "{}",
        over.stderr
    );
}

#[test]
fn warning_limits_are_usage_errors_when_malformed_or_combined() {
    let lib = library(CLEAN);
    let both = validate(lib.path(), &["--deny-warnings", "--max-warnings", "3"]);
    assert_eq!(both.status, 2);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
    let word = validate(lib.path(), &["--max-warnings", "many"]);
    assert_eq!(word.status, 2);
    assert!(
        word.stderr
            .contains("invalid value 'many' for '--max-warnings <N>'"),
        "{}",
        word.stderr
    );
}

#[test]
fn errors_fail_whatever_the_warning_limit() {
    let lib = library(WARNING_AND_ERROR);
    let run = validate(lib.path(), &["--format", "json", "--max-warnings", "5"]);
    assert_eq!(run.status, 1);
    assert_eq!(codes(&run), ["unknown_field", "syntax"]);
    assert!(
        run.stderr
            .starts_with("1 error(s), 1 warning(s) in 2 workflow(s), 3 file(s) read"),
        "{}",
        run.stderr
    );
}

#[test]
fn only_and_ignore_choose_what_is_reported_and_counted() {
    let lib = library(WARNING_AND_ERROR);

    let only = validate(lib.path(), &["--format", "json", "--only", "unknown_field"]);
    assert_eq!(codes(&only), ["unknown_field"]);
    assert_eq!(only.status, 0, "the error is left out, so it does not fail");
    assert!(
        only.stderr.ends_with(
            "0 error(s), 1 warning(s) in 2 workflow(s), 3 file(s) read; \
             1 diagnostic(s) left out by --only/--ignore\n"
        ),
        "{}",
        only.stderr
    );

    let ignored = validate(
        lib.path(),
        &[
            "--format",
            "json",
            "--ignore",
            "unknown_field",
            "--deny-warnings",
        ],
    );
    assert_eq!(codes(&ignored), ["syntax"]);
    assert_eq!(ignored.status, 1, "the error still fails");

    let repeated = validate(
        lib.path(),
        &[
            "--format",
            "json",
            "--ignore",
            "unknown_field",
            "--ignore",
            "syntax",
            "--deny-warnings",
        ],
    );
    assert_eq!(codes(&repeated), Vec::<String>::new());
    assert_eq!(repeated.status, 0);

    let both = validate(
        lib.path(),
        &[
            "--format",
            "json",
            "--only",
            "syntax",
            "--only",
            "unknown_field",
        ],
    );
    assert_eq!(codes(&both), ["unknown_field", "syntax"]);
}

#[test]
fn an_unknown_code_is_a_usage_error_that_lists_the_codes() {
    let lib = library(CLEAN);
    for flag in ["--only", "--ignore"] {
        let run = validate(lib.path(), &[flag, "unknown_feild"]);
        assert_eq!(run.status, 2, "{flag}");
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains(&format!(
                "invalid value 'unknown_feild' for '{flag} <CODE>'"
            )),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("[possible values: syntax, duplicate_key,")
                && run
                    .stderr
                    .contains("unreachable_activity, comments_dropped, file_not_converted]"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("a similar value exists: 'unknown_field'"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn github_annotations_carry_file_line_column_and_code() {
    let lib = library(WARNING_AND_ERROR);
    let run = validate(lib.path(), &["--format", "github"]);
    assert_eq!(run.status, 1);
    let root = lib.path().to_str().unwrap();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "::warning file={root}/w/workflow.yaml,line=5,col=1,title=unknown_field::\
             Unknown field 'colour' in the top level; it is kept but has no meaning to the server"
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "::error file={root}/x/workflow.json,line=2,col=1,title=syntax::"
        )),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 2);
}

#[test]
fn github_annotations_escape_properties_and_message() {
    // A file name with a comma is reported (file_ignored) under that name; the message of that
    // diagnostic contains a colon, which the message part keeps.
    let mut files = CLEAN.to_vec();
    files.push(("w/activities/start,old.yaml", "id: start\n"));
    let lib = library(&files);
    let run = Command::new(BIN)
        .current_dir(lib.path())
        .args(["validate", ".", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "::warning file=w/activities/start%2Cold.yaml,line=1,col=1,title=file_ignored::\
         Not loaded: name must be NN-<id>.<ext>\n"
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json"))
        .expect("the shipped schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn sarif_output_passes_the_sarif_2_1_0_schema_and_says_what_json_says() {
    let validator = sarif_validator();
    let lib = library(WARNING_AND_ERROR);
    let run = validate(lib.path(), &["--format", "sarif"]);
    assert_eq!(run.status, 1);
    let log: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_valid_sarif(&validator, &log);

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let sarif_run = &runs[0];
    let driver = &sarif_run["tool"]["driver"];
    assert_eq!(driver["name"], "workflow-server");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(sarif_run["columnKind"], "unicodeCodePoints");
    let root = fs::canonicalize(lib.path()).unwrap();
    assert_eq!(
        sarif_run["originalUriBaseIds"]["WORKFLOWS_ROOT"]["uri"],
        format!("file://{}/", root.display())
    );

    // Every code is a rule with its help; results point at their rule by id and index.
    let rules = driver["rules"].as_array().unwrap();
    let unknown_field = rules
        .iter()
        .find(|r| r["id"] == "unknown_field")
        .expect("unknown_field is a rule");
    assert_eq!(unknown_field["defaultConfiguration"]["level"], "warning");
    assert_eq!(
        unknown_field["shortDescription"]["text"],
        "a field the schema does not define (often a typo)"
    );
    assert_eq!(
        unknown_field["help"]["text"],
        "Fix: correct the spelling or remove it; it is kept but means nothing."
    );
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "syntax" && r["defaultConfiguration"]["level"] == "error")
    );

    let json: Value =
        serde_json::from_str(&validate(lib.path(), &["--format", "json"]).stdout).unwrap();
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), json.as_array().unwrap().len());
    for (result, d) in results.iter().zip(json.as_array().unwrap()) {
        assert_eq!(result["ruleId"], d["code"]);
        assert_eq!(result["level"], d["severity"]);
        assert_eq!(result["message"]["text"], d["message"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], d["code"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["file"]);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "WORKFLOWS_ROOT");
        assert_eq!(location["region"]["startLine"], d["line"]);
        assert_eq!(location["region"]["startColumn"], d["column"]);
        assert_eq!(location["region"]["endLine"], d["end_line"]);
        assert_eq!(location["region"]["endColumn"], d["end_column"]);
    }
    assert_eq!(results[0]["ruleId"], "unknown_field");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "w/workflow.yaml"
    );
}

#[test]
fn the_schema_check_rejects_a_broken_sarif_log() {
    // The check above could pass on a schema that accepts anything; this one shows it does not.
    let validator = sarif_validator();
    let lib = library(ONE_WARNING);
    let mut log: Value =
        serde_json::from_str(&validate(lib.path(), &["--format", "sarif"]).stdout).unwrap();
    assert_valid_sarif(&validator, &log);
    let region = &mut log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region["startLine"] = 0.into();
    assert!(
        !validator.is_valid(&log),
        "startLine 0 is below the minimum"
    );
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
    let mut log: Value =
        serde_json::from_str(&validate(lib.path(), &["--format", "sarif"]).stdout).unwrap();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "w/start old.yaml".into();
    assert!(
        !validator.is_valid(&log),
        "formats are checked: a space is not allowed in a URI reference"
    );
}

#[test]
fn the_sarif_uri_of_an_odd_file_name_is_a_valid_reference() {
    let validator = sarif_validator();
    let mut files = CLEAN.to_vec();
    files.push(("w/activities/start old:1.yaml", "id: start\n"));
    let lib = library(&files);
    let log: Value =
        serde_json::from_str(&validate(lib.path(), &["--format", "sarif"]).stdout).unwrap();
    assert_valid_sarif(&validator, &log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "w/activities/start%20old%3A1.yaml"
    );
}

#[test]
fn a_folder_over_the_total_size_cap_is_refused_naming_the_cap_and_its_option() {
    let lib = library(CLEAN);
    let resource = "x".repeat(600_000);
    for i in 1..=3 {
        fs::write(lib.path().join(format!("w/0{i}-notes.md")), &resource).unwrap();
    }
    let over = validate(lib.path(), &["--max-workflows-bytes", "1000000"]);
    assert_eq!(over.status, 2, "{}", over.stderr);
    assert!(
        over.stderr.contains("more than 1000000 bytes")
            && over.stderr.contains("--max-workflows-bytes"),
        "{}",
        over.stderr
    );
    let within = validate(lib.path(), &["--max-workflows-bytes", "2000000"]);
    assert_ne!(within.status, 2, "{}", within.stderr);
}

#[test]
fn a_million_digit_number_is_not_echoed_whole() {
    let digits = "9".repeat(1_000_000);
    let workflow =
        format!("id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: start\nn: {digits}\n");
    let lib = library(&[
        ("w/workflow.yaml", workflow.as_str()),
        (
            "w/activities/01-start.yaml",
            "id: start\nversion: 1.0.0\nname: Start\n",
        ),
    ]);
    let run = validate(lib.path(), &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let diagnostics: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let message = diagnostics[0]["message"].as_str().expect("a message");
    assert!(
        message.contains(&format!("{}…", &digits[..40])),
        "{message}"
    );
    assert!(message.len() < 300, "{} bytes", message.len());
}
