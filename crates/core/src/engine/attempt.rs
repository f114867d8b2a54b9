//! One evaluation of a session tool against a freshly loaded record, and its commit
//! (docs/protocol.md#revision-and-writes to docs/protocol.md#concurrency, docs/protocol.md#trace):
//! a traced call always writes its event; a successful state-changing call also bumps `revision`; a
//! refused call writes the event and nothing else. On a conflict a state-changing call is evaluated
//! again, so two answers to one checkpoint can never both succeed; a call that changed nothing
//! keeps its answer and books its event again.

use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::Digest;

use crate::catalog::Catalog;
use crate::keyring::KeyRing;
use crate::session::record::{EventStatus, RelatedSession};
use crate::session::{
    Env, MAX_AGENTS, MAX_CHILDREN, SessionRecord, Store, StoreError, TraceEvent, Write,
};
use crate::token::{TokenPayload, Verified};

use super::errors::{CallError, ErrorCode};
use super::warnings::{self, Warning};
use super::{Engine, ToolOutput, gates, trace_log};

/// A session's variables serialised as JSON (docs/protocol.md#server-limits); one call may set
/// at most a quarter of it.
pub(crate) const MAX_SESSION_VARIABLES_BYTES: usize = 1024 * 1024;
/// Evaluations of one call before it gives up with `conflict`.
const MAX_ATTEMPTS: usize = 8;
/// Tries to append a trace-only call's event before it gives up with `conflict`. Each try is a
/// load and a commit with nothing evaluated between, so many more fit than evaluations.
const MAX_REBOOKS: usize = 64;

/// What one call works with: the catalog and key ring as they were when it started, and its
/// start time (every time the call records is this one; the trace's duration reads the clock
/// again at the end).
pub(crate) struct Cx<'a> {
    pub engine: &'a Engine,
    pub env: &'a dyn Env,
    pub catalog: Arc<Catalog>,
    pub keys: Arc<KeyRing>,
    pub tool: &'static str,
    pub now: u64,
    /// When the engine started serving, for `health_check`'s uptime.
    pub started_at: u64,
}

impl Cx<'_> {
    pub(crate) fn store(&self) -> &dyn Store {
        self.engine.store()
    }

    pub(crate) fn config(&self) -> &super::EngineConfig {
        self.engine.config()
    }

    /// The structured copy of a result of a tool that lists no output schema: built only when
    /// the host reads it ([`super::EngineConfig::structured_for_every_tool`]), an empty object
    /// otherwise.
    pub(crate) fn unlisted_structured(&self, build: impl FnOnce() -> Value) -> Value {
        if self.config().structured_for_every_tool {
            build()
        } else {
            Value::Object(Map::new())
        }
    }

    /// A token for `record` as it stands now, naming agent `aid`.
    pub(crate) fn token(&self, record: &SessionRecord, aid: &str) -> String {
        super::tokens::issue(&self.keys, record, aid)
    }

    /// A new session id: the host's UUID, or when the host returned something else (a page's
    /// `uuid` callback can return any string) a UUID derived from it, since tokens carry
    /// session ids as 16 bytes (docs/protocol.md#identifiers).
    pub(crate) fn new_session_id(&self) -> String {
        let id = self.env.uuid();
        if crate::ids::is_session_id(&id) {
            return id;
        }
        let digest = sha2::Sha256::digest(id.as_bytes());
        let mut bytes: [u8; 16] = std::array::from_fn(|i| digest[i]);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        crate::ids::session_id_text(&bytes)
    }

    /// Loads a session or refuses with `unknown_session`.
    pub(crate) fn load(&self, sid: &str) -> Result<SessionRecord, CallError> {
        self.store()
            .load(sid)?
            .ok_or_else(|| gates::unknown_session(sid))
    }
}

/// A tool's answer before the call adds `validation` and `trace_token`.
pub(crate) struct Reply {
    pub structured: Value,
    pub text: String,
    /// `session_token` as the tool issues it.
    pub meta: Map<String, Value>,
}

impl Reply {
    pub(crate) fn new(structured: Value, text: String) -> Reply {
        Reply {
            structured,
            text,
            meta: Map::new(),
        }
    }

