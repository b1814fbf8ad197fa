//! Property tests of the questionnaire forms' decoder: [`answers_from_form`] followed by [`score`], as
//! `POST /questionnaires/{instrument}` runs them (the API shares `score`).
//!
//! Whatever fields arrive, the result is a score or a list of problems, never a panic; every problem
//! names its item, says what is allowed, and points at a question or field the page really shows (so the
//! summary's link leads somewhere and the message appears next to what is wrong). A well-formed form of
//! every offered questionnaire is accepted, stored as exactly what was chosen, and shown again with the
//! same choices ticked.

use kneeroot_core::outcomes::{Instrument, KUJALA_ITEMS, Psfs, PsfsActivity};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::{KOOS12_FORM, KOOS12_SCALES, OFFERED, answers_from_form, form_sections, problem, score};
use crate::error::classify;
use crate::pages::test_forms::{form, hostile_fields};

/// Every name the questionnaire pages post.
fn field_names() -> Vec<String> {
    let mut names: Vec<String> = KUJALA_ITEMS.iter().map(|i| i.number.to_string()).collect();
    names.extend(KOOS12_FORM.iter().map(|(id, _, _)| (*id).to_owned()));
    names.extend(["rating", "csrf"].map(str::to_owned));
    for n in 1..=5 {
        names.push(format!("activity{n}"));
        names.push(format!("rating{n}"));
    }
    names
}

fn baseline() -> Psfs {
    Psfs::new(vec![
        PsfsActivity::new("Going down stairs", 3),
        PsfsActivity::new("Running 5 km", 1),
        PsfsActivity::new("Kneeling", 6),
    ])
    .expect("a valid baseline")
}

/// An offered questionnaire, and for the PSFS whether there is a starting one to re-rate.
fn instrument() -> impl Strategy<Value = (Instrument, bool)> {
    (prop::sample::select(OFFERED.to_vec()), any::<bool>()).prop_map(|(i, b)| (i, b && i == Instrument::Psfs))
}

/// The anchors (question and text-field ids) of the form as shown.
fn anchors(instrument: Instrument, base: Option<&Psfs>, fields: &[(String, String)]) -> Vec<String> {
    let sent = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (_, sections) = form_sections(instrument, base, &sent, &[]);
    let mut out = Vec::new();
    for q in sections.iter().flat_map(|s| &s.questions) {
        out.push(q.anchor.clone());
        if let Some(t) = &q.text {
            out.push(t.id.clone());
        }
    }
    out
}

