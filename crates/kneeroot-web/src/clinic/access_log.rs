//! `GET /account/access`: the signed-in person's audit log, newest first: who looked at, changed or
//! downloaded their record (email and role, as they were at the time), which part, and when. The log is
//! append-only in the database, so what is listed here is everything that happened.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use kneeroot_core::booking::{Tz, local_label};
use kneeroot_store::{AuditAction, AuditEntry, Role, Store};

use crate::error::PageResult;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::views::{Layout, html};

struct AccessRow {
    who: String,
    what: String,
    when: String,
}

#[derive(Template)]
#[template(path = "account_access.html")]
struct AccessPage {
    layout: Layout,
    rows: Vec<AccessRow>,
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Clinician => "clinician",
        Role::Admin => "clinic administrator",
        Role::Patient => "patient",
    }
}

/// One entry in plain words: "Looked at your plan".
pub(crate) fn what_words(e: &AuditEntry) -> String {
    let verb = match e.action {
        AuditAction::View => "Looked at",
        AuditAction::Change => "Changed",
        AuditAction::Export => "Downloaded",
    };
    format!("{verb} your {}", e.what)
}

/// `GET /account/access`
pub async fn show<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Html<String>> {
    let entries = state.store.audit_of_patient(&me.user.id).await?;
    let rows = entries
        .iter()
        .rev()
        .map(|e| AccessRow {
            who: format!("{} ({})", e.actor_email.as_str(), role_words(e.actor_role)),
            what: what_words(e),
            when: local_label(e.at, Tz::UTC),
        })
        .collect();
    Ok(html(&AccessPage { layout: Layout::for_user(&me.user), rows })?)
}
