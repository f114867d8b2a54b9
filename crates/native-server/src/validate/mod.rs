//! `workflow-server validate`: the catalog's diagnostics for a folder, as rustc-style text, JSON,
//! SARIF 2.1.0 (for code-scanning upload) or GitHub Actions annotations, filtered by code, with
//! an exit status a CI job can gate on (warning limits as eslint has them).

mod github;
mod sarif;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use workflow_core::catalog::Library;
use workflow_core::diagnostic::{Code, Diagnostic};

use crate::files::{DEFAULT_MAX_FOLDER_BYTES, read_tree};

#[derive(clap::Args)]
#[command(after_long_help = EXIT_STATUS)]
pub struct ValidateArgs {
    /// The workflows root (one sub-folder per workflow).
    #[arg(default_value = "workflows")]
    dir: PathBuf,
    /// How to print the diagnostics on stdout; the summary and the reason for a failing exit
    /// status go to stderr.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when any warning is reported (the same as `--max-warnings 0`).
    #[arg(long, conflicts_with = "max_warnings")]
    deny_warnings: bool,
    /// Exit 1 when more than N warnings are reported.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Report only diagnostics with this code (repeatable). The codes, with their causes and
    /// fixes, are listed in docs/formats.md#diagnostic-codes.
    #[arg(long, value_name = "CODE", value_parser = code_parser())]
    only: Vec<Code>,
    /// Leave out diagnostics with this code (repeatable; the same codes as `--only`).
    #[arg(long, value_name = "CODE", value_parser = code_parser(), hide_possible_values = true)]
    ignore: Vec<Code>,
    /// The most bytes the folder's files may hold in all (as `serve --max-workflows-bytes`).
    #[arg(long, default_value_t = DEFAULT_MAX_FOLDER_BYTES, value_name = "BYTES")]
    max_workflows_bytes: u64,
}

const EXIT_STATUS: &str = "\
Exit status: 0 when no error is reported and the warnings are within --deny-warnings or \
--max-warnings; 1 otherwise; 2 when the folder cannot be read or an option is wrong. Only the \
diagnostics left after --only and --ignore count.";

/// The output formats of `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One rustc-style line per diagnostic: `file:line:col: severity[code]: message`.
    Text,
    /// One JSON array of diagnostics (the npm package's `validate` returns the same).
    Json,
    /// A SARIF 2.1.0 log for code-scanning upload; file URIs are relative to the folder.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE::message`),
    /// shown as annotations on the files; paths are the folder as given joined with the file.
    Github,
}

/// A parser that accepts exactly the diagnostic codes, so a misspelt one is a usage error that
/// lists the valid codes (and suggests the closest).
fn code_parser() -> impl TypedValueParser<Value = Code> {
    PossibleValuesParser::new(Code::ALL.iter().map(|c| c.as_str()))
        .map(|name| Code::parse(&name).expect("the parser accepts only the names of Code::ALL"))
}

impl ValidateArgs {
    fn keeps(&self, d: &Diagnostic) -> bool {
        (self.only.is_empty() || self.only.contains(&d.code)) && !self.ignore.contains(&d.code)
    }

    /// The most warnings that still pass.
    fn warning_limit(&self) -> Option<usize> {
        if self.deny_warnings {
            Some(0)
        } else {
            self.max_warnings
        }
    }
}

pub fn run(args: &ValidateArgs) -> Result<ExitCode> {
    let files = read_tree(&args.dir, args.max_workflows_bytes)?;
    let file_count = files.len();
    let library = Library::load(files);
    let all = library.diagnostics();
    let reported: Vec<&Diagnostic> = all.iter().filter(|d| args.keeps(d)).collect();
    let errors = reported.iter().filter(|d| d.is_error()).count();
    let warnings = reported.len() - errors;

    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Text => {
            for d in &reported {
                writeln!(stdout, "{d}")?;
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut stdout, &reported)?;
            writeln!(stdout)?;
        }
        Format::Sarif => {
            let log = sarif::log(&args.dir, &reported)?;
            serde_json::to_writer_pretty(&mut stdout, &log)?;
            writeln!(stdout)?;
        }
        Format::Github => {
            for d in &reported {
                writeln!(stdout, "{}", github::annotation(&args.dir, d))?;
            }
        }
    }
    stdout.flush()?;

    let filtered = all.len() - reported.len();
    let workflows = library.workflows().count();
    eprintln!(
        "{errors} error(s), {warnings} warning(s) in {workflows} workflow(s), {file_count} file(s) read{}",
        if filtered > 0 {
            format!("; {filtered} diagnostic(s) left out by --only/--ignore")
        } else {
            String::new()
        }
    );
    let over_limit = args.warning_limit().filter(|limit| warnings > *limit);
    if let Some(limit) = over_limit {
        if args.deny_warnings {
            eprintln!("failing: {warnings} warning(s) and --deny-warnings");
        } else {
            eprintln!("failing: {warnings} warning(s), more than --max-warnings {limit}");
        }
    }
    Ok(if errors > 0 || over_limit.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The path of `file` (relative to the workflows root) as seen from where the command runs:
/// `dir` as the user wrote it joined with `file`, `/`-separated, without a leading `./`.
fn path_from_cwd(dir: &Path, file: &str) -> String {
    let dir = dir.to_string_lossy().replace('\\', "/");
    let dir = dir.strip_prefix("./").unwrap_or(&dir);
    match dir.trim_end_matches('/') {
        "" if dir.starts_with('/') => format!("/{file}"),
        "" | "." => file.to_owned(),
        dir => format!("{dir}/{file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_as_written() {
        let cases = [
            ("workflows", "workflows/a/workflow.yaml"),
            ("workflows/", "workflows/a/workflow.yaml"),
            ("./workflows", "workflows/a/workflow.yaml"),
            (".", "a/workflow.yaml"),
            ("./", "a/workflow.yaml"),
            ("/srv/lib/", "/srv/lib/a/workflow.yaml"),
            ("/", "/a/workflow.yaml"),
        ];
        for (dir, expected) in cases {
            assert_eq!(
                path_from_cwd(Path::new(dir), "a/workflow.yaml"),
                expected,
                "{dir}"
            );
        }
    }
}
