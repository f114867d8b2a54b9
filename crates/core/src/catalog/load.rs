//! Building a [`Library`] from files: classify paths, decode every definition file, assemble
//! each workflow's activities, and decide each workflow's status. The checks are the
//! validator's: each file's own ([`crate::validate::schema_check`],
//! [`crate::validate::definitions`]), what file names decide ([`crate::validate::names`]) and
//! what spans the files of an assembled workflow ([`crate::validate::assembled`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::layout::{self, IndexedName};
use super::resource::{self, ResourceFormat};
use super::{
    ActivityDef, Definition, Library, MAX_FILE_BYTES, META, Resource, ResourceLookupError,
    SkillDef, SkillLookupError, SkillSlot, WorkflowEntry, WorkflowStatus, decode_diagnostic,
};
use crate::decode::{self, Format, Positions};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::ids;
use crate::model::workflow::DEFAULT_DISPATCH_TEMPLATE;
use crate::model::{Activity, ActivityEntry, Skill, Workflow};
use crate::pointer::{self, push_index};
use crate::schema::SchemaKind;
use crate::text::{LineIndex, Span};
use crate::validate::assembled::{self, Assembled};
use crate::validate::names::{self, IndexedFile, NamedBy};
use crate::validate::{FileCtx, References, definitions, schema_check, unknown_fields};

/// A decoded definition file and what its own checks found.
struct Parsed<T> {
    file: String,
    text: String,
    positions: Positions,
    raw: Option<Map<String, Value>>,
    /// Present only when the file passed its schema.
    typed: Option<T>,
    diags: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    fn ctx(&self) -> FileCtx<'_> {
        FileCtx::new(&self.file, &self.text, &self.positions)
    }

    fn first_error(&self) -> Option<&Diagnostic> {
        self.diags.iter().find(|d| d.is_error())
    }
}

/// Bytes to text; invalid UTF-8 is a `syntax` error at the first bad byte.
fn to_text(file: &str, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<String> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t.to_owned()),
        Err(e) => {
            let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let index = LineIndex::new(&text);
            diags.push(Diagnostic::at(
                Code::Syntax,
                "The file is not valid UTF-8; save it as UTF-8",
                file,
                &index,
                Span::new(text.len(), text.len()),
                "",
            ));
            None
        }
    }
}

fn too_large(file: &str) -> Diagnostic {
    Diagnostic::file_level(
        Code::FileTooLarge,
        format!(
            "The file is larger than {MAX_FILE_BYTES} bytes (4 MiB), the limit for definition files and resources; split it"
        ),
        file,
    )
}

fn parse<T: DeserializeOwned>(
    file: &str,
    bytes: &[u8],
    kind: SchemaKind,
    server_fields: &[&str],
) -> Parsed<T> {
    let mut parsed = Parsed {
        file: file.to_owned(),
        text: String::new(),
        positions: Positions::default(),
        raw: None,
        typed: None,
        diags: vec![],
    };
    if bytes.len() > MAX_FILE_BYTES {
        parsed.diags.push(too_large(file));
        return parsed;
    }
    let Some(text) = to_text(file, bytes, &mut parsed.diags) else {
        return parsed;
    };
    parsed.text = text;
    let format = Format::from_path(file).expect("definition files have a definition extension");
    let decoded = match decode::decode(format, &parsed.text) {
        Ok(d) => d,
        Err(e) => {
            parsed.diags.push(decode_diagnostic(file, &parsed.text, &e));
            return parsed;
        }
    };
    parsed.positions = decoded.positions;
    let Value::Object(map) = decoded.value else {
        let ctx = parsed.ctx();
        let d = ctx.diag(
            Code::WrongType,
            format!(
                "A {} file must hold an object (key: value pairs) at the top level",
                kind.name()
            ),
            "",
        );
        parsed.diags.push(d);
        return parsed;
    };
    let value = Value::Object(map);
    let mut diags = Vec::new();
    {
        let ctx = parsed.ctx();
        unknown_fields::check(kind, &value, server_fields, &ctx, &mut diags);
        if schema_check::check(kind, &value, &ctx, &mut diags) {
            match T::deserialize(&value) {
                Ok(t) => parsed.typed = Some(t),
                Err(e) => diags.push(ctx.diag(
                    Code::InvalidValue,
                    format!("The {} does not fit the model: {e}", kind.name()),
                    "",
                )),
            }
        }
    }
    parsed.diags.extend(diags);
    let Value::Object(map) = value else {
        unreachable!("checked above")
    };
    parsed.raw = Some(map);
    parsed
}

