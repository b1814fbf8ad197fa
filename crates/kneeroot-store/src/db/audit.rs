//! [`AuditStore`] for [`Db`].
//!
//! This file has an `INSERT` and a `SELECT`, nothing else; the schema's triggers refuse any `UPDATE`, and
//! any `DELETE` while the patient's account exists, so not even a bug elsewhere in the store can rewrite
//! who looked. The actor's email and role are copied into the row because the log must stay readable
//! after the clinician's account is gone.
//!
//! Spans record ids only: the part of the record looked at is not health data, but the actor's email is
//! personal data and stays out of logs.

use super::rows::{self, audit_columns};
use super::{Db, map_err};
use crate::error::{StoreError, StoreResult};
use crate::model::*;
use crate::traits::AuditStore;

impl AuditStore for Db {
    #[tracing::instrument(
        skip_all,
        err(level = "warn"),
        fields(actor.id = %new.actor.id, patient.id = %new.patient_id, action = new.action.as_str())
    )]
    async fn record_access(&self, new: &NewAuditEntry) -> StoreResult<AuditEntry> {
        let entry = AuditEntry {
            id: AssessmentId::random(),
            at: new.now,
            actor_id: new.actor.id.clone(),
            actor_email: new.actor.email.clone(),
            actor_role: new.actor.role,
            patient_id: new.patient_id.clone(),
            action: new.action,
            what: new.what.clone(),
        };
        // The patient has no foreign key (entries outlive nothing but must not be written for no one), so
        // the insert selects from users: an unknown patient inserts no row, which is `NotFound`.
        let written = sqlx::query(concat!(
            "INSERT INTO audit_log (",
            audit_columns!(),
            ") SELECT $1, $2, $3, $4, $5, id, $6, $7 FROM users WHERE id = $8"
        ))
        .bind(entry.id.as_str())
        .bind(entry.at)
        .bind(entry.actor_id.as_str())
        .bind(entry.actor_email.as_str())
        .bind(entry.actor_role.as_str())
        .bind(entry.action.as_str())
        .bind(entry.what.as_str())
        .bind(entry.patient_id.as_str())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if written.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(entry)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(patient.id = %patient))]
    async fn audit_of_patient(&self, patient: &UserId) -> StoreResult<Vec<AuditEntry>> {
        let found =
            sqlx::query(concat!("SELECT ", audit_columns!(), " FROM audit_log WHERE patient_id = $1 ORDER BY at, id"))
                .bind(patient.as_str())
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        found.iter().map(rows::audit_entry).collect()
    }
}
