//! [`OutcomeStore`] for [`Db`].
//!
//! A response is written once and never changed: the store has no statement that updates one, and the
//! only deletion is erasure of the account. Listing is oldest first by `taken_at`; responses completed
//! in the same second are ordered by id, ascending (ids are random lower-case hex, so the tie-break is
//! meaningless but total and the same on both backends, as for assessments). An unknown user is a
//! foreign-key violation, so `NotFound`.
//!
//! Spans record the user and response ids only; the instrument, answers and scores are health data.

use super::rows::{self, outcome_columns};
use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::*;
use crate::traits::OutcomeStore;

impl OutcomeStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %new.user_id, response.id = tracing::field::Empty))]
    async fn save_response(&self, new: &NewOutcomeResponse) -> StoreResult<OutcomeResponse> {
        let saved = OutcomeResponse {
            id: AssessmentId::random(),
            user_id: new.user_id.clone(),
            instrument: new.instrument.clone(),
            version: new.version.clone(),
            week: new.week,
            taken_at: new.now,
            answers: new.answers.clone(),
            scores: new.scores.clone(),
        };
        sqlx::query(concat!(
            "INSERT INTO outcome_responses (",
            outcome_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(saved.id.as_str())
        .bind(saved.user_id.as_str())
        .bind(saved.instrument.as_str())
        .bind(saved.version.as_str())
        .bind(saved.week)
        .bind(saved.taken_at)
        .bind(saved.answers.as_str())
        .bind(saved.scores.as_str())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        tracing::Span::current().record("response.id", saved.id.as_str());
        Ok(saved)
    }

    async fn responses(&self, owner: &UserId) -> StoreResult<Vec<OutcomeResponse>> {
        self.cached(|c| &c.responses, owner.clone(), || self.read_responses(owner)).await
    }
}

impl Db {
    /// [`responses`](Self::responses) from the database (a span only for reads that reach it).
    #[tracing::instrument(name = "responses", skip_all, err(level = "warn"), fields(user.id = %owner))]
    async fn read_responses(&self, owner: &UserId) -> StoreResult<Vec<OutcomeResponse>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            outcome_columns!(),
            " FROM outcome_responses WHERE user_id = $1 ORDER BY taken_at, id"
        ))
        .bind(owner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        found.iter().map(rows::outcome_response).collect()
    }
}
