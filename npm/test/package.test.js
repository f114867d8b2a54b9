// The package as a user gets it: `npm pack` the tarball, install it into a scratch project,
// import it by name and call it; then type-check a TypeScript consumer against the installed
// declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("../", import.meta.url));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("the packed tarball installs and works in a scratch project", (t) => {
  const scratch = mkdtempSync(join(tmpdir(), "workflow-wasm-pack-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));

  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", scratch], pkgDir));
  const files = packed[0].files.map((f) => f.path).sort();
  assert.ok(files.includes("dist/workflow_wasm_bg.wasm"), files.join(", "));
  assert.ok(files.every((f) => f.startsWith("dist/") || ["package.json", "README.md", "LICENSE"].includes(f)), files.join(", "));
  assert.ok(files.includes("LICENSE"), files.join(", "));

  const project = join(scratch, "project");
  run("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  const tarball = join(scratch, packed[0].filename);
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], project);

  writeFileSync(
    join(project, "use.mjs"),
    `import { validate } from "workflow-server-wasm";
const diagnostics = validate({ "w/workflow.yaml": "id: w\\nversion: 1.0.0\\ntitle: W\\n" });
console.log(JSON.stringify(diagnostics.map((d) => d.code)));
`,
  );
  assert.equal(run("node", ["use.mjs"], project).trim(), '["no_activities","initial_activity_missing"]');

  writeFileSync(
    join(project, "use.ts"),
    `import { validate, preview, Engine, type Diagnostic, type Preview } from "workflow-server-wasm";
const diagnostics: Diagnostic[] = validate({ "w/workflow.yaml": "id: w" });
const first: "error" | "warning" | undefined = diagnostics[0]?.severity;
let p: Preview | undefined;
try { p = preview({}, "w"); } catch { p = undefined; }
const kinds: string[] = p ? p.graph.edges.map((e) => e.kind) : [];
const engine = new Engine({}, new Uint8Array(32), { now: () => 0, minResponseMs: 0 });
try {
  const started = engine.call("start_session", { workflow_id: "w", agent_id: "a" });
  const token: string = started.structured.session_token;
  console.log(token);
} catch {}
console.log(first, kinds);
`,
  );
  assert.deepEqual(readdirSync(join(project, "node_modules", "workflow-server-wasm", "dist")).includes("index.d.ts"), true);

  // Every README example type-checks as TypeScript, strict, as a Node project without the DOM
  // library: results, `meta` and errors are typed, and nothing needs browser types.
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(examples.length >= 6, `found ${examples.length} examples`);
  const names = examples.map((code, i) => {
    writeFileSync(join(project, `readme-${i + 1}.ts`), code);
    return `readme-${i + 1}.ts`;
  });

  // The browser entry, as a bundler resolves it: the folder readers take DOM values.
  writeFileSync(
    join(project, "page.ts"),
    `import { readFileList, readDirectoryHandle, validate, type Files } from "workflow-server-wasm";
const input = document.querySelector("input")!;
input.addEventListener("change", async () => {
  const files: Files = await readFileList(input.files!);
  const fromHandle: Files = await readDirectoryHandle({} as FileSystemDirectoryHandle);
  console.log(validate(files).length, Object.keys(fromHandle));
});
`,
  );
  tsc(project, ["--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", "page.ts"]);

  // The untyped call is gone: a wrong argument name and an unknown tool are type errors.
  writeFileSync(
    join(project, "wrong.ts"),
    `import { Engine } from "workflow-server-wasm";
const engine = new Engine({}, new Uint8Array(32));
engine.call("start_session", { workflow: "w", agent_id: "a" });
engine.call("no_such_tool", {});
`,
  );
  // One Node-project run for use.ts, the README examples and wrong.ts (tsc is the slow part):
  // the only errors are wrong.ts's two.
  assert.throws(
    () => tsc(project, ["--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022", "--types", "node", "use.ts", ...names, "wrong.ts"]),
    (e) => {
      const errors = e.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
      assert.equal(errors.length, 2, e.stdout);
      assert.match(errors[0], /^wrong\.ts\(3,[0-9]+\): error TS2353/);
      assert.match(errors[1], /^wrong\.ts\(4,[0-9]+\): error TS2345/);
      return true;
    },
  );
});

/** `tsc --noEmit --strict` in `cwd` with the package's own TypeScript and @types/node; throws with tsc's output on errors. */
function tsc(cwd, args) {
  const bin = join(pkgDir, "node_modules", "typescript", "bin", "tsc");
  const typeRoots = join(pkgDir, "node_modules", "@types");
  try {
    return run("node", [bin, "--noEmit", "--strict", "--target", "es2022", "--skipLibCheck", "false", "--typeRoots", typeRoots, ...args], cwd);
  } catch (e) {
    e.message = `tsc ${args.join(" ")}:\n${e.stdout}`;
    throw e;
  }
}

// The size budget, held here so a dependency that bloats the module fails CI rather than
// surfacing in the next benchmark report. Sizes are deterministic for a given toolchain.
test("the shipped module stays under 1 MB gzipped", () => {
  const wasm = readFileSync(join(pkgDir, "dist", "workflow_wasm_bg.wasm"));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzipped < 1_000_000, `workflow_wasm_bg.wasm is ${gzipped} bytes gzipped (${wasm.length} raw)`);
});
