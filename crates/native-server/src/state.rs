//! The state folder: the key ring and the session store live together, so one folder (one
//! volume, one backup) holds everything a restart needs.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use workflow_core::keyring::KeyRing;

use crate::keyfile;
use crate::store::{OpenError, RedbStore};

/// The session store's file inside the state folder.
pub const STORE_FILE: &str = "sessions.redb";

#[derive(Args, Clone, Debug, Default)]
pub struct StateArgs {
    /// Where the key ring and the session store live [default: the platform's data folder].
    #[arg(long, env = "WORKFLOW_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

impl StateArgs {
    /// The folder, created (owner-only on Unix) when missing.
    pub fn dir(&self) -> Result<PathBuf> {
        let dir = match &self.state_dir {
            Some(dir) => dir.clone(),
            None => directories::ProjectDirs::from("", "", "workflow-server")
                .map(|p| p.data_dir().to_owned())
                .context("no home folder to keep state in; pass --state-dir")?,
        };
        create(&dir)
            .with_context(|| format!("cannot create the state folder {}", dir.display()))?;
        Ok(dir)
    }
}

/// Opens the store and the key ring, refusing what would silently lose sessions
/// (crates/native-server/README.md#damage): a damaged or truncated store, or a missing key ring
/// beside stored sessions. With `accept_loss` (`--accept-state-loss`) the damaged store is renamed aside
/// (`sessions.redb.damaged-<ms>`) and a new one started, and a missing ring is made anew, each
/// with a warning.
pub fn open(dir: &Path, accept_loss: bool, now_ms: u64) -> Result<(KeyRing, RedbStore)> {
    let path = dir.join(STORE_FILE);
    let store = match RedbStore::open(&path) {
        Err(e @ (OpenError::Empty { .. } | OpenError::Damaged { .. })) if accept_loss => {
            let aside = dir.join(format!("{STORE_FILE}.damaged-{now_ms}"));
            fs::rename(&path, &aside)
                .with_context(|| format!("cannot move {} aside", path.display()))?;
            tracing::warn!(
                kept = %aside.display(),
                "{e}; --accept-state-loss: moved it aside and started an empty store"
            );
            RedbStore::open(&path)?
        }
        opened => opened?,
    };
    let keys = match keyfile::load(dir)? {
        Some(ring) => ring,
        None if store.is_empty()? => keyfile::create(dir, now_ms)?,
        None if accept_loss => {
            tracing::warn!(
                "the key ring is missing beside stored sessions; --accept-state-loss: made a new \
                 key, so every existing session token fails"
            );
            keyfile::create(dir, now_ms)?
        }
        None => bail!(
            "the key ring {} is missing but the session store {} holds sessions, whose tokens \
             only that key verifies. Restore {} from a backup, or start with \
             --accept-state-loss to make a new key (every existing session token then fails)",
            dir.join(keyfile::FILE_NAME).display(),
            path.display(),
            keyfile::FILE_NAME
        ),
    };
    Ok((keys, store))
}

#[cfg(unix)]
fn create(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create(dir: &std::path::Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}
