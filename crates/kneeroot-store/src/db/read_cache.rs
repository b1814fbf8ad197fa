//! The read cache: the reads every signed-in page repeats, answered from memory while nothing has been
//! written since they were read. Only a [`Db`](super::Db) opened with
//! [`Db::connect_for_serving`](super::Db::connect_for_serving) on SQLite has one, because only there
//! is every write to the database known to this process (see `owner_lock.rs`); on PostgreSQL other
//! instances write too, so every read goes to the database.
//!
//! What is cached, each keyed exactly by the arguments of its query (so a value can only ever be
//! returned for the same session token or the same owner it was read for): a session with its user
//! (keyed by the token's hash; the expiry is checked against `now` on every hit, exactly as the query
//! checks it), an account by id, a person's newest assessment id, their plan changes, check-ins and
//! morning reports for a range of days, questionnaire responses and reminder setting, and the plan inputs
//! (`plan_inputs.rs`). These are the reads of the plan, check-in and progress pages. Whole assessments are not: they are large, and the web
//! layer keeps parsed ones already.
//!
//! Validity is all or nothing: each value carries the [`WriteLog`] generation it was read at and is
//! served only while the generation is unchanged and no write is in progress, so *any* write (a
//! check-in, a sign-out, another person's draft) makes every value stale at once. That is cruder than
//! tracking which rows a write touched, but it cannot miss a dependency (a cascade from deleting an
//! account, a statement a later store method adds), and reads are what a busy server mostly does. Each
//! kind holds at most [`CAPACITY`] rows (a list counts its length), so memory stays bounded whatever the
//! traffic, and is emptied when full, or when it is found stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use super::tracked::WriteLog;
use crate::model::*;

/// The most rows kept per kind: a few MB at most, since no cached row is more than a few hundred bytes.
pub(crate) const CAPACITY: usize = 16_384;

/// How many rows a cached value counts as.
pub(crate) trait Rows {
    /// Its weight against [`CAPACITY`].
    fn rows(&self) -> usize;
}

impl<T> Rows for Vec<T> {
    fn rows(&self) -> usize {
        self.len().max(1)
    }
}

impl<T: Rows> Rows for Option<T> {
    fn rows(&self) -> usize {
        self.as_ref().map_or(1, Rows::rows)
    }
}

impl Rows for User {
    fn rows(&self) -> usize {
        1
    }
}

impl Rows for AssessmentId {
    fn rows(&self) -> usize {
        1
    }
}

impl Rows for (Session, Option<User>) {
    fn rows(&self) -> usize {
        1
    }
}

impl Rows for bool {
    fn rows(&self) -> usize {
        1
    }
}

/// One kind of cached read.
#[derive(Debug)]
pub(crate) struct Memo<K, V> {
    entries: Mutex<Entries<K, V>>,
}

#[derive(Debug)]
struct Entries<K, V> {
    /// The generation every value in `map` was read at.
    generation: u64,
    map: HashMap<K, V>,
    /// The rows `map` holds.
    rows: usize,
}

impl<K, V> Entries<K, V> {
    fn reset(&mut self, generation: u64) {
        self.map.clear();
        self.rows = 0;
        self.generation = generation;
    }
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo { entries: Mutex::new(Entries { generation: 0, map: HashMap::new(), rows: 0 }) }
    }
}

impl<K: Hash + Eq, V: Clone + Rows> Memo<K, V> {
    /// The value for `key`, if it was read at `generation` (the log's quiet generation now).
    pub(crate) fn get(&self, key: &K, generation: u64) -> Option<V> {
        let mut entries = self.entries.lock().ok()?;
        if entries.generation != generation {
            // Stale (or newer than the caller's view, which the caller will see next time).
            if entries.generation < generation {
                entries.reset(generation);
            }
            return None;
        }
        entries.map.get(key).cloned()
    }

