// The CLI's text output, shared by both entry points.

/**
 * The diagnostics as `workflow-server validate` prints them (its standard output): one
 * `file:line:column: severity[code]: message` line each, in the order given.
 */
export function formatDiagnostics(diagnostics) {
  if (!Array.isArray(diagnostics)) {
    throw workflowError("invalid_argument", "formatDiagnostics takes the array validate() returns");
  }
  return diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}\n`)
    .join("");
}

/** An `Error` shaped like the ones the module throws: named `WorkflowError`, with a `code`. */
export function workflowError(code, message) {
  const error = new Error(message);
  error.name = "WorkflowError";
  error.code = code;
  return error;
}

/** Whether `error` is one the package threw: narrows a `catch` to `WorkflowError`. */
export function isWorkflowError(error) {
  return error instanceof Error && error.name === "WorkflowError" && typeof error.code === "string";
}

/** Hidden entries (`.git`, `.DS_Store`) are skipped, as the CLI skips them. */
export const isHidden = (name) => name.startsWith(".");
