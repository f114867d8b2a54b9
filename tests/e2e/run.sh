#!/usr/bin/env bash
# Builds workflow-server in release mode and runs the end-to-end tests against it with the
# official MCP clients: on the redb store, then, when a test cluster is up
# (WORKFLOW_TEST_POSTGRES_URL, as `scripts/postgres.sh run` sets), on PostgreSQL. Needs node and
# the packages of package-lock.json (npm ci, offline from the cache when it is warm).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cargo build --release --locked -p workflow-server --manifest-path "$root/Cargo.toml"
cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --prefer-offline
fi
export WORKFLOW_SERVER_BIN="$root/target/release/workflow-server"
echo "== e2e on the redb store"
WORKFLOW_E2E_STORE=redb node --test --test-concurrency=1 test/*.test.js
if [ -n "${WORKFLOW_TEST_POSTGRES_URL:-}" ]; then
  echo "== e2e on PostgreSQL"
  WORKFLOW_E2E_STORE=postgres node --test --test-concurrency=1 test/*.test.js
elif [ -n "${CI:-}" ]; then
  echo "WORKFLOW_TEST_POSTGRES_URL is not set: run this through scripts/postgres.sh run" >&2
  exit 1
else
  echo "== e2e on PostgreSQL skipped: no test cluster (run through scripts/postgres.sh run)"
fi
