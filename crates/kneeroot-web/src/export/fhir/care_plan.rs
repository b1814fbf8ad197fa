//! The plan in force as a `CarePlan`: the plan of the newest assessment with every later change applied,
//! exactly as the plan page computes it (`pages::current`), here from the loaded record alone.
//!
//! Each exercise is an activity whose `detail` is a `ServiceRequest`-kind description (the exercise's
//! name as `code.text`, the dose as `description`), `in-progress` once its step's week has come and
//! `not-started` before. Each change to the plan is a `note` with its author: the clinician by reference,
//! or kneeroot's pain-monitoring rules by name. No plan (none saved yet, or a red flag that needs care
//! first) means no `CarePlan`.

use kneeroot_core::Knowledge;
use kneeroot_core::booking::format_instant;
use kneeroot_core::plan::{Plan, PlanEdit, apply_edits};
use kneeroot_core::report::dose_text;
use kneeroot_store::{Assessment, PlanChange};
use serde_json::{Map, Value, json};

use super::questionnaire::ASSESSMENT_KIND;
use super::{BASE, identifier, practitioner, subject};
use crate::export::ids::{urn_for, uuid_for};
use crate::export::record::PatientRecord;
use crate::pages::current::to_edit;
use crate::pages::week_of;

const WEEK: i64 = 7 * 86_400;

/// The `CarePlan` of the plan in force at `now`, if there is one.
pub(super) fn in_force(record: &PatientRecord, kb: &Knowledge, now: i64) -> Option<Value> {
    let latest = record.assessments.iter().max_by_key(|a| (a.created_at, a.id.as_str()))?;
    let plan = stored_plan(latest)?;
    let changes: Vec<&PlanChange> = record.plan_changes.iter().filter(|c| c.created_at >= latest.created_at).collect();
    let edits: Vec<PlanEdit> = changes.iter().map(|c| to_edit(c)).collect();
    let steps = apply_edits(kb, &plan, &edits);
    let week = week_of(latest.created_at, now, plan.weeks);
    let mut activities = Vec::new();
    for (step, exercises) in plan.steps.iter().zip(&steps) {
        let status = if week >= step.starts_week { "in-progress" } else { "not-started" };
        for current in exercises {
            let e = &current.exercise;
            let mut description = dose_text(&e.dose);
            for note in &current.notes {
                description.push_str(&format!(". {note}"));
            }
            activities.push(json!({"detail": {
                "kind": "ServiceRequest",
                "code": {
                    "coding": [{"system": format!("{BASE}/CodeSystem/exercise"), "code": e.id, "display": e.name}],
                    "text": e.name,
                },
                "status": status,
                "scheduledString": format!("Step {} ({}), from week {}", step.step, step.name, step.starts_week),
                "description": description,
            }}));
        }
    }
    let mut r = Map::new();
    r.insert("resourceType".into(), json!("CarePlan"));
    r.insert("id".into(), json!(uuid_for("CarePlan", latest.id.as_str())));
    r.insert("identifier".into(), json!([identifier("plan", latest.id.as_str())]));
    r.insert("status".into(), json!("active"));
    r.insert("intent".into(), json!("plan"));
    r.insert("title".into(), json!("Knee exercise plan"));
    r.insert(
        "description".into(),
        json!(format!(
            "A {}-week, three-step exercise plan from kneeroot's assessment. Decision support, not a diagnosis.",
            plan.weeks
        )),
    );
    r.insert("subject".into(), subject(&record.user));
    r.insert(
        "period".into(),
        json!({
            "start": format_instant(latest.created_at),
            "end": format_instant(latest.created_at + i64::from(plan.weeks) * WEEK),
        }),
    );
    r.insert("created".into(), json!(format_instant(latest.created_at)));
    r.insert("supportingInfo".into(), json!([{"reference": urn_for(ASSESSMENT_KIND, latest.id.as_str())}]));
    if !activities.is_empty() {
        r.insert("activity".into(), Value::Array(activities));
    }
    let notes: Vec<Value> = changes.iter().map(|c| note(c)).collect();
    if !notes.is_empty() {
        r.insert("note".into(), Value::Array(notes));
    }
    Some(Value::Object(r))
}

/// The plan stored with an assessment's result; `None` without one or if it no longer parses.
fn stored_plan(a: &Assessment) -> Option<Plan> {
    let mut result: Value = serde_json::from_str(&a.result).ok()?;
    serde_json::from_value(result.get_mut("plan")?.take()).ok()
}

/// A change as an annotation: who, when, why.
fn note(c: &PlanChange) -> Value {
    let mut text = if c.reason.trim().is_empty() { "The plan was changed.".to_owned() } else { c.reason.clone() };
    if let Some(n) = c.note.as_deref().filter(|n| !n.trim().is_empty()) {
        text.push_str(&format!(" Note: {n}"));
    }
    let mut a = Map::new();
    match &c.author_id {
        Some(author) => a.insert("authorReference".into(), practitioner(author.as_str())),
        None => a.insert("authorString".into(), json!("kneeroot's pain-monitoring rules")),
    };
    a.insert("time".into(), json!(format_instant(c.created_at)));
    a.insert("text".into(), json!(text));
    Value::Object(a)
}
