//! A metric while it is being built: a value with its own confidence (per leg where it has two), and the
//! one way every bottom-of-rep metric is read.
//!
//! A bottom-of-rep metric is the median of a per-sample value over each rep's bottom window (see
//! [`crate::reps`]), then the median over reps; its spread between reps feeds its confidence. Medians at
//! both levels mean one bad frame or one bad rep cannot carry the result.

use crate::analysis::{Measure, Metric};
use crate::confidence::{Evidence, confidence};
use crate::reps::{Motion, RepSpan};
use crate::series::{Series, mean_visibility, usable_fraction};
use crate::smooth::{median_of, robust_spread};
use crate::thresholds::Thresholds;
use crate::view_check::ViewCheck;

/// Hip drop at the bottom as a fraction of the standing hip-to-ankle length (both views).
pub(crate) const SQUAT_DEPTH_LEG_LENGTHS: &str = "squat_depth_leg_lengths";

/// A value and how far to trust it (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    pub value: f64,
    pub confidence: f64,
}

/// One value or one per leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    Single(Estimate),
    PerSide { left: Option<Estimate>, right: Option<Estimate> },
}

/// A named metric with per-leg confidences.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    pub name: &'static str,
    pub value: Value,
}

impl Measured {
    /// The public metric; a per-leg metric's confidence is that of its less trusted leg.
    pub fn to_metric(&self) -> Metric {
        let (value, confidence) = match self.value {
            Value::Single(e) => (Measure::Single(e.value), e.confidence),
            Value::PerSide { left, right } => {
                let c = [left, right].iter().flatten().map(|e| e.confidence).fold(f64::INFINITY, f64::min);
                (
                    Measure::PerSide { left: left.map(|e| e.value), right: right.map(|e| e.value) },
                    if c.is_finite() { c } else { 0.0 },
                )
            }
        };
        Metric { name: self.name, value, confidence }
    }
}

/// Everything a metric needs to read the recording.
pub(crate) struct Context<'a> {
    pub series: &'a Series,
    pub motion: &'a Motion,
    pub view: &'a ViewCheck,
    pub thresholds: &'a Thresholds,
}

/// How a metric behaves between reps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading<'l> {
    /// The landmarks it uses.
    pub landmarks: &'l [usize],
    /// A spread between reps of this size halves the spread factor.
    pub spread_scale: f64,
}

impl Context<'_> {
    /// Read `per_sample` at the bottom of every rep (see the module documentation).
    pub fn at_bottom(&self, reading: Reading<'_>, per_sample: impl Fn(usize) -> Option<f64>) -> Option<Estimate> {
        self.over_reps(reading, |rep| rep.window.clone(), per_sample)
    }

    /// Read `per_sample` over the samples `window` picks in every rep: the median per rep, then over reps.
    pub fn over_reps(
        &self,
        reading: Reading<'_>,
        window: impl Fn(&RepSpan) -> Vec<usize>,
        per_sample: impl Fn(usize) -> Option<f64>,
    ) -> Option<Estimate> {
        let per_rep: Vec<f64> = self
            .motion
            .reps
            .iter()
            .filter_map(|rep| median_of(window(rep).into_iter().filter_map(&per_sample)))
            .collect();
        let value = median_of(per_rep.iter().copied())?;
        let evidence = Evidence {
            visibility: mean_visibility(self.series, reading.landmarks),
            usable_fraction: usable_fraction(self.series, reading.landmarks),
            reps: Some(per_rep.len()),
            spread: robust_spread(&per_rep),
            spread_scale: reading.spread_scale,
            view_factor: self.view.factor,
            cap: 1.0,
        };
        Some(Estimate { value, confidence: confidence(&evidence) })
    }

    /// The median of `per_sample` over samples where the person stood (hips near standing height).
    pub fn when_standing(&self, per_sample: impl Fn(usize) -> Option<f64>) -> Option<f64> {
        median_of(
            (0..self.series.len()).filter(|&i| self.motion.is_standing(i, self.thresholds)).filter_map(per_sample),
        )
    }
}

/// How far the hips went down, per rep and then the median: the context every bottom-of-rep metric
/// needs, since the knee angles grow with depth.
/// `hips` are the hip landmarks the view relies on (its confidence comes from them).
pub(crate) fn squat_depth(ctx: &Context<'_>, hips: &[usize]) -> Option<Measured> {
    let reading = Reading { landmarks: hips, spread_scale: 0.1 };
    let e = ctx.at_bottom(reading, |i| ctx.motion.drop.get(i).copied().flatten())?;
    Some(Measured { name: SQUAT_DEPTH_LEG_LENGTHS, value: Value::Single(e) })
}
