//! Diagnostics about a scalar value carry the value's own range (for editors to underline it),
//! in all three formats, while their position stays on the key; diagnostics about a key or an
//! absent field carry none (docs/formats.md#diagnostics).

use workflow_core::catalog::Library;
use workflow_core::diagnostic::Diagnostic;

const WORKFLOW: &str = "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: a\n";

fn diagnostics(name: &str, activity: &str) -> Vec<Diagnostic> {
    Library::load([("w/workflow.yaml", WORKFLOW), (name, activity)])
        .diagnostics()
        .to_vec()
}

/// The text a diagnostic's value range covers, and the text at its key position.
fn covered(text: &str, d: &Diagnostic) -> (String, String) {
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let slice = |a: u32, b: u32| String::from_utf16(&utf16[a as usize..b as usize]).unwrap();
    let value = d.value.as_deref().expect("a value range");
    (
        slice(value.utf16_start, value.utf16_end),
        slice(d.utf16_start, d.utf16_end),
    )
}

#[test]
fn the_offending_value_has_its_own_range_in_every_format() {
    let cases = [
        (
            "w/activities/01-a.yaml",
            "id: a\nversion: 1.0.0\nname: A\ntransitions:\n  - to: \"nowhere\"\n",
        ),
        (
            "w/activities/01-a.toon",
            "id: a\nversion: 1.0.0\nname: A\ntransitions[1]:\n  - to: nowhere\n",
        ),
        (
            "w/activities/01-a.json",
            "{\"id\": \"a\", \"version\": \"1.0.0\", \"name\": \"A\", \"transitions\": [{\"to\": \"nowhere\"}]}",
        ),
    ];
    for (name, text) in cases {
        let all = diagnostics(name, text);
        assert_eq!(all.len(), 1, "{name}: {all:?}");
        let d = &all[0];
        assert_eq!(d.code.as_str(), "unknown_transition_target");
        let (value, key) = covered(text, d);
        assert!(value.trim_matches('"') == "nowhere", "{name}: {value}");
        assert!(
            key.starts_with("to") || key.starts_with('"') || key == "-",
            "{name}: {key}"
        );
    }
}

#[test]
fn a_wrong_scalar_is_underlined_but_keys_and_absent_fields_are_not() {
    let text = "id: a\nversion: 1\nname: A\ncolour: red\n";
    let all = diagnostics("w/activities/01-a.yaml", text);
    let codes: Vec<&str> = all.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["wrong_type", "unknown_field"]);
    assert_eq!(
        covered(text, &all[0]),
        ("1".to_owned(), "version".to_owned())
    );
    assert_eq!(
        (all[0].line, all[0].column),
        (2, 1),
        "the position stays on the key"
    );
    assert_eq!(all[1].value, None);
    let missing = diagnostics("w/activities/01-a.yaml", "id: a\nversion: 1.0.0\n");
    assert_eq!(missing[0].code.as_str(), "missing_field");
    assert_eq!(missing[0].value, None);
}