/// Top-level workflow fields that the checks of activity files and of the assembled workflow
/// read. Dropping one of them would turn its absence into false findings elsewhere (every
/// condition variable undeclared, every artifact location unknown, a missing initialActivity).
const SCOPE_FIELDS: &[&str] = &[
    "id",
    "variables",
    "artifactLocations",
    "activities",
    "activitiesDir",
    "initialActivity",
];

/// The workflow without its invalid top-level fields, when none of them is a scope field.
///
/// A workflow file that fails its schema is an error and the workflow is not served, but its
/// activities still deserve their own checks: one wrong-typed field such as `skills` must not
/// hide every unknown transition target and undeclared variable of the folder.
fn salvage_workflow(parsed: &Parsed<Workflow>) -> Option<Workflow> {
    let raw = parsed.raw.as_ref()?;
    let mut invalid = HashSet::new();
    for d in parsed.diags.iter().filter(|d| d.is_error()) {
        // An error at the root (a missing required field, a model mismatch) names no field.
        let token = d.pointer.strip_prefix('/')?.split('/').next()?;
        invalid.insert(pointer::unescape(token));
    }
    if invalid.iter().any(|k| SCOPE_FIELDS.contains(&k.as_str())) {
        return None;
    }
    let mut rest = raw.clone();
    rest.retain(|k, _| !invalid.contains(k));
    serde_json::from_value(Value::Object(rest)).ok()
}

/// An activity file of a workflow folder.
struct ActivityFile {
    name: String,
    index: String,
    number: u32,
    parsed: Parsed<Activity>,
}

impl ActivityFile {
    /// The id the file name gives.
    fn id(&self) -> &str {
        layout::indexed_name(&self.name).map_or("", |n| n.name)
    }
}

/// Everything read from one workflow folder before assembly.
struct Folder {
    id: String,
    workflow: Parsed<Workflow>,
    /// The workflow the folder's activities are checked against: the typed workflow, or, when
    /// its schema errors lie only in fields no other file's checks read, what remains of it.
    scope: Option<Workflow>,
    activities: Vec<ActivityFile>,
    /// The skill files that loaded, kept so references they make that only the assembled
    /// library can resolve are reported where they are written.
    skills: Vec<Parsed<Skill>>,
    /// Layout diagnostics and skill/resource file diagnostics of this folder.
    diags: Vec<Diagnostic>,
    /// Errors that break the workflow independently of its activities (duplicate workflow files).
    broken_by_layout: bool,
}

pub(super) fn load(mut files: Vec<(String, Vec<u8>)>) -> Library {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut root_diags = Vec::new();
    let by_folder = group_by_folder(files, &mut root_diags);
    let mut library = Library::default();
    let folders = read_folders(by_folder, &mut library, &mut root_diags);
    let by_id: HashMap<&str, &Folder> = folders.iter().map(|f| (f.id.as_str(), f)).collect();
    let assemblies: Vec<Assembly> = folders
        .iter()
        .map(|folder| assemble(folder, &by_id, &library))
        .collect();
    for assembly in assemblies {
        let entry = library
            .workflows
            .get_mut(&assembly.id)
            .expect("entry exists");
        settle(entry, assembly);
    }

    let mut all = root_diags;
    for entry in library.workflows.values() {
        all.extend(entry.diagnostics.iter().cloned());
    }
    dedup(&mut all);
    library.diagnostics = all;
    library
}

