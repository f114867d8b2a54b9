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
use crate::engine::trace_log::event_json;
use crate::engine::warnings::Warning;
use crate::session::SessionRecord;
use crate::token::verify_trace;

use super::{Tool, input, output};

pub(super) const TOOL: Tool = Tool {
    name: "get_trace",
    description: |_| {
        "The session's trace, from its record or from trace tokens."
            .to_owned()
    },
    read_only: true,
    structured_content: true,
    input_schema: input::<GetTraceParams>,
    output_schema: output::<GetTraceResult>,
    run: get_trace,
};

#[derive(JsonSchema)]
pub(crate) struct GetTraceParams {
    pub session_token: String,
    /// Omit to read the session's trace.
    pub trace_tokens: Option<Vec<String>>,
}

impl GetTraceParams {
    pub(crate) fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        let trace_tokens = a.string_list("trace_tokens");
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
                trace_tokens,
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
    /// Record mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<SegmentView>>,
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
        Some(trace_tokens) => from_tokens(cx, &record, trace_tokens, token.clone())?,
        None => from_record(cx, &record, token.clone())?,
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
    session_token: String,
) -> Result<GetTraceResult, CallError> {
    let trace = &record.trace;
    let events: Vec<_> = cx
        .store()
        .events(&record.sid, trace.first_kept, trace.next_index)?
        .iter()
        .map(event_json)
        .collect();
    let mut segments: Vec<SegmentView> = trace
        .segments
        .iter()
        .map(|s| SegmentView {
            act: s.act.clone(),
            from: s.from,
            to: s.to,
            closed_by: s.closed_by.clone(),
        })
        .collect();
    if trace.next_index > trace.segment_start {
        segments.push(SegmentView {
            act: record
                .current
                .as_ref()
                .map(|c| c.activity_id.clone())
                .unwrap_or_default(),
            from: trace.segment_start,
            to: trace.next_index,
            closed_by: None,
        });
    }
    Ok(GetTraceResult {
        trace_id: record.sid.clone(),
        source: "record".to_owned(),
        event_count: events.len(),
        events,
        token_errors: None,
        dropped: Some(trace.first_kept),
        segments: Some(segments),
        session_token,
    })
}

fn from_tokens(
    cx: &Cx<'_>,
    record: &SessionRecord,
    trace_tokens: &[String],
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
    Ok(GetTraceResult {
        trace_id: record.sid.clone(),
        source: "tokens".to_owned(),
        event_count: events.len(),
        events,
        token_errors: (!errors.is_empty()).then_some(errors),
        dropped: None,
        segments: None,
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
