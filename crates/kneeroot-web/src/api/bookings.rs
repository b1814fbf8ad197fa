//! Booking a physiotherapist: free slots, bookings, cancelling, and the `.ics` file.
//!
//! Slots come from the clinician's weekly availability in the clinic's time zone (`kneeroot-core::booking`),
//! minus what is booked. A booking is checked against the same rules (a real slot, far enough ahead, not
//! taken) and then written under a database constraint, so two people racing for one slot, on one server or
//! several, get exactly one booking; the other gets a 409 with a plain message. Every route needs a bearer
//! token; a booking is visible to its patient and its clinician only (anyone else: 404).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kneeroot_core::booking::{WeeklyAvailability, format_instant, local_label, parse_instant};
use kneeroot_store::{AssessmentId, Booking, BookingStatus, Store, UserId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use super::body::{ApiPath, ApiQuery};
use crate::booking::{
    BookingRequest, CancelRule, HoursRefusal, Refusal, calendar_file, check_reason, free_slots, hours_of, save_hours,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::session::ApiUser;
use crate::state::AppState;

/// Longest look-ahead for slots, in days.
pub(super) const MAX_DAYS: u32 = 60;

/// A refusal in the API's terms: what the person can act on is a 400 naming the field or a 409.
fn refused(r: Refusal) -> ApiError {
    ApiError(match r {
        Refusal::NoHours => Problem::field("clinician_id", "This clinician has no appointments to book."),
        Refusal::Rule(e) => Problem::field("start", e.to_string()),
        Refusal::Taken(m) => Problem::Conflict(m),
        r @ Refusal::AlreadyCancelled => Problem::Conflict(r.message()),
        r @ Refusal::NotAPatient => Problem::Forbidden(r.message()),
        r @ Refusal::TooFarAhead => Problem::field("start", r.message()),
        Refusal::Failed(p) => p,
    })
}

fn view(b: &Booking, tz: Option<&WeeklyAvailability>) -> Value {
    json!({
        "id": b.id,
        "clinician_id": b.clinician_id,
        "patient_id": b.patient_id,
        "start": format_instant(b.start),
        "end": format_instant(b.end),
        "local": tz.map(|a| local_label(b.start, a.time_zone)),
        "status": match b.status { BookingStatus::Booked => "booked", BookingStatus::Cancelled => "cancelled" },
        "reason": b.reason,
        "assessment_id": b.assessment_id,
    })
}

/// The query of `GET /api/v1/slots`.
#[derive(Debug, Deserialize)]
pub struct SlotQuery {
    clinician_id: Option<String>,
    from: Option<String>,
    days: Option<u32>,
}

/// `GET /api/v1/slots[?clinician_id=&from=&days=]`: every free slot.
pub async fn list_slots<S: Store>(
    State(state): State<AppState<S>>,
    _me: ApiUser,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> ApiResult<Json<Value>> {
    let now = state.now();
    let from = match q.from.as_deref() {
        None | Some("") => now,
        Some(s) => parse_instant(s).ok_or_else(|| {
            ApiError(Problem::field("from", format!("'{s}' is not a time like 2026-03-30T09:00:00Z.")))
        })?,
    };
    let days = q.days.unwrap_or(14);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError(Problem::field("days", format!("days must be from 1 to {MAX_DAYS}."))));
    }
    let clinicians = match q.clinician_id.as_deref() {
        Some(id) => vec![
            UserId::parse(id).ok_or_else(|| ApiError(Problem::field("clinician_id", "No clinician has this id.")))?,
        ],
        None => state.store.clinicians_with_availability().await?,
    };
    let mut out = Vec::new();
    for clinician in clinicians {
        let Some(hours) = hours_of(&state, &clinician).await? else {
            return Err(refused(Refusal::NoHours));
        };
        for s in free_slots(&state, &clinician, &hours, from, days).await? {
            out.push(
                json!({"clinician_id": clinician, "start": format_instant(s.start), "end": format_instant(s.end)}),
            );
        }
    }
    Ok(Json(Value::Array(out)))
}

/// The body of `POST /api/v1/bookings`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    clinician_id: String,
    start: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    assessment_id: Option<String>,
}

