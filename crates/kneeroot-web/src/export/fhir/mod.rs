//! One person's record as a FHIR R4 `Bundle` of type `collection`, for other health systems.
//!
//! What maps to what:
//! - the account → `Patient` (no name: kneeroot never asks for one; the email as `telecom`, the account
//!   id as an `identifier`);
//! - each assessment and each outcome questionnaire → a `QuestionnaireResponse` against a canonical
//!   questionnaire URL of kneeroot's own, versioned by the knowledge base or the instrument's scoring
//!   version ([`questionnaire`]);
//! - the plan in force → one `CarePlan` ([`care_plan`]);
//! - each booking → an `Appointment`, the clinician referred to as `Practitioner/<account id>`;
//! - each pain rating (the NPRS questionnaire and the next-morning check-in) → an `Observation` coded
//!   LOINC 72514-3 with an integer value.
//!
//! Every entry's `fullUrl` is a `urn:uuid:` derived from the stored record (`super::ids`), and
//! references between entries use those URNs, so the bundle is self-contained and the same record always
//! gives the same bytes. Entries come in a fixed order: the patient, the assessments, the questionnaires,
//! the plan, the appointments, then the observations.

mod care_plan;
mod questionnaire;

use kneeroot_core::Knowledge;
use kneeroot_core::booking::format_instant;
use kneeroot_store::{Booking, BookingStatus, MorningReport, OutcomeResponse, User};
use serde_json::{Map, Value, json};

use super::ids::{urn_for, uuid_for};
use super::record::PatientRecord;
use crate::pages::current::ymd;

/// Where kneeroot's own FHIR names live. `.invalid` on purpose: these name things, they are not fetched.
pub(crate) const BASE: &str = "https://kneeroot.invalid/fhir";

/// LOINC: "Pain severity - 0-10 verbal numeric rating \[Score\] - Reported".
const PAIN_LOINC: &str = "72514-3";

/// The bundle of everything in `record`, as of `generated_at` (Unix seconds, the bundle's timestamp).
pub(crate) fn bundle(record: &PatientRecord, kb: &Knowledge, generated_at: i64) -> Value {
    let user = &record.user;
    let mut entries = vec![entry(patient(user))];
    entries.extend(record.assessments.iter().filter_map(|a| questionnaire::of_assessment(user, a, kb)).map(entry));
    entries.extend(record.outcomes.iter().filter_map(|r| questionnaire::of_outcome(user, r)).map(entry));
    entries.extend(care_plan::in_force(record, kb, generated_at).map(entry));
    entries.extend(record.bookings.iter().map(|b| entry(appointment(record, b))));
    entries.extend(record.outcomes.iter().filter_map(|r| nprs_observation(user, r)).map(entry));
    entries.extend(record.mornings.iter().map(|m| entry(morning_observation(user, m))));
    json!({
        "resourceType": "Bundle",
        "id": uuid_for("Bundle", user.id.as_str()),
        "type": "collection",
        "timestamp": format_instant(generated_at),
        "entry": entries,
    })
}

/// A bundle entry: the resource under the `urn:uuid:` form of its id.
fn entry(resource: Value) -> Value {
    let id = resource["id"].as_str().unwrap_or_default();
    json!({"fullUrl": format!("urn:uuid:{id}"), "resource": resource})
}

/// A reference to the patient's entry.
pub(crate) fn subject(user: &User) -> Value {
    json!({"reference": urn_for("Patient", user.id.as_str())})
}

/// A reference to a clinician: not in the bundle, so by their kneeroot account id.
pub(crate) fn practitioner(id: &str) -> Value {
    json!({"reference": format!("Practitioner/{id}")})
}

/// An identifier in one of kneeroot's own systems (`BASE/<what>`).
pub(crate) fn identifier(what: &str, value: &str) -> Value {
    json!({"system": format!("{BASE}/{what}"), "value": value})
}

fn patient(user: &User) -> Value {
    json!({
        "resourceType": "Patient",
        "id": uuid_for("Patient", user.id.as_str()),
        "identifier": [identifier("account", user.id.as_str())],
        "telecom": [{"system": "email", "value": user.email.as_str()}],
    })
}

fn appointment(record: &PatientRecord, b: &Booking) -> Value {
    let mut r = Map::new();
    r.insert("resourceType".into(), json!("Appointment"));
    r.insert("id".into(), json!(uuid_for("Appointment", b.id.as_str())));
    r.insert("identifier".into(), json!([identifier("booking", b.id.as_str())]));
    let status = match b.status {
        BookingStatus::Booked => "booked",
        BookingStatus::Cancelled => "cancelled",
    };
    r.insert("status".into(), json!(status));
    if !b.reason.trim().is_empty() {
        r.insert("description".into(), json!(b.reason));
    }
    r.insert("start".into(), json!(format_instant(b.start)));
    r.insert("end".into(), json!(format_instant(b.end)));
    r.insert("created".into(), json!(format_instant(b.created_at)));
    // Only an assessment that is in this bundle can be referred to by its URN.
    if let Some(a) = b.assessment_id.as_ref().filter(|id| record.assessments.iter().any(|a| &a.id == *id)) {
        r.insert(
            "supportingInformation".into(),
            json!([{"reference": urn_for(questionnaire::ASSESSMENT_KIND, a.as_str())}]),
        );
    }
    r.insert(
        "participant".into(),
        json!([
            {"actor": subject(&record.user), "status": "accepted"},
            {"actor": practitioner(b.clinician_id.as_str()), "status": "accepted"},
        ]),
    );
    Value::Object(r)
}

/// The common shape of a reported knee-pain score.
fn pain_observation(id: String, user: &User, effective: String, value: i64) -> Map<String, Value> {
    let v = json!({
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }]}],
        "code": {
            "coding": [{
                "system": "http://loinc.org",
                "code": PAIN_LOINC,
                "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            }],
            "text": "Knee pain (0–10)",
        },
        "subject": subject(user),
        "effectiveDateTime": effective,
        "valueInteger": value,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The pain rating of an NPRS questionnaire, pointing back at its `QuestionnaireResponse`.
fn nprs_observation(user: &User, r: &OutcomeResponse) -> Option<Value> {
    if r.instrument != "nprs" {
        return None;
    }
    let answers: Value = serde_json::from_str(&r.answers).ok()?;
    let rating = answers.get("rating")?.as_i64()?;
    let mut o = pain_observation(uuid_for("Observation/nprs", r.id.as_str()), user, format_instant(r.taken_at), rating);
    o.insert("derivedFrom".into(), json!([{"reference": urn_for(questionnaire::OUTCOME_KIND, r.id.as_str())}]));
    Some(Value::Object(o))
}

/// The morning's pain of a next-morning check-in (a whole day, so a date).
fn morning_observation(user: &User, m: &MorningReport) -> Value {
    let key = format!("{}/{}", user.id, m.day);
    let mut o = pain_observation(uuid_for("Observation/morning", &key), user, ymd(m.day), m.pain);
    let flags =
        if m.flags.is_empty() { String::new() } else { format!("; warning signs reported: {}", m.flags.join(", ")) };
    let stiffness = match m.stiffness {
        kneeroot_store::Stiffness::Less => "less than usual",
        kneeroot_store::Stiffness::Same => "as usual",
        kneeroot_store::Stiffness::More => "more than usual",
    };
    let note = format!("Next-morning check-in: usual morning pain {}/10; stiffness {stiffness}{flags}.", m.usual);
    o.insert("note".into(), json!([{"text": note}]));
    Value::Object(o)
}