    pub(crate) fn with_meta(mut self, key: &str, value: impl Into<String>) -> Reply {
        self.meta
            .insert(key.to_owned(), Value::String(value.into()));
        self
    }

    pub(crate) fn finish(
        self,
        warnings: Option<&[Warning]>,
        trace_token: Option<String>,
    ) -> ToolOutput {
        let mut meta = Map::new();
        let mut issued = self.meta;
        if let Some(t) = issued.remove("session_token") {
            meta.insert("session_token".into(), t);
        }
        let mut text = self.text;
        if let Some(w) = warnings {
            meta.insert("validation".into(), warnings::validation(w));
            text.push_str(&warnings::text_lines(w));
        }
        if let Some(t) = trace_token {
            meta.insert("trace_token".into(), Value::String(t));
        }
        meta.extend(issued);
        ToolOutput {
            structured: self.structured,
            text,
            meta,
            wait: None,
        }
    }
}

/// What the call's own trace event says beyond the common fields.
#[derive(Default)]
pub(crate) struct EventNote {
    /// `next_activity`'s target.
    pub to: Option<String>,
    /// `start_session`'s path marker, written as `err` on an `ok` event.
    pub marker: Option<String>,
    pub related: Option<RelatedSession>,
    /// A successful call ends the open segment (`next_activity`, `complete_workflow`).
    pub closes_segment: bool,
    /// The caller asked for the closed segment's trace token (`include_trace_token`); the record
    /// keeps the trace either way, so it is not sent unasked.
    pub wants_trace_token: bool,
}

/// Another session written by the same call, in the same batch.
pub(crate) struct Extra {
    /// `None` creates the record.
    pub expected_version: Option<u64>,
    pub record: SessionRecord,
    /// The event appended to it: agent id and related session.
    pub aid: String,
    pub related: RelatedSession,
}

/// One evaluation of a call on one session.
pub(crate) struct Attempt {
    /// The working copy; the tool changes it.
    pub rec: SessionRecord,
    /// The record as loaded (`None` for a session this call creates): what a refusal commits.
    base: Option<SessionRecord>,
    changed: bool,
    /// Agent id of the presented token (or of the call, for start_session).
    pub aid: String,
    /// The verified token the call presented (none for start_session's fresh path).
    pub presented: Option<TokenPayload>,
    /// The current activity when the call started.
    act: String,
    pub warnings: Vec<Warning>,
    pub note: EventNote,
    pub extra: Vec<Extra>,
}

impl Attempt {
    /// An attempt on a loaded record.
    pub(crate) fn on(record: SessionRecord, aid: String) -> Attempt {
        Self::new(record.clone(), Some(record), aid)
    }

    /// An attempt that creates `record`.
    pub(crate) fn create(record: SessionRecord, aid: String) -> Attempt {
        Self::new(record, None, aid)
    }

    fn new(rec: SessionRecord, base: Option<SessionRecord>, aid: String) -> Attempt {
        Attempt {
            act: activity_of(&rec),
            rec,
            base,
            changed: false,
            aid,
            presented: None,
            warnings: Vec::new(),
            note: EventNote::default(),
            extra: Vec::new(),
        }
    }

    /// A token for the working record, naming the presented agent.
    pub(crate) fn token(&self, cx: &Cx<'_>) -> String {
        cx.token(&self.rec, &self.aid)
    }

    /// Marks the call as state-changing: `revision` +1 once, `updated_at` = now. Tokens issued
    /// afterwards carry the new revision.
    pub(crate) fn change(&mut self, now: u64) {
        if !self.changed {
            if let Some(base) = &self.base {
                self.rec.revision = base.revision + 1;
            }
            self.rec.updated_at = now;
            self.changed = true;
        }
    }

    pub(crate) fn warn(&mut self, warning: Option<Warning>) {
        self.warnings.extend(warning);
    }

    pub(crate) fn warn_all(&mut self, warnings: Vec<Warning>) {
        self.warnings.extend(warnings);
    }

    /// Whether committing the call only appends its trace event: a refusal, or a success that
    /// left every record as it was loaded.
    fn trace_only(&self, outcome: &Result<Reply, CallError>) -> bool {
        outcome.is_err()
            || (!self.changed
                && self.extra.is_empty()
                && !self.note.closes_segment
                && self.base.as_ref() == Some(&self.rec))
    }

