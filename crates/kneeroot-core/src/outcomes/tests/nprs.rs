//! NPRS: the 0–10 range, and real change as 2 points or 30 % (1.2 points for patellofemoral pain).

use super::*;

#[test]
fn a_rating_is_from_0_to_10() {
    assert_eq!(Nprs::new(0).map(Nprs::value), Ok(0));
    assert_eq!(Nprs::new(10).map(Nprs::value), Ok(10));
    let text = message(Nprs::new(11));
    assert_eq!(
        text,
        "nprs item 'rating' = 11 is not allowed; expected a whole number from 0 (no pain) to 10 (worst pain imaginable)"
    );
    assert!(serde_json::from_value::<Nprs>(json!(11)).is_err());
    assert_eq!(serde_json::from_value::<Nprs>(json!(4)).ok(), Nprs::new(4).ok());
}

#[test]
fn a_drop_of_two_points_is_a_real_improvement() {
    // 6 → 4: 2 points (33 %).
    assert_eq!(NprsThresholds::default().judge(6.0, 4.0), Direction::Improved);
    // 10 → 8: 2 points though only 20 %.
    assert_eq!(NprsThresholds::default().judge(10.0, 8.0), Direction::Improved);
}

#[test]
fn a_drop_of_30_percent_is_a_real_improvement_even_when_under_two_points() {
    // 3 → 2: 1 point, 33 %.
    assert_eq!(NprsThresholds::default().judge(3.0, 2.0), Direction::Improved);
    // 10 → 7: exactly 30 % (computed without division, so it is not 29.999…).
    assert_eq!(NprsThresholds::default().judge(10.0, 7.0), Direction::Improved);
    // 10 → 9: 1 point, 10 %: not enough either way.
    assert_eq!(NprsThresholds::default().judge(10.0, 9.0), Direction::NoClearChange);
}

#[test]
fn a_worsening_needs_two_more_points_whatever_the_percentage() {
    assert_eq!(NprsThresholds::default().judge(4.0, 6.0), Direction::Worsened);
    // 1 → 2 is +100 %, but one point: the percentage rule is for reductions only.
    assert_eq!(NprsThresholds::default().judge(1.0, 2.0), Direction::NoClearChange);
    assert_eq!(NprsThresholds::default().judge(0.0, 0.0), Direction::NoClearChange);
}

#[test]
fn the_patellofemoral_threshold_is_1_2_points() {
    let pfp = NprsThresholds::patellofemoral();
    assert_eq!(pfp.points, 1.2);
    // 5.0 → 3.8 (averaged ratings): 1.2 points, 24 %: real for PFP, not by the default rule.
    assert_eq!(pfp.judge(5.0, 3.8), Direction::Improved);
    assert_eq!(NprsThresholds::default().judge(5.0, 3.8), Direction::NoClearChange);
    assert_eq!(pfp.judge(5.0, 6.2), Direction::Worsened);
}

#[test]
fn points_only_thresholds_ignore_the_percentage() {
    let points_only = NprsThresholds { percent: None, ..NprsThresholds::default() };
    assert_eq!(points_only.judge(3.0, 2.0), Direction::NoClearChange);
}

#[test]
fn interpreting_a_pain_change_reports_points_and_percent() {
    // 7 → 4: −3 points, −3/7 = −42.857… %.
    let v = interpret(Measure::Nprs, Nprs::new(7).unwrap().reading(), Nprs::new(4).unwrap().reading()).unwrap();
    assert_eq!(v.delta, -3.0);
    assert!((v.percent.unwrap() + 300.0 / 7.0).abs() < 1e-9);
    assert_eq!(v.direction, Direction::Improved);
    assert!(v.meaningful);
    assert_eq!(v.text, "-3 (-42.9%): a real improvement");
    // From a baseline of 0 there is no percentage.
    let v = interpret(Measure::Nprs, Nprs::new(0).unwrap().reading(), Nprs::new(1).unwrap().reading()).unwrap();
    assert_eq!(v.percent, None);
    assert_eq!(v.text, "+1: within the noise");
}
