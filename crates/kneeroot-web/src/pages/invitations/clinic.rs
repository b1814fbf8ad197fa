//! `/clinic/invitations`: a clinician invites their own patients (linked to them on acceptance), sees
//! what they sent and withdraws what is still pending. The rules are [`super::send`]'s; this module only
//! renders the clinician's page around them.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_store::Store;

use super::{FieldError, InvitationRow, InviteForm, Refusal, Sender, send, sent_rows, withdraw};
use crate::error::{PageResult, Problem};
use crate::session::{CheckedForm, ClinicianIn, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

#[derive(Template)]
#[template(path = "clinic_invitations.html")]
struct ClinicInvitationsPage {
    layout: Layout,
    csrf: String,
    form: InviteForm,
    error: Option<FieldError>,
    invitations: Vec<InvitationRow>,
    days: i64,
}

impl ClinicInvitationsPage {
    /// Whether the error is about `field` (for `aria-invalid`).
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.field == field)
    }
}

async fn page<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    form: InviteForm,
    error: Option<FieldError>,
) -> Result<ClinicInvitationsPage, Problem> {
    Ok(ClinicInvitationsPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        form,
        error,
        invitations: sent_rows(state, &me.user.id).await?,
        days: state.config.invitation_seconds / 86_400,
    })
}

/// `GET /clinic/invitations`
pub(crate) async fn show<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
) -> PageResult<Response> {
    Ok(html(&page(&state, &me, InviteForm::default(), None).await?)?.into_response())
}

/// `POST /clinic/invitations`: invite a patient to this clinician's caseload.
pub(crate) async fn invite<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    headers: HeaderMap,
    form: CheckedForm,
) -> PageResult<Response> {
    match send(&state, Sender::Clinician(&me.user), &form, &headers).await? {
        Ok(sent) => Ok(sent.into_response()?),
        Err(Refusal { status, error, form }) => {
            let page = page(&state, &me, form, Some(error)).await?;
            Ok((status, html(&page)?).into_response())
        }
    }
}

/// `POST /clinic/invitations/withdraw`
pub(crate) async fn withdraw_one<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    form: CheckedForm,
) -> PageResult<Response> {
    withdraw(&state, &me.user.id, &form).await?;
    Ok(Redirect::to("/clinic/invitations").into_response())
}
