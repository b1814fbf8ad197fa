//! The signed-in person's stored assessments and plan. Every read is scoped to the token's owner: another
//! person's assessment id gives 404, exactly like one that does not exist.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kneeroot_core::{Answers, AssessmentResult};
use kneeroot_store::{Assessment, AssessmentId, Store};
use serde_json::{Map, Value, json};

use super::ApiJson;
use super::body::ApiPath;
use crate::error::{ApiError, ApiResult, Problem};
use crate::pages::{plan_api_view, save_assessment};
use crate::session::ApiUser;
use crate::state::AppState;

fn summary(a: &Assessment) -> Value {
    json!({"id": a.id, "created_at": a.created_at, "knowledge_version": a.knowledge_version, "triage_level": a.triage_level, "top_cause": a.top_cause})
}

fn full(a: &Assessment) -> ApiResult<Value> {
    let answers: Value = serde_json::from_str(&a.answers).map_err(anyhow::Error::from).map_err(Problem::from)?;
    let result: AssessmentResult =
        serde_json::from_str(&a.result).map_err(anyhow::Error::from).map_err(Problem::from)?;
    Ok(
        json!({"id": a.id, "created_at": a.created_at, "knowledge_version": a.knowledge_version, "answers": answers, "result": result}),
    )
}

/// `POST /api/v1/assessments`: assess and store; `201` with the stored assessment.
pub async fn create<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let answers = Answers::from_json_map(&state.kb, &body)?;
    let (stored, _) = save_assessment(&state, me.id(), &answers, None).await?;
    Ok((StatusCode::CREATED, Json(full(&stored)?)))
}

/// `GET /api/v1/assessments`: newest first.
pub async fn list<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Json<Value>> {
    let all = state.store.assessments(me.id()).await?;
    Ok(Json(Value::Array(all.iter().map(summary).collect())))
}

/// `GET /api/v1/assessments/{id}`
pub async fn get_one<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = AssessmentId::parse(&id).ok_or(ApiError(Problem::NotFound))?;
    let a = state.store.assessment(me.id(), &id).await?.ok_or(ApiError(Problem::NotFound))?;
    Ok(Json(full(&a)?))
}

/// `GET /api/v1/plan`: the plan of the newest assessment, with the current week.
pub async fn plan<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Json<Value>> {
    let latest = state.store.latest_assessment(me.id()).await?.ok_or(ApiError(Problem::NotFound))?;
    Ok(Json(plan_api_view(&latest, state.now())?))
}
