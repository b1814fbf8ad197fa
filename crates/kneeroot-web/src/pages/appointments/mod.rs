//! Booking a physiotherapist from the browser: the person's appointments, every free slot, confirming
//! with a reason, the appointment page with its `.ics` file, cancelling and moving.
//!
//! The flow is plain links and forms, so it works without JavaScript: the slot page links each free time
//! to a confirmation form (a `GET`, so nothing is held while the person types), and only the form's
//! `POST` books, through the same rules and store constraint as the API (`crate::booking`). A slot that
//! went in the meantime, or the loser of a race for it, gets the slot page again with a plain "just
//! taken" message and a 409, never a 500. Times are stored in UTC and always shown in the clinic's time
//! zone with its abbreviation (`kneeroot_core::booking::local_label`), so a booking across a clock change
//! reads right.
//!
//! Access: every route needs a signed-in person, and an appointment page answers only its patient;
//! anyone else gets the same 404 as for an id that does not exist.

mod book;
mod detail;
mod moving;
mod slots;

use axum::Router;
use axum::routing::{get, post};
use kneeroot_core::Knowledge;
use kneeroot_core::booking::{NaiveDate, local_label, parse_instant};
use kneeroot_store::{Assessment, AssessmentId, Booking, Store, UserId};

use crate::booking::{Hours, hours_of};
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// Appointment routes.
pub(crate) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/appointments", get(detail::list::<S>).post(book::book::<S>))
        .route("/appointments/new", get(slots::new::<S>))
        .route("/appointments/confirm", get(book::confirm::<S>))
        .route("/appointments/{id}", get(detail::show::<S>))
        .route("/appointments/{id}/ics", get(detail::calendar::<S>))
        .route("/appointments/{id}/cancel", post(detail::cancel::<S>))
        .route("/appointments/{id}/move", get(moving::slots::<S>).post(moving::submit::<S>))
        .route("/appointments/{id}/move/confirm", get(moving::confirm::<S>))
}

/// The first value of a query parameter. Queries are read as pairs so that a repeated or odd parameter
/// is never a plain-text rejection: the handler decides what is wrong and says so on a page.
pub(crate) fn query_value<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// A `YYYY-MM-DD` parameter, or a 400 naming it.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError(Problem::field(field, format!("'{text}' is not a date like 2026-03-30 ({field})."))))
}

/// A slot's start as sent in a link (RFC 3339), or a 400 naming `start`.
fn parse_start(text: Option<&str>) -> Result<i64, AppError> {
    let text = text.unwrap_or_default();
    parse_instant(text).ok_or_else(|| {
        AppError(Problem::field(
            "start",
            format!("'{text}' is not an appointment time; please pick one of the listed slots."),
        ))
    })
}

/// A clinician id from a link or form, with their hours; a 404 when there is no such clinician with hours
/// (the page cannot offer anything about them).
async fn clinician_hours<S: Store>(state: &AppState<S>, raw: Option<&str>) -> Result<(UserId, Hours), AppError> {
    let id = raw.and_then(UserId::parse).ok_or(AppError(Problem::NotFound))?;
    let hours = hours_of(state, &id).await?.ok_or(AppError(Problem::NotFound))?;
    Ok((id, hours))
}

/// The person's own appointment, or 404 (someone else's looks exactly like one that does not exist).
async fn own_booking<S: Store>(state: &AppState<S>, me: &UserId, raw: &str) -> Result<Booking, AppError> {
    let id = AssessmentId::parse(raw).ok_or(AppError(Problem::NotFound))?;
    match state.store.booking(me, &id).await? {
        Some(b) if &b.patient_id == me => Ok(b),
        _ => Err(AppError(Problem::NotFound)),
    }
}

/// A clinician as patients see them: their email (the only name kneeroot keeps).
async fn clinician_name<S: Store>(state: &AppState<S>, id: &UserId) -> Result<String, Problem> {
    Ok(state.store.user(id).await?.map_or_else(|| "a physiotherapist".to_owned(), |u| u.email.as_str().to_owned()))
}

/// An appointment's time as the clinic reads it; UTC if the clinician's hours are gone.
fn when(start: i64, hours: Option<&Hours>) -> String {
    local_label(start, hours.map_or(kneeroot_core::booking::Tz::UTC, Hours::tz))
}

/// "your assessment of 3 January 2026 (most likely: the hip)": which assessment a booking carries.
fn assessment_label(kb: &Knowledge, a: &Assessment) -> String {
    let cause = kb.causes().iter().find(|c| c.id == a.top_cause).map(|c| c.name.as_str());
    match cause {
        Some(name) if !matches!(a.triage_level.as_str(), "emergency" | "urgent") => {
            format!("your assessment of {} (most likely: {name})", super::date(a.created_at))
        }
        _ => format!("your assessment of {}", super::date(a.created_at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_skip_blanks_and_take_the_first() {
        let q = vec![
            ("from".to_owned(), " ".to_owned()),
            ("start".to_owned(), "a".to_owned()),
            ("start".to_owned(), "b".to_owned()),
        ];
        assert_eq!(query_value(&q, "from"), None);
        assert_eq!(query_value(&q, "start"), Some("a"));
        assert_eq!(query_value(&q, "other"), None);
    }

    #[test]
    fn dates_must_be_calendar_dates() {
        assert!(parse_date("from", "2026-02-28").is_ok());
        assert!(parse_date("from", "2026-02-30").is_err());
        assert!(parse_date("from", "next week").is_err());
    }
}
