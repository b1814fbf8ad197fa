//! The form for a clinician's hours: time zone, slot length, notice rules, opening windows per weekday
//! and days off.
//!
//! The form is read into the core's `WeeklyAvailability` and saved through `crate::booking::save_hours`,
//! the same validation as `PUT /api/v1/availability`, so the two cannot accept different hours. A
//! problem re-renders the form with everything as typed, a message naming the field in the form's
//! words ("Monday, hours 2") and that input marked invalid; nothing is saved unless all of it is valid.
//! The form is stricter in one way only: a day-off reason, which patients may read, is one short line.
//! Each weekday shows its windows plus one empty row, so a day gets another window by filling that row
//! in and saving; emptying a row removes it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::booking::{Exception, NaiveDate, NaiveTime, Weekday, WeeklyAvailability, Window, parse_time_zone};
use kneeroot_store::Store;

use super::super::appointments::query_value;
use crate::booking::{Hours, HoursRefusal, hours_of, save_hours};
use crate::error::PageResult;
use crate::session::{CheckedForm, ClinicianIn};
use crate::state::AppState;
use crate::views::{Layout, html};

const WEEK: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "Monday"),
    (Weekday::Tue, "tue", "Tuesday"),
    (Weekday::Wed, "wed", "Wednesday"),
    (Weekday::Thu, "thu", "Thursday"),
    (Weekday::Fri, "fri", "Friday"),
    (Weekday::Sat, "sat", "Saturday"),
    (Weekday::Sun, "sun", "Sunday"),
];

/// The longest reason for days off, in characters (patients may read it).
const MAX_LEAVE_REASON: usize = 100;

/// One opening window as typed, with its inputs' ids.
pub(crate) struct WindowRow {
    start: String,
    end: String,
    start_id: String,
    end_id: String,
}

/// A weekday's windows as typed.
pub(crate) struct DayRows {
    key: &'static str,
    name: &'static str,
    rows: Vec<WindowRow>,
}

/// Days off as typed, with the inputs' ids.
pub(crate) struct LeaveRow {
    from: String,
    to: String,
    reason: String,
    from_id: String,
    to_id: String,
    reason_id: String,
}

fn window_row(start: String, end: String) -> WindowRow {
    WindowRow { start, end, start_id: String::new(), end_id: String::new() }
}

fn leave_row(from: String, to: String, reason: String) -> LeaveRow {
    LeaveRow { from, to, reason, from_id: String::new(), to_id: String::new(), reason_id: String::new() }
}

/// Number the rows' inputs by position (`mon-2-start`, `leave-1-to`), as the error messages name them.
fn with_ids(mut v: Values) -> Values {
    for day in &mut v.days {
        for (i, row) in day.rows.iter_mut().enumerate() {
            row.start_id = format!("{}-{}-start", day.key, i + 1);
            row.end_id = format!("{}-{}-end", day.key, i + 1);
        }
    }
    for (i, row) in v.leave.iter_mut().enumerate() {
        row.from_id = format!("leave-{}-from", i + 1);
        row.to_id = format!("leave-{}-to", i + 1);
        row.reason_id = format!("leave-{}-reason", i + 1);
    }
    v
}

/// The form's values, as typed (or as stored).
struct Values {
    time_zone: String,
    slot_minutes: String,
    notice_minutes: String,
    cancel_notice_minutes: String,
    days: Vec<DayRows>,
    leave: Vec<LeaveRow>,
}

/// A problem with the form: the input's id, and the message naming it in the form's words.
struct FieldError {
    id: String,
    message: String,
}

#[derive(Template)]
#[template(path = "availability.html")]
struct AvailabilityPage {
    layout: Layout,
    csrf: String,
    v: Values,
    error: Option<FieldError>,
    saved: bool,
}

impl AvailabilityPage {
    /// Whether the input with this id is the one at fault.
    fn invalid(&self, id: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.id == id)
    }
}

