//! The catalog as the protocol serves it (docs/protocol.md#catalog-states): the latest library,
//! plus for each workflow that broke since the server started the last definition that was valid,
//! so sessions keep working while an author fixes a file.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Definition, Library, WorkflowEntry, WorkflowStatus};

/// A definition the server can serve for a workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct Served {
    pub definition: Arc<Definition>,
    /// When the definition was loaded (Unix ms).
    pub loaded_at: u64,
    /// True when the workflow's files are broken now and this is the last good definition.
    pub last_good: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    library: Library,
    served: BTreeMap<String, Served>,
    /// Whether the latest reload left some workflow worse than before.
    reload_failed: bool,
}

impl Catalog {
    /// The first catalog of a process: only valid definitions are served.
    pub fn new(library: Library, now_ms: u64) -> Self {
        Self::build(library, None, now_ms)
    }

    /// The catalog after the files changed: broken workflows keep serving the definition of
    /// `self` (the last good one), unchanged valid ones keep their load time.
    pub fn reload(&self, library: Library, now_ms: u64) -> Self {
        Self::build(library, Some(self), now_ms)
    }

    fn build(library: Library, previous: Option<&Catalog>, now_ms: u64) -> Self {
        let mut served = BTreeMap::new();
        let mut reload_failed = false;
        for entry in library.workflows() {
            let before = previous.and_then(|p| p.served.get(&entry.id));
            match &entry.definition {
                Some(def) => {
                    let loaded_at = match before {
                        Some(b) if !b.last_good && b.definition == *def => b.loaded_at,
                        _ => now_ms,
                    };
                    served.insert(
                        entry.id.clone(),
                        Served {
                            definition: def.clone(),
                            loaded_at,
                            last_good: false,
                        },
                    );
                }
                None => {
                    if let Some(b) = before {
                        reload_failed = true;
                        served.insert(
                            entry.id.clone(),
                            Served {
                                last_good: true,
                                ..b.clone()
                            },
                        );
                    }
                }
            }
        }
        Self {
            library,
            served,
            reload_failed,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn entry(&self, workflow_id: &str) -> Option<&WorkflowEntry> {
        self.library.workflow(workflow_id)
    }

    /// The definition to serve for a workflow, if any.
    pub fn served(&self, workflow_id: &str) -> Option<&Served> {
        self.served.get(workflow_id)
    }

    /// Whether a session can be started (`startable` of docs/protocol.md#catalog-states).
    pub fn startable(&self, workflow_id: &str) -> bool {
        self.served.contains_key(workflow_id)
    }

    pub fn reload_failed(&self) -> bool {
        self.reload_failed
    }

    /// `healthy` unless some workflow is not `ok` or the last reload kept a last-good definition.
    pub fn healthy(&self) -> bool {
        !self.reload_failed
            && self
                .library
                .workflows()
                .all(|w| w.status == WorkflowStatus::Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib(activity: &str) -> Library {
        Library::load([
            (
                "w/workflow.yaml",
                "id: w\nversion: 1.0.0\ntitle: W\ninitialActivity: a\n".to_owned(),
            ),
            ("w/activities/01-a.yaml", activity.to_owned()),
        ])
    }

    #[test]
    fn a_broken_reload_keeps_serving_the_last_good_definition() {
        let good = Catalog::new(lib("id: a\nversion: 1.0.0\nname: A\n"), 1_000);
        assert!(
            good.served("w")
                .is_some_and(|s| !s.last_good && s.loaded_at == 1_000)
        );
        let broken = good.reload(lib("id: a\nversion: 1.0.0\n"), 2_000);
        let served = broken.served("w").expect("last good kept");
        assert!(served.last_good && served.loaded_at == 1_000 && broken.reload_failed());
        assert_eq!(
            broken.entry("w").map(|e| e.status),
            Some(WorkflowStatus::Broken)
        );
        let fixed = broken.reload(lib("id: a\nversion: 1.0.0\nname: A again\n"), 3_000);
        assert!(
            fixed
                .served("w")
                .is_some_and(|s| !s.last_good && s.loaded_at == 3_000)
        );
        assert!(!fixed.reload_failed());
    }

    #[test]
    fn a_workflow_broken_from_the_start_is_not_startable() {
        let c = Catalog::new(lib("id: a\n"), 1);
        assert!(!c.startable("w"));
    }
}
