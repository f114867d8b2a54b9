// The editor page: the library being edited, live validation as the author types, and the
// selected workflow's graph, dispatch package and simulated session.
import { validate, preview, readFileList, readDirectoryHandle } from "workflow-server-wasm";
import { workflowIds, sortedPaths } from "./files.js";
import { CodePane } from "./editor.js";
import { GraphView } from "./graph.js";
import { textOf, downloadZip, writeBack, loadAutosave, autosave, clearAutosave } from "./storage.js";
import { encodePaste, decodePaste } from "./paste.js";
import { showSummary } from "./summary.js";
import { setupDispatch } from "./dispatch.js";
import { setupSession } from "./session.js";

const $ = (id) => document.getElementById(id);

const state = {
  /** path → text (or bytes, as read from disk until edited): the library as the package takes it. */
  files: {},
  /** The folder's name (the .zip's), and its handle when the browser can write back to it. */
  name: "workflows",
  handle: null,
  /** Paths changed since the library was opened or last saved. */
  dirty: new Set(),
  /** Paste-one-file mode: the one file lives in the URL fragment, not in the browser's storage. */
  paste: false,
  /** The open file. */
  current: null,
  diagnostics: [],
  workflow: null,
};

const pane = new CodePane({
  parent: $("editor"),
  problems: $("problems"),
  path: $("editor-path"),
  onChange: edited,
});

/** Told when the library or the selected workflow changes (the dispatch and session tabs). */
const listeners = [];

const graphView = new GraphView($("graph"), { onOpen: (activity) => openFile(activity.file) });

/** Replaces the library; `current` and `dirty` come with a restored autosave. */
function setLibrary(files, { name = "workflows", handle = null, current = null, dirty = [], paste = false } = {}) {
  state.paste = paste;
  document.body.dataset.mode = paste ? "paste" : "library";
  if (!paste && location.hash) history.replaceState(null, "", location.pathname + location.search);
  state.files = files;
  state.name = name;
  state.handle = handle;
  state.dirty = new Set(dirty);
  pane.reset();
  const paths = sortedPaths(files);
  state.current = paths.includes(current) ? current : (paths.find((p) => /\/workflow\.[a-z]+$/.test(p)) ?? paths[0] ?? null);
  state.workflow = null;
  pane.open(state.current, state.current === null ? null : textOf(files[state.current]));
  renderSaveState();
  revalidate();
}

function openFile(path) {
  if (!(path in state.files)) return;
  state.current = path;
  pane.open(path, textOf(state.files[path]));
  pane.setDiagnostics(state.diagnostics.filter((d) => d.file === path));
  renderFileList();
  // The graph follows the file being edited.
  const folder = path.split("/")[0];
  if (folder !== state.workflow && workflowIds(state.files).includes(folder)) {
    state.workflow = folder;
    renderWorkflowChoice();
    refreshPreview();
    for (const listener of listeners) listener();
  }
}

function renderSaveState() {
  const n = state.dirty.size;
  $("save-state").textContent = n ? `${n} unsaved file(s)` : "";
  $("save").textContent = state.handle ? "Save to folder" : "Save (.zip)";
  document.body.dataset.dirty = String(n > 0);
}

/** Validates the whole library and redraws everything that depends on it. */
function revalidate() {
  state.diagnostics = validate(state.files);
  const errors = state.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = state.diagnostics.length - errors;
  $("totals").textContent = `${errors} error(s), ${warnings} warning(s) in ${Object.keys(state.files).length} file(s)`;
  renderFileList();
  pane.setDiagnostics(state.diagnostics.filter((d) => d.file === state.current));
  renderWorkflowChoice();
  refreshPreview();
  for (const listener of listeners) listener();
}

function renderFileList() {
  const paths = sortedPaths(state.files);
  $("no-files").hidden = paths.length > 0;
  $("file-list").replaceChildren(
    ...paths.map((path) => {
      const li = document.createElement("li");
      li.dataset.path = path;
      li.setAttribute("aria-current", String(path === state.current));
      const name = document.createElement("span");
      name.textContent = path;
      li.append(name);
      if (state.dirty.has(path)) {
        li.classList.add("dirty");
        name.title = "changed since the folder was opened or saved";
      }
      for (const severity of ["error", "warning"]) {
        const n = state.diagnostics.filter((d) => d.file === path && d.severity === severity).length;
        if (n > 0) {
          const badge = document.createElement("span");
          badge.className = `badge ${severity}`;
          badge.textContent = String(n);
          li.append(badge);
        }
      }
      li.addEventListener("click", () => openFile(path));
      return li;
    }),
  );
}

