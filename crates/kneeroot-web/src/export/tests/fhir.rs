//! The FHIR bundle: resource types and counts, typed answers, references that resolve, determinism.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{CLINICIAN, START, answers_json, assessment, id, kb, record, strings, user};
use crate::export::fhir::bundle;

fn resources<'a>(b: &'a Value, kind: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn item<'a>(qr: &'a Value, link_id: &str) -> &'a Value {
    fn find<'a>(items: &'a Value, link_id: &str) -> Option<&'a Value> {
        items.as_array()?.iter().find_map(|i| if i["linkId"] == link_id { Some(i) } else { find(&i["item"], link_id) })
    }
    find(&qr["item"], link_id).unwrap_or_else(|| panic!("no item {link_id} in {qr}"))
}

fn assert_no_empty_arrays_or_strings(v: &Value, path: &str) {
    match v {
        Value::Array(xs) => {
            assert!(!xs.is_empty(), "FHIR JSON has no empty arrays: {path}");
            for (i, x) in xs.iter().enumerate() {
                assert_no_empty_arrays_or_strings(x, &format!("{path}[{i}]"));
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                assert_no_empty_arrays_or_strings(x, &format!("{path}.{k}"));
            }
        }
        Value::String(s) => assert!(!s.trim().is_empty(), "FHIR strings are not empty: {path}"),
        Value::Null => panic!("FHIR JSON has no nulls: {path}"),
        _ => {}
    }
}

#[test]
fn a_collection_with_one_resource_of_each_kind_per_record() {
    let r = record();
    let b = bundle(&r, kb(), START + 3 * 86_400);
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    assert_eq!(b["timestamp"], "2026-01-04T00:00:00Z");
    assert_eq!(resources(&b, "Patient").len(), 1);
    assert_eq!(resources(&b, "QuestionnaireResponse").len(), r.assessments.len() + r.outcomes.len());
    assert_eq!(resources(&b, "CarePlan").len(), 1);
    assert_eq!(resources(&b, "Appointment").len(), 2);
    // One NPRS questionnaire and two mornings.
    assert_eq!(resources(&b, "Observation").len(), 3);
    assert_eq!(b["entry"].as_array().map(Vec::len), Some(1 + 5 + 1 + 2 + 3));
    assert_no_empty_arrays_or_strings(&b, "bundle");
}

#[test]
fn the_patient_has_an_email_and_no_name() {
    let r = record();
    let b = bundle(&r, kb(), START);
    let p = resources(&b, "Patient")[0];
    assert_eq!(p["telecom"], json!([{"system": "email", "value": "pat@example.com"}]));
    assert!(p.get("name").is_none());
    assert_eq!(p["identifier"][0]["value"], id(1));
}

#[test]
fn ids_are_unique_and_every_reference_resolves_inside_the_bundle_or_names_a_practitioner() {
    let b = bundle(&record(), kb(), START);
    let entries = b["entry"].as_array().expect("entries");
    let urls: BTreeSet<&str> = entries.iter().map(|e| e["fullUrl"].as_str().expect("fullUrl")).collect();
    assert_eq!(urls.len(), entries.len(), "fullUrls are unique");
    for e in entries {
        let url = e["fullUrl"].as_str().expect("fullUrl");
        assert_eq!(url.strip_prefix("urn:uuid:"), e["resource"]["id"].as_str(), "fullUrl is the id's URN");
    }
    fn references(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("reference") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| references(x, out));
            }
            Value::Array(xs) => xs.iter().for_each(|x| references(x, out)),
            _ => {}
        }
    }
    let mut refs = Vec::new();
    references(&b, &mut refs);
    assert!(refs.len() > 10, "{refs:?}");
    for r in refs {
        assert!(urls.contains(r.as_str()) || r == format!("Practitioner/{}", id(CLINICIAN)), "{r} does not resolve");
    }
}

