//! Check-ins: after a session, per exercise (done, sets, reps, pain during, good form), and the next
//! morning (pain and stiffness against the usual level, and any new warning sign). Quick on a phone: one
//! page, everything optional except what was done, any of the last 14 days editable.
//!
//! Recording a check-in does three things, in this order: store it; re-run triage with any new red flag,
//! which pre-empts everything (the person is told where to go and the plan stops); and apply the
//! pain-monitoring rules to each exercise, appending the plan change they call for (once per session) to
//! the plan-change log with the reason in the person's terms. Pages and the API share [`record`].

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::knowledge::TriageLevel;
use kneeroot_core::plan::edit_for;
use kneeroot_core::progression::{CheckinFlags, Decision, DecisionKind, checkin_triage};
use kneeroot_core::triage::Triage;
use kneeroot_store::{Day, ExerciseCheckin, MorningReport, NewPlanChange, Stiffness, Store, User};
use serde::Deserialize;

use super::current::{CurrentPlan, current_plan, latest_decision, parse_ymd, today, ymd};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// The warning signs a check-in asks about (red-flag answer ids).
pub(crate) const CHECKIN_FLAGS: [&str; 6] = [
    "flag.knee_locked",
    "flag.hot_red_swollen_knee",
    "flag.fever_or_unwell",
    "flag.calf_pain_swelling",
    "flag.cannot_bear_weight",
    "flag.chest_pain_or_breathless",
];

/// How far back a check-in can be written or edited.
pub(crate) const EDITABLE_DAYS: i64 = 14;

/// One exercise's report, parsed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExerciseReport {
    pub exercise_id: String,
    pub done: bool,
    #[serde(default)]
    pub sets_done: Option<i64>,
    #[serde(default)]
    pub reps_done: Option<i64>,
    #[serde(default)]
    pub pain_during: Option<i64>,
    #[serde(default = "yes")]
    pub quality_ok: bool,
}

fn yes() -> bool {
    true
}

/// The morning report, parsed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MorningInput {
    pub pain: i64,
    pub usual: i64,
    #[serde(default = "same")]
    pub stiffness: Stiffness,
    #[serde(default)]
    pub flags: Vec<String>,
}

fn same() -> Stiffness {
    Stiffness::Same
}

/// What recording a check-in led to.
pub(crate) struct Recorded {
    /// Triage with the new flags (pre-empts everything at urgent/emergency).
    pub triage: Option<Triage>,
    /// Decisions per exercise that changed the plan: (exercise id, decision).
    pub decisions: Vec<(String, Decision)>,
}

/// Check a check-in against the plan and the ranges; every problem names its field.
pub(crate) fn validate(
    plan: &CurrentPlan,
    day: Day,
    today: Day,
    exercises: &[ExerciseReport],
    morning: Option<&MorningInput>,
) -> Result<(), Problem> {
    if day > today || day < plan.first_checkin_day(today) {
        return Err(Problem::field(
            "day",
            format!(
                "Check-ins can be written for today and the {EDITABLE_DAYS} days before it, from the day your plan started."
            ),
        ));
    }
    let active: Vec<&str> = plan.active_on(day).into_iter().map(|e| e.exercise.id.as_str()).collect();
    for e in exercises {
        if !active.contains(&e.exercise_id.as_str()) {
            return Err(Problem::field(
                "exercise_id",
                format!("'{}' is not an exercise of your plan on that day.", e.exercise_id),
            ));
        }
        for (name, v, max) in
            [("sets_done", e.sets_done, 20), ("reps_done", e.reps_done, 100), ("pain_during", e.pain_during, 10)]
        {
            if let Some(v) = v
                && !(0..=max).contains(&v)
            {
                return Err(Problem::field(name, format!("{name} = {v} is not allowed; expected 0 to {max}.")));
            }
        }
    }
    if let Some(m) = morning {
        for (name, v) in [("pain", m.pain), ("usual", m.usual)] {
            if !(0..=10).contains(&v) {
                return Err(Problem::field(name, format!("{name} = {v} is not allowed; expected 0 to 10.")));
            }
        }
        if let Some(f) = m.flags.iter().find(|f| !CHECKIN_FLAGS.contains(&f.as_str())) {
            return Err(Problem::field(
                "flags",
                format!("'{f}' is not a warning sign kneeroot asks about in a check-in."),
            ));
        }
    }
    Ok(())
}

