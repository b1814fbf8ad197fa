//! One patient at a glance: what the caseload shows in a row and the patient page repeats at its top.
//!
//! [`PatientData::load`] reads what a clinician's views need of one linked patient (the plan in force
//! with its check-ins, the latest assessment, the questionnaire responses and the appointments with this
//! clinician); [`glance`] turns it into plain words. The alerts themselves are decided by the pure core
//! (`kneeroot_core::caseload`) from thresholds in the knowledge base; this module only gathers their
//! inputs and words them. Everything about check-ins is about the plan in force: a plan starts with an
//! assessment, so "since the latest assessment" and "since the plan started" are the same day.

use std::sync::Arc;

use kneeroot_core::Knowledge;
use kneeroot_core::caseload::{
    Adherence, Alert, CaseloadInputs, FunctionScore, FunctionScores, MorningPain, OutcomeStatus, PlanPosition, alerts,
    outcome_status,
};
use kneeroot_core::knowledge::TriageLevel;
use kneeroot_core::outcomes::{MeaningfulChange, Measure};
use kneeroot_store::{Booking, BookingStatus, Day, OutcomeResponse, Store};

use super::access::LinkedPatient;
use crate::booking::hours_of;
use crate::cache::Parsed;
use crate::error::Problem;
use crate::pages::current::{CurrentPlan, current_plan, today};
use crate::pages::date;
use crate::pages::progress::{function_instrument, headline};
use crate::state::AppState;

/// What the clinician's views read of one patient.
pub(crate) struct PatientData {
    /// The latest assessment, parsed.
    pub latest: Option<Arc<Parsed>>,
    /// The plan in force (with the check-ins since it started), if there is one.
    pub plan: Option<CurrentPlan>,
    /// Questionnaire responses, oldest first.
    pub responses: Vec<OutcomeResponse>,
    /// Appointments with this clinician still to come, soonest first, with their labels in the clinic's
    /// time zone.
    pub upcoming: Vec<(Booking, String)>,
}

impl PatientData {
    /// Read everything the clinician's views need of `linked`.
    ///
    /// # Errors
    /// A store failure or an unreadable stored record.
    pub(crate) async fn load<S: Store>(state: &AppState<S>, linked: &LinkedPatient) -> Result<PatientData, Problem> {
        let patient = &linked.patient().id;
        let plan = current_plan(state, patient).await?;
        let latest = match &plan {
            Some(p) => Some(p.parsed.clone()),
            // No plan: no assessment, or a red flag that stopped it; the latest assessment says which.
            None => match state.store.latest_assessment_id(patient).await? {
                Some(id) => state.assessments.load(&state.store, &state.kb, patient, &id).await?,
                None => None,
            },
        };
        let responses = state.store.responses(patient).await?;
        let now = state.now();
        let clinician = &linked.clinician().id;
        let mut bookings: Vec<Booking> = state
            .store
            .bookings_of_patient(patient)
            .await?
            .into_iter()
            .filter(|b| &b.clinician_id == clinician && b.status == BookingStatus::Booked && b.end > now)
            .collect();
        bookings.sort_by_key(|b| b.start);
        let tz = hours_of(state, clinician).await?.map_or(kneeroot_core::booking::Tz::UTC, |h| h.tz());
        let upcoming = bookings
            .into_iter()
            .map(|b| {
                let label = kneeroot_core::booking::local_label(b.start, tz);
                (b, label)
            })
            .collect();
        Ok(PatientData { latest, plan, responses, upcoming })
    }

    /// The last day with any check-in, up to `today`.
    fn last_checkin_day(&self, today: Day) -> Option<Day> {
        let plan = self.plan.as_ref()?;
        plan.checkins.iter().map(|c| c.day).chain(plan.mornings.iter().map(|m| m.day)).filter(|d| *d <= today).max()
    }

    /// The function questionnaire's scores, oldest first.
    fn function_scores(&self) -> Option<FunctionScores> {
        let instrument = function_instrument(&self.responses)?;
        let measure = if instrument == "kujala" { Measure::Kujala } else { Measure::Koos12 };
        let scores = self
            .responses
            .iter()
            .filter(|r| r.instrument == instrument)
            .filter_map(|r| {
                headline(instrument, &r.scores).map(|value| FunctionScore { value, version: r.version.clone() })
            })
            .collect();
        Some(FunctionScores { measure, scores })
    }

