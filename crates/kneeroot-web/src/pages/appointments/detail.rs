//! The person's appointments: the list, one appointment with its calendar file, and cancelling it.
//!
//! Cancelling and moving follow the clinic's cancellation notice; when it is too late, the page says
//! so before anyone presses a button, and names whom to contact instead.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::booking::{BookingError, can_cancel};
use kneeroot_store::{AssessmentId, Booking, BookingStatus, Store, UserId};

use super::{assessment_label, clinician_name, own_booking, query_value, when};
use crate::booking::{CancelRule, Hours, Refusal, calendar_file, hours_of};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// One appointment in the list.
pub(crate) struct Row {
    href: String,
    when: String,
    clinician: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "appointments.html")]
struct ListPage {
    layout: Layout,
    upcoming: Vec<Row>,
    past: Vec<Row>,
}

#[derive(Template)]
#[template(path = "appointments_detail.html")]
struct DetailPage {
    layout: Layout,
    csrf: String,
    id: String,
    clinician: String,
    when: String,
    zone: String,
    minutes: i64,
    reason: String,
    status: &'static str,
    assessment: Option<(String, String)>,
    message: Option<String>,
    error: Option<String>,
    can_change: bool,
    change_note: Option<String>,
}

/// Booked, cancelled, or over.
fn status(b: &Booking, now: i64) -> &'static str {
    match b.status {
        BookingStatus::Cancelled => "Cancelled",
        BookingStatus::Booked if b.end <= now => "Past",
        BookingStatus::Booked => "Booked",
    }
}

/// `GET /appointments`: upcoming first (soonest first), then past and cancelled ones (latest first).
pub async fn list<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Response> {
    let now = state.now();
    let mut clinics: HashMap<UserId, (String, Option<Hours>)> = HashMap::new();
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for b in state.store.bookings_of_patient(&me.user.id).await? {
        if !clinics.contains_key(&b.clinician_id) {
            let entry = (clinician_name(&state, &b.clinician_id).await?, hours_of(&state, &b.clinician_id).await?);
            clinics.insert(b.clinician_id.clone(), entry);
        }
        let (name, hours) = &clinics[&b.clinician_id];
        let row = Row {
            href: format!("/appointments/{}", b.id),
            when: when(b.start, hours.as_ref()),
            clinician: name.clone(),
            status: status(&b, now),
        };
        if row.status == "Booked" { upcoming.push(row) } else { past.push(row) }
    }
    past.reverse();
    Ok(html(&ListPage { layout: Layout::for_user(&me.user), upcoming, past })?.into_response())
}

/// Whether the appointment may still be changed online, and if not, what to do instead.
fn change_rule(b: &Booking, hours: Option<&Hours>, clinician: &str, now: i64) -> (bool, Option<String>) {
    if b.status == BookingStatus::Cancelled {
        return (false, None);
    }
    match can_cancel(b.start, now, hours.map_or(0, Hours::cancel_notice)) {
        Ok(()) => (true, None),
        Err(BookingError::AlreadyStarted) => (false, Some("This appointment has started or passed.".into())),
        Err(e) => (
            false,
            Some(format!(
                "{} To cancel or move it now, contact your physiotherapist directly: {clinician}.",
                Refusal::Rule(e).message()
            )),
        ),
    }
}

/// The appointment page, with a message (after an action) or an error.
async fn detail_page<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    b: &Booking,
    message: Option<String>,
    error: Option<String>,
) -> Result<DetailPage, Problem> {
    let hours = hours_of(state, &b.clinician_id).await?;
    let clinician = clinician_name(state, &b.clinician_id).await?;
    let assessment = match &b.assessment_id {
        Some(id) => state
            .store
            .assessment(&me.user.id, id)
            .await?
            .map(|a| (format!("/assessments/{}", a.id), assessment_label(&state.kb, &a))),
        None => None,
    };
    let (can_change, change_note) = change_rule(b, hours.as_ref(), &clinician, state.now());
    Ok(DetailPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        id: b.id.to_string(),
        when: when(b.start, hours.as_ref()),
        zone: hours.as_ref().map_or("UTC", |h| h.tz().name()).to_owned(),
        minutes: (b.end - b.start) / 60,
        clinician,
        reason: b.reason.clone(),
        status: status(b, state.now()),
        assessment,
        message,
        error,
        can_change,
        change_note,
    })
}

/// `GET /appointments/{id}[?done=booked|moved|cancelled]`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let b = own_booking(&state, &me.user.id, &id).await?;
    let message = match query_value(&query, "done") {
        Some("booked") if b.status == BookingStatus::Booked => Some("Your appointment is booked.".to_owned()),
        Some("moved") if b.status == BookingStatus::Booked => Some("Your appointment has been moved.".to_owned()),
        Some("cancelled") if b.status == BookingStatus::Cancelled => {
            Some("Your appointment is cancelled. The time is free for someone else.".to_owned())
        }
        _ => None,
    };
    Ok(html(&detail_page(&state, &me, &b, message, None).await?)?.into_response())
}

/// The appointment page again with why an action was refused; a refusal of the person's making (too late,
/// already cancelled, the new time just taken) is a 409, never a 500.
pub(super) async fn refused<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    b: &Booking,
    refusal: Refusal,
) -> PageResult<Response> {
    if let Refusal::Failed(p) = refusal {
        return Err(AppError(p));
    }
    let page = detail_page(state, me, b, None, Some(refusal.message())).await?;
    Ok((StatusCode::CONFLICT, html(&page)?).into_response())
}

/// `POST /appointments/{id}/cancel`
pub async fn cancel<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
    _form: CheckedForm,
) -> PageResult<Response> {
    let b = own_booking(&state, &me.user.id, &id).await?;
    match crate::booking::cancel(&state, &me.user.id, &b, CancelRule::ClinicNotice).await {
        Ok(_) => Ok(Redirect::to(&format!("/appointments/{}?done=cancelled", b.id)).into_response()),
        Err(r) => refused(&state, &me, &b, r).await,
    }
}

/// `GET /appointments/{id}/ics`: the appointment for a calendar app (its patient or its clinician).
pub async fn calendar<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let id = AssessmentId::parse(&id).ok_or(AppError(Problem::NotFound))?;
    let b = state.store.booking(&me.user.id, &id).await?.ok_or(AppError(Problem::NotFound))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"appointment.ics\""),
        ],
        calendar_file(&b, state.now()),
    )
        .into_response())
}
