//! Reading a call's arguments (docs/protocol.md#argument-limits, docs/protocol.md#identifiers):
//! presence, JSON types and limits first, then the identifier rules, all before anything is looked
//! up. Every problem of the first kind is collected, so one error names every field the caller must
//! fix.

use serde_json::{Map, Value};

use super::errors::{CallError, ErrorCode};
use super::render::shown;
use super::warnings::Warning;
use super::warnings::manifests::ActivityManifestEntry;
use crate::ids;
use crate::session::record::StepReport;

/// Any string argument.
pub(crate) const MAX_STRING: usize = 1024 * 1024;
/// `session_token`, `checkpoint_handle`, `parent_session_token`, `client_session_token`.
pub(crate) const MAX_TOKEN: usize = 8_192;
/// Entries of `activity_manifest`.
pub(crate) const MAX_MANIFEST: usize = 1_000;
/// Each `activity_manifest` `outcome`, and `complete_workflow`'s `outcome`.
pub(crate) const MAX_OUTPUT: usize = 64 * 1024;
/// Entries of `step_manifest`. A step manifest is stored with the visit it closes, so its
/// bounds are what one call can add to the store (docs/protocol.md#argument-limits).
pub(crate) const MAX_STEP_REPORTS: usize = 200;
/// Each `step_manifest` `output`: what a step produced, in a few sentences.
pub(crate) const MAX_STEP_OUTPUT: usize = 4 * 1024;
/// A whole `step_manifest`: its step ids and outputs together.
pub(crate) const MAX_STEP_MANIFEST_BYTES: usize = 64 * 1024;
pub(crate) const MAX_TRACE_TOKENS: usize = 100;
/// `yield_checkpoint`'s `context`: a short summary for the person, not a document.
pub(crate) const MAX_CHECKPOINT_CONTEXT: usize = 4 * 1024;
/// `variables` serialised as JSON.
pub(crate) const MAX_VARIABLES_BYTES: usize = 256 * 1024;
/// `variables` nesting, the object itself being level 1.
pub(crate) const MAX_VARIABLES_DEPTH: usize = 16;

/// What an identifier argument names; decides the rule and how the message words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdKind {
    Workflow,
    Activity,
    /// An activity id, or `__terminal__` (next_activity's target).
    Target,
    Step,
    Checkpoint,
    Option,
    SkillRef,
    ResourceRef,
    Session,
    Variable,
    Agent,
}

impl IdKind {
    fn label(self) -> &'static str {
        match self {
            IdKind::Workflow => "workflow id",
            IdKind::Activity | IdKind::Target => "activity id",
            IdKind::Step => "step id",
            IdKind::Checkpoint => "checkpoint id",
            IdKind::Option => "option id",
            IdKind::SkillRef => "skill reference",
            IdKind::ResourceRef => "resource reference",
            IdKind::Session => "session id",
            IdKind::Variable => "variable name",
            IdKind::Agent => "agent id",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            IdKind::Workflow
            | IdKind::Activity
            | IdKind::Step
            | IdKind::Checkpoint
            | IdKind::Option => ids::ID_RULE,
            IdKind::Target => {
                "activity ids are 1–128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit; __terminal__ ends the workflow"
            }
            IdKind::SkillRef => {
                "skill references are ID or WF/ID, each part 1–128 characters of letters, digits, \
                 '.', '_' and '-', starting with a letter or digit"
            }
            IdKind::ResourceRef => {
                "resource references are INDEX (1–6 digits), NAME, WF/INDEX or WF/NAME, where WF \
                 and NAME are ids (letters, digits, '.', '_' and '-', starting with a letter or \
                 digit) and NAME contains a non-digit"
            }
            IdKind::Session => {
                "session ids are lowercase UUIDs such as 0f8fad5b-d9cb-469f-a165-70867728950e"
            }
            IdKind::Variable => ids::VARIABLE_RULE,
            IdKind::Agent => "agent ids are 1–128 characters without control characters",
        }
    }

    fn accepts(self, value: &str) -> bool {
        match self {
            IdKind::Workflow
            | IdKind::Activity
            | IdKind::Step
            | IdKind::Checkpoint
            | IdKind::Option => ids::is_id(value),
            IdKind::Target => ids::is_target(value),
            IdKind::SkillRef => ids::parse_skill_ref(value).is_some(),
            IdKind::ResourceRef => ids::parse_resource_ref(value).is_some(),
            IdKind::Session => ids::is_session_id(value),
            IdKind::Variable => ids::is_variable_name(value),
            IdKind::Agent => ids::is_agent_id(value),
        }
    }
}

