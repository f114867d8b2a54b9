// The reference walk of issue 12: a deterministic scripted agent that fixes a one-line bug through
// meta → dispatch_workflow(work-package) → every activity of work-package → complete, over stdio
// with the official SDK client, on the library embedded in the release binary. It records what
// each response costs an agent (text, structuredContent, _meta and wire bytes) and what tools/list
// costs a model. The figures are deterministic: fixed agent ids, a fixed path, and every varying
// field the server returns (session ids, timestamps, MACs) has a fixed length.
//
// The agent derives activities, steps, checkpoints, options, skills, resources and transitions
// from the server's answers; only the path choices below are its own.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { decode } from '@toon-format/toon';

/** The path: the user's request and the answer chosen at each checkpoint, by checkpoint id. */
export const PATH = {
  goal: 'Fix issue 482: the page counter is off by one on the last page (a one-line bug).',
  workflow: 'work-package',
  /** Values for the chosen workflow's required variables, by variable name. */
  values: { issue_ref: '482' },
  answers: {
    'confirm-workflow': 'proceed',
    'confirm-sequence': 'first-only',
    'scope-confirmation': 'plan-first',
    'breaking-change': 'stay-compatible',
    'plan-approval': 'approve',
    blocker: 'skip-task',
    'checks-report': 'continue',
    'review-verdict': 'approve',
    'review-limit': 'open-draft',
    'pr-confirmation': 'open',
    'child-stalled': 'keep-waiting',
    'open-children': 'finish-anyway',
  },
};

/**
 * What the agent's own work produces in each activity of the child workflow: the variables it
 * reports when it leaves the activity (a real agent finds these in the repository).
 */
const WORK = {
  intake: {
    issue_title: 'Page counter off by one on the last page',
    issue_type: 'bug',
    acceptance_criteria: ['The last page shows "page 5 of 5" for 41 items at 10 per page.'],
    risk_level: 'low',
    branch_name: 'fix/482-page-counter',
  },
  plan: {
    breaking_change: false,
    plan_tasks: [
      {
        id: 't1',
        summary: 'Round the page count up',
        files: ['src/pager.js'],
        test: 'test/pager.test.js: last page of 41 items',
      },
    ],
  },
  review: (v) => ({
    review_round: v.review_round + 1,
    round_limit_reached: v.review_round + 1 >= v.max_review_rounds,
  }),
  'run-checks': { checks_passed: true, failing_checks: 0, flaky_suspected: false, check_runs: 1 },
  'pull-request': { pr_url: 'https://git.example/acme/pager/pull/483' },
};

const here = dirname(fileURLToPath(import.meta.url));
export const defaultBinary =
  process.env.WORKFLOW_SERVER_BIN ?? resolve(here, '../../../target/release/workflow-server');

const utf8 = (s) => Buffer.byteLength(s, 'utf8');
const jsonBytes = (v) => (v === undefined ? 0 : utf8(JSON.stringify(v)));

/** Keys whose string values are session tokens or checkpoint handles. */
const TOKEN_KEYS = new Set([
  'session_token', 'parent_session_token', 'client_session_token', 'checkpoint_handle',
]);

function longestToken(value, best = 0) {
  if (Array.isArray(value)) return value.reduce((b, v) => longestToken(v, b), best);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      best = TOKEN_KEYS.has(k) && typeof v === 'string' ? Math.max(best, v.length) : longestToken(v, best);
    }
  }
  return best;
}

// ---- conditions, evaluated on the agent's own view of the variables -------------------------

function lookup(vars, path) {
  let v = vars;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in v)) return undefined;
    v = v[part];
  }
  return v;
}

/**
 * A condition in its canonical text (docs/formats.md#condition-rendering), as get_activity shows
 * it: `path op value`, `path exists`, operands joined by ` AND ` / ` OR ` (nested ones in
 * parentheses) and `NOT (…)`. Returns the object form `holds` reads.
 */
