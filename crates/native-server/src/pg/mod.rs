//! The PostgreSQL session store: several servers on one database, with the guarantees of the redb
//! store (docs/protocol.md#session-store, crates/native-server/README.md#postgresql).
//!
//! * A commit is all or nothing: a lone write is one statement, a batch one transaction. Each
//!   write is a compare-and-swap on the record's `version` (`UPDATE … WHERE version =
//!   expected`, or `INSERT … ON CONFLICT DO NOTHING` for a new record) with its trace events and
//!   history entries (rows of their own, at their indices) joined on it: of N servers answering
//!   one checkpoint at once, one update matches and the others' match nothing, so their engines
//!   evaluate again and refuse. Writes are applied in sid order, so two batches that touch the
//!   same two sessions lock them in the same order and cannot deadlock.
//! * After a commit the changed sids are sent with `NOTIFY` by one task that batches whatever
//!   queued while the previous notification went out (a `NOTIFY` inside the commit would
//!   serialise every commit on PostgreSQL's notification lock). Every server `LISTEN`s
//!   ([`listen`]), which wakes `get_workflow_status` waits and reloads a rotated key ring.
//! * Every database call has a deadline; a call that cannot reach the database fails with
//!   [`StoreError::Unavailable`] (`store_unavailable`, retryable) and a connection that failed is
//!   dropped from the pool, so the pool reconnects once the database is back.
//!
//! Why tokio-postgres with deadpool-postgres: the engine's `Store` is synchronous and is called
//! from blocking threads, so every client runs behind a bridge except the synchronous `postgres`
//! crate, whose own runtime panics when called on an async worker (the stdio path). Measured on
//! this project's 2-core machine, 16 threads each loading a 3 KB record and committing a
//! compare-and-swap update plus an event insert (PostgreSQL 15, fsync on): tokio-postgres with
//! deadpool on a one-thread runtime did 3,150–3,340 load+commit pairs/s (load p50 0.9 ms, commit
//! p50 3.4–3.7 ms), sqlx 2,100–3,100 (load p50 1.4 ms), `postgres` with r2d2 2,080–2,260 (commit
//! p50 4.6–5.1 ms); with one thread, loads took 0.12–0.13 ms against 0.19 ms with sqlx. It also
//! brings fewer crates than sqlx (the `postgres` crate is tokio-postgres underneath) and hands
//! `LISTEN` notifications over as messages of the connection.

mod keys;
mod listen;
mod schema;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod};
use tokio::runtime::{Handle, Runtime};
use tokio::sync::mpsc;
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;
use workflow_core::session::{HistoryEntry, SessionRecord, Store, StoreError, TraceEvent, Write};

use crate::changes::Changes;

pub use schema::SchemaError;

/// How long one store call may take, waiting for a pooled connection included, before it fails
/// as unavailable. Longer than any healthy call; short enough that an agent hears of an outage
/// well within its own request timeout.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Connecting, when the URL sets no `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The channel commits are announced on; the payload is the changed sids, comma-separated.
const SESSIONS_CHANNEL: &str = "workflow_sessions";

/// The channel a key rotation is announced on.
const KEYS_CHANNEL: &str = "workflow_keys";

/// The most bytes of one notification's payload (PostgreSQL's limit is 8,000).
const MAX_PAYLOAD: usize = 7_900;

#[derive(Debug, thiserror::Error)]
pub enum PgOpenError {
    #[error("--store-url is not a PostgreSQL URL ({0})")]
    Url(tokio_postgres::Error),
    #[error("cannot start the PostgreSQL store's runtime: {0}")]
    Runtime(std::io::Error),
    /// The cause follows in the error chain (`error connecting to server: Connection refused`).
    #[error("cannot connect to PostgreSQL at {at}")]
    Connect {
        at: String,
        #[source]
        cause: tokio_postgres::Error,
    },
    #[error("cannot migrate the PostgreSQL database at {at}")]
    Schema {
        at: String,
        #[source]
        cause: SchemaError,
    },
    #[error("cannot set up the PostgreSQL pool: {0}")]
    Pool(String),
}

