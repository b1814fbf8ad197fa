//! [`PlanChangeStore`] for [`Db`].
//!
//! The log is append-only: this file has an `INSERT` and a `SELECT`, nothing else. Rows leave only with
//! the owner's account (`delete_user`), and the one field that ever changes is `author_id`, set to NULL
//! when the author's account is deleted (by `delete_user` and, behind it, the `ON DELETE SET NULL`
//! foreign key): the change stays in the patient's log, credited to no one.
//!
//! An unknown owner or author is a foreign-key violation, so `NotFound`. Listing is oldest first by
//! `created_at`, ties by id ascending: random ids make that tie-break total and identical on both
//! backends but unrelated to the order of appending, so a caller that appends several changes to one
//! exercise in the same second cannot rely on reading them back in the order it wrote them.
//!
//! Spans record ids only (owner, change, author); the exercise, doses, note and reason are health data.

use super::rows::{self, plan_change_columns};
use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::*;
use crate::traits::PlanChangeStore;

impl PlanChangeStore for Db {
    #[tracing::instrument(
        skip_all,
        err(level = "warn"),
        fields(
            user.id = %new.user_id,
            author.id = new.author_id.as_ref().map(UserId::as_str),
            plan_change.id = tracing::field::Empty,
        )
    )]
    async fn add_plan_change(&self, new: &NewPlanChange) -> StoreResult<PlanChange> {
        let saved = PlanChange {
            id: AssessmentId::random(),
            user_id: new.user_id.clone(),
            exercise_id: new.exercise_id.clone(),
            replacement: new.replacement.clone(),
            sets: new.sets,
            reps: new.reps,
            hold_seconds: new.hold_seconds,
            per_week: new.per_week,
            note: new.note.clone(),
            author_id: new.author_id.clone(),
            reason: new.reason.clone(),
            created_at: new.now,
        };
        sqlx::query(concat!(
            "INSERT INTO plan_changes (",
            plan_change_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(saved.id.as_str())
        .bind(saved.user_id.as_str())
        .bind(saved.exercise_id.as_str())
        .bind(saved.replacement.as_deref())
        .bind(saved.sets)
        .bind(saved.reps)
        .bind(saved.hold_seconds)
        .bind(saved.per_week)
        .bind(saved.note.as_deref())
        .bind(saved.author_id.as_ref().map(UserId::as_str))
        .bind(saved.reason.as_str())
        .bind(saved.created_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        tracing::Span::current().record("plan_change.id", saved.id.as_str());
        Ok(saved)
    }

    async fn plan_changes(&self, owner: &UserId) -> StoreResult<Vec<PlanChange>> {
        self.cached(|c| &c.plan_changes, owner.clone(), || self.read_plan_changes(owner)).await
    }
}

impl Db {
    /// [`plan_changes`](Self::plan_changes) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "plan_changes", skip_all, err(level = "warn"), fields(user.id = %owner))]
    pub(super) async fn read_plan_changes(&self, owner: &UserId) -> StoreResult<Vec<PlanChange>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            plan_change_columns!(),
            " FROM plan_changes WHERE user_id = $1 ORDER BY created_at, id"
        ))
        .bind(owner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::plan_change).collect()
    }
}
