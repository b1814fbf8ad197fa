//! KOOS-12: its items, the 2-of-4 rule per scale, and the summary that needs all three scales.

use super::*;

#[test]
fn the_scales_use_the_koos12_items() {
    assert_eq!(KOOS12_PAIN_ITEMS, ["P1", "P5", "P6", "P8"]);
    assert_eq!(KOOS12_FUNCTION_ITEMS, ["A4", "A3", "A7", "SP4"]);
    assert_eq!(KOOS12_QOL_ITEMS, ["Q1", "Q2", "Q3", "Q4"]);
    assert_eq!(KOOS12_MIN_ANSWERED, 2);
}

#[test]
fn a_scale_with_two_of_four_items_is_scored_and_the_summary_is_the_mean_of_the_scales() {
    // Pain: P1 = 2, P5 = 3 (P6, P8 missing): mean 2.5; 100 − 62.5 = 37.5.
    // Function: A4, A3, A7, SP4 = 1, 1, 2, 4: mean 2; 100 − 50 = 50.
    // QOL: Q1..Q4 = 1, 2, 2, 3: mean 2; 50.
    // Summary: (37.5 + 50 + 50) / 3 = 45.833…
    let a = koos(&[
        ("P1", 2),
        ("P5", 3),
        ("A4", 1),
        ("A3", 1),
        ("A7", 2),
        ("SP4", 4),
        ("Q1", 1),
        ("Q2", 2),
        ("Q3", 2),
        ("Q4", 3),
    ]);
    let s = score_koos12(&a);
    assert_score(s.pain, 37.5);
    assert_score(s.function, 50.0);
    assert_score(s.qol, 50.0);
    assert_score(s.summary, 137.5 / 3.0);
    assert_eq!(score_koos(&a).koos12, s, "score_koos reports the same KOOS-12");
}

#[test]
fn a_scale_with_one_item_is_not_scored_and_then_neither_is_the_summary() {
    // Pain has only P1; Function and QOL are complete.
    let a = koos(&[("P1", 2), ("A4", 1), ("A3", 1), ("A7", 2), ("SP4", 4), ("Q1", 1), ("Q2", 2)]);
    let s = score_koos12(&a);
    assert_eq!(s.pain, None);
    assert_score(s.function, 50.0);
    assert_score(s.qol, 62.5); // Q1, Q2 = 1, 2: mean 1.5
    assert_eq!(s.summary, None);
}

#[test]
fn items_outside_the_koos12_do_not_move_it() {
    // A person who filled in only the KOOS-12 form: the KOOS-12 is scored, the full KOOS subscales
    // (which need more items) are not. Adding every other item does not change the KOOS-12.
    let short_form: Vec<(&str, u8)> =
        KOOS12_PAIN_ITEMS.iter().chain(&KOOS12_FUNCTION_ITEMS).chain(&KOOS12_QOL_ITEMS).map(|id| (*id, 1)).collect();
    let only = score_koos(&koos(&short_form));
    assert_score(only.koos12.summary, 75.0);
    assert_eq!(only.pain, None, "4 of 9 pain items is below the KOOS minimum");

    let mut full = koos_all(4);
    for (id, code) in &short_form {
        full.set(id, Some(*code)).expect("valid");
    }
    assert_eq!(score_koos12(&full), only.koos12);
}
