//! Group commit: one thread owns writing. It takes every job queued while the previous
//! transaction was being made durable and commits them together, so N concurrent callers pay for
//! one `fsync` instead of N in a row. Each caller's batch stays all-or-nothing: its
//! compare-and-swap checks run before any of its writes, against the state the earlier batches
//! of the same transaction left.
//!
//! A trace-only batch (the event of a read or a refusal) skips the queue: the calling thread
//! commits it itself without waiting for the disk ([`Writer::commit_lazily`]), so a read costs
//! neither an `fsync` nor two thread hand-offs. The writer's next durable transaction makes it
//! durable too, and when none comes, the writer makes one within [`FLUSH_AFTER`], so a crash
//! loses at most that much of read events and never a state change
//! (docs/protocol.md#session-store).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use redb::{Database, Durability, ReadableTable, WriteTransaction};
use workflow_core::session::{StoreError, Write};

use super::tables::{BY_UPDATED, EVENTS, HEADS, HISTORY, RECORDS};

/// The most jobs one transaction takes, so one huge burst cannot starve the callers queued first.
const MAX_JOBS_PER_COMMIT: usize = 512;
/// The longest a trace-only commit stays short of the disk.
pub const FLUSH_AFTER: Duration = Duration::from_millis(100);

/// One record write, encoded on the caller's thread.
pub struct Prepared {
    sid: String,
    expected_version: Option<u64>,
    head: (u64, u64, u64),
    record: Vec<u8>,
    events: Vec<(u64, Vec<u8>)>,
    history: Vec<(u64, Vec<u8>)>,
    history_first_kept: u64,
}

impl Prepared {
    pub fn of(w: &Write) -> Result<Prepared, StoreError> {
        Ok(Prepared {
            sid: w.record.sid.clone(),
            expected_version: w.expected_version,
            head: (
                w.record.version,
                w.record.updated_at,
                w.record.trace.first_kept,
            ),
            record: encode(&w.record)?,
            events: indexed(w.events.iter().map(|e| (e.index, e)))?,
            history: indexed(w.history.iter().map(|h| (h.index, h)))?,
            history_first_kept: w.record.history.first_kept,
        })
    }
}

fn encode(value: &impl serde::Serialize) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Unavailable(format!("cannot encode: {e}")))
}

/// Append-only entries (events, history) encoded with their indices.
fn indexed<'e, T: serde::Serialize + 'e>(
    entries: impl Iterator<Item = (u64, &'e T)>,
) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
    entries.map(|(index, e)| Ok((index, encode(e)?))).collect()
}

pub enum Job {
    Commit {
        batch: Vec<Prepared>,
        reply: SyncSender<Result<(), StoreError>>,
    },
    /// A caller committed without waiting for the disk: make it durable within [`FLUSH_AFTER`].
    Flush,
    Sweep {
        cutoff_ms: u64,
        reply: SyncSender<Result<u64, StoreError>>,
    },
    /// Ends the thread the way a panic inside redb would, for the tests of what follows.
    #[cfg(test)]
    Panic,
}

/// The handle callers send jobs through. Dropping it drains the queue and waits for the thread,
/// so the file is closed (and can be reopened) once the store is gone.
pub struct Writer {
    db: Arc<Database>,
    jobs: Option<SyncSender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
    /// Set by a lazy commit, cleared by the writer before each durable transaction: whether
    /// a flush is owed.
    unflushed: Arc<AtomicBool>,
}

