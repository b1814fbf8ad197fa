//! The results page: the root causes on a body diagram, each with "because you said …", confidence, the
//! likely patterns, and what would sharpen the picture. A result at `urgent`/`emergency` shows only where
//! to go. Saved assessments show the result stored with them, computed by the knowledge base of the day.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::camera::provenance::{CameraState, applicable};
use kneeroot_core::knowledge::{Knowledge, TriageLevel};
use kneeroot_core::report::{finding_label, likelihood, value_label};
use kneeroot_core::triage::Reason;
use kneeroot_core::{Answers, AssessmentResult, assess};
use kneeroot_store::{AssessmentId, Store};

use super::camera::results::{CameraRow, camera_rows};
use super::draft::{Draft, save_assessment};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, SignedIn, Visitor};
use crate::state::AppState;
use crate::views::{Layout, html};

pub(crate) struct EvidenceView {
    pub(crate) effect: &'static str,
    pub(crate) label: String,
    pub(crate) value: String,
    pub(crate) explanation: String,
}

pub(crate) struct CauseView {
    id: String,
    name: String,
    likelihood: &'static str,
    score: String,
    tenths: u32,
    level: u8,
    confidence: &'static str,
    drivers: Vec<String>,
    evidence: Vec<EvidenceView>,
    statement: String,
    show_statement: bool,
}

pub(crate) struct PresentationView {
    name: String,
    likelihood: &'static str,
    explanation: String,
}

pub(crate) struct MissingView {
    text: String,
    group: String,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    layout: Layout,
    taken: Option<String>,
    soon: Vec<Reason>,
    unanswered_flags: Vec<String>,
    diagram: String,
    causes: Vec<CauseView>,
    presentations: Vec<PresentationView>,
    missing: Vec<MissingView>,
    has_plan: bool,
    plan_link: String,
    save_prompt: bool,
    save_csrf: Option<String>,
    version: String,
    compared_with: Option<String>,
    comparison: Vec<(String, String, String)>,
    reassess_csrf: Option<String>,
    /// The answers that came from the camera (empty when no camera was used).
    camera: Vec<CameraRow>,
}

/// The colour band of a score on the body diagram and the cause cards.
fn level(score: f64) -> u8 {
    match score {
        s if s >= 0.7 => 3,
        s if s >= 0.45 => 2,
        s if s >= 0.2 => 1,
        _ => 0,
    }
}

/// The body diagram with each region coloured by its cause's score.
fn diagram(result: &AssessmentResult) -> String {
    let mut svg = crate::assets::BODY_DIAGRAM.to_owned();
    for c in &result.root_causes {
        let marker = format!("data-region=\"{}\"", c.id);
        let with_level = format!("data-region=\"{}\" data-level=\"{}\"", c.id, level(c.score));
        svg = svg.replace(&marker, &with_level);
        svg = svg.replace(
            &format!("class=\"region\" {with_level}"),
            &format!("class=\"region level-{}\" {with_level}", level(c.score)),
        );
    }
    svg.replacen("<svg", "<svg class=\"body-diagram\" focusable=\"false\"", 1)
}

/// One line per answer: links that fired on the same answer in the same direction are told together.
pub(crate) fn merged_evidence(kb: &Knowledge, evidence: &[kneeroot_core::infer::Evidence]) -> Vec<EvidenceView> {
    let mut out: Vec<(String, EvidenceView)> = Vec::new();
    for e in evidence {
        let effect = if e.effect == kneeroot_core::infer::Effect::For { "for" } else { "against" };
        if let Some((_, v)) = out.iter_mut().find(|(f, v)| f == &e.finding && v.effect == effect) {
            v.explanation.push(' ');
            v.explanation.push_str(&e.explanation);
            continue;
        }
        out.push((
            e.finding.clone(),
            EvidenceView {
                effect,
                label: finding_label(kb, &e.finding),
                value: value_label(kb, &e.finding, &e.value),
                explanation: e.explanation.clone(),
            },
        ));
    }
    out.into_iter().map(|(_, v)| v).collect()
}

/// The self-test answers a reassessment repeats and compares.
pub(crate) const RETESTED: [&str; 13] = [
    "ankle.knee_to_wall_left_cm",
    "ankle.knee_to_wall_right_cm",
    "squat.knee_caves_in",
    "squat.heels_lift",
    "squat.leans_forward",
    "squat.feet_turn_out",
    "squat.back_rounds",
    "squat.depth",
    "squat.pain",
    "single_leg_squat.knee_caves_in",
    "single_leg_squat.pelvis_drops",
    "hip.single_leg_stance_drop",
    "hip.side_lying_lift_weak",
];

