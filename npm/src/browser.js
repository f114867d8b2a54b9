// The package in browsers and bundlers: the module is fetched from beside this file (bundlers
// rewrite the URL) and instantiated before the import resolves.
import init from "./workflow_wasm.js";

await init({ module_or_path: new URL("./workflow_wasm_bg.wasm", import.meta.url) });

export {
  validate,
  preview,
  convert,
  evaluateCondition,
  composeDispatchPackage,
  Engine,
} from "./workflow_wasm.js";
