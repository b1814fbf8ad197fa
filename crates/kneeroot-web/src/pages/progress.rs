//! The progress page: morning pain over time with the check-in days marked, adherence per week, the
//! function questionnaire's scores against the band of no real change, and the plan changes so far, each
//! chart with a table of the same numbers. When the rules say it is time to see a physiotherapist, the
//! page says so first.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::Knowledge;
use kneeroot_store::{Day, OutcomeResponse, PlanChange, Store};

use super::current::{CurrentPlan, current_plan, latest_decision, today};
use crate::charts::{self, Axis, Point};
use crate::error::PageResult;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::views::{Layout, html};

/// One line of the numbers beside a chart.
pub(crate) struct Row {
    pub(crate) label: String,
    pub(crate) value: String,
}

/// One change of the plan, for a list of changes.
pub(crate) struct ChangeRow {
    pub(crate) date: String,
    pub(crate) exercise: String,
    pub(crate) by: String,
    pub(crate) note: String,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    layout: Layout,
    week: u32,
    weeks: u32,
    see_physio: Vec<String>,
    tendon: Option<(String, String)>,
    pain_chart: String,
    pain_rows: Vec<Row>,
    adherence_chart: String,
    adherence_rows: Vec<Row>,
    score_chart: Option<String>,
    score_rows: Vec<Row>,
    score_name: String,
    changes: Vec<ChangeRow>,
    quiet_days: Option<i64>,
}

/// The headline score of a stored questionnaire: Kujala's total or KOOS-12's summary.
pub(crate) fn headline(instrument: &str, scores: &str) -> Option<f64> {
    let v: serde_json::Value = serde_json::from_str(scores).ok()?;
    match instrument {
        "kujala" => v["total"].as_f64(),
        "koos12" => v["summary"].as_f64().or_else(|| v["koos12"]["summary"].as_f64()),
        _ => None,
    }
}

/// "15 Nov": short enough for a chart axis on a phone.
fn short_date(day: i64) -> String {
    let full = super::date(day * 86_400);
    let mut parts = full.split(' ');
    let d = parts.next().unwrap_or_default();
    let m: String = parts.next().unwrap_or_default().chars().take(3).collect();
    format!("{d} {m}")
}

/// `GET /progress`
pub async fn progress<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Response> {
    let Some(plan) = current_plan(&state, &me.user.id).await? else { return Ok(Redirect::to("/plan").into_response()) };
    let kb = &state.kb;
    let today = today(state.now());
    let checkins: Vec<_> = plan.checkins.iter().filter(|c| c.day <= today).cloned().collect();
    let mornings: Vec<_> = plan.mornings.iter().filter(|m| m.day <= today).cloned().collect();
    let week = plan.week_of_day(today);

    let course = course_charts(&plan, today);
    let responses = state.store.responses(&me.user.id).await?;
    let scores = score_chart(&responses);

    let see_physio = plan
        .active_on(today)
        .iter()
        .filter_map(|e| latest_decision(kb, &plan, e, &checkins, &mornings))
        .filter(|(_, d)| d.see_physio)
        .map(|(_, d)| d.reason)
        .collect();
    let changes = change_rows(kb, &plan.changes, 10, |c| {
        if c.author_id.is_some() { "your physiotherapist".into() } else { "the pain rules".into() }
    });
    let last = checkins.iter().map(|c| c.day).chain(mornings.iter().map(|m| m.day)).max();
    // Reminders are the person's choice; without them the page never nags.
    let quiet_days = if state.store.reminders(&me.user.id).await? {
        Some(last.map_or(today - plan.start_day, |d| today - d)).filter(|d| *d >= 2)
    } else {
        None
    };
    let page = ProgressPage {
        layout: Layout::for_user(&me.user),
        week,
        weeks: plan.weeks,
        see_physio,
        tendon: super::current::tendon_stage_now(kb, &plan).map(|s| (s.name, s.text)),
        pain_chart: course.pain_chart,
        pain_rows: course.pain_rows,
        adherence_chart: course.adherence_chart,
        adherence_rows: course.adherence_rows,
        score_chart: scores.as_ref().map(|s| s.chart.clone()),
        score_name: scores.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        score_rows: scores.map(|s| s.rows).unwrap_or_default(),
        changes,
        quiet_days,
    };
    Ok(html(&page)?.into_response())
}

/// Morning pain and adherence over a plan's course: each chart with a table of the same numbers.
pub(crate) struct CourseCharts {
    /// Morning pain over the last 12 weeks of the plan, check-in days marked.
    pub(crate) pain_chart: String,
    /// The morning reports behind it.
    pub(crate) pain_rows: Vec<Row>,
    /// The share of planned sessions done, per plan week.
    pub(crate) adherence_chart: String,
    /// The counts behind it.
    pub(crate) adherence_rows: Vec<Row>,
}