/// The session store over a PostgreSQL database, shared with any number of other servers.
pub struct PgStore {
    pool: Pool,
    /// The store's own runtime: its thread drives every connection, so the engine's blocking
    /// calls (from async workers on stdio, from `block_in_place` on HTTP) never wait on a task
    /// their own thread would have to run.
    _runtime: OwnRuntime,
    handle: Handle,
    /// Sids committed here, for the notifier.
    committed: mpsc::UnboundedSender<Vec<String>>,
}

impl PgStore {
    /// Connects, migrates the schema, and starts listening for other servers' changes, which are
    /// published to `changes`. `max_connections` bounds the pool.
    pub fn open(
        url: &str,
        max_connections: usize,
        changes: Arc<Changes>,
    ) -> Result<PgStore, PgOpenError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(PgOpenError::Url)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("workflow-server");
        }
        config.keepalives(true);
        let at = place(&config);
        let runtime = OwnRuntime(Some(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("store-postgres")
                .enable_all()
                .build()
                .map_err(PgOpenError::Runtime)?,
        ));
        let handle = runtime.handle();

        let (migrated, place) = (config.clone(), at.clone());
        wait_for(&handle, async move {
            let (mut client, connection) =
                migrated
                    .connect(NoTls)
                    .await
                    .map_err(|cause| PgOpenError::Connect {
                        at: place.clone(),
                        cause,
                    })?;
            let driver = tokio::spawn(connection);
            let done = schema::migrate(&mut client)
                .await
                .map_err(|cause| PgOpenError::Schema { at: place, cause });
            drop(client);
            let _ = driver.await;
            done
        })
        .unwrap_or_else(|| Err(PgOpenError::Pool("the store's runtime stopped".into())))?;

        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(max_connections.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CALL_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| PgOpenError::Pool(e.to_string()))?;

        let (committed, queue) = mpsc::unbounded_channel();
        handle.spawn(notifier(pool.clone(), queue));
        handle.spawn(listen::run(config, changes));
        tracing::info!(at = %at, "opened the PostgreSQL session store");
        Ok(PgStore {
            pool,
            _runtime: runtime,
            handle,
            committed,
        })
    }

    /// Runs `op` on a pooled connection on the store's runtime and waits for it here. A call that
    /// fails on the connection (not on a row) or outlasts [`CALL_TIMEOUT`] drops that
    /// connection from the pool.
    fn call<T: Send + 'static>(
        &self,
        op: impl for<'c> FnOnce(&'c mut Object) -> Op<'c, T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let pool = self.pool.clone();
        wait_for(&self.handle, async move {
            tokio::time::timeout(CALL_TIMEOUT, async {
                let mut client = pool.get().await.map_err(pool_error)?;
                let result = op(&mut client).await;
                if let Err(e) = &result
                    && !e.as_db_error().is_some_and(|db| row_level(db.code()))
                {
                    drop(Object::take(client));
                }
                result.map_err(db_error)
            })
            .await
            .unwrap_or_else(|_| {
                Err(StoreError::Unavailable(format!(
                    "PostgreSQL did not answer within {} s",
                    CALL_TIMEOUT.as_secs()
                )))
            })
        })
        .unwrap_or_else(|| {
            Err(StoreError::Unavailable(
                "the PostgreSQL store's runtime has stopped".into(),
            ))
        })
    }

    /// Removes every session whose `updated_at` is before `cutoff_ms`, with its trace, in
    /// batches. One server sweeps at a time; another that finds the sweep running skips its turn.
    pub fn remove_older_than(&self, cutoff_ms: u64) -> Result<u64, StoreError> {
        let cutoff = int(cutoff_ms)?;
        self.call(move |c| {
            Box::pin(async move {
                let mut removed = 0;
                loop {
                    let txn = c.transaction().await?;
                    let ours: bool = txn
                        .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&SWEEP_LOCK])
                        .await?
                        .get(0);
                    if !ours {
                        return Ok(removed);
                    }
                    let st = txn.prepare_cached(SWEEP).await?;
                    let n: i64 = txn.query_one(&st, &[&cutoff, &SWEEP_BATCH]).await?.get(0);
                    txn.commit().await?;
                    removed += n as u64;
                    if n < SWEEP_BATCH {
                        return Ok(removed);
                    }
                }
            })
        })
    }

    /// Whether the database holds no session: a missing key ring is harmless only then.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.call(|c| {
            Box::pin(async move {
                let row = c
                    .query_one("SELECT NOT EXISTS (SELECT 1 FROM workflow_sessions)", &[])
                    .await?;
                Ok(row.get(0))
            })
        })
    }

    /// The key ring's JSON as stored, `None` when there is none yet.
    pub fn key_ring(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.call(|c| Box::pin(keys::load(c)))
    }

    /// Stores `ring` (JSON) unless another server stored one first; returns the one stored.
    pub fn create_key_ring(&self, ring: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        self.call(move |c| Box::pin(async move { keys::create(c, &ring).await }))
    }

    /// Replaces the key ring by `change(the stored one)` atomically and tells every server
    /// ([`keys::update`]). The outer error is the database's, the inner one `change`'s.
    pub fn update_key_ring(
        &self,
        change: impl FnOnce(Option<Vec<u8>>) -> Result<Vec<u8>, String> + Send + 'static,
    ) -> Result<Result<Vec<u8>, String>, StoreError> {
        self.call(move |c| Box::pin(keys::update(c, change)))
    }
}

