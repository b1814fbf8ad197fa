//! [`AssessmentStore::plan_inputs`](crate::AssessmentStore::plan_inputs) for [`Db`]: the records a
//! person's plan in force is computed from, remembered per instance and re-read only when they changed.
//!
//! The proof that nothing changed is `users.record_revision`, which the schema's triggers (migration 6)
//! add one to with every insert, update or delete of the person's assessments, plan changes, check-ins
//! and morning reports, inside the writing transaction, whichever instance writes. One small read (the
//! *head*: revision, newest assessment and its time) then tells whether what this instance remembers
//! for the person is still what the database holds; only if not are the lists read again.
//!
//! A remembered value is kept only if the head read *after* the lists equals the one read before them:
//! a write that committed in between (whose lists might be half seen under PostgreSQL's read committed)
//! has moved the revision, and the value is not kept. Values are keyed by person and by `to` (the last
//! day asked for), each remembered with the head it was read under, so a value can only ever be returned
//! for the person it was read for, at the revision it was read at. At most [`CAPACITY`] rows are kept;
//! when full, everything is dropped.
//!
//! On a serving SQLite store (the read cache) the head read is not needed: the cache's write log proves
//! freshness without a round trip, so there the whole answer is one cached read.

use std::collections::HashMap;
use std::sync::Mutex;

use sqlx::Row;

use super::read_cache::{CAPACITY, Rows};
use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::*;

/// A person's revision and newest assessment, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    revision: i64,
    assessment: AssessmentId,
    taken_at: Timestamp,
}

impl Rows for PlanInputs {
    fn rows(&self) -> usize {
        1 + self.changes.len() + self.checkins.len() + self.mornings.len()
    }
}

/// Plan inputs remembered with the head they were read under.
#[derive(Debug, Default)]
pub(crate) struct Remembered {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_person: HashMap<(UserId, Day), (Head, PlanInputs)>,
    /// The rows `by_person` holds.
    rows: usize,
}

impl Remembered {
    fn get(&self, owner: &UserId, to: Day, head: &Head) -> Option<PlanInputs> {
        let entries = self.entries.lock().ok()?;
        let (at, inputs) = entries.by_person.get(&(owner.clone(), to))?;
        (at == head).then(|| inputs.clone())
    }

    fn put(&self, owner: &UserId, to: Day, head: Head, inputs: PlanInputs) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let rows = inputs.rows();
        if entries.rows + rows > CAPACITY {
            entries.by_person.clear();
            entries.rows = 0;
        }
        if rows > CAPACITY {
            return;
        }
        entries.rows += rows;
        if let Some((_, replaced)) = entries.by_person.insert((owner.clone(), to), (head, inputs)) {
            entries.rows -= replaced.rows();
        }
    }
}

impl Db {
    /// See the module documentation.
    pub(super) async fn plan_inputs_of(&self, owner: &UserId, to: Day) -> StoreResult<Option<PlanInputs>> {
        if self.cache.is_some() {
            let key = (owner.clone(), to);
            return self.cached(|c| &c.plan_inputs, key, || self.read_plan_inputs(owner, to)).await;
        }
        let Some(head) = self.plan_head(owner).await? else { return Ok(None) };
        if let Some(remembered) = self.remembered.get(owner, to, &head) {
            return Ok(Some(remembered));
        }
        let inputs = self.plan_lists(owner, &head, to).await?;
        if self.plan_head(owner).await?.as_ref() == Some(&head) {
            self.remembered.put(owner, to, head, inputs.clone());
        }
        Ok(Some(inputs))
    }

    /// The plan inputs, all from the database.
    #[tracing::instrument(name = "plan_inputs", skip_all, err(level = "warn"), fields(user.id = %owner, to))]
    async fn read_plan_inputs(&self, owner: &UserId, to: Day) -> StoreResult<Option<PlanInputs>> {
        let Some(head) = self.plan_head(owner).await? else { return Ok(None) };
        Ok(Some(self.plan_lists(owner, &head, to).await?))
    }

    /// The head of `owner`: `None` without an account or an assessment.
    #[tracing::instrument(skip_all, err(level = "warn"), fields(user.id = %owner))]
    async fn plan_head(&self, owner: &UserId) -> StoreResult<Option<Head>> {
        let row = sqlx::query(
            "SELECT u.record_revision, a.id, a.created_at FROM users u \
             LEFT JOIN assessments a ON a.id = \
                 (SELECT id FROM assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1) \
             WHERE u.id = $1",
        )
        .bind(owner.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let Some(id) = row.try_get::<Option<String>, _>(1).map_err(map_err)? else { return Ok(None) };
        Ok(Some(Head {
            revision: row.try_get(0).map_err(map_err)?,
            assessment: AssessmentId::from_db(id),
            taken_at: row.try_get(2).map_err(map_err)?,
        }))
    }

    /// The lists of the plan inputs under `head`.
    async fn plan_lists(&self, owner: &UserId, head: &Head, to: Day) -> StoreResult<PlanInputs> {
        let from = head.taken_at.div_euclid(86_400);
        let mut changes = self.read_plan_changes(owner).await?;
        changes.retain(|c| c.created_at >= head.taken_at);
        Ok(PlanInputs {
            assessment: head.assessment.clone(),
            taken_at: head.taken_at,
            changes,
            checkins: self.read_checkins(owner, from, to).await?,
            mornings: self.read_mornings(owner, from, to).await?,
        })
    }
}
