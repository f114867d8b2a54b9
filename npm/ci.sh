#!/usr/bin/env bash
# CI for the WebAssembly package and the browser editor. From any directory:
#
#   bash npm/ci.sh
#
# 1. builds the bindings for wasm32-unknown-unknown (the core with them) and fails if the
#    module imports anything from "env" (npm/build.sh checks it, then packages with the
#    wasm-bindgen CLI at the pinned version, installing it when missing);
# 2. lints the bindings on their real target and runs the crate's native tests (the generated
#    TypeScript types must be current);
# 3. runs the package's tests (API and folder reader against the native CLI, README examples
#    run and type-checked, packaging, esbuild, Vite and webpack bundles in headless Chromium) and the
#    editor's browser test (Chromium is installed from Debian when missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

step "wasm32 build, env-import check and packaging"
"$here/build.sh"

step "clippy on wasm32 and native tests of the bindings"
cargo clippy -p workflow-wasm --target wasm32-unknown-unknown -- -D warnings
cargo test -p workflow-wasm

step "native CLI for the parity test"
cargo build --release -p workflow-server

step "headless Chromium for the bundle and editor tests"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi

step "npm package tests"
(cd "$here" && npm ci --no-audit --no-fund && REQUIRE_NATIVE=1 node --test test/)

step "editor browser test"
(cd "$root/editor" && npm ci --no-audit --no-fund && node --test test/)
