//! The engine's hot paths on a cached catalog with the in-memory store: what every call pays
//! for its token, a state-changing `next_activity`, and a read-only `get_activity` (which still
//! commits its trace event).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use serde_json::json;
use workflow_core::token;

#[path = "../tests/engine_support/mod.rs"]
mod engine_support;

use engine_support::{Harness, key, token as session_token};

fn bench(c: &mut Criterion) {
    let h = Harness::new();
    let (t, _) = h.start("release", "orch");
    let t = session_token(&h.ok(
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    ));

    let ring = workflow_core::keyring::KeyRing::new(key(1));
    let payload = token::verify(&ring, &t, "session_token").unwrap().payload;
    c.bench_function("token sign+verify", |b| {
        b.iter(|| {
            let signed = token::sign(&ring, black_box(&payload));
            token::verify(&ring, &signed, "session_token").unwrap()
        })
    });

    c.bench_function("get_activity", |b| {
        b.iter(|| h.ok("get_activity", json!({"session_token": black_box(&t)})))
    });

    // A fresh session per iteration, so the record does not grow with the measurement.
    c.bench_function("next_activity", |b| {
        b.iter_batched(
            || h.start("release", "orch").0,
            |t| {
                h.ok(
                    "next_activity",
                    json!({"session_token": t, "activity_id": "draft"}),
                )
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
