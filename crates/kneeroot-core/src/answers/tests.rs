use std::sync::OnceLock;

use serde_json::json;

use super::*;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("the shipped knowledge base is valid"))
}

fn json(text: &str) -> Result<Answers, AnswerErrors> {
    Answers::parse_document(kb(), text, DocumentFormat::Json)
}

fn toml(text: &str) -> Result<Answers, AnswerErrors> {
    Answers::parse_document(kb(), text, DocumentFormat::Toml)
}

fn ok(result: Result<Answers, AnswerErrors>) -> Answers {
    result.unwrap_or_else(|e| panic!("should be accepted, got:\n{e}"))
}

fn errors(result: Result<Answers, AnswerErrors>) -> Vec<AnswerError> {
    match result {
        Ok(a) => panic!("should be rejected, got {a:?}"),
        Err(e) => e.0,
    }
}

/// The single error of a rejected document.
fn one_error(result: Result<Answers, AnswerErrors>) -> AnswerError {
    let mut errs = errors(result);
    assert_eq!(errs.len(), 1, "expected exactly one error, got {errs:?}");
    errs.remove(0)
}

fn get<'a>(a: &'a Answers, id: &str) -> Option<&'a Value> {
    a.get(kb(), id)
}

// ---------------------------------------------------------------------------------------------------
// Valid documents
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_valid_json_document_gives_typed_values_for_every_kind_of_question() {
    let a = ok(json(
        r#"{
            "age": 34,
            "flag.knee_locked": false,
            "pain.now": 5,
            "injury.days_ago": 2.5,
            "pain.onset": "injury",
            "pain.location": ["front", "inside"],
            "squat.knee_caves_in": "left"
        }"#,
    ));
    assert_eq!(get(&a, "age"), Some(&Value::Int(34)));
    assert_eq!(get(&a, "flag.knee_locked"), Some(&Value::Bool(false)));
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(5)));
    assert_eq!(get(&a, "injury.days_ago"), Some(&Value::Number(2.5)));
    assert_eq!(get(&a, "pain.onset"), Some(&Value::Enum("injury".into())));
    assert_eq!(get(&a, "pain.location"), Some(&Value::List(vec!["front".into(), "inside".into()])));
    assert_eq!(get(&a, "squat.knee_caves_in"), Some(&Value::Side(Side::Left)));
    assert_eq!(a.answered_count(), 7);
    assert_eq!(get(&a, "pain.worst_week"), None);
}

#[test]
fn an_empty_object_is_a_valid_document_with_no_answers() {
    let a = ok(json("{}"));
    assert_eq!(a.answered_count(), 0);
    assert_eq!(a, Answers::empty(kb()));
    assert_eq!(ok(toml("")), Answers::empty(kb()));
}

#[test]
fn a_valid_toml_document_is_accepted() {
    let a = ok(toml(
        r#"
        age = 61
        "flag.knee_locked" = true
        "pain.location" = ["back"]
        "injury.days_ago" = 3.0
        "#,
    ));
    assert_eq!(get(&a, "age"), Some(&Value::Int(61)));
    assert_eq!(get(&a, "flag.knee_locked"), Some(&Value::Bool(true)));
    assert_eq!(get(&a, "pain.location"), Some(&Value::List(vec!["back".into()])));
    assert_eq!(get(&a, "injury.days_ago"), Some(&Value::Number(3.0)));
}

#[test]
fn toml_dotted_keys_make_nested_tables_that_are_flattened_back_to_ids() {
    let a = ok(toml("pain.now = 5\npain.onset = 'gradual'\nflag.knee_locked = false\n"));
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(5)));
    assert_eq!(get(&a, "pain.onset"), Some(&Value::Enum("gradual".into())));
    assert_eq!(get(&a, "flag.knee_locked"), Some(&Value::Bool(false)));
}

