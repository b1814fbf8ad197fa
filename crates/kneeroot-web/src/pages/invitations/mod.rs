//! Invitations to join the clinic: sending one, listing what was sent, withdrawing, and accepting
//! ([`accept`]). Administrators send them from `/admin` (`pages::admin`), clinicians from
//! `/clinic/invitations` ([`clinic`]).
//!
//! ## Design
//! - **One deployment is one clinic.** Everyone with a clinician or administrator account belongs to it,
//!   so "the clinic's clinicians" is simply every clinician account.
//! - **Who may invite whom** is [`crate::invitation`]'s rule, shared with the command line: an
//!   administrator may invite a clinician, an administrator, or a patient linked to any of the clinic's
//!   clinicians; a clinician only patients, linked to themself. A clinician's form that says otherwise
//!   (a forged `role` or `clinician_id`) is refused whole (403), before anything is written.
//! - **The link is the secret.** It carries a random 256-bit token; the store keeps only its SHA-256
//!   (like sessions), so neither a copy of the database nor the sender's list can be used to accept. The
//!   link is shown once, on the page that answers the form, with `Cache-Control: no-store`. kneeroot
//!   sends no email: the sender passes the link on.
//! - **The link's address** is the configured public URL, or else this request's `Host` (checked to look
//!   like a host name, so a strange header cannot put markup or another path into the link).

mod accept;
pub(crate) mod clinic;

use askama::Template;
use axum::http::header::{CACHE_CONTROL, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kneeroot_store::{Email, Invitation, Role, Store, StoreError, User, UserId};

use crate::error::Problem;
pub(crate) use crate::invitation::role_in_words;
use crate::invitation::{Issued, Refused, Request, issue};
use crate::session::CheckedForm;
use crate::state::{AppState, Config};
use crate::views::{Layout, html};

pub(crate) use accept::{accept_as_patient, create_account, show, sign_out};

/// Who is sending an invitation, which decides what they may send.
pub(crate) enum Sender<'a> {
    /// A clinic administrator: any role; a patient for any of the clinic's clinicians.
    Admin(&'a User),
    /// A clinician: patients only, linked to themself.
    Clinician(&'a User),
}

impl Sender<'_> {
    fn user(&self) -> &User {
        match self {
            Sender::Admin(u) | Sender::Clinician(u) => u,
        }
    }
}

/// Where an invitation stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// It can be accepted.
    Pending,
    /// It has been accepted.
    Accepted,
    /// It can no longer be accepted.
    Expired,
}

impl Standing {
    /// Of `invitation` at `now`.
    pub(crate) fn of(invitation: &Invitation, now: i64) -> Standing {
        if invitation.accepted_at.is_some() {
            Standing::Accepted
        } else if invitation.expires_at <= now {
            Standing::Expired
        } else {
            Standing::Pending
        }
    }
}

/// One invitation in a sender's list.
pub(crate) struct InvitationRow {
    /// The stored hash: names the invitation in the withdraw form (it cannot be used to accept).
    pub(crate) token_hash: String,
    pub(crate) email: String,
    pub(crate) role: &'static str,
    /// For a patient's invitation: the clinician they will be linked to.
    pub(crate) clinician: Option<String>,
    pub(crate) sent: String,
    /// "pending", "accepted" or "expired".
    pub(crate) state: &'static str,
    /// What the state means, with its date.
    pub(crate) detail: String,
    pub(crate) pending: bool,
}

