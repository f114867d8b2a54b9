// The editor page: the library being edited, live validation as the author types, and the
// selected workflow's graph, dispatch package and simulated session.
import { validate, preview } from "workflow-server-wasm";
import { readPickedFolder, workflowIds, sortedPaths } from "./files.js";
import { CodePane } from "./editor.js";
import { drawGraph } from "./graph.js";
import { showSummary } from "./summary.js";
import { setupDispatch } from "./dispatch.js";
import { setupSession } from "./session.js";

const $ = (id) => document.getElementById(id);

const state = {
  /** path → text: the library as the package takes it. */
  files: {},
  /** The open file. */
  current: null,
  diagnostics: [],
  workflow: null,
};

const pane = new CodePane({
  textarea: $("text"),
  mirror: $("mirror"),
  gutter: $("gutter"),
  problems: $("problems"),
  path: $("editor-path"),
});

/** Told when the library or the selected workflow changes (the dispatch and session tabs). */
const listeners = [];

function setLibrary(files) {
  state.files = files;
  const paths = sortedPaths(files);
  state.current = paths.find((p) => /\/workflow\.[a-z]+$/.test(p)) ?? paths[0] ?? null;
  state.workflow = null;
  pane.open(state.current, state.current === null ? null : files[state.current]);
  revalidate();
}

function openFile(path) {
  state.current = path;
  pane.open(path, state.files[path]);
  pane.setDiagnostics(state.diagnostics.filter((d) => d.file === path));
  renderFileList();
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

let drawn = null;
/** Redraws the graph when the selected workflow's flowchart changed; a broken workflow keeps
 * its last graph with a notice, so the author still sees the shape while fixing it. */
async function refreshPreview() {
  const status = $("graph-status");
  if (!state.workflow) {
    status.textContent = "No workflow in these files.";
    $("graph").replaceChildren();
    $("summary").replaceChildren();
    drawn = null;
    return;
  }
  let p;
  try {
    p = preview(state.files, state.workflow);
  } catch (e) {
    status.textContent = `${e.message}${drawn ? " — showing the last valid graph." : ""}`;
    status.dataset.code = e.code;
    return;
  }
  status.textContent = p.status === "ok" ? "" : `Status: ${p.status}`;
  delete status.dataset.code;
  showSummary($("summary"), p.summary);
  const key = `${state.workflow}\n${p.mermaid}`;
  if (key !== drawn) {
    drawn = key;
    try {
      await drawGraph($("graph"), p.mermaid);
    } catch (e) {
      status.textContent = `The graph could not be drawn: ${e.message ?? e}`;
    }
  }
}

let timer = null;
$("text").addEventListener("input", () => {
  if (state.current === null) return;
  state.files[state.current] = $("text").value;
  clearTimeout(timer);
  timer = setTimeout(revalidate, 200);
});

$("workflow").addEventListener("change", (e) => {
  state.workflow = e.target.value;
  refreshPreview();
  for (const listener of listeners) listener();
});

$("open-folder").addEventListener("change", async (e) => {
  setLibrary(await readPickedFolder(e.target.files));
});

async function loadExample(name) {
  const response = await fetch(`/examples/${name}.json`);
  setLibrary(await response.json());
}
$("load-example").addEventListener("click", () => loadExample("release-notes"));
$("load-workflows").addEventListener("click", () => loadExample("workflows"));

$("new-file").addEventListener("click", () => {
  const path = prompt("Path of the new file, relative to the workflows root (e.g. my-flow/workflow.yaml):");
  if (!path) return;
  if (!(path in state.files)) state.files[path] = "";
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
    { start: $("session-start"), state: $("session-state"), actions: $("session-actions"), log: $("session-log") },
    library,
  ),
);

setLibrary({});
document.body.dataset.ready = "true";
