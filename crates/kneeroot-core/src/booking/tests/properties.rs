//! Invariants over random valid clinics, in zones chosen for awkward clock changes, over ranges that often
//! include one.

use chrono::{NaiveDateTime, Offset, Timelike};
use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

/// Zones with spring and autumn changes in both hemispheres, at 01:00, 02:00 and midnight (Santiago,
/// Havana), by half an hour (Lord Howe), at odd offsets (Chatham, Kolkata), and without any.
const ZONES: [&str; 10] = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "UTC",
];

/// Days of 2026 (from 1 January) within a few days of which some zone above changes its clocks.
const CHANGE_DAYS: [i64; 8] = [66, 87, 94, 248, 269, 276, 297, 304];

fn weekday(i: usize) -> Weekday {
    Weekday::try_from(u8::try_from(i).unwrap()).unwrap()
}

/// Windows for each weekday from sorted, distinct cut points (minutes, 1440 = the midnight ending the
/// day), paired; pairs too short for a slot are dropped so the clinic is valid.
fn clinics() -> impl Strategy<Value = WeeklyAvailability> {
    (prop::sample::select(&ZONES[..]), 10u32..=120, prop::collection::vec(prop::collection::vec(0u32..=1440, 0..=8), 7))
        .prop_map(|(zone, slot_minutes, cuts)| {
            let mut windows = Vec::new();
            for (i, mut cuts) in cuts.into_iter().enumerate() {
                cuts.sort_unstable();
                cuts.dedup();
                for pair in cuts.chunks_exact(2) {
                    if pair[1] - pair[0] >= slot_minutes {
                        let at = |m: u32| NaiveTime::from_hms_opt((m / 60) % 24, m % 60, 0).unwrap();
                        windows.push(Window { weekday: weekday(i), start: at(pair[0]), end: at(pair[1]) });
                    }
                }
            }
            clinic(zone, windows, slot_minutes)
        })
}

/// A starting instant in 2026, usually within a week of a clock change.
fn froms() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => (prop::sample::select(&CHANGE_DAYS[..]), -7i64..7, 0i64..DAY).prop_map(|(d, shift, s)| JAN_1 + (d + shift) * DAY + s),
        1 => (0i64..365 * DAY).prop_map(|s| JAN_1 + s),
    ]
}

#[derive(Debug)]
struct Case {
    avail: WeeklyAvailability,
    from: i64,
    days: u32,
    now: i64,
    notice: u32,
    booked: Vec<i64>,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        clinics(),
        froms(),
        1u32..=14,
        -3 * DAY..2 * DAY,
        0u32..=3000,
        prop::collection::vec((0u64..16, 0u64..3), 0..3),
        prop::collection::vec(any::<Index>(), 0..12),
        prop::collection::vec(-DAY..15 * DAY, 0..3),
    )
        .prop_map(|(mut avail, from, days, now_shift, notice, leave, picks, stray)| {
            // Closed days are placed relative to the first local day, so they fall inside the range.
            let first_day = Utc.timestamp_opt(from, 0).unwrap().with_timezone(&avail.time_zone).date_naive();
            avail.exceptions = leave
                .into_iter()
                .map(|(offset, extra)| {
                    let from = first_day + chrono::Days::new(offset);
                    Exception { from, to: from + chrono::Days::new(extra), reason: "leave".into() }
                })
                .collect();
            // Book some real slots (picked from the unfiltered list) and some stray instants.
            let all = slots(&avail, from, days, i64::MIN, 0, &[]);
            let mut booked: Vec<i64> =
                if all.is_empty() { vec![] } else { picks.iter().map(|i| all[i.index(all.len())].start).collect() };
            booked.extend(stray.iter().map(|s| from + s));
            Case { avail, from, days, now: from + now_shift, notice, booked }
        })
}

fn local(utc: i64, tz: Tz) -> NaiveDateTime {
    Utc.timestamp_opt(utc, 0).unwrap().with_timezone(&tz).naive_local()
}