    /// What the caseload's alerts are computed from.
    pub(crate) fn inputs(&self, today: Day) -> CaseloadInputs {
        let clamp = |v: i64| u8::try_from(v.clamp(0, 10)).unwrap_or(0);
        CaseloadInputs {
            today,
            assessed_day: self.latest.as_ref().map(|p| crate::pages::current::today(p.created_at)),
            plan: self.plan.as_ref().map(|p| PlanPosition { start_day: p.start_day, week: p.week_of_day(today) }),
            mornings: self
                .plan
                .iter()
                .flat_map(|p| &p.mornings)
                .map(|m| MorningPain { day: m.day, pain: clamp(m.pain), flags: m.flags.clone() })
                .collect(),
            last_checkin_day: self.last_checkin_day(today),
            function_scores: self.function_scores(),
        }
    }
}

/// An alert, worded.
pub(crate) struct AlertView {
    /// `red_flag`, `pain_rising`, `no_real_improvement` or `silent` (a CSS class).
    pub kind: &'static str,
    /// What it is, in plain words, with the numbers.
    pub text: String,
}

/// One patient's row of the caseload.
pub(crate) struct Glance {
    /// The patient's id (for links).
    pub id: String,
    /// Their email.
    pub email: String,
    /// The latest assessment's triage level, in words.
    pub triage: Option<&'static str>,
    /// Its top cause, by name.
    pub top_cause: Option<String>,
    /// When it was taken.
    pub assessed: Option<String>,
    /// The latest pain reported, with its date.
    pub last_pain: Option<String>,
    /// Sessions done against planned, over the adherence window.
    pub adherence: Option<String>,
    /// The next appointment with this clinician.
    pub next_appointment: Option<String>,
    /// The function questionnaire so far.
    pub outcome: String,
    /// Alerts, most pressing first.
    pub alerts: Vec<AlertView>,
    /// How pressing the most pressing alert is (lower first; patients without alerts last).
    pub rank: u8,
}

/// A triage level as a clinician reads it on a list.
pub(crate) fn triage_words(level: TriageLevel) -> &'static str {
    match level {
        TriageLevel::Emergency => "Emergency: sent to the emergency department",
        TriageLevel::Urgent => "Urgent: to be seen today",
        TriageLevel::Soon => "Soon: to be seen within days",
        TriageLevel::SelfCare => "Self-care with a plan",
    }
}

/// The name of a cause in the knowledge base (its id if the knowledge base no longer has it).
pub(crate) fn cause_name(kb: &Knowledge, id: &str) -> String {
    kb.causes().iter().find(|c| c.id == id).map_or_else(|| id.to_owned(), |c| c.name.clone())
}

/// An alert in plain words.
pub(crate) fn alert_view(kb: &Knowledge, alert: &Alert) -> AlertView {
    let rules = kb.caseload();
    match alert {
        Alert::RedFlag { day, flags } => {
            let signs: Vec<String> = flags
                .iter()
                .map(|f| kb.question(f).map_or_else(|| f.clone(), |q| format!("\u{201c}{}\u{201d}", q.text)))
                .collect();
            AlertView {
                kind: "red_flag",
                text: format!(
                    "Warning sign in the check-in of {}: they answered yes to {}. Review before the plan goes on.",
                    date(day * 86_400),
                    signs.join(" and ")
                ),
            }
        }
        Alert::PainRising { recent_mean, previous_mean } => AlertView {
            kind: "pain_rising",
            text: format!(
                "Morning pain rising: {recent_mean:.1}/10 on average over the last {w} days, up from {previous_mean:.1}/10 the {w} days before.",
                w = rules.pain_rising.window_days
            ),
        },
        Alert::NoRealImprovement { week, verdict } => AlertView {
            kind: "no_real_improvement",
            text: format!("No real improvement by week {week}: the function questionnaire changed {}.", verdict.text),
        },
        Alert::Silent { days, ever: true } => {
            AlertView { kind: "silent", text: format!("No check-in for {days} days.") }
        }
        Alert::Silent { days, ever: false } => {
            AlertView { kind: "silent", text: format!("No check-in at all since the plan started {days} days ago.") }
        }
    }
}

