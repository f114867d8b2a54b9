#!/usr/bin/env bash
# Builds workflow-server in release mode and runs the end-to-end tests against it with the
# official MCP clients. Needs node and the packages of package-lock.json (npm ci, offline from
# the cache when it is warm).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cargo build --release --locked -p workflow-server --manifest-path "$root/Cargo.toml"
cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --prefer-offline
fi
export WORKFLOW_SERVER_BIN="$root/target/release/workflow-server"
exec node --test --test-concurrency=1 test/*.test.js
