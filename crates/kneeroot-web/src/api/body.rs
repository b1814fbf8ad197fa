//! JSON request bodies, query strings and path parameters, with rejections in the API's error shape (axum's
//! own are plain text).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
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
                Err(ApiError(Problem::PayloadTooLarge(Some(crate::BODY_LIMIT))))
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

/// A query string of type `T`; one that does not fit (a repeated or malformed parameter) is a 400 that says
/// why.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError(Problem::BadInput {
                field: None,
                message: format!("The query string could not be read: {}", e.body_text()),
            })),
        }
    }
}

/// Path parameters of type `T`. Every parameter of the API names a record, so one that cannot even be read
/// (`%FF`, not UTF-8) names none: a 404, exactly like an id that does not exist.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(ApiError(Problem::NotFound)),
        }
    }
}
