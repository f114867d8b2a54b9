// Keeping the author's work: write-back to the opened folder (File System Access API), a .zip
// download (every browser), an autosave to the browser's storage after each change, restored on
// the next visit, and a warning before leaving with unsaved changes.
import { zipSync, strToU8 } from "fflate";

const AUTOSAVE_KEY = "workflow-editor:autosave";
const decoder = new TextDecoder();

/** A file's text for the editor (a file read from disk arrives as bytes). */
export const textOf = (value) => (typeof value === "string" ? value : decoder.decode(value));

/** The library as a .zip, each path under the folder `name`. */
export function zipLibrary(files, name = "workflows") {
  const entries = {};
  for (const [path, value] of Object.entries(files)) {
    entries[`${name}/${path}`] = typeof value === "string" ? strToU8(value) : value;
  }
  return zipSync(entries, { level: 6 });
}

/** Offers the library as `<name>.zip` for download. */
export function downloadZip(files, name) {
  const blob = new Blob([zipLibrary(files, name)], { type: "application/zip" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${name}.zip`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Writes `paths` of `files` below the directory `handle`, creating folders as needed. */
export async function writeBack(handle, files, paths) {
  if ((await handle.queryPermission?.({ mode: "readwrite" })) === "prompt") {
    const granted = await handle.requestPermission({ mode: "readwrite" });
    if (granted !== "granted") throw new Error("the browser did not allow writing to the folder");
  }
  for (const path of paths) {
    const parts = path.split("/");
    let dir = handle;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
    const writable = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable();
    await writable.write(files[path]);
    await writable.close();
  }
}

/** The autosaved session: `{ files, name, current, dirty, savedAt }`, or null. */
export function loadAutosave() {
  try {
    const saved = JSON.parse(localStorage.getItem(AUTOSAVE_KEY) ?? "null");
    return saved && typeof saved.files === "object" ? saved : null;
  } catch {
    return null;
  }
}

/** Saves the library (as text) to the browser's storage; false when the storage is full. */
export function autosave({ files, name, current, dirty }) {
  const texts = Object.fromEntries(Object.entries(files).map(([p, v]) => [p, textOf(v)]));
  try {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify({ files: texts, name, current, dirty: [...dirty], savedAt: Date.now() }));
    return true;
  } catch {
    return false;
  }
}

export function clearAutosave() {
  localStorage.removeItem(AUTOSAVE_KEY);
}
