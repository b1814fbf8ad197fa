//! The camera squat screen's pages: film the squat instead of answering its questions, then confirm what
//! the camera saw.
//!
//! ```text
//! /assess/camera ──▶ /assess/camera/front|side ──POST landmarks──▶ /assess/camera/review ──POST──▶ /assess/squat
//!  (what, privacy,      (D's capture page: the pose      (analysed; kept      (each finding as its
//!   set-up, status)      model runs in the browser)       as pending)          question, prefilled)
//! ```
//!
//! ## Design
//! - **Everything hangs off the session**, like the wizard: anonymous visitors can film too. The camera
//!   state (pending analyses, confirmed provenance; `kneeroot_core::camera::provenance`) is one JSON
//!   column beside the draft, written with it in one statement when findings are confirmed, and cleared
//!   with it (reset, or once the assessment is saved).
//! - **Proposals, never answers.** An analysis waits as *pending* until the person has seen every finding
//!   as the wizard's own question (same widgets, same validation through `Answers::set`), prefilled with
//!   the camera's value. What they keep is recorded as coming from the camera; what they change is theirs
//!   alone, and so is any answer they change later (`CameraState::applicable`).
//! - **Only body points arrive.** The capture page posts the landmark series (33 points per frame) in a
//!   form field; a series that cannot be analysed is refused whole with a 422 naming the problem, and
//!   nothing is written. Its route alone accepts bodies up to [`CAMERA_BODY_LIMIT`].
//! - **The pose model is the operator's to install** (`scripts/fetch-pose`): its files are served from
//!   `Config::pose_assets` by exact name only ([`pose_assets`]); without them the pages say so and
//!   offer the questions.

mod capture;
pub(crate) mod csp;
mod landing;
mod pose_assets;
pub(crate) mod results;
mod review;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use kneeroot_core::Knowledge;
use kneeroot_core::camera::View;
use kneeroot_store::Store;

use crate::state::AppState;

pub(crate) use pose_assets::pose_ready;

/// The largest landmark series accepted (the capture form and `POST /api/v1/squat/analyse`): two minutes
/// at 30 frames a second of 33 points, URL-encoded, with room to spare.
pub(crate) const CAMERA_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// The camera routes (pages and the pose model's files).
pub fn routes<S: Store>() -> Router<AppState<S>> {
    // Its own router, so the larger body limit covers this one route and nothing else.
    let upload = Router::new()
        .route("/assess/camera/{view}", post(capture::submit::<S>))
        .layer(DefaultBodyLimit::max(CAMERA_BODY_LIMIT));
    Router::new()
        .route("/assess/camera", get(landing::show::<S>))
        .route("/assess/camera/review", get(review::show::<S>).post(review::confirm::<S>))
        .route("/assess/camera/{view}", get(capture::show::<S>))
        .route("/assets/pose/{file}", get(pose_assets::serve::<S>))
        .merge(upload)
}

/// The view named in a URL (`front`, `side`).
fn view_of_path(name: &str) -> Option<View> {
    View::parse(name)
}

/// A view for people.
pub(crate) fn view_label(view: View) -> &'static str {
    match view {
        View::Front => "front view",
        View::Side => "side view",
    }
}

/// The wizard's squat step: the group of the question `squat.done`.
pub(crate) fn squat_group(kb: &Knowledge) -> String {
    kb.question("squat.done").map_or_else(|| "squat".to_owned(), |q| q.group.clone())
}
