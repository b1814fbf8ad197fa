//! Local days as UTC ranges, and a slot's local clock time, for callers that list a day's appointments.
//!
//! A schedule page asks "what is booked on Monday 30 March in London?"; the store answers ranges of UTC
//! instants. The range is `local_day_start(d)..local_day_start(d + 1)`, which is 23 or 25 hours long on a
//! clock-change day, and its ends follow the same daylight-saving choices as the slots (`local`), so a
//! slot always falls in the day whose label it carries.

use chrono::{DateTime, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::local::{first_instant_at_or_after, local_date};

/// The clinic's calendar date at UTC instant `utc`; `None` only outside chrono's range of dates.
pub fn local_date_of(utc: i64, tz: Tz) -> Option<NaiveDate> {
    local_date(tz, utc)
}

/// The first instant of local date `date` in `tz`: its midnight, or, where the clocks skip midnight, the
/// moment they jump past it. `None` only at the edges of the time-zone database.
pub fn local_day_start(date: NaiveDate, tz: Tz) -> Option<i64> {
    first_instant_at_or_after(tz, date.and_time(NaiveTime::MIN))
}

/// A UTC instant as the clinic's clock time with the zone's abbreviation: `"09:00 (BST)"`, for a list
/// already grouped by day (see [`local_label`](super::local_label) for the whole label).
pub fn local_time(utc: i64, tz: Tz) -> String {
    DateTime::from_timestamp(utc, 0).map_or_else(
        || format!("{utc} seconds since 1970 (UTC)"),
        |t| t.with_timezone(&tz).format("%H:%M (%Z)").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    fn zone(name: &str) -> Tz {
        name.parse().expect("a zone")
    }

    #[test]
    fn london_days_are_23_and_25_hours_long_on_the_clock_change_sundays() {
        let london = zone("Europe/London");
        // Sun 29 Mar 2026 starts at 00:00 GMT = 00:00 UTC; Monday starts at 00:00 BST = Sun 23:00 UTC.
        let spring = local_day_start(date(2026, 3, 29), london).expect("a start");
        assert_eq!(spring, 1_774_742_400);
        assert_eq!(local_day_start(date(2026, 3, 30), london).expect("a start") - spring, 23 * 3_600);
        // Sun 25 Oct 2026 starts at 00:00 BST = Sat 23:00 UTC and lasts 25 hours.
        let fall = local_day_start(date(2026, 10, 25), london).expect("a start");
        assert_eq!(fall, 1_792_886_400 - 3_600);
        assert_eq!(local_day_start(date(2026, 10, 26), london).expect("a start") - fall, 25 * 3_600);
        assert_eq!(local_date_of(fall, london), Some(date(2026, 10, 25)));
        assert_eq!(local_date_of(fall - 1, london), Some(date(2026, 10, 24)));
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_jump() {
        // Santiago springs forward at midnight: Sun 6 Sep 2026 begins at 01:00 (-03), which is 04:00 UTC.
        let santiago = zone("America/Santiago");
        let start = local_day_start(date(2026, 9, 6), santiago).expect("a start");
        assert_eq!(local_time(start, santiago), "01:00 (-03)");
        assert_eq!(local_date_of(start - 1, santiago), Some(date(2026, 9, 5)));
    }

    #[test]
    fn clock_times_carry_the_abbreviation_in_force() {
        let london = zone("Europe/London");
        assert_eq!(local_time(1_774_861_200, london), "10:00 (BST)");
        assert_eq!(local_time(1_767_225_600, london), "00:00 (GMT)");
    }
}
