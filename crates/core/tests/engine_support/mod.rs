//! Shared by the engine tests: a small library built in memory, a settable clock with
//! deterministic ids, and helpers that drive `Engine::call`.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};
use workflow_core::catalog::{Catalog, Library};
use workflow_core::engine::{CallError, Engine, EngineConfig, ErrorCode, ToolOutput};
use workflow_core::keyring::{Key, KeyRing};
use workflow_core::session::{Env, MemoryStore, SessionRecord, Store};

/// A clock the test sets and ids that count up.
pub struct FakeEnv {
    now: AtomicU64,
    ids: AtomicU64,
}

impl FakeEnv {
    pub fn new(now_ms: u64) -> Self {
        FakeEnv {
            now: AtomicU64::new(now_ms),
            ids: AtomicU64::new(0),
        }
    }

    pub fn advance(&self, ms: u64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }
}

impl Env for FakeEnv {
    fn now_ms(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    fn uuid(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::SeqCst) + 1;
        format!(
            "{:08x}-0000-4000-8000-{:012x}",
            n.wrapping_mul(0x9e37_79b9) & 0xffff_ffff,
            n
        )
    }
}

pub const T0: u64 = 1_795_515_330_000;

pub const META_WORKFLOW: &str = "\
id: meta
version: 1.0.0
title: Meta
description: Bootstrap workflow.
skills:
  primary: meta-orchestrator
initialActivity: orchestrate
";

pub const META_ACTIVITY: &str = "\
id: orchestrate
version: 1.0.0
name: Orchestrate
steps:
  - id: pick
    name: Pick a workflow
  - id: dispatch
    name: Dispatch it
transitions:
  - to: wrap-up
";

pub const META_WRAP: &str = "\
id: wrap-up
version: 1.0.0
name: Wrap up
";

pub const META_SKILL: &str = "\
id: meta-orchestrator
version: 1.0.0
capability: Orchestrate sessions.
resources:
  - \"01\"
";

pub const WORKER_SKILL: &str = "\
id: activity-worker
version: 1.0.0
capability: Execute one activity.
";

pub const BOOTSTRAP: &str =
    "---\nid: bootstrap-protocol\nversion: 1.0.0\n---\n\n# Bootstrap\n\nCall list_workflows.\n";

pub const TEMPLATE: &str = "---\nid: client-prompt-template\n---\nRun {workflow_title} ({workflow_id} v{workflow_version}) from {initial_activity}.\nToken: {client_session_token}\nSession: {client_session_id} parent {parent_session_id} agent {agent_id}\nVariables:\n{variables}\nStart with next_activity(\"{activity_id}\").\n";

pub const RELEASE_WORKFLOW: &str = "\
id: release
version: 1.0.0
title: Release
description: Draft, polish and publish notes.
tags: [docs]
rules:
  - Be brief.
variables:
  - name: release_tag
    type: string
    required: true
  - name: approved
    type: boolean
    defaultValue: false
  - name: fast
    type: boolean
    defaultValue: false
  - name: count
    type: number
    defaultValue: 0
  - name: items
    type: array
modes:
  - id: quick
    name: Quick
    activationVariable: fast
    skipActivities: [polish]
    defaults:
      count: 1
skills:
  primary: meta/meta-orchestrator
  supporting: [changelog-scan, ghost-skill]
initialActivity: draft
";

pub const DRAFT: &str = "\
id: draft
version: 1.0.0
name: Draft Notes
skills:
  primary: meta/activity-worker
steps:
  - id: collect
    name: Collect
    skill: changelog-scan
  - id: write
    name: Write
  - id: note
    name: Optional note
    required: false
  - id: review
    name: Review
    checkpoint: draft-review
loops:
  - id: per-item
    name: Per item
    type: forEach
    variable: item
    over: items
    steps:
      - id: check-item
        name: Check item
checkpoints:
  - id: draft-review
    name: Draft review
    message: Publish or hold?
    options:
      - id: approve
        label: Publish
        effect:
          setVariable:
            approved: true
      - id: hold
        label: Hold
      - id: skip-polish
        label: Skip polishing
        effect:
          transitionTo: publish
          skipActivities: [polish]
  - id: advisory
    name: Advisory
    message: Continue?
    blocking: false
    required: false
    defaultOption: go
    autoAdvanceMs: 5000
    options:
      - id: go
        label: Go
  - id: big
    name: Big release
    message: Many changes, double check?
    required: false
    condition:
      type: simple
      variable: count
      operator: \">\"
      value: 5
    options:
      - id: ok
        label: OK
decisions:
  - id: size
    name: Size
    branches:
      - id: large
        label: Large
        condition:
          type: simple
          variable: count
          operator: \">\"
          value: 10
        transitionTo: polish
      - id: small
        label: Small
        isDefault: true
transitions:
  - to: publish
    condition:
      type: simple
      variable: approved
      operator: \"==\"
      value: true
  - to: polish
    isDefault: true
";

pub const POLISH: &str = "\
id: polish
version: 1.0.0
name: Polish
steps:
  - id: tidy
    name: Tidy
transitions:
  - to: publish
";

pub const PUBLISH: &str = "\
id: publish
version: 1.0.0
name: Publish
steps:
  - id: attach
    name: Attach
";