fn clock(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The form's values for stored hours (or sensible defaults), each weekday and the days off with one
/// empty row to add another.
fn stored_values(hours: Option<&Hours>) -> Values {
    let days = WEEK
        .iter()
        .map(|(weekday, key, name)| {
            let mut rows: Vec<WindowRow> = hours
                .into_iter()
                .flat_map(|h| h.week.windows.iter())
                .filter(|w| w.weekday == *weekday)
                .map(|w| window_row(clock(w.start), clock(w.end)))
                .collect();
            rows.push(window_row(String::new(), String::new()));
            DayRows { key, name, rows }
        })
        .collect();
    let mut leave: Vec<LeaveRow> = hours
        .into_iter()
        .flat_map(|h| h.week.exceptions.iter())
        .map(|e| leave_row(e.from.to_string(), e.to.to_string(), e.reason.clone()))
        .collect();
    leave.push(leave_row(String::new(), String::new(), String::new()));
    with_ids(Values {
        time_zone: hours.map_or_else(String::new, |h| h.tz().name().to_owned()),
        slot_minutes: hours.map_or(30, |h| h.week.slot_minutes).to_string(),
        notice_minutes: hours.map_or(120, |h| h.row.notice_minutes).to_string(),
        cancel_notice_minutes: hours.map_or(24 * 60, |h| h.row.cancel_notice_minutes).to_string(),
        days,
        leave,
    })
}

/// The form's values as submitted, keeping every row (with one empty row added per list).
fn submitted_values(form: &CheckedForm) -> Values {
    let text = |name: &str| form.get(name).unwrap_or_default().trim().to_owned();
    let column = |name: String| -> Vec<String> { form.all(&name).into_iter().map(|v| v.trim().to_owned()).collect() };
    let days = WEEK
        .iter()
        .map(|(_, key, name)| {
            let (starts, ends) = (column(format!("{key}_start")), column(format!("{key}_end")));
            let mut rows: Vec<WindowRow> = (0..starts.len().max(ends.len()))
                .map(|i| {
                    window_row(starts.get(i).cloned().unwrap_or_default(), ends.get(i).cloned().unwrap_or_default())
                })
                .filter(|r| !(r.start.is_empty() && r.end.is_empty()))
                .collect();
            rows.push(window_row(String::new(), String::new()));
            DayRows { key, name, rows }
        })
        .collect();
    let (froms, tos, reasons) = (column("leave_from".into()), column("leave_to".into()), column("leave_reason".into()));
    let mut leave: Vec<LeaveRow> = (0..froms.len().max(tos.len()).max(reasons.len()))
        .map(|i| {
            let at = |column: &Vec<String>| column.get(i).cloned().unwrap_or_default();
            leave_row(at(&froms), at(&tos), at(&reasons))
        })
        .filter(|r| !(r.from.is_empty() && r.to.is_empty() && r.reason.is_empty()))
        .collect();
    leave.push(leave_row(String::new(), String::new(), String::new()));
    with_ids(Values {
        time_zone: text("time_zone"),
        slot_minutes: text("slot_minutes"),
        notice_minutes: text("notice_minutes"),
        cancel_notice_minutes: text("cancel_notice_minutes"),
        days,
        leave,
    })
}

fn fail(id: impl Into<String>, label: &str, message: impl AsRef<str>) -> FieldError {
    FieldError { id: id.into(), message: format!("{label}: {}", message.as_ref()) }
}

/// A whole number of minutes, or an error naming the field.
fn whole_minutes(text: &str, id: &str, label: &str) -> Result<i64, FieldError> {
    text.parse::<i64>().map_err(|_| fail(id, label, format!("'{text}' is not a whole number of minutes.")))
}

fn parse_clock(text: &str, is_end: bool) -> Option<NaiveTime> {
    if is_end && matches!(text, "24:00" | "24:00:00") {
        return Some(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")).ok()
}

/// What each input of the week is called on the page, by position in the parsed availability, so the
/// core's `windows[3].end` can be said as "Tuesday, hours 1".
struct Labels {
    windows: Vec<(String, String)>,
    leave: Vec<(String, String)>,
}

/// Read the values into an availability and its notices, or the first problem in the page's order.
fn read(v: &Values) -> Result<(WeeklyAvailability, i64, i64, Labels), FieldError> {
    let time_zone = parse_time_zone(&v.time_zone).map_err(|e| fail("time_zone", "Time zone", e.message))?;
    let slot_minutes = v.slot_minutes.parse::<u32>().map_err(|_| {
        fail("slot_minutes", "Slot length", format!("'{}' is not a whole number of minutes.", v.slot_minutes))
    })?;
    let notice = whole_minutes(&v.notice_minutes, "notice_minutes", "Booking notice")?;
    let cancel_notice = whole_minutes(&v.cancel_notice_minutes, "cancel_notice_minutes", "Cancellation notice")?;
    let mut labels = Labels { windows: Vec::new(), leave: Vec::new() };
    let mut windows = Vec::new();
    for ((weekday, _, _), day) in WEEK.iter().zip(&v.days) {
        for (i, row) in day.rows.iter().enumerate().filter(|(_, r)| !(r.start.is_empty() && r.end.is_empty())) {
            let label = format!("{}, hours {}", day.name, i + 1);
            let start = parse_clock(&row.start, false).ok_or_else(|| {
                fail(&row.start_id, &label, format!("'{}' is not a start time like 09:00.", row.start))
            })?;
            let end = parse_clock(&row.end, true).ok_or_else(|| {
                fail(&row.end_id, &label, format!("'{}' is not an end time like 17:00 (00:00 for midnight).", row.end))
            })?;
            windows.push(Window { weekday: *weekday, start, end });
            labels.windows.push((row.end_id.clone(), label));
        }
    }
    let mut exceptions = Vec::new();
    for (i, row) in
        v.leave.iter().enumerate().filter(|(_, r)| !(r.from.is_empty() && r.to.is_empty() && r.reason.is_empty()))
    {
        let label = format!("Days off {}", i + 1);
        let date = |text: &str, id: &str, what: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| fail(id, &label, format!("'{text}' is not a {what} like 2026-08-03.")))
        };
        let from = date(&row.from, &row.from_id, "first day")?;
        let to = if row.to.is_empty() { from } else { date(&row.to, &row.to_id, "last day")? };
        if row.reason.chars().count() > MAX_LEAVE_REASON || row.reason.chars().any(char::is_control) {
            return Err(fail(
                &row.reason_id,
                &label,
                format!("please keep the reason to one line of at most {MAX_LEAVE_REASON} characters."),
            ));
        }
        exceptions.push(Exception { from, to, reason: row.reason.clone() });
        labels.leave.push((row.to_id.clone(), label));
    }
    Ok((WeeklyAvailability { time_zone, windows, slot_minutes, exceptions }, notice, cancel_notice, labels))
}

/// The core's field path (`windows[3].end`, `exceptions[0].to`, `slot_minutes`) as the page's input.
fn locate(field: &str, message: &str, labels: &Labels) -> FieldError {
    let index = |prefix: &str| -> Option<usize> { field.strip_prefix(prefix)?.split(']').next()?.parse().ok() };
    if let Some((id, label)) = index("windows[").and_then(|i| labels.windows.get(i)) {
        return fail(id.clone(), label, message);
    }
    if let Some((id, label)) = index("exceptions[").and_then(|i| labels.leave.get(i)) {
        return fail(id.clone(), label, message);
    }
    match field {
        "slot_minutes" => fail("slot_minutes", "Slot length", message),
        "time_zone" => fail("time_zone", "Time zone", message),
        "notice_minutes" => fail("notice_minutes", "Booking notice", message),
        "cancel_notice_minutes" => fail("cancel_notice_minutes", "Cancellation notice", message),
        other => fail("time_zone", other, message),
    }
}

/// `GET /clinic/availability[?saved=1]`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    me: ClinicianIn,
    Query(query): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let hours = hours_of(&state, &me.0.user.id).await?;
    let page = AvailabilityPage {
        layout: Layout::for_user(&me.0.user),
        csrf: me.0.session.csrf_token.clone(),
        v: stored_values(hours.as_ref()),
        error: None,
        saved: query_value(&query, "saved").is_some() && hours.is_some(),
    };
    Ok(html(&page)?.into_response())
}

