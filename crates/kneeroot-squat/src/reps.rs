//! Finding the reps from the height of the hips.
//!
//! The signal is the mean image height of the two hips (either one when only one is usable), expressed as
//! the **drop** below standing in units of the standing hip-to-ankle length, so the same thresholds work
//! at any distance from the camera. Standing is the 5th percentile of hip height (robust to a few
//! noisy samples and to the person spending most of the clip squatting); the leg length is the median, over
//! samples near that height, of the longer of the two hip-to-ankle distances (the longer, so that a bent
//! lifted leg in a single-leg squat does not shorten it).
//!
//! A rep is a run of samples lower than half of [`Thresholds::min_rep_drop`] whose deepest sample reaches the
//! full threshold and which is preceded and followed by a higher sample: the person went down far enough
//! *and came back up*. Entering at the full threshold and leaving at half of it (hysteresis) stops smoothed
//! noise of about 1% from splitting or inventing reps. Dropped samples are simply skipped. The start and end
//! of a rep are widened to where the hips were back within a quarter of the threshold of standing.
//!
//! Metrics are read in a **bottom window**: the contiguous samples around the deepest one that are within
//! 2% of the rep's depth (at least three samples). Taking the median there, rather than one frame, makes
//! a value persist for a moment before it counts.

use crate::landmark::index;
use crate::series::Series;
use crate::smooth::{median_of, quantile};
use crate::thresholds::Thresholds;

/// One rep, by sample index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RepSpan {
    pub start: usize,
    pub bottom: usize,
    pub end: usize,
    /// Sample indices of the bottom window.
    pub window: Vec<usize>,
    /// The drop at the bottom (fraction of leg length).
    pub depth: f64,
}

/// The hips over time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Motion {
    /// The standing hip-to-ankle length in pixels.
    pub leg_length: f64,
    /// Per sample: how far the hips were below standing, as a fraction of `leg_length`.
    pub drop: Vec<Option<f64>>,
    /// The reps, in time order.
    pub reps: Vec<RepSpan>,
}

impl Motion {
    /// Whether sample `i` counts as standing (the hips within a quarter of the rep threshold of standing).
    pub fn is_standing(&self, i: usize, thresholds: &Thresholds) -> bool {
        self.drop.get(i).copied().flatten().is_some_and(|d| d <= thresholds.min_rep_drop / 4.0)
    }
}

/// Find the standing posture and the reps; `None` when the hips or the legs were never usable.
pub(crate) fn detect(series: &Series, thresholds: &Thresholds) -> Option<Motion> {
    let hip_y: Vec<Option<f64>> = (0..series.len()).map(|i| hip_height(series, i)).collect();
    let standing_y = quantile(hip_y.iter().flatten().copied(), 0.05)?;
    let high_y = quantile(hip_y.iter().flatten().copied(), 0.20)?;
    let leg_length = median_of(
        (0..series.len()).filter(|&i| hip_y[i].is_some_and(|y| y <= high_y)).filter_map(|i| longer_leg(series, i)),
    )?;
    if leg_length.is_nan() || leg_length <= 1.0 {
        return None;
    }
    let drop: Vec<Option<f64>> = hip_y.iter().map(|y| y.map(|y| (y - standing_y) / leg_length)).collect();
    let reps = segment(&drop, thresholds.min_rep_drop);
    Some(Motion { leg_length, drop, reps })
}

/// The mean image height (pixels, down) of the usable hips.
fn hip_height(series: &Series, i: usize) -> Option<f64> {
    match (series.at(i, index::LEFT_HIP), series.at(i, index::RIGHT_HIP)) {
        (Some(l), Some(r)) => Some((l.y + r.y) / 2.0),
        (Some(p), None) | (None, Some(p)) => Some(p.y),
        (None, None) => None,
    }
}

fn longer_leg(series: &Series, i: usize) -> Option<f64> {
    let leg = |hip, ankle| Some(series.at(i, hip)?.distance(series.at(i, ankle)?));
    let left = leg(index::LEFT_HIP, index::LEFT_ANKLE);
    let right = leg(index::RIGHT_HIP, index::RIGHT_ANKLE);
    match (left, right) {
        (Some(l), Some(r)) => Some(l.max(r)),
        (l, r) => l.or(r),
    }
}