/// The files of each top-level folder, with paths relative to it. A definition file at the
/// root is reported: workflows are folders.
fn group_by_folder(
    files: Vec<(String, Vec<u8>)>,
    root_diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<(String, Vec<u8>)>> {
    let mut by_folder: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for (path, bytes) in files {
        let path = path.replace('\\', "/");
        match path.split_once('/') {
            None => {
                if layout::is_definition_file(&path) {
                    root_diags.push(Diagnostic::file_level(
                        Code::FileIgnored,
                        format!("Not loaded: single-file workflows are not supported; move it to <id>/workflow.{}", layout::extension(&path).unwrap_or("yaml")),
                        &path,
                    ));
                }
            }
            Some((folder, rest)) => by_folder
                .entry(folder.to_owned())
                .or_default()
                .push((rest.to_owned(), bytes)),
        }
    }
    by_folder
}

/// Reads every folder named as a workflow id into the library's entries; hidden folders are
/// skipped, and other names and folders without a workflow file are reported.
fn read_folders(
    by_folder: BTreeMap<String, Vec<(String, Vec<u8>)>>,
    library: &mut Library,
    root_diags: &mut Vec<Diagnostic>,
) -> Vec<Folder> {
    let mut folders = Vec::new();
    for (id, files) in by_folder {
        if id.starts_with('.') {
            continue;
        }
        if !ids::is_id(&id) {
            root_diags.push(Diagnostic::file_level(
                Code::FolderIgnored,
                format!(
                    "Folder '{id}' is not loaded: its name is not a valid workflow id ({})",
                    ids::ID_RULE
                ),
                &id,
            ));
            continue;
        }
        let nested_workflow = nested_workflow_file(&files).map(|rest| format!("{id}/{rest}"));
        match read_folder(&id, files) {
            Some((folder, entry)) => {
                library.workflows.insert(id.clone(), entry);
                folders.push(folder);
            }
            None => root_diags.push(Diagnostic::file_level(
                Code::NoWorkflowFile,
                match nested_workflow {
                    Some(nested) => format!(
                        "Folder '{id}' has no workflow file, but '{nested}' is one level deeper: the paths start one level too high; use the folder '{id}' itself as the workflows root (drop the '{id}/' prefix)"
                    ),
                    None => format!(
                        "Folder '{id}' has no workflow file; add {id}/workflow.yaml (or .toon, .json)"
                    ),
                },
                &id,
            )),
        }
    }
    folders
}

/// Puts a workflow's assembly in its entry and decides its status.
fn settle(entry: &mut WorkflowEntry, assembly: Assembly) {
    entry.diagnostics.extend(assembly.diagnostics);
    let skill_or_resource_error = entry
        .skills
        .values()
        .any(|s| matches!(s, SkillSlot::Unavailable(_)))
        || entry.resources.iter().any(|r| r.content.is_err())
        || entry.diagnostics.iter().any(Diagnostic::is_error);
    entry.status = if assembly.broken {
        WorkflowStatus::Broken
    } else if skill_or_resource_error {
        WorkflowStatus::Degraded
    } else {
        WorkflowStatus::Ok
    };
    entry.definition = if assembly.broken {
        None
    } else {
        assembly.definition.map(Arc::new)
    };
    dedup(&mut entry.diagnostics);
}

fn dedup(diags: &mut Vec<Diagnostic>) {
    diagnostic::sort(diags);
    diags.dedup();
}

/// The first `<sub>/workflow.<ext>` of a folder's files (paths relative to the folder): such a
/// folder is a workflows root handed over one level too high.
fn nested_workflow_file(files: &[(String, Vec<u8>)]) -> Option<&str> {
    files.iter().map(|(rest, _)| rest.as_str()).find(|rest| {
        rest.split_once('/').is_some_and(|(_, name)| {
            name.strip_prefix("workflow.")
                .is_some_and(|ext| Format::parse(ext).is_some())
        })
    })
}

/// Reads one workflow folder; `None` when it has no workflow file.
fn read_folder(id: &str, files: Vec<(String, Vec<u8>)>) -> Option<(Folder, WorkflowEntry)> {
    let mut diags = Vec::new();
    let (workflow_name, workflow_bytes, broken_by_layout) =
        find_workflow_file(id, &files, &mut diags)?;
    let (mut workflow, scope) = read_workflow(id, workflow_name, workflow_bytes);
    let activities_dir = scope
        .as_ref()
        .and_then(|w| w.activities_dir.as_deref())
        .unwrap_or("activities");
    let FolderFiles {
        mut activities,
        skills,
        resources,
    } = read_files(id, &files, activities_dir, &mut diags);
    check_activity_names(&mut activities, &mut diags);
    let (skills, ready_skills) = skill_slots(id, skills, &mut diags);
    check_resource_names(id, &resources, scope.as_ref(), &mut workflow, &mut diags);
    let entry = new_entry(id, workflow.raw.as_ref(), skills, resources);
    Some((
        Folder {
            id: id.to_owned(),
            workflow,
            scope,
            activities,
            skills: ready_skills,
            diags,
            broken_by_layout,
        },
        entry,
    ))
}

/// The folder's workflow file, and whether another one makes the folder broken; `None` when
/// there is none.
fn find_workflow_file<'f>(
    id: &str,
    files: &'f [(String, Vec<u8>)],
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'f str, &'f [u8], bool)> {
    let workflow_files: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(rest, _)| {
            rest.strip_prefix("workflow.")
                .is_some_and(|ext| Format::parse(ext).is_some())
        })
        .collect();
    let (first, others) = workflow_files.split_first()?;
    for (rest, _) in others {
        diags.push(Diagnostic::file_level(
            Code::DuplicateFile,
            format!("A workflow folder has exactly one workflow file, but '{id}/{}' is also there; remove one of them", first.0),
            &format!("{id}/{rest}"),
        ));
    }
    Some((&first.0, &first.1, !others.is_empty()))
}

