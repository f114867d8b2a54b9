//! Waiting for a status to change (`get_workflow_status`'s `wait_ms`,
//! docs/protocol.md#get_workflow_status). The core only says what to watch
//! ([`workflow_core::engine::Wait`]); the host waits: it runs the call again whenever a watched
//! session changes ([`Changes`]: the redb store's own commits, or every server's through
//! PostgreSQL's LISTEN) and answers the first result that differs from the first one, or a fresh
//! result at the deadline, or the latest one at once when the request is cancelled.

use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use workflow_core::engine::{CallError, ToolOutput};

use crate::changes::Changes;

/// One evaluation of the call: its result, or `Err` when it panicked.
pub type Outcome = Result<Result<ToolOutput, CallError>, ()>;

/// `first` when it does not ask to wait; otherwise the first differing result of `again`, within
/// the wait it asks for and at most `longest`.
pub async fn until_changed(
    first: ToolOutput,
    changes: &Changes,
    longest: Duration,
    cancelled: &CancellationToken,
    mut again: impl FnMut() -> Outcome,
) -> Outcome {
    let Some(wait) = first.wait.clone() else {
        return Ok(Ok(first));
    };
    let deadline = Instant::now() + Duration::from_millis(wait.ms).min(longest);
    let mut heard = changes.subscribe();
    let mut latest = first;
    loop {
        // The first look covers a change between the first evaluation and the subscription.
        match again() {
            Ok(Ok(out)) if out.structured == latest.structured => latest = out,
            changed_or_failed => return changed_or_failed,
        }
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => return again(),
                _ = cancelled.cancelled() => return Ok(Ok(latest)),
                change = heard.next() => match change {
                    Some(change) if change.touches(&wait.sessions) => break,
                    Some(_) => {}
                    None => return Ok(Ok(latest)),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use serde_json::{Map, json};
    use workflow_core::engine::Wait;

    use super::*;
    use crate::changes::Change;

    /// A status read: its `structured` is the shared revision.
    fn status(revision: &AtomicU64, wait_ms: u64) -> ToolOutput {
        ToolOutput {
            structured: json!({ "revision": revision.load(Ordering::SeqCst) }),
            text: String::new(),
            meta: Map::new(),
            wait: Some(Wait {
                ms: wait_ms,
                sessions: vec!["watched".into()],
            }),
        }
    }

    const LONG: Duration = Duration::from_secs(20);

    /// Time is paused: it moves only when every task waits, so "before the deadline" means the
    /// wait was woken by the change, not by the clock.
    #[tokio::test(start_paused = true)]
    async fn a_change_of_a_watched_session_answers_before_the_deadline() {
        let changes = Arc::new(Changes::default());
        let revision = Arc::new(AtomicU64::new(1));
        let first = status(&revision, 20_000);
        let (writer, announcer) = (revision.clone(), changes.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            announcer.publish(Change::Session("other".into()));
            tokio::time::sleep(Duration::from_millis(200)).await;
            writer.store(2, Ordering::SeqCst);
            announcer.publish(Change::Session("watched".into()));
        });
        let started = Instant::now();
        let answer = until_changed(first, &changes, LONG, &CancellationToken::new(), || {
            Ok(Ok(status(&revision, 20_000)))
        })
        .await;
        assert_eq!(answer.expect("ran").expect("ok").structured["revision"], 2);
        assert_eq!(started.elapsed(), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_change_a_fresh_result_comes_at_the_deadline() {
        let changes = Changes::default();
        let revision = AtomicU64::new(7);
        let looks = AtomicU64::new(0);
        let started = Instant::now();
        let answer = until_changed(
            status(&revision, 1_000),
            &changes,
            LONG,
            &CancellationToken::new(),
            || {
                looks.fetch_add(1, Ordering::SeqCst);
                Ok(Ok(status(&revision, 1_000)))
            },
        )
        .await;
        assert_eq!(answer.expect("ran").expect("ok").structured["revision"], 7);
        assert_eq!(started.elapsed(), Duration::from_millis(1_000));
        // One look after subscribing, one at the deadline.
        assert_eq!(looks.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_host_bound_caps_the_wait_and_cancellation_ends_it() {
        let changes = Changes::default();
        let revision = AtomicU64::new(1);
        let started = Instant::now();
        let again = || Ok(Ok(status(&revision, 20_000)));
        let capped = until_changed(
            status(&revision, 20_000),
            &changes,
            Duration::from_secs(2),
            &CancellationToken::new(),
            again,
        )
        .await;
        assert!(capped.is_ok());
        assert_eq!(started.elapsed(), Duration::from_secs(2));

        let cancelled = CancellationToken::new();
        cancelled.cancel();
        let started = Instant::now();
        let answer =
            until_changed(status(&revision, 20_000), &changes, LONG, &cancelled, again).await;
        assert!(answer.is_ok());
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_change_seen_on_the_first_look_or_an_error_answers_at_once() {
        let changes = Changes::default();
        let revision = AtomicU64::new(1);
        let first = status(&revision, 20_000);
        revision.store(2, Ordering::SeqCst);
        let answer = until_changed(first, &changes, LONG, &CancellationToken::new(), || {
            Ok(Ok(status(&revision, 20_000)))
        })
        .await;
        assert_eq!(answer.expect("ran").expect("ok").structured["revision"], 2);

        let failed = until_changed(
            status(&revision, 20_000),
            &changes,
            LONG,
            &CancellationToken::new(),
            || Err(()),
        )
        .await;
        assert!(failed.is_err());

        let mut plain = status(&revision, 0);
        plain.wait = None;
        let answer = until_changed(plain, &changes, LONG, &CancellationToken::new(), || {
            panic!("a call that does not wait is not run again")
        })
        .await;
        assert!(answer.is_ok());
    }
}
