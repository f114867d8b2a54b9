// The text pane: a plain textarea over a mirror that repeats its text with the diagnostics
// drawn in — wavy underlines at their ranges and the message at the end of their line — and a
// gutter of line numbers with a marker on each line that has a problem.

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** The worst severity among diagnostics. */
const worst = (ds) => (ds.some((d) => d.severity === "error") ? "error" : "warning");

export class CodePane {
  constructor({ textarea, mirror, gutter, problems, path }) {
    Object.assign(this, { textarea, mirror, gutter, problems, pathLabel: path });
    this.diagnostics = [];
    textarea.addEventListener("scroll", () => this.syncScroll());
    textarea.addEventListener("input", () => this.paint());
  }

  /** Shows a file; `text` is null when no file is open. */
  open(path, text) {
    this.pathLabel.textContent = path ?? "";
    this.textarea.disabled = text === null;
    this.textarea.value = text ?? "";
    this.textarea.scrollTop = 0;
    this.diagnostics = [];
    this.paint();
  }

  /** Replaces the diagnostics of the open file and redraws. */
  setDiagnostics(diagnostics) {
    this.diagnostics = diagnostics;
    this.paint();
    this.problems.replaceChildren(
      ...diagnostics.map((d) => {
        const li = document.createElement("li");
        li.className = d.severity;
        li.innerHTML = `${d.line}:${d.column} <span class="code-name">${d.severity}[${escapeHtml(d.code)}]</span> ${escapeHtml(d.message)}`;
        li.addEventListener("click", () => this.reveal(d));
        return li;
      }),
    );
  }

  /** Puts the caret on a diagnostic. */
  reveal(d) {
    this.textarea.focus();
    this.textarea.setSelectionRange(d.utf16_start, Math.max(d.utf16_start, d.utf16_end));
    const line = this.textarea.value.slice(0, d.utf16_start).split("\n").length - 1;
    const height = parseFloat(getComputedStyle(this.textarea).lineHeight);
    this.textarea.scrollTop = Math.max(0, line * height - this.textarea.clientHeight / 3);
  }

  paint() {
    const text = this.textarea.value;
    const lines = text.split("\n");
    const byLine = new Map();
    for (const d of this.diagnostics) {
      if (!byLine.has(d.line)) byLine.set(d.line, []);
      byLine.get(d.line).push(d);
    }
    const html = [];
    let offset = 0;
    lines.forEach((line, i) => {
      const start = offset;
      const end = offset + line.length;
      const marks = this.diagnostics
        .filter((d) => d.utf16_end > d.utf16_start && d.utf16_start < end && d.utf16_end > start)
        .map((d) => [Math.max(d.utf16_start, start) - start, Math.min(d.utf16_end, end) - start, d.severity])
        .sort((a, b) => a[0] - b[0]);
      let out = "";
      let at = 0;
      for (const [from, to, severity] of marks) {
        if (from < at) continue; // overlapping ranges: the first one is drawn
        out += escapeHtml(line.slice(at, from));
        out += `<span class="squiggle ${severity}">${escapeHtml(line.slice(from, to))}</span>`;
        at = to;
      }
      out += escapeHtml(line.slice(at));
      const here = byLine.get(i + 1);
      if (here) {
        const text = here.map((d) => `${d.code}: ${d.message}`).join(" · ");
        out += `<span class="lens ${worst(here)}" data-line="${i + 1}">${escapeHtml(text)}</span>`;
      }
      html.push(out);
      offset = end + 1;
    });
    // A trailing newline keeps the mirror as tall as the textarea's last empty line.
    this.mirror.innerHTML = html.join("\n") + "\n";
    this.gutter.replaceChildren(
      ...lines.map((_, i) => {
        const div = document.createElement("div");
        div.textContent = String(i + 1);
        const here = byLine.get(i + 1);
        if (here) {
          div.className = worst(here);
          div.title = here.map((d) => `${d.severity}[${d.code}]: ${d.message}`).join("\n");
        }
        return div;
      }),
    );
    this.syncScroll();
  }

  syncScroll() {
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
    this.gutter.scrollTop = this.textarea.scrollTop;
  }
}
