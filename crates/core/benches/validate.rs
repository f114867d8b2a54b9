//! Parse + validate of a ~400-file library: the project's own `workflows/`, each workflow
//! copied under new ids until the corpus has about 400 files, as a large team library would.

use std::fs;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use workflow_core::catalog::Library;

fn read(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).expect("workflows folder") {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name.clone()
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

/// The library, copied under ids `<id>-copy<k>` (with the workflow file's id rewritten so the
/// copies are valid) until there are at least `target` files.
fn corpus(target: usize) -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../workflows");
    let mut base = Vec::new();
    read(&root, "", &mut base);
    base.retain(|(p, _)| p.contains('/'));
    let mut files = base.clone();
    let mut k = 1;
    while files.len() < target {
        for (path, bytes) in &base {
            let (wf, rest) = path.split_once('/').unwrap();
            if wf == "meta" {
                continue;
            }
            let id = format!("{wf}-copy{k}");
            let mut bytes = bytes.clone();
            if rest.starts_with("workflow.") {
                let text = String::from_utf8(bytes).unwrap();
                let text = text.replacen(
                    &format!("\"id\": \"{wf}\""),
                    &format!("\"id\": \"{id}\""),
                    1,
                );
                let text = text.replacen(&format!("id: {wf}\n"), &format!("id: {id}\n"), 1);
                bytes = text.into_bytes();
            }
            files.push((format!("{id}/{rest}"), bytes));
        }
        k += 1;
    }
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus(400);
    let library = Library::load(files.clone());
    assert!(
        !library.has_errors(),
        "the corpus must be valid: {:?}",
        library.diagnostics().first()
    );
    let mut group = c.benchmark_group("catalog");
    group.sample_size(20);
    group.bench_function(format!("load+validate {} files", files.len()), |b| {
        b.iter(|| Library::load(files.clone()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
