//! Is a change between two scores real? Thresholds for a meaningful change, and the verdict in plain words.
//!
//! Every questionnaire score moves a little from week to week without anything having changed; a change
//! only means something once it is larger than that noise. The defaults below are the reference's
//! (§2.8), each configurable because published values depend on the population and the method:
//!
//! | measure                | direction        | default                          | basis                            |
//! |------------------------|------------------|----------------------------------|----------------------------------|
//! | KOOS subscale          | higher is better | 10 points                        | Roos 2003, Paradowski 2004       |
//! | KOOS-12 scale/summary  | higher is better | 10 points (provisional)          | no published MIC found           |
//! | KOOS-PS                | higher is better | none: never called meaningful    | no published MIC found           |
//! | Kujala AKPS            | higher is better | 10 points                        | Crossley 2004                    |
//! | NPRS                   | lower is better  | 2 points or 30 % (PFP: 1.2)      | Farrar 2001, Piva 2009           |
//! | PSFS mean / activity   | higher is better | 2 / 3 points                     | Stratford MDC, Abbott & Schmitt  |
//!
//! A change at or beyond the threshold is a real improvement or worsening; anything smaller is "within
//! the noise", however encouraging. Thresholds apply to the unrounded change, with a margin of 10⁻⁹ so that
//! a true 10-point change computed from fractional scores as 9.999999999999996 still counts.
//!
//! # Versions
//! Two scores are only compared if they come from the same version of the instrument's scoring: a Kujala
//! total from the canonical table and one from a circulating web form (which scores three items
//! differently) are on different scales, as are PSFS and the inverted PSFS 2.0. [`interpret`] returns
//! [`OutcomeError::VersionMismatch`] rather than a verdict that would look trustworthy and is not.

use serde::{Deserialize, Serialize};

use super::display::display_delta;
use super::error::OutcomeError;
use super::instrument::Instrument;
use super::nprs::NprsThresholds;
use super::psfs::PsfsThresholds;

/// The margin below a threshold that still counts as reaching it: a change computed from fractional
/// scores can miss a threshold it truly meets by floating-point error alone (10 as 9.999999999999996).
pub(super) const EPSILON: f64 = 1e-9;

/// What is being compared (which decides the range, the good direction and the threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Any one of the five KOOS subscales.
    KoosSubscale,
    /// A KOOS-12 scale or the KOOS-12 summary.
    Koos12,
    /// KOOS-PS in KOOS direction (100 = no difficulty).
    KoosPs,
    /// The Kujala AKPS total.
    Kujala,
    /// An NPRS rating (or a mean of ratings with the same context).
    Nprs,
    /// The PSFS score (mean rating).
    PsfsMean,
    /// One PSFS activity's rating.
    PsfsActivity,
}

impl Measure {
    /// The id used in JSON and messages.
    pub fn id(self) -> &'static str {
        match self {
            Measure::KoosSubscale => "koos_subscale",
            Measure::Koos12 => "koos12",
            Measure::KoosPs => "koos_ps",
            Measure::Kujala => "kujala",
            Measure::Nprs => "nprs",
            Measure::PsfsMean => "psfs_mean",
            Measure::PsfsActivity => "psfs_activity",
        }
    }

    /// The instrument the scores come from.
    pub fn instrument(self) -> Instrument {
        match self {
            Measure::KoosSubscale => Instrument::Koos,
            Measure::Koos12 => Instrument::Koos12,
            Measure::KoosPs => Instrument::KoosPs,
            Measure::Kujala => Instrument::Kujala,
            Measure::Nprs => Instrument::Nprs,
            Measure::PsfsMean | Measure::PsfsActivity => Instrument::Psfs,
        }
    }

    /// The highest possible score (the lowest is 0 for every measure).
    pub fn max(self) -> f64 {
        match self {
            Measure::Nprs | Measure::PsfsMean | Measure::PsfsActivity => 10.0,
            _ => 100.0,
        }
    }

    /// Whether a higher score is better (false only for pain ratings).
    pub fn higher_is_better(self) -> bool {
        self != Measure::Nprs
    }
}

/// One score to compare, with the version of the scoring that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reading<'a> {
    /// The unrounded score.
    pub value: f64,
    /// The scoring version id, as stored with the score (see [`Instrument::version`]).
    pub version: &'a str,
}

impl<'a> Reading<'a> {
    /// A score with the version it was stored with.
    pub fn new(value: f64, version: &'a str) -> Reading<'a> {
        Reading { value, version }
    }
}

impl Reading<'static> {
    /// A score produced by this crate's current scoring of `measure`.
    pub fn current(measure: Measure, value: f64) -> Reading<'static> {
        Reading { value, version: measure.instrument().version() }
    }
}

/// Which way a change went, if it was real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A real improvement (at least the threshold in the good direction).
    Improved,
    /// A real worsening (at least the threshold in the bad direction).
    Worsened,
    /// Smaller than the threshold, or no threshold is agreed for the measure.
    NoClearChange,
}

/// The verdict on a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeVerdict {
    /// Follow-up minus baseline, unrounded (negative is better for NPRS).
    pub delta: f64,
    /// For NPRS, the change as a percentage of a non-zero baseline; `None` otherwise.
    pub percent: Option<f64>,
    /// Whether the change reached the threshold (either way).
    pub meaningful: bool,
    /// Improved, worsened or no clear change.
    pub direction: Direction,
    /// The change in plain words, e.g. `"+12: a real improvement"` or `"+4: within the noise"`.
    pub text: String,
}

