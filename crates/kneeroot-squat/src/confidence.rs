//! How far to trust a metric, as one number from 0 to 1.
//!
//! The confidence is a product of independent factors, each 1 when all is well, so that any one weak link
//! pulls it down and the reason stays traceable:
//! - **visibility**: the mean (over frames with a person) of the lowest visibility among the landmarks the
//!   metric uses;
//! - **usable frames**: the square root of the fraction of frames in which all those landmarks were
//!   usable (a third of frames dropped costs about 18%, not a third: smoothing bridges single gaps);
//! - **reps**: 0.6 for one rep, 0.8 for two, 1 from three (the recording protocol asks for 3–5); not
//!   applied to a metric read over the whole recording;
//! - **spread between reps**: `1 / (1 + (s / scale)²)` for a robust standard deviation `s` between reps
//!   and a metric-specific `scale` (about the measurement's known error), so reps that disagree by the
//!   metric's error halve it;
//! - **camera angle**: from [`crate::view_check`], 1 for a good set-up down to 0.2 for the wrong view;
//! - **cap**: a ceiling for metrics that are weak in 2D whatever the recording (feet turning out).

/// The factors of one metric's confidence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evidence {
    pub visibility: f64,
    pub usable_fraction: f64,
    /// Reps the value was read in; `None` for a metric read over the whole recording.
    pub reps: Option<usize>,
    pub spread: Option<f64>,
    pub spread_scale: f64,
    pub view_factor: f64,
    pub cap: f64,
}

/// The reps factor: 0.6, 0.8, then 1 from three reps (0 without a rep).
pub(crate) fn rep_factor(reps: usize) -> f64 {
    match reps {
        0 => 0.0,
        n => (0.4 + 0.2 * n as f64).min(1.0),
    }
}

/// The combined confidence, finite and within 0–1.
pub(crate) fn confidence(e: &Evidence) -> f64 {
    let spread = match e.spread {
        Some(s) if e.spread_scale > 0.0 => 1.0 / (1.0 + (s / e.spread_scale).powi(2)),
        _ => 1.0,
    };
    let c = unit(e.visibility)
        * unit(e.usable_fraction).sqrt()
        * e.reps.map_or(1.0, rep_factor)
        * unit(spread)
        * unit(e.view_factor)
        * unit(e.cap);
    unit(c)
}

/// Clamp to 0–1, with anything non-finite as 0.
pub(crate) fn unit(v: f64) -> f64 {
    if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Evidence {
        Evidence {
            visibility: 1.0,
            usable_fraction: 1.0,
            reps: Some(3),
            spread: Some(0.0),
            spread_scale: 5.0,
            view_factor: 1.0,
            cap: 1.0,
        }
    }

    #[test]
    fn every_factor_lowers_confidence() {
        assert_eq!(confidence(&good()), 1.0);
        assert!(confidence(&Evidence { reps: Some(1), ..good() }) < confidence(&Evidence { reps: Some(3), ..good() }));
        assert!(confidence(&Evidence { spread: Some(5.0), ..good() }) < 0.51);
        assert!(confidence(&Evidence { view_factor: 0.2, ..good() }) <= 0.2);
        assert!(confidence(&Evidence { usable_fraction: 0.25, ..good() }) <= 0.5);
        assert_eq!(confidence(&Evidence { visibility: f64::NAN, ..good() }), 0.0);
        assert_eq!(confidence(&Evidence { reps: Some(0), ..good() }), 0.0);
        assert_eq!(confidence(&Evidence { reps: None, ..good() }), 1.0);
    }
}
