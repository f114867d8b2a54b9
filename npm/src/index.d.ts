// The types come from the wasm-bindgen declarations, which embed the types generated from the
// Rust types (crates/wasm/generated/types.d.ts).
import type { CallResult, ToolArgs, ToolName, ToolResults } from "./workflow_wasm.js";

export type * from "./workflow_wasm.js";
export {
  validate,
  preview,
  convert,
  evaluateCondition,
  composeDispatchPackage,
  Engine,
} from "./workflow_wasm.js";

declare module "./workflow_wasm.js" {
  interface Engine {
    /** Runs `tool`; its arguments and structured result are typed by the tool's schemas. */
    call<T extends ToolName>(tool: T, args: ToolArgs[T]): CallResult & { structured: ToolResults[T] };
  }
}