/// Whether two activity names are the same activity, as the PSFS matches them.
fn same_activity(a: &str, b: &str) -> bool {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    key(a) == key(b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_form_is_scored_or_every_problem_is_named_and_shown_by_its_question(
        (instrument, with_baseline) in instrument(),
        fields in hostile_fields(field_names()),
    ) {
        let base = with_baseline.then(baseline);
        let answers = answers_from_form(instrument, &form(&fields), base.as_ref());
        match score(instrument, &answers) {
            Ok(scored) => prop_assert!(scored.answers.is_object() && scored.scores.is_object()),
            Err(invalid) => {
                prop_assert!(!invalid.is_empty());
                let shown = anchors(instrument, base.as_ref(), &fields);
                for e in &invalid {
                    prop_assert!(!e.item.is_empty() && !e.allowed.is_empty() && !e.message.trim().is_empty(), "{e:?}");
                    prop_assert!(shown.contains(&e.anchor), "{:?}: {e:?} points at nothing the page shows", instrument);
                }
                let first = invalid[0].item.clone();
                let (status, code, _, field) = classify(&problem(invalid));
                prop_assert_eq!((status.as_u16(), code, field), (422, "invalid_answers", Some(first)));
            }
        }
    }

    #[test]
    fn a_complete_kujala_form_is_scored_stored_as_chosen_and_shown_again_ticked(
        codes in prop::collection::vec(any::<prop::sample::Index>(), KUJALA_ITEMS.len()),
        spaces in any::<bool>(),
    ) {
        let chosen: Vec<(String, usize)> = KUJALA_ITEMS
            .iter()
            .zip(&codes)
            .map(|(item, c)| (item.number.to_string(), c.index(item.options.len())))
            .collect();
        let fields: Vec<(String, String)> = chosen
            .iter()
            .map(|(k, c)| (k.clone(), if spaces { format!(" {c} ") } else { c.to_string() }))
            .collect();
        let scored = score(Instrument::Kujala, &answers_from_form(Instrument::Kujala, &form(&fields), None))
            .map_err(|e| TestCaseError::fail(format!("refused: {e:?}")))?;
        let expected: serde_json::Map<String, Value> = chosen.iter().map(|(k, c)| (k.clone(), json!(c))).collect();
        prop_assert_eq!(&scored.answers, &Value::Object(expected));
        let total = scored.scores["total"].as_f64().unwrap_or(-1.0);
        prop_assert!((0.0..=100.0).contains(&total), "total {total}");
        // Shown again (after another item's mistake, say), every choice is still ticked.
        let sent = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
        let (_, sections) = form_sections(Instrument::Kujala, None, &sent, &[]);
        for (q, (_, c)) in sections.iter().flat_map(|s| &s.questions).zip(&chosen) {
            let ticked: Vec<&str> = q.options.iter().filter(|o| o.checked).map(|o| o.value.as_str()).collect();
            prop_assert_eq!(ticked, vec![c.to_string()]);
        }
    }

    #[test]
    fn a_koos12_form_with_a_scorable_scale_is_stored_as_chosen(
        codes in prop::collection::vec(prop::option::of(0u64..=4), KOOS12_FORM.len()),
        scale in 0usize..3,
        forced in (0u64..=4, 0u64..=4),
    ) {
        let mut chosen: Vec<(String, Option<u64>)> =
            KOOS12_FORM.iter().zip(&codes).map(|((id, _, _), c)| ((*id).to_owned(), *c)).collect();
        // At least two answers in one scale, so there is something to score.
        let items = KOOS12_SCALES[scale].1;
        for (id, code) in [(items[0], forced.0), (items[1], forced.1)] {
            if let Some(entry) = chosen.iter_mut().find(|(k, _)| k == id) {
                entry.1 = Some(code);
            }
        }
        let fields: Vec<(String, String)> =
            chosen.iter().map(|(k, c)| (k.clone(), c.map(|c| c.to_string()).unwrap_or_default())).collect();
        let scored = score(Instrument::Koos12, &answers_from_form(Instrument::Koos12, &form(&fields), None))
            .map_err(|e| TestCaseError::fail(format!("refused: {e:?}")))?;
        let expected: serde_json::Map<String, Value> =
            chosen.iter().filter_map(|(k, c)| c.map(|c| (k.clone(), json!(c)))).collect();
        prop_assert_eq!(&scored.answers, &Value::Object(expected));
        for name in ["pain", "function", "qol"] {
            let s = &scored.scores[name];
            prop_assert!(s.is_null() || s.as_f64().is_some_and(|v| (0.0..=100.0).contains(&v)), "{name} = {s}");
        }
    }

    #[test]
    fn a_pain_rating_is_stored_as_chosen(rating in 0u64..=10) {
        let fields = vec![("rating".to_owned(), rating.to_string())];
        let scored = score(Instrument::Nprs, &answers_from_form(Instrument::Nprs, &form(&fields), None))
            .map_err(|e| TestCaseError::fail(format!("refused: {e:?}")))?;
        prop_assert_eq!(scored.answers, json!({"rating": rating}));
    }

    #[test]
    fn a_first_psfs_with_three_named_activities_is_stored_as_typed(
        names in prop::collection::vec("[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 ,'-]{0,40}[A-Za-zÀ-ÿ0-9]", 3),
        ratings in prop::collection::vec(0u64..=10, 3),
        spaces in any::<bool>(),
    ) {
        prop_assume!(!same_activity(&names[0], &names[1]) && !same_activity(&names[0], &names[2]) && !same_activity(&names[1], &names[2]));
        let mut fields = Vec::new();
        for (n, (name, rating)) in names.iter().zip(&ratings).enumerate() {
            fields.push((format!("activity{}", n + 1), if spaces { format!("  {name} ") } else { name.clone() }));
            fields.push((format!("rating{}", n + 1), rating.to_string()));
        }
        let scored = score(Instrument::Psfs, &answers_from_form(Instrument::Psfs, &form(&fields), None))
            .map_err(|e| TestCaseError::fail(format!("refused: {e:?}")))?;
        let expected: Vec<Value> =
            names.iter().zip(&ratings).map(|(name, rating)| json!({"name": name.trim(), "rating": rating})).collect();
        prop_assert_eq!(&scored.answers, &json!({"activities": expected}));
    }

    #[test]
    fn a_follow_up_psfs_rates_the_starting_activities(ratings in prop::collection::vec(0u64..=10, 3)) {
        let base = baseline();
        let fields: Vec<(String, String)> =
            ratings.iter().enumerate().map(|(i, r)| (format!("rating{}", i + 1), r.to_string())).collect();
        let scored = score(Instrument::Psfs, &answers_from_form(Instrument::Psfs, &form(&fields), Some(&base)))
            .map_err(|e| TestCaseError::fail(format!("refused: {e:?}")))?;
        let expected: Vec<Value> = base
            .activities()
            .iter()
            .zip(&ratings)
            .map(|(a, r)| json!({"name": a.name, "rating": r}))
            .collect();
        prop_assert_eq!(&scored.answers, &json!({"activities": expected}));
    }
}
