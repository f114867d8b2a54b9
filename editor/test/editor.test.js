// Drives the editor in headless Chromium as an author would: load the example library, see the
// activity graph, type a defect and see its diagnostic at its line, walk a session through a
// checkpoint, compose a dispatch package; screenshots go to editor/test-results/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, screenshot, caretAtEndOf, editorText } from "./browser.js";

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
  await caretAtEndOf(page, 2); // "version: 1.0.0"
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  const problem = page.locator('#problems li.error[data-line="2"]');
  await problem.waitFor();
  assert.equal(await problem.textContent(), "2:1 error[wrong_type] 'version' must be a string but is a number; until the structure is fixed, the 21 semantic checks of this activity file are skipped");
  // Underlined in the text at the diagnostic's range, marked in the gutter.
  await page.locator("#editor .cm-lintRange-error").waitFor();
  // On the offending value, not on its key.
  assert.equal(await page.locator("#editor .cm-lintRange-error").textContent(), "1.0");
  assert.equal(await page.locator("#editor .cm-lint-marker-error").count(), 1);
  assert.equal(
    await page.textContent("#file-list li[data-path='release-notes/activities/01-draft.yaml'] .badge.error"),
    "1",
  );
  assert.equal(await page.getAttribute("#graph-status", "data-code"), "workflow_broken");
  await screenshot(page, "diagnostic");

  await page.keyboard.type(".0");
  await page.locator("#problems li").waitFor({ state: "detached" });
  assert.match(await editorText(page), /^id: draft\nversion: 1\.0\.0\n/);
  assert.equal(await page.textContent("#totals"), "0 error(s), 0 warning(s) in 11 file(s)");
});

test("a simulated session walks a checkpoint to completion", async () => {
  await page.click("[role=tab][data-tab=session]");
  await page.click("#session-start");
  await page.click('[data-action="enter:draft"]');
  // The current activity is marked; its one transition (approved == true) does not hold yet.
  assert.equal(await page.getAttribute("#graph g.node.current", "data-activity"), "draft");
  assert.equal(await page.locator("#graph path.holds").count(), 0);
  await page.click('[data-action="yield:draft-review"]');
  assert.equal(await page.textContent("#session-actions .question"), "The draft is ready: publish it, or stop here?");
  assert.match(await page.textContent("#session-state"), /^blocked · activity: draft/);
  await screenshot(page, "checkpoint");
  await page.click('[data-action="answer:approve"]');
  assert.match(await page.textContent("#session-state"), /^active · activity: draft · variables: .*"approved":true/);
  // Approved, the transition to publish holds and is marked on the graph.
  assert.equal(await page.locator("#graph path.holds").count(), 1);
  assert.match(await page.getAttribute("#graph path.holds", "id"), /-L_a0_a1_0$/);
  await page.click("[role=tab][data-tab=graph]");
  await screenshot(page, "transition-holds");
  await page.click("[role=tab][data-tab=session]");
  await page.click('[data-action="next:publish"]');
  assert.equal(await page.textContent("#session-log li[data-tool=next_activity]:last-child"), "next_activity → publish");
  await page.click('[data-action="complete"]');
  assert.equal(await page.getAttribute("#session-state", "data-status"), "completed");
  const tools = await page.$$eval("#session-log li", (lis) => lis.map((li) => li.dataset.tool));
  assert.deepEqual(tools, [
    "start_session",
    "next_activity",
    "yield_checkpoint",
    "present_checkpoint",
    "respond_checkpoint",
    "resume_checkpoint",
    "next_activity",
    "complete_workflow",
  ]);
  // The only warning of the walk: release_tag is required and nobody set it.
  const warnings = await page.$$eval("#session-log .warn", (ds) => ds.map((d) => d.textContent));
  assert.deepEqual(warnings, ["warning: Required variable 'release_tag' has no value yet."]);
  await screenshot(page, "session");
});

test("the dispatch tab shows the package", async () => {
  await page.click("[role=tab][data-tab=dispatch]");
  await page.fill("#dispatch-vars", '{"release_tag": "v2.3.0"}');
  await page.click("#compose");
  const text = await page.textContent("#dispatch-out");
  assert.match(text, /^client_session_token: /);
  assert.match(text, /initial_activity: draft/);
  assert.match(text, /You orchestrate Release Notes \(release-notes 1\.0\.0\)/);
});

test("starting variables set in the table reach the session, and the trace exports", async () => {
  await page.click("[role=tab][data-tab=session]");
  const row = page.locator("#session-vars tr[data-name=release_tag]");
  assert.equal(await row.getAttribute("data-source"), "default");
  await page.click("#session-start");
  await row.locator("input").fill('"v2.4.0"');
  await row.locator("input").press("Enter");
  assert.equal(await row.getAttribute("data-source"), "pending");
  await page.click('[data-action="enter:draft"]');
  assert.match(await page.textContent("#session-state"), /variables: .*"release_tag":"v2\.4\.0"/);
  assert.equal(await row.getAttribute("data-source"), "session");
  assert.equal(await row.locator("input").inputValue(), '"v2.4.0"');
  // start_session takes no variables, so it warns; set before the first move, the move does not.
  assert.deepEqual(
    await page.$$eval("#session-log li", (lis) => lis.map((li) => [li.dataset.tool, li.querySelectorAll(".warn").length])),
    [["start_session", 1], ["next_activity", 0]],
  );
  await screenshot(page, "variables");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-trace")]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(exported.workflow, "release-notes");
  assert.deepEqual(
    exported.trace.events.map((e) => e.name ?? e.tool ?? e.t),
    ["start_session", "next_activity"],
    JSON.stringify(exported.trace.events[0]),
  );
  assert.deepEqual(exported.calls.map((c) => c.split(" ")[0]), ["start_session", "next_activity"]);
});

test("the page raised no errors", () => {
  assert.deepEqual(session.errors, []);
});