pub const SCAN_SKILL: &str = "\
id: changelog-scan
version: 1.0.0
capability: List changes.
resources:
  - \"01\"
  - meta/bootstrap-protocol
";

pub const STYLE: &str = "---\nid: style-guide\nversion: 2.0.0\n---\n# Style\n\nBe brief.\n";

/// The files of the test library.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("meta/workflow.yaml", META_WORKFLOW.into()),
        ("meta/activities/01-orchestrate.yaml", META_ACTIVITY.into()),
        ("meta/activities/02-wrap-up.yaml", META_WRAP.into()),
        ("meta/skills/01-meta-orchestrator.yaml", META_SKILL.into()),
        ("meta/skills/02-activity-worker.yaml", WORKER_SKILL.into()),
        ("meta/resources/01-bootstrap-protocol.md", BOOTSTRAP.into()),
        (
            "meta/resources/02-client-prompt-template.md",
            TEMPLATE.into(),
        ),
        ("release/workflow.yaml", RELEASE_WORKFLOW.into()),
        ("release/activities/01-draft.yaml", DRAFT.into()),
        ("release/activities/02-polish.yaml", POLISH.into()),
        ("release/activities/03-publish.yaml", PUBLISH.into()),
        ("release/skills/01-changelog-scan.yaml", SCAN_SKILL.into()),
        ("release/resources/01-style-guide.md", STYLE.into()),
    ]
}

pub fn library(files: Vec<(&'static str, String)>) -> Library {
    Library::load(files)
}

pub fn key(n: u8) -> Key {
    Key::new(format!("k{n}"), [n; 32], 0)
}

/// An engine over a library, a memory store and a one-key ring, with its clock.
pub struct Harness {
    pub engine: Engine,
    pub store: Arc<MemoryStore>,
    pub env: FakeEnv,
}

impl Harness {
    pub fn new() -> Self {
        Self::with(files(), EngineConfig::default())
    }

    pub fn with(files: Vec<(&'static str, String)>, config: EngineConfig) -> Self {
        let store = Arc::new(MemoryStore::new());
        Self::with_store(files, config, store)
    }

    pub fn with_store(
        files: Vec<(&'static str, String)>,
        config: EngineConfig,
        store: Arc<MemoryStore>,
    ) -> Self {
        let catalog = Catalog::new(library(files), T0);
        let engine = Engine::new(catalog, store.clone(), KeyRing::new(key(1)), config);
        Harness {
            engine,
            store,
            env: FakeEnv::new(T0),
        }
    }

    pub fn call(&self, tool: &str, args: Value) -> Result<ToolOutput, CallError> {
        let map: Map<String, Value> = match args {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        self.engine.call(&self.env, tool, map)
    }

    #[track_caller]
    pub fn ok(&self, tool: &str, args: Value) -> ToolOutput {
        match self.call(tool, args) {
            Ok(out) => out,
            Err(e) => panic!("{tool} failed: {e:?}"),
        }
    }

    #[track_caller]
    pub fn err(&self, tool: &str, args: Value) -> (ErrorCode, String) {
        match self.call(tool, args) {
            Ok(out) => panic!("{tool} succeeded: {}", out.text),
            Err(CallError::Tool { code, message }) => (code, message),
            Err(e) => panic!("{tool}: protocol error {e:?}"),
        }
    }

    pub fn record(&self, sid: &str) -> SessionRecord {
        self.store.load(sid).unwrap().expect("record exists")
    }

    /// The session's kept history entries, oldest first.
    pub fn history(&self, sid: &str) -> Vec<workflow_core::session::HistoryItem> {
        let record = self.record(sid);
        self.store
            .history(sid, record.history.first_kept, record.history.next_index)
            .unwrap()
            .into_iter()
            .map(|e| e.item)
            .collect()
    }

    /// The closed visits in the session's kept history, oldest first.
    pub fn visits(&self, sid: &str) -> Vec<workflow_core::session::record::CompletedVisit> {
        self.history(sid)
            .into_iter()
            .filter_map(|item| match item {
                workflow_core::session::HistoryItem::Visit(v) => Some(v),
                workflow_core::session::HistoryItem::Answer(_) => None,
            })
            .collect()
    }

    /// `start_session` for `workflow`; returns (token, sid).
    pub fn start(&self, workflow: &str, agent: &str) -> (String, String) {
        let out = self.ok(
            "start_session",
            serde_json::json!({"workflow_id": workflow, "agent_id": agent}),
        );
        (
            token(&out),
            out.structured["session_id"].as_str().unwrap().to_owned(),
        )
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

/// `_meta.session_token`.
#[track_caller]
pub fn token(out: &ToolOutput) -> String {
    out.meta["session_token"]
        .as_str()
        .expect("a session token")
        .to_owned()
}

/// The warning codes of `_meta.validation`.
pub fn codes(out: &ToolOutput) -> Vec<String> {
    out.meta["validation"]["codes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The warning messages of `_meta.validation`.
pub fn warnings(out: &ToolOutput) -> Vec<String> {
    out.meta["validation"]["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A record with the trace bookkeeping blanked: what a refused call must leave unchanged.
pub fn state_of(record: &SessionRecord) -> SessionRecord {
    let mut r = record.clone();
    r.version = 0;
    r.trace = Default::default();
    r
}
