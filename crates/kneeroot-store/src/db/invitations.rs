//! [`InvitationStore`] for [`Db`].
//!
//! Accepting is one write transaction that first *claims* the invitation with a conditional `UPDATE …
//! WHERE accepted_at IS NULL AND expires_at > now`: of two people racing with one link (or one person
//! double-clicking), exactly one claims it, on one instance or several, and the other finds it used.
//! When the claim fails, a second read tells "no such invitation" (`NotFound`) from "used or expired"
//! (`Conflict`). The account, the care link and `accepted_by` are then written in the same transaction,
//! so an email already taken rolls the claim back and the invitation stays usable.
//!
//! Spans record ids only; the invited email is personal data and stays out of logs.

use sqlx::AnyConnection;

use super::bookings::insert_link;
use super::rows::{self, invitation_columns};
use super::{Db, conflict_means, map_err};
use crate::error::{StoreError, StoreResult};
use crate::model::*;
use crate::traits::InvitationStore;

const USED_OR_EXPIRED: &str = "this invitation has already been used or has expired";
const EMAIL_TAKEN: &str = "an account with this email already exists";

/// Claim a pending invitation for acceptance at `now`, returning it; see the module docs.
async fn claim(conn: &mut AnyConnection, token_hash: &str, now: Timestamp) -> StoreResult<Invitation> {
    let claimed = sqlx::query(concat!(
        "UPDATE invitations SET accepted_at = $2 WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2 \
         RETURNING ",
        invitation_columns!()
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_err)?;
    if let Some(row) = claimed {
        return rows::invitation(&row);
    }
    let exists: Option<String> = sqlx::query_scalar("SELECT token_hash FROM invitations WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    Err(match exists {
        Some(_) => StoreError::Conflict(USED_OR_EXPIRED.into()),
        None => StoreError::NotFound,
    })
}

async fn set_accepted_by(conn: &mut AnyConnection, token_hash: &str, user: &UserId) -> StoreResult<()> {
    sqlx::query("UPDATE invitations SET accepted_by = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(user.as_str())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

impl InvitationStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(sender.id = %invitation.invited_by, role = invitation.role.as_str()))]
    async fn create_invitation(&self, invitation: &Invitation) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO invitations (",
            invitation_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(invitation.token_hash.as_str())
        .bind(invitation.email.as_str())
        .bind(invitation.role.as_str())
        .bind(invitation.invited_by.as_str())
        .bind(invitation.clinician_id.as_ref().map(UserId::as_str))
        .bind(invitation.created_at)
        .bind(invitation.expires_at)
        .bind(invitation.accepted_at)
        .bind(invitation.accepted_by.as_ref().map(UserId::as_str))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn invitation(&self, token_hash: &str) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query(concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(rows::invitation).transpose()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(sender.id = %sender))]
    async fn invitations_sent_by(&self, sender: &UserId) -> StoreResult<Vec<Invitation>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations WHERE invited_by = $1 ORDER BY created_at DESC, token_hash"
        ))
        .bind(sender.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::invitation).collect()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = tracing::field::Empty))]
    async fn accept_invitation_as_new_user(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let invitation = claim(&mut tx, token_hash, now).await?;
        let user =
            User { id: UserId::random(), email: invitation.email.clone(), role: invitation.role, created_at: now };
        sqlx::query("INSERT INTO users (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(user.id.as_str())
            .bind(user.email.as_str())
            .bind(password_hash)
            .bind(user.role.as_str())
            .bind(user.created_at)
            .execute(&mut *tx)
            .await
            .map_err(conflict_means(EMAIL_TAKEN))?;
        if let (Role::Patient, Some(clinician)) = (user.role, &invitation.clinician_id) {
            insert_link(&mut tx, clinician, &user.id, now).await?;
        }
        set_accepted_by(&mut tx, token_hash, &user.id).await?;
        tx.commit().await.map_err(map_err)?;
        tracing::Span::current().record("user.id", user.id.as_str());
        Ok(user)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %patient))]
    async fn accept_invitation_as_patient(
        &self,
        token_hash: &str,
        patient: &UserId,
        now: Timestamp,
    ) -> StoreResult<Invitation> {
        let mut tx = self.begin_write().await?;
        let mut invitation = claim(&mut tx, token_hash, now).await?;
        let Some(clinician) = invitation.clinician_id.clone().filter(|_| invitation.role == Role::Patient) else {
            // Dropping the transaction rolls the claim back.
            return Err(StoreError::Conflict("this invitation is not a patient's invitation".into()));
        };
        insert_link(&mut tx, &clinician, patient, now).await?;
        set_accepted_by(&mut tx, token_hash, patient).await?;
        tx.commit().await.map_err(map_err)?;
        invitation.accepted_by = Some(patient.clone());
        Ok(invitation)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(sender.id = %sender))]
    async fn withdraw_invitation(&self, sender: &UserId, token_hash: &str) -> StoreResult<()> {
        let gone =
            sqlx::query("DELETE FROM invitations WHERE token_hash = $1 AND invited_by = $2 AND accepted_at IS NULL")
                .bind(token_hash)
                .bind(sender.as_str())
                .execute(&self.pool)
                .await
                .map_err(map_err)?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
