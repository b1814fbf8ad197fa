//! `POST /api/v1/assess`: answers in, the result contract out. Nothing is stored.

use axum::Json;
use axum::extract::State;
use kneeroot_core::{Answers, AssessmentResult, assess as run};
use kneeroot_store::Store;
use serde_json::{Map, Value};

use super::ApiJson;
use crate::error::ApiResult;
use crate::state::AppState;

/// Assess a JSON object of answers.
pub async fn assess<S: Store>(
    State(state): State<AppState<S>>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult<Json<AssessmentResult>> {
    let answers = Answers::from_json_map(&state.kb, &body)?;
    Ok(Json(run(&state.kb, &answers)))
}