/// Store a check-in, triage its flags, and apply the progression rules.
pub(crate) async fn record<S: Store>(
    state: &AppState<S>,
    user: &User,
    plan: &CurrentPlan,
    day: Day,
    exercises: &[ExerciseReport],
    morning: Option<&MorningInput>,
) -> Result<Recorded, Problem> {
    let now = state.now();
    for e in exercises {
        state
            .store
            .upsert_checkin(&ExerciseCheckin {
                user_id: user.id.clone(),
                day,
                exercise_id: e.exercise_id.clone(),
                done: e.done,
                sets_done: e.sets_done,
                reps_done: e.reps_done,
                pain_during: e.pain_during,
                quality_ok: e.quality_ok,
                updated_at: now,
            })
            .await?;
    }
    let mut triage = None;
    if let Some(m) = morning {
        state
            .store
            .upsert_morning(&MorningReport {
                user_id: user.id.clone(),
                day,
                pain: m.pain,
                usual: m.usual,
                stiffness: m.stiffness,
                flags: m.flags.clone(),
                updated_at: now,
            })
            .await?;
        if !m.flags.is_empty() {
            let t = checkin_triage(&state.kb, &plan.parsed.answers, &CheckinFlags(m.flags.clone()))
                .map_err(|e| Problem::field("flags", e.to_string()))?;
            if t.level >= TriageLevel::Urgent {
                // Safety pre-empts the plan: no progression is applied.
                return Ok(Recorded { triage: Some(t), decisions: Vec::new() });
            }
            triage = Some(t);
        }
    }
    let decisions = apply_rules(state, user, plan).await?;
    Ok(Recorded { triage, decisions })
}

