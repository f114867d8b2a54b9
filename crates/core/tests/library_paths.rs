//! Every transition path of every workflow in the project's library, run through the engine
//! (the server's own behaviour): each activity is reachable from `initialActivity`, every path
//! can end, and every edge — conditional transition, decision branch, checkpoint option, loop —
//! is taken by a real session whose variables make its condition hold, without a warning that
//! the move is illegal or its condition false, and each session completes at a terminal
//! activity.

mod library_support;

use library_support::library_files;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};
use workflow_core::catalog::{Catalog, Definition, Library};
use workflow_core::engine::{Engine, EngineConfig, ToolOutput};
use workflow_core::keyring::{Key, KeyRing};
use workflow_core::model::{Condition, Operator, VariableType};
use workflow_core::session::{Env, MemoryStore};

struct Clock {
    now: AtomicU64,
    ids: AtomicU64,
}

impl Env for Clock {
    fn now_ms(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }
    fn uuid(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::SeqCst) + 1;
        format!("{:08x}-0000-4000-8000-{n:012x}", n * 7919)
    }
}

#[derive(Clone, Debug)]
enum Edge {
    /// A transition or decision branch, with its condition and whether it is the default.
    Conditional(Option<Condition>, bool),
    /// A checkpoint option whose effect directs the workflow.
    Option { checkpoint: String, option: String },
    /// An activity a loop of the source activity repeats.
    Loop,
}

/// Outgoing edges per activity, in file order.
fn graph(def: &Definition) -> BTreeMap<String, Vec<(String, Edge)>> {
    let mut g = BTreeMap::new();
    for a in &def.activities {
        let act = &a.activity;
        let mut edges = Vec::new();
        for t in &act.transitions {
            edges.push((
                t.to.clone(),
                Edge::Conditional(t.condition.clone(), t.is_default),
            ));
        }
        for d in &act.decisions {
            for b in &d.branches {
                if let Some(to) = &b.transition_to {
                    edges.push((
                        to.clone(),
                        Edge::Conditional(b.condition.clone(), b.is_default),
                    ));
                }
            }
        }
        for c in &act.checkpoints {
            for o in &c.options {
                if let Some(to) = o.effect.as_ref().and_then(|e| e.transition_to.clone()) {
                    edges.push((
                        to,
                        Edge::Option {
                            checkpoint: c.id.clone(),
                            option: o.id.clone(),
                        },
                    ));
                }
            }
        }
        for l in &act.loops {
            for to in &l.activities {
                edges.push((to.clone(), Edge::Loop));
            }
        }
        g.insert(act.id.clone(), edges);
    }
    g
}

/// A value of the declared type, for `exists`.
fn sample(kind: Option<VariableType>) -> Value {
    match kind {
        Some(VariableType::Number) => json!(1),
        Some(VariableType::Boolean) => json!(true),
        Some(VariableType::Array) => json!(["item"]),
        Some(VariableType::Object) => json!({"key": "value"}),
        _ => json!("value"),
    }
}

/// A value different from `v`, of the same type where possible.
fn other(v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!(!b),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.0),
        Value::String(s) => json!(format!("{s}-other")),
        _ => json!("other"),
    }
}

/// Writes `value` at a dotted path into `vars`, creating objects and arrays on the way.
fn put(vars: &mut Map<String, Value>, path: &str, value: Value) -> bool {
    let mut segments = path.split('.');
    let first = segments.next().unwrap();
    let rest: Vec<&str> = segments.collect();
    let mut slot = vars.entry(first.to_owned()).or_insert(Value::Null);
    for seg in rest {
        if let Ok(i) = seg.parse::<usize>() {
            if !slot.is_array() {
                *slot = json!([]);
            }
            let arr = slot.as_array_mut().unwrap();
            while arr.len() <= i {
                arr.push(Value::Null);
            }
            slot = &mut arr[i];
        } else {
            if !slot.is_object() {
                *slot = json!({});
            }
            slot = slot
                .as_object_mut()
                .unwrap()
                .entry(seg.to_owned())
                .or_insert(Value::Null);
        }
    }
    if !slot.is_null() && *slot != value {
        return false;
    }
    *slot = value;
    true
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) -> bool {
    for (k, v) in from {
        match into.get(&k) {
            Some(existing) if *existing != v => return false,
            _ => {
                into.insert(k, v);
            }
        }
    }
    true
}

