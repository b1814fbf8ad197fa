//! Clock changes, with every UTC instant worked out by hand.
//!
//! - London, Sun 29 Mar 2026 (day 87): at 01:00 GMT = 01:00 UTC the clocks go to 02:00 BST; local
//!   01:00–01:59 does not exist. Midnight that day is 00:00 UTC = 1 774 742 400.
//! - London, Sun 25 Oct 2026 (day 297): at 02:00 BST = 01:00 UTC the clocks go back to 01:00 GMT; local
//!   01:00–01:59 happens twice. Midnight UTC that day is 1 792 886 400 (local midnight, BST, is an hour
//!   earlier).
//! - New York, Sun 8 Mar 2026 (day 66): at 02:00 EST = 07:00 UTC the clocks go to 03:00 EDT. Midnight UTC
//!   is 1 772 928 000.
//! - New York, Sun 1 Nov 2026 (day 304): at 02:00 EDT = 06:00 UTC the clocks go back to 01:00 EST. Midnight
//!   UTC is 1 793 491 200.

use super::*;

const LONDON_SPRING: i64 = JAN_1 + 87 * DAY;
const LONDON_FALL: i64 = JAN_1 + 297 * DAY;
const NY_SPRING: i64 = JAN_1 + 66 * DAY;
const NY_FALL: i64 = JAN_1 + 304 * DAY;

/// A window's local start and end, as (hour, minute) pairs.
type Hours = ((u32, u32), (u32, u32));

fn sunday(zone: &str, windows: &[Hours], slot_minutes: u32) -> WeeklyAvailability {
    let avail =
        clinic(zone, windows.iter().map(|&(start, end)| window(Weekday::Sun, start, end)).collect(), slot_minutes);
    avail.validate().expect("a valid clinic");
    avail
}

/// Every slot on the local day containing `day_utc + 12 h`, with nothing booked and no notice.
fn day(avail: &WeeklyAvailability, day_utc: i64) -> Vec<Slot> {
    slots(avail, day_utc + 12 * HOUR, 1, i64::MIN, 0, &[])
}

fn labels(slots: &[Slot], tz: Tz) -> Vec<String> {
    slots.iter().map(|s| local_label(s.start, tz)).collect()
}

#[test]
fn the_hand_worked_clock_change_instants_agree_with_chrono() {
    for (utc, y, m, d) in
        [(LONDON_SPRING, 2026, 3, 29), (LONDON_FALL, 2026, 10, 25), (NY_SPRING, 2026, 3, 8), (NY_FALL, 2026, 11, 1)]
    {
        assert_eq!(Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().timestamp(), utc);
        assert_eq!(date(y, m, d).weekday(), Weekday::Sun);
    }
}

#[test]
fn london_spring_forward_skips_the_missing_hour_and_keeps_the_rest() {
    // Window 00:30–03:00 local, 30-minute slots. Grid: 00:30, 01:00, 01:30, 02:00, 02:30.
    // 01:00 and 01:30 do not exist. 00:30 GMT = 00:30 UTC; 02:00 BST = 01:00 UTC; 02:30 BST = 01:30 UTC,
    // which ends at 02:00 UTC = 03:00 BST, the window's close. The real window is 90 minutes: 3 slots.
    let avail = sunday("Europe/London", &[((0, 30), (3, 0))], 30);
    let free = day(&avail, LONDON_SPRING);
    assert_eq!(
        free,
        vec![
            Slot { start: 1_774_744_200, end: 1_774_746_000 },
            Slot { start: 1_774_746_000, end: 1_774_747_800 },
            Slot { start: 1_774_747_800, end: 1_774_749_600 },
        ]
    );
    assert_eq!(
        labels(&free, avail.time_zone),
        ["Sun 29 Mar 2026, 00:30 (GMT)", "Sun 29 Mar 2026, 02:00 (BST)", "Sun 29 Mar 2026, 02:30 (BST)"]
    );
}

#[test]
fn a_slot_running_through_the_spring_jump_lasts_its_real_minutes_and_pushes_out_the_grid_time_inside_it() {
    // Window 00:00–04:00, 45-minute slots. Grid: 00:00, 00:45, 01:30, 02:15, 03:00, 03:45.
    // 00:00 GMT = 00:00 UTC. 00:45 GMT = 00:45 UTC, ending 01:30 UTC = 02:30 BST (through the jump).
    // 01:30 does not exist. 02:15 BST = 01:15 UTC starts inside the slot before: dropped.
    // 03:00 BST = 02:00 UTC, ends 02:45 UTC. 03:45 BST = 02:45 UTC would end 03:30 UTC = 04:30 BST, after
    // the close at 04:00 BST = 03:00 UTC: not offered.
    let avail = sunday("Europe/London", &[((0, 0), (4, 0))], 45);
    let free = day(&avail, LONDON_SPRING);
    assert_eq!(starts(&free), [LONDON_SPRING, LONDON_SPRING + 45 * MIN, LONDON_SPRING + 2 * HOUR]);
    assert!(free.iter().all(|s| s.end - s.start == 45 * MIN), "real minutes");
}