/// The course of `plan` up to `today`, as charts and tables. Shared by the person's progress page and
/// their clinician's view of them, so both see the same numbers drawn the same way.
pub(crate) fn course_charts(plan: &CurrentPlan, today: Day) -> CourseCharts {
    let from = plan.start_day.max(today - 83);
    let checkins: Vec<_> = plan.checkins.iter().filter(|c| c.day <= today).collect();
    let mornings: Vec<_> = plan.mornings.iter().filter(|m| m.day <= today).collect();
    let week = plan.week_of_day(today);

    let pain_points: Vec<Point> = (from..=today)
        .map(|d| Point {
            label: short_date(d),
            value: mornings.iter().find(|m| m.day == d).map(|m| m.pain as f64),
            marked: checkins.iter().any(|c| c.day == d && c.done),
        })
        .collect();
    let pain_rows: Vec<Row> = mornings
        .iter()
        .filter(|m| m.day >= from)
        .map(|m| Row { label: super::date(m.day * 86_400), value: format!("{}/10 (usual {}/10)", m.pain, m.usual) })
        .collect();
    let pain_desc = match (mornings.first(), mornings.last()) {
        (Some(a), Some(b)) if mornings.len() > 1 => format!("Morning pain went from {}/10 to {}/10.", a.pain, b.pain),
        (Some(a), _) => format!("One morning reported so far: {}/10.", a.pain),
        _ => "No morning reports yet.".to_owned(),
    };
    let pain_chart = charts::line(
        "pain",
        "Morning knee pain",
        &pain_desc,
        &Axis { min: 0.0, max: 10.0, step: 2.0, band: None },
        &pain_points,
    );

    let mut adherence_points = Vec::new();
    let mut adherence_rows = Vec::new();
    for w in 1..=week {
        let first = plan.start_day + i64::from(w - 1) * 7;
        let planned: u32 = plan.active_on(first).iter().map(|e| e.exercise.dose.per_week).sum();
        let done = checkins.iter().filter(|c| c.done && c.day >= first && c.day < first + 7).count() as u32;
        let pct = if planned == 0 { 0.0 } else { (f64::from(done) * 100.0 / f64::from(planned)).min(100.0) };
        adherence_points.push(Point { label: format!("W{w}"), value: Some(pct.round()), marked: false });
        adherence_rows
            .push(Row { label: format!("Week {w}"), value: format!("{done} of {planned} sessions ({pct:.0} %)") });
    }
    let adherence_chart = charts::bars(
        "adherence",
        "Sessions done per week",
        "The share of the week's planned exercise sessions that were checked in as done.",
        &Axis { min: 0.0, max: 100.0, step: 25.0, band: None },
        &adherence_points,
    );
    CourseCharts { pain_chart, pain_rows, adherence_chart, adherence_rows }
}

/// The function questionnaire's scores as a chart and a table.
pub(crate) struct ScoreChart {
    /// The questionnaire's name.
    pub(crate) name: String,
    /// The chart, with the band of no real change around the first score.
    pub(crate) chart: String,
    /// The scores behind it.
    pub(crate) rows: Vec<Row>,
}

/// The function questionnaire a person answers (Kujala or KOOS-12: never both), if they answered one.
pub(crate) fn function_instrument(responses: &[OutcomeResponse]) -> Option<&'static str> {
    ["kujala", "koos12"].into_iter().find(|i| responses.iter().any(|r| r.instrument == *i))
}

/// The function questionnaire's headline scores against the band of no real change, if there are any.
pub(crate) fn score_chart(responses: &[OutcomeResponse]) -> Option<ScoreChart> {
    let instrument = function_instrument(responses)?;
    let first_version = responses.iter().find(|r| r.instrument == instrument).map(|r| r.version.clone());
    let series: Vec<(String, f64)> = responses
        .iter()
        // Scores of different versions are never compared, so only the first version's are drawn.
        .filter(|r| r.instrument == instrument && Some(&r.version) == first_version.as_ref())
        .filter_map(|r| headline(instrument, &r.scores).map(|v| (format!("W{}", r.week), v)))
        .collect();
    let (_, baseline) = series.first()?;
    let band = Some(((baseline - 10.0).max(0.0), (baseline + 10.0).min(100.0)));
    let name = if instrument == "kujala" { "Kujala score (kneecap pain)" } else { "KOOS-12 summary" }.to_owned();
    let points: Vec<Point> =
        series.iter().map(|(l, v)| Point { label: l.clone(), value: Some(*v), marked: true }).collect();
    let chart = charts::line(
        "scores",
        &name,
        "Higher is better. The shaded band is within 10 points of the first score: changes inside it may be noise.",
        &Axis { min: 0.0, max: 100.0, step: 20.0, band },
        &points,
    );
    let rows = series.iter().map(|(l, v)| Row { label: l.replace('W', "Week "), value: format!("{v:.1}") }).collect();
    Some(ScoreChart { name, chart, rows })
}

/// The latest `limit` plan changes, newest first, each with who made it as `by` tells.
pub(crate) fn change_rows(
    kb: &Knowledge,
    changes: &[PlanChange],
    limit: usize,
    by: impl Fn(&PlanChange) -> String,
) -> Vec<ChangeRow> {
    let name_of = |id: &str| kb.exercise(id).map_or_else(|| id.to_owned(), |x| x.name.clone());
    changes
        .iter()
        .rev()
        .take(limit)
        .map(|c| ChangeRow {
            date: super::date(c.created_at),
            exercise: name_of(&c.exercise_id),
            by: by(c),
            note: c.note.clone().unwrap_or_else(|| c.reason.clone()),
        })
        .collect()
}
