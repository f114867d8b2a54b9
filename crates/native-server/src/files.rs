//! Reading a workflows folder into the path → bytes map the core assembles.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use workflow_core::catalog::MAX_FILE_BYTES;

/// Every file below `root` as (`/`-separated relative path, bytes). Hidden entries are skipped
/// (the core ignores them anyway, and `.git` can be large); symbolic links are not followed, so
/// nothing outside the root is read; a file over the core's size limit is read only far enough
/// for the core to report it as too large.
pub fn read_tree(root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let meta = fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    if !meta.is_dir() {
        bail!(
            "{} is not a folder; pass the workflows root (one sub-folder per workflow)",
            root.display()
        );
    }
    let mut out = Vec::new();
    walk(root, "", &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
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
            walk(&entry.path(), &rel, out)?;
        } else if kind.is_file() {
            let mut bytes = Vec::new();
            fs::File::open(entry.path())
                .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            out.push((rel, bytes));
        }
    }
    Ok(())
}
