//! The clinician's side of booking: the schedule by day and by week, cancelling an appointment from it,
//! and the form for weekly hours, notice rules and days off.
//!
//! Days are the clinic's local days (the clinician's own time zone from their hours; UTC until they set
//! some), turned into UTC ranges by the core (`local_day_start`) so a clock-change day has its 23 or 25
//! hours and every appointment shows under the day and time its patient was told. The schedule lists a
//! clinician's own appointments only (the store reads them by clinician), and links each patient to
//! the patient's page. A clinician may cancel any appointment that has not started, whatever the
//! patients' notice rule: it is their diary.

mod availability;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kneeroot_core::booking::{NaiveDate, Tz, Weekday, local_date_of, local_day_start, local_time};
use kneeroot_store::{AssessmentId, Booking, BookingStatus, Store, UserId};

use super::appointments::{parse_date, query_value};
use crate::booking::{CancelRule, Refusal, hours_of};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, ClinicianIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// Schedule and hours routes.
pub(crate) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/clinic/schedule", get(day::<S>))
        .route("/clinic/schedule/week", get(week::<S>))
        .route("/clinic/schedule/{id}/cancel", post(cancel::<S>))
        .route("/clinic/availability", get(availability::show::<S>).post(availability::save::<S>))
}

/// One appointment on the schedule.
pub(crate) struct Entry {
    id: String,
    time: String,
    patient: String,
    patient_href: String,
    reason: String,
    status: &'static str,
    cancellable: bool,
}

/// One local day of the schedule.
pub(crate) struct DayBlock {
    heading: String,
    entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    layout: Layout,
    csrf: String,
    heading: String,
    zone: String,
    has_hours: bool,
    week_view: bool,
    days: Vec<DayBlock>,
    previous: String,
    next: String,
    other_view: String,
    here: String,
    error: Option<String>,
}

/// What a schedule page covers.
#[derive(Debug, Clone, Copy)]
enum Span {
    Day(NaiveDate),
    /// The week starting on this Monday.
    Week(NaiveDate),
}

fn add_days(date: NaiveDate, days: i32) -> NaiveDate {
    NaiveDate::from_epoch_days(date.to_epoch_days().saturating_add(days)).unwrap_or(date)
}

impl Span {
    fn first(self) -> NaiveDate {
        match self {
            Span::Day(d) | Span::Week(d) => d,
        }
    }

    fn days(self) -> i32 {
        match self {
            Span::Day(_) => 1,
            Span::Week(_) => 7,
        }
    }

    /// This page's own address (where a cancel form comes back to).
    fn href(self) -> String {
        match self {
            Span::Day(d) => format!("/clinic/schedule?day={}", d),
            Span::Week(d) => format!("/clinic/schedule/week?week={}", d),
        }
    }

    fn shifted(self, by: i32) -> Span {
        match self {
            Span::Day(d) => Span::Day(add_days(d, by)),
            Span::Week(d) => Span::Week(add_days(d, 7 * by)),
        }
    }
}

/// The clinician's time zone: their hours', or UTC until they set hours.
async fn zone_of<S: Store>(state: &AppState<S>, me: &UserId) -> Result<(Tz, bool), Problem> {
    Ok(hours_of(state, me).await?.map_or((Tz::UTC, false), |h| (h.tz(), true)))
}

fn entry(b: &Booking, patient: &str, tz: Tz, now: i64) -> Entry {
    Entry {
        id: b.id.to_string(),
        time: format!("{} to {}", local_time(b.start, tz), local_time(b.end, tz)),
        patient: patient.to_owned(),
        patient_href: format!("/clinic/patients/{}", b.patient_id),
        reason: b.reason.clone(),
        status: match b.status {
            BookingStatus::Cancelled => "Cancelled",
            BookingStatus::Booked if b.start <= now => "Started or done",
            BookingStatus::Booked => "Booked",
        },
        cancellable: b.status == BookingStatus::Booked && b.start > now,
    }
}

