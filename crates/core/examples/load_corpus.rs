//! Loads a workflows folder N times; for profiling the catalog (`cargo run --release --example
//! load_corpus -- DIR N`).

use std::path::Path;

fn read(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("folder") {
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
            out.push((path, std::fs::read(entry.path()).unwrap()));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut files = Vec::new();
    read(Path::new(&args[1]), "", &mut files);
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let start = std::time::Instant::now();
    let mut diagnostics = 0;
    for _ in 0..n {
        diagnostics = workflow_core::catalog::Library::load(files.clone())
            .diagnostics()
            .len();
    }
    println!(
        "{} files, {diagnostics} diagnostics, {:?} per load",
        files.len(),
        start.elapsed() / n as u32
    );
}
