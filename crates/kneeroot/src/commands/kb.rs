//! `kneeroot kb …`: check, list and export the knowledge base.

use std::path::Path;

use anyhow::Context;
use kneeroot_core::Knowledge;
use kneeroot_core::report::answers_doc;

use super::Failure;
use crate::cli::KbCommand;
use crate::knowledge_source;

/// Run a `kb` subcommand.
pub fn run(knowledge: Option<&Path>, cmd: &KbCommand) -> Result<(), Failure> {
    match cmd {
        KbCommand::Check { dir } => check(dir.as_deref().or(knowledge)),
        KbCommand::Exercises => {
            let kb = knowledge_source::load(knowledge)?;
            println!("{:<34} {:>4}  {:<22} {:<16} name", "id", "step", "targets", "equipment");
            for e in kb.exercises() {
                let targets: Vec<&str> = e.targets.iter().map(|t| kb.causes()[*t].id.as_str()).collect();
                let equipment = if e.equipment.is_empty() { "-".to_owned() } else { e.equipment.join(",") };
                let floor = if e.floor { " (floor)" } else { "" };
                println!("{:<34} {:>4}  {:<22} {:<16} {}{}", e.id, e.step, targets.join(","), equipment, e.name, floor);
            }
            Ok(())
        }
        KbCommand::AnswersDoc => {
            let kb = knowledge_source::load(knowledge)?;
            print!("{}", answers_doc(&kb));
            Ok(())
        }
        KbCommand::Dump { dir } => dump(dir),
    }
}

fn check(dir: Option<&Path>) -> Result<(), Failure> {
    let overrides = match dir {
        Some(d) => knowledge_source::read_overrides(d).map_err(Failure::input)?,
        None => Vec::new(),
    };
    match Knowledge::with_overrides(&overrides) {
        Ok(kb) => {
            println!(
                "ok: knowledge base {} — {} questions, {} red-flag rules, {} evidence links, {} exercises, {} FAQ answers, {} sources",
                kb.version(),
                kb.questions().len(),
                kb.red_flag_rules().len(),
                kb.links().len(),
                kb.exercises().len(),
                kb.faq().len(),
                kb.sources().len()
            );
            Ok(())
        }
        Err(errors) => {
            for e in &errors.0 {
                println!("{e}");
            }
            Err(Failure::failed(anyhow::anyhow!("{} problem(s) found in the knowledge base", errors.0.len())))
        }
    }
}

fn dump(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display())).map_err(Failure::input)?;
    for (name, text) in Knowledge::embedded_files() {
        let path = dir.join(name);
        if path.exists() {
            println!("kept {} (already there)", path.display());
            continue;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::failed)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
