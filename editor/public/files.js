// Turning what the page is given (a picked folder, an example) into the package's `files`
// object, and finding the workflows in it.

const workflowFile = /^([^/]+)\/workflow\.(toon|yaml|yml|json)$/;

/**
 * Reads the files of a folder picked with `<input type=file webkitdirectory>`. Every path starts
 * with the picked folder's name: it is dropped when the folder is a workflows root, and kept
 * when the folder is itself one workflow (it has a workflow file), since that name is the
 * workflow's id. Hidden files and folders are skipped, as the server skips them.
 */
export async function readPickedFolder(fileList) {
  const entries = await Promise.all(
    [...fileList].map(async (file) => [file.webkitRelativePath || file.name, await file.text()]),
  );
  const isOneWorkflow = entries.some(([path]) => workflowFile.test(path));
  const files = {};
  for (const [path, text] of entries) {
    const parts = path.split("/");
    if (parts.some((part) => part.startsWith("."))) continue;
    files[isOneWorkflow ? path : parts.slice(1).join("/")] = text;
  }
  return files;
}

/** The ids of the workflow folders, in byte order. */
export function workflowIds(files) {
  const ids = new Set();
  for (const path of Object.keys(files)) {
    const m = path.match(workflowFile);
    if (m) ids.add(m[1]);
  }
  return [...ids].sort();
}

/** Paths sorted so each workflow's files stay together, workflow file first. */
export function sortedPaths(files) {
  const key = (p) => p.replace(/\/workflow\.[a-z]+$/, "/ ");
  return Object.keys(files).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
