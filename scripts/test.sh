#!/usr/bin/env bash
# Every test of the project: formatting, lints, the Rust test suites, and (when their parts are
# present) the npm/wasm package, the browser editor and the end-to-end MCP tests. The Rust tests
# and the end-to-end tests run beside a throwaway PostgreSQL cluster (scripts/postgres.sh), so the
# PostgreSQL session store is tested as well as the redb one.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
bash scripts/postgres.sh run cargo test --workspace --locked
echo "== workflow-server validate workflows/"
cargo run --quiet --locked -p workflow-server -- validate workflows
echo "== wasm package, npm tests and browser editor"
bash npm/ci.sh
echo "== end-to-end MCP tests (tests/e2e), on redb and on PostgreSQL"
bash scripts/postgres.sh run bash tests/e2e/run.sh
