//! The session store the server runs on, chosen by `--store-url`: the redb file in the state
//! folder (one server, the default) or a PostgreSQL database that several servers share
//! (crates/native-server/README.md#state). Either way, committed sessions are told to
//! [`Changes`], so `get_workflow_status` waits wake up.

use std::sync::Arc;

use workflow_core::session::{HistoryEntry, SessionRecord, Store, StoreError, TraceEvent, Write};

use crate::changes::{Change, Changes};
use crate::pg::PgStore;
use crate::store::RedbStore;

pub enum Backend {
    Redb(RedbStore),
    Postgres(PgStore),
}

pub struct Sessions {
    backend: Backend,
    changes: Arc<Changes>,
}

impl Sessions {
    /// `changes` must be the one a PostgreSQL store was opened with: its listener publishes
    /// there.
    pub fn new(backend: Backend, changes: Arc<Changes>) -> Sessions {
        Sessions { backend, changes }
    }

    pub fn changes(&self) -> &Arc<Changes> {
        &self.changes
    }

    pub fn postgres(&self) -> Option<&PgStore> {
        match &self.backend {
            Backend::Postgres(store) => Some(store),
            Backend::Redb(_) => None,
        }
    }

    /// Removes sessions untouched since `cutoff_ms`, with their traces; returns how many.
    pub fn remove_older_than(&self, cutoff_ms: u64) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Redb(store) => store.remove_older_than(cutoff_ms),
            Backend::Postgres(store) => store.remove_older_than(cutoff_ms),
        }
    }

    fn store(&self) -> &dyn Store {
        match &self.backend {
            Backend::Redb(store) => store,
            Backend::Postgres(store) => store,
        }
    }
}

impl Store for Sessions {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.store().load(sid)
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        self.store().commit(writes)?;
        // The PostgreSQL store's commits come back through its LISTEN connection, with every
        // other server's; the redb store has no other writer, so it tells its own here. A
        // trace-only write changes nothing a status shows.
        if let Backend::Redb(_) = self.backend {
            for w in writes.iter().filter(|w| !w.trace_only) {
                self.changes
                    .publish(Change::Session(w.record.sid.as_str().into()));
            }
        }
        Ok(())
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        self.store().events(sid, from, to)
    }

    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store().history(sid, from, to)
    }

    fn check(&self) -> Result<(), StoreError> {
        self.store().check()
    }
}
