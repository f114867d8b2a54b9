//! A structural error stops the semantic checks of its activity or skill file, and the file's
//! first structural error says how many were skipped (docs/formats.md#diagnostics).

use workflow_core::catalog::Library;

const WORKFLOW: &str = "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: a\n";

fn messages(activity: &str) -> Vec<String> {
    Library::load([
        ("w/workflow.yaml", WORKFLOW),
        ("w/activities/01-a.yaml", activity),
    ])
    .diagnostics()
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[test]
fn the_first_structural_error_counts_the_skipped_checks() {
    // Structurally wrong twice (version and name) and semantically wrong (an unknown target).
    let broken = messages("id: a\nversion: 1\nname: [A]\ntransitions:\n  - to: nowhere\n");
    assert_eq!(
        broken,
        [
            "w/activities/01-a.yaml:2:1: error[wrong_type]: 'version' must be a string but is a number; until the structure is fixed, the 21 semantic checks of this activity file are skipped",
            "w/activities/01-a.yaml:3:1: error[wrong_type]: 'name' must be a string but is an array",
        ]
    );
    // Fixed, the checks run and find the unknown target.
    let fixed = messages("id: a\nversion: 1.0.0\nname: A\ntransitions:\n  - to: nowhere\n");
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert!(
        fixed[0].contains("warning[unknown_transition_target]"),
        "{fixed:?}"
    );
}

#[test]
fn a_skill_says_so_too() {
    let all: Vec<String> = Library::load([
        ("w/workflow.yaml", WORKFLOW),
        ("w/activities/01-a.yaml", "id: a\nversion: 1.0.0\nname: A\n"),
        ("w/skills/01-s.yaml", "id: s\nversion: 1.0.0\n"),
    ])
    .diagnostics()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        all,
        [
            "w/skills/01-s.yaml:1:1: error[missing_field]: Missing required field 'capability' in the top level; add it; until the structure is fixed, the 2 semantic checks of this skill file are skipped"
        ]
    );
}
