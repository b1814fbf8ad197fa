//! KOOS: the Knee injury and Osteoarthritis Outcome Score, 42 items in five subscales, scored exactly as the
//! official "KOOS Scoring 2012" sheet says.
//!
//! Every item is coded 0 (no problem) to 4 (extreme problem) and each subscale is scored on its own as
//! `100 − 25 × mean of the answered items`, so 100 means no problems and 0 extreme problems. A subscale is
//! scored only when at least half of its items were answered (the 2012 rule: Pain 5 of 9, Symptoms 4 of 7,
//! ADL 9 of 17, Sport/Rec 3 of 5, QOL 2 of 4); below that it is `None`, never a guess. The older 1998 rule
//! (at most two missing) is not implemented. There is no official total, so none is offered (the research
//! "KOOS4" average is not an official score).
//!
//! # Codes, not labels
//! Answers are stored as codes. S4 ("can you straighten your knee fully?") and S5 ("…bend it fully?") are
//! printed in reverse on the paper form (Always = 0 … Never = 4), so for them the left-most box is *not* the
//! worst answer. Turning a ticked box into a code is the form's job; this module takes the code as given
//! and scores S4 and S5 like every other item. The same goes for the paper marking rules (a mark between
//! boxes counts as the nearest box, two boxes as the more severe one): they decide the code before it gets
//! here.
//!
//! # Precision
//! Scores are unrounded `f64`s; round only for display ([`display_score`](super::display_score)), so that
//! change scores are computed from the real values.

use std::fmt;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value as Json;

use super::error::{OutcomeError, render};
use super::koos_ps::score_koos_ps;
use super::koos12::{Koos12Scores, score_koos12};

/// Every KOOS item id, grouped by subscale (Pain, Symptoms, ADL, Sport/Rec, QOL) in item order.
pub const KOOS_ITEM_IDS: [&str; 42] = [
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", // Pain
    "S1", "S2", "S3", "S4", "S5", "S6", "S7", // Symptoms
    "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11", "A12", "A13", "A14", "A15", "A16",
    "A17", // Activities of daily living
    "SP1", "SP2", "SP3", "SP4", "SP5", // Sport and recreation
    "Q1", "Q2", "Q3", "Q4", // Quality of life
];

const ALLOWED_IDS: &str = "P1–P9, S1–S7, A1–A17, SP1–SP5, Q1–Q4";
const ALLOWED_CODES: &str = "an integer code from 0 (no problem) to 4 (extreme), or null for not answered";

/// One of the five KOOS subscales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KoosSubscale {
    /// Pain, P1–P9.
    Pain,
    /// Other symptoms, S1–S7.
    Symptoms,
    /// Function in daily living, A1–A17.
    Adl,
    /// Function in sport and recreation, SP1–SP5.
    SportRec,
    /// Knee-related quality of life, Q1–Q4.
    Qol,
}

impl KoosSubscale {
    /// The five subscales in the order of the scoring sheet.
    pub const ALL: [KoosSubscale; 5] =
        [KoosSubscale::Pain, KoosSubscale::Symptoms, KoosSubscale::Adl, KoosSubscale::SportRec, KoosSubscale::Qol];

    /// The id used in JSON: `pain`, `symptoms`, `adl`, `sport_rec`, `qol`.
    pub fn id(self) -> &'static str {
        match self {
            KoosSubscale::Pain => "pain",
            KoosSubscale::Symptoms => "symptoms",
            KoosSubscale::Adl => "adl",
            KoosSubscale::SportRec => "sport_rec",
            KoosSubscale::Qol => "qol",
        }
    }

    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            KoosSubscale::Pain => "Pain",
            KoosSubscale::Symptoms => "Symptoms",
            KoosSubscale::Adl => "Daily living",
            KoosSubscale::SportRec => "Sport and recreation",
            KoosSubscale::Qol => "Quality of life",
        }
    }

    /// The item ids of this subscale, in item order.
    pub fn items(self) -> &'static [&'static str] {
        &KOOS_ITEM_IDS[self.range()]
    }

    /// The fewest answered items with which the subscale is scored (the 2012 rule: at least half).
    pub fn min_answered(self) -> usize {
        match self {
            KoosSubscale::Pain => 5,
            KoosSubscale::Symptoms => 4,
            KoosSubscale::Adl => 9,
            KoosSubscale::SportRec => 3,
            KoosSubscale::Qol => 2,
        }
    }

    fn range(self) -> std::ops::Range<usize> {
        match self {
            KoosSubscale::Pain => 0..9,
            KoosSubscale::Symptoms => 9..16,
            KoosSubscale::Adl => 16..33,
            KoosSubscale::SportRec => 33..38,
            KoosSubscale::Qol => 38..42,
        }
    }
}

