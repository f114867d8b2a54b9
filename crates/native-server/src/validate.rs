//! `workflow-server validate`: the catalog's diagnostics for a folder, as text or JSON.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use workflow_core::catalog::Library;

use crate::OutputFormat;
use crate::files::read_tree;

pub fn run(dir: &Path, format: OutputFormat) -> Result<ExitCode> {
    let files = read_tree(dir)?;
    let file_count = files.len();
    let library = Library::load(files);
    let diagnostics = library.diagnostics();
    let mut stdout = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, diagnostics)?;
            writeln!(stdout)?;
        }
        OutputFormat::Text => {
            for d in diagnostics {
                writeln!(stdout, "{d}")?;
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            let workflows = library.workflows().count();
            eprintln!(
                "{errors} error(s), {warnings} warning(s) in {workflows} workflow(s), {file_count} file(s) read"
            );
        }
    }
    Ok(if library.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
