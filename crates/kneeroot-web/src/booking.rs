//! What the booking pages and the booking API share, so a browser and an app get the same answers.
//!
//! The core decides what is allowed (`kneeroot_core::booking`); the store keeps a slot from being
//! booked twice. This module is the glue between them that both surfaces need: reading a clinician's
//! stored hours, listing free slots, booking, moving and cancelling under the clinic's rules, validating
//! and writing hours, and the `.ics` file. Each operation returns a [`Refusal`] for the refusals a
//! person can act on (the slot was just taken, it is too late to cancel) and a [`Problem`] only for
//! what is kneeroot's fault, so each surface can say the first in its own words (a 409 in JSON, the slot
//! page again with a plain message) and never turn a lost race into a 500.

use kneeroot_core::booking::{
    AvailabilityError, BookingError, CalendarEntry, Slot, Tz, WeeklyAvailability, can_book, can_cancel, ics, slots,
};
use kneeroot_store::{
    AssessmentId, Availability, Booking, BookingStatus, NewBooking, Role, Store, StoreError, User, UserId,
};

use crate::error::Problem;
use crate::state::AppState;

/// The longest reason for an appointment, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 500;

/// The longest booking or cancellation notice a clinic may ask for: 30 days, in minutes.
pub(crate) const MAX_NOTICE_MINUTES: i64 = 60 * 24 * 30;

const DAY: i64 = 86_400;
/// How far ahead an appointment may start, in days (the slot pages page through the same year).
pub(crate) const MAX_AHEAD_DAYS: u32 = 365;

/// A clinician's stored hours with the weekly availability parsed.
#[derive(Debug, Clone)]
pub(crate) struct Hours {
    /// The stored row (notice rules, when it was written).
    pub row: Availability,
    /// The weekly hours, time zone and exceptions.
    pub week: WeeklyAvailability,
}

impl Hours {
    /// The clinic's time zone.
    pub fn tz(&self) -> Tz {
        self.week.time_zone
    }

    /// Minutes ahead a slot must start to be booked.
    pub fn notice(&self) -> u32 {
        minutes(self.row.notice_minutes)
    }

    /// Minutes ahead an appointment must start to be cancelled or moved.
    pub fn cancel_notice(&self) -> u32 {
        minutes(self.row.cancel_notice_minutes)
    }
}

/// A stored notice as the core's minutes (negative never stored, but never a panic either).
fn minutes(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// A clinician's hours, if they have set any.
///
/// # Errors
/// A store failure, or stored hours that no longer parse (kneeroot's fault: they were validated when
/// written).
pub(crate) async fn hours_of<S: Store>(state: &AppState<S>, clinician: &UserId) -> Result<Option<Hours>, Problem> {
    let Some(row) = state.store.availability(clinician).await? else { return Ok(None) };
    let week = serde_json::from_str(&row.settings)
        .map_err(|e| Problem::Internal(anyhow::anyhow!("stored availability does not parse: {e}")))?;
    Ok(Some(Hours { row, week }))
}

/// Every free slot of a clinician on the `days` local days from the local date of `from_utc`.
///
/// # Errors
/// A store failure.
pub(crate) async fn free_slots<S: Store>(
    state: &AppState<S>,
    clinician: &UserId,
    hours: &Hours,
    from_utc: i64,
    days: u32,
) -> Result<Vec<Slot>, Problem> {
    // The first local day can start up to 25 hours before `from_utc` (a fall-back day), so the bookings
    // read reach a day further each way than the slots can.
    let from = from_utc.saturating_sub(2 * DAY);
    let to = from_utc.saturating_add((i64::from(days) + 2) * DAY);
    let booked = state.store.booked_starts(clinician, from, to).await?;
    Ok(slots(&hours.week, from_utc, days, state.now(), hours.notice(), &booked))
}

/// Why a booking, move or cancellation did not happen, in terms the person can act on.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The clinician has no hours (or is not a clinician at all).
    NoHours,
    /// The clinic's rules say no (closed that day, not a slot, too soon, too late to cancel …).
    Rule(BookingError),
    /// Someone else has the slot, or won the race for it; the message says so plainly.
    Taken(String),
    /// The appointment was already cancelled.
    AlreadyCancelled,
    /// The start is further ahead than anyone books (a typo in a year, or a script probing).
    TooFarAhead,
    /// Only patients book appointments: a clinician's or administrator's account has no record for a
    /// physiotherapist to see, and a booking would link them to another clinician as if they were one.
    NotAPatient,
    /// kneeroot's fault.
    Failed(Problem),
}

impl From<Problem> for Refusal {
    fn from(p: Problem) -> Self {
        Refusal::Failed(p)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Failed(e.into())
    }
}

