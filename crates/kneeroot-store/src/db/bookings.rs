//! [`BookingStore`] for [`Db`].
//!
//! **No double booking, ever.** A clinician's live bookings are unique by `(clinician_id, start_at)`
//! through a partial unique index (`WHERE status = 'booked'`, which SQLite and PostgreSQL both support),
//! not through a look before the insert: a check-then-insert would let two simultaneous requests, on one
//! instance or on several sharing a database, both see a free slot. The insert runs in a write
//! transaction; whoever commits second gets a unique violation, which becomes
//! `Conflict("this time has just been booked by someone else; please choose another")`. Cancelled rows
//! are outside the index, so a cancelled slot can be booked again. The index compares starts only: that
//! two bookings with different starts do not overlap is the caller's business (the core's slot grid,
//! whose `booked` list is [`BookingStore::booked_starts`]).
//!
//! **Atomic steps.** [`BookingStore::book`] inserts the booking and the clinician–patient link in one
//! transaction, so a clinician can always see the patients who booked them. [`BookingStore::move_booking`]
//! cancels the old booking and inserts the new one in one transaction; if the new start is taken the
//! transaction is rolled back and the original booking stands, untouched.
//!
//! **Visibility.** A booking is visible to its patient and its clinician only, and that condition is part
//! of every query, so someone else's booking is indistinguishable from a missing one (`None` /
//! `NotFound`). Cancelling is allowed to either party, moving to the patient only. A booking that is
//! theirs but already cancelled is a `Conflict`, since saying so reveals nothing to them.
//!
//! **References.** An unknown clinician or patient is a foreign-key violation, so `NotFound`; so is an
//! assessment that is not the patient's own (checked in the booking's transaction: the foreign key alone
//! would accept anyone's assessment).
//!
//! **Order.** Lists are by start; bookings with the same start (a cancelled one and its rebooking) by
//! `created_at`, then id, a total order that is the same on both backends (ids are lower-case hex).
//! Ranges are half-open, `from <= start < to`, so consecutive ranges neither overlap nor leave a gap.
//!
//! Spans record ids and times only; the reason for a booking is health data, and availability settings
//! are never logged either.

use sqlx::AnyConnection;

use super::rows::{self, availability_columns, booking_columns};
use super::{Db, conflict_means, map_err};
use crate::error::{StoreError, StoreResult};
use crate::model::*;
use crate::traits::BookingStore;

/// The answer to the loser of a race for a slot.
const SLOT_TAKEN: &str = "this time has just been booked by someone else; please choose another";
/// The answer to cancelling or moving a booking that no longer stands.
const ALREADY_CANCELLED: &str = "this booking is already cancelled";

/// Who may cancel a booking in a given operation.
#[derive(Debug, Clone, Copy)]
enum Party {
    /// Its patient or its clinician (cancelling).
    Either,
    /// Its patient only (moving).
    Patient,
}

impl Party {
    /// Cancel the booking `$1` if `$2` may and it stands, at `$3`, returning it.
    fn cancel_sql(self) -> &'static str {
        match self {
            Party::Either => concat!(
                "UPDATE bookings SET status = 'cancelled', cancelled_at = $3 \
                 WHERE id = $1 AND (patient_id = $2 OR clinician_id = $2) AND status = 'booked' RETURNING ",
                booking_columns!()
            ),
            Party::Patient => concat!(
                "UPDATE bookings SET status = 'cancelled', cancelled_at = $3 \
                 WHERE id = $1 AND patient_id = $2 AND status = 'booked' RETURNING ",
                booking_columns!()
            ),
        }
    }

    /// The status of booking `$1` if `$2` may cancel it.
    fn status_sql(self) -> &'static str {
        match self {
            Party::Either => "SELECT status FROM bookings WHERE id = $1 AND (patient_id = $2 OR clinician_id = $2)",
            Party::Patient => "SELECT status FROM bookings WHERE id = $1 AND patient_id = $2",
        }
    }
}

