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
use kneeroot_core::booking::{
    BookingError, CalendarEntry, WeeklyAvailability, can_book, can_cancel, format_instant, ics, local_label,
    parse_instant, slots,
};
use kneeroot_store::{AssessmentId, Availability, Booking, BookingStatus, NewBooking, Store, UserId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use super::body::{ApiPath, ApiQuery};
use crate::error::{ApiError, ApiResult, Problem};
use crate::session::ApiUser;
use crate::state::AppState;

/// Longest look-ahead for slots, in days.
const MAX_DAYS: u32 = 60;

fn booking_problem(e: &BookingError) -> Problem {
    match e {
        BookingError::Availability(_) => Problem::Internal(anyhow::anyhow!("stored availability is invalid: {e}")),
        _ => Problem::field("start", e.to_string()),
    }
}

fn settings(a: &Availability) -> Result<WeeklyAvailability, Problem> {
    serde_json::from_str(&a.settings)
        .map_err(|e| Problem::Internal(anyhow::anyhow!("stored availability does not parse: {e}")))
}

fn minutes(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
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
        let Some(a) = state.store.availability(&clinician).await? else {
            return Err(ApiError(Problem::field("clinician_id", "This clinician has no appointments to book.")));
        };
        let avail = settings(&a)?;
        let to = from + i64::from(days + 1) * 86_400;
        let booked = state.store.booked_starts(&clinician, from - 86_400, to).await?;
        for s in slots(&avail, from, days, now, minutes(a.notice_minutes), &booked) {
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
    if reason.chars().count() > 500 {
        return Err(ApiError(Problem::field("reason", "Please keep the reason under 500 characters.")));
    }
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
    let a = state
        .store
        .availability(&clinician)
        .await?
        .ok_or_else(|| ApiError(Problem::field("clinician_id", "This clinician has no appointments to book.")))?;
    let avail = settings(&a)?;
    let now = state.now();
    let booked = state.store.booked_starts(&clinician, start - 86_400, start + 86_400).await?;
    let slot = can_book(&avail, start, now, minutes(a.notice_minutes), &booked).map_err(|e| match e {
        BookingError::Taken { .. } => ApiError(Problem::Conflict(e.to_string())),
        other => ApiError(booking_problem(&other)),
    })?;
    let booking = state
        .store
        .book(&NewBooking {
            clinician_id: clinician,
            patient_id: me.id().clone(),
            start: slot.start,
            end: slot.end,
            reason,
            assessment_id,
            now,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view(&booking, Some(&avail)))))
}

async fn visible<S: Store>(
    state: &AppState<S>,
    me: &ApiUser,
    id: &str,
) -> ApiResult<(Booking, Option<WeeklyAvailability>)> {
    let id = AssessmentId::parse(id).ok_or(ApiError(Problem::NotFound))?;
    let b = state.store.booking(me.id(), &id).await?.ok_or(ApiError(Problem::NotFound))?;
    let avail = match state.store.availability(&b.clinician_id).await? {
        Some(a) => Some(settings(&a)?),
        None => None,
    };
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
    let a = state.store.availability(&b.clinician_id).await?;
    let notice = a.map_or(0, |a| minutes(a.cancel_notice_minutes));
    can_cancel(b.start, state.now(), notice).map_err(|e| ApiError(Problem::Conflict(e.to_string())))?;
    let cancelled = state.store.cancel_booking(me.id(), &b.id, state.now()).await?;
    Ok(Json(view(&cancelled, avail.as_ref())))
}

/// `GET /api/v1/bookings/{id}/ics`: the appointment for a calendar app.
pub async fn calendar<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (b, _) = visible(&state, &me, &id).await?;
    let uid = format!("{}@kneeroot", b.id);
    let description = if b.reason.is_empty() {
        "Physiotherapy appointment booked through kneeroot.".to_owned()
    } else {
        b.reason.clone()
    };
    let text = ics(&CalendarEntry {
        uid: &uid,
        slot: kneeroot_core::booking::Slot { start: b.start, end: b.end },
        summary: "Physiotherapy appointment",
        description: &description,
        location: None,
        stamp: state.now(),
        cancelled: b.status == BookingStatus::Cancelled,
    });
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
    avail.validate().map_err(|e| ApiError(Problem::field(&format!("availability.{}", e.field), e.message.clone())))?;
    for (name, v) in [("notice_minutes", body.notice_minutes), ("cancel_notice_minutes", body.cancel_notice_minutes)] {
        if !(0..=60 * 24 * 30).contains(&v) {
            return Err(ApiError(Problem::field(name, format!("{name} must be from 0 to 43200 minutes."))));
        }
    }
    let stored = Availability {
        clinician_id: me.id().clone(),
        settings: serde_json::to_string(&avail).map_err(anyhow::Error::from).map_err(Problem::from)?,
        notice_minutes: body.notice_minutes,
        cancel_notice_minutes: body.cancel_notice_minutes,
        updated_at: state.now(),
    };
    state.store.set_availability(&stored).await?;
    Ok(Json(
        json!({"clinician_id": me.id(), "availability": avail, "notice_minutes": body.notice_minutes, "cancel_notice_minutes": body.cancel_notice_minutes}),
    ))
}

/// `GET /api/v1/bookings`: my bookings (as a patient), by start.
pub async fn my_bookings<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Json<Value>> {
    let all = state.store.bookings_of_patient(me.id()).await?;
    Ok(Json(Value::Array(all.iter().map(|b| view(b, None)).collect())))
}
