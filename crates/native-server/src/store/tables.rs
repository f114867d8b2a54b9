//! The store file's layout.
//!
//! * `records`: sid → the session record as JSON (the engine's type, so the file follows it).
//! * `heads`: sid → (version, updated_at, first_kept): what a commit needs to check and to
//!   maintain the other tables, without decoding the record.
//! * `events`: (sid, index) → one trace event as JSON, so a commit writes only new events and a
//!   trace is one range scan.
//! * `history`: (sid, index) → one history entry as JSON (a closed visit, a replaced answer),
//!   the same way (docs/protocol.md#session-history).
//! * `by_updated`: (updated_at, sid) → (): retention finds expired sessions without a full scan.
//! * `layout`: `"version"` → the layout of the file ([`LAYOUT_VERSION`]); a file without it is
//!   of layout 1 and is upgraded in place on open ([`super::upgrade`]).

use std::path::Path;

use redb::{Database, DatabaseError, TableDefinition};

pub const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");
pub const HEADS: TableDefinition<&str, (u64, u64, u64)> = TableDefinition::new("heads");
pub const EVENTS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("events");
pub const BY_UPDATED: TableDefinition<(u64, &str), ()> = TableDefinition::new("by_updated");
pub const HISTORY: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("history");
pub const LAYOUT: TableDefinition<&str, u64> = TableDefinition::new("layout");

/// Layout 2 keeps closed visits and replaced answers in `history` instead of inside the record.
pub const LAYOUT_VERSION: u64 = 2;
/// The key of the layout version in `LAYOUT`.
pub const VERSION_KEY: &str = "version";

/// Pages cached in memory. Records are small and the OS caches the file too; a small cache keeps
/// the server's footprint small.
const CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Opens the file, verifying every page's checksum first (redb may otherwise panic on a file
/// altered outside it).
pub fn open(path: &Path) -> Result<Database, DatabaseError> {
    Database::builder()
        .set_cache_size(CACHE_BYTES)
        .set_check_integrity_on_open(true)
        .create(path)
}

/// Creates the tables a file lacks, so readers never meet a missing table.
pub fn create(txn: &redb::WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(RECORDS)?;
    txn.open_table(HEADS)?;
    txn.open_table(EVENTS)?;
    txn.open_table(HISTORY)?;
    txn.open_table(BY_UPDATED)?;
    txn.open_table(LAYOUT)?;
    Ok(())
}