/// Rows "what, before, now" comparing an earlier assessment with this one: the retested self-tests,
/// then each root cause's score.
fn compare(
    kb: &Knowledge,
    before: &crate::cache::Parsed,
    now_answers: &Answers,
    now: &AssessmentResult,
) -> Vec<(String, String, String)> {
    let show = |a: &Answers, id: &str| {
        a.get(kb, id).map_or_else(|| "not answered".to_owned(), |v| value_label(kb, id, &v.to_json()))
    };
    let mut rows: Vec<(String, String, String)> = RETESTED
        .iter()
        .filter(|id| before.answers.get(kb, id).is_some() || now_answers.get(kb, id).is_some())
        .map(|id| (finding_label(kb, id), show(&before.answers, id), show(now_answers, id)))
        .collect();
    for c in &now.root_causes {
        let was = before.result.root_causes.iter().find(|b| b.id == c.id).map(|b| b.score);
        let name = kb.causes().iter().find(|x| x.id == c.id).map_or(c.id.as_str(), |x| x.name.as_str());
        rows.push((
            format!("{name} (score)"),
            was.map_or_else(|| "–".into(), |w| format!("{w:.2} ({})", likelihood(w))),
            format!("{:.2} ({})", c.score, likelihood(c.score)),
        ));
    }
    rows
}

struct Context<'a> {
    kb: &'a Knowledge,
    answers: &'a Answers,
    result: &'a AssessmentResult,
    layout: Layout,
    taken: Option<String>,
    plan_link: String,
    save_prompt: bool,
    save_csrf: Option<String>,
    previous: Option<Arc<crate::cache::Parsed>>,
    reassess_csrf: Option<String>,
    /// The camera's claims that hold for `answers`.
    camera: Vec<CameraRow>,
}

