//! Instants on the wire: RFC 3339 text in, RFC 3339 UTC text out (`2026-03-30T09:00:00Z`), epoch seconds
//! inside. Any offset is accepted on input, so clients may send local times with their offset.

use chrono::{DateTime, SecondsFormat, Utc};

/// Parse an RFC 3339 instant to Unix seconds; `None` if it is not one.
pub fn parse_instant(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|d| d.timestamp())
}

/// Unix seconds as RFC 3339 in UTC.
pub fn format_instant(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_and_offsets_are_honoured() {
        assert_eq!(format_instant(1_774_861_200), "2026-03-30T09:00:00Z");
        assert_eq!(parse_instant("2026-03-30T09:00:00Z"), Some(1_774_861_200));
        assert_eq!(parse_instant("2026-03-30T10:00:00+01:00"), Some(1_774_861_200));
        assert_eq!(parse_instant("30/03/2026 09:00"), None);
        assert_eq!(parse_instant(""), None);
    }
}
