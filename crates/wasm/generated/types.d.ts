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
  /**
   * Where the offending value itself is written, when it is a scalar and the problem is the
   * value rather than its key (a wrong type, an unknown target): editors underline this,
   * while `line`/`column` stay on the key as the CLI prints them.
   */
  value?: TextRange;
}

export type Severity = "error" | "warning";

export type Code = "syntax" | "duplicate_key" | "missing_field" | "wrong_type" | "invalid_value" | "invalid_id" | "duplicate_id" | "id_mismatch" | "duplicate_file" | "resource_index_collision" | "resource_name_collision" | "unresolved_activity_ref" | "no_activities" | "initial_activity_unknown" | "unknown_default_option" | "auto_advance_without_default" | "condition_value_missing" | "file_too_large" | "too_deep" | "unknown_field" | "server_field" | "initial_activity_missing" | "unknown_transition_target" | "unknown_activity_ref" | "unknown_checkpoint_ref" | "unknown_workflow" | "unknown_artifact_location" | "unresolved_skill" | "unresolved_resource" | "condition_undeclared_variable" | "condition_type" | "condition_value_ignored" | "default_type" | "variable_type" | "variable_undeclared" | "advisory_on_blocking" | "multiple_defaults" | "loop_incomplete" | "mode_variable" | "duplicate_index" | "activity_not_listed" | "estimated_time" | "front_matter_invalid" | "resource_id_mismatch" | "meta_resource_missing" | "file_ignored" | "folder_ignored" | "no_workflow_file" | "unreachable_activity" | "comments_dropped" | "file_not_converted";

/**
 * A range of a file's text, in the units of a `Diagnostic`'s own position.
 */
export interface TextRange {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  utf16_start: number;
  utf16_end: number;
}

