//! `kneeroot squat analyse --landmarks FILE`: measure a filmed squat from its pose landmarks.
//!
//! The file is what the camera page's browser code produces (the pose model runs on the person's device
//! and only landmarks leave it), so a clinician or a developer can re-run an analysis, try changed
//! thresholds with `--knowledge`, or check a recording from a script. Reading and bounding the file is the
//! core's (`kneeroot_core::camera::input`), measuring is `kneeroot-squat`'s, and the JSON is the same
//! contract the API returns; this module only reads, calls and prints. Bad input exits with status 2 and a
//! message naming the file and the place in it.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow};
use kneeroot_core::camera::output::{finding_value, to_json};
use kneeroot_core::camera::provenance::confidence_words;
use kneeroot_core::camera::{Analysis, Measure, analyse, input::parse_recording};

use super::Failure;
use crate::cli::{SquatArgs, SquatCommand, SquatFormat};
use crate::knowledge_source;

/// Run a `kneeroot squat` subcommand.
pub fn run(knowledge: Option<&Path>, command: &SquatCommand) -> Result<(), Failure> {
    match command {
        SquatCommand::Analyse(args) => analyse_file(knowledge, args),
    }
}

fn analyse_file(knowledge: Option<&Path>, args: &SquatArgs) -> Result<(), Failure> {
    let kb = knowledge_source::load(knowledge)?;
    let (name, text) = read(&args.landmarks)?;
    let recording = parse_recording(&text).map_err(|e| Failure::input(anyhow!("{name}: {e}")))?;
    let analysis = analyse(&kb, &recording);
    let out = match args.format {
        SquatFormat::Json => {
            serde_json::to_string_pretty(&to_json(&analysis))
                .context("cannot write the analysis as JSON")
                .map_err(Failure::failed)?
                + "\n"
        }
        SquatFormat::Text => summary(&analysis),
    };
    print!("{out}");
    Ok(())
}

/// The file's text and the name to use for it in messages; `-` is standard input.
fn read(path: &Path) -> Result<(String, String), Failure> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the landmark series from standard input")
            .map_err(Failure::input)?;
        Ok(("standard input".to_owned(), text))
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the landmark file {}", path.display()))
            .map_err(Failure::input)?;
        Ok((path.display().to_string(), text))
    }
}

/// The analysis in a few lines: what was seen, what is proposed and how sure, what could not be told.
fn summary(a: &Analysis) -> String {
    // Writing to a String cannot fail.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Squat screen, {} view: {} rep{} found; a person was found in {} of {} frames.",
        a.view.as_str(),
        a.reps.len(),
        if a.reps.len() == 1 { "" } else { "s" },
        a.quality.frames_with_pose,
        a.quality.frames
    );
    if let Some(side) = a.single_leg_stance {
        let _ = writeln!(out, "One-leg squat, standing on the {} leg.", side.as_str());
    }

    out.push_str("\nProposed answers (confirm or change each one; what you say wins):\n");
    if a.findings.is_empty() {
        out.push_str("  none: nothing was measured clearly enough to propose an answer.\n");
    }
    for f in &a.findings {
        let _ = writeln!(
            out,
            "  {} = {}  (confidence {:.2}, {})\n    {}",
            f.answer_id,
            finding_value(f.value),
            f.confidence,
            confidence_words(f.confidence),
            f.explanation
        );
    }

    if !a.metrics.is_empty() {
        out.push_str("\nMeasurements:\n");
        for m in &a.metrics {
            let value = match m.value {
                Measure::Single(v) => one_decimal(v),
                Measure::PerSide { left, right } => format!("left {}, right {}", side(left), side(right)),
            };
            let _ = writeln!(out, "  {}: {value}  (confidence {:.2})", m.name, m.confidence);
        }
    }

    if !a.not_assessed.is_empty() {
        out.push_str("\nNot assessed from this view:\n");
        for n in &a.not_assessed {
            let _ = writeln!(out, "  {}: {}", n.answer_id, n.reason);
        }
    }

    if !a.quality.issues.is_empty() {
        out.push_str("\nRecording quality:\n");
        for issue in &a.quality.issues {
            let _ = writeln!(out, "  - {issue}");
        }
    }

    out.push_str(
        "\nThis is a screening, not a diagnosis: one camera sees a flat picture, so these numbers are \
         estimates of how you moved, not measurements of your joints.\n",
    );
    out
}

fn side(value: Option<f64>) -> String {
    value.map_or_else(|| "not measured".to_owned(), one_decimal)
}

/// One decimal, without the "-0.0" a tiny negative value would print as.
fn one_decimal(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    format!("{:.1}", if rounded == 0.0 { 0.0 } else { rounded })
}
