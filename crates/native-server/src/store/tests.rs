use std::sync::Arc;

use serde_json::Map;
use workflow_core::session::record::{CompletedVisit, EventStatus, HistoryState, TraceState};
use workflow_core::session::{
    HistoryEntry, HistoryItem, SessionRecord, Store, StoreError, TraceEvent, Write,
};

use super::RedbStore;

pub(super) fn record(sid: &str, version: u64, updated_at: u64) -> SessionRecord {
    SessionRecord {
        sid: sid.to_owned(),
        workflow_id: "w".into(),
        workflow_version: "1.0.0".into(),
        parent_sid: None,
        depth: 0,
        children: vec![],
        agents: vec!["a".into()],
        revision: version,
        version,
        created_at: 1,
        updated_at,
        completed_at: None,
        outcome: None,
        current: None,
        completed_activities: vec![],
        active_checkpoint: None,
        last_answer: None,
        visit_answers: vec![],
        variables: Map::new(),
        directed_transition: None,
        skipped_activities: vec![],
        trace: TraceState::default(),
        history: Default::default(),
        new_history: vec![],
    }
}

fn event(index: u64) -> TraceEvent {
    TraceEvent {
        index,
        trace_id: "t".into(),
        span_id: format!("s{index}"),
        name: "next_activity".into(),
        ts: 1,
        ms: 0,
        s: EventStatus::Ok,
        wf: "w".into(),
        act: "a".into(),
        aid: "x".into(),
        to: None,
        err: None,
        vw: vec![],
        related: None,
    }
}

pub(super) fn create(sid: &str) -> Write {
    Write {
        expected_version: None,
        record: record(sid, 0, 10),
        events: vec![event(0)],
        history: vec![],
        trace_only: false,
    }
}

fn open() -> (tempfile::TempDir, RedbStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(&dir.path().join("s.redb")).expect("opens");
    (dir, store)
}

#[test]
fn a_created_record_loads_back_with_its_events() {
    let (_dir, store) = open();
    store.commit(&[create("s1")]).expect("commits");
    assert_eq!(store.load("s1").expect("loads"), Some(record("s1", 0, 10)));
    assert_eq!(store.events("s1", 0, 10).expect("reads"), vec![event(0)]);
    assert_eq!(store.load("other").expect("loads"), None);
    store.check().expect("healthy");
}

#[test]
fn a_create_of_an_existing_sid_and_a_stale_version_conflict() {
    let (_dir, store) = open();
    store.commit(&[create("s1")]).expect("commits");
    assert_eq!(store.commit(&[create("s1")]), Err(StoreError::Conflict));
    let stale = Write {
        expected_version: Some(5),
        record: record("s1", 6, 20),
        events: vec![],
        history: vec![],
        trace_only: false,
    };
    assert_eq!(store.commit(&[stale]), Err(StoreError::Conflict));
    let next = Write {
        expected_version: Some(0),
        record: record("s1", 1, 20),
        events: vec![event(1)],
        history: vec![],
        trace_only: false,
    };
    store.commit(&[next]).expect("commits");
    assert_eq!(store.load("s1").expect("loads").map(|r| r.version), Some(1));
}

#[test]
fn a_batch_with_one_conflict_writes_nothing() {
    let (_dir, store) = open();
    store.commit(&[create("parent")]).expect("commits");
    let child = create("child");
    let stale_parent = Write {
        expected_version: Some(9),
        record: record("parent", 10, 20),
        events: vec![],
        history: vec![],
        trace_only: false,
    };
    assert_eq!(
        store.commit(&[child, stale_parent]),
        Err(StoreError::Conflict)
    );
    assert_eq!(store.load("child").expect("loads"), None);
}

#[test]
fn events_below_first_kept_are_dropped() {
    let (_dir, store) = open();
    store.commit(&[create("s1")]).expect("commits");
    let mut r = record("s1", 1, 20);
    r.trace.first_kept = 2;
    let w = Write {
        expected_version: Some(0),
        record: r,
        events: vec![event(1), event(2), event(3)],
        history: vec![],
        trace_only: false,
    };
    store.commit(&[w]).expect("commits");
    let kept: Vec<u64> = store
        .events("s1", 0, 100)
        .expect("reads")
        .iter()
        .map(|e| e.index)
        .collect();
    assert_eq!(kept, vec![2, 3]);
    assert!(store.events("s1", 3, 3).expect("reads").is_empty());
}

fn visit(index: u64) -> HistoryEntry {
    HistoryEntry {
        index,
        item: HistoryItem::Visit(CompletedVisit {
            activity_id: format!("a{index}"),
            entered_at: index,
            left_at: index + 1,
            step_manifest: None,
            transition_condition: String::new(),
            next: None,
        }),
    }
}

