//! The progress page: morning pain over time with the check-in days marked, adherence per week, the
//! function questionnaire's scores against the band of no real change, and the plan changes so far, each
//! chart with a table of the same numbers. When the rules say it is time to see a physiotherapist, the
//! page says so first.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_store::Store;

use super::current::{current_plan, latest_decision, today};
use crate::charts::{self, Axis, Point};
use crate::error::PageResult;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::views::{Layout, html};

pub(crate) struct Row {
    label: String,
    value: String,
}

pub(crate) struct ChangeRow {
    date: String,
    exercise: String,
    by: String,
    note: String,
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
fn headline(instrument: &str, scores: &str) -> Option<f64> {
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
    let from = plan.start_day.max(today - 83);
    let checkins: Vec<_> = plan.checkins.iter().filter(|c| c.day <= today).cloned().collect();
    let mornings: Vec<_> = plan.mornings.iter().filter(|m| m.day <= today).cloned().collect();
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

    let responses = state.store.responses(&me.user.id).await?;
    let function = ["kujala", "koos12"].into_iter().find(|i| responses.iter().any(|r| r.instrument == *i));
    let (mut score_chart, mut score_rows, mut score_name) = (None, Vec::new(), String::new());
    if let Some(instrument) = function {
        let first_version = responses.iter().find(|r| r.instrument == instrument).map(|r| r.version.clone());
        let series: Vec<(String, f64)> = responses
            .iter()
            // Scores of different versions are never compared, so only the first version's are drawn.
            .filter(|r| r.instrument == instrument && Some(&r.version) == first_version.as_ref())
            .filter_map(|r| headline(instrument, &r.scores).map(|v| (format!("W{}", r.week), v)))
            .collect();
        if let Some((_, baseline)) = series.first() {
            let band = Some(((baseline - 10.0).max(0.0), (baseline + 10.0).min(100.0)));
            score_name =
                if instrument == "kujala" { "Kujala score (kneecap pain)".into() } else { "KOOS-12 summary".into() };
            let points: Vec<Point> =
                series.iter().map(|(l, v)| Point { label: l.clone(), value: Some(*v), marked: true }).collect();
            score_chart = Some(charts::line(
                "scores",
                &score_name,
                "Higher is better. The shaded band is within 10 points of the first score: changes inside it may be noise.",
                &Axis { min: 0.0, max: 100.0, step: 20.0, band },
                &points,
            ));
            score_rows =
                series.iter().map(|(l, v)| Row { label: l.replace('W', "Week "), value: format!("{v:.1}") }).collect();
        }
    }

    let see_physio = plan
        .active_on(today)
        .iter()
        .filter_map(|e| latest_decision(kb, &plan, e, &checkins, &mornings))
        .filter(|(_, d)| d.see_physio)
        .map(|(_, d)| d.reason)
        .collect();
    let name_of = |id: &str| kb.exercise(id).map_or_else(|| id.to_owned(), |x| x.name.clone());
    let changes = plan
        .changes
        .iter()
        .rev()
        .take(10)
        .map(|c| ChangeRow {
            date: super::date(c.created_at),
            exercise: name_of(&c.exercise_id),
            by: if c.author_id.is_some() { "your physiotherapist".into() } else { "the pain rules".into() },
            note: c.note.clone().unwrap_or_else(|| c.reason.clone()),
        })
        .collect();
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
        pain_chart,
        pain_rows,
        adherence_chart,
        adherence_rows,
        score_chart,
        score_rows,
        score_name,
        changes,
        quiet_days,
    };
    Ok(html(&page)?.into_response())
}
