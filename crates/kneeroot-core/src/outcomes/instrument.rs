//! Which questionnaire a stored score came from, and which version of its scoring.
//!
//! A score is a number only in the context of the instrument and the scoring rules that produced it. The id
//! is what storage and the API use; the version string is stored beside every score so that a later change
//! of scoring (a corrected conversion table, a different missing-data rule) never silently mixes two scales
//! in one progress chart. Versions name the source the implementation follows.

use serde::{Deserialize, Serialize};

use super::kujala::KUJALA_VERSION;

/// An outcome questionnaire kneeroot scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// KOOS, five subscales (official "KOOS Scoring 2012").
    Koos,
    /// KOOS-12: Pain, Function and QOL scales and the Summary Knee Impact score (Gandek et al. 2019).
    Koos12,
    /// KOOS-PS physical function short form (Perruccio et al. 2008), reported in KOOS direction.
    KoosPs,
    /// Kujala Anterior Knee Pain Scale (AKPS), canonical point table.
    Kujala,
    /// Numeric Pain Rating Scale, 0–10.
    Nprs,
    /// Patient-Specific Functional Scale (Stratford et al. 1995), 0 = unable … 10 = pre-injury level.
    Psfs,
}

impl Instrument {
    /// Every instrument, in a stable order.
    pub const ALL: [Instrument; 6] = [
        Instrument::Koos,
        Instrument::Koos12,
        Instrument::KoosPs,
        Instrument::Kujala,
        Instrument::Nprs,
        Instrument::Psfs,
    ];

    /// The id used in storage, the API and error messages: `koos`, `koos12`, `koos_ps`, `kujala`, `nprs`, `psfs`.
    pub fn id(self) -> &'static str {
        match self {
            Instrument::Koos => "koos",
            Instrument::Koos12 => "koos12",
            Instrument::KoosPs => "koos_ps",
            Instrument::Kujala => "kujala",
            Instrument::Nprs => "nprs",
            Instrument::Psfs => "psfs",
        }
    }

    /// The instrument with this id, if any.
    pub fn from_id(id: &str) -> Option<Instrument> {
        Instrument::ALL.into_iter().find(|i| i.id() == id)
    }

    /// The version of the scoring rules this crate implements; store it with every score.
    pub fn version(self) -> &'static str {
        match self {
            // The 2012 scoring sheet's missing-data rule (≥ 50 % answered), not the 1998 one.
            Instrument::Koos => "koos-scoring-2012",
            Instrument::Koos12 => "koos12-gandek-2019",
            // The direction is part of the version: the original publication runs the other way
            // (0 = no difficulty), so a number without it is ambiguous.
            Instrument::KoosPs => "koos-ps-perruccio-2008-koos-direction",
            Instrument::Kujala => KUJALA_VERSION,
            Instrument::Nprs => "nprs-0-10",
            // PSFS 2.0 inverts the scale; this is the original one.
            Instrument::Psfs => "psfs-stratford-1995",
        }
    }
}