fn render(ctx: Context<'_>) -> Result<Response, Problem> {
    let Context {
        kb,
        answers,
        result,
        layout,
        taken,
        plan_link,
        save_prompt,
        save_csrf,
        previous,
        reassess_csrf,
        camera,
    } = ctx;
    if result.triage.level >= TriageLevel::Urgent {
        return Ok(Redirect::to("/assess/stop").into_response());
    }
    let causes = result
        .root_causes
        .iter()
        .map(|c| {
            let cause = kb.causes().iter().find(|x| x.id == c.id);
            CauseView {
                id: c.id.clone(),
                name: cause.map_or_else(|| c.id.clone(), |x| x.name.clone()),
                likelihood: likelihood(c.score),
                score: format!("{:.2}", c.score),
                tenths: (c.score * 10.0).round().clamp(0.0, 10.0) as u32,
                level: level(c.score),
                confidence: c.confidence.as_str(),
                drivers: if c.score >= 0.45 {
                    c.drivers
                        .iter()
                        .filter_map(|d| {
                            cause.and_then(|x| x.drivers.iter().find(|y| &y.id == d)).map(|y| y.name.clone())
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                evidence: merged_evidence(kb, &c.evidence),
                statement: cause.map(|x| x.evidence_statement.clone()).unwrap_or_default(),
                show_statement: c.score >= 0.45,
            }
        })
        .collect();
    let presentations = result
        .presentations
        .iter()
        .map(|p| PresentationView {
            name: kb.presentations().iter().find(|x| x.id == p.id).map_or_else(|| p.id.clone(), |x| x.name.clone()),
            likelihood: likelihood(p.score),
            explanation: p.explanation.clone(),
        })
        .collect();
    let missing = result
        .missing
        .iter()
        .filter_map(|id| kb.question(id).map(|q| MissingView { text: q.text.clone(), group: q.group.clone() }))
        .collect();
    let unanswered_flags = kb
        .questions()
        .iter()
        .filter(|q| q.group == "flags" && answers.get(kb, &q.id).is_none())
        .map(|q| q.text.clone())
        .collect();
    let page = ResultsPage {
        layout,
        taken,
        // Below `urgent`, every fired reason is a `soon` one (stored results do not keep each reason's level).
        soon: if result.triage.level == TriageLevel::Soon { result.triage.reasons.clone() } else { Vec::new() },
        unanswered_flags,
        diagram: diagram(result),
        causes,
        presentations,
        missing,
        has_plan: result.plan.is_some(),
        plan_link,
        save_prompt,
        save_csrf,
        version: result.knowledge_version.clone(),
        compared_with: previous.as_ref().map(|p| super::date(p.created_at)),
        comparison: previous.as_ref().map(|p| compare(kb, p, answers, result)).unwrap_or_default(),
        reassess_csrf,
        camera,
    };
    Ok(html(&page)?.into_response())
}

/// `GET /results`: the result of the assessment in progress.
pub async fn draft_results<S: Store>(State(state): State<AppState<S>>, visitor: Visitor) -> PageResult<Response> {
    let kb = &state.kb;
    let answers = visitor.session.as_ref().map(|s| Draft::answers(kb, s)).unwrap_or_else(|| Answers::empty(kb));
    if answers.answered_count() == 0 {
        // Nothing in progress: a signed-in person sees their latest saved result.
        if let Some(user) = &visitor.user
            && let Some(latest) = state.store.latest_assessment(&user.id).await?
        {
            return Ok(Redirect::to(&format!("/assessments/{}", latest.id)).into_response());
        }
        return Ok(Redirect::to("/assess").into_response());
    }
    let result = assess(kb, &answers);
    let signed_in = visitor.user.is_some();
    let camera = visitor
        .session
        .as_ref()
        .map_or_else(Vec::new, |s| camera_rows(kb, &CameraState::load(s.camera.as_deref()).applicable(kb, &answers)));
    Ok(render(Context {
        kb,
        answers: &answers,
        result: &result,
        layout: Layout::for_visitor(&visitor),
        taken: None,
        plan_link: "/plan".into(),
        save_prompt: !signed_in,
        save_csrf: if signed_in { visitor.session.as_ref().map(|s| s.csrf_token.clone()) } else { None },
        previous: None,
        reassess_csrf: None,
        camera,
    })?)
}

/// `GET /assessments/{id}`: a saved assessment, only for its owner (anyone else gets 404).
pub async fn saved_results<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let id = AssessmentId::parse(&id).ok_or(AppError(Problem::NotFound))?;
    let stored =
        state.assessments.load(&state.store, &state.kb, &me.user.id, &id).await?.ok_or(AppError(Problem::NotFound))?;
    // The assessment before this one, to show what changed.
    let all = state.store.assessments(&me.user.id).await?;
    let previous = match all.iter().position(|a| a.id == stored.id).and_then(|i| all.get(i + 1)) {
        Some(a) => state.assessments.load(&state.store, &state.kb, &me.user.id, &a.id).await?,
        None => None,
    };
    let is_latest = all.first().is_some_and(|a| a.id == stored.id);
    Ok(render(Context {
        kb: &state.kb,
        answers: &stored.answers,
        result: &stored.result,
        layout: Layout::for_user(&me.user),
        taken: Some(super::date(stored.created_at)),
        plan_link: format!("/plan?assessment={}", stored.id),
        save_prompt: false,
        save_csrf: None,
        previous,
        reassess_csrf: is_latest.then(|| me.session.csrf_token.clone()),
        camera: camera_rows(&state.kb, &applicable(&stored.camera, &state.kb, &stored.answers)),
    })?)
}

/// Answers as stored (tolerating ids a newer knowledge base dropped).
pub(crate) fn stored_answers(kb: &Knowledge, json: &str) -> Answers {
    let mut answers = Answers::empty(kb);
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(json) {
        for (id, v) in &map {
            let _ = answers.set(kb, id, v);
        }
    }
    answers
}

/// `POST /reassess`: repeat the self-tests. The latest assessment's answers are copied into the draft
/// without the self-test answers, and the wizard opens at the first self-test; finishing saves a new
/// assessment, whose results page compares the two.
pub async fn reassess<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Redirect> {
    let user = form.visitor.user.clone().ok_or(AppError(Problem::Unauthorized))?;
    let id = state.store.latest_assessment_id(&user.id).await?.ok_or(AppError(Problem::NotFound))?;
    let latest =
        state.assessments.load(&state.store, &state.kb, &user.id, &id).await?.ok_or(AppError(Problem::NotFound))?;
    let mut answers = latest.answers.clone();
    let retested_groups = ["squat", "single_leg_squat", "back_ball", "ankle", "hip"];
    for q in state.kb.questions().iter().filter(|q| retested_groups.contains(&q.group.as_str())) {
        answers
            .set(&state.kb, &q.id, &serde_json::Value::Null)
            .map_err(|e| Problem::Internal(anyhow::anyhow!("{e}")))?;
    }
    Draft::save(&state, &form.session, &answers).await?;
    Ok(Redirect::to("/assess/squat"))
}

/// `POST /assessments`: save the assessment in progress to the signed-in person's account.
pub async fn save_draft<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Redirect> {
    let user = form.visitor.user.clone().ok_or(AppError(Problem::Unauthorized))?;
    let answers = Draft::answers(&state.kb, &form.session);
    if answers.answered_count() == 0 {
        return Err(AppError(Problem::field("answers", "There is no assessment in progress to save.")));
    }
    let (stored, _) = save_assessment(&state, &user.id, &answers, form.session.camera.as_deref()).await?;
    Draft::clear(&state, &form.session).await?;
    Ok(Redirect::to(&format!("/assessments/{}", stored.id)))
}
