//! A clinician's caseload: which linked patients need a look first, and why.
//!
//! A physiotherapist with forty patients on home exercise cannot read forty diaries every morning. The
//! caseload puts a few **alerts** on each patient's row and the patients with alerts first:
//!
//! - **a warning sign** reported in a morning check-in since the latest assessment (any one);
//! - **morning pain rising**: the mean of the last `window_days` days at least `rise_points` above the
//!   mean of the `window_days` before, each window holding at least `min_reports` reports;
//! - **no real improvement by the review week**: from plan week `review_week`, the latest score of the
//!   function questionnaire (Kujala or KOOS-12) against the first is not a real improvement, judged with
//!   the meaningful-change thresholds of [`crate::outcomes`]. With only a first score there is nothing to
//!   judge: [`outcome_status`] says [`OutcomeStatus::NoFollowUp`] and no alert is raised, so a patient
//!   who has not repeated the questionnaire is never reported as not improving;
//! - **silence**: no check-in of any kind for `days` days, counted from the plan's start when there has
//!   been none.
//!
//! The thresholds are clinical knowledge, so they live in `knowledge/caseload.toml`
//! ([`CaseloadRules`]), each with its source and rationale. Alerts ask a clinician to look; they change
//! nothing. Like the rest of this crate, the functions here are pure: the web layer reads the store and
//! passes in what happened, as day numbers (days since 1970-01-01, UTC).

use serde::Serialize;

use crate::knowledge::CaseloadRules;
use crate::outcomes::{ChangeVerdict, Direction, MeaningfulChange, Measure, Reading};

/// Within this of a threshold counts as reaching it (means of small integers are not exact in binary).
const EPSILON: f64 = 1e-9;

/// One morning report, as far as the caseload is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MorningPain {
    /// The day of the morning.
    pub day: i64,
    /// Knee pain that morning, 0–10.
    pub pain: u8,
    /// The warning signs reported that morning (red-flag answer ids), usually none.
    pub flags: Vec<String>,
}

/// One stored score of the function questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionScore {
    /// The unrounded score.
    pub value: f64,
    /// The scoring version it was stored with (scores of different versions are never compared).
    pub version: String,
}

/// The scores of one function questionnaire, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionScores {
    /// What they measure (Kujala or KOOS-12 in practice).
    pub measure: Measure,
    /// The scores, oldest first; the first is the baseline.
    pub scores: Vec<FunctionScore>,
}

/// Where a patient is in their plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanPosition {
    /// The plan's first day.
    pub start_day: i64,
    /// The plan week today falls in (1-based).
    pub week: u32,
}

/// Everything the alerts are computed from, for one patient.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseloadInputs {
    /// Today.
    pub today: i64,
    /// The day of the latest assessment, if there is one.
    pub assessed_day: Option<i64>,
    /// The plan in force, if there is one.
    pub plan: Option<PlanPosition>,
    /// Morning reports, in any order (later days than `today` are ignored).
    pub mornings: Vec<MorningPain>,
    /// The latest day with any check-in (an exercise or a morning report), if any.
    pub last_checkin_day: Option<i64>,
    /// The function questionnaire's scores, if any were stored.
    pub function_scores: Option<FunctionScores>,
}

/// Why a patient needs a look. Ordered from the most to the least pressing (see [`Alert::rank`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alert {
    /// A warning sign was reported in a morning check-in since the latest assessment (the latest such
    /// morning).
    RedFlag {
        /// The day of the morning.
        day: i64,
        /// The red-flag answer ids reported.
        flags: Vec<String>,
    },
    /// Morning pain is rising.
    PainRising {
        /// The mean of the last window.
        recent_mean: f64,
        /// The mean of the window before.
        previous_mean: f64,
    },
    /// No real improvement of the function questionnaire by the review week.
    NoRealImprovement {
        /// The plan week now.
        week: u32,
        /// The change from the first score to the latest.
        verdict: ChangeVerdict,
    },
    /// No check-in for a while.
    Silent {
        /// Days since the last check-in (or since the plan started, when there has been none).
        days: i64,
        /// Whether there has been any check-in at all.
        ever: bool,
    },
}

impl Alert {
    /// 0 for the most pressing kind; the caseload sorts by it.
    pub fn rank(&self) -> u8 {
        match self {
            Alert::RedFlag { .. } => 0,
            Alert::PainRising { .. } => 1,
            Alert::NoRealImprovement { .. } => 2,
            Alert::Silent { .. } => 3,
        }
    }
}

/// What the function questionnaire shows so far.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeStatus {
    /// No score stored.
    NoScores,
    /// A first score, but no later one of the same scoring version to compare it with.
    NoFollowUp,
    /// The change from the first score to the latest of the same version.
    Compared(ChangeVerdict),
}