export function parseCondition(text) {
  let i = 0;
  const fail = (what) => { throw new Error(`walk: cannot read condition ${JSON.stringify(text)}: ${what} at ${i}`); };
  const eat = (s) => (text.startsWith(s, i) ? ((i += s.length), true) : false);
  const value = () => {
    const start = i;
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else {
      while (i < text.length && !/[ )]/.test(text[i])) i++;
    }
    return JSON.parse(text.slice(start, i));
  };
  const term = () => {
    if (eat('NOT (')) {
      const condition = expr();
      if (!eat(')')) fail('expected )');
      return { type: 'not', condition };
    }
    if (eat('(')) {
      const inner = expr();
      if (!eat(')')) fail('expected )');
      return inner;
    }
    const m = /^([^ ()]+) (==|!=|>=|<=|>|<|exists|notExists)/.exec(text.slice(i));
    if (!m) fail('expected a comparison');
    i += m[0].length;
    const cond = { type: 'simple', variable: m[1], operator: m[2] };
    if (m[2] !== 'exists' && m[2] !== 'notExists') {
      if (!eat(' ')) fail('expected a value');
      cond.value = value();
    }
    return cond;
  };
  const expr = () => {
    const operands = [term()];
    let type;
    for (;;) {
      const joiner = eat(' AND ') ? 'and' : eat(' OR ') ? 'or' : null;
      if (!joiner) break;
      if (type && type !== joiner) fail('mixed AND and OR');
      type = joiner;
      operands.push(term());
    }
    return type ? { type, conditions: operands } : operands[0];
  };
  const cond = expr();
  if (i !== text.length) fail('trailing text');
  return cond;
}

export function holds(cond, vars) {
  if (!cond) return true;
  if (typeof cond === 'string') return holds(parseCondition(cond), vars);
  switch (cond.type) {
    case 'and': return cond.conditions.every((c) => holds(c, vars));
    case 'or': return cond.conditions.some((c) => holds(c, vars));
    case 'not': return !holds(cond.condition, vars);
    case 'simple': {
      const v = lookup(vars, cond.variable);
      switch (cond.operator) {
        case 'exists': return v !== undefined && v !== null;
        case 'notExists': return v === undefined || v === null;
        case '==': return v !== undefined && JSON.stringify(v) === JSON.stringify(cond.value);
        case '!=': return v === undefined || JSON.stringify(v) !== JSON.stringify(cond.value);
        case '>': return typeof v === 'number' && v > cond.value;
        case '>=': return typeof v === 'number' && v >= cond.value;
        case '<': return typeof v === 'number' && v < cond.value;
        case '<=': return typeof v === 'number' && v <= cond.value;
        default: throw new Error(`walk: unknown operator ${cond.operator}`);
      }
    }
    default: throw new Error(`walk: unknown condition type ${cond.type}`);
  }
}

/**
 * The ways out that end get_activity's text: `- <to> (default)`, `- <to>`,
 * `- <to> when <condition> (<state>)` and `- <to> when checkpoint:<cp>:<option>`
 * (docs/protocol.md#get_activity). The state is the server's on the variables it held when the
 * activity was loaded; the agent evaluates the condition again on its own variables.
 */
function waysOut(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('next (') || l.startsWith('next: none'));
  if (start < 0) throw new Error('walk: get_activity text has no next list');
  return lines.slice(start + 1).filter((l) => l.startsWith('- ')).map((l) => {
    const m = /^- (\S+)(?: \(default\)| when (.*?)(?: \((?:holds|false|undecided)\))?)?$/.exec(l);
    if (!m) throw new Error(`walk: cannot read way out ${JSON.stringify(l)}`);
    const [, to, when] = m;
    if (when?.startsWith('checkpoint:')) return { to, checkpoint: when };
    return { to, condition: when, isDefault: l.endsWith(' (default)') };
  });
}

/**
 * The next activity, as the workflow-orchestrator skill says: a checkpoint's transitionTo wins;
 * else the first way out whose condition holds; else the default; else a decision's default
 * branch (one without transitionTo ends the workflow); else none (the workflow is finished).
 */
function chooseTransition(activity, ways, vars, directed) {
  if (directed) return { to: directed, why: 'checkpoint' };
  const open = ways.filter((w) => !w.checkpoint);
  const held = open.find((w) => w.condition && holds(w.condition, vars));
  if (held) return { to: held.to, why: 'condition' };
  const fallback = open.find((w) => w.isDefault || !w.condition);
  if (fallback) return { to: fallback.to, why: 'default' };
  const branches = (activity.decisions ?? []).flatMap((d) => d.branches ?? []);
  const branch = branches.find((b) => b.isDefault);
  if (branch) return { to: branch.transitionTo ?? null, why: `branch ${branch.id}` };
  return { to: null, why: 'none' };
}