/// Split the drop signal into reps (see the module documentation).
fn segment(drop: &[Option<f64>], min_drop: f64) -> Vec<RepSpan> {
    let present: Vec<usize> = (0..drop.len()).filter(|&i| drop[i].is_some()).collect();
    let d = |i: usize| drop[i].unwrap_or(0.0);
    let mut reps: Vec<RepSpan> = Vec::new();
    let mut k = 0;
    while k < present.len() {
        if d(present[k]) < min_drop / 2.0 {
            k += 1;
            continue;
        }
        let first = k;
        while k < present.len() && d(present[k]) >= min_drop / 2.0 {
            k += 1;
        }
        // Samples present[first..k] are low; a rep needs a higher sample on both sides and enough depth.
        if first == 0 || k == present.len() {
            continue;
        }
        let run = &present[first..k];
        let Some(&bottom) = run.iter().max_by(|&&a, &&b| d(a).total_cmp(&d(b))) else { continue };
        if d(bottom) < min_drop {
            continue;
        }
        let floor = reps.last().map_or(0, |r| r.end);
        let start = widen(&present[..first], floor, |i| d(i) <= min_drop / 4.0).unwrap_or(present[first - 1]);
        let end = present[k..].iter().copied().find(|&i| d(i) <= min_drop / 4.0).unwrap_or(present[k]);
        let window = bottom_window(run, bottom, &d);
        reps.push(RepSpan { start, bottom, end, window, depth: d(bottom) });
    }
    reps
}

/// The latest sample in `before` (not earlier than `floor`) that satisfies `standing`.
fn widen(before: &[usize], floor: usize, standing: impl Fn(usize) -> bool) -> Option<usize> {
    before.iter().rev().copied().take_while(|&i| i >= floor).find(|&i| standing(i))
}

/// The contiguous samples of `run` around `bottom` within 2% of its depth, widened to at least three.
fn bottom_window(run: &[usize], bottom: usize, d: &impl Fn(usize) -> f64) -> Vec<usize> {
    let Some(centre) = run.iter().position(|&i| i == bottom) else { return vec![bottom] };
    let limit = d(bottom) * 0.98;
    let mut lo = centre;
    let mut hi = centre;
    while lo > 0 && d(run[lo - 1]) >= limit {
        lo -= 1;
    }
    while hi + 1 < run.len() && d(run[hi + 1]) >= limit {
        hi += 1;
    }
    while hi - lo < 2 && (lo > 0 || hi + 1 < run.len()) {
        lo = lo.saturating_sub(1);
        hi = (hi + 1).min(run.len() - 1);
    }
    run[lo..=hi].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().map(|&v| Some(v)).collect()
    }

    #[test]
    fn a_dip_that_comes_back_up_is_one_rep_with_its_bottom_at_the_lowest_point() {
        let d = signal(&[0.0, 0.0, 0.05, 0.15, 0.30, 0.25, 0.12, 0.02, 0.0]);
        let reps = segment(&d, 0.1);
        assert_eq!(reps.len(), 1);
        assert_eq!((reps[0].start, reps[0].bottom, reps[0].end), (1, 4, 7));
        assert!((reps[0].depth - 0.30).abs() < 1e-12);
        assert_eq!(reps[0].window, vec![3, 4, 5]);
    }

    #[test]
    fn shallow_dips_and_unfinished_reps_do_not_count() {
        let d = signal(&[0.0, 0.08, 0.0, 0.2, 0.3]);
        assert!(segment(&d, 0.1).is_empty());
    }

    #[test]
    fn hysteresis_keeps_a_noisy_bottom_as_one_rep() {
        let d = signal(&[0.0, 0.2, 0.06, 0.2, 0.0, 0.2, 0.0]);
        assert_eq!(segment(&d, 0.1).len(), 2);
    }

    #[test]
    fn missing_samples_are_skipped() {
        let mut d = signal(&[0.0, 0.1, 0.2, 0.3, 0.2, 0.1, 0.0]);
        d[3] = None;
        let reps = segment(&d, 0.1);
        assert_eq!(reps.len(), 1);
        assert!(reps[0].bottom == 2 || reps[0].bottom == 4);
    }
}
