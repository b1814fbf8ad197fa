//! [`CheckinStore`] for [`Db`].
//!
//! A check-in is keyed by `(user_id, day, exercise_id)` and a morning report by `(user_id, day)`; both are
//! written with one `INSERT … ON CONFLICT (key) DO UPDATE SET …` (which SQLite and PostgreSQL spell the
//! same), so a second report for the same key replaces every field of the first, including
//! `updated_at`, and two simultaneous reports cannot both insert: one wins, whole. An unknown user is a
//! foreign-key violation, so `NotFound`.
//!
//! Ranges are inclusive at both ends (`from <= day <= to`); an empty range (`from > to`) is an empty
//! list. Check-ins are ordered by day, then exercise id in byte order: SQLite's default collation is
//! already byte order and the PostgreSQL schema declares `COLLATE "C"` on the column, so the order does
//! not depend on the server's locale.
//!
//! Booleans are stored as INTEGER 0/1 and flags as a JSON list in TEXT (see `rows.rs`). Spans record the
//! user id and days only: exercise ids, pain and flags are health data.

use super::rows::{self, checkin_columns, morning_columns};
use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::*;
use crate::traits::CheckinStore;

impl CheckinStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %checkin.user_id, day = checkin.day))]
    async fn upsert_checkin(&self, checkin: &ExerciseCheckin) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO checkins (",
            checkin_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (user_id, day, exercise_id) DO UPDATE SET \
             done = excluded.done, sets_done = excluded.sets_done, reps_done = excluded.reps_done, \
             pain_during = excluded.pain_during, quality_ok = excluded.quality_ok, updated_at = excluded.updated_at"
        ))
        .bind(checkin.user_id.as_str())
        .bind(checkin.day)
        .bind(checkin.exercise_id.as_str())
        .bind(rows::boolean_value(checkin.done))
        .bind(checkin.sets_done)
        .bind(checkin.reps_done)
        .bind(checkin.pain_during)
        .bind(rows::boolean_value(checkin.quality_ok))
        .bind(checkin.updated_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %report.user_id, day = report.day))]
    async fn upsert_morning(&self, report: &MorningReport) -> StoreResult<()> {
        // Serialising a list of strings cannot fail; should it ever, the write fails rather than silently
        // storing a report without its red flags.
        let flags = serde_json::to_string(&report.flags).map_err(|e| map_err(sqlx::Error::Encode(Box::new(e))))?;
        sqlx::query(concat!(
            "INSERT INTO mornings (",
            morning_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (user_id, day) DO UPDATE SET \
             pain = excluded.pain, usual = excluded.usual, stiffness = excluded.stiffness, \
             flags = excluded.flags, updated_at = excluded.updated_at"
        ))
        .bind(report.user_id.as_str())
        .bind(report.day)
        .bind(report.pain)
        .bind(report.usual)
        .bind(report.stiffness.as_str())
        .bind(flags)
        .bind(report.updated_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn checkins(&self, owner: &UserId, from: Day, to: Day) -> StoreResult<Vec<ExerciseCheckin>> {
        self.cached(|c| &c.checkins, (owner.clone(), from, to), || self.read_checkins(owner, from, to)).await
    }

    async fn mornings(&self, owner: &UserId, from: Day, to: Day) -> StoreResult<Vec<MorningReport>> {
        self.cached(|c| &c.mornings, (owner.clone(), from, to), || self.read_mornings(owner, from, to)).await
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %owner, day))]
    async fn delete_checkin(&self, owner: &UserId, day: Day, exercise_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM checkins WHERE user_id = $1 AND day = $2 AND exercise_id = $3")
            .bind(owner.as_str())
            .bind(day)
            .bind(exercise_id)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

impl Db {
    /// [`mornings`](Self::mornings) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "mornings", skip_all, err(level = "warn"), fields(user.id = %owner, from, to))]
    pub(super) async fn read_mornings(&self, owner: &UserId, from: Day, to: Day) -> StoreResult<Vec<MorningReport>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            morning_columns!(),
            " FROM mornings WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day"
        ))
        .bind(owner.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::morning).collect()
    }

    /// [`checkins`](Self::checkins) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "checkins", skip_all, err(level = "warn"), fields(user.id = %owner, from, to))]
    pub(super) async fn read_checkins(&self, owner: &UserId, from: Day, to: Day) -> StoreResult<Vec<ExerciseCheckin>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            checkin_columns!(),
            " FROM checkins WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, exercise_id"
        ))
        .bind(owner.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::checkin).collect()
    }
}
