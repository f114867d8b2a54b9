//! The workflow library, assembled and validated from an in-memory map of relative path → file
//! bytes (docs/formats.md#folder-layout, docs/formats.md#activity-assembly-and-order,
//! docs/formats.md#reference-resolution). The host fills the map from a folder or from data
//! embedded in its binary; this module reads no files.

pub(crate) mod layout;
mod load;
pub mod resource;
mod served;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::decode::{DecodeError, DecodeErrorKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ids::{self, ResourceKey};
use crate::model::{Activity, Skill, Workflow};
use crate::text::LineIndex;

pub use resource::{ResourceContent, ResourceFormat};
pub use served::{Catalog, Served};

/// The id of the bootstrap workflow: skill fallback, `discover` text, dispatch template.
pub const META: &str = "meta";

/// Files over this size are not decoded (`file_too_large`).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A workflow's fitness to be served (docs/protocol.md#catalog-states).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowStatus {
    /// No error diagnostics in its folder.
    Ok,
    /// The workflow file and the initial activity are valid, but some other activity, skill or
    /// resource files are not: the rest is served.
    Degraded,
    /// The workflow file or the initial activity has an error.
    Broken,
}

impl WorkflowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::Ok => "ok",
            WorkflowStatus::Degraded => "degraded",
            WorkflowStatus::Broken => "broken",
        }
    }
}

/// A valid workflow definition with its activities in catalog order.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub workflow: Workflow,
    /// The workflow file as decoded: authored key order and unknown fields.
    pub raw: Map<String, Value>,
    pub activities: Vec<ActivityDef>,
    /// Activities left out because their files have errors, by id, with the first error: the
    /// workflow is `degraded` and a move into one fails (docs/formats.md#workflow-status).
    pub unavailable: BTreeMap<String, Diagnostic>,
    /// The workflow file, relative to the root.
    pub file: String,
}

impl Definition {
    pub fn activity(&self, id: &str) -> Option<&ActivityDef> {
        self.activities.iter().find(|a| a.activity.id == id)
    }

    /// The activity a session starts in: `initialActivity`, else the first in catalog order.
    pub fn initial_activity(&self) -> Option<&ActivityDef> {
        match &self.workflow.initial_activity {
            Some(id) => self.activity(id),
            None => self.activities.first(),
        }
    }
}

/// An activity of a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityDef {
    pub activity: Activity,
    /// As decoded, for serving as authored.
    pub raw: Map<String, Value>,
    /// The file-name index as written; `None` for inline activities.
    pub artifact_prefix: Option<String>,
    /// The workflow whose folder holds the file (skill resolution starts there).
    pub origin: String,
    pub file: String,
    /// The text `get_activity` serves, rendered on first use.
    pub text: Rendered,
}

/// Text derived from a definition, rendered on its first use and kept with the definition until
/// the next catalog load replaces it, so serving a definition never renders it again
/// (docs/protocol.md#get_activity). Derived data: equality and `Debug` ignore it.
#[derive(Clone, Default)]
pub struct Rendered(std::sync::OnceLock<Arc<str>>);

impl Rendered {
    pub fn get_or_render(&self, render: impl FnOnce() -> String) -> Arc<str> {
        self.0.get_or_init(|| Arc::from(render())).clone()
    }
}

impl PartialEq for Rendered {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rendered")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SkillDef {
    pub skill: Skill,
    pub raw: Map<String, Value>,
    /// The workflow whose `skills/` folder holds it.
    pub workflow: String,
    pub file: String,
    /// The text `get_skill` serves, rendered on first use.
    pub text: Rendered,
}

impl SkillDef {
    /// `<workflow>/<id>`, the form tokens and results carry.
    pub fn qualified_id(&self) -> String {
        format!("{}/{}", self.workflow, self.skill.id)
    }
}

/// A skill id's entry in a workflow folder: usable, or unusable with the reason.
#[derive(Clone, Debug, PartialEq)]
pub enum SkillSlot {
    Ready(Arc<SkillDef>),
    /// The file has errors; the first one says why.
    Unavailable(Box<Diagnostic>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub workflow: String,
    /// The index as written in the file name.
    pub index: String,
    pub number: u32,
    pub name: String,
    pub file: String,
    pub format: ResourceFormat,
    /// The content, or the first error of a file that does not decode.
    pub content: Result<ResourceContent, Box<Diagnostic>>,
}

/// One workflow folder of the library, whatever its state.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkflowEntry {
    pub id: String,
    pub status: WorkflowStatus,
    /// From the workflow file when it could be read, even if the workflow is broken.
    pub title: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Every diagnostic of the folder's files, plus errors of activity files it references.
    pub diagnostics: Vec<Diagnostic>,
    /// The definition; `None` when broken.
    pub definition: Option<Arc<Definition>>,
    pub skills: BTreeMap<String, SkillSlot>,
    /// In file-name order.
    pub resources: Vec<Resource>,
}

