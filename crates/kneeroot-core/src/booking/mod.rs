//! Booking a physiotherapist: the clinic's weekly hours, the free slots they make, and the rules for
//! booking, cancelling and moving an appointment.
//!
//! Pure like the rest of the crate: the clock (`now_utc`) and the appointments already taken (`booked`)
//! are passed in, and the IANA time-zone database is compiled into the binary by `chrono-tz`, so nothing
//! here reads a file or the system's zone. Storage, locking a slot against a double booking and telling
//! the patient are the caller's business; these rules decide what is allowed and say why not.
//!
//! ## Time
//! - **Stored in UTC, generated in local time.** Instants are UTC epoch seconds, which is what gets stored
//!   and compared. Opening hours are wall-clock times in the clinic's zone ([`WeeklyAvailability`]),
//!   because that is how a clinic thinks: a 09:00 clinic stays at 09:00 across a clock change while its
//!   UTC instant moves by an hour.
//! - **A wall-clock grid.** Each window offers slots at its start, start + length, start + 2 × length …,
//!   local time, and every slot lasts `slot_minutes` *real* minutes. A slot must end by the window's
//!   closing instant: the first moment the local clock reads the window's end.
//! - **Spring forward: skipped.** A grid time the clocks jump over (01:30 in London on 29 March 2026) does
//!   not exist, so there is no slot there. A slot that starts just before the jump runs its real minutes
//!   through it, and if the next grid time would start inside that slot, it is dropped: slots never
//!   overlap. A window that ends inside the skipped hour closes at the moment of the jump.
//! - **Fall back: the first occurrence.** A grid time the clocks pass twice (01:30 in London on 25
//!   October 2026) is the earlier instant, the one in summer time. Each local label then names exactly
//!   one slot, so "01:30" on a confirmation cannot mean two appointments an hour apart; the price is that
//!   the repeated hour is offered once, not twice, which only a clinic open in the small hours would
//!   notice. A whole-day window therefore has 23 slots of an hour on the spring day and 24, not 25, on
//!   the autumn one.
//! - **Days are local days.** Exceptions close whole local dates, and [`slots()`] covers whole local dates
//!   from the local date of `from_utc`. A window cannot cross midnight; an `end` of 00:00 (`"24:00"` in
//!   JSON) is the midnight that ends the day.
//!
//! ## Rules
//! - **Notice.** A slot is offered and bookable only when it starts at least `notice_minutes` after
//!   `now_utc`; exactly that much is enough, a second less is not. Cancelling or moving has its own
//!   notice ([`can_cancel`]).
//! - **One grid.** [`can_book`] accepts a start only if it is exactly a slot of the same grid [`slots()`]
//!   lists, so a listed slot is bookable and an invented time (09:10, or the second 01:30) is not.
//! - **Refusals say why** ([`BookingError`]): closed that day, not a slot, already passed, too soon,
//!   taken; an invalid availability names the field at fault ([`AvailabilityError`]).
//!
//! # Example
//!
//! ```
//! use kneeroot_core::booking::{
//!     NaiveTime, Weekday, WeeklyAvailability, Window, can_book, local_label, parse_time_zone, slots,
//! };
//!
//! let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
//! let clinic = WeeklyAvailability {
//!     time_zone: parse_time_zone("Europe/London").unwrap(),
//!     windows: vec![Window { weekday: Weekday::Mon, start: t(9, 0), end: t(10, 0) }],
//!     slot_minutes: 30,
//!     exceptions: vec![],
//! };
//! let monday = 1_774_828_800; // 2026-03-30 00:00 UTC
//! let free = slots(&clinic, monday, 7, monday, 60, &[]);
//! assert_eq!(free.len(), 2);
//! assert_eq!(local_label(free[0].start, clinic.time_zone), "Mon 30 Mar 2026, 09:00 (BST)");
//! assert_eq!(can_book(&clinic, free[1].start, monday, 60, &[]), Ok(free[1]));
//! ```

mod availability;
mod day;
mod ics;
mod instant;
mod label;
mod local;
mod rules;
mod slots;

// The calendar types the model is made of, so callers need not depend on chrono themselves.
pub use chrono::{NaiveDate, NaiveTime, Weekday};
pub use chrono_tz::Tz;

pub use availability::{
    AvailabilityError, Exception, MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, WeeklyAvailability, Window, parse_time_zone,
};
pub use day::{local_date_of, local_day_start, local_time};
pub use ics::{CalendarEntry, ics};
pub use instant::{format_instant, parse_instant};
pub use label::local_label;
pub use rules::{BookingError, can_book, can_cancel};
pub use slots::{MAX_DAYS, Slot, slots};

#[cfg(test)]
mod tests;
