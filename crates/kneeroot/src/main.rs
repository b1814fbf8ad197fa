//! # kneeroot (the binary)
//!
//! A thin shell over `kneeroot-core`: it parses the command line, reads files, calls the pure core and
//! prints. All clinical logic lives in the core; anything that touches the outside world lives here.
//!
//! Exit status: 0 on success; 1 when a check finds problems or something fails; 2 for bad input (an
//! unreadable file, an invalid answer, a broken knowledge folder), with a message naming what was wrong.

mod cli;
mod commands;
mod demo;
mod knowledge_source;
mod serve;
mod settings;
mod wizard;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Assess(args) => commands::assess::run(cli.knowledge.as_deref(), args),
        Command::Kb(kb) => commands::kb::run(cli.knowledge.as_deref(), kb),
        Command::Faq { words } => commands::faq::run(cli.knowledge.as_deref(), words),
        Command::Serve(args) => serve::run(cli.knowledge.as_deref(), args),
        Command::Progression(args) => commands::progression::run(cli.knowledge.as_deref(), args),
        Command::Admin(cmd) => commands::admin::run(cmd),
        Command::Backup(args) => commands::backup::backup(args),
        Command::Restore(args) => commands::backup::restore(args),
        Command::Score(score) => commands::score::run(score),
        Command::Squat(squat) => commands::squat::run(cli.knowledge.as_deref(), squat),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, error }) => {
            eprintln!("kneeroot: {error:#}");
            ExitCode::from(code)
        }
    }
}