/** Resource names a text mentions as "the NAME resource" (names with a dash or a workflow). */
function mentionedResources(text) {
  const out = [];
  for (const m of (text ?? '').matchAll(/([a-z0-9]+(?:[-/][a-z0-9]+)+) resource\b/g)) out.push(m[1]);
  return out;
}

// ---- the run ---------------------------------------------------------------------------------

/**
 * Runs the walk against `binary` and returns the report. Throws when the walk cannot go on (a
 * tool failed, or an answer lacks what the agent needs).
 */
export async function walk({ binary = defaultBinary } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'wfs-walk-'));
  const warnings = [];
  const original = { warn: console.warn, error: console.error };
  const capture = (...args) => warnings.push(args.map(String).join(' '));
  console.warn = capture;
  console.error = capture;

  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.WORKFLOW_DIR;
  const transport = new StdioClientTransport({
    command: binary,
    // No --workflows: the embedded library. No minimum answer time: the walk answers at once.
    args: ['serve', '--state-dir', state, '--min-response-ms', '0'],
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'workflow-server-walk', version: '1.0.0' });
  const rows = [];
  let serverLog = '';
  const wire = new Map(); // JSON-RPC id -> bytes of the response line
  try {
    await client.connect(transport);
    transport.stderr?.on('data', (chunk) => { serverLog += chunk; });
    tapWire(transport, wire);

    // tools/list: what reaches a model is each tool's name, description and input schema.
    const listed = await client.listTools();
    const toolsList = {
      tools: listed.tools.length,
      model_bytes: listed.tools.reduce(
        (n, t) => n + utf8(t.name) + utf8(t.description ?? '') + jsonBytes(t.inputSchema), 0),
      output_schema_bytes: listed.tools.reduce((n, t) => n + jsonBytes(t.outputSchema), 0),
      wire_bytes: wire.get(lastId(wire)) ?? null,
    };

    const agent = new Agent(client, rows, wire);
    const outcome = await agent.run();
    const totals = total(rows);
    return {
      binary,
      path: PATH,
      totals: {
        calls: rows.length,
        ...totals,
        tools_list_model_bytes: toolsList.model_bytes,
        max_token_length: Math.max(0, ...rows.map((r) => r.max_token)),
        unknown_format_warnings: warnings.filter((w) => w.includes('unknown format')).length,
      },
      tools_list: toolsList,
      per_tool: perTool(rows),
      outcome,
      client_warnings: [...new Set(warnings)],
      calls: rows,
    };
  } catch (e) {
    e.message += serverLog ? `\nserver log:\n${serverLog}` : '';
    throw e;
  } finally {
    console.warn = original.warn;
    console.error = original.error;
    await client.close();
    rmSync(state, { recursive: true, force: true });
  }
}

/**
 * Counts the bytes of each JSON-RPC response line the server writes, by request id. The SDK's
 * stdio transport does not expose the raw stream, so this listens on the child's stdout beside it.
 */
function tapWire(transport, wire) {
  const stdout = transport._process?.stdout;
  if (!stdout) return;
  let pending = Buffer.alloc(0);
  stdout.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    let nl;
    while ((nl = pending.indexOf(0x0a)) !== -1) {
      const line = pending.subarray(0, nl);
      pending = pending.subarray(nl + 1);
      try {
        const id = JSON.parse(line.toString('utf8')).id;
        if (id !== undefined) wire.set(id, line.length);
      } catch { /* not a JSON-RPC line */ }
    }
  });
}

const lastId = (wire) => [...wire.keys()].pop();

function total(rows) {
  const sum = (k) => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
  return {
    text_bytes: sum('text'),
    structured_bytes: sum('structured'),
    meta_bytes: sum('meta'),
    wire_bytes: rows.every((r) => r.wire !== null) ? sum('wire') : null,
  };
}

