//! Booking rules on ordinary days; clock changes are in `dst`, invariants over random weeks in `properties`.
//!
//! Instants are written out as epoch seconds, worked out by hand from 2026-01-01T00:00Z = 1 767 225 600
//! plus whole days of 86 400 s; `the_hand_worked_instants_agree_with_chrono` checks that arithmetic once.

mod dst;
mod properties;

use chrono::{Datelike, TimeZone, Utc};

use super::*;

/// 2026-01-01 00:00 UTC, a Thursday.
const JAN_1: i64 = 1_767_225_600;
const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const MIN: i64 = 60;
/// Mon 1 Jun 2026 00:00 UTC (day 151 of the year), 01:00 BST in London: a week with no clock change.
const MON_1_JUN: i64 = JAN_1 + 151 * DAY;
/// Mon 1 Jun 2026 09:00 BST = 08:00 UTC, the first slot of the ordinary week.
const MON_0900: i64 = MON_1_JUN + 8 * HOUR;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a valid clock time")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn window(weekday: Weekday, start: (u32, u32), end: (u32, u32)) -> Window {
    Window { weekday, start: t(start.0, start.1), end: t(end.0, end.1) }
}

fn clinic(zone: &str, windows: Vec<Window>, slot_minutes: u32) -> WeeklyAvailability {
    WeeklyAvailability {
        time_zone: parse_time_zone(zone).expect("a real zone"),
        windows,
        slot_minutes,
        exceptions: vec![],
    }
}

/// Monday to Friday, 09:00–12:00 and 13:00–17:00: 6 + 8 half-hour slots a day.
fn office_hours() -> Vec<Window> {
    use Weekday::*;
    [Mon, Tue, Wed, Thu, Fri]
        .into_iter()
        .flat_map(|d| [window(d, (9, 0), (12, 0)), window(d, (13, 0), (17, 0))])
        .collect()
}

fn london_office() -> WeeklyAvailability {
    clinic("Europe/London", office_hours(), 30)
}

fn starts(slots: &[Slot]) -> Vec<i64> {
    slots.iter().map(|s| s.start).collect()
}

fn local_dates(slots: &[Slot], tz: Tz) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> =
        slots.iter().map(|s| Utc.timestamp_opt(s.start, 0).unwrap().with_timezone(&tz).date_naive()).collect();
    dates.dedup();
    dates
}

#[test]
fn the_hand_worked_instants_agree_with_chrono() {
    assert_eq!(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap().timestamp(), JAN_1);
    assert_eq!(Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap().timestamp(), MON_0900);
    assert_eq!(date(2026, 6, 1).weekday(), Weekday::Mon);
}

// --- The ordinary week ---

#[test]
fn a_normal_week_lists_every_half_hour_of_the_opening_windows() {
    let free = slots(&london_office(), MON_1_JUN, 7, MON_1_JUN, 0, &[]);
    assert_eq!(free.len(), 5 * (6 + 8), "five days of 6 morning and 8 afternoon slots");
    assert_eq!(free[0], Slot { start: MON_0900, end: MON_0900 + 30 * MIN }, "Mon 09:00 BST is 08:00 UTC");
    assert_eq!(free[1].start, MON_0900 + 30 * MIN, "every slot, not one per morning");
    assert_eq!(free[6].start, MON_1_JUN + 12 * HOUR, "after the 12:00 break the afternoon starts at 13:00 BST");
    let last = free.last().unwrap();
    assert_eq!(last.start, MON_1_JUN + 4 * DAY + 15 * HOUR + 30 * MIN, "Fri 16:30 BST is the last slot");
    assert!(free.windows(2).all(|p| p[0].end <= p[1].start), "sorted and disjoint");
}