/// A person's KOOS answers: for each item, a code 0–4 or nothing (not answered).
///
/// Built empty and filled with [`set`](KoosAnswers::set), or parsed from JSON with
/// [`from_json`](KoosAnswers::from_json); either way every code is known to be 0–4. Serialises as a JSON
/// object of the answered items only (a missing key means not answered) and deserialises through the same
/// checks as `from_json`. The KOOS-12 and KOOS-PS are scored from the same answers, since their items are
/// KOOS items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KoosAnswers {
    codes: [Option<u8>; 42],
}

impl KoosAnswers {
    /// No item answered.
    pub fn new() -> KoosAnswers {
        KoosAnswers { codes: [None; 42] }
    }

    /// Parse a JSON object mapping item ids (`P1` … `Q4`) to a code 0–4 or `null`; absent items are not
    /// answered.
    ///
    /// # Errors
    /// [`OutcomeError::NotAnObject`] for anything but an object; [`OutcomeError::UnknownItem`] for an id
    /// that is not a KOOS item (ids are case-sensitive; a near miss is suggested);
    /// [`OutcomeError::InvalidValue`] for a value that is not an integer 0–4 or null. The first problem
    /// found is reported, naming the item, the value and what is allowed.
    pub fn from_json(value: &Json) -> Result<KoosAnswers, OutcomeError> {
        let Json::Object(map) = value else {
            return Err(OutcomeError::NotAnObject { instrument: "koos", value: render(value) });
        };
        let mut answers = KoosAnswers::new();
        for (item, raw) in map {
            let index = index_of(item)?;
            answers.codes[index] = match raw {
                Json::Null => None,
                _ => Some(
                    raw.as_u64()
                        .filter(|c| *c <= 4)
                        .and_then(|c| u8::try_from(c).ok())
                        .ok_or_else(|| invalid(item, &render(raw)))?,
                ),
            };
        }
        Ok(answers)
    }

    /// Set one item's code (`None` = not answered).
    ///
    /// # Errors
    /// An unknown item id, or a code above 4.
    pub fn set(&mut self, item: &str, code: Option<u8>) -> Result<(), OutcomeError> {
        let index = index_of(item)?;
        if let Some(c) = code.filter(|c| *c > 4) {
            return Err(invalid(item, &c.to_string()));
        }
        self.codes[index] = code;
        Ok(())
    }

    /// The code of an item, or `None` if it was not answered or is not a KOOS item id.
    pub fn get(&self, item: &str) -> Option<u8> {
        index_of(item).ok().and_then(|i| self.codes[i])
    }

    /// How many items of a subscale were answered.
    pub fn answered(&self, subscale: KoosSubscale) -> usize {
        self.codes[subscale.range()].iter().flatten().count()
    }

    /// The codes of the given items, in the given order (for the short forms, whose items are KOOS items).
    pub(super) fn codes_of<'a>(&'a self, items: &'a [&'a str]) -> impl Iterator<Item = Option<u8>> + 'a {
        items.iter().map(|id| self.get(id))
    }
}

fn index_of(item: &str) -> Result<usize, OutcomeError> {
    if let Some(i) = KOOS_ITEM_IDS.iter().position(|id| *id == item) {
        return Ok(i);
    }
    let near = KOOS_ITEM_IDS.iter().find(|id| id.eq_ignore_ascii_case(item.trim()));
    let allowed = match near {
        Some(id) => format!("{ALLOWED_IDS} (did you mean '{id}'?)"),
        None => ALLOWED_IDS.to_owned(),
    };
    Err(OutcomeError::UnknownItem { instrument: "koos", item: item.to_owned(), allowed })
}

