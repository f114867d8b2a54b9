//! The key ring in the database: one row holding the ring as `keyring.json` would
//! (docs/protocol.md#key-ring), so every server signs with the same current key. The database is
//! trusted with it as the state folder is with the file: whoever can read the table can mint
//! tokens, but whoever can write the database can rewrite every session anyway, so the key is not
//! encrypted at rest; grant the servers' role alone access to it
//! (crates/native-server/README.md#postgresql).

use deadpool_postgres::Object;
use tokio_postgres::{Client, Error};

use super::KEYS_CHANNEL;

/// The ring's JSON, `None` when no server has stored one yet.
pub async fn load(c: &Client) -> Result<Option<Vec<u8>>, Error> {
    Ok(c.query_opt("SELECT ring FROM workflow_keyring", &[])
        .await?
        .map(|row| row.get(0)))
}

/// Stores `ring` unless another server stored one first, and returns the stored one: servers
/// starting together on a new database agree on one ring.
pub async fn create(c: &Client, ring: &[u8]) -> Result<Vec<u8>, Error> {
    c.execute(
        "INSERT INTO workflow_keyring (ring) VALUES ($1) ON CONFLICT (one) DO NOTHING",
        &[&ring],
    )
    .await?;
    c.query_one("SELECT ring FROM workflow_keyring", &[])
        .await
        .map(|row| row.get(0))
}

/// Replaces the ring by `change(the stored one)` in one transaction that holds the row, and
/// announces it on [`KEYS_CHANNEL`], so every listening server reloads it. `Ok(Err(_))` when
/// `change` refused; then nothing was written.
pub async fn update(
    c: &mut Object,
    change: impl FnOnce(Option<Vec<u8>>) -> Result<Vec<u8>, String>,
) -> Result<Result<Vec<u8>, String>, Error> {
    let txn = c.transaction().await?;
    let old = txn
        .query_opt("SELECT ring FROM workflow_keyring FOR UPDATE", &[])
        .await?
        .map(|row| row.get(0));
    let new = match change(old) {
        Ok(new) => new,
        Err(refused) => {
            txn.rollback().await?;
            return Ok(Err(refused));
        }
    };
    txn.execute(
        "INSERT INTO workflow_keyring (ring) VALUES ($1) \
         ON CONFLICT (one) DO UPDATE SET ring = excluded.ring",
        &[&new],
    )
    .await?;
    txn.execute("SELECT pg_notify($1, '')", &[&KEYS_CHANNEL])
        .await?;
    txn.commit().await?;
    Ok(Ok(new))
}
