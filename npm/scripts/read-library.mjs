// Reading a workflows folder into the `files` object the package takes, as the CLI reads it:
// hidden entries skipped, `/`-separated paths relative to the root. Used by the tests, the
// benchmark and the editor's server.
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