impl Refusal {
    /// The refusal as a person reads it (internal failures say only that something went wrong).
    pub fn message(&self) -> String {
        match self {
            Refusal::NoHours => "This physiotherapist has no appointments to book.".into(),
            Refusal::Rule(e) => sentence(&e.to_string()),
            Refusal::Taken(m) => sentence(m),
            Refusal::AlreadyCancelled => "This appointment has already been cancelled.".into(),
            Refusal::TooFarAhead => format!("Appointments can be booked up to {MAX_AHEAD_DAYS} days ahead."),
            Refusal::NotAPatient => "Appointments are booked by patients; this is a staff account.".into(),
            Refusal::Failed(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }
}

/// The core's messages are clauses ("that time has just been taken; …"); on their own they start with a
/// capital and end with a full stop.
fn sentence(clause: &str) -> String {
    let mut chars = clause.trim().chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// The store's "taken" conflict (a lost race) as the core's own words for it.
fn taken(start_utc: i64) -> Refusal {
    Refusal::Taken(BookingError::Taken { start_utc }.to_string())
}

/// Check a reason for an appointment: at most [`MAX_REASON_CHARS`] characters and nothing that cannot be
/// stored as text (control characters other than line breaks and tabs; PostgreSQL refuses NUL).
///
/// # Errors
/// What is wrong, for a person.
pub(crate) fn check_reason(reason: &str) -> Result<(), String> {
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("Please keep the reason under {MAX_REASON_CHARS} characters."));
    }
    if reason.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("The reason contains control characters; please type it again as plain text.".into());
    }
    Ok(())
}

/// Check that `start` is a free slot of the clinician that may be booked now, without booking it (the
/// confirmation page asks this before showing its form; booking asks again).
///
/// # Errors
/// [`Refusal::Rule`] or [`Refusal::Taken`], or a store failure.
pub(crate) async fn check_slot<S: Store>(
    state: &AppState<S>,
    clinician: &UserId,
    hours: &Hours,
    start: i64,
) -> Result<Slot, Refusal> {
    let booked = state.store.booked_starts(clinician, start.saturating_sub(DAY), start.saturating_add(DAY)).await?;
    can_book(&hours.week, start, state.now(), hours.notice(), &booked).map_err(refusal)
}

/// What to book.
#[derive(Debug)]
pub(crate) struct BookingRequest<'a> {
    /// For whom (refused unless a patient).
    pub patient: &'a User,
    /// With whom.
    pub clinician: &'a UserId,
    /// The slot's start, UTC.
    pub start: i64,
    /// Why (already checked with [`check_reason`]).
    pub reason: String,
    /// The patient's assessment it is about (already checked to be theirs).
    pub assessment_id: Option<AssessmentId>,
}

/// Book a slot: the clinic's rules first, then the store's constraint, which a concurrent booking of the
/// same slot (on any instance) loses as [`Refusal::Taken`].
///
/// # Errors
/// A [`Refusal`].
pub(crate) async fn book<S: Store>(state: &AppState<S>, rq: BookingRequest<'_>) -> Result<(Booking, Hours), Refusal> {
    if rq.patient.role != Role::Patient {
        return Err(Refusal::NotAPatient);
    }
    if rq.start > state.now().saturating_add(i64::from(MAX_AHEAD_DAYS) * DAY) {
        return Err(Refusal::TooFarAhead);
    }
    let hours = hours_of(state, rq.clinician).await?.ok_or(Refusal::NoHours)?;
    let now = state.now();
    let slot = check_slot(state, rq.clinician, &hours, rq.start).await?;
    let new = NewBooking {
        clinician_id: rq.clinician.clone(),
        patient_id: rq.patient.id.clone(),
        start: slot.start,
        end: slot.end,
        reason: rq.reason,
        assessment_id: rq.assessment_id,
        now,
    };
    match state.store.book(&new).await {
        Ok(b) => Ok((b, hours)),
        Err(StoreError::Conflict(_)) => Err(taken(slot.start)),
        Err(e) => Err(e.into()),
    }
}

/// A core refusal, with "taken" kept apart so every surface can answer it as a conflict.
fn refusal(e: BookingError) -> Refusal {
    match e {
        BookingError::Taken { start_utc } => taken(start_utc),
        BookingError::Availability(_) => {
            Refusal::Failed(Problem::Internal(anyhow::anyhow!("stored availability is invalid: {e}")))
        }
        other => Refusal::Rule(other),
    }
}

