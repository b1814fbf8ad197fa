//! KOOS subscales: the formula, the 2012 missing-data rule at every boundary, S4/S5, and parsing.

use super::*;

#[test]
fn pain_with_all_nine_items_answered_is_100_minus_25_times_the_mean() {
    // P1..P9 = 1, 2, 0, 1, 3, 2, 1, 0, 2: sum 12, mean 12/9 = 1.333…;
    // 100 − 25 × 1.333… = 100 − 33.333… = 66.666…
    let a = koos(&[("P1", 1), ("P2", 2), ("P3", 0), ("P4", 1), ("P5", 3), ("P6", 2), ("P7", 1), ("P8", 0), ("P9", 2)]);
    assert_score(score_koos(&a).pain, 200.0 / 3.0);
}

#[test]
fn pain_with_exactly_five_items_answered_is_scored_from_those_five() {
    // P1..P5 = 2, 1, 1, 0, 3: sum 7, mean 1.4; 100 − 25 × 1.4 = 65. P6..P9 missing.
    let a = koos(&[("P1", 2), ("P2", 1), ("P3", 1), ("P4", 0), ("P5", 3)]);
    assert_score(score_koos(&a).pain, 65.0);
}

#[test]
fn pain_with_only_four_items_answered_is_not_scored() {
    let a = koos(&[("P1", 2), ("P2", 1), ("P3", 1), ("P4", 0)]);
    assert_eq!(score_koos(&a).pain, None);
}

#[test]
fn symptoms_are_scored_from_four_items_and_not_from_three() {
    // S1, S2, S3, S6 = 1, 2, 0, 3: sum 6, mean 1.5; 100 − 37.5 = 62.5.
    let four = koos(&[("S1", 1), ("S2", 2), ("S3", 0), ("S6", 3)]);
    assert_score(score_koos(&four).symptoms, 62.5);
    let three = koos(&[("S1", 1), ("S2", 2), ("S3", 0)]);
    assert_eq!(score_koos(&three).symptoms, None);
}

#[test]
fn daily_living_is_scored_from_nine_items_and_not_from_eight() {
    // A1..A8 = 1, A9 = 0: sum 8, mean 8/9 = 0.888…; 100 − 22.222… = 77.777…
    let mut pairs: Vec<(&str, u8)> = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"].map(|id| (id, 1)).to_vec();
    pairs.push(("A9", 0));
    assert_score(score_koos(&koos(&pairs)).adl, 100.0 - 200.0 / 9.0);
    pairs.pop();
    assert_eq!(score_koos(&koos(&pairs)).adl, None);
}

#[test]
fn sport_and_recreation_is_scored_from_three_items_and_not_from_two() {
    // SP1, SP2, SP3 = 4, 4, 3: sum 11, mean 3.666…; 100 − 91.666… = 8.333…
    let three = koos(&[("SP1", 4), ("SP2", 4), ("SP3", 3)]);
    assert_score(score_koos(&three).sport_rec, 100.0 - 25.0 * 11.0 / 3.0);
    let two = koos(&[("SP1", 4), ("SP2", 4)]);
    assert_eq!(score_koos(&two).sport_rec, None);
}

#[test]
fn quality_of_life_is_scored_from_two_items_and_not_from_one() {
    // Q1 = 1, Q4 = 2: sum 3, mean 1.5; 100 − 37.5 = 62.5.
    assert_score(score_koos(&koos(&[("Q1", 1), ("Q4", 2)])).qol, 62.5);
    assert_eq!(score_koos(&koos(&[("Q1", 1)])).qol, None);
}

#[test]
fn the_minimum_answered_is_half_of_each_subscale_rounded_up() {
    for (subscale, items, min) in [
        (KoosSubscale::Pain, 9, 5),
        (KoosSubscale::Symptoms, 7, 4),
        (KoosSubscale::Adl, 17, 9),
        (KoosSubscale::SportRec, 5, 3),
        (KoosSubscale::Qol, 4, 2),
    ] {
        assert_eq!(subscale.items().len(), items, "{subscale}");
        assert_eq!(subscale.min_answered(), min, "{subscale}");
        // At the boundary with every answer 2 (moderate): 100 − 25 × 2 = 50; one fewer: not scored.
        let at: Vec<(&str, u8)> = subscale.items()[..min].iter().map(|id| (*id, 2)).collect();
        assert_score(score_koos(&koos(&at)).subscale(subscale), 50.0);
        assert_eq!(koos(&at).answered(subscale), min);
        let below = koos(&at[..min - 1]);
        assert_eq!(score_koos(&below).subscale(subscale), None, "{subscale} with {} answered", min - 1);
    }
}

#[test]
fn no_problems_anywhere_scores_100_and_extreme_problems_score_0() {
    let best = score_koos(&koos_all(0));
    let worst = score_koos(&koos_all(4));
    for s in KoosSubscale::ALL {
        assert_eq!(best.subscale(s), Some(100.0), "{s}");
        assert_eq!(worst.subscale(s), Some(0.0), "{s}");
    }
}

