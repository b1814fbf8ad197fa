//! The download routes: the same four files for the API (bearer token) and for the account page (the
//! browser session). Each reads the signed-in person's own record and nothing else: the owner comes from
//! the `ApiUser` or `SignedIn` extractor, never from the request, so no route here can reach another
//! person's data. Without a token the API answers 401; without a session a page redirects to sign in.
//!
//! Every file is sent as an attachment named with the day of export, and `Cache-Control: no-store`
//! keeps health data out of shared and browser caches.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kneeroot_store::{Store, User};

use super::{archive, csv, fhir, load_record};
use crate::error::{ApiResult, PageResult, Problem};
use crate::pages::current::{today, ymd};
use crate::session::{ApiUser, SignedIn};
use crate::state::AppState;

/// The API's download routes (mounted under `/api`).
pub(crate) fn api<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/v1/me/fhir", get(api_download::<S, Fhir>))
        .route("/v1/me/export", get(api_download::<S, Everything>))
        .route("/v1/me/checkins.csv", get(api_download::<S, Checkins>))
        .route("/v1/me/scores.csv", get(api_download::<S, Scores>))
}

/// The account page's download routes.
pub(crate) fn pages<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/account/fhir.json", get(page_download::<S, Fhir>))
        .route("/account/export.json", get(page_download::<S, Everything>))
        .route("/account/checkins.csv", get(page_download::<S, Checkins>))
        .route("/account/scores.csv", get(page_download::<S, Scores>))
}

/// One kind of file: how it is named, typed and built from a record.
trait Download: Send + 'static {
    /// The start of the file name (the day of export and the extension follow).
    const NAME: &'static str;
    /// The file name's extension.
    const EXTENSION: &'static str;
    /// The `Content-Type`.
    const CONTENT_TYPE: &'static str;
    /// The file.
    fn build(record: &super::PatientRecord, kb: &kneeroot_core::Knowledge, now: i64) -> String;
}

/// The FHIR R4 bundle.
struct Fhir;
/// Everything, as one JSON document.
struct Everything;
/// The check-in diary.
struct Checkins;
/// The questionnaire scores.
struct Scores;

/// JSON for people to open as well as programs to read.
fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

impl Download for Fhir {
    const NAME: &'static str = "kneeroot-fhir";
    const EXTENSION: &'static str = "json";
    const CONTENT_TYPE: &'static str = "application/fhir+json";
    fn build(record: &super::PatientRecord, kb: &kneeroot_core::Knowledge, now: i64) -> String {
        pretty(&fhir::bundle(record, kb, now))
    }
}

impl Download for Everything {
    const NAME: &'static str = "kneeroot-export";
    const EXTENSION: &'static str = "json";
    const CONTENT_TYPE: &'static str = "application/json";
    fn build(record: &super::PatientRecord, kb: &kneeroot_core::Knowledge, now: i64) -> String {
        pretty(&archive::everything(record, kb, now))
    }
}

impl Download for Checkins {
    const NAME: &'static str = "kneeroot-checkins";
    const EXTENSION: &'static str = "csv";
    const CONTENT_TYPE: &'static str = "text/csv; charset=utf-8";
    fn build(record: &super::PatientRecord, kb: &kneeroot_core::Knowledge, _now: i64) -> String {
        csv::checkins(record, kb)
    }
}

impl Download for Scores {
    const NAME: &'static str = "kneeroot-scores";
    const EXTENSION: &'static str = "csv";
    const CONTENT_TYPE: &'static str = "text/csv; charset=utf-8";
    fn build(record: &super::PatientRecord, _kb: &kneeroot_core::Knowledge, _now: i64) -> String {
        csv::scores(record)
    }
}

/// `user`'s own file of kind `D`, as an attachment.
async fn download<S: Store, D: Download>(state: &AppState<S>, user: &User) -> Result<Response, Problem> {
    let record = load_record(state, user).await?;
    let now = state.now();
    let body = D::build(&record, &state.kb, now);
    let disposition = format!("attachment; filename=\"{}-{}.{}\"", D::NAME, ymd(today(now)), D::EXTENSION);
    Ok((
        [
            (header::CONTENT_TYPE, D::CONTENT_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/v1/me/{fhir,export,checkins.csv,scores.csv}`: the token owner's file.
async fn api_download<S: Store, D: Download>(State(state): State<AppState<S>>, me: ApiUser) -> ApiResult<Response> {
    Ok(download::<S, D>(&state, &me.user).await?)
}

/// `GET /account/{fhir.json,export.json,checkins.csv,scores.csv}`: the signed-in person's file.
async fn page_download<S: Store, D: Download>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Response> {
    Ok(download::<S, D>(&state, &me.user).await?)
}
