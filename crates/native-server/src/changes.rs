//! What changed in the session store, told to whoever waits in this process: a
//! `get_workflow_status` call with `wait_ms` (docs/protocol.md#get_workflow_status) and, with
//! PostgreSQL, the key-ring reloader. The redb store tells its own commits; the PostgreSQL store
//! tells what its LISTEN connection hears, which includes every server's commits and key
//! rotations (crates/native-server/README.md#postgresql).

use std::sync::Arc;

use tokio::sync::broadcast;

/// Changes a slow waiter may fall behind by before it is told [`Change::All`] instead.
const BACKLOG: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A commit changed this session's record.
    Session(Arc<str>),
    /// The key ring in the database was rotated.
    Keys,
    /// Changes may have been missed (the LISTEN connection was re-established, or a waiter fell
    /// behind): anything may have changed.
    All,
}

impl Change {
    /// Whether a waiter interested in `sessions` must look again.
    pub fn touches(&self, sessions: &[String]) -> bool {
        match self {
            Change::Session(sid) => sessions.iter().any(|s| **s == **sid),
            Change::Keys => false,
            Change::All => true,
        }
    }
}

pub struct Changes {
    sender: broadcast::Sender<Change>,
}

impl Default for Changes {
    fn default() -> Self {
        Changes {
            sender: broadcast::channel(BACKLOG).0,
        }
    }
}

impl Changes {
    pub fn publish(&self, change: Change) {
        // Nobody waiting is not an error.
        let _ = self.sender.send(change);
    }

    /// Changes published from now on.
    pub fn subscribe(&self) -> Subscription {
        Subscription(self.sender.subscribe())
    }
}

pub struct Subscription(broadcast::Receiver<Change>);

impl Subscription {
    /// The next change; [`Change::All`] when this subscriber fell behind. `None` once the store
    /// is gone.
    pub async fn next(&mut self) -> Option<Change> {
        match self.0.recv().await {
            Ok(change) => Some(change),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Change::All),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_subscriber_hears_later_changes_and_a_lag_as_all() {
        let changes = Changes::default();
        let mut early = changes.subscribe();
        changes.publish(Change::Session("a".into()));
        assert_eq!(early.next().await, Some(Change::Session("a".into())));
        for _ in 0..BACKLOG + 1 {
            changes.publish(Change::Keys);
        }
        assert_eq!(early.next().await, Some(Change::All));
        assert!(Change::Session("a".into()).touches(&["b".into(), "a".into()]));
        assert!(!Change::Session("a".into()).touches(&["b".into()]));
        assert!(!Change::Keys.touches(&["a".into()]));
        assert!(Change::All.touches(&[]));
    }
}