impl PgStore {
    /// The rows of `sid` with `from <= idx < to` that `sql` selects, decoded, oldest first.
    fn range<T: serde::de::DeserializeOwned>(
        &self,
        sql: &'static str,
        what: &str,
        sid: &str,
        from: u64,
        to: u64,
    ) -> Result<Vec<T>, StoreError> {
        if from >= to {
            return Ok(Vec::new());
        }
        let (key, from, to) = (sid.to_owned(), int(from)?, int(to.min(i64::MAX as u64))?);
        let raw: Vec<Vec<u8>> = self.call(move |c| {
            Box::pin(async move {
                let st = c.prepare_cached(sql).await?;
                let rows = c.query(&st, &[&key, &from, &to]).await?;
                Ok(rows.into_iter().map(|row| row.get(0)).collect())
            })
        })?;
        raw.iter()
            .map(|b| serde_json::from_slice(b).map_err(|e| corrupt(what, sid, &e)))
            .collect()
    }
}

/// A runtime that may be dropped anywhere: the server opens and drops the store on its own
/// runtime, where dropping a runtime the usual way (waiting for its threads) panics. Its tasks
/// only hold connections, which close with it.
struct OwnRuntime(Option<Runtime>);

impl OwnRuntime {
    fn handle(&self) -> Handle {
        self.0.as_ref().expect("set until dropped").handle().clone()
    }
}

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs `work` on the store's runtime and blocks this thread until it is done; `None` when the
/// runtime stopped first. Never `block_on`: the caller may itself be on an async worker (the
/// server opens the store from its own runtime, and stdio calls run inline).
fn wait_for<T: Send + 'static>(
    runtime: &Handle,
    work: impl Future<Output = T> + Send + 'static,
) -> Option<T> {
    let (reply, answer) = std_mpsc::sync_channel(1);
    runtime.spawn(async move {
        let _ = reply.send(work.await);
    });
    answer.recv().ok()
}

/// One database call on a pooled connection.
type Op<'c, T> = Pin<Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + Send + 'c>>;

const LOAD: &str = "SELECT record FROM workflow_sessions WHERE sid = $1";

const EVENTS: &str = "SELECT event FROM workflow_events \
                      WHERE sid = $1 AND idx >= $2 AND idx < $3 ORDER BY idx";

const HISTORY: &str = "SELECT entry FROM workflow_history \
                       WHERE sid = $1 AND idx >= $2 AND idx < $3 ORDER BY idx";

/// A new record with its events and history, in one statement; it matches nothing (and writes
/// nothing) when the sid exists. Rows below the first kept index are not written.
const CREATE: &str = "WITH ins AS ( \
                        INSERT INTO workflow_sessions \
                          (sid, version, updated_at, trace_first_kept, history_first_kept, record) \
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sid) DO NOTHING \
                        RETURNING sid), \
                      events AS ( \
                        INSERT INTO workflow_events (sid, idx, event) \
                        SELECT ins.sid, t.idx, t.body \
                        FROM ins, unnest($7::bigint[], $8::bytea[]) AS t(idx, body) \
                        WHERE t.idx >= $4 \
                        ON CONFLICT (sid, idx) DO UPDATE SET event = excluded.event), \
                      history AS ( \
                        INSERT INTO workflow_history (sid, idx, entry) \
                        SELECT ins.sid, t.idx, t.body \
                        FROM ins, unnest($9::bigint[], $10::bytea[]) AS t(idx, body) \
                        WHERE t.idx >= $5 \
                        ON CONFLICT (sid, idx) DO UPDATE SET entry = excluded.entry) \
                      SELECT count(*) FROM ins";