#[test]
fn history_is_appended_read_by_range_and_trimmed_below_first_kept() {
    let (_dir, store) = open();
    store.commit(&[create("s1")]).expect("commits");
    let mut r = record("s1", 1, 20);
    r.history.next_index = 3;
    let w = Write {
        expected_version: Some(0),
        record: r.clone(),
        events: vec![],
        history: vec![visit(0), visit(1), visit(2)],
        trace_only: false,
    };
    store.commit(&[w]).expect("commits");
    assert_eq!(
        store.history("s1", 1, 3).expect("reads"),
        vec![visit(1), visit(2)]
    );
    r.version = 2;
    r.history = HistoryState {
        next_index: 4,
        first_kept: 2,
    };
    let w = Write {
        expected_version: Some(1),
        record: r,
        events: vec![],
        history: vec![visit(3)],
        trace_only: false,
    };
    store.commit(&[w]).expect("commits");
    let kept: Vec<u64> = store
        .history("s1", 0, 100)
        .expect("reads")
        .iter()
        .map(|e| e.index)
        .collect();
    assert_eq!(kept, vec![2, 3]);
    assert_eq!(store.remove_older_than(100).expect("sweeps"), 1);
    assert!(store.history("s1", 0, 100).expect("reads").is_empty());
}

#[test]
fn commits_survive_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.redb");
    {
        let store = RedbStore::open(&path).expect("opens");
        store.commit(&[create("s1")]).expect("commits");
    }
    let store = RedbStore::open(&path).expect("reopens");
    assert_eq!(store.load("s1").expect("loads"), Some(record("s1", 0, 10)));
    assert_eq!(store.events("s1", 0, 1).expect("reads"), vec![event(0)]);
}

#[test]
fn retention_removes_sessions_last_written_before_the_cutoff() {
    let (_dir, store) = open();
    store.commit(&[create("old")]).expect("commits");
    let fresh = Write {
        expected_version: None,
        record: record("fresh", 0, 1_000),
        events: vec![event(0)],
        history: vec![],
        trace_only: false,
    };
    store.commit(&[fresh]).expect("commits");
    assert_eq!(store.remove_older_than(500).expect("sweeps"), 1);
    assert_eq!(store.load("old").expect("loads"), None);
    assert!(store.events("old", 0, 10).expect("reads").is_empty());
    assert!(store.load("fresh").expect("loads").is_some());
    assert_eq!(store.remove_older_than(500).expect("sweeps"), 0);
}

#[test]
fn concurrent_callers_all_commit_and_version_checks_serialise_them() {
    let (_dir, store) = open();
    let store = Arc::new(store);
    store.commit(&[create("shared")]).expect("commits");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                let sid = format!("own{t}");
                store.commit(&[create(&sid)]).expect("own session commits");
                // Everyone races on one record; exactly one wins each version.
                let mut wins = 0;
                for _ in 0..5 {
                    let Some(current) = store.load("shared").expect("loads") else {
                        continue;
                    };
                    let w = Write {
                        expected_version: Some(current.version),
                        record: record("shared", current.version + 1, 20),
                        events: vec![],
                        history: vec![],
                        trace_only: false,
                    };
                    match store.commit(&[w]) {
                        Ok(()) => wins += 1,
                        Err(StoreError::Conflict) => {}
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                wins
            })
        })
        .collect();
    let wins: u64 = threads.into_iter().map(|t| t.join().expect("joins")).sum();
    let version = store.load("shared").expect("loads").map(|r| r.version);
    assert_eq!(version, Some(wins));
    for t in 0..8 {
        assert!(store.load(&format!("own{t}")).expect("loads").is_some());
    }
}

#[test]
fn a_second_open_of_the_same_file_says_it_is_in_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.redb");
    let _first = RedbStore::open(&path).expect("opens");
    assert!(matches!(
        RedbStore::open(&path),
        Err(super::OpenError::InUse { .. })
    ));
}

/// A copy of the store file as it is on disk now, opened as a crash would leave it.
fn on_disk(path: &std::path::Path) -> (tempfile::TempDir, RedbStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.redb");
    std::fs::copy(path, &copy).expect("copies");
    let store = RedbStore::open(&copy).expect("the copy opens");
    (dir, store)
}

fn trace_only(sid: &str, version: u64, index: u64) -> Write {
    let mut r = record(sid, version, 10);
    r.trace.next_index = index + 1;
    Write {
        expected_version: Some(version - 1),
        record: r,
        events: vec![event(index)],
        history: vec![],
        trace_only: true,
    }
}

#[test]
fn trace_only_commits_reach_the_disk_with_the_next_durable_one_or_soon_after() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.redb");
    let store = RedbStore::open(&path).expect("opens");
    store.commit(&[create("s1")]).expect("commits");
    store.commit(&[trace_only("s1", 1, 1)]).expect("commits");
    assert_eq!(
        store.events("s1", 0, 10).expect("reads").len(),
        2,
        "visible at once"
    );
    let next = Write {
        expected_version: Some(1),
        record: record("s1", 2, 20),
        events: vec![event(2)],
        history: vec![],
        trace_only: false,
    };
    store.commit(&[next]).expect("commits");
    let (_copy, crashed) = on_disk(&path);
    assert_eq!(crashed.events("s1", 0, 10).expect("reads").len(), 3);
    drop((_copy, crashed));

    // With no durable commit after it, the writer flushes on its own.
    store.commit(&[trace_only("s1", 3, 3)]).expect("commits");
    let flushed = (0..100).any(|_| {
        std::thread::sleep(super::writer::FLUSH_AFTER);
        let (_copy, crashed) = on_disk(&path);
        crashed.events("s1", 0, 10).expect("reads").len() == 4
    });
    assert!(flushed, "the trace-only commit never reached the disk");
}