/// Variables under which `c` evaluates to `want`.
fn satisfy(
    c: &Condition,
    want: bool,
    types: &HashMap<String, VariableType>,
) -> Option<Map<String, Value>> {
    let mut vars = Map::new();
    match c {
        Condition::Simple {
            variable,
            operator,
            value,
        } => {
            let kind = types.get(variable.split('.').next().unwrap()).copied();
            let v = value.clone().unwrap_or(Value::Null);
            let n = v.as_f64().unwrap_or(0.0);
            let chosen = match (operator, want) {
                (Operator::Eq, true) | (Operator::Ne, false) => v,
                (Operator::Eq, false) | (Operator::Ne, true) => other(&v),
                (Operator::Gt, true) | (Operator::Le, false) => json!(n + 1.0),
                (Operator::Lt, true) | (Operator::Ge, false) => json!(n - 1.0),
                (Operator::Ge, true)
                | (Operator::Lt, false)
                | (Operator::Le, true)
                | (Operator::Gt, false) => json!(n),
                (Operator::Exists, true) | (Operator::NotExists, false) => sample(kind),
                (Operator::Exists, false) | (Operator::NotExists, true) => Value::Null,
            };
            put(&mut vars, variable, chosen).then_some(vars)
        }
        Condition::And { conditions } | Condition::Or { conditions } => {
            let all = matches!(c, Condition::And { .. }) == want;
            if all {
                for sub in conditions {
                    if !merge(&mut vars, satisfy(sub, want, types)?) {
                        return None;
                    }
                }
                Some(vars)
            } else {
                conditions.iter().find_map(|sub| satisfy(sub, want, types))
            }
        }
        Condition::Not { condition } => satisfy(condition, !want, types),
    }
}

const ILLEGAL: &[&str] = &[
    "transition_illegal",
    "transition_first",
    "condition_false",
    "condition_mismatch",
    "condition_required",
    "transition_directed",
];

struct Run<'a> {
    engine: &'a Engine,
    env: &'a Clock,
    token: String,
}

