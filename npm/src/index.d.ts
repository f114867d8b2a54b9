// The types come from the wasm-bindgen declarations, which embed the types generated from the
// Rust types (crates/wasm/generated/types.d.ts).
export type * from "./workflow_wasm.js";
export {
  validate,
  preview,
  convert,
  evaluateCondition,
} from "./workflow_wasm.js";
