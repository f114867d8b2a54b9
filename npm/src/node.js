// The package in Node: the module is read from the package folder and instantiated
// synchronously, so every function is ready as soon as the import resolves.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync } from "./workflow_wasm.js";
import { isHidden, workflowError } from "./format.js";

initSync({ module: readFileSync(new URL("./workflow_wasm_bg.wasm", import.meta.url)) });

export {
  validate,
  preview,
  convert,
  convertLibrary,
  evaluateCondition,
  composeDispatchPackage,
  Engine,
} from "./workflow_wasm.js";
export { formatDiagnostics, isWorkflowError } from "./format.js";

/**
 * Every file below the workflows root `dir` (a path or a `file:` URL) as the `files` object the
 * functions take, read as the CLI reads a folder: `/`-separated relative paths, hidden entries
 * skipped, symbolic links not followed, contents as bytes.
 */
export function readFolder(dir) {
  const root = dir instanceof URL ? fileURLToPath(dir) : dir;
  if (typeof root !== "string") throw workflowError("invalid_argument", "readFolder takes a folder path or a file: URL");
  let stat;
  try {
    stat = lstatSync(root);
  } catch (e) {
    throw workflowError("invalid_argument", `cannot read ${root}: ${e.message}`);
  }
  if (!stat.isDirectory()) {
    throw workflowError("invalid_argument", `${root} is not a folder; pass the workflows root (one sub-folder per workflow)`);
  }
  const files = {};
  const walk = (folder, prefix) => {
    const names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => !isHidden(entry.name))
      .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const entry of names) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, rel);
      else if (entry.isFile()) files[rel] = new Uint8Array(readFileSync(path));
    }
  };
  walk(root, "");
  return files;
}
