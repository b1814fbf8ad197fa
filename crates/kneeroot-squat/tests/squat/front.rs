//! The front view: knee frontal-plane projection angle, mirror symmetry, perspective, single-leg squats,
//! feet.

use kneeroot_squat::synthetic::{Camera, Pose, Script};
use kneeroot_squat::{FindingValue, Side, Thresholds};

use super::support::*;

fn ortho(pose: Pose) -> Script {
    Script { camera: Camera::front(3.0).orthographic(), ..Script::front(pose) }
}

#[test]
fn known_knee_angles_are_recovered_with_an_orthographic_camera() {
    for swivel in [-10.0, 0.0, 5.0, 10.0, 20.0] {
        let pose = shallow([swivel, swivel / 2.0]);
        let script = ortho(pose);
        let (left, right) = per_side(&run(&script), "knee_valgus_deg");
        assert_near(left, script.body.true_frontal_angle(&pose, Side::Left), 2.0);
        assert_near(right, script.body.true_frontal_angle(&pose, Side::Right), 2.0);
    }
}

#[test]
fn the_swivel_produces_a_real_angle_so_the_recovery_test_can_fail() {
    let pose = shallow([10.0, 0.0]);
    let body = ortho(pose).body;
    assert!(body.true_frontal_angle(&pose, Side::Left) > 8.0);
    assert_near(body.true_frontal_angle(&pose, Side::Right), 0.0, 1e-9);
}

#[test]
fn perspective_biases_the_angle_towards_negative_more_when_close() {
    let pose = shallow([0.0, 0.0]);
    let (far_l, far_r) = per_side(&run(&Script::front(pose)), "knee_valgus_deg");
    let near = Script { camera: Camera::front(1.5), ..Script::front(pose) };
    let (near_l, near_r) = per_side(&run(&near), "knee_valgus_deg");
    for v in [far_l, far_r] {
        assert!((-8.0..=0.0).contains(&v), "{v}");
    }
    assert!(near_l < far_l && near_r < far_r, "{near_l} {far_l}");
}

#[test]
fn a_mirror_image_person_swaps_left_and_right() {
    let pose = shallow([15.0, 3.0]);
    let (l, r) = per_side(&run(&Script::front(pose)), "knee_valgus_deg");
    let (ml, mr) = per_side(&run(&Script::front(pose.mirrored())), "knee_valgus_deg");
    assert!(l > r + 5.0, "{l} {r}");
    assert_near(ml, r, 0.5);
    assert_near(mr, l, 0.5);
}

#[test]
fn a_mirrored_selfie_video_gives_the_same_values_per_leg() {
    let pose = shallow([15.0, 3.0]);
    let plain = run(&Script::front(pose));
    let selfie = run(&Script { camera: Camera::front(3.0).mirrored(), ..Script::front(pose) });
    let (l, r) = per_side(&plain, "knee_valgus_deg");
    let (sl, sr) = per_side(&selfie, "knee_valgus_deg");
    assert_near(sl, l, 0.5);
    assert_near(sr, r, 0.5);
    assert_eq!(value(&selfie, "squat.knee_caves_in"), FindingValue::Side(Side::Left));
}

#[test]
fn the_angle_grows_monotonically_with_the_swivel() {
    let mut previous = f64::NEG_INFINITY;
    for swivel in [0.0, 5.0, 10.0, 15.0, 20.0, 25.0] {
        let (l, r) = per_side(&run(&Script::front(shallow([swivel, swivel]))), "knee_valgus_deg");
        assert!(l > previous + 1.0, "{swivel}: {l} after {previous}");
        assert_near(l, r, 0.5);
        previous = l;
    }
}

#[test]
fn knees_caving_in_are_flagged_per_side_at_the_threshold() {
    let threshold = Thresholds::default().knee_valgus_deg;
    for (swivel, expected) in
        [([0.0, 0.0], Side::None), ([20.0, 0.0], Side::Left), ([0.0, 20.0], Side::Right), ([20.0, 20.0], Side::Both)]
    {
        let a = run(&ortho(shallow(swivel)));
        let (l, r) = per_side(&a, "knee_valgus_deg");
        assert_eq!(value(&a, "squat.knee_caves_in"), FindingValue::Side(expected), "{l} {r}");
        assert_eq!(expected == Side::Left || expected == Side::Both, l >= threshold);
        let f = finding(&a, "squat.knee_caves_in");
        assert!(f.explanation.contains("left knee") && f.explanation.contains("10°"), "{}", f.explanation);
        assert_eq!(value(&a, "squat.done"), FindingValue::Bool(true));
    }
}

