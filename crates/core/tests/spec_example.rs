//! The example of docs/formats.md#example: its TOON files and its YAML files decode to
//! exactly the same values, written out once here, keys in written order.

use serde_json::{Value, json};
use workflow_core::decode::{Format, decode};

/// Decodes `text` as `format` and compares it with `expected`, key order included.
fn assert_decodes_to(format: Format, text: &str, expected: &Value) {
    let actual = decode(format, text)
        .unwrap_or_else(|e| panic!("{}: {e}", format.name()))
        .value;
    assert_eq!(&actual, expected, "{}", format.name());
    assert_eq!(
        actual.to_string(),
        expected.to_string(),
        "{}: key order",
        format.name()
    );
}

#[test]
fn workflow() {
    let yaml = r#"id: release-notes
version: 1.0.0
title: Release Notes
description: Draft the notes for a tagged release, have them reviewed, then publish them.
tags: [docs, release]
rules:
  - Write for the people who upgrade, not for the people who wrote the code.
  - Never publish before the draft review has been answered.
variables:
  - name: release_tag
    type: string
    description: Tag being released, for example v2.3.0.
    required: true
  - name: approved
    type: boolean
    description: Set when the reviewer accepts the draft.
    defaultValue: false
artifactLocations:
  planning: ".engineering/release/{release_tag}"
skills:
  primary: meta/workflow-orchestrator
initialActivity: draft
"#;
    let toon = r#"id: release-notes
version: 1.0.0
title: Release Notes
description: "Draft the notes for a tagged release, have them reviewed, then publish them."
tags[2]: docs,release
rules[2]:
  - "Write for the people who upgrade, not for the people who wrote the code."
  - Never publish before the draft review has been answered.
variables[2]:
  - name: release_tag
    type: string
    description: Tag being released, for example v2.3.0.
    required: true
  - name: approved
    type: boolean
    description: Set when the reviewer accepts the draft.
    defaultValue: false
artifactLocations:
  planning: ".engineering/release/{release_tag}"
skills:
  primary: meta/workflow-orchestrator
initialActivity: draft"#;
    let expected = json!({
        "id": "release-notes",
        "version": "1.0.0",
        "title": "Release Notes",
        "description": "Draft the notes for a tagged release, have them reviewed, then publish them.",
        "tags": ["docs", "release"],
        "rules": [
            "Write for the people who upgrade, not for the people who wrote the code.",
            "Never publish before the draft review has been answered."
        ],
        "variables": [
            {
                "name": "release_tag",
                "type": "string",
                "description": "Tag being released, for example v2.3.0.",
                "required": true
            },
            {
                "name": "approved",
                "type": "boolean",
                "description": "Set when the reviewer accepts the draft.",
                "defaultValue": false
            }
        ],
        "artifactLocations": { "planning": ".engineering/release/{release_tag}" },
        "skills": { "primary": "meta/workflow-orchestrator" },
        "initialActivity": "draft"
    });
    assert_decodes_to(Format::Yaml, yaml, &expected);
    assert_decodes_to(Format::Toon, toon, &expected);
}

