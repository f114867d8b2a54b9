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
mod upgrade;
mod writer;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;

use redb::{Database, ReadableDatabase, ReadableTableMetadata};
use workflow_core::session::{HistoryEntry, SessionRecord, Store, StoreError, TraceEvent, Write};

use tables::{EVENTS, HISTORY, RECORDS};
use upgrade::UpgradeError;
use writer::{Job, Writer};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// redb can share a file between processes (`MultiWriter`), but a commit then took ~8 ms
    /// instead of ~0.4 ms when measured; one server per state folder keeps commits at one flush.
    #[error(
        "the session store {path} is in use by another workflow-server process; stop it, or give \
         this one its own --state-dir"
    )]
    InUse { path: String },
    /// A store that was written once and is now empty was truncated: opening it would start an
    /// empty store and silently orphan every session (crates/native-server/README.md#damage).
    #[error(
        "the session store {path} is empty (0 bytes): it was truncated or damaged. Restore it \
         from a backup, or start with --accept-state-loss to set it aside and begin with an \
         empty store (every existing session token then fails)"
    )]
    Empty { path: String },
    /// redb's integrity check on open failed, or reading the file panicked inside redb.
    #[error(
        "the session store {path} is damaged ({detail}). Restore it from a backup, or start \
         with --accept-state-loss to set it aside and begin with an empty store (every existing \
         session token then fails)"
    )]
    Damaged { path: String, detail: String },
    /// Opening would have to guess at a layout this build does not know.
    #[error(
        "the session store {path} was written by a newer workflow-server (store layout {found}); \
         run that version, or restore a backup made for this one"
    )]
    Newer { path: String, found: u64 },
    #[error("cannot open the session store {path}: {source}")]
    Database {
        path: String,
        #[source]
        source: redb::Error,
    },
    #[error("cannot create the session store {path}: {source}")]
    Create {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the session store's writer: {0}")]
    Thread(#[from] std::io::Error),
}

/// The session store over a redb file.
pub struct RedbStore {
    db: std::sync::Arc<Database>,
    writer: Writer,
}

impl RedbStore {
    /// Opens (or creates, owner-only) the store file; a file left by a crash is repaired on
    /// open. Every page's checksum is verified first, so a file damaged outside redb (a byte
    /// flip, a truncation) is refused with [`OpenError::Damaged`] instead of being trusted; a
    /// panic inside redb while reading it is caught and refused the same way, never allowed to
    /// end the process.
    pub fn open(path: &Path) -> Result<RedbStore, OpenError> {
        let shown = || path.display().to_string();
        create_owner_only(path)?;
        let opened = catch_unwind(AssertUnwindSafe(|| {
            let db = tables::open(path).map_err(redb::Error::from)?;
            let txn = db.begin_write().map_err(redb::Error::from)?;
            let upgraded = upgrade::run(&txn)?;
            txn.commit().map_err(redb::Error::from)?;
            if upgraded > 0 {
                tracing::info!(
                    records = upgraded,
                    "session store upgraded to layout {}",
                    tables::LAYOUT_VERSION
                );
            }
            Ok::<_, UpgradeError>(db)
        }));
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(UpgradeError::Database(redb::Error::DatabaseAlreadyOpen))) => {
                return Err(OpenError::InUse { path: shown() });
            }
            Ok(Err(UpgradeError::Newer(found))) => {
                return Err(OpenError::Newer {
                    path: shown(),
                    found,
                });
            }
            Ok(Err(UpgradeError::Record { sid, detail })) => {
                return Err(OpenError::Damaged {
                    path: shown(),
                    detail: format!("the record of session {sid} cannot be upgraded: {detail}"),
                });
            }
            Ok(Err(UpgradeError::Database(e))) if damage(&e) => {
                return Err(OpenError::Damaged {
                    path: shown(),
                    detail: e.to_string(),
                });
            }
            Ok(Err(UpgradeError::Database(source))) => {
                return Err(OpenError::Database {
                    path: shown(),
                    source,
                });
            }
            Err(panic) => {
                return Err(OpenError::Damaged {
                    path: shown(),
                    detail: format!("redb failed reading it: {}", panic_text(&panic)),
                });
            }
        };
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

    /// Whether the store holds no session: a missing key ring is harmless only then.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.read(|txn| Ok(txn.open_table(RECORDS)?.is_empty()?))
    }

    /// Runs `f` on a read snapshot. A panic inside redb (a page damaged after the open's check)
    /// becomes an error of this call, not of the process.
    fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, StoreError> {
        catch_unwind(AssertUnwindSafe(|| {
            let txn = self.db.begin_read().map_err(|e| unavailable(e.into()))?;
            f(&txn).map_err(unavailable)
        }))
        .unwrap_or_else(|panic| {
            Err(StoreError::Unavailable(format!(
                "reading the store failed: {}",
                panic_text(&panic)
            )))
        })
    }
}

