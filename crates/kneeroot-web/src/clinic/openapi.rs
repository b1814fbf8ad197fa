//! The OpenAPI description of the clinician's API route, added to the API's document (`api::openapi`)
//! beside the routes it describes, so the document and the fuzzer cover it.

use serde_json::{Map, Value, json};

fn error(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The paths of the clinician's API, keyed as in the document's `paths`.
pub(crate) fn paths() -> Map<String, Value> {
    // The file is the very bundle a patient downloads of themselves: describe it once, there.
    let own = crate::export::openapi::paths();
    let bundle = own
        .get("/api/v1/me/fhir")
        .and_then(|p| p.pointer("/get/responses/200"))
        .cloned()
        .unwrap_or_else(|| json!({"description": "The FHIR R4 bundle"}));
    Map::from_iter([(
        "/api/v1/patients/{id}/fhir".to_owned(),
        json!({"get": {
            "summary": "A linked patient's record as a FHIR R4 Bundle, for their clinician (the download is written to the patient's audit log)",
            "operationId": "exportPatientFhir",
            "security": [{"bearer": []}],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The patient's user id"}],
            "responses": {
                "200": bundle,
                "401": error("No valid token"),
                "403": error("The token's holder is not a clinician"),
                "404": error("No such patient linked to this clinician (the same answer for a patient who does not exist)"),
            },
        }}),
    )])
}
