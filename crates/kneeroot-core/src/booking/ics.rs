//! An appointment as an iCalendar file (RFC 5545), so it can be added to any calendar app.
//!
//! Times are written in UTC (`…Z`), which every client converts to the viewer's zone; text is escaped
//! (`\`, `;`, `,`, newlines) and lines longer than 75 octets are folded, as the RFC requires. The caller
//! passes the stamp time and a stable UID, so the output is deterministic.

use chrono::{DateTime, Utc};

use super::Slot;

/// What goes into the calendar entry.
#[derive(Debug, Clone)]
pub struct CalendarEntry<'a> {
    /// A stable, globally unique id (e.g. `booking-id@kneeroot`): updates replace, not duplicate.
    pub uid: &'a str,
    /// The appointment.
    pub slot: Slot,
    /// Title, e.g. "Physiotherapy appointment".
    pub summary: &'a str,
    /// Details for the person.
    pub description: &'a str,
    /// Where (clinic address), if known.
    pub location: Option<&'a str>,
    /// When the file is produced (Unix seconds).
    pub stamp: i64,
    /// `CONFIRMED` or `CANCELLED`.
    pub cancelled: bool,
}

fn utc(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .map_or_else(|| "19700101T000000Z".to_owned(), |d| d.format("%Y%m%dT%H%M%SZ").to_string())
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            ';' => s.push_str("\\;"),
            ',' => s.push_str("\\,"),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            c => s.push(c),
        }
    }
    s
}

/// Fold a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        if len + w > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += w;
    }
    out.push_str("\r\n");
    out
}

/// The `.ics` file for one appointment.
pub fn ics(e: &CalendarEntry<'_>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//kneeroot//booking//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{}", if e.cancelled { "CANCEL" } else { "PUBLISH" }),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", escape(e.uid)),
        format!("DTSTAMP:{}", utc(e.stamp)),
        format!("DTSTART:{}", utc(e.slot.start)),
        format!("DTEND:{}", utc(e.slot.end)),
        format!("SUMMARY:{}", escape(e.summary)),
        format!("DESCRIPTION:{}", escape(e.description)),
        format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }),
    ];
    if let Some(l) = e.location {
        lines.push(format!("LOCATION:{}", escape(l)));
    }
    lines.push("END:VEVENT".to_owned());
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(description: &str) -> CalendarEntry<'_> {
        CalendarEntry {
            uid: "b1@kneeroot",
            slot: Slot { start: 1_774_861_200, end: 1_774_863_000 },
            summary: "Physiotherapy appointment",
            description,
            location: Some("Clinic, 1 High St"),
            stamp: 1_774_000_000,
            cancelled: false,
        }
    }

    #[test]
    fn an_appointment_is_a_well_formed_calendar_in_utc() {
        let text = ics(&entry("Knee pain; hip-driven"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        // 2026-03-30 09:00 UTC for 30 minutes.
        assert!(text.contains("DTSTART:20260330T090000Z\r\n") && text.contains("DTEND:20260330T093000Z\r\n"), "{text}");
        assert!(text.contains("DESCRIPTION:Knee pain\\; hip-driven\r\n"));
        assert!(text.contains("LOCATION:Clinic\\, 1 High St\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let long = "é".repeat(100);
        let text = ics(&entry(&long));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{long}\r\n")));
    }

    #[test]
    fn a_cancelled_appointment_says_so() {
        let mut e = entry("x");
        e.cancelled = true;
        let text = ics(&e);
        assert!(text.contains("METHOD:CANCEL\r\n") && text.contains("STATUS:CANCELLED\r\n"));
    }
}