export interface Preview {
  /**
   * `ok` or `degraded`: a broken workflow has no definition to preview.
   */
  status: WorkflowStatus;
  /**
   * `get_workflow`'s summary object (docs/protocol.md#get_workflow), as the engine builds it.
   */
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
 * A workflow's fitness to be served (docs/protocol.md#catalog-states).
 */
export type WorkflowStatus = "ok" | "degraded" | "broken";

/**
 * The shape of the summary object: fields the workflow file does not write are absent.
 * Only its schema is used (for the TypeScript types); the engine builds the value, and a test
 * reads every preview's summary back into this type.
 */
export interface Summary {
  id: string;
  version: string;
  title: string;
  description: string | null;
  tags: string[] | null;
  rules: string[] | null;
  variables: Variable[] | null;
  modes: Mode[] | null;
  artifactLocations: Record<string, ArtifactLocation> | null;
  skills: WorkflowSkills | null;
  initialActivity: string | null;
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
   * Values the server sets when a call switches the mode on, except those the call sets
   * itself (docs/formats.md#modes-and-artifact-locations).
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
  artifactPrefix: string | null;
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
   * no condition holds agents call `complete_workflow` (docs/formats.md#transition). Activities
   * with decisions end through their branches instead.
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
 * The outcome of evaluating a condition on a set of variables
 * (docs/formats.md#condition-evaluation).
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
   * The canonical one-line rendering (docs/formats.md#condition-rendering), as agents echo it.
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
   * (docs/protocol.md#error-catalogue) and `unknown_tool`; `internal` for a result JavaScript
   * cannot hold.
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
 * A successful tool call (docs/protocol.md#successful-results).
 */
export interface CallResult {
  /**
   * `structuredContent`: the tool's result object.
   */
  structured: unknown;
  /**
   * The text rendering agents read.
   */
  text: string;
  /**
   * `_meta`: `session_token`, `validation` and `trace_token` as the tool
   * defines.
   */
  meta: Record<string, unknown>;
}

/**
 * How a tool is listed (`tools/list`).
 */
export interface ToolInfo {
  name: string;
  description: string;
  /**
   * JSON Schema of the arguments.
   */
  inputSchema: unknown;
  /**
   * JSON Schema of `structured`.
   */
  outputSchema: unknown;
  /**
   * The tool never changes session state.
   */
  readOnly: boolean;
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

/**
 * Settings of an in-memory engine; absent ones keep the server's defaults.
 */
export interface EngineOptions {
  /**
   * Reported by `discover` and `health_check` (default `workflow-server`).
   */
  serverName?: string | null;
  /**
   * The minimum time between a yield and an `option_id` answer (default 3000). A page that
   * simulates a session may lower it.
   */
  minResponseMs?: number | null;
  /**
   * The deepest dispatch allowed (default 8).
   */
  maxDispatchDepth?: number | null;
  /**
   * Trace events kept per session (default 10000).
   */
  traceEventCap?: number | null;
}

export type DiscoverArgs = Record<string, unknown>;

export interface DiscoverResult {
  server: string;
  version: string;
  /**
   * The meta workflow's `bootstrap-protocol` text; null when unavailable.
   */
  bootstrap: string | null;
}

export type ListWorkflowsArgs = Record<string, unknown>;

export interface WorkflowListing {
  id: string;
  title: string | null;
  version: string | null;
  description: string | null;
  tags: string[];
  /**
   * Variables declared required without a default: a session needs values for them.
   */
  required_variables: string[];
  /**
   * `ok`, `degraded` or `broken`.
   */
  status: string;
  startable: boolean;
  errors: number;
  warnings: number;
  /**
   * `<file>:<line>:<col>: <message>` of the first error.
   */
  first_error?: string;
  /**
   * Activities left out of a `degraded` workflow for errors in their files.
   */
  unavailable_activities?: string[];
}

export interface ListWorkflowsResult {
  workflows: WorkflowListing[];
}

export type HealthCheckArgs = Record<string, unknown>;

export interface HealthCheckResult {
  /**
   * `healthy` or `degraded`.
   */
  status: string;
  server: string;
  version: string;
  workflows_available: number;
  workflows_broken: number;
  /**
   * Ids of the `degraded` workflows: served, with some parts unavailable.
   */
  workflows_degraded: string[];
  uptime_seconds: number;
  protocol_versions: string[];
}

export interface StartSessionArgs {
  workflow_id: string;
  agent_id: string;
  session_token?: string;
}

/**
 * A workflow as start_session and dispatch_workflow describe it.
 */
export interface WorkflowInfo {
  id: string;
  version: string;
  title: string;
  description: string | null;
}

export interface StartSessionResult {
  workflow: WorkflowInfo;
  session_token: string;
  session_id: string;
  /**
   * `active`, `blocked` or `completed`.
   */
  status: string;
  current_activity: string | null;
  inherited?: boolean;
  adopted?: boolean;
  recovered?: boolean;
  /**
   * The first warning, when there is one.
   */
  warning?: string;
}

export interface DispatchWorkflowArgs {
  workflow_id: string;
  parent_session_token: string;
  /**
   * The child's initial variables.
   */
  variables?: Record<string, unknown>;
}

export interface DispatchWorkflowResult {
  client_session_token: string;
  client_session_id: string;
  parent_session_id: string;
  workflow: WorkflowInfo;
  initial_activity: string;
  agent_id: string;
  variables?: Record<string, unknown>;
  client_prompt: string;
}

export interface GetWorkflowStatusArgs {
  client_session_token?: string;
  /**
   * Needs parent_session_token.
   */
  client_session_id?: string;
  /**
   * The parent's token; alone, lists its children.
   */
  parent_session_token?: string;
  /**
   * Answer once the result changes, waiting at most this long.
   */
  wait_ms?: number;
}

export interface SessionStatusResult {
  session_id: string;
  status: string;
  workflow: StatusWorkflow;
  current_activity: string | null;
  completed_activities: string[];
  active_checkpoint: StatusCheckpoint | null;
  last_checkpoint: StatusAnswer | null;
  variables: Record<string, unknown>;
  active_modes: string[];
  outcome: string | null;
  parent_session_id: string | null;
  children: ChildSummary[];
  agents: string[];
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /**
   * Token mode only: a new token for the session.
   */
  session_token?: string;
}

export interface StatusWorkflow {
  id: string;
  /**
   * The version the session was started with.
   */
  version: string;
  title: string | null;
}

export interface StatusCheckpoint {
  id: string;
  activity: string;
  yielded_at: string;
}

export interface StatusAnswer {
  id: string;
  activity: string;
  /**
   * null when the checkpoint was dismissed.
   */
  option: string | null;
  /**
   * `option`, `auto_advance` or `condition_not_met`.
   */
  mode: string;
  at: string;
}

export interface ChildSummary {
  session_id: string;
  workflow_id: string;
  status: string;
}

export interface ChildrenResult {
  parent_session_id: string;
  children: ChildListing[];
}

export interface ChildListing {
  session_id: string;
  workflow_id: string;
  status: string;
  current_activity: string | null;
  updated_at: string;
}

/**
 * get_workflow_status answers one session, or lists a parent's children.
 */
export type GetWorkflowStatusResult = SessionStatusResult | ChildrenResult;

export interface CompleteWorkflowArgs {
  session_token: string;
  /**
   * Steps done in the final activity.
   */
  step_manifest?: {
    step_id: string;
    /**
     * What it produced.
     */
    output: string;
  }[];
  /**
   * Final variable values.
   */
  variables?: Record<string, unknown>;
  /**
   * A summary for the parent.
   */
  outcome?: string;
  /**
   * Return `_meta.trace_token` too.
   */
  include_trace_token?: boolean;
}

export interface CompleteWorkflowResult {
  /**
   * `completed`.
   */
  status: string;
  session_id: string;
  completed_activities: string[];
  variables: Record<string, unknown>;
  outcome: string | null;
  parent_session_id: string | null;
  completed_at: string;
  session_token: string;
}

export interface GetWorkflowArgs {
  session_token: string;
  /**
   * false: every workflow field (default: a summary).
   */
  summary?: boolean;
}

export interface GetWorkflowResult {
  workflow: Record<string, unknown>;
  session_token: string;
}

export interface NextActivityArgs {
  session_token: string;
  activity_id: string;
  transition_condition?: string;
  /**
   * Steps done in the activity being left.
   */
  step_manifest?: {
    step_id: string;
    /**
     * What it produced.
     */
    output: string;
  }[];
  /**
   * Activities done, for the trace.
   */
  activity_manifest?: {
    activity_id: string;
    /**
     * What it achieved.
     */
    outcome: string;
    transition_condition?: string;
  }[];
  /**
   * Variables set in the activity being left.
   */
  variables?: Record<string, unknown>;
  /**
   * Return `_meta.trace_token` too.
   */
  include_trace_token?: boolean;
}

export interface NextActivityResult {
  activity_id: string;
  name: string;
  session_token: string;
}

export interface GetActivityArgs {
  session_token: string;
}

export interface GetActivityResult {
  /**
   * The activity as authored, plus `artifactPrefix` and `workflowId`.
   */
  activity: Record<string, unknown>;
  session_token: string;
}

export interface YieldCheckpointArgs {
  session_token: string;
  checkpoint_id: string;
  /**
   * What the person answering should see (at most 4 KiB).
   */
  context?: string;
}

export interface YieldCheckpointResult {
  /**
   * `yielded`.
   */
  status: string;
  checkpoint_id: string;
  checkpoint_handle: string;
  message: string;
}

export interface ResumeCheckpointArgs {
  session_token: string;
}

export interface ResumeCheckpointResult {
  /**
   * `resumed`.
   */
  status: string;
  checkpoint_id: string | null;
  activity_id: string | null;
  mode: string | null;
  resolved_option: string | null;
  effect: unknown;
  /**
   * The variables the answer set (its effect's `setVariable` and the defaults of a mode it
   * switched on); the others are unchanged.
   */
  changed_variables: Record<string, unknown>;
  message: string;
}

export interface PresentCheckpointArgs {
  checkpoint_handle: string;
}

export interface PresentCheckpointResult {
  activity_id: string;
  yielded_at: string;
  /**
   * The checkpoint's condition on the session variables; null without a condition or when a
   * referenced variable is absent.
   */
  condition_holds: boolean | null;
  /**
   * What the worker attached when it yielded; absent when it attached nothing.
   */
  context?: string;
  checkpoint_handle: string;
  [key: string]: unknown;
}

export interface RespondCheckpointArgs {
  checkpoint_handle: string;
  /**
   * The option the user chose.
   */
  option_id?: string;
  /**
   * Take the default option.
   */
  auto_advance?: boolean;
  /**
   * Dismiss a conditional checkpoint.
   */
  condition_not_met?: boolean;
  /**
   * Also resume: you yielded it yourself.
   */
  resume?: boolean;
}

export interface RespondCheckpointResult {
  checkpoint_id: string;
  resolved: boolean;
  /**
   * The token the worker continues with (no active checkpoint).
   */
  checkpoint_handle: string;
  resolved_option?: string;
  effect?: unknown;
  dismissed?: boolean;
  auto_advanced?: boolean;
  /**
   * The variables the answer set (its effect's `setVariable` and the defaults of a mode it
   * switched on); the others are unchanged.
   */
  changed_variables: Record<string, unknown>;
  /**
   * The caller asked to resume too (`resume: true`: the agent that yielded answered itself),
   * so no resume_checkpoint call is needed.
   */
  resumed?: boolean;
}

export interface GetSkillsArgs {
  session_token: string;
}

export interface ServedSkill {
  /**
   * Qualified: `<workflow>/<id>`.
   */
  skill_id: string;
  /**
   * The skill as authored, resource references qualified.
   */
  skill: Record<string, unknown>;
}

export interface FailedSkill {
  ref: string;
  reason: string;
}

export interface GetSkillsResult {
  /**
   * `workflow`.
   */
  scope: string;
  skills: ServedSkill[];
  failed_skills?: FailedSkill[];
  session_token: string;
}

export interface GetSkillArgs {
  session_token: string;
  step_id?: string;
  /**
   * ID or WF/ID.
   */
  skill_id?: string;
}

export interface GetSkillResult {
  skill_id: string;
  skill: Record<string, unknown>;
  session_token: string;
}

export interface GetResourceArgs {
  session_token: string;
  /**
   * INDEX, NAME, WF/INDEX or WF/NAME.
   */
  resource_index: string;
}

export interface GetResourceResult {
  /**
   * The argument as given.
   */
  resource_index: string;
  workflow_id: string;
  /**
   * As written in the file name.
   */
  index: string;
  name: string;
  id?: string;
  version?: string;
  /**
   * `markdown`, `toon`, `yaml` or `json`.
   */
  format: string;
  content: string;
  session_token: string;
}

export interface GetTraceArgs {
  session_token: string;
  /**
   * Omit to read the session's trace.
   */
  trace_tokens?: string[];
  /**
   * The previous page's `next_from`.
   */
  from?: number;
}

export interface SegmentView {
  act: string;
  from: number;
  to: number;
  closed_by: string | null;
}

export interface GetTraceResult {
  traceId: string;
  /**
   * `record` or `tokens`.
   */
  source: string;
  event_count: number;
  events: unknown[];
  /**
   * Token mode: one message per refused trace token.
   */
  token_errors?: string[];
  /**
   * Record mode: events removed by the retention cap.
   */
  dropped?: number;
  /**
   * Record mode: the segments of this page's events.
   */
  segments?: SegmentView[];
  /**
   * More events follow: pass this as `from` to read them.
   */
  next_from?: number;
  session_token: string;
}

/**
 * The tools, in `tools/list` order.
 */
export type ToolName = "discover" | "list_workflows" | "health_check" | "start_session" | "dispatch_workflow" | "get_workflow_status" | "complete_workflow" | "get_workflow" | "next_activity" | "get_activity" | "yield_checkpoint" | "resume_checkpoint" | "present_checkpoint" | "respond_checkpoint" | "get_skills" | "get_skill" | "get_resource" | "get_trace";

/**
 * The codes of runtime warnings (`meta.validation.codes`).
 */
export type WarningCode = "activity_manifest_condition" | "activity_manifest_empty" | "activity_manifest_not_completed" | "activity_manifest_outcome" | "activity_manifest_unknown" | "activity_skipped" | "agent_changed" | "checkpoint_condition_false" | "checkpoint_pending" | "checkpoint_reyield" | "checkpoint_unanswered" | "children_open" | "complete_condition_holds" | "complete_directed" | "complete_open_transition" | "condition_default" | "condition_false" | "condition_mismatch" | "condition_required" | "condition_shadowed" | "dismiss_condition_holds" | "initial_activity_fallback" | "manifest_unchecked" | "no_activity" | "nothing_to_resume" | "serving_last_good" | "session_completed_inherited" | "session_recovered" | "skill_unavailable" | "skill_unreferenced" | "step_empty_output" | "step_manifest_ignored" | "step_manifest_missing" | "step_order" | "steps_duplicate" | "steps_missing" | "steps_unexpected" | "template_placeholders" | "token_retired_key" | "transition_directed" | "transition_first" | "transition_illegal" | "unknown_argument" | "variable_missing" | "variable_type" | "variable_undeclared" | "version_drift";

/**
 * The codes of tool errors (the `code` of an error `call` throws).
 */
export type ErrorCode = "invalid_argument" | "invalid_id" | "token_malformed" | "token_signature" | "token_payload" | "unknown_session" | "session_completed" | "checkpoint_active" | "checkpoint_not_active" | "checkpoint_answered" | "handle_out_of_date" | "workflow_not_found" | "workflow_broken" | "workflow_mismatch" | "dispatch_depth" | "template_missing" | "status_arguments" | "not_a_child" | "activity_not_found" | "activity_unavailable" | "no_current_activity" | "checkpoint_not_found" | "response_mode" | "response_too_fast" | "invalid_option" | "auto_advance_unavailable" | "auto_advance_blocking" | "auto_advance_too_early" | "not_conditional" | "no_primary_skill" | "step_not_found" | "step_has_no_skill" | "skill_not_found" | "skill_unavailable" | "resource_not_found" | "resource_ambiguous" | "resource_unavailable" | "session_full" | "store_unavailable" | "conflict";

/**
 * Each tool's arguments.
 */
export interface ToolArgs {
  discover: DiscoverArgs;
  list_workflows: ListWorkflowsArgs;
  health_check: HealthCheckArgs;
  start_session: StartSessionArgs;
  dispatch_workflow: DispatchWorkflowArgs;
  get_workflow_status: GetWorkflowStatusArgs;
  complete_workflow: CompleteWorkflowArgs;
  get_workflow: GetWorkflowArgs;
  next_activity: NextActivityArgs;
  get_activity: GetActivityArgs;
  yield_checkpoint: YieldCheckpointArgs;
  resume_checkpoint: ResumeCheckpointArgs;
  present_checkpoint: PresentCheckpointArgs;
  respond_checkpoint: RespondCheckpointArgs;
  get_skills: GetSkillsArgs;
  get_skill: GetSkillArgs;
  get_resource: GetResourceArgs;
  get_trace: GetTraceArgs;
}

/**
 * Each tool's structured result.
 */
export interface ToolResults {
  discover: DiscoverResult;
  list_workflows: ListWorkflowsResult;
  health_check: HealthCheckResult;
  start_session: StartSessionResult;
  dispatch_workflow: DispatchWorkflowResult;
  get_workflow_status: GetWorkflowStatusResult;
  complete_workflow: CompleteWorkflowResult;
  get_workflow: GetWorkflowResult;
  next_activity: NextActivityResult;
  get_activity: GetActivityResult;
  yield_checkpoint: YieldCheckpointResult;
  resume_checkpoint: ResumeCheckpointResult;
  present_checkpoint: PresentCheckpointResult;
  respond_checkpoint: RespondCheckpointResult;
  get_skills: GetSkillsResult;
  get_skill: GetSkillResult;
  get_resource: GetResourceResult;
  get_trace: GetTraceResult;
}
