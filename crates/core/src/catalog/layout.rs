//! Which file of a workflows root is what (docs/formats.md#folder-layout): the folder layout and
//! the `NN-<id>.<ext>` naming rule, decided from paths alone.

use crate::decode::Format;
use crate::ids;

/// The parts of a `NN-<name>.<ext>` file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexedName<'a> {
    /// The index as written (`02`): an activity's artifact prefix.
    pub index: &'a str,
    /// The index compared numerically.
    pub number: u32,
    pub name: &'a str,
    pub ext: &'a str,
}

/// Splits `NN-<name>.<ext>`; `None` when the name does not follow the pattern.
pub(crate) fn indexed_name(file_name: &str) -> Option<IndexedName<'_>> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let (index, name) = stem.split_once('-')?;
    if !ids::is_index(index) || !ids::is_id(name) {
        return None;
    }
    Some(IndexedName {
        index,
        number: index.parse().ok()?,
        name,
        ext,
    })
}

/// Whether a file name has a definition file's extension.
pub(crate) fn is_definition_file(file_name: &str) -> bool {
    Format::from_path(file_name).is_some()
}

/// The extension of a file name, if any.
pub(crate) fn extension(file_name: &str) -> Option<&str> {
    file_name.rsplit_once('.').map(|(_, e)| e)
}

/// The decoder for an extension of a resource file; `None` for markdown.
pub(crate) fn resource_format(ext: &str) -> Option<Option<Format>> {
    match ext {
        "md" => Some(None),
        other => Format::parse(other).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_names() {
        let n = indexed_name("02-design.v2.yaml").unwrap();
        assert_eq!(
            (n.index, n.number, n.name, n.ext),
            ("02", 2, "design.v2", "yaml")
        );
        assert_eq!(indexed_name("design.yaml"), None);
        assert_eq!(indexed_name("1234567-x.yaml"), None);
        assert_eq!(indexed_name("01-.yaml"), None);
        assert_eq!(indexed_name("01-x"), None);
    }
}