function renderWorkflowChoice() {
  const ids = workflowIds(state.files);
  if (!ids.includes(state.workflow)) {
    const fromCurrent = state.current?.split("/")[0];
    state.workflow = ids.includes(fromCurrent) && fromCurrent !== "meta" ? fromCurrent : (ids.find((id) => id !== "meta") ?? ids[0] ?? null);
  }
  $("workflow").replaceChildren(
    ...ids.map((id) => {
      const option = document.createElement("option");
      option.value = id;
      option.textContent = id;
      option.selected = id === state.workflow;
      return option;
    }),
  );
}

/** Redraws the graph of the selected workflow. A broken workflow keeps its own last graph with a
 * notice, so the author still sees the shape while fixing it; never another workflow's graph. */
let drawn = null;
async function refreshPreview() {
  const status = $("graph-status");
  if (!state.workflow) {
    status.textContent = "No workflow in these files.";
    graphView.clear();
    $("summary").replaceChildren();
    drawn = null;
    return;
  }
  let p;
  try {
    p = preview(state.files, state.workflow);
  } catch (e) {
    const own = drawn?.workflow === state.workflow;
    if (!own) {
      graphView.clear();
      $("summary").replaceChildren();
      drawn = null;
    }
    status.textContent = `${e.message}${own ? " — showing this workflow's last valid graph." : ""}`;
    status.dataset.code = e.code;
    $("graph").dataset.stale = String(own);
    return;
  }
  status.textContent = p.status === "ok" ? "" : `Status: ${p.status}`;
  delete status.dataset.code;
  $("graph").dataset.stale = "false";
  showSummary($("summary"), p.summary);
  const key = JSON.stringify(p.graph);
  if (drawn?.workflow !== state.workflow || drawn.key !== key) {
    drawn = { workflow: state.workflow, key };
    try {
      await graphView.draw(p.graph);
      $("graph").dataset.workflow = state.workflow;
    } catch (e) {
      status.textContent = `The graph could not be drawn: ${e.message ?? e}`;
    }
  }
}

let timer = null;
/** An edit of the open file. */
function edited(text) {
  if (state.current === null) return;
  state.files[state.current] = text;
  if (state.paste) {
    // The link is the save: the fragment follows every keystroke.
    history.replaceState(null, "", encodePaste(state.current, text));
  } else {
    state.dirty.add(state.current);
    renderSaveState();
  }
  clearTimeout(timer);
  timer = setTimeout(() => {
    revalidate();
    if (!state.paste) saveToBrowser();
  }, 200);
}

function saveToBrowser() {
  const ok = autosave({ files: state.files, name: state.name, current: state.current, dirty: state.dirty });
  $("autosave-state").textContent = ok ? `autosaved ${new Date().toLocaleTimeString()}` : "autosave failed: the browser's storage is full";
}

async function save() {
  // An edit still waiting for its revalidation is settled first, so its autosave cannot land
  // after (and report over) this save.
  clearTimeout(timer);
  revalidate();
  let done;
  if (state.handle) {
    try {
      const paths = [...state.dirty];
      await writeBack(state.handle, state.files, paths);
      done = `wrote ${paths.length} file(s) to ${state.name}/`;
    } catch (e) {
      downloadZip(state.files, state.name);
      done = `could not write to the folder (${e.message}); downloaded ${state.name}.zip instead`;
    }
  } else {
    downloadZip(state.files, state.name);
    done = `downloaded ${state.name}.zip`;
  }
  state.dirty.clear();
  saveToBrowser();
  $("autosave-state").textContent = done;
  renderSaveState();
  renderFileList();
}
$("save").addEventListener("click", save);
$("download").addEventListener("click", () => downloadZip(state.files, state.name));
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
    e.preventDefault();
    save();
  }
});

window.addEventListener("beforeunload", (e) => {
  if (state.dirty.size === 0) return;
  e.preventDefault();
  e.returnValue = "";
});

$("workflow").addEventListener("change", (e) => {
  state.workflow = e.target.value;
  refreshPreview();
  for (const listener of listeners) listener();
});

/** Replacing the library loses unsaved changes: ask first. */
const mayReplace = () =>
  state.dirty.size === 0 || confirm(`${state.dirty.size} file(s) have unsaved changes. Replace them anyway?`);

