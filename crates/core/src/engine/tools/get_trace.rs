//! `get_trace` (docs/protocol.md#get_trace): the trace from the record, or from trace tokens of
//! this session and its descendants. Reading a trace never changes it, so the call is not traced.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::engine::ToolOutput;
use crate::engine::args::Args;
use crate::engine::attempt::{Cx, Reply};
use crate::engine::errors::CallError;
use crate::engine::gates::{self, Gate};
use crate::engine::params::{Parsed, done};
use crate::engine::render::{to_value, toon};
use crate::engine::tokens;
use crate::engine::trace_log::{event_json, segments_of};
use crate::engine::warnings::Warning;
use crate::session::SessionRecord;
use crate::token::verify_trace;

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_trace",
    description: |_| {
        "The session's trace, 500 events a page."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<GetTraceParams>,
    output_schema: output::<GetTraceResult>,
    run: get_trace,
};

/// Events in one page of `get_trace` (docs/protocol.md#get_trace).
pub(crate) const PAGE_EVENTS: u64 = 500;

#[derive(JsonSchema)]
pub(crate) struct GetTraceParams {
    pub session_token: String,
    /// Omit to read the session's trace.
    pub trace_tokens: Option<Vec<String>>,
    /// The previous page's `next_from`.
    pub from: Option<u64>,
}

impl GetTraceParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let trace_tokens = a.string_list("trace_tokens");
        let from = a.index("from", u64::MAX);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                trace_tokens,
                from,
            },
        )
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SegmentView {
    pub act: String,
    pub from: u64,
    pub to: u64,
    pub closed_by: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GetTraceResult {
    #[serde(rename = "traceId")]
    pub trace_id: String,
    /// `record` or `tokens`.
    pub source: String,
    pub event_count: usize,
    pub events: Vec<Value>,
    /// Token mode: one message per refused trace token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_errors: Option<Vec<String>>,
    /// Record mode: events removed by the retention cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<u64>,
    /// Record mode: the segments of this page's events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<SegmentView>>,
    /// More events follow: pass this as `from` to read them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_from: Option<u64>,
    pub session_token: String,
}

fn get_trace(cx: &Cx<'_>, args: Args) -> Result<ToolOutput, CallError> {
    let parsed = GetTraceParams::parse(args)?;
    let p = &parsed.params;
    let verified = tokens::verify(&cx.keys, &p.session_token, "session_token")?;
    let payload = &verified.payload;
    let record = cx.load(&payload.sid)?;
    let aid = tokens::agent(&record, payload)?;
    gates::checkpoint(&record, Gate::General)?;
    let mut warnings = parsed.warnings.clone();
    if verified.retired_key {
        warnings.push(Warning::token_retired_key("session_token"));
    }
    let token = cx.token(&record, &aid);
    let result = match p.trace_tokens.as_deref().filter(|t| !t.is_empty()) {
        Some(trace_tokens) => from_tokens(cx, &record, trace_tokens, p.from, token.clone())?,
        None => from_record(cx, &record, p.from, token.clone())?,
    };
    let structured = to_value(&result);
    let text = toon(&structured);
    Ok(Reply::new(structured, text)
        .with_meta("session_token", token)
        .finish(Some(&warnings), None))
}

fn from_record(
    cx: &Cx<'_>,
    record: &SessionRecord,
    from: Option<u64>,
    session_token: String,
) -> Result<GetTraceResult, CallError> {
    let trace = &record.trace;
    let from = from.unwrap_or(0).clamp(trace.first_kept, trace.next_index);
    let to = from.saturating_add(PAGE_EVENTS).min(trace.next_index);
    let stored = cx.store().events(&record.sid, from, to)?;
    let segments = segments_of(&stored)
        .into_iter()
        .map(|s| SegmentView {
            act: s.act,
            from: s.from,
            to: s.to,
            closed_by: s.closed_by,
        })
        .collect();
    let events: Vec<_> = stored.iter().map(event_json).collect();
    Ok(GetTraceResult {
        trace_id: record.sid.clone(),
        source: "record".to_owned(),
        event_count: events.len(),
        events,
        token_errors: None,
        dropped: Some(trace.first_kept),
        segments: Some(segments),
        next_from: (to < trace.next_index).then_some(to),
        session_token,
    })
}

fn from_tokens(
    cx: &Cx<'_>,
    record: &SessionRecord,
    trace_tokens: &[String],
    from: Option<u64>,
    session_token: String,
) -> Result<GetTraceResult, CallError> {
    let mut descendants: Option<HashSet<String>> = None;
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for (i, t) in trace_tokens.iter().enumerate() {
        let checked = match verify_trace(&cx.keys, t) {
            Err(e) => Err(e),
            Ok(v) => {
                let in_scope = v.payload.sid == record.sid || {
                    if descendants.is_none() {
                        descendants = Some(descendants_of(cx, record)?);
                    }
                    descendants
                        .as_ref()
                        .is_some_and(|d| d.contains(&v.payload.sid))
                };
                v.payload.check_scope(|_| in_scope).map(|()| v.payload)
            }
        };
        match checked {
            Ok(payload) => events.extend(payload.events),
            Err(e) => errors.push(format!("trace_tokens[{i}]: {e}")),
        }
    }
    // Pages are positions in the tokens' events taken together, in the given order.
    let from = usize::try_from(from.unwrap_or(0)).unwrap_or(usize::MAX).min(events.len());
    let to = from.saturating_add(PAGE_EVENTS as usize).min(events.len());
    let next_from = (to < events.len()).then_some(to as u64);
    let events: Vec<Value> = events.drain(from..to).collect();
    Ok(GetTraceResult {
        trace_id: record.sid.clone(),
        source: "tokens".to_owned(),
        event_count: events.len(),
        events,
        token_errors: (!errors.is_empty()).then_some(errors),
        dropped: None,
        segments: None,
        next_from,
        session_token,
    })
}

/// Every session below `record`: children, grandchildren, … (each visited once).
fn descendants_of(cx: &Cx<'_>, record: &SessionRecord) -> Result<HashSet<String>, CallError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<String> = record.children.clone();
    while let Some(sid) = pending.pop() {
        if sid == record.sid || !seen.insert(sid.clone()) {
            continue;
        }
        if let Some(child) = cx.store().load(&sid)? {
            pending.extend(child.children);
        }
    }
    Ok(seen)
}
