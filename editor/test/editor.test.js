// Drives the editor in headless Chromium as an author would: load the example library, type a
// defect and see its diagnostic at its line, see the activity graph, and save screenshots to
// editor/test-results/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { start } from "../serve.mjs";

const results = new URL("../test-results/", import.meta.url);
mkdirSync(results, { recursive: true });

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await start(0);
  browser = await chromium.launch({
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
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  await page.click("#load-example");
  await page.waitForSelector("#graph svg");
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Moves the caret to the end of `line` (1-based) of the open file. */
async function caretAtEndOf(line) {
  await page.$eval(
    "#text",
    (textarea, line) => {
      const lines = textarea.value.split("\n");
      const offset = lines.slice(0, line).join("\n").length;
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
    },
    line,
  );
}

test("the example loads clean and its graph is drawn", async () => {
  assert.equal(await page.textContent("#totals"), "0 error(s), 0 warning(s) in 11 file(s)");
  const svg = await page.textContent("#graph svg");
  for (const text of ["start", "Draft Notes", "Publish Notes", "approved == true", "end"]) {
    assert.ok(svg.includes(text), `graph shows ${text}: ${svg}`);
  }
  assert.equal(await page.locator("#graph svg .node").count(), 4);
});

test("a defect typed into a file shows its diagnostic at its line", async () => {
  await page.click("#file-list li[data-path='release-notes/activities/01-draft.yaml']");
  await caretAtEndOf(2); // "version: 1.0.0"
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  const lens = page.locator('#mirror .lens.error[data-line="2"]');
  await lens.waitFor();
  assert.equal(await lens.textContent(), "wrong_type: 'version' must be a string but is a number");
  assert.equal(await page.getAttribute("#gutter div:nth-child(2)", "class"), "error");
  assert.equal(
    await page.textContent("#file-list li[data-path='release-notes/activities/01-draft.yaml'] .badge.error"),
    "1",
  );
  assert.equal(await page.getAttribute("#graph-status", "data-code"), "workflow_broken");
  await page.screenshot({ path: new URL("diagnostic.png", results).pathname });

  await page.keyboard.type(".0");
  await page.locator("#mirror .lens").waitFor({ state: "detached" });
  assert.equal(await page.textContent("#totals"), "0 error(s), 0 warning(s) in 11 file(s)");
});

test("the page raised no errors", () => {
  assert.deepEqual(pageErrors, []);
});