/// What a sender sent, newest first, with each invitation's state at `now`.
pub(crate) async fn sent_rows<S: Store>(state: &AppState<S>, sender: &UserId) -> Result<Vec<InvitationRow>, Problem> {
    let now = state.now();
    let clinicians = state.store.users_with_role(Role::Clinician).await?;
    let rows = state.store.invitations_sent_by(sender).await?.into_iter().map(|inv| {
        let standing = Standing::of(&inv, now);
        let (label, detail) = match standing {
            Standing::Pending => ("pending", format!("Can be accepted until {}", super::date(inv.expires_at))),
            Standing::Accepted => {
                ("accepted", format!("Accepted on {}", super::date(inv.accepted_at.unwrap_or(inv.created_at))))
            }
            Standing::Expired => ("expired", format!("Expired on {}", super::date(inv.expires_at))),
        };
        let clinician = inv.clinician_id.as_ref().map(|id| {
            clinicians.iter().find(|c| &c.id == id).map_or_else(|| "a former clinician".to_owned(), email_of)
        });
        InvitationRow {
            token_hash: inv.token_hash,
            email: inv.email.as_str().to_owned(),
            role: role_in_words(inv.role),
            clinician,
            sent: super::date(inv.created_at),
            state: label,
            detail,
            pending: standing == Standing::Pending,
        }
    });
    Ok(rows.collect())
}

fn email_of(user: &User) -> String {
    user.email.as_str().to_owned()
}

/// What was typed into an invitation form, to show it again next to an error.
#[derive(Debug, Clone, Default)]
pub(crate) struct InviteForm {
    pub(crate) email: String,
    pub(crate) role: String,
    pub(crate) clinician_id: String,
}

impl InviteForm {
    fn read(form: &CheckedForm) -> InviteForm {
        let field = |name: &str| form.get(name).unwrap_or_default().trim().to_owned();
        InviteForm { email: field("email"), role: field("role"), clinician_id: field("clinician_id") }
    }
}

/// What is wrong with a form, and in which field.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    pub(crate) field: &'static str,
    pub(crate) message: String,
}

/// An invitation form that cannot be accepted as it is: shown again with the message.
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) error: FieldError,
    pub(crate) form: InviteForm,
}

/// A sent invitation, for the page that shows its link (once).
#[derive(Template)]
#[template(path = "invite_sent.html")]
pub(crate) struct SentPage {
    layout: Layout,
    link: String,
    email: String,
    role: &'static str,
    clinician: Option<String>,
    expires: String,
    /// Where the sender's list is.
    back: &'static str,
}

impl SentPage {
    /// The response: the page, never stored by a browser or proxy (it holds the secret link).
    pub(crate) fn into_response(self) -> Result<Response, Problem> {
        Ok(([(CACHE_CONTROL, HeaderValue::from_static("no-store"))], html(&self)?).into_response())
    }
}

/// Check and store an invitation from `sender`'s form; the page with its link, or why not.
///
/// # Errors
/// `Forbidden` for a form that asks for what the sender may not invite (a clinician's forged `role` or
/// `clinician_id`); nothing is written. Store failures.
pub(crate) async fn send<S: Store>(
    state: &AppState<S>,
    sender: Sender<'_>,
    form: &CheckedForm,
    headers: &HeaderMap,
) -> Result<Result<SentPage, Refusal>, Problem> {
    let typed = InviteForm::read(form);
    let refuse = |status: StatusCode, field: &'static str, message: String| {
        Ok(Err(Refusal { status, error: FieldError { field, message }, form: typed.clone() }))
    };
    let (role, clinician) = match &sender {
        Sender::Clinician(me) => {
            // The form has no such fields; one that does was not made by kneeroot's page.
            let role = if typed.role.is_empty() { Some(Role::Patient) } else { Role::parse(&typed.role) };
            let mine = typed.clinician_id.is_empty() || typed.clinician_id == me.id.as_str();
            match role {
                Some(role) if mine => (role, Some((*me).clone())),
                _ => {
                    return Err(Problem::Forbidden(
                        "Clinicians can invite patients to their own caseload only.".into(),
                    ));
                }
            }
        }
        Sender::Admin(_) => {
            let Some(role) = Role::parse(&typed.role) else {
                let message = "Choose what they will be: a clinician, an administrator or a patient.".into();
                return refuse(StatusCode::UNPROCESSABLE_ENTITY, "role", message);
            };
            let clinician = if role == Role::Patient {
                let clinicians = state.store.users_with_role(Role::Clinician).await?;
                clinicians.into_iter().find(|c| c.id.as_str() == typed.clinician_id)
            } else {
                None
            };
            (role, clinician)
        }
    };
    let email = match Email::parse(&typed.email) {
        Ok(e) => e,
        Err(message) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, "email", message),
    };
    let request = Request {
        sender: sender.user(),
        email,
        role,
        clinician: clinician.as_ref(),
        now: state.now(),
        lifetime_seconds: state.config.invitation_seconds,
    };
    let Issued { token, invitation } = match issue(&state.store, request).await? {
        Ok(issued) => issued,
        Err(Refused::NotAllowed(message)) => return Err(Problem::Forbidden(message)),
        Err(e @ Refused::NoClinician) => {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, "clinician_id", e.to_string());
        }
        Err(e @ Refused::AccountExists { .. }) => return refuse(StatusCode::CONFLICT, "email", e.to_string()),
    };
    Ok(Ok(SentPage {
        layout: Layout::for_user(sender.user()),
        link: format!("{}/invite/{token}", public_base(&state.config, headers)),
        email: invitation.email.as_str().to_owned(),
        role: role_in_words(role),
        clinician: clinician.as_ref().map(email_of),
        expires: super::date(invitation.expires_at),
        back: match sender {
            Sender::Admin(_) => "/admin",
            Sender::Clinician(_) => "/clinic/invitations",
        },
    }))
}

