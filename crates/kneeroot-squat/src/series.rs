//! The recording as clean time series: frames in time order, each landmark in pixels or absent, and the
//! same series smoothed.
//!
//! This is the one place that decides which numbers are usable. A landmark is used only when its
//! coordinates are finite, its visibility reaches [`Thresholds::min_visibility`], and it lies inside the
//! picture (MediaPipe guesses the position of points outside the frame). Frames with a non-finite time are
//! dropped; the rest are put in time order, so callers may send frames slightly out of order. Dropped
//! frames (`landmarks: None`) stay in the series as empty samples, so "the fraction of usable frames" keeps
//! its meaning.

use crate::geometry::Point;
use crate::landmark::{LANDMARK_COUNT, Landmark, index};
use crate::recording::Recording;
use crate::smooth::{HALF_WINDOW_S, smooth};
use crate::thresholds::Thresholds;

/// The landmarks the metrics use; others are never smoothed.
pub(crate) const USED: [usize; 13] = [
    index::NOSE,
    index::LEFT_SHOULDER,
    index::RIGHT_SHOULDER,
    index::LEFT_HIP,
    index::RIGHT_HIP,
    index::LEFT_KNEE,
    index::RIGHT_KNEE,
    index::LEFT_ANKLE,
    index::RIGHT_ANKLE,
    index::LEFT_HEEL,
    index::RIGHT_HEEL,
    index::LEFT_FOOT_INDEX,
    index::RIGHT_FOOT_INDEX,
];

/// One landmark per frame.
pub(crate) type Track<T> = [Option<T>; LANDMARK_COUNT];

/// The recording in time order.
pub(crate) struct Series {
    /// Seconds, ascending.
    pub times: Vec<f64>,
    /// Whether the frame had a pose at all.
    pub has_pose: Vec<bool>,
    /// The model's visibility per landmark (0 for dropped frames and non-finite values).
    pub visibility: Vec<[f64; LANDMARK_COUNT]>,
    /// Usable landmarks, unsmoothed, in pixels.
    pub raw: Vec<Track<Point>>,
    /// Usable landmarks smoothed over time, in pixels (with short gaps filled).
    pub smooth: Vec<Track<Point>>,
    /// MediaPipe's relative depth, smoothed, scaled by the image width like `x`.
    pub depth: Vec<Track<f64>>,
    /// How many frames had a key landmark at or beyond the edge of the picture.
    pub frames_at_edge: usize,
}

impl Series {
    /// The number of samples.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// A smoothed landmark at sample `i`.
    pub fn at(&self, i: usize, landmark: usize) -> Option<Point> {
        self.smooth.get(i).and_then(|frame| frame[landmark])
    }
}

/// Build the series from a recording.
pub(crate) fn prepare(recording: &Recording, thresholds: &Thresholds) -> Series {
    let width = f64::from(recording.width);
    let height = f64::from(recording.height);
    // Without the picture's size no pixel position, hence no angle, exists.
    let has_size = recording.width > 0 && recording.height > 0;
    let mut frames: Vec<_> = recording.frames.iter().filter(|f| f.t.is_finite()).collect();
    frames.sort_by(|a, b| a.t.total_cmp(&b.t));
    let times: Vec<f64> = frames.iter().map(|f| f.t).collect();
    let mut series = Series {
        has_pose: frames.iter().map(|f| f.landmarks.is_some()).collect(),
        visibility: Vec::with_capacity(frames.len()),
        raw: Vec::with_capacity(frames.len()),
        smooth: Vec::new(),
        depth: Vec::new(),
        frames_at_edge: 0,
        times,
    };
    let mut raw_depth: Vec<Track<f64>> = Vec::with_capacity(frames.len());
    for frame in &frames {
        let mut points = [None; LANDMARK_COUNT];
        let mut depths = [None; LANDMARK_COUNT];
        let mut visibility = [0.0; LANDMARK_COUNT];
        if let Some(landmarks) = &frame.landmarks {
            let mut at_edge = false;
            for &k in &USED {
                let l = landmarks[k];
                visibility[k] = clean_visibility(l.visibility);
                at_edge |= is_at_edge(&l);
                if has_size && usable(&l, thresholds.min_visibility) {
                    points[k] = Some(Point::from_normalised(l.x, l.y, width, height));
                    depths[k] = l.z.is_finite().then_some(l.z * width);
                }
            }
            series.frames_at_edge += usize::from(at_edge);
        }
        series.visibility.push(visibility);
        series.raw.push(points);
        raw_depth.push(depths);
    }
    series.smooth = smooth_points(&series.times, &series.raw);
    series.depth = smooth_scalars(&series.times, &raw_depth);
    series
}

fn clean_visibility(v: f64) -> f64 {
    if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 }
}

fn usable(l: &Landmark, min_visibility: f64) -> bool {
    l.x.is_finite()
        && l.y.is_finite()
        && (0.0..=1.0).contains(&l.x)
        && (0.0..=1.0).contains(&l.y)
        && clean_visibility(l.visibility) >= min_visibility
}

/// Within half a percent of the border, or beyond it: the body is probably cut off.
fn is_at_edge(l: &Landmark) -> bool {
    const MARGIN: f64 = 0.005;
    let inside = |v: f64| (MARGIN..=1.0 - MARGIN).contains(&v);
    l.x.is_finite() && l.y.is_finite() && !(inside(l.x) && inside(l.y))
}

fn smooth_points(times: &[f64], raw: &[Track<Point>]) -> Vec<Track<Point>> {
    let mut out = vec![[None; LANDMARK_COUNT]; raw.len()];
    for &k in &USED {
        let xs: Vec<Option<f64>> = raw.iter().map(|f| f[k].map(|p| p.x)).collect();
        let ys: Vec<Option<f64>> = raw.iter().map(|f| f[k].map(|p| p.y)).collect();
        let xs = smooth(times, &xs, HALF_WINDOW_S);
        let ys = smooth(times, &ys, HALF_WINDOW_S);
        for (i, frame) in out.iter_mut().enumerate() {
            frame[k] = xs[i].zip(ys[i]).map(|(x, y)| Point::new(x, y));
        }
    }
    out
}

fn smooth_scalars(times: &[f64], raw: &[Track<f64>]) -> Vec<Track<f64>> {
    let mut out = vec![[None; LANDMARK_COUNT]; raw.len()];
    for &k in &USED {
        let vs: Vec<Option<f64>> = raw.iter().map(|f| f[k]).collect();
        for (i, v) in smooth(times, &vs, HALF_WINDOW_S).into_iter().enumerate() {
            out[i][k] = v;
        }
    }
    out
}

/// The fraction (0–1) of samples in which all of `landmarks` were usable before smoothing.
pub(crate) fn usable_fraction(series: &Series, landmarks: &[usize]) -> f64 {
    if series.len() == 0 {
        return 0.0;
    }
    let usable = series.raw.iter().filter(|f| landmarks.iter().all(|&k| f[k].is_some())).count();
    usable as f64 / series.len() as f64
}

/// The mean over frames with a pose of the lowest visibility among `landmarks` (0–1).
pub(crate) fn mean_visibility(series: &Series, landmarks: &[usize]) -> f64 {
    let values: Vec<f64> = series
        .visibility
        .iter()
        .zip(&series.has_pose)
        .filter(|(_, pose)| **pose)
        .map(|(v, _)| landmarks.iter().map(|&k| v[k]).fold(1.0, f64::min))
        .collect();
    if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 }
}
