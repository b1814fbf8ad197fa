//! `kneeroot score koos|kujala --answers FILE`: score an outcome questionnaire exactly.
//!
//! The answers file is JSON (the questionnaires are short, flat maps, and JSON is what forms and scripts
//! produce). The JSON output is the core's result unchanged, numbers unrounded and `null` where a score
//! cannot be computed, so a script gets exactly what the web application would store; the text output
//! rounds to one decimal and says why a score is missing. Bad input exits with status 2 and a message
//! naming the file, the item and what is allowed.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, anyhow};
use kneeroot_core::outcomes::{
    KOOS_PS_ITEMS, KOOS12_FUNCTION_ITEMS, KOOS12_MIN_ANSWERED, KOOS12_PAIN_ITEMS, KOOS12_QOL_ITEMS, KoosAnswers,
    KoosScores, KoosSubscale, KujalaAnswers, KujalaScore, OutcomeError, display_score, score_koos, score_kujala,
};
use serde::Serialize;
use serde_json::Value as Json;

use super::Failure;
use crate::cli::{ScoreArgs, ScoreCommand, ScoreFormat};

/// Score the questionnaire in the answers file and print the result.
pub fn run(command: &ScoreCommand) -> Result<(), Failure> {
    match command {
        ScoreCommand::Koos(args) => {
            let answers = parse(args, KoosAnswers::from_json)?;
            let scores = score_koos(&answers);
            print(args.format, &scores, || koos_text(&answers, &scores))
        }
        ScoreCommand::Kujala(args) => {
            let answers = parse(args, KujalaAnswers::from_json)?;
            let score = score_kujala(&answers);
            print(args.format, &score, || kujala_text(&answers, &score))
        }
    }
}

fn parse<T>(args: &ScoreArgs, from_json: fn(&Json) -> Result<T, OutcomeError>) -> Result<T, Failure> {
    let path: &Path = &args.answers;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the answers file {}", path.display()))
        .map_err(Failure::input)?;
    let json: Json = serde_json::from_str(&text)
        .map_err(|e| Failure::input(anyhow!("{} is not valid JSON: {e}", path.display())))?;
    from_json(&json).map_err(|e| Failure::input(anyhow!("{}: {e}", path.display())))
}

fn print(format: ScoreFormat, result: &impl Serialize, text: impl FnOnce() -> String) -> Result<(), Failure> {
    let out = match format {
        ScoreFormat::Json => {
            serde_json::to_string_pretty(result).context("cannot write the scores as JSON").map_err(Failure::failed)?
                + "\n"
        }
        ScoreFormat::Text => text(),
    };
    print!("{out}");
    Ok(())
}

/// One line of the text report: a label and a rounded score, or why there is none.
fn line(out: &mut String, label: &str, score: Option<f64>, why_not: impl FnOnce() -> String) {
    let value = score.map_or_else(|| format!("not scored: {}", why_not()), display_score);
    // Writing to a String cannot fail.
    let _ = writeln!(out, "  {label:<22}{value}");
}

fn koos_text(answers: &KoosAnswers, scores: &KoosScores) -> String {
    let mut out = String::from("KOOS (scoring 2012; 0 = extreme problems, 100 = no problems)\n");
    for s in KoosSubscale::ALL {
        line(&mut out, s.name(), scores.subscale(s), || {
            format!(
                "{} of {} items answered, at least {} needed",
                answers.answered(s),
                s.items().len(),
                s.min_answered()
            )
        });
    }
    out.push_str("\nKOOS-12 (0 = worst, 100 = best)\n");
    let k = &scores.koos12;
    for (label, score, items) in [
        ("Pain", k.pain, &KOOS12_PAIN_ITEMS),
        ("Function", k.function, &KOOS12_FUNCTION_ITEMS),
        ("Quality of life", k.qol, &KOOS12_QOL_ITEMS),
    ] {
        line(&mut out, label, score, || {
            let answered = items.iter().filter(|id| answers.get(id).is_some()).count();
            format!(
                "{answered} of {} items answered ({}), at least {KOOS12_MIN_ANSWERED} needed",
                items.len(),
                items.join(", ")
            )
        });
    }
    line(&mut out, "Summary", k.summary, || "all three scales are needed".to_owned());
    out.push_str("\nKOOS-PS (in KOOS direction: 100 = no difficulty, 0 = extreme difficulty)\n");
    line(&mut out, "Physical function", scores.koos_ps, || {
        let missing: Vec<&str> = KOOS_PS_ITEMS.iter().copied().filter(|id| answers.get(id).is_none()).collect();
        format!("all 7 items are needed; missing {}", missing.join(", "))
    });
    out.push_str("\nShown to one decimal; --format json gives the unrounded scores.\n");
    out
}

fn kujala_text(answers: &KujalaAnswers, score: &KujalaScore) -> String {
    match score.total {
        Some(total) => {
            format!("Kujala anterior knee pain scale ({}): {total} / 100 (higher is better)\n", score.version)
        }
        None => {
            let missing: Vec<String> = answers.missing().iter().map(u8::to_string).collect();
            format!(
                "Kujala anterior knee pain scale ({}): not scored: all 13 items are needed; missing item {}\n",
                score.version,
                missing.join(", ")
            )
        }
    }
}
