// The activity graph: a compact Mermaid flowchart of the package's graph (one line of name and
// id per activity, a checkpoint count), the detail of each activity in its tooltip, a click on
// an activity to open its file, and pan (drag), zoom (wheel, buttons) and fit on the drawing.
import mermaid from "mermaid";

mermaid.initialize({ startOnLoad: false, securityLevel: "strict", flowchart: { htmlLabels: true } });

const escape = (s) => String(s).replace(/["<>&#]/g, (c) => `#${c.charCodeAt(0)};`);
const arrows = { transition: "-->", finish: "-->", branch: "==>", option: "-.->", loop: "-.->" };

/** The flowchart of `graph`: node `a<i>` is `graph.activities[i]`. */
export function flowchart(graph) {
  const ids = new Map(graph.activities.map((a, i) => [a.id, `a${i}`]));
  const missing = new Map();
  const lines = ["flowchart TD", '  start(("start"))', '  finish(("end"))'];
  graph.activities.forEach((a, i) => {
    const prefix = a.artifactPrefix ? `${escape(a.artifactPrefix)} · ` : "";
    const checkpoints = a.checkpoints.length ? `<br/>◆ ${a.checkpoints.length} checkpoint${a.checkpoints.length > 1 ? "s" : ""}` : "";
    lines.push(`  a${i}["${prefix}${escape(a.name)}<br/><i>${escape(a.id)}</i>${checkpoints}"]`);
  });
  for (const e of graph.edges) {
    if (e.dangling && e.to && !missing.has(e.to)) {
      missing.set(e.to, `m${missing.size}`);
      lines.push(`  m${missing.size - 1}["? ${escape(e.to)}"]:::missing`);
    }
  }
  if (graph.initial && ids.has(graph.initial)) lines.push(`  start --> ${ids.get(graph.initial)}`);
  for (const e of graph.edges) {
    const to = e.to === undefined ? "finish" : (ids.get(e.to) ?? missing.get(e.to) ?? "finish");
    const label = e.label ? `|"${escape(e.label)}"|` : "";
    lines.push(`  ${ids.get(e.from)} ${arrows[e.kind]}${label} ${to}`);
  }
  lines.push("  classDef missing stroke-dasharray: 4 4,color:#a00");
  return lines.join("\n");
}

/** The tooltip of an activity: its steps, checkpoints (message, options and effects), loops. */
export function activityDetail(a) {
  const lines = [`${a.name} (${a.id}) — ${a.file}`];
  for (const s of a.steps) lines.push(`step ${s.id}: ${s.name}${s.condition ? ` [if ${s.condition}]` : ""}`);
  for (const c of a.checkpoints) {
    lines.push(`◆ checkpoint ${c.id}${c.blocking ? "" : " (advisory)"}: ${c.message}`);
    for (const o of c.options) {
      const effect = o.effect ? ` → ${JSON.stringify(o.effect)}` : "";
      lines.push(`    ${o.id === c.defaultOption ? "* " : ""}${o.id}: ${o.label}${effect}`);
    }
  }
  for (const l of a.loops) lines.push(`loop ${l.id ?? ""}`.trim());
  return lines.join("\n");
}

let renders = 0;

/** A drawn graph in `container` with its view box, which pan and zoom move. */
export class GraphView {
  constructor(container, { onOpen }) {
    this.container = container;
    this.onOpen = onOpen;
    this.svg = null;
    this.fitBox = null;
    this.box = null;
    container.addEventListener("wheel", (e) => {
      if (!this.svg) return;
      e.preventDefault();
      this.zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX, e.clientY);
    }, { passive: false });
    let drag = null;
    container.addEventListener("pointerdown", (e) => {
      if (!this.svg || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, box: { ...this.box }, moved: false };
    });
    window.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const scale = this.box.w / this.svg.clientWidth;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      this.set({ ...drag.box, x: drag.box.x - dx * scale, y: drag.box.y - dy * scale });
    });
    window.addEventListener("pointerup", () => {
      // A drag is not a click on the node it ends on.
      if (drag?.moved) container.dataset.dragged = "true";
      else delete container.dataset.dragged;
      drag = null;
    });
  }

  /** Draws `graph`; `highlight` names activities to mark (the current one of a session). */
  async draw(graph) {
    renders += 1;
    const { svg } = await mermaid.render(`graph-${renders}`, flowchart(graph));
    this.container.innerHTML = svg;
    this.svg = this.container.querySelector("svg");
    this.svg.removeAttribute("style");
    this.svg.setAttribute("width", "100%");
    this.svg.setAttribute("height", "100%");
    const [x, y, w, h] = this.svg.getAttribute("viewBox").split(/[ ,]+/).map(Number);
    this.fitBox = { x, y, w, h };
    this.graph = graph;
    for (const node of this.svg.querySelectorAll("g.node")) {
      const m = node.id.match(/-a(\d+)-/);
      const activity = m && graph.activities[Number(m[1])];
      if (!activity) continue;
      node.dataset.activity = activity.id;
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = activityDetail(activity);
      node.prepend(title);
      node.style.cursor = "pointer";
      node.addEventListener("click", () => {
        if (this.container.dataset.dragged !== "true") this.onOpen(activity);
      });
    }
    this.fit();
  }

  clear() {
    this.container.replaceChildren();
    this.svg = null;
    this.graph = null;
    delete this.container.dataset.zoom;
  }

  set(box) {
    this.box = box;
    this.svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
    this.container.dataset.zoom = String(Math.round((this.fitBox.w / box.w) * 100));
  }

  fit() {
    if (this.svg) this.set({ ...this.fitBox });
  }

  /** Zooms by `factor` keeping the point under (`clientX`, `clientY`) in place (the centre by default). */
  zoomAt(factor, clientX, clientY) {
    if (!this.svg) return;
    const rect = this.svg.getBoundingClientRect();
    const fx = clientX === undefined ? 0.5 : (clientX - rect.left) / rect.width;
    const fy = clientY === undefined ? 0.5 : (clientY - rect.top) / rect.height;
    const w = this.box.w / factor;
    const h = this.box.h / factor;
    this.set({ x: this.box.x + (this.box.w - w) * fx, y: this.box.y + (this.box.h - h) * fy, w, h });
  }

  /** Marks the activity `id` as the current one (a simulated session's), or none, and the
   * transitions of it at the indices `holding` (those whose conditions hold). */
  highlight(id, holding = []) {
    for (const node of this.svg?.querySelectorAll("g.node[data-activity]") ?? []) {
      node.classList.toggle("current", node.dataset.activity === id);
    }
    for (const path of this.svg?.querySelectorAll("path.holds") ?? []) path.classList.remove("holds");
    if (!this.svg || id === null) return;
    const transitions = this.graph.edges
      .map((edge, index) => ({ edge, index }))
      .filter(({ edge }) => edge.kind === "transition" && edge.from === id);
    for (const i of holding) {
      const found = transitions[i];
      if (found) this.edgePath(found.index)?.classList.add("holds");
    }
  }

  /** The drawn path of `graph.edges[index]`: Mermaid names it `<diagram>-L_<from>_<to>_<n>`,
   * `n` counting the earlier links between the same two nodes. */
  edgePath(index) {
    const ids = new Map(this.graph.activities.map((a, i) => [a.id, `a${i}`]));
    const missing = [...new Set(this.graph.edges.filter((e) => e.dangling && e.to).map((e) => e.to))];
    const node = (id) =>
      id === undefined ? "finish" : (ids.get(id) ?? (missing.includes(id) ? `m${missing.indexOf(id)}` : "finish"));
    const key = (e) => `${ids.get(e.from)}_${node(e.to)}`;
    const wanted = key(this.graph.edges[index]);
    const n = this.graph.edges.slice(0, index).filter((e) => key(e) === wanted).length;
    return this.svg.querySelector(`path[id$="-L_${wanted}_${n}"]`);
  }
}
