//! `noharm`: threat modeling and risk operations for clinical AI systems,
//! ranked by patient harm first.

mod cli;
mod commands;
mod exit;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.verbose);
    let mut out = Output::new(cli.global.color);

    let result = match &cli.command {
        Command::Analyze(args) => commands::analyze::run(args, &mut out),
        Command::Catalog(command) => commands::catalog::run(command, &mut out),
        Command::Check(args) => commands::check::run(args, &mut out),
        Command::Diagram(args) => commands::diagram::run(args, &mut out),
        Command::Tree(args) => commands::tree::run(args, &mut out),
        Command::Schema(args) => commands::schema::run(args, &mut out),
        Command::Completions(args) => commands::completions::run(args, &mut out),
    };

    match result {
        Ok(code) => code.into(),
        Err(error) => {
            out.report_failure(&error);
            exit::Code::Usage.into()
        }
    }
}

/// Logs go to standard error, at warn by default; `-v` raises the level and
/// `NOHARM_LOG` (an env-filter directive) overrides it.
fn init_logging(verbosity: u8) {
    let default_level = match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NOHARM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