#[test]
fn a_slot_must_end_by_the_windows_real_closing_time_even_across_the_jump() {
    // Window 00:00–02:00 local is one real hour that night (02:00 BST = 01:00 UTC). On the wall clock
    // 00:45 + 45 min = 01:30 fits, but the slot really ends at 01:30 UTC = 02:30 BST: not offered.
    let avail = sunday("Europe/London", &[((0, 0), (2, 0))], 45);
    assert_eq!(starts(&day(&avail, LONDON_SPRING)), [LONDON_SPRING]);
}

#[test]
fn windows_that_start_or_end_inside_the_missing_hour_meet_at_the_jump() {
    // 00:00–01:30 closes when the clocks jump (01:00 UTC): slots at 00:00 and 00:30 UTC.
    // 01:30–03:00 has no 01:30; it starts at 02:00 BST = 01:00 UTC and 02:30 BST = 01:30 UTC.
    let avail = sunday("Europe/London", &[((0, 0), (1, 30)), ((1, 30), (3, 0))], 30);
    let free = day(&avail, LONDON_SPRING);
    assert_eq!(starts(&free), [0, 30, 60, 90].map(|m| LONDON_SPRING + m * MIN));
    assert!(free.windows(2).all(|p| p[0].end == p[1].start), "back to back in real time");
}

#[test]
fn london_fall_back_takes_the_first_occurrence_of_the_repeated_hour() {
    // Window 00:30–03:00 local, 30-minute slots. Grid: 00:30, 01:00, 01:30, 02:00, 02:30.
    // 00:30 BST = 23:30 UTC the day before. 01:00 and 01:30 happen twice: the first, BST, is taken:
    // 00:00 and 00:30 UTC. Then 02:00 GMT = 02:00 UTC and 02:30 GMT = 02:30 UTC (ending 03:00 GMT, the
    // close). The second pass of 01:00–02:00 (01:00–02:00 UTC) is not offered.
    let avail = sunday("Europe/London", &[((0, 30), (3, 0))], 30);
    let free = day(&avail, LONDON_FALL);
    assert_eq!(starts(&free), [1_792_884_600, 1_792_886_400, 1_792_888_200, 1_792_893_600, 1_792_895_400]);
    assert!(free.iter().all(|s| s.end - s.start == 30 * MIN));
    assert_eq!(
        labels(&free, avail.time_zone),
        [
            "Sun 25 Oct 2026, 00:30 (BST)",
            "Sun 25 Oct 2026, 01:00 (BST)",
            "Sun 25 Oct 2026, 01:30 (BST)",
            "Sun 25 Oct 2026, 02:00 (GMT)",
            "Sun 25 Oct 2026, 02:30 (GMT)",
        ]
    );
    let second_0100 = LONDON_FALL + HOUR;
    assert_eq!(local_label(second_0100, avail.time_zone), "Sun 25 Oct 2026, 01:00 (GMT)");
    assert_eq!(
        can_book(&avail, second_0100, 0, 0, &[]),
        Err(BookingError::NotASlot { start_utc: second_0100 }),
        "the second 01:00 is not a slot"
    );
    assert!(can_book(&avail, LONDON_FALL, 0, 0, &[]).is_ok(), "the first 01:00 is");
}

#[test]
fn a_slot_starting_in_the_repeated_hour_runs_its_real_minutes_through_the_fall_back() {
    // Window 01:30–03:00, 45-minute slots. 01:30 BST (first) = 00:30 UTC, ending 01:15 UTC, which the
    // clock reads as 01:15 GMT: earlier than it began, yet 45 minutes later. 02:15 GMT = 02:15 UTC ends at
    // 03:00 UTC = 03:00 GMT, the close. The real window is 00:30–03:00 UTC; the wall-clock grid offers two.
    let avail = sunday("Europe/London", &[((1, 30), (3, 0))], 45);
    let free = day(&avail, LONDON_FALL);
    assert_eq!(
        free,
        vec![
            Slot { start: LONDON_FALL + 30 * MIN, end: LONDON_FALL + 75 * MIN },
            Slot { start: LONDON_FALL + 135 * MIN, end: LONDON_FALL + 3 * HOUR },
        ]
    );
    assert_eq!(local_label(free[0].end, avail.time_zone), "Sun 25 Oct 2026, 01:15 (GMT)");
}

