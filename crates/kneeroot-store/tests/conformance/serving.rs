//! The store as `kneeroot serve` opens it ([`Db::connect_for_serving`]): on SQLite, with the lock file and
//! the read cache; on PostgreSQL, exactly [`Db::connect`].
//!
//! - The whole suite passes on a serving SQLite store, so the cache changes no behaviour.
//! - [`reads_follow_writes`], on every kind of store, reads each cached read, writes, and reads again: a
//!   value read before a write is never returned after it, for the writer's records, for someone else's,
//!   or for a session that was ended, and one person's records never come back for another.
//! - A write whose future is dropped half-way (a client that went away) still never leaves a stale value
//!   behind, nor a transaction open on a pooled connection.
//! - Only one serving store per SQLite file; other opens (backup, `admin add-user`) still work.
//! - [`plan_inputs_follow_writes`]: `plan_inputs` is always exactly the reads it stands for, right after
//!   every kind of write, including writes made through *another* store on the same database (another
//!   instance), whose only trace is the revision the schema keeps.

use std::time::Duration;

use kneeroot_store::*;
use sqlx::Connection;

use super::{D, T, checkin, clinician_change, morning, new_assessment, new_response, new_user, session, suite};
use crate::harness::on_every_backend;

/// A serving store on a fresh SQLite file, with the file's URL (the directory goes with the guard).
async fn serving_sqlite() -> (Db, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("kneeroot.db").display());
    let db = Db::connect_for_serving(&url).await.expect("a serving store");
    (db, url, dir)
}