function perTool(rows) {
  const by = {};
  for (const r of rows) {
    const t = (by[r.tool] ??= { calls: 0, text: 0, structured: 0, meta: 0, wire: 0 });
    t.calls += 1;
    t.text += r.text;
    t.structured += r.structured;
    t.meta += r.meta;
    t.wire += r.wire ?? 0;
  }
  return by;
}

/** The argument that says what a call was about (its target, checkpoint, resource, skill...). */
function detailOf(args) {
  for (const key of ['activity_id', 'checkpoint_id', 'resource_index', 'step_id', 'skill_id',
    'option_id', 'workflow_id', 'client_session_id']) {
    if (typeof args[key] === 'string') return `${key}=${args[key]}`;
  }
  return '';
}

/** One agent playing the meta orchestrator, and a sub-agent running the child session. */
class Agent {
  constructor(client, rows, wire) {
    this.client = client;
    this.rows = rows;
    this.wire = wire;
  }

  /** Bytes of the response that arrived since the map held `before` entries (null if none). */
  responseBytes(before) {
    return this.wire.size > before ? this.wire.get(lastId(this.wire)) : null;
  }

  /** Calls a tool, records its cost, insists it succeeded. */
  async call(role, tool, args) {
    const before = this.wire.size;
    const result = await this.client.callTool({ name: tool, arguments: args });
    const text = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
    this.rows.push({
      n: this.rows.length + 1,
      role,
      tool,
      detail: detailOf(args),
      text: utf8(text),
      structured: jsonBytes(result.structuredContent),
      meta: jsonBytes(result._meta),
      wire: this.responseBytes(before),
      max_token: longestToken([result.structuredContent, result._meta]),
      warnings: result._meta?.validation?.codes ?? [],
    });
    if (result.isError) {
      throw new Error(`walk: ${tool} failed (${result._meta?.error_code}): ${text}`);
    }
    return { parts: partsOf(result, text), meta: result._meta ?? {}, text };
  }

  async run() {
    const meta = new Session(this, 'meta', 'meta');
    await this.call('meta', 'discover', {});
    await meta.tool('start_session', { workflow_id: 'meta', agent_id: 'meta' });
    await meta.loadWorkflow();
    const result = await meta.runWorkflow((step, activity) => this.metaStep(meta, step, activity));
    return { meta: result, child: this.childResult };
  }

