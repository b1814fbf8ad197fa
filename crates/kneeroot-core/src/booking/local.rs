//! Turning the clinic's wall-clock times into UTC instants and back, with the daylight-saving choices in
//! one place.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::{GapInfo, Tz};

const DAY: i64 = 86_400;

/// The local calendar date of a UTC instant, or `None` for an instant outside chrono's range.
pub(super) fn local_date(tz: Tz, utc: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(utc, 0).map(|t| t.with_timezone(&tz).date_naive())
}

/// The local date and time `seconds` after the start of `date`; 86 400 is the next day's midnight.
pub(super) fn wall_clock(date: NaiveDate, seconds: i64) -> Option<NaiveDateTime> {
    let (date, seconds) = if seconds >= DAY { (date.succ_opt()?, seconds - DAY) } else { (date, seconds) };
    let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(seconds).ok()?, 0)?;
    Some(date.and_time(time))
}

/// The instant a slot starting at local `wall` begins: `None` when the clocks skip that time (spring
/// forward), the first occurrence when they pass it twice (fall back).
pub(super) fn slot_start(tz: Tz, wall: NaiveDateTime) -> Option<i64> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => Some(t.timestamp()),
        // The earlier instant is the one the clinic's clock shows first; the later one is never offered,
        // so each wall-clock label names one slot.
        LocalResult::Ambiguous(first, second) => Some(first.timestamp().min(second.timestamp())),
        LocalResult::None => None,
    }
}

/// The first instant at which the local clock reads `wall` or later: where a window ends.
///
/// For a time that exists this is its (first) occurrence. For a time the clocks skip, it is the moment
/// they jump past it, since every earlier instant still reads before `wall`. `None` only at the edges of
/// the time-zone database.
pub(super) fn first_instant_at_or_after(tz: Tz, wall: NaiveDateTime) -> Option<i64> {
    slot_start(tz, wall).or_else(|| GapInfo::new(&wall, &tz)?.end.map(|t| t.timestamp()))
}
