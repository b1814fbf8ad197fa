//! `kneeroot assess`: from an answers file (for scripts) or by asking in the terminal.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::report::{Style, render};
use kneeroot_core::{Answers, Knowledge, assess};

use super::Failure;
use crate::cli::{AssessArgs, Format};
use crate::{knowledge_source, wizard};

/// Run an assessment and print the result.
pub fn run(knowledge: Option<&Path>, args: &AssessArgs) -> Result<(), Failure> {
    let kb = knowledge_source::load(knowledge)?;
    let answers = match &args.answers {
        Some(path) => read_answers(&kb, path)?,
        None => {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut out = std::io::stdout();
            let answers = wizard::ask(&kb, &mut input as &mut dyn BufRead, &mut out as &mut dyn Write)
                .context("the terminal went away")
                .map_err(Failure::failed)?;
            writeln!(out).ok();
            answers
        }
    };
    let result = assess(&kb, &answers);
    let text = match args.format {
        Format::Json => result.to_json_pretty() + "\n",
        Format::Text => render(&kb, &answers, &result, Style::Text),
        Format::Markdown => render(&kb, &answers, &result, Style::Markdown),
    };
    print!("{text}");
    Ok(())
}

fn read_answers(kb: &Knowledge, path: &Path) -> Result<Answers, Failure> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the answers file {}", path.display()))
        .map_err(Failure::input)?;
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => DocumentFormat::Json,
        Some("toml") => DocumentFormat::Toml,
        _ if text.trim_start().starts_with('{') => DocumentFormat::Json,
        _ => DocumentFormat::Toml,
    };
    Answers::parse_document(kb, &text, format)
        .map_err(|e| Failure::input(anyhow::anyhow!("{} has invalid answers:\n{e}", path.display())))
}