/// Decodes and checks the workflow file, and gives the workflow its activities are checked
/// against (see [`Folder::scope`]).
fn read_workflow(id: &str, name: &str, bytes: &[u8]) -> (Parsed<Workflow>, Option<Workflow>) {
    let mut workflow: Parsed<Workflow> =
        parse(&format!("{id}/{name}"), bytes, SchemaKind::Workflow, &[]);
    let scope = workflow
        .typed
        .clone()
        .or_else(|| salvage_workflow(&workflow));
    if let Some(wf) = &scope {
        let ctx = workflow.ctx();
        let mut extra = Vec::new();
        names::id_matches("workflow", &wf.id, id, NamedBy::Folder, &ctx, &mut extra);
        definitions::check_workflow(wf, &ctx, &mut extra);
        workflow.diags.extend(extra);
    }
    (workflow, scope)
}

/// The definition and resource files of a folder besides its workflow file.
struct FolderFiles {
    activities: Vec<ActivityFile>,
    skills: Vec<(IndexedNameOwned, Parsed<Skill>)>,
    resources: Vec<Resource>,
}

/// Decodes every activity, skill and resource file of a folder, and reports the files that
/// are not loaded because of where they are or how they are named.
fn read_files(
    id: &str,
    files: &[(String, Vec<u8>)],
    activities_dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> FolderFiles {
    let mut read = FolderFiles {
        activities: Vec::new(),
        skills: Vec::new(),
        resources: Vec::new(),
    };
    for (rest, bytes) in files {
        let full = format!("{id}/{rest}");
        let Some((dir, name)) = rest.split_once('/') else {
            continue;
        };
        let is_def = layout::is_definition_file(name);
        if dir == "guides" {
            diags.push(Diagnostic::file_level(
                Code::FileIgnored,
                "Not loaded: guides/ is the old resource folder; rename guides/ to resources/",
                &full,
            ));
            continue;
        }
        if name.contains('/') {
            if is_def {
                diags.push(Diagnostic::file_level(
                    Code::FileIgnored,
                    "Not loaded: definition files do not go in sub-folders here",
                    &full,
                ));
            }
            continue;
        }
        if dir == activities_dir || dir == "skills" {
            if !is_def {
                continue;
            }
            let Some(n) = layout::indexed_name(name) else {
                diags.push(Diagnostic::file_level(
                    Code::FileIgnored,
                    "Not loaded: name must be NN-<id>.<ext>",
                    &full,
                ));
                continue;
            };
            if dir == "skills" {
                read.skills.push((
                    IndexedNameOwned::from(&n),
                    parse(&full, bytes, SchemaKind::Skill, &[]),
                ));
            } else {
                read.activities.push(ActivityFile {
                    name: name.to_owned(),
                    index: n.index.to_owned(),
                    number: n.number,
                    parsed: parse(&full, bytes, SchemaKind::Activity, &["artifactPrefix"]),
                });
            }
        } else if dir == "resources" {
            let Some(format) = layout::extension(name).and_then(layout::resource_format) else {
                continue;
            };
            if name == "README.md" {
                continue;
            }
            match layout::indexed_name(name).filter(|n| ids::is_resource_name(n.name)) {
                Some(n) => read
                    .resources
                    .push(read_resource(id, &full, &n, format, bytes, diags)),
                None => diags.push(Diagnostic::file_level(
                    Code::FileIgnored,
                    "Not loaded: name must be NN-<name>.<ext>, the name containing a non-digit",
                    &full,
                )),
            }
        }
    }
    read
}

/// Puts activity files in index order and checks their names: each id matches its file name,
/// and no two files share an index.
fn check_activity_names(activities: &mut [ActivityFile], diags: &mut Vec<Diagnostic>) {
    activities.sort_by(|a, b| (a.number, &a.name).cmp(&(b.number, &b.name)));
    for a in activities.iter_mut() {
        if let Some(act) = &a.parsed.typed {
            let mut found = Vec::new();
            let ctx = a.parsed.ctx();
            names::id_matches(
                "activity",
                &act.id,
                a.id(),
                NamedBy::FileName,
                &ctx,
                &mut found,
            );
            a.parsed.diags.append(&mut found);
        }
    }
    let named: Vec<IndexedFile<'_>> = activities
        .iter()
        .map(|a| IndexedFile {
            path: &a.parsed.file,
            index: &a.index,
            number: a.number,
            name: a.id(),
        })
        .collect();
    names::shared_activity_indices(&named, diags);
}

/// Checks resource names: no two resources share an index or a name, and the meta workflow
/// has the resources the server reads from it (reported on its workflow file).
fn check_resource_names(
    id: &str,
    resources: &[Resource],
    scope: Option<&Workflow>,
    workflow: &mut Parsed<Workflow>,
    diags: &mut Vec<Diagnostic>,
) {
    let named: Vec<IndexedFile<'_>> = resources
        .iter()
        .map(|r| IndexedFile {
            path: &r.file,
            index: &r.index,
            number: r.number,
            name: &r.name,
        })
        .collect();
    names::resource_collisions(&named, diags);
    if id == META {
        let template = scope.map_or(DEFAULT_DISPATCH_TEMPLATE, Workflow::dispatch_template);
        names::meta_resources(&named, template, &workflow.file, &mut workflow.diags);
    }
}

/// The folder's skills by id, in index order: ready, or unavailable with the file's first
/// error. A second file with an id already taken is reported and left out. Also gives the
/// parsed files of the ready skills, for the cross-file checks.
fn skill_slots(
    id: &str,
    mut skill_files: Vec<(IndexedNameOwned, Parsed<Skill>)>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, SkillSlot>, Vec<Parsed<Skill>>) {
    let mut skills = BTreeMap::new();
    let mut ready_skills = Vec::new();
    skill_files.sort_by(|a, b| (a.0.number, &a.1.file).cmp(&(b.0.number, &b.1.file)));
    for (name, mut parsed) in skill_files {
        let mut ready = false;
        if let Some(skill) = &parsed.typed {
            let mut found = Vec::new();
            let ctx = parsed.ctx();
            names::id_matches(
                "skill",
                &skill.id,
                &name.name,
                NamedBy::FileName,
                &ctx,
                &mut found,
            );
            parsed.diags.append(&mut found);
        }
        let slot = match (&parsed.typed, parsed.first_error()) {
            (Some(skill), None) => SkillSlot::Ready(Arc::new(SkillDef {
                skill: skill.clone(),
                raw: parsed.raw.clone().unwrap_or_default(),
                workflow: id.to_owned(),
                file: parsed.file.clone(),
                text: Default::default(),
            })),
            (_, Some(first)) => SkillSlot::Unavailable(Box::new(first.clone())),
            (None, None) => unreachable!("an untyped skill has an error"),
        };
        if skills.contains_key(&name.name) {
            diags.push(Diagnostic::file_level(
                Code::DuplicateId,
                format!(
                    "Skill id '{}' is already defined by another file of '{id}/skills'; rename one",
                    name.name
                ),
                &parsed.file,
            ));
        } else {
            ready = matches!(slot, SkillSlot::Ready(_));
            skills.insert(name.name.clone(), slot);
        }
        diags.append(&mut parsed.diags);
        if ready {
            ready_skills.push(parsed);
        }
    }
    (skills, ready_skills)
}

/// The folder's entry before assembly: what the workflow file says of itself, read from the
/// decoded file so a broken workflow is still listed with its title.
fn new_entry(
    id: &str,
    raw: Option<&Map<String, Value>>,
    skills: BTreeMap<String, SkillSlot>,
    resources: Vec<Resource>,
) -> WorkflowEntry {
    let text_field = |k: &str| {
        raw.and_then(|r| r.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    WorkflowEntry {
        id: id.to_owned(),
        status: WorkflowStatus::Ok,
        title: text_field("title"),
        version: text_field("version"),
        description: text_field("description"),
        tags: raw
            .and_then(|r| r.get("tags"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        diagnostics: Vec::new(),
        definition: None,
        skills,
        resources,
    }
}

struct IndexedNameOwned {
    number: u32,
    name: String,
}

impl From<&IndexedName<'_>> for IndexedNameOwned {
    fn from(n: &IndexedName<'_>) -> Self {
        Self {
            number: n.number,
            name: n.name.to_owned(),
        }
    }
}

fn read_resource(
    workflow: &str,
    file: &str,
    name: &IndexedName<'_>,
    format: Option<Format>,
    bytes: &[u8],
    diags: &mut Vec<Diagnostic>,
) -> Resource {
    let content = if bytes.len() > MAX_FILE_BYTES {
        Err(Box::new(too_large(file)))
    } else {
        let mut local = Vec::new();
        match to_text(file, bytes, &mut local) {
            None => Err(Box::new(local.remove(0))),
            Some(text) => match format {
                None => Ok(resource::read_markdown(file, &text, diags)),
                Some(f) => resource::read_structured(file, &text, f).map_err(Box::new),
            },
        }
    };
    match &content {
        Err(d) => diags.push((**d).clone()),
        Ok(c) => {
            if let Some(rid) = &c.id
                && rid != name.name
            {
                diags.push(Diagnostic::file_level(
                        Code::ResourceIdMismatch,
                        format!("The resource's id '{rid}' differs from its file name's '{}'; make them equal", name.name),
                        file,
                    ));
            }
        }
    }
    Resource {
        workflow: workflow.to_owned(),
        index: name.index.to_owned(),
        number: name.number,
        name: name.name.to_owned(),
        file: file.to_owned(),
        format: ResourceFormat::from_decoder(format),
        content,
    }
}

/// One assembled activity, with where its diagnostics go.
struct Member<'a> {
    activity: &'a Activity,
    raw: &'a Map<String, Value>,
    prefix: Option<String>,
    origin: String,
    /// The parsed file that holds it (an activity file, or the workflow file for inline ones).
    holder: HolderRef<'a>,
    /// Pointer of the activity inside its holder.
    base: String,
}

enum HolderRef<'a> {
    Activity(&'a Parsed<Activity>),
    Workflow(&'a Parsed<Workflow>),
}

impl<'a> HolderRef<'a> {
    fn ctx(&self) -> FileCtx<'_> {
        match self {
            HolderRef::Activity(p) => p.ctx(),
            HolderRef::Workflow(p) => p.ctx(),
        }
    }

    fn file(&self) -> &'a str {
        match *self {
            HolderRef::Activity(p) => &p.file,
            HolderRef::Workflow(p) => &p.file,
        }
    }
}

/// What assembling one workflow gives.
struct Assembly {
    id: String,
    /// `None` when the workflow is broken.
    definition: Option<Definition>,
    /// The diagnostics of the folder's files and of the cross-file checks, not yet in the entry.
    diagnostics: Vec<Diagnostic>,
    broken: bool,
}

/// Assembles a workflow's activities (docs/formats.md#activity-assembly-and-order) and has the
/// validator check what was assembled. An error in the workflow file or in the initial
/// activity's file breaks the workflow; an error in another activity's file only takes that
/// activity out of the definition (docs/formats.md#workflow-status).
fn assemble(folder: &Folder, folders: &HashMap<&str, &Folder>, library: &Library) -> Assembly {
    let mut diagnostics = folder_diagnostics(folder);
    let Some(wf) = &folder.scope else {
        return Assembly {
            id: folder.id.clone(),
            definition: None,
            diagnostics,
            broken: true,
        };
    };
    let members = Members::resolve(folder, wf, folders);
    diagnostics.extend(members.diags.iter().cloned());
    diagnostics.extend(check_assembled(folder, wf, &members, library));
    let first_errors = first_error_by_file(&diagnostics);
    let initial_file = match &wf.initial_activity {
        Some(id) => members.file_of(id),
        None => members.first_file,
    };
    let broken = folder.broken_by_layout
        || first_errors.contains_key(folder.workflow.file.as_str())
        || initial_file.is_some_and(|f| first_errors.contains_key(f));
    Assembly {
        id: folder.id.clone(),
        definition: (!broken).then(|| definition(folder, wf, &members, &first_errors)),
        diagnostics,
        broken,
    }
}

/// The first error of each file that has one, in diagnostic order.
fn first_error_by_file(diagnostics: &[Diagnostic]) -> HashMap<&str, &Diagnostic> {
    let mut first: HashMap<&str, &Diagnostic> = HashMap::new();
    let key = |d: &Diagnostic| (d.line, d.column, d.code, d.message.clone());
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        first
            .entry(d.file.as_str())
            .and_modify(|kept| {
                if key(d) < key(kept) {
                    *kept = d;
                }
            })
            .or_insert(d);
    }
    first
}

/// The diagnostics the folder's files carry of themselves.
fn folder_diagnostics(folder: &Folder) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = folder.diags.clone();
    diags.extend(folder.workflow.diags.iter().cloned());
    for a in &folder.activities {
        diags.extend(a.parsed.diags.iter().cloned());
    }
    diags
}

