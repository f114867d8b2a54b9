// Drawing the activity graph: the package's Mermaid flowchart, rendered by Mermaid.
import mermaid from "mermaid";

mermaid.initialize({ startOnLoad: false, securityLevel: "strict", flowchart: { htmlLabels: true } });

let renders = 0;

/** Renders `text` into `container`; resolves once the SVG is in the page. */
export async function drawGraph(container, text) {
  renders += 1;
  const { svg } = await mermaid.render(`graph-${renders}`, text);
  container.innerHTML = svg;
}
