//! `/invite/{token}`: accepting an invitation.
//!
//! What the page offers depends on who opens it ([`Offer`]): someone not signed in creates the invited
//! account (email fixed by the invitation, password as at sign-up), or signs in first when a patient
//! account with that email exists; a signed-in patient whose email it names shares their record with the
//! clinician; anyone else is told why not and, where signing out helps, offered to.
//!
//! The store claims the invitation atomically, so of two submissions (two people with one link, or one
//! double click) exactly one wins; the other finds it used and gets the same plain page as a later
//! visitor, never an error. Every answer here is marked `no-store`, and the site-wide
//! `Referrer-Policy: no-referrer` keeps the token in the path from reaching any other origin.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_store::{Invitation, Role, Store, StoreError, User};

use super::{Standing, is_hex_64, role_in_words};
use crate::error::{AppError, PageResult, Problem};
use crate::pages::account::rotate;
use crate::pages::landing::home_of;
use crate::security::{check_password_policy, hash_password, token_hash};
use crate::session::{CheckedForm, SetCookie, Visitor};
use crate::state::AppState;
use crate::views::{Layout, html};

/// What the invitation page offers the person who opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Offer {
    /// Not signed in, no account with the invited email: create it.
    NewAccount,
    /// Not signed in, and a patient account with the invited email exists: sign in, then come back.
    SignInFirst,
    /// Signed in as the invited patient: share the record with the clinician.
    Share,
    /// Signed in as someone else: why, with a button to sign out.
    SignOutFirst(String),
    /// It cannot be accepted with the account that exists: why.
    Blocked(String),
}

#[derive(Template)]
#[template(path = "invite_accept.html")]
struct AcceptPage {
    layout: Layout,
    csrf: String,
    token: String,
    email: String,
    role: &'static str,
    sender: String,
    clinician: Option<String>,
    expires: String,
    offer: Offer,
    error: Option<String>,
}

impl AcceptPage {
    /// The clinician a patient's invitation links to, in words.
    fn clinician_name(&self) -> &str {
        self.clinician.as_deref().unwrap_or("your clinician")
    }
}

/// A page that only says where things stand (used, expired, unknown, done).
#[derive(Template)]
#[template(path = "invite_status.html")]
struct StatusPage {
    layout: Layout,
    title: String,
    paragraphs: Vec<String>,
    link: Option<Link>,
}

/// The way on from a [`StatusPage`].
struct Link {
    href: String,
    text: &'static str,
}

impl Link {
    fn new(href: impl Into<String>, text: &'static str) -> Option<Link> {
        Some(Link { href: href.into(), text })
    }
}

/// The invitation page's people, in words.
struct People {
    /// Who to ask: the sender's email, or "the clinic" if their account is gone.
    sender: String,
    /// For a patient's invitation, the clinician's email.
    clinician: Option<String>,
}

async fn people<S: Store>(state: &AppState<S>, invitation: &Invitation) -> Result<People, Problem> {
    let sender = state.store.user(&invitation.invited_by).await?;
    let clinician = match &invitation.clinician_id {
        Some(id) => state.store.user(id).await?.map(|u| u.email.as_str().to_owned()),
        None => None,
    };
    Ok(People { sender: sender.map_or_else(|| "the clinic".to_owned(), |u| u.email.as_str().to_owned()), clinician })
}

/// A page answer that no browser or proxy keeps (the address holds the secret token).
fn no_store(status: StatusCode, body: impl IntoResponse) -> Response {
    (status, [(CACHE_CONTROL, HeaderValue::from_static("no-store"))], body).into_response()
}

/// The invitation with this token, or the "unknown link" page.
async fn find<S: Store>(
    state: &AppState<S>,
    token: &str,
    layout: &Layout,
) -> Result<Result<(String, Invitation), Response>, Problem> {
    if is_hex_64(token) {
        let hash = token_hash(token);
        if let Some(invitation) = state.store.invitation(&hash).await? {
            return Ok(Ok((hash, invitation)));
        }
    }
    Ok(Err(not_known(layout)?))
}

/// The 404 page for a link that names no invitation (mistyped, or withdrawn, perhaps while someone was
/// accepting it).
fn not_known(layout: &Layout) -> Result<Response, Problem> {
    let page = StatusPage {
        layout: layout.clone(),
        title: "This invitation link is not known".into(),
        paragraphs: vec![
            "Check that the whole link was copied. If it was, the invitation may have been withdrawn: ask whoever \
             sent it for a new one."
                .into(),
        ],
        link: None,
    };
    Ok(no_store(StatusCode::NOT_FOUND, html(&page)?))
}