/// A workflow's activities, once its activity list is resolved.
struct Members<'f> {
    /// In catalog order: the listed activities, then the folder's files the list leaves out.
    list: Vec<Member<'f>>,
    /// Ids and files of activities whose files do not load: not members, but references to
    /// them are not reported as unknown on top of the file's own error.
    failed: Vec<(&'f str, &'f str)>,
    /// The file of the first activity in catalog order, member or failed: the initial activity
    /// when the workflow names none.
    first_file: Option<&'f str>,
    /// References that resolve to no file, errors of files referenced in other folders, and
    /// files the list leaves out.
    diags: Vec<Diagnostic>,
}

impl<'f> Members<'f> {
    fn resolve(folder: &'f Folder, wf: &'f Workflow, folders: &HashMap<&str, &'f Folder>) -> Self {
        let mut members = Members {
            list: Vec::new(),
            failed: Vec::new(),
            first_file: None,
            diags: Vec::new(),
        };
        let mut listed: HashSet<&str> = HashSet::new();
        if let Some(entries) = &wf.activities {
            for (i, entry) in entries.iter().enumerate() {
                members.add_entry(folder, i, entry, folders, &mut listed);
            }
            members.report_unlisted(folder, &listed);
        }
        for file in &folder.activities {
            if wf.activities.is_none() || !listed.contains(file.name.as_str()) {
                members.add_file(file, &folder.id);
            }
        }
        members
    }

