//! Embeds the project's `workflows/` folder in the binary, so `workflow-server` serves a working
//! library on a fresh machine with no set-up and no files beside it.
//!
//! Generates `$OUT_DIR/embedded_workflows.rs`: one static slice of (relative path, bytes), with
//! the bytes pulled in by `include_bytes!`. A missing folder embeds nothing (the server then
//! serves an empty catalog unless `--workflows` is given), so the crate builds on a checkout
//! without the library.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../../workflows");
    // A directory is scanned recursively for changes; a missing path makes cargo re-run the
    // script until the folder appears.
    println!("cargo:rerun-if-changed={}", root.display());

    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, "", &mut files);
    }
    files.sort();

    let mut out = String::from(
        "/// The project's `workflows/` folder as it was at build time: (relative path, bytes).\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        let abs = abs.canonicalize().unwrap_or_else(|_| abs.clone());
        writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("embedded_workflows.rs");
    fs::write(&dest, out).expect("OUT_DIR is writable");
}

/// Same rules as reading a folder at run time: hidden entries skipped, links not followed.
fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&entry.path(), &rel, out);
        } else if kind.is_file() {
            out.push((rel, entry.path()));
        }
    }
}
