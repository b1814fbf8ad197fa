//! Kujala AKPS: the canonical table, totals by hand, the version, and the errors.

use super::*;

/// The index of the last (worst) option of every item.
const WORST: [usize; 13] = [2, 2, 3, 3, 4, 4, 3, 4, 4, 4, 4, 2, 2];

#[test]
fn every_best_answer_totals_100() {
    let score = score_kujala(&kujala([0; 13]));
    assert_eq!(score.total, Some(100));
    assert_eq!(score.version, KUJALA_VERSION);
}

#[test]
fn every_worst_answer_totals_0() {
    assert_eq!(score_kujala(&kujala(WORST)).total, Some(0));
}

#[test]
fn a_mixed_set_of_answers_is_the_sum_of_its_points() {
    // 1 limp: slight/periodic 3; 2 support: full, no pain 5; 3 walking: 1–2 km 2; 4 stairs: slight pain
    // descending 8; 5 squatting: partial weight-bearing 2; 6 running: slight pain from start 6;
    // 7 jumping: slight difficulty 7; 8 sitting: pain forces extension 4; 9 pain: interferes with sleep 6;
    // 10 swelling: none 10; 11 patellar movements: occasionally in sport 6; 12 atrophy: slight 3;
    // 13 flexion deficiency: severe 0.
    // 3 + 5 + 2 + 8 + 2 + 6 + 7 + 4 + 6 + 10 + 6 + 3 + 0 = 62.
    let score = score_kujala(&kujala([1, 0, 2, 1, 3, 2, 1, 3, 2, 0, 1, 1, 2]));
    assert_eq!(score.total, Some(62));
}

#[test]
fn one_missing_item_means_no_total_but_the_version_is_still_stated() {
    let mut a = kujala([0; 13]);
    a.set(7, None).expect("valid");
    assert_eq!(a.missing(), vec![7]);
    let score = score_kujala(&a);
    assert_eq!(score.total, None);
    assert_eq!(score.version, KUJALA_VERSION);
    assert_eq!(score.reading(), None);
    assert_eq!(score_kujala(&KujalaAnswers::new()).total, None);
}

#[test]
fn the_table_is_the_canonical_one_not_the_circulating_web_form() {
    let points = |item: usize| KUJALA_ITEMS[item - 1].options.iter().map(|o| o.points).collect::<Vec<_>>();
    // The three places where web forms drifted: constant limp 0 (not 2), squatting with partial
    // weight-bearing 2 (not 1), jumping 10/7/2/0 with "slight difficulty" / "constant pain".
    assert_eq!(points(1), [5, 3, 0]);
    assert_eq!(points(5), [5, 4, 3, 2, 0]);
    assert_eq!(points(7), [10, 7, 2, 0]);
    assert_eq!(points(2), [5, 3, 0]);
    assert_eq!(points(3), [5, 3, 2, 0]);
    assert_eq!(points(4), [10, 8, 5, 0]);
    assert_eq!(points(6), [10, 8, 6, 3, 0]);
    assert_eq!(points(8), [10, 8, 6, 4, 0]);
    assert_eq!(points(9), [10, 8, 6, 3, 0]);
    assert_eq!(points(10), [10, 8, 6, 4, 0]);
    assert_eq!(points(11), [10, 6, 4, 2, 0]);
    assert_eq!(points(12), [5, 3, 0]);
    assert_eq!(points(13), [5, 3, 0]);
    assert_eq!(KUJALA_ITEMS.iter().map(KujalaItem::max_points).sum::<u32>(), 100);
    assert_eq!(KUJALA_VERSION, "akps-jorthop-2023");
}

#[test]
fn every_item_lists_its_options_best_first_with_a_label_for_a_form() {
    for (i, item) in KUJALA_ITEMS.iter().enumerate() {
        assert_eq!(usize::from(item.number), i + 1);
        assert!(!item.topic.is_empty());
        assert!(item.options.windows(2).all(|w| w[0].points > w[1].points), "item {}", item.number);
        assert!(item.options.iter().all(|o| !o.label.is_empty()), "item {}", item.number);
        assert_eq!(WORST[i], item.options.len() - 1);
    }
}

#[test]
fn json_answers_map_item_numbers_to_option_indices() {
    let a = KujalaAnswers::from_json(&json!({
        "1": 1, "2": 0, "3": 2, "4": 1, "5": 3, "6": 2, "7": 1, "8": 3, "9": 2, "10": 0, "11": 1, "12": 1, "13": 2
    }))
    .expect("valid");
    assert_eq!(score_kujala(&a).total, Some(62));
    assert_eq!(a.get(5), Some(3));
    let partial = KujalaAnswers::from_json(&json!({"1": 0, "2": null})).expect("null is not answered");
    assert_eq!(partial.missing().len(), 12);
}

#[test]
fn an_index_past_the_last_option_is_an_error_naming_the_item_and_the_range() {
    let text = message(KujalaAnswers::from_json(&json!({"12": 3})));
    assert!(
        text.starts_with("kujala item '12' = 3 is not allowed; expected the index of an option from 0 to 2"),
        "{text}"
    );
    assert!(text.contains("Thigh muscle wasting"), "{text}");
    let text = message(kujala_set(5, 5));
    assert!(text.contains("'5' = 5") && text.contains("from 0 to 4"), "{text}");
}

fn kujala_set(number: u8, choice: usize) -> Result<(), OutcomeError> {
    KujalaAnswers::new().set(number, Some(choice))
}

#[test]
fn an_unknown_item_number_is_an_error_naming_it() {
    for key in ["0", "14", "01", "limp"] {
        let text = message(KujalaAnswers::from_json(&json!({ key: 0 })));
        assert!(text.contains(&format!("'{key}' is not a kujala item")) && text.contains("\"13\""), "{text}");
    }
    assert!(message(kujala_set(14, 0)).contains("'14'"));
}

#[test]
fn labels_are_not_option_indices() {
    let text = message(KujalaAnswers::from_json(&json!({"1": "none"})));
    assert!(text.contains("'1' = \"none\""), "{text}");
    assert!(message(KujalaAnswers::from_json(&json!({"1": -1}))).contains("'1' = -1"));
    assert!(message(KujalaAnswers::from_json(&json!("1,2,3"))).contains("must be a JSON object"));
}

#[test]
fn the_score_serialises_with_its_version() {
    let json = serde_json::to_value(score_kujala(&kujala([0; 13]))).expect("serialise");
    assert_eq!(json, json!({"total": 100, "version": "akps-jorthop-2023"}));
}
