//! The native side of `npm/bench/validate.mjs`: times the same `validate` the package exports,
//! compiled natively, on the same files. Reads `{"files": {path: text}, "iterations": n}` from
//! stdin and prints `{"ms_per_iteration": x, "diagnostics": n}`.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Instant;

use serde_json::{Value, json};
use workflow_wasm::api::{self, Files};

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("reads stdin");
    let input: Value = serde_json::from_str(&input).expect("stdin is JSON");
    let texts: BTreeMap<String, String> =
        serde_json::from_value(input["files"].clone()).expect("files: path → text");
    let files: Files = texts
        .into_iter()
        .map(|(path, text)| (path, text.into_bytes()))
        .collect();
    let iterations = input["iterations"].as_u64().unwrap_or(50).max(1);
    let diagnostics = api::validate(&files).len();
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(api::validate(std::hint::black_box(&files)));
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / iterations as f64;
    println!(
        "{}",
        json!({"ms_per_iteration": ms, "diagnostics": diagnostics})
    );
}
