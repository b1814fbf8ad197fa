//! The side view: depth bands, trunk lean against the shin, heel lift, and which side faces the camera.

use kneeroot_squat::synthetic::{Camera, Pose, Script};
use kneeroot_squat::{FindingValue, Side};

use super::support::*;

#[test]
fn depth_is_measured_and_banded() {
    for (thigh, shank, band) in
        [(25.0, 35.0, "full"), (0.0, 30.0, "thighs_parallel"), (-30.0, 25.0, "half"), (-55.0, 25.0, "quarter")]
    {
        let a = run(&Script::side(Pose::bottom(thigh, shank)));
        assert_near(single(&a, "depth_thigh_deg"), thigh, 3.0);
        assert_near(single(&a, "shank_inclination_deg"), shank, 3.0);
        assert_near(single(&a, "knee_flexion_deg"), thigh + 90.0 + shank, 3.0);
        assert_eq!(value(&a, "squat.depth"), FindingValue::Choice(band), "{thigh}");
    }
}

#[test]
fn the_depth_band_flips_at_the_threshold() {
    // thighs_parallel from 10° above level.
    let above = run(&Script::side(Pose::bottom(-14.0, 30.0)));
    let below = run(&Script::side(Pose::bottom(-6.0, 30.0)));
    assert_eq!(value(&above, "squat.depth"), FindingValue::Choice("half"));
    assert_eq!(value(&below, "squat.depth"), FindingValue::Choice("thighs_parallel"));
}

fn leaning(excess: f64) -> Pose {
    Pose { trunk_lean: 25.0 + excess, ..Pose::bottom(-5.0, 25.0) }
}

#[test]
fn leaning_forward_flips_at_the_threshold() {
    let modest = run(&Script::side(leaning(11.0)));
    let much = run(&Script::side(leaning(19.0)));
    assert_near(single(&modest, "trunk_minus_shank_deg"), 11.0, 3.0);
    assert_near(single(&much, "trunk_inclination_deg"), 44.0, 3.0);
    assert_eq!(value(&modest, "squat.leans_forward"), FindingValue::Bool(false));
    assert_eq!(value(&much, "squat.leans_forward"), FindingValue::Bool(true));
    let f = finding(&much, "squat.leans_forward");
    assert!(f.explanation.contains("15°"), "{}", f.explanation);
}

fn heels(pitch: f64) -> Pose {
    Pose { heel_pitch: [pitch, pitch], ..Pose::bottom(0.0, 30.0) }
}

#[test]
fn heel_lift_is_measured_and_flips_at_the_threshold() {
    let script = Script::side(heels(3.0));
    let low = run(&script);
    let high = run(&Script::side(heels(9.0)));
    let truth = |p| script.body.heel_rise(&Pose::standing(), &heels(p), Side::Left);
    assert_near(single(&low, "heel_lift_foot_lengths"), truth(3.0), 0.03);
    assert_near(single(&high, "heel_lift_foot_lengths"), truth(9.0), 0.03);
    assert_eq!(value(&low, "squat.heels_lift"), FindingValue::Bool(false));
    assert_eq!(value(&high, "squat.heels_lift"), FindingValue::Bool(true));
}

#[test]
fn heel_lift_grows_monotonically_with_the_pitch() {
    let lifts: Vec<f64> = [0.0, 5.0, 10.0, 20.0]
        .iter()
        .map(|&p| single(&run(&Script::side(heels(p))), "heel_lift_foot_lengths"))
        .collect();
    assert!(lifts.windows(2).all(|w| w[1] > w[0] + 0.05), "{lifts:?}");
    assert_near(lifts[0], 0.0, 0.01);
}

#[test]
fn filming_the_other_side_gives_the_same_answers() {
    let pose = Pose { heel_pitch: [8.0, 8.0], ..leaning(19.0) };
    let left = run(&Script::side(pose));
    let right = run(&Script { camera: Camera::side(Side::Right), ..Script::side(pose) });
    for name in ["depth_thigh_deg", "trunk_minus_shank_deg", "heel_lift_foot_lengths"] {
        assert_near(single(&right, name), single(&left, name), 0.5);
    }
    assert_eq!(
        left.findings.iter().map(|f| f.value).collect::<Vec<_>>(),
        right.findings.iter().map(|f| f.value).collect::<Vec<_>>()
    );
}

#[test]
fn the_side_view_gives_its_own_answers_only() {
    let a = run(&Script::side(Pose::bottom(0.0, 30.0)));
    let ids: Vec<&str> = a.findings.iter().map(|f| f.answer_id).collect();
    assert_eq!(ids, ["squat.done", "squat.depth", "squat.leans_forward", "squat.heels_lift"]);
    assert!(is_not_assessed(&a, "squat.back_rounds"));
    assert!(a.quality.issues.is_empty(), "{:?}", a.quality.issues);
}
