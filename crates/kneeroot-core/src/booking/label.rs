//! Slots as a patient reads them: the clinic's local time, with the zone's abbreviation so an hour
//! that changes name (BST, GMT) is never mistaken.

use chrono::DateTime;
use chrono_tz::Tz;

/// A UTC instant as the clinic's local time: `"Mon 30 Mar 2026, 09:00 (BST)"`.
///
/// The abbreviation is the one the time-zone database gives, which for some zones is a numeric offset
/// (`"+03"`). An instant outside chrono's range (never a generated slot) reads as its raw seconds.
pub fn local_label(start_utc: i64, tz: Tz) -> String {
    DateTime::from_timestamp(start_utc, 0).map_or_else(
        || format!("{start_utc} seconds since 1970 (UTC)"),
        |t| t.with_timezone(&tz).format("%a %-d %b %Y, %H:%M (%Z)").to_string(),
    )
}
