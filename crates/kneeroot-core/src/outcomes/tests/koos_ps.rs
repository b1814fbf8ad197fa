//! KOOS-PS: all seven items, the conversion table (in KOOS direction) at its ends and at the raw-11 typo.

use super::*;

/// The seven KOOS-PS items with the given codes, in A10, A9, A3, A5, SP4, SP5, SP1 order.
fn ps(codes: [u8; 7]) -> KoosAnswers {
    let pairs: Vec<(&str, u8)> = KOOS_PS_ITEMS.iter().copied().zip(codes).collect();
    koos(&pairs)
}

#[test]
fn the_items_are_the_seven_of_the_short_form() {
    assert_eq!(KOOS_PS_ITEMS, ["A10", "A9", "A3", "A5", "SP4", "SP5", "SP1"]);
}

#[test]
fn raw_0_is_100_no_difficulty_in_koos_direction() {
    assert_eq!(score_koos_ps(&ps([0; 7])), Some(100.0));
}

#[test]
fn raw_11_is_64_7_not_the_67_7_typo() {
    // 2 + 2 + 2 + 2 + 1 + 1 + 1 = 11 → 64.7 (= 100 − 35.3 in the original direction).
    assert_eq!(score_koos_ps(&ps([2, 2, 2, 2, 1, 1, 1])), Some(64.7));
}

#[test]
fn raw_28_is_0_extreme_difficulty() {
    assert_eq!(score_koos_ps(&ps([4; 7])), Some(0.0));
}

#[test]
fn one_missing_item_means_no_score() {
    let mut a = ps([1; 7]);
    a.set("SP1", None).expect("valid");
    assert_eq!(score_koos_ps(&a), None);
    assert_eq!(score_koos(&a).koos_ps, None);
}

#[test]
fn the_table_has_a_value_for_every_raw_sum_and_falls_all_the_way() {
    assert_eq!(KOOS_PS_CONVERSION.len(), 29);
    assert!(KOOS_PS_CONVERSION.windows(2).all(|w| w[0] > w[1]), "strictly decreasing");
    assert_eq!(koos_ps_from_raw(14), Some(59.7));
    assert_eq!(koos_ps_from_raw(15), Some(58.0));
    assert_eq!(koos_ps_from_raw(29), None);
}

#[test]
fn only_the_seven_items_count() {
    // Raw 7 (all 1s) → 72.5, whatever the other 35 items say.
    let mut a = koos_all(4);
    for id in KOOS_PS_ITEMS {
        a.set(id, Some(1)).expect("valid");
    }
    assert_eq!(score_koos(&a).koos_ps, Some(72.5));
}
