//! The PostgreSQL store against a real server: the cluster `scripts/postgres.sh run` starts
//! (`WORKFLOW_TEST_POSTGRES_URL`), one new database per test. Without that variable these tests
//! say so and pass, except under CI, where its absence is a failure.

use std::sync::Arc;
use std::time::Duration;

use workflow_core::session::record::{CompletedVisit, EventStatus, HistoryState};
use workflow_core::session::{
    HistoryEntry, HistoryItem, SessionRecord, Store, StoreError, TraceEvent, Write,
};

use super::{PgOpenError, PgStore, SchemaError, schema};
use crate::changes::{Change, Changes, Subscription};

/// A database of its own for one test, dropped with the value.
pub struct TestDb {
    admin: String,
    name: String,
    pub url: String,
}

impl TestDb {
    /// `None` (with a note) when no test cluster is configured.
    pub fn new() -> Option<TestDb> {
        let Ok(admin) = std::env::var("WORKFLOW_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "WORKFLOW_TEST_POSTGRES_URL is not set: run the tests through \
                 scripts/postgres.sh run (scripts/test.sh does)"
            );
            eprintln!("skipped: no PostgreSQL (run through scripts/postgres.sh run)");
            return None;
        };
        let name = format!("wfs_test_{}", uuid::Uuid::new_v4().simple());
        let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
        let url = format!("{base}/{name}");
        admin_sql(&admin, &format!("CREATE DATABASE {name}"));
        Some(TestDb { admin, name, url })
    }

    pub fn open(&self, changes: Arc<Changes>) -> PgStore {
        PgStore::open(&self.url, 4, changes).expect("opens")
    }

    /// Runs statements on this database with a connection of their own.
    pub fn sql(&self, sql: &str) {
        admin_sql(&self.url, sql);
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        admin_sql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn admin_sql(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("connects to the test cluster");
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.expect(sql);
        drop(client);
        let _ = driver.await;
    });
}

fn record(sid: &str, version: u64, updated_at: u64) -> SessionRecord {
    let mut r = SessionRecord::new(sid.to_owned(), "w".into(), "1.0.0".into(), 1);
    r.version = version;
    r.revision = version;
    r.updated_at = updated_at;
    r
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

fn create(sid: &str) -> Write {
    Write {
        expected_version: None,
        record: record(sid, 0, 10),
        events: vec![event(0)],
        history: vec![],
        trace_only: false,
    }
}

/// The next version, with one event and one history entry at indices of that version.
fn update(sid: &str, expected: u64) -> Write {
    let mut r = record(sid, expected + 1, 20);
    r.history.next_index = expected + 1;
    Write {
        expected_version: Some(expected),
        record: r,
        events: vec![event(expected + 1)],
        history: vec![visit(expected)],
        trace_only: false,
    }
}

/// Waits for the first change `wanted` accepts. The deadline only keeps a broken build from
/// hanging the suite; a healthy one hears the change in milliseconds.
fn heard(changes: &mut Subscription, wanted: impl Fn(&Change) -> bool) -> Change {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let change = changes.next().await.expect("the store is open");
                if wanted(&change) {
                    return change;
                }
            }
        })
        .await
        .expect("the change was announced")
    })
}

/// A store whose LISTEN connection is up (its first [`Change::All`] was published), with a
/// subscription to what it hears.
fn listening(db: &TestDb) -> (PgStore, Subscription) {
    let changes = Arc::new(Changes::default());
    let mut heard_here = changes.subscribe();
    let store = db.open(changes);
    heard(&mut heard_here, |c| *c == Change::All);
    (store, heard_here)
}

#[test]
fn a_created_record_loads_back_with_its_events() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
    store.commit(&[create("s1")]).expect("commits");
    assert_eq!(store.load("s1").expect("loads"), Some(record("s1", 0, 10)));
    assert_eq!(store.events("s1", 0, 10).expect("reads"), vec![event(0)]);
    assert_eq!(
        store.events("s1", 0, u64::MAX).expect("reads"),
        vec![event(0)]
    );
    assert_eq!(store.load("other").expect("loads"), None);
    store.check().expect("healthy");
}