    /// The per-session bounds (docs/protocol.md#server-limits), checked on every record a
    /// state-changing call would write: together with the argument limits they keep a record
    /// small, so loading and committing it costs the same however long the session runs.
    fn within_bounds(&self) -> Result<(), CallError> {
        if !self.changed && self.extra.is_empty() {
            return Ok(());
        }
        let records = std::iter::once(&self.rec).chain(self.extra.iter().map(|e| &e.record));
        for record in records {
            let full = |what: String| {
                Err(CallError::tool(
                    ErrorCode::SessionFull,
                    format!("Session '{}' {what}", record.sid),
                ))
            };
            if record.agents.len() > MAX_AGENTS {
                return full(format!(
                    "already records {MAX_AGENTS} agent ids, the most a session keeps. Continue \
                     with one of its agents' tokens instead of starting new agents in it."
                ));
            }
            if record.children.len() > MAX_CHILDREN {
                return full(format!(
                    "has already dispatched {MAX_CHILDREN} sessions, the most one session may. \
                     Start a new session for further work."
                ));
            }
            let bytes = serde_json::to_vec(&record.variables).map_or(usize::MAX, |v| v.len());
            if bytes > MAX_SESSION_VARIABLES_BYTES {
                return full(format!(
                    "would hold {bytes} bytes of variables as JSON, more than the \
                     {MAX_SESSION_VARIABLES_BYTES} a session keeps. Keep large content in files \
                     and set their paths as variables, or set null on variables no longer needed."
                ));
            }
        }
        Ok(())
    }

    /// The call's trace event, at the next index of `record`.
    fn event(
        &self,
        cx: &Cx<'_>,
        record: &SessionRecord,
        outcome: &Result<Reply, CallError>,
    ) -> TraceEvent {
        TraceEvent {
            index: record.trace.next_index,
            trace_id: record.sid.clone(),
            span_id: cx.env.uuid(),
            name: cx.tool.to_owned(),
            ts: cx.now / 1000,
            ms: cx.env.now_ms().saturating_sub(cx.now),
            s: if outcome.is_ok() {
                EventStatus::Ok
            } else {
                EventStatus::Error
            },
            wf: record.workflow_id.clone(),
            act: self.act.clone(),
            aid: self.aid.clone(),
            to: self.note.to.clone(),
            err: match outcome {
                Ok(_) => self.note.marker.clone(),
                Err(e) => Some(e.to_string()),
            },
            vw: self
                .warnings
                .iter()
                .map(|w| w.code.as_str().to_owned())
                .collect(),
            related: self.note.related.clone(),
        }
    }

    /// Writes the call's outcome: on success the working record (and the other sessions it
    /// touched), on refusal the loaded record; either way with the call's trace event. Returns
    /// the trace token of the segment a successful call closed.
    pub(crate) fn commit(
        &mut self,
        cx: &Cx<'_>,
        outcome: &Result<Reply, CallError>,
    ) -> Result<Option<String>, StoreError> {
        let ok = outcome.is_ok();
        let (mut record, expected) = match (ok, &self.base) {
            (true, base) => (self.rec.clone(), base.as_ref().map(|b| b.version)),
            (false, Some(base)) => (base.clone(), Some(base.version)),
            (false, None) => return Ok(None),
        };
        let event = self.event(cx, &record, outcome);
        let cap = cx.config().trace_event_cap;
        let closed = trace_log::append(&mut record, &event, ok && self.note.closes_segment, cap);
        let trace_token = match &closed {
            Some(segment) if self.note.wants_trace_token => Some(trace_log::segment_token(
                cx.store(),
                &cx.keys,
                &record,
                segment,
                &event,
                cx.now,
            )?),
            _ => None,
        };
        record.version = expected.map_or(0, |v| v + 1);
        record.cap_history(cx.config().history_entry_cap);
        let history = std::mem::take(&mut record.new_history);
        let trace_only = self.trace_only(outcome);
        let mut writes = vec![Write {
            expected_version: expected,
            record,
            events: vec![event.clone()],
            history,
            trace_only,
        }];
        if ok {
            for extra in &self.extra {
                let mut other = extra.record.clone();
                let other_event = TraceEvent {
                    index: other.trace.next_index,
                    trace_id: other.sid.clone(),
                    span_id: cx.env.uuid(),
                    wf: other.workflow_id.clone(),
                    act: activity_of(&other),
                    aid: extra.aid.clone(),
                    to: None,
                    err: None,
                    related: Some(extra.related.clone()),
                    ..event.clone()
                };
                trace_log::append(&mut other, &other_event, false, cap);
                other.version = extra.expected_version.map_or(0, |v| v + 1);
                let history = std::mem::take(&mut other.new_history);
                writes.push(Write {
                    expected_version: extra.expected_version,
                    record: other,
                    events: vec![other_event],
                    history,
                    trace_only: false,
                });
            }
        }
        cx.store().commit(&writes)?;
        Ok(trace_token)
    }

