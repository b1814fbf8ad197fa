//! The plan page: the three steps with their start weeks, exercise cards (dose, how to, cues, cautions,
//! easier and harder versions), this week's sessions and the pain rules. Prints cleanly on paper.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kneeroot_core::answers::Value;
use kneeroot_core::plan::CurrentExercise;
use kneeroot_core::report::dose_text;
use std::sync::Arc;

use kneeroot_core::{Answers, AssessmentResult, assess};
use kneeroot_store::{Assessment, AssessmentId, Store};
use serde::Deserialize;

use super::current::{CurrentPlan, current_plan};
use super::draft::Draft;
use crate::cache::Parsed;
use crate::error::{AppError, PageResult, Problem};
use crate::session::Visitor;
use crate::state::AppState;
use crate::views::Layout;

#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    week: Option<String>,
    assessment: Option<String>,
}

// The views borrow from the plan, the knowledge base and the attributions rather than copying them: the
// plan page is the most requested page of a signed-in person, and copying every exercise's texts into
// the view cost more than rendering them (docs/performance.md).

pub(crate) struct ExerciseView<'a> {
    id: &'a str,
    name: &'a str,
    dose: String,
    why: &'a str,
    equipment: &'a [String],
    instructions: &'a [String],
    cues: &'a [String],
    cautions: &'a [String],
    progression: &'a str,
    regression: &'a str,
    latest_change: Option<&'a str>,
    /// The latest change a clinician made, attributed to them.
    changed_by: Option<&'a str>,
}

pub(crate) struct StepView<'a> {
    step: u8,
    name: &'a str,
    starts_week: u32,
    active: bool,
    waiting: bool,
    exercises: Vec<ExerciseView<'a>>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    layout: Layout,
    weeks: u32,
    week: u32,
    base: String,
    days: u32,
    limited: Option<&'a str>,
    schedule: Vec<Vec<&'a str>>,
    steps: Vec<StepView<'a>>,
    pain_rules: Vec<&'a str>,
}

const WEEK: i64 = 7 * 24 * 3600;

/// Which week of a plan started at `start` it is at `now` (1-based, within the plan).
pub(crate) fn week_of(start: i64, now: i64, weeks: u32) -> u32 {
    let elapsed = (now - start).max(0) / WEEK;
    u32::try_from(elapsed + 1).unwrap_or(u32::MAX).clamp(1, weeks.max(1))
}

/// Spread each exercise of the active steps over the exercise days of the week: an exercise done `p`
/// times a week goes on `p` days spaced as evenly as possible.
fn schedule<'a>(
    starts: &[u32],
    steps: &'a [Vec<CurrentExercise>],
    held_back: &[bool],
    week: u32,
    days: u32,
) -> Vec<Vec<&'a str>> {
    let days = days.max(1) as usize;
    let mut out = vec![Vec::new(); days];
    let open = starts.iter().zip(steps).zip(held_back).filter(|((start, _), held)| **start <= week && !**held);
    for ((_, exercises), _) in open {
        for e in exercises {
            let p = (e.exercise.dose.per_week as usize).clamp(1, days);
            for i in 0..p {
                out[i * days / p].push(e.exercise.name.as_str());
            }
        }
    }
    out.retain(|d| !d.is_empty());
    out
}

fn days_per_week(state: &AppState<impl Store>, answers: &Answers) -> u32 {
    match answers.get(&state.kb, "prefs.days_per_week") {
        Some(Value::Int(n)) => u32::try_from(*n).unwrap_or(1),
        _ => state.kb.plan_settings().default_days_per_week,
    }
}

