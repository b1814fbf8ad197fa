//! `kneeroot progression --sessions FILE`: the pain-monitoring model's decision for one exercise.

use std::path::Path;

use anyhow::Context;
use kneeroot_core::progression::{ExerciseContext, SessionReport, decide};
use serde_json::json;

use super::Failure;
use crate::cli::{Format, ProgressionArgs};
use crate::knowledge_source;

/// Print `{"decision", "reason"}` for the sessions in the file.
pub fn run(knowledge: Option<&Path>, args: &ProgressionArgs) -> Result<(), Failure> {
    let kb = knowledge_source::load(knowledge)?;
    let text = std::fs::read_to_string(&args.sessions)
        .with_context(|| format!("cannot read the sessions file {}", args.sessions.display()))
        .map_err(Failure::input)?;
    let sessions = parse(&text).map_err(|e| Failure::input(anyhow::anyhow!("{}: {e}", args.sessions.display())))?;
    let ctx = ExerciseContext { tendon: args.tendon, ..ExerciseContext::default() };
    let d = decide(kb.progression(), &sessions, &ctx);
    let decision = match d.decision {
        kneeroot_core::progression::DecisionKind::Progress => "progress",
        kneeroot_core::progression::DecisionKind::Hold => "hold",
        kneeroot_core::progression::DecisionKind::Regress => "regress",
    };
    match args.format {
        Format::Json => println!("{}", json!({"decision": decision, "reason": d.reason})),
        Format::Text | Format::Markdown => println!("{}: {}", decision.to_uppercase(), d.reason),
    }
    Ok(())
}

/// Parse the sessions array, naming the session and field of any problem.
fn parse(text: &str) -> Result<Vec<SessionReport>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let items = value.as_array().ok_or("expected a JSON array of sessions, oldest first")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let s: SessionReport = serde_json::from_value(item.clone()).map_err(|e| {
                format!("session {} (counting from 1): {e}; expected {{\"pain_during\": 0-10, \"pain_next_morning\": 0-10 or null, \"baseline\": 0-10, \"quality_ok\": true/false}}", i + 1)
            })?;
            s.validate().map_err(|e| format!("session {}: {e}", i + 1))?;
            Ok(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn problems_name_the_session_and_the_field() {
        assert!(parse("{}").unwrap_err().contains("array"));
        let e = parse(r#"[{"pain_during": 3, "pain_next_morning": 2, "baseline": 2, "quality_ok": true}, {"pain_during": 12, "pain_next_morning": 2, "baseline": 2, "quality_ok": true}]"#).unwrap_err();
        assert!(e.contains("session 2") && e.contains("pain_during = 12"), "{e}");
        let e = parse(r#"[{"pain_during": 3, "baseline": 2, "quality_ok": "yes"}]"#).unwrap_err();
        assert!(e.contains("session 1"), "{e}");
        assert!(parse(r#"[{"pain_during": 3, "pain_next_morning": null, "baseline": 2, "quality_ok": true}]"#).is_ok());
    }
}
