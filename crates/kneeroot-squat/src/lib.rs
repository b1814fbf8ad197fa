//! Squat metrics from a 2D pose-landmark series: the measuring half of kneeroot's camera squat screen.
//!
//! The browser runs the pose model on the person's own device and sends only the 33 landmarks per frame
//! (MediaPipe BlazePose order, normalised image coordinates). This crate turns such a [`Recording`] into
//! an [`Analysis`]: reps, metrics (2D knee frontal-plane projection angle per knee, depth, trunk lean
//! against the shin, heel lift, left/right asymmetry), a confidence for each metric, and findings keyed
//! by the assessment's answer ids, which the person confirms before they are used.
//!
//! It is honest about 2D video: the knee angle seen by one camera is a composite of hip and knee motion
//! and depends on depth and perspective, so it screens and does not measure joint angles; back rounding
//! cannot be seen from these landmarks at all and is always reported as not assessed.
//!
//! # How a recording is read
//! 1. The frames are cleaned: time order, pixels (x × width, y × height), unusable points dropped
//!    (non-finite, below [`Thresholds::min_visibility`], outside the picture), then a zero-phase median + mean
//!    filter over ±0.1 s.
//! 2. Reps come from the hips' drop below standing in standing leg lengths, with hysteresis; each rep's
//!    metrics are read in a short window at its bottom (the knee angle of a deep squat at the deepest point
//!    where the thigh still shows clearly; see the `front` module) and the median over reps is taken.
//! 3. The view's metrics: from the front `knee_valgus_deg` (per leg), `knee_valgus_asymmetry_deg`,
//!    `feet_turn_out_deg` (per leg) or, in a single-leg squat, `pelvis_drop_deg`; from the side
//!    `depth_thigh_deg`, `knee_flexion_deg`, `trunk_inclination_deg`, `shank_inclination_deg`,
//!    `trunk_minus_shank_deg`, `heel_lift_foot_lengths`; in both `squat_depth_leg_lengths`.
//! 4. Each metric's confidence multiplies visibility, usable frames, reps, spread between reps and a
//!    camera-angle check; findings come only from metrics trusted enough, the rest are "not assessed" with
//!    the reason.
//!
//! The crate has no dependencies, no IO, no clock and no randomness; thresholds come in as
//! [`Thresholds`] (from `knowledge/camera.toml`).

pub mod analysis;
pub mod landmark;
pub mod recording;
#[doc(hidden)]
pub mod synthetic;
pub mod thresholds;

mod confidence;
mod findings;
mod front;
mod geometry;
mod legs;
mod measured;
mod quality;
mod reps;
mod series;
mod side;
mod smooth;
mod stance;
mod view_check;

pub use analysis::{Analysis, Finding, FindingValue, Measure, Metric, NotAssessed, Quality, Rep, Side};
pub use landmark::{LANDMARK_COUNT, Landmark};
pub use recording::{Frame, Recording, View};
pub use thresholds::Thresholds;

use measured::{Context, Measured};
use reps::Motion;

/// Analyse one recording: smooth the landmarks, find the reps, measure the view's metrics at the bottom of
/// each rep, and turn them into findings. Never panics: unusable input gives no reps, no metrics, every
/// answer not assessed with its reason, and quality issues that say what to fix.
pub fn analyse(recording: &Recording, thresholds: &Thresholds) -> Analysis {
    let series = series::prepare(recording, thresholds);
    let view = view_check::check(&series, recording.view);
    let motion = reps::detect(&series, thresholds);
    let rep_count = motion.as_ref().map_or(0, |m| m.reps.len());
    let (stance, measured) = match &motion {
        Some(motion) => measure(recording, &series, motion, &view, thresholds),
        None => (None, Vec::new()),
    };
    let answers = findings::answer(&findings::Inputs {
        view: recording.view,
        stance,
        reps: rep_count,
        measured: &measured,
        thresholds,
    });
    Analysis {
        view: recording.view,
        reps: motion.as_ref().map(|m| rep_times(&series, m)).unwrap_or_default(),
        single_leg_stance: stance,
        metrics: measured.iter().map(Measured::to_metric).collect(),
        findings: answers.findings,
        not_assessed: answers.not_assessed,
        quality: quality::assess(recording, &series, &view, rep_count, thresholds.min_rep_drop),
    }
}

/// The stance and metrics of the recording's view.
fn measure(
    recording: &Recording,
    series: &series::Series,
    motion: &Motion,
    view: &view_check::ViewCheck,
    thresholds: &Thresholds,
) -> (Option<Side>, Vec<Measured>) {
    let ctx = Context { series, motion, view, thresholds };
    let hips = match recording.view {
        View::Front => vec![landmark::index::LEFT_HIP, landmark::index::RIGHT_HIP],
        View::Side => vec![side::nearer_leg(series).hip],
    };
    let mut out: Vec<Measured> = measured::squat_depth(&ctx, &hips).into_iter().collect();
    let stance = match recording.view {
        View::Front => {
            let stance = stance::single_leg_stance(series, motion);
            out.extend(front::measure(&ctx, stance));
            stance
        }
        View::Side => {
            out.extend(side::measure(&ctx));
            None
        }
    };
    (stance, out)
}

fn rep_times(series: &series::Series, motion: &Motion) -> Vec<Rep> {
    let t = |i: usize| series.times.get(i).copied().unwrap_or(0.0);
    motion.reps.iter().map(|r| Rep { start: t(r.start), bottom: t(r.bottom), end: t(r.end) }).collect()
}
