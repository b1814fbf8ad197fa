//! The clinic's week: its time zone, its opening windows, the slot length and the days it is closed.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The shortest slot a clinic may offer, in minutes: anything shorter is not an appointment.
pub const MIN_SLOT_MINUTES: u32 = 10;
/// The longest slot a clinic may offer, in minutes.
pub const MAX_SLOT_MINUTES: u32 = 120;

/// When a physiotherapist can be booked, as local wall-clock times in the clinic's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyAvailability {
    /// The clinic's IANA time zone, e.g. `Europe/London`. Windows are read in this zone; slots are stored
    /// in UTC.
    #[serde(with = "tz_name")]
    pub time_zone: Tz,
    /// The opening windows of the week. A weekday may have several (a morning and an afternoon); they may
    /// touch but not overlap.
    pub windows: Vec<Window>,
    /// The length of every slot in real minutes, from [`MIN_SLOT_MINUTES`] to [`MAX_SLOT_MINUTES`].
    pub slot_minutes: u32,
    /// Whole local days the clinic is closed (leave, public holidays).
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// One opening window on one weekday, in local wall-clock time.
///
/// A window cannot cross midnight. An `end` of 00:00 means the midnight that ends the day (written
/// `"24:00"` in JSON and TOML), so 00:00–00:00 is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// The day of the week (`"Mon"` … `"Sun"`).
    pub weekday: Weekday,
    /// When the first slot may start (`"09:00"`).
    #[serde(with = "clock_time")]
    pub start: NaiveTime,
    /// When the last slot must have ended (`"17:00"`; `"24:00"` for midnight at the end of the day).
    #[serde(with = "end_clock_time")]
    pub end: NaiveTime,
}

/// Local days on which the clinic is closed, `from` to `to` inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The first closed day.
    pub from: NaiveDate,
    /// The last closed day (the same as `from` for a single day).
    pub to: NaiveDate,
    /// Why, in words a patient may see ("annual leave", "bank holiday").
    #[serde(default)]
    pub reason: String,
}

/// A problem with an availability, naming the field that has it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct AvailabilityError {
    /// The field, as a path into the availability: `slot_minutes`, `windows[2].end`, `exceptions[0].to`.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl AvailabilityError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Parse an IANA time-zone name such as `Europe/London`.
///
/// # Errors
/// An error naming `time_zone` when the name is not in the IANA database; when only the letter case is
/// wrong, it says which name was meant.
pub fn parse_time_zone(name: &str) -> Result<Tz, AvailabilityError> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    // Names are case-sensitive in the database; a near miss deserves the right spelling, not a shrug.
    let hint = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
        .map_or_else(String::new, |tz| format!("; did you mean '{}'?", tz.name()));
    Err(AvailabilityError::new(
        "time_zone",
        format!("'{name}' is not an IANA time zone name such as 'Europe/London' or 'America/New_York'{hint}"),
    ))
}

impl WeeklyAvailability {
    /// Check the availability, reporting the first problem in field order.
    ///
    /// # Errors
    /// The field and what is wrong with it: a slot length out of range, a window that ends before it
    /// starts, two windows that overlap on the same weekday, a slot longer than a window, or an exception
    /// that ends before it starts.
    pub fn validate(&self) -> Result<(), AvailabilityError> {
        if !(MIN_SLOT_MINUTES..=MAX_SLOT_MINUTES).contains(&self.slot_minutes) {
            return Err(AvailabilityError::new(
                "slot_minutes",
                format!(
                    "{} is not allowed; expected a whole number of minutes from {MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES}",
                    self.slot_minutes
                ),
            ));
        }
        for (i, w) in self.windows.iter().enumerate() {
            if w.end_seconds() <= w.start_seconds() {
                return Err(AvailabilityError::new(
                    format!("windows[{i}].end"),
                    format!(
                        "{} ends at {}, which is not after its start at {}; a window cannot cross midnight \
                         (use 24:00 for the midnight that ends the day)",
                        w.weekday,
                        clock(w.end, true),
                        clock(w.start, false)
                    ),
                ));
            }
        }
        // Overlap is a property of the day, so compare each window with the earlier-listed windows of its
        // weekday; the later one is named, since it is the one that was added on top.
        for (j, b) in self.windows.iter().enumerate() {
            for (i, a) in self.windows.iter().enumerate().take(j) {
                if a.weekday == b.weekday && a.start_seconds() < b.end_seconds() && b.start_seconds() < a.end_seconds()
                {
                    return Err(AvailabilityError::new(
                        format!("windows[{j}]"),
                        format!(
                            "{} overlaps windows[{i}] ({}); windows may touch but not overlap",
                            b.label(),
                            a.label()
                        ),
                    ));
                }
            }
        }
        let slot = i64::from(self.slot_minutes) * 60;
        for (i, w) in self.windows.iter().enumerate() {
            let length = w.end_seconds() - w.start_seconds();
            if length < slot {
                return Err(AvailabilityError::new(
                    "slot_minutes",
                    format!(
                        "{}-minute slots do not fit in windows[{i}] ({}, {} minutes long)",
                        self.slot_minutes,
                        w.label(),
                        length / 60
                    ),
                ));
            }
        }
        for (i, e) in self.exceptions.iter().enumerate() {
            if e.to < e.from {
                return Err(AvailabilityError::new(
                    format!("exceptions[{i}].to"),
                    format!("{} is before the first day off, {}", e.to, e.from),
                ));
            }
        }
        Ok(())
    }

    /// The exception that closes the clinic on local date `date`, if any.
    pub fn exception_on(&self, date: NaiveDate) -> Option<&Exception> {
        self.exceptions.iter().find(|e| e.from <= date && date <= e.to)
    }

    /// The windows open on `date`'s weekday.
    pub(super) fn windows_on(&self, date: NaiveDate) -> impl Iterator<Item = &Window> {
        let day = date.weekday();
        self.windows.iter().filter(move |w| w.weekday == day)
    }
}

impl Window {
    /// Seconds after local midnight at which the window opens.
    pub(super) fn start_seconds(&self) -> i64 {
        i64::from(self.start.num_seconds_from_midnight())
    }

    /// Seconds after local midnight at which the window closes: 00:00 is the midnight that ends the day.
    pub(super) fn end_seconds(&self) -> i64 {
        match self.end.num_seconds_from_midnight() {
            0 => 86_400,
            s => i64::from(s),
        }
    }

    fn label(&self) -> String {
        format!("{} {}–{}", self.weekday, clock(self.start, false), clock(self.end, true))
    }
}

/// `09:00`, with seconds only when there are some; an end at 00:00 reads `24:00`.
fn clock(t: NaiveTime, is_end: bool) -> String {
    if is_end && t.num_seconds_from_midnight() == 0 {
        "24:00".to_owned()
    } else if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn parse_clock(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// Time zones travel as their IANA name, and a wrong name fails with [`parse_time_zone`]'s message.
mod tz_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        super::parse_time_zone(&name).map_err(serde::de::Error::custom)
    }
}

/// Clock times travel as `"09:00"` (or `"09:00:30"`), the way a clinic writes them.
mod clock_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::clock(*t, false))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_clock(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a clock time such as '09:00'")))
    }
}

/// A window's end also accepts `"24:00"`, the midnight that ends the day, stored as 00:00.
mod end_clock_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::clock(*t, true))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        if matches!(text.as_str(), "24:00" | "24:00:00") {
            return Ok(NaiveTime::MIN);
        }
        super::parse_clock(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a clock time such as '17:00' (or '24:00' for midnight)"))
        })
    }
}
