//! The clinician's side of kneeroot, and the patient's view of who looked: the caseload (`/clinic`),
//! one patient's record (`/clinic/patients/{id}`), editing their plan (`…/plan`), their record as a FHIR
//! file (`…/fhir.json` and `GET /api/v1/patients/{id}/fhir`), and the audit log the patient reads at
//! `/account/access`.
//!
//! ## Design
//! - **Access is a type.** Every handler here that touches a patient gets them as an
//!   [`access::LinkedPatient`], which exists only once the care link was checked (not linked is 404,
//!   like a patient who does not exist) and the access written to the patient's audit log, before
//!   anything is read. See `access.rs` for the steps and why they are in that order.
//! - **Alerts are clinical knowledge.** Which patient needs a look first is decided by the pure core
//!   (`kneeroot_core::caseload`) with thresholds from `knowledge/caseload.toml`; [`summary`] only reads
//!   the inputs and words the result.
//! - **One view of progress.** The charts and tables of a patient's course are the patient's own
//!   progress page's builders (`pages::progress`), so clinician and patient see the same numbers.
//! - **A clinician's change is told as theirs.** Plan edits are appended to the plan-change log with the
//!   clinician as author; the patient's plan page names them ([`attributions`]), and the pain rules do
//!   not act on sessions the clinician had already seen ([`clinician_decided_after`]; see `plan_edit.rs`).

mod access;
mod access_log;
mod attribution;
mod caseload;
mod fhir;
pub(crate) mod openapi;
mod patient;
mod plan_edit;
mod summary;

use axum::Router;
use axum::routing::get;
use kneeroot_store::Store;

use crate::state::AppState;

pub(crate) use attribution::attributions;
pub(crate) use plan_edit::clinician_decided_after;

/// The clinician's pages and the patient's access log.
pub(crate) fn pages<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/clinic", get(caseload::caseload::<S>))
        .route("/clinic/patients/{id}", get(patient::show::<S>))
        .route("/clinic/patients/{id}/plan", get(plan_edit::show::<S>).post(plan_edit::submit::<S>))
        .route("/clinic/patients/{id}/fhir.json", get(fhir::page::<S>))
        .route("/account/access", get(access_log::show::<S>))
}

/// The clinician's API routes (mounted under `/api`).
pub(crate) fn api<S: Store>() -> Router<AppState<S>> {
    Router::new().route("/v1/patients/{id}/fhir", get(fhir::api::<S>))
}
