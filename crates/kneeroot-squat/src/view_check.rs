//! Is the camera where the recording says it is?
//!
//! Seen from the front, the two hips are well apart: the hip landmarks are about 0.2–0.3 m apart and the
//! torso (mid-shoulder to mid-hip) about 0.5 m long, so their horizontal separation is 0.3–0.6 torso
//! lengths, and more when the trunk leans towards the camera. Seen from the side they nearly overlap
//! (under 0.1). The median ratio over the recording gives a factor for every metric's confidence: 1 when
//! it clearly matches the stated view, falling linearly to 0.2 when it clearly matches the other view, with
//! an issue in plain words when it looks wrong. A turned or oblique camera falls in between and costs
//! some confidence, which is what it deserves: both the knee angle and the depth are distorted by it.

use crate::landmark::index;
use crate::recording::View;
use crate::series::Series;
use crate::smooth::median_of;

/// The lowest factor a wrong view gets.
const WRONG_VIEW_FACTOR: f64 = 0.2;
/// The factor when the view cannot be checked (no shoulders or hips): unknown, so some doubt.
const UNCHECKED_FACTOR: f64 = 0.7;

/// The result of the camera-angle check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ViewCheck {
    /// Median horizontal hip separation ÷ torso length, when measurable.
    pub hip_ratio: Option<f64>,
    /// The factor for confidences (0.2–1).
    pub factor: f64,
    /// A plain-words problem, if any.
    pub issue: Option<String>,
}

/// Check the camera angle for `view`.
pub(crate) fn check(series: &Series, view: View) -> ViewCheck {
    let hip_ratio = median_of((0..series.len()).filter_map(|i| hip_ratio(series, i)));
    let Some(ratio) = hip_ratio else {
        return ViewCheck {
            hip_ratio,
            factor: UNCHECKED_FACTOR,
            issue: Some(
                "Your hips and shoulders could not both be seen, so the camera angle could not be checked.".into(),
            ),
        };
    };
    let (factor, issue) = match view {
        // Good at 0.3 and above, wrong at 0.12 and below.
        View::Front => (ramp(ratio, 0.12, 0.30), (ratio < 0.2).then_some(
            "The camera seems to be beside you, not in front of you: face the camera squarely for this view.",
        )),
        // Good at 0.15 and below, wrong at 0.35 and above.
        View::Side => (ramp(-ratio, -0.35, -0.15), (ratio > 0.25).then_some(
            "The camera seems to be in front of you or at an angle, not beside you: turn side-on to the camera for this view.",
        )),
    };
    ViewCheck { hip_ratio, factor, issue: issue.map(str::to_owned) }
}

/// Horizontal hip separation ÷ torso length at sample `i`.
fn hip_ratio(series: &Series, i: usize) -> Option<f64> {
    let lh = series.at(i, index::LEFT_HIP)?;
    let rh = series.at(i, index::RIGHT_HIP)?;
    let ls = series.at(i, index::LEFT_SHOULDER)?;
    let rs = series.at(i, index::RIGHT_SHOULDER)?;
    let torso = ls.midpoint(rs).distance(lh.midpoint(rh));
    (torso > 1.0).then(|| (lh.x - rh.x).abs() / torso)
}

/// WRONG_VIEW_FACTOR at or below `bad`, 1 at or above `good`, linear between.
fn ramp(value: f64, bad: f64, good: f64) -> f64 {
    let t = ((value - bad) / (good - bad)).clamp(0.0, 1.0);
    WRONG_VIEW_FACTOR + (1.0 - WRONG_VIEW_FACTOR) * t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_runs_from_the_wrong_view_factor_to_one() {
        assert_eq!(ramp(0.0, 0.12, 0.3), WRONG_VIEW_FACTOR);
        assert_eq!(ramp(0.5, 0.12, 0.3), 1.0);
        assert!((ramp(0.21, 0.12, 0.3) - 0.6).abs() < 1e-9);
    }
}
