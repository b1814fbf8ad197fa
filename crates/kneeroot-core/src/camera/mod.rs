//! The camera squat screen's clinical edge: a landmark series from the browser or a file is parsed and
//! bounded here ([`input`]), measured by the dependency-free `kneeroot-squat` crate with the thresholds
//! of `knowledge/camera.toml`, and reported in the JSON contract of `kneeroot squat analyse` and
//! `POST /api/v1/squat/analyse` ([`output`]).
//!
//! Findings are proposals: the person sees and confirms them before they become answers, and whatever
//! they change wins. Which confirmed answers came from the camera, and how sure it was, is kept beside the
//! answers ([`provenance`]), never inside the result contract.

pub mod input;
pub mod output;
pub mod provenance;

pub use kneeroot_squat::{
    Analysis, Finding, FindingValue, Landmark, Measure, Metric, NotAssessed, Quality, Recording, Rep, Side, Thresholds,
    View,
};

use crate::Knowledge;

/// Analyse a recording with the knowledge base's thresholds.
pub fn analyse(kb: &Knowledge, recording: &Recording) -> Analysis {
    kneeroot_squat::analyse(recording, kb.camera())
}
