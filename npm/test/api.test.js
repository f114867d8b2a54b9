import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  validate,
  preview,
  convert,
  convertLibrary,
  evaluateCondition,
  composeDispatchPackage,
  Engine,
  readFolder,
} from "workflow-server-wasm";
import { readLibrary, workflowsDir, exampleDir, nativeCli } from "../scripts/read-library.mjs";

const library = readLibrary(workflowsDir);
const example = readLibrary(exampleDir);

test("validate gives exactly the native CLI's JSON for the repository's workflows", (t) => {
  const cli = process.env.WORKFLOW_SERVER_BIN ?? nativeCli();
  if (!existsSync(cli)) {
    if (process.env.REQUIRE_NATIVE) assert.fail(`${cli} is missing; build it with cargo build --release -p workflow-server`);
    t.skip(`${cli} not built`);
    return;
  }
  let stdout;
  try {
    stdout = execFileSync(cli, ["validate", "--format", "json", fileURLToPath(workflowsDir)], { encoding: "utf8" });
  } catch (e) {
    stdout = e.stdout; // exit code 1 when the library has errors
  }
  assert.deepEqual(validate(library), JSON.parse(stdout));
});

test("the example library is clean and previews", () => {
  assert.deepEqual(validate(example), []);
  const p = preview(example, "release-notes");
  assert.equal(p.status, "ok");
  assert.equal(p.summary.title, "Release Notes");
  assert.deepEqual(
    p.graph.edges.map((e) => [e.kind, e.from, e.to ?? null]),
    [
      ["transition", "draft", "publish"],
      ["finish", "draft", null],
      ["finish", "publish", null],
    ],
  );
});

test("every workflow of the repository previews", () => {
  for (const id of new Set(Object.keys(library).map((p) => p.split("/")[0]))) {
    if (!library[`${id}/workflow.yaml`] && !library[`${id}/workflow.toon`] && !library[`${id}/workflow.json`]) continue;
    const p = preview(library, id);
    assert.equal(p.summary.id, id);
    assert.ok(p.mermaid.startsWith("flowchart TD\n"));
    assert.equal(p.graph.activities.length, p.summary.activities.length);
  }
});

test("preview errors carry codes", () => {
  // Not the engine's advice to agents (call list_workflows): what the files hold.
  assert.throws(() => preview(example, "nope"), {
    name: "WorkflowError",
    code: "workflow_not_found",
    message: "Workflow not found: nope; the files hold the workflows: meta, release-notes",
  });
  assert.throws(() => composeDispatchPackage(example, "nope"), {
    code: "workflow_not_found",
    message: "Workflow not found: nope; the files hold the workflows: meta, release-notes",
  });
  const withoutMeta = Object.fromEntries(Object.entries(example).filter(([p]) => !p.startsWith("meta/")));
  assert.throws(() => composeDispatchPackage(withoutMeta, "release-notes"), {
    code: "workflow_not_found",
    message: "Workflow not found: meta; the files hold the workflows: release-notes",
  });
  assert.throws(() => preview({}, "w"), {
    message: "Workflow not found: w; the files hold the workflows: none (a workflow is a folder with a workflow.yaml, .toon or .json)",
  });
  const broken = { ...example, "release-notes/activities/01-draft.yaml": "id: draft\n" };
  assert.throws(() => preview(broken, "release-notes"), (e) => {
    assert.equal(e.code, "workflow_broken");
    assert.match(e.message, /^Workflow 'release-notes' is broken and cannot be started: release-notes\/activities\/01-draft\.yaml:1:1: /);
    return true;
  });
});

