//! The assessment wizard: one group of questions per page, red flags first.
//!
//! Each page shows the group's questions that apply to the answers so far (a question with `ask_when`
//! appears once its condition holds, so answering "yes, I did the squat" brings the squat details onto
//! the same page). Answers are checked with the same validation as the API and the command line; a page
//! with mistakes comes back with every answer kept and each problem next to its question. Answers are
//! saved to the session's draft after every page, so leaving and returning loses nothing. As soon as the
//! answers raise an `urgent` or `emergency` red flag, the wizard stops on a "where to go now" page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::Answers;
use kneeroot_core::answers::{Value, format_number};
use kneeroot_core::condition::Tri;
use kneeroot_core::facts::AnswerFacts;
use kneeroot_core::knowledge::{Knowledge, Question, QuestionKind, TriageLevel};
use kneeroot_core::triage::{Reason, triage};
use kneeroot_store::Store;
use serde_json::Value as Json;

use super::draft::{Draft, save_assessment};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, Visitor};
use crate::state::AppState;
use crate::views::{Layout, html};

/// Pictures of the self-tests, shown with the question that needs them.
const ILLUSTRATIONS: [(&str, &str, &str); 8] = [
    (
        "squat.done",
        "squat-test.svg",
        "Two people squatting seen from the front: knees in line over the toes, and a knee caving inward.",
    ),
    (
        "squat.heels_lift",
        "squat-side.svg",
        "A squat seen from the side: heels lifting, the back rounding, leaning forward.",
    ),
    (
        "back_ball.stiffer_side",
        "back-ball-test.svg",
        "Standing with the back to a wall, a ball pressed just beside the spine.",
    ),
    (
        "ankle.knee_to_wall_left_cm",
        "knee-to-wall.svg",
        "The knee-to-wall test: front foot on a line, heel down, knee touching the wall.",
    ),
    ("hip.single_leg_stance_drop", "single-leg-stance.svg", "Standing on one leg: pelvis level, and the hip dipping."),
    (
        "hip.extension_tight",
        "thomas-test.svg",
        "Lying back on the edge of a bed hugging one knee, the other thigh resting flat or staying lifted.",
    ),
    (
        "hip.rotation_restricted",
        "hip-rotation.svg",
        "Sitting on a chair, the lower leg swung out and in to turn the hip.",
    ),
    (
        "hip.side_lying_lift_weak",
        "side-lying-leg-lift.svg",
        "Lying on one side with the top leg lifted slightly behind the body.",
    ),
];

/// One option of a choice question, as the shared question template (`question.html`) shows it.
pub(crate) struct Opt {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

/// The input widget of a question.
pub(crate) enum Input {
    Number { min: String, max: String, step: String, value: String },
    Choice { options: Vec<Opt>, multiple: bool, inline: bool },
}

/// One question as the shared question template (`question.html`) renders it: the wizard's pages and the
/// camera's review page show questions alike.
pub(crate) struct QuestionView {
    pub(crate) id: String,
    pub(crate) anchor: String,
    pub(crate) text: String,
    pub(crate) help: Option<String>,
    pub(crate) unit: Option<String>,
    pub(crate) illustration: Option<&'static str>,
    pub(crate) illustration_alt: &'static str,
    pub(crate) error: Option<String>,
    pub(crate) input: Input,
}

#[derive(Template)]
#[template(path = "wizard.html")]
struct WizardPage {
    layout: Layout,
    group: String,
    title: String,
    intro: Option<String>,
    number: usize,
    total: usize,
    csrf: String,
    questions: Vec<QuestionView>,
    errors: Vec<(String, String)>,
    previous: Option<String>,
    last: bool,
    /// On the squat step, when the pose model is installed: offer to film the squat instead.
    film_instead: bool,
}

#[derive(Template)]
#[template(path = "wizard_start.html")]
struct StartPage {
    layout: Layout,
    parts: usize,
    first: String,
    continue_at: Option<String>,
    csrf: String,
}

#[derive(Template)]
#[template(path = "stop.html")]
struct StopPage {
    layout: Layout,
    heading: String,
    lead: String,
    reasons: Vec<Reason>,
    back_to: String,
    answers: Vec<(String, String)>,
}

/// The questions of group `g` that apply to `answers` (no condition, or a condition that holds).
fn applicable<'k>(kb: &'k Knowledge, answers: &Answers, group: &str) -> Vec<(usize, &'k Question)> {
    let facts = AnswerFacts::new(kb, answers);
    kb.questions()
        .iter()
        .enumerate()
        .filter(|(_, q)| q.group == group && q.ask_when.as_ref().is_none_or(|w| w.eval(&facts) == Tri::True))
        .collect()
}

