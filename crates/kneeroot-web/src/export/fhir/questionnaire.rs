//! `QuestionnaireResponse`s: one per assessment (the answers of kneeroot's own questions) and one per
//! outcome questionnaire (KOOS-12, Kujala, NPRS, PSFS).
//!
//! Each names the questionnaire it answers by a canonical URL of kneeroot's own with a version:
//! `…/Questionnaire/assessment|<knowledge version>` for assessments (the questions are the knowledge
//! base's), `…/Questionnaire/<instrument>|<scoring version>` for outcome questionnaires, so answers are
//! only ever read against the questions that were asked.
//!
//! Every stored answer becomes an item whose `linkId` is the answer id (or item id), with a value of the
//! right FHIR type: yes/no → `valueBoolean`, whole numbers → `valueInteger`, numbers → `valueDecimal`,
//! options → `valueCoding` (one answer per chosen option, in a code system per question), free text →
//! `valueString`. The question's declared type wins where the knowledge base knows it (a knee-to-wall
//! distance of 8 cm is a decimal, not an integer), but never against the stored JSON's own type. Nested
//! answers (the PSFS list of activities) become groups whose `linkId`s are paths like
//! `activities[0].name`, as the API names them in its errors.

use kneeroot_core::Knowledge;
use kneeroot_core::booking::format_instant;
use kneeroot_core::knowledge::{Question, QuestionKind};
use kneeroot_store::{Assessment, OutcomeResponse, User};
use serde_json::{Map, Value, json};

use super::{BASE, identifier, subject};
use crate::export::ids::uuid_for;

/// The id kind of an assessment's response (see `ids::uuid_for`).
pub(super) const ASSESSMENT_KIND: &str = "QuestionnaireResponse/assessment";
/// The id kind of an outcome questionnaire's response.
pub(super) const OUTCOME_KIND: &str = "QuestionnaireResponse/outcome";

/// The response of an assessment; `None` if its stored answers no longer parse.
pub(super) fn of_assessment(user: &User, a: &Assessment, kb: &Knowledge) -> Option<Value> {
    let Ok(Value::Object(answers)) = serde_json::from_str::<Value>(&a.answers) else { return None };
    let mut ids: Vec<&String> = answers.keys().collect();
    // Question order, as they were asked; ids the knowledge base no longer has go last.
    ids.sort_by_key(|id| (kb.question_index(id).unwrap_or(usize::MAX), id.as_str()));
    let items = ids.into_iter().filter_map(|id| item(id.clone(), &answers[id.as_str()], kb.question(id))).collect();
    Some(response(
        uuid_for(ASSESSMENT_KIND, a.id.as_str()),
        identifier("assessment", a.id.as_str()),
        format!("{BASE}/Questionnaire/assessment|{}", a.knowledge_version),
        user,
        a.created_at,
        items,
    ))
}

/// The response of an outcome questionnaire; `None` if its stored answers no longer parse.
pub(super) fn of_outcome(user: &User, r: &OutcomeResponse) -> Option<Value> {
    let Ok(Value::Object(answers)) = serde_json::from_str::<Value>(&r.answers) else { return None };
    Some(response(
        uuid_for(OUTCOME_KIND, r.id.as_str()),
        identifier("questionnaire-response", r.id.as_str()),
        format!("{BASE}/Questionnaire/{}|{}", r.instrument, r.version),
        user,
        r.taken_at,
        group_items("", &answers),
    ))
}

fn response(id: String, identifier: Value, questionnaire: String, user: &User, at: i64, items: Vec<Value>) -> Value {
    let mut r = Map::new();
    r.insert("resourceType".into(), json!("QuestionnaireResponse"));
    r.insert("id".into(), json!(id));
    r.insert("identifier".into(), identifier);
    r.insert("questionnaire".into(), json!(questionnaire));
    r.insert("status".into(), json!("completed"));
    r.insert("subject".into(), subject(user));
    r.insert("authored".into(), json!(format_instant(at)));
    // FHIR JSON has no empty arrays: no answers, no `item`.
    if !items.is_empty() {
        r.insert("item".into(), Value::Array(items));
    }
    Value::Object(r)
}

/// The items of a JSON object, item numbers in numeric order ("2" before "10"), other keys first.
fn group_items(prefix: &str, map: &Map<String, Value>) -> Vec<Value> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| (k.parse::<u64>().ok(), k.as_str()));
    keys.into_iter()
        .filter_map(|k| {
            let link = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            item(link, &map[k.as_str()], None)
        })
        .collect()
}

/// One item: answers for a value or a list of values, a group for an object or a list of objects;
/// `None` for nothing answered.
fn item(link_id: String, value: &Value, question: Option<&Question>) -> Option<Value> {
    let mut it = Map::new();
    it.insert("linkId".into(), json!(link_id));
    if let Some(q) = question {
        it.insert("text".into(), json!(q.text));
    }
    match value {
        Value::Null => return None,
        Value::Object(map) => {
            let nested = group_items(&link_id, map);
            if nested.is_empty() {
                return None;
            }
            it.insert("item".into(), Value::Array(nested));
        }
        Value::Array(list) if list.iter().any(|v| v.is_object() || v.is_array()) => {
            let nested: Vec<Value> =
                list.iter().enumerate().filter_map(|(i, v)| item(format!("{link_id}[{i}]"), v, None)).collect();
            if nested.is_empty() {
                return None;
            }
            it.insert("item".into(), Value::Array(nested));
        }
        Value::Array(list) => {
            let answers: Vec<Value> = list.iter().filter_map(|v| answer(v, question)).collect();
            if answers.is_empty() {
                return None;
            }
            it.insert("answer".into(), Value::Array(answers));
        }
        scalar => {
            let one = answer(scalar, question)?;
            it.insert("answer".into(), json!([one]));
        }
    }
    Some(Value::Object(it))
}

/// One answer value, typed by the question where it is known and agrees with the stored JSON.
fn answer(value: &Value, question: Option<&Question>) -> Option<Value> {
    let kind = question.map(|q| &q.kind);
    match value {
        Value::Bool(b) => Some(json!({"valueBoolean": b})),
        Value::Number(n) => {
            // FHIR's integer is 32-bit; anything else (or a declared decimal) is a decimal.
            let whole = n.as_i64().and_then(|v| i32::try_from(v).ok());
            match whole {
                Some(v) if !matches!(kind, Some(QuestionKind::Number { .. })) => Some(json!({"valueInteger": v})),
                _ => Some(json!({"valueDecimal": n})),
            }
        }
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => match question {
            Some(q) if matches!(q.kind, QuestionKind::Enum | QuestionKind::List | QuestionKind::Side) => {
                Some(json!({"valueCoding": {
                    "system": format!("{BASE}/CodeSystem/{}", q.id),
                    "code": s,
                    "display": q.label_of(s),
                }}))
            }
            _ => Some(json!({"valueString": s})),
        },
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}
