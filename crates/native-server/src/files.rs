//! Reading a workflows folder into the path → bytes map the core assembles.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use workflow_core::catalog::MAX_FILE_BYTES;

/// The default of `--max-workflows-bytes`: the most bytes a workflows folder's files may hold in
/// all (the library shipped with the server is about 0.25 MiB).
pub const DEFAULT_MAX_FOLDER_BYTES: u64 = 64 * 1024 * 1024;

/// Every file below `root` as (`/`-separated relative path, bytes). Hidden entries are skipped
/// (the core ignores them anyway, and `.git` can be large); symbolic links are not followed, so
/// nothing outside the root is read; a file over the core's size limit is read only far enough
/// for the core to report it as too large. A folder holding more than `max_bytes` in all is an
/// error naming the cap and its option, found before more than the cap is read.
pub fn read_tree(root: &Path, max_bytes: u64) -> Result<Vec<(String, Vec<u8>)>> {
    let meta = fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    if !meta.is_dir() {
        bail!(
            "{} is not a folder; pass the workflows root (one sub-folder per workflow)",
            root.display()
        );
    }
    let mut out = Vec::new();
    let mut left = max_bytes;
    walk(root, "", &mut out, &mut left).map_err(|e| match e {
        Walk::Io(e) => e,
        Walk::TooLarge => anyhow::anyhow!(
            "the workflows folder {} holds more than {max_bytes} bytes of files in all, the \
             limit set by --max-workflows-bytes (default {DEFAULT_MAX_FOLDER_BYTES}); remove \
             files from it or raise the limit",
            root.display()
        ),
    })?;
    Ok(out)
}

enum Walk {
    Io(anyhow::Error),
    TooLarge,
}

impl<E: Into<anyhow::Error>> From<E> for Walk {
    fn from(e: E) -> Walk {
        Walk::Io(e.into())
    }
}

fn walk(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, Vec<u8>)>,
    left: &mut u64,
) -> Result<(), Walk> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if kind.is_dir() {
            walk(&entry.path(), &rel, out, left)?;
        } else if kind.is_file() {
            let mut bytes = Vec::new();
            let most = (MAX_FILE_BYTES as u64 + 1).min(*left + 1);
            fs::File::open(entry.path())
                .and_then(|f| f.take(most).read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            *left = left.checked_sub(bytes.len() as u64).ok_or(Walk::TooLarge)?;
            out.push((rel, bytes));
        }
    }
    Ok(())
}
