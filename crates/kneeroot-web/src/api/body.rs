//! JSON request bodies, with rejections in the API's error shape (axum's own are plain text).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Problem};

/// A JSON body of type `T`; a missing content type, bad JSON or the wrong shape is a 400 that says why.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError(Problem::PayloadTooLarge))
            }
            Err(e) => {
                let message = match &e {
                    JsonRejection::MissingJsonContentType(_) => {
                        "Send the body as JSON with Content-Type: application/json.".to_owned()
                    }
                    JsonRejection::JsonSyntaxError(_) => format!("The body is not valid JSON: {}", e.body_text()),
                    JsonRejection::JsonDataError(_) => {
                        format!("The JSON does not have the expected shape: {}", e.body_text())
                    }
                    _ => format!("The body could not be read: {}", e.body_text()),
                };
                Err(ApiError(Problem::BadInput { field: None, message }))
            }
        }
    }
}