/// The compare-and-swap with the write's events and history, in one statement: the update
/// matches only at the expected `version` (under concurrent updates the row is re-checked after
/// the other transaction commits, and a changed version matches nothing), and everything else
/// joins on it, so a failed check writes nothing. An event or entry written again at its index
/// replaces the old one, as in the redb store; those that fell below the new first kept index
/// since the old one (`old`, read before the update) are removed.
const UPDATE: &str = "WITH old AS ( \
                        SELECT trace_first_kept, history_first_kept \
                        FROM workflow_sessions WHERE sid = $1), \
                      upd AS ( \
                        UPDATE workflow_sessions \
                        SET version = $3, updated_at = $4, trace_first_kept = $5, \
                            history_first_kept = $6, record = $7 \
                        WHERE sid = $1 AND version = $2 RETURNING sid), \
                      events AS ( \
                        INSERT INTO workflow_events (sid, idx, event) \
                        SELECT upd.sid, t.idx, t.body \
                        FROM upd, unnest($8::bigint[], $9::bytea[]) AS t(idx, body) \
                        WHERE t.idx >= $5 \
                        ON CONFLICT (sid, idx) DO UPDATE SET event = excluded.event), \
                      history AS ( \
                        INSERT INTO workflow_history (sid, idx, entry) \
                        SELECT upd.sid, t.idx, t.body \
                        FROM upd, unnest($10::bigint[], $11::bytea[]) AS t(idx, body) \
                        WHERE t.idx >= $6 \
                        ON CONFLICT (sid, idx) DO UPDATE SET entry = excluded.entry), \
                      events_trimmed AS ( \
                        DELETE FROM workflow_events AS e USING upd, old \
                        WHERE e.sid = upd.sid AND e.idx >= old.trace_first_kept AND e.idx < $5), \
                      history_trimmed AS ( \
                        DELETE FROM workflow_history AS h USING upd, old \
                        WHERE h.sid = upd.sid AND h.idx >= old.history_first_kept AND h.idx < $6) \
                      SELECT count(*) FROM upd";

/// Sessions removed per sweep transaction, so a large backlog never holds one long transaction.
const SWEEP_BATCH: i64 = 1_000;

/// One sweep batch: the expired sessions (skipping any a commit holds right now), their events
/// and their history.
const SWEEP: &str = "WITH gone AS ( \
                       DELETE FROM workflow_sessions WHERE sid IN ( \
                         SELECT sid FROM workflow_sessions WHERE updated_at < $1 \
                         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED) \
                       RETURNING sid), \
                     events AS (DELETE FROM workflow_events WHERE sid IN (SELECT sid FROM gone)), \
                     history AS (DELETE FROM workflow_history WHERE sid IN (SELECT sid FROM gone)) \
                     SELECT count(*) FROM gone";

/// The advisory lock of the retention sweep ("wfss" in ASCII).
const SWEEP_LOCK: i64 = 0x7766_7373;

/// One record write, encoded on the caller's thread.
struct Encoded {
    sid: String,
    trace_only: bool,
    expected: Option<i64>,
    version: i64,
    updated_at: i64,
    record: Vec<u8>,
    events: Rows,
    history: Rows,
}

/// Rows appended beside the record: their indices, their JSON, and the first index kept.
struct Rows {
    indices: Vec<i64>,
    bodies: Vec<Vec<u8>>,
    first_kept: i64,
}

impl Rows {
    fn of<T: serde::Serialize>(
        items: &[T],
        index: impl Fn(&T) -> u64,
        first_kept: u64,
    ) -> Result<Rows, StoreError> {
        Ok(Rows {
            indices: items
                .iter()
                .map(|i| int(index(i)))
                .collect::<Result<_, _>>()?,
            bodies: items.iter().map(encode).collect::<Result<_, _>>()?,
            first_kept: int(first_kept)?,
        })
    }
}