  /**
   * The meta orchestrator's own step actions, by step id: the few steps that call a tool or set
   * variables. Every other step is reported as done.
   */
  async metaStep(meta, step) {
    switch (step.id) {
      case 'restate-goal':
        meta.set({ user_goal: PATH.goal });
        return 'goal restated';
      case 'list-workflows': {
        const r = await meta.tool('list_workflows', {}, { token: false });
        const workflows = get(r, 'workflows') ?? r.parts.find(Array.isArray) ?? [];
        const entry = workflows.find((w) => w.id === PATH.workflow);
        if (!entry?.startable) throw new Error(`walk: ${PATH.workflow} is not listed as startable`);
        this.chosen = entry;
        return `${workflows.length} workflows listed`;
      }
      case 'match-workflow':
        // The step reads the resource only when the listing's title, tags and description are
        // not enough; for this goal they are.
        meta.set({
          selected_workflow: PATH.workflow,
          dispatch_queue: [PATH.workflow],
          dispatch_count: 1,
          remaining_dispatches: 1,
        });
        return `matched ${PATH.workflow}`;
      case 'collect-variables': {
        const required = this.chosen.required_variables ?? [];
        const values = Object.fromEntries(required.map((name) => {
          if (!(name in PATH.values)) throw new Error(`walk: no value for required ${name}`);
          return [name, PATH.values[name]];
        }));
        meta.set({ dispatch_variables: values });
        return `collected ${Object.keys(values).join(', ')}`;
      }
      case 'dispatch-child': {
        const r = await this.call('meta', 'dispatch_workflow', {
          workflow_id: meta.vars.selected_workflow,
          parent_session_token: meta.token,
          variables: meta.vars.dispatch_variables,
        });
        // Today the parent's renewed token is in parent_session_token and session_token is the
        // child's; issue 12 makes session_token the caller's. Either way, this is the parent's.
        meta.token = r.meta.parent_session_token ?? r.meta.session_token;
        const data = {
          client_session_token: get(r, 'client_session_token'),
          client_session_id: get(r, 'client_session_id'),
          workflow_id: get(r, 'workflow')?.id ?? meta.vars.selected_workflow,
          // The text rendering names the agent id only inside the prompt.
          agent_id: get(r, 'agent_id') ?? /agent_id "([^"]+)"/.exec(r.text)?.[1],
          client_prompt: get(r, 'client_prompt') ?? r.text,
        };
        this.dispatched = data;
        meta.set({
          children: [{ session_id: data.client_session_id, workflow_id: data.workflow_id, status: 'active' }],
          child_status: 'active',
          idle_polls: 0,
        });
        return `dispatched ${data.client_session_id}`;
      }
      case 'hand-off': {
        const child = new Session(this, 'child', this.dispatched.workflow_id);
        child.parent = meta;
        child.token = this.dispatched.client_session_token;
        await child.tool('start_session', {
          workflow_id: this.dispatched.workflow_id,
          session_token: child.token,
          agent_id: this.dispatched.agent_id,
        });
        await child.loadWorkflow();
        for (const ref of mentionedResources(this.dispatched.client_prompt)) await child.resource(ref);
        this.childResult = await child.runWorkflow((s, a) => child.childStep(s, a));
        return 'sub-agent ran the child';
      }
      case 'poll-status': {
        const r = await meta.tool('get_workflow_status', {
          client_session_id: this.dispatched.client_session_id,
          parent_session_token: meta.token,
        }, { token: false });
        const data = { status: get(r, 'status'), session_id: get(r, 'session_id'), outcome: get(r, 'outcome') };
        if (data.status !== 'completed') throw new Error(`walk: child is ${data.status}, not completed`);
        const [, ...queue] = meta.vars.dispatch_queue;
        meta.set({
          child_status: data.status,
          children: meta.vars.children.map((c) => (c.session_id === data.session_id
            ? { ...c, status: data.status, outcome: data.outcome } : c)),
          dispatch_queue: queue,
          remaining_dispatches: queue.length,
        });
        return `child ${data.status}`;
      }
      case 'relay-checkpoint':
        return `relayed ${this.relayed ?? 0} checkpoints`;
      case 'record-result':
        return 'result recorded from the status poll';
      case 'verify-children': {
        const r = await meta.tool('get_workflow_status', { parent_session_token: meta.token }, { token: false });
        const children = get(r, 'children') ?? [];
        const open = children.filter((c) => c.status !== 'completed').length;
        meta.set({ open_children: open });
        return `${children.length} children, ${open} open`;
      }
      case 'complete-session':
        return 'completing with this manifest';
      default:
        return 'done';
    }
  }
}

/**
 * What a tool result carries for the agent, as a list of objects to look keys up in:
 * structuredContent when the server sends it; else each part of the text (documents split at
 * `---` lines and blank lines) that reads as JSON or TOON. So the agent keeps working when a tool
 * stops repeating its text as structuredContent.
 */
export function partsOf(result, text) {
  if (result.structuredContent) return [result.structuredContent];
  const parts = [];
  for (const chunk of text.split(/\n-{3,}\n|\n\s*\n/)) {
    for (const read of [JSON.parse, decode]) {
      try {
        const value = read(chunk);
        if (value && typeof value === 'object') {
          parts.push(value);
          break;
        }
      } catch { /* try the next reader */ }
    }
  }
  return parts;
}

/** The value of `key` in the first part that has it. */
const get = (r, key) => r.parts.find((p) => p && !Array.isArray(p) && key in p)?.[key];

/** `key` of structuredContent, else the first text part that has `marker` (a flat rendering). */
const part = (r, key, marker) => get(r, key) ?? r.parts.find((p) => p && typeof p === 'object' && marker in p);

/** One session as one agent sees it: its newest token, its variables and what it has loaded. */
class Session {
  constructor(agent, role, workflowId) {
    this.agent = agent;
    this.role = role;
    this.workflowId = workflowId;
    this.vars = {};
    this.pending = {}; // variables set in the current activity, reported when leaving it
    this.skills = new Set();
    this.resources = new Set();
    this.activities = [];
  }

  set(values) {
    Object.assign(this.vars, values);
    Object.assign(this.pending, values);
  }