    /// Keep `value`, read with no write in progress at `read_at`, if the log is still quiet at that
    /// generation (no write started or finished while it was being read).
    pub(crate) fn put(&self, log: &WriteLog, read_at: u64, key: K, value: V) {
        let Ok(mut entries) = self.entries.lock() else { return };
        // Checked under the lock, so a stale value can never be stored after a fresher generation.
        if log.quiet_generation() != Some(read_at) || entries.generation > read_at {
            return;
        }
        let rows = value.rows();
        if entries.generation < read_at || entries.rows + rows > CAPACITY {
            entries.reset(read_at);
        }
        if rows > CAPACITY {
            return;
        }
        entries.rows += rows;
        if let Some(replaced) = entries.map.insert(key, value) {
            entries.rows -= replaced.rows();
        }
    }
}

/// Every cached read, and the log that says when they are valid.
#[derive(Debug, Default)]
pub(crate) struct ReadCache {
    /// The writes of this database.
    pub log: Arc<WriteLog>,
    /// `session_with_user` by token hash (only sessions that were found).
    pub sessions: Memo<String, (Session, Option<User>)>,
    /// `user` by id.
    pub users: Memo<UserId, Option<User>>,
    /// `reminders` by account.
    pub reminders: Memo<UserId, bool>,
    /// `latest_assessment_id` by owner.
    pub latest_assessment: Memo<UserId, Option<AssessmentId>>,
    /// `plan_changes` by owner.
    pub plan_changes: Memo<UserId, Vec<PlanChange>>,
    /// `checkins` by owner and range.
    pub checkins: Memo<(UserId, Day, Day), Vec<ExerciseCheckin>>,
    /// `mornings` by owner and range.
    pub mornings: Memo<(UserId, Day, Day), Vec<MorningReport>>,
    /// `responses` by owner.
    pub responses: Memo<UserId, Vec<OutcomeResponse>>,
    /// `plan_inputs` by owner and last day.
    pub plan_inputs: Memo<(UserId, Day), Option<PlanInputs>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_only_at_the_generation_it_was_read_at() {
        let cache = ReadCache::default();
        let g = cache.log.quiet_generation().expect("quiet");
        cache.plan_changes.put(&cache.log, g, UserId::from_db("a".into()), Vec::new());
        assert_eq!(cache.plan_changes.get(&UserId::from_db("a".into()), g), Some(Vec::new()));
        assert_eq!(cache.plan_changes.get(&UserId::from_db("b".into()), g), None, "another key");
        assert_eq!(cache.plan_changes.get(&UserId::from_db("a".into()), g + 2), None, "a later generation");
        assert_eq!(cache.plan_changes.get(&UserId::from_db("a".into()), g), None, "emptied when found stale");
    }

    #[test]
    fn rows_are_bounded_whatever_is_stored() {
        let cache = ReadCache::default();
        let g = cache.log.quiet_generation().expect("quiet");
        let owner = |i: usize| UserId::from_db(format!("u{i}"));
        for i in 0..3 * CAPACITY {
            cache.plan_changes.put(&cache.log, g, owner(i), Vec::new());
            let rows = cache.plan_changes.entries.lock().unwrap().rows;
            assert!((1..=CAPACITY).contains(&rows), "{rows} rows after {i} puts");
        }
        // Replacing a value does not count it twice.
        cache.plan_changes.put(&cache.log, g, owner(0), Vec::new());
        cache.plan_changes.put(&cache.log, g, owner(0), Vec::new());
        let e = cache.plan_changes.entries.lock().unwrap();
        assert_eq!(e.rows, e.map.len());
    }

    #[test]
    fn a_value_read_before_the_log_moved_is_not_kept() {
        let cache = ReadCache::default();
        let g = cache.log.quiet_generation().expect("quiet");
        cache.latest_assessment.put(&cache.log, g + 2, UserId::from_db("a".into()), None);
        assert_eq!(cache.latest_assessment.get(&UserId::from_db("a".into()), g + 2), None, "not read at a quiet time");
    }
}
