//! Accounts: create one (keeping the assessment in progress), sign in and out, change the password,
//! delete the account and everything with it.
//!
//! Signing in rotates the session: the old session is ended and a new one (with a new token and CSRF
//! token) is started, carrying over the draft answers, so a session id planted before login is worthless
//! afterwards. Failed sign-ins are throttled per account and per address.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kneeroot_store::{Email, NewUser, Role, SessionKind, Store, User};

use super::draft::{Draft, save_assessment};
use super::landing::{safe_next, staff_home};
use crate::error::{AppError, PageResult, Problem};
use crate::security::{Throttle, check_password_policy, client_ip, hash_password, verify_password};
use crate::session::{CheckedForm, SetCookie, SignedIn, Visitor, start_session};
use crate::state::AppState;
use crate::views::{Layout, html};

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    layout: Layout,
    csrf: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    email: String,
    error: Option<String>,
    /// Where to go after signing in (a path on this site; see `landing::safe_next`).
    next: Option<String>,
}

/// `?next=` on the login page.
#[derive(Debug, serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub(crate) struct AssessmentRow {
    id: String,
    date: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    csrf: String,
    email: String,
    assessments: Vec<AssessmentRow>,
    message: Option<String>,
    error: Option<String>,
    reminders: bool,
}

/// `GET /signup`
pub async fn signup_form<S: Store>(State(state): State<AppState<S>>, mut visitor: Visitor) -> PageResult<Response> {
    if visitor.user.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    let (session, cookie) = visitor.ensure_session(&state).await?;
    let page = SignupPage { layout: Layout::default(), csrf: session.csrf_token, email: String::new(), error: None };
    Ok((cookie, html(&page)?).into_response())
}

/// `POST /signup`: create a patient account, sign in, and save the assessment in progress.
pub async fn signup<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Response> {
    let raw_email = form.get("email").unwrap_or_default().to_owned();
    let password = form.get("password").unwrap_or_default().to_owned();
    let again = |status: StatusCode, error: String| -> PageResult<Response> {
        let page = SignupPage {
            layout: Layout::default(),
            csrf: form.session.csrf_token.clone(),
            email: raw_email.clone(),
            error: Some(error),
        };
        Ok((status, html(&page)?).into_response())
    };
    let email = match Email::parse(&raw_email) {
        Ok(e) => e,
        Err(message) => return again(StatusCode::UNPROCESSABLE_ENTITY, message),
    };
    if let Err(e) = check_password_policy(&password) {
        return again(StatusCode::UNPROCESSABLE_ENTITY, e.to_string());
    }
    let hash = hash_password(password).await?;
    let user = match state
        .store
        .create_user(&NewUser { email, password_hash: hash, role: Role::Patient, now: state.now() })
        .await
    {
        Ok(u) => u,
        Err(kneeroot_store::StoreError::Conflict(_)) => {
            return again(StatusCode::CONFLICT, "An account with this email already exists. Sign in instead.".into());
        }
        Err(e) => return Err(e.into()),
    };
    let answers = Draft::answers(&state.kb, &form.session);
    let saving = answers.answered_count() > 0;
    // The draft is saved to the account below, so the new session starts without it (else it would be
    // offered again, and could be saved twice).
    let cookie = rotate(&state, &form, &user, saving.then_some(None)).await?;
    if saving {
        let (stored, _) = save_assessment(&state, &user.id, &answers, form.session.camera.as_deref()).await?;
        return Ok((cookie, Redirect::to(&format!("/assessments/{}", stored.id))).into_response());
    }
    Ok((cookie, Redirect::to("/account")).into_response())
}

/// End the current session and start a signed-in one carrying `draft` (or the old draft).
pub(crate) async fn rotate<S: Store>(
    state: &AppState<S>,
    form: &CheckedForm,
    user: &User,
    draft: Option<Option<String>>,
) -> Result<SetCookie, Problem> {
    // The camera's state belongs to the draft: it moves with the old draft, and goes with a replaced one.
    let camera = if draft.is_none() { form.session.camera.clone() } else { None };
    let draft = draft.unwrap_or_else(|| form.session.draft.clone());
    state.store.delete_session(&form.session.token_hash).await?;
    let (token, session) = start_session(state, Some(user.id.clone()), draft, SessionKind::Browser).await?;
    if camera.is_some() {
        state.store.save_camera(&session.token_hash, camera.as_deref()).await?;
    }
    Ok(SetCookie::session(&token, state))
}

