//! The `workflow-server` binary: the host of the core library.

mod files;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "workflow-server",
    version,
    about = "Serves structured AI-agent workflows over MCP"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a workflows folder and print every problem with its file, line and column.
    Validate {
        /// The workflows root (one sub-folder per workflow).
        #[arg(default_value = "workflows")]
        dir: PathBuf,
        /// `text` prints rustc-style lines; `json` prints one JSON array of diagnostics.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Validate { dir, format } => validate::run(&dir, format),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
