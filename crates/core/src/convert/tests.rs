use super::*;

fn files(list: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    list.iter()
        .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
        .collect()
}

fn text(out: &LibraryConversion, path: &str) -> String {
    String::from_utf8(out.files[path].clone()).expect("utf-8")
}

#[test]
fn yaml_comments_are_found_outside_scalars_only() {
    let yaml = "# head\nid: a # trailing\ndescription: |\n  # not a comment\n  text\nname: \"x # y\"\n  # indented\nsteps:\n  - one # item\n";
    let found: Vec<(String, bool)> = decode::comments(Format::Yaml, yaml)
        .into_iter()
        .map(|c| (c.text, c.own_line))
        .collect();
    assert_eq!(
        found,
        [
            (" head".to_owned(), true),
            (" trailing".to_owned(), false),
            (" indented".to_owned(), true),
            (" item".to_owned(), false),
        ]
    );
}

#[test]
fn toon_comments_are_full_lines() {
    let toon = "# head\nid: a # not one\nsteps[1]:\n  # before the item\n  - one\n";
    let found: Vec<String> = decode::comments(Format::Toon, toon)
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(found, [" head", " before the item"]);
}

#[test]
fn comments_go_above_the_value_they_preceded() {
    let yaml = "# The activity.\nid: a\n# Steps follow.\nsteps:\n  # First.\n  - id: one # the only one\n    name: One\ntags: [x, z] # inline\n# The end.\n";
    let toon = convert(yaml, Format::Yaml, Format::Toon).expect("converts");
    assert!(toon.dropped_comments.is_empty());
    assert_eq!(
        toon.text,
        "# The activity.\nid: a\n# Steps follow.\nsteps[1]{id,name}:\n  # First.\n  # the only one\n  one,One\n# inline\ntags[2]: x,z\n# The end."
    );
    let back = convert(&toon.text, Format::Toon, Format::Yaml).expect("converts back");
    assert_eq!(
        back.text,
        "# The activity.\nid: a\n# Steps follow.\nsteps:\n  # First.\n  # the only one\n  - id: one\n    name: One\n# inline\ntags:\n  - x\n  - z\n# The end.\n"
    );
    let json = convert(yaml, Format::Yaml, Format::Json).expect("converts");
    assert_eq!(json.dropped_comments.len(), 6);
    assert!(!json.text.contains('#'));
}

#[test]
fn a_library_is_renamed_and_its_references_follow() {
    let input = files(&[
        (
            "a/workflow.json",
            "{\"id\": \"a\", \"version\": \"1.0.0\", \"title\": \"A\", \"initialActivity\": \"one\", \"activitiesDir\": \"steps\", \"activities\": [\"01-one.yaml\", \"02-two\", \"b/activities/01-shared.toon\"]}",
        ),
        (
            "a/steps/01-one.yaml",
            "# first\nid: one\nversion: 1.0.0\nname: One\n",
        ),
        (
            "a/steps/02-two.json",
            "{\"id\": \"two\", \"version\": \"1.0.0\", \"name\": \"Two\"}",
        ),
        ("a/resources/01-notes.md", "# Notes\nSee 01-one.yaml.\n"),
        ("a/resources/02-data.yaml", "id: data\n"),
        ("a/other/x.yaml", "kept: true\n"),
        ("b/workflow.toon", "id: b\nversion: 1.0.0\ntitle: B\n"),
        (
            "b/activities/01-shared.toon",
            "# shared\nid: shared\nversion: 1.0.0\nname: Shared\n",
        ),
        ("b/activities/02-broken.yaml", "id: [\n"),
    ]);
    let out = convert_library(&input, Format::Yaml);
    assert_eq!(
        out.renamed,
        BTreeMap::from([
            (
                "a/steps/02-two.json".to_owned(),
                "a/steps/02-two.yaml".to_owned()
            ),
            ("a/workflow.json".to_owned(), "a/workflow.yaml".to_owned()),
            (
                "b/activities/01-shared.toon".to_owned(),
                "b/activities/01-shared.yaml".to_owned()
            ),
            ("b/workflow.toon".to_owned(), "b/workflow.yaml".to_owned()),
        ])
    );
    assert!(text(&out, "a/workflow.yaml").contains("  - b/activities/01-shared.yaml\n"));
    assert!(text(&out, "a/workflow.yaml").contains("  - 01-one.yaml\n  - 02-two\n"));
    assert_eq!(
        text(&out, "b/activities/01-shared.yaml"),
        "# shared\nid: shared\nversion: 1.0.0\nname: Shared\n"
    );
    // Unchanged: markdown, files already YAML, files the loader does not read, broken files.
    for same in [
        "a/resources/01-notes.md",
        "a/steps/01-one.yaml",
        "a/resources/02-data.yaml",
        "a/other/x.yaml",
        "b/activities/02-broken.yaml",
    ] {
        assert_eq!(out.files[same], input[same], "{same}");
    }
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);

    let out = convert_library(&input, Format::Json);
    let workflow = text(&out, "a/workflow.json");
    assert!(workflow.contains("\"01-one.json\""), "{workflow}");
    assert!(
        workflow.contains("\"b/activities/01-shared.json\""),
        "{workflow}"
    );
    assert_eq!(
        out.rewritten,
        BTreeSet::from(["a/workflow.json".to_owned()])
    );
    let shown: Vec<String> = out.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "a/steps/01-one.yaml:1:1: warning[comments_dropped]: 1 comment(s) dropped converting to json: JSON has no comments; move what they say into a `description` to keep it",
            "b/activities/01-shared.toon:1:1: warning[comments_dropped]: 1 comment(s) dropped converting to json: JSON has no comments; move what they say into a `description` to keep it",
            "b/activities/02-broken.yaml:2:1: warning[file_not_converted]: Not converted: the file does not decode (invalid YAML: while parsing a node, did not find expected node content; check the indentation, and quote values that start with a special character or contain ': ' or ' #'); fix it and convert again",
        ]
    );
}

#[test]
fn a_taken_name_leaves_the_file_as_it_is() {
    let input = files(&[
        ("a/workflow.yaml", "id: a\nversion: 1.0.0\ntitle: A\n"),
        (
            "a/activities/01-one.yaml",
            "id: one\nversion: 1.0.0\nname: One\n",
        ),
        (
            "a/activities/01-one.yml",
            "id: one\nversion: 1.0.0\nname: One\n",
        ),
    ]);
    let out = convert_library(&input, Format::Toon);
    assert_eq!(out.renamed.len(), 2);
    assert!(out.files.contains_key("a/activities/01-one.yml"));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, Code::FileNotConverted);
    assert_eq!(out.diagnostics[0].file, "a/activities/01-one.yml");
}
