//! Properties over random answers: scores stay in range, the missing-data rule is exact, and a worse
//! answer never raises a score.

use proptest::prelude::*;

use super::*;

/// 42 KOOS codes, each missing about a third of the time so every subscale crosses its boundary.
fn koos_codes() -> impl Strategy<Value = Vec<Option<u8>>> {
    prop::collection::vec(prop_oneof![1 => Just(None), 2 => (0u8..=4).prop_map(Some)], KOOS_ITEM_IDS.len())
}

fn answers_of(codes: &[Option<u8>]) -> KoosAnswers {
    let mut a = KoosAnswers::new();
    for (id, code) in KOOS_ITEM_IDS.iter().zip(codes) {
        a.set(id, *code).expect("generated codes are valid");
    }
    a
}

/// Every score of a KOOS result, named, in a fixed order.
fn all_scores(s: &KoosScores) -> [(&'static str, Option<f64>); 10] {
    [
        ("pain", s.pain),
        ("symptoms", s.symptoms),
        ("adl", s.adl),
        ("sport_rec", s.sport_rec),
        ("qol", s.qol),
        ("koos12.pain", s.koos12.pain),
        ("koos12.function", s.koos12.function),
        ("koos12.qol", s.koos12.qol),
        ("koos12.summary", s.koos12.summary),
        ("koos_ps", s.koos_ps),
    ]
}

/// 13 Kujala choices, each a valid index for its item or missing.
fn kujala_choices() -> impl Strategy<Value = Vec<Option<usize>>> {
    KUJALA_ITEMS
        .iter()
        .map(|item| prop_oneof![1 => Just(None), 6 => (0..item.options.len()).prop_map(Some)].boxed())
        .collect::<Vec<_>>()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    #[test]
    fn every_koos_score_is_within_0_and_100_or_none(codes in koos_codes()) {
        for (name, score) in all_scores(&score_koos(&answers_of(&codes))) {
            prop_assert!(score.is_none_or(|s| (0.0..=100.0).contains(&s)), "{name} = {score:?}");
        }
    }

    #[test]
    fn a_koos_subscale_is_none_exactly_when_too_few_items_are_answered(codes in koos_codes()) {
        let answers = answers_of(&codes);
        let scores = score_koos(&answers);
        for s in KoosSubscale::ALL {
            let too_few = answers.answered(s) < s.min_answered();
            prop_assert_eq!(scores.subscale(s).is_none(), too_few, "{} with {} answered", s, answers.answered(s));
        }
    }

    #[test]
    fn raising_any_item_code_never_increases_a_koos_score(
        codes in koos_codes(),
        item in 0..KOOS_ITEM_IDS.len(),
        raise in 1u8..=4,
    ) {
        let Some(code) = codes[item] else { return Ok(()) };
        let mut worse = codes.clone();
        worse[item] = Some((code + raise).min(4));
        let before = all_scores(&score_koos(&answers_of(&codes)));
        let after = all_scores(&score_koos(&answers_of(&worse)));
        for ((name, b), (_, a)) in before.into_iter().zip(after) {
            // Changing a code never changes whether a score exists, only its value.
            prop_assert_eq!(b.is_some(), a.is_some(), "{}", name);
            if let (Some(b), Some(a)) = (b, a) {
                prop_assert!(a <= b, "{} rose from {} to {} when {} went from {} up", name, b, a, KOOS_ITEM_IDS[item], code);
            }
        }
    }

    #[test]
    fn koos_answers_survive_a_round_trip_through_json(codes in koos_codes()) {
        let a = answers_of(&codes);
        let json = serde_json::to_value(a).expect("serialise");
        prop_assert_eq!(KoosAnswers::from_json(&json).expect("valid"), a);
    }

    #[test]
    fn a_kujala_total_is_within_0_and_100_and_exists_exactly_when_all_13_are_answered(choices in kujala_choices()) {
        let mut a = KujalaAnswers::new();
        for (number, choice) in (1..=13).zip(&choices) {
            a.set(number, *choice).expect("generated choices are valid");
        }
        let total = score_kujala(&a).total;
        prop_assert_eq!(total.is_some(), choices.iter().all(Option::is_some));
        prop_assert!(total.is_none_or(|t| t <= 100));
    }

    #[test]
    fn interpreting_any_pair_of_scores_in_range_gives_a_consistent_verdict(
        before in 0.0f64..=100.0,
        after in 0.0f64..=100.0,
    ) {
        let m = Measure::KoosSubscale;
        let v = interpret(m, Reading::current(m, before), Reading::current(m, after)).expect("comparable");
        prop_assert_eq!(v.meaningful, v.direction != Direction::NoClearChange);
        prop_assert!(v.text.starts_with(&display_delta(after - before)), "{}", v.text);
        prop_assert_eq!(v.meaningful, (after - before).abs() >= 10.0 - 1e-9);
    }
}
