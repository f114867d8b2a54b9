//! Signing and verifying a typical session token: every token-taking call pays for one verify
//! and one sign.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use workflow_core::keyring::{Key, KeyRing};
use workflow_core::token::{self, TokenPayload};

fn typical_payload() -> TokenPayload {
    TokenPayload {
        sid: "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b".into(),
        psid: Some("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".into()),
        agent: 1,
        seq: 42,
    }
}

fn bench(c: &mut Criterion) {
    let mut ring = KeyRing::new(Key::new("k0", [7; 32], 0));
    ring.rotate(Key::new("k1", [9; 32], 1), 1).unwrap();
    let payload = typical_payload();
    let token = token::sign(&ring, &payload);

    c.bench_function("sign", |b| {
        b.iter(|| token::sign(&ring, black_box(&payload)))
    });
    c.bench_function("verify", |b| {
        b.iter(|| token::verify(&ring, black_box(&token), "session_token").unwrap())
    });
    c.bench_function("sign+verify", |b| {
        b.iter(|| {
            let token = token::sign(&ring, black_box(&payload));
            token::verify(&ring, &token, "session_token").unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
