//! A linked patient's record as a FHIR R4 bundle, for their clinician to take into another health
//! system: `GET /clinic/patients/{id}/fhir.json` (the browser session) and `GET /api/v1/patients/{id}/fhir`
//! (a bearer token). The bundle is the one the patient downloads themselves (`crate::export`); only the
//! access differs: the care link is checked and the download written to the patient's audit log as an
//! export, before the record is read. Anyone but a clinician gets 403, a patient who is not linked (or
//! does not exist) 404.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kneeroot_store::{Store, User};

use super::access::{Access, LinkedPatient};
use crate::error::{ApiResult, PageResult, Problem};
use crate::export::{fhir, load_record};
use crate::pages::current::{today, ymd};
use crate::session::{ApiUser, ClinicianIn};
use crate::state::AppState;

/// What the audit log says was downloaded.
pub(crate) const FHIR_EXPORT: &str = "record as a FHIR file";

/// The bundle of the patient `raw_id` for `clinician`, as an attachment.
async fn download<S: Store>(state: &AppState<S>, clinician: &User, raw_id: &str) -> Result<Response, Problem> {
    let linked = LinkedPatient::open(state, clinician, raw_id, Access::export(FHIR_EXPORT)).await?;
    let record = load_record(state, linked.patient()).await?;
    let now = state.now();
    let body = serde_json::to_string_pretty(&fhir::bundle(&record, &state.kb, now)).map_err(anyhow::Error::from)?;
    // The file name tells one patient's file from another's without naming the patient.
    let short = linked.patient().id.as_str().get(..8).unwrap_or_default();
    let disposition = format!("attachment; filename=\"kneeroot-fhir-{short}-{}.json\"", ymd(today(now)));
    Ok((
        [
            (header::CONTENT_TYPE, "application/fhir+json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `GET /clinic/patients/{id}/fhir.json`
pub async fn page<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    Path(id): Path<String>,
) -> PageResult<Response> {
    Ok(download(&state, &me.user, &id).await?)
}

/// `GET /api/v1/patients/{id}/fhir`
pub async fn api<S: Store>(
    State(state): State<AppState<S>>,
    me: ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(download(&state, &me.user, &id).await?)
}
