//! The OpenAPI description of the download routes, added to the API's document (`api::openapi`) so the
//! document and the fuzzer cover them. Kept beside the routes it describes.

use serde_json::{Map, Value, json};

fn error(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// A `GET` of the token owner's file: `media` with `schema`, or 401.
fn download(summary: &str, operation_id: &str, media: &str, schema: Value) -> Value {
    json!({"get": {
        "summary": summary,
        "operationId": operation_id,
        "security": [{"bearer": []}],
        "responses": {
            "200": {
                "description": "The file, as an attachment named with the day of export (`Cache-Control: no-store`)",
                "headers": {"Content-Disposition": {"required": true, "schema": {"type": "string"}}},
                "content": {media: {"schema": schema}},
            },
            "401": error("No valid token"),
        },
    }})
}

fn bundle_schema() -> Value {
    json!({"type": "object", "required": ["resourceType", "type", "timestamp", "entry"], "properties": {
        "resourceType": {"const": "Bundle"}, "id": {"type": "string"}, "type": {"const": "collection"},
        "timestamp": {"type": "string"},
        "entry": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["fullUrl", "resource"], "properties": {
            "fullUrl": {"type": "string", "pattern": "^urn:uuid:"},
            "resource": {"type": "object", "required": ["resourceType", "id"], "properties": {
                "resourceType": {"enum": ["Patient", "QuestionnaireResponse", "CarePlan", "Appointment", "Observation"]},
                "id": {"type": "string"}}}}}}}})
}

fn everything_schema() -> Value {
    let list = json!({"type": "array", "items": {"type": "object"}});
    json!({"type": "object",
        "required": ["format", "version", "generated_at", "account", "assessments", "checkins", "mornings", "outcomes", "plan_changes", "bookings", "fhir"],
        "properties": {
            "format": {"const": super::archive::FORMAT}, "version": {"const": super::archive::VERSION},
            "generated_at": {"type": "string"},
            "account": {"type": "object", "required": ["id", "email", "role", "created_at", "reminders"], "properties": {
                "id": {"type": "string"}, "email": {"type": "string"}, "role": {"enum": ["patient", "clinician", "admin"]},
                "created_at": {"type": "integer"}, "reminders": {"type": "boolean"}}},
            "assessments": list, "checkins": list, "mornings": list, "outcomes": list, "plan_changes": list, "bookings": list,
            "fhir": bundle_schema()}})
}

/// The paths of the download routes, keyed as in the document's `paths`.
pub(crate) fn paths() -> Map<String, Value> {
    let csv = json!({"type": "string"});
    Map::from_iter([
        (
            "/api/v1/me/fhir".to_owned(),
            download(
                "Everything kneeroot holds about me as a FHIR R4 Bundle (collection): Patient, QuestionnaireResponses, the CarePlan in force, Appointments and pain Observations",
                "exportFhir",
                "application/fhir+json",
                bundle_schema(),
            ),
        ),
        (
            "/api/v1/me/export".to_owned(),
            download(
                "Everything kneeroot holds about me as one versioned JSON document (format kneeroot-export), the FHIR bundle included",
                "exportEverything",
                "application/json",
                everything_schema(),
            ),
        ),
        (
            "/api/v1/me/checkins.csv".to_owned(),
            download(
                "My check-in diary as CSV (RFC 4180): a row per morning report and per exercise check-in, by day",
                "exportCheckinsCsv",
                "text/csv",
                csv.clone(),
            ),
        ),
        (
            "/api/v1/me/scores.csv".to_owned(),
            download(
                "My questionnaire scores as CSV (RFC 4180): a row per score (taken_at, instrument, version, week, score, value)",
                "exportScoresCsv",
                "text/csv",
                csv,
            ),
        ),
    ])
}
