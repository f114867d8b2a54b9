// Generated from the Rust types by `UPDATE_TYPES=1 cargo test -p workflow-wasm --test types`; do not edit.

/**
 * One problem found in a workflow library, located well enough for an editor to underline it.
 */
export interface Diagnostic {
  severity: Severity;
  code: Code;
  /**
   * What is wrong and how to fix it.
   */
  message: string;
  /**
   * Path relative to the workflows root, `/`-separated.
   */
  file: string;
  /**
   * 1-based line of the start.
   */
  line: number;
  /**
   * 1-based column of the start, in Unicode scalar values.
   */
  column: number;
  end_line: number;
  end_column: number;
  /**
   * UTF-16 offsets of the start and end, for JavaScript editors.
   */
  utf16_start: number;
  utf16_end: number;
  /**
   * JSON pointer to the value concerned (`""` for the whole file).
   */
  pointer: string;
}

export type Severity = "error" | "warning";

export type Code = "syntax" | "duplicate_key" | "missing_field" | "wrong_type" | "invalid_value" | "invalid_id" | "duplicate_id" | "id_mismatch" | "duplicate_file" | "resource_index_collision" | "resource_name_collision" | "unresolved_activity_ref" | "no_activities" | "initial_activity_unknown" | "unknown_default_option" | "auto_advance_without_default" | "condition_value_missing" | "file_too_large" | "too_deep" | "unknown_field" | "server_field" | "initial_activity_missing" | "unknown_transition_target" | "unknown_activity_ref" | "unknown_checkpoint_ref" | "unknown_workflow" | "unknown_artifact_location" | "unresolved_skill" | "unresolved_resource" | "condition_undeclared_variable" | "condition_type" | "condition_value_ignored" | "default_type" | "variable_type" | "variable_undeclared" | "advisory_on_blocking" | "multiple_defaults" | "loop_incomplete" | "mode_variable" | "duplicate_index" | "activity_not_listed" | "estimated_time" | "front_matter_invalid" | "resource_id_mismatch" | "meta_resource_missing" | "file_ignored" | "folder_ignored" | "no_workflow_file" | "unreachable_activity";

export interface Preview {
  /**
   * `ok` or `degraded`: a broken workflow has no definition to preview.
   */
  status: WorkflowStatus;
  summary: Summary;
  graph: Graph;
  /**
   * The graph as a Mermaid flowchart (`flowchart TD`).
   */
  mermaid: string;
  /**
   * The workflow's own diagnostics (warnings, and errors of skill or resource files).
   */
  diagnostics: Diagnostic[];
}

/**
 * A workflow's fitness to be served (protocol.md §6).
 */
export type WorkflowStatus = "ok" | "degraded" | "broken";

/**
 * The summary object of `get_workflow` (protocol.md §7.8), without the session token.
 */
export interface Summary {
  id: string;
  version: string;
  title: string;
  description?: string;
  tags: string[];
  rules: string[];
  variables: Variable[];
  modes: Mode[];
  artifactLocations: Record<string, ArtifactLocation>;
  skills?: WorkflowSkills;
  initialActivity?: string;
  /**
   * Stubs in catalog order.
   */
  activities: ActivityStub[];
}

export interface Variable {
  name: string;
  type: VariableType;
  description?: string;
  /**
   * Seeds every new session's value.
   */
  defaultValue?: unknown;
  /**
   * A value is expected from the start; missing values are warned at start and dispatch.
   */
  required: boolean;
}

export type VariableType = "string" | "number" | "boolean" | "array" | "object";

/**
 * A named variant of the workflow, active while a boolean variable is true.
 */
export interface Mode {
  id: string;
  name: string;
  activationVariable: string;
  description?: string;
  /**
   * Phrases that suggest this mode from the user's request.
   */
  recognition?: string[];
  /**
   * Activities not run in this mode.
   */
  skipActivities?: string[];
  /**
   * Values agents apply when they switch the mode on (the server does not apply them).
   */
  defaults?: Record<string, unknown>;
  /**
   * Guidance document for the mode (a resource reference).
   */
  resource?: string;
}

/**
 * Where artifacts go: a path string, or a path with details.
 */
export type ArtifactLocation = string | ArtifactLocationDetail;

export interface ArtifactLocationDetail {
  /**
   * May contain `{variable}` placeholders that agents fill.
   */
  path: string;
  description?: string;
  gitignored: boolean;
}

export interface WorkflowSkills {
  /**
   * Skill reference (`ID` or `WF/ID`).
   */
  primary: string;
  supporting?: string[];
}

export interface ActivityStub {
  id: string;
  name: string;
  required: boolean;
  /**
   * The file-name index; absent for inline activities.
   */
  artifactPrefix?: string;
}

/**
 * The activities and every way to move between them.
 */
export interface Graph {
  /**
   * The activity a session starts in: `initialActivity`, else the first in catalog order.
   */
  initial?: string;
  activities: GraphActivity[];
  /**
   * Every edge, grouped by activity in catalog order.
   */
  edges: Edge[];
}

