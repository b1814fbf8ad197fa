//! Property tests: random poses, noise and garbage never panic, and every output is finite and in range.

use kneeroot_squat::synthetic::{Pose, Script};
use kneeroot_squat::{Analysis, Frame, LANDMARK_COUNT, Landmark, Measure, Recording, Side, Thresholds, View, analyse};
use proptest::prelude::*;

fn assert_well_formed(a: &Analysis) {
    for m in &a.metrics {
        assert!((0.0..=1.0).contains(&m.confidence), "{m:?}");
        match m.value {
            Measure::Single(v) => assert!(v.is_finite(), "{m:?}"),
            Measure::PerSide { left, right } => assert!(left.into_iter().chain(right).all(f64::is_finite), "{m:?}"),
        }
    }
    for f in &a.findings {
        assert!((0.0..=1.0).contains(&f.confidence), "{f:?}");
        assert!(!f.explanation.is_empty());
    }
    for r in &a.reps {
        assert!(r.start.is_finite() && r.start <= r.bottom && r.bottom <= r.end, "{r:?}");
    }
    assert!(a.not_assessed.iter().any(|n| n.answer_id == "squat.back_rounds"));
}

fn pose() -> impl Strategy<Value = Pose> {
    (
        (-80.0..40.0f64, 0.0..45.0f64, -20.0..30.0f64, -20.0..30.0f64),
        (0.0..25.0f64, 0.0..50.0f64, 0.0..70.0f64, 0.0..15.0f64),
        prop_oneof![Just(None), Just(Some(Side::Left)), Just(Some(Side::Right))],
    )
        .prop_map(|((thigh, shank, sl, sr), (heel, turn, trunk, drop), lifted)| Pose {
            swivel: [sl, sr],
            heel_pitch: [heel, heel / 2.0],
            turn_out: [turn, turn / 2.0],
            trunk_lean: trunk,
            lifted,
            pelvis_drop: drop,
            ..Pose::bottom(thigh, shank)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_poses_and_noise_give_well_formed_analyses(
        pose in pose(),
        side in any::<bool>(),
        reps in 0usize..4,
        noise in 0.0..0.05f64,
        seed in any::<u64>(),
        drop_every in prop_oneof![Just(None), (1usize..6).prop_map(Some)],
    ) {
        let base = if side { Script::side(pose) } else { Script::front(pose) };
        let script = Script { reps, noise_m: noise, seed, drop_every, ..base };
        assert_well_formed(&analyse(&script.recording(), &Thresholds::default()));
    }

    #[test]
    fn garbage_landmarks_never_panic(
        values in prop::collection::vec((any::<f64>(), any::<f64>(), any::<f64>(), any::<f64>(), any::<f64>()), 0..40),
        front in any::<bool>(),
        width in any::<u32>(),
        height in any::<u32>(),
    ) {
        let frames = values
            .iter()
            .map(|&(t, x, y, z, v)| Frame { t, landmarks: (!v.is_nan()).then_some([Landmark { x, y, z, visibility: v }; LANDMARK_COUNT]) })
            .collect();
        let view = if front { View::Front } else { View::Side };
        let recording = Recording { view, fps: 30.0, width, height, frames };
        assert_well_formed(&analyse(&recording, &Thresholds::default()));
    }

    #[test]
    fn jittered_real_recordings_never_panic(seed in any::<u64>(), scale in -2.0..2.0f64) {
        let mut r = Script::front(Pose::bottom(-30.0, 25.0)).recording();
        let mut rng = kneeroot_squat::synthetic::Rng::new(seed);
        for frame in &mut r.frames {
            if let Some(l) = &mut frame.landmarks {
                for p in l.iter_mut() {
                    p.x += scale * rng.normal();
                    p.visibility = rng.uniform();
                }
            }
        }
        assert_well_formed(&analyse(&r, &Thresholds::default()));
    }
}