#[test]
fn nothing_answered_scores_nothing() {
    let scores = score_koos(&KoosAnswers::new());
    assert!(KoosSubscale::ALL.iter().all(|s| scores.subscale(*s).is_none()));
    assert_eq!(scores.koos12.summary, None);
    assert_eq!(scores.koos_ps, None);
}

#[test]
fn s4_and_s5_codes_are_scored_as_given_like_every_other_item() {
    // S4/S5 are printed in reverse on paper (Always = 0 … Never = 4), but the code is what arrives here:
    // code 4 on S4 means "never able to straighten fully", an extreme problem, and counts as 4.
    // S1..S7 = 0, 0, 0, 4, 4, 0, 0: sum 8, mean 8/7; 100 − 200/7 = 71.428…
    let a = koos(&[("S1", 0), ("S2", 0), ("S3", 0), ("S4", 4), ("S5", 4), ("S6", 0), ("S7", 0)]);
    assert_score(score_koos(&a).symptoms, 100.0 - 200.0 / 7.0);
    // And code 0 ("always able to") is no problem at all.
    let fine = koos(&[("S1", 0), ("S2", 0), ("S3", 0), ("S4", 0), ("S5", 0), ("S6", 0), ("S7", 0)]);
    assert_score(score_koos(&fine).symptoms, 100.0);
}

#[test]
fn json_answers_accept_codes_and_null_and_treat_absent_items_as_missing() {
    let a = KoosAnswers::from_json(&json!({"P1": 0, "P2": 4, "P3": null, "SP5": 2})).expect("valid");
    assert_eq!(a.get("P1"), Some(0));
    assert_eq!(a.get("P2"), Some(4));
    assert_eq!(a.get("P3"), None);
    assert_eq!(a.get("P4"), None);
    assert_eq!(a.get("SP5"), Some(2));
    assert_eq!(a.answered(KoosSubscale::Pain), 2);
}

#[test]
fn an_unknown_item_id_is_an_error_naming_it_and_listing_the_ids() {
    let text = message(KoosAnswers::from_json(&json!({"P10": 1})));
    assert!(text.contains("'P10'") && text.contains("P1–P9") && text.contains("SP1–SP5"), "{text}");
}

#[test]
fn a_lower_case_item_id_is_rejected_with_a_suggestion() {
    let text = message(KoosAnswers::from_json(&json!({"sp4": 1})));
    assert!(text.contains("'sp4'") && text.contains("did you mean 'SP4'?"), "{text}");
}

#[test]
fn a_code_out_of_range_is_an_error_naming_the_item_the_value_and_the_codes() {
    let text = message(KoosAnswers::from_json(&json!({"Q3": 5})));
    assert_eq!(
        text,
        "koos item 'Q3' = 5 is not allowed; expected an integer code from 0 (no problem) to 4 (extreme), or null \
         for not answered"
    );
}

#[test]
fn fractions_strings_negatives_and_booleans_are_not_codes() {
    for bad in [json!(2.5), json!(2.0), json!("2"), json!(-1), json!(true), json!([1])] {
        let text = message(KoosAnswers::from_json(&json!({"A7": bad.clone()})));
        assert!(text.contains("'A7'") && text.contains(&bad.to_string()), "{text}");
    }
}

#[test]
fn answers_that_are_not_an_object_are_an_error() {
    let text = message(KoosAnswers::from_json(&json!([1, 2, 3])));
    assert!(text.contains("koos answers must be a JSON object"), "{text}");
}

#[test]
fn setting_an_item_checks_the_id_and_the_code() {
    let mut a = KoosAnswers::new();
    assert!(message(a.set("A18", Some(1))).contains("'A18'"));
    assert!(message(a.set("A17", Some(7))).contains("'A17' = 7"));
    a.set("A17", Some(3)).expect("valid");
    a.set("A17", None).expect("clearing is allowed");
    assert_eq!(a.get("A17"), None);
}

#[test]
fn answers_serialise_as_the_answered_items_and_read_back_the_same() {
    let a = koos(&[("Q1", 3), ("P2", 1)]);
    let json = serde_json::to_value(a).expect("serialise");
    assert_eq!(json, json!({"P2": 1, "Q1": 3}));
    let back: KoosAnswers = serde_json::from_value(json).expect("deserialise");
    assert_eq!(back, a);
    let bad = serde_json::from_value::<KoosAnswers>(json!({"Q1": 9})).expect_err("checked");
    assert!(bad.to_string().contains("'Q1' = 9"), "{bad}");
}

#[test]
fn scores_serialise_with_every_key_and_null_where_not_scorable() {
    let scores = score_koos(&koos(&[("Q1", 1), ("Q4", 2)]));
    let json = serde_json::to_value(scores).expect("serialise");
    assert_eq!(
        json,
        json!({
            "pain": null, "symptoms": null, "adl": null, "sport_rec": null, "qol": 62.5,
            "koos12": {"pain": null, "function": null, "qol": 62.5, "summary": null},
            "koos_ps": null
        })
    );
}
