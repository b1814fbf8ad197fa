//! Outcome questionnaires, scored exactly: KOOS, KOOS-12, KOOS-PS, the Kujala Anterior Knee Pain Scale,
//! the Numeric Pain Rating Scale and the Patient-Specific Functional Scale; and whether a change between
//! two scores is real.
//!
//! These are validated instruments: a score is only comparable with published values and with the
//! person's own earlier scores if it is computed the published way, to the letter. So each instrument
//! follows its scoring sheet (clinical reference §2), including the missing-data rules, and every choice
//! the sources leave open is written down where it is made:
//!
//! - **Missing answers** make a score `None` below the instrument's minimum, never a guess: KOOS needs
//!   half of each subscale (2012 rule), KOOS-12 two of four items per scale and all three scales for the
//!   summary, KOOS-PS all seven items, Kujala all thirteen.
//! - **No rounding** in anything computed; [`display_score`] rounds half-up to one decimal for reading.
//! - **Direction** is stated for every score: all of them are "higher is better" except NPRS, and KOOS-PS
//!   is reported in KOOS direction (100 = no difficulty), the reverse of its original publication.
//! - **Versions.** Every score is stored with its [`Instrument`] and [`Instrument::version`]; scores of
//!   different versions (notably the canonical Kujala table and the web forms that drifted from it) are
//!   never compared: [`interpret`] refuses.
//! - **Codes in, not labels.** Paper-form concerns (KOOS S4/S5 printed in reverse, two boxes ticked) are
//!   resolved by the form before the code arrives here.
//!
//! Input is parsed at the edge ([`KoosAnswers::from_json`], [`KujalaAnswers::from_json`], [`Nprs::new`],
//! [`Psfs::new`]) with errors that name the item, the value and what is allowed; scoring itself cannot
//! fail.
//!
//! # Example
//!
//! ```
//! use kneeroot_core::outcomes::{KoosAnswers, score_koos};
//! use serde_json::json;
//!
//! // Five of the nine pain items answered: enough for the Pain subscale (2012 rule), nothing else.
//! let answers = KoosAnswers::from_json(&json!({"P1": 2, "P2": 1, "P3": 1, "P4": 0, "P5": 3})).unwrap();
//! let scores = score_koos(&answers);
//! assert_eq!(scores.pain, Some(65.0)); // 100 − 25 × (7 / 5)
//! assert_eq!(scores.symptoms, None);
//!
//! let err = KoosAnswers::from_json(&json!({"P1": 5})).unwrap_err();
//! assert!(err.to_string().contains("'P1' = 5"));
//! ```

mod change;
mod display;
mod error;
mod instrument;
mod koos;
mod koos12;
mod koos_ps;
mod kujala;
mod nprs;
mod psfs;

pub use change::{ChangeVerdict, Direction, MeaningfulChange, Measure, Reading, interpret};
pub use display::{display_delta, display_score};
pub use error::OutcomeError;
pub use instrument::Instrument;
pub use koos::{KOOS_ITEM_IDS, KoosAnswers, KoosScores, KoosSubscale, score_koos};
pub use koos_ps::{KOOS_PS_CONVERSION, KOOS_PS_ITEMS, koos_ps_from_raw, score_koos_ps};
pub use koos12::{
    KOOS12_FUNCTION_ITEMS, KOOS12_MIN_ANSWERED, KOOS12_PAIN_ITEMS, KOOS12_QOL_ITEMS, Koos12Scores, score_koos12,
};
pub use kujala::{KUJALA_ITEMS, KUJALA_VERSION, KujalaAnswers, KujalaItem, KujalaOption, KujalaScore, score_kujala};
pub use nprs::{Nprs, NprsThresholds};
pub use psfs::{Psfs, PsfsActivity, PsfsActivityChange, PsfsChange, PsfsThresholds, compare_psfs};

#[cfg(test)]
mod tests;
