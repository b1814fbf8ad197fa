//! Rendering a result for people: plain text for the terminal, Markdown for files and messages.
//!
//! Both renderings are built by one function over a tiny [`Writer`] trait, so they can never disagree in
//! content. The wording follows how a good clinician talks: if a red flag fired, only where to go and why
//! (no causes, no exercises); otherwise the likely causes with "because you said …", the patterns this
//! often goes with (never a diagnosis), what would sharpen the picture, and the plan with this week's
//! exercises. Every rendering ends by saying it is decision support, not a diagnosis.

mod answers_doc;
mod writer;

use serde_json::Value as Json;

use crate::answers::Answers;
use crate::assess::AssessmentResult;
use crate::infer::{Effect, RootCause};
use crate::knowledge::{Derived, Knowledge, TriageLevel};
use crate::plan::Plan;

pub use answers_doc::answers_doc;
pub use writer::{Markdown, Text, Writer};

/// The output formats for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text for a terminal.
    Text,
    /// Markdown.
    Markdown,
}

/// Render the result of `answers`.
pub fn render(kb: &Knowledge, answers: &Answers, result: &AssessmentResult, style: Style) -> String {
    match style {
        Style::Text => {
            let mut w = Text::default();
            write_result(kb, answers, result, &mut w);
            w.finish()
        }
        Style::Markdown => {
            let mut w = Markdown::default();
            write_result(kb, answers, result, &mut w);
            w.finish()
        }
    }
}

/// A word for a score, so people are not asked to interpret decimals.
pub fn likelihood(score: f64) -> &'static str {
    if score >= 0.7 {
        "likely"
    } else if score >= 0.45 {
        "possible"
    } else if score >= 0.2 {
        "less likely"
    } else {
        "unlikely"
    }
}

/// The plain label of an answer id or derived fact.
pub fn finding_label(kb: &Knowledge, finding: &str) -> String {
    if let Some(q) = kb.question(finding) {
        return q.text.clone();
    }
    match Derived::ALL.iter().find(|d| d.name() == finding) {
        Some(Derived::MinKneeToWall) => "Knee-to-wall distance (the stiffer side)".into(),
        Some(Derived::KneeToWallAsymmetry) => "Difference between the two sides in the knee-to-wall test".into(),
        Some(Derived::Ottawa) => "Ottawa Knee Rules".into(),
        Some(Derived::Pittsburgh) => "Pittsburgh Knee Rules".into(),
        None => finding.to_owned(),
    }
}

/// The plain rendering of an answer value, using option labels and units.
pub fn value_label(kb: &Knowledge, finding: &str, value: &Json) -> String {
    let q = kb.question(finding);
    let label = |s: &str| q.map_or_else(|| s.replace('_', " "), |q| q.label_of(s).to_owned());
    let unit = q.and_then(|q| q.unit.clone()).or_else(|| finding.ends_with("_cm").then(|| "cm".to_owned()));
    match value {
        Json::Bool(true) => "yes".into(),
        Json::Bool(false) => "no".into(),
        Json::Number(n) => {
            let n = crate::answers::format_number(n.as_f64().unwrap_or_default());
            match unit {
                Some(u) if u.starts_with('/') => format!("{n}{u}"),
                Some(u) => format!("{n} {u}"),
                None => n,
            }
        }
        Json::String(s) => label(s),
        Json::Array(items) if items.is_empty() => "none".into(),
        Json::Array(items) => items.iter().filter_map(Json::as_str).map(label).collect::<Vec<_>>().join(", "),
        Json::Null | Json::Object(_) => "not answered".into(),
    }
}

fn write_result(kb: &Knowledge, answers: &Answers, r: &AssessmentResult, w: &mut dyn Writer) {
    w.title("Your knee: what kneeroot found");
    let level = r.triage.level;
    if level >= TriageLevel::Urgent {
        let heading = if level == TriageLevel::Emergency {
            "Get help now: go to the emergency department"
        } else {
            "Get seen today"
        };
        w.heading(heading);
        for reason in &r.triage.reasons {
            w.paragraph(&reason.text);
            w.bullet(&format!("What to do: {}", reason.action));
        }
        w.paragraph(
            "Please do not start exercises for this knee until you have been seen. Take these answers with you: \
             they will help whoever sees you.",
        );
        footer(r, w);
        return;
    }
    if level == TriageLevel::Soon {
        w.heading("See a clinician in the next few days");
        for reason in &r.triage.reasons {
            w.paragraph(&reason.text);
            w.bullet(&format!("What to do: {}", reason.action));
        }
        w.paragraph("Until then, the plan below holds only gentle exercises that are safe while you wait.");
    }

    let unanswered_flags: Vec<&str> = kb
        .questions()
        .iter()
        .filter(|q| q.group == "flags" && answers.get(kb, &q.id).is_none())
        .map(|q| q.text.as_str())
        .collect();
    if !unanswered_flags.is_empty() {
        w.heading("Safety questions not answered");
        w.paragraph(
            "kneeroot can only say self-management is safe if you have none of the warning signs. \
             You did not answer these, so please check them before starting the plan:",
        );
        for text in unanswered_flags {
            w.bullet(text);
        }
    }

    w.heading("What seems to be driving your knee pain");
    for (i, cause) in r.root_causes.iter().enumerate() {
        write_cause(kb, i + 1, cause, w);
    }
    if !r.presentations.is_empty() {
        w.heading("Patterns this often goes with (not a diagnosis)");
        for p in &r.presentations {
            let name = kb.presentations().iter().find(|x| x.id == p.id).map_or(p.id.as_str(), |x| x.name.as_str());
            w.bullet(&format!("{name} ({}): {}", likelihood(p.score), p.explanation));
        }
    }
    if !r.missing.is_empty() {
        w.heading("What would sharpen this");
        w.paragraph("Answering these would change the picture most:");
        for id in &r.missing {
            w.bullet(&finding_label(kb, id));
        }
    }
    if let Some(plan) = &r.plan {
        write_plan(plan, w);
    }
    footer(r, w);
}

