// `_meta` of each tool's result (docs/protocol.md#successful-results, and each tool's section of
// docs/protocol.md#tools). A test walks a session through every tool and checks the keys each call
// returned against these types.
import type { ToolName, ToolResults, WarningCode } from "./workflow_wasm.js";

/** The warnings of a call (docs/protocol.md#validation-object); always present on tools that take a token or handle. */
export interface Validation {
  status: "valid" | "warning";
  /** Human-readable warnings. */
  warnings: string[];
  /** The stable codes of the same warnings, in the same order. */
  codes: WarningCode[];
}

/** A call that returns a new session token and its warnings. */
export interface SessionMeta {
  session_token: string;
  validation: Validation;
}

/** Each tool's `_meta`. */
export interface ToolMeta {
  discover: Record<string, never>;
  list_workflows: Record<string, never>;
  health_check: Record<string, never>;
  start_session: SessionMeta;
  /** `session_token` is the caller's (the parent's) renewed token; the child's is in the package. */
  dispatch_workflow: SessionMeta;
  /** A token only in token mode (`client_session_token` given); never `validation`. */
  get_workflow_status: { session_token?: string };
  /** `trace_token`, with `include_trace_token: true`: the final segment of the trace. */
  complete_workflow: SessionMeta & { trace_token?: string };
  get_workflow: SessionMeta;
  /** `trace_token`, with `include_trace_token: true`: the segment this move closed. */
  next_activity: SessionMeta & { trace_token?: string };
  get_activity: SessionMeta;
  /** `session_token` is the checkpoint handle. */
  yield_checkpoint: SessionMeta;
  resume_checkpoint: SessionMeta;
  /** No new token. */
  present_checkpoint: { validation: Validation };
  respond_checkpoint: SessionMeta;
  get_skills: SessionMeta;
  get_skill: SessionMeta;
  get_resource: SessionMeta;
  get_trace: SessionMeta;
}

/** What `Engine.call(tool, …)` returns: the structured result, the text agents read and `_meta`. */
export interface ToolCall<T extends ToolName> {
  structured: ToolResults[T];
  text: string;
  meta: T extends keyof ToolMeta ? ToolMeta[T] : Record<string, unknown>;
}
