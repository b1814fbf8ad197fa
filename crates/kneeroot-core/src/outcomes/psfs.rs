//! PSFS, the Patient-Specific Functional Scale (Stratford et al. 1995): the person names 3 to 5 important
//! activities they have trouble with and rates each from 0 (unable to do it) to 10 (able to do it as
//! before the problem). The score is the mean rating, higher is better.
//!
//! This is the original scale; PSFS 2.0 runs the other way and is not mixed in.
//!
//! # Follow-up
//! The *same* activities are re-rated at follow-up and matched by name (ignoring case and repeated
//! spaces, so "Stairs " matches "stairs"). Each matched activity gets its own verdict, and the mean
//! change is computed over the matched activities only: an activity dropped or added at follow-up is
//! listed, but never allowed to move the mean, since the mean of a different set of activities is a
//! different measurement. A real change is at least 2 points for the mean and 3 for one activity, the
//! minimal detectable changes (90 % confidence) of the scale.

use serde::{Deserialize, Serialize};

use super::change::{ChangeVerdict, MeaningfulChange, Measure, Reading};
use super::error::OutcomeError;
use super::instrument::Instrument;

/// One activity and how well the person can do it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PsfsActivity {
    /// The activity in the person's words, e.g. "going down stairs".
    pub name: String,
    /// 0 = unable to do it … 10 = able to do it as before the problem.
    pub rating: u8,
}

impl PsfsActivity {
    /// An activity with its rating (checked when the [`Psfs`] is built).
    pub fn new(name: impl Into<String>, rating: u8) -> PsfsActivity {
        PsfsActivity { name: name.into(), rating }
    }

    /// The name as matched at follow-up: trimmed, lower-case, single spaces.
    fn key(&self) -> String {
        self.name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    }
}

/// A checked PSFS: 3 to 5 activities with distinct, non-empty names, each rated 0–10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<PsfsActivity>", into = "Vec<PsfsActivity>")]
pub struct Psfs {
    activities: Vec<PsfsActivity>,
}

impl Psfs {
    /// Check and keep the activities, in the order given.
    ///
    /// # Errors
    /// Fewer than 3 or more than 5 activities ([`OutcomeError::ActivityCount`]), an empty name or a rating
    /// above 10 ([`OutcomeError::InvalidValue`] naming the activity), or two activities with the same name
    /// ([`OutcomeError::DuplicateActivity`]).
    pub fn new(activities: Vec<PsfsActivity>) -> Result<Psfs, OutcomeError> {
        if !(3..=5).contains(&activities.len()) {
            return Err(OutcomeError::ActivityCount { found: activities.len() });
        }
        for (i, a) in activities.iter().enumerate() {
            if a.key().is_empty() {
                return Err(OutcomeError::InvalidValue {
                    instrument: "psfs",
                    item: format!("activity {}", i + 1),
                    value: format!("{:?}", a.name),
                    allowed: "the name of an activity, e.g. \"going down stairs\"".to_owned(),
                });
            }
            if a.rating > 10 {
                return Err(OutcomeError::InvalidValue {
                    instrument: "psfs",
                    item: a.name.clone(),
                    value: a.rating.to_string(),
                    allowed: "a rating from 0 (unable to do it) to 10 (as well as before the problem)".to_owned(),
                });
            }
            if activities[..i].iter().any(|earlier| earlier.key() == a.key()) {
                return Err(OutcomeError::DuplicateActivity { name: a.name.clone() });
            }
        }
        Ok(Psfs { activities })
    }

    /// The activities, in the order given.
    pub fn activities(&self) -> &[PsfsActivity] {
        &self.activities
    }

    /// The PSFS score: the mean rating, 0–10, unrounded.
    pub fn score(&self) -> f64 {
        mean(self.activities.iter().map(|a| a.rating))
    }

    /// The score as a reading for [`interpret`](super::interpret).
    pub fn reading(&self) -> Reading<'static> {
        Reading::new(self.score(), Instrument::Psfs.version())
    }
}

impl TryFrom<Vec<PsfsActivity>> for Psfs {
    type Error = OutcomeError;
    fn try_from(activities: Vec<PsfsActivity>) -> Result<Psfs, OutcomeError> {
        Psfs::new(activities)
    }
}

impl From<Psfs> for Vec<PsfsActivity> {
    fn from(p: Psfs) -> Vec<PsfsActivity> {
        p.activities
    }
}

fn mean(ratings: impl Iterator<Item = u8>) -> f64 {
    let (n, sum) = ratings.fold((0u32, 0u32), |(n, s), r| (n + 1, s + u32::from(r)));
    f64::from(sum) / f64::from(n.max(1))
}

/// When a change in PSFS is a real one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PsfsThresholds {
    /// The smallest change of the mean rating that counts (default 2, the MDC of the mean).
    pub mean: f64,
    /// The smallest change of one activity's rating that counts (default 3, the MDC of one activity).
    pub activity: f64,
}

impl Default for PsfsThresholds {
    fn default() -> PsfsThresholds {
        PsfsThresholds { mean: 2.0, activity: 3.0 }
    }
}

/// How a PSFS changed between baseline and follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsfsChange {
    /// The change of the mean over the activities rated both times.
    pub mean: ChangeVerdict,
    /// Each activity rated both times, in baseline order.
    pub activities: Vec<PsfsActivityChange>,
    /// Baseline activities not re-rated at follow-up (as named at baseline).
    pub dropped: Vec<String>,
    /// Follow-up activities that were not rated at baseline (as named at follow-up).
    pub added: Vec<String>,
}

/// One activity's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsfsActivityChange {
    /// The activity, as named at baseline.
    pub name: String,
    /// Its change, judged with the single-activity threshold.
    pub change: ChangeVerdict,
}

/// Compare a follow-up PSFS with the baseline, matching activities by name.
///
/// # Errors
/// [`OutcomeError::NoMatchingActivity`] if no baseline activity was re-rated.
pub fn compare_psfs(
    baseline: &Psfs,
    follow_up: &Psfs,
    thresholds: &MeaningfulChange,
) -> Result<PsfsChange, OutcomeError> {
    let version = Instrument::Psfs.version();
    let rating = |r: u8| Reading::new(f64::from(r), version);
    let mut pairs = Vec::new();
    let mut dropped = Vec::new();
    for before in &baseline.activities {
        match follow_up.activities.iter().find(|after| after.key() == before.key()) {
            Some(after) => pairs.push((before, after)),
            None => dropped.push(before.name.clone()),
        }
    }
    let added: Vec<String> = follow_up
        .activities
        .iter()
        .filter(|after| !baseline.activities.iter().any(|before| before.key() == after.key()))
        .map(|a| a.name.clone())
        .collect();
    if pairs.is_empty() {
        let names = |p: &Psfs| p.activities.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ");
        return Err(OutcomeError::NoMatchingActivity { baseline: names(baseline), follow_up: names(follow_up) });
    }
    let mean_before = Reading::new(mean(pairs.iter().map(|(b, _)| b.rating)), version);
    let mean_after = Reading::new(mean(pairs.iter().map(|(_, a)| a.rating)), version);
    let mean = thresholds.interpret(Measure::PsfsMean, mean_before, mean_after)?;
    let activities = pairs
        .iter()
        .map(|(b, a)| {
            let change = thresholds.interpret(Measure::PsfsActivity, rating(b.rating), rating(a.rating))?;
            Ok(PsfsActivityChange { name: b.name.clone(), change })
        })
        .collect::<Result<Vec<_>, OutcomeError>>()?;
    Ok(PsfsChange { mean, activities, dropped, added })
}