fn write_cause(kb: &Knowledge, rank: usize, c: &RootCause, w: &mut dyn Writer) {
    let Some(cause) = kb.causes().iter().find(|x| x.id == c.id) else { return };
    w.subheading(&format!(
        "{rank}. {}: {} (score {:.2}, {} confidence)",
        cause.name,
        likelihood(c.score),
        c.score,
        c.confidence.as_str()
    ));
    // Naming the mechanism of a cause that is not likely would mislead, whatever its evidence.
    if !c.drivers.is_empty() && c.score >= 0.45 {
        let names: Vec<&str> = c
            .drivers
            .iter()
            .filter_map(|d| cause.drivers.iter().find(|x| &x.id == d).map(|x| x.name.as_str()))
            .collect();
        w.paragraph(&format!("Mainly: {}.", names.join("; ")));
    }
    if c.evidence.is_empty() {
        w.paragraph("None of your answers bears on this yet.");
        return;
    }
    w.paragraph("Because you said:");
    // One line per answer and direction: several links on the same answer are told together.
    let mut lines: Vec<(&str, Effect, String)> = Vec::new();
    for e in &c.evidence {
        match lines.iter_mut().find(|(f, eff, _)| *f == e.finding && *eff == e.effect) {
            Some((_, _, text)) => {
                text.push(' ');
                text.push_str(&e.explanation);
            }
            None => lines.push((
                &e.finding,
                e.effect,
                format!(
                    "{}: {}. {}",
                    finding_label(kb, &e.finding),
                    value_label(kb, &e.finding, &e.value),
                    e.explanation
                ),
            )),
        }
    }
    for (_, effect, text) in lines {
        let sign = if effect == Effect::For { "+" } else { "−" };
        w.bullet(&format!("{sign} {text}"));
    }
    if c.score >= 0.45 {
        w.paragraph(&format!("How sure can anyone be? {}", cause.evidence_statement));
    }
}

fn write_plan(plan: &Plan, w: &mut dyn Writer) {
    w.heading(&format!("Your plan: {} weeks in three steps", plan.weeks));
    for step in &plan.steps {
        w.subheading(&format!("Step {}: {} (from week {})", step.step, step.name, step.starts_week));
        if step.exercises.is_empty() {
            w.paragraph("Nothing yet: this step is added once you have been seen or once the earlier steps settle.");
        }
        for e in &step.exercises {
            w.bullet(&format!("{}: {}. {}", e.name, dose_text(&e.dose), e.why));
        }
    }
    let this_week: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.starts_week <= 1)
        .flat_map(|s| s.exercises.iter().map(|e| e.name.as_str()))
        .collect();
    if !this_week.is_empty() {
        w.subheading("This week");
        w.paragraph(&format!("Start with: {}.", this_week.join(", ")));
    }
    w.subheading("Exercising with pain");
    for rule in &plan.pain_rules {
        w.bullet(&rule.text);
    }
}

/// "2 × 10, held 30 s, 5 days a week"
pub fn dose_text(d: &crate::knowledge::Dose) -> String {
    let mut s = format!("{} × {}", d.sets, d.reps);
    if let Some(h) = d.hold_seconds {
        s.push_str(&format!(", held {h} s"));
    }
    let days = if d.per_week == 1 { "1 day a week".to_owned() } else { format!("{} days a week", d.per_week) };
    format!("{s}, {days}")
}

fn footer(r: &AssessmentResult, w: &mut dyn Writer) {
    w.rule();
    w.paragraph(&format!(
        "This is decision support, not a diagnosis. It is based only on your answers and cannot examine you. \
         If your knee gets worse, or something here worries you, see a physiotherapist or doctor. \
         (Knowledge base {}.)",
        r.knowledge_version
    ));
}

#[cfg(test)]
mod tests;
