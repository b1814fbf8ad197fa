//! Everything kneeroot holds about one person, read in one place for every export.
//!
//! The record is what the store keeps, as the store keeps it (stored JSON stays text): the builders
//! decide how to show it. Lists are ordered oldest first so every export reads as a history.

use kneeroot_store::{
    Assessment, Booking, Day, ExerciseCheckin, MorningReport, OutcomeResponse, PlanChange, Store, User,
};

use crate::error::Problem;
use crate::state::AppState;

/// One person's records, as loaded by [`load_record`].
#[derive(Debug, Clone)]
pub(crate) struct PatientRecord {
    /// The account.
    pub user: User,
    /// Whether they asked for check-in reminders.
    pub reminders: bool,
    /// Their assessments, oldest first.
    pub assessments: Vec<Assessment>,
    /// Every check-in, by day then exercise id.
    pub checkins: Vec<ExerciseCheckin>,
    /// Every next-morning report, by day.
    pub mornings: Vec<MorningReport>,
    /// Completed questionnaires, oldest first.
    pub outcomes: Vec<OutcomeResponse>,
    /// The log of changes to their plan, oldest first.
    pub plan_changes: Vec<PlanChange>,
    /// Their appointments as a patient, booked and cancelled, by start.
    pub bookings: Vec<Booking>,
}

/// Read everything kneeroot holds about `patient`: the account, the reminders setting, assessments,
/// check-ins and morning reports of every day, questionnaire responses, plan changes and bookings (as
/// the patient; a clinician's calendar holds other people's appointments and is not theirs to export).
///
/// This function does **no access check**: it reads the record of whoever it is given. Call it with the
/// signed-in person themselves, or, for a clinician's export of a patient, only after checking that the
/// clinician may see that patient (`BookingStore::is_linked`).
///
/// # Errors
/// A store failure.
pub(crate) async fn load_record<S: Store>(state: &AppState<S>, patient: &User) -> Result<PatientRecord, Problem> {
    let id = &patient.id;
    let store = &state.store;
    let mut assessments = store.assessments(id).await?;
    // The store lists newest first; a history reads oldest first.
    assessments.reverse();
    Ok(PatientRecord {
        user: patient.clone(),
        reminders: store.reminders(id).await?,
        assessments,
        checkins: store.checkins(id, Day::MIN, Day::MAX).await?,
        mornings: store.mornings(id, Day::MIN, Day::MAX).await?,
        outcomes: store.responses(id).await?,
        plan_changes: store.plan_changes(id).await?,
        bookings: store.bookings_of_patient(id).await?,
    })
}
