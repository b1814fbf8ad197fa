//! [`SessionStore`] for [`Db`].
//!
//! A session is visible while `now < expires_at`; at `expires_at` itself it is expired, both for
//! [`SessionStore::session`] and for [`SessionStore::purge_expired_sessions`], so a purge removes exactly
//! the sessions no lookup at that instant could return. Expired rows are merely invisible until purged:
//! lookups filter by time, so correctness never depends on the purge running.
//!
//! Spans never record the token hash: it is the session's key, and logs are not a place for keys.

use super::rows::{self, session_columns};
use super::{Db, conflict_means, found, map_err};
use crate::error::StoreResult;
use crate::model::*;
use crate::traits::SessionStore;

impl SessionStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(kind = session.kind.as_str()))]
    async fn create_session(&self, session: &Session) -> StoreResult<()> {
        sqlx::query(concat!("INSERT INTO sessions (", session_columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
            .bind(session.token_hash.as_str())
            .bind(session.user_id.as_ref().map(UserId::as_str))
            .bind(session.kind.as_str())
            .bind(session.csrf_token.as_str())
            .bind(session.draft.as_deref())
            .bind(session.camera.as_deref())
            .bind(session.created_at)
            .bind(session.expires_at)
            .execute(&self.pool)
            .await
            .map_err(conflict_means("a session with this token already exists"))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn session(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<Session>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions WHERE token_hash = $1 AND expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::session).transpose()
    }

    async fn session_with_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, Option<User>)>> {
        let Some(cache) = &self.cache else { return self.read_session_with_user(token_hash, now).await };
        let Some(generation) = cache.log.quiet_generation() else {
            return self.read_session_with_user(token_hash, now).await;
        };
        // The same expiry rule as the query's, applied to the remembered row at this `now`.
        if let Some(hit) = cache.sessions.get(&token_hash.to_owned(), generation) {
            return Ok((now < hit.0.expires_at).then_some(hit));
        }
        // Only sessions that were found are kept: a guessed or ended token is no reason to hold memory.
        let found = self.read_session_with_user(token_hash, now).await?;
        if let Some(found) = &found {
            cache.sessions.put(&cache.log, generation, token_hash.to_owned(), found.clone());
        }
        Ok(found)
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn save_draft(&self, token_hash: &str, draft: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE sessions SET draft = $1 WHERE token_hash = $2")
            .bind(draft)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        found(&done)
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn save_camera(&self, token_hash: &str, camera: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE sessions SET camera = $1 WHERE token_hash = $2")
            .bind(camera)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        found(&done)
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn save_draft_and_camera(
        &self,
        token_hash: &str,
        draft: Option<&str>,
        camera: Option<&str>,
    ) -> StoreResult<()> {
        // One statement, so the answers and the record of which came from the camera never disagree.
        let done = sqlx::query("UPDATE sessions SET draft = $1, camera = $2 WHERE token_hash = $3")
            .bind(draft)
            .bind(camera)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        found(&done)
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %user, keep_one = except.is_some()))]
    async fn delete_user_sessions(&self, user: &UserId, except: Option<&str>) -> StoreResult<u64> {
        // Two statements rather than one `$2 IS NULL OR token_hash <> $2`: each is plainly an index
        // lookup on user_id, with no NULL-parameter logic for either planner to see through.
        let query = match except {
            None => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.as_str()),
            Some(keep) => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user.as_str())
                .bind(keep),
        };
        let done = query.execute(&self.pool).await.map_err(map_err)?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(now))]
    async fn purge_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }
}

impl Db {
    /// The session with its user, from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "session_with_user", skip_all, err(level = "warn"))]
    async fn read_session_with_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, Option<User>)>> {
        let row = sqlx::query(
            "SELECT s.token_hash, s.user_id, s.kind, s.csrf_token, s.draft, s.camera, s.created_at, s.expires_at, \
                    u.id AS u_id, u.email AS u_email, u.role AS u_role, u.created_at AS u_created_at \
             FROM sessions s LEFT JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let session = rows::session(&row)?;
        let user = rows::joined_user(&row)?;
        Ok(Some((session, user)))
    }
}