    /// Adds entry `i` of the workflow's activity list: inline, or a reference to a file.
    fn add_entry(
        &mut self,
        folder: &'f Folder,
        i: usize,
        entry: &'f ActivityEntry,
        folders: &HashMap<&str, &'f Folder>,
        listed: &mut HashSet<&'f str>,
    ) {
        let at = push_index("/activities", i);
        match entry {
            ActivityEntry::Inline(act) => {
                let raw = folder
                    .workflow
                    .raw
                    .as_ref()
                    .and_then(|r| r.get("activities"))
                    .and_then(|a| a.get(i))
                    .and_then(Value::as_object);
                if let Some(raw) = raw {
                    self.first_file.get_or_insert(&folder.workflow.file);
                    self.list.push(Member {
                        activity: act,
                        raw,
                        prefix: None,
                        origin: folder.id.clone(),
                        holder: HolderRef::Workflow(&folder.workflow),
                        base: at,
                    });
                }
            }
            ActivityEntry::Reference(reference) => {
                match resolve_activity_ref(reference, &folder.id, folders) {
                    Ok((origin, file)) => {
                        if origin == folder.id {
                            listed.insert(file.name.as_str());
                        } else {
                            // An error inside a referenced file is an error of this workflow too.
                            self.diags
                                .extend(file.parsed.diags.iter().filter(|d| d.is_error()).cloned());
                        }
                        self.add_file(file, origin);
                    }
                    Err((code, message)) => {
                        self.diags
                            .push(folder.workflow.ctx().diag(code, message, &at));
                    }
                }
            }
        }
    }

