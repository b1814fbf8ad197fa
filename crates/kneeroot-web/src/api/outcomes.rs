//! Outcome questionnaires over the API. `POST /api/v1/outcomes` checks, scores and stores one completed
//! questionnaire with exactly the checks and scoring of the pages (`crate::pages::questionnaires`), so
//! an app and the web form meet the same rules; `GET /api/v1/outcomes` lists the token owner's responses,
//! oldest first. Reads are scoped to the token's owner: another person's responses are never reachable.
//!
//! A body is `{"instrument": "kujala" | "koos12" | "nprs" | "psfs", "answers": {…}, "week": 0}`; `week`
//! (the plan week the response belongs to, 0 = the start) defaults to the current checkpoint. Answers that
//! cannot be scored are a 422 `invalid_answers` error whose `field` names the first item at fault.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kneeroot_store::{OutcomeResponse, Store};
use serde_json::{Map, Value, json};

use super::ApiJson;
use crate::error::{ApiError, ApiResult, Problem};
use crate::pages::questionnaires::{INSTRUMENTS_ALLOWED, Invalid, MAX_WEEK, offered, problem, save, score, timing};
use crate::session::ApiUser;
use crate::state::AppState;

/// A stored response as the API shows it.
fn view(r: &OutcomeResponse) -> ApiResult<Value> {
    let parse =
        |s: &str| -> Result<Value, Problem> { serde_json::from_str(s).map_err(|e| anyhow::Error::from(e).into()) };
    Ok(json!({
        "id": r.id,
        "instrument": r.instrument,
        "version": r.version,
        "week": r.week,
        "taken_at": r.taken_at,
        "answers": parse(&r.answers)?,
        "scores": parse(&r.scores)?,
    }))
}

/// `POST /api/v1/outcomes`: check, score and store; `201` with the stored response and its scores.
pub async fn create<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut invalid: Vec<Invalid> = body
        .iter()
        .filter(|(k, _)| !["instrument", "answers", "week"].contains(&k.as_str()))
        .map(|(k, v)| Invalid::field(k, Some(v), "only the fields \"instrument\", \"answers\" and \"week\""))
        .collect();
    let instrument = body.get("instrument").and_then(Value::as_str).and_then(offered);
    if instrument.is_none() {
        invalid.push(Invalid::field("instrument", body.get("instrument"), INSTRUMENTS_ALLOWED));
    }
    let week = match body.get("week") {
        None | Some(Value::Null) => None,
        Some(raw) => {
            let week = raw.as_u64().filter(|w| *w <= MAX_WEEK).and_then(|w| i64::try_from(w).ok());
            if week.is_none() {
                let allowed = format!("a whole number of plan weeks from 0 (the start) to {MAX_WEEK}");
                invalid.push(Invalid::field("week", Some(raw), &allowed));
            }
            week
        }
    };
    let Some(answers) = body.get("answers") else {
        invalid.push(Invalid::field("answers", None, "a JSON object mapping item ids to answers"));
        return Err(ApiError(problem(invalid)));
    };
    let Some(instrument) = instrument else { return Err(ApiError(problem(invalid))) };
    let scored = match score(instrument, answers) {
        Ok(scored) if invalid.is_empty() => scored,
        Ok(_) => return Err(ApiError(problem(invalid))),
        Err(more) => {
            invalid.extend(more);
            return Err(ApiError(problem(invalid)));
        }
    };
    let week = match week {
        Some(w) => w,
        None => i64::from(timing(&state, me.id()).await?.map_or(0, |t| t.checkpoint)),
    };
    let saved = save(&state, me.id(), instrument, &scored, week).await?;
    Ok((StatusCode::CREATED, Json(view(&saved)?)))
}

/// `GET /api/v1/outcomes`: the token owner's responses, oldest first.
pub async fn list<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Json<Value>> {
    let all = state.store.responses(me.id()).await?;
    Ok(Json(Value::Array(all.iter().map(view).collect::<ApiResult<Vec<_>>>()?)))
}