/// Withdraw the pending invitation named by the form's `invitation` (its hash) that `sender` sent.
///
/// # Errors
/// `Conflict` with a plain message when it is not theirs or no longer pending; store failures.
pub(crate) async fn withdraw<S: Store>(
    state: &AppState<S>,
    sender: &UserId,
    form: &CheckedForm,
) -> Result<(), Problem> {
    let hash = form.get("invitation").unwrap_or_default();
    let gone = || {
        Problem::Conflict(
            "This invitation cannot be withdrawn: it has been accepted or withdrawn already, or you did not send it."
                .into(),
        )
    };
    if !is_hex_64(hash) {
        return Err(gone());
    }
    match state.store.withdraw_invitation(sender, hash).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(gone()),
        Err(e) => Err(e.into()),
    }
}

/// Whether `s` has the shape of a token or a token hash (64 hex digits).
pub(crate) fn is_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The address links to this site start with: the configured public URL, else this request's host.
pub(crate) fn public_base(config: &Config, headers: &HeaderMap) -> String {
    if let Some(url) = config.public_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).filter(|h| looks_like_host(h));
    match host {
        Some(host) => format!("{}://{host}", if config.secure_cookies { "https" } else { "http" }),
        // HTTP/1.1 requires a Host; without one the link is at least right on this site.
        None => String::new(),
    }
}

/// A host name or address with an optional port: nothing that could start a path, a query or markup.
fn looks_like_host(h: &str) -> bool {
    !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(HOST, HeaderValue::from_str(h).unwrap());
        m
    }

    #[test]
    fn the_configured_address_wins_over_the_host_header() {
        let config = Config { public_url: Some("https://knee.clinic.example/".into()), ..Config::default() };
        assert_eq!(public_base(&config, &host("evil.example")), "https://knee.clinic.example");
    }

    #[test]
    fn without_one_the_host_header_is_used_when_it_looks_like_a_host() {
        let plain = Config::default();
        assert_eq!(public_base(&plain, &host("127.0.0.1:8080")), "http://127.0.0.1:8080");
        assert_eq!(public_base(&plain, &host("[::1]:8080")), "http://[::1]:8080");
        let tls = Config { secure_cookies: true, ..Config::default() };
        assert_eq!(public_base(&tls, &host("knee.example")), "https://knee.example");
        assert_eq!(public_base(&plain, &host("evil.example/x?")), "");
        assert_eq!(public_base(&plain, &host("a\"b")), "");
        assert_eq!(public_base(&plain, &HeaderMap::new()), "");
    }
}