/// The page for an invitation that can no longer be accepted, or `None` if it can.
async fn unusable<S: Store>(
    state: &AppState<S>,
    invitation: &Invitation,
    user: Option<&User>,
) -> Result<Option<Response>, Problem> {
    let layout = user.map_or_else(Layout::default, Layout::for_user);
    let email = invitation.email.as_str();
    let page = match Standing::of(invitation, state.now()) {
        Standing::Pending => return Ok(None),
        Standing::Accepted if user.is_some_and(|u| invitation.accepted_by.as_ref() == Some(&u.id)) => {
            let me = user.expect("checked just above");
            StatusPage {
                layout,
                title: "You have accepted this invitation".into(),
                paragraphs: vec!["There is nothing more to do with this link.".into()],
                link: Link::new(home_of(state, me).await?, "Continue"),
            }
        }
        Standing::Accepted => {
            let who = people(state, invitation).await?;
            let when = crate::pages::date(invitation.accepted_at.unwrap_or(invitation.created_at));
            StatusPage {
                layout,
                title: "This invitation has already been used".into(),
                paragraphs: vec![
                    format!("The invitation for {email} was accepted on {when}, and can be used only once."),
                    format!("If that was you, sign in with {email}. If it was not, tell {} straight away.", who.sender),
                ],
                link: Link::new("/login", "Sign in"),
            }
        }
        Standing::Expired => {
            let who = people(state, invitation).await?;
            let until = crate::pages::date(invitation.expires_at);
            StatusPage {
                layout,
                title: "This invitation has expired".into(),
                paragraphs: vec![
                    format!("The invitation for {email} could be accepted until {until}."),
                    format!("Ask {} to send you a new one.", who.sender),
                ],
                link: None,
            }
        }
    };
    Ok(Some(no_store(StatusCode::GONE, html(&page)?)))
}

/// What the page offers `user` (if signed in) for a pending invitation.
async fn offer_for<S: Store>(
    state: &AppState<S>,
    invitation: &Invitation,
    user: Option<&User>,
    sender: &str,
) -> Result<Offer, Problem> {
    let email = invitation.email.as_str();
    let patients = invitation.role == Role::Patient;
    Ok(match user {
        None => match state.store.credentials(&invitation.email).await? {
            None => Offer::NewAccount,
            Some(c) if patients && c.user.role == Role::Patient => Offer::SignInFirst,
            Some(c) => Offer::Blocked(format!(
                "{email} already has an account, as {}, so this invitation cannot create another. Ask {sender} \
                 about it.",
                role_in_words(c.user.role)
            )),
        },
        Some(me) if me.email != invitation.email => Offer::SignOutFirst(format!(
            "You are signed in as {}, but this invitation is for {email}. Sign out, then accept it as {email}.",
            me.email.as_str()
        )),
        Some(me) if patients && me.role == Role::Patient => Offer::Share,
        Some(me) => Offer::Blocked(format!(
            "You already have an account as {}, so this invitation to join as {} cannot be accepted with it. Ask \
             {sender} about it.",
            role_in_words(me.role),
            role_in_words(invitation.role)
        )),
    })
}

async fn accept_page<S: Store>(
    state: &AppState<S>,
    token: &str,
    invitation: &Invitation,
    visitor: &Visitor,
    csrf: String,
    error: Option<String>,
) -> Result<AcceptPage, Problem> {
    let who = people(state, invitation).await?;
    let offer = offer_for(state, invitation, visitor.user.as_ref(), &who.sender).await?;
    Ok(AcceptPage {
        layout: Layout::for_visitor(visitor),
        csrf,
        token: token.to_owned(),
        email: invitation.email.as_str().to_owned(),
        role: role_in_words(invitation.role),
        sender: who.sender,
        clinician: who.clinician,
        expires: crate::pages::date(invitation.expires_at),
        offer,
        error,
    })
}

/// `GET /invite/{token}`
pub(crate) async fn show<S: Store>(
    State(state): State<AppState<S>>,
    Path(token): Path<String>,
    mut visitor: Visitor,
) -> PageResult<Response> {
    let (_, invitation) = match find(&state, &token, &Layout::for_visitor(&visitor)).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    if let Some(page) = unusable(&state, &invitation, visitor.user.as_ref()).await? {
        return Ok(page);
    }
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let page = accept_page(&state, &token, &invitation, &visitor, session.csrf_token, None).await?;
    Ok((cookie, no_store(StatusCode::OK, html(&page)?)).into_response())
}