/// The change of the function questionnaire from the first score to the latest one of the same scoring
/// version, judged with `thresholds`.
pub fn outcome_status(scores: Option<&FunctionScores>, thresholds: &MeaningfulChange) -> OutcomeStatus {
    let Some(s) = scores else { return OutcomeStatus::NoScores };
    let Some((baseline, later)) = s.scores.split_first() else { return OutcomeStatus::NoScores };
    let Some(follow_up) = later.iter().rev().find(|f| f.version == baseline.version) else {
        return OutcomeStatus::NoFollowUp;
    };
    match thresholds.interpret(
        s.measure,
        Reading::new(baseline.value, &baseline.version),
        Reading::new(follow_up.value, &follow_up.version),
    ) {
        Ok(verdict) => OutcomeStatus::Compared(verdict),
        // A stored score outside its range cannot be judged; saying "no follow-up" is the honest
        // fallback, never a false alert.
        Err(_) => OutcomeStatus::NoFollowUp,
    }
}

/// The alerts for one patient, most pressing first. Uses the default meaningful-change thresholds.
pub fn alerts(rules: &CaseloadRules, inputs: &CaseloadInputs) -> Vec<Alert> {
    let mut out = Vec::new();
    if let Some(a) = red_flag(inputs) {
        out.push(a);
    }
    if let Some(a) = pain_rising(rules, inputs) {
        out.push(a);
    }
    if let Some(a) = no_real_improvement(rules, inputs) {
        out.push(a);
    }
    if let Some(a) = silent(rules, inputs) {
        out.push(a);
    }
    out
}

fn red_flag(inputs: &CaseloadInputs) -> Option<Alert> {
    inputs
        .mornings
        .iter()
        .filter(|m| !m.flags.is_empty() && m.day <= inputs.today)
        .filter(|m| inputs.assessed_day.is_none_or(|a| m.day >= a))
        .max_by_key(|m| m.day)
        .map(|m| Alert::RedFlag { day: m.day, flags: m.flags.clone() })
}

fn pain_rising(rules: &CaseloadRules, inputs: &CaseloadInputs) -> Option<Alert> {
    let r = &rules.pain_rising;
    let w = i64::from(r.window_days);
    // The recent window is today and the w − 1 days before it; the previous window the w days before that.
    let mean_of = |from: i64, to: i64| {
        let pains: Vec<f64> =
            inputs.mornings.iter().filter(|m| m.day >= from && m.day <= to).map(|m| f64::from(m.pain)).collect();
        (pains.len() >= r.min_reports as usize && !pains.is_empty())
            .then(|| pains.iter().sum::<f64>() / pains.len() as f64)
    };
    let recent = mean_of(inputs.today - w + 1, inputs.today)?;
    let previous = mean_of(inputs.today - 2 * w + 1, inputs.today - w)?;
    (recent - previous >= r.rise_points - EPSILON)
        .then_some(Alert::PainRising { recent_mean: recent, previous_mean: previous })
}

fn no_real_improvement(rules: &CaseloadRules, inputs: &CaseloadInputs) -> Option<Alert> {
    let week = inputs.plan?.week;
    if week < rules.no_change.review_week {
        return None;
    }
    match outcome_status(inputs.function_scores.as_ref(), &MeaningfulChange::default()) {
        OutcomeStatus::Compared(verdict) if verdict.direction != Direction::Improved => {
            Some(Alert::NoRealImprovement { week, verdict })
        }
        _ => None,
    }
}

fn silent(rules: &CaseloadRules, inputs: &CaseloadInputs) -> Option<Alert> {
    let plan = inputs.plan?;
    let since = inputs.last_checkin_day.map_or(plan.start_day, |d| d.max(plan.start_day));
    let days = inputs.today - since;
    (days >= i64::from(rules.silence.days)).then_some(Alert::Silent { days, ever: inputs.last_checkin_day.is_some() })
}

/// Sessions done against sessions planned over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Adherence {
    /// Exercise sessions checked in as done.
    pub done: u32,
    /// Exercise sessions the plan asked for.
    pub planned: u32,
}

impl Adherence {
    /// Done as a whole percentage of planned (above 100 when more was done than asked); `None` when
    /// nothing was planned.
    pub fn percent(&self) -> Option<u32> {
        (self.planned > 0).then(|| {
            let p = (f64::from(self.done) * 100.0 / f64::from(self.planned)).round();
            // Bounded by u32::MAX / planned × 100, far below u32::MAX for any real count.
            p.min(f64::from(u32::MAX)) as u32
        })
    }
}

#[cfg(test)]
#[path = "caseload_tests.rs"]
mod tests;
