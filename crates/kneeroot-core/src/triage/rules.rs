//! The Ottawa and Pittsburgh Knee Rules, applied exactly, with their exclusions and time windows.
//!
//! These are published decision rules, so they are code with tests on every criterion, not weights.
//! Their parameters (ages, windows) come from `red_flags.toml`. The outcome is `None` while the rule is
//! undecided: no criterion is met yet, but one that was not answered could still be.

use crate::answers::{Answers, Value};
use crate::knowledge::Knowledge;

/// Which decision rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRule {
    /// Ottawa Knee Rules (Stiell 1995).
    Ottawa,
    /// Pittsburgh Knee Rules (Seaberg 1994).
    Pittsburgh,
}

/// A decision rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOutcome {
    /// At least one criterion met: imaging indicated.
    Positive,
    /// Applicable and no criterion met.
    Negative,
    /// An exclusion applies, or the injury is not of the kind the rule was derived for (the rule cannot be
    /// trusted here); `because` says which.
    NotApplicable,
    /// The injury is older than the rule's window.
    NotAcute,
    /// No injury of the kind the rule is for.
    NoInjury,
}

impl RuleOutcome {
    /// The value conditions compare with.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleOutcome::Positive => "positive",
            RuleOutcome::Negative => "negative",
            RuleOutcome::NotApplicable => "not_applicable",
            RuleOutcome::NotAcute => "not_acute",
            RuleOutcome::NoInjury => "no_injury",
        }
    }
}

/// A decided rule with the criteria (or exclusions) behind the verdict, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KneeRule {
    /// The verdict.
    pub outcome: RuleOutcome,
    /// What was met (for positive) or what excluded it (for not applicable).
    pub because: Vec<String>,
}

impl KneeRule {
    fn new(outcome: RuleOutcome) -> Option<KneeRule> {
        Some(KneeRule { outcome, because: Vec::new() })
    }
}

fn bool_at(a: &Answers, i: usize) -> Option<bool> {
    match a.get_index(i) {
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

fn num_at(a: &Answers, i: usize) -> Option<f64> {
    a.get_index(i).and_then(Value::as_f64)
}

fn enum_at(a: &Answers, i: usize) -> Option<&str> {
    match a.get_index(i) {
        Some(Value::Enum(s)) => Some(s),
        _ => None,
    }
}

/// Combine criteria: positive if any is met, negative if all are decided unmet, else undecided.
fn verdict(criteria: &[(Option<bool>, String)]) -> Option<KneeRule> {
    let met: Vec<String> = criteria.iter().filter(|(c, _)| *c == Some(true)).map(|(_, s)| s.clone()).collect();
    if !met.is_empty() {
        return Some(KneeRule { outcome: RuleOutcome::Positive, because: met });
    }
    if criteria.iter().all(|(c, _)| *c == Some(false)) { KneeRule::new(RuleOutcome::Negative) } else { None }
}

/// The Ottawa Knee Rules: after an acute knee injury, X-ray if any of: age ≥ 55; tenderness at the head of
/// the fibula; isolated tenderness of the patella; cannot flex to 90°; cannot bear weight (4 steps) both
/// immediately and now. Not applied under the minimum age, with gross deformity or a prosthesis, or
/// beyond the window.
pub fn ottawa(kb: &Knowledge, a: &Answers) -> Option<KneeRule> {
    let k = kb.keys();
    let p = kb.ottawa();
    match enum_at(a, k.onset)? {
        "injury" => {}
        _ => return KneeRule::new(RuleOutcome::NoInjury),
    }
    if num_at(a, k.days_ago).is_some_and(|d| d > p.window_days) {
        return KneeRule::new(RuleOutcome::NotAcute);
    }
    let age = num_at(a, k.age);
    let mut exclusions = Vec::new();
    if age.is_some_and(|x| x < p.min_age as f64) {
        exclusions.push(format!("younger than {}", p.min_age));
    }
    if bool_at(a, k.deformity) == Some(true) {
        exclusions.push("the knee looks deformed".to_owned());
    }
    if bool_at(a, k.knee_replacement) == Some(true) {
        exclusions.push("a knee replacement in this knee".to_owned());
    }
    if !exclusions.is_empty() {
        return Some(KneeRule { outcome: RuleOutcome::NotApplicable, because: exclusions });
    }
    // "Isolated" patellar tenderness: the kneecap and no other bone.
    let isolated_patella = match bool_at(a, k.tender_kneecap_only) {
        Some(true) => Some(bool_at(a, k.tender_other_bone) != Some(true)),
        other => other,
    };
    let weight_bearing = match (bool_at(a, k.walked_right_after), bool_at(a, k.can_walk_now)) {
        (Some(false), Some(false)) => Some(true),
        (Some(true), _) | (_, Some(true)) => Some(false),
        _ => None,
    };
    verdict(&[
        (age.map(|x| x >= p.age_criterion as f64), format!("aged {} or over", p.age_criterion)),
        (bool_at(a, k.tender_fibula_head), "tender bone at the head of the fibula (outside of the knee)".to_owned()),
        (isolated_patella, "tenderness of the kneecap alone".to_owned()),
        (bool_at(a, k.can_bend_90).map(|b| !b), "cannot bend the knee to a right angle".to_owned()),
        (weight_bearing, "could not take 4 steps right after the injury and still cannot".to_owned()),
    ])
}

/// The Pittsburgh Knee Rules: after blunt trauma or a fall, X-ray if age < 12 or > 50, or unable to walk
/// 4 weight-bearing steps now. Excluded beyond the window or with previous surgery on that knee.
pub fn pittsburgh(kb: &Knowledge, a: &Answers) -> Option<KneeRule> {
    let k = kb.keys();
    let p = kb.pittsburgh();
    match enum_at(a, k.onset)? {
        "injury" => {}
        _ => return KneeRule::new(RuleOutcome::NoInjury),
    }
    match enum_at(a, k.mechanism)? {
        "fall_or_blow" => {}
        _ => {
            return Some(KneeRule {
                outcome: RuleOutcome::NotApplicable,
                because: vec!["not a fall or a blow".to_owned()],
            });
        }
    }
    if num_at(a, k.days_ago).is_some_and(|d| d > p.window_days) {
        return KneeRule::new(RuleOutcome::NotAcute);
    }
    if bool_at(a, k.previous_surgery) == Some(true) {
        return Some(KneeRule {
            outcome: RuleOutcome::NotApplicable,
            because: vec!["previous surgery on this knee".to_owned()],
        });
    }
    let age = num_at(a, k.age);
    verdict(&[
        (
            age.map(|x| x < p.younger_than as f64 || x > p.older_than as f64),
            format!("younger than {} or older than {}", p.younger_than, p.older_than),
        ),
        (bool_at(a, k.can_walk_now).map(|b| !b), "cannot walk 4 steps now".to_owned()),
    ])
}
