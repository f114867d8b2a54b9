// The Node entry's types. The types of values come from the wasm-bindgen declarations, which
// embed the types generated from the Rust types (crates/wasm/generated/types.d.ts); nothing here
// needs the DOM library.
import type { Files } from "./workflow_wasm.js";

export type * from "./workflow_wasm.js";
export type * from "./meta.js";
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
 * Every file below the workflows root `dir` (a path or a `file:` URL), keyed by `/`-separated
 * relative path, contents as bytes: what `workflow-server validate <dir>` reads. Hidden entries
 * are skipped and symbolic links are not followed. Throws `invalid_argument` when `dir` is not
 * a folder.
 */
export function readFolder(dir: string | URL): Record<string, Uint8Array> & Files;
