//! `GET /clinic`: the clinician's caseload, one row per linked patient, the patients who need a look
//! first. Each row is a look at that patient's record, so each is in their audit log as a view of their
//! "summary on the caseload".

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use kneeroot_store::Store;

use super::access::{Access, LinkedPatient};
use super::summary::{Glance, PatientData, glance};
use crate::error::PageResult;
use crate::session::ClinicianIn;
use crate::state::AppState;
use crate::views::{Layout, html};

/// What the audit log says a caseload row looked at.
pub(crate) const CASELOAD_SUMMARY: &str = "summary on the caseload";

#[derive(Template)]
#[template(path = "clinic.html")]
struct CaseloadPage {
    layout: Layout,
    rows: Vec<Glance>,
    with_alerts: usize,
}

/// `GET /clinic`
pub async fn caseload<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
) -> PageResult<Html<String>> {
    let patients = LinkedPatient::caseload(&state, &me.user, &Access::view(CASELOAD_SUMMARY)).await?;
    let mut rows = Vec::with_capacity(patients.len());
    for linked in &patients {
        let data = PatientData::load(&state, linked).await?;
        rows.push(glance(&state, linked, &data));
    }
    // Alerts first, the most pressing kind first, then the most alerts; then by email.
    rows.sort_by(|a, b| {
        (a.rank, std::cmp::Reverse(a.alerts.len()), &a.email).cmp(&(
            b.rank,
            std::cmp::Reverse(b.alerts.len()),
            &b.email,
        ))
    });
    let with_alerts = rows.iter().filter(|r| !r.alerts.is_empty()).count();
    Ok(html(&CaseloadPage { layout: Layout::for_user(&me.user), rows, with_alerts })?)
}