impl RedbStore {
    /// The entries of `sid` in an append-only table (`events`, `history`) with
    /// `from <= index < to`, oldest first.
    fn entries<T: serde::de::DeserializeOwned>(
        &self,
        table: redb::TableDefinition<(&str, u64), &[u8]>,
        what: &str,
        sid: &str,
        from: u64,
        to: u64,
    ) -> Result<Vec<T>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let raw = self.read(|txn| {
            let table = txn.open_table(table)?;
            let mut out = Vec::new();
            for item in table.range((sid, from)..(sid, to))? {
                let (_, v) = item?;
                out.push(v.value().to_vec());
            }
            Ok(out)
        })?;
        raw.iter()
            .map(|b| serde_json::from_slice(b).map_err(|e| corrupt(what, sid, &e)))
            .collect()
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
            .collect::<Result<Vec<_>, _>>()?;
        if writes.iter().all(|w| w.trace_only) {
            if !self.writer.is_alive() {
                return Err(writer::gone());
            }
            // A panic inside redb becomes this call's error, as in `read`.
            return match catch_unwind(AssertUnwindSafe(|| self.writer.commit_lazily(&batch))) {
                Ok(outcome) => outcome.map_err(unavailable)?,
                Err(panic) => Err(StoreError::Unavailable(format!(
                    "writing the store failed: {}",
                    panic_text(&panic)
                ))),
            };
        }
        let (reply, answer) = mpsc::sync_channel(1);
        self.writer.send(Job::Commit { batch, reply })?;
        answer.recv().map_err(|_| writer::gone())?
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        self.entries(EVENTS, "trace event", sid, from, to)
    }

    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError> {
        self.entries(HISTORY, "history entry", sid, from, to)
    }

    /// The store answers reads and its writer thread is alive (a writer that died, e.g. on a
    /// panic inside redb, would fail every commit while reads still work).
    fn check(&self) -> Result<(), StoreError> {
        if !self.writer.is_alive() {
            return Err(writer::gone());
        }
        self.read(|txn| {
            txn.open_table(RECORDS)?;
            Ok(())
        })
    }
}

/// Creates a missing store file readable and writable by its owner only; redb would create it
/// with the process's default mode. An existing empty file is a truncated store, not a new one.
fn create_owner_only(path: &Path) -> Result<(), OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match std::fs::metadata(path) {
            Ok(meta) if meta.len() == 0 => Err(OpenError::Empty {
                path: path.display().to_string(),
            }),
            Ok(_) => Ok(()),
            Err(source) => Err(OpenError::Create {
                path: path.display().to_string(),
                source,
            }),
        },
        Err(source) => Err(OpenError::Create {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Whether an open failed on the file's content (checksums, a cut-off file), not on access.
fn damage(e: &redb::Error) -> bool {
    match e {
        redb::Error::Corrupted(_) => true,
        redb::Error::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
        ),
        _ => false,
    }
}

/// The message of a caught panic.
fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
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

#[cfg(test)]
mod damage_tests;

#[cfg(test)]
mod upgrade_tests;