#[test]
fn the_range_covers_whole_local_days_from_the_local_date_of_from() {
    // 23:30 UTC on Sunday 31 May is already 00:30 BST on Monday 1 June: Monday is the first local day.
    let free = slots(&london_office(), MON_1_JUN - 30 * MIN, 1, MON_1_JUN, 0, &[]);
    assert_eq!(free.len(), 14);
    assert_eq!(local_dates(&free, chrono_tz::Europe::London), vec![date(2026, 6, 1)]);
    // An hour earlier it is still Sunday, which has no windows.
    assert!(slots(&london_office(), MON_1_JUN - 90 * MIN, 1, MON_1_JUN, 0, &[]).is_empty());
}

#[test]
fn zero_days_list_nothing_and_the_range_is_capped_at_a_year() {
    assert!(slots(&london_office(), MON_1_JUN, 0, MON_1_JUN, 0, &[]).is_empty());
    let year = slots(&london_office(), MON_1_JUN, u32::MAX, MON_1_JUN, 0, &[]);
    let last_day = Utc.timestamp_opt(year.last().unwrap().start, 0).unwrap().date_naive();
    assert!(last_day < date(2027, 6, 2), "{last_day}: no further than MAX_DAYS days");
    assert!(last_day >= date(2027, 5, 28), "{last_day}: but the whole year");
}

#[test]
fn exceptions_remove_whole_local_days_and_nothing_else() {
    let mut avail = london_office();
    avail.exceptions = vec![
        Exception { from: date(2026, 6, 3), to: date(2026, 6, 3), reason: "training day".into() },
        Exception { from: date(2026, 6, 4), to: date(2026, 6, 5), reason: "annual leave".into() },
        Exception { from: date(2026, 6, 6), to: date(2026, 6, 7), reason: "a weekend: no effect".into() },
    ];
    let free = slots(&avail, MON_1_JUN, 7, MON_1_JUN, 0, &[]);
    assert_eq!(free.len(), 2 * 14, "only Monday and Tuesday are left");
    assert_eq!(local_dates(&free, avail.time_zone), vec![date(2026, 6, 1), date(2026, 6, 2)]);
}

#[test]
fn a_slot_exactly_at_the_notice_is_offered_and_one_second_less_is_not() {
    let notice = 120;
    let now = MON_0900 - i64::from(notice) * MIN;
    let free = slots(&london_office(), MON_1_JUN, 1, now, notice, &[]);
    assert_eq!(free.len(), 14);
    assert_eq!(free[0].start, MON_0900, "exactly two hours ahead is enough");
    let free = slots(&london_office(), MON_1_JUN, 1, now + 1, notice, &[]);
    assert_eq!(free.len(), 13);
    assert_eq!(free[0].start, MON_0900 + 30 * MIN, "one second short of two hours is too soon");
}

#[test]
fn booked_slots_disappear_and_other_instants_in_booked_change_nothing() {
    let tue_1400 = MON_1_JUN + DAY + 13 * HOUR;
    let booked = [MON_0900 + 30 * MIN, tue_1400, MON_0900 + 10 * MIN];
    let free = slots(&london_office(), MON_1_JUN, 7, MON_1_JUN, 0, &booked);
    assert_eq!(free.len(), 70 - 2);
    assert!(!starts(&free).contains(&(MON_0900 + 30 * MIN)));
    assert!(!starts(&free).contains(&tue_1400));
    assert!(starts(&free).contains(&MON_0900), "neighbours stay free");
}

#[test]
fn a_window_spanning_the_whole_day_has_one_hour_slots_end_to_end() {
    use Weekday::*;
    let all_day = [Mon, Tue, Wed, Thu, Fri, Sat, Sun].into_iter().map(|d| window(d, (0, 0), (0, 0))).collect();
    let avail = clinic("Europe/London", all_day, 60);
    avail.validate().expect("00:00 to 00:00 is the whole day");
    let free = slots(&avail, MON_1_JUN, 3, JAN_1, 0, &[]);
    assert_eq!(free.len(), 3 * 24);
    assert_eq!(free[0].start, MON_1_JUN - HOUR, "00:00 BST on Monday is 23:00 UTC on Sunday");
    assert!(free.windows(2).all(|p| p[0].end == p[1].start), "no gap and no overlap, midnight included");
    assert_eq!(free.last().unwrap().end, MON_1_JUN - HOUR + 3 * DAY, "the last slot ends at midnight");
}

