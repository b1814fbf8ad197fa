//! [`AssessmentStore`] for [`Db`].
//!
//! Ownership is part of every query (`WHERE user_id = $1 …`), not a check after loading, so another
//! person's record is indistinguishable from a missing one: both are `None`, and an id reveals nothing.
//!
//! Order is newest first by `created_at`; records taken in the same second are ordered by id,
//! descending. Ids are random, so that tie-break carries no meaning, but it is total and the same on both
//! backends (ids are lower-case hex, which every collation orders alike), so a list never reshuffles
//! between calls and [`AssessmentStore::latest_assessment`] is always the first of
//! [`AssessmentStore::assessments`].

use super::rows::{self, assessment_columns};
use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::*;
use crate::traits::AssessmentStore;

impl AssessmentStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %new.user_id, assessment.id = tracing::field::Empty))]
    async fn save_assessment(&self, new: &NewAssessment) -> StoreResult<Assessment> {
        let saved = Assessment {
            id: AssessmentId::random(),
            user_id: new.user_id.clone(),
            created_at: new.now,
            knowledge_version: new.knowledge_version.clone(),
            answers: new.answers.clone(),
            result: new.result.clone(),
            triage_level: new.triage_level.clone(),
            top_cause: new.top_cause.clone(),
            camera: new.camera.clone(),
        };
        // An unknown owner is a foreign-key violation, which `map_err` turns into `NotFound`.
        sqlx::query(concat!(
            "INSERT INTO assessments (",
            assessment_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(saved.id.as_str())
        .bind(saved.user_id.as_str())
        .bind(saved.created_at)
        .bind(saved.knowledge_version.as_str())
        .bind(saved.answers.as_str())
        .bind(saved.result.as_str())
        .bind(saved.triage_level.as_str())
        .bind(saved.top_cause.as_str())
        .bind(saved.camera.as_deref())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        tracing::Span::current().record("assessment.id", saved.id.as_str());
        Ok(saved)
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %owner))]
    async fn assessments(&self, owner: &UserId) -> StoreResult<Vec<Assessment>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            assessment_columns!(),
            " FROM assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(owner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::assessment).collect()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %owner, assessment.id = %id))]
    async fn assessment(&self, owner: &UserId, id: &AssessmentId) -> StoreResult<Option<Assessment>> {
        let row =
            sqlx::query(concat!("SELECT ", assessment_columns!(), " FROM assessments WHERE user_id = $1 AND id = $2"))
                .bind(owner.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(rows::assessment).transpose()
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %owner))]
    async fn latest_assessment(&self, owner: &UserId) -> StoreResult<Option<Assessment>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            assessment_columns!(),
            " FROM assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(owner.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::assessment).transpose()
    }

    async fn latest_assessment_id(&self, owner: &UserId) -> StoreResult<Option<AssessmentId>> {
        self.cached(|c| &c.latest_assessment, owner.clone(), || self.read_latest_assessment_id(owner)).await
    }

    async fn plan_inputs(&self, owner: &UserId, to: Day) -> StoreResult<Option<PlanInputs>> {
        self.plan_inputs_of(owner, to).await
    }
}

impl Db {
    /// [`latest_assessment_id`](Self::latest_assessment_id) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "latest_assessment_id", skip_all, err(level = "warn"), fields(user.id = %owner))]
    async fn read_latest_assessment_id(&self, owner: &UserId) -> StoreResult<Option<AssessmentId>> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT id FROM assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(owner.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(id.map(AssessmentId::from_db))
    }
}
