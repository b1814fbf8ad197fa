//! Smoothing a landmark coordinate over time.
//!
//! BlazePose jitters by about 1% of leg length from frame to frame, which alone moves a knee angle by
//! about 4°; it also makes occasional single-frame jumps (a knee snapping to the other leg). The filter is
//! therefore a centred moving **median** (which ignores jumps) followed by a centred moving **mean** (which
//! averages the remaining jitter), both over a window measured in seconds, not frames, so that irregular
//! timestamps and dropped frames do not change its width. Both passes are centred, so the filter is
//! zero-phase: the bottom of a squat is not shifted in time, which matters because every metric is read
//! there. A ±0.1 s window keeps a 2 s squat's bottom within about 1% of its true depth.
//!
//! Missing samples are filled only when there are samples on both sides within the window (interpolation,
//! never extrapolation), so a dropped frame in the middle of a movement still gets a value while the ends
//! of a gap stay empty.

/// Half the width of the smoothing window, in seconds.
pub(crate) const HALF_WINDOW_S: f64 = 0.1;

/// Smooth `values` sampled at `times` (sorted ascending) with a centred median then a centred mean.
pub(crate) fn smooth(times: &[f64], values: &[Option<f64>], half_window: f64) -> Vec<Option<f64>> {
    let medians = centred(times, values, half_window, median);
    centred(times, &medians, half_window, mean)
}

/// Apply `reduce` to the present values within `half_window` of each sample.
fn centred(times: &[f64], values: &[Option<f64>], half_window: f64, reduce: fn(&mut [f64]) -> f64) -> Vec<Option<f64>> {
    let n = times.len().min(values.len());
    let mut out = Vec::with_capacity(n);
    let mut scratch = Vec::new();
    // A hair of tolerance so that a window of exactly k frames is symmetric despite rounding of k/fps.
    let half_window = half_window + 1e-9;
    let mut lo = 0;
    let mut hi = 0;
    for i in 0..n {
        while lo < i && times[i] - times[lo] > half_window {
            lo += 1;
        }
        while hi + 1 < n && times[hi + 1] - times[i] <= half_window {
            hi += 1;
        }
        hi = hi.max(i);
        scratch.clear();
        scratch.extend(values[lo..=hi].iter().flatten().copied());
        let filled = values[i].is_some() || has_both_sides(&values[lo..i], &values[i + 1..=hi]);
        out.push(if filled && !scratch.is_empty() { Some(reduce(&mut scratch)) } else { None });
    }
    out
}

fn has_both_sides(before: &[Option<f64>], after: &[Option<f64>]) -> bool {
    before.iter().any(Option::is_some) && after.iter().any(Option::is_some)
}

/// The median of a non-empty slice of finite numbers (reorders the slice).
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

fn mean(values: &mut [f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The median of the finite values, or `None` when there are none.
pub(crate) fn median_of(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() { None } else { Some(median(&mut v)) }
}

/// A robust standard deviation (1.4826 × the median absolute deviation), or `None` for fewer than two values.
pub(crate) fn robust_spread(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let centre = median_of(values.iter().copied())?;
    let deviation = median_of(values.iter().map(|v| (v - centre).abs()))?;
    Some(1.4826 * deviation)
}

/// The `q`-quantile (0–1) of the finite values, by nearest rank.
pub(crate) fn quantile(values: impl IntoIterator<Item = f64>, q: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = (q.clamp(0.0, 1.0) * (v.len() - 1) as f64).round() as usize;
    v.get(rank).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(n: usize) -> Vec<f64> {
        (0..n).map(|i| i as f64 / 30.0).collect()
    }

    #[test]
    fn a_single_frame_spike_is_removed() {
        let mut values = vec![Some(1.0); 30];
        values[15] = Some(100.0);
        let out = smooth(&times(30), &values, HALF_WINDOW_S);
        assert!(out.iter().all(|v| (v.unwrap() - 1.0).abs() < 1e-12), "{out:?}");
    }

    #[test]
    fn a_linear_ramp_passes_unchanged_away_from_the_ends() {
        let values: Vec<Option<f64>> = (0..60).map(|i| Some(i as f64)).collect();
        let out = smooth(&times(60), &values, HALF_WINDOW_S);
        for (i, v) in out.iter().enumerate().take(54).skip(6) {
            assert!((v.unwrap() - i as f64).abs() < 1e-9, "{i}: {v:?}");
        }
    }

    #[test]
    fn gaps_are_filled_between_samples_but_not_beyond_them() {
        let mut values: Vec<Option<f64>> = (0..30).map(|i| Some(i as f64)).collect();
        values[10] = None;
        for v in values.iter_mut().skip(25) {
            *v = None;
        }
        let out = smooth(&times(30), &values, HALF_WINDOW_S);
        assert!((out[10].unwrap() - 10.0).abs() < 0.6, "{:?}", out[10]);
        assert_eq!(out[26], None);
    }

    #[test]
    fn the_filter_does_not_shift_a_peak() {
        let t = times(90);
        let values: Vec<Option<f64>> = t.iter().map(|t| Some(-(t - 1.5) * (t - 1.5))).collect();
        let out = smooth(&t, &values, HALF_WINDOW_S);
        let peak = (0..90).max_by(|&a, &b| out[a].unwrap().total_cmp(&out[b].unwrap())).unwrap();
        assert_eq!(peak, 45);
    }

    #[test]
    fn statistics_are_robust() {
        assert_eq!(median_of([3.0, 1.0, 2.0, f64::NAN]), Some(2.0));
        assert_eq!(median_of([]), None);
        assert_eq!(robust_spread(&[1.0]), None);
        assert_eq!(robust_spread(&[1.0, 1.0, 1.0, 50.0]), Some(0.0));
        assert_eq!(quantile([5.0, 1.0, 3.0], 0.0), Some(1.0));
        assert_eq!(quantile([5.0, 1.0, 3.0], 1.0), Some(5.0));
    }
}
