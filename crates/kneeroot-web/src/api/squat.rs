//! `POST /api/v1/squat/analyse`: a landmark series in, the camera squat screen's analysis out
//! (`kneeroot_core::camera::output`). Stateless: nothing is stored, so, like `POST /api/v1/assess`, it
//! needs no token. The body is the series itself, parsed and bounded by `kneeroot_core::camera::input`;
//! anything it refuses is a 422 `invalid_recording` whose message names the place
//! (`frames[12].landmarks[25]: …`). Its route alone accepts bodies up to the camera's limit (8 MB).
//!
//! The OpenAPI entry is written from the parser's own bounds (frames, frame rate, image sides,
//! coordinate ranges), so a fuzzer generates series the server can take; what a schema cannot say
//! (times must not go backwards) is described.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use axum::{Json, Router};
use kneeroot_core::camera::analyse as run;
use kneeroot_core::camera::input::{COORDINATE_RANGE, MAX_FPS, MAX_FRAMES, MAX_IMAGE_SIDE, parse_recording};
use kneeroot_core::camera::output::to_json;
use kneeroot_store::Store;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult, Problem};
use crate::pages::camera::CAMERA_BODY_LIMIT;
use crate::state::AppState;

/// Landmarks per frame (BlazePose), as `kneeroot_squat::LANDMARK_COUNT`, which the parser enforces.
const LANDMARK_COUNT: usize = 33;

/// The route, with its own body limit.
pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route("/v1/squat/analyse", post(analyse::<S>)).layer(DefaultBodyLimit::max(CAMERA_BODY_LIMIT))
}

/// Analyse a landmark series.
pub async fn analyse<S: Store>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError(Problem::PayloadTooLarge(Some(CAMERA_BODY_LIMIT)))
        } else {
            ApiError(Problem::BadInput {
                field: None,
                message: format!("The body could not be read: {}", e.body_text()),
            })
        }
    })?;
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError(Problem::BadInput {
            field: None,
            message: "Send the body as JSON with Content-Type: application/json.".into(),
        }));
    }
    let text =
        std::str::from_utf8(&body).map_err(|_| ApiError(Problem::Recording("the body is not UTF-8 text".into())))?;
    let recording = parse_recording(text).map_err(|e| ApiError(Problem::Recording(e.0)))?;
    Ok(Json(to_json(&run(&state.kb, &recording))))
}

fn err(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The request body: a landmark series, with the parser's bounds.
fn recording_schema() -> Value {
    let (lo, hi) = COORDINATE_RANGE;
    let coordinate = json!({"type": "number", "minimum": lo, "maximum": hi});
    let landmark = json!({"type": "array", "minItems": 4, "maxItems": 4, "items": false, "prefixItems": [
        coordinate, coordinate, {"type": "number"}, {"type": "number", "minimum": 0, "maximum": 1}],
        "description": "[x, y, z, visibility]: x and y as fractions of the image width and height, z relative depth"});
    let side = json!({"type": "integer", "minimum": 1, "maximum": MAX_IMAGE_SIDE});
    json!({"type": "object", "required": ["view", "fps", "width", "height", "frames"], "additionalProperties": false,
        "properties": {
            "view": {"enum": ["front", "side"]},
            "fps": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_FPS},
            "width": side, "height": side,
            "frames": {"type": "array", "minItems": 1, "maxItems": MAX_FRAMES,
                "description": "in time order: each frame's t at least the previous one's",
                "items": {"type": "object", "required": ["t", "landmarks"], "additionalProperties": false, "properties": {
                    "t": {"type": "number", "minimum": 0, "description": "seconds from the start"},
                    "landmarks": {"anyOf": [
                        {"type": "null"},
                        {"type": "array", "maxItems": 0},
                        {"type": "array", "minItems": LANDMARK_COUNT, "maxItems": LANDMARK_COUNT, "items": landmark}],
                        "description": "33 landmarks in BlazePose order; null or [] for a frame with no person"}}}}}})
}

/// The response: the analysis contract of `kneeroot_core::camera::output`.
fn analysis_schema() -> Value {
    let number = json!({"type": ["number", "null"]});
    json!({"type": "object",
        "required": ["view", "reps", "metrics", "findings", "confidence", "finding_details", "not_assessed", "rep_times", "single_leg_stance", "quality"],
        "properties": {
            "view": {"enum": ["front", "side"]},
            "reps": {"type": "integer", "minimum": 0},
            "metrics": {"type": "object", "additionalProperties": {"anyOf": [number,
                {"type": "object", "required": ["left", "right"], "properties": {"left": number, "right": number}}]}},
            "findings": {"type": "object", "additionalProperties": {"type": ["boolean", "string"]},
                "description": "proposed answers by answer id (docs/answers.md), to be confirmed by the person"},
            "confidence": {"type": "object", "additionalProperties": number},
            "finding_details": {"type": "object", "additionalProperties": {"type": "object",
                "required": ["confidence", "metric", "explanation"], "properties": {
                "confidence": number, "metric": {"type": "string"}, "explanation": {"type": "string"}}}},
            "not_assessed": {"type": "object", "additionalProperties": {"type": "string"}},
            "rep_times": {"type": "array", "items": {"type": "object", "required": ["start", "bottom", "end"], "properties": {
                "start": number, "bottom": number, "end": number}}},
            "single_leg_stance": {"enum": ["left", "right", null]},
            "quality": {"type": "object", "required": ["frames", "frames_with_pose", "issues"], "properties": {
                "frames": {"type": "integer", "minimum": 0}, "frames_with_pose": {"type": "integer", "minimum": 0},
                "issues": {"type": "array", "items": {"type": "string"}}}}}})
}

/// The path in the OpenAPI document, with its own 413 (the camera's limit, not the API's usual one).
pub(super) fn openapi_paths() -> Map<String, Value> {
    let path = json!({"post": {
        "summary": "Analyse a filmed squat from its pose landmarks (nothing is stored; no token needed)",
        "description": "The landmark series the camera squat screen sends (MediaPipe BlazePose, 33 points per frame, normalised image coordinates). The analysis proposes answers with a confidence each; it is screening from 2D video, not a measurement.",
        "operationId": "analyseSquat",
        "requestBody": {"required": true, "content": {"application/json": {"schema": recording_schema()}}},
        "responses": {
            "200": {"description": "The analysis", "content": {"application/json": {"schema": analysis_schema()}}},
            "400": err("Not sent as JSON"),
            "413": err(&format!("The body is larger than {} MB", CAMERA_BODY_LIMIT / (1024 * 1024))),
            "422": err("The series cannot be analysed; the message names the place (frames[12].landmarks[25]: …)")}}});
    let mut map = Map::new();
    map.insert("/api/v1/squat/analyse".to_owned(), path);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_bounds_are_the_parsers() {
        let s = recording_schema();
        assert_eq!(s["properties"]["frames"]["maxItems"], MAX_FRAMES);
        let landmarks = &s["properties"]["frames"]["items"]["properties"]["landmarks"]["anyOf"][2];
        assert_eq!((landmarks["minItems"].clone(), landmarks["maxItems"].clone()), (json!(33), json!(33)));
        assert_eq!(landmarks["items"]["prefixItems"].as_array().map(Vec::len), Some(4));
        let paths = openapi_paths();
        let responses = &paths["/api/v1/squat/analyse"]["post"]["responses"];
        assert!(responses["413"]["description"].as_str().is_some_and(|d| d.contains("8 MB")), "{responses}");
    }
}
