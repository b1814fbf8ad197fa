//! `/admin`: the clinic as its administrators see it: its clinicians and administrators, the
//! invitations this administrator sent (pending, accepted or expired; pending ones can be withdrawn) and
//! the form to invite someone. Every route takes [`AdminIn`], so nobody else reaches them; the rules
//! for invitations are `pages::invitations`' (administrators see no health records here).

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_store::{Role, Store, User};

use super::invitations::{FieldError, InvitationRow, InviteForm, Refusal, Sender, send, sent_rows, withdraw};
use crate::error::{PageResult, Problem};
use crate::session::{AdminIn, CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// A member of the clinic, as listed.
struct Member {
    id: String,
    email: String,
    since: String,
}

impl Member {
    fn of(user: &User) -> Member {
        Member { id: user.id.to_string(), email: user.email.as_str().to_owned(), since: super::date(user.created_at) }
    }
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    csrf: String,
    me: String,
    clinicians: Vec<Member>,
    admins: Vec<Member>,
    invitations: Vec<InvitationRow>,
    form: InviteForm,
    error: Option<FieldError>,
    days: i64,
}

impl AdminPage {
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
) -> Result<AdminPage, Problem> {
    let members = |users: Vec<User>| users.iter().map(Member::of).collect::<Vec<_>>();
    Ok(AdminPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        me: me.user.email.as_str().to_owned(),
        clinicians: members(state.store.users_with_role(Role::Clinician).await?),
        admins: members(state.store.users_with_role(Role::Admin).await?),
        invitations: sent_rows(state, &me.user.id).await?,
        form,
        error,
        days: state.config.invitation_seconds / 86_400,
    })
}

/// `GET /admin`
pub(crate) async fn show<S: Store>(State(state): State<AppState<S>>, AdminIn(me): AdminIn) -> PageResult<Response> {
    Ok(html(&page(&state, &me, InviteForm::default(), None).await?)?.into_response())
}

/// `POST /admin/invitations`: invite a clinician, an administrator or a patient.
pub(crate) async fn invite<S: Store>(
    State(state): State<AppState<S>>,
    AdminIn(me): AdminIn,
    headers: HeaderMap,
    form: CheckedForm,
) -> PageResult<Response> {
    match send(&state, Sender::Admin(&me.user), &form, &headers).await? {
        Ok(sent) => Ok(sent.into_response()?),
        Err(Refusal { status, error, form }) => {
            let page = page(&state, &me, form, Some(error)).await?;
            Ok((status, html(&page)?).into_response())
        }
    }
}

/// `POST /admin/invitations/withdraw`
pub(crate) async fn withdraw_one<S: Store>(
    State(state): State<AppState<S>>,
    AdminIn(me): AdminIn,
    form: CheckedForm,
) -> PageResult<Response> {
    withdraw(&state, &me.user.id, &form).await?;
    Ok(Redirect::to("/admin").into_response())
}
