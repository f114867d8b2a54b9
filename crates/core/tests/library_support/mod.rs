//! The project's own `workflows/` folder as the core takes it: relative path → bytes.

use std::fs;
use std::path::{Path, PathBuf};

fn read(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            read(&entry.path(), &path, out);
        } else {
            out.push((path, fs::read(entry.path()).unwrap()));
        }
    }
}

/// Every file of the library, sorted by path.
pub fn library_files() -> Vec<(String, Vec<u8>)> {
    files_under("workflows")
}

/// Every file below `dir` (relative to the repository root), sorted by path.
pub fn files_under(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    read(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir),
        "",
        &mut files,
    );
    files.sort();
    files
}
