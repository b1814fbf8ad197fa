//! KOOS-PS, the KOOS Physical function Short form (Perruccio et al. 2008): seven KOOS items whose raw sum
//! is converted to an interval score with a published Rasch table.
//!
//! Items: rising from bed (A10), putting on socks (A9), rising from sitting (A3), bending to the floor
//! (A5), twisting/pivoting on the knee (SP4), kneeling (SP5), squatting (SP1); each 0–4, raw sum 0–28.
//!
//! # Direction
//! The original publication scores **0 = no difficulty, 100 = extreme difficulty**, the opposite of KOOS.
//! kneeroot reports it in **KOOS direction: 100 = no difficulty, 0 = extreme difficulty**, so every knee
//! score in the app reads the same way; the original value is `100 − score`. The direction is part of the
//! stored version id ([`Instrument::KoosPs`](super::Instrument::KoosPs)).
//!
//! # Missing items
//! The official rule for missing KOOS-PS items was not found; the raw sum is meaningless with an item
//! missing and the table has no place for a partial sum, so all seven are required.
//!
//! # The table
//! From awell-health/awell-score's conversion table (code, not README: the README prints 67.7 for raw 11,
//! a typo; the code's 64.7 is monotone and equals 100 − 35.3).

use super::koos::KoosAnswers;

/// The KOOS-PS items, in the order of the short form.
pub const KOOS_PS_ITEMS: [&str; 7] = ["A10", "A9", "A3", "A5", "SP4", "SP5", "SP1"];

/// Raw sum (index 0–28) → KOOS-PS in KOOS direction (100 = no difficulty).
pub const KOOS_PS_CONVERSION: [f64; 29] = [
    100.0, 94.4, 89.5, 85.2, 81.4, 78.0, 75.1, 72.5, 70.3, 68.2, 66.4, 64.7, 63.0, 61.4, 59.7, // 0–14
    58.0, 56.0, 53.9, 51.5, 48.8, 45.6, 42.1, 38.0, 33.4, 28.2, 22.3, 15.7, 8.2, 0.0, // 15–28
];

/// KOOS-PS in KOOS direction (100 = no difficulty), or `None` unless all seven items are answered.
pub fn score_koos_ps(answers: &KoosAnswers) -> Option<f64> {
    let raw: Option<u8> = answers.codes_of(&KOOS_PS_ITEMS).sum();
    raw.and_then(koos_ps_from_raw)
}

/// Convert a raw sum 0–28 with the table; `None` above 28.
pub fn koos_ps_from_raw(raw: u8) -> Option<f64> {
    KOOS_PS_CONVERSION.get(usize::from(raw)).copied()
}