    /// Adds an activity file: a member when it loaded, a failed id when it did not.
    fn add_file(&mut self, file: &'f ActivityFile, origin: &str) {
        self.first_file.get_or_insert(&file.parsed.file);
        if let (Some(act), Some(raw)) = (&file.parsed.typed, &file.parsed.raw) {
            self.list.push(Member {
                activity: act,
                raw,
                prefix: Some(file.index.clone()),
                origin: origin.to_owned(),
                holder: HolderRef::Activity(&file.parsed),
                base: String::new(),
            });
        } else {
            self.failed.push((file.id(), &file.parsed.file));
        }
    }

    /// The file that holds activity `id`, member or failed.
    fn file_of(&self, id: &str) -> Option<&'f str> {
        self.list
            .iter()
            .find(|m| m.activity.id == id)
            .map(|m| m.holder.file())
            .or_else(|| {
                self.failed
                    .iter()
                    .find(|(f, _)| *f == id)
                    .map(|(_, file)| *file)
            })
    }

    /// Warns of the folder's activity files the list leaves out (they are added after it).
    fn report_unlisted(&mut self, folder: &Folder, listed: &HashSet<&str>) {
        for file in &folder.activities {
            if !listed.contains(file.name.as_str()) {
                self.diags.push(Diagnostic::file_level(
                    Code::ActivityNotListed,
                    format!("This activity file is not in the workflow's activities list; it is added after the listed ones. List it as '{}'", file.name.rsplit_once('.').map_or(file.name.as_str(), |(s, _)| s)),
                    &file.parsed.file,
                ));
            }
        }
    }
}

