//! `GET /assess/camera/review`: what the camera saw, for the person to confirm. Every finding is shown as
//! the wizard's own question for its answer, prefilled with the camera's value, with how sure the camera
//! is (in words and as a number) and why; then what each view could not judge, the set-up problems it
//! noticed, and the reps it counted.
//!
//! `POST /assess/camera/review`: every value is checked exactly as the wizard checks it
//! (`Answers::set`); a mistake shows the page again with the values as sent (422) and writes nothing.
//! Otherwise the answers go into the draft and, in the same write, the camera state records which of them
//! came from the camera: only the ids it proposed, and only where the person kept its value. The
//! pending analyses are then done with, and the person continues on the wizard's squat step.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::Answers;
use kneeroot_core::camera::provenance::{CameraState, PendingAnalysis, Provenance};
use kneeroot_core::knowledge::Knowledge;
use kneeroot_store::{Session, Store};
use serde_json::Value as Json;

use super::{squat_group, view_label};
use crate::error::{PageResult, Problem};
use crate::pages::draft::Draft;
use crate::pages::wizard::{Input, QuestionView, Sticky, anchor, read_field, view_of};
use crate::session::{CheckedForm, Visitor};
use crate::state::AppState;
use crate::views::{Layout, html};

/// Where a finding came from, beside its question.
struct Note {
    /// The answer id.
    id: String,
    /// "front view".
    view: &'static str,
    /// "high", "moderate", "low".
    words: &'static str,
    /// The confidence, two decimals.
    number: String,
    explanation: String,
}

/// One view's analysis.
struct AnalysisView {
    label: &'static str,
    reps: usize,
    frames: usize,
    frames_with_pose: usize,
    issues: Vec<String>,
    /// (question, why it could not be judged).
    not_assessed: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "camera/review.html")]
struct ReviewPage {
    layout: Layout,
    csrf: String,
    analyses: Vec<AnalysisView>,
    questions: Vec<QuestionView>,
    notes: Vec<Note>,
    errors: Vec<(String, String)>,
    squat_group: String,
}

impl ReviewPage {
    /// The note for question `id`.
    fn note(&self, id: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.id == id)
    }
}

/// The pieces of the page that come from the camera state, with the questions shown as `sticky` says.
fn page<'a>(
    kb: &Knowledge,
    visitor: &Visitor,
    session: &Session,
    camera: &CameraState,
    proposals: &[(String, Provenance)],
    sticky: impl Fn(&str) -> Sticky<'a>,
    errors: Vec<(String, String, String)>,
) -> ReviewPage {
    let questions = proposals
        .iter()
        .filter_map(|(id, _)| kb.question(id))
        .map(|q| {
            let error = errors.iter().find(|(id, _, _)| *id == q.id).map(|(_, _, m)| m.clone());
            view_of(q, sticky(&q.id), error)
        })
        .collect();
    let notes = proposals.iter().map(|(id, p)| note(id, p)).collect();
    ReviewPage {
        layout: Layout::for_visitor(visitor),
        csrf: session.csrf_token.clone(),
        analyses: camera.pending().iter().map(|a| analysis_view(kb, a)).collect(),
        questions,
        notes,
        errors: errors.into_iter().map(|(_, anchor, message)| (anchor, message)).collect(),
        squat_group: squat_group(kb),
    }
}

fn note(id: &str, p: &Provenance) -> Note {
    Note {
        id: id.to_owned(),
        view: view_label(p.view),
        words: p.confidence_words(),
        number: format!("{:.2}", p.confidence),
        explanation: p.explanation.clone(),
    }
}

fn analysis_view(kb: &Knowledge, a: &PendingAnalysis) -> AnalysisView {
    AnalysisView {
        label: view_label(a.view),
        reps: a.reps,
        frames: a.frames,
        frames_with_pose: a.frames_with_pose,
        issues: a.issues.clone(),
        not_assessed: a
            .not_assessed
            .iter()
            .map(|(id, why)| (kb.question(id).map_or_else(|| id.clone(), |q| q.text.clone()), why.clone()))
            .collect(),
    }
}

/// `GET /assess/camera/review`
pub async fn show<S: Store>(State(state): State<AppState<S>>, visitor: Visitor) -> PageResult<Response> {
    let kb = &state.kb;
    let Some(session) = &visitor.session else { return Ok(Redirect::to("/assess/camera").into_response()) };
    let camera = CameraState::load(session.camera.as_deref());
    if !camera.has_pending() {
        return Ok(Redirect::to("/assess/camera").into_response());
    }
    let proposals = camera.proposals();
    // Each question prefilled with the camera's value, checked as an answer would be (a value the
    // knowledge base no longer takes is shown unselected).
    let mut prefilled = Answers::empty(kb);
    for (id, p) in &proposals {
        let _ = prefilled.set(kb, id, &p.value);
    }
    let page = page(kb, &visitor, session, &camera, &proposals, |id| Sticky::Stored(prefilled.get(kb, id)), Vec::new());
    Ok(html(&page)?.into_response())
}

/// `POST /assess/camera/review`
pub async fn confirm<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Response> {
    let kb = &state.kb;
    let mut camera = CameraState::load(form.session.camera.as_deref());
    if !camera.has_pending() {
        return Ok(Redirect::to("/assess/camera").into_response());
    }
    let mut answers = Draft::answers(kb, &form.session);
    let mut errors = Vec::new();
    let mut kept = Vec::new();
    let proposals = camera.proposals();
    for (id, provenance) in &proposals {
        let Some(q) = kb.question(id) else { continue };
        match read_field(q, &form).and_then(|v| answers.set(kb, id, &v).map(|()| v).map_err(|e| e.to_string())) {
            Ok(value) => kept.push((id.clone(), provenance.clone(), value)),
            Err(message) => errors.push((id.clone(), anchor(id), format!("{}: {message}", q.text))),
        }
    }
    if !errors.is_empty() {
        let page = page(kb, &form.visitor, &form.session, &camera, &proposals, |_| Sticky::Submitted(&form), errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    for (id, provenance, value) in &kept {
        if *value == provenance.value {
            camera.confirm(id, provenance.clone());
        } else {
            camera.forget(id);
        }
    }
    // The person did the squat on camera: the squat's questions apply to them.
    let answered = kept.iter().any(|(_, _, value)| !value.is_null());
    if answered && kb.question("squat.done").is_some() {
        answers.set(kb, "squat.done", &Json::Bool(true)).map_err(|e| Problem::Internal(anyhow::anyhow!("{e}")))?;
    }
    camera.clear_pending();
    Draft::save_with_camera(&state, &form.session, &answers, camera.save().as_deref()).await?;
    Ok(Redirect::to(&format!("/assess/{}", squat_group(kb))).into_response())
}