/// Insert a live booking, after checking that its assessment (if any) is the patient's. A taken start is
/// `Conflict(SLOT_TAKEN)`; an unknown clinician, patient or assessment is `NotFound`.
async fn insert_booking(conn: &mut AnyConnection, booking: &Booking) -> StoreResult<()> {
    if let Some(assessment) = &booking.assessment_id {
        let owned: Option<String> = sqlx::query_scalar("SELECT id FROM assessments WHERE id = $1 AND user_id = $2")
            .bind(assessment.as_str())
            .bind(booking.patient_id.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    sqlx::query(concat!(
        "INSERT INTO bookings (",
        booking_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(booking.id.as_str())
    .bind(booking.clinician_id.as_str())
    .bind(booking.patient_id.as_str())
    .bind(booking.start)
    .bind(booking.end)
    .bind(booking.reason.as_str())
    .bind(booking.assessment_id.as_ref().map(AssessmentId::as_str))
    .bind(booking.status.as_str())
    .bind(booking.created_at)
    .bind(booking.cancelled_at)
    .execute(&mut *conn)
    .await
    .map_err(conflict_means(SLOT_TAKEN))?;
    Ok(())
}

/// Insert a clinician–patient link unless it exists (keeping the first `created_at`).
pub(super) async fn insert_link(
    conn: &mut AnyConnection,
    clinician: &UserId,
    patient: &UserId,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO care_links (clinician_id, patient_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (clinician_id, patient_id) DO NOTHING",
    )
    .bind(clinician.as_str())
    .bind(patient.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// Cancel a standing booking that `who` may cancel, returning it as cancelled. `NotFound` if it is not
/// theirs (or does not exist), `Conflict(ALREADY_CANCELLED)` if it no longer stands.
async fn cancel_row(
    conn: &mut AnyConnection,
    party: Party,
    who: &UserId,
    id: &AssessmentId,
    now: Timestamp,
) -> StoreResult<Booking> {
    let row = sqlx::query(party.cancel_sql())
        .bind(id.as_str())
        .bind(who.as_str())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    if let Some(row) = row {
        return rows::booking(&row);
    }
    // Nothing was cancelled; say why. A booking only ever goes from booked to cancelled, so a visible one
    // here is a cancelled one.
    let status: Option<String> = sqlx::query_scalar(party.status_sql())
        .bind(id.as_str())
        .bind(who.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    match status {
        Some(_) => Err(StoreError::Conflict(ALREADY_CANCELLED.into())),
        None => Err(StoreError::NotFound),
    }
}

impl BookingStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %availability.clinician_id))]
    async fn set_availability(&self, availability: &Availability) -> StoreResult<()> {
        // An unknown user is a foreign-key violation, which `map_err` turns into `NotFound`.
        sqlx::query(concat!(
            "INSERT INTO availability (",
            availability_columns!(),
            ") VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (clinician_id) DO UPDATE SET \
             settings = excluded.settings, notice_minutes = excluded.notice_minutes, \
             cancel_notice_minutes = excluded.cancel_notice_minutes, updated_at = excluded.updated_at"
        ))
        .bind(availability.clinician_id.as_str())
        .bind(availability.settings.as_str())
        .bind(availability.notice_minutes)
        .bind(availability.cancel_notice_minutes)
        .bind(availability.updated_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician))]
    async fn availability(&self, clinician: &UserId) -> StoreResult<Option<Availability>> {
        let row =
            sqlx::query(concat!("SELECT ", availability_columns!(), " FROM availability WHERE clinician_id = $1"))
                .bind(clinician.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(rows::availability).transpose()
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn clinicians_with_availability(&self) -> StoreResult<Vec<UserId>> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT clinician_id FROM availability ORDER BY clinician_id")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(ids.into_iter().map(UserId::from_db).collect())
    }

    #[tracing::instrument(
        skip_all,
        err(level = "warn"),
        fields(
            clinician.id = %new.clinician_id,
            patient.id = %new.patient_id,
            start = new.start,
            booking.id = tracing::field::Empty,
        )
    )]
    async fn book(&self, new: &NewBooking) -> StoreResult<Booking> {
        let booking = Booking {
            id: AssessmentId::random(),
            clinician_id: new.clinician_id.clone(),
            patient_id: new.patient_id.clone(),
            start: new.start,
            end: new.end,
            reason: new.reason.clone(),
            assessment_id: new.assessment_id.clone(),
            status: BookingStatus::Booked,
            created_at: new.now,
            cancelled_at: None,
        };
        let mut tx = self.begin_write().await?;
        insert_booking(&mut tx, &booking).await?;
        insert_link(&mut tx, &booking.clinician_id, &booking.patient_id, new.now).await?;
        tx.commit().await.map_err(map_err)?;
        tracing::Span::current().record("booking.id", booking.id.as_str());
        Ok(booking)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %viewer, booking.id = %id))]
    async fn booking(&self, viewer: &UserId, id: &AssessmentId) -> StoreResult<Option<Booking>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            booking_columns!(),
            " FROM bookings WHERE id = $1 AND (patient_id = $2 OR clinician_id = $2)"
        ))
        .bind(id.as_str())
        .bind(viewer.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::booking).transpose()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(patient.id = %patient))]
    async fn bookings_of_patient(&self, patient: &UserId) -> StoreResult<Vec<Booking>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            booking_columns!(),
            " FROM bookings WHERE patient_id = $1 ORDER BY start_at, created_at, id"
        ))
        .bind(patient.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::booking).collect()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician, from, to))]
    async fn bookings_of_clinician(
        &self,
        clinician: &UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<Booking>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            booking_columns!(),
            " FROM bookings WHERE clinician_id = $1 AND start_at >= $2 AND start_at < $3 \
             ORDER BY start_at, created_at, id"
        ))
        .bind(clinician.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::booking).collect()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician, from, to))]
    async fn booked_starts(&self, clinician: &UserId, from: Timestamp, to: Timestamp) -> StoreResult<Vec<Timestamp>> {
        sqlx::query_scalar(
            "SELECT start_at FROM bookings \
             WHERE clinician_id = $1 AND status = 'booked' AND start_at >= $2 AND start_at < $3 ORDER BY start_at",
        )
        .bind(clinician.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %who, booking.id = %id))]
    async fn cancel_booking(&self, who: &UserId, id: &AssessmentId, now: Timestamp) -> StoreResult<Booking> {
        let mut tx = self.begin_write().await?;
        let cancelled = cancel_row(&mut tx, Party::Either, who, id, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(cancelled)
    }

    #[tracing::instrument(
        skip_all,
        err(level = "warn"),
        fields(patient.id = %patient, booking.id = %id, new_start, moved.id = tracing::field::Empty)
    )]
    async fn move_booking(
        &self,
        patient: &UserId,
        id: &AssessmentId,
        new_start: Timestamp,
        new_end: Timestamp,
        now: Timestamp,
    ) -> StoreResult<Booking> {
        let mut tx = self.begin_write().await?;
        // Cancel first, so moving within the old slot (a new end, the same start) is not a conflict with
        // itself. On any error below, dropping `tx` rolls the cancellation back.
        let old = cancel_row(&mut tx, Party::Patient, patient, id, now).await?;
        let moved = Booking {
            id: AssessmentId::random(),
            start: new_start,
            end: new_end,
            status: BookingStatus::Booked,
            created_at: now,
            cancelled_at: None,
            ..old
        };
        insert_booking(&mut tx, &moved).await?;
        tx.commit().await.map_err(map_err)?;
        tracing::Span::current().record("moved.id", moved.id.as_str());
        Ok(moved)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician, patient.id = %patient))]
    async fn link(&self, clinician: &UserId, patient: &UserId, now: Timestamp) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        insert_link(&mut conn, clinician, patient, now).await
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician, patient.id = %patient))]
    async fn is_linked(&self, clinician: &UserId, patient: &UserId) -> StoreResult<bool> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT patient_id FROM care_links WHERE clinician_id = $1 AND patient_id = $2")
                .bind(clinician.as_str())
                .bind(patient.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(found.is_some())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(clinician.id = %clinician))]
    async fn patients_of(&self, clinician: &UserId) -> StoreResult<Vec<UserId>> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT patient_id FROM care_links WHERE clinician_id = $1 ORDER BY patient_id")
                .bind(clinician.as_str())
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(ids.into_iter().map(UserId::from_db).collect())
    }
}