/// Apply the pain-monitoring rules to every exercise of the plan, once per session.
async fn apply_rules<S: Store>(
    state: &AppState<S>,
    user: &User,
    plan: &CurrentPlan,
) -> Result<Vec<(String, Decision)>, Problem> {
    let from = plan.start_day;
    let to = today(state.now()) + 1;
    let checkins = state.store.checkins(&user.id, from, to).await?;
    let mornings = state.store.mornings(&user.id, from, to).await?;
    let mut out = Vec::new();
    for e in plan.steps.iter().flatten() {
        let Some((session_day, decision)) = latest_decision(&state.kb, plan, e, &checkins, &mornings) else { continue };
        if decision.decision == DecisionKind::Hold {
            continue;
        }
        // A clinician who changed this exercise's dose on or after the session's day had seen it: their
        // change wins over the rules' verdict on it (see `clinic::plan_edit`).
        if crate::clinic::clinician_decided_after(&plan.changes, &e.exercise.id, session_day) {
            continue;
        }
        // The reason names the session, which makes the change once-only however often the check-in is edited.
        let reason = format!("The pain-monitoring rules, after your session of {}", super::date(session_day * 86_400));
        let already = plan.changes.iter().any(|c| c.exercise_id == e.exercise.id && c.reason == reason);
        if already {
            continue;
        }
        if let Some(edit) = edit_for(&state.kb, &e.exercise, &decision) {
            let i64_of = |v: Option<u32>| v.map(i64::from);
            state
                .store
                .add_plan_change(&NewPlanChange {
                    user_id: user.id.clone(),
                    exercise_id: edit.exercise_id,
                    replacement: edit.replacement,
                    sets: i64_of(edit.sets),
                    reps: i64_of(edit.reps),
                    hold_seconds: i64_of(edit.hold_seconds),
                    per_week: i64_of(edit.per_week),
                    note: edit.note,
                    author_id: None,
                    reason,
                    now: state.now(),
                })
                .await?;
            out.push((e.exercise.id.clone(), decision));
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
pub struct DayQuery {
    day: Option<String>,
}

pub(crate) struct ExerciseRow {
    id: String,
    name: String,
    dose: String,
    done: Option<bool>,
    sets: String,
    reps: String,
    pain: Option<i64>,
    quality_ok: bool,
    held: bool,
}

pub(crate) struct FlagRow {
    id: String,
    text: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    layout: Layout,
    csrf: String,
    day: String,
    day_label: String,
    week: u32,
    previous_day: Option<String>,
    next_day: Option<String>,
    exercises: Vec<ExerciseRow>,
    morning_pain: Option<i64>,
    usual: Option<i64>,
    stiffness: String,
    flags: Vec<FlagRow>,
    error: Option<String>,
    pain_scale: Vec<i64>,
}

async fn page<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    plan: &CurrentPlan,
    day: Day,
    error: Option<String>,
) -> Result<CheckinPage, Problem> {
    let checkins = state.store.checkins(&me.user.id, day, day).await?;
    let mornings = state.store.mornings(&me.user.id, day - 30, day).await?;
    let this_morning = mornings.iter().find(|m| m.day == day);
    let last_usual = mornings.iter().rev().find(|m| m.day <= day).map(|m| m.usual);
    let today = today(state.now());
    let exercises = plan
        .active_on(day)
        .into_iter()
        .map(|e| {
            let c = checkins.iter().find(|c| c.exercise_id == e.exercise.id);
            ExerciseRow {
                id: e.exercise.id.clone(),
                name: e.exercise.name.clone(),
                dose: kneeroot_core::report::dose_text(&e.exercise.dose),
                done: c.map(|c| c.done),
                sets: c.and_then(|c| c.sets_done).map(|v| v.to_string()).unwrap_or_default(),
                reps: c.and_then(|c| c.reps_done).map(|v| v.to_string()).unwrap_or_default(),
                pain: c.and_then(|c| c.pain_during),
                quality_ok: c.is_none_or(|c| c.quality_ok),
                held: e.exercise.dose.hold_seconds.is_some(),
            }
        })
        .collect();
    let flags = CHECKIN_FLAGS
        .iter()
        .filter_map(|id| state.kb.question(id))
        .map(|q| FlagRow {
            id: q.id.clone(),
            text: q.text.clone(),
            checked: this_morning.is_some_and(|m| m.flags.contains(&q.id)),
        })
        .collect();
    Ok(CheckinPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        day: ymd(day),
        day_label: if day == today { "Today".into() } else { super::date(day * 86_400) },
        week: plan.week_of_day(day),
        previous_day: (day > plan.first_checkin_day(today)).then(|| ymd(day - 1)),
        next_day: (day < today).then(|| ymd(day + 1)),
        exercises,
        morning_pain: this_morning.map(|m| m.pain),
        usual: this_morning.map(|m| m.usual).or(last_usual),
        stiffness: this_morning.map_or("same", |m| m.stiffness.as_str()).to_owned(),
        flags,
        error,
        pain_scale: (0..=10).collect(),
    })
}

/// `GET /checkin[?day=YYYY-MM-DD]`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Query(q): Query<DayQuery>,
) -> PageResult<Response> {
    let Some(plan) = current_plan(&state, &me.user.id).await? else { return Ok(Redirect::to("/plan").into_response()) };
    let today = today(state.now());
    let day = match q.day.as_deref() {
        None | Some("") => today,
        Some(s) => parse_ymd(s).filter(|d| *d <= today && *d >= plan.first_checkin_day(today)).ok_or(AppError(
            Problem::field(
                "day",
                format!("Pick a date within the last {EDITABLE_DAYS} days of your plan, as YYYY-MM-DD."),
            ),
        ))?,
    };
    Ok(html(&page(&state, &me, &plan, day, None).await?)?.into_response())
}

