// The code pane: CodeMirror 6 with YAML or JSON highlighting by the file's extension, Tab to
// indent, search (Ctrl+F), one undo history per file that survives switching files, the
// diagnostics as underlines at their ranges (with a gutter marker and the list below), and
// completion and hover of field names from the definition schemas (schemas/).
import {
  EditorState,
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  hoverTooltip,
  defaultKeymap,
  history,
  historyKeymap,
  indentWithTab,
  syntaxHighlighting,
  defaultHighlightStyle,
  indentOnInput,
  bracketMatching,
  indentUnit,
  search,
  searchKeymap,
  highlightSelectionMatches,
  autocompletion,
  completionKeymap,
  setDiagnostics,
  lintGutter,
  yaml,
  json,
} from "codemirror";
import { schemaFor, fieldsAt, fieldAt, fieldsAtPath, jsonKeyAt } from "./schema.js";

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

export class CodePane {
  /** `onChange(text)` is told every edit of the open file. */
  constructor({ parent, problems, path, onChange }) {
    Object.assign(this, { problems, pathLabel: path, onChange });
    /** path → EditorState: each file keeps its own undo history and selection. */
    this.states = new Map();
    this.path = null;
    this.view = new EditorView({ parent, state: this.create(null, "") });
    parent.dataset.ready = "true";
  }

  /** A new editor state for `path`. */
  create(path, text) {
    const language = path?.endsWith(".json") ? [json()] : path ? [yaml()] : [];
    const kind = path ? schemaFor(path) : null;
    return EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        indentUnit.of("  "),
        search({ top: true }),
        lintGutter(),
        autocompletion({ override: kind ? [(context) => this.complete(context, kind)] : [] }),
        hoverTooltip((view, pos) => this.hover(view, pos, kind)),
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap]),
        EditorState.readOnly.of(path === null),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && this.path !== null) this.onChange(update.state.doc.toString());
        }),
        ...language,
      ],
    });
  }

  /** The open file's text. */
  get text() {
    return this.view.state.doc.toString();
  }

  /** Forgets every file's history (a new library). */
  reset() {
    this.states.clear();
  }

  /** Shows a file; `text` is null when no file is open. A file opened before keeps its history
   * unless its text changed meanwhile. */
  open(path, text) {
    if (this.path !== null) this.states.set(this.path, this.view.state);
    this.path = text === null ? null : path;
    this.pathLabel.textContent = path ?? "";
    const kept = this.states.get(path);
    const state = kept && kept.doc.toString() === text ? kept : this.create(this.path, text ?? "");
    this.view.setState(state);
    this.view.dom.dataset.path = path ?? "";
  }

  /** Replaces the diagnostics of the open file: underlines at their UTF-16 ranges — the
   * offending value's own range when the diagnostic has one (`value`), else the key's (the whole
   * line's first character for a file-level one) — and the list under the editor. */
  setDiagnostics(diagnostics) {
    const length = this.view.state.doc.length;
    const marks = diagnostics.map((d) => {
      const { from, to } = underlined(d, length);
      return { from, to, severity: d.severity, source: d.code, message: d.message };
    });
    this.view.dispatch(setDiagnostics(this.view.state, marks));
    this.problems.replaceChildren(
      ...diagnostics.map((d) => {
        const li = document.createElement("li");
        li.className = d.severity;
        li.dataset.line = String(d.line);
        li.innerHTML = `${d.line}:${d.column} <span class="code-name">${d.severity}[${escapeHtml(d.code)}]</span> ${escapeHtml(d.message)}`;
        li.addEventListener("click", () => this.reveal(d));
        return li;
      }),
    );
  }

  /** Puts the selection on a diagnostic's range and scrolls to it. */
  reveal(d) {
    const { from, to } = underlined(d, this.view.state.doc.length);
    this.view.dispatch({
      selection: { anchor: from, head: to },
      scrollIntoView: true,
    });
    this.view.focus();
  }

  /** Field names the schema allows where the caret is (YAML and TOON block syntax, JSON). */
  async complete(context, kind) {
    if (this.path?.endsWith(".json")) return this.completeJson(context, kind);
    const word = context.matchBefore(/[A-Za-z_$][\w$]*/);
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (!/^\s*(- )?[\w$]*$/.test(before)) return null; // only where a key is written
    if (!word && !context.explicit) return null;
    const fields = await fieldsAt(kind, linesAbove(context.state, line.number), before);
    if (!fields.length) return null;
    return {
      from: word ? word.from : context.pos,
      options: fields.map((f) => ({ label: f.name, type: "property", detail: f.type, info: f.description, apply: `${f.name}: ` })),
      validFor: /^[\w$]*$/,
    };
  }

  /** In JSON: the fields of the object whose key is being written, applied as `"name": `. */
  async completeJson(context, kind) {
    const at = jsonKeyAt(context.state.sliceDoc(0, context.pos));
    if (!at || (!at.typed && !at.quoted && !context.explicit)) return null;
    const fields = await fieldsAtPath(kind, at.path);
    if (!fields.length) return null;
    return {
      from: context.pos - at.typed.length - (at.quoted ? 1 : 0),
      options: fields.map((f) => ({
        label: `"${f.name}"`,
        type: "property",
        detail: f.type,
        info: f.description,
        apply: `"${f.name}": `,
      })),
      validFor: /^"?[\w$]*$/,
    };
  }

  /** A field's type and description when the pointer rests on its key. */
  hover(view, pos, kind) {
    if (!kind) return null;
    const line = view.state.doc.lineAt(pos);
    const m = line.text.match(/^(\s*(?:- )?)([\w$]+)(\[\d+\])?\s*:/);
    if (!m) return null;
    const from = line.from + m[1].length;
    const to = from + m[2].length;
    if (pos < from || pos > to) return null;
    return {
      pos: from,
      end: to,
      above: true,
      create: () => {
        const dom = document.createElement("div");
        dom.className = "field-help";
        dom.textContent = "…";
        fieldAt(kind, linesAbove(view.state, line.number), m[1], m[2]).then((f) => {
          dom.textContent = f ? `${f.name}: ${f.type}${f.description ? ` — ${f.description}` : ""}` : `${m[2]}: not a field of this object`;
        });
        return { dom };
      },
    };
  }
}

/** The text of the lines above line `number` (1-based), nearest first. */
function linesAbove(state, number) {
  const out = [];
  for (let n = number - 1; n >= 1; n -= 1) out.push(state.doc.line(n).text);
  return out;
}

/** The range a diagnostic underlines in a text of `length` UTF-16 units: its value's, when the
 * value is what is wrong, else its own. */
function underlined(d, length) {
  const range = d.value ?? d;
  const from = Math.min(range.utf16_start, length);
  return { from, to: Math.min(Math.max(range.utf16_end, from), length) };
}
