// The package in browsers and bundlers: the module is fetched from beside this file (bundlers
// rewrite the URL) and instantiated before the import resolves.
import init from "./workflow_wasm.js";
import { isHidden, workflowError } from "./format.js";

await init({ module_or_path: new URL("./workflow_wasm_bg.wasm", import.meta.url) });

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

const workflowFile = /^[^/]+\/workflow\.(toon|yaml|yml|json)$/;

/**
 * The files of a folder the user picked with `<input type="file" webkitdirectory>` (a
 * `FileList`, or an array of `File`s). Every path starts with the picked folder's name, which
 * is dropped when the folder is a workflows root and kept when the folder is itself one
 * workflow (it holds a workflow file), since then that name is the workflow's id. Hidden
 * entries are skipped; contents are bytes.
 */
export async function readFileList(fileList) {
  if (!fileList || typeof fileList.length !== "number") {
    throw workflowError("invalid_argument", "readFileList takes the FileList of an <input type=file webkitdirectory>");
  }
  const entries = await Promise.all(
    Array.from(fileList, async (file) => [file.webkitRelativePath || file.name, new Uint8Array(await file.arrayBuffer())]),
  );
  const isOneWorkflow = entries.some(([path]) => workflowFile.test(path));
  const files = {};
  for (const [path, bytes] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = path.split("/");
    if (parts.some(isHidden)) continue;
    const rel = isOneWorkflow || parts.length === 1 ? path : parts.slice(1).join("/");
    files[rel] = bytes;
  }
  return files;
}

/**
 * The files below a directory handle from `showDirectoryPicker()` (File System Access API), the
 * handle being the workflows root. With `{ oneWorkflow: true }` the handle is one workflow's
 * folder and its name becomes the first path segment.
 */
export async function readDirectoryHandle(handle, { oneWorkflow = false } = {}) {
  if (!handle || handle.kind !== "directory" || typeof handle.values !== "function") {
    throw workflowError("invalid_argument", "readDirectoryHandle takes a FileSystemDirectoryHandle (from showDirectoryPicker())");
  }
  const files = {};
  const walk = async (dir, prefix) => {
    const entries = [];
    for await (const entry of dir.values()) if (!isHidden(entry.name)) entries.push(entry);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.kind === "directory") await walk(entry, rel);
      else files[rel] = new Uint8Array(await (await entry.getFile()).arrayBuffer());
    }
  };
  await walk(handle, oneWorkflow ? handle.name : "");
  return files;
}
