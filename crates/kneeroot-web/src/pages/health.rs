//! `/healthz` (the process answers) and `/readyz` (and its database does too).

use axum::extract::State;
use axum::http::StatusCode;
use kneeroot_store::Store;

use crate::state::AppState;

/// Alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers.
pub async fn readyz<S: Store>(State(state): State<AppState<S>>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
