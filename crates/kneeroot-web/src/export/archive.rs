//! "Download everything": one JSON document with every record kneeroot holds about a person, for them to
//! keep or take elsewhere.
//!
//! The document is versioned (`{"format": "kneeroot-export", "version": 1, …}`): a later kneeroot that
//! changes its shape bumps `version`, so a program reading an export knows what it holds. Records keep
//! the shapes the API gives them (epoch seconds for times the API gives as numbers, `YYYY-MM-DD` days,
//! RFC 3339 for appointments), stored answers and results are embedded as JSON, and the FHIR bundle of
//! the same record is included whole. Stored JSON that no longer parses is kept as its text rather than
//! dropped: this is the person's copy of everything.

use kneeroot_core::Knowledge;
use kneeroot_core::booking::format_instant;
use kneeroot_store::BookingStatus;
use serde_json::{Value, json};

use super::record::PatientRecord;
use crate::pages::current::ymd;

/// The export format's name.
pub(crate) const FORMAT: &str = "kneeroot-export";
/// The export format's version; bump it when the shape changes.
pub(crate) const VERSION: u32 = 1;

/// Stored JSON, parsed; its text if it no longer parses.
fn embedded(stored: &str) -> Value {
    serde_json::from_str(stored).unwrap_or_else(|_| Value::String(stored.to_owned()))
}

/// The whole export of `record` as of `generated_at` (Unix seconds).
pub(crate) fn everything(record: &PatientRecord, kb: &Knowledge, generated_at: i64) -> Value {
    let u = &record.user;
    let assessments: Vec<Value> = record
        .assessments
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "created_at": a.created_at, "knowledge_version": a.knowledge_version,
                "triage_level": a.triage_level, "top_cause": a.top_cause,
                "answers": embedded(&a.answers), "result": embedded(&a.result),
                // Which answers the camera screen proposed and the person kept, with its confidence.
                "camera": a.camera.as_deref().map_or(Value::Null, embedded),
            })
        })
        .collect();
    let checkins: Vec<Value> = record
        .checkins
        .iter()
        .map(|c| {
            json!({
                "day": ymd(c.day), "exercise_id": c.exercise_id, "done": c.done, "sets_done": c.sets_done,
                "reps_done": c.reps_done, "pain_during": c.pain_during, "quality_ok": c.quality_ok,
                "updated_at": c.updated_at,
            })
        })
        .collect();
    let mornings: Vec<Value> = record
        .mornings
        .iter()
        .map(|m| {
            json!({
                "day": ymd(m.day), "pain": m.pain, "usual": m.usual, "stiffness": m.stiffness, "flags": m.flags,
                "updated_at": m.updated_at,
            })
        })
        .collect();
    let outcomes: Vec<Value> = record
        .outcomes
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "instrument": r.instrument, "version": r.version, "week": r.week, "taken_at": r.taken_at,
                "answers": embedded(&r.answers), "scores": embedded(&r.scores),
            })
        })
        .collect();
    let plan_changes: Vec<Value> = record
        .plan_changes
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "exercise_id": c.exercise_id, "replacement": c.replacement, "sets": c.sets,
                "reps": c.reps, "hold_seconds": c.hold_seconds, "per_week": c.per_week, "note": c.note,
                "author_id": c.author_id, "reason": c.reason, "created_at": c.created_at,
            })
        })
        .collect();
    let bookings: Vec<Value> = record
        .bookings
        .iter()
        .map(|b| {
            json!({
                "id": b.id, "clinician_id": b.clinician_id, "start": format_instant(b.start),
                "end": format_instant(b.end),
                "status": match b.status { BookingStatus::Booked => "booked", BookingStatus::Cancelled => "cancelled" },
                "reason": b.reason, "assessment_id": b.assessment_id, "created_at": b.created_at,
                "cancelled_at": b.cancelled_at,
            })
        })
        .collect();
    json!({
        "format": FORMAT,
        "version": VERSION,
        "generated_at": format_instant(generated_at),
        "account": {
            "id": u.id, "email": u.email, "role": u.role, "created_at": u.created_at,
            "reminders": record.reminders,
        },
        "assessments": assessments,
        "checkins": checkins,
        "mornings": mornings,
        "outcomes": outcomes,
        "plan_changes": plan_changes,
        "bookings": bookings,
        "fhir": super::fhir::bundle(record, kb, generated_at),
    })
}