#[test]
fn toml_table_headers_are_flattened_to_ids() {
    let a = ok(toml("[injury]\ndays_ago = 4\nmechanism = 'twist'\n\n[pain]\nnow = 2\n"));
    assert_eq!(get(&a, "injury.days_ago"), Some(&Value::Number(4.0)));
    assert_eq!(get(&a, "injury.mechanism"), Some(&Value::Enum("twist".into())));
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(2)));
}

#[test]
fn toml_quoted_dotted_keys_and_nested_tables_give_the_same_answers() {
    let quoted = ok(toml("\"pain.now\" = 5\n\"squat.knee_caves_in\" = \"both\"\n"));
    let nested = ok(toml("pain.now = 5\nsquat.knee_caves_in = \"both\"\n"));
    assert_eq!(quoted, nested);
    assert_eq!(get(&quoted, "pain.now"), Some(&Value::Int(5)));
    assert_eq!(get(&quoted, "squat.knee_caves_in"), Some(&Value::Side(Side::Both)));
}

#[test]
fn nested_json_objects_are_flattened_like_toml_tables() {
    let nested = ok(json(r#"{"pain": {"now": 3, "onset": "gradual"}}"#));
    let flat = ok(json(r#"{"pain.now": 3, "pain.onset": "gradual"}"#));
    assert_eq!(nested, flat);
    assert_eq!(get(&nested, "pain.now"), Some(&Value::Int(3)));
}

#[test]
fn json_and_toml_of_the_same_answers_are_equal() {
    let from_json =
        ok(json(r#"{"age": 40, "pain.now": 4, "pain.location": ["outside"], "hip.extension_tight": "right"}"#));
    let from_toml = ok(toml("age = 40\npain.now = 4\npain.location = ['outside']\nhip.extension_tight = 'right'\n"));
    assert_eq!(from_json, from_toml);
}

#[test]
fn null_means_not_answered() {
    let a = ok(json(r#"{"age": null, "pain.now": 3, "pain.location": null}"#));
    assert_eq!(get(&a, "age"), None);
    assert_eq!(get(&a, "pain.location"), None);
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(3)));
    assert_eq!(a.answered_count(), 1);
}

#[test]
fn null_under_an_unknown_id_is_still_an_unknown_id() {
    let e = one_error(json(r#"{"pain.nwo": null}"#));
    assert_eq!(e.id, "pain.nwo");
    assert!(e.allowed.contains("a known answer id"), "{e}");
}

// ---------------------------------------------------------------------------------------------------
// Unknown ids
// ---------------------------------------------------------------------------------------------------

#[test]
fn an_unknown_id_is_an_error_suggesting_the_closest_known_id() {
    let e = one_error(json(r#"{"pain.nwo": 5}"#));
    assert_eq!(e.id, "pain.nwo");
    assert_eq!(e.value, "5");
    assert!(e.allowed.contains("did you mean 'pain.now'?"), "{e}");
    assert_eq!(e.to_string(), "'pain.nwo' is not an answer id; expected a known answer id (did you mean 'pain.now'?)");
}

#[test]
fn a_toml_typo_in_a_dotted_key_is_caught_with_a_suggestion() {
    let e = one_error(toml("pain.nwo = 5"));
    assert_eq!(e.id, "pain.nwo");
    assert!(e.allowed.contains("did you mean 'pain.now'?"), "{e}");
}

#[test]
fn an_unknown_id_far_from_every_known_id_gets_no_suggestion() {
    let e = one_error(json(r#"{"completely.unrelated.thing": true}"#));
    assert_eq!(e.id, "completely.unrelated.thing");
    assert!(!e.allowed.contains("did you mean"), "{e}");
    assert!(e.allowed.contains("see docs/answers.md"), "{e}");
}

// ---------------------------------------------------------------------------------------------------
// Wrong values
// ---------------------------------------------------------------------------------------------------

#[test]
fn an_int_out_of_range_names_the_id_the_value_and_the_range() {
    let e = one_error(json(r#"{"pain.now": 11}"#));
    assert_eq!(e.id, "pain.now");
    assert_eq!(e.value, "11");
    assert_eq!(e.allowed, "a whole number from 0 to 10");
    assert_eq!(e.to_string(), "answer 'pain.now' = 11 is not allowed; expected a whole number from 0 to 10");
    assert_eq!(one_error(toml("pain.now = 11")).allowed, "a whole number from 0 to 10");
}

#[test]
fn the_ends_of_an_int_range_are_allowed_and_one_beyond_is_not() {
    assert_eq!(get(&ok(json(r#"{"pain.now": 0}"#)), "pain.now"), Some(&Value::Int(0)));
    assert_eq!(get(&ok(json(r#"{"pain.now": 10}"#)), "pain.now"), Some(&Value::Int(10)));
    assert_eq!(one_error(json(r#"{"pain.now": -1}"#)).value, "-1");
    assert_eq!(get(&ok(json(r#"{"age": 5}"#)), "age"), Some(&Value::Int(5)));
    assert_eq!(one_error(json(r#"{"age": 4}"#)).allowed, "a whole number from 5 to 110");
}

#[test]
fn a_fractional_number_for_an_int_question_is_rejected() {
    let e = one_error(json(r#"{"pain.now": 5.5}"#));
    assert_eq!(e.id, "pain.now");
    assert_eq!(e.value, "5.5");
    assert!(e.allowed.contains("whole number"), "{e}");
    assert!(toml("pain.now = 5.5").is_err());
}

#[test]
fn a_whole_float_for_an_int_question_is_accepted_as_an_int() {
    assert_eq!(get(&ok(json(r#"{"pain.now": 5.0}"#)), "pain.now"), Some(&Value::Int(5)));
    assert_eq!(get(&ok(toml("pain.now = 5.0")), "pain.now"), Some(&Value::Int(5)));
}

#[test]
fn a_huge_float_for_an_int_question_is_rejected_not_wrapped() {
    assert!(json(r#"{"age": 1e300}"#).is_err());
    assert!(json(r#"{"age": 18446744073709551616}"#).is_err());
}

#[test]
fn a_number_question_accepts_fractions_within_range_only() {
    assert_eq!(get(&ok(json(r#"{"injury.days_ago": 7.5}"#)), "injury.days_ago"), Some(&Value::Number(7.5)));
    assert_eq!(get(&ok(json(r#"{"injury.days_ago": 3}"#)), "injury.days_ago"), Some(&Value::Number(3.0)));
    let e = one_error(json(r#"{"sitting_hours_per_day": 24.5}"#));
    assert_eq!(e.id, "sitting_hours_per_day");
    assert_eq!(e.allowed, "a number from 0 to 24");
    assert!(json(r#"{"injury.days_ago": -0.5}"#).is_err());
}

#[test]
fn a_non_finite_toml_number_is_rejected_not_silently_dropped() {
    // TOML can spell nan and inf; neither is a valid answer, and neither may vanish as "unanswered".
    for text in ["injury.days_ago = nan", "injury.days_ago = inf", "pain.now = -inf"] {
        assert!(toml(text).is_err(), "{text} was accepted");
    }
}

#[test]
fn a_string_for_a_bool_question_is_rejected() {
    let e = one_error(json(r#"{"flag.knee_locked": "yes"}"#));
    assert_eq!(e.id, "flag.knee_locked");
    assert_eq!(e.value, "\"yes\"");
    assert_eq!(e.allowed, "true or false");
    assert_eq!(one_error(json(r#"{"flag.knee_locked": 1}"#)).allowed, "true or false");
}

#[test]
fn a_string_for_a_number_question_is_rejected() {
    let e = one_error(json(r#"{"pain.now": "5"}"#));
    assert_eq!(e.id, "pain.now");
    assert!(e.allowed.contains("whole number"), "{e}");
    assert!(json(r#"{"injury.days_ago": "3"}"#).is_err());
}

#[test]
fn an_enum_value_that_is_not_an_option_is_rejected_with_the_options() {
    let e = one_error(json(r#"{"pain.onset": "sudden"}"#));
    assert_eq!(e.id, "pain.onset");
    assert_eq!(e.value, "\"sudden\"");
    assert_eq!(e.allowed, "one of: gradual, injury");
    // Option values are case-sensitive wire values.
    assert!(json(r#"{"pain.onset": "Injury"}"#).is_err());
}

#[test]
fn a_list_with_an_unknown_member_is_rejected_with_the_options() {
    let e = one_error(json(r#"{"pain.location": ["front", "elbow"]}"#));
    assert_eq!(e.id, "pain.location");
    assert!(e.value.contains("elbow"), "{e}");
    assert!(e.allowed.starts_with("a list of any of: front, below_kneecap"), "{e}");
}

#[test]
fn a_list_question_needs_a_list_of_strings() {
    assert!(json(r#"{"pain.location": "front"}"#).is_err());
    assert!(json(r#"{"pain.location": [1]}"#).is_err());
}

#[test]
fn an_empty_list_is_a_valid_answer_meaning_none_of_these() {
    let a = ok(json(r#"{"pain.worse_with": []}"#));
    assert_eq!(get(&a, "pain.worse_with"), Some(&Value::List(vec![])));
}

#[test]
fn list_answers_drop_repeats_and_follow_the_question_s_option_order() {
    let a = ok(json(r#"{"pain.location": ["outside", "front", "outside", "front"]}"#));
    assert_eq!(get(&a, "pain.location"), Some(&Value::List(vec!["front".into(), "outside".into()])));
    let b = ok(json(r#"{"pain.location": ["front", "outside"]}"#));
    assert_eq!(a, b);
}

#[test]
fn side_questions_accept_the_four_sides_only() {
    for (text, side) in [("none", Side::None), ("left", Side::Left), ("right", Side::Right), ("both", Side::Both)] {
        let a = ok(json(&format!(r#"{{"hip.rotation_restricted": "{text}"}}"#)));
        assert_eq!(get(&a, "hip.rotation_restricted"), Some(&Value::Side(side)), "{text}");
    }
    let e = one_error(json(r#"{"hip.rotation_restricted": "middle"}"#));
    assert_eq!(e.id, "hip.rotation_restricted");
    assert_eq!(e.allowed, "one of: none, left, right, both");
    assert!(json(r#"{"hip.rotation_restricted": true}"#).is_err());
}

// ---------------------------------------------------------------------------------------------------
// Reporting every problem at once
// ---------------------------------------------------------------------------------------------------

#[test]
fn every_problem_is_reported_together() {
    let errs = errors(json(r#"{"pain.now": 11, "pain.onset": "sudden", "age": 30}"#));
    let ids: Vec<&str> = errs.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(ids.contains(&"pain.now") && ids.contains(&"pain.onset"), "{ids:?}");
}

#[test]
fn unknown_ids_and_bad_values_are_reported_together() {
    let errs = errors(toml("pain.nwo = 5\nflag.knee_locked = 'yes'\nage = 200\n"));
    let mut ids: Vec<&str> = errs.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["age", "flag.knee_locked", "pain.nwo"]);
}

#[test]
fn the_same_id_given_twice_in_two_spellings_is_an_error_not_a_silent_choice() {
    // `"pain.now"` and `pain.now` are different TOML keys that flatten to the same answer id.
    let errs = errors(toml("\"pain.now\" = 5\npain.now = 6\n"));
    assert!(errs.iter().any(|e| e.id == "pain.now"), "{errs:?}");
    let errs = errors(json(r#"{"pain": {"now": 6}, "pain.now": 5}"#));
    assert!(errs.iter().any(|e| e.id == "pain.now"), "{errs:?}");
}

#[test]
fn the_errors_display_one_problem_per_line() {
    let err = json(r#"{"pain.now": 11, "pain.onset": "sudden"}"#).unwrap_err();
    let text = err.to_string();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("'pain.now' = 11"), "{text}");
    assert!(text.contains("'pain.onset' = \"sudden\""), "{text}");
}

#[test]
fn a_very_long_value_is_shortened_in_the_error() {
    let long = "x".repeat(500);
    let e = one_error(json(&format!(r#"{{"pain.onset": "{long}"}}"#)));
    assert!(e.value.chars().count() <= 81, "{}", e.value);
    assert!(e.value.ends_with('…'));
}

// ---------------------------------------------------------------------------------------------------
// Documents that cannot be read
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_json_document_that_is_not_an_object_is_one_error_saying_so() {
    for (text, kind) in [("[1, 2]", "a list"), ("5", "a number"), ("\"age\"", "a string"), ("null", "null")] {
        let e = one_error(json(text));
        assert_eq!(e.id, "");
        assert!(e.allowed.contains("must be an object"), "{text}: {e}");
        assert!(e.allowed.ends_with(kind), "{text}: {e}");
        assert_eq!(e.to_string(), e.allowed);
    }
}

#[test]
fn invalid_json_is_an_error_not_a_panic() {
    for text in ["", "{", r#"{"age": }"#, r#"{"age": 30,}"#, "not json"] {
        let e = one_error(json(text));
        assert_eq!(e.id, "", "{text}");
        assert!(e.allowed.starts_with("not valid JSON"), "{text}: {e}");
    }
}

#[test]
fn invalid_toml_is_an_error_not_a_panic() {
    for text in ["pain.now = ", "age = 30\nage = 31", "[pain", "= 5", "{\"age\": 30}"] {
        let e = one_error(toml(text));
        assert_eq!(e.id, "", "{text}");
        assert!(e.allowed.starts_with("not valid TOML"), "{text}: {e}");
    }
}

#[test]
fn json_text_is_not_accepted_as_toml_or_toml_as_json() {
    assert!(toml(r#"{"age": 30}"#).is_err());
    assert!(json("age = 30").is_err());
}

// ---------------------------------------------------------------------------------------------------
// from_json_map, set, to_json
// ---------------------------------------------------------------------------------------------------

#[test]
fn from_json_map_flattens_and_validates_like_parse_document() {
    let map = json!({"pain": {"now": 4}, "age": 50}).as_object().cloned().unwrap();
    let a = Answers::from_json_map(kb(), &map).unwrap();
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(4)));
    assert_eq!(get(&a, "age"), Some(&Value::Int(50)));
    let bad = json!({"pain": {"now": 40}}).as_object().cloned().unwrap();
    let errs = Answers::from_json_map(kb(), &bad).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].id, "pain.now");
}

#[test]
fn set_stores_a_checked_value_and_null_clears_it() {
    let mut a = Answers::empty(kb());
    a.set(kb(), "pain.now", &json!(6)).unwrap();
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(6)));
    a.set(kb(), "pain.now", &json!(2)).unwrap();
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(2)));
    a.set(kb(), "pain.now", &json!(null)).unwrap();
    assert_eq!(get(&a, "pain.now"), None);
    assert_eq!(a.answered_count(), 0);
}

#[test]
fn set_rejects_a_bad_value_and_keeps_the_previous_one() {
    let mut a = Answers::empty(kb());
    a.set(kb(), "pain.now", &json!(6)).unwrap();
    let e = a.set(kb(), "pain.now", &json!(11)).unwrap_err();
    assert_eq!(e.id, "pain.now");
    assert_eq!(e.value, "11");
    assert_eq!(e.allowed, "a whole number from 0 to 10");
    assert_eq!(get(&a, "pain.now"), Some(&Value::Int(6)));
}

#[test]
fn set_rejects_an_unknown_id_with_a_suggestion() {
    let mut a = Answers::empty(kb());
    let e = a.set(kb(), "pain.nwo", &json!(5)).unwrap_err();
    assert_eq!(e.id, "pain.nwo");
    assert!(e.allowed.contains("did you mean 'pain.now'?"), "{e}");
    assert_eq!(a, Answers::empty(kb()));
}

#[test]
fn set_gives_the_same_values_as_parsing_a_document() {
    let mut a = Answers::empty(kb());
    a.set(kb(), "pain.location", &json!(["outside", "front", "front"])).unwrap();
    a.set(kb(), "pain.now", &json!(5.0)).unwrap();
    assert_eq!(a, ok(json(r#"{"pain.location": ["front", "outside"], "pain.now": 5}"#)));
}

#[test]
fn to_json_round_trips_through_from_json_map() {
    let mut a = Answers::empty(kb());
    for (id, v) in [
        ("age", json!(47)),
        ("flag.knee_locked", json!(false)),
        ("injury.days_ago", json!(2.5)),
        ("pain.onset", json!("injury")),
        ("pain.location", json!(["inside", "front"])),
        ("squat.knee_caves_in", json!("both")),
    ] {
        a.set(kb(), id, &v).unwrap();
    }
    let map = a.to_json(kb());
    assert_eq!(map.len(), 6);
    assert_eq!(map["age"], json!(47));
    assert_eq!(map["injury.days_ago"], json!(2.5));
    assert_eq!(map["pain.location"], json!(["front", "inside"]));
    assert_eq!(map["squat.knee_caves_in"], json!("both"));
    assert_eq!(Answers::from_json_map(kb(), &map).unwrap(), a);
    // And through text.
    let text = serde_json::to_string(&map).unwrap();
    assert_eq!(ok(json(&text)), a);
}

#[test]
fn to_json_leaves_out_unanswered_questions() {
    let a = ok(json(r#"{"pain.now": 3, "age": null}"#));
    let map = a.to_json(kb());
    assert_eq!(map.keys().collect::<Vec<_>>(), ["pain.now"]);
    assert!(Answers::empty(kb()).to_json(kb()).is_empty());
}

#[test]
fn get_index_matches_get_by_id() {
    let a = ok(json(r#"{"pain.now": 3}"#));
    let i = kb().question_index("pain.now").unwrap();
    assert_eq!(a.get_index(i), Some(&Value::Int(3)));
    assert_eq!(a.get_index(usize::MAX), None);
    assert_eq!(a.get(kb(), "no.such.id"), None);
}

// ---------------------------------------------------------------------------------------------------
// Value helpers
// ---------------------------------------------------------------------------------------------------

#[test]
fn side_both_includes_left_and_right_and_none_includes_neither() {
    assert!(Side::Both.includes("left") && Side::Both.includes("right"));
    assert!(Side::Left.includes("left") && !Side::Left.includes("right"));
    assert!(!Side::Right.includes("left") && Side::Right.includes("right"));
    assert!(!Side::None.includes("left") && !Side::None.includes("right"));
    assert!(!Side::Both.includes("none"));
}

#[test]
fn side_names_round_trip_and_flags_combine() {
    for side in Side::ALL {
        assert_eq!(Side::parse(side.as_str()), Some(side));
    }
    assert_eq!(Side::parse("Left"), None);
    assert_eq!(Side::from_flags(true, true), Side::Both);
    assert_eq!(Side::from_flags(true, false), Side::Left);
    assert_eq!(Side::from_flags(false, true), Side::Right);
    assert_eq!(Side::from_flags(false, false), Side::None);
}

#[test]
fn values_display_in_plain_words() {
    assert_eq!(Value::Bool(true).display(), "yes");
    assert_eq!(Value::Bool(false).display(), "no");
    assert_eq!(Value::Int(7).display(), "7");
    assert_eq!(Value::Number(2.5).display(), "2.5");
    assert_eq!(Value::Number(3.0).display(), "3");
    assert_eq!(Value::List(vec![]).display(), "none");
    assert_eq!(Value::List(vec!["stairs_down".into(), "squatting".into()]).display(), "stairs_down, squatting");
    assert_eq!(Value::Side(Side::Both).display(), "both");
}

#[test]
fn format_number_drops_a_trailing_zero_and_keeps_two_decimals() {
    assert_eq!(format_number(3.0), "3");
    assert_eq!(format_number(2.5), "2.5");
    assert_eq!(format_number(1.234), "1.23");
    assert_eq!(format_number(0.999), "1");
}
