// Rewrites the wasm-bindgen declarations (dist/workflow_wasm.d.ts) into the package's own:
//
// * the loader section (`InitInput`, `initSync`, the default `init`) is dropped: the entry points
//   load the module themselves, and its types (`RequestInfo`, `Response`) exist only in the DOM
//   library, which a Node project does not have;
// * `Engine.call` is typed per tool (`ToolArgs[T]` in, `ToolCall<T>` out) instead of taking any
//   tool name with any arguments.
//
// Fails when the generated text no longer has the expected shape, so a wasm-bindgen upgrade
// cannot silently drop the typing.
//
// Usage: node declarations.mjs <dist folder>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const file = join(process.argv[2] ?? "dist", "workflow_wasm.d.ts");
let text = readFileSync(file, "utf8");

const loader = text.indexOf("export type InitInput");
if (loader < 0) throw new Error(`${file}: no loader section (export type InitInput) to drop`);
text = text.slice(0, loader).trimEnd() + "\n";

const untyped = /^( *)call\(tool: ToolName, args\?: Record<string, unknown>\): CallResult;$/m;
if (!untyped.test(text)) throw new Error(`${file}: Engine.call's generated signature was not found`);
text = text.replace(untyped, "$1call<T extends ToolName>(tool: T, args: ToolArgs[T]): ToolCall<T>;");

// `ToolCall` and `_meta`'s types are the package's own (meta.d.ts).
text = `import type { ToolCall } from "./meta.js";\n${text}`;

writeFileSync(file, text);
console.log(`declarations.mjs: ${file} rewritten`);