/// What the validator's cross-file checks find in the assembled workflow.
fn check_assembled(
    folder: &Folder,
    wf: &Workflow,
    members: &Members<'_>,
    library: &Library,
) -> Vec<Diagnostic> {
    let assembled = Assembled {
        id: &folder.id,
        workflow: wf,
        file: folder.workflow.ctx(),
        members: members
            .list
            .iter()
            .map(|m| assembled::Member {
                activity: m.activity,
                file: m.holder.ctx(),
                base: &m.base,
                origin: &m.origin,
            })
            .collect(),
        failed: members.failed.iter().map(|(id, _)| *id).collect(),
        skills: folder
            .skills
            .iter()
            .filter_map(|parsed| Some((parsed.typed.as_ref()?, parsed.ctx())))
            .collect(),
    };
    let mut out = Vec::new();
    assembled::check(&assembled, library, &mut out);
    out
}

/// The served definition: the activities whose files have no error, and the others with the
/// first error of their file.
fn definition(
    folder: &Folder,
    wf: &Workflow,
    members: &Members<'_>,
    first_errors: &HashMap<&str, &Diagnostic>,
) -> Definition {
    let mut activities = Vec::new();
    let mut unavailable = BTreeMap::new();
    for m in &members.list {
        match first_errors.get(m.holder.file()) {
            Some(d) => {
                unavailable.insert(m.activity.id.clone(), (*d).clone());
            }
            None => activities.push(ActivityDef {
                activity: m.activity.clone(),
                raw: m.raw.clone(),
                artifact_prefix: m.prefix.clone(),
                origin: m.origin.clone(),
                file: m.holder.file().to_owned(),
                text: Default::default(),
            }),
        }
    }
    for (id, file) in &members.failed {
        if let Some(d) = first_errors.get(file) {
            unavailable.insert((*id).to_owned(), (*d).clone());
        }
    }
    Definition {
        workflow: wf.clone(),
        raw: folder.workflow.raw.clone().unwrap_or_default(),
        activities,
        unavailable,
        file: folder.workflow.file.clone(),
    }
}

/// Resolves an activity reference string to its workflow and file.
fn resolve_activity_ref<'f>(
    reference: &str,
    this: &'f str,
    folders: &HashMap<&str, &'f Folder>,
) -> Result<(&'f str, &'f ActivityFile), (Code, String)> {
    let parts: Vec<&str> = reference.split('/').collect();
    let (wf, name) = match parts.as_slice() {
        [name] => (this, *name),
        [wf, name] => (*wf, *name),
        [wf, "activities", name] => (*wf, *name),
        _ => {
            return Err((
                Code::UnresolvedActivityRef,
                format!(
                    "Activity reference '{reference}' is not of the form NN-<id>, <workflow>/NN-<id> or <workflow>/activities/NN-<id>"
                ),
            ));
        }
    };
    let unresolved = || {
        (
            Code::UnresolvedActivityRef,
            format!(
                "Activity reference '{reference}' matches no activity file; check the workflow, index and id"
            ),
        )
    };
    let folder = folders.get(wf).ok_or_else(unresolved)?;
    let with_ext = layout::is_definition_file(name);
    let matches: Vec<&ActivityFile> = folder
        .activities
        .iter()
        .filter(|f| {
            if with_ext {
                f.name == name
            } else {
                f.name
                    .rsplit_once('.')
                    .is_some_and(|(stem, _)| stem == name)
            }
        })
        .collect();
    match matches.as_slice() {
        [] => Err(unresolved()),
        [one] => Ok((folder.id.as_str(), one)),
        many => Err((
            Code::DuplicateFile,
            format!(
                "Activity reference '{reference}' matches several files ({}); add the extension",
                many.iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The library as the cross-file checks see it while its workflows are assembled.
impl References for Library {
    fn has_workflow(&self, id: &str) -> bool {
        self.workflows.contains_key(id)
    }

    fn skill_resolves(&self, reference: &str, origin: &str, session: &str) -> bool {
        matches!(
            self.resolve_skill(reference, origin, Some(session)),
            Ok(_) | Err(SkillLookupError::Unavailable(_))
        )
    }

    /// A resource that exists but failed to load is not reported here: its own file already
    /// carries the diagnostic. An ambiguous reference is worded apart from a missing one
    /// because the fix differs — the library has too many candidates, not too few, and the
    /// collision error on the resource files says which to rename.
    fn unresolved_resource(&self, reference: &str, id: &str) -> Option<String> {
        match self.resolve_resource(reference, id) {
            Ok(_) | Err(ResourceLookupError::Unavailable(_)) => None,
            Err(ResourceLookupError::NotFound) => Some(format!("does not resolve in '{id}'")),
            Err(ResourceLookupError::Ambiguous { files, .. }) => Some(format!(
                "is ambiguous in '{id}': it matches {}",
                files.join(" and ")
            )),
        }
    }
}
