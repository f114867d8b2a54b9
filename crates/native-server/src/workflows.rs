//! Where the catalog comes from and how it stays current: a folder, read once at start and
//! again whenever its files change, or the library embedded in the binary. Calls never read
//! files; they see the catalog last swapped into the engine.
//!
//! The first load runs beside the handshake: decoding and validating the library is most of a
//! cold start, and `initialize` and `tools/list` do not need it. Everything that reads the
//! catalog waits for [`Loaded`] first.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::{mpsc, watch};
use workflow_core::catalog::{Catalog, Library, WorkflowStatus};
use workflow_core::engine::Engine;

use crate::clock::now_ms;
use crate::{embedded, files};

/// Edits often come as bursts of events (save = truncate + write + rename); reload once after
/// the burst.
const SETTLE: Duration = Duration::from_millis(150);

/// At most this many error lines are logged per load; the rest are counted.
const MAX_LOGGED_ERRORS: usize = 20;

#[derive(Clone)]
pub enum Source {
    /// A folder, read whole up to `max_bytes` in all (`--max-workflows-bytes`).
    Folder {
        dir: PathBuf,
        max_bytes: u64,
    },
    Embedded,
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Folder { dir, .. } => dir.display().to_string(),
            Source::Embedded => "the embedded library".to_owned(),
        }
    }

    /// Reads and validates every file.
    pub fn load(&self) -> anyhow::Result<Library> {
        Ok(match self {
            Source::Folder { dir, max_bytes } => Library::load(files::read_tree(dir, *max_bytes)?),
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

/// Whether the first catalog is in the engine yet.
#[derive(Clone)]
pub struct Loaded(watch::Receiver<bool>);

impl Loaded {
    /// Returns once the first load has finished (or failed, leaving the empty catalog).
    pub async fn wait(&self) {
        let mut rx = self.0.clone();
        // An error means the loading task is gone; there is nothing more to wait for.
        let _ = rx.wait_for(|loaded| *loaded).await;
    }

    pub fn is_loaded(&self) -> bool {
        *self.0.borrow()
    }
}

/// Loads the catalog on a blocking thread, swaps it into the engine, then keeps it current when
/// the source is a folder.
pub fn load_in_background(source: Source, engine: Arc<Engine>) -> Loaded {
    let (done, loaded) = watch::channel(false);
    tokio::spawn(async move {
        let folder = match &source {
            Source::Folder { .. } => Some(source.clone()),
            Source::Embedded => None,
        };
        let described = source.describe();
        let result = tokio::task::spawn_blocking(move || {
            let library = source.load()?;
            let catalog = Catalog::new(library, now_ms());
            report(&catalog, &source);
            Ok::<_, anyhow::Error>(catalog)
        })
        .await;
        match result {
            Ok(Ok(catalog)) => engine.set_catalog(catalog),
            Ok(Err(e)) => tracing::error!(
                source = %described,
                error = %format!("{e:#}"),
                "cannot load the workflows; serving none until the folder can be read"
            ),
            Err(e) => tracing::error!(error = %e, "loading the catalog failed"),
        }
        let _ = done.send(true);
        if let Some(folder) = folder {
            match watch(folder, engine) {
                // The watcher stops when dropped: this task keeps it for the life of the server.
                Ok(watcher) => {
                    let _keep = watcher;
                    std::future::pending::<()>().await;
                }
                Err(e) => tracing::error!(
                    dir = %described,
                    error = %e,
                    "cannot watch the workflows folder; edits need a restart"
                ),
            }
        }
    });
    Loaded(loaded)
}

/// Watches the folder `source` and swaps a reloaded catalog into the engine after each burst of
/// changes. The returned watcher must be kept alive for as long as reloading should happen.
fn watch(source: Source, engine: Arc<Engine>) -> notify::Result<notify::RecommendedWatcher> {
    let Source::Folder { dir, .. } = &source else {
        return Err(notify::Error::generic("only a folder can be watched"));
    };
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
        let source = source.clone();
        tokio::task::spawn_blocking(move || source.load()).await
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
