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
  assert.ok(files.every((f) => f.startsWith("dist/") || ["package.json", "README.md"].includes(f)), files.join(", "));

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
  const tsc = join(pkgDir, "node_modules", "typescript", "bin", "tsc");
  run(
    "node",
    [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,esnext.disposable,dom", "--skipLibCheck", "false", "use.ts"],
    project,
  );
  assert.deepEqual(readdirSync(join(project, "node_modules", "workflow-server-wasm", "dist")).includes("index.d.ts"), true);
});

// The size budget, held here so a dependency that bloats the module fails CI rather than
// surfacing in the next benchmark report. Sizes are deterministic for a given toolchain.
test("the shipped module stays under 1 MB gzipped", () => {
  const wasm = readFileSync(join(pkgDir, "dist", "workflow_wasm_bg.wasm"));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzipped < 1_000_000, `workflow_wasm_bg.wasm is ${gzipped} bytes gzipped (${wasm.length} raw)`);
});
