//! Confirming a slot and booking it: the form asks for a reason and says which assessment goes with the
//! booking (the person's latest, linked automatically so the physiotherapist can read it first).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::Knowledge;
use kneeroot_core::booking::{format_instant, local_label};
use kneeroot_store::{Assessment, Store, UserId};

use super::slots::{Offer, slot_page};
use super::{assessment_label, clinician_hours, clinician_name, parse_start, query_value};
use crate::booking::{BookingRequest, Hours, MAX_REASON_CHARS, Refusal, check_reason, check_slot};
use crate::error::{AppError, PageResult};
use crate::session::{CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// The confirmation form, for a new booking or a move.
#[derive(Template)]
#[template(path = "appointments_confirm.html")]
pub(super) struct ConfirmPage {
    pub layout: Layout,
    pub csrf: String,
    pub action: String,
    pub clinician_id: Option<String>,
    pub start: String,
    pub when: String,
    pub clinician: String,
    pub zone: String,
    pub minutes: i64,
    pub reason: Option<String>,
    pub max_reason: usize,
    pub moving_from: Option<String>,
    pub assessment: Option<String>,
    pub error: Option<String>,
    pub back: String,
}

/// The status of the slot page shown after a refusal: a lost race is a conflict; anything else the person
/// sent (a time that is not a slot, too soon, a closed day) cannot be processed as it is.
pub(super) fn refusal_status(r: &Refusal) -> StatusCode {
    match r {
        Refusal::Taken(_) | Refusal::AlreadyCancelled => StatusCode::CONFLICT,
        Refusal::NotAPatient => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The slot page again with why the chosen time could not be booked.
async fn slots_again<S: Store>(state: &AppState<S>, me: &SignedIn, refusal: Refusal) -> PageResult<Response> {
    if let Refusal::Failed(p) = refusal {
        return Err(AppError(p));
    }
    let page = slot_page(state, me, Offer::Book, None, Some(refusal.message())).await?;
    page.respond(refusal_status(&refusal))
}

/// The slot being confirmed.
struct Chosen<'a> {
    clinician_id: &'a UserId,
    clinician: String,
    hours: &'a Hours,
    start: i64,
}

fn confirm_page(
    kb: &Knowledge,
    me: &SignedIn,
    chosen: Chosen<'_>,
    latest: Option<&Assessment>,
    reason: String,
    error: Option<String>,
) -> ConfirmPage {
    let Chosen { clinician_id, clinician, hours, start } = chosen;
    ConfirmPage {
        layout: Layout::for_user(&me.user),
        csrf: me.session.csrf_token.clone(),
        action: "/appointments".into(),
        clinician_id: Some(clinician_id.to_string()),
        start: format_instant(start),
        when: local_label(start, hours.tz()),
        clinician,
        zone: hours.tz().name().to_owned(),
        minutes: i64::from(hours.week.slot_minutes),
        reason: Some(reason),
        max_reason: MAX_REASON_CHARS,
        moving_from: None,
        assessment: latest.map(|a| assessment_label(kb, a)),
        error,
        back: "/appointments/new".into(),
    }
}

/// `GET /appointments/confirm?clinician=ID&start=RFC3339`: the form for one slot, if it is still free.
pub async fn confirm<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let (clinician_id, hours) = clinician_hours(&state, query_value(&query, "clinician")).await?;
    let start = parse_start(query_value(&query, "start"))?;
    if let Err(r) = check_slot(&state, &clinician_id, &hours, start).await {
        return slots_again(&state, &me, r).await;
    }
    let latest = state.store.latest_assessment(&me.user.id).await?;
    let clinician = clinician_name(&state, &clinician_id).await?;
    let chosen = Chosen { clinician_id: &clinician_id, clinician, hours: &hours, start };
    let page = confirm_page(&state.kb, &me, chosen, latest.as_ref(), String::new(), None);
    Ok(html(&page)?.into_response())
}

/// `POST /appointments` (clinician, start, reason): book, then show the appointment.
pub async fn book<S: Store>(State(state): State<AppState<S>>, me: SignedIn, form: CheckedForm) -> PageResult<Response> {
    let (clinician_id, hours) = clinician_hours(&state, form.get("clinician")).await?;
    let start = parse_start(form.get("start"))?;
    let reason = form.get("reason").unwrap_or_default().trim().to_owned();
    let latest = state.store.latest_assessment(&me.user.id).await?;
    let problem = if reason.is_empty() {
        Some("Please say briefly why you would like to see a physiotherapist (the reason).".to_owned())
    } else {
        check_reason(&reason).err().map(|m| format!("{m} (the reason)"))
    };
    if let Some(error) = problem {
        let clinician = clinician_name(&state, &clinician_id).await?;
        let chosen = Chosen { clinician_id: &clinician_id, clinician, hours: &hours, start };
        let page = confirm_page(&state.kb, &me, chosen, latest.as_ref(), reason, Some(error));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let rq = BookingRequest {
        patient: &me.user,
        clinician: &clinician_id,
        start,
        reason,
        assessment_id: latest.map(|a| a.id),
    };
    match crate::booking::book(&state, rq).await {
        Ok((b, _)) => Ok(Redirect::to(&format!("/appointments/{}?done=booked", b.id)).into_response()),
        Err(r) => slots_again(&state, &me, r).await,
    }
}