#[test]
fn a_whole_day_window_has_23_hourly_slots_in_spring_and_24_in_autumn_in_london() {
    let avail = sunday("Europe/London", &[((0, 0), (0, 0))], 60);
    let spring = day(&avail, LONDON_SPRING);
    assert_eq!(spring.len(), 23);
    assert_eq!(spring[0].start, LONDON_SPRING, "00:00 GMT");
    assert_eq!(spring[1].start, LONDON_SPRING + HOUR, "02:00 BST follows 00:00 GMT's slot directly");
    assert!(spring.windows(2).all(|p| p[0].end == p[1].start), "a 23-hour day, filled");
    assert_eq!(spring.last().unwrap().end, LONDON_SPRING + 23 * HOUR, "ends at midnight BST");

    let autumn = day(&avail, LONDON_FALL);
    assert_eq!(autumn.len(), 24, "the repeated hour is offered once");
    assert_eq!(autumn[0].start, LONDON_FALL - HOUR, "00:00 BST = 23:00 UTC on Saturday");
    assert_eq!(autumn[1].start, LONDON_FALL, "01:00 BST");
    assert_eq!(autumn[2].start, LONDON_FALL + 2 * HOUR, "02:00 GMT: the second 01:00 is skipped");
    assert_eq!(autumn.last().unwrap().end, LONDON_FALL + 24 * HOUR, "ends at midnight GMT");
}

#[test]
fn new_york_spring_forward_skips_two_oclock() {
    // Window 01:00–04:00 local. 01:00 EST = 06:00 UTC, 01:30 EST = 06:30 UTC; 02:00 and 02:30 do not
    // exist; 03:00 EDT = 07:00 UTC, 03:30 EDT = 07:30 UTC (ending 08:00 UTC = 04:00 EDT).
    let avail = sunday("America/New_York", &[((1, 0), (4, 0))], 30);
    let free = day(&avail, NY_SPRING);
    assert_eq!(starts(&free), [1_772_949_600, 1_772_951_400, 1_772_953_200, 1_772_955_000]);
    assert_eq!(
        labels(&free, avail.time_zone),
        [
            "Sun 8 Mar 2026, 01:00 (EST)",
            "Sun 8 Mar 2026, 01:30 (EST)",
            "Sun 8 Mar 2026, 03:00 (EDT)",
            "Sun 8 Mar 2026, 03:30 (EDT)"
        ]
    );
}

#[test]
fn new_york_fall_back_takes_the_first_one_oclock() {
    // Window 00:30–03:00 local. 00:30 EDT = 04:30 UTC; 01:00 and 01:30 EDT (first) = 05:00 and 05:30 UTC;
    // 02:00 EST = 07:00 UTC; 02:30 EST = 07:30 UTC (ending 08:00 UTC = 03:00 EST).
    let avail = sunday("America/New_York", &[((0, 30), (3, 0))], 30);
    let free = day(&avail, NY_FALL);
    assert_eq!(starts(&free), [1_793_507_400, 1_793_509_200, 1_793_511_000, 1_793_516_400, 1_793_518_200]);
    assert_eq!(local_label(free[2].start, avail.time_zone), "Sun 1 Nov 2026, 01:30 (EDT)");
}

#[test]
fn a_new_york_clinic_keeps_its_local_hours_while_utc_moves_an_hour() {
    // Fri 6 Mar (day 64) is EST, Mon 9 Mar (day 67) EDT. 09:00 EST = 14:00 UTC; 09:00 EDT = 13:00 UTC.
    let avail = clinic(
        "America/New_York",
        vec![window(Weekday::Fri, (9, 0), (17, 0)), window(Weekday::Mon, (9, 0), (17, 0))],
        30,
    );
    let fri_noon_utc = JAN_1 + 64 * DAY + 12 * HOUR;
    let free = slots(&avail, fri_noon_utc, 4, 0, 0, &[]);
    assert_eq!(free.len(), 2 * 16);
    assert_eq!(free[0].start, JAN_1 + 64 * DAY + 14 * HOUR, "Fri 09:00 EST");
    assert_eq!(free[16].start, JAN_1 + 67 * DAY + 13 * HOUR, "Mon 09:00 EDT");
    assert_eq!(local_label(free[16].start, avail.time_zone), "Mon 9 Mar 2026, 09:00 (EDT)");
    assert_eq!(free[31].end, JAN_1 + 67 * DAY + 21 * HOUR, "Mon 17:00 EDT");
}

#[test]
fn london_and_new_york_change_clocks_on_different_sundays() {
    // On 8 March only New York jumps: London's whole-day Sunday has its usual 24 slots.
    let london = sunday("Europe/London", &[((0, 0), (0, 0))], 60);
    let new_york = sunday("America/New_York", &[((0, 0), (0, 0))], 60);
    assert_eq!(day(&london, NY_SPRING).len(), 24);
    assert_eq!(day(&new_york, NY_SPRING).len(), 23);
    assert_eq!(day(&new_york, LONDON_SPRING).len(), 24, "New York is already on EDT by 29 March");
    assert_eq!(day(&new_york, NY_FALL).len(), 24);
}
