//! The database's tables and their versioned migrations. Every server runs [`migrate`] at start:
//! under a transaction-scoped advisory lock, so servers starting together migrate one after the
//! other and the later ones find nothing left to do; each migration and its row in
//! `workflow_schema` commit together, so a crash leaves the schema at one version or the next.
//!
//! * `workflow_sessions`: sid → `version` (the compare-and-swap), `updated_at` (retention, with
//!   its index), `trace_first_kept` and `history_first_kept` (which events and history entries
//!   a commit may trim) and the record as JSON bytes, the engine's own type, as the redb store
//!   keeps it.
//! * `workflow_events`: (sid, idx) → one trace event as JSON bytes.
//! * `workflow_history`: (sid, idx) → one history entry as JSON bytes
//!   (docs/protocol.md#session-history).
//! * `workflow_keyring`: one row, the key ring as `keyring.json` holds it
//!   (docs/protocol.md#key-ring).

use tokio_postgres::GenericClient;

/// One step of the schema. Versions start at 1 and follow each other; a released migration is
/// never edited, only followed by a new one.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "sessions, trace events, history and the key ring",
    sql: "CREATE TABLE workflow_sessions (
              sid text PRIMARY KEY,
              version bigint NOT NULL,
              updated_at bigint NOT NULL,
              trace_first_kept bigint NOT NULL,
              history_first_kept bigint NOT NULL,
              record bytea NOT NULL
          );
          CREATE INDEX workflow_sessions_updated_at ON workflow_sessions (updated_at);
          CREATE TABLE workflow_events (
              sid text NOT NULL,
              idx bigint NOT NULL,
              event bytea NOT NULL,
              PRIMARY KEY (sid, idx)
          );
          CREATE TABLE workflow_history (
              sid text NOT NULL,
              idx bigint NOT NULL,
              entry bytea NOT NULL,
              PRIMARY KEY (sid, idx)
          );
          CREATE TABLE workflow_keyring (
              one boolean PRIMARY KEY DEFAULT true CHECK (one),
              ring bytea NOT NULL
          );",
}];

/// The schema version this build reads and writes.
pub const CURRENT: i32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// The advisory lock migrations hold: any number unlikely to be used by another program on the
/// same database ("wfsm" in ASCII).
const MIGRATION_LOCK: i64 = 0x7766_736d;

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "the database's schema is at version {found}, newer than this server's {CURRENT}; run a \
         server at least as new as the one that migrated it"
    )]
    Newer { found: i32 },
    #[error(
        "the database's schema is at version {found}, this server needs {CURRENT}; restart a \
         server to migrate it"
    )]
    Older { found: i32 },
    #[error(transparent)]
    Db(#[from] tokio_postgres::Error),
}

/// Brings the schema to [`CURRENT`], applying the missing migrations in order.
pub async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), SchemaError> {
    let txn = client.transaction().await?;
    txn.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    txn.batch_execute(
        "CREATE TABLE IF NOT EXISTS workflow_schema (
             version integer PRIMARY KEY,
             name text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let found = version(&txn).await?;
    if found > CURRENT {
        return Err(SchemaError::Newer { found });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        txn.batch_execute(m.sql).await?;
        txn.execute(
            "INSERT INTO workflow_schema (version, name) VALUES ($1, $2)",
            &[&m.version, &m.name],
        )
        .await?;
        tracing::info!(version = m.version, name = m.name, "migrated the database");
    }
    txn.commit().await?;
    Ok(())
}

/// Whether the schema is the one this build needs (`/ready`, `health_check`).
pub async fn check(client: &impl GenericClient) -> Result<(), SchemaError> {
    match version(client).await? {
        CURRENT => Ok(()),
        found if found > CURRENT => Err(SchemaError::Newer { found }),
        found => Err(SchemaError::Older { found }),
    }
}

/// The highest applied migration, 0 for none.
async fn version(client: &impl GenericClient) -> Result<i32, tokio_postgres::Error> {
    let row = client
        .query_one("SELECT coalesce(max(version), 0) FROM workflow_schema", &[])
        .await?;
    Ok(row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_start_at_one_and_follow_each_other() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1, "{}", m.name);
        }
    }
}
