// The types of what format.js gives both entry points' users (its other exports are internal).
import type { Diagnostic, WorkflowError } from "./workflow_wasm.js";

/** Whether `error` was thrown by the package: narrows a `catch` clause's `unknown` to `WorkflowError`. */
export function isWorkflowError(error: unknown): error is WorkflowError;

/** The diagnostics as `workflow-server validate` prints them: one `file:line:column: severity[code]: message` line each. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string;