#[test]
fn a_create_of_an_existing_sid_and_a_stale_version_conflict() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
    store.commit(&[create("s1")]).expect("commits");
    assert_eq!(store.commit(&[create("s1")]), Err(StoreError::Conflict));
    assert_eq!(store.commit(&[update("s1", 5)]), Err(StoreError::Conflict));
    store.commit(&[update("s1", 0)]).expect("commits");
    assert_eq!(store.load("s1").expect("loads").map(|r| r.version), Some(1));
    assert_eq!(store.events("s1", 0, 10).expect("reads").len(), 2);
    assert_eq!(store.history("s1", 0, 10).expect("reads"), vec![visit(0)]);
    // A trace-only batch (committed without waiting for the flush) is applied like any other,
    // compare-and-swap included.
    let mut booked = record("s1", 2, 20);
    booked.trace.next_index = 3;
    let read = |expected| Write {
        expected_version: Some(expected),
        record: booked.clone(),
        events: vec![event(2)],
        history: vec![],
        trace_only: true,
    };
    assert_eq!(store.commit(&[read(0)]), Err(StoreError::Conflict));
    store.commit(&[read(1)]).expect("commits");
    assert_eq!(store.load("s1").expect("loads"), Some(booked.clone()));
    assert_eq!(store.events("s1", 2, 3).expect("reads"), vec![event(2)]);
}

#[test]
fn a_batch_with_one_conflict_writes_nothing() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
    store.commit(&[create("parent")]).expect("commits");
    assert_eq!(
        store.commit(&[create("child"), update("parent", 9)]),
        Err(StoreError::Conflict)
    );
    assert_eq!(store.load("child").expect("loads"), None);
    assert!(store.events("child", 0, 10).expect("reads").is_empty());
    store
        .commit(&[update("parent", 0), create("child")])
        .expect("both commit");
    assert!(store.load("child").expect("loads").is_some());
}

#[test]
fn events_below_first_kept_are_dropped() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
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

#[test]
fn history_is_appended_read_by_range_and_trimmed_below_first_kept() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
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
        .history("s1", 0, u64::MAX)
        .expect("reads")
        .iter()
        .map(|e| e.index)
        .collect();
    assert_eq!(kept, vec![2, 3]);
}

#[test]
fn retention_removes_sessions_last_written_before_the_cutoff() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
    store.commit(&[create("old")]).expect("commits");
    store.commit(&[update("old", 0)]).expect("commits");
    let fresh = Write {
        expected_version: None,
        record: record("fresh", 0, 1_000),
        events: vec![event(0)],
        history: vec![],
        trace_only: false,
    };
    store.commit(&[fresh]).expect("commits");
    assert!(!store.is_empty().expect("reads"));
    assert_eq!(store.remove_older_than(500).expect("sweeps"), 1);
    assert_eq!(store.load("old").expect("loads"), None);
    assert!(store.events("old", 0, 10).expect("reads").is_empty());
    assert!(store.history("old", 0, 10).expect("reads").is_empty());
    assert!(store.load("fresh").expect("loads").is_some());
    assert_eq!(store.remove_older_than(500).expect("sweeps"), 0);
}

