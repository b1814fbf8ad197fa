//! The command line, declared with clap. Parsing only: each subcommand's work lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find the root cause of knee pain and turn it into a plan. Decision support, not a diagnosis.
#[derive(Debug, Parser)]
#[command(name = "kneeroot", version, about, long_about = None)]
pub struct Cli {
    /// A folder of knowledge-base files that replace the shipped ones of the same name.
    #[arg(long, global = true, env = "KNEEROOT_KNOWLEDGE", value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess knee pain: interactively, or from an answers file.
    Assess(AssessArgs),
    /// Inspect and check the knowledge base.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Search the answers to common questions (all of them without words).
    Faq {
        /// Words to search for, e.g. `arthritis` or `exercise with pain`.
        words: Vec<String>,
    },
}

/// Options of `kneeroot assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Read the answers from this file (TOML or JSON, by extension or content) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Text,
    /// The result JSON of the assessment contract.
    Json,
    /// Markdown.
    Markdown,
}

/// `kneeroot kb …`
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate the knowledge base (shipped, or DIR laid over it); every error names file and key.
    Check {
        /// A folder of knowledge-base files to check (laid over the shipped ones).
        dir: Option<PathBuf>,
    },
    /// List the exercise library.
    Exercises,
    /// Print docs/answers.md (every answer id with its question), generated from the knowledge base.
    AnswersDoc,
    /// Write the shipped knowledge-base files into DIR, as a starting point for local changes.
    Dump {
        /// Where to write them (created if needed; existing files are not overwritten).
        dir: PathBuf,
    },
}