// --- Booking ---

#[test]
fn can_book_accepts_a_listed_slot_and_returns_it() {
    let avail = london_office();
    let tue_1030 = MON_1_JUN + DAY + 9 * HOUR + 30 * MIN;
    assert_eq!(can_book(&avail, tue_1030, MON_1_JUN, 60, &[]), Ok(Slot { start: tue_1030, end: tue_1030 + 30 * MIN }));
    for slot in slots(&avail, MON_1_JUN, 7, MON_1_JUN, 60, &[MON_0900]) {
        assert_eq!(can_book(&avail, slot.start, MON_1_JUN, 60, &[MON_0900]), Ok(slot), "every listed slot");
    }
}

#[test]
fn can_book_rejects_a_time_that_is_not_a_slot_start() {
    let avail = london_office();
    let off_grid = [
        MON_0900 + 10 * MIN,              // 09:10, between slots
        MON_0900 - 30 * MIN,              // 08:30, before opening
        MON_1_JUN + 11 * HOUR + 30 * MIN, // 12:30, the lunch break
        MON_1_JUN + 16 * HOUR,            // 17:00, closing time
        MON_1_JUN + 5 * DAY + 8 * HOUR,   // Saturday 09:00
        MON_0900 + 1,                     // a second late
    ];
    for start in off_grid {
        assert_eq!(
            can_book(&avail, start, JAN_1, 0, &[]),
            Err(BookingError::NotASlot { start_utc: start }),
            "{}",
            local_label(start, avail.time_zone)
        );
    }
}

#[test]
fn can_book_rejects_a_past_slot_and_one_inside_the_notice() {
    let avail = london_office();
    assert_eq!(can_book(&avail, MON_0900, MON_0900 + 1, 0, &[]), Err(BookingError::InPast { start_utc: MON_0900 }));
    let now = MON_0900 - 2 * HOUR;
    assert!(can_book(&avail, MON_0900, now, 120, &[]).is_ok(), "exactly at the notice");
    let too_soon = can_book(&avail, MON_0900, now + 1, 120, &[]).unwrap_err();
    assert_eq!(too_soon, BookingError::TooSoon { notice_minutes: 120 });
    assert!(too_soon.to_string().contains("at least 2 hours ahead"), "{too_soon}");
    assert!(can_book(&avail, MON_0900, MON_0900, 0, &[]).is_ok(), "with no notice, a slot starting now is fine");
}

#[test]
fn can_book_rejects_a_taken_slot() {
    let err = can_book(&london_office(), MON_0900, JAN_1, 60, &[MON_0900]).unwrap_err();
    assert_eq!(err, BookingError::Taken { start_utc: MON_0900 });
    assert!(err.to_string().contains("taken"), "{err}");
}

#[test]
fn can_book_on_a_closed_day_says_the_clinic_is_closed_and_why() {
    let mut avail = london_office();
    avail.exceptions = vec![Exception { from: date(2026, 6, 1), to: date(2026, 6, 2), reason: "annual leave".into() }];
    let err = can_book(&avail, MON_0900, JAN_1, 0, &[]).unwrap_err();
    assert!(matches!(err, BookingError::OnLeave { ref reason, .. } if reason == "annual leave"), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the clinic is closed from Mon 1 Jun 2026 to Tue 2 Jun 2026 (annual leave); please choose another day"
    );
    assert!(can_book(&avail, MON_0900 + 2 * DAY, JAN_1, 0, &[]).is_ok(), "Wednesday is open");
}