#[test]
fn asymmetry_is_left_minus_right() {
    let a = run(&Script::front(shallow([18.0, 4.0])));
    let (l, r) = per_side(&a, "knee_valgus_deg");
    assert_near(single(&a, "knee_valgus_asymmetry_deg"), l - r, 1e-9);
    assert!(l - r > 8.0);
}

/// Where a rep's knee angle is read in a deep squat: the deepest pose whose thigh still shows at 70% of its
/// standing length in an orthographic front picture.
fn reading_pose(script: &Script) -> Pose {
    let body = script.body;
    let thigh = |p: &Pose| {
        let s = body.pose(p);
        (s.hip[0][0] - s.knee[0][0]).hypot(s.hip[0][1] - s.knee[0][1])
    };
    let standing = thigh(&Pose::standing());
    let mut s = 1.0;
    while s > 0.0 && thigh(&Pose::standing().towards(&script.bottom, s)) < 0.7 * standing {
        s -= 0.001;
    }
    Pose::standing().towards(&script.bottom, s)
}

#[test]
fn in_a_deep_squat_the_knee_is_read_where_the_thigh_still_shows() {
    let pose = Pose { swivel: [10.0, 10.0], ..Pose::bottom(10.0, 35.0) };
    let script = ortho(pose);
    let (l, _) = per_side(&run(&script), "knee_valgus_deg");
    let at_reading = script.body.true_frontal_angle(&reading_pose(&script), Side::Left);
    let at_bottom = script.body.true_frontal_angle(&pose, Side::Left);
    assert_near(l, at_reading, 3.0);
    // At the very bottom the thigh points at the camera and the angle explodes.
    assert!(at_bottom > at_reading + 15.0, "{at_bottom} vs {at_reading}");
}

#[test]
fn a_single_leg_squat_is_recognised_with_its_standing_leg() {
    for (lifted, standing) in [(Side::Right, Side::Left), (Side::Left, Side::Right)] {
        let pose = Pose { lifted: Some(lifted), ..shallow([0.0, 0.0]) };
        let a = run(&Script::front(pose));
        assert_eq!(a.single_leg_stance, Some(standing));
        assert_eq!(a.reps.len(), 3);
        assert!(a.findings.iter().all(|f| !f.answer_id.starts_with("squat.")), "{:?}", a.findings);
        assert_eq!(value(&a, "single_leg_squat.knee_caves_in"), FindingValue::Side(Side::None));
        assert_eq!(value(&a, "single_leg_squat.pelvis_drops"), FindingValue::Side(Side::None));
    }
    assert_eq!(run(&Script::front(shallow([0.0, 0.0]))).single_leg_stance, None);
}

#[test]
fn the_standing_knee_and_a_pelvis_drop_are_flagged_on_one_leg() {
    let pose = Pose { lifted: Some(Side::Right), swivel: [25.0, 0.0], pelvis_drop: 9.0, ..shallow([0.0, 0.0]) };
    let a = run(&Script::front(pose));
    assert_eq!(value(&a, "single_leg_squat.knee_caves_in"), FindingValue::Side(Side::Left));
    assert_eq!(value(&a, "single_leg_squat.pelvis_drops"), FindingValue::Side(Side::Left));
    assert_near(single(&a, "pelvis_drop_deg"), 9.0, 1.5);
    let mirrored = run(&Script::front(pose.mirrored()));
    assert_eq!(mirrored.single_leg_stance, Some(Side::Right));
    assert_eq!(value(&mirrored, "single_leg_squat.pelvis_drops"), FindingValue::Side(Side::Right));
    let small = run(&Script::front(Pose { pelvis_drop: 2.0, ..pose }));
    assert_eq!(value(&small, "single_leg_squat.pelvis_drops"), FindingValue::Side(Side::None));
}

#[test]
fn feet_turning_out_are_flagged_with_low_confidence() {
    let straight = run(&Script::front(shallow([0.0, 0.0])));
    let out = run(&Script::front(Pose { turn_out: [40.0, 40.0], ..shallow([0.0, 0.0]) }));
    let (l, r) = per_side(&out, "feet_turn_out_deg");
    assert_near(l, 40.0, 8.0);
    assert_near(r, 40.0, 8.0);
    assert_eq!(value(&out, "squat.feet_turn_out"), FindingValue::Bool(true));
    assert_eq!(value(&straight, "squat.feet_turn_out"), FindingValue::Bool(false));
    assert!(metric(&out, "feet_turn_out_deg").confidence <= 0.5);
}
