//! KOOS-12 (Gandek et al. 2019): twelve KOOS items in three scales and a Summary Knee Impact score.
//!
//! | scale    | items (KOOS ids)            |
//! |----------|-----------------------------|
//! | Pain     | P1, P5, P6, P8              |
//! | Function | A4, A3, A7, SP4             |
//! | QOL      | Q1, Q2, Q3, Q4              |
//!
//! The item *content* is from the validation paper; mapping it to these KOOS ids was done by the
//! reference's author and still needs checking against the KOOS-12 form (reference §2.2, §7 item 2).
//!
//! Each scale is a summated rating with a person-specific mean imputed for missing items, transformed to
//! 0 (worst) – 100 (best), and needs at least 2 of its 4 items. Mean imputation followed by the linear
//! transform equals `100 − 25 × mean of the answered items`, the KOOS formula, so the KOOS code is reused.
//! The summary is the mean of the three scale scores. Whether it may be computed with a scale missing is
//! not stated in the sources found; kneeroot requires all three.
//!
//! A person who filled in only the KOOS-12 form is scored the same way: put the twelve answers into
//! [`KoosAnswers`]; the full-KOOS subscales will then (correctly) not be scorable.

use serde::{Deserialize, Serialize};

use super::koos::{KoosAnswers, scale_score};

/// KOOS-12 Pain items.
pub const KOOS12_PAIN_ITEMS: [&str; 4] = ["P1", "P5", "P6", "P8"];
/// KOOS-12 Function items.
pub const KOOS12_FUNCTION_ITEMS: [&str; 4] = ["A4", "A3", "A7", "SP4"];
/// KOOS-12 Quality-of-life items.
pub const KOOS12_QOL_ITEMS: [&str; 4] = ["Q1", "Q2", "Q3", "Q4"];
/// The fewest answered items (of 4) with which a KOOS-12 scale is scored.
pub const KOOS12_MIN_ANSWERED: usize = 2;

/// The KOOS-12 scores, each 0 (worst) – 100 (best), unrounded; `None` when not scorable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Koos12Scores {
    /// Pain scale; needs 2 of P1, P5, P6, P8.
    pub pain: Option<f64>,
    /// Function scale; needs 2 of A4, A3, A7, SP4.
    pub function: Option<f64>,
    /// Quality-of-life scale; needs 2 of Q1–Q4.
    pub qol: Option<f64>,
    /// Summary Knee Impact: the mean of the three scales; `None` unless all three are scored.
    pub summary: Option<f64>,
}

/// Score the KOOS-12 from the KOOS answers (only the twelve KOOS-12 items are read).
pub fn score_koos12(answers: &KoosAnswers) -> Koos12Scores {
    let scale = |items: &[&str]| scale_score(answers.codes_of(items), KOOS12_MIN_ANSWERED);
    let pain = scale(&KOOS12_PAIN_ITEMS);
    let function = scale(&KOOS12_FUNCTION_ITEMS);
    let qol = scale(&KOOS12_QOL_ITEMS);
    let summary = match (pain, function, qol) {
        (Some(p), Some(f), Some(q)) => Some((p + f + q) / 3.0),
        _ => None,
    };
    Koos12Scores { pain, function, qol, summary }
}
