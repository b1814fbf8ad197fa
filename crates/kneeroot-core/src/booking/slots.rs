//! The free appointment slots a clinic's week makes, day by local day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::availability::WeeklyAvailability;
use super::local::{first_instant_at_or_after, local_date, slot_start, wall_clock};

/// The most days one call to [`slots`] covers: a year, so a bad `days` cannot make a call run for long.
pub const MAX_DAYS: u32 = 366;

/// One appointment slot, in UTC epoch seconds: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    /// When the appointment starts.
    pub start: i64,
    /// When it ends: `start` plus the slot length in real minutes.
    pub end: i64,
}

/// Every free slot on the local days from `from_utc`'s local date for `days` days (at most [`MAX_DAYS`]),
/// sorted by start.
///
/// Whole local days are considered, so slots earlier on the first day than `from_utc` are included when
/// the notice rule allows them. Left out: days covered by an exception, slots starting before
/// `now_utc + notice_minutes`, and slots whose start is in `booked`. See the module documentation for how
/// clock changes are handled. An invalid availability never panics and never yields overlapping slots,
/// but should have been refused by [`WeeklyAvailability::validate`] when it was saved.
pub fn slots(
    avail: &WeeklyAvailability,
    from_utc: i64,
    days: u32,
    now_utc: i64,
    notice_minutes: u32,
    booked: &[i64],
) -> Vec<Slot> {
    let Some(first_day) = local_date(avail.time_zone, from_utc) else {
        return Vec::new();
    };
    let earliest = now_utc.saturating_add(i64::from(notice_minutes) * 60);
    let mut taken = booked.to_vec();
    taken.sort_unstable();
    let mut out = Vec::new();
    for date in first_day.iter_days().take(days.min(MAX_DAYS) as usize) {
        if avail.exception_on(date).is_some() {
            continue;
        }
        out.extend(
            day_grid(avail, date).into_iter().filter(|s| s.start >= earliest && taken.binary_search(&s.start).is_err()),
        );
    }
    out
}

/// Every slot the windows put on local date `date`, before exceptions, notice and bookings: the grid that
/// both [`slots`] and [`super::can_book`] read, so a listed slot is always bookable and nothing else is.
pub(super) fn day_grid(avail: &WeeklyAvailability, date: NaiveDate) -> Vec<Slot> {
    let tz = avail.time_zone;
    let step = i64::from(avail.slot_minutes) * 60;
    if step == 0 {
        return Vec::new();
    }
    let mut grid = Vec::new();
    for w in avail.windows_on(date) {
        // The window closes at a real instant, and a slot of real minutes must be over by then: on a
        // clock-change night the wall-clock sum `start + length` would be an hour off.
        let Some(closes) = wall_clock(date, w.end_seconds()).and_then(|end| first_instant_at_or_after(tz, end)) else {
            continue;
        };
        let mut at = w.start_seconds();
        while at < w.end_seconds() {
            if let Some(start) = wall_clock(date, at).and_then(|wall| slot_start(tz, wall))
                && start + step <= closes
            {
                grid.push(Slot { start, end: start + step });
            }
            at += step;
        }
    }
    grid.sort_unstable();
    // A slot that runs through a spring-forward jump ends later on the wall clock than the grid expects,
    // so the next grid time can start inside it; that one is dropped. With valid windows this is the
    // only way two candidates overlap, and the rule keeps slots disjoint whatever the input.
    let mut out: Vec<Slot> = Vec::with_capacity(grid.len());
    for slot in grid {
        if out.last().is_none_or(|prev| slot.start >= prev.end) {
            out.push(slot);
        }
    }
    out
}
