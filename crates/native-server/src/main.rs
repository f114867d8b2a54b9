//! The `workflow-server` binary: the host of the core library. It serves MCP (stdio by default,
//! or streamable HTTP), validates and migrates workflow folders and rotates the signing key.

mod changes;
mod clock;
mod embedded;
mod files;
mod http;
mod keyfile;
mod logging;
mod mcp;
mod migrate;
mod pg;
mod serve;
mod sessions;
mod state;
mod stdio;
mod store;
mod validate;
mod wait;
mod workflows;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "workflow-server",
    version,
    about = "Serves structured AI-agent workflows over MCP",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `serve` runs with these options.
    #[command(flatten)]
    serve: serve::ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve MCP over stdio (the default) or streamable HTTP.
    Serve(serve::ServeArgs),
    /// Check a workflows folder and print every problem with its file, line and column, as
    /// text, JSON, SARIF or GitHub Actions annotations; fail on errors or on too many warnings.
    Validate(validate::ValidateArgs),
    /// Rewrite a workflows folder in one format (TOON, YAML or JSON), in place or into a new
    /// folder, keeping activity references valid and comments where the format has them.
    Migrate(migrate::MigrateArgs),
    /// Make a new signing key; the old one keeps verifying the tokens it signed. Servers on
    /// the same PostgreSQL database pick the new key up at once, a server on the state folder
    /// when it next starts.
    RotateKey {
        #[command(flatten)]
        state: state::StateArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::Migrate(args)) => migrate::run(&args),
        Some(Command::RotateKey { state }) => rotate_key(&state),
        Some(Command::Serve(args)) => serve(args),
        None => serve(cli.serve),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: serve::ServeArgs) -> anyhow::Result<ExitCode> {
    logging::init();
    // Two workers: calls are short and the durable commit runs on the blocking pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve::run(args))?;
    Ok(ExitCode::SUCCESS)
}

fn rotate_key(state: &state::StateArgs) -> anyhow::Result<ExitCode> {
    logging::init();
    let ring = state::rotate_key(state, clock::now_ms())?;
    eprintln!(
        "new current key {}; {} retired key(s) still verify",
        ring.current().id(),
        ring.retired().len()
    );
    Ok(ExitCode::SUCCESS)
}
