//! Where state lives: the key ring and the session store together, so one place (a folder, or a
//! PostgreSQL database that several servers share) holds everything a restart needs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use workflow_core::keyring::KeyRing;

use crate::changes::Changes;
use crate::keyfile;
use crate::pg::PgStore;
use crate::sessions::{Backend, Sessions};
use crate::store::{OpenError, RedbStore};

/// The session store's file inside the state folder.
pub const STORE_FILE: &str = "sessions.redb";

#[derive(Args, Clone, Debug, Default)]
pub struct StateArgs {
    /// Where the key ring and the session store live [default: the platform's data folder].
    #[arg(long, env = "WORKFLOW_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Keep sessions and the key ring in this PostgreSQL database instead of the state folder,
    /// so several servers can share them: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.
    #[arg(
        long,
        env = "WORKFLOW_STORE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub store_url: Option<String>,
    /// The most connections to PostgreSQL this server holds at once.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub store_max_connections: usize,
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

/// Opens the store and the key ring where `args` say: the PostgreSQL database of `--store-url`,
/// or the state folder. Returns them with a description of where they are, for the log.
pub fn open(args: &StateArgs, accept_loss: bool, now_ms: u64) -> Result<(KeyRing, Sessions)> {
    let changes = Arc::new(Changes::default());
    match &args.store_url {
        Some(url) => {
            let store = PgStore::open(url, args.store_max_connections, changes.clone())?;
            let keys = database_ring(&store, accept_loss, now_ms)?;
            Ok((keys, Sessions::new(Backend::Postgres(store), changes)))
        }
        None => {
            let dir = args.dir()?;
            let (keys, store) = open_folder(&dir, accept_loss, now_ms)?;
            tracing::info!(state = %dir.display(), "opened the session store and key ring");
            Ok((keys, Sessions::new(Backend::Redb(store), changes)))
        }
    }
}

/// Makes a new current key and retires the old one where `args` say; running servers on the
/// same database pick it up at once, a server on the state folder when it next starts.
pub fn rotate_key(args: &StateArgs, now_ms: u64) -> Result<KeyRing> {
    let Some(url) = &args.store_url else {
        return Ok(keyfile::rotate(&args.dir()?, now_ms)?);
    };
    let store = PgStore::open(url, 1, Arc::new(Changes::default()))?;
    let rotated = store.update_key_ring(move |stored| {
        let mut ring = match stored {
            Some(bytes) => decode_ring(&bytes).map_err(|e| e.to_string())?,
            None => KeyRing::new(keyfile::new_key(now_ms).map_err(|e| e.to_string())?),
        };
        let key = keyfile::new_key(now_ms).map_err(|e| e.to_string())?;
        ring.rotate(key, now_ms).map_err(|e| e.to_string())?;
        serde_json::to_vec(&ring).map_err(|e| e.to_string())
    })?;
    let bytes = rotated.map_err(anyhow::Error::msg)?;
    decode_ring(&bytes)
}

/// The key ring in the database; made when there is none and no session needs the old one,
/// with the same refusal as a missing `keyring.json` beside stored sessions.
fn database_ring(store: &PgStore, accept_loss: bool, now_ms: u64) -> Result<KeyRing> {
    if let Some(bytes) = store.key_ring()? {
        return decode_ring(&bytes);
    }
    if !store.is_empty()? {
        if !accept_loss {
            bail!(
                "the database's key ring (table workflow_keyring) is missing but it holds \
                 sessions, whose tokens only that key verifies. Restore the table from a backup, \
                 or start with --accept-state-loss to make a new key (every existing session \
                 token then fails)"
            );
        }
        tracing::warn!(
            "the database's key ring is missing beside stored sessions; --accept-state-loss: \
             made a new key, so every existing session token fails"
        );
    }
    let ring = KeyRing::new(keyfile::new_key(now_ms)?);
    // Servers starting together on a new database each offer a ring; the first one stored wins.
    decode_ring(&store.create_key_ring(serde_json::to_vec(&ring)?)?)
}

/// A key ring stored in the database: the JSON of `keyring.json`.
pub fn decode_ring(bytes: &[u8]) -> Result<KeyRing> {
    serde_json::from_slice(bytes)
        .context("the database's key ring (table workflow_keyring) is not a valid key ring")
}

/// Opens the store and the key ring, refusing what would silently lose sessions
/// (crates/native-server/README.md#damage): a damaged or truncated store, or a missing key ring
/// beside stored sessions. With `accept_loss` (`--accept-state-loss`) the damaged store is renamed aside
/// (`sessions.redb.damaged-<ms>`) and a new one started, and a missing ring is made anew, each
/// with a warning.
fn open_folder(dir: &Path, accept_loss: bool, now_ms: u64) -> Result<(KeyRing, RedbStore)> {
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
