//! A store file of layout 1, written as the previous release wrote it, opens upgraded in place.

use redb::ReadableDatabase;
use serde_json::json;
use workflow_core::session::record::AnswerMode;
use workflow_core::session::{HistoryItem, Store};

use super::RedbStore;
use super::tables::{BY_UPDATED, EVENTS, HEADS, LAYOUT, RECORDS, VERSION_KEY};

/// A layout-1 record: two closed visits and two answers inside it, and stored segments.
fn layout_1_record() -> serde_json::Value {
    json!({
        "sid": "s1", "workflow_id": "w", "workflow_version": "1.0.0", "parent_sid": null,
        "depth": 0, "children": [], "agents": ["a"], "revision": 6, "version": 9,
        "created_at": 1, "updated_at": 60, "completed_at": null, "outcome": null,
        "current": {"activity_id": "review", "entered_at": 40, "entered_revision": 4,
                    "condition": ""},
        "completed_activities": [
            {"activity_id": "draft", "entered_at": 2, "left_at": 20,
             "step_manifest": [{"step_id": "write", "output": "notes"}],
             "transition_condition": "", "next": "review"},
            {"activity_id": "review", "entered_at": 20, "left_at": 30, "step_manifest": null,
             "transition_condition": "", "next": "draft"}
        ],
        "active_checkpoint": null,
        "answers": [
            {"checkpoint_id": "ok", "activity_id": "review", "yield_revision": 2, "mode": "option",
             "option_id": "yes", "effect": null, "answered_at": 25, "revision": 3,
             "resumed_at": 26},
            {"checkpoint_id": "ok", "activity_id": "review", "yield_revision": 5, "mode": "option",
             "option_id": "no", "effect": null, "answered_at": 55, "revision": 6,
             "resumed_at": null}
        ],
        "variables": {"x": 1}, "directed_transition": null,
        "skipped_activities": [
            {"activity_id": "c", "checkpoint_id": "ok", "option_id": "yes"},
            {"activity_id": "c", "checkpoint_id": "ok", "option_id": "yes"}
        ],
        "trace": {"next_index": 3, "first_kept": 0, "segment_start": 2,
                  "segments": [{"act": "", "from": 0, "to": 2, "closed_by": "next_activity"}]}
    })
}

#[test]
fn a_layout_1_file_is_upgraded_in_place_and_reopens_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sessions.redb");
    {
        let db = redb::Database::create(&path).expect("creates");
        let txn = db.begin_write().expect("writes");
        {
            let bytes = serde_json::to_vec(&layout_1_record()).expect("encodes");
            txn.open_table(RECORDS)
                .expect("table")
                .insert("s1", bytes.as_slice())
                .expect("inserts");
            txn.open_table(HEADS)
                .expect("table")
                .insert("s1", (9, 60, 0))
                .expect("inserts");
            txn.open_table(BY_UPDATED)
                .expect("table")
                .insert((60, "s1"), ())
                .expect("inserts");
            let event = json!({"index": 0, "traceId": "s1", "spanId": "x", "name": "start_session",
                               "ts": 0, "ms": 0, "s": "ok", "wf": "w", "act": "", "aid": "a"});
            let bytes = serde_json::to_vec(&event).expect("encodes");
            txn.open_table(EVENTS)
                .expect("table")
                .insert(("s1", 0), bytes.as_slice())
                .expect("inserts");
        }
        txn.commit().expect("commits");
    }

    let store = RedbStore::open(&path).expect("opens and upgrades");
    let record = store.load("s1").expect("loads").expect("kept");
    assert_eq!(record.completed_activities, vec!["draft", "review"]);
    let last = record.last_answer.clone().expect("latest answer kept");
    assert_eq!((last.option_id.as_deref(), last.revision), (Some("no"), 6));
    assert_eq!(
        record.visit_answers,
        vec!["ok"],
        "answered after entering review at 4"
    );
    assert_eq!(record.skipped_activities.len(), 1);
    assert_eq!(
        (record.history.next_index, record.history.first_kept),
        (3, 0)
    );
    assert_eq!(
        (record.version, record.variables["x"].clone()),
        (9, json!(1))
    );
    // Visits and the replaced answer, in the order they happened.
    let kinds: Vec<String> = store
        .history("s1", 0, 10)
        .expect("reads")
        .into_iter()
        .map(|e| match e.item {
            HistoryItem::Visit(v) => format!("visit {}", v.activity_id),
            HistoryItem::Answer(a) => {
                assert_eq!(a.mode, AnswerMode::Option);
                format!("answer {}", a.option_id.unwrap_or_default())
            }
        })
        .collect();
    assert_eq!(kinds, vec!["visit draft", "answer yes", "visit review"]);
    assert_eq!(store.events("s1", 0, 1).expect("reads").len(), 1);
    drop(store);

    // Layout 2 is recorded, and a second open changes nothing.
    let store = RedbStore::open(&path).expect("reopens");
    assert_eq!(store.load("s1").expect("loads"), Some(record));
    assert_eq!(store.history("s1", 0, 10).expect("reads").len(), 3);
    let version = store
        .db
        .begin_read()
        .expect("reads")
        .open_table(LAYOUT)
        .expect("table")
        .get(VERSION_KEY)
        .expect("reads")
        .map(|v| v.value());
    assert_eq!(version, Some(super::tables::LAYOUT_VERSION));
}

#[test]
fn a_file_of_a_newer_layout_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sessions.redb");
    {
        let db = redb::Database::create(&path).expect("creates");
        let txn = db.begin_write().expect("writes");
        txn.open_table(LAYOUT)
            .expect("table")
            .insert(VERSION_KEY, 99)
            .expect("inserts");
        txn.commit().expect("commits");
    }
    let message = RedbStore::open(&path).err().expect("refused").to_string();
    assert!(
        message.contains("newer workflow-server (store layout 99)"),
        "{message}"
    );
}

#[test]
fn a_record_that_cannot_be_upgraded_refuses_the_open_and_leaves_the_file_at_layout_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sessions.redb");
    {
        let db = redb::Database::create(&path).expect("creates");
        let txn = db.begin_write().expect("writes");
        txn.open_table(RECORDS)
            .expect("table")
            .insert("s1", br#"{"sid": "s1", "answers": 7}"#.as_slice())
            .expect("inserts");
        txn.commit().expect("commits");
    }
    let message = RedbStore::open(&path).err().expect("refused").to_string();
    assert!(
        message.contains("the record of session s1 cannot be upgraded: answers:"),
        "{message}"
    );
    let db = redb::Database::open(&path).expect("opens");
    let txn = db.begin_read().expect("reads");
    assert!(
        txn.open_table(LAYOUT).is_err(),
        "nothing of the upgrade was committed"
    );
}
