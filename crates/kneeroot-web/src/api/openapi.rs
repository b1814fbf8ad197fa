//! The OpenAPI 3.1 document, built from code and from the knowledge base: the `Answers` schema lists every
//! answer id with its type, range and allowed values, so the document cannot drift from what the API
//! accepts, and a fuzzer reading it generates meaningful requests.

use axum::Json;
use axum::extract::State;
use kneeroot_core::Knowledge;
use kneeroot_core::knowledge::{CAUSE_IDS, PRESENTATION_IDS, QuestionKind};
use kneeroot_core::outcomes::{
    KOOS12_FUNCTION_ITEMS, KOOS12_MIN_ANSWERED, KOOS12_PAIN_ITEMS, KOOS12_QOL_ITEMS, KUJALA_ITEMS,
};
use kneeroot_store::Store;
use serde_json::{Map, Value, json};

use crate::pages::checkin::CHECKIN_FLAGS;
use crate::pages::questionnaires::MAX_WEEK;
use crate::state::AppState;

/// `GET /api/openapi.json`
pub async fn serve<S: Store>(State(state): State<AppState<S>>) -> Json<Value> {
    Json(document(&state.kb))
}

fn answer_schema(kb: &Knowledge) -> Value {
    let mut props = Map::new();
    for q in kb.questions() {
        let values = || q.options.iter().map(|o| Value::String(o.value.clone())).collect::<Vec<_>>();
        let mut schema = match &q.kind {
            QuestionKind::Bool => json!({"type": ["boolean", "null"]}),
            QuestionKind::Int { min, max } => json!({"type": ["integer", "null"], "minimum": min, "maximum": max}),
            QuestionKind::Number { min, max } => json!({"type": ["number", "null"], "minimum": min, "maximum": max}),
            QuestionKind::Enum => {
                let mut v = values();
                v.push(Value::Null);
                json!({"enum": v})
            }
            QuestionKind::List => json!({"type": ["array", "null"], "items": {"enum": values()}, "uniqueItems": true}),
            QuestionKind::Side => json!({"enum": ["none", "left", "right", "both", null]}),
        };
        schema["description"] = Value::String(q.text.clone());
        props.insert(q.id.clone(), schema);
    }
    json!({
        "type": "object",
        "description": "Answers by id (docs/answers.md). A missing id or null means not answered.",
        "properties": props,
        "additionalProperties": false
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]}
            }
        }}
    })
}

fn triage_schema() -> Value {
    json!({"type": "object", "required": ["level", "reasons"], "properties": {
        "level": {"enum": ["emergency", "urgent", "soon", "self_care"]},
        "reasons": {"type": "array", "items": {"type": "object", "required": ["id", "text", "action"], "properties": {
            "id": {"type": "string"}, "text": {"type": "string"}, "action": {"type": "string"}}}}}})
}

fn result_schema() -> Value {
    let dose = json!({"type": "object", "required": ["sets", "reps", "hold_seconds", "per_week"], "properties": {
        "sets": {"type": "integer", "minimum": 1}, "reps": {"type": "integer", "minimum": 1},
        "hold_seconds": {"type": ["integer", "null"]}, "per_week": {"type": "integer", "minimum": 1}}});
    let exercise = json!({"type": "object", "required": ["id", "name", "targets", "dose", "why", "progression", "regression"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "targets": {"type": "array", "items": {"enum": CAUSE_IDS}},
        "dose": dose, "why": {"type": "string"}, "progression": {"type": "string"}, "regression": {"type": "string"}}});
    let plan = json!({"type": ["object", "null"], "required": ["weeks", "steps", "pain_rules"], "properties": {
        "weeks": {"type": "integer", "minimum": 8, "maximum": 12},
        "steps": {"type": "array", "items": {"type": "object", "required": ["step", "name", "starts_week", "exercises"], "properties": {
            "step": {"type": "integer", "minimum": 1, "maximum": 3}, "name": {"type": "string"},
            "starts_week": {"type": "integer", "minimum": 1}, "exercises": {"type": "array", "items": exercise}}}},
        "pain_rules": {"type": "array", "items": {"type": "object", "required": ["id", "text"], "properties": {"id": {"type": "string"}, "text": {"type": "string"}}}}}});
    json!({
        "type": "object",
        "required": ["schema", "knowledge_version", "triage", "root_causes", "presentations", "missing", "plan"],
        "properties": {
            "schema": {"const": 1},
            "knowledge_version": {"type": "string"},
            "triage": triage_schema(),
            "root_causes": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "object",
                "required": ["id", "score", "confidence", "drivers", "evidence"], "properties": {
                "id": {"enum": CAUSE_IDS}, "score": {"type": "number", "minimum": 0, "maximum": 1},
                "confidence": {"enum": ["low", "moderate", "high"]}, "drivers": {"type": "array", "items": {"type": "string"}},
                "evidence": {"type": "array", "items": {"type": "object", "required": ["finding", "value", "effect", "explanation", "source"], "properties": {
                    "finding": {"type": "string"}, "value": {}, "effect": {"enum": ["for", "against"]},
                    "explanation": {"type": "string"}, "source": {"type": "string"}}}}}}},
            "presentations": {"type": "array", "items": {"type": "object", "required": ["id", "score", "explanation"], "properties": {
                "id": {"enum": PRESENTATION_IDS}, "score": {"type": "number", "minimum": 0, "maximum": 1}, "explanation": {"type": "string"}}}},
            "missing": {"type": "array", "items": {"type": "string"}},
            "plan": plan
        }
    })
}