/// `POST /invite/{token}`: create the invited account, sign in (a new session) and go to its home.
pub(crate) async fn create_account<S: Store>(
    State(state): State<AppState<S>>,
    Path(token): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let layout = Layout::for_visitor(&form.visitor);
    let (hash, invitation) = match find(&state, &token, &layout).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    if let Some(page) = unusable(&state, &invitation, form.visitor.user.as_ref()).await? {
        return Ok(page);
    }
    let again = |status: StatusCode, error: String| Retry {
        state: &state,
        token: &token,
        invitation: &invitation,
        form: &form,
        status,
        error,
    };
    if form.visitor.user.is_some() {
        return again(StatusCode::CONFLICT, "You are signed in, so no new account can be made here.".into())
            .page()
            .await;
    }
    let password = form.get("password").unwrap_or_default().to_owned();
    if let Err(e) = check_password_policy(&password) {
        return again(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).page().await;
    }
    if form.get("confirm") != Some(password.as_str()) {
        let message = "The two passwords are not the same: type them again.".into();
        return again(StatusCode::UNPROCESSABLE_ENTITY, message).page().await;
    }
    let password_hash = hash_password(password).await?;
    match state.store.accept_invitation_as_new_user(&hash, &password_hash, state.now()).await {
        Ok(user) => {
            tracing::info!(user = %user.id, role = user.role.as_str(), "invitation accepted: account created");
            let cookie = rotate(&state, &form, &user, None).await?;
            Ok((cookie, Redirect::to(home_of(&state, &user).await?)).into_response())
        }
        Err(StoreError::Conflict(_)) => match lost_race(&state, &hash, None, &layout).await? {
            Some(page) => Ok(page),
            None => {
                // The page below now says what can be done with the existing account.
                let message = format!("An account with {} already exists.", invitation.email.as_str());
                again(StatusCode::CONFLICT, message).page().await
            }
        },
        Err(StoreError::NotFound) => Ok(not_known(&layout)?),
        Err(e) => Err(e.into()),
    }
}

/// The invitation page again, with an error.
struct Retry<'a, S> {
    state: &'a AppState<S>,
    token: &'a str,
    invitation: &'a Invitation,
    form: &'a CheckedForm,
    status: StatusCode,
    error: String,
}

impl<S: Store> Retry<'_, S> {
    async fn page(self) -> PageResult<Response> {
        let csrf = self.form.session.csrf_token.clone();
        let page =
            accept_page(self.state, self.token, self.invitation, &self.form.visitor, csrf, Some(self.error)).await?;
        Ok(no_store(self.status, html(&page)?))
    }
}

/// `POST /invite/{token}/accept`: a signed-in patient shares their record with the invitation's clinician.
pub(crate) async fn accept_as_patient<S: Store>(
    State(state): State<AppState<S>>,
    Path(token): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let Some(me) = form.visitor.user.clone() else { return Err(AppError(Problem::Unauthorized)) };
    let (hash, invitation) = match find(&state, &token, &Layout::for_user(&me)).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    if let Some(page) = unusable(&state, &invitation, Some(&me)).await? {
        return Ok(page);
    }
    let who = people(&state, &invitation).await?;
    match offer_for(&state, &invitation, Some(&me), &who.sender).await? {
        Offer::Share => {}
        Offer::SignOutFirst(why) | Offer::Blocked(why) => return Err(AppError(Problem::Forbidden(why))),
        Offer::NewAccount | Offer::SignInFirst => return Err(AppError(Problem::Unauthorized)),
    }
    match state.store.accept_invitation_as_patient(&hash, &me.id, state.now()).await {
        Ok(_) => {
            tracing::info!(user = %me.id, "invitation accepted: record shared");
            let clinician = who.clinician.unwrap_or_else(|| "your clinician".into());
            let page = StatusPage {
                layout: Layout::for_user(&me),
                title: "Your record is shared".into(),
                paragraphs: vec![format!(
                    "{clinician} can now see your assessments, plan, check-ins and questionnaires, and adjust your \
                     plan. Every time they look at or change your record, kneeroot writes it down."
                )],
                link: Link::new(home_of(&state, &me).await?, "Continue"),
            };
            Ok(no_store(StatusCode::OK, html(&page)?))
        }
        Err(StoreError::Conflict(m)) => match lost_race(&state, &hash, Some(&me), &Layout::for_user(&me)).await? {
            Some(page) => Ok(page),
            None => Err(AppError(Problem::Conflict(m))),
        },
        Err(StoreError::NotFound) => Ok(not_known(&Layout::for_user(&me))?),
        Err(e) => Err(e.into()),
    }
}

/// `POST /invite/{token}/sign-out`: end this session and come back to the invitation.
pub(crate) async fn sign_out<S: Store>(
    State(state): State<AppState<S>>,
    Path(token): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    state.store.delete_session(&form.session.token_hash).await?;
    // Only a token-shaped path goes into the Location header.
    let back = if is_hex_64(&token) { format!("/invite/{token}") } else { "/".to_owned() };
    Ok((SetCookie::clear(&state), Redirect::to(&back)).into_response())
}

/// After the store refused a claim: the used or expired page if someone else got there first (or it
/// expired meanwhile), the unknown-link page if it was withdrawn, `None` if it is still pending (the
/// refusal had another reason).
async fn lost_race<S: Store>(
    state: &AppState<S>,
    hash: &str,
    user: Option<&User>,
    layout: &Layout,
) -> Result<Option<Response>, Problem> {
    match state.store.invitation(hash).await? {
        Some(now) => unusable(state, &now, user).await,
        None => Ok(Some(not_known(layout)?)),
    }
}
