// The code pane in headless Chromium: undo that survives switching files, Tab indenting, search,
// and completion and hover of field names from the definition schemas (YAML and JSON).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { encodePaste } from "../public/paste.js";
import { launch, screenshot, editorText, caretAtEndOf } from "./browser.js";

const activitySchema = JSON.parse(readFileSync(new URL("../../schemas/activity.json", import.meta.url), "utf8"));

let session;
let page;

before(async () => {
  session = await launch();
  page = await session.open();
  await page.click("#load-example");
  await page.waitForSelector("#graph svg");
});

after(async () => {
  await session?.close();
});

const draft = "release-notes/activities/01-draft.yaml";
const workflow = "release-notes/workflow.yaml";

test("each file keeps its own undo history across file switches", async () => {
  await page.click(`#file-list li[data-path='${draft}']`);
  const original = await editorText(page);
  await caretAtEndOf(page, 1);
  await page.keyboard.type("-x");
  await page.click(`#file-list li[data-path='${workflow}']`);
  const workflowText = await editorText(page);
  await caretAtEndOf(page, 1);
  await page.keyboard.type("-y");
  await page.click(`#file-list li[data-path='${draft}']`);
  assert.equal(await editorText(page), original.replace("id: draft", "id: draft-x"));
  await page.keyboard.press("Control+Z");
  assert.equal(await editorText(page), original, "the draft's own edit is undone");
  await page.click(`#file-list li[data-path='${workflow}']`);
  assert.equal(await editorText(page), workflowText.replace(/^(.*)$/m, "$1-y"), "the other file's edit is untouched");
  await page.keyboard.press("Control+Z");
  assert.equal(await editorText(page), workflowText);
  await page.locator("#problems li").waitFor({ state: "detached" });
});

test("Tab indents the line instead of leaving the editor", async () => {
  await page.click(`#file-list li[data-path='${draft}']`);
  const original = await editorText(page);
  await caretAtEndOf(page, 3);
  await page.keyboard.press("Tab");
  const lines = (await editorText(page)).split("\n");
  assert.equal(lines[2], `  ${original.split("\n")[2]}`);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("cm-content")), true);
  await page.keyboard.press("Shift+Tab");
  assert.equal(await editorText(page), original);
});

test("Ctrl+F opens search and finds in the file", async () => {
  await page.click("#editor .cm-content");
  await page.keyboard.press("Control+F");
  const field = page.locator("#editor .cm-search input[name=search]");
  await field.waitFor();
  await field.focus();
  await page.keyboard.type("checkpoints");
  await page.keyboard.press("Enter");
  const selected = await page.evaluate(async () => {
    const { EditorView } = await import("codemirror");
    const view = EditorView.findFromDOM(document.querySelector("#editor .cm-editor"));
    const { from, to } = view.state.selection.main;
    return view.state.sliceDoc(from, to);
  });
  assert.equal(selected, "checkpoints");
  await page.keyboard.press("Escape");
});

test("completion offers the schema's fields where the caret is, hover tells a field's type", async () => {
  await page.click(`#file-list li[data-path='${draft}']`);
  const text = await editorText(page);
  const lines = text.split("\n");
  // Inside a checkpoint (an item of `checkpoints:`): the checkpoint's fields.
  const at = lines.findIndex((l) => /^\s+name:/.test(l) && lines.slice(0, lines.indexOf(l)).some((p) => p.startsWith("checkpoints")));
  await caretAtEndOf(page, at + 1);
  const indent = lines[at].match(/^\s*/)[0];
  await page.keyboard.press("Enter");
  await page.keyboard.press("Home");
  await page.keyboard.type(`${indent}bloc`);
  await page.locator(".cm-tooltip-autocomplete").waitFor();
  const options = await page.$$eval(".cm-tooltip-autocomplete li", (lis) => lis.map((li) => li.textContent));
  const checkpointDef = activitySchema.$defs.Checkpoint;
  assert.ok(checkpointDef?.properties?.blocking, "the schema has Checkpoint.blocking");
  assert.ok(options.some((o) => o.startsWith("blocking")), options.join(", "));
  await screenshot(page, "completion");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Z");
  await page.keyboard.press("Control+Z");

  // Hover on the top-level key `transitions`: its type and the schema's description.
  const key = page.locator("#editor .cm-line", { hasText: /^transitions:/ }).first();
  const box = await key.boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  const help = page.locator(".field-help");
  await help.waitFor();
  await page.waitForFunction(() => document.querySelector(".field-help").textContent !== "…");
  assert.equal(await help.textContent(), `transitions: Transition[] — ${activitySchema.properties.transitions.description}`);
  assert.equal(await editorText(page), text);
});

test("in a JSON file, completion offers the fields of the object the caret is in", async () => {
  const json = await session.open();
  const text = '{\n  "id": "a",\n  "checkpoints": [\n    {\n      "id": "c",\n      \n    }\n  ]\n}\n';
  await json.goto(`${session.server.url}${encodePaste("w/activities/01-a.json", text)}`);
  await json.waitForSelector("body[data-ready=true][data-mode=paste]");
  // Inside the checkpoint (line 6): typing a key offers the checkpoint's fields, applied quoted.
  await caretAtEndOf(json, 6);
  await json.keyboard.type('"bloc');
  await json.locator(".cm-tooltip-autocomplete").waitFor();
  const options = await json.$$eval(".cm-tooltip-autocomplete li", (lis) => lis.map((li) => li.textContent));
  assert.ok(options.some((o) => o.startsWith('"blocking"')), options.join(", "));
  assert.ok(!options.some((o) => o.startsWith('"transitions"')), "not the activity's fields");
  await json.locator(".cm-tooltip-autocomplete li", { hasText: /^"blocking"/ }).click();
  assert.equal((await editorText(json)).split("\n")[5], '      "blocking": ');
  // At the top level: the activity's own fields.
  await caretAtEndOf(json, 2);
  await json.keyboard.type('\n  "tran');
  await json.locator(".cm-tooltip-autocomplete").waitFor();
  const top = await json.$$eval(".cm-tooltip-autocomplete li", (lis) => lis.map((li) => li.textContent));
  assert.ok(top.some((o) => o.startsWith('"transitions"')), top.join(", "));
  await screenshot(json, "json-completion");
  await json.context().close();
});

test("the page raised no errors", () => {
  assert.deepEqual(session.errors, []);
});
