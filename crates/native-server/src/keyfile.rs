//! The key-ring file (docs/protocol.md#key-ring) in the state folder: created on first start with
//! one random key, readable by its owner only, and always replaced whole (temporary file, flush,
//! rename), so a crash leaves the old ring or the new one, never half of one.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use workflow_core::keyring::{Key, KeyRing, SECRET_LEN};

/// The file's name inside the state folder.
pub const FILE_NAME: &str = "keyring.json";

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read the key ring {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the key ring {path} is not a valid key-ring file: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write the key ring {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot generate a key: {0}")]
    Random(getrandom::Error),
    #[error(transparent)]
    Ring(#[from] workflow_core::keyring::KeyRingError),
}

/// Reads the ring, creating it with a fresh key when the file does not exist yet.
pub fn load_or_create(dir: &Path, now_ms: u64) -> Result<KeyRing, KeyFileError> {
    match load(dir)? {
        Some(ring) => Ok(ring),
        None => create(dir, now_ms),
    }
}

/// Reads the ring; `None` when the file does not exist.
pub fn load(dir: &Path) -> Result<Option<KeyRing>, KeyFileError> {
    let path = dir.join(FILE_NAME);
    match fs::read(&path) {
        Ok(bytes) => {
            warn_if_shared(&path);
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| KeyFileError::Parse { path, source })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyFileError::Read { path, source }),
    }
}

/// Writes a new ring with one fresh key.
pub fn create(dir: &Path, now_ms: u64) -> Result<KeyRing, KeyFileError> {
    let ring = KeyRing::new(new_key(now_ms)?);
    save(dir, &ring)?;
    tracing::info!(path = %dir.join(FILE_NAME).display(), "created a new key ring");
    Ok(ring)
}

/// Makes a new current key and retires the old one; tokens signed by the old key keep
/// verifying until it is removed from the file.
pub fn rotate(dir: &Path, now_ms: u64) -> Result<KeyRing, KeyFileError> {
    let mut ring = load_or_create(dir, now_ms)?;
    ring.rotate(new_key(now_ms)?, now_ms)?;
    save(dir, &ring)?;
    Ok(ring)
}

/// A key of 32 bytes from the OS's random source, named by 8 random hex digits.
pub fn new_key(now_ms: u64) -> Result<Key, KeyFileError> {
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).map_err(KeyFileError::Random)?;
    let mut id = [0u8; 4];
    getrandom::fill(&mut id).map_err(KeyFileError::Random)?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Key::new(format!("k-{id}"), secret, now_ms))
}

/// Writes the ring to a temporary file with owner-only permissions, flushes it, and renames it
/// over the old file; then flushes the folder so the rename itself is durable.
pub fn save(dir: &Path, ring: &KeyRing) -> Result<(), KeyFileError> {
    let path = dir.join(FILE_NAME);
    let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let err = |source| KeyFileError::Write {
        path: path.clone(),
        source,
    };
    let mut bytes = serde_json::to_vec_pretty(ring).map_err(|e| err(io::Error::other(e)))?;
    bytes.push(b'\n');
    let written = (|| {
        let mut file = owner_only().open(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, &path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(err)
}

#[cfg(unix)]
fn owner_only() -> fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true).mode(0o600);
    o
}

#[cfg(not(unix))]
fn owner_only() -> fs::OpenOptions {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    o
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Anyone who can read the key can mint tokens for every session: say so when others can.
#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            mode = format!("{:o}", meta.permissions().mode() & 0o777),
            "the key ring is readable by other users; run chmod 600 on it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_start_creates_an_owner_only_ring_that_later_starts_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = load_or_create(dir.path(), 1_000).expect("creates");
        let again = load_or_create(dir.path(), 2_000).expect("reads");
        assert_eq!(first.current().id(), again.current().id());
        assert_eq!(first.sign(b"x"), again.sign(b"x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(FILE_NAME))
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("lists")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn rotation_keeps_the_old_key_for_verification() {
        let dir = tempfile::tempdir().expect("temp dir");
        let before = load_or_create(dir.path(), 1_000).expect("creates");
        let signature = before.sign(b"payload");
        let after = rotate(dir.path(), 2_000).expect("rotates");
        assert_ne!(after.current().id(), before.current().id());
        assert_eq!(
            after.verify(b"payload", &signature),
            Some(workflow_core::keyring::KeyMatch::Retired)
        );
        let reread = load_or_create(dir.path(), 3_000).expect("reads");
        assert_eq!(reread.retired().len(), 1);
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_new_ring() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(FILE_NAME), b"{not json").expect("writes");
        assert!(matches!(
            load_or_create(dir.path(), 1),
            Err(KeyFileError::Parse { .. })
        ));
    }
}
