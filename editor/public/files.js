// Finding the workflows in a library and ordering its files (the package reads picked folders).

const workflowFile = /^([^/]+)\/workflow\.(toon|yaml|yml|json)$/;

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