  /** A tool call on this session; the renewed token replaces the old one unless told not to. */
  async tool(name, args, { token = true } = {}) {
    const r = await this.agent.call(this.role, name, args);
    if (token && r.meta.session_token) this.token = r.meta.session_token;
    return r;
  }

  async loadWorkflow() {
    const r = await this.tool('get_workflow', { session_token: this.token });
    this.workflow = part(r, 'workflow', 'initialActivity');
    if (!this.workflow) throw new Error(`walk: get_workflow gave no workflow definition: ${r.text.slice(0, 200)}`);
    // The primary skill comes inlined: structured, or as the text part that is a skill.
    const primary = get(r, 'primary_skill')?.skill ?? r.parts.find((p) => p && 'capability' in p);
    if (primary) {
      this.skills.add(get(r, 'primary_skill')?.skill_id ?? this.qualify(this.workflow.skills?.primary ?? primary.id));
      for (const ref of primary.resources ?? []) await this.resource(String(ref));
    }
    for (const v of this.workflow.variables ?? []) {
      if (v.defaultValue !== undefined && !(v.name in this.vars)) this.vars[v.name] = v.defaultValue;
    }
  }

  qualify(ref) {
    return ref.includes('/') ? ref : `${this.workflowId}/${ref}`;
  }

  async skill(args, ref) {
    if (this.skills.has(this.qualify(ref))) return;
    const r = await this.tool('get_skill', { session_token: this.token, ...args });
    this.skills.add(get(r, 'skill_id') ?? this.qualify(ref));
    const skill = part(r, 'skill', 'capability') ?? {};
    for (const res of skill.resources ?? []) await this.resource(String(res));
  }

  async resource(ref) {
    if (this.resources.has(this.qualify(ref))) return;
    this.resources.add(this.qualify(ref));
    await this.tool('get_resource', { session_token: this.token, resource_index: ref });
  }

  /** Enters the initial activity and runs activities until no transition applies. */
  async runWorkflow(perform) {
    const first = this.workflow.initialActivity;
    await this.tool('next_activity', { session_token: this.token, activity_id: first });
    for (;;) {
      const { activity, ways, manifest, directed } = await this.runActivity(perform);
      this.activities.push(activity.id);
      const next = chooseTransition(activity, ways, this.vars, directed);
      if (next.to && this.skipped(next.to)) {
        throw new Error(`walk: ${next.to} is skipped; the path never takes a skipped activity`);
      }
      if (!next.to) {
        const r = await this.tool('complete_workflow', {
          session_token: this.token,
          step_manifest: manifest,
          variables: this.pending,
          outcome: `${this.workflowId}: ${this.activities.join(' → ')}`,
        });
        const status = get(r, 'status');
        if (status !== 'completed') throw new Error(`walk: ${this.workflowId} is ${status}, not completed`);
        return { status, activities: this.activities };
      }
      const args = { session_token: this.token, activity_id: next.to, step_manifest: manifest };
      if (Object.keys(this.pending).length) args.variables = this.pending;
      if (next.why === 'default') args.transition_condition = '';
      await this.tool('next_activity', args);
      this.pending = {};
    }
  }

  skipped(activityId) {
    return (this.workflow.modes ?? []).some(
      (m) => this.vars[m.activationVariable] === true && (m.skipActivities ?? []).includes(activityId));
  }

