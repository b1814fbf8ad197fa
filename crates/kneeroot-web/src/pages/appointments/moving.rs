//! Moving an appointment to another free time with the same physiotherapist.
//!
//! The same slot page and confirmation form as booking, limited to the appointment's clinician. Only the
//! confirmation's `POST` moves it, in one store transaction (`move_booking`): the old time is freed
//! exactly when the new one is taken, so a lost race leaves the old appointment standing.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::booking::{BookingError, can_cancel, format_instant, local_label};
use kneeroot_store::{Booking, BookingStatus, Store};

use super::book::{ConfirmPage, refusal_status};
use super::detail::refused;
use super::slots::{Offer, slot_page};
use super::{clinician_name, own_booking, parse_start, query_value};
use crate::booking::{Hours, MAX_REASON_CHARS, Refusal, check_slot, hours_of};
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// The appointment's clinician's hours, if it may still be moved; otherwise why not.
async fn movable<S: Store>(state: &AppState<S>, b: &Booking) -> Result<Hours, Refusal> {
    if b.status == BookingStatus::Cancelled {
        return Err(Refusal::AlreadyCancelled);
    }
    let hours = hours_of(state, &b.clinician_id).await?.ok_or(Refusal::NoHours)?;
    can_cancel(b.start, state.now(), hours.cancel_notice()).map_err(Refusal::Rule)?;
    Ok(hours)
}

/// The move's slot page again with why the chosen time could not be taken.
async fn slots_again<S: Store>(state: &AppState<S>, me: &SignedIn, b: &Booking, r: Refusal) -> PageResult<Response> {
    if let Refusal::Failed(p) = r {
        return Err(AppError(p));
    }
    let page = slot_page(state, me, Offer::Move(b), None, Some(r.message())).await?;
    page.respond(refusal_status(&r))
}

/// `GET /appointments/{id}/move[?from=YYYY-MM-DD]`: the clinician's free times.
pub async fn slots<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let b = own_booking(&state, &me.user.id, &id).await?;
    if let Err(r) = movable(&state, &b).await {
        return refused(&state, &me, &b, r).await;
    }
    let page = slot_page(&state, &me, Offer::Move(&b), query_value(&query, "from"), None).await?;
    page.respond(StatusCode::OK)
}

/// `GET /appointments/{id}/move/confirm?start=RFC3339`: confirm the new time.
pub async fn confirm<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let b = own_booking(&state, &me.user.id, &id).await?;
    let start = parse_start(query_value(&query, "start"))?;
    let hours = match movable(&state, &b).await {
        Ok(h) => h,
        Err(r) => return refused(&state, &me, &b, r).await,
    };
    if let Err(r) = check_slot(&state, &b.clinician_id, &hours, start).await {
        return slots_again(&state, &me, &b, r).await;
    }
    let page = ConfirmPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        action: format!("/appointments/{}/move", b.id),
        clinician_id: None,
        start: format_instant(start),
        when: local_label(start, hours.tz()),
        clinician: clinician_name(&state, &b.clinician_id).await?,
        zone: hours.tz().name().to_owned(),
        minutes: i64::from(hours.week.slot_minutes),
        reason: None,
        max_reason: MAX_REASON_CHARS,
        moving_from: Some(local_label(b.start, hours.tz())),
        assessment: None,
        error: None,
        back: format!("/appointments/{}/move", b.id),
    };
    Ok(html(&page)?.into_response())
}

/// `POST /appointments/{id}/move` (start): move, then show the new appointment.
pub async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let b = own_booking(&state, &me.user.id, &id).await?;
    let start = parse_start(form.get("start"))?;
    match crate::booking::move_to(&state, &me.user.id, &b, start).await {
        Ok(moved) => Ok(Redirect::to(&format!("/appointments/{}?done=moved", moved.id)).into_response()),
        // About the appointment itself: it can no longer be changed.
        Err(
            r @ (Refusal::AlreadyCancelled
            | Refusal::Rule(BookingError::TooLateToChange { .. } | BookingError::AlreadyStarted)),
        ) => refused(&state, &me, &b, r).await,
        Err(Refusal::NoHours) => Err(AppError(Problem::NotFound)),
        // About the new time: pick another.
        Err(r) => slots_again(&state, &me, &b, r).await,
    }
}
