//! Parsed assessments, cached by id. A stored assessment never changes, so a parsed copy is valid for as
//! long as it exists, on every instance: no invalidation is needed, even behind a load balancer. The
//! cache is bounded; when it is full it is simply emptied (cheap, and a re-parse is only microseconds).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use kneeroot_core::camera::provenance::{Provenance, load_confirmed};
use kneeroot_core::{Answers, AssessmentResult, Knowledge};
use kneeroot_store::{Assessment, AssessmentId, AssessmentStore, UserId};

use crate::error::Problem;

/// An assessment with its JSON parsed.
#[derive(Debug)]
pub struct Parsed {
    /// Id.
    pub id: AssessmentId,
    /// Owner: checked on every read from the cache, exactly as the store's owner-scoped queries do.
    pub owner: UserId,
    /// When it was taken.
    pub created_at: i64,
    /// The stored result.
    pub result: AssessmentResult,
    /// The stored answers.
    pub answers: Answers,
    /// Which answers came from the camera squat screen (none when no camera was used).
    pub camera: BTreeMap<String, Provenance>,
}

/// The cache.
#[derive(Debug, Default)]
pub struct AssessmentCache {
    map: Mutex<HashMap<AssessmentId, Arc<Parsed>>>,
}

const CAPACITY: usize = 512;

impl AssessmentCache {
    /// The parsed assessment `id` of `owner`: from the cache, or read (owner-scoped) and parsed.
    ///
    /// # Errors
    /// A store failure or unparsable stored JSON.
    pub async fn load<S: AssessmentStore>(
        &self,
        store: &S,
        kb: &Knowledge,
        owner: &UserId,
        id: &AssessmentId,
    ) -> Result<Option<Arc<Parsed>>, Problem> {
        if let Some(hit) = self.get(id) {
            return Ok((&hit.owner == owner).then_some(hit));
        }
        match store.assessment(owner, id).await? {
            Some(a) => Ok(Some(self.insert(kb, &a)?)),
            None => Ok(None),
        }
    }

    fn get(&self, id: &AssessmentId) -> Option<Arc<Parsed>> {
        self.map.lock().ok()?.get(id).cloned()
    }

    /// Parse a stored assessment and keep it.
    ///
    /// # Errors
    /// Stored JSON that does not parse (an internal error: the store only holds what kneeroot wrote).
    pub fn insert(&self, kb: &Knowledge, a: &Assessment) -> Result<Arc<Parsed>, Problem> {
        let result: AssessmentResult = serde_json::from_str(&a.result).map_err(anyhow::Error::from)?;
        let parsed = Arc::new(Parsed {
            id: a.id.clone(),
            owner: a.user_id.clone(),
            created_at: a.created_at,
            result,
            answers: crate::pages::stored_answers(kb, &a.answers),
            camera: load_confirmed(a.camera.as_deref()),
        });
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(a.id.clone(), parsed.clone());
        }
        Ok(parsed)
    }
}
