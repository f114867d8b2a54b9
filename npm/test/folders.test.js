// The package's own folder reader, bytes input, the CLI's text format and errors at the API edge,
// each compared with the native CLI on the same folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validate, formatDiagnostics, readFolder, isWorkflowError, Engine, preview } from "workflow-server-wasm";
import { workflowsDir, exampleDir, nativeCli } from "../scripts/read-library.mjs";

/** `workflow-server validate` on `dir`: its stdout, stderr and exit code; null when not built.
 * The binary is the release build, or WORKFLOW_SERVER_BIN. */
function cli(t, dir, format) {
  const bin = process.env.WORKFLOW_SERVER_BIN ?? nativeCli();
  if (!existsSync(bin)) {
    if (process.env.REQUIRE_NATIVE) assert.fail(`${bin} is missing; build it with cargo build --release -p workflow-server`);
    t.skip(`${bin} not built`);
    return null;
  }
  try {
    return { stdout: execFileSync(bin, ["validate", "--format", format, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }), status: 0 };
  } catch (e) {
    return { stdout: e.stdout, stderr: e.stderr, status: e.status };
  }
}

/** A scratch copy of the example library with the defects the CLI reads from disk. */
function scratchLibrary(t) {
  const parent = mkdtempSync(join(tmpdir(), "workflow-wasm-folder-"));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const root = join(parent, "workflows");
  cpSync(fileURLToPath(exampleDir), root, { recursive: true });
  // Not UTF-8: a Latin-1 "é" in a title.
  writeFileSync(join(root, "release-notes/resources/02-latin1.md"), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
  writeFileSync(join(root, "release-notes/activities/03-broken.yaml"), Buffer.from("id: broken\nname: Caf\xe9\n", "latin1"));
  // Skipped as the CLI skips them: hidden entries and symbolic links.
  mkdirSync(join(root, ".git"));
  writeFileSync(join(root, ".git/config"), "not a workflow");
  writeFileSync(join(root, "release-notes/.notes.yaml"), "id: [");
  symlinkSync(join(root, "release-notes/workflow.yaml"), join(root, "release-notes/activities/04-link.yaml"));
  return { parent, root };
}

test("readFolder reads what the CLI reads: same diagnostics, same text output", (t) => {
  const { root } = scratchLibrary(t);
  const files = readFolder(root);
  assert.ok(Object.values(files).every((v) => v instanceof Uint8Array));
  assert.ok(!Object.keys(files).some((p) => p.includes(".git") || p.includes(".notes") || p.includes("04-link")));
  const diagnostics = validate(files);
  // Invalid UTF-8 is a syntax error at the first bad byte, not an id mismatch at 1:1.
  const broken = diagnostics.find((d) => d.file === "release-notes/activities/03-broken.yaml");
  assert.deepEqual([broken.code, broken.line, broken.column], ["syntax", 2, 10]);
  const json = cli(t, root, "json");
  if (!json) return;
  assert.deepEqual(diagnostics, JSON.parse(json.stdout));
  const text = cli(t, root, "text");
  assert.equal(formatDiagnostics(diagnostics), text.stdout);
  assert.equal(text.status, 1);
});

test("readFolder takes a file URL and reads the repository's library like the CLI", (t) => {
  const files = readFolder(workflowsDir);
  const json = cli(t, fileURLToPath(workflowsDir), "json");
  if (!json) return;
  assert.deepEqual(validate(files), JSON.parse(json.stdout));
});

test("a root one level too high is a warning that says so, as in the CLI", (t) => {
  const { parent } = scratchLibrary(t);
  const diagnostics = validate(readFolder(parent));
  assert.deepEqual(diagnostics.map((d) => d.code), ["no_workflow_file"]);
  assert.match(diagnostics[0].message, /the paths start one level too high; use the folder 'workflows' itself as the workflows root \(drop the 'workflows\/' prefix\)$/);
  const json = cli(t, parent, "json");
  if (!json) return;
  assert.deepEqual(diagnostics, JSON.parse(json.stdout));
});

test("bytes and text give the same diagnostics for valid UTF-8", () => {
  const text = { "w/workflow.yaml": "id: w\ntitle: Caf\u00e9 \u{1F600}\nversion: 1\n" };
  const bytes = { "w/workflow.yaml": new TextEncoder().encode(text["w/workflow.yaml"]) };
  assert.deepEqual(validate(bytes), validate(text));
  const example = readFolder(exampleDir);
  assert.equal(preview(example, "release-notes").status, "ok");
});

test("bad arguments are WorkflowErrors with codes, not TypeErrors", (t) => {
  const cases = [
    [() => validate(null), /^files must be an object mapping each path/],
    [() => validate(["w/workflow.yaml"]), /^files must be an object/],
    [() => validate({ "w/workflow.yaml": 42 }), /^files\['w\/workflow\.yaml'\] must be a string or a Uint8Array/],
    [() => new Engine({}), /^key must be a Uint8Array of 32 bytes/],
    [() => new Engine({}, "secret"), /^key must be a Uint8Array of 32 bytes/],
    [() => readFolder(join(fileURLToPath(exampleDir), "meta/workflow.yaml")), /is not a folder; pass the workflows root/],
    [() => readFolder(42), /^readFolder takes a folder path/],
    [() => formatDiagnostics("x"), /^formatDiagnostics takes the array/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(isWorkflowError(e), `${e.name}: ${e.message}`);
      assert.equal(e.code, "invalid_argument");
      assert.match(e.message, message);
      return true;
    });
  }
  assert.equal(isWorkflowError(new TypeError("x")), false);
});