/// `POST /clinic/availability`: save the hours, or show the form again naming what to fix.
pub async fn save<S: Store>(
    State(state): State<AppState<S>>,
    me: ClinicianIn,
    form: CheckedForm,
) -> PageResult<Response> {
    let v = submitted_values(&form);
    let error = match read(&v) {
        Err(e) => e,
        Ok((week, notice, cancel_notice, labels)) => {
            match save_hours(&state, &me.0.user.id, &week, notice, cancel_notice).await {
                Ok(_) => return Ok(Redirect::to("/clinic/availability?saved=1").into_response()),
                Err(HoursRefusal::Week(e)) => locate(&e.field, &e.message, &labels),
                Err(HoursRefusal::Notice { field, message }) => locate(field, &message, &labels),
                Err(HoursRefusal::Failed(p)) => return Err(p.into()),
            }
        }
    };
    let page = AvailabilityPage {
        layout: Layout::for_user(&me.0.user),
        csrf: form.session.csrf_token.clone(),
        v,
        error: Some(error),
        saved: false,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            windows: vec![
                ("mon-1-end".into(), "Monday, hours 1".into()),
                ("mon-2-end".into(), "Monday, hours 2".into()),
            ],
            leave: vec![("leave-1-to".into(), "Days off 1".into())],
        }
    }

    #[test]
    fn the_cores_field_paths_become_the_forms_inputs() {
        let e = locate("windows[1]", "overlaps", &labels());
        assert_eq!((e.id.as_str(), e.message.as_str()), ("mon-2-end", "Monday, hours 2: overlaps"));
        assert_eq!(locate("windows[0].end", "m", &labels()).id, "mon-1-end");
        assert_eq!(locate("exceptions[0].to", "m", &labels()).id, "leave-1-to");
        assert_eq!(locate("slot_minutes", "m", &labels()).id, "slot_minutes");
        assert_eq!(locate("cancel_notice_minutes", "m", &labels()).id, "cancel_notice_minutes");
    }

    #[test]
    fn clock_times_accept_midnight_as_an_end_only() {
        assert_eq!(parse_clock("24:00", true), Some(NaiveTime::MIN));
        assert_eq!(parse_clock("24:00", false), None);
        assert_eq!(parse_clock("09:30", false), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(parse_clock("9.30", false), None);
    }
}