/// Index of a group, if it exists.
fn group_index(kb: &Knowledge, id: &str) -> Option<usize> {
    kb.groups().iter().position(|g| g.id == id)
}

/// The first group after `from` (exclusive, or from the start with `None`) that has questions to show.
fn next_group(kb: &Knowledge, answers: &Answers, from: Option<usize>) -> Option<String> {
    let start = from.map_or(0, |i| i + 1);
    kb.groups().iter().skip(start).find(|g| !applicable(kb, answers, &g.id).is_empty()).map(|g| g.id.clone())
}

fn previous_group(kb: &Knowledge, answers: &Answers, from: usize) -> Option<String> {
    kb.groups()[..from].iter().rev().find(|g| !applicable(kb, answers, &g.id).is_empty()).map(|g| g.id.clone())
}

/// `GET /assess`
pub async fn start<S: Store>(State(state): State<AppState<S>>, mut visitor: Visitor) -> PageResult<Response> {
    let kb = &state.kb;
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let answers = Draft::answers(kb, &session);
    let first = next_group(kb, &answers, None).unwrap_or_default();
    let continue_at =
        (answers.answered_count() > 0).then(|| first_unanswered_group(kb, &answers).unwrap_or_else(|| first.clone()));
    let page = StartPage {
        layout: Layout::for_visitor(&visitor),
        parts: kb.groups().len(),
        first,
        continue_at,
        csrf: session.csrf_token,
    };
    Ok((cookie, html(&page)?).into_response())
}

fn first_unanswered_group(kb: &Knowledge, answers: &Answers) -> Option<String> {
    kb.groups()
        .iter()
        .find(|g| applicable(kb, answers, &g.id).iter().any(|(i, _)| answers.get_index(*i).is_none()))
        .map(|g| g.id.clone())
}

/// `POST /assess/reset`: forget the draft.
pub async fn reset<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Redirect> {
    Draft::clear(&state, &form.session).await?;
    let first = next_group(&state.kb, &Answers::empty(&state.kb), None).unwrap_or_default();
    Ok(Redirect::to(&format!("/assess/{first}")))
}

/// `GET /assess/{group}`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    mut visitor: Visitor,
    Path(group): Path<String>,
) -> PageResult<Response> {
    let kb = &state.kb;
    let index = group_index(kb, &group).ok_or(AppError(Problem::NotFound))?;
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let answers = Draft::answers(kb, &session);
    let questions = applicable(kb, &answers, &group);
    if questions.is_empty() {
        // Nothing to ask here with these answers: move on.
        return Ok(Redirect::to(&next_url(kb, &answers, index)).into_response());
    }
    let views = questions.iter().map(|(i, q)| view_of(q, Sticky::Stored(answers.get_index(*i)), None)).collect();
    let page = page(&state, &visitor, index, session.csrf_token, &answers, views, Vec::new());
    Ok((cookie, html(&page)?).into_response())
}

fn next_url(kb: &Knowledge, answers: &Answers, index: usize) -> String {
    match next_group(kb, answers, Some(index)) {
        Some(g) => format!("/assess/{g}"),
        None => "/results".to_owned(),
    }
}

fn page<S>(
    state: &AppState<S>,
    visitor: &Visitor,
    index: usize,
    csrf: String,
    answers: &Answers,
    questions: Vec<QuestionView>,
    errors: Vec<(String, String)>,
) -> WizardPage {
    let kb = &state.kb;
    let g = &kb.groups()[index];
    WizardPage {
        layout: Layout::for_visitor(visitor),
        group: g.id.clone(),
        title: g.title.clone(),
        intro: g.intro.clone(),
        number: index + 1,
        total: kb.groups().len(),
        csrf,
        questions,
        errors,
        previous: previous_group(kb, answers, index),
        last: next_group(kb, answers, Some(index)).is_none(),
        film_instead: g.id == super::camera::squat_group(kb) && state.pose_ready,
    }
}