test("the library converted by convertLibrary validates the same, and as the CLI's migrate writes it", (t) => {
  const cli = process.env.WORKFLOW_SERVER_BIN ?? nativeCli();
  const codes = (ds) => ds.map((d) => `${d.severity}:${d.code}`).sort();
  for (const target of ["toon", "json", "yaml"]) {
    const converted = convertLibrary(library, target);
    assert.deepEqual(codes(validate(converted.files)), codes(validate(library)), `as ${target}`);
    assert.ok(Object.keys(converted.renamed).length > 0);
    for (const path of Object.keys(converted.files)) {
      const ext = path.match(/\.(toon|yaml|yml|json)$/)?.[1];
      if (ext && !path.startsWith("README")) assert.equal(ext === "yml" ? "yaml" : ext, target, path);
    }
    if (!existsSync(cli)) continue;
    const out = mkdtempSync(join(tmpdir(), "migrate-"));
    try {
      execFileSync(cli, ["migrate", fileURLToPath(workflowsDir), "--to", target, "--out", join(out, "lib")], { stdio: "pipe" });
      const written = readFolder(join(out, "lib"));
      assert.deepEqual(Object.keys(written).sort(), Object.keys(converted.files).sort(), `${target}: the same files`);
      for (const [path, bytes] of Object.entries(written)) {
        const text = converted.files[path];
        assert.deepEqual(bytes, typeof text === "string" ? new TextEncoder().encode(text) : text, path);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  if (!existsSync(cli)) t.skip(`${cli} not built: compared without the CLI's migrate`);
});

test("arguments of the wrong shape are invalid_argument errors", () => {
  assert.throws(() => validate("not an object"), { code: "invalid_argument" });
  assert.throws(() => validate({ "a/workflow.yaml": 42 }), { code: "invalid_argument" });
  assert.throws(() => convert("a: 1", "xml", "json"), { code: "invalid_argument" });
  assert.throws(() => convertLibrary({}, "xml"), { code: "invalid_argument" });
  assert.throws(() => convertLibrary(null, "json"), { code: "invalid_argument" });
  assert.throws(() => evaluateCondition({ type: "simple" }, {}), { code: "invalid_condition" });
});

test("UTF-16 offsets index JavaScript strings", () => {
  const text = "id: é😀\nversion: 1.0.0\ntitle: T\nbogus: 1\n";
  const [d] = validate({ "w/workflow.yaml": text }).filter((d) => d.code === "unknown_field");
  assert.equal(text.slice(d.utf16_start, d.utf16_end), "bogus");
  assert.equal(d.line, 4);
});

test("the engine takes the caller's key, clock and ids", () => {
  let now = 1_000_000;
  let n = 0;
  const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  const engine = new Engine(example, new Uint8Array(32).fill(1), { now: () => now, uuid, minResponseMs: 0 });
  const started = engine.call("start_session", { workflow_id: "release-notes", agent_id: "a" });
  assert.equal(started.structured.session_id, "00000000-0000-4000-8000-000000000001");
  now += 90_000;
  const health = engine.call("health_check", {});
  assert.equal(health.structured.uptime_seconds, 90);
  assert.deepEqual(
    engine.tools().map((t) => t.name).slice(0, 4),
    ["discover", "list_workflows", "health_check", "start_session"],
  );
  assert.equal(engine.tools().length, 18);
  assert.throws(() => engine.call("nope", {}), { code: "unknown_tool", message: "Unknown tool: nope" });
  assert.throws(() => engine.call("start_session", { workflow_id: "release-notes" }), { code: "invalid_argument" });
});

test("engine arguments are checked", () => {
  assert.throws(() => new Engine(example, new Uint8Array(16)), { code: "invalid_argument" });
  assert.throws(() => new Engine(example, new Uint8Array(32), { now: 5 }), { code: "invalid_argument" });
  assert.throws(() => new Engine(example, new Uint8Array(32), { now: () => "soon" }), { code: "invalid_argument" });
});

test("setFiles reloads under running sessions", () => {
  const engine = new Engine(example, new Uint8Array(32));
  const started = engine.call("start_session", { workflow_id: "release-notes", agent_id: "a" });
  // The initial activity's file: an error there breaks the workflow (one elsewhere only degrades it).
  const broken = { ...example, "release-notes/activities/01-draft.yaml": "id: draft\n" };
  const diagnostics = engine.setFiles(broken);
  assert.ok(diagnostics.some((d) => d.severity === "error"));
  const loaded = engine.call("get_workflow", { session_token: started.meta.session_token });
  assert.deepEqual(loaded.meta.validation.codes, ["serving_last_good"]);
});

test("dispatch packages verify with the key they were signed with", () => {
  const key = new Uint8Array(32).fill(9);
  const pkg = composeDispatchPackage(example, "release-notes", undefined, { key });
  assert.equal(pkg.structured.variables, undefined);
  assert.deepEqual(pkg.meta.validation.codes, ["variable_missing"]);
  // The token verifies under the same key, but its session lived only in the throwaway engine
  // that composed the package: another engine has no record of it.
  const engine = new Engine(example, key);
  assert.throws(
    () =>
      engine.call("start_session", {
        workflow_id: "release-notes",
        agent_id: "child",
        session_token: pkg.structured.client_session_token,
      }),
    { name: "WorkflowError", code: "unknown_session" },
  );
  const stranger = new Engine(example, new Uint8Array(32).fill(8));
  const recovered = stranger.call("start_session", {
    workflow_id: "release-notes",
    agent_id: "child",
    session_token: pkg.structured.client_session_token,
  });
  assert.equal(recovered.structured.recovered, true);
  assert.throws(() => composeDispatchPackage(example, "release-notes", {}, { key: "secret" }), { code: "invalid_argument" });
});
