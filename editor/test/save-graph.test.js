// Keeping work and reading the graph, in headless Chromium: an edit survives a reload (autosave),
// Save writes the changed files back to the opened folder (a real directory handle: the page's
// origin-private file system stands in for the folder picker), the .zip download holds the
// library, leaving with unsaved changes asks first; the graph zooms, pans and fits, shows an
// activity's detail on hover and opens its file on click, and a broken workflow never shows
// another workflow's graph. Screenshots go to editor/test-results/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import { launch, screenshot, editorText, replaceText } from "./browser.js";

let session;

before(async () => {
  session = await launch();
});

after(async () => {
  await session?.close();
});

const draft = "release-notes/activities/01-draft.yaml";

test("an edit survives a reload, and the .zip holds the edited library", async () => {
  const page = await session.open();
  await page.click("#load-example");
  await page.waitForSelector("#graph svg");
  await page.click(`#file-list li[data-path='${draft}']`);
  const edited = (await editorText(page)).replace("name: Draft Notes", "name: Draft The Notes");
  await replaceText(page, edited);
  await page.waitForSelector(`#file-list li.dirty[data-path='${draft}']`);
  assert.equal(await page.textContent("#save-state"), "1 unsaved file(s)");
  await page.waitForFunction(() => document.querySelector("#autosave-state").textContent.startsWith("autosaved"));

  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.match(await page.textContent("#autosave-state"), /^restored from the browser's storage/);
  assert.equal(await page.textContent("#editor-path"), draft, "the open file is restored");
  assert.equal(await editorText(page), edited);
  assert.equal(await page.textContent("#save-state"), "1 unsaved file(s)", "still unsaved: it was only autosaved");
  await page.waitForSelector("#graph svg");
  assert.ok((await page.textContent("#graph svg")).includes("Draft The Notes"));

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
  assert.equal(download.suggestedFilename(), "release-notes.zip");
  const zip = unzipSync(readFileSync(await download.path()));
  assert.equal(Object.keys(zip).length, 11);
  assert.equal(strFromU8(zip[`release-notes/${draft}`]), edited);
  assert.equal(await page.textContent("#save-state"), "", "saved");
  assert.equal(await page.locator("#file-list li.dirty").count(), 0);
  await screenshot(page, "saved");
  await page.context().close();
});

test("Save writes the changed files back to the opened folder", async () => {
  const page = await session.open();
  // The folder the user "picks": a real directory handle, filled with the example library.
  const example = await (await fetch(`${session.server.url}examples/release-notes.json`)).json();
  await page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory();
    for (const [path, text] of Object.entries(files)) {
      let dir = root;
      const parts = path.split("/");
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const w = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable();
      await w.write(text);
      await w.close();
    }
    window.showDirectoryPicker = async () => root;
  }, example);
  await page.click("#open-folder");
  await page.waitForSelector("#graph svg");
  assert.equal(await page.textContent("#save"), "Save to folder");
  assert.equal(await page.textContent("#totals"), "0 error(s), 0 warning(s) in 11 file(s)");

  await page.click(`#file-list li[data-path='${draft}']`);
  const edited = (await editorText(page)).replace("name: Draft Notes", "name: Written Back");
  await replaceText(page, edited);
  await page.waitForSelector("body[data-dirty=true]");
  await page.keyboard.press("Control+S");
  await page.waitForSelector("body[data-dirty=false]");
  assert.equal(await page.textContent("#autosave-state"), "wrote 1 file(s) to /");
  const onDisk = await page.evaluate(async (path) => {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split("/");
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
    return (await (await dir.getFileHandle(parts.at(-1))).getFile()).text();
  }, draft);
  assert.equal(onDisk, edited);
  await page.context().close();
});

test("leaving with unsaved changes asks first", async () => {
  const page = await session.open();
  await page.click("#load-example");
  await page.click(`#file-list li[data-path='${draft}']`);
  await page.click("#editor .cm-content");
  await page.keyboard.type("# note\n");
  await page.waitForSelector("body[data-dirty=true]");
  const dialog = new Promise((resolve) => page.once("dialog", resolve));
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  assert.equal(asked.type(), "beforeunload");
  await asked.accept();
  await page.context().close();
});

/** The graph's view box as numbers. */
const viewBox = (page) => page.$eval("#graph svg", (svg) => svg.getAttribute("viewBox").split(/[ ,]+/).map(Number));