fn checkin_schema() -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": {
        "day": {"type": "string", "format": "date", "description": "YYYY-MM-DD; today or up to 14 days before (default today)"},
        "exercises": {"type": "array", "items": {"type": "object", "required": ["exercise_id", "done"], "additionalProperties": false, "properties": {
            "exercise_id": {"type": "string"}, "done": {"type": "boolean"},
            "sets_done": {"type": ["integer", "null"], "minimum": 0, "maximum": 20}, "reps_done": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
            "pain_during": {"type": ["integer", "null"], "minimum": 0, "maximum": 10}, "quality_ok": {"type": "boolean"}}}},
        "morning": {"type": ["object", "null"], "required": ["pain", "usual"], "additionalProperties": false, "properties": {
            "pain": {"type": "integer", "minimum": 0, "maximum": 10}, "usual": {"type": "integer", "minimum": 0, "maximum": 10},
            "stiffness": {"enum": ["less", "same", "more"]}, "flags": {"type": "array", "items": {"enum": CHECKIN_FLAGS}}}}
    }})
}

fn checkins_schema() -> Value {
    let day = json!({"type": "string", "format": "date"});
    json!({"type": "object", "required": ["from", "to", "checkins", "mornings"], "properties": {
        "from": day, "to": day,
        "checkins": {"type": "array", "items": {"type": "object",
            "required": ["day", "exercise_id", "done", "sets_done", "reps_done", "pain_during", "quality_ok"], "properties": {
            "day": day, "exercise_id": {"type": "string"}, "done": {"type": "boolean"},
            "sets_done": {"type": ["integer", "null"]}, "reps_done": {"type": ["integer", "null"]},
            "pain_during": {"type": ["integer", "null"]}, "quality_ok": {"type": "boolean"}}}},
        "mornings": {"type": "array", "items": {"type": "object", "required": ["day", "pain", "usual", "stiffness", "flags"], "properties": {
            "day": day, "pain": {"type": "integer"}, "usual": {"type": "integer"},
            "stiffness": {"enum": ["less", "same", "more"]}, "flags": {"type": "array", "items": {"type": "string"}}}}}
    }})
}