    /// Appends the call's trace event to the session as it is stored now. For a call whose
    /// commit is trace-only, a conflict means only that the trace moved on (parallel reads of
    /// one session all append), so the answer already computed stands and just its event is
    /// booked again, instead of evaluating the call anew and racing the same readers.
    fn rebook(&self, cx: &Cx<'_>, outcome: &Result<Reply, CallError>) -> Result<(), CallError> {
        let sid = &self.rec.sid;
        for _ in 0..MAX_REBOOKS {
            let mut record = cx.load(sid)?;
            let event = self.event(cx, &record, outcome);
            trace_log::append(&mut record, &event, false, cx.config().trace_event_cap);
            let expected = record.version;
            record.version += 1;
            let write = Write {
                expected_version: Some(expected),
                record,
                events: vec![event],
                history: Vec::new(),
                trace_only: true,
            };
            match cx.store().commit(&[write]) {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict.into())
    }
}

fn activity_of(record: &SessionRecord) -> String {
    record
        .current
        .as_ref()
        .map(|c| c.activity_id.clone())
        .unwrap_or_default()
}

/// How a session tool is run.
pub(crate) struct SessionCall<'t> {
    pub token: &'t Verified<TokenPayload>,
    /// The token's argument name, for the retired-key warning.
    pub param: &'static str,
    /// `unknown_argument` warnings from reading the arguments.
    pub arg_warnings: &'t [Warning],
}

/// Evaluates a call and commits it, evaluating again while the store reports a conflict.
/// `evaluate` returns the attempt and the tool's outcome, or an error that is not traced (the
/// session could not be loaded).
pub(crate) fn retrying(
    cx: &Cx<'_>,
    mut evaluate: impl FnMut() -> Result<(Attempt, Result<Reply, CallError>), CallError>,
) -> Result<ToolOutput, CallError> {
    for _ in 0..MAX_ATTEMPTS {
        let (mut at, outcome) = evaluate()?;
        let outcome = outcome.and_then(|reply| at.within_bounds().map(|()| reply));
        let trace_token = match at.commit(cx, &outcome) {
            Ok(trace_token) => trace_token,
            Err(StoreError::Conflict) if at.trace_only(&outcome) => {
                at.rebook(cx, &outcome)?;
                None
            }
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        };
        return outcome.map(|reply| reply.finish(Some(&at.warnings), trace_token));
    }
    Err(StoreError::Conflict.into())
}

/// Runs a traced session tool: loads the token's session, evaluates `body` and commits,
/// evaluating again on conflicts.
pub(crate) fn run(
    cx: &Cx<'_>,
    call: SessionCall<'_>,
    mut body: impl FnMut(&Cx<'_>, &mut Attempt) -> Result<Reply, CallError>,
) -> Result<ToolOutput, CallError> {
    let payload = &call.token.payload;
    retrying(cx, || {
        let loaded = cx.load(&payload.sid)?;
        let aid = super::tokens::agent(&loaded, payload)?;
        let mut at = Attempt::on(loaded, aid);
        at.presented = Some(payload.clone());
        at.warnings.extend_from_slice(call.arg_warnings);
        if call.token.retired_key {
            at.warnings.push(Warning::token_retired_key(call.param));
        }
        let outcome = body(cx, &mut at);
        Ok((at, outcome))
    })
}