/// The arguments of one call, consumed field by field.
pub(crate) struct Args {
    tool: &'static str,
    map: Map<String, Value>,
    known: Vec<&'static str>,
    problems: Vec<String>,
    bad_id: Option<String>,
}

impl Args {
    pub(crate) fn new(tool: &'static str, map: Map<String, Value>) -> Args {
        Args {
            tool,
            map,
            known: Vec::new(),
            problems: Vec::new(),
            bad_id: None,
        }
    }

    /// The argument, with `null` read as absent (clients send `null` for unset options).
    fn take(&mut self, name: &'static str) -> Option<Value> {
        self.known.push(name);
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.clone()),
        }
    }

    fn problem(&mut self, field: impl Into<String>, problem: impl AsRef<str>) {
        self.problems
            .push(format!("{}: {}", field.into(), problem.as_ref()));
    }

    /// A problem that is not about one field (e.g. two arguments that exclude each other).
    pub(crate) fn refuse(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    fn check_id(&mut self, kind: IdKind, value: &str) {
        if self.bad_id.is_none() && !kind.accepts(value) {
            self.bad_id = Some(format!(
                "Invalid {} '{}': {}.",
                kind.label(),
                shown(value),
                kind.rule()
            ));
        }
    }

    fn text(&mut self, field: &str, value: Value, max: usize) -> Option<String> {
        match value {
            Value::String(s) if s.len() > max => {
                self.problem(field, format!("longer than {} bytes", max));
                None
            }
            Value::String(s) => Some(s),
            _ => {
                self.problem(field, "expected a string");
                None
            }
        }
    }

    /// A string argument of at most 1 MiB.
    pub(crate) fn string(&mut self, name: &'static str, required: bool) -> Option<String> {
        self.bounded_string(name, required, MAX_STRING)
    }

    pub(crate) fn bounded_string(
        &mut self,
        name: &'static str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        match self.take(name) {
            None => {
                if required {
                    self.problem(name, "is required");
                }
                None
            }
            Some(v) => self.text(name, v, max),
        }
    }

    /// A token-valued argument: non-empty and at most 8,192 characters.
    pub(crate) fn token(&mut self, name: &'static str, required: bool) -> Option<String> {
        let s = self.bounded_string(name, required, MAX_TOKEN)?;
        if s.is_empty() {
            self.problem(name, "must not be empty");
            return None;
        }
        Some(s)
    }

    /// A token-valued argument where an empty string means absent.
    pub(crate) fn optional_token(&mut self, name: &'static str) -> Option<String> {
        self.bounded_string(name, false, MAX_TOKEN)
            .filter(|s| !s.is_empty())
    }

    /// A string argument that must follow an identifier rule.
    pub(crate) fn id(
        &mut self,
        name: &'static str,
        kind: IdKind,
        required: bool,
    ) -> Option<String> {
        let s = self.string(name, required)?;
        self.check_id(kind, &s);
        Some(s)
    }

    /// Like [`Args::id`], with an empty string read as absent.
    pub(crate) fn optional_id(&mut self, name: &'static str, kind: IdKind) -> Option<String> {
        let s = self.string(name, false).filter(|s| !s.is_empty())?;
        self.check_id(kind, &s);
        Some(s)
    }

    pub(crate) fn boolean(&mut self, name: &'static str) -> Option<bool> {
        match self.take(name)? {
            Value::Bool(b) => Some(b),
            _ => {
                self.problem(name, "expected a boolean");
                None
            }
        }
    }

    /// A non-negative integer at most `max` (`u64::MAX` for none): a position such as
    /// `get_trace`'s `from`, or a bounded amount such as `wait_ms`.
    pub(crate) fn index(&mut self, name: &'static str, max: u64) -> Option<u64> {
        match self.take(name)? {
            Value::Number(n) if n.as_u64().is_some_and(|n| n <= max) => n.as_u64(),
            _ if max == u64::MAX => {
                self.problem(name, "expected a non-negative integer");
                None
            }
            _ => {
                self.problem(name, format!("expected an integer from 0 to {max}"));
                None
            }
        }
    }

    /// A `variables` object: size and depth limits, keys by the variable-name rule.
    pub(crate) fn variables(&mut self, name: &'static str) -> Option<Map<String, Value>> {
        let map = match self.take(name)? {
            Value::Object(map) => map,
            _ => {
                self.problem(name, "expected an object");
                return None;
            }
        };
        let size = serde_json::to_string(&map).map_or(usize::MAX, |s| s.len());
        if size > MAX_VARIABLES_BYTES {
            self.problem(name, "larger than 256 KiB when serialised");
            return None;
        }
        if depth(&map) > MAX_VARIABLES_DEPTH {
            self.problem(
                name,
                format!("nested deeper than {MAX_VARIABLES_DEPTH} levels"),
            );
            return None;
        }
        for key in map.keys() {
            self.check_id(IdKind::Variable, key);
        }
        Some(map)
    }

    /// An array argument of at most `max` items, each read by `item`.
    fn list<T>(
        &mut self,
        name: &'static str,
        max: usize,
        mut item: impl FnMut(&mut Self, String, Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = match self.take(name)? {
            Value::Array(items) => items,
            _ => {
                self.problem(name, "expected an array");
                return None;
            }
        };
        if items.len() > max {
            self.problem(name, format!("more than {max} entries"));
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, value) in items.into_iter().enumerate() {
            match item(self, format!("{name}[{i}]"), value) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Reads `field` of a manifest entry object.
    fn entry_string(
        &mut self,
        entry: &mut Map<String, Value>,
        path: &str,
        field: &str,
        required: bool,
        max: usize,
    ) -> Option<Option<String>> {
        let at = format!("{path}.{field}");
        match entry.remove(field) {
            None | Some(Value::Null) if !required => Some(None),
            None | Some(Value::Null) => {
                self.problem(at, "is required");
                None
            }
            Some(v) => self.text(&at, v, max).map(Some),
        }
    }

    pub(crate) fn step_manifest(&mut self, name: &'static str) -> Option<Vec<StepReport>> {
        let reports = self.list(name, MAX_STEP_REPORTS, |args, path, value| {
            let Value::Object(mut entry) = value else {
                args.problem(path, "expected an object");
                return None;
            };
            let step_id = args.entry_string(&mut entry, &path, "step_id", true, MAX_STRING);
            let output = args.entry_string(&mut entry, &path, "output", true, MAX_STEP_OUTPUT);
            let (Some(Some(step_id)), Some(Some(output))) = (step_id, output) else {
                return None;
            };
            args.check_id(IdKind::Step, &step_id);
            Some(StepReport { step_id, output })
        })?;
        let bytes: usize = reports
            .iter()
            .map(|r| r.step_id.len() + r.output.len())
            .sum();
        if bytes > MAX_STEP_MANIFEST_BYTES {
            self.problem(
                name,
                format!(
                    "holds {bytes} bytes of step ids and outputs, more than {MAX_STEP_MANIFEST_BYTES}; \
                     report what each step produced in a few sentences"
                ),
            );
            return None;
        }
        Some(reports)
    }

    pub(crate) fn activity_manifest(
        &mut self,
        name: &'static str,
    ) -> Option<Vec<ActivityManifestEntry>> {
        self.list(name, MAX_MANIFEST, |args, path, value| {
            let Value::Object(mut entry) = value else {
                args.problem(path, "expected an object");
                return None;
            };
            let activity_id = args.entry_string(&mut entry, &path, "activity_id", true, MAX_STRING);
            let outcome = args.entry_string(&mut entry, &path, "outcome", true, MAX_OUTPUT);
            let condition =
                args.entry_string(&mut entry, &path, "transition_condition", false, MAX_STRING);
            let (Some(Some(activity_id)), Some(Some(outcome)), Some(transition_condition)) =
                (activity_id, outcome, condition)
            else {
                return None;
            };
            args.check_id(IdKind::Activity, &activity_id);
            Some(ActivityManifestEntry {
                activity_id,
                outcome,
                transition_condition,
            })
        })
    }

    /// `trace_tokens`: at most 100 strings.
    pub(crate) fn string_list(&mut self, name: &'static str) -> Option<Vec<String>> {
        self.list(name, MAX_TRACE_TOKENS, |args, path, value| {
            args.text(&path, value, MAX_STRING)
        })
    }

    /// Ends reading: the first failing kind of check decides the error; otherwise the arguments
    /// nobody asked for become `unknown_argument` warnings (used by tools with validation).
    pub(crate) fn finish(self) -> Result<Vec<Warning>, CallError> {
        if !self.problems.is_empty() {
            return Err(CallError::tool(
                ErrorCode::InvalidArgument,
                format!(
                    "Invalid arguments for {}: {}",
                    self.tool,
                    self.problems.join("; ")
                ),
            ));
        }
        if let Some(message) = self.bad_id {
            return Err(CallError::tool(ErrorCode::InvalidId, message));
        }
        Ok(self
            .map
            .keys()
            .filter(|k| !self.known.contains(&k.as_str()))
            .map(|k| Warning::unknown_argument(k))
            .collect())
    }
}

/// Nesting depth of a JSON object (the object itself is level 1), without recursion.
fn depth(map: &Map<String, Value>) -> usize {
    let mut deepest = 1;
    let mut pending: Vec<(&Value, usize)> = map.values().map(|v| (v, 2)).collect();
    while let Some((value, level)) = pending.pop() {
        match value {
            Value::Object(m) => {
                deepest = deepest.max(level);
                pending.extend(m.values().map(|v| (v, level + 1)));
            }
            Value::Array(items) => {
                deepest = deepest.max(level);
                pending.extend(items.iter().map(|v| (v, level + 1)));
            }
            _ => {}
        }
        if deepest > MAX_VARIABLES_DEPTH {
            break;
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(tool: &'static str, v: Value) -> Args {
        match v {
            Value::Object(m) => Args::new(tool, m),
            _ => Args::new(tool, Map::new()),
        }
    }

    #[test]
    fn type_problems_are_collected_and_come_before_id_rules() {
        let mut a = args("t", json!({"workflow_id": "../x", "agent_id": 5}));
        a.id("workflow_id", IdKind::Workflow, true);
        a.id("agent_id", IdKind::Agent, true);
        a.token("session_token", true);
        let e = a.finish().unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid arguments for t: agent_id: expected a string; session_token: is required"
        );
        let mut a = args("t", json!({"workflow_id": "../x"}));
        a.id("workflow_id", IdKind::Workflow, true);
        let e = a.finish().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Invalid workflow id '../x': ids are")
        );
    }

    #[test]
    fn unknown_arguments_become_warnings() {
        let mut a = args("t", json!({"session_token": "x.y", "extra": 1}));
        a.token("session_token", true);
        let w = a.finish().unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].message, "Unknown argument 'extra' was ignored.");
    }

    #[test]
    fn variables_limits() {
        let mut deep = json!(1);
        for _ in 0..17 {
            deep = json!({ "a": deep });
        }
        let mut a = args("t", json!({ "variables": deep }));
        a.variables("variables");
        assert!(a.finish().is_err());
        let mut a = args("t", json!({ "variables": {"bad-name": 1} }));
        a.variables("variables");
        assert!(
            a.finish()
                .unwrap_err()
                .to_string()
                .starts_with("Invalid variable name")
        );
    }
}