/// Read the form into reports, naming the field of any problem.
fn read_form(
    form: &CheckedForm,
    plan: &CurrentPlan,
    day: Day,
) -> Result<(Vec<ExerciseReport>, Option<MorningInput>), Problem> {
    let int = |name: &str| -> Result<Option<i64>, Problem> {
        match form.get(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => {
                v.parse::<i64>().map(Some).map_err(|_| Problem::field(name, format!("'{v}' is not a whole number.")))
            }
        }
    };
    let mut exercises = Vec::new();
    for e in plan.active_on(day) {
        let id = &e.exercise.id;
        let done = match form.get(&format!("done.{id}")) {
            Some("yes") => true,
            Some("no") => false,
            _ => continue,
        };
        exercises.push(ExerciseReport {
            exercise_id: id.clone(),
            done,
            sets_done: int(&format!("sets.{id}"))?,
            reps_done: int(&format!("reps.{id}"))?,
            pain_during: int(&format!("pain.{id}"))?,
            quality_ok: form.get(&format!("quality.{id}")) != Some("no"),
        });
    }
    let morning = match int("morning_pain")? {
        None => None,
        Some(pain) => Some(MorningInput {
            pain,
            usual: int("usual")?.ok_or_else(|| {
                Problem::field("usual", "Please give your usual morning pain too, so the two can be compared.")
            })?,
            stiffness: match form.get("stiffness").filter(|v| !v.is_empty()) {
                None => Stiffness::Same,
                Some(v) => Stiffness::parse(v).ok_or_else(|| {
                    Problem::field("stiffness", "Please choose less stiff, as usual, or stiffer for this morning.")
                })?,
            },
            flags: form.all("flag").into_iter().map(str::to_owned).collect(),
        }),
    };
    Ok((exercises, morning))
}

/// The person's answers with the warning signs of a morning report set, as triage saw them.
fn with_flags<S>(state: &AppState<S>, plan: &CurrentPlan, morning: Option<&MorningInput>) -> kneeroot_core::Answers {
    let mut answers = plan.parsed.answers.clone();
    for f in morning.map(|m| m.flags.as_slice()).unwrap_or_default() {
        let _ = answers.set(&state.kb, f, &serde_json::Value::Bool(true));
    }
    answers
}

/// Triage of the newest morning report if it carries warning signs that still stand: the plan stays
/// stopped until a later morning report comes without them.
pub(crate) async fn standing_alert<S: Store>(
    state: &AppState<S>,
    user: &User,
    plan: &CurrentPlan,
) -> Result<Option<(Triage, kneeroot_core::Answers)>, Problem> {
    let _ = user;
    let today = today(state.now());
    let Some(last) = plan.mornings.iter().rev().find(|m| m.day <= today).filter(|m| !m.flags.is_empty()) else {
        return Ok(None);
    };
    let t = checkin_triage(&state.kb, &plan.parsed.answers, &CheckinFlags(last.flags.clone()))
        .map_err(|e| Problem::Internal(anyhow::anyhow!("{e}")))?;
    if t.level < TriageLevel::Urgent {
        return Ok(None);
    }
    let input =
        MorningInput { pain: last.pain, usual: last.usual, stiffness: last.stiffness, flags: last.flags.clone() };
    Ok(Some((t, with_flags(state, plan, Some(&input)))))
}

/// `POST /checkin`
pub async fn submit<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Response> {
    let user = form.visitor.user.clone().ok_or(AppError(Problem::Unauthorized))?;
    let me = SignedIn { session: form.session.clone(), user: user.clone() };
    let Some(plan) = current_plan(&state, &user.id).await? else { return Ok(Redirect::to("/plan").into_response()) };
    let today = today(state.now());
    let day = form.get("day").and_then(parse_ymd).unwrap_or(today);
    let parsed =
        read_form(&form, &plan, day).and_then(|(e, m)| validate(&plan, day, today, &e, m.as_ref()).map(|()| (e, m)));
    let (exercises, morning) = match parsed {
        Ok(v) => v,
        Err(p) => {
            let message = crate::error::classify(&p).2;
            let day = day.clamp(plan.first_checkin_day(today), today);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page(&state, &me, &plan, day, Some(message)).await?)?)
                .into_response());
        }
    };
    let recorded = record(&state, &user, &plan, day, &exercises, morning.as_ref()).await?;
    if let Some(t) = &recorded.triage
        && t.level >= TriageLevel::Urgent
    {
        let answers = with_flags(&state, &plan, morning.as_ref());
        return Ok(super::wizard::stop_response(&state, &form.visitor, t.clone(), &answers, "checkin")?);
    }
    Ok(Redirect::to("/progress").into_response())
}

#[cfg(test)]
mod tests;
