//! `POST /api/v1/session` (sign in, get a bearer token) and `DELETE /api/v1/session` (sign out).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use kneeroot_store::{SessionKind, Store};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use crate::error::{ApiError, ApiResult, Problem};
use crate::pages::authenticate;
use crate::security::{Throttle, client_ip};
use crate::session::{ApiUser, start_session};
use crate::state::AppState;

/// The sign-in body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

/// Sign in: `{email, password}` → `201 {"token", "expires_at"}`.
pub async fn create<S: Store>(
    State(state): State<AppState<S>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if body.password.len() > 1024 {
        return Err(ApiError(Problem::field("password", "The password is too long.")));
    }
    let throttle = Throttle::new(&body.email, client_ip(Some(peer), &headers, state.config.trust_forwarded_for));
    throttle.check(&state).await?;
    let Some(user) = authenticate(&state, &body.email, body.password).await? else {
        throttle.failed(&state).await?;
        return Err(ApiError(Problem::Unauthorized));
    };
    throttle.succeeded(&state).await?;
    let (token, session) = start_session(&state, Some(user.id), None, SessionKind::Api).await?;
    Ok((StatusCode::CREATED, Json(json!({"token": token, "expires_at": session.expires_at}))))
}

/// Sign out: the token stops working.
pub async fn delete<S: Store>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<StatusCode> {
    state.store.delete_session(&me.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