/// What the clinic's clock reads during a slot: its last second and, when the offset changes inside it,
/// every minute too (the only time the reading can peak before the end).
fn readings_during(s: Slot, tz: Tz) -> Vec<NaiveDateTime> {
    let offset = |u: i64| Utc.timestamp_opt(u, 0).unwrap().with_timezone(&tz).offset().fix();
    if offset(s.start) == offset(s.end - 1) {
        vec![local(s.end - 1, tz)]
    } else {
        (s.start..s.end).step_by(60).chain([s.end - 1]).map(|u| local(u, tz)).collect()
    }
}

fn seconds_of_day(t: NaiveDateTime) -> i64 {
    i64::from(t.time().num_seconds_from_midnight())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    #[test]
    fn generated_slots_are_sorted_disjoint_and_obey_notice_bookings_and_exceptions(case in cases()) {
        let Case { avail, from, days, now, notice, booked } = &case;
        prop_assert_eq!(avail.validate(), Ok(()));
        let free = slots(avail, *from, *days, *now, *notice, booked);
        for pair in free.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start, "overlap or out of order: {:?}", pair);
        }
        for s in &free {
            prop_assert_eq!(s.end - s.start, i64::from(avail.slot_minutes) * 60, "real minutes");
            prop_assert!(s.start >= now + i64::from(*notice) * 60, "inside the notice: {:?}", s);
            prop_assert!(!booked.contains(&s.start), "booked: {:?}", s);
            prop_assert!(avail.exception_on(local(s.start, avail.time_zone).date()).is_none(), "closed day: {:?}", s);
        }
    }

    #[test]
    fn every_generated_slot_starts_in_a_window_and_ends_before_the_clock_reaches_its_close(case in cases()) {
        // "Within a window" in real time: the slot starts at a wall-clock time inside a window of its local
        // day, and the clock does not read the window's end (or later) at any moment of the slot. After a
        // fall-back it may read *earlier* than the start, which is still inside the window in real time.
        let Case { avail, from, days, now, notice, booked } = &case;
        let tz = avail.time_zone;
        for s in slots(avail, *from, *days, *now, *notice, booked) {
            let start = local(s.start, tz);
            let readings = readings_during(s, tz);
            let inside = avail.windows_on(start.date()).any(|w| {
                let close = start.date().and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::seconds(w.end_seconds());
                (w.start_seconds()..w.end_seconds()).contains(&seconds_of_day(start))
                    && readings.iter().all(|r| *r < close)
            });
            prop_assert!(inside, "{} reading {:?} is outside {:?}", start, readings, avail.windows);
        }
    }

    #[test]
    fn every_generated_slot_is_bookable_and_every_booked_one_is_reported_taken(case in cases()) {
        let Case { avail, from, days, now, notice, booked } = &case;
        for s in slots(avail, *from, *days, *now, *notice, booked) {
            prop_assert_eq!(can_book(avail, s.start, *now, *notice, booked), Ok(s));
        }
        for s in slots(avail, *from, *days, *now, *notice, &[]) {
            if booked.contains(&s.start) {
                prop_assert_eq!(can_book(avail, s.start, *now, *notice, booked), Err(BookingError::Taken { start_utc: s.start }));
            }
        }
    }

    #[test]
    fn an_instant_is_bookable_exactly_when_its_local_day_lists_it(case in cases(), offset in 0i64..14 * DAY) {
        let Case { avail, from, now, notice, booked, .. } = &case;
        // Snap to the minute half the time so grid times are actually hit.
        let at = if offset % 2 == 0 { (from + offset) / 60 * 60 } else { from + offset };
        let listed = slots(avail, at, 1, *now, *notice, booked).iter().any(|s| s.start == at);
        prop_assert_eq!(can_book(avail, at, *now, *notice, booked).is_ok(), listed, "at {}", at);
    }
}
