// The Session tab: a session of the selected workflow run by the engine in the page. The author
// plays orchestrator and worker: enter activities, yield a checkpoint, answer it as the user,
// follow transitions, complete. Every call and its warnings are logged.
import { Engine, preview, convert, evaluateCondition } from "workflow-server-wasm";
import { textOf } from "./storage.js";

/** Simulated time: each call takes a second, and the user takes the server's minimum response
 * time to answer, so the page never waits yet the engine's timing rules hold. */
const STEP_MS = 1_000;
const ANSWER_MS = 3_000;

/** `onActivity(id, holding)` is told the session's current activity (null when there is no
 * session) and the indices of its transitions the engine would follow now: those whose
 * conditions hold on the session's variables, else the default ones. */
export function setupSession({ start, state: stateLine, actions, log, variables, exportTrace }, library, onActivity = () => {}) {
  let session = null;
  /** Variable values the author set in the table, sent with the next move (as a worker reports them). */
  let pending = {};
  /** The session's variables as of the last status. */
  let current = {};

  /** The declared variables of the selected workflow, with their defaults. */
  function declared() {
    const { files, workflow } = library();
    try {
      return preview(files, workflow).summary.variables ?? [];
    } catch {
      return [];
    }
  }

  /** The variables table: every declared variable and every variable the session holds. */
  function renderVariables() {
    const rows = new Map();
    for (const v of declared()) rows.set(v.name, { type: v.type, value: v.defaultValue, source: "default" });
    for (const [name, value] of Object.entries(current)) rows.set(name, { ...rows.get(name), value, source: "session" });
    for (const [name, value] of Object.entries(pending)) rows.set(name, { ...rows.get(name), value, source: "pending" });
    const body = variables.querySelector("tbody");
    body.replaceChildren(
      ...[...rows].map(([name, row]) => {
        const tr = document.createElement("tr");
        tr.dataset.name = name;
        tr.dataset.source = row.source;
        const cells = [name, row.type ?? "", null, row.source === "pending" ? "sent with the next move" : row.source];
        for (const text of cells) {
          const td = document.createElement("td");
          if (text === null) {
            const input = document.createElement("input");
            input.value = row.value === undefined ? "" : JSON.stringify(row.value);
            input.setAttribute("aria-label", `value of ${name}`);
            input.addEventListener("change", () => {
              const raw = input.value.trim();
              if (raw === "") {
                delete pending[name];
              } else {
                try {
                  pending[name] = JSON.parse(raw);
                } catch {
                  pending[name] = raw; // not JSON: the text itself
                }
              }
              renderVariables();
            });
            td.append(input);
          } else {
            td.textContent = text;
          }
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  /** Adds the table's pending values to a move's arguments. */
  function withPending(args) {
    if (Object.keys(pending).length > 0) {
      args.variables = pending;
      pending = {};
    }
    return args;
  }

  function call(tool, args) {
    session.clock += STEP_MS;
    const li = document.createElement("li");
    li.dataset.tool = tool;
    const name = document.createElement("span");
    name.className = "tool";
    name.textContent = tool;
    li.append(name);
    try {
      const result = session.engine.call(tool, args);
      session.token = result.meta.session_token ?? session.token;
      const warnings = result.meta.validation?.warnings ?? [];
      li.append(` ${summarise(tool, result.structured)}`);
      for (const w of warnings) {
        const div = document.createElement("div");
        div.className = "warn";
        div.textContent = `warning: ${w}`;
        li.append(div);
      }
      log.append(li);
      return result;
    } catch (e) {
      li.classList.add("fail");
      li.append(` ${e.code}: ${e.message}`);
      log.append(li);
      return null;
    } finally {
      li.scrollIntoView({ block: "nearest" });
    }
  }

  function button(label, action, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.action = action;
    b.addEventListener("click", () => {
      onClick();
      render();
    });
    return b;
  }

  /** Redraws the status line and the actions that make sense now. */
  function render() {
    actions.replaceChildren();
    if (!session) {
      stateLine.textContent = "";
      onActivity(null);
      return;
    }
    const status = session.engine.call("get_workflow_status", { client_session_token: session.token }).structured;
    const here = session.graph.activities.find((a) => a.id === status.current_activity);
    if (status.status === "completed" || !here) onActivity(null, []);
    else onActivity(here.id, holding(library().files, here, status.variables));
    current = status.variables;
    renderVariables();
    stateLine.textContent = `${status.status} · activity: ${status.current_activity ?? "—"} · variables: ${JSON.stringify(status.variables)}`;
    stateLine.dataset.status = status.status;
    if (status.status === "completed") return;
    const graph = session.graph;
    if (session.question) {
      const question = document.createElement("div");
      question.className = "question";
      question.textContent = session.question.message;
      actions.append(question);
      for (const option of session.question.options) {
        actions.append(
          button(option.label, `answer:${option.id}`, () => {
            session.clock += ANSWER_MS;
            const answered = call("respond_checkpoint", {
              checkpoint_handle: session.question.checkpoint_handle,
              option_id: option.id,
            });
            if (answered) {
              session.question = null;
              call("resume_checkpoint", { session_token: session.token });
            }
          }),
        );
      }
      return;
    }
    const activity = graph.activities.find((a) => a.id === status.current_activity);
    if (!activity) {
      actions.append(button(`Enter ${graph.initial}`, `enter:${graph.initial}`, () => move(graph.initial)));
      return;
    }
    const answered = new Set(session.answered);
    for (const checkpoint of activity.checkpoints.filter((c) => !answered.has(`${activity.id}/${c.id}`))) {
      actions.append(
        button(`Yield ${checkpoint.id}`, `yield:${checkpoint.id}`, () => {
          const yielded = call("yield_checkpoint", { session_token: session.token, checkpoint_id: checkpoint.id });
          if (!yielded) return;
          session.answered.push(`${activity.id}/${checkpoint.id}`);
          // The orchestrator loads the checkpoint behind the worker's handle to ask the user.
          const shown = call("present_checkpoint", { checkpoint_handle: yielded.structured.checkpoint_handle });
          session.question = shown?.structured ?? null;
        }),
      );
    }
    for (const t of activity.transitions) {
      const label = t.condition ? `Next → ${t.to} [${t.condition}]` : `Next → ${t.to}`;
      actions.append(button(label, `next:${t.to}`, () => move(t.to, t.condition, activity)));
    }
    actions.append(
      button("Complete workflow", "complete", () =>
        call("complete_workflow", withPending({ session_token: session.token, step_manifest: manifest(activity) })),
      ),
    );
  }

  /** The worker's report: every step of the activity done. */
  const manifest = (activity) => activity.steps.map((s) => ({ step_id: s.id, output: "done (simulated)" }));

  function move(to, condition, from) {
    const args = { session_token: session.token, activity_id: to };
    if (condition) args.transition_condition = condition;
    if (from) args.step_manifest = manifest(from);
    call("next_activity", withPending(args));
    session.answered = session.answered.filter((a) => !a.startsWith(`${to}/`));
  }

  start.addEventListener("click", () => {
    const { files, workflow } = library();
    log.replaceChildren();
    session = null;
    let graph;
    try {
      graph = preview(files, workflow).graph;
    } catch (e) {
      stateLine.textContent = `${e.code}: ${e.message}`;
      actions.replaceChildren();
      return;
    }
    const key = crypto.getRandomValues(new Uint8Array(32));
    current = {};
    session = { graph, token: null, question: null, answered: [], clock: Date.now(), workflow };
    session.engine = new Engine(files, key, { now: () => session.clock });
    if (call("start_session", { workflow_id: workflow, agent_id: "editor" })) render();
    else session = null;
  });

  /** The trace of the session so far (get_trace) and the page's call log, as a JSON download. */
  exportTrace.addEventListener("click", () => {
    if (!session?.token) return;
    const trace = session.engine.call("get_trace", { session_token: session.token });
    session.token = trace.meta.session_token;
    const calls = [...log.children].map((li) => li.textContent);
    const blob = new Blob([JSON.stringify({ workflow: session.workflow, trace: trace.structured, calls }, null, 2)], {
      type: "application/json",
    });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `trace-${trace.structured.traceId}.json`;
    document.body.append(a);
    a.click();
    a.remove();
  });

  renderVariables();

  /** The files changed: the engine reloads them as the server would, under the session. */
  return function libraryChanged() {
    if (!session) {
      renderVariables();
      return;
    }
    const { files, workflow } = library();
    session.engine.setFiles(files);
    try {
      session.graph = preview(files, workflow).graph;
    } catch {
      // A broken workflow keeps the last graph, as the engine keeps the last good definition.
    }
    render();
  };
}

/** The indices of `activity`'s transitions that hold on `variables`: each condition evaluated
 * as the server evaluates it (read from the activity's definition, in its file or inline in its
 * workflow file); when none holds, the default and unconditional ones. */
export function holding(files, activity, variables) {
  let definition;
  try {
    const ext = activity.file.split(".").pop();
    const doc = JSON.parse(convert(textOf(files[activity.file]), ext, "json"));
    definition =
      doc.id === activity.id && !("title" in doc)
        ? doc
        : (doc.activities ?? []).find((a) => typeof a === "object" && a?.id === activity.id);
  } catch {
    return [];
  }
  const transitions = definition?.transitions ?? [];
  const holds = [];
  transitions.forEach((t, i) => {
    if (t.condition && evaluateCondition(t.condition, variables).value) holds.push(i);
  });
  if (holds.length > 0) return holds;
  transitions.forEach((t, i) => {
    if (t.isDefault || !t.condition) holds.push(i);
  });
  return holds;
}

/** One line for a result. */
function summarise(tool, s) {
  switch (tool) {
    case "start_session":
      return `session ${s.session_id}`;
    case "next_activity":
      return `→ ${s.activity_id}`;
    case "yield_checkpoint":
      return `${s.checkpoint_id}: ${s.status}`;
    case "present_checkpoint":
      return `${s.id}: ${s.options.map((o) => o.id).join(" | ")}`;
    case "respond_checkpoint":
      return `${s.checkpoint_id} = ${s.resolved_option ?? "dismissed"} · variables ${JSON.stringify(s.variables)}`;
    case "resume_checkpoint":
      return s.status;
    case "complete_workflow":
      return `${s.status}: ${s.completed_activities.join(", ")}`;
    default:
      return "";
  }
}
