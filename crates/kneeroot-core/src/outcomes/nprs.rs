//! NPRS, the Numeric Pain Rating Scale: one rating from 0 (no pain) to 10 (worst pain imaginable).
//!
//! A rating means little without its context and recall window ("average over the last 24 hours", "worst
//! during today's exercise"); the caller stores those with it. Lower is better, so an improvement is a
//! *decrease*.
//!
//! # What counts as a real change
//! Farrar et al. (2001) found a reduction of about 2 points or about 30 % clinically important; either is
//! enough. Higher baselines need larger raw changes, which the percentage captures, so both are reported.
//! For patellofemoral pain Piva et al. (2009) found a smaller MCID (1.16, used as 1.2): see
//! [`NprsThresholds::patellofemoral`]. On whole-number ratings a 1.2-point threshold means a 2-point
//! drop; it only differs from the default for averaged ratings or through the percentage.
//!
//! The percentage rule is applied to improvements only: it was derived for reductions, and on a low
//! baseline a small rise is a large percentage (1 → 2 is +100 %) without being a real worsening. A
//! worsening therefore needs an increase of at least `points`.

use serde::{Deserialize, Serialize};

use super::change::{Direction, EPSILON, Reading};
use super::error::OutcomeError;
use super::instrument::Instrument;

/// One pain rating, 0–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Nprs(u8);

impl Nprs {
    /// A rating from 0 (no pain) to 10 (worst pain imaginable).
    ///
    /// # Errors
    /// A rating above 10.
    pub fn new(rating: u8) -> Result<Nprs, OutcomeError> {
        if rating > 10 {
            return Err(OutcomeError::InvalidValue {
                instrument: "nprs",
                item: "rating".to_owned(),
                value: rating.to_string(),
                allowed: "a whole number from 0 (no pain) to 10 (worst pain imaginable)".to_owned(),
            });
        }
        Ok(Nprs(rating))
    }

    /// The rating.
    pub fn value(self) -> u8 {
        self.0
    }

    /// The rating as a reading for [`interpret`](super::interpret).
    pub fn reading(self) -> Reading<'static> {
        Reading::new(f64::from(self.0), Instrument::Nprs.version())
    }
}

impl TryFrom<u8> for Nprs {
    type Error = OutcomeError;
    fn try_from(rating: u8) -> Result<Nprs, OutcomeError> {
        Nprs::new(rating)
    }
}

impl From<Nprs> for u8 {
    fn from(n: Nprs) -> u8 {
        n.0
    }
}

/// When a change in NPRS is a real one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NprsThresholds {
    /// The smallest decrease (or, for a worsening, increase) in points that counts (default 2).
    pub points: f64,
    /// The smallest decrease as a percentage of the baseline that also counts as an improvement (default
    /// 30); `None` to use points only. Not applied to a baseline of 0, which cannot decrease.
    pub percent: Option<f64>,
}

impl Default for NprsThresholds {
    /// Farrar 2001: 2 points or 30 %.
    fn default() -> NprsThresholds {
        NprsThresholds { points: 2.0, percent: Some(30.0) }
    }
}

impl NprsThresholds {
    /// Patellofemoral pain (Piva 2009, MCID 1.16): 1.2 points, with the 30 % rule kept.
    pub fn patellofemoral() -> NprsThresholds {
        NprsThresholds { points: 1.2, ..NprsThresholds::default() }
    }

    /// Whether a change from `baseline` to `follow_up` is a real improvement, a real worsening, or neither.
    pub fn judge(&self, baseline: f64, follow_up: f64) -> Direction {
        let decrease = baseline - follow_up;
        // Multiply rather than divide, so that 10 → 7 is exactly 30 % and not 29.999… or 30.000…1.
        let by_percent = |p: f64| baseline > 0.0 && decrease * 100.0 >= p * baseline - EPSILON;
        if decrease > EPSILON && (decrease >= self.points - EPSILON || self.percent.is_some_and(by_percent)) {
            Direction::Improved
        } else if -decrease > EPSILON && -decrease >= self.points - EPSILON {
            Direction::Worsened
        } else {
            Direction::NoClearChange
        }
    }
}
