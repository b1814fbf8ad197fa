//! Tests of the pure builders on a hand-made record: a patient with an assessment and its plan, a
//! clinician's change to it, check-ins, morning reports, one of each questionnaire and two bookings.

mod archive;
mod csv;
mod fhir;

use std::sync::OnceLock;

use kneeroot_core::{Answers, Knowledge};
use kneeroot_store::*;
use serde_json::{Map, Value, json};

use super::PatientRecord;

/// 2026-01-01T00:00:00Z.
pub(super) const START: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

pub(super) fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("the embedded knowledge base is valid"))
}

pub(super) fn id(n: u32) -> String {
    format!("{n:032x}")
}

pub(super) fn user(n: u32, email: &str) -> User {
    User {
        id: UserId::parse(&id(n)).expect("an id"),
        email: Email::parse(email).expect("an email"),
        role: Role::Patient,
        created_at: START,
    }
}

/// A runner with kneecap pain and no red flag: the demo patient's answers, in short.
pub(super) fn answers_json() -> Map<String, Value> {
    let v = json!({
        "age": 34, "sex": "female", "side": "right", "activity": ["running"], "pain.location": ["front"],
        "pain.now": 3, "pain.worst_week": 5, "pain.duration_weeks": 20, "pain.onset": "gradual",
        "pain.worse_with": ["stairs_down", "squatting"], "pain.swelling": "none", "back.pain": "none",
        "back.leg_symptoms": "none", "squat.done": true, "squat.knee_caves_in": "right", "squat.pain": 4,
        "hip.single_leg_stance_drop": "right", "hip.side_lying_lift_weak": "right",
        "ankle.knee_to_wall_left_cm": 12, "ankle.knee_to_wall_right_cm": 11.5,
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("a JSON object"),
    }
}

/// A stored assessment of `owner` made from `answers`, exactly as kneeroot stores one.
pub(super) fn assessment(owner: &User, n: u32, at: i64, answers: &Map<String, Value>) -> Assessment {
    let kb = kb();
    let answers = Answers::from_json_map(kb, answers).expect("valid answers");
    let result = kneeroot_core::assess(kb, &answers);
    Assessment {
        id: AssessmentId::parse(&id(n)).expect("an id"),
        user_id: owner.id.clone(),
        created_at: at,
        knowledge_version: result.knowledge_version.clone(),
        answers: Value::Object(answers.to_json(kb)).to_string(),
        result: serde_json::to_string(&result).expect("a result"),
        triage_level: result.triage.level.as_str().to_owned(),
        top_cause: result.root_causes.first().map(|c| c.id.clone()).unwrap_or_default(),
        camera: None,
    }
}

fn response(
    owner: &User,
    n: u32,
    instrument: &str,
    version: &str,
    at: i64,
    answers: Value,
    scores: Value,
) -> OutcomeResponse {
    OutcomeResponse {
        id: AssessmentId::parse(&id(n)).expect("an id"),
        user_id: owner.id.clone(),
        instrument: instrument.into(),
        version: version.into(),
        week: 0,
        taken_at: at,
        answers: answers.to_string(),
        scores: scores.to_string(),
    }
}

/// The first exercise of the plan of `a`.
pub(super) fn first_exercise(a: &Assessment) -> String {
    let result: Value = serde_json::from_str(&a.result).expect("result JSON");
    result["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("a planned exercise").to_owned()
}

/// The clinician of the fixture.
pub(super) const CLINICIAN: u32 = 900;

/// The whole fixture.
pub(super) fn record() -> PatientRecord {
    let me = user(1, "pat@example.com");
    let a = assessment(&me, 10, START, &answers_json());
    let exercise = first_exercise(&a);
    let today = START / DAY;
    let checkin = |day: i64, ex: &str, pain: Option<i64>| ExerciseCheckin {
        user_id: me.id.clone(),
        day,
        exercise_id: ex.to_owned(),
        done: true,
        sets_done: Some(2),
        reps_done: Some(10),
        pain_during: pain,
        quality_ok: true,
        updated_at: day * DAY,
    };
    let morning = |day: i64, pain: i64, flags: Vec<String>| MorningReport {
        user_id: me.id.clone(),
        day,
        pain,
        usual: 2,
        stiffness: Stiffness::Same,
        flags,
        updated_at: day * DAY,
    };
    let booking = |n: u32, start: i64, status: BookingStatus, reason: &str| Booking {
        id: AssessmentId::parse(&id(n)).expect("an id"),
        clinician_id: UserId::parse(&id(CLINICIAN)).expect("an id"),
        patient_id: me.id.clone(),
        start,
        end: start + 1800,
        reason: reason.into(),
        assessment_id: (n == 40).then(|| a.id.clone()),
        status,
        created_at: START,
        cancelled_at: (status == BookingStatus::Cancelled).then_some(START + DAY),
    };
    PatientRecord {
        reminders: true,
        checkins: vec![checkin(today + 1, &exercise, Some(3)), checkin(today + 2, &exercise, None)],
        mornings: vec![morning(today + 2, 2, vec![]), morning(today + 3, 4, vec!["flag.knee_locked".into()])],
        outcomes: vec![
            response(&me, 20, "nprs", "nprs-0-10", START + 60, json!({"rating": 4}), json!({"rating": 4})),
            response(
                &me,
                21,
                "koos12",
                "koos12-gandek-2019",
                START + 120,
                json!({"P1": 2, "P5": 1, "A3": 1, "A4": 0}),
                json!({"pain": 68.75, "function": 87.5, "qol": null, "summary": null}),
            ),
            response(
                &me,
                22,
                "psfs",
                "psfs-stratford-1995",
                START + 180,
                json!({"activities": [{"name": "Running", "rating": 4}, {"name": "Stairs", "rating": 6}, {"name": "Squats", "rating": 5}]}),
                json!({"score": 5.0, "activities": 3}),
            ),
            response(
                &me,
                23,
                "kujala",
                "akps-jorthop-2023",
                START + 240,
                json!({"1": 0, "2": 1, "10": 2}),
                json!({"total": 77, "version": "akps-jorthop-2023"}),
            ),
        ],
        plan_changes: vec![PlanChange {
            id: AssessmentId::parse(&id(30)).expect("an id"),
            user_id: me.id.clone(),
            exercise_id: exercise,
            replacement: None,
            sets: Some(3),
            reps: None,
            hold_seconds: None,
            per_week: None,
            note: Some("Slow on the way down.".into()),
            author_id: Some(UserId::parse(&id(CLINICIAN)).expect("an id")),
            reason: "Your physiotherapist added a set.".into(),
            created_at: START + DAY,
        }],
        bookings: vec![
            booking(40, START + 7 * DAY, BookingStatus::Booked, "knee pain on stairs"),
            booking(41, START + 8 * DAY, BookingStatus::Cancelled, ""),
        ],
        assessments: vec![a],
        user: me,
    }
}

/// Every string anywhere in a JSON value.
pub(super) fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(xs) => xs.iter().flat_map(strings).collect(),
        Value::Object(m) => m.values().flat_map(strings).collect(),
        _ => vec![],
    }
}
