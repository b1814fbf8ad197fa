//! Sessions and who is asking: the extractors that put access control into the types.
//!
//! - [`Visitor`]: anyone; carries the session and the signed-in user if there are any.
//! - [`SignedIn`]: a signed-in person (pages); without one, the page redirects to sign in.
//! - [`ClinicianIn`], [`AdminIn`]: a signed-in person with that role; anyone else signed in gets 403.
//! - [`ApiUser`]: a bearer-token holder (API); without one, 401.
//! - [`CheckedForm`]: a submitted form whose CSRF token matches the session's; every state-changing page
//!   route takes one, so a forged cross-site form cannot change anything.
//!
//! Handlers that read a person's records need a `SignedIn` or `ApiUser` to get the owner id the store
//! methods require, so a handler cannot reach records without going through these checks.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponseParts, ResponseParts};
use kneeroot_store::{Role, Session, SessionKind, Store, User, UserId};

use crate::error::{ApiError, AppError, Problem};
use crate::security::{constant_time_eq, new_token, token_hash};
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "kneeroot_session";

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Anyone: the session and user, if any. Never rejects.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    /// The session, if the cookie names a live one.
    pub session: Option<Session>,
    /// The signed-in user, if any.
    pub user: Option<User>,
}

impl Visitor {
    async fn load<S: Store>(headers: &HeaderMap, state: &AppState<S>) -> Result<Visitor, Problem> {
        let Some(token) = cookie_token(headers) else { return Ok(Visitor::default()) };
        let Some((session, user)) = state.store.session_with_user(&token_hash(&token), state.now()).await? else {
            return Ok(Visitor::default());
        };
        if session.kind != SessionKind::Browser {
            return Ok(Visitor::default());
        }
        Ok(Visitor { session: Some(session), user })
    }

    /// This visitor's session, starting an anonymous one if there is none. The returned cookie must be
    /// sent with the response (it is empty when the session already existed).
    ///
    /// # Errors
    /// A store failure.
    pub async fn ensure_session<S: Store>(&mut self, state: &AppState<S>) -> Result<(Session, SetCookie), Problem> {
        if let Some(s) = &self.session {
            return Ok((s.clone(), SetCookie::none()));
        }
        let (token, session) = start_session(state, None, None, SessionKind::Browser).await?;
        self.session = Some(session.clone());
        Ok((session, SetCookie::session(&token, state)))
    }
}

impl<S: Store> FromRequestParts<AppState<S>> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        Ok(Visitor::load(&parts.headers, state).await?)
    }
}

/// A signed-in person (pages).
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Their session.
    pub session: Session,
    /// Who they are.
    pub user: User,
}

impl<S: Store> FromRequestParts<AppState<S>> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        match Visitor::load(&parts.headers, state).await? {
            Visitor { session: Some(session), user: Some(user) } => Ok(SignedIn { session, user }),
            _ => Err(AppError(Problem::Unauthorized)),
        }
    }
}

/// A signed-in clinician (pages). Anyone else signed in gets 403; nobody signed in is sent to sign in.
/// Holding one grants nothing about a patient by itself: patient records need a care link as well
/// (checked where a patient id enters, see `pages::clinician`).
#[derive(Debug, Clone)]
pub struct ClinicianIn(pub SignedIn);

impl<S: Store> FromRequestParts<AppState<S>> for ClinicianIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        match signed_in.user.role {
            Role::Clinician => Ok(ClinicianIn(signed_in)),
            _ => Err(AppError(Problem::Forbidden("This page is for clinicians.".into()))),
        }
    }
}

/// A signed-in clinic administrator (pages). Administrators run the clinic (people, invitations); they
/// see no health records unless they are also someone's clinician.
#[derive(Debug, Clone)]
pub struct AdminIn(pub SignedIn);

impl<S: Store> FromRequestParts<AppState<S>> for AdminIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        match signed_in.user.role {
            Role::Admin => Ok(AdminIn(signed_in)),
            _ => Err(AppError(Problem::Forbidden("This page is for the clinic's administrators.".into()))),
        }
    }
}

