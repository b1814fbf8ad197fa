//! `kneeroot score` as scripts and people use it: real process, real files, real exit codes.

mod support;

use support::{kneeroot, stderr, stdout, write};

use serde_json::{Value as Json, json};

/// Run `kneeroot score <instrument> --answers FILE --format json` on `answers` and parse the output.
fn score_json(instrument: &str, answers: &Json) -> Json {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "answers.json", &answers.to_string());
    let o = kneeroot(&["score", instrument, "--answers", &file, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

fn close(actual: &Json, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-9)
}

#[test]
fn koos_json_has_exactly_the_contract_keys_with_unrounded_numbers_and_nulls() {
    // Pain P1..P9 = 1, 2, 0, 1, 3, 2, 1, 0, 2: 100 − 25 × 12/9 = 66.666…, unrounded.
    // QOL Q1, Q4 = 1, 2: 62.5; so is KOOS-12 QOL. Everything else has too few items.
    let json = score_json(
        "koos",
        &json!({"P1": 1, "P2": 2, "P3": 0, "P4": 1, "P5": 3, "P6": 2, "P7": 1, "P8": 0, "P9": 2,
                "Q1": 1, "Q2": null, "Q4": 2}),
    );
    let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 7);
    for key in ["pain", "symptoms", "adl", "sport_rec", "qol", "koos12", "koos_ps"] {
        assert!(keys.contains(&key), "missing {key}: {json}");
    }
    let k12: Vec<&str> = json["koos12"].as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(k12.len(), 4);
    assert!(["pain", "function", "qol", "summary"].iter().all(|k| k12.contains(k)), "{json}");

    assert!(close(&json["pain"], 200.0 / 3.0), "{json}");
    assert_ne!(json["pain"], json!(66.7), "not rounded");
    assert!(json["symptoms"].is_null() && json["adl"].is_null() && json["sport_rec"].is_null());
    assert_eq!(json["qol"], json!(62.5));
    // KOOS-12 pain: P1, P5, P6, P8 = 1, 3, 2, 0: mean 1.5 → 62.5.
    assert_eq!(json["koos12"], json!({"pain": 62.5, "function": null, "qol": 62.5, "summary": null}));
    assert!(json["koos_ps"].is_null());
}

#[test]
fn koos_ps_comes_out_in_koos_direction() {
    // A10, A9, A3, A5 = 2 and SP4, SP5, SP1 = 1: raw 11 → 64.7 (100 = no difficulty).
    let json = score_json("koos", &json!({"A10": 2, "A9": 2, "A3": 2, "A5": 2, "SP4": 1, "SP5": 1, "SP1": 1}));
    assert_eq!(json["koos_ps"], json!(64.7));
}

#[test]
fn kujala_json_is_the_total_and_the_version() {
    // 3 + 5 + 2 + 8 + 2 + 6 + 7 + 4 + 6 + 10 + 6 + 3 + 0 = 62.
    let json = score_json(
        "kujala",
        &json!({"1": 1, "2": 0, "3": 2, "4": 1, "5": 3, "6": 2, "7": 1, "8": 3, "9": 2, "10": 0, "11": 1, "12": 1, "13": 2}),
    );
    assert_eq!(json, json!({"total": 62, "version": "akps-jorthop-2023"}));
}

#[test]
fn kujala_with_a_missing_item_has_a_null_total() {
    let json = score_json("kujala", &json!({"1": 0, "2": 0}));
    assert_eq!(json, json!({"total": null, "version": "akps-jorthop-2023"}));
}

#[test]
fn koos_text_rounds_to_one_decimal_and_says_why_a_score_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "a.json",
        r#"{"P1": 1, "P2": 2, "P3": 0, "P4": 1, "P5": 3, "P6": 2, "P7": 1, "P8": 0, "P9": 2, "S1": 1}"#,
    );
    let o = kneeroot(&["score", "koos", "--answers", &file, "--format", "text"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Pain                  66.7"), "{out}");
    assert!(out.contains("not scored: 1 of 7 items answered, at least 4 needed"), "{out}");
    assert!(out.contains("100 = no difficulty"), "{out}");
}

#[test]
fn kujala_text_names_the_missing_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "k.json",
        r#"{"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 0, "10": 0, "11": 0}"#,
    );
    let o = kneeroot(&["score", "kujala", "--answers", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("missing item 12, 13"), "{}", stdout(&o));
}

#[test]
fn a_koos_code_out_of_range_exits_2_naming_the_file_the_item_and_the_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.json", r#"{"P1": 2, "S4": 7}"#);
    let o = kneeroot(&["score", "koos", "--answers", &file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.json") && err.contains("'S4' = 7") && err.contains("from 0"), "{err}");
    assert!(o.stdout.is_empty(), "nothing is scored on bad input");
}

#[test]
fn an_unknown_koos_item_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.json", r#"{"p1": 2}"#);
    let o = kneeroot(&["score", "koos", "--answers", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("'p1' is not a koos item") && stderr(&o).contains("did you mean 'P1'?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_kujala_index_past_the_last_option_exits_2_naming_the_item_and_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.json", r#"{"1": 3}"#);
    let o = kneeroot(&["score", "kujala", "--answers", &file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("kujala item '1' = 3") && err.contains("from 0 to 2"), "{err}");
}

#[test]
fn a_file_that_is_not_json_or_not_there_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "broken.json", "{\"P1\": ");
    let o = kneeroot(&["score", "koos", "--answers", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.json is not valid JSON"), "{}", stderr(&o));

    let o = kneeroot(&["score", "kujala", "--answers", "/nonexistent/kujala.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/kujala.json"), "{}", stderr(&o));
}

#[test]
fn the_same_answers_give_byte_identical_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "a.json",
        r#"{"A1": 1, "A2": 3, "A3": 0, "A4": 2, "A5": 4, "A6": 1, "A7": 1, "A8": 2, "A9": 3}"#,
    );
    let a = kneeroot(&["score", "koos", "--answers", &file, "--format", "json"]);
    let b = kneeroot(&["score", "koos", "--answers", &file, "--format", "json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}
