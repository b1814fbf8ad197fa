//! `GET /assess/camera`: what filming the squat does, what leaves the phone (only body points), how to
//! set the phone up for each view, which views are done, and the way back to the questions.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kneeroot_core::camera::View;
use kneeroot_core::camera::provenance::CameraState;
use kneeroot_store::{Session, Store};

use super::{squat_group, view_label};
use crate::error::{PageResult, Problem};
use crate::session::Visitor;
use crate::state::AppState;
use crate::views::{Layout, html};

/// One view on the landing page.
pub(crate) struct ViewCard {
    /// `front` or `side`.
    name: &'static str,
    /// "front view".
    label: &'static str,
    /// What this view shows.
    shows: &'static str,
    /// How to stand to the phone.
    stand: &'static str,
    /// Filmed already (waiting to be confirmed, or confirmed).
    done: bool,
}

#[derive(Template)]
#[template(path = "camera/landing.html")]
pub(crate) struct LandingPage {
    layout: Layout,
    pose_ready: bool,
    views: Vec<ViewCard>,
    has_pending: bool,
    squat_group: String,
    /// Why the last recording was refused, if it was.
    problem: Option<String>,
}

impl LandingPage {
    /// The page for `session`'s camera state.
    pub(crate) fn new<S>(state: &AppState<S>, visitor: &Visitor, session: &Session, problem: Option<String>) -> Self {
        let camera = CameraState::load(session.camera.as_deref());
        let card = |view: View, shows, stand| ViewCard {
            name: view.as_str(),
            label: view_label(view),
            shows,
            stand,
            done: camera.view_done(view),
        };
        LandingPage {
            layout: Layout::for_visitor(visitor),
            pose_ready: state.pose_ready,
            views: vec![
                card(View::Front, "whether your knees drift inward and how your feet point", "facing the phone"),
                card(
                    View::Side,
                    "how deep you go, how far you lean forward and whether your heels lift",
                    "side on to the phone",
                ),
            ],
            has_pending: camera.has_pending(),
            squat_group: squat_group(&state.kb),
            problem,
        }
    }

    /// The page as a response with `status`.
    pub(crate) fn respond(&self, status: StatusCode) -> Result<Response, Problem> {
        Ok((status, html(self)?).into_response())
    }
}

/// `GET /assess/camera`
pub async fn show<S: Store>(State(state): State<AppState<S>>, mut visitor: Visitor) -> PageResult<Response> {
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let page = LandingPage::new(&state, &visitor, &session, None);
    Ok((cookie, page.respond(StatusCode::OK)?).into_response())
}
