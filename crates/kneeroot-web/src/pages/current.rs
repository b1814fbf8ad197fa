//! The plan in force for a signed-in person: the plan of their newest assessment with every later change
//! applied (progression decisions and clinicians' edits), plus the check-in history it is judged by.
//!
//! Days are whole UTC days since 1970-01-01; a check-in belongs to a day, and the next-morning report of
//! day D tells how the knee took the session of day D − 1.

use std::sync::Arc;

use kneeroot_core::knowledge::Knowledge;
use kneeroot_core::plan::{CurrentExercise, PlanEdit, apply_edits};
use kneeroot_core::progression::{Decision, DecisionKind, ExerciseContext, SessionReport, decide_all, step_may_open};
use kneeroot_store::{Day, ExerciseCheckin, MorningReport, PlanChange, PlanInputs, Store, UserId};

use super::plan::week_of;
use crate::cache::Parsed;
use crate::error::Problem;
use crate::state::AppState;

const DAY: i64 = 86_400;

/// Today, as a day number.
pub(crate) fn today(now: i64) -> Day {
    now.div_euclid(DAY)
}

/// A day as `YYYY-MM-DD`.
pub(crate) fn ymd(day: Day) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parse `YYYY-MM-DD`.
pub(crate) fn parse_ymd(s: &str) -> Option<Day> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return None;
    }
    // Days from civil (Howard Hinnant), then check the round trip so 31 February is refused.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let day = era * 146_097 + doe - 719_468;
    (civil(day) == (y, m, d)).then_some(day)
}

/// The calendar date (year, month, day) of a day number (Howard Hinnant's civil-from-days: no date crate
/// needed for a calendar date).
pub(crate) fn civil(day: Day) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// The plan in force and what it is judged by.
pub(crate) struct CurrentPlan {
    /// The assessment the plan comes from.
    pub parsed: Arc<Parsed>,
    /// Exercises per step, with changes applied.
    pub steps: Vec<Vec<CurrentExercise>>,
    /// The changes since the assessment, oldest first.
    pub changes: Vec<PlanChange>,
    /// The plan's length in weeks.
    pub weeks: u32,
    /// The week each step starts.
    pub starts: Vec<u32>,
    /// The first day of the plan.
    pub start_day: Day,
    /// Steps whose week has come but which stay closed: the step before is not going well yet.
    pub held_back: Vec<bool>,
    /// Check-ins since the plan started (read once, for every use on a page).
    pub checkins: Vec<ExerciseCheckin>,
    /// Morning reports since the plan started.
    pub mornings: Vec<MorningReport>,
}

impl CurrentPlan {
    /// The plan week a day falls in.
    pub fn week_of_day(&self, day: Day) -> u32 {
        week_of(self.start_day * DAY, day * DAY, self.weeks)
    }

    /// The first day check-ins can be written for: the plan's start, at most `EDITABLE_DAYS` ago.
    pub fn first_checkin_day(&self, today: Day) -> Day {
        self.start_day.max(today - super::checkin::EDITABLE_DAYS)
    }

    /// The exercises of the steps active on `day`.
    pub fn active_on(&self, day: Day) -> Vec<&CurrentExercise> {
        let week = self.week_of_day(day);
        self.steps
            .iter()
            .zip(&self.starts)
            .zip(&self.held_back)
            .filter(|((_, start), held)| **start <= week && !**held)
            .flat_map(|((s, _), _)| s.iter())
            .collect()
    }

    /// Whether tendon rules apply (patellar tendinopathy is a likely presentation).
    pub fn tendon(&self) -> bool {
        self.parsed.result.presentations.iter().any(|p| p.id == "patellar_tendinopathy")
    }
}

/// The plan in force for `owner`, if they have a saved assessment with a plan.
pub(crate) async fn current_plan<S: Store>(
    state: &AppState<S>,
    owner: &UserId,
) -> Result<Option<CurrentPlan>, Problem> {
    // One store call for every record the plan is made of (the newest assessment, the changes since,
    // the check-ins and mornings since its day, up to tomorrow): the store answers it from memory while
    // none of the person's records changed, on every backend (docs/performance.md).
    let Some(inputs) = state.store.plan_inputs(owner, today(state.now()) + 1).await? else { return Ok(None) };
    let PlanInputs { assessment, changes, checkins, mornings, .. } = inputs;
    let Some(parsed) = state.assessments.load(&state.store, &state.kb, owner, &assessment).await? else {
        return Ok(None);
    };
    // Borrowed through a second handle on the shared parse, not copied: `parsed` moves into the result.
    let shared = parsed.clone();
    let Some(plan) = &shared.result.plan else { return Ok(None) };
    let edits: Vec<PlanEdit> = changes.iter().map(to_edit).collect();
    let steps = apply_edits(&state.kb, plan, &edits);
    let mut current = CurrentPlan {
        start_day: today(parsed.created_at),
        weeks: plan.weeks,
        starts: plan.steps.iter().map(|s| s.starts_week).collect(),
        held_back: vec![false; plan.steps.len()],
        steps,
        changes,
        parsed,
        checkins,
        mornings,
    };
    // Steps follow weeks and criteria: a later step stays closed while the step before was just eased.
    for k in 1..current.steps.len() {
        let previous: Vec<DecisionKind> = current.steps[k - 1]
            .iter()
            .filter_map(|e| latest_decision(&state.kb, &current, e, &current.checkins, &current.mornings))
            .map(|(_, d)| d.decision)
            .collect();
        current.held_back[k] = current.held_back[k - 1] || !step_may_open(&previous);
    }
    Ok(Some(current))
}