/// Two stores are two servers: racing on one record, exactly one wins each version.
#[test]
fn servers_racing_on_one_record_win_one_version_each() {
    let Some(db) = TestDb::new() else { return };
    let stores = [
        Arc::new(db.open(Arc::default())),
        Arc::new(db.open(Arc::default())),
    ];
    stores[0].commit(&[create("shared")]).expect("commits");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let store = stores[t % 2].clone();
            std::thread::spawn(move || {
                let mut wins = 0;
                for _ in 0..10 {
                    let current = store.load("shared").expect("loads").expect("exists");
                    match store.commit(&[update("shared", current.version)]) {
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
    let stored = stores[1].load("shared").expect("loads").expect("exists");
    assert_eq!(stored.version, wins);
    let indices: Vec<u64> = stores[1]
        .events("shared", 0, 1_000)
        .expect("reads")
        .iter()
        .map(|e| e.index)
        .collect();
    assert_eq!(indices, (0..=wins).collect::<Vec<_>>());
    let history = stores[0].history("shared", 0, 1_000).expect("reads");
    assert_eq!(history, (0..wins).map(visit).collect::<Vec<_>>());
}

#[test]
fn a_commit_on_one_server_is_heard_by_another() {
    let Some(db) = TestDb::new() else { return };
    let writer = db.open(Arc::default());
    let (_reader, mut heard_there) = listening(&db);
    writer
        .commit(&[create("s1"), create("s2")])
        .expect("commits");
    for sid in ["s1", "s2"] {
        heard(&mut heard_there, |c| *c == Change::Session(sid.into()));
    }
}

#[test]
fn a_rotated_key_ring_is_announced_to_every_server() {
    let Some(db) = TestDb::new() else { return };
    let first = db.open(Arc::default());
    let (second, mut heard_there) = listening(&db);
    assert_eq!(first.key_ring().expect("reads"), None);
    let made = first
        .create_key_ring(b"{\"a\":1}".to_vec())
        .expect("stores");
    // A second server offering its own ring gets the first one back.
    let kept = second
        .create_key_ring(b"{\"b\":2}".to_vec())
        .expect("stores");
    assert_eq!(made, kept);
    let rotated = first
        .update_key_ring(|old| {
            assert_eq!(old.as_deref(), Some(&b"{\"a\":1}"[..]));
            Ok(b"{\"a\":2}".to_vec())
        })
        .expect("reaches the database")
        .expect("rotates");
    heard(&mut heard_there, |c| *c == Change::Keys);
    assert_eq!(second.key_ring().expect("reads"), Some(rotated));
    let refused = first
        .update_key_ring(|_| Err("no".into()))
        .expect("reaches the database");
    assert_eq!(refused, Err("no".into()));
    assert_eq!(
        second.key_ring().expect("reads").as_deref(),
        Some(&b"{\"a\":2}"[..])
    );
}

#[test]
fn migrations_are_idempotent_and_a_newer_schema_is_refused() {
    let Some(db) = TestDb::new() else { return };
    let first = db.open(Arc::default());
    first.commit(&[create("s1")]).expect("commits");
    let again = db.open(Arc::default());
    assert!(again.load("s1").expect("loads").is_some());
    db.sql(&format!(
        "INSERT INTO workflow_schema (version, name) VALUES ({}, 'from the future')",
        schema::CURRENT + 1
    ));
    let refused = first.check().expect_err("not current");
    assert!(refused.to_string().contains("newer"), "{refused}");
    assert!(matches!(
        PgStore::open(&db.url, 1, Arc::default()),
        Err(PgOpenError::Schema {
            cause: SchemaError::Newer { .. },
            ..
        })
    ));
}

#[test]
fn a_database_that_is_gone_fails_calls_as_unavailable() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open(Arc::default());
    store.commit(&[create("s1")]).expect("commits");
    admin_sql(
        &db.admin,
        &format!("DROP DATABASE {} WITH (FORCE)", db.name),
    );
    for outcome in [
        store.load("s1").map(|_| ()),
        store.commit(&[update("s1", 0)]),
        store.history("s1", 0, 1).map(|_| ()),
        store.check(),
    ] {
        assert!(
            matches!(outcome, Err(StoreError::Unavailable(_))),
            "{outcome:?}"
        );
    }
}

#[test]
fn a_url_that_is_not_postgres_is_refused_and_no_password_is_shown() {
    assert!(matches!(
        PgStore::open("mysql://x", 1, Arc::default()),
        Err(PgOpenError::Url(_))
    ));
    let refused = PgStore::open("postgres://u:secret@127.0.0.1:1/db", 1, Arc::default())
        .err()
        .expect("nothing listens on port 1");
    let text = refused.to_string();
    assert!(text.contains("127.0.0.1:1/db"), "{text}");
    assert!(!text.contains("secret"), "{text}");
}
