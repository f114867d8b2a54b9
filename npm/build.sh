#!/usr/bin/env bash
# Builds the npm package into npm/dist: the core and its bindings compiled to wasm32, the
# wasm-bindgen glue (--target web, ESM) with its declarations made the package's
# (scripts/declarations.mjs), and the Node and browser entry points.
#
# Needs cargo and rustup (or the wasm32-unknown-unknown target already installed) and node. The
# wasm-bindgen CLI is installed at exactly the version Cargo.toml pins when it is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

pinned="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)"
if [ -z "$pinned" ]; then
  echo "build.sh: no exact wasm-bindgen pin (wasm-bindgen = \"=X.Y.Z\") in Cargo.toml" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $pinned" ]; then
  # Not --locked: the CLI's own lock file can name crates that no longer build.
  cargo install wasm-bindgen-cli --version "$pinned"
fi

cargo build --profile wasm --target wasm32-unknown-unknown -p workflow-wasm
target_dir="$(cargo metadata --format-version 1 --no-deps | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')"
wasm="$target_dir/wasm32-unknown-unknown/wasm/workflow_wasm.wasm"

node "$here/scripts/check-imports.mjs" "$wasm"

rm -rf "$here/dist"
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$here/dist" --out-name workflow_wasm "$wasm"
node "$here/scripts/declarations.mjs" "$here/dist"
cp "$here"/src/*.js "$here"/src/*.d.ts "$here/dist/"
echo "build.sh: built $here/dist ($(wc -c < "$here/dist/workflow_wasm_bg.wasm") bytes of wasm)"