/// `GET /plan[?week=N][&assessment=ID]`
pub async fn plan<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(q): Query<PlanQuery>,
) -> PageResult<Response> {
    let kb = &state.kb;
    let requested_week = match q.week.as_deref() {
        None | Some("") => None,
        Some(w) => {
            Some(w.parse::<u32>().map_err(|_| AppError(Problem::field("week", "The week must be a whole number.")))?)
        }
    };
    let (parsed, draft);
    let mut current = None;
    let (answers, result, started, base) = match source(&state, &visitor, q.assessment.as_deref()).await? {
        Some(Source::Current(c)) => {
            parsed = c.parsed.clone();
            current = Some(c);
            let base = format!("/plan?assessment={}&", parsed.id);
            (&parsed.answers, &parsed.result, Some(parsed.created_at), base)
        }
        Some(Source::Saved(a)) => {
            parsed = a;
            let base = format!("/plan?assessment={}&", parsed.id);
            (&parsed.answers, &parsed.result, Some(parsed.created_at), base)
        }
        Some(Source::Draft(answers)) => {
            draft = (assess(kb, &answers), answers);
            (&draft.1, &draft.0, None, "/plan?".to_owned())
        }
        None => return Ok(Redirect::to("/assess").into_response()),
    };
    let Some(plan) = &result.plan else { return Ok(Redirect::to("/assess/stop").into_response()) };
    let week = requested_week
        .unwrap_or_else(|| started.map_or(1, |s| week_of(s, state.now(), plan.weeks)))
        .clamp(1, plan.weeks);
    let days = days_per_week(&state, answers);
    let limited = plan.pain_rules.iter().find(|r| r.id == "until_seen").map(|r| r.text.as_str());
    // The latest saved plan is shown as it stands now: with the changes the pain rules and the person's
    // physiotherapist made since (the plan-change log); older plans as they were.
    let (in_force, held_back, by_physio) = match (&visitor.user, current) {
        (Some(user), Some(current)) => {
            // A warning sign reported in a check-in stops the plan until a later morning comes without one.
            if let Some((t, answers)) = super::checkin::standing_alert(&state, user, &current).await? {
                return Ok(super::wizard::stop_response(&state, &visitor, t, &answers, "checkin")?);
            }
            let by_physio = crate::clinic::attributions(&state, &current.changes).await?;
            let CurrentPlan { steps, held_back, .. } = *current;
            (steps, held_back, by_physio)
        }
        _ => {
            let as_planned = plan
                .steps
                .iter()
                .map(|s| {
                    s.exercises.iter().map(|e| CurrentExercise { exercise: e.clone(), notes: Vec::new() }).collect()
                })
                .collect();
            (as_planned, vec![false; plan.steps.len()], std::collections::HashMap::new())
        }
    };
    let starts: Vec<u32> = plan.steps.iter().map(|s| s.starts_week).collect();
    let steps = plan
        .steps
        .iter()
        .zip(&in_force)
        .zip(&held_back)
        .map(|((s, exercises), held)| StepView {
            step: s.step,
            name: &s.name,
            starts_week: s.starts_week,
            active: s.starts_week <= week && !held,
            waiting: s.starts_week <= week && *held,
            exercises: exercises
                .iter()
                .map(|c| {
                    let e = &c.exercise;
                    let x = kb.exercise(&e.id);
                    let physio = by_physio.get(&e.id);
                    ExerciseView {
                        id: &e.id,
                        name: &e.name,
                        dose: dose_text(&e.dose),
                        why: &e.why,
                        equipment: x.map_or(&[][..], |x| &x.equipment),
                        instructions: x.map_or(&[][..], |x| &x.instructions),
                        cues: x.map_or(&[][..], |x| &x.cues),
                        cautions: x.map_or(&[][..], |x| &x.cautions),
                        progression: &e.progression,
                        regression: &e.regression,
                        // A clinician's change that is also the latest is told once, with their name.
                        latest_change: c.notes.last().map(String::as_str).filter(|_| !physio.is_some_and(|a| a.latest)),
                        changed_by: physio.map(|a| a.text.as_str()),
                    }
                })
                .collect(),
        })
        .collect();
    let page = PlanPage {
        layout: Layout::for_visitor(&visitor),
        weeks: plan.weeks,
        week,
        base,
        days,
        limited,
        schedule: schedule(&starts, &in_force, &held_back, week, days),
        steps,
        pain_rules: plan.pain_rules.iter().filter(|r| r.id != "until_seen").map(|r| r.text.as_str()).collect(),
    };
    // Into a buffer the size of a plan page with its exercise cards, rather than one grown (and copied)
    // several times from the template's own estimate, which knows nothing of the cards.
    let mut body = String::with_capacity(PAGE_BYTES);
    page.render_into(&mut body).map_err(Problem::from)?;
    Ok(Html(body).into_response())
}

/// Room for a typical plan page (about 10 KB of HTML for a dozen exercise cards).
const PAGE_BYTES: usize = 16 * 1024;

enum Source {
    /// The signed-in person's latest plan, as it stands now.
    Current(Box<CurrentPlan>),
    Saved(Arc<Parsed>),
    Draft(Answers),
}

/// The plan shown: an explicitly requested saved assessment (owner only), else the signed-in person's
/// latest, else the assessment in progress.
async fn source<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    assessment: Option<&str>,
) -> Result<Option<Source>, Problem> {
    let cache = &state.assessments;
    if let Some(raw) = assessment {
        let user = visitor.user.as_ref().ok_or(Problem::Unauthorized)?;
        let id = AssessmentId::parse(raw).ok_or(Problem::NotFound)?;
        // The latest assessment's plan is shown as it stands now, however it was linked to.
        if let Some(current) = current_plan(state, &user.id).await?
            && current.parsed.id == id
        {
            return Ok(Some(Source::Current(Box::new(current))));
        }
        return cache
            .load(&state.store, &state.kb, &user.id, &id)
            .await?
            .map(Source::Saved)
            .map(Some)
            .ok_or(Problem::NotFound);
    }
    if let Some(user) = &visitor.user {
        if let Some(current) = current_plan(state, &user.id).await? {
            return Ok(Some(Source::Current(Box::new(current))));
        }
        // The latest assessment has no plan (a red flag): show why.
        if let Some(id) = state.store.latest_assessment_id(&user.id).await?
            && let Some(parsed) = cache.load(&state.store, &state.kb, &user.id, &id).await?
        {
            return Ok(Some(Source::Saved(parsed)));
        }
    }
    let answers = visitor.session.as_ref().map(|s| Draft::answers(&state.kb, s));
    Ok(answers.filter(|a| a.answered_count() > 0).map(Source::Draft))
}

/// The API's view of a saved assessment's plan.
pub(crate) fn plan_api_view(a: &Assessment, now: i64) -> Result<serde_json::Value, Problem> {
    let result: AssessmentResult = serde_json::from_str(&a.result).map_err(anyhow::Error::from)?;
    let week = result.plan.as_ref().map(|p| week_of(a.created_at, now, p.weeks));
    Ok(serde_json::json!({
        "assessment_id": a.id,
        "created_at": a.created_at,
        "triage_level": result.triage.level,
        "week": week,
        "plan": result.plan,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_count_from_the_assessment_and_stay_within_the_plan() {
        assert_eq!(week_of(0, 0, 10), 1);
        assert_eq!(week_of(0, WEEK - 1, 10), 1);
        assert_eq!(week_of(0, WEEK, 10), 2);
        assert_eq!(week_of(0, 50 * WEEK, 10), 10);
        assert_eq!(week_of(100, 0, 10), 1);
    }
}
