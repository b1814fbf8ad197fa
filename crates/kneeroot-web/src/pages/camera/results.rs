//! "From the camera" on the results pages: which answers the camera suggested and the person kept, from
//! which view and how sure it was. Only entries whose value is still the answer are shown
//! (`kneeroot_core::camera::provenance::applicable`), and nothing at all when no camera was used.

use std::collections::BTreeMap;

use kneeroot_core::camera::provenance::Provenance;
use kneeroot_core::knowledge::Knowledge;
use kneeroot_core::report::{finding_label, value_label};

use super::view_label;

/// One answer that came from the camera, ready to show.
pub(crate) struct CameraRow {
    /// The answer, as the results page names it.
    pub(crate) question: String,
    /// Its value, for people.
    pub(crate) value: String,
    /// "front view" or "side view".
    pub(crate) view: &'static str,
    /// "high", "moderate" or "low".
    pub(crate) words: &'static str,
    /// The confidence, two decimals.
    pub(crate) number: String,
    /// The camera's plain sentence with the numbers.
    pub(crate) explanation: String,
}

/// The rows for `applicable` provenance (already filtered against the answers), in answer-id order.
pub(crate) fn camera_rows(kb: &Knowledge, applicable: &BTreeMap<String, Provenance>) -> Vec<CameraRow> {
    applicable
        .iter()
        .map(|(id, p)| CameraRow {
            question: finding_label(kb, id),
            value: value_label(kb, id, &p.value),
            view: view_label(p.view),
            words: p.confidence_words(),
            number: format!("{:.2}", p.confidence),
            explanation: p.explanation.clone(),
        })
        .collect()
}