impl Encoded {
    fn of(w: &Write) -> Result<Encoded, StoreError> {
        let r = &w.record;
        Ok(Encoded {
            sid: r.sid.clone(),
            trace_only: w.trace_only,
            expected: w.expected_version.map(int).transpose()?,
            version: int(r.version)?,
            updated_at: int(r.updated_at)?,
            record: encode(r)?,
            events: Rows::of(&w.events, |e| e.index, r.trace.first_kept)?,
            history: Rows::of(&w.history, |e| e.index, r.history.first_kept)?,
        })
    }
}

fn encode(value: &impl serde::Serialize) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Unavailable(format!("cannot encode: {e}")))
}

/// Applies a batch all or nothing: `Ok(false)` when a compare-and-swap failed and nothing was
/// applied. A lone durable write is one statement, atomic by itself: one round trip. A batch of
/// several, or of trace-only writes, is a transaction.
async fn commit(c: &mut Object, batch: &[Encoded]) -> Result<bool, tokio_postgres::Error> {
    let trace_only = batch.iter().all(|w| w.trace_only);
    if let [w] = batch
        && !trace_only
    {
        return apply(c, w).await;
    }
    let txn = c.transaction().await?;
    if trace_only {
        // Only trace events of calls that changed nothing: answered before the flush, made
        // durable by PostgreSQL's WAL writer within a fraction of a second, and by any later
        // durable commit, whose flush covers the WAL before it (Write::trace_only).
        txn.batch_execute("SET LOCAL synchronous_commit TO off")
            .await?;
    }
    for w in batch {
        if !apply(&txn, w).await? {
            txn.rollback().await?;
            return Ok(false);
        }
    }
    txn.commit().await?;
    Ok(true)
}

/// Writes one record with its rows ([`CREATE`] or [`UPDATE`]); `false` when its check failed.
async fn apply(
    c: &impl deadpool_postgres::GenericClient,
    w: &Encoded,
) -> Result<bool, tokio_postgres::Error> {
    let (events, history) = (&w.events, &w.history);
    let row = match w.expected {
        None => {
            let st = c.prepare_cached(CREATE).await?;
            let args: [&(dyn ToSql + Sync); 10] = [
                &w.sid,
                &w.version,
                &w.updated_at,
                &events.first_kept,
                &history.first_kept,
                &w.record,
                &events.indices,
                &events.bodies,
                &history.indices,
                &history.bodies,
            ];
            c.query_one(&st, &args).await?
        }
        Some(expected) => {
            let st = c.prepare_cached(UPDATE).await?;
            let args: [&(dyn ToSql + Sync); 11] = [
                &w.sid,
                &expected,
                &w.version,
                &w.updated_at,
                &events.first_kept,
                &history.first_kept,
                &w.record,
                &events.indices,
                &events.bodies,
                &history.indices,
                &history.bodies,
            ];
            c.query_one(&st, &args).await?
        }
    };
    Ok(row.get::<_, i64>(0) == 1)
}

impl Store for PgStore {
    fn load(&self, sid: &str) -> Result<Option<SessionRecord>, StoreError> {
        let key = sid.to_owned();
        let bytes: Option<Vec<u8>> = self.call(move |c| {
            Box::pin(async move {
                let st = c.prepare_cached(LOAD).await?;
                Ok(c.query_opt(&st, &[&key]).await?.map(|row| row.get(0)))
            })
        })?;
        bytes
            .map(|b| serde_json::from_slice(&b).map_err(|e| corrupt("record", sid, &e)))
            .transpose()
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut batch = writes
            .iter()
            .map(Encoded::of)
            .collect::<Result<Vec<_>, _>>()?;
        batch.sort_by(|a, b| a.sid.cmp(&b.sid));
        // A trace-only write changes nothing a status shows: no one needs to hear of it.
        let changed: Vec<String> = batch
            .iter()
            .filter(|w| !w.trace_only)
            .map(|w| w.sid.clone())
            .collect();
        let applied = self.call(move |c| Box::pin(async move { commit(c, &batch).await }))?;
        if !applied {
            return Err(StoreError::Conflict);
        }
        if !changed.is_empty() {
            // The notifier outlives every caller but a store being dropped.
            let _ = self.committed.send(changed);
        }
        Ok(())
    }

