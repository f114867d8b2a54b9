// Reading a workflows folder into the `files` object the package takes (as text, for the JSON
// the editor's server sends), the repository's folders, and the native CLI the tests compare
// with. Used by the tests, the benchmark and the editor's server.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every file below `root` (a path or file URL), keyed by relative path. */
export function readLibrary(root) {
  const files = {};
  const walk = (dir, prefix) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (entry.isFile()) files[rel] = readFileSync(join(dir, entry.name), "utf8");
    }
  };
  walk(root instanceof URL ? fileURLToPath(root) : root, "");
  return files;
}

export const repo = new URL("../../", import.meta.url);
/** The repository's own workflow library. */
export const workflowsDir = new URL("workflows/", repo);
/**
 * The example of docs/formats.md#example with a small meta workflow (also the Rust tests' data).
 */
export const exampleDir = new URL("crates/wasm/testdata/", repo);

/** The native CLI, built by `cargo build --release -p workflow-server` (npm/ci.sh does). */
export function nativeCli() {
  const metadata = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }),
  );
  return `${metadata.target_directory}/release/workflow-server`;
}
