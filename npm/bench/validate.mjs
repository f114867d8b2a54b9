// wasm `validate` against the same function compiled natively, on the repository's workflows/
// folder and on a larger library made of copies of it; and the size of the shipped module.
//
// Usage (after npm/build.sh): node bench/validate.mjs
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { validate } from "workflow-server-wasm";
import { readLibrary, repo, workflowsDir } from "../scripts/read-library.mjs";

/** The library with each workflow but meta copied `copies` times under new ids. */
function enlarged(files, copies) {
  const out = { ...files };
  for (let k = 1; k <= copies; k++) {
    for (const [path, text] of Object.entries(files)) {
      const [wf, ...rest] = path.split("/");
      if (wf === "meta" || rest.length === 0) continue;
      const id = `${wf}-copy${k}`;
      const body = /^workflow\./.test(rest.join("/")) ? text.replace(`id: ${wf}\n`, `id: ${id}\n`) : text;
      out[`${id}/${rest.join("/")}`] = body;
    }
  }
  return out;
}

/** The fastest of `rounds` rounds: the machine is shared, and the minimum is the least noisy. */
const rounds = 5;

function timeWasm(files, iterations) {
  for (let i = 0; i < 3; i++) validate(files);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) validate(files);
    best = Math.min(best, (performance.now() - start) / iterations);
  }
  return best;
}

function timeNative(files, iterations) {
  const out = execFileSync(
    "cargo",
    ["run", "--quiet", "--release", "-p", "workflow-wasm", "--example", "validate_native"],
    { cwd: repo, input: JSON.stringify({ files, iterations }), encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return JSON.parse(out);
}

function timeNativeBest(files, iterations) {
  const runs = Array.from({ length: rounds }, () => timeNative(files, iterations));
  return { ...runs[0], ms_per_iteration: Math.min(...runs.map((r) => r.ms_per_iteration)) };
}

const library = readLibrary(workflowsDir);
const rows = [];
for (const [name, files, iterations] of [
  ["workflows/", library, 100],
  ["workflows/ ×8", enlarged(library, 7), 20],
]) {
  const count = Object.keys(files).length;
  const diagnostics = validate(files).length;
  const native = timeNativeBest(files, iterations);
  if (native.diagnostics !== diagnostics) throw new Error(`native found ${native.diagnostics} diagnostics, wasm ${diagnostics}`);
  const wasm = timeWasm(files, iterations);
  rows.push({ library: name, files: count, diagnostics, "native ms": native.ms_per_iteration.toFixed(2), "wasm ms": wasm.toFixed(2), ratio: (wasm / native.ms_per_iteration).toFixed(2) });
}
console.table(rows);

const wasm = readFileSync(new URL("../dist/workflow_wasm_bg.wasm", import.meta.url));
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`workflow_wasm_bg.wasm: ${kib(wasm.length)} raw, ${kib(gzipSync(wasm, { level: 9 }).length)} gzipped`);