/// A stored change as the core applies it (also used by the FHIR export's `CarePlan`).
pub(crate) fn to_edit(c: &PlanChange) -> PlanEdit {
    let u = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    PlanEdit {
        exercise_id: c.exercise_id.clone(),
        replacement: c.replacement.clone(),
        sets: u(c.sets),
        reps: u(c.reps),
        hold_seconds: u(c.hold_seconds),
        per_week: u(c.per_week),
        note: c.note.clone(),
    }
}

/// The sessions of one exercise, oldest first, each with the next morning's report when there is one.
pub(crate) fn sessions_of(
    exercise_id: &str,
    checkins: &[ExerciseCheckin],
    mornings: &[MorningReport],
) -> Vec<(Day, SessionReport)> {
    let mut usual = mornings.first().map_or(0, |m| m.usual);
    let mut out = Vec::new();
    for c in checkins.iter().filter(|c| c.exercise_id == exercise_id && c.done) {
        let next = mornings.iter().find(|m| m.day == c.day + 1);
        if let Some(m) = mornings.iter().rev().find(|m| m.day <= c.day + 1) {
            usual = m.usual;
        }
        let clamp = |v: i64| u8::try_from(v.clamp(0, 10)).unwrap_or(0);
        out.push((
            c.day,
            SessionReport {
                pain_during: clamp(c.pain_during.unwrap_or(0)),
                pain_next_morning: next.map(|m| clamp(m.pain)),
                baseline: clamp(next.map_or(usual, |m| m.usual)),
                quality_ok: c.quality_ok,
            },
        ));
    }
    out
}

/// The tendon-loading stage reached, for tendon pain: the decisions of the knee's own exercises replayed
/// in order of session, each progression within the stage's pain limit moving one stage on and each
/// regression one back. `None` when tendon rules do not apply.
pub(crate) fn tendon_stage_now(
    kb: &Knowledge,
    plan: &CurrentPlan,
) -> Option<kneeroot_core::progression::TendonStageView> {
    if !plan.tendon() {
        return None;
    }
    let knee = kb.causes().iter().position(|c| c.id == "knee_local");
    let mut events: Vec<(Day, Decision, u8)> = Vec::new();
    for e in plan.steps.iter().flatten() {
        let targets_knee = kb.exercise(&e.exercise.id).is_some_and(|x| knee.is_some_and(|k| x.targets.contains(&k)));
        if !targets_knee {
            continue;
        }
        let sessions = sessions_of(&e.exercise.id, &plan.checkins, &plan.mornings);
        let reports: Vec<SessionReport> = sessions.iter().map(|(_, s)| *s).collect();
        let ctx = ExerciseContext { tendon: true, ..ExerciseContext::default() };
        for ((day, s), d) in sessions.iter().zip(decide_all(kb.progression(), &reports, &ctx)) {
            events.push((*day, d, s.pain_during));
        }
    }
    events.sort_by_key(|(day, _, _)| *day);
    let first = kb.progression().tendon_stages.first()?;
    let mut stage = kneeroot_core::progression::TendonStageView {
        index: 0,
        id: first.id.clone(),
        name: first.name.clone(),
        text: first.text.clone(),
    };
    for (_, d, pain) in &events {
        if let Some(next) = kneeroot_core::progression::tendon_stage(kb.progression(), stage.index, d, *pain) {
            stage = next;
        }
    }
    Some(stage)
}

/// The decision after the last session of an exercise, with that session's day.
pub(crate) fn latest_decision(
    kb: &Knowledge,
    plan: &CurrentPlan,
    e: &CurrentExercise,
    checkins: &[ExerciseCheckin],
    mornings: &[MorningReport],
) -> Option<(Day, Decision)> {
    let sessions = sessions_of(&e.exercise.id, checkins, mornings);
    let last_day = sessions.last()?.0;
    let reports: Vec<SessionReport> = sessions.into_iter().map(|(_, s)| s).collect();
    let x = kb.exercise(&e.exercise.id);
    let name_of = |i: Option<usize>| i.map(|i| kb.exercises()[i].name.clone());
    let ctx = ExerciseContext {
        name: Some(e.exercise.name.clone()),
        easier: x.and_then(|x| name_of(x.regression)),
        harder: x.and_then(|x| name_of(x.progression)),
        tendon: plan.tendon(),
        held: e.exercise.dose.hold_seconds.is_some(),
    };
    decide_all(kb.progression(), &reports, &ctx).pop().map(|d| (last_day, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip() {
        assert_eq!(ymd(0), "1970-01-01");
        assert_eq!(parse_ymd("1970-01-01"), Some(0));
        for day in [0, 59, 60, 11_016, 20_417, 30_000] {
            assert_eq!(parse_ymd(&ymd(day)), Some(day));
        }
        assert_eq!(parse_ymd("2026-02-31"), None);
        assert_eq!(parse_ymd("2026-13-01"), None);
        assert_eq!(parse_ymd("yesterday"), None);
        assert_eq!(today(86_399), 0);
        assert_eq!(today(86_400), 1);
    }
}