/// The function questionnaire so far, in words ("no follow-up score" until it is repeated).
pub(crate) fn outcome_words(data: &PatientData) -> String {
    let scores = data.function_scores();
    let name = match scores.as_ref().map(|s| s.measure) {
        Some(Measure::Kujala) => "Kujala",
        _ => "KOOS-12",
    };
    match outcome_status(scores.as_ref(), &MeaningfulChange::default()) {
        OutcomeStatus::NoScores => "No questionnaire yet".to_owned(),
        OutcomeStatus::NoFollowUp => format!("{name}: no follow-up score yet"),
        OutcomeStatus::Compared(v) => format!("{name} since the first score: {}", v.text),
    }
}

/// The latest pain reported (a morning, or during an exercise), with its date.
fn last_pain(kb: &Knowledge, plan: &CurrentPlan, today: Day) -> Option<String> {
    let morning = plan.mornings.iter().filter(|m| m.day <= today).max_by_key(|m| m.day).map(|m| (m.day, m.pain, None));
    let during = plan
        .checkins
        .iter()
        .filter(|c| c.day <= today)
        .filter_map(|c| c.pain_during.map(|p| (c.day, p, Some(c.exercise_id.as_str()))))
        .max_by_key(|(day, _, _)| *day);
    // The later of the two; on the same day the morning wins (it is the day's own report of the knee).
    let (day, pain, exercise) = match (morning, during) {
        (Some(m), Some(c)) => {
            if c.0 > m.0 {
                c
            } else {
                m
            }
        }
        (m, c) => m.or(c)?,
    };
    let when = date(day * 86_400);
    Some(match exercise {
        None => format!("{pain}/10 on the morning of {when}"),
        Some(id) => {
            let name = kb.exercise(id).map_or_else(|| id.to_owned(), |x| x.name.clone());
            format!("{pain}/10 during {name}, {when}")
        }
    })
}

/// Sessions done against sessions planned over the last `days` days: each exercise's sessions per week,
/// spread over the days its step was open.
pub(crate) fn adherence(plan: &CurrentPlan, today: Day, days: u32) -> Adherence {
    let first = plan.start_day.max(today - i64::from(days) + 1);
    let planned_per_week: u32 =
        (first..=today).map(|d| plan.active_on(d).iter().map(|e| e.exercise.dose.per_week).sum::<u32>()).sum();
    let done = plan.checkins.iter().filter(|c| c.done && c.day >= first && c.day <= today).count();
    Adherence {
        done: u32::try_from(done).unwrap_or(u32::MAX),
        planned: (f64::from(planned_per_week) / 7.0).round() as u32,
    }
}

/// One patient's row of the caseload.
pub(crate) fn glance<S>(state: &AppState<S>, linked: &LinkedPatient, data: &PatientData) -> Glance {
    let kb = &state.kb;
    let today = today(state.now());
    let found = alerts(kb.caseload(), &data.inputs(today));
    let rank = found.iter().map(Alert::rank).min().unwrap_or(u8::MAX);
    let window = kb.caseload().adherence.window_days;
    Glance {
        id: linked.patient().id.to_string(),
        email: linked.patient().email.as_str().to_owned(),
        triage: data.latest.as_ref().map(|p| triage_words(p.result.triage.level)),
        top_cause: data.latest.as_ref().and_then(|p| p.result.root_causes.first()).map(|c| cause_name(kb, &c.id)),
        assessed: data.latest.as_ref().map(|p| date(p.created_at)),
        last_pain: data.plan.as_ref().and_then(|p| last_pain(kb, p, today)),
        adherence: data.plan.as_ref().map(|p| {
            let a = adherence(p, today, window);
            match a.percent() {
                Some(pct) => format!("{pct} % ({} of {} sessions, last {window} days)", a.done, a.planned),
                None => format!("nothing planned in the last {window} days"),
            }
        }),
        next_appointment: data.upcoming.first().map(|(_, label)| label.clone()),
        outcome: outcome_words(data),
        alerts: found.iter().map(|a| alert_view(kb, a)).collect(),
        rank,
    }
}
