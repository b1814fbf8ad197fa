//! "Download everything": the versioned shape, every record, and the person's copy kept whole.

use serde_json::Value;

use super::{START, kb, record};
use crate::export::archive::everything;
use crate::export::fhir::bundle;

#[test]
fn every_section_is_there_with_every_record() {
    let r = record();
    let doc = everything(&r, kb(), START);
    assert_eq!(doc["format"], "kneeroot-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["generated_at"], "2026-01-01T00:00:00Z");
    assert_eq!(doc["account"]["email"], "pat@example.com");
    assert_eq!(doc["account"]["role"], "patient");
    assert_eq!(doc["account"]["reminders"], true);
    let len = |k: &str| doc[k].as_array().map(Vec::len);
    assert_eq!(len("assessments"), Some(1));
    assert_eq!(len("checkins"), Some(2));
    assert_eq!(len("mornings"), Some(2));
    assert_eq!(len("outcomes"), Some(4));
    assert_eq!(len("plan_changes"), Some(1));
    assert_eq!(len("bookings"), Some(2));
    assert!(doc["assessments"][0]["answers"].is_object(), "stored JSON is embedded as JSON");
    assert!(doc["assessments"][0]["result"]["plan"].is_object());
    assert_eq!(doc["checkins"][0]["day"], "2026-01-02");
    assert_eq!(doc["bookings"][1]["status"], "cancelled");
    assert_eq!(doc["bookings"][0]["start"], "2026-01-08T00:00:00Z");
    assert_eq!(doc["outcomes"][1]["scores"]["pain"], 68.75);
    assert_eq!(doc["fhir"], bundle(&r, kb(), START), "the FHIR bundle of the same record");
}

#[test]
fn stored_json_that_no_longer_parses_is_kept_as_text() {
    let mut r = record();
    r.assessments[0].answers = "not json".into();
    let doc = everything(&r, kb(), START);
    assert_eq!(doc["assessments"][0]["answers"], Value::String("not json".into()));
}

#[test]
fn the_camera_provenance_of_an_assessment_is_exported_when_there_is_one() {
    let mut r = record();
    assert_eq!(everything(&r, kb(), START)["assessments"][0]["camera"], Value::Null);
    r.assessments[0].camera = Some(r#"{"squat.heels_lift":{"value":true,"view":"side","confidence":0.8}}"#.into());
    let doc = everything(&r, kb(), START);
    assert_eq!(doc["assessments"][0]["camera"]["squat.heels_lift"]["view"], "side");
}

#[test]
fn the_document_is_deterministic() {
    let r = record();
    assert_eq!(everything(&r, kb(), START).to_string(), everything(&r, kb(), START).to_string());
}
