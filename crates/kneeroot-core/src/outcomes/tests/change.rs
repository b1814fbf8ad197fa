//! Meaningful change: thresholds, directions, the words, and the refusal to compare versions.

use super::*;

fn koos_change(before: f64, after: f64) -> ChangeVerdict {
    let m = Measure::KoosSubscale;
    interpret(m, Reading::current(m, before), Reading::current(m, after)).expect("comparable")
}

#[test]
fn a_koos_gain_of_12_is_a_real_improvement() {
    let v = koos_change(50.0, 62.0);
    assert_eq!(v.delta, 12.0);
    assert!(v.meaningful);
    assert_eq!(v.direction, Direction::Improved);
    assert_eq!(v.text, "+12: a real improvement");
}

#[test]
fn a_koos_gain_of_4_is_within_the_noise() {
    let v = koos_change(50.0, 54.0);
    assert!(!v.meaningful);
    assert_eq!(v.direction, Direction::NoClearChange);
    assert_eq!(v.text, "+4: within the noise");
}

#[test]
fn a_koos_loss_of_exactly_10_is_a_real_worsening() {
    let v = koos_change(60.0, 50.0);
    assert_eq!(v.direction, Direction::Worsened);
    assert_eq!(v.text, "-10: a real worsening");
    assert_eq!(koos_change(60.0, 50.1).direction, Direction::NoClearChange);
}

#[test]
fn a_true_10_point_change_lost_to_floating_point_still_counts() {
    // 16.4 − 6.4 is 9.999999999999998 in f64.
    let v = koos_change(6.4, 16.4);
    assert!(v.delta < 10.0);
    assert_eq!(v.direction, Direction::Improved);
    assert_eq!(v.text, "+10: a real improvement");
}

#[test]
fn an_unrounded_change_is_shown_to_one_decimal() {
    // Pain from 65 (5 items, sum 7) to 77.77… (9 items, sum 8): +12.77…
    let v = koos_change(65.0, 100.0 - 200.0 / 9.0);
    assert_eq!(v.text, "+12.8: a real improvement");
}

#[test]
fn no_change_at_all_is_within_the_noise() {
    assert_eq!(koos_change(70.0, 70.0).text, "0: within the noise");
}

#[test]
fn the_default_thresholds_are_the_references() {
    let t = MeaningfulChange::default();
    assert_eq!(t.threshold(Measure::KoosSubscale), Some(10.0));
    assert_eq!(t.threshold(Measure::Koos12), Some(10.0));
    assert_eq!(t.threshold(Measure::KoosPs), None);
    assert_eq!(t.threshold(Measure::Kujala), Some(10.0));
    assert_eq!(t.threshold(Measure::Nprs), Some(2.0));
    assert_eq!(t.nprs.percent, Some(30.0));
    assert_eq!(t.threshold(Measure::PsfsMean), Some(2.0));
    assert_eq!(t.threshold(Measure::PsfsActivity), Some(3.0));
}

#[test]
fn koos_ps_has_no_agreed_threshold_so_no_change_is_called_real() {
    let m = Measure::KoosPs;
    let v = interpret(m, Reading::current(m, 40.0), Reading::current(m, 80.0)).expect("comparable");
    assert!(!v.meaningful);
    assert_eq!(v.text, "+40: no agreed threshold for a real change yet");
}

#[test]
fn thresholds_can_be_configured_in_toml() {
    let t: MeaningfulChange = toml::from_str("koos = 8\n[nprs]\npoints = 1.2\n").expect("valid");
    assert_eq!(t.koos, 8.0);
    assert_eq!(t.nprs, NprsThresholds::patellofemoral());
    assert_eq!(t.kujala, 10.0, "unset thresholds keep their defaults");
    let m = Measure::KoosSubscale;
    let v = t.interpret(m, Reading::current(m, 50.0), Reading::current(m, 58.0)).expect("comparable");
    assert_eq!(v.direction, Direction::Improved);
    assert!(toml::from_str::<MeaningfulChange>("kooss = 8").is_err(), "a typo is not silently ignored");
}

#[test]
fn kujala_scores_of_different_versions_are_never_compared() {
    let canonical = score_kujala(&kujala([0; 13])).reading().expect("a total");
    let web_form = Reading::new(80.0, "akps-web-form");
    let text = message(interpret(Measure::Kujala, web_form, canonical));
    assert_eq!(
        text,
        "kujala scores of different versions cannot be compared: baseline is 'akps-web-form', follow-up is \
         'akps-jorthop-2023'; re-score both with the same version"
    );
}

#[test]
fn kujala_scores_of_the_same_version_are_compared() {
    // Baseline 62 (the hand-summed example), follow-up 100: +38.
    let before = score_kujala(&kujala([1, 0, 2, 1, 3, 2, 1, 3, 2, 0, 1, 1, 2])).reading().expect("a total");
    let after = score_kujala(&kujala([0; 13])).reading().expect("a total");
    let v = interpret(Measure::Kujala, before, after).expect("comparable");
    assert_eq!(v.text, "+38: a real improvement");
}

#[test]
fn a_value_outside_the_measures_range_is_an_error_naming_which_reading() {
    let m = Measure::PsfsMean;
    let text = message(interpret(m, Reading::current(m, 4.0), Reading::current(m, 12.0)));
    assert!(text.contains("'follow_up' = 12") && text.contains("from 0 to 10"), "{text}");
    let text = message(interpret(m, Reading::current(m, f64::NAN), Reading::current(m, 2.0)));
    assert!(text.contains("'baseline' = NaN"), "{text}");
}

#[test]
fn the_verdict_serialises_in_snake_case() {
    let json = serde_json::to_value(koos_change(50.0, 62.0)).expect("serialise");
    assert_eq!(
        json,
        json!({"delta": 12.0, "percent": null, "meaningful": true, "direction": "improved", "text": "+12: a real improvement"})
    );
    assert_eq!(serde_json::to_value(Direction::NoClearChange).expect("serialise"), json!("no_clear_change"));
}