/** The `_meta` keys meta.d.ts declares for each tool: [required, optional]. */
function declaredMeta() {
  const source = readFileSync(new URL("../src/meta.d.ts", import.meta.url), "utf8");
  const keys = (type) => {
    const required = new Set();
    const optional = new Set();
    for (const part of type.split("&").map((p) => p.trim())) {
      if (part === "SessionMeta") ["session_token", "validation"].forEach((k) => required.add(k));
      else if (part !== "Record<string, never>") {
        for (const [, name, q] of part.matchAll(/([a-z_]+)(\??):/g)) (q ? optional : required).add(name);
      }
    }
    return [[...required].sort(), [...optional].sort()];
  };
  const start = source.indexOf("export interface ToolMeta {");
  const body = source.slice(start, source.indexOf("\n}", start));
  return Object.fromEntries([...body.matchAll(/^ {2}([a-z_]+): (.*);$/gm)].map(([, tool, type]) => [tool, keys(type)]));
}

test("each tool's _meta has exactly the keys its type declares", () => {
  const declared = declaredMeta();
  let now = 1_000_000;
  const engine = new Engine(readFolder(exampleDir), new Uint8Array(32).fill(3), { now: () => now, minResponseMs: 0 });
  const seen = {};
  const call = (tool, args) => {
    now += 1000;
    const result = engine.call(tool, args);
    seen[tool] ??= [];
    seen[tool].push(Object.keys(result.meta).sort());
    return result;
  };
  call("discover", {});
  call("list_workflows", {});
  call("health_check", {});
  const parent = call("start_session", { workflow_id: "meta", agent_id: "o" });
  const dispatched = call("dispatch_workflow", { workflow_id: "release-notes", parent_session_token: parent.meta.session_token });
  const child = dispatched.structured.client_session_token;
  call("get_workflow_status", { client_session_token: child });
  call("get_workflow_status", { parent_session_token: dispatched.meta.session_token });
  let token = call("get_workflow", { session_token: child }).meta.session_token;
  const moved = call("next_activity", { session_token: token, activity_id: "draft", include_trace_token: true });
  assert.equal(typeof moved.meta.trace_token, "string", "a trace token when asked for");
  token = moved.meta.session_token;
  token = call("get_activity", { session_token: token }).meta.session_token;
  token = call("get_skills", { session_token: token }).meta.session_token;
  token = call("get_skill", { session_token: token, step_id: "collect-changes" }).meta.session_token;
  token = call("get_resource", { session_token: token, resource_index: "01" }).meta.session_token;
  const yielded = call("yield_checkpoint", { session_token: token, checkpoint_id: "draft-review" });
  call("present_checkpoint", { checkpoint_handle: yielded.structured.checkpoint_handle });
  const answered = call("respond_checkpoint", { checkpoint_handle: yielded.structured.checkpoint_handle, option_id: "approve" });
  token = call("resume_checkpoint", { session_token: answered.meta.session_token }).meta.session_token;
  token = call("get_trace", { session_token: token }).meta.session_token;
  call("complete_workflow", { session_token: token });

  assert.deepEqual(Object.keys(seen).sort(), Object.keys(declared).sort(), "every tool was called");
  for (const [tool, calls] of Object.entries(seen)) {
    const [required, optional] = declared[tool];
    for (const keys of calls) {
      for (const k of required) assert.ok(keys.includes(k), `${tool}: _meta.${k} is declared required but missing (${keys})`);
      for (const k of keys) assert.ok(required.includes(k) || optional.includes(k), `${tool}: _meta.${k} is not declared`);
    }
  }
});