#[test]
fn can_book_refuses_everything_against_an_invalid_availability() {
    let mut avail = london_office();
    avail.slot_minutes = 5;
    let err = can_book(&avail, MON_0900, JAN_1, 0, &[]).unwrap_err();
    assert!(matches!(&err, BookingError::Availability(e) if e.field == "slot_minutes"), "{err:?}");
}

#[test]
fn cancelling_exactly_at_the_notice_is_allowed_and_one_second_later_is_not() {
    let notice = 24 * 60;
    let now = MON_0900 - 24 * HOUR;
    assert_eq!(can_cancel(MON_0900, now, notice), Ok(()));
    let err = can_cancel(MON_0900, now + 1, notice).unwrap_err();
    assert_eq!(err, BookingError::TooLateToChange { notice_minutes: notice });
    assert!(err.to_string().contains("up to 24 hours before"), "{err}");
    assert_eq!(can_cancel(MON_0900, MON_0900, 0), Err(BookingError::AlreadyStarted));
    assert_eq!(can_cancel(MON_0900, MON_0900 + HOUR, 60), Err(BookingError::AlreadyStarted));
    assert_eq!(can_cancel(MON_0900, MON_0900 - 1, 0), Ok(()), "no notice: any time before the start");
    assert!(
        can_cancel(MON_0900, now, 90).is_ok() && can_cancel(MON_0900, MON_0900 - 89 * MIN, 90).is_err(),
        "90-minute notice"
    );
    assert!(BookingError::TooLateToChange { notice_minutes: 90 }.to_string().contains("90 minutes"));
}

// --- Validation and the wire format ---

fn field_of(avail: &WeeklyAvailability) -> String {
    avail.validate().expect_err("invalid").field
}

#[test]
fn a_window_ending_before_it_starts_is_named() {
    let mut avail = london_office();
    avail.windows[3] = window(Weekday::Tue, (17, 0), (9, 0));
    let err = avail.validate().unwrap_err();
    assert_eq!(err.field, "windows[3].end");
    assert!(err.to_string().contains("17:00"), "{err}");
    avail.windows[3] = window(Weekday::Tue, (13, 0), (13, 0));
    assert_eq!(field_of(&avail), "windows[3].end", "an empty window is an error too");
}

#[test]
fn overlapping_windows_on_a_day_are_named_and_touching_ones_are_fine() {
    let mut avail = london_office();
    avail.windows.push(window(Weekday::Wed, (11, 30), (13, 30)));
    let err = avail.validate().unwrap_err();
    assert_eq!(err.field, "windows[10]");
    assert!(err.message.contains("windows[4]"), "names the window it overlaps: {err}");
    avail.windows[10] = window(Weekday::Wed, (12, 0), (13, 0));
    assert_eq!(avail.validate(), Ok(()), "12:00–13:00 touches both neighbours");
    avail.windows[10] = window(Weekday::Sat, (11, 30), (13, 30));
    assert_eq!(avail.validate(), Ok(()), "the same hours on another day do not overlap");
}

#[test]
fn a_slot_length_out_of_range_is_named() {
    for (minutes, ok) in [(9, false), (10, true), (120, true), (121, false), (0, false)] {
        let avail = clinic("Europe/London", vec![window(Weekday::Mon, (9, 0), (17, 0))], minutes);
        assert_eq!(avail.validate().is_ok(), ok, "{minutes} minutes");
        if !ok {
            assert_eq!(field_of(&avail), "slot_minutes");
        }
    }
}

#[test]
fn a_slot_longer_than_a_window_is_named() {
    let avail = clinic(
        "Europe/London",
        vec![window(Weekday::Mon, (9, 0), (12, 0)), window(Weekday::Mon, (12, 30), (13, 0))],
        45,
    );
    let err = avail.validate().unwrap_err();
    assert_eq!(err.field, "slot_minutes");
    assert!(err.message.contains("windows[1]") && err.message.contains("30 minutes"), "{err}");
}

