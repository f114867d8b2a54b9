//! Checks that the names of a workflow folder's files decide (docs/formats.md#file-names): an
//! id matches the name it is filed under, no two activity files or resources share an index, no
//! two resources share a name, and the meta workflow has the resources the server reads from it.

use super::FileCtx;
use crate::diagnostic::{Code, Diagnostic};

/// A file of a workflow folder named `NN-<name>.<ext>`.
pub(crate) struct IndexedFile<'a> {
    /// Relative to the root.
    pub path: &'a str,
    /// The index as written (`02`).
    pub index: &'a str,
    pub number: u32,
    /// The name after the index.
    pub name: &'a str,
}

impl IndexedFile<'_> {
    fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// Where the id a file should declare comes from.
#[derive(Clone, Copy)]
pub(crate) enum NamedBy {
    /// A workflow file: the name of its folder.
    Folder,
    /// An activity or skill file: the name after `NN-`.
    FileName,
}

/// Reports an id that differs from the one its folder or file name gives. `what` is the kind
/// of definition (`workflow`, `activity`, `skill`).
pub(crate) fn id_matches(
    what: &str,
    declared: &str,
    named: &str,
    by: NamedBy,
    ctx: &FileCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if declared == named {
        return;
    }
    let source = match by {
        NamedBy::Folder => "its folder name",
        NamedBy::FileName => "the file name's id",
    };
    out.push(ctx.diag(
        Code::IdMismatch,
        format!("The {what} id '{declared}' differs from {source} '{named}'; make them equal"),
        "/id",
    ));
}

/// Activity files, in index order, that share an index with the one before: their artifacts
/// would share the prefix.
pub(crate) fn shared_activity_indices(files: &[IndexedFile<'_>], out: &mut Vec<Diagnostic>) {
    for pair in files.windows(2) {
        if pair[0].number == pair[1].number {
            out.push(Diagnostic::file_level(
                Code::DuplicateIndex,
                format!(
                    "Index {} is also used by '{}'; their artifacts would share the prefix, renumber one",
                    pair[1].index,
                    pair[0].file_name()
                ),
                pair[1].path,
            ));
        }
    }
}

/// Resources that share an index or a name with another: a reference could not tell them apart.
pub(crate) fn resource_collisions(resources: &[IndexedFile<'_>], out: &mut Vec<Diagnostic>) {
    for r in resources {
        let others = |same: &dyn Fn(&IndexedFile<'_>) -> bool| -> Vec<&str> {
            resources
                .iter()
                .filter(|o| same(o) && o.path != r.path)
                .map(|o| o.path)
                .collect()
        };
        let same_index = others(&|o| o.number == r.number);
        if !same_index.is_empty() {
            out.push(Diagnostic::file_level(
                Code::ResourceIndexCollision,
                format!(
                    "Resource index {} is also used by {}; give each resource its own index",
                    r.index,
                    same_index.join(", ")
                ),
                r.path,
            ));
        }
        let same_name = others(&|o| o.name == r.name);
        if !same_name.is_empty() {
            out.push(Diagnostic::file_level(
                Code::ResourceNameCollision,
                format!(
                    "Resource name '{}' is also used by {}; rename one",
                    r.name,
                    same_name.join(", ")
                ),
                r.path,
            ));
        }
    }
}

/// The resources the meta workflow must have, reported on its workflow file: the bootstrap
/// text and the dispatch template it declares (docs/formats.md#the-meta-workflow).
pub(crate) fn meta_resources(
    resources: &[IndexedFile<'_>],
    dispatch_template: &str,
    workflow_file: &str,
    out: &mut Vec<Diagnostic>,
) {
    let template_hint = format!(
        ", or name the dispatch template it has in the workflow's dispatchTemplate (now '{dispatch_template}')"
    );
    for (needed, hint) in [
        ("bootstrap-protocol", ""),
        (dispatch_template, template_hint.as_str()),
    ] {
        if !resources.iter().any(|r| r.name == needed) {
            out.push(Diagnostic::file_level(
                Code::MetaResourceMissing,
                format!("The meta workflow has no resource named '{needed}'; add resources/NN-{needed}.md{hint}"),
                workflow_file,
            ));
        }
    }
}
