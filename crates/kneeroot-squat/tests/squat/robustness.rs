//! Bad input never panics and gives honest "not assessed" answers; a wrong camera set-up is reported.

use kneeroot_squat::synthetic::{Camera, Pose, Script};
use kneeroot_squat::{Analysis, Frame, LANDMARK_COUNT, Landmark, Recording, Side, Thresholds, View, analyse};

use super::support::*;

fn recording(view: View, frames: Vec<Frame>) -> Recording {
    Recording { view, fps: 30.0, width: 720, height: 1280, frames }
}

fn constant(l: Landmark, n: usize) -> Vec<Frame> {
    (0..n).map(|k| Frame { t: k as f64 / 30.0, landmarks: Some([l; LANDMARK_COUNT]) }).collect()
}

fn assert_honest_nothing(a: &Analysis) {
    assert!(a.reps.is_empty());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    assert!(a.metrics.iter().all(|m| m.confidence.is_finite()));
    assert!(is_not_assessed(a, "squat.back_rounds"));
    assert!(a.not_assessed.iter().all(|n| !n.reason.is_empty()));
}

#[test]
fn an_empty_recording_is_reported_not_analysed() {
    for view in [View::Front, View::Side] {
        let a = analyse(&recording(view, Vec::new()), &Thresholds::default());
        assert_honest_nothing(&a);
        assert!(is_not_assessed(&a, "squat.done"));
        assert_eq!(a.quality.frames, 0);
        assert!(a.quality.issues.iter().any(|i| i.contains("no frames")));
    }
}

#[test]
fn non_finite_landmarks_and_times_are_ignored() {
    let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
    for &v in &bad {
        for view in [View::Front, View::Side] {
            let mut frames = constant(Landmark { x: v, y: v, z: v, visibility: v }, 60);
            frames.push(Frame { t: v, landmarks: None });
            assert_honest_nothing(&analyse(&recording(view, frames), &Thresholds::default()));
        }
    }
}

#[test]
fn a_recording_with_no_person_says_so() {
    let frames = (0..30).map(|k| Frame { t: k as f64 / 30.0, landmarks: None }).collect();
    let a = analyse(&recording(View::Front, frames), &Thresholds::default());
    assert_honest_nothing(&a);
    assert_eq!(a.quality.frames_with_pose, 0);
    assert!(a.quality.issues.iter().any(|i| i.contains("found in only 0 of 30")), "{:?}", a.quality.issues);
}

#[test]
fn a_missing_image_size_measures_nothing() {
    let mut r = Script::front(shallow([10.0, 0.0])).recording();
    r.width = 0;
    let a = analyse(&r, &Thresholds::default());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    assert!(a.quality.issues.iter().any(|i| i.contains("image size")));
}

#[test]
fn back_rounding_is_never_assessed() {
    for script in [Script::front(shallow([0.0, 0.0])), Script::side(Pose::bottom(0.0, 30.0))] {
        let a = run(&script);
        assert!(is_not_assessed(&a, "squat.back_rounds"));
        let reason = &a.not_assessed.iter().find(|n| n.answer_id == "squat.back_rounds").unwrap().reason;
        assert!(reason.contains("spine"), "{reason}");
    }
}

#[test]
fn a_side_on_camera_in_the_front_view_is_reported_and_not_trusted() {
    let pose = shallow([10.0, 0.0]);
    let right = run(&Script::front(pose));
    let wrong = run(&Script { camera: Camera::side(Side::Left), ..Script::front(pose) });
    assert!(wrong.quality.issues.iter().any(|i| i.contains("beside you")), "{:?}", wrong.quality.issues);
    assert!(right.quality.issues.is_empty(), "{:?}", right.quality.issues);
    let confidence =
        |a: &Analysis| a.metrics.iter().find(|m| m.name == "knee_valgus_deg").map_or(0.0, |m| m.confidence);
    assert!(confidence(&wrong) < 0.4 && confidence(&right) > 0.8, "{} {}", confidence(&wrong), confidence(&right));
    assert!(is_not_assessed(&wrong, "squat.knee_caves_in"));
}

#[test]
fn a_front_camera_in_the_side_view_is_reported_and_not_trusted() {
    let pose = Pose::bottom(0.0, 30.0);
    let wrong = run(&Script { camera: Camera::front(3.0), ..Script::side(pose) });
    assert!(wrong.quality.issues.iter().any(|i| i.contains("not beside you")), "{:?}", wrong.quality.issues);
    assert!(is_not_assessed(&wrong, "squat.depth"));
    assert!(
        metric(&wrong, "depth_thigh_deg").confidence < metric(&run(&Script::side(pose)), "depth_thigh_deg").confidence
    );
}

#[test]
fn a_body_cut_off_by_the_picture_is_reported() {
    let a = run(&Script { camera: Camera::front(1.2), ..Script::front(shallow([0.0, 0.0])) });
    assert!(a.quality.issues.iter().any(|i| i.contains("edge of the picture")), "{:?}", a.quality.issues);
}

#[test]
fn a_low_confidence_metric_gives_its_reason_instead_of_a_finding() {
    let t = Thresholds { min_confidence: 0.99, ..Thresholds::default() };
    let a = analyse(&Script::side(Pose::bottom(0.0, 30.0)).recording(), &t);
    let reason = &a.not_assessed.iter().find(|n| n.answer_id == "squat.depth").expect("depth not assessed").reason;
    assert!(reason.contains("confidence") && reason.contains("0.99"), "{reason}");
}
