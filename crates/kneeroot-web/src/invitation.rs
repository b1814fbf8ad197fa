//! Issuing an invitation to join the clinic: who may invite whom, and the secret link.
//!
//! The rules live here once, for the web pages (`/admin`, `/clinic/invitations`) and the command line
//! (`kneeroot admin invite`):
//! - an administrator may invite a clinician, an administrator, or a patient linked to one of the
//!   clinic's clinicians; a clinician may invite only patients, linked to themself; a patient, nobody;
//! - an address that already has an account can be invited only as a patient, and only if that account
//!   is a patient's (they accept while signed in); an account never changes role by invitation.
//!
//! The token is 256 random bits; only its SHA-256 is stored (like sessions), so the link exists only in
//! what is returned here.

use kneeroot_store::{Email, Invitation, Role, Store, StoreResult, User};

use crate::security::{new_token, token_hash};

/// A role in words, as pages and messages say it ("invited as a clinician").
pub fn role_in_words(role: Role) -> &'static str {
    match role {
        Role::Patient => "a patient",
        Role::Clinician => "a clinician",
        Role::Admin => "a clinic administrator",
    }
}

/// What to issue.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Who sends it.
    pub sender: &'a User,
    /// Who is invited.
    pub email: Email,
    /// As what.
    pub role: Role,
    /// For a patient: the clinician they will be linked to.
    pub clinician: Option<&'a User>,
    /// Now, in Unix seconds.
    pub now: i64,
    /// How long it can be accepted, in seconds.
    pub lifetime_seconds: i64,
}

/// Why an invitation was not issued; each says so in a sentence fit to show the sender.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The sender may not invite this role (or for this clinician).
    #[error("{0}")]
    NotAllowed(String),
    /// A patient's invitation without a clinician account to link them to.
    #[error("Choose the clinician this patient will be linked to.")]
    NoClinician,
    /// The address has an account that this invitation cannot be accepted with.
    #[error(
        "{email} already has an account, as {}. An account has one role, so it cannot be invited as {}; invite \
         another address.",
        role_in_words(*has),
        role_in_words(*wanted)
    )]
    AccountExists {
        /// The address.
        email: String,
        /// The role its account has.
        has: Role,
        /// The role invited.
        wanted: Role,
    },
}

/// An issued invitation: the secret token (for the link, shown once) and what was stored.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The secret: the link is `{public base}/invite/{token}`.
    pub token: String,
    /// As stored (with the token's hash only).
    pub invitation: Invitation,
}

/// Check `request` against the rules (see the module docs) and store the invitation.
///
/// # Errors
/// The outer error is a store failure; the inner one says why the rules refuse it (nothing is written).
pub async fn issue<S: Store>(store: &S, request: Request<'_>) -> StoreResult<Result<Issued, Refused>> {
    let Request { sender, email, role, clinician, now, lifetime_seconds } = request;
    let clinician_id = match (sender.role, role, clinician) {
        (Role::Patient, _, _) => return Ok(Err(Refused::NotAllowed("Patients cannot send invitations.".into()))),
        (Role::Clinician, Role::Patient, Some(c)) if c.id == sender.id => Some(c.id.clone()),
        (Role::Clinician, Role::Patient, _) => {
            let message = "Clinicians can invite patients to their own caseload only.";
            return Ok(Err(Refused::NotAllowed(message.into())));
        }
        (Role::Clinician, _, _) => return Ok(Err(Refused::NotAllowed("Clinicians can invite patients only.".into()))),
        (Role::Admin, Role::Patient, Some(c)) if c.role == Role::Clinician => Some(c.id.clone()),
        (Role::Admin, Role::Patient, _) => return Ok(Err(Refused::NoClinician)),
        (Role::Admin, _, _) => None,
    };
    if let Some(existing) = store.credentials(&email).await? {
        let has = existing.user.role;
        if role != Role::Patient || has != Role::Patient {
            return Ok(Err(Refused::AccountExists { email: email.as_str().to_owned(), has, wanted: role }));
        }
    }
    let token = new_token();
    let invitation = Invitation {
        token_hash: token_hash(&token),
        email,
        role,
        invited_by: sender.id.clone(),
        clinician_id,
        created_at: now,
        expires_at: now + lifetime_seconds,
        accepted_at: None,
        accepted_by: None,
    };
    store.create_invitation(&invitation).await?;
    tracing::info!(sender = %invitation.invited_by, role = role.as_str(), "invitation issued");
    Ok(Ok(Issued { token, invitation }))
}
