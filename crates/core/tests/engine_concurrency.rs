//! Conflicts (docs/protocol.md#concurrency): a call whose commit finds the record changed is
//! evaluated again against the new record, so two answers to one checkpoint never both succeed; a
//! call that changed nothing keeps its answer and only books its trace event again, so parallel
//! reads of one session do not fail each other; a store that keeps conflicting ends in `conflict`.

mod engine_support;

use std::sync::{Arc, Mutex, OnceLock, Weak};

use engine_support::*;
use serde_json::{Map, Value, json};
use workflow_core::catalog::Catalog;
use workflow_core::engine::{CallError, Engine, EngineConfig, ErrorCode};
use workflow_core::keyring::KeyRing;
use workflow_core::session::{
    HistoryEntry, MemoryStore, SessionRecord, Store, StoreError, TraceEvent, Write,
};

/// A memory store that, on the next commit, first lets `interloper` run (a competing call on
/// the same engine), or reports a conflict a number of times.
struct Racing {
    inner: MemoryStore,
    interloper: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    conflicts: Mutex<u32>,
}

impl Store for Racing {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.inner.load(sid)
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        let interloper = self.interloper.lock().unwrap().take();
        if let Some(run) = interloper {
            run();
        }
        {
            let mut conflicts = self.conflicts.lock().unwrap();
            if *conflicts > 0 {
                *conflicts -= 1;
                return Err(StoreError::Conflict);
            }
        }
        self.inner.commit(writes)
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        self.inner.events(sid, from, to)
    }

    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError> {
        self.inner.history(sid, from, to)
    }
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn setup() -> (Arc<Engine>, Arc<Racing>, Arc<FakeEnv>) {
    let store = Arc::new(Racing {
        inner: MemoryStore::new(),
        interloper: Mutex::new(None),
        conflicts: Mutex::new(0),
    });
    let engine = Arc::new(Engine::new(
        Catalog::new(library(files()), T0),
        store.clone(),
        KeyRing::new(key(1)),
        EngineConfig::default(),
    ));
    (engine, store, Arc::new(FakeEnv::new(T0)))
}

