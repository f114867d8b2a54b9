//! The trace (docs/protocol.md#trace): appending an event to a record's bookkeeping, closing
//! segments, the retention cap, and trace tokens for closed segments.

use serde_json::Value;

use crate::keyring::KeyRing;
use crate::session::record::Segment;
use crate::session::{SessionRecord, Store, StoreError, TraceEvent};
use crate::token::{TraceTokenPayload, sign_trace};

use super::render::to_value;

/// The most events a trace token carries; a longer segment keeps its latest ones.
pub(crate) const MAX_TOKEN_EVENTS: u64 = 1_000;

/// An event as results and trace tokens show it: the fields of docs/protocol.md#trace-events,
/// without the store's index.
pub(crate) fn event_json(event: &TraceEvent) -> Value {
    let mut value = to_value(event);
    if let Value::Object(map) = &mut value {
        map.shift_remove("index");
    }
    value
}

/// Books `event` (which must carry `record.trace.next_index`) into the record: the next index,
/// the segment it closes, and the retention cap. Returns the closed segment.
pub(crate) fn append(
    record: &mut SessionRecord,
    event: &TraceEvent,
    closes_segment: bool,
    cap: u64,
) -> Option<Segment> {
    let trace = &mut record.trace;
    trace.next_index = event.index + 1;
    let closed = closes_segment.then(|| {
        let segment = Segment {
            act: event.act.clone(),
            from: trace.segment_start,
            to: trace.next_index,
            closed_by: Some(event.name.clone()),
        };
        trace.segment_start = trace.next_index;
        segment
    });
    let cap = cap.max(1);
    if trace.next_index - trace.first_kept > cap {
        trace.first_kept = trace.next_index - cap;
    }
    closed
}

/// The segments of a run of consecutive events (docs/protocol.md#trace-segments), cut to the
/// run: a segment that started before it begins at its first event, and one that goes on after
/// it ends at its last with `closed_by` null.
pub(crate) fn segments_of(events: &[TraceEvent]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut open: Option<Segment> = None;
    for e in events {
        let segment = open.get_or_insert_with(|| Segment {
            act: e.act.clone(),
            from: e.index,
            to: e.index,
            closed_by: None,
        });
        segment.to = e.index + 1;
        if e.closes_segment() {
            segment.closed_by = Some(e.name.clone());
            out.extend(open.take());
        }
    }
    out.extend(open);
    out
}

/// A trace token for `segment`, whose last event is `last` (not yet stored); the earlier ones
/// are read from the store as it stands before the commit.
pub(crate) fn segment_token(
    store: &dyn Store,
    keys: &KeyRing,
    record: &SessionRecord,
    segment: &Segment,
    last: &TraceEvent,
    now_ms: u64,
) -> Result<String, StoreError> {
    let lowest = segment
        .from
        .max(record.trace.first_kept)
        .max(segment.to.saturating_sub(MAX_TOKEN_EVENTS));
    let mut events = store.events(&record.sid, lowest, last.index)?;
    events.push(last.clone());
    let included = events.len() as u64;
    let omitted = (segment.to - segment.from).saturating_sub(included);
    let payload = TraceTokenPayload {
        sid: record.sid.clone(),
        act: segment.act.clone(),
        from: segment.from,
        to: segment.to,
        n: included,
        t0: events.first().map_or(0, |e| e.ts),
        t1: events.last().map_or(0, |e| e.ts),
        ts: now_ms / 1000,
        events: events.iter().map(event_json).collect(),
        omitted: (omitted > 0).then_some(omitted),
    };
    Ok(sign_trace(keys, &payload))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::record::EventStatus;

    fn event(index: u64, act: &str) -> TraceEvent {
        TraceEvent {
            index,
            trace_id: "s".into(),
            span_id: "x".into(),
            name: "next_activity".into(),
            ts: 1,
            ms: 0,
            s: EventStatus::Ok,
            wf: "w".into(),
            act: act.into(),
            aid: "a".into(),
            to: None,
            err: None,
            vw: vec![],
            related: None,
        }
    }

    #[test]
    fn segments_close_on_their_last_event_and_the_cap_moves_the_first_kept() {
        let mut r = SessionRecord::new("s".into(), "w".into(), "1.0.0".into(), 0);
        assert!(append(&mut r, &event(0, ""), false, 3).is_none());
        let closed = append(&mut r, &event(1, ""), true, 3).unwrap();
        assert_eq!((closed.from, closed.to), (0, 2));
        append(&mut r, &event(2, "a"), false, 3);
        append(&mut r, &event(3, "a"), false, 3);
        assert_eq!((r.trace.first_kept, r.trace.segment_start), (1, 2));
        append(&mut r, &event(4, "a"), false, 3);
        assert_eq!(r.trace.first_kept, 2);
    }
}
