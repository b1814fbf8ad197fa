//! Red flags reported in a check-in pre-empt everything: the person's answers plus the new flags go
//! through triage again, and at `urgent` or `emergency` the plan stops until they have been seen.

use serde_json::Value as Json;

use crate::answers::{AnswerError, Answers};
use crate::facts::AnswerFacts;
use crate::knowledge::Knowledge;
use crate::triage::{Triage, triage};

/// The red-flag answer ids a check-in reported as newly present (e.g. `flag.knee_locked`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckinFlags(pub Vec<String>);

/// Triage the person's answers with the check-in's new red flags set to yes.
///
/// # Errors
/// An id that is not a red-flag question of the knowledge base.
pub fn checkin_triage(kb: &Knowledge, base: &Answers, flags: &CheckinFlags) -> Result<Triage, AnswerError> {
    let mut answers = base.clone();
    for id in &flags.0 {
        let is_flag = kb.question(id).is_some_and(|q| q.group == "flags");
        if !is_flag {
            return Err(AnswerError {
                id: id.clone(),
                value: "true".into(),
                allowed: "a red-flag question id (flag.…)".into(),
            });
        }
        answers.set(kb, id, &Json::Bool(true))?;
    }
    Ok(triage(&AnswerFacts::new(kb, &answers)))
}