impl Run<'_> {
    fn call(&mut self, tool: &str, mut args: Map<String, Value>) -> ToolOutput {
        args.insert(
            if tool.ends_with("_checkpoint")
                && tool != "yield_checkpoint"
                && tool != "resume_checkpoint"
            {
                "checkpoint_handle"
            } else {
                "session_token"
            }
            .to_owned(),
            json!(self.token),
        );
        let out = self
            .engine
            .call(self.env, tool, args)
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        if let Some(t) = out.meta.get("session_token").and_then(Value::as_str) {
            self.token = t.to_owned();
        }
        out
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn codes(out: &ToolOutput) -> Vec<String> {
    out.meta["validation"]["codes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_path_of_every_workflow_runs_through_the_engine() {
    let catalog = Catalog::new(Library::load(library_files()), 0);
    let config = EngineConfig {
        min_response_ms: 3_000,
        ..EngineConfig::default()
    };
    let ids: Vec<String> = catalog
        .library()
        .workflows()
        .map(|w| w.id.clone())
        .collect();
    let engine = Engine::new(
        catalog.clone(),
        Arc::new(MemoryStore::new()),
        KeyRing::new(Key::new("k", [7; 32], 0)),
        config,
    );
    let env = Clock {
        now: AtomicU64::new(1_800_000_000_000),
        ids: AtomicU64::new(0),
    };
    let mut edges_run = 0;

    for wf in &ids {
        let def = catalog
            .served(wf)
            .unwrap_or_else(|| panic!("{wf} is not servable"))
            .definition
            .clone();
        let initial = def
            .initial_activity()
            .expect("an initial activity")
            .activity
            .id
            .clone();
        let g = graph(&def);
        let types: HashMap<String, VariableType> = def
            .workflow
            .variables
            .iter()
            .map(|v| (v.name.clone(), v.kind))
            .collect();

        // Reachability, with the edge that first reaches each activity.
        let mut parent: BTreeMap<String, Option<(String, Edge)>> = BTreeMap::new();
        parent.insert(initial.clone(), None);
        let mut queue = VecDeque::from([initial.clone()]);
        while let Some(a) = queue.pop_front() {
            for (to, edge) in &g[&a] {
                if !parent.contains_key(to) {
                    parent.insert(to.clone(), Some((a.clone(), edge.clone())));
                    queue.push_back(to.clone());
                }
            }
        }
        let all: BTreeSet<String> = g.keys().cloned().collect();
        let reached: BTreeSet<String> = parent.keys().cloned().collect();
        assert_eq!(
            reached, all,
            "{wf}: activities not reachable from {initial}"
        );

        // Every path can end: from every activity, one is reachable where no transition is
        // forced (no unconditional or default one), so the workflow may finish there
        // (docs/formats.md#transition).
        let terminals: BTreeSet<&String> = g
            .iter()
            .filter(|(_, e)| {
                !e.iter().any(|(_, edge)| {
                    matches!(
                        edge,
                        Edge::Conditional(None, _) | Edge::Conditional(_, true)
                    )
                })
            })
            .map(|(a, _)| a)
            .collect();
        assert!(!terminals.is_empty(), "{wf} has no terminal activity");
        for a in &all {
            let mut seen = BTreeSet::from([a.clone()]);
            let mut q = VecDeque::from([a.clone()]);
            let mut ends = terminals.contains(a);
            while let Some(x) = q.pop_front() {
                for (to, _) in &g[&x] {
                    ends |= terminals.contains(to);
                    if seen.insert(to.clone()) {
                        q.push_back(to.clone());
                    }
                }
            }
            assert!(ends, "{wf}: no path from '{a}' ever ends");
        }

        // Drive every edge: the path to its source, the edge, then on to a terminal and complete.
        for (from, out_edges) in &g {
            for (to, edge) in out_edges {
                let mut path: Vec<(String, String, Edge)> = Vec::new();
                let mut at = from.clone();
                while let Some(Some((p, e))) = parent.get(&at) {
                    path.push((p.clone(), at.clone(), e.clone()));
                    at = p.clone();
                }
                path.reverse();
                path.push((from.clone(), to.clone(), edge.clone()));
                // Then the shortest way from `to` to a terminal.
                let mut tail = Vec::new();
                let mut prev: BTreeMap<String, (String, Edge)> = BTreeMap::new();
                let mut q = VecDeque::from([to.clone()]);
                let mut seen = BTreeSet::from([to.clone()]);
                let mut end = to.clone();
                while let Some(x) = q.pop_front() {
                    if terminals.contains(&x) {
                        end = x;
                        break;
                    }
                    for (n, e) in &g[&x] {
                        if seen.insert(n.clone()) {
                            prev.insert(n.clone(), (x.clone(), e.clone()));
                            q.push_back(n.clone());
                        }
                    }
                }
                let mut cur = end.clone();
                while let Some((p, e)) = prev.get(&cur) {
                    tail.push((p.clone(), cur.clone(), e.clone()));
                    cur = p.clone();
                }
                tail.reverse();
                path.extend(tail);

                let start = engine
                    .call(
                        &env,
                        "start_session",
                        obj(json!({"workflow_id": wf, "agent_id": "path-walker"})),
                    )
                    .unwrap_or_else(|e| panic!("{wf}: start_session: {e}"));
                let mut run = Run {
                    engine: &engine,
                    env: &env,
                    token: start.meta["session_token"].as_str().unwrap().to_owned(),
                };
                let first = run.call("next_activity", obj(json!({"activity_id": initial})));
                let bad: Vec<String> = codes(&first)
                    .into_iter()
                    .filter(|c| ILLEGAL.contains(&c.as_str()))
                    .collect();
                assert!(bad.is_empty(), "{wf}: entering {initial}: {bad:?}");
                for (a, b, e) in &path {
                    let mut args = obj(json!({"activity_id": b}));
                    match e {
                        Edge::Conditional(Some(c), _) => {
                            let vars = satisfy(c, true, &types).unwrap_or_else(|| {
                                panic!("{wf}: condition of {a}->{b} cannot hold: {}", c.render())
                            });
                            args.insert("variables".into(), Value::Object(vars));
                            args.insert("transition_condition".into(), json!(c.render()));
                        }
                        Edge::Conditional(None, _) | Edge::Loop => {}
                        Edge::Option { checkpoint, option } => {
                            run.call(
                                "yield_checkpoint",
                                obj(json!({"checkpoint_id": checkpoint})),
                            );
                            env.now.fetch_add(3_000, Ordering::SeqCst);
                            let answer =
                                run.call("respond_checkpoint", obj(json!({"option_id": option})));
                            assert_eq!(answer.structured["resolved"], json!(true));
                            run.call("resume_checkpoint", Map::new());
                        }
                    }
                    let out = run.call("next_activity", args);
                    let mut bad: Vec<String> = codes(&out)
                        .into_iter()
                        .filter(|c| ILLEGAL.contains(&c.as_str()))
                        .collect();
                    if matches!(e, Edge::Loop) {
                        bad.retain(|c| c != "transition_illegal");
                    }
                    assert!(bad.is_empty(), "{wf}: {a} -> {b} ({e:?}): {bad:?}");
                    assert_eq!(out.structured["activity_id"], json!(b));
                }
                let done = run.call("complete_workflow", obj(json!({"outcome": "path walked"})));
                assert_eq!(
                    done.structured["status"],
                    json!("completed"),
                    "{wf}: completing at {end}"
                );
                edges_run += 1;
            }
        }
    }
    assert!(edges_run >= 20, "only {edges_run} edges were driven");
}
