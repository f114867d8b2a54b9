//! `workflow-server migrate`: a workflows folder rewritten in one format by the core's
//! `convert_library` (docs/formats.md#converting-a-library), in place or into a new folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use workflow_core::convert::convert_library;
use workflow_core::decode::Format;
use workflow_core::diagnostic::Code;

use crate::files::{DEFAULT_MAX_FOLDER_BYTES, read_tree};

#[derive(clap::Args)]
#[command(after_long_help = EXIT_STATUS)]
pub struct MigrateArgs {
    /// The workflows root (one sub-folder per workflow).
    dir: PathBuf,
    /// The format every definition file is written in.
    #[arg(long, value_enum)]
    to: Target,
    /// Write the whole converted library into this folder (created; it must be empty) and leave
    /// DIR as it is. Without it DIR is changed in place: converted files replace the old ones.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The most bytes the folder's files may hold in all (as `serve --max-workflows-bytes`).
    #[arg(long, default_value_t = DEFAULT_MAX_FOLDER_BYTES, value_name = "BYTES")]
    max_workflows_bytes: u64,
}

const EXIT_STATUS: &str = "\
Exit status: 0 when every definition file is in the target format afterwards; 1 when some file \
was left as it was (file_not_converted: it does not decode, or its new name is taken); 2 when a \
folder cannot be read or written or an option is wrong.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Target {
    Toon,
    Yaml,
    Json,
}

impl From<Target> for Format {
    fn from(t: Target) -> Format {
        match t {
            Target::Toon => Format::Toon,
            Target::Yaml => Format::Yaml,
            Target::Json => Format::Json,
        }
    }
}

pub fn run(args: &MigrateArgs) -> Result<ExitCode> {
    let files = read_tree(&args.dir, args.max_workflows_bytes)?
        .into_iter()
        .collect();
    let to = Format::from(args.to);
    let out = convert_library(&files, to);

    match &args.out {
        Some(target) => {
            if target.exists()
                && fs::read_dir(target)
                    .with_context(|| format!("cannot read {}", target.display()))?
                    .next()
                    .is_some()
            {
                bail!(
                    "{} is not empty; name a new or empty folder for --out",
                    target.display()
                );
            }
            for (path, bytes) in &out.files {
                write(target, path, bytes)?;
            }
        }
        None => {
            for (path, bytes) in out
                .renamed
                .values()
                .chain(&out.rewritten)
                .map(|p| (p, &out.files[p]))
            {
                write(&args.dir, path, bytes)?;
            }
            for old in out.renamed.keys() {
                let old = args.dir.join(old);
                fs::remove_file(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            }
        }
    }

    let mut stdout = std::io::stdout().lock();
    for d in &out.diagnostics {
        writeln!(stdout, "{d}")?;
    }
    stdout.flush()?;
    let left = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::FileNotConverted)
        .count();
    eprintln!(
        "{} file(s) converted to {}, {} rewritten for renamed references, {left} left as they were; {} warning(s)",
        out.renamed.len(),
        to.name(),
        out.rewritten.len(),
        out.diagnostics.len(),
    );
    Ok(if left > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn write(root: &Path, path: &str, bytes: &[u8]) -> Result<()> {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(&full, bytes).with_context(|| format!("cannot write {}", full.display()))
}
