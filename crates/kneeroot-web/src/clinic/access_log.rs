//! `GET /account/access`: the signed-in person's audit log, newest first: who looked at, changed or
//! downloaded their record (email and role, as they were at the time), which part, and when. The log is
//! append-only in the database, so what is listed here is everything that happened.
//!
//! Repeats are shown once: the same person doing the same thing to the same part on the same day (a
//! clinician opening their caseload many times a day, say) is one row that says how many times, from
//! when to when, so a busy day does not bury the one entry that matters. Nothing is dropped: the count
//! and the times cover every entry.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use kneeroot_core::booking::{Tz, local_label};
use kneeroot_store::{AuditAction, AuditEntry, Role, Store};

use crate::error::PageResult;
use crate::pages::current::today;
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

/// Entries newest first, with runs of the same actor, action and part on one day folded into one row.
fn rows(entries: &[AuditEntry]) -> Vec<AccessRow> {
    let mut rows: Vec<(AccessRow, &AuditEntry, usize, i64)> = Vec::new();
    for e in entries.iter().rev() {
        if let Some((_, last, times, first_at)) = rows.last_mut()
            && last.actor_id == e.actor_id
            && last.action == e.action
            && last.what == e.what
            && today(last.at) == today(e.at)
        {
            *times += 1;
            *first_at = e.at;
            continue;
        }
        let row = AccessRow {
            who: format!("{} ({})", e.actor_email.as_str(), role_words(e.actor_role)),
            what: what_words(e),
            when: local_label(e.at, Tz::UTC),
        };
        rows.push((row, e, 1, e.at));
    }
    rows.into_iter()
        .map(|(mut row, _, times, first_at)| {
            if times > 1 {
                row.what = format!("{} ({times} times that day)", row.what);
                row.when = format!("{} to {}", local_label(first_at, Tz::UTC), row.when);
            }
            row
        })
        .collect()
}

/// `GET /account/access`
pub async fn show<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Html<String>> {
    let entries = state.store.audit_of_patient(&me.user.id).await?;
    Ok(html(&AccessPage { layout: Layout::for_user(&me.user), rows: rows(&entries) })?)
}

#[cfg(test)]
mod tests {
    use kneeroot_store::{AssessmentId, Email, UserId};

    use super::*;

    fn entry(actor: &str, action: AuditAction, what: &str, at: i64) -> AuditEntry {
        AuditEntry {
            id: AssessmentId::random(),
            at,
            actor_id: UserId::parse(&format!("{actor:0>32}")).expect("id"),
            actor_email: Email::parse(&format!("{actor}@example.org")).expect("email"),
            actor_role: Role::Clinician,
            patient_id: UserId::random(),
            action,
            what: what.into(),
        }
    }

    #[test]
    fn repeats_on_one_day_fold_into_one_row_and_nothing_else_does() {
        let day = 1_767_225_600; // 2026-01-01 00:00 UTC
        let log = [
            entry("a", AuditAction::View, "summary", day + 60),
            entry("a", AuditAction::View, "summary", day + 3_600),
            entry("a", AuditAction::View, "summary", day + 7_200),
            entry("b", AuditAction::View, "summary", day + 7_300),
            entry("a", AuditAction::View, "summary", day + 7_400),
            entry("a", AuditAction::Change, "plan", day + 7_500),
            entry("a", AuditAction::Change, "plan", day + 86_400 + 60),
        ];
        let shown = rows(&log);
        let what: Vec<&str> = shown.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "Changed your plan",
                "Changed your plan",
                "Looked at your summary",
                "Looked at your summary",
                "Looked at your summary (3 times that day)",
            ],
            "newest first; another actor or another day breaks a run"
        );
        assert!(
            shown[4].when.starts_with("Thu 1 Jan 2026, 00:01") && shown[4].when.contains(" to "),
            "{}",
            shown[4].when
        );
        assert!(shown[3].who.starts_with("b@"));
    }
}