  /** One activity visit: load it, perform its steps in order, yield its checkpoints. */
  async runActivity(perform) {
    const r = await this.tool('get_activity', { session_token: this.token });
    const activity = part(r, 'activity', 'steps');
    if (!activity) throw new Error(`walk: get_activity gave no activity definition: ${r.text.slice(0, 200)}`);
    const primary = activity.skills?.primary;
    if (primary) await this.skill({}, primary);
    for (const mode of this.workflow.modes ?? []) {
      if (this.vars[mode.activationVariable] === true && mode.resource) await this.resource(mode.resource);
    }
    for (const a of activity.entryActions ?? []) {
      if (a.action === 'set' && holds(a.condition, this.vars)) this.set({ [a.target]: a.value });
    }
    const work = this.role === 'child' ? WORK[activity.id] : undefined;
    if (work) this.set(typeof work === 'function' ? work(this.vars) : work);
    const manifest = [];
    let directed = null;
    const loops = activity.loops ?? [];
    for (const step of activity.steps ?? []) {
      if (!holds(step.condition, this.vars)) continue;
      if (step.checkpoint) {
        const cp = (activity.checkpoints ?? []).find((c) => c.id === step.checkpoint);
        if (!cp) throw new Error(`walk: step ${step.id} names unknown checkpoint ${step.checkpoint}`);
        if (holds(cp.condition, this.vars)) {
          const answer = await this.checkpoint(cp.id);
          directed = answer.effect?.transitionTo ?? directed;
          manifest.push({ step_id: step.id, output: `${cp.id}: ${answer.option}` });
          if (directed) break;
          continue;
        }
      }
      if (step.skill) await this.skill({ step_id: step.id }, step.skill);
      for (const ref of mentionedResources(step.description)) await this.resource(ref);
      manifest.push({ step_id: step.id, output: await perform(step, activity) });
      for (const loop of loops.filter((l) => step.description?.includes(l.id) || step.id === `${l.id}-loop`)) {
        await this.runLoop(loop, manifest, perform, activity);
      }
    }
    const ran = new Set(manifest.map((m) => m.step_id));
    for (const loop of loops) {
      if (!(loop.steps ?? []).some((s) => ran.has(s.id))) await this.runLoop(loop, manifest, perform, activity);
    }
    for (const a of activity.exitActions ?? []) {
      if (a.action === 'set' && holds(a.condition, this.vars)) this.set({ [a.target]: a.value });
    }
    return { activity, ways: waysOut(r.text), manifest, directed };
  }

  /** A loop runs once per element (forEach) or once (while, doWhile: the path needs no rerun). */
  async runLoop(loop, manifest, perform, activity) {
    const items = loop.type === 'forEach' ? (lookup(this.vars, loop.over) ?? []) : [null];
    if (loop.type === 'while' && !holds(loop.condition, this.vars)) return;
    for (const item of items) {
      if (loop.variable) this.vars[loop.variable] = item;
      for (const step of loop.steps ?? []) {
        if (!holds(step.condition, this.vars)) continue;
        if (step.skill) await this.skill({ step_id: step.id }, step.skill);
        for (const ref of mentionedResources(step.description)) await this.resource(ref);
        manifest.push({ step_id: step.id, output: await perform(step, activity) });
      }
    }
  }

  /**
   * Yields a checkpoint and has it answered: in the child, the worker yields, the parent presents
   * and responds, the worker resumes; in meta, the orchestrator does all four.
   */
  async checkpoint(id) {
    const answerer = this.parent ?? this;
    const y = await this.tool('yield_checkpoint', { session_token: this.token, checkpoint_id: id });
    const handle = get(y, 'checkpoint_handle') ?? this.token;
    const shown = await answerer.tool('present_checkpoint', { checkpoint_handle: handle }, { token: false });
    const option = PATH.answers[get(shown, 'id') ?? id];
    const options = get(shown, 'options') ?? [];
    if (!options.some((o) => o.id === option)) {
      throw new Error(`walk: checkpoint ${id} offers no option ${option}: ${shown.text.slice(0, 400)}`);
    }
    const responded = await answerer.agent.call(answerer.role, 'respond_checkpoint', {
      checkpoint_handle: handle,
      option_id: option,
    });
    const back = get(responded, 'checkpoint_handle') ?? responded.meta.session_token;
    const resumed = await this.tool('resume_checkpoint', { session_token: back });
    const effect = get(resumed, 'effect') ?? get(responded, 'effect') ?? null;
    // The server's variables, then what this agent set and has not reported yet, then the
    // answer's effect, which is newer than both.
    Object.assign(this.vars, get(resumed, 'variables') ?? get(responded, 'variables') ?? {}, this.pending);
    for (const [name, value] of Object.entries(effect?.setVariable ?? {})) {
      this.vars[name] = value;
      delete this.pending[name];
    }
    if (this.parent) this.agent.relayed = (this.agent.relayed ?? 0) + 1;
    return { option, effect };
  }

  /** The child's steps: the agent's work is in WORK; each step reports what it did. */
  async childStep(step) {
    return `${step.name ?? step.id}: done`;
  }
}
