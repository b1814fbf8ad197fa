//! The one place where errors become HTTP responses.
//!
//! Handlers return [`AppError`] (pages) or [`ApiError`] (API); both wrap a [`Problem`] and both are mapped
//! by [`classify`], so a status code is decided once for the whole application. Pages get a small HTML
//! error page; the API gets `{"error": {"code", "message", "field"}}`. Internal errors are logged with
//! their whole cause chain and shown to nobody: the response says only that something went wrong.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::answers::AnswerErrors;
use kneeroot_store::StoreError;
use serde_json::json;

/// What went wrong, independent of how it is shown.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// No such page or record (or not yours: the same answer, so existence does not leak).
    #[error("not found")]
    NotFound,
    /// Input that could not be accepted; names the field when there is one.
    #[error("{message}")]
    BadInput {
        /// The field, if one is to blame.
        field: Option<String>,
        /// What was wrong, for a person.
        message: String,
    },
    /// Answers that do not fit their questions.
    #[error("{0}")]
    Answers(AnswerErrors),
    /// A landmark series of the camera squat screen that cannot be analysed; the message names the place
    /// (`frames[12].landmarks[25][1]: …`).
    #[error("{0}")]
    Recording(String),
    /// Not signed in.
    #[error("sign in first")]
    Unauthorized,
    /// Signed in but not allowed, or a missing/forged CSRF token.
    #[error("{0}")]
    Forbidden(String),
    /// A uniqueness rule would be broken.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request body is larger than kneeroot accepts: the route's limit in bytes, when the caller
    /// knows it (a form extractor does not know which route's limit applied).
    #[error("the request is too large")]
    PayloadTooLarge(Option<usize>),
    /// The method is not allowed on this path.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Our fault; the cause is logged.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Problem {
    /// Bad input in a named field.
    pub fn field(field: &str, message: impl Into<String>) -> Problem {
        Problem::BadInput { field: Some(field.to_owned()), message: message.into() }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Problem::NotFound,
            StoreError::Conflict(m) => Problem::Conflict(m),
            other => Problem::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for Problem {
    fn from(e: askama::Error) -> Self {
        Problem::Internal(anyhow::anyhow!("rendering a template: {e}"))
    }
}

impl From<AnswerErrors> for Problem {
    fn from(e: AnswerErrors) -> Self {
        Problem::Answers(e)
    }
}

/// Status, machine code, message and field for a problem: the single mapping.
pub fn classify(p: &Problem) -> (StatusCode, &'static str, String, Option<String>) {
    match p {
        Problem::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found.".into(), None),
        Problem::BadInput { field, message } => {
            (StatusCode::BAD_REQUEST, "bad_request", message.clone(), field.clone())
        }
        Problem::Answers(errors) => {
            let first = errors.0.first();
            let field = first.map(|e| e.id.clone()).filter(|id| !id.is_empty());
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers", errors.to_string(), field)
        }
        Problem::Recording(message) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_recording", message.clone(), recording_field(message))
        }
        Problem::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Sign in first.".into(), None),
        Problem::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.clone(), None),
        Problem::Conflict(m) => (StatusCode::CONFLICT, "conflict", m.clone(), None),
        Problem::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests", m.clone(), None),
        Problem::PayloadTooLarge(limit) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            match limit {
                Some(bytes) => format!("The request is too large (at most {} KB).", bytes / 1024),
                None => "The request is too large.".to_owned(),
            },
            None,
        ),
        Problem::MethodNotAllowed => {
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This method is not allowed here.".into(), None)
        }
        Problem::Internal(e) => {
            tracing::error!(error = format!("{e:#}"), "internal error");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side. Please try again.".into(),
                None,
            )
        }
    }
}

/// The place a landmark-series message starts with (`frames[3].landmarks[25][1] (y): expected …` →
/// `frames[3].landmarks[25][1]`), or the key it refuses at the top (`unknown key "frame" (allowed: …)` →
/// `frame`), if it names one.
fn recording_field(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown key \"") {
        return rest.rsplit_once("\" (allowed").map(|(key, _)| key.to_owned());
    }
    let (place, _) = message.split_once(": ")?;
    let place = place.split_once(" (").map_or(place, |(p, _)| p);
    let is_path = !place.is_empty() && place.chars().all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c));
    is_path.then(|| place.to_owned())
}

/// An error in a page handler: shown as an HTML page (or a redirect to sign in).
#[derive(Debug)]
pub struct AppError(pub Problem);

impl<E: Into<Problem>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self.0, Problem::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let (status, _, message, _) = classify(&self.0);
        let page = crate::views::ErrorPage::new(status, &message);
        (status, page.into_html()).into_response()
    }
}

/// An error in an API handler: shown as JSON.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl<E: Into<Problem>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = classify(&self.0);
        let mut response =
            (status, Json(json!({"error": {"code": code, "message": message, "field": field}}))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Page handler result.
pub type PageResult<T> = Result<T, AppError>;
/// API handler result.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::recording_field;

    #[test]
    fn a_recording_problem_names_its_place_as_the_field() {
        let field = |m: &str| recording_field(m);
        assert_eq!(
            field("frames[3].landmarks[25][1] (y): expected a number").as_deref(),
            Some("frames[3].landmarks[25][1]")
        );
        assert_eq!(field("fps: missing; expected a frame rate").as_deref(), Some("fps"));
        assert_eq!(field("unknown key \"frame\" (allowed: view, fps)").as_deref(), Some("frame"));
        assert_eq!(field("unknown key \"\" (allowed: view, fps)").as_deref(), Some(""));
        assert_eq!(field("not valid JSON: expected value at line 1"), None);
        assert_eq!(field("expected an object with the keys view, fps"), None);
    }
}
