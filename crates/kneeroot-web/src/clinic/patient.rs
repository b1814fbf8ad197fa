//! `GET /clinic/patients/{id}`: one linked patient's record as their clinician reads it: the alerts, the
//! latest assessment with its explanation, the plan in force with every change and who made it, the
//! recent check-ins, the questionnaire scores (the same charts and tables as the patient's own progress
//! page), and the appointments to come. One look, one audit entry ("record").

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use kneeroot_core::Knowledge;
use kneeroot_core::report::{dose_text, likelihood};
use kneeroot_core::triage::Reason;
use kneeroot_store::{PlanChange, Stiffness, Store, UserId};

use super::access::{Access, LinkedPatient};
use super::summary::{Glance, PatientData, cause_name, glance, triage_words};
use crate::cache::Parsed;
use crate::error::{PageResult, Problem};
use crate::pages::current::{CurrentPlan, today};
use crate::pages::date;
use crate::pages::progress::{ChangeRow, CourseCharts, ScoreChart, change_rows, course_charts, score_chart};
use crate::pages::results::{EvidenceView, merged_evidence};
use crate::session::ClinicianIn;
use crate::state::AppState;
use crate::views::{Layout, html};

/// How many days of check-ins the page lists (the editable window).
const RECENT_DAYS: i64 = 14;

struct CauseView {
    name: String,
    likelihood: &'static str,
    score: String,
    confidence: &'static str,
    evidence: Vec<EvidenceView>,
}

struct AssessmentView {
    date: String,
    triage: &'static str,
    reasons: Vec<Reason>,
    causes: Vec<CauseView>,
    presentations: Vec<String>,
    version: String,
    /// The answers that came from the camera squat screen.
    camera: Vec<crate::pages::camera::results::CameraRow>,
}

struct StepView {
    step: u8,
    name: String,
    starts_week: u32,
    status: &'static str,
    exercises: Vec<(String, String)>,
}

struct PlanView {
    week: u32,
    weeks: u32,
    steps: Vec<StepView>,
}

struct DayView {
    date: String,
    morning: Option<String>,
    flags: Vec<String>,
    exercises: Vec<String>,
}

#[derive(Template)]
#[template(path = "clinic_patient.html")]
struct PatientPage {
    layout: Layout,
    glance: Glance,
    assessment: Option<AssessmentView>,
    plan: Option<PlanView>,
    changes: Vec<ChangeRow>,
    days: Vec<DayView>,
    course: Option<CourseCharts>,
    scores: Option<ScoreChart>,
    appointments: Vec<(String, String)>,
}

/// What the audit log says this page looked at.
pub(crate) const RECORD: &str = "record";

/// `GET /clinic/patients/{id}`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    Path(id): Path<String>,
) -> PageResult<Html<String>> {
    let linked = LinkedPatient::open(&state, &me.user, &id, Access::view(RECORD)).await?;
    let data = PatientData::load(&state, &linked).await?;
    let kb = &state.kb;
    let today = today(state.now());
    let authors = author_emails(&state, data.plan.as_ref().map_or(&[][..], |p| &p.changes)).await?;
    let page = PatientPage {
        layout: Layout::for_user(&me.user),
        glance: glance(&state, &linked, &data),
        assessment: data.latest.as_deref().map(|p| assessment_view(kb, p)),
        plan: data.plan.as_ref().map(|p| plan_view(p, today)),
        changes: data.plan.as_ref().map_or_else(Vec::new, |p| {
            change_rows(kb, &p.changes, usize::MAX, |c| match &c.author_id {
                None => "kneeroot's pain rules".into(),
                Some(a) => authors.get(a).cloned().unwrap_or_else(|| "a clinician whose account is gone".into()),
            })
        }),
        days: data.plan.as_ref().map_or_else(Vec::new, |p| recent_days(kb, p, today)),
        course: data.plan.as_ref().map(|p| course_charts(p, today)),
        scores: score_chart(&data.responses),
        appointments: data.upcoming.iter().map(|(b, label)| (label.clone(), b.reason.clone())).collect(),
    };
    Ok(html(&page)?)
}

