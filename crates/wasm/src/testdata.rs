//! The example library of `testdata/`: the release-notes workflow of docs/formats.md#example and a
//! small meta workflow that provides the shared skills and the dispatch template.

use crate::api::Files;

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        [$(($path, include_str!(concat!("../testdata/", $path)))),*]
    };
}

pub fn library() -> Files {
    files![
        "meta/workflow.yaml",
        "meta/activities/01-dispatch.yaml",
        "meta/skills/01-workflow-orchestrator.yaml",
        "meta/skills/02-activity-worker.yaml",
        "meta/resources/01-bootstrap-protocol.md",
        "meta/resources/02-client-prompt-template.md",
        "release-notes/workflow.yaml",
        "release-notes/activities/01-draft.yaml",
        "release-notes/activities/02-publish.toon",
        "release-notes/skills/01-changelog-scan.yaml",
        "release-notes/resources/01-style-guide.md",
    ]
    .into_iter()
    .map(|(p, t)| (p.to_owned(), t.as_bytes().to_vec()))
    .collect()
}