    fn events(&self, sid: &str, from: u64, to: u64) -> Result<Vec<TraceEvent>, StoreError> {
        self.range(EVENTS, "trace event", sid, from, to)
    }

    fn history(&self, sid: &str, from: u64, to: u64) -> Result<Vec<HistoryEntry>, StoreError> {
        self.range(HISTORY, "history entry", sid, from, to)
    }

    /// The database answers and its schema is the one this server needs.
    fn check(&self) -> Result<(), StoreError> {
        self.call(|c| {
            Box::pin(async move {
                let client: &tokio_postgres::Client = c;
                match schema::check(client).await {
                    // The database's own failure: handled (and the connection dropped) as any.
                    Err(SchemaError::Db(e)) => Err(e),
                    checked => Ok(checked),
                }
            })
        })?
        .map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}

/// Announces committed sessions to every server's listener, batching whatever was committed
/// while the previous notification went out.
async fn notifier(pool: Pool, mut committed: mpsc::UnboundedReceiver<Vec<String>>) {
    while let Some(first) = committed.recv().await {
        let mut sids = std::collections::BTreeSet::from_iter(first);
        while let Ok(more) = committed.try_recv() {
            sids.extend(more);
        }
        for payload in payloads(sids.iter().map(String::as_str)) {
            // A notification needs no durability: its transaction does not wait for the flush.
            // One round trip, so the payload is a literal (sids hold no quote; any is doubled).
            let sql = format!(
                "BEGIN; SET LOCAL synchronous_commit TO off; \
                 SELECT pg_notify('{SESSIONS_CHANNEL}', '{}'); COMMIT",
                payload.replace('\'', "''")
            );
            let sent = async {
                let client = pool.get().await.map_err(pool_error)?;
                client.batch_execute(&sql).await.map_err(db_error)
            };
            // A lost notification only delays a waiter to its deadline, which reads the store
            // again anyway.
            if let Err(e) = sent.await {
                tracing::warn!(error = %e, "cannot announce committed sessions");
            }
        }
    }
}

/// Comma-separated sids, cut into payloads PostgreSQL accepts.
fn payloads<'a>(sids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for sid in sids {
        match out.last_mut() {
            Some(last) if last.len() + 1 + sid.len() <= MAX_PAYLOAD => {
                last.push(',');
                last.push_str(sid);
            }
            _ => out.push(sid.to_owned()),
        }
    }
    out
}

/// Errors that concern the rows, not the connection: the connection stays in the pool.
fn row_level(code: &tokio_postgres::error::SqlState) -> bool {
    use tokio_postgres::error::SqlState;
    [
        SqlState::UNIQUE_VIOLATION,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::T_R_SERIALIZATION_FAILURE,
    ]
    .contains(code)
}

fn db_error(e: tokio_postgres::Error) -> StoreError {
    use tokio_postgres::error::SqlState;
    match e.code() {
        // Two writers met on one row; the engine evaluates again, as after a failed version check.
        Some(c)
            if *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::T_R_SERIALIZATION_FAILURE =>
        {
            StoreError::Conflict
        }
        _ => StoreError::Unavailable(format!("PostgreSQL: {}", reason(&e))),
    }
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => {
            StoreError::Unavailable(format!("cannot connect to PostgreSQL: {}", reason(&e)))
        }
        PoolError::Timeout(_) => StoreError::Unavailable(
            "no PostgreSQL connection became free or could be made in time".into(),
        ),
        other => StoreError::Unavailable(format!("PostgreSQL pool: {other}")),
    }
}

/// The most telling text of a client error: the server's own message, or the client's text with
/// its cause (tokio-postgres's text alone is only, e.g., "error connecting to server").
fn reason(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_owned();
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Where the database is, for messages: host, port and database, never the user or password.
fn place(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

/// PostgreSQL's `bigint` is signed; every stored number (versions, indices, Unix milliseconds)
/// is far below its limit.
fn int(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Unavailable(format!("{n} is too large to store")))
}

fn corrupt(what: &str, sid: &str, e: &serde_json::Error) -> StoreError {
    StoreError::Unavailable(format!(
        "a stored {what} of session {sid} does not decode: {e}"
    ))
}

#[cfg(test)]
mod tests;