/// The meaningful-change thresholds for every measure; the defaults are the reference's (§2.8).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeaningfulChange {
    /// KOOS subscale, points (default 10).
    pub koos: f64,
    /// KOOS-12 scale or summary, points (default 10, provisional: no published MIC was found).
    pub koos12: f64,
    /// KOOS-PS, points; `None` by default because no threshold was found, so no change is called real.
    pub koos_ps: Option<f64>,
    /// Kujala total, points (default 10).
    pub kujala: f64,
    /// NPRS (default 2 points or 30 %).
    pub nprs: NprsThresholds,
    /// PSFS (default 2 for the mean, 3 for one activity).
    pub psfs: PsfsThresholds,
}

impl Default for MeaningfulChange {
    fn default() -> MeaningfulChange {
        MeaningfulChange {
            koos: 10.0,
            koos12: 10.0,
            koos_ps: None,
            kujala: 10.0,
            nprs: NprsThresholds::default(),
            psfs: PsfsThresholds::default(),
        }
    }
}

impl MeaningfulChange {
    /// The points threshold of a measure (for NPRS, the points part), if one is agreed.
    pub fn threshold(&self, measure: Measure) -> Option<f64> {
        match measure {
            Measure::KoosSubscale => Some(self.koos),
            Measure::Koos12 => Some(self.koos12),
            Measure::KoosPs => self.koos_ps,
            Measure::Kujala => Some(self.kujala),
            Measure::Nprs => Some(self.nprs.points),
            Measure::PsfsMean => Some(self.psfs.mean),
            Measure::PsfsActivity => Some(self.psfs.activity),
        }
    }

    /// Judge the change from `baseline` to `follow_up` with these thresholds.
    ///
    /// # Errors
    /// [`OutcomeError::VersionMismatch`] if the two readings come from different scoring versions (they
    /// are never compared); [`OutcomeError::InvalidValue`] if a value is not a number within the measure's
    /// range.
    pub fn interpret(
        &self,
        measure: Measure,
        baseline: Reading<'_>,
        follow_up: Reading<'_>,
    ) -> Result<ChangeVerdict, OutcomeError> {
        if baseline.version != follow_up.version {
            return Err(OutcomeError::VersionMismatch {
                measure: measure.id(),
                baseline: baseline.version.to_owned(),
                follow_up: follow_up.version.to_owned(),
            });
        }
        check_range(measure, "baseline", baseline.value)?;
        check_range(measure, "follow_up", follow_up.value)?;
        let (before, after) = (baseline.value, follow_up.value);
        let delta = after - before;
        let percent = (measure == Measure::Nprs && before > 0.0).then(|| delta * 100.0 / before);
        let threshold = self.threshold(measure);
        let direction = match (measure, threshold) {
            (Measure::Nprs, _) => self.nprs.judge(before, after),
            (_, None) => Direction::NoClearChange,
            (_, Some(t)) => {
                let gain = if measure.higher_is_better() { delta } else { -delta };
                if gain > EPSILON && gain >= t - EPSILON {
                    Direction::Improved
                } else if -gain > EPSILON && -gain >= t - EPSILON {
                    Direction::Worsened
                } else {
                    Direction::NoClearChange
                }
            }
        };
        let change = match percent {
            Some(p) => format!("{} ({}%)", display_delta(delta), display_delta(p)),
            None => display_delta(delta),
        };
        let verdict = match (direction, threshold) {
            (Direction::Improved, _) => "a real improvement",
            (Direction::Worsened, _) => "a real worsening",
            (Direction::NoClearChange, Some(_)) => "within the noise",
            (Direction::NoClearChange, None) => "no agreed threshold for a real change yet",
        };
        Ok(ChangeVerdict {
            delta,
            percent,
            meaningful: direction != Direction::NoClearChange,
            direction,
            text: format!("{change}: {verdict}"),
        })
    }
}

fn check_range(measure: Measure, which: &str, value: f64) -> Result<(), OutcomeError> {
    if value.is_finite() && (0.0..=measure.max()).contains(&value) {
        return Ok(());
    }
    Err(OutcomeError::InvalidValue {
        instrument: measure.instrument().id(),
        item: which.to_owned(),
        value: value.to_string(),
        allowed: format!("a {} score from 0 to {}", measure.id(), measure.max()),
    })
}

/// Judge a change with the default thresholds ([`MeaningfulChange::default`]).
///
/// # Errors
/// As [`MeaningfulChange::interpret`]: different versions, or a value out of range.
///
/// # Examples
/// ```
/// use kneeroot_core::outcomes::{Direction, Measure, Reading, interpret};
///
/// let v = interpret(Measure::KoosSubscale, Reading::current(Measure::KoosSubscale, 50.0),
///     Reading::current(Measure::KoosSubscale, 62.0)).unwrap();
/// assert_eq!(v.direction, Direction::Improved);
/// assert_eq!(v.text, "+12: a real improvement");
/// ```
pub fn interpret(
    measure: Measure,
    baseline: Reading<'_>,
    follow_up: Reading<'_>,
) -> Result<ChangeVerdict, OutcomeError> {
    MeaningfulChange::default().interpret(measure, baseline, follow_up)
}
