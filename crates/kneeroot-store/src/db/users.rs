//! [`UserStore`] for [`Db`].
//!
//! Emails are unique by a database constraint, not by a prior lookup: a check-then-insert would let two
//! simultaneous sign-ups with one address both pass the check. The loser's unique violation becomes a
//! `Conflict` with a message fit to show.
//!
//! Deleting an account removes everything kneeroot holds about the person in one transaction: sessions,
//! bookings, availability, clinician–patient links, assessments, check-ins, morning reports, outcome
//! responses, the person's plan-change log, the `account:<email>` failed-login counter, the person's
//! settings and the user row. Bookings go whichever side the person was on: as a patient, and as the
//! clinician booked (the schema cascades from both references, and a booking without its clinician would
//! mean nothing); the same holds for links. Plan changes the person *authored* in other people's logs (as
//! a clinician) stay there with the author set to NULL. All of these also follow from the foreign keys
//! (`ON DELETE CASCADE`, and `ON DELETE SET NULL` for the author); doing them explicitly as well keeps the
//! erasure complete even if a database were ever opened without foreign-key enforcement, and lists in one
//! place what an account deletion touches.

use super::rows::{self, user_columns};
use super::{Db, conflict_means, found, map_err};
use crate::error::{StoreError, StoreResult};
use crate::model::*;
use crate::traits::UserStore;

const EMAIL_TAKEN: &str = "an account with this email already exists";

/// What `delete_user` does before removing the user row, each statement bound to the user's id.
const ERASE_WITH_ACCOUNT: &[&str] = &[
    "DELETE FROM sessions WHERE user_id = $1",
    // Before assessments, which bookings may refer to.
    "DELETE FROM bookings WHERE patient_id = $1 OR clinician_id = $1",
    "DELETE FROM availability WHERE clinician_id = $1",
    "DELETE FROM care_links WHERE patient_id = $1 OR clinician_id = $1",
    "DELETE FROM assessments WHERE user_id = $1",
    "DELETE FROM checkins WHERE user_id = $1",
    "DELETE FROM mornings WHERE user_id = $1",
    "DELETE FROM outcome_responses WHERE user_id = $1",
    "DELETE FROM plan_changes WHERE user_id = $1",
    "UPDATE plan_changes SET author_id = NULL WHERE author_id = $1",
    "DELETE FROM user_settings WHERE user_id = $1",
    "DELETE FROM invitations WHERE invited_by = $1 OR clinician_id = $1",
    "UPDATE invitations SET accepted_by = NULL WHERE accepted_by = $1",
];

/// The throttle key under which failed logins for an account are counted; the web layer uses the same.
fn account_throttle_key(email: &str) -> String {
    format!("account:{email}")
}

impl UserStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(role = new.role.as_str(), user.id = tracing::field::Empty))]
    async fn create_user(&self, new: &NewUser) -> StoreResult<User> {
        let user = User { id: UserId::random(), email: new.email.clone(), role: new.role, created_at: new.now };
        sqlx::query("INSERT INTO users (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(user.id.as_str())
            .bind(user.email.as_str())
            .bind(new.password_hash.as_str())
            .bind(user.role.as_str())
            .bind(user.created_at)
            .execute(&self.pool)
            .await
            .map_err(conflict_means(EMAIL_TAKEN))?;
        tracing::Span::current().record("user.id", user.id.as_str());
        Ok(user)
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn credentials(&self, email: &Email) -> StoreResult<Option<Credentials>> {
        let row = sqlx::query(concat!("SELECT ", user_columns!(), ", password_hash FROM users WHERE email = $1"))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.map(|row| Ok(Credentials { user: rows::user(&row)?, password_hash: rows::get(&row, "password_hash")? }))
            .transpose()
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<User>> {
        self.cached(|c| &c.users, id.clone(), || self.read_user(id)).await
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %id))]
    async fn set_password(&self, id: &UserId, password_hash: &str) -> StoreResult<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        found(&done)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %id))]
    async fn delete_user(&self, id: &UserId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for &sql in ERASE_WITH_ACCOUNT {
            sqlx::query(sql).bind(id.as_str()).execute(&mut *tx).await.map_err(map_err)?;
        }
        let email: Option<String> = sqlx::query_scalar("DELETE FROM users WHERE id = $1 RETURNING email")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        // Dropping `tx` on the early return rolls back the (then empty) deletes above.
        let email = email.ok_or(StoreError::NotFound)?;
        // After the user row: the audit log refuses deletes while its patient exists (append-only).
        sqlx::query("DELETE FROM audit_log WHERE patient_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // Invitations to this address (sent or pending) carry the person's email.
        sqlx::query("DELETE FROM invitations WHERE email = $1")
            .bind(email.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(account_throttle_key(&email))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn reminders(&self, id: &UserId) -> StoreResult<bool> {
        self.cached(|c| &c.reminders, id.clone(), || self.read_reminders(id)).await
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %id))]
    async fn set_reminders(&self, id: &UserId, on: bool) -> StoreResult<()> {
        // An unknown user is a foreign-key violation, which `map_err` turns into `NotFound`.
        sqlx::query(
            "INSERT INTO user_settings (user_id, reminders) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET reminders = excluded.reminders",
        )
        .bind(id.as_str())
        .bind(i64::from(on))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(role = role.as_str()))]
    async fn users_with_role(&self, role: Role) -> StoreResult<Vec<User>> {
        let found = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE role = $1 ORDER BY email"))
            .bind(role.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        found.iter().map(rows::user).collect()
    }
}

impl Db {
    /// [`reminders`](Self::reminders) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "reminders", skip_all, err(level = "warn"), fields(user.id = %id))]
    async fn read_reminders(&self, id: &UserId) -> StoreResult<bool> {
        let on: Option<i64> = sqlx::query_scalar("SELECT reminders FROM user_settings WHERE user_id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(on == Some(1))
    }

    /// [`user`](Self::user) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "user", skip_all, err(level = "warn"), fields(user.id = %id))]
    async fn read_user(&self, id: &UserId) -> StoreResult<Option<User>> {
        let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(rows::user).transpose()
    }
}