/// What `POST /api/v1/outcomes` scores: one shape per instrument, with the core's items and ranges.
fn outcome_body_schema() -> Value {
    // A KOOS-12 scale is scored from 2 of its 4 items, and at least one scale must be scored.
    const _: () = assert!(KOOS12_MIN_ANSWERED == 2);
    let koos12_scales = [KOOS12_PAIN_ITEMS, KOOS12_FUNCTION_ITEMS, KOOS12_QOL_ITEMS];
    let code = json!({"type": "integer", "minimum": 0, "maximum": 4});
    let mut koos12_items = Map::new();
    let mut one_scale = Vec::new();
    for items in koos12_scales {
        for (i, a) in items.iter().enumerate() {
            koos12_items.insert((*a).to_owned(), json!({"type": ["integer", "null"], "minimum": 0, "maximum": 4}));
            for b in &items[i + 1..] {
                one_scale.push(json!({"required": [a, b], "properties": {*a: code, *b: code}}));
            }
        }
    }
    let mut kujala_items = Map::new();
    for item in KUJALA_ITEMS {
        let schema =
            json!({"type": "integer", "minimum": 0, "maximum": item.options.len() - 1, "description": item.topic});
        kujala_items.insert(item.number.to_string(), schema);
    }
    let kujala_ids: Vec<String> = KUJALA_ITEMS.iter().map(|i| i.number.to_string()).collect();
    // The PSFS activity names are trimmed, 2 to 60 characters without control characters, and distinct.
    let psfs = json!({"type": "object", "required": ["activities"], "additionalProperties": false, "properties": {
        "activities": {"type": "array", "minItems": 3, "maxItems": 5, "items": {"type": "object", "required": ["name", "rating"],
            "additionalProperties": false, "properties": {
            "name": {"type": "string", "minLength": 2, "maxLength": 60, "description": "trimmed; distinct from the other names"},
            "rating": {"type": "integer", "minimum": 0, "maximum": 10}}}}}});
    let kujala = json!({"type": "object", "required": kujala_ids, "additionalProperties": false, "properties": kujala_items,
        "description": "Every item \"1\" to \"13\": the index of the chosen option"});
    let koos12 = json!({"type": "object", "additionalProperties": false, "properties": koos12_items, "anyOf": one_scale,
        "description": "Codes 0 to 4; null or missing means not answered; at least 2 items of one scale"});
    let nprs = json!({"type": "object", "required": ["rating"], "additionalProperties": false, "properties": {
        "rating": {"type": "integer", "minimum": 0, "maximum": 10}}});
    let variants = [("kujala", kujala), ("koos12", koos12), ("nprs", nprs), ("psfs", psfs)];
    let one_of: Vec<Value> = variants
        .into_iter()
        .map(|(instrument, answers)| {
            json!({"type": "object", "required": ["instrument", "answers"], "additionalProperties": false, "properties": {
                "instrument": {"const": instrument}, "answers": answers,
                "week": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_WEEK,
                    "description": "plan week (0 = the start); default: the current checkpoint"}}})
        })
        .collect();
    json!({"oneOf": one_of})
}

fn outcome_schema() -> Value {
    json!({"type": "object", "required": ["id", "instrument", "version", "week", "taken_at", "answers", "scores"], "properties": {
        "id": {"type": "string"}, "instrument": {"enum": ["kujala", "koos12", "nprs", "psfs"]}, "version": {"type": "string"},
        "week": {"type": "integer", "minimum": 0}, "taken_at": {"type": "integer"},
        "answers": {"type": "object"}, "scores": {"type": "object"}}})
}

