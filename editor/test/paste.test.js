// Paste-one-file mode in headless Chromium: a link with the file in its fragment opens it and
// shows its diagnostics at once; typing keeps the address a link to the current text; the link
// opened in a fresh browser shows the same file, and the library autosave is left alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { encodePaste, decodePaste } from "../public/paste.js";
import { launch, screenshot, editorText } from "./browser.js";

let session;

before(async () => {
  session = await launch();
});

after(async () => {
  await session?.close();
});

test("the fragment round-trips any text", () => {
  const text = "id: caf\u00e9 \u{1F600}\n".repeat(5000);
  assert.deepEqual(decodePaste(encodePaste("a/workflow.yaml", text)), { path: "a/workflow.yaml", text });
  assert.equal(decodePaste("#paste=not-deflate"), null);
  assert.equal(decodePaste("#other"), null);
});

test("a shared link opens the file with its diagnostics; typing updates the link", async () => {
  const page = await session.open();
  const text = "id: hello\nversion: 1\ntitle: Hello\ninitialActivity: greet\n";
  await page.goto(`${session.server.url}${encodePaste("hello/workflow.yaml", text)}`);
  await page.waitForSelector("body[data-ready=true][data-mode=paste]");
  assert.equal(await page.textContent("#editor-path"), "hello/workflow.yaml");
  assert.equal(await editorText(page), text);
  await page.locator('#problems li.error[data-line="2"]').waitFor();
  assert.match(await page.textContent("#problems"), /wrong_type.*'version' must be a string but is a number/);

  await page.click("#editor .cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("description: typed\n");
  await page.waitForFunction(() => location.hash.length > 10);
  const hash = await page.evaluate(() => location.hash);
  assert.deepEqual(decodePaste(hash), { path: "hello/workflow.yaml", text: `${text}description: typed\n` });
  assert.equal(await page.getAttribute("body", "data-dirty"), "false", "nothing to lose: the link holds it");
  await screenshot(page, "paste");
  const link = await page.evaluate(() => location.href);

  // Another browser (fresh storage) opens the link: the same file, nothing from storage.
  const other = await session.open();
  await other.goto(link);
  await other.waitForSelector("body[data-ready=true][data-mode=paste]");
  assert.equal(await editorText(other), `${text}description: typed\n`);
  assert.equal(await other.evaluate(() => localStorage.length), 0, "paste mode does not autosave");
  await other.context().close();
  await page.context().close();
});

test("Share link gives a link to the open file of a library", async () => {
  const page = await session.open();
  await page.click("#load-example");
  await page.click("#file-list li[data-path='release-notes/activities/01-draft.yaml']");
  await page.click("#share");
  const link = await page.inputValue("#share-link");
  const shared = decodePaste(new URL(link).hash);
  assert.equal(shared.path, "release-notes/activities/01-draft.yaml");
  assert.equal(shared.text, await editorText(page));
  await page.context().close();
});

test("the pages raised no errors", () => {
  assert.deepEqual(session.errors, []);
});