export interface GraphActivity {
  id: string;
  name: string;
  required: boolean;
  artifactPrefix?: string;
  /**
   * The file the activity is defined in.
   */
  file: string;
  steps: StepNode[];
  checkpoints: CheckpointNode[];
  decisions: DecisionNode[];
  transitions: TransitionNode[];
  loops: LoopNode[];
  /**
   * Whether the workflow can finish here: no transition is unconditional or default, so when
   * no condition holds agents call `complete_workflow` (formats.md §8.7). Activities with
   * decisions end through their branches instead.
   */
  canFinish: boolean;
}

export interface StepNode {
  id: string;
  name: string;
  /**
   * The checkpoint the worker yields before performing the step.
   */
  checkpoint?: string;
  skill?: string;
  /**
   * Rendered condition under which the step runs.
   */
  condition?: string;
  /**
   * Set when the step is repeated by a loop.
   */
  inLoop?: string;
}

export interface CheckpointNode {
  id: string;
  name: string;
  message: string;
  blocking: boolean;
  required: boolean;
  condition?: string;
  defaultOption?: string;
  options: OptionNode[];
}

export interface OptionNode {
  id: string;
  label: string;
  description?: string;
  /**
   * What choosing the option does to the session.
   */
  effect?: Effect;
}

/**
 * Applied to the session when the option is chosen.
 */
export interface Effect {
  setVariable?: Record<string, unknown>;
  transitionTo?: string;
  skipActivities?: string[];
}

export interface DecisionNode {
  id: string;
  name: string;
  branches: BranchNode[];
}

export interface BranchNode {
  id: string;
  label: string;
  condition?: string;
  /**
   * Absent: the workflow ends on this branch.
   */
  transitionTo?: string;
  isDefault: boolean;
}

export interface TransitionNode {
  to: string;
  /**
   * The canonical rendering, as `next_activity` compares claims with it.
   */
  condition?: string;
  isDefault: boolean;
}

export interface LoopNode {
  id: string;
  name: string;
  kind: LoopKind;
  /**
   * Activities repeated per iteration.
   */
  activities: string[];
}

export type LoopKind = "forEach" | "while" | "doWhile";

/**
 * One way from an activity to another (or to the end).
 */
export interface Edge {
  kind: EdgeKind;
  from: string;
  /**
   * Absent: the workflow ends.
   */
  to?: string;
  /**
   * Rendered condition of a transition or branch.
   */
  condition?: string;
  isDefault: boolean;
  /**
   * The decision, checkpoint or loop the edge belongs to.
   */
  via?: string;
  /**
   * The branch or option.
   */
  choice?: string;
  /**
   * Whether `to` names no activity of the workflow (warned as `unknown_transition_target`).
   */
  dangling: boolean;
  /**
   * What the flowchart writes on the edge.
   */
  label: string;
}

export type EdgeKind = "transition" | "branch" | "option" | "loop" | "finish";

/**
 * The outcome of evaluating a condition on a set of variables (formats.md §7.3).
 */
export interface Evaluation {
  /**
   * The two-valued result.
   */
  value: boolean;
  /**
   * Whether every path the condition reads is present; the server warns only about
   * decidable conditions.
   */
  decidable: boolean;
  /**
   * The canonical one-line rendering (formats.md §7.4), as agents echo it.
   */
  rendered: string;
  /**
   * The paths the condition reads, in reading order.
   */
  variables: string[];
}

/**
 * Why a call failed. The bindings throw it as a JavaScript `Error` whose extra properties are
 * these fields, so callers branch on `code` and editors place decode errors by position.
 */
export interface ApiError {
  /**
   * Stable: a decode code (`syntax`, `duplicate_key`, `too_deep`), `invalid_argument`,
   * `invalid_condition`, `workflow_not_found`, `workflow_broken`, or an engine error code
   * (protocol.md §10) and `unknown_tool`.
   */
  code: string;
  message: string;
  /**
   * Where a decode error is, 1-based; columns count Unicode scalar values.
   */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /**
   * UTF-16 offsets of the error in the input, for JavaScript string indexing.
   */
  utf16Start?: number;
  utf16End?: number;
}

/**
 * A condition as written in a definition. `type` selects the form.
 */
export type Condition = {
  type: "simple";
  /**
   * A path: a variable name, then object keys or array indices, separated by `.`.
   */
  variable: string;
  operator: Operator;
  /**
   * The compared value: a string, number, boolean or null. Absent for
   * `exists`/`notExists`.
   */
  value?: string | number | boolean | null;
} | {
  type: "and";
  conditions: Condition[];
} | {
  type: "or";
  conditions: Condition[];
} | {
  type: "not";
  condition: Condition;
};

export type Operator = "==" | "!=" | ">" | "<" | ">=" | "<=" | "exists" | "notExists";
