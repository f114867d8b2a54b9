//! Finding an earlier answer (docs/protocol.md#session-history). The record holds only the
//! latest answer; the rare calls that present a token from before it (an old handle, a late
//! resume) search the history from the newest entry back, a page at a time, so the common case
//! reads nothing and the rare one stops as soon as it can.

use crate::session::record::{Answer, HistoryItem};
use crate::session::{SessionRecord, Store, StoreError};

/// History entries read per store call while searching back.
const PAGE: u64 = 64;

/// What the search does with one answer, newest first.
pub(crate) enum Look {
    /// This is the answer.
    Found,
    /// Go on to older answers.
    Older,
    /// No older answer can match.
    Stop,
}

/// The newest answer `look` accepts: the record's latest answer, then the history's answers.
pub(crate) fn newest(
    store: &dyn Store,
    record: &SessionRecord,
    look: impl Fn(&Answer) -> Look,
) -> Result<Option<Answer>, StoreError> {
    if let Some(last) = &record.last_answer {
        match look(last) {
            Look::Found => return Ok(Some(last.clone())),
            Look::Stop => return Ok(None),
            Look::Older => {}
        }
    }
    let mut to = record.history.next_index;
    while to > record.history.first_kept {
        let from = to.saturating_sub(PAGE).max(record.history.first_kept);
        for entry in store.history(&record.sid, from, to)?.into_iter().rev() {
            if let HistoryItem::Answer(answer) = entry.item {
                match look(&answer) {
                    Look::Found => return Ok(Some(answer)),
                    Look::Stop => return Ok(None),
                    Look::Older => {}
                }
            }
        }
        to = from;
    }
    Ok(None)
}