/// `POST /assess/{group}`
pub async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(group): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let kb = &state.kb;
    let index = group_index(kb, &group).ok_or(AppError(Problem::NotFound))?;
    let mut answers = Draft::answers(kb, &form.session);
    // Only the questions the page showed are updated; a forged field for another group is ignored.
    let shown: Vec<&str> = form.all("shown");
    let on_page: Vec<(usize, &Question)> =
        kb.questions().iter().enumerate().filter(|(_, q)| q.group == group && shown.contains(&q.id.as_str())).collect();
    let mut errors = Vec::new();
    let mut field_errors: Vec<(usize, String)> = Vec::new();
    for (i, q) in &on_page {
        match read_field(q, &form).and_then(|v| answers.set(kb, &q.id, &v).map_err(|e| e.to_string())) {
            Ok(()) => {}
            Err(message) => {
                errors.push((anchor(&q.id), format!("{}: {message}", q.text)));
                field_errors.push((*i, message));
            }
        }
    }
    if !errors.is_empty() {
        let views = on_page
            .iter()
            .map(|(i, q)| {
                let err = field_errors.iter().find(|(j, _)| j == i).map(|(_, m)| m.clone());
                view_of(q, Sticky::Submitted(&form), err)
            })
            .collect();
        let page = page(&state, &form.visitor, index, form.session.csrf_token.clone(), &answers, views, errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    Draft::save(&state, &form.session, &answers).await?;

    if triage(&AnswerFacts::new(kb, &answers)).level >= TriageLevel::Urgent {
        return Ok(Redirect::to("/assess/stop").into_response());
    }
    // Answers on this page may have opened questions on the same page (the squat details after
    // "I did the squat"): show the page again with them.
    let now_applicable = applicable(kb, &answers, &group);
    if now_applicable.iter().any(|(_, q)| !shown.contains(&q.id.as_str())) {
        return Ok(Redirect::to(&format!("/assess/{group}")).into_response());
    }
    if let Some(next) = next_group(kb, &answers, Some(index)) {
        return Ok(Redirect::to(&format!("/assess/{next}")).into_response());
    }
    // Finished. A signed-in person's assessment is saved straight away.
    if let Some(user) = &form.visitor.user {
        let (stored, _) = save_assessment(&state, &user.id, &answers, form.session.camera.as_deref()).await?;
        Draft::clear(&state, &form.session).await?;
        return Ok(Redirect::to(&format!("/assessments/{}", stored.id)).into_response());
    }
    Ok(Redirect::to("/results").into_response())
}

/// `GET /assess/stop`: where to go now.
pub async fn stop<S: Store>(State(state): State<AppState<S>>, visitor: Visitor) -> PageResult<Response> {
    let kb = &state.kb;
    let Some(session) = &visitor.session else { return Ok(Redirect::to("/assess").into_response()) };
    let answers = Draft::answers(kb, session);
    let t = triage(&AnswerFacts::new(kb, &answers));
    if t.level < TriageLevel::Urgent {
        return Ok(Redirect::to("/assess").into_response());
    }
    Ok(stop_response(&state, &visitor, t, &answers, "assess/flags")?)
}

/// The "where to go now" page for a triage at `urgent` or `emergency`, with the answers to take along.
/// `back_to` is the path (without the leading slash) for "I answered by mistake".
pub(crate) fn stop_response<S>(
    state: &AppState<S>,
    visitor: &Visitor,
    t: kneeroot_core::triage::Triage,
    answers: &Answers,
    back_to: &str,
) -> Result<Response, Problem> {
    let kb = &state.kb;
    let (heading, lead) = if t.level == TriageLevel::Emergency {
        ("Get help now", "Go to the emergency department now, or call your local emergency number.")
    } else {
        (
            "Get seen today",
            "Your answers mean your knee should be checked by a doctor or urgent care today, before any exercise plan.",
        )
    };
    let page = StopPage {
        layout: Layout::for_visitor(visitor),
        heading: heading.into(),
        lead: lead.into(),
        reasons: t.reasons.into_iter().filter(|r| r.level >= TriageLevel::Urgent).collect(),
        back_to: back_to.into(),
        answers: kb
            .questions()
            .iter()
            .enumerate()
            .filter_map(|(i, q)| {
                answers
                    .get_index(i)
                    .map(|v| (q.text.clone(), kneeroot_core::report::value_label(kb, &q.id, &v.to_json())))
            })
            .collect(),
    };
    Ok(html(&page)?.into_response())
}

/// Where a question's displayed value comes from.
pub(crate) enum Sticky<'a> {
    Stored(Option<&'a Value>),
    Submitted(&'a CheckedForm),
}

/// The HTML anchor of a question (`q-{anchor}`).
pub(crate) fn anchor(id: &str) -> String {
    id.replace('.', "-")
}

/// The view of question `q`, showing the value `sticky` gives and an error, if any.
pub(crate) fn view_of(q: &Question, sticky: Sticky<'_>, error: Option<String>) -> QuestionView {
    let (illustration, alt) =
        ILLUSTRATIONS.iter().find(|(id, _, _)| *id == q.id).map_or((None, ""), |(_, f, a)| (Some(*f), *a));
    let is_checked = |value: &str| -> bool {
        match &sticky {
            Sticky::Submitted(form) => form.all(&q.id).contains(&value),
            Sticky::Stored(v) => match v {
                Some(Value::Bool(b)) => (value == "yes") == *b,
                Some(Value::Enum(s)) => s == value,
                Some(Value::List(items)) => items.iter().any(|i| i == value),
                Some(Value::Side(s)) => s.as_str() == value,
                _ => false,
            },
        }
    };
    let choices = |pairs: Vec<(String, String)>| {
        pairs.into_iter().map(|(value, label)| Opt { checked: is_checked(&value), value, label }).collect()
    };
    let input = match &q.kind {
        QuestionKind::Int { min, max } => number_input(&sticky, q, min.to_string(), max.to_string(), "1"),
        QuestionKind::Number { min, max } => number_input(&sticky, q, format_number(*min), format_number(*max), "any"),
        QuestionKind::Bool => Input::Choice {
            options: choices(vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]),
            multiple: false,
            inline: true,
        },
        QuestionKind::Side => Input::Choice {
            options: choices(vec![
                ("none".into(), "Neither side".into()),
                ("left".into(), "Left".into()),
                ("right".into(), "Right".into()),
                ("both".into(), "Both".into()),
            ]),
            multiple: false,
            inline: true,
        },
        QuestionKind::Enum | QuestionKind::List => Input::Choice {
            options: choices(q.options.iter().map(|o| (o.value.clone(), o.label.clone())).collect()),
            multiple: q.kind == QuestionKind::List,
            inline: false,
        },
    };
    QuestionView {
        id: q.id.clone(),
        anchor: anchor(&q.id),
        text: q.text.clone(),
        help: q.help.clone(),
        unit: q.unit.clone(),
        illustration,
        illustration_alt: alt,
        error,
        input,
    }
}

fn number_input(sticky: &Sticky<'_>, q: &Question, min: String, max: String, step: &str) -> Input {
    let value = match sticky {
        Sticky::Submitted(form) => form.get(&q.id).unwrap_or_default().to_owned(),
        Sticky::Stored(Some(v)) => v.display(),
        Sticky::Stored(None) => String::new(),
    };
    Input::Number { min, max, step: step.into(), value }
}

/// The JSON value a form gives for a question (`null` = left blank), or what was wrong with it.
pub(crate) fn read_field(q: &Question, form: &CheckedForm) -> Result<Json, String> {
    let values = form.all(&q.id);
    let first = values.first().map(|v| v.trim()).unwrap_or_default();
    match &q.kind {
        QuestionKind::List => {
            if values.is_empty() {
                Ok(Json::Null)
            } else {
                Ok(Json::Array(values.iter().map(|v| Json::String((*v).to_owned())).collect()))
            }
        }
        _ if first.is_empty() => Ok(Json::Null),
        QuestionKind::Bool => match first {
            "yes" => Ok(Json::Bool(true)),
            "no" => Ok(Json::Bool(false)),
            _ => Err("please choose yes or no".into()),
        },
        QuestionKind::Int { .. } | QuestionKind::Number { .. } => {
            let n: f64 = first.replace(',', ".").parse().map_err(|_| format!("'{first}' is not a number"))?;
            if !n.is_finite() {
                return Err(format!("'{first}' is not a number"));
            }
            Ok(if n.fract() == 0.0 && n.abs() < 1e15 {
                Json::from(n as i64)
            } else {
                serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
            })
        }
        QuestionKind::Enum | QuestionKind::Side => Ok(Json::String(first.to_owned())),
    }
}

#[cfg(test)]
mod tests;
