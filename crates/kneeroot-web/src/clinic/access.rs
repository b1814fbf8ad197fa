//! Access to a patient's record, as a type.
//!
//! Health data is only for the person and their linked clinicians, and every look a clinician takes is
//! written down for the patient to read (`/account/access`). Both rules are enforced here, once, in the
//! only way a clinician handler can get hold of a patient: a [`LinkedPatient`]. Its fields are private,
//! and it is made in exactly two places, both of which
//!
//! 1. take the clinician (a signed-in user with the clinician role; anyone else is refused with 403),
//! 2. parse the patient id from the path: an id of the wrong shape is 404,
//! 3. check the care link (`BookingStore::is_linked`): not linked is 404, **the same answer as a patient
//!    who does not exist**, so probing ids tells a clinician nothing about who uses kneeroot,
//! 4. load the patient's account, and
//! 5. append an entry to the audit log (who, whose record, looked / changed / downloaded, which part),
//!
//! in that order, so the entry is written before a single byte of health data is read, and a failure to
//! write it fails the request. The caseload page takes the clinician's patients from the care links
//! themselves (`BookingStore::patients_of`), auditing each.
//!
//! Changes need one more step. A plan edit is checked before anything is read (ranges, the knowledge
//! base); an invalid one must write nothing but still shows the plan again, which is a look. So the link
//! is checked first ([`CheckedLink`], which can read nothing: it has no accessor for the patient), and only
//! then is it turned into a [`LinkedPatient`] with the access that actually happens: `View` when the
//! form comes back with its errors, `Change` (with what is changed) when the edit goes through.
//!
//! Because reaching a patient's id through anything but [`LinkedPatient::patient`] needs the path's raw
//! text, a handler that skipped this module would have to parse the id itself: a review catches that at
//! a glance, and the tests in `tests/web/clinic.rs` check every per-patient route for 404 when not linked
//! and for exactly the expected audit entries.

use kneeroot_store::{AuditAction, NewAuditEntry, Role, Store, User, UserId};

use crate::error::Problem;
use crate::state::AppState;

/// What a clinician does with a record, and to which part of it, as the patient will read it
/// ("looked at your plan").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Access {
    action: AuditAction,
    what: String,
}

impl Access {
    /// Looking at a part of the record (`record`, `plan` …).
    pub(crate) fn view(what: impl Into<String>) -> Access {
        Access { action: AuditAction::View, what: what.into() }
    }

    /// Changing a part of the record, saying what changed.
    pub(crate) fn change(what: impl Into<String>) -> Access {
        Access { action: AuditAction::Change, what: what.into() }
    }

    /// Downloading the record.
    pub(crate) fn export(what: impl Into<String>) -> Access {
        Access { action: AuditAction::Export, what: what.into() }
    }
}

/// A care link that has been checked: the clinician may see this patient. Nothing of the patient can be
/// read from it; [`CheckedLink::open`] turns it into a [`LinkedPatient`] by writing the audit entry.
#[derive(Debug)]
pub(crate) struct CheckedLink {
    clinician: User,
    patient: User,
}

impl CheckedLink {
    /// Check that `clinician` may see the patient whose id is `raw_id` (as it came in the path).
    ///
    /// # Errors
    /// `Forbidden` unless `clinician` has the clinician role; `NotFound` for an id of the wrong shape, a
    /// patient they are not linked to, or one who does not exist (the same answer for all three).
    pub(crate) async fn check<S: Store>(
        state: &AppState<S>,
        clinician: &User,
        raw_id: &str,
    ) -> Result<CheckedLink, Problem> {
        if clinician.role != Role::Clinician {
            return Err(Problem::Forbidden("Patients' records are for their clinicians.".into()));
        }
        let id = UserId::parse(raw_id).ok_or(Problem::NotFound)?;
        if !state.store.is_linked(&clinician.id, &id).await? {
            return Err(Problem::NotFound);
        }
        let patient = state.store.user(&id).await?.ok_or(Problem::NotFound)?;
        Ok(CheckedLink { clinician: clinician.clone(), patient })
    }

    /// Write the audit entry for `access`, after which the record may be read.
    ///
    /// # Errors
    /// A store failure (then nothing may be read), or `NotFound` if the patient's account went meanwhile.
    pub(crate) async fn open<S: Store>(self, state: &AppState<S>, access: Access) -> Result<LinkedPatient, Problem> {
        state
            .store
            .record_access(&NewAuditEntry {
                actor: self.clinician.clone(),
                patient_id: self.patient.id.clone(),
                action: access.action,
                what: access.what,
                now: state.now(),
            })
            .await?;
        Ok(LinkedPatient { clinician: self.clinician, patient: self.patient })
    }
}

/// A patient whose record the clinician may read now: the care link was checked and this access is in
/// the audit log. The only way to a patient's id in clinician handlers.
#[derive(Debug)]
pub(crate) struct LinkedPatient {
    clinician: User,
    patient: User,
}

impl LinkedPatient {
    /// The patient of the path `raw_id`, for `access` (see the module's steps).
    ///
    /// # Errors
    /// As [`CheckedLink::check`] and [`CheckedLink::open`].
    pub(crate) async fn open<S: Store>(
        state: &AppState<S>,
        clinician: &User,
        raw_id: &str,
        access: Access,
    ) -> Result<LinkedPatient, Problem> {
        CheckedLink::check(state, clinician, raw_id).await?.open(state, access).await
    }

    /// Every patient linked to `clinician`, ordered by id, each access written as `access`.
    ///
    /// # Errors
    /// `Forbidden` unless `clinician` is a clinician; a store failure.
    pub(crate) async fn caseload<S: Store>(
        state: &AppState<S>,
        clinician: &User,
        access: &Access,
    ) -> Result<Vec<LinkedPatient>, Problem> {
        if clinician.role != Role::Clinician {
            return Err(Problem::Forbidden("The caseload is for clinicians.".into()));
        }
        let mut out = Vec::new();
        for id in state.store.patients_of(&clinician.id).await? {
            // An account deleted between the two reads is simply no longer on the caseload.
            let Some(patient) = state.store.user(&id).await? else { continue };
            let link = CheckedLink { clinician: clinician.clone(), patient };
            match link.open(state, access.clone()).await {
                Ok(linked) => out.push(linked),
                Err(Problem::NotFound) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The patient.
    pub(crate) fn patient(&self) -> &User {
        &self.patient
    }

    /// The clinician looking.
    pub(crate) fn clinician(&self) -> &User {
        &self.clinician
    }
}
