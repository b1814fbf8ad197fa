//! Red-flag triage: the first thing every assessment does, and the thing that pre-empts everything else.
//!
//! Each rule of `red_flags.toml` is a condition with a level. All rules are evaluated; the highest level
//! that fired is the result, and every fired rule is a reason (highest level first, then file order), so a
//! person who is sent to the emergency department also learns about the urgent problem behind it. At
//! `emergency` and `urgent` no plan is produced anywhere. Rule text may name the criteria a decision rule
//! met with the placeholders `{ottawa}` and `{pittsburgh}`.

mod rules;

use serde::{Deserialize, Serialize};

use crate::facts::AnswerFacts;
use crate::knowledge::TriageLevel;

pub use rules::{DecisionRule, KneeRule, RuleOutcome, ottawa, pittsburgh};

/// Why the person was triaged to a level, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The red-flag rule id.
    pub id: String,
    /// What was found, in plain words.
    pub text: String,
    /// What to do.
    pub action: String,
    /// The level this reason alone triggers.
    #[serde(skip, default)]
    pub level: TriageLevel,
}

/// The triage verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    /// The highest level that fired, or self-care.
    pub level: TriageLevel,
    /// Every rule that fired.
    pub reasons: Vec<Reason>,
}

/// Run every red-flag rule over the facts.
pub fn triage(facts: &AnswerFacts<'_>) -> Triage {
    let kb = facts.kb();
    let mut reasons: Vec<Reason> = kb
        .red_flag_rules()
        .iter()
        .filter(|r| r.when.eval(facts).is_true())
        .map(|r| Reason { id: r.id.clone(), text: fill(&r.text, facts), action: r.action.clone(), level: r.level })
        .collect();
    // Stable sort: highest level first, file order within a level.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let level = reasons.first().map_or(TriageLevel::SelfCare, |r| r.level);
    Triage { level, reasons }
}

fn fill(text: &str, facts: &AnswerFacts<'_>) -> String {
    let mut out = text.to_owned();
    for (placeholder, which) in [("{ottawa}", DecisionRule::Ottawa), ("{pittsburgh}", DecisionRule::Pittsburgh)] {
        if out.contains(placeholder) {
            let because = facts.rule(which).map(|r| r.because.join("; ")).unwrap_or_default();
            out = out.replace(placeholder, &because);
        }
    }
    out
}

#[cfg(test)]
mod tests;
