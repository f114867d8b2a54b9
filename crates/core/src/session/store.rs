//! The store interface (docs/protocol.md#session-store) and an in-memory store. The host supplies a
//! durable implementation; the engine needs nothing but these five operations.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::record::{HistoryEntry, SessionRecord, TraceEvent};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A record's stored `version` differs from the expected one (or a record to create exists).
    #[error("the session changed while this call was running")]
    Conflict,
    #[error("the session store is unavailable ({0})")]
    Unavailable(String),
}

/// One record write in an atomic batch.
#[derive(Clone, Debug)]
pub struct Write {
    /// The stored `version` this write expects; `None` creates the record and fails with
    /// `Conflict` when the sid exists.
    pub expected_version: Option<u64>,
    /// The new record; its `version` must be one more than expected (0 for a create).
    pub record: SessionRecord,
    /// Events to append, at their own indices; events below `record.trace.first_kept` may be
    /// removed by the store.
    pub events: Vec<TraceEvent>,
    /// History entries to append, at their own indices; entries below
    /// `record.history.first_kept` may be removed by the store.
    pub history: Vec<HistoryEntry>,
    /// The write only books a trace event of a call that changed nothing (a read, a refusal).
    /// A store may answer such a batch before it is durable, as long as it becomes durable
    /// shortly after and before any later durable batch is answered
    /// (docs/protocol.md#session-store).
    pub trace_only: bool,
}

/// Where session records and their trace events live.
///
/// `commit` is all-or-nothing over its writes, so dispatch (a new child and the parent's
/// children list) and a child's completion (the child and its parent's trace) never half-apply.
/// A host's implementation answers only once the batch is durable, except a batch whose
/// writes are all [`Write::trace_only`].
///
/// Records stay small: what grows with a session's age (trace events, closed visits, earlier
/// answers) is appended beside the record and never rewritten, so a commit costs the same at
/// visit 5 and visit 5,000 (docs/protocol.md#session-store).
pub trait Store: Send + Sync {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError>;
    fn commit(&self, writes: &[Write]) -> Result<(), StoreError>;
    /// Kept events of `sid` with `from <= index < to`, oldest first.
    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError>;
    /// Kept history entries of `sid` with `from <= index < to`, oldest first.
    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError>;
    /// Whether the store answers (for `health_check`).
    fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// A store in memory: for tests, the npm package and the browser editor.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<MemoryState>,
}

#[derive(Default)]
struct MemoryState {
    records: HashMap<String, SessionRecord>,
    events: HashMap<String, BTreeMap<u64, TraceEvent>>,
    history: HashMap<String, BTreeMap<u64, HistoryEntry>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError> {
        let state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Ok(state.records.get(sid).cloned())
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for w in writes {
            let stored = state.records.get(&w.record.sid).map(|r| r.version);
            if stored != w.expected_version {
                return Err(StoreError::Conflict);
            }
        }
        for w in writes {
            let sid = &w.record.sid;
            let events = state.events.entry(sid.clone()).or_default();
            append(
                events,
                w.events.iter().map(|e| (e.index, e)),
                w.record.trace.first_kept,
            );
            let history = state.history.entry(sid.clone()).or_default();
            append(
                history,
                w.history.iter().map(|h| (h.index, h)),
                w.record.history.first_kept,
            );
            state.records.insert(sid.clone(), w.record.clone());
        }
        Ok(())
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        let state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Ok(range(state.events.get(sid), from, to))
    }

    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError> {
        let state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Ok(range(state.history.get(sid), from, to))
    }
}

/// Adds `entries` to one session's append-only entries (events or history) and drops those
/// below `first_kept`.
fn append<'e, T: Clone + 'e>(
    kept: &mut BTreeMap<u64, T>,
    entries: impl Iterator<Item = (u64, &'e T)>,
    first_kept: u64,
) {
    kept.extend(entries.map(|(index, e)| (index, e.clone())));
    *kept = kept.split_off(&first_kept);
}

/// One session's entries with `from <= index < to`, oldest first.
fn range<T: Clone>(kept: Option<&BTreeMap<u64, T>>, from: u64, to: u64) -> Vec<T> {
    match kept {
        Some(kept) if from < to => kept.range(from..to).map(|(_, e)| e.clone()).collect(),
        _ => Vec::new(),
    }
}