/// Move a patient's standing booking to `new_start` with the same clinician: allowed only while it may
/// still be cancelled, and only to a free slot; either way nothing changes unless both hold.
///
/// # Errors
/// A [`Refusal`].
pub(crate) async fn move_to<S: Store>(
    state: &AppState<S>,
    patient: &UserId,
    booking: &Booking,
    new_start: i64,
) -> Result<Booking, Refusal> {
    if booking.status == BookingStatus::Cancelled {
        return Err(Refusal::AlreadyCancelled);
    }
    let hours = hours_of(state, &booking.clinician_id).await?.ok_or(Refusal::NoHours)?;
    let now = state.now();
    can_cancel(booking.start, now, hours.cancel_notice()).map_err(refusal)?;
    let slot = check_slot(state, &booking.clinician_id, &hours, new_start).await?;
    match state.store.move_booking(patient, &booking.id, slot.start, slot.end, now).await {
        Ok(b) => Ok(b),
        // The only other conflict is a booking cancelled since it was read, which the status check
        // above makes a race; saying "taken" would mislead, so say what happened.
        Err(StoreError::Conflict(_)) => match state.store.booking(patient, &booking.id).await? {
            Some(b) if b.status == BookingStatus::Cancelled => Err(Refusal::AlreadyCancelled),
            _ => Err(taken(slot.start)),
        },
        Err(e) => Err(e.into()),
    }
}

/// How late an appointment may still be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CancelRule {
    /// Up to the clinic's cancellation notice (patients, and everyone through the API).
    ClinicNotice,
    /// Until it starts: a clinician cancelling from their schedule, who then tells the patient.
    BeforeStart,
}

/// Cancel a booking `who` may cancel (its patient or its clinician) under `rule`.
///
/// # Errors
/// A [`Refusal`]: too late under the rule, already cancelled, or a store failure.
pub(crate) async fn cancel<S: Store>(
    state: &AppState<S>,
    who: &UserId,
    booking: &Booking,
    rule: CancelRule,
) -> Result<Booking, Refusal> {
    if booking.status == BookingStatus::Cancelled {
        return Err(Refusal::AlreadyCancelled);
    }
    let notice = match rule {
        CancelRule::ClinicNotice => hours_of(state, &booking.clinician_id).await?.map_or(0, |h| h.cancel_notice()),
        CancelRule::BeforeStart => 0,
    };
    can_cancel(booking.start, state.now(), notice).map_err(refusal)?;
    match state.store.cancel_booking(who, &booking.id, state.now()).await {
        Ok(b) => Ok(b),
        Err(StoreError::Conflict(_)) => Err(Refusal::AlreadyCancelled),
        Err(e) => Err(e.into()),
    }
}

/// The appointment as an iCalendar file (the same for the API and the page).
pub(crate) fn calendar_file(b: &Booking, now: i64) -> String {
    let uid = format!("{}@kneeroot", b.id);
    let description = if b.reason.is_empty() {
        "Physiotherapy appointment booked through kneeroot.".to_owned()
    } else {
        b.reason.clone()
    };
    ics(&CalendarEntry {
        uid: &uid,
        slot: Slot { start: b.start, end: b.end },
        summary: "Physiotherapy appointment",
        description: &description,
        location: None,
        stamp: now,
        cancelled: b.status == BookingStatus::Cancelled,
    })
}

/// Why new hours were not saved, naming the field.
#[derive(Debug)]
pub(crate) enum HoursRefusal {
    /// The weekly availability itself (its field is a path into it: `windows[2].end`).
    Week(AvailabilityError),
    /// A notice out of range (`notice_minutes` or `cancel_notice_minutes`).
    Notice {
        /// Which notice.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// kneeroot's fault.
    Failed(Problem),
}

/// Validate and store a clinician's hours and notice rules: the one path the API and the form share.
///
/// # Errors
/// A [`HoursRefusal`] naming the first field at fault; nothing is written then.
pub(crate) async fn save_hours<S: Store>(
    state: &AppState<S>,
    clinician: &UserId,
    week: &WeeklyAvailability,
    notice_minutes: i64,
    cancel_notice_minutes: i64,
) -> Result<Availability, HoursRefusal> {
    week.validate().map_err(HoursRefusal::Week)?;
    for (field, v) in [("notice_minutes", notice_minutes), ("cancel_notice_minutes", cancel_notice_minutes)] {
        if !(0..=MAX_NOTICE_MINUTES).contains(&v) {
            return Err(HoursRefusal::Notice {
                field,
                message: format!("{field} must be from 0 to {MAX_NOTICE_MINUTES} minutes."),
            });
        }
    }
    let settings = serde_json::to_string(week).map_err(|e| HoursRefusal::Failed(anyhow::Error::from(e).into()))?;
    let stored = Availability {
        clinician_id: clinician.clone(),
        settings,
        notice_minutes,
        cancel_notice_minutes,
        updated_at: state.now(),
    };
    state.store.set_availability(&stored).await.map_err(|e| HoursRefusal::Failed(e.into()))?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_become_sentences() {
        assert_eq!(
            sentence("that time has just been taken; please choose another slot"),
            "That time has just been taken; please choose another slot."
        );
        assert_eq!(sentence("Done."), "Done.");
    }

    #[test]
    fn reasons_are_limited_in_length_and_to_storable_text() {
        assert!(check_reason("Knee pain on stairs,\nworse after running.").is_ok());
        assert!(check_reason(&"a".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(check_reason(&"a".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(check_reason("nul \u{0} byte").is_err());
    }
}
