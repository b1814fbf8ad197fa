//! The slot page: every free slot of every clinician with hours (or, when moving, of the appointment's
//! clinician), grouped by clinician and by day in that clinic's time zone, a week at a time.
//!
//! All slots are listed, not a sample, because the person knows which morning suits them. The week starts
//! at `?from=YYYY-MM-DD` (default today, read in the clinic's zone) and "Earlier"/"Later" links page by a
//! week, never before today and at most a year ahead.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kneeroot_core::booking::{NaiveDate, Tz, format_instant, local_date_of, local_day_start, local_label, local_time};
use kneeroot_store::{Booking, Store, UserId};

use super::{clinician_name, parse_date, query_value};
use crate::booking::{Hours, free_slots, hours_of};
use crate::error::{AppError, PageResult, Problem};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::views::{Layout, html};

/// Days shown per page.
pub(super) const DAYS_PER_PAGE: i32 = 7;
/// How far ahead the pages go, in days.
const MAX_AHEAD_DAYS: i32 = crate::booking::MAX_AHEAD_DAYS as i32;

/// One free slot, as a link to confirm it.
pub(crate) struct SlotLink {
    href: String,
    time: String,
    label: String,
}

/// One local day's free slots.
pub(crate) struct SlotDay {
    date: String,
    heading: String,
    slots: Vec<SlotLink>,
}

/// One clinician's free slots in the week shown.
pub(crate) struct ClinicianSlots {
    id: String,
    name: String,
    zone: String,
    days: Vec<SlotDay>,
}

#[derive(Template)]
#[template(path = "appointments_new.html")]
pub(super) struct SlotPage {
    layout: Layout,
    moving: Option<String>,
    message: Option<String>,
    clinicians: Vec<ClinicianSlots>,
    range: String,
    earlier: Option<String>,
    later: Option<String>,
    back: String,
}

impl SlotPage {
    /// The page with a status (a 409 after a lost race, say).
    pub(super) fn respond(&self, status: StatusCode) -> PageResult<Response> {
        Ok((status, html(self)?).into_response())
    }
}

/// What the slot links lead to.
pub(super) enum Offer<'a> {
    /// A new appointment with any clinician.
    Book,
    /// Another time with this appointment's clinician.
    Move(&'a Booking),
}

/// `date` plus `days` days (saturating at chrono's range, far beyond any page).
fn add_days(date: NaiveDate, days: i32) -> NaiveDate {
    NaiveDate::from_epoch_days(date.to_epoch_days().saturating_add(days)).unwrap_or(date)
}

/// The slot page for `offer`, from the week at `from` (a `YYYY-MM-DD`, or today), with an optional
/// message at the top.
///
/// # Errors
/// A `from` that is not a date or is more than a year ahead (400, naming it), or a store failure.
pub(super) async fn slot_page<S: Store>(
    state: &AppState<S>,
    me: &SignedIn,
    offer: Offer<'_>,
    from: Option<&str>,
    message: Option<String>,
) -> Result<SlotPage, AppError> {
    let mut clinicians: Vec<(UserId, Hours)> = Vec::new();
    match offer {
        Offer::Book => {
            for id in state.store.clinicians_with_availability().await? {
                if let Some(h) = hours_of(state, &id).await? {
                    clinicians.push((id, h));
                }
            }
        }
        Offer::Move(b) => {
            if let Some(h) = hours_of(state, &b.clinician_id).await? {
                clinicians.push((b.clinician_id.clone(), h));
            }
        }
    }
    let now = state.now();
    // One week for the whole page: the first clinic's "today" (clinics are rarely a day apart).
    let page_zone = clinicians.first().map_or(Tz::UTC, |(_, h)| h.tz());
    let today =
        local_date_of(now, page_zone).ok_or_else(|| Problem::Internal(anyhow::anyhow!("now is out of range")))?;
    let last = add_days(today, MAX_AHEAD_DAYS);
    let anchor = match from {
        None => today,
        Some(text) => parse_date("from", text)?.max(today),
    };
    if anchor > last {
        return Err(AppError(Problem::field(
            "from",
            format!(
                "Appointments can be booked up to a year ahead; please choose a date before {}.",
                last.format("%-d %B %Y")
            ),
        )));
    }
    let end = add_days(anchor, DAYS_PER_PAGE);

    let mut out = Vec::new();
    for (id, hours) in &clinicians {
        let tz = hours.tz();
        let first = local_date_of(now, tz).map_or(anchor, |t| t.max(anchor));
        let days = u32::try_from(end.to_epoch_days() - first.to_epoch_days()).unwrap_or(0);
        let mut by_day: Vec<SlotDay> = Vec::new();
        if days > 0
            && let Some(from_utc) = local_day_start(first, tz)
        {
            for slot in free_slots(state, id, hours, from_utc, days).await? {
                let Some(date) = local_date_of(slot.start, tz) else { continue };
                let link = SlotLink {
                    href: match offer {
                        Offer::Book => {
                            format!("/appointments/confirm?clinician={id}&start={}", format_instant(slot.start))
                        }
                        Offer::Move(b) => {
                            format!("/appointments/{}/move/confirm?start={}", b.id, format_instant(slot.start))
                        }
                    },
                    time: local_time(slot.start, tz),
                    label: local_label(slot.start, tz),
                };
                let key = date.format("%Y-%m-%d").to_string();
                match by_day.last_mut() {
                    Some(day) if day.date == key => day.slots.push(link),
                    _ => by_day.push(SlotDay {
                        date: key,
                        heading: date.format("%A %-d %B").to_string(),
                        slots: vec![link],
                    }),
                }
            }
        }
        out.push(ClinicianSlots {
            id: id.to_string(),
            name: clinician_name(state, id).await?,
            zone: tz.name().to_owned(),
            days: by_day,
        });
    }

    let base = match offer {
        Offer::Book => "/appointments/new?from=".to_owned(),
        Offer::Move(b) => format!("/appointments/{}/move?from=", b.id),
    };
    let moving = match offer {
        Offer::Book => None,
        Offer::Move(b) => Some(local_label(b.start, clinicians.first().map_or(Tz::UTC, |(_, h)| h.tz()))),
    };
    let back = match offer {
        Offer::Book => "/appointments".to_owned(),
        Offer::Move(b) => format!("/appointments/{}", b.id),
    };
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(SlotPage {
        layout: Layout::for_user(&me.user),
        moving,
        message,
        clinicians: out,
        range: format!("{} to {}", anchor.format("%a %-d %B"), add_days(end, -1).format("%a %-d %B %Y")),
        earlier: (anchor > today).then(|| format!("{base}{}", ymd(add_days(anchor, -DAYS_PER_PAGE).max(today)))),
        later: (end <= last).then(|| format!("{base}{}", ymd(end))),
        back,
    })
}

/// `GET /appointments/new[?from=YYYY-MM-DD]`
pub async fn new<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let page = slot_page(&state, &me, Offer::Book, query_value(&query, "from"), None).await?;
    page.respond(StatusCode::OK)
}
