//! Where the catalog comes from and how it stays current: a folder, read once at start and
//! again whenever its files change, or the library embedded in the binary. Calls never read
//! files; they see the catalog last swapped into the engine.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;
use workflow_core::catalog::{Catalog, Library, WorkflowStatus};
use workflow_core::engine::Engine;

use crate::clock::now_ms;
use crate::{embedded, files};

/// Edits often come as bursts of events (save = truncate + write + rename); reload once after
/// the burst.
const SETTLE: Duration = Duration::from_millis(150);

/// At most this many error lines are logged per load; the rest are counted.
const MAX_LOGGED_ERRORS: usize = 20;

pub enum Source {
    Folder(PathBuf),
    Embedded,
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Folder(dir) => dir.display().to_string(),
            Source::Embedded => "the embedded library".to_owned(),
        }
    }

    /// Reads and validates every file.
    pub fn load(&self) -> anyhow::Result<Library> {
        Ok(match self {
            Source::Folder(dir) => Library::load(files::read_tree(dir)?),
            Source::Embedded => Library::load(embedded::FILES.iter().copied()),
        })
    }
}

/// Logs what a load produced: one summary line, each workflow that is not `ok`, and the errors.
pub fn report(catalog: &Catalog, source: &Source) {
    let library = catalog.library();
    let count = library.workflows().count();
    let errors: Vec<_> = library
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .collect();
    tracing::info!(
        source = %source.describe(),
        workflows = count,
        errors = errors.len(),
        "loaded the workflow catalog"
    );
    for entry in library.workflows() {
        match entry.status {
            WorkflowStatus::Ok => {}
            WorkflowStatus::Degraded => tracing::warn!(
                workflow = %entry.id,
                errors = entry.error_count(),
                "workflow is degraded: some skills or resources are unavailable"
            ),
            WorkflowStatus::Broken => match catalog.served(&entry.id) {
                Some(served) if served.last_good => tracing::warn!(
                    workflow = %entry.id,
                    errors = entry.error_count(),
                    "workflow is broken; serving its last good definition"
                ),
                _ => tracing::warn!(
                    workflow = %entry.id,
                    errors = entry.error_count(),
                    "workflow is broken and cannot be started"
                ),
            },
        }
    }
    for d in errors.iter().take(MAX_LOGGED_ERRORS) {
        tracing::warn!("{d}");
    }
    if errors.len() > MAX_LOGGED_ERRORS {
        tracing::warn!(
            "... and {} more errors (run `workflow-server validate` to see all)",
            errors.len() - MAX_LOGGED_ERRORS
        );
    }
}

/// Watches `dir` and swaps a reloaded catalog into the engine after each burst of changes.
/// The returned watcher must be kept alive for as long as reloading should happen.
pub fn watch(dir: &Path, engine: Arc<Engine>) -> notify::Result<notify::RecommendedWatcher> {
    let (changed, mut changes) = mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match &event {
            Ok(e) => !e.kind.is_access(),
            Err(_) => true,
        };
        if relevant {
            // A full channel already holds a pending reload, which will see this change too.
            let _ = changed.try_send(());
        }
    })?;
    watcher.watch(dir, RecursiveMode::Recursive)?;
    let source = Source::Folder(dir.to_owned());
    tokio::spawn(async move {
        while changes.recv().await.is_some() {
            tokio::time::sleep(SETTLE).await;
            while changes.try_recv().is_ok() {}
            reload(&source, &engine).await;
        }
    });
    Ok(watcher)
}

async fn reload(source: &Source, engine: &Arc<Engine>) {
    let loaded = {
        let dir = match source {
            Source::Folder(dir) => dir.clone(),
            Source::Embedded => return,
        };
        tokio::task::spawn_blocking(move || Source::Folder(dir).load()).await
    };
    match loaded {
        Ok(Ok(library)) => {
            let catalog = engine.catalog().reload(library, now_ms());
            report(&catalog, source);
            engine.set_catalog(catalog);
        }
        Ok(Err(e)) => tracing::error!(
            error = %format!("{e:#}"),
            "cannot read the workflows folder; keeping the catalog as it was"
        ),
        Err(e) => tracing::error!(error = %e, "reloading the catalog failed"),
    }
}