/// The email of each author of a plan change (their account may be gone).
pub(crate) async fn author_emails<S: Store>(
    state: &AppState<S>,
    changes: &[PlanChange],
) -> Result<HashMap<UserId, String>, Problem> {
    let mut out = HashMap::new();
    for id in changes.iter().filter_map(|c| c.author_id.as_ref()) {
        if !out.contains_key(id)
            && let Some(u) = state.store.user(id).await?
        {
            out.insert(id.clone(), u.email.as_str().to_owned());
        }
    }
    Ok(out)
}

fn assessment_view(kb: &Knowledge, p: &Parsed) -> AssessmentView {
    let r = &p.result;
    AssessmentView {
        date: date(p.created_at),
        triage: triage_words(r.triage.level),
        reasons: r.triage.reasons.clone(),
        causes: r
            .root_causes
            .iter()
            .map(|c| CauseView {
                name: cause_name(kb, &c.id),
                likelihood: likelihood(c.score),
                score: format!("{:.2}", c.score),
                confidence: c.confidence.as_str(),
                evidence: merged_evidence(kb, &c.evidence),
            })
            .collect(),
        presentations: r
            .presentations
            .iter()
            .map(|x| {
                let name = kb.presentations().iter().find(|y| y.id == x.id).map_or(x.id.as_str(), |y| y.name.as_str());
                format!("{name} ({})", likelihood(x.score))
            })
            .collect(),
        version: r.knowledge_version.clone(),
        camera: crate::pages::camera::results::camera_rows(
            kb,
            &kneeroot_core::camera::provenance::applicable(&p.camera, kb, &p.answers),
        ),
    }
}

fn plan_view(plan: &CurrentPlan, today: i64) -> PlanView {
    let week = plan.week_of_day(today);
    let steps = plan
        .parsed
        .result
        .plan
        .iter()
        .flat_map(|p| &p.steps)
        .zip(&plan.steps)
        .zip(&plan.held_back)
        .map(|((s, exercises), held)| StepView {
            step: s.step,
            name: s.name.clone(),
            starts_week: s.starts_week,
            status: match (s.starts_week <= week, held) {
                (true, false) => "open",
                (true, true) => "waiting: the step before is not going well yet",
                (false, _) => "not yet",
            },
            exercises: exercises.iter().map(|e| (e.exercise.name.clone(), dose_text(&e.exercise.dose))).collect(),
        })
        .collect();
    PlanView { week, weeks: plan.weeks, steps }
}

/// The check-ins of the last [`RECENT_DAYS`] days, newest first, one entry per day with any.
fn recent_days(kb: &Knowledge, plan: &CurrentPlan, today: i64) -> Vec<DayView> {
    let name_of = |id: &str| kb.exercise(id).map_or_else(|| id.to_owned(), |x| x.name.clone());
    let mut out = Vec::new();
    for day in (today - RECENT_DAYS + 1..=today).rev() {
        let m = plan.mornings.iter().find(|m| m.day == day);
        let exercises: Vec<String> = plan
            .checkins
            .iter()
            .filter(|c| c.day == day)
            .map(|c| {
                if !c.done {
                    return format!("{}: not done", name_of(&c.exercise_id));
                }
                let mut parts = vec![format!("{}: done", name_of(&c.exercise_id))];
                if let (Some(s), Some(r)) = (c.sets_done, c.reps_done) {
                    parts.push(format!("{s} × {r}"));
                }
                if let Some(p) = c.pain_during {
                    parts.push(format!("pain {p}/10 during"));
                }
                parts.push(if c.quality_ok { "good form".into() } else { "form not right".into() });
                parts.join(", ")
            })
            .collect();
        if m.is_none() && exercises.is_empty() {
            continue;
        }
        out.push(DayView {
            date: date(day * 86_400),
            morning: m.map(|m| {
                let stiffness = match m.stiffness {
                    Stiffness::Less => "less stiff than usual",
                    Stiffness::Same => "stiffness as usual",
                    Stiffness::More => "stiffer than usual",
                };
                format!("Morning pain {}/10 (usual {}/10), {stiffness}", m.pain, m.usual)
            }),
            flags: m
                .map(|m| m.flags.iter().map(|f| kb.question(f).map_or_else(|| f.clone(), |q| q.text.clone())).collect())
                .unwrap_or_default(),
            exercises,
        });
    }
    out
}
