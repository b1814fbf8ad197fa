//! Whether an appointment may be booked, cancelled or moved, and if not, why.

use chrono::NaiveDate;

use super::availability::{AvailabilityError, WeeklyAvailability};
use super::local::local_date;
use super::slots::{Slot, day_grid};

/// Why a booking, cancellation or move is refused, in words a patient can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    /// The clinic's availability is itself invalid, so no time can be confirmed against it.
    #[error("the clinic's availability is not valid ({0}); no appointment can be booked until it is fixed")]
    Availability(#[from] AvailabilityError),
    /// The clinic is closed that whole local day.
    #[error("{}", closed_message(.reason, *.from, *.to))]
    OnLeave {
        /// The exception's reason ("annual leave"), possibly empty.
        reason: String,
        /// The first closed day.
        from: NaiveDate,
        /// The last closed day.
        to: NaiveDate,
    },
    /// The time is not the start of one of the clinic's slots (off the grid, or outside the hours).
    #[error("that time is not one of the clinic's appointment times; please choose one of the listed slots")]
    NotASlot {
        /// The requested start, UTC epoch seconds.
        start_utc: i64,
    },
    /// The slot has already started or passed.
    #[error("that appointment time has already passed; please choose a later slot")]
    InPast {
        /// The requested start, UTC epoch seconds.
        start_utc: i64,
    },
    /// The slot starts sooner than the clinic's booking notice.
    #[error("appointments must be booked at least {} ahead; please choose a later slot", duration_words(*.notice_minutes))]
    TooSoon {
        /// The clinic's booking notice, in minutes.
        notice_minutes: u32,
    },
    /// Someone else has the slot.
    #[error("that appointment time has just been taken; please choose another slot")]
    Taken {
        /// The requested start, UTC epoch seconds.
        start_utc: i64,
    },
    /// The appointment has started or passed, so there is nothing left to cancel or move.
    #[error("this appointment has already started or passed, so it can no longer be cancelled or moved")]
    AlreadyStarted,
    /// The appointment starts sooner than the clinic's cancellation notice.
    #[error(
        "appointments can be cancelled or moved up to {} before they start; this one starts sooner than that, so please contact the clinic",
        duration_words(*.notice_minutes)
    )]
    TooLateToChange {
        /// The clinic's notice for cancelling or moving, in minutes.
        notice_minutes: u32,
    },
}

/// Check that `start_utc` may be booked now, returning the slot it starts.
///
/// The checks run from the most lasting reason to the most fleeting, so the message tells the patient the
/// thing that matters: a day the clinic is closed, then a time that is not a slot at all, then one that
/// has passed or is too soon, then one that someone else has taken.
///
/// # Errors
/// [`BookingError::Availability`], [`BookingError::OnLeave`], [`BookingError::NotASlot`],
/// [`BookingError::InPast`], [`BookingError::TooSoon`] or [`BookingError::Taken`].
pub fn can_book(
    avail: &WeeklyAvailability,
    start_utc: i64,
    now_utc: i64,
    notice_minutes: u32,
    booked: &[i64],
) -> Result<Slot, BookingError> {
    avail.validate()?;
    let date = local_date(avail.time_zone, start_utc).ok_or(BookingError::NotASlot { start_utc })?;
    if let Some(e) = avail.exception_on(date) {
        return Err(BookingError::OnLeave { reason: e.reason.clone(), from: e.from, to: e.to });
    }
    // The same grid that lists slots decides here, so "listed" and "bookable" cannot drift apart.
    let slot =
        day_grid(avail, date).into_iter().find(|s| s.start == start_utc).ok_or(BookingError::NotASlot { start_utc })?;
    if start_utc < now_utc {
        return Err(BookingError::InPast { start_utc });
    }
    if start_utc < now_utc.saturating_add(i64::from(notice_minutes) * 60) {
        return Err(BookingError::TooSoon { notice_minutes });
    }
    if booked.contains(&start_utc) {
        return Err(BookingError::Taken { start_utc });
    }
    Ok(slot)
}

/// Check that an appointment starting at `start_utc` may still be cancelled or moved at `now_utc`: it must
/// start at least `cancel_notice_minutes` later (exactly that much is enough). Moving is a cancellation
/// followed by a booking, so the same notice protects the clinic from a late gap either way.
///
/// # Errors
/// [`BookingError::AlreadyStarted`] or [`BookingError::TooLateToChange`].
pub fn can_cancel(start_utc: i64, now_utc: i64, cancel_notice_minutes: u32) -> Result<(), BookingError> {
    if start_utc <= now_utc {
        return Err(BookingError::AlreadyStarted);
    }
    if start_utc < now_utc.saturating_add(i64::from(cancel_notice_minutes) * 60) {
        return Err(BookingError::TooLateToChange { notice_minutes: cancel_notice_minutes });
    }
    Ok(())
}

fn closed_message(reason: &str, from: NaiveDate, to: NaiveDate) -> String {
    let days = if from == to {
        format!("on {}", from.format("%a %-d %b %Y"))
    } else {
        format!("from {} to {}", from.format("%a %-d %b %Y"), to.format("%a %-d %b %Y"))
    };
    let why = if reason.trim().is_empty() { String::new() } else { format!(" ({})", reason.trim()) };
    format!("the clinic is closed {days}{why}; please choose another day")
}

/// `24 hours`, `1 hour`, `90 minutes`: notice periods as people say them.
fn duration_words(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".to_owned(),
        60 => "1 hour".to_owned(),
        m if m > 0 && m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}