/// `GET /login`
pub async fn login_form<S: Store>(
    State(state): State<AppState<S>>,
    query: Result<Query<NextQuery>, QueryRejection>,
    mut visitor: Visitor,
) -> PageResult<Response> {
    if visitor.user.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    let (session, cookie) = visitor.ensure_session(&state).await?;
    // A malformed query string only loses `next`: the login page itself is still wanted.
    let next = query.ok().and_then(|Query(q)| q.next).filter(|n| safe_next(n).is_some());
    let page =
        LoginPage { layout: Layout::default(), csrf: session.csrf_token, email: String::new(), error: None, next };
    Ok((cookie, html(&page)?).into_response())
}

/// `POST /login`
pub async fn login<S: Store>(
    State(state): State<AppState<S>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: CheckedForm,
) -> PageResult<Response> {
    let raw_email = form.get("email").unwrap_or_default().to_owned();
    let password = form.get("password").unwrap_or_default().to_owned();
    let next = form.get("next").and_then(safe_next).map(str::to_owned);
    let again = |status: StatusCode, error: &str| -> PageResult<Response> {
        let page = LoginPage {
            layout: Layout::default(),
            csrf: form.session.csrf_token.clone(),
            email: raw_email.clone(),
            error: Some(error.to_owned()),
            next: next.clone(),
        };
        Ok((status, html(&page)?).into_response())
    };
    let throttle = Throttle::new(&raw_email, client_ip(Some(peer), &headers, state.config.trust_forwarded_for));
    if let Err(Problem::TooManyRequests(message)) = throttle.check(&state).await {
        return again(StatusCode::TOO_MANY_REQUESTS, &message);
    }
    match authenticate(&state, &raw_email, password).await? {
        Some(user) => {
            throttle.succeeded(&state).await?;
            let cookie = rotate(&state, &form, &user, None).await?;
            // A safe `next` first (an invitation link, say), else the role's home; patients see their account.
            let to = next.as_deref().or(staff_home(user.role)).unwrap_or("/account");
            Ok((cookie, Redirect::to(to)).into_response())
        }
        None => {
            throttle.failed(&state).await?;
            again(StatusCode::UNAUTHORIZED, "That email and password do not match an account.")
        }
    }
}

/// The user whose email and password these are, if any. Verifies a password even for an unknown email,
/// so timing does not reveal which emails have accounts.
pub(crate) async fn authenticate<S: Store>(
    state: &AppState<S>,
    raw_email: &str,
    password: String,
) -> Result<Option<User>, Problem> {
    let credentials = match Email::parse(raw_email) {
        Ok(email) => state.store.credentials(&email).await?,
        Err(_) => None,
    };
    let hash = credentials.as_ref().map_or_else(String::new, |c| c.password_hash.clone());
    let ok = verify_password(password, hash).await;
    Ok(credentials.filter(|_| ok).map(|c| c.user))
}

/// `POST /logout`
pub async fn logout<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Response> {
    state.store.delete_session(&form.session.token_hash).await?;
    Ok((SetCookie::clear(&state), Redirect::to("/")).into_response())
}

async fn account_page<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    message: Option<String>,
    error: Option<String>,
) -> Result<AccountPage, Problem> {
    let assessments = state
        .store
        .assessments(&me.user.id)
        .await?
        .into_iter()
        .map(|a| AssessmentRow {
            id: a.id.to_string(),
            date: super::date(a.created_at),
            summary: summary(&state.kb, &a.triage_level, &a.top_cause),
        })
        .collect();
    Ok(AccountPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        email: me.user.email.as_str().to_owned(),
        assessments,
        message,
        error,
        reminders: state.store.reminders(&me.user.id).await?,
    })
}

fn summary(kb: &kneeroot_core::Knowledge, level: &str, top: &str) -> String {
    match level {
        "emergency" | "urgent" => "A red flag: see a doctor".into(),
        _ => {
            let name = kb.causes().iter().find(|c| c.id == top).map_or(top, |c| c.name.as_str());
            let seen = if level == "soon" { " (see a clinician soon)" } else { "" };
            format!("Most likely: {name}{seen}")
        }
    }
}