/// `POST /api/v1/bookings`: book a free slot → 201, or 409 when someone else got it first.
pub async fn book<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiJson(body): ApiJson<BookBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let clinician = UserId::parse(&body.clinician_id)
        .ok_or_else(|| ApiError(Problem::field("clinician_id", "No clinician has this id.")))?;
    let start = parse_instant(&body.start).ok_or_else(|| {
        ApiError(Problem::field("start", format!("'{}' is not a time like 2026-03-30T09:00:00Z.", body.start)))
    })?;
    let reason = body.reason.unwrap_or_default();
    check_reason(&reason).map_err(|m| ApiError(Problem::field("reason", m)))?;
    let assessment_id = match body.assessment_id.as_deref() {
        None => None,
        Some(raw) => {
            let id = AssessmentId::parse(raw)
                .ok_or_else(|| ApiError(Problem::field("assessment_id", "No assessment of yours has this id.")))?;
            state
                .store
                .assessment(me.id(), &id)
                .await?
                .ok_or_else(|| ApiError(Problem::field("assessment_id", "No assessment of yours has this id.")))?;
            Some(id)
        }
    };
    let rq = BookingRequest { patient: &me.user, clinician: &clinician, start, reason, assessment_id };
    let (booking, hours) = crate::booking::book(&state, rq).await.map_err(refused)?;
    Ok((StatusCode::CREATED, Json(view(&booking, Some(&hours.week)))))
}

async fn visible<S: Store>(
    state: &AppState<S>,
    me: &ApiUser,
    id: &str,
) -> ApiResult<(Booking, Option<WeeklyAvailability>)> {
    let id = AssessmentId::parse(id).ok_or(ApiError(Problem::NotFound))?;
    let b = state.store.booking(me.id(), &id).await?.ok_or(ApiError(Problem::NotFound))?;
    let avail = hours_of(state, &b.clinician_id).await?.map(|h| h.week);
    Ok((b, avail))
}

/// `GET /api/v1/bookings/{id}`
pub async fn get_booking<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let (b, avail) = visible(&state, &me, &id).await?;
    Ok(Json(view(&b, avail.as_ref())))
}

/// `DELETE /api/v1/bookings/{id}`: cancel, within the clinic's notice rule.
pub async fn cancel<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let (b, avail) = visible(&state, &me, &id).await?;
    let cancelled =
        crate::booking::cancel(&state, me.id(), &b, CancelRule::ClinicNotice).await.map_err(|r| match r {
            // Too late to cancel is not a bad field but the state of the appointment: a conflict.
            Refusal::Rule(e) => ApiError(Problem::Conflict(e.to_string())),
            other => refused(other),
        })?;
    Ok(Json(view(&cancelled, avail.as_ref())))
}

/// `GET /api/v1/bookings/{id}/ics`: the appointment for a calendar app.
pub async fn calendar<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (b, _) = visible(&state, &me, &id).await?;
    let text = calendar_file(&b, state.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"appointment.ics\""),
        ],
        text,
    )
        .into_response())
}

/// The body of `PUT /api/v1/availability`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityBody {
    availability: Value,
    #[serde(default = "default_notice")]
    notice_minutes: i64,
    #[serde(default = "default_cancel_notice")]
    cancel_notice_minutes: i64,
}

fn default_notice() -> i64 {
    120
}

fn default_cancel_notice() -> i64 {
    24 * 60
}

/// `PUT /api/v1/availability` (clinicians): the weekly availability, slot length, leave and notice rules.
pub async fn set_availability<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiJson(body): ApiJson<AvailabilityBody>,
) -> ApiResult<Json<Value>> {
    if me.user.role != kneeroot_store::Role::Clinician {
        return Err(ApiError(Problem::Forbidden("Only clinicians set availability.".into())));
    }
    let avail: WeeklyAvailability = serde_json::from_value(body.availability.clone())
        .map_err(|e| ApiError(Problem::field("availability", format!("The availability could not be read: {e}"))))?;
    save_hours(&state, me.id(), &avail, body.notice_minutes, body.cancel_notice_minutes).await.map_err(|r| {
        ApiError(match r {
            HoursRefusal::Week(e) => Problem::field(&format!("availability.{}", e.field), e.message),
            HoursRefusal::Notice { field, message } => Problem::field(field, message),
            HoursRefusal::Failed(p) => p,
        })
    })?;
    Ok(Json(
        json!({"clinician_id": me.id(), "availability": avail, "notice_minutes": body.notice_minutes, "cancel_notice_minutes": body.cancel_notice_minutes}),
    ))
}

/// `GET /api/v1/bookings`: my bookings (as a patient), by start.
pub async fn my_bookings<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Json<Value>> {
    let all = state.store.bookings_of_patient(me.id()).await?;
    Ok(Json(Value::Array(all.iter().map(|b| view(b, None)).collect())))
}
