//! Sessions: the record every gate reads, the store it lives in, and what the host passes in
//! so the core stays free of clocks and randomness.

pub mod record;
pub mod store;

pub use record::{
    HistoryEntry, HistoryItem, MAX_AGENTS, MAX_CHILDREN, SessionRecord, SessionStatus, TraceEvent,
};
pub use store::{MemoryStore, Store, StoreError, Write};

/// What the engine needs from the outside world for one call: the time and fresh ids. Passed
/// per call rather than held, so hosts (a tokio server, a browser page with JS callbacks) can
/// supply them however suits them and tests can drive a fake clock.
pub trait Env {
    /// Unix time in milliseconds.
    fn now_ms(&self) -> u64;
    /// A random (v4) UUID, lowercase and hyphenated.
    fn uuid(&self) -> String;
}
