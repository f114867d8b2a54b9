// Fails when a WebAssembly module imports from the module "env": such imports are C symbols
// (libc, an unsupported getrandom backend, …) that no browser or Node provides, so the package
// would fail to load for its users.
//
// Usage: node check-imports.mjs <file.wasm>
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check-imports.mjs <file.wasm>");
  process.exit(2);
}
const module = new WebAssembly.Module(readFileSync(file));
const fromEnv = WebAssembly.Module.imports(module).filter((i) => i.module === "env");
if (fromEnv.length > 0) {
  console.error(`${file} imports from "env", which no JavaScript host provides:`);
  for (const i of fromEnv) console.error(`  env.${i.name} (${i.kind})`);
  process.exit(1);
}
console.log(`${file}: no imports from "env"`);