#[test]
fn assessment_answers_are_typed_by_their_questions() {
    let r = record();
    let b = bundle(&r, kb(), START);
    let qr = resources(&b, "QuestionnaireResponse")[0];
    assert_eq!(qr["status"], "completed");
    let canonical = qr["questionnaire"].as_str().expect("questionnaire");
    assert_eq!(canonical, format!("https://kneeroot.invalid/fhir/Questionnaire/assessment|{}", kb().version()));
    assert_eq!(item(qr, "squat.done")["answer"], json!([{"valueBoolean": true}]));
    assert_eq!(item(qr, "age")["answer"], json!([{"valueInteger": 34}]));
    // A number question stays a decimal even when the value is whole.
    assert_eq!(item(qr, "ankle.knee_to_wall_left_cm")["answer"][0]["valueDecimal"], json!(12.0));
    assert_eq!(item(qr, "ankle.knee_to_wall_right_cm")["answer"][0]["valueDecimal"], json!(11.5));
    let worse = &item(qr, "pain.worse_with")["answer"];
    assert_eq!(worse.as_array().map(Vec::len), Some(2), "one answer per chosen option");
    assert_eq!(worse[0]["valueCoding"]["code"], "stairs_down");
    assert_eq!(worse[0]["valueCoding"]["system"], "https://kneeroot.invalid/fhir/CodeSystem/pain.worse_with");
    assert!(worse[0]["valueCoding"]["display"].as_str().is_some_and(|d| !d.is_empty()));
    assert_eq!(item(qr, "side")["answer"][0]["valueCoding"]["code"], "right");
    assert!(item(qr, "age")["text"].is_string(), "the question's wording goes with it");
    // Items come in the order they were asked.
    let ids: Vec<usize> = qr["item"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| kb().question_index(i["linkId"].as_str().expect("linkId")).expect("a known question"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[test]
fn questionnaire_items_keep_their_ids_and_types() {
    let b = bundle(&record(), kb(), START);
    let qrs = resources(&b, "QuestionnaireResponse");
    let by = |instrument: &str| {
        *qrs.iter()
            .find(|q| q["questionnaire"].as_str().is_some_and(|c| c.contains(&format!("/Questionnaire/{instrument}|"))))
            .unwrap_or_else(|| panic!("no {instrument}"))
    };
    assert_eq!(by("nprs")["questionnaire"], "https://kneeroot.invalid/fhir/Questionnaire/nprs|nprs-0-10");
    assert_eq!(item(by("nprs"), "rating")["answer"], json!([{"valueInteger": 4}]));
    assert_eq!(item(by("koos12"), "P1")["answer"], json!([{"valueInteger": 2}]));
    let kujala: Vec<&str> =
        by("kujala")["item"].as_array().expect("items").iter().map(|i| i["linkId"].as_str().unwrap_or("")).collect();
    assert_eq!(kujala, ["1", "2", "10"], "item numbers in numeric order");
    let psfs = by("psfs");
    assert_eq!(item(psfs, "activities[1].name")["answer"], json!([{"valueString": "Stairs"}]));
    assert_eq!(item(psfs, "activities[1].rating")["answer"], json!([{"valueInteger": 6}]));
    assert!(item(psfs, "activities").get("answer").is_none(), "a group has items, not answers");
    assert_eq!(psfs["authored"], "2026-01-01T00:03:00Z");
}

#[test]
fn the_care_plan_is_the_plan_in_force_with_its_changes() {
    let r = record();
    let b = bundle(&r, kb(), START + 2 * 86_400);
    let plan = resources(&b, "CarePlan")[0];
    assert_eq!((plan["status"].as_str(), plan["intent"].as_str()), (Some("active"), Some("plan")));
    assert_eq!(plan["period"]["start"], "2026-01-01T00:00:00Z");
    let stored: Value = serde_json::from_str(&r.assessments[0].result).expect("result");
    let planned: usize = stored["plan"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["exercises"].as_array().map_or(0, Vec::len))
        .sum();
    let activities = plan["activity"].as_array().expect("activities");
    assert_eq!(activities.len(), planned);
    let first = &activities[0]["detail"];
    assert_eq!(first["kind"], "ServiceRequest");
    assert_eq!(first["status"], "in-progress", "step 1 starts in week 1");
    assert_eq!(first["code"]["coding"][0]["code"], stored["plan"]["steps"][0]["exercises"][0]["id"]);
    assert_eq!(first["code"]["text"], stored["plan"]["steps"][0]["exercises"][0]["name"]);
    let description = first["description"].as_str().expect("a dose");
    assert!(description.starts_with("3 × "), "the clinician's change (3 sets) is applied: {description}");
    assert!(description.contains("Slow on the way down."), "{description}");
    let later = activities.iter().find(|a| a["detail"]["status"] == "not-started");
    assert!(later.is_some(), "a later step has not started in week 1");
    assert_eq!(plan["note"][0]["authorReference"]["reference"], format!("Practitioner/{}", id(CLINICIAN)));
    assert!(plan["note"][0]["text"].as_str().is_some_and(|t| t.contains("added a set")));
}

#[test]
fn a_red_flag_or_no_assessment_means_no_care_plan() {
    let mut r = record();
    let mut answers = answers_json();
    answers.insert("flag.saddle_numbness_or_bladder_bowel_change".into(), Value::Bool(true));
    r.assessments.push(assessment(&r.user, 11, START + 100, &answers));
    let b = bundle(&r, kb(), START);
    assert!(resources(&b, "CarePlan").is_empty(), "the newest assessment has no plan");
    assert_eq!(resources(&b, "QuestionnaireResponse").len(), 6);
    r.assessments.clear();
    let b = bundle(&r, kb(), START);
    assert!(resources(&b, "CarePlan").is_empty());
    // The appointment about the (now absent) assessment no longer points at it.
    assert!(resources(&b, "Appointment").iter().all(|a| a.get("supportingInformation").is_none()));
}

#[test]
fn appointments_and_pain_observations() {
    let b = bundle(&record(), kb(), START);
    let appts = resources(&b, "Appointment");
    assert_eq!(appts[0]["status"], "booked");
    assert_eq!(appts[0]["description"], "knee pain on stairs");
    assert_eq!(appts[0]["start"], "2026-01-08T00:00:00Z");
    assert_eq!(appts[0]["end"], "2026-01-08T00:30:00Z");
    assert_eq!(appts[0]["participant"][1]["actor"]["reference"], format!("Practitioner/{}", id(CLINICIAN)));
    assert_eq!(appts[1]["status"], "cancelled");
    assert!(appts[1].get("description").is_none(), "no empty description");
    let obs = resources(&b, "Observation");
    for o in &obs {
        assert_eq!(o["status"], "final");
        assert_eq!(o["code"]["coding"][0]["system"], "http://loinc.org");
        assert_eq!(o["code"]["coding"][0]["code"], "72514-3");
        assert_eq!(o["code"]["text"], "Knee pain (0–10)");
        assert_eq!(o["category"][0]["coding"][0]["code"], "survey");
        assert!(o["valueInteger"].is_i64());
    }
    assert_eq!(obs[0]["valueInteger"], 4);
    assert_eq!(obs[0]["effectiveDateTime"], "2026-01-01T00:01:00Z");
    assert!(obs[0]["derivedFrom"][0]["reference"].as_str().is_some_and(|r| r.starts_with("urn:uuid:")));
    assert_eq!(obs[1]["effectiveDateTime"], "2026-01-03", "a morning is a day");
    assert_eq!(obs[2]["valueInteger"], 4);
    assert!(obs[2]["note"][0]["text"].as_str().is_some_and(|t| t.contains("flag.knee_locked")));
}

#[test]
fn the_same_record_gives_the_same_bytes_and_another_person_shares_nothing() {
    let r = record();
    let once = serde_json::to_string(&bundle(&r, kb(), START)).expect("JSON");
    assert_eq!(once, serde_json::to_string(&bundle(&r, kb(), START)).expect("JSON"));
    let mut other = r.clone();
    other.user = user(2, "other@example.com");
    let theirs = bundle(&other, kb(), START);
    let mine = bundle(&r, kb(), START);
    let patient = |b: &Value| b["entry"][0]["fullUrl"].as_str().map(str::to_owned);
    assert_ne!(patient(&theirs), patient(&mine));
    assert!(!strings(&theirs).iter().any(|s| s.contains("pat@example.com") || s.contains(&id(1))));
}

#[test]
fn stored_answers_that_no_longer_parse_are_left_out_not_fatal() {
    let mut r = record();
    r.assessments[0].answers = "not json".into();
    r.assessments[0].result = "{".into();
    r.outcomes[0].answers = "[".into();
    let b = bundle(&r, kb(), START);
    assert_eq!(resources(&b, "QuestionnaireResponse").len(), 3);
    assert!(resources(&b, "CarePlan").is_empty());
    assert_eq!(resources(&b, "Observation").len(), 2, "the NPRS rating is gone with its answers");
}
