//! `POST /api/v1/checkins` (record a day's check-in) and `GET /api/v1/checkins` (the history), sharing the
//! page's rules: red flags pre-empt the plan, and the pain-monitoring rules adjust it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kneeroot_store::Store;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use super::body::ApiQuery;
use crate::error::{ApiError, ApiResult, Problem};
use crate::pages::checkin::{ExerciseReport, MorningInput, record, validate};
use crate::pages::current::{current_plan, parse_ymd, today, ymd};
use crate::session::ApiUser;
use crate::state::AppState;

/// A day's check-in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinBody {
    day: Option<String>,
    #[serde(default)]
    exercises: Vec<ExerciseReport>,
    morning: Option<MorningInput>,
}

/// `POST /api/v1/checkins` → 201 `{day, triage, decisions}`.
pub async fn create<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiJson(body): ApiJson<CheckinBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let plan = current_plan(&state, me.id()).await?.ok_or_else(|| {
        ApiError(Problem::field("plan", "There is no plan to check in against yet: save an assessment first."))
    })?;
    let today = today(state.now());
    let day = match body.day.as_deref() {
        None => today,
        Some(s) => parse_ymd(s)
            .ok_or_else(|| ApiError(Problem::field("day", format!("'{s}' is not a date like 2026-11-25."))))?,
    };
    validate(&plan, day, today, &body.exercises, body.morning.as_ref())?;
    let recorded = record(&state, &me.user, &plan, day, &body.exercises, body.morning.as_ref()).await?;
    let decisions: Vec<Value> = recorded
        .decisions
        .iter()
        .map(|(id, d)| json!({"exercise_id": id, "decision": d.decision, "reason": d.reason, "see_physio": d.see_physio}))
        .collect();
    Ok((StatusCode::CREATED, Json(json!({"day": ymd(day), "triage": recorded.triage, "decisions": decisions}))))
}

/// The range of days to list.
#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/checkins[?from=&to=]` → `{checkins, mornings}` (default: the last 28 days).
pub async fn list<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    ApiQuery(range): ApiQuery<Range>,
) -> ApiResult<Json<Value>> {
    let today = today(state.now());
    let parse = |name: &str, v: &Option<String>, default: i64| -> Result<i64, ApiError> {
        match v.as_deref() {
            None | Some("") => Ok(default),
            Some(s) => parse_ymd(s)
                .ok_or_else(|| ApiError(Problem::field(name, format!("'{s}' is not a date like 2026-11-25.")))),
        }
    };
    let to = parse("to", &range.to, today)?;
    let from = parse("from", &range.from, to - 27)?;
    if from > to || to - from > 366 {
        return Err(ApiError(Problem::field("from", "Ask for at most a year, with from before to.")));
    }
    let checkins: Vec<Value> = state
        .store
        .checkins(me.id(), from, to)
        .await?
        .into_iter()
        .map(|c| json!({"day": ymd(c.day), "exercise_id": c.exercise_id, "done": c.done, "sets_done": c.sets_done, "reps_done": c.reps_done, "pain_during": c.pain_during, "quality_ok": c.quality_ok}))
        .collect();
    let mornings: Vec<Value> = state
        .store
        .mornings(me.id(), from, to)
        .await?
        .into_iter()
        .map(|m| json!({"day": ymd(m.day), "pain": m.pain, "usual": m.usual, "stiffness": m.stiffness, "flags": m.flags}))
        .collect();
    Ok(Json(json!({"from": ymd(from), "to": ymd(to), "checkins": checkins, "mornings": mornings})))
}