test("the graph zooms, pans and fits; hover shows an activity's detail, a click opens its file", async () => {
  const page = await session.open();
  await page.click("#load-workflows");
  await page.selectOption("#workflow", "work-package");
  await page.waitForSelector("#graph[data-workflow=work-package] svg");
  const fit = await viewBox(page);
  assert.equal(await page.getAttribute("#graph", "data-zoom"), "100");
  await screenshot(page, "graph-fit");

  await page.click("#zoom-in");
  await page.click("#zoom-in");
  assert.equal(await page.getAttribute("#graph", "data-zoom"), "156");
  const zoomed = await viewBox(page);
  assert.ok(Math.abs(zoomed[2] - fit[2] / 1.5625) < 0.01, `${zoomed} vs ${fit}`);

  // The wheel zooms about the pointer; a drag pans by the distance moved.
  const box = await page.locator("#graph").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 60);
  await page.mouse.wheel(0, -100);
  await page.waitForFunction(() => Number(document.querySelector("#graph").dataset.zoom) > 156);
  assert.ok(Math.abs((await viewBox(page))[2] - zoomed[2] / 1.2) < 0.01, "one wheel step zooms by 1.2");
  const beforePan = await viewBox(page);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 120, box.y + 160, { steps: 4 });
  await page.mouse.up();
  const panned = await viewBox(page);
  const scale = beforePan[2] / (await page.$eval("#graph svg", (svg) => svg.clientWidth));
  assert.ok(Math.abs(panned[0] - (beforePan[0] + 120 * scale)) < 0.5, `${panned} after ${beforePan}`);
  assert.ok(Math.abs(panned[1] - (beforePan[1] - 100 * scale)) < 0.5, `${panned} after ${beforePan}`);
  await screenshot(page, "graph-zoomed");

  await page.click("#zoom-fit");
  assert.deepEqual(await viewBox(page), fit);

  // Each activity node carries its detail; checkpoints are counted in the node, told in full in the tooltip.
  const preview = await page.evaluate(async () => {
    const { preview } = await import("workflow-server-wasm");
    const files = await (await fetch("/examples/workflows.json")).json();
    return preview(files, "work-package").graph;
  });
  const withCheckpoints = preview.activities.find((a) => a.checkpoints.length > 0);
  const node = page.locator(`#graph g.node[data-activity='${withCheckpoints.id}']`);
  const tooltip = await node.locator("title").textContent();
  for (const c of withCheckpoints.checkpoints) {
    assert.ok(tooltip.includes(`◆ checkpoint ${c.id}`), tooltip);
    assert.ok(tooltip.includes(c.message), tooltip);
    for (const o of c.options) assert.ok(tooltip.includes(`${o.id}: ${o.label}`), tooltip);
  }
  const label = await node.locator(".label").textContent();
  assert.ok(label.includes(withCheckpoints.name), label);
  assert.ok(!label.includes(withCheckpoints.checkpoints[0].message), `the node is not crammed with detail: ${label}`);
  await node.click();
  assert.equal(await page.textContent("#editor-path"), withCheckpoints.file);
  await page.context().close();
});

test("a broken workflow shows its own last graph, never another workflow's", async () => {
  const page = await session.open();
  await page.click("#load-workflows");
  await page.selectOption("#workflow", "code-review");
  await page.waitForSelector("#graph[data-workflow=code-review] svg");

  // Break bug-triage while code-review is shown, then switch to it: no graph of code-review.
  const triage = await page.$$eval("#file-list li", (lis) => lis.map((li) => li.dataset.path).find((p) => p.startsWith("bug-triage/workflow.")));
  await page.click(`#file-list li[data-path='${triage}']`);
  assert.equal(await page.inputValue("#workflow"), "bug-triage", "the graph follows the file being edited");
  await page.waitForSelector("#graph[data-workflow=bug-triage] svg");
  const good = await editorText(page);
  await replaceText(page, good.replace(/^version: .*$/m, "version: 2"));
  await page.waitForSelector("#graph-status[data-code=workflow_broken]");
  assert.equal(await page.getAttribute("#graph", "data-stale"), "true");
  assert.match(await page.textContent("#graph-status"), /showing this workflow's last valid graph\.$/);
  assert.equal(await page.getAttribute("#graph", "data-workflow"), "bug-triage");

  await page.selectOption("#workflow", "code-review");
  await page.waitForFunction(() => document.querySelector("#graph").dataset.workflow === "code-review" && document.querySelector("#graph svg"));
  await page.selectOption("#workflow", "bug-triage");
  await page.waitForSelector("#graph-status[data-code=workflow_broken]");
  assert.equal(await page.locator("#graph svg").count(), 0, "code-review's graph is not shown for bug-triage");
  assert.doesNotMatch(await page.textContent("#graph-status"), /last valid graph/);
  await screenshot(page, "graph-broken");

  await replaceText(page, good);
  await page.waitForSelector("#graph[data-workflow=bug-triage] svg");
  assert.equal(await page.getAttribute("#graph", "data-stale"), "false");
  await page.context().close();
});

test("the pages raised no errors", () => {
  assert.deepEqual(session.errors, []);
});