impl WorkflowEntry {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Why a skill reference did not give a skill.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SkillLookupError {
    #[error("not found (looked in {})", looked_in.join(", "))]
    NotFound { looked_in: Vec<String> },
    #[error("{}: {}", .0.location(), .0.message)]
    Unavailable(Box<Diagnostic>),
}

/// Why a resource reference did not give a resource.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ResourceLookupError {
    #[error("not found")]
    NotFound,
    #[error("index {index} is ambiguous: {}", files.join(", "))]
    Ambiguous {
        index: String,
        files: Vec<String>,
        names: Vec<String>,
    },
    #[error("{}: {}", .0.location(), .0.message)]
    Unavailable(Box<Diagnostic>),
}

/// The whole library: every workflow folder, and every diagnostic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Library {
    workflows: BTreeMap<String, WorkflowEntry>,
    diagnostics: Vec<Diagnostic>,
}

impl Library {
    /// Assembles and validates a library from relative paths (`/`-separated) and file bytes.
    pub fn load<I, P, B>(files: I) -> Library
    where
        I: IntoIterator<Item = (P, B)>,
        P: Into<String>,
        B: AsRef<[u8]>,
    {
        load::load(
            files
                .into_iter()
                .map(|(p, b)| (p.into(), b.as_ref().to_vec()))
                .collect(),
        )
    }

    /// Every diagnostic, sorted by file and position, without duplicates.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Workflows by id, in byte order.
    pub fn workflows(&self) -> impl Iterator<Item = &WorkflowEntry> {
        self.workflows.values()
    }

    pub fn workflow(&self, id: &str) -> Option<&WorkflowEntry> {
        self.workflows.get(id)
    }

    /// Resolves a skill reference (docs/formats.md#skill-references). A bare id is looked up in
    /// `origin`, then `session` when given and different, then `meta`; the first workflow that has
    /// the id decides, and an unusable file there is an error rather than a reason to look further.
    pub fn resolve_skill(
        &self,
        reference: &str,
        origin: &str,
        session: Option<&str>,
    ) -> Result<Arc<SkillDef>, SkillLookupError> {
        let (explicit, id) = ids::parse_skill_ref(reference)
            .ok_or_else(|| SkillLookupError::NotFound { looked_in: vec![] })?;
        let mut order: Vec<&str> = Vec::with_capacity(3);
        match explicit {
            Some(wf) => order.push(wf),
            None => {
                for wf in [Some(origin), session, Some(META)].into_iter().flatten() {
                    if !order.contains(&wf) {
                        order.push(wf);
                    }
                }
            }
        }
        for wf in &order {
            match self.workflows.get(*wf).and_then(|w| w.skills.get(id)) {
                Some(SkillSlot::Ready(skill)) => return Ok(skill.clone()),
                Some(SkillSlot::Unavailable(d)) => {
                    return Err(SkillLookupError::Unavailable(d.clone()));
                }
                None => {}
            }
        }
        Err(SkillLookupError::NotFound {
            looked_in: order.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Resolves a resource reference (docs/formats.md#resource-references) in `context` unless it
    /// names its own workflow; there is no fallback to another workflow.
    pub fn resolve_resource(
        &self,
        reference: &str,
        context: &str,
    ) -> Result<&Resource, ResourceLookupError> {
        let (explicit, key) =
            ids::parse_resource_ref(reference).ok_or(ResourceLookupError::NotFound)?;
        let wf = explicit.unwrap_or(context);
        let entry = self
            .workflows
            .get(wf)
            .ok_or(ResourceLookupError::NotFound)?;
        let matches: Vec<&Resource> = entry
            .resources
            .iter()
            .filter(|r| match key {
                ResourceKey::Index(n) => r.number == n,
                ResourceKey::Name(name) => r.name == name,
            })
            .collect();
        match matches.as_slice() {
            [] => Err(ResourceLookupError::NotFound),
            [one] => match &one.content {
                Ok(_) => Ok(one),
                Err(d) => Err(ResourceLookupError::Unavailable(d.clone())),
            },
            many => Err(ResourceLookupError::Ambiguous {
                index: match key {
                    ResourceKey::Index(_) => {
                        reference.rsplit('/').next().unwrap_or(reference).to_owned()
                    }
                    ResourceKey::Name(n) => n.to_owned(),
                },
                files: many.iter().map(|r| r.file.clone()).collect(),
                names: many.iter().map(|r| r.name.clone()).collect(),
            }),
        }
    }
}

/// The diagnostic for a file that does not decode.
pub(crate) fn decode_diagnostic(file: &str, text: &str, error: &DecodeError) -> Diagnostic {
    let code = match error.kind {
        DecodeErrorKind::Syntax => Code::Syntax,
        DecodeErrorKind::DuplicateKey => Code::DuplicateKey,
        DecodeErrorKind::TooDeep => Code::TooDeep,
    };
    Diagnostic::at(
        code,
        error.message.clone(),
        file,
        &LineIndex::new(text),
        error.span,
        "",
    )
}
