//! The Kujala Anterior Knee Pain Scale (AKPS; Kujala et al. 1993): 13 multiple-choice items whose points
//! add up to a total of 0–100, higher is better.
//!
//! # Which table
//! The point table is the canonical one printed in J Orthop 2023 (PMC10362729), in its item and option
//! order. Forms circulating on the web differ from it in three places (limp "constant" worth 2 instead of
//! 0, squatting "with partial weight-bearing" worth 1 instead of 2, jumping options relabelled), so a total
//! from one of them is on a slightly different scale. Every score therefore carries [`KUJALA_VERSION`],
//! and [`interpret`](super::interpret) refuses to compare scores whose versions differ.
//!
//! # Answers
//! An answer is the 0-based index of the chosen option in [`KUJALA_ITEMS`] (`0` is always the best,
//! full-points option). No imputation rule for missing items has been published, so the total is only
//! computed when all 13 are answered. The option labels are kneeroot's short paraphrases for building a
//! form, not the questionnaire's wording.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::change::Reading;
use super::error::{OutcomeError, render};

/// The version id of the canonical table, stored with every Kujala score.
pub const KUJALA_VERSION: &str = "akps-jorthop-2023";

/// One answer option of a Kujala item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KujalaOption {
    /// A short paraphrase for a form.
    pub label: &'static str,
    /// The points it scores.
    pub points: u32,
}

/// One Kujala item with its options, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KujalaItem {
    /// The item number, 1–13.
    pub number: u8,
    /// What the item asks about, paraphrased.
    pub topic: &'static str,
    /// The options in the order of the canonical table; an answer is an index into this.
    pub options: &'static [KujalaOption],
}

impl KujalaItem {
    /// The most points this item can score.
    pub fn max_points(&self) -> u32 {
        self.options.iter().map(|o| o.points).max().unwrap_or(0)
    }
}

const fn opt(label: &'static str, points: u32) -> KujalaOption {
    KujalaOption { label, points }
}

/// The canonical point table (J Orthop 2023), items 1–13 in order; the maxima add up to 100.
pub static KUJALA_ITEMS: [KujalaItem; 13] = [
    KujalaItem {
        number: 1,
        topic: "Limping",
        options: &[opt("No limp", 5), opt("Slight, or now and then", 3), opt("All the time", 0)],
    },
    KujalaItem {
        number: 2,
        topic: "Taking weight on the leg",
        options: &[opt("Full weight, no pain", 5), opt("Full weight but it hurts", 3), opt("Cannot take weight", 0)],
    },
    KujalaItem {
        number: 3,
        topic: "Walking",
        options: &[opt("As far as I like", 5), opt("More than 2 km", 3), opt("1 to 2 km", 2), opt("Cannot walk", 0)],
    },
    KujalaItem {
        number: 4,
        topic: "Stairs",
        options: &[
            opt("No trouble", 10),
            opt("Slight pain going down", 8),
            opt("Pain going down and up", 5),
            opt("Cannot use stairs", 0),
        ],
    },
    KujalaItem {
        number: 5,
        topic: "Squatting",
        options: &[
            opt("No trouble", 5),
            opt("Hurts when done repeatedly", 4),
            opt("Hurts every time", 3),
            opt("Only with weight partly off the leg", 2),
            opt("Cannot squat", 0),
        ],
    },
    KujalaItem {
        number: 6,
        topic: "Running",
        options: &[
            opt("No trouble", 10),
            opt("Pain after more than 2 km", 8),
            opt("Slight pain from the start", 6),
            opt("Severe pain", 3),
            opt("Cannot run", 0),
        ],
    },
    KujalaItem {
        number: 7,
        topic: "Jumping",
        options: &[
            opt("No trouble", 10),
            opt("A little difficult", 7),
            opt("Pain all the time", 2),
            opt("Cannot jump", 0),
        ],
    },
    KujalaItem {
        number: 8,
        topic: "Sitting a long time with the knees bent",
        options: &[
            opt("No trouble", 10),
            opt("Pain after exercise", 8),
            opt("Pain all the time", 6),
            opt("Pain makes me straighten the knee for a while", 4),
            opt("Cannot", 0),
        ],
    },
    KujalaItem {
        number: 9,
        topic: "Pain",
        options: &[
            opt("None", 10),
            opt("Slight, now and then", 8),
            opt("Disturbs my sleep", 6),
            opt("Severe now and then", 3),
            opt("Severe all the time", 0),
        ],
    },
    KujalaItem {
        number: 10,
        topic: "Swelling",
        options: &[
            opt("None", 10),
            opt("Only after hard exertion", 8),
            opt("After everyday activities", 6),
            opt("Every evening", 4),
            opt("All the time", 0),
        ],
    },
    KujalaItem {
        number: 11,
        topic: "Painful, unusual kneecap movements (partial dislocations)",
        options: &[
            opt("None", 10),
            opt("Now and then in sport", 6),
            opt("Now and then in daily life", 4),
            opt("At least one confirmed dislocation", 2),
            opt("More than two dislocations", 0),
        ],
    },
    KujalaItem {
        number: 12,
        topic: "Thigh muscle wasting",
        options: &[opt("None", 5), opt("Slight", 3), opt("Severe", 0)],
    },
    KujalaItem {
        number: 13,
        topic: "Loss of knee bend",
        options: &[opt("None", 5), opt("Slight", 3), opt("Severe", 0)],
    },
];

