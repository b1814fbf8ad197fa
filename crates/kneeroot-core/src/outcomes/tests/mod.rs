//! Worked examples, computed by hand in the comments, for every instrument; the missing-data boundaries;
//! the errors a form or script sees; and property tests over random answers.

use serde_json::{Value as Json, json};

use super::*;

mod change;
mod instrument;
mod koos;
mod koos12;
mod koos_ps;
mod kujala;
mod nprs;
mod properties;
mod psfs;

/// KOOS answers with the given items answered and every other item missing.
fn koos(pairs: &[(&str, u8)]) -> KoosAnswers {
    let mut answers = KoosAnswers::new();
    for (item, code) in pairs {
        answers.set(item, Some(*code)).unwrap_or_else(|e| panic!("test answer {item} rejected: {e}"));
    }
    answers
}

/// KOOS answers with every item at the same code.
fn koos_all(code: u8) -> KoosAnswers {
    let pairs: Vec<(&str, u8)> = KOOS_ITEM_IDS.iter().map(|id| (*id, code)).collect();
    koos(&pairs)
}

/// Kujala answers from the 13 option indices, item 1 first.
fn kujala(choices: [usize; 13]) -> KujalaAnswers {
    let mut answers = KujalaAnswers::new();
    for (number, choice) in (1..=13).zip(choices) {
        answers.set(number, Some(choice)).unwrap_or_else(|e| panic!("test answer {number} rejected: {e}"));
    }
    answers
}

/// The scores are equal up to floating-point noise (hand-computed fractions like 200/3 are not exact).
#[track_caller]
fn assert_score(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected a score of {expected}, got None"));
    assert!((a - expected).abs() < 1e-9, "expected {expected}, got {a}");
}

/// The error's message, which is what people see.
fn message(result: Result<impl std::fmt::Debug, OutcomeError>) -> String {
    result.expect_err("expected an error").to_string()
}

#[test]
fn the_test_helpers_build_the_same_answers_as_parsing_does() {
    let parsed = KoosAnswers::from_json(&json!({"P1": 1, "Q4": 4})).expect("valid");
    assert_eq!(parsed, koos(&[("P1", 1), ("Q4", 4)]));
    let parsed: Json = serde_json::to_value(kujala([0; 13])).expect("serialise");
    assert_eq!(KujalaAnswers::from_json(&parsed).expect("valid"), kujala([0; 13]));
}
