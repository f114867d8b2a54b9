// The package in Node: the module is read from the package folder and instantiated
// synchronously, so every function is ready as soon as the import resolves.
import { readFileSync } from "node:fs";
import { initSync } from "./workflow_wasm.js";

initSync({ module: readFileSync(new URL("./workflow_wasm_bg.wasm", import.meta.url)) });

export {
  validate,
  preview,
  convert,
  evaluateCondition,
  composeDispatchPackage,
  Engine,
} from "./workflow_wasm.js";