#[test]
fn an_exception_ending_before_it_starts_is_named() {
    let mut avail = london_office();
    avail.exceptions = vec![
        Exception { from: date(2026, 8, 31), to: date(2026, 8, 31), reason: String::new() },
        Exception { from: date(2026, 12, 28), to: date(2026, 12, 24), reason: "Christmas".into() },
    ];
    assert_eq!(field_of(&avail), "exceptions[1].to");
}

#[test]
fn an_unknown_time_zone_is_named_and_a_wrong_case_gets_the_right_spelling() {
    let err = parse_time_zone("Europe/Londn").unwrap_err();
    assert_eq!(err.field, "time_zone");
    assert!(err.message.contains("'Europe/Londn'"), "{err}");
    let err = parse_time_zone("europe/london").unwrap_err();
    assert!(err.message.contains("did you mean 'Europe/London'"), "{err}");
    assert_eq!(parse_time_zone(" America/New_York "), Ok(chrono_tz::America::New_York));
}

#[test]
fn an_availability_round_trips_through_json_with_clock_times_and_24_00() {
    let json = r#"{
        "time_zone": "Europe/London",
        "windows": [
            {"weekday": "Mon", "start": "09:00", "end": "12:30"},
            {"weekday": "Sat", "start": "00:00", "end": "24:00"}
        ],
        "slot_minutes": 30,
        "exceptions": [{"from": "2026-12-25", "to": "2026-12-26", "reason": "Christmas"}]
    }"#;
    let avail: WeeklyAvailability = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(avail.windows[0], window(Weekday::Mon, (9, 0), (12, 30)));
    assert_eq!(avail.windows[1].end, NaiveTime::MIN, "24:00 is stored as the midnight that ends the day");
    assert_eq!(avail.exceptions[0].to, date(2026, 12, 26));
    let text = serde_json::to_string(&avail).unwrap();
    assert!(text.contains(r#""time_zone":"Europe/London""#) && text.contains(r#""end":"24:00""#), "{text}");
    assert_eq!(serde_json::from_str::<WeeklyAvailability>(&text).unwrap(), avail);
}

#[test]
fn a_bad_time_zone_or_clock_time_in_json_says_what_is_wrong() {
    let bad_zone = r#"{"time_zone": "Mars/Olympus", "windows": [], "slot_minutes": 30}"#;
    let err = serde_json::from_str::<WeeklyAvailability>(bad_zone).unwrap_err().to_string();
    assert!(err.contains("time_zone: 'Mars/Olympus' is not an IANA time zone"), "{err}");
    let bad_time =
        r#"{"time_zone": "UTC", "windows": [{"weekday": "Mon", "start": "9am", "end": "12:00"}], "slot_minutes": 30}"#;
    let err = serde_json::from_str::<WeeklyAvailability>(bad_time).unwrap_err().to_string();
    assert!(err.contains("'9am' is not a clock time"), "{err}");
}

// --- Labels ---

#[test]
fn a_label_shows_the_local_time_and_the_zone_abbreviation() {
    let london = chrono_tz::Europe::London;
    let mon_30_mar_0900_bst = JAN_1 + 88 * DAY + 8 * HOUR;
    assert_eq!(local_label(mon_30_mar_0900_bst, london), "Mon 30 Mar 2026, 09:00 (BST)");
    let fri_27_mar_0900_gmt = JAN_1 + 85 * DAY + 9 * HOUR;
    assert_eq!(local_label(fri_27_mar_0900_gmt, london), "Fri 27 Mar 2026, 09:00 (GMT)");
    assert_eq!(local_label(MON_0900, chrono_tz::America::New_York), "Mon 1 Jun 2026, 04:00 (EDT)");
    assert_eq!(local_label(i64::MAX, london), format!("{} seconds since 1970 (UTC)", i64::MAX));
}
