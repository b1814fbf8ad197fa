//! Property tests of the wizard's form decoder, [`read_field`]: whatever a page posts for a question, it
//! either becomes a JSON value that the answers then accept or refuse naming the question, or it is
//! refused with a message; it never panics. A well-formed answer of every kind is accepted, and what the
//! page shows for a stored answer, posted again, gives the same answer (so re-submitting a page changes
//! nothing).

use kneeroot_core::Answers;
use kneeroot_core::answers::{Side, Value};
use kneeroot_core::knowledge::{Question, QuestionKind};
use proptest::prelude::*;
use serde_json::Value as Json;

use super::read_field;
use crate::pages::test_forms::{form, hostile_fields, hostile_text, kb};

fn question(i: usize) -> &'static Question {
    let questions = kb().questions();
    &questions[i % questions.len()]
}

/// Post `values` for question `q` (and nothing else) and read them back as the wizard does.
fn post(q: &Question, values: &[String]) -> Result<Json, String> {
    let fields: Vec<(String, String)> = values.iter().map(|v| (q.id.clone(), v.clone())).collect();
    read_field(q, &form(&fields))
}

/// A well-formed answer to `q` as the form sends it (one value per checked box), and the answer it means.
fn well_formed(q: &Question, pick: usize, real: f64, subset: &[bool], pad: bool) -> (Vec<String>, Value) {
    let pad = |s: String| if pad { format!(" {s}\t") } else { s };
    match &q.kind {
        QuestionKind::Bool => {
            let yes = pick.is_multiple_of(2);
            (vec![pad(if yes { "yes" } else { "no" }.to_owned())], Value::Bool(yes))
        }
        QuestionKind::Int { min, max } => {
            let span = u64::try_from(max - min).unwrap_or(0) + 1;
            let n = min + i64::try_from(pick as u64 % span).unwrap_or(0);
            (vec![pad(n.to_string())], Value::Int(n))
        }
        QuestionKind::Number { min, max } => {
            // At most two decimals: what the page shows for a stored number (see `format_number`).
            let n = ((min + (max - min) * real) * 100.0).round() / 100.0;
            let n = n.clamp(*min, *max);
            let typed = if pick.is_multiple_of(2) { n.to_string() } else { n.to_string().replace('.', ",") };
            (vec![pad(typed)], if n.fract() == 0.0 { Value::Int(n as i64) } else { Value::Number(n) })
        }
        QuestionKind::Enum => {
            let o = &q.options[pick % q.options.len()];
            (vec![pad(o.value.clone())], Value::Enum(o.value.clone()))
        }
        QuestionKind::Side => {
            let s = Side::ALL[pick % Side::ALL.len()];
            (vec![pad(s.as_str().to_owned())], Value::Side(s))
        }
        QuestionKind::List => {
            let chosen: Vec<String> = q
                .options
                .iter()
                .zip(subset.iter().cycle())
                .filter(|(_, on)| **on)
                .map(|(o, _)| o.value.clone())
                .collect();
            // Boxes arrive in any order, and a box may be sent twice.
            let mut sent: Vec<String> = chosen.iter().rev().cloned().collect();
            if let Some(first) = chosen.first() {
                sent.push(first.clone());
            }
            (sent, Value::List(chosen))
        }
    }
}

/// What the page shows for a stored answer, as the form would post it back.
fn shown(value: &Value) -> Vec<String> {
    match value {
        Value::Bool(b) => vec![if *b { "yes" } else { "no" }.to_owned()],
        Value::List(items) => items.clone(),
        other => vec![other.display()],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_post_for_a_question_is_a_value_or_a_message_never_a_panic(
        i in any::<usize>(),
        values in prop::collection::vec(hostile_text(), 0..4),
    ) {
        let q = question(i);
        match post(q, &values) {
            Err(message) => prop_assert!(!message.trim().is_empty(), "{}: an empty message", q.id),
            Ok(json) => {
                // The answers then take it or refuse it, naming the question.
                let mut answers = Answers::empty(kb());
                if let Err(e) = answers.set(kb(), &q.id, &json) {
                    prop_assert_eq!(&e.id, &q.id);
                    prop_assert!(e.to_string().contains(&q.id), "{}", e);
                }
            }
        }
    }

    #[test]
    fn other_fields_never_change_what_a_question_reads(
        i in any::<usize>(),
        value in hostile_text(),
        noise in hostile_fields(vec!["csrf".into(), "shown".into(), "age".into(), "pain.now".into()]),
    ) {
        let q = question(i);
        let alone = post(q, std::slice::from_ref(&value));
        let mut fields: Vec<(String, String)> = noise.into_iter().filter(|(k, _)| *k != q.id).collect();
        fields.push((q.id.clone(), value));
        prop_assert_eq!(read_field(q, &form(&fields)), alone);
    }

    #[test]
    fn a_well_formed_answer_is_accepted_and_survives_being_shown_and_posted_again(
        i in any::<usize>(),
        pick in any::<usize>(),
        real in 0.0f64..=1.0,
        subset in prop::collection::vec(any::<bool>(), 1..12),
        pad in any::<bool>(),
    ) {
        let q = question(i);
        let (sent, meant) = well_formed(q, pick, real, &subset, pad);
        let json = post(q, &sent).map_err(|e| TestCaseError::fail(format!("{}: {sent:?} refused: {e}", q.id)))?;
        let mut answers = Answers::empty(kb());
        answers.set(kb(), &q.id, &json).map_err(|e| TestCaseError::fail(format!("{}: {e}", q.id)))?;
        let stored = answers.get(kb(), &q.id).cloned();
        // An empty list is "nothing ticked": no answer, not an error.
        if meant == Value::List(Vec::new()) {
            prop_assert!(stored.is_none() || stored == Some(meant.clone()));
            return Ok(());
        }
        let stored = stored.ok_or_else(|| TestCaseError::fail(format!("{}: no answer stored", q.id)))?;
        match (&stored, &meant) {
            (Value::Number(a), Value::Number(b)) => prop_assert!((a - b).abs() < 1e-9, "{a} != {b}"),
            (Value::Number(a), Value::Int(b)) | (Value::Int(b), Value::Number(a)) => {
                prop_assert!((a - *b as f64).abs() < 1e-9, "{a} != {b}")
            }
            _ => prop_assert_eq!(&stored, &meant),
        }
        // Shown again and posted back unchanged, it is the same answer.
        let again = post(q, &shown(&stored)).map_err(|e| TestCaseError::fail(format!("{}: {e}", q.id)))?;
        let mut twice = Answers::empty(kb());
        twice.set(kb(), &q.id, &again).map_err(|e| TestCaseError::fail(format!("{}: {e}", q.id)))?;
        prop_assert_eq!(twice.get(kb(), &q.id), Some(&stored));
    }

    #[test]
    fn a_blank_field_is_no_answer(i in any::<usize>(), blank in "[ \t]{0,3}") {
        let q = question(i);
        prop_assert_eq!(post(q, &[]), Ok(Json::Null));
        if q.kind != QuestionKind::List {
            prop_assert_eq!(post(q, &[blank]), Ok(Json::Null));
        }
    }
}

#[test]
fn numbers_that_are_not_numbers_are_refused_quoting_what_was_typed() {
    let q = kb().questions().iter().find(|q| matches!(q.kind, QuestionKind::Int { .. })).expect("an int question");
    for typed in ["NaN", "inf", "-inf", "1e400", "twelve", "1.2.3"] {
        let message = post(q, &[typed.to_owned()]).expect_err(typed);
        assert!(message.contains(typed), "{message}");
    }
}