/// A bearer-token holder (API).
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The token's hash (to end the session).
    pub token_hash: String,
    /// Who they are.
    pub user: User,
}

impl ApiUser {
    /// The owner id for store reads.
    pub fn id(&self) -> &UserId {
        &self.user.id
    }
}

impl<S: Store> FromRequestParts<AppState<S>> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(ApiError(Problem::Unauthorized))?;
        let hash = token_hash(token);
        let found = state.store.session_with_user(&hash, state.now()).await?;
        match found {
            Some((session, Some(user))) if session.kind == SessionKind::Api => Ok(ApiUser { token_hash: hash, user }),
            _ => Err(ApiError(Problem::Unauthorized)),
        }
    }
}

/// A submitted form (URL-encoded) whose CSRF token matched the session's.
#[derive(Debug, Clone)]
pub struct CheckedForm {
    /// The visitor, with a session.
    pub visitor: Visitor,
    /// The session the token matched.
    pub session: Session,
    /// Every field, in order (a field can repeat, as checkboxes do).
    pub fields: Vec<(String, String)>,
}

impl CheckedForm {
    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

impl<S: Store> FromRequest<AppState<S>> for CheckedForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::load(req.headers(), state).await?;
        let axum::Form(fields): axum::Form<Vec<(String, String)>> =
            axum::Form::from_request(req, state).await.map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError(Problem::PayloadTooLarge(None))
                } else {
                    AppError(Problem::BadInput { field: None, message: format!("The form could not be read: {e}") })
                }
            })?;
        let expired = || {
            AppError(Problem::Forbidden(
                "This form has expired or did not come from kneeroot. Go back, reload the page and try again.".into(),
            ))
        };
        let session = visitor.session.clone().ok_or_else(expired)?;
        let sent = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or_default();
        if !constant_time_eq(sent, &session.csrf_token) {
            return Err(expired());
        }
        Ok(CheckedForm { visitor, session, fields })
    }
}

/// Start a session; returns the secret token (for the cookie or the API client) and the stored session.
///
/// # Errors
/// A store failure.
pub async fn start_session<S: Store>(
    state: &AppState<S>,
    user_id: Option<UserId>,
    draft: Option<String>,
    kind: SessionKind,
) -> Result<(String, Session), Problem> {
    let token = new_token();
    let now = state.now();
    let lifetime = match kind {
        SessionKind::Browser => state.config.session_seconds,
        SessionKind::Api => state.config.token_seconds,
    };
    let session = Session {
        token_hash: token_hash(&token),
        user_id,
        kind,
        csrf_token: new_token(),
        draft,
        camera: None,
        created_at: now,
        expires_at: now + lifetime,
    };
    state.store.create_session(&session).await?;
    Ok((token, session))
}

/// A `Set-Cookie` header for the session cookie (or nothing).
#[derive(Debug, Clone)]
pub struct SetCookie(Option<HeaderValue>);

impl SetCookie {
    /// No cookie to set.
    pub fn none() -> SetCookie {
        SetCookie(None)
    }

    /// Set the session cookie to `token`.
    pub fn session<S>(token: &str, state: &AppState<S>) -> SetCookie {
        let secure = if state.config.secure_cookies { "; Secure" } else { "" };
        let value = format!(
            "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            state.config.session_seconds
        );
        SetCookie(HeaderValue::from_str(&value).ok())
    }

    /// Remove the session cookie.
    pub fn clear<S>(state: &AppState<S>) -> SetCookie {
        let secure = if state.config.secure_cookies { "; Secure" } else { "" };
        SetCookie(
            HeaderValue::from_str(&format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")).ok(),
        )
    }
}

impl IntoResponseParts for SetCookie {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if let Some(v) = self.0 {
            res.headers_mut().append(SET_COOKIE, v);
        }
        Ok(res)
    }
}