async fn schedule_page<S: Store>(
    state: &AppState<S>,
    me: &ClinicianIn,
    span: Span,
    error: Option<String>,
) -> Result<SchedulePage, Problem> {
    let who = &me.0.user.id;
    let (tz, has_hours) = zone_of(state, who).await?;
    let first = span.first();
    let start = |d: NaiveDate| {
        local_day_start(d, tz).ok_or_else(|| Problem::field("day", "That date is outside the calendar kneeroot knows."))
    };
    let bookings = state.store.bookings_of_clinician(who, start(first)?, start(add_days(first, span.days()))?).await?;
    let mut emails: HashMap<UserId, String> = HashMap::new();
    let mut days: Vec<DayBlock> = (0..span.days())
        .map(|i| DayBlock { heading: add_days(first, i).format("%A %-d %B %Y").to_string(), entries: Vec::new() })
        .collect();
    let now = state.now();
    for b in &bookings {
        if !emails.contains_key(&b.patient_id) {
            let email =
                state.store.user(&b.patient_id).await?.map_or_else(String::new, |u| u.email.as_str().to_owned());
            emails.insert(b.patient_id.clone(), email);
        }
        let Some(date) = local_date_of(b.start, tz) else { continue };
        let index = usize::try_from(date.to_epoch_days() - first.to_epoch_days()).ok();
        if let Some(day) = index.and_then(|i| days.get_mut(i)) {
            day.entries.push(entry(b, &emails[&b.patient_id], tz, now));
        }
    }
    let (heading, other_view) = match span {
        Span::Day(d) => (
            d.format("%A %-d %B %Y").to_string(),
            format!("/clinic/schedule/week?week={}", d.week(Weekday::Mon).first_day()),
        ),
        Span::Week(d) => (format!("Week of {}", d.format("%A %-d %B %Y")), format!("/clinic/schedule?day={}", d)),
    };
    Ok(SchedulePage {
        layout: Layout::for_user(&me.0.user),
        csrf: me.0.session.csrf_token.clone(),
        heading,
        zone: tz.name().to_owned(),
        has_hours,
        week_view: matches!(span, Span::Week(_)),
        days,
        previous: span.shifted(-1).href(),
        next: span.shifted(1).href(),
        other_view,
        here: span.href(),
        error,
    })
}

/// Today in the clinician's zone.
async fn today<S: Store>(state: &AppState<S>, me: &ClinicianIn) -> Result<NaiveDate, Problem> {
    let (tz, _) = zone_of(state, &me.0.user.id).await?;
    local_date_of(state.now(), tz).ok_or_else(|| Problem::Internal(anyhow::anyhow!("now is out of range")))
}

/// `GET /clinic/schedule[?day=YYYY-MM-DD]`: one local day, today by default.
pub async fn day<S: Store>(
    State(state): State<AppState<S>>,
    me: ClinicianIn,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let date = match query_value(&query, "day") {
        Some(text) => parse_date("day", text)?,
        None => today(&state, &me).await?,
    };
    Ok(html(&schedule_page(&state, &me, Span::Day(date), None).await?)?.into_response())
}

/// `GET /clinic/schedule/week[?week=YYYY-MM-DD]`: the week (Monday to Sunday) holding that date.
pub async fn week<S: Store>(
    State(state): State<AppState<S>>,
    me: ClinicianIn,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let date = match query_value(&query, "week") {
        Some(text) => parse_date("week", text)?,
        None => today(&state, &me).await?,
    };
    let monday = date.week(Weekday::Mon).first_day();
    Ok(html(&schedule_page(&state, &me, Span::Week(monday), None).await?)?.into_response())
}

/// Where a cancel form returns to: the schedule page it came from, if the field names one.
fn span_back(text: Option<&str>) -> Option<Span> {
    let text = text?;
    if let Some(d) = text.strip_prefix("/clinic/schedule?day=") {
        return NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(Span::Day);
    }
    let d = text.strip_prefix("/clinic/schedule/week?week=")?;
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(|d| Span::Week(d.week(Weekday::Mon).first_day()))
}

/// `POST /clinic/schedule/{id}/cancel` (back): cancel one of my appointments that has not started.
pub async fn cancel<S: Store>(
    State(state): State<AppState<S>>,
    me: ClinicianIn,
    Path(id): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let who = &me.0.user.id;
    let id = AssessmentId::parse(&id).ok_or(AppError(Problem::NotFound))?;
    let b = match state.store.booking(who, &id).await? {
        Some(b) if &b.clinician_id == who => b,
        _ => return Err(AppError(Problem::NotFound)),
    };
    let span = match span_back(form.get("back")) {
        Some(s) => s,
        None => match local_date_of(b.start, zone_of(&state, who).await?.0) {
            Some(d) => Span::Day(d),
            None => Span::Day(today(&state, &me).await?),
        },
    };
    match crate::booking::cancel(&state, who, &b, CancelRule::BeforeStart).await {
        Ok(_) => Ok(Redirect::to(&span.href()).into_response()),
        Err(Refusal::Failed(p)) => Err(AppError(p)),
        Err(r) => {
            let page = schedule_page(&state, &me, span, Some(r.message())).await?;
            Ok((StatusCode::CONFLICT, html(&page)?).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_forms_return_only_to_schedule_pages() {
        assert!(matches!(span_back(Some("/clinic/schedule?day=2026-03-29")), Some(Span::Day(_))));
        let Some(Span::Week(monday)) = span_back(Some("/clinic/schedule/week?week=2026-04-01")) else {
            panic!("a week")
        };
        assert_eq!(monday.to_string(), "2026-03-30");
        assert!(span_back(Some("https://evil.example/")).is_none());
        assert!(span_back(Some("/clinic/schedule?day=soon")).is_none());
        assert!(span_back(None).is_none());
    }
}
