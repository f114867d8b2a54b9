//! The committed TypeScript declarations equal those generated from the Rust types. Regenerate
//! with `UPDATE_TYPES=1 cargo test -p workflow-wasm --test types`.

use std::path::Path;

#[test]
fn generated_types_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/types.d.ts");
    let generated = workflow_wasm::typescript::declarations();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &generated).expect("writes generated/types.d.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "generated/types.d.ts differs from the types generated from the Rust types; run UPDATE_TYPES=1 cargo test -p workflow-wasm --test types and commit it"
    );
}
