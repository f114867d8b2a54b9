// Shared by the editor's browser tests: the page served on loopback in headless Chromium, and
// the folder the tests write their screenshots to (git-ignored).
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { start } from "../serve.mjs";

export const results = new URL("../test-results/", import.meta.url);
mkdirSync(results, { recursive: true });

/** A screenshot of `page` as test-results/<name>.png. */
export const screenshot = (page, name) => page.screenshot({ path: new URL(`${name}.png`, results).pathname });

/** Starts the server and Chromium; `open()` gives a fresh page (its own storage) on the editor. */
export async function launch() {
  const server = await start(0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const errors = [];
  return {
    server,
    errors,
    async open({ context } = {}) {
      const ctx = context ?? (await browser.newContext({ viewport: { width: 1500, height: 900 }, acceptDownloads: true }));
      const page = await ctx.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]");
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The open file's text, from the editor itself. */
export const editorText = (page) =>
  page.evaluate(async () => {
    const { EditorView } = await import("codemirror");
    return EditorView.findFromDOM(document.querySelector("#editor .cm-editor")).state.doc.toString();
  });

/** Puts the caret at the end of `line` (1-based) of the open file and focuses the editor. */
export const caretAtEndOf = (page, line) =>
  page.evaluate(async (line) => {
    const { EditorView } = await import("codemirror");
    const view = EditorView.findFromDOM(document.querySelector("#editor .cm-editor"));
    view.dispatch({ selection: { anchor: view.state.doc.line(line).to } });
    view.focus();
  }, line);

/** Selects the open file's whole text and types `text` over it, as an author pasting would. */
export async function replaceText(page, text) {
  await page.click("#editor .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}
