//! The JSON API under `/api/v1`, for apps and scripts. Described by an OpenAPI 3.1 document at
//! `/api/openapi.json` and browsable at `/api/docs` (rendered by kneeroot, no CDN).
//!
//! Clients authenticate with a bearer token from `POST /api/v1/session`. Every error has the same shape,
//! `{"error": {"code", "message", "field"}}`, decided in `crate::error`.

mod assess;
mod assessments;
mod body;
mod bookings;
mod bookings_openapi;
mod checkins;
mod docs;
mod openapi;
mod outcomes;
mod session;
mod squat;

use axum::Router;
use axum::routing::{get, post};
use kneeroot_store::Store;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub use body::ApiJson;
pub use openapi::document;

/// API routes (mounted under `/api`).
pub fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/openapi.json", get(openapi::serve::<S>))
        .route("/docs", get(docs::page::<S>))
        .route("/v1/assess", post(assess::assess::<S>))
        .route("/v1/session", post(session::create::<S>).delete(session::delete::<S>))
        .route("/v1/assessments", post(assessments::create::<S>).get(assessments::list::<S>))
        .route("/v1/assessments/{id}", get(assessments::get_one::<S>))
        .route("/v1/plan", get(assessments::plan::<S>))
        .route("/v1/outcomes", post(outcomes::create::<S>).get(outcomes::list::<S>))
        .route("/v1/slots", get(bookings::list_slots::<S>))
        .route("/v1/bookings", post(bookings::book::<S>).get(bookings::my_bookings::<S>))
        .route("/v1/bookings/{id}", get(bookings::get_booking::<S>).delete(bookings::cancel::<S>))
        .route("/v1/bookings/{id}/ics", get(bookings::calendar::<S>))
        .route("/v1/availability", axum::routing::put(bookings::set_availability::<S>))
        .route("/v1/checkins", post(checkins::create::<S>).get(checkins::list::<S>))
        .merge(squat::routes())
        .merge(crate::export::routes::api())
        .merge(crate::clinic::api())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn method_not_allowed() -> ApiError {
    ApiError(Problem::MethodNotAllowed)
}

async fn not_found() -> ApiError {
    ApiError(Problem::NotFound)
}

#[cfg(test)]
mod tests;
