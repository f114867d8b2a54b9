//! The state folder: the key ring and the session store live together, so one folder (one
//! volume, one backup) holds everything a restart needs.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

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