/// `GET /account`
pub async fn account<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Html<String>> {
    Ok(html(&account_page(&state, &me, None, None).await?)?)
}

/// `POST /account/reminders`: turn check-in reminders on or off (they are off unless turned on).
pub async fn reminders<S: Store>(State(state): State<AppState<S>>, form: CheckedForm) -> PageResult<Redirect> {
    let me = signed_in(&form)?;
    state.store.set_reminders(&me.user.id, form.get("reminders") == Some("on")).await?;
    Ok(Redirect::to("/account"))
}

/// `GET /assessments`: the list lives on the account page.
pub async fn list(_me: SignedIn) -> Redirect {
    Redirect::to("/account")
}

/// The account page again, with an error and a status.
async fn account_error<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    status: StatusCode,
    error: String,
) -> PageResult<Response> {
    let page = account_page(state, me, None, Some(error)).await?;
    Ok((status, html(&page)?).into_response())
}

fn signed_in(form: &CheckedForm) -> Result<SignedIn, AppError> {
    match &form.visitor.user {
        Some(user) => Ok(SignedIn { session: form.session.clone(), user: user.clone() }),
        None => Err(AppError(Problem::Unauthorized)),
    }
}

/// The throttle keys of a signed-in person's password check from this client.
fn throttle_for<S>(state: &AppState<S>, me: &SignedIn, peer: SocketAddr, headers: &HeaderMap) -> Throttle {
    Throttle::new(me.user.email.as_str(), client_ip(Some(peer), headers, state.config.trust_forwarded_for))
}

/// Check a signed-in person's password, throttled like sign-in: a stolen session must not become a way
/// to guess the password.
async fn confirm_password<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    password: String,
    throttle: &Throttle,
) -> Result<bool, Problem> {
    throttle.check(state).await?;
    if authenticate(state, me.user.email.as_str(), password).await?.is_some() {
        throttle.succeeded(state).await?;
        Ok(true)
    } else {
        throttle.failed(state).await?;
        Ok(false)
    }
}

/// `POST /account/password`: change it, and end every other session of the account.
pub async fn change_password<S: Store>(
    State(state): State<AppState<S>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: CheckedForm,
) -> PageResult<Response> {
    let me = signed_in(&form)?;
    let throttle = throttle_for(&state, &me, peer, &headers);
    let current = form.get("current").unwrap_or_default().to_owned();
    let new = form.get("new").unwrap_or_default().to_owned();
    if let Err(e) = check_password_policy(&new) {
        return account_error(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).await;
    }
    if !confirm_password(&state, &me, current, &throttle).await? {
        return account_error(&state, &me, StatusCode::UNAUTHORIZED, "Your current password is not right.".into())
            .await;
    }
    let hash = hash_password(new).await?;
    state.store.set_password(&me.user.id, &hash).await?;
    state.store.delete_user_sessions(&me.user.id, Some(&me.session.token_hash)).await?;
    let page = account_page(
        &state,
        &me,
        Some("Your password has been changed. Other devices have been signed out.".into()),
        None,
    )
    .await?;
    Ok(html(&page)?.into_response())
}

/// `POST /account/delete`: delete the account and all its data, after the password and a confirmation.
pub async fn delete<S: Store>(
    State(state): State<AppState<S>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: CheckedForm,
) -> PageResult<Response> {
    let me = signed_in(&form)?;
    let throttle = throttle_for(&state, &me, peer, &headers);
    let password = form.get("password").unwrap_or_default().to_owned();
    let confirmed = form.get("confirm") == Some("yes");
    if !confirmed {
        let message = "Tick the box to confirm that everything will be deleted.".into();
        return account_error(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    if !confirm_password(&state, &me, password, &throttle).await? {
        let message = "That password is not right, so nothing was deleted.".into();
        return account_error(&state, &me, StatusCode::UNAUTHORIZED, message).await;
    }
    state.store.delete_user(&me.user.id).await?;
    tracing::info!(user = %me.user.id, "account deleted at the owner's request");
    let page = crate::views::ErrorPage {
        layout: Layout::default(),
        status: 200,
        title: "Your account has been deleted".into(),
        message: "Your account and everything kneeroot held about you have been deleted.".into(),
    };
    Ok((SetCookie::clear(&state), html(&page)?).into_response())
}
