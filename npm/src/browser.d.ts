// The browser entry's types: the Node entry's, without `readFolder`, plus the readers of what a
// page gets from the user (these need the DOM library).
/// <reference lib="dom" />
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
 * The files of a folder picked with `<input type="file" webkitdirectory>`, keyed by path
 * relative to the workflows root, contents as bytes. The picked folder's own name is dropped
 * when it is a workflows root and kept when it is one workflow's folder. Hidden entries are
 * skipped.
 */
export function readFileList(files: FileList | readonly File[]): Promise<Record<string, Uint8Array> & Files>;

/**
 * The files below a `FileSystemDirectoryHandle` (from `showDirectoryPicker()`), the handle being
 * the workflows root; with `oneWorkflow`, one workflow's folder, whose name becomes the first
 * path segment.
 */
export function readDirectoryHandle(
  handle: FileSystemDirectoryHandle,
  options?: { oneWorkflow?: boolean },
): Promise<Record<string, Uint8Array> & Files>;
