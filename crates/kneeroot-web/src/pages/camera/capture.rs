//! `GET /assess/camera/{view}`: the capture page (its template, `camera/capture.html`, and
//! `assets/camera.js` belong with the browser side), sent with its own CSP ([`CAMERA_CSP`]), which lets
//! the pose model's WebAssembly run and the camera's picture show.
//!
//! `POST /assess/camera/{view}`: the landmark series in the form field `landmarks`, parsed and bounded by
//! `kneeroot_core::camera::input`, analysed with the knowledge base's thresholds, and kept in the session
//! as that view's pending analysis. A series that does not parse, or that was filmed from the other view,
//! is refused whole with a 422 naming the problem; the session is left as it was.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::camera::input::parse_recording;
use kneeroot_core::camera::output::to_json;
use kneeroot_core::camera::provenance::CameraState;
use kneeroot_core::camera::{View, analyse};
use kneeroot_store::Store;

use super::csp::CAMERA_CSP;
use super::landing::LandingPage;
use super::{view_label, view_of_path};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, Visitor};
use crate::state::AppState;
use crate::views::{Layout, html};

#[derive(Template)]
#[template(path = "camera/capture.html")]
struct CapturePage {
    layout: Layout,
    csrf: String,
    view: &'static str,
    view_label: &'static str,
    pose_ready: bool,
}

/// `GET /assess/camera/{view}`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    mut visitor: Visitor,
    Path(view): Path<String>,
) -> PageResult<Response> {
    let view = view_of_path(&view).ok_or(AppError(Problem::NotFound))?;
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let page = CapturePage {
        layout: Layout::for_visitor(&visitor),
        csrf: session.csrf_token,
        view: view.as_str(),
        view_label: view_label(view),
        pose_ready: state.pose_ready,
    };
    // Set here, so the headers middleware keeps it rather than adding the site-wide policy.
    Ok((cookie, [(header::CONTENT_SECURITY_POLICY, CAMERA_CSP)], html(&page)?).into_response())
}

/// `POST /assess/camera/{view}`
pub async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(view): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let view = view_of_path(&view).ok_or(AppError(Problem::NotFound))?;
    let analysis = match analysis_of(&state, view, form.get("landmarks")) {
        Ok(analysis) => analysis,
        Err(problem) => {
            let page = LandingPage::new(&state, &form.visitor, &form.session, Some(problem));
            return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY)?);
        }
    };
    let mut camera = CameraState::load(form.session.camera.as_deref());
    camera.set_pending(view, to_json(&analysis));
    state.store.save_camera(&form.session.token_hash, camera.save().as_deref()).await?;
    Ok(Redirect::to("/assess/camera/review").into_response())
}

/// The analysis of the series in `landmarks`, or what is wrong with it, for the person.
fn analysis_of<S>(
    state: &AppState<S>,
    view: View,
    landmarks: Option<&str>,
) -> Result<kneeroot_core::camera::Analysis, String> {
    let text = landmarks.map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
        "no body points arrived (the form field \"landmarks\" was empty). Film again, and wait for \
         \"Stop and analyse\" to finish."
            .to_owned()
    })?;
    let recording = parse_recording(text).map_err(|e| e.to_string())?;
    if recording.view != view {
        return Err(format!(
            "it was filmed for the {}, but this page is for the {}. Film the {} again.",
            view_label(recording.view),
            view_label(view),
            view_label(view)
        ));
    }
    Ok(analyse(&state.kb, &recording))
}