/// Every read the serving store caches, once to fill and once more to be answered from memory, with a
/// write in between: each write is seen by the very next read.
async fn reads_follow_writes<S: Store>(s: &S) {
    let a = s.create_user(&new_user("fresh-a@example.org", Role::Patient)).await.unwrap();
    let b = s.create_user(&new_user("fresh-b@example.org", Role::Patient)).await.unwrap();
    let c = s.create_user(&new_user("fresh-c@example.org", Role::Clinician)).await.unwrap();
    let t0 = T;
    let twice = async |token: &str, now: Timestamp| {
        let first = s.session_with_user(token, now).await.unwrap();
        assert_eq!(s.session_with_user(token, now).await.unwrap(), first, "the same answer twice");
        first
    };

    // Sessions: found, drafted, ended one by one, ended all at once, expired.
    s.create_session(&session("fa", Some(&a.id), SessionKind::Browser, t0, t0 + 100)).await.unwrap();
    s.create_session(&session("fb", Some(&b.id), SessionKind::Browser, t0, t0 + 100)).await.unwrap();
    assert_eq!(twice("fa", t0).await.map(|(s, u)| (s.token_hash, u)), Some(("fa".into(), Some(a.clone()))));
    assert_eq!(twice("fb", t0).await.and_then(|(_, u)| u), Some(b.clone()), "each token its own person");
    s.save_draft("fa", Some(r#"{"pain": 4}"#)).await.unwrap();
    assert_eq!(twice("fa", t0).await.unwrap().0.draft.as_deref(), Some(r#"{"pain": 4}"#));
    s.save_camera("fa", Some(r#"{"confirmed": {}}"#)).await.unwrap();
    assert_eq!(twice("fa", t0).await.unwrap().0.camera.as_deref(), Some(r#"{"confirmed": {}}"#), "camera state");
    s.save_draft_and_camera("fa", Some(r#"{"pain": 5}"#), None).await.unwrap();
    let (both, _) = twice("fa", t0).await.unwrap();
    assert_eq!((both.draft.as_deref(), both.camera), (Some(r#"{"pain": 5}"#), None), "draft and camera at once");
    assert!(twice("fa", t0 + 99).await.is_some());
    assert_eq!(twice("fa", t0 + 100).await, None, "expired at expires_at, even when read just before");
    assert!(twice("fa", t0).await.is_some(), "and still there for an earlier now");
    s.delete_session("fa").await.unwrap();
    assert_eq!(twice("fa", t0).await, None, "signed out");
    for hash in ["fa1", "fa2"] {
        s.create_session(&session(hash, Some(&a.id), SessionKind::Api, t0, t0 + 100)).await.unwrap();
        assert!(twice(hash, t0).await.is_some());
    }
    s.delete_user_sessions(&a.id, Some("fa2")).await.unwrap();
    assert_eq!(twice("fa1", t0).await, None, "ended by a password change");
    assert!(twice("fa2", t0).await.is_some(), "the kept one");
    assert!(twice("fb", t0).await.is_some(), "someone else's untouched");

    // The newest assessment: none, then each new one at once.
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap(), None);
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap(), None);
    let first = s.save_assessment(&new_assessment(&a.id, t0, "hip")).await.unwrap();
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap(), Some(first.id.clone()));
    let second = s.save_assessment(&new_assessment(&a.id, t0 + 1, "ankle")).await.unwrap();
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap(), Some(second.id.clone()));
    assert_eq!(s.latest_assessment_id(&b.id).await.unwrap(), None, "not someone else's");

    // Plan changes: appended, and the author cleared when the author's account goes (a cascade from a
    // write about someone else).
    assert!(s.plan_changes(&a.id).await.unwrap().is_empty());
    let change = s.add_plan_change(&clinician_change(&a.id, &c.id, "squat", t0)).await.unwrap();
    assert_eq!(s.plan_changes(&a.id).await.unwrap(), vec![change.clone()]);
    assert!(s.plan_changes(&b.id).await.unwrap().is_empty(), "not someone else's");
    s.delete_user(&c.id).await.unwrap();
    assert_eq!(s.plan_changes(&a.id).await.unwrap(), vec![PlanChange { author_id: None, ..change }]);

    // Check-ins and mornings: written, rewritten, removed.
    assert!(s.checkins(&a.id, D, D + 1).await.unwrap().is_empty());
    s.upsert_checkin(&checkin(&a.id, D, "squat")).await.unwrap();
    assert_eq!(s.checkins(&a.id, D, D + 1).await.unwrap().len(), 1);
    s.upsert_checkin(&ExerciseCheckin { pain_during: Some(7), ..checkin(&a.id, D, "squat") }).await.unwrap();
    assert_eq!(s.checkins(&a.id, D, D + 1).await.unwrap()[0].pain_during, Some(7), "rewritten");
    assert!(s.checkins(&b.id, D, D + 1).await.unwrap().is_empty(), "not someone else's");
    s.delete_checkin(&a.id, D, "squat").await.unwrap();
    assert!(s.checkins(&a.id, D, D + 1).await.unwrap().is_empty(), "removed");
    assert!(s.mornings(&a.id, D, D + 1).await.unwrap().is_empty());
    s.upsert_morning(&morning(&a.id, D + 1, &[])).await.unwrap();
    assert_eq!(s.mornings(&a.id, D, D + 1).await.unwrap()[0].flags, Vec::<String>::new());
    s.upsert_morning(&morning(&a.id, D + 1, &["flag.knee_locked"])).await.unwrap();
    assert_eq!(s.mornings(&a.id, D, D + 1).await.unwrap()[0].flags, ["flag.knee_locked"], "rewritten");
    assert!(s.mornings(&b.id, D, D + 1).await.unwrap().is_empty(), "not someone else's");

    // Settings and questionnaires.
    assert!(!s.reminders(&a.id).await.unwrap());
    s.set_reminders(&a.id, true).await.unwrap();
    assert!(s.reminders(&a.id).await.unwrap(), "turned on");
    assert!(!s.reminders(&b.id).await.unwrap(), "not someone else's");
    assert!(s.responses(&a.id).await.unwrap().is_empty());
    let response = s.save_response(&new_response(&a.id, "koos12", 0, t0)).await.unwrap();
    assert_eq!(s.responses(&a.id).await.unwrap(), vec![response]);
    assert!(s.responses(&b.id).await.unwrap().is_empty(), "not someone else's");

    // Deleting the account: its session and every record are gone on the next read.
    assert_eq!(s.user(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(s.user(&a.id).await.unwrap(), Some(a.clone()));
    s.upsert_checkin(&checkin(&a.id, D, "bridge")).await.unwrap();
    assert_eq!(s.checkins(&a.id, D, D + 1).await.unwrap().len(), 1);
    assert!(twice("fa2", t0).await.is_some());
    s.delete_user(&a.id).await.unwrap();
    assert_eq!(twice("fa2", t0).await, None, "the account's sessions end with it");
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap(), None);
    assert!(s.plan_changes(&a.id).await.unwrap().is_empty());
    assert!(s.checkins(&a.id, D, D + 1).await.unwrap().is_empty());
    assert!(s.mornings(&a.id, D, D + 1).await.unwrap().is_empty());
    assert!(s.responses(&a.id).await.unwrap().is_empty());
    assert_eq!(s.user(&a.id).await.unwrap(), None);
    assert!(twice("fb", t0).await.is_some(), "someone else's session lives on");
}

#[tokio::test]
async fn a_serving_sqlite_store_passes_the_whole_suite() {
    let (db, _url, _dir) = serving_sqlite().await;
    suite(db.clone()).await;
    db.close().await;
}

#[tokio::test]
async fn every_read_sees_the_write_before_it() {
    let (db, _url, _dir) = serving_sqlite().await;
    reads_follow_writes(&db).await;
    db.close().await;
    // The same contract without the cache (plain SQLite, and PostgreSQL when configured), and PostgreSQL
    // opened for serving, which must be the plain store.
    on_every_backend(|db, url| async move {
        reads_follow_writes(&db).await;
        if db.backend() == Backend::Postgres {
            let serving = Db::connect_for_serving(&url).await.expect("PostgreSQL opened for serving");
            serving.create_user(&new_user("serving-pg@example.org", Role::Patient)).await.unwrap();
            let again = Db::connect_for_serving(&url).await.expect("several instances share PostgreSQL");
            again.close().await;
            serving.close().await;
        }
    })
    .await;
}

/// Proof that the serving store really answers from memory: a write made behind its back (which the
/// lock exists to prevent) is not seen until the store's own next write.
#[tokio::test]
async fn the_serving_store_answers_repeated_reads_from_memory() {
    let (db, url, _dir) = serving_sqlite().await;
    let a = db.create_user(&new_user("memory@example.org", Role::Patient)).await.unwrap();
    assert!(db.checkins(&a.id, D, D).await.unwrap().is_empty());
    let behind = Db::connect(&url).await.expect("a plain store on the same file");
    behind.upsert_checkin(&checkin(&a.id, D, "squat")).await.unwrap();
    assert!(db.checkins(&a.id, D, D).await.unwrap().is_empty(), "answered from memory");
    db.upsert_checkin(&checkin(&a.id, D, "bridge")).await.unwrap();
    assert_eq!(db.checkins(&a.id, D, D).await.unwrap().len(), 2, "any write of its own makes it read again");
    behind.close().await;
    db.close().await;
}

/// Writes whose futures are dropped while SQLite makes them wait (another connection holds the write
/// lock): once they land, the next read shows them, and no connection is left inside a transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_dropped_half_way_never_leaves_a_stale_read() {
    let (db, url, _dir) = serving_sqlite().await;
    let a = db.create_user(&new_user("dropped@example.org", Role::Patient)).await.unwrap();
    let b = db.create_user(&new_user("dropped-b@example.org", Role::Patient)).await.unwrap();
    db.create_session(&session("db", Some(&b.id), SessionKind::Browser, T, T + 100)).await.unwrap();
    assert!(db.checkins(&a.id, D, D).await.unwrap().is_empty());
    assert!(db.session_with_user("db", T).await.unwrap().is_some());

    let mut blocker = sqlx::AnyConnection::connect(&url).await.expect("a raw connection");
    sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut blocker).await.unwrap();
    let wait = Duration::from_millis(300);
    // A single statement, and a transaction (deleting an account), each given up while it waits.
    assert!(tokio::time::timeout(wait, db.upsert_checkin(&checkin(&a.id, D, "squat"))).await.is_err());
    assert!(tokio::time::timeout(wait, db.delete_user(&b.id)).await.is_err());
    // Meanwhile reads still answer (from the database: writes are in progress).
    assert!(db.checkins(&a.id, D, D).await.unwrap().is_empty(), "not written yet");
    sqlx::raw_sql("COMMIT").execute(&mut blocker).await.unwrap();
    blocker.close().await.unwrap();

    // The dropped statement lands once the lock is free; the dropped transaction is rolled back.
    let truth = Db::connect(&url).await.expect("a plain store reads the file as it is");
    let mut landed = false;
    for _ in 0..100 {
        if !truth.checkins(&a.id, D, D).await.unwrap().is_empty() {
            landed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(landed, "the dropped check-in was written after all");
    assert_eq!(db.checkins(&a.id, D, D).await.unwrap(), truth.checkins(&a.id, D, D).await.unwrap());
    assert_eq!(
        db.session_with_user("db", T).await.unwrap(),
        truth.session_with_user("db", T).await.unwrap(),
        "the session is as the database has it"
    );
    // Writing still works: no pooled connection was left holding SQLite's write lock.
    let bridge = checkin(&a.id, D, "bridge");
    let written = tokio::time::timeout(Duration::from_secs(3), db.upsert_checkin(&bridge)).await;
    written.expect("no transaction left open").unwrap();
    assert_eq!(db.checkins(&a.id, D, D).await.unwrap().len(), 2);
    truth.close().await;
    db.close().await;
}

#[tokio::test]
async fn one_server_per_sqlite_file() {
    let (db, url, dir) = serving_sqlite().await;
    let Err(StoreError::Conflict(message)) = Db::connect_for_serving(&url).await else {
        panic!("a second server on the same file must be refused");
    };
    assert!(message.contains("already in use by another kneeroot server"), "{message}");
    assert!(message.contains("kneeroot.db.lock"), "names the lock file: {message}");
    // Backups and `admin add-user` open the file without the lock, and may while it serves.
    let plain = Db::connect(&url).await.expect("a plain open while serving");
    plain.backup_to(&dir.path().join("copy.db").display().to_string()).await.expect("a backup while serving");
    plain.close().await;
    // The lock goes with the store.
    db.close().await;
    drop(db);
    let again = Db::connect_for_serving(&url).await.expect("free once the first server is gone");
    again.close().await;
}

/// `plan_inputs` as the individual reads give it.
async fn expected<S: Store>(s: &S, owner: &UserId, to: Day) -> Option<PlanInputs> {
    let id = s.latest_assessment_id(owner).await.unwrap()?;
    let taken_at = s.assessment(owner, &id).await.unwrap().expect("the newest assessment").created_at;
    let from = taken_at.div_euclid(86_400);
    let mut changes = s.plan_changes(owner).await.unwrap();
    changes.retain(|c| c.created_at >= taken_at);
    Some(PlanInputs {
        assessment: id,
        taken_at,
        changes,
        checkins: s.checkins(owner, from, to).await.unwrap(),
        mornings: s.mornings(owner, from, to).await.unwrap(),
    })
}

/// Every kind of write through `w`, each followed by two reads through `r` (the same store, or another
/// instance on the same database) that must equal the individual reads.
async fn plan_inputs_follow_writes<S: Store>(w: &S, r: &S) {
    let a = w.create_user(&new_user("inputs-a@example.org", Role::Patient)).await.unwrap();
    let b = w.create_user(&new_user("inputs-b@example.org", Role::Patient)).await.unwrap();
    let c = w.create_user(&new_user("inputs-c@example.org", Role::Clinician)).await.unwrap();
    let to = D + 1;
    let read = async |what: &str| {
        let first = r.plan_inputs(&a.id, to).await.unwrap();
        assert_eq!(r.plan_inputs(&a.id, to).await.unwrap(), first, "{what}: the same answer twice");
        assert_eq!(first, expected(w, &a.id, to).await, "{what}: as the individual reads have it");
        first
    };
    assert_eq!(read("no assessment").await, None);
    w.add_plan_change(&clinician_change(&a.id, &c.id, "lunge", T - 10)).await.unwrap();
    let first = w.save_assessment(&new_assessment(&a.id, T, "hip")).await.unwrap();
    let inputs = read("an assessment").await.expect("inputs");
    assert_eq!((inputs.assessment, inputs.taken_at), (first.id.clone(), T));
    assert!(inputs.changes.is_empty(), "a change from before the assessment is not part of its plan");

    w.upsert_checkin(&checkin(&a.id, D, "squat")).await.unwrap();
    assert_eq!(read("a check-in").await.unwrap().checkins.len(), 1);
    w.upsert_checkin(&ExerciseCheckin { pain_during: Some(7), ..checkin(&a.id, D, "squat") }).await.unwrap();
    assert_eq!(read("a rewritten check-in").await.unwrap().checkins[0].pain_during, Some(7));
    w.upsert_morning(&morning(&a.id, D + 1, &[])).await.unwrap();
    assert_eq!(read("a morning").await.unwrap().mornings.len(), 1);
    w.upsert_morning(&morning(&a.id, D + 1, &["flag.knee_locked"])).await.unwrap();
    assert_eq!(read("a rewritten morning").await.unwrap().mornings[0].flags, ["flag.knee_locked"]);
    let change = w.add_plan_change(&clinician_change(&a.id, &c.id, "squat", T + 5)).await.unwrap();
    assert_eq!(read("a plan change").await.unwrap().changes, vec![change.clone()]);
    w.delete_user(&c.id).await.unwrap();
    let unauthored = PlanChange { author_id: None, ..change };
    assert_eq!(read("the author's account deleted").await.unwrap().changes, vec![unauthored]);
    w.delete_checkin(&a.id, D, "squat").await.unwrap();
    assert!(read("a check-in removed").await.unwrap().checkins.is_empty());

    // Someone else's writes leave a's inputs as they were, and never appear in them.
    let before = read("before b writes").await;
    w.save_assessment(&new_assessment(&b.id, T, "ankle")).await.unwrap();
    w.upsert_checkin(&checkin(&b.id, D, "bridge")).await.unwrap();
    assert_eq!(read("b wrote").await, before);
    assert!(r.plan_inputs(&b.id, to).await.unwrap().is_some_and(|i| i.checkins.len() == 1), "b's own");

    // A new assessment starts a new plan: its day on, its changes only.
    let later = T + 2 * 86_400;
    let second = w.save_assessment(&new_assessment(&a.id, later, "knee")).await.unwrap();
    w.upsert_checkin(&checkin(&a.id, D + 2, "step_up")).await.unwrap();
    let inputs = read("a reassessment").await.expect("inputs");
    assert_eq!((inputs.assessment, inputs.taken_at), (second.id, later));
    assert!(inputs.changes.is_empty());
    assert!(r.plan_inputs(&a.id, D + 2).await.unwrap().is_some_and(|i| i.checkins.len() == 1));

    w.delete_user(&a.id).await.unwrap();
    assert_eq!(read("the account deleted").await, None);
}

#[tokio::test]
async fn plan_inputs_are_the_reads_they_stand_for_after_every_write() {
    let (db, _url, _dir) = serving_sqlite().await;
    plan_inputs_follow_writes(&db, &db).await;
    db.close().await;
    on_every_backend(|db, url| async move {
        plan_inputs_follow_writes(&db, &db).await;
        // Another instance on the same database: its writes reach this one only through the revision.
        let other = Db::connect(&url).await.expect("a second instance");
        let a = db.create_user(&new_user("two-a@example.org", Role::Patient)).await.unwrap();
        other.save_assessment(&new_assessment(&a.id, T, "hip")).await.unwrap();
        assert!(db.plan_inputs(&a.id, D).await.unwrap().is_some(), "the other instance's assessment");
        db.upsert_checkin(&checkin(&a.id, D, "squat")).await.unwrap();
        assert_eq!(other.plan_inputs(&a.id, D).await.unwrap().unwrap().checkins.len(), 1);
        other.upsert_checkin(&ExerciseCheckin { pain_during: Some(9), ..checkin(&a.id, D, "squat") }).await.unwrap();
        assert_eq!(db.plan_inputs(&a.id, D).await.unwrap().unwrap().checkins[0].pain_during, Some(9));
        other.delete_checkin(&a.id, D, "squat").await.unwrap();
        assert!(db.plan_inputs(&a.id, D).await.unwrap().unwrap().checkins.is_empty());
        other.close().await;
    })
    .await;
}

/// The same, with the writes made through one instance and every read through another.
#[tokio::test]
async fn plan_inputs_see_another_instances_writes_at_once() {
    on_every_backend(|db, url| async move {
        let other = Db::connect(&url).await.expect("a second instance");
        plan_inputs_follow_writes(&other, &db).await;
        other.close().await;
    })
    .await;
}