fn invalid(item: &str, value: &str) -> OutcomeError {
    OutcomeError::InvalidValue {
        instrument: "koos",
        item: item.to_owned(),
        value: value.to_owned(),
        allowed: ALLOWED_CODES.to_owned(),
    }
}

impl Serialize for KoosAnswers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let answered: Vec<(&str, u8)> =
            KOOS_ITEM_IDS.iter().zip(self.codes).filter_map(|(id, c)| c.map(|c| (*id, c))).collect();
        let mut map = serializer.serialize_map(Some(answered.len()))?;
        for (id, code) in answered {
            map.serialize_entry(id, &code)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for KoosAnswers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Json::deserialize(deserializer)?;
        KoosAnswers::from_json(&json).map_err(D::Error::custom)
    }
}

impl Default for KoosAnswers {
    fn default() -> KoosAnswers {
        KoosAnswers::new()
    }
}

impl fmt::Display for KoosSubscale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every score the KOOS answers support: the five subscales, the KOOS-12 and the KOOS-PS.
///
/// All scores are unrounded; `None` means not scorable (too few items answered). Serialises to
/// `{"pain","symptoms","adl","sport_rec","qol","koos12":{…},"koos_ps"}` with `null` for `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KoosScores {
    /// Pain, 0 (extreme) – 100 (none); needs 5 of 9 items.
    pub pain: Option<f64>,
    /// Symptoms, 0–100, higher is better; needs 4 of 7 items.
    pub symptoms: Option<f64>,
    /// Function in daily living, 0–100, higher is better; needs 9 of 17 items.
    pub adl: Option<f64>,
    /// Function in sport and recreation, 0–100, higher is better; needs 3 of 5 items.
    pub sport_rec: Option<f64>,
    /// Knee-related quality of life, 0–100, higher is better; needs 2 of 4 items.
    pub qol: Option<f64>,
    /// The KOOS-12 scales and summary, from the twelve KOOS-12 items among the answers.
    pub koos12: Koos12Scores,
    /// KOOS-PS **in KOOS direction: 100 = no difficulty, 0 = extreme difficulty** (the original
    /// publication runs the other way; its value is `100 − koos_ps`). Needs all 7 items.
    pub koos_ps: Option<f64>,
}

impl KoosScores {
    /// The score of one subscale.
    pub fn subscale(&self, subscale: KoosSubscale) -> Option<f64> {
        match subscale {
            KoosSubscale::Pain => self.pain,
            KoosSubscale::Symptoms => self.symptoms,
            KoosSubscale::Adl => self.adl,
            KoosSubscale::SportRec => self.sport_rec,
            KoosSubscale::Qol => self.qol,
        }
    }
}

/// Score the five KOOS subscales, the KOOS-12 and the KOOS-PS from one set of answers.
pub fn score_koos(answers: &KoosAnswers) -> KoosScores {
    let sub = |s: KoosSubscale| scale_score(answers.codes[s.range()].iter().copied(), s.min_answered());
    KoosScores {
        pain: sub(KoosSubscale::Pain),
        symptoms: sub(KoosSubscale::Symptoms),
        adl: sub(KoosSubscale::Adl),
        sport_rec: sub(KoosSubscale::SportRec),
        qol: sub(KoosSubscale::Qol),
        koos12: score_koos12(answers),
        koos_ps: score_koos_ps(answers),
    }
}

/// `100 − 25 × mean of the answered codes`, or `None` with fewer than `min_answered` (or no) answers.
///
/// Shared by KOOS and KOOS-12, whose scales are the same transform (KOOS-12's person-specific mean
/// imputation followed by a linear transform is algebraically the mean of the answered items).
pub(super) fn scale_score(codes: impl IntoIterator<Item = Option<u8>>, min_answered: usize) -> Option<f64> {
    let (answered, sum) = codes.into_iter().flatten().fold((0u32, 0u32), |(n, s), c| (n + 1, s + u32::from(c)));
    if answered == 0 || (answered as usize) < min_answered {
        return None;
    }
    // Written as 25 × sum / n rather than 25 × (sum / n): 25 × sum and 100 × n are exact in f64 and
    // division is monotone, so the result is exactly monotone in the sum and 100 − x never leaves 0..=100.
    Some(100.0 - 25.0 * f64::from(sum) / f64::from(answered))
}