impl Writer {
    pub fn start(db: Arc<Database>) -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::sync_channel(4 * MAX_JOBS_PER_COMMIT);
        let unflushed = Arc::new(AtomicBool::new(false));
        let thread = {
            let (db, unflushed) = (db.clone(), unflushed.clone());
            thread::Builder::new()
                .name("store-writer".into())
                .spawn(move || run(&db, &queue, &unflushed))?
        };
        Ok(Writer {
            db,
            jobs: Some(jobs),
            thread: Some(thread),
            unflushed,
        })
    }

    /// Commits a trace-only batch on the calling thread, without waiting for the disk, and
    /// makes sure the writer flushes it soon. Its compare-and-swap checks run in the same
    /// transaction as its writes, and redb runs one write transaction at a time, so it
    /// serialises with the writer's durable transactions as a queued job would.
    pub fn commit_lazily(&self, batch: &[Prepared]) -> Result<Result<(), StoreError>, redb::Error> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(Durability::None)?;
        let outcome = apply(&txn, batch)?;
        if outcome.is_err() {
            txn.abort()?;
            return Ok(outcome);
        }
        txn.commit()?;
        // The first lazy commit since the last flush asks for one; the writer clears the flag
        // before each durable transaction, which then carries every commit made before it.
        if !self.unflushed.swap(true, Ordering::AcqRel) {
            return Ok(self.send(Job::Flush));
        }
        Ok(Ok(()))
    }

    /// False once the thread has ended (a panic inside redb while committing): every commit
    /// would then fail, so readiness must say so.
    pub fn is_alive(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    pub fn send(&self, job: Job) -> Result<(), StoreError> {
        let jobs = self.jobs.as_ref().ok_or_else(gone)?;
        jobs.send(job).map_err(|_| gone())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub fn gone() -> StoreError {
    StoreError::Unavailable("the store's writer has stopped".into())
}

fn run(db: &Database, queue: &Receiver<Job>, unflushed: &AtomicBool) {
    // Since when a lazy commit has been waiting for a flush, if one is.
    let mut owed: Option<Instant> = None;
    loop {
        let first = match owed {
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Some(since) => match queue.recv_timeout(FLUSH_AFTER.saturating_sub(since.elapsed())) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    if flush(db, unflushed).is_ok() {
                        owed = None;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = flush(db, unflushed);
                    return;
                }
            },
        };
        #[cfg(test)]
        if matches!(first, Job::Panic) {
            panic!("the store's writer was stopped by a test");
        }
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if jobs.iter().any(|j| matches!(j, Job::Flush)) {
            owed = owed.or(Some(Instant::now()));
        }
        if jobs.iter().all(|j| matches!(j, Job::Flush)) {
            continue;
        }
        // Cleared before the transaction begins: every lazy commit made before it is carried by
        // it, and one made after sets the flag (and asks for a flush) again.
        let was_owed = unflushed.swap(false, Ordering::AcqRel);
        if commit_all(db, jobs) {
            owed = None;
        } else if was_owed {
            // Nothing was written, so nothing was flushed.
            unflushed.store(true, Ordering::Release);
        }
    }
}

/// Makes every earlier commit durable (an empty durable transaction).
fn flush(db: &Database, unflushed: &AtomicBool) -> Result<(), redb::Error> {
    unflushed.store(false, Ordering::Release);
    let txn = db.begin_write()?;
    txn.commit()?;
    Ok(())
}

/// What one job will be told once the transaction is durable.
enum Outcome {
    Commit(SyncSender<Result<(), StoreError>>, Result<(), StoreError>),
    Sweep(SyncSender<Result<u64, StoreError>>, u64),
}

/// Commits the jobs in one durable transaction; returns whether it wrote (and so flushed).
fn commit_all(db: &Database, jobs: Vec<Job>) -> bool {
    let mut outcomes = Vec::with_capacity(jobs.len());
    let result = db.begin_write().map_err(redb::Error::from).and_then(|txn| {
        let mut changed = false;
        for job in jobs.iter() {
            match job {
                Job::Commit { batch, reply, .. } => {
                    let r = apply(&txn, batch)?;
                    changed |= r.is_ok();
                    outcomes.push(Outcome::Commit(reply.clone(), r));
                }
                Job::Sweep { cutoff_ms, reply } => {
                    let n = sweep(&txn, *cutoff_ms)?;
                    changed |= n > 0;
                    outcomes.push(Outcome::Sweep(reply.clone(), n));
                }
                Job::Flush => {}
                #[cfg(test)]
                Job::Panic => {}
            }
        }
        // Nothing written (conflicts only, or a sweep that found nothing): no flush needed.
        if changed {
            txn.commit()?;
            tracing::debug!(jobs = jobs.len(), "store commit");
        } else {
            txn.abort()?;
        }
        Ok(changed)
    });
    let committed = matches!(result, Ok(true));
    match result {
        Ok(_) => {
            for outcome in outcomes {
                // A caller that stopped waiting is not an error of the store.
                let _ = match outcome {
                    Outcome::Commit(reply, r) => reply.send(r).is_ok(),
                    Outcome::Sweep(reply, n) => reply.send(Ok(n)).is_ok(),
                };
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "session store commit failed");
            let err = StoreError::Unavailable(e.to_string());
            for job in jobs {
                let _ = match job {
                    Job::Commit { reply, .. } => reply.send(Err(err.clone())).is_ok(),
                    Job::Sweep { reply, .. } => reply.send(Err(err.clone())).is_ok(),
                    Job::Flush => true,
                    #[cfg(test)]
                    Job::Panic => true,
                };
            }
        }
    }
    committed
}

/// Applies one caller's batch, or nothing of it when a version check fails.
fn apply(
    txn: &WriteTransaction,
    batch: &[Prepared],
) -> Result<Result<(), StoreError>, redb::Error> {
    let mut heads = txn.open_table(HEADS)?;
    let mut before = Vec::with_capacity(batch.len());
    for w in batch {
        let stored = heads.get(w.sid.as_str())?.map(|h| h.value());
        if stored.map(|(version, _, _)| version) != w.expected_version {
            return Ok(Err(StoreError::Conflict));
        }
        before.push(stored);
    }
    let mut records = txn.open_table(RECORDS)?;
    let mut events = txn.open_table(EVENTS)?;
    let mut history = txn.open_table(HISTORY)?;
    let mut by_updated = txn.open_table(BY_UPDATED)?;
    for (w, stored) in batch.iter().zip(before) {
        let sid = w.sid.as_str();
        let (_, updated_at, first_kept) = w.head;
        // A read's trace event leaves `updated_at` as it was: its retention key stays.
        let old_first_kept = match stored {
            Some((_, old_updated, old_first_kept)) => {
                if old_updated != updated_at {
                    by_updated.remove((old_updated, sid))?;
                    by_updated.insert((updated_at, sid), ())?;
                }
                old_first_kept
            }
            None => {
                by_updated.insert((updated_at, sid), ())?;
                0
            }
        };
        heads.insert(sid, w.head)?;
        records.insert(sid, w.record.as_slice())?;
        for (index, event) in &w.events {
            events.insert((sid, *index), event.as_slice())?;
        }
        if first_kept > old_first_kept {
            events.retain_in((sid, old_first_kept)..(sid, first_kept), |_, _| false)?;
        }
        for (index, entry) in &w.history {
            history.insert((sid, *index), entry.as_slice())?;
        }
        // Entries below the first kept one go as the cap passes them: the range holds only those
        // not removed yet, so this reads no more than it removes.
        if w.history_first_kept > 0 {
            history.retain_in((sid, 0)..(sid, w.history_first_kept), |_, _| false)?;
        }
    }
    Ok(Ok(()))
}

/// Removes sessions last written before `cutoff_ms`, with their events and history.
fn sweep(txn: &WriteTransaction, cutoff_ms: u64) -> Result<u64, redb::Error> {
    let mut by_updated = txn.open_table(BY_UPDATED)?;
    let mut expired = Vec::new();
    for item in by_updated.range((0, "")..(cutoff_ms, ""))? {
        let (key, _) = item?;
        let (updated_at, sid) = key.value();
        expired.push((updated_at, sid.to_owned()));
    }
    let mut heads = txn.open_table(HEADS)?;
    let mut records = txn.open_table(RECORDS)?;
    let mut events = txn.open_table(EVENTS)?;
    let mut history = txn.open_table(HISTORY)?;
    for (updated_at, sid) in &expired {
        let sid = sid.as_str();
        by_updated.remove((*updated_at, sid))?;
        heads.remove(sid)?;
        records.remove(sid)?;
        events.retain_in((sid, 0)..=(sid, u64::MAX), |_, _| false)?;
        history.retain_in((sid, 0)..=(sid, u64::MAX), |_, _| false)?;
    }
    Ok(expired.len() as u64)
}
