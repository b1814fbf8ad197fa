//! What was wrong with a questionnaire answer or a comparison, worded for the person or script that sent it.
//!
//! Every message names the thing at fault (the item, the activity or the two versions), the value given and
//! what would have been accepted, so a form can put the message next to the right field and a script's
//! author can fix the file without reading this code.

use serde_json::Value as Json;

/// One problem with questionnaire input or with a requested comparison.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutcomeError {
    /// The answers were not a JSON object of item → value.
    #[error("{instrument} answers must be a JSON object mapping item ids to values, not {value}")]
    NotAnObject {
        /// The instrument id (see [`Instrument`](super::Instrument)).
        instrument: &'static str,
        /// The value given, rendered as JSON.
        value: String,
    },
    /// An item id the instrument does not have.
    #[error("'{item}' is not a {instrument} item; expected one of {allowed}")]
    UnknownItem {
        /// The instrument id.
        instrument: &'static str,
        /// The item id as given.
        item: String,
        /// The item ids that exist (and, for a near miss, the one that was probably meant).
        allowed: String,
    },
    /// A value outside what the item accepts.
    #[error("{instrument} item '{item}' = {value} is not allowed; expected {allowed}")]
    InvalidValue {
        /// The instrument id.
        instrument: &'static str,
        /// The item (or, for a comparison, `baseline` / `follow_up`).
        item: String,
        /// The value as given, rendered as JSON.
        value: String,
        /// What would have been accepted.
        allowed: String,
    },
    /// A PSFS with too few or too many activities.
    #[error("psfs needs from 3 to 5 activities; {found} were given")]
    ActivityCount {
        /// How many were given.
        found: usize,
    },
    /// Two PSFS activities with the same name, which would make follow-up matching ambiguous.
    #[error("psfs activity '{name}' is listed twice; each activity needs its own name so it can be re-rated")]
    DuplicateActivity {
        /// The repeated name, as given the second time.
        name: String,
    },
    /// A follow-up PSFS that re-rated none of the baseline activities.
    #[error("no psfs activity of the baseline ({baseline}) was re-rated at follow-up ({follow_up})")]
    NoMatchingActivity {
        /// The baseline activity names, comma-separated.
        baseline: String,
        /// The follow-up activity names, comma-separated.
        follow_up: String,
    },
    /// Two scores of different versions of an instrument (e.g. the canonical Kujala table and a web form
    /// that scores three items differently): they are on different scales and are never compared.
    #[error(
        "{measure} scores of different versions cannot be compared: baseline is '{baseline}', follow-up is \
         '{follow_up}'; re-score both with the same version"
    )]
    VersionMismatch {
        /// The measure compared.
        measure: &'static str,
        /// The baseline score's version id.
        baseline: String,
        /// The follow-up score's version id.
        follow_up: String,
    },
}

/// A JSON value for an error message, shortened so a pasted blob cannot flood the terminal.
pub(crate) fn render(raw: &Json) -> String {
    let s = raw.to_string();
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s }
}