$("open-folder").addEventListener("click", async () => {
  if (!mayReplace()) return;
  if (!window.showDirectoryPicker) {
    $("open-folder-input").click();
    return;
  }
  let handle;
  try {
    handle = await window.showDirectoryPicker({ mode: "readwrite" });
  } catch {
    return; // cancelled
  }
  // A picked workflow folder (it has a workflow file) is read as one workflow of a library.
  const oneWorkflow = await handle.getFileHandle("workflow.yaml").then(() => true, () => false);
  const files = await readDirectoryHandle(handle, { oneWorkflow });
  // Write-back needs the root the paths are relative to, which a single workflow folder is not.
  setLibrary(files, { name: handle.name, handle: oneWorkflow ? null : handle });
});
$("open-folder-input").addEventListener("change", async (e) => {
  const list = e.target.files;
  const name = list[0]?.webkitRelativePath.split("/")[0] || "workflows";
  setLibrary(await readFileList(list), { name });
});

async function loadExample(name) {
  if (!mayReplace()) return;
  const response = await fetch(`/examples/${name}.json`);
  setLibrary(await response.json(), { name });
}
$("load-example").addEventListener("click", () => loadExample("release-notes"));
$("load-workflows").addEventListener("click", () => loadExample("workflows"));

$("new-file").addEventListener("click", () => {
  const path = prompt("Path of the new file, relative to the workflows root (e.g. my-flow/workflow.yaml):");
  if (!path) return;
  if (!(path in state.files)) {
    state.files[path] = "";
    state.dirty.add(path);
    renderSaveState();
  }
  revalidate();
  openFile(path);
});

for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    for (const other of document.querySelectorAll("[role=tab]")) {
      other.setAttribute("aria-selected", String(other === tab));
      $(`tab-${other.dataset.tab}`).hidden = other !== tab;
    }
  });
}

const library = () => ({ files: state.files, workflow: state.workflow });
setupDispatch({ button: $("compose"), variables: $("dispatch-vars"), output: $("dispatch-out") }, library);
listeners.push(
  setupSession(
    {
      start: $("session-start"),
      state: $("session-state"),
      actions: $("session-actions"),
      log: $("session-log"),
      variables: $("session-vars"),
      exportTrace: $("export-trace"),
    },
    library,
    (activity, holding) => graphView.highlight(activity, holding),
  ),
);

$("zoom-in").addEventListener("click", () => graphView.zoomAt(1.25));
$("zoom-out").addEventListener("click", () => graphView.zoomAt(1 / 1.25));
$("zoom-fit").addEventListener("click", () => graphView.fit());

$("paste").addEventListener("click", () => {
  if (!mayReplace()) return;
  const path = prompt("Path of the file, relative to the workflows root (it decides how the file is checked):", "my-flow/workflow.yaml");
  if (!path) return;
  setLibrary({ [path]: "" }, { name: "paste", paste: true });
  history.replaceState(null, "", encodePaste(path, ""));
  pane.view.focus();
});
$("share").addEventListener("click", async () => {
  if (state.current === null) return;
  const link = new URL(encodePaste(state.current, pane.text), location.href).href;
  $("share-link").value = link;
  $("share-link").hidden = false;
  $("share-link").select();
  try {
    await navigator.clipboard.writeText(link);
    $("autosave-state").textContent = "link copied: it holds the file itself, nothing is uploaded";
  } catch {
    $("autosave-state").textContent = "copy the link from the box: it holds the file itself, nothing is uploaded";
  }
});

// A paste link opened in a tab that already shows the editor arrives as a new fragment.
window.addEventListener("hashchange", () => {
  const linked = decodePaste(location.hash);
  if (!linked) return;
  if (state.paste && state.current === linked.path && state.files[linked.path] === linked.text) return;
  if (mayReplace()) setLibrary({ [linked.path]: linked.text }, { name: "paste", paste: true });
});

const pasted = decodePaste(location.hash);
const restored = loadAutosave();
if (pasted) {
  setLibrary({ [pasted.path]: pasted.text }, { name: "paste", paste: true });
} else if (restored && Object.keys(restored.files).length > 0) {
  setLibrary(restored.files, restored);
  $("autosave-state").textContent = `restored from the browser's storage (autosaved ${new Date(restored.savedAt).toLocaleString()})`;
} else {
  setLibrary({});
}
$("discard").addEventListener("click", () => {
  if (!mayReplace()) return;
  clearAutosave();
  setLibrary({});
  $("autosave-state").textContent = "";
});
document.body.dataset.ready = "true";