#[test]
fn draft() {
    let yaml = r#"id: draft
version: 1.0.0
name: Draft Notes
description: Collect the changes since the previous tag and write a first draft.
skills:
  primary: meta/activity-worker
steps:
  - id: collect-changes
    name: Collect changes
    description: List the pull requests merged since the previous tag.
    skill: changelog-scan
  - id: write-draft
    name: Write draft
    description: Group the changes by audience and write the draft.
  - id: review-draft
    name: Review draft
    description: Ask the reviewer to accept the draft.
    checkpoint: draft-review
checkpoints:
  - id: draft-review
    name: Draft review
    message: "The draft is ready: publish it, or stop here?"
    options:
      - id: approve
        label: Publish
        effect:
          setVariable:
            approved: true
      - id: hold
        label: Stop without publishing
        description: The draft stays in the planning folder.
transitions:
  - to: publish
    condition:
      type: simple
      variable: approved
      operator: "=="
      value: true
artifacts:
  - id: draft-notes
    name: release-notes.md
    location: planning
"#;
    let toon = r#"id: draft
version: 1.0.0
name: Draft Notes
description: Collect the changes since the previous tag and write a first draft.
skills:
  primary: meta/activity-worker
steps[3]:
  - id: collect-changes
    name: Collect changes
    description: List the pull requests merged since the previous tag.
    skill: changelog-scan
  - id: write-draft
    name: Write draft
    description: Group the changes by audience and write the draft.
  - id: review-draft
    name: Review draft
    description: Ask the reviewer to accept the draft.
    checkpoint: draft-review
checkpoints[1]:
  - id: draft-review
    name: Draft review
    message: "The draft is ready: publish it, or stop here?"
    options[2]:
      - id: approve
        label: Publish
        effect:
          setVariable:
            approved: true
      - id: hold
        label: Stop without publishing
        description: The draft stays in the planning folder.
transitions[1]:
  - to: publish
    condition:
      type: simple
      variable: approved
      operator: ==
      value: true
artifacts[1]{id,name,location}:
  draft-notes,release-notes.md,planning"#;
    let expected = json!({
        "id": "draft",
        "version": "1.0.0",
        "name": "Draft Notes",
        "description": "Collect the changes since the previous tag and write a first draft.",
        "skills": { "primary": "meta/activity-worker" },
        "steps": [
            {
                "id": "collect-changes",
                "name": "Collect changes",
                "description": "List the pull requests merged since the previous tag.",
                "skill": "changelog-scan"
            },
            {
                "id": "write-draft",
                "name": "Write draft",
                "description": "Group the changes by audience and write the draft."
            },
            {
                "id": "review-draft",
                "name": "Review draft",
                "description": "Ask the reviewer to accept the draft.",
                "checkpoint": "draft-review"
            }
        ],
        "checkpoints": [
            {
                "id": "draft-review",
                "name": "Draft review",
                "message": "The draft is ready: publish it, or stop here?",
                "options": [
                    {
                        "id": "approve",
                        "label": "Publish",
                        "effect": { "setVariable": { "approved": true } }
                    },
                    {
                        "id": "hold",
                        "label": "Stop without publishing",
                        "description": "The draft stays in the planning folder."
                    }
                ]
            }
        ],
        "transitions": [
            {
                "to": "publish",
                "condition": {
                    "type": "simple",
                    "variable": "approved",
                    "operator": "==",
                    "value": true
                }
            }
        ],
        "artifacts": [
            { "id": "draft-notes", "name": "release-notes.md", "location": "planning" }
        ]
    });
    assert_decodes_to(Format::Yaml, yaml, &expected);
    assert_decodes_to(Format::Toon, toon, &expected);
}

#[test]
fn publish() {
    let yaml = r#"id: publish
version: 1.0.0
name: Publish Notes
description: Attach the approved notes to the release.
skills:
  primary: meta/activity-worker
steps:
  - id: attach-notes
    name: Attach notes
    description: Attach release-notes.md to the release of the tag.
outcome:
  - The release page shows the approved notes.
"#;
    let toon = "id: publish
version: 1.0.0
name: Publish Notes
description: Attach the approved notes to the release.
skills:
  primary: meta/activity-worker
steps[1]:
  - id: attach-notes
    name: Attach notes
    description: Attach release-notes.md to the release of the tag.
outcome[1]: The release page shows the approved notes.";
    let expected = json!({
        "id": "publish",
        "version": "1.0.0",
        "name": "Publish Notes",
        "description": "Attach the approved notes to the release.",
        "skills": { "primary": "meta/activity-worker" },
        "steps": [
            {
                "id": "attach-notes",
                "name": "Attach notes",
                "description": "Attach release-notes.md to the release of the tag."
            }
        ],
        "outcome": ["The release page shows the approved notes."]
    });
    assert_decodes_to(Format::Yaml, yaml, &expected);
    assert_decodes_to(Format::Toon, toon, &expected);
}

#[test]
fn skill() {
    let yaml = r#"id: changelog-scan
version: 1.0.0
capability: List the changes merged between two tags.
inputs:
  - id: release-tag
    description: The tag being released.
protocol:
  find-range:
    - Find the tag that precedes the release tag.
  list-changes:
    - List merged pull requests between the two tags, with title, author and labels.
output:
  - id: change-list
    description: One entry per merged pull request.
resources:
  - "01"
"#;
    let toon = r#"id: changelog-scan
version: 1.0.0
capability: List the changes merged between two tags.
inputs[1]{id,description}:
  release-tag,The tag being released.
protocol:
  find-range[1]:
    - Find the tag that precedes the release tag.
  list-changes[1]:
    - "List merged pull requests between the two tags, with title, author and labels."
output[1]{id,description}:
  change-list,One entry per merged pull request.
resources[1]: "01""#;
    let expected = json!({
        "id": "changelog-scan",
        "version": "1.0.0",
        "capability": "List the changes merged between two tags.",
        "inputs": [ { "id": "release-tag", "description": "The tag being released." } ],
        "protocol": {
            "find-range": ["Find the tag that precedes the release tag."],
            "list-changes": [
                "List merged pull requests between the two tags, with title, author and labels."
            ]
        },
        "output": [ { "id": "change-list", "description": "One entry per merged pull request." } ],
        "resources": ["01"]
    });
    assert_decodes_to(Format::Yaml, yaml, &expected);
    assert_decodes_to(Format::Toon, toon, &expected);
}