fn err(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The whole document.
pub fn document(kb: &Knowledge) -> Value {
    let bearer = json!([{"bearer": []}]);
    let id_param = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Assessment id"}]);
    let answers_body = json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answers"}}}});
    let summary = json!({"type": "object", "required": ["id", "created_at", "knowledge_version", "triage_level", "top_cause"], "properties": {
        "id": {"type": "string"}, "created_at": {"type": "integer"}, "knowledge_version": {"type": "string"},
        "triage_level": {"type": "string"}, "top_cause": {"type": "string"}}});
    let stored = json!({"type": "object", "required": ["id", "created_at", "knowledge_version", "answers", "result"], "properties": {
        "id": {"type": "string"}, "created_at": {"type": "integer"}, "knowledge_version": {"type": "string"},
        "answers": {"type": "object"}, "result": {"$ref": "#/components/schemas/Result"}}});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kneeroot API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Find the likely root cause of knee pain and a three-step plan. Decision support, not a diagnosis. Knowledge base version: ".to_owned() + kb.version()
        },
        "paths": {
            "/api/v1/assess": {"post": {
                "summary": "Assess answers (nothing is stored)",
                "operationId": "assess",
                "requestBody": answers_body.clone(),
                "responses": {"200": ok("The result", json!({"$ref": "#/components/schemas/Result"})), "400": err("Not a JSON object"), "422": err("An answer does not fit its question; `field` names it")}
            }},
            "/api/v1/session": {
                "post": {
                    "summary": "Sign in and get a bearer token",
                    "operationId": "createSession",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["email", "password"], "additionalProperties": false,
                        "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
                    "responses": {"201": ok("Signed in", json!({"type": "object", "required": ["token", "expires_at"], "properties": {"token": {"type": "string"}, "expires_at": {"type": "integer"}}})),
                        "400": err("Malformed body"), "401": err("Wrong email or password"), "429": err("Too many failed attempts")}
                },
                "delete": {"summary": "Sign out (the token stops working)", "operationId": "deleteSession", "security": bearer.clone(),
                    "responses": {"204": {"description": "Signed out"}, "401": err("No valid token")}}
            },
            "/api/v1/assessments": {
                "post": {"summary": "Assess and store", "operationId": "createAssessment", "security": bearer.clone(), "requestBody": answers_body,
                    "responses": {"201": ok("Stored", json!({"$ref": "#/components/schemas/StoredAssessment"})), "400": err("Not a JSON object"), "401": err("No valid token"), "422": err("An answer does not fit its question")}},
                "get": {"summary": "My assessments, newest first", "operationId": "listAssessments", "security": bearer.clone(),
                    "responses": {"200": ok("Assessments", json!({"type": "array", "items": summary})), "401": err("No valid token")}}
            },
            "/api/v1/assessments/{id}": {"get": {"summary": "One of my assessments", "operationId": "getAssessment", "security": bearer.clone(), "parameters": id_param,
                "responses": {"200": ok("The assessment", json!({"$ref": "#/components/schemas/StoredAssessment"})), "401": err("No valid token"), "404": err("No such assessment of yours")}}},
            "/api/v1/checkins": {
                "post": {"summary": "Record a day's check-in (exercises and the morning report); red flags pre-empt the plan, the pain rules adjust it", "operationId": "createCheckin", "security": bearer.clone(),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": checkin_schema()}}},
                    "responses": {"201": ok("Recorded", json!({"type": "object", "required": ["day", "triage", "decisions"], "properties": {
                        "day": {"type": "string", "format": "date"}, "triage": {"anyOf": [triage_schema(), {"type": "null"}]},
                        "decisions": {"type": "array", "items": {"type": "object", "required": ["exercise_id", "decision", "reason", "see_physio"], "properties": {
                            "exercise_id": {"type": "string"}, "decision": {"enum": ["progress", "hold", "regress"]}, "reason": {"type": "string"}, "see_physio": {"type": "boolean"}}}}}})),
                        "400": err("A value out of range or not in the plan; `field` names it"), "401": err("No valid token")}},
                "get": {"summary": "My check-ins and morning reports (default: the last 28 days)", "operationId": "listCheckins", "security": bearer.clone(),
                    "parameters": [{"name": "from", "in": "query", "required": false, "schema": {"type": "string", "format": "date"}},
                                   {"name": "to", "in": "query", "required": false, "schema": {"type": "string", "format": "date"}}],
                    "responses": {"200": ok("Check-ins", checkins_schema()), "400": err("A bad date or range, or a malformed query string"), "401": err("No valid token")}}
            },
            "/api/v1/outcomes": {
                "post": {"summary": "Store a completed questionnaire (scored by kneeroot)", "operationId": "createOutcome", "security": bearer.clone(),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOutcome"}}}},
                    "responses": {"201": ok("Stored", json!({"$ref": "#/components/schemas/Outcome"})),
                        "400": err("Not a JSON object"), "401": err("No valid token"), "422": err("An item is missing or out of range; `field` names it")}},
                "get": {"summary": "My questionnaire responses, oldest first", "operationId": "listOutcomes", "security": bearer.clone(),
                    "responses": {"200": ok("Responses", json!({"type": "array", "items": {"$ref": "#/components/schemas/Outcome"}})), "401": err("No valid token")}}
            },
            "/api/v1/plan": {"get": {"summary": "The plan of my newest assessment", "operationId": "getPlan", "security": bearer,
                "responses": {"200": ok("The plan (null when a red flag needs care first)", json!({"type": "object", "required": ["assessment_id", "created_at", "triage_level", "week", "plan"], "properties": {
                    "assessment_id": {"type": "string"}, "created_at": {"type": "integer"}, "triage_level": {"type": "string"},
                    "week": {"type": ["integer", "null"]}, "plan": {"$ref": "#/components/schemas/Plan"}}})),
                    "401": err("No valid token"), "404": err("No assessment yet")}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Answers": answer_schema(kb),
                "Result": result_schema(),
                "Plan": result_schema()["properties"]["plan"].clone(),
                "StoredAssessment": stored,
                "NewOutcome": outcome_body_schema(),
                "Outcome": outcome_schema(),
                "Error": error_schema()
            }
        }
    });
    // Downloads of the token owner's own records (`crate::export`).
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(crate::export::openapi::paths());
        // A linked patient's record for their clinician (`crate::clinic`).
        paths.extend(crate::clinic::openapi::paths());
    }
    // Booking a physiotherapist (`super::bookings`).
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(super::bookings_openapi::paths());
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.extend(super::bookings_openapi::schemas());
    }
    // Every request body is limited in size (`crate::BODY_LIMIT`), whatever the operation.
    let too_large = err(&format!("The body is larger than {} KB", crate::BODY_LIMIT / 1024));
    for operation in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .flat_map(|path| path.as_object_mut().into_iter().flat_map(|methods| methods.values_mut()))
    {
        if operation.get("requestBody").is_some() {
            operation["responses"]["413"] = too_large.clone();
        }
    }
    // The camera's analysis takes larger bodies, and says so in its own 413 (`super::squat`).
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(super::squat::openapi_paths());
    }
    doc
}
