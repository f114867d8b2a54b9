//! The durable session store: one redb file holding session records and their trace events.
//!
//! redb is a pure-Rust, single-file, ACID B-tree database with copy-on-write pages and
//! checksummed commits: after `kill -9` or a power cut the file opens at the last committed
//! transaction, with no separate log to replay and no C library to build. Reads run on MVCC
//! snapshots beside the one writer, which suits this load (many short reads, one small write
//! per call).
//!
//! Writes go through one writer thread that commits everything queued in a single durable
//! transaction ([`writer`]), so concurrent sessions share one `fsync` instead of queueing for one
//! each.

mod tables;
mod writer;

use std::path::Path;
use std::sync::mpsc;

use redb::{Database, ReadableDatabase};
use workflow_core::session::{SessionRecord, Store, StoreError, TraceEvent, Write};

use tables::{EVENTS, RECORDS};
use writer::{Job, Writer};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open the session store {path}: {source}")]
    Database {
        path: String,
        #[source]
        source: redb::DatabaseError,
    },
    #[error("cannot prepare the session store: {0}")]
    Prepare(#[from] redb::Error),
    #[error("cannot start the session store's writer: {0}")]
    Thread(#[from] std::io::Error),
}

/// The session store over a redb file.
pub struct RedbStore {
    db: std::sync::Arc<Database>,
    writer: Writer,
}

impl RedbStore {
    /// Opens (or creates) the store file; a file left by a crash is repaired on open.
    pub fn open(path: &Path) -> Result<RedbStore, OpenError> {
        let db = tables::open(path).map_err(|source| OpenError::Database {
            path: path.display().to_string(),
            source,
        })?;
        tables::create(&db)?;
        let db = std::sync::Arc::new(db);
        let writer = Writer::start(db.clone())?;
        Ok(RedbStore { db, writer })
    }

    /// Removes every session whose `updated_at` is before `cutoff_ms`, with its trace. Returns
    /// how many were removed.
    pub fn remove_older_than(&self, cutoff_ms: u64) -> Result<u64, StoreError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.writer.send(Job::Sweep { cutoff_ms, reply })?;
        answer.recv().map_err(|_| writer::gone())?
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_read().map_err(|e| unavailable(e.into()))?;
        f(&txn).map_err(unavailable)
    }
}

impl Store for RedbStore {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError> {
        let bytes = self.read(|txn| {
            let table = txn.open_table(RECORDS)?;
            Ok(table.get(sid)?.map(|v| v.value().to_vec()))
        })?;
        bytes
            .map(|b| serde_json::from_slice(&b).map_err(|e| corrupt("record", sid, &e)))
            .transpose()
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        // Encoding happens here, on the caller's thread, so the writer thread only touches the
        // B-trees.
        let batch = writes
            .iter()
            .map(writer::Prepared::of)
            .collect::<Result<_, _>>()?;
        let (reply, answer) = mpsc::sync_channel(1);
        self.writer.send(Job::Commit { batch, reply })?;
        answer.recv().map_err(|_| writer::gone())?
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let raw = self.read(|txn| {
            let table = txn.open_table(EVENTS)?;
            let mut out = Vec::new();
            for item in table.range((sid, from)..(sid, to))? {
                let (_, v) = item?;
                out.push(v.value().to_vec());
            }
            Ok(out)
        })?;
        raw.iter()
            .map(|b| serde_json::from_slice(b).map_err(|e| corrupt("trace event", sid, &e)))
            .collect()
    }

    fn check(&self) -> Result<(), StoreError> {
        self.read(|txn| {
            txn.open_table(RECORDS)?;
            Ok(())
        })
    }
}

fn unavailable(e: redb::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn corrupt(what: &str, sid: &str, e: &serde_json::Error) -> StoreError {
    StoreError::Unavailable(format!(
        "a stored {what} of session {sid} does not decode: {e}"
    ))
}

#[cfg(test)]
mod tests;
