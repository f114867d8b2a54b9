//! The structural check of definition files against the generated schemas, by a checker made
//! for the keywords those schemas use. A general JSON Schema validator, with the two regex
//! engines it links, was over half of the WebAssembly module; this one is a few kilobytes and
//! is held to the general one's verdicts by the tests.

mod eval;
mod tree;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

pub(crate) use eval::{Violation, ViolationKind};
pub(crate) use tree::{Node, NodeId, Pattern, Tree, Types};

use crate::schema::SchemaKind;

/// The compiled schema of `kind`, built once per process.
pub(crate) fn tree(kind: SchemaKind) -> &'static Tree {
    static CACHE: [OnceLock<Tree>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    CACHE[kind as usize].get_or_init(|| {
        Tree::compile(kind.schema()).unwrap_or_else(|e| {
            panic!(
                "the {} schema uses what the checker lacks: {e}",
                kind.name()
            )
        })
    })
}