fn ok(engine: &Engine, env: &FakeEnv, tool: &str, a: Value) -> workflow_core::engine::ToolOutput {
    engine
        .call(env, tool, args(a))
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

/// A new session of `release` at its `draft` activity: its newest token and its id.
fn session_at_draft(engine: &Engine, env: &FakeEnv) -> (String, String) {
    let start = ok(
        engine,
        env,
        "start_session",
        json!({"workflow_id": "release", "agent_id": "a"}),
    );
    let sid = start.structured["session_id"].as_str().unwrap().to_owned();
    let moved = ok(
        engine,
        env,
        "next_activity",
        json!({"session_token": token(&start), "activity_id": "draft"}),
    );
    (token(&moved), sid)
}

#[test]
fn two_answers_to_one_checkpoint_never_both_succeed() {
    let (engine, store, env) = setup();
    let (t, _) = session_at_draft(&engine, &env);
    let y = ok(
        &engine,
        &env,
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review"}),
    );
    let handle = token(&y);
    env.advance(3_000);

    // While the first answer commits, a second one for the same handle gets in first.
    let weak: Arc<OnceLock<Weak<Engine>>> = Arc::new(OnceLock::new());
    let _ = weak.set(Arc::downgrade(&engine));
    let (w, e, h) = (weak.clone(), env.clone(), handle.clone());
    *store.interloper.lock().unwrap() = Some(Box::new(move || {
        let engine = w.get().and_then(Weak::upgrade).unwrap();
        let out = engine.call(
            &*e,
            "respond_checkpoint",
            args(json!({"checkpoint_handle": h, "option_id": "hold"})),
        );
        assert!(out.is_ok(), "the interloper wins: {out:?}");
    }));
    let first = engine.call(
        &*env,
        "respond_checkpoint",
        args(json!({"checkpoint_handle": handle, "option_id": "approve"})),
    );
    let Err(CallError::Tool { code, message }) = first else {
        panic!("the re-evaluated answer must be refused: {first:?}");
    };
    assert_eq!(code, ErrorCode::CheckpointAnswered);
    assert!(message.contains("(option 'hold' at "));
    let status = ok(
        &engine,
        &env,
        "get_workflow_status",
        json!({"client_session_token": t}),
    );
    assert_eq!(status.structured["last_checkpoint"]["option"], "hold");
    assert_eq!(status.structured["variables"]["approved"], false);
}

#[test]
fn conflicts_are_retried_then_reported() {
    let (engine, store, env) = setup();
    let start = ok(
        &engine,
        &env,
        "start_session",
        json!({"workflow_id": "release", "agent_id": "a"}),
    );
    let (t, sid) = (token(&start), start.structured["session_id"].clone());
    *store.conflicts.lock().unwrap() = 3;
    ok(
        &engine,
        &env,
        "next_activity",
        json!({"session_token": t, "activity_id": "draft"}),
    );
    let record = engine.store().load(sid.as_str().unwrap()).unwrap().unwrap();
    assert_eq!(record.revision, 1, "applied once");
    assert_eq!(record.trace.next_index, 2, "traced once");

    *store.conflicts.lock().unwrap() = 1_000;
    let Err(CallError::Tool { code, message }) =
        engine.call(&*env, "get_activity", args(json!({"session_token": t})))
    else {
        panic!("must fail");
    };
    assert_eq!(code, ErrorCode::Conflict);
    assert_eq!(
        message,
        "The session changed while this call was running; retry the call."
    );
}

#[test]
fn a_read_outlasts_more_conflicts_than_a_change_and_is_traced_once() {
    let (engine, store, env) = setup();
    let (t, sid) = session_at_draft(&engine, &env);
    let sid = sid.as_str();
    let before = engine.store().load(sid).unwrap().unwrap();

    // More conflicts than a state-changing call is evaluated for: the read keeps its answer
    // and books its event on the record as it now stands.
    *store.conflicts.lock().unwrap() = 20;
    let read = ok(&engine, &env, "get_activity", json!({"session_token": t}));
    assert_eq!(read.structured["activity"]["id"], "draft");
    let after = engine.store().load(sid).unwrap().unwrap();
    assert_eq!(after.trace.next_index, before.trace.next_index + 1);
    assert_eq!(after.revision, before.revision, "a read changes no state");
    let events = engine
        .store()
        .events(sid, before.trace.next_index, after.trace.next_index)
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].name, "get_activity");

    *store.conflicts.lock().unwrap() = 20;
    let change = engine.call(
        &*env,
        "yield_checkpoint",
        args(json!({"session_token": t, "checkpoint_id": "draft-review"})),
    );
    assert!(
        matches!(
            change,
            Err(CallError::Tool {
                code: ErrorCode::Conflict,
                ..
            })
        ),
        "{change:?}"
    );
    *store.conflicts.lock().unwrap() = 0;
    ok(
        &engine,
        &env,
        "yield_checkpoint",
        json!({"session_token": t, "checkpoint_id": "draft-review"}),
    );
}

#[test]
fn parallel_reads_of_one_session_all_succeed_and_are_each_traced() {
    let (engine, _store, env) = setup();
    let (t, sid) = session_at_draft(&engine, &env);
    let sid = sid.as_str();
    let before = engine.store().load(sid).unwrap().unwrap().trace.next_index;
    let (threads, calls) = (8, 150);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..calls {
                    ok(&engine, &env, "get_activity", json!({"session_token": t}));
                }
            });
        }
    });
    let after = engine.store().load(sid).unwrap().unwrap().trace.next_index;
    assert_eq!(
        after - before,
        (threads * calls) as u64,
        "one event per call"
    );
    let events = engine.store().events(sid, before, after).unwrap();
    assert_eq!(events.len(), threads * calls);
    assert!(events.iter().all(|e| e.name == "get_activity"));
}