/// A person's Kujala answers: for each item 1–13, the index of the chosen option or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KujalaAnswers {
    choices: [Option<u8>; 13],
}

impl KujalaAnswers {
    /// No item answered.
    pub fn new() -> KujalaAnswers {
        KujalaAnswers::default()
    }

    /// Parse a JSON object mapping `"1"` … `"13"` to the 0-based index of the chosen option, or `null`
    /// (not answered); absent items are not answered.
    ///
    /// # Errors
    /// [`OutcomeError::NotAnObject`], [`OutcomeError::UnknownItem`] for a key other than `"1"` … `"13"`, or
    /// [`OutcomeError::InvalidValue`] naming the item and its allowed index range.
    pub fn from_json(value: &Json) -> Result<KujalaAnswers, OutcomeError> {
        let Json::Object(map) = value else {
            return Err(OutcomeError::NotAnObject { instrument: "kujala", value: render(value) });
        };
        let mut answers = KujalaAnswers::new();
        for (key, raw) in map {
            let item = item_of(key)?;
            let choice = match raw {
                Json::Null => None,
                _ => Some(
                    raw.as_u64()
                        .and_then(|i| usize::try_from(i).ok())
                        .filter(|i| *i < item.options.len())
                        .ok_or_else(|| invalid(item, &render(raw)))?,
                ),
            };
            answers.store(item, choice);
        }
        Ok(answers)
    }

    /// Set item `number` (1–13) to option `choice` (0-based; `None` = not answered).
    ///
    /// # Errors
    /// An item number outside 1–13, or an index past the item's last option.
    pub fn set(&mut self, number: u8, choice: Option<usize>) -> Result<(), OutcomeError> {
        let item = item_of(&number.to_string())?;
        if let Some(c) = choice.filter(|c| *c >= item.options.len()) {
            return Err(invalid(item, &c.to_string()));
        }
        self.store(item, choice);
        Ok(())
    }

    /// The chosen option index of item `number` (1–13), if answered.
    pub fn get(&self, number: u8) -> Option<usize> {
        let i = usize::from(number).checked_sub(1)?;
        self.choices.get(i).copied().flatten().map(usize::from)
    }

    /// The numbers of the items not answered, in order.
    pub fn missing(&self) -> Vec<u8> {
        KUJALA_ITEMS.iter().zip(self.choices).filter(|(_, c)| c.is_none()).map(|(item, _)| item.number).collect()
    }

    fn store(&mut self, item: &KujalaItem, choice: Option<usize>) {
        // Indices were checked against the option count (at most 5), so they fit in a u8.
        self.choices[usize::from(item.number - 1)] = choice.and_then(|c| u8::try_from(c).ok());
    }
}

fn item_of(key: &str) -> Result<&'static KujalaItem, OutcomeError> {
    KUJALA_ITEMS.iter().find(|item| item.number.to_string() == key).ok_or_else(|| OutcomeError::UnknownItem {
        instrument: "kujala",
        item: key.to_owned(),
        allowed: "the item numbers \"1\" to \"13\"".to_owned(),
    })
}

fn invalid(item: &KujalaItem, value: &str) -> OutcomeError {
    let last = item.options.len() - 1;
    OutcomeError::InvalidValue {
        instrument: "kujala",
        item: item.number.to_string(),
        value: value.to_owned(),
        allowed: format!(
            "the index of an option from 0 to {last} ({}: {}), or null for not answered",
            item.topic,
            item.options.iter().enumerate().map(|(i, o)| format!("{i} = {}", o.label)).collect::<Vec<_>>().join("; ")
        ),
    }
}

/// A Kujala total with the version of the table that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KujalaScore {
    /// 0–100, higher is better; `None` if any item is missing.
    pub total: Option<u32>,
    /// The point-table version ([`KUJALA_VERSION`]); totals of different versions are never compared.
    pub version: &'static str,
}

impl KujalaScore {
    /// The total as a reading for [`interpret`](super::interpret), if there is one.
    pub fn reading(&self) -> Option<Reading<'static>> {
        self.total.map(|t| Reading::new(f64::from(t), self.version))
    }
}

/// Add up the points of the chosen options; no total unless all 13 items are answered.
pub fn score_kujala(answers: &KujalaAnswers) -> KujalaScore {
    let total = KUJALA_ITEMS
        .iter()
        .zip(answers.choices)
        .map(|(item, choice)| choice.map(|c| item.options[usize::from(c)].points))
        .sum::<Option<u32>>();
    KujalaScore { total, version: KUJALA_VERSION }
}

/// Deserialises through the same checks as [`KujalaAnswers::from_json`].
impl<'de> Deserialize<'de> for KujalaAnswers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Json::deserialize(deserializer)?;
        KujalaAnswers::from_json(&json).map_err(serde::de::Error::custom)
    }
}

/// Serialises as `{"1": index, …}` for the answered items.
impl Serialize for KujalaAnswers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let answered: Vec<(String, u8)> =
            KUJALA_ITEMS.iter().zip(self.choices).filter_map(|(it, c)| c.map(|c| (it.number.to_string(), c))).collect();
        let mut map = serializer.serialize_map(Some(answered.len()))?;
        for (number, choice) in answered {
            map.serialize_entry(&number, &choice)?;
        }
        map.end()
    }
}
