// The CodeMirror 6 modules the page uses, bundled into one ES module by serve.mjs (esbuild) and
// served as /vendor/codemirror.js: CodeMirror's packages import each other by bare name, which
// a page cannot resolve without a bundler.
export { EditorState, Compartment } from "@codemirror/state";
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, hoverTooltip } from "@codemirror/view";
export { defaultKeymap, history, historyKeymap, indentWithTab, undo, undoDepth } from "@codemirror/commands";
export { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, indentUnit } from "@codemirror/language";
export { search, searchKeymap, highlightSelectionMatches, openSearchPanel } from "@codemirror/search";
export { autocompletion, completionKeymap, closeBrackets, startCompletion } from "@codemirror/autocomplete";
export { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
export { yaml } from "@codemirror/lang-yaml";
export { json } from "@codemirror/lang-json";
