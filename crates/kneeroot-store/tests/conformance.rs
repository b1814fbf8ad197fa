//! The storage conformance suite: one behaviour on both backends, tested rather than hoped for.
//!
//! Each area (`accounts`, `sessions`, `assessments`, `throttle`, `health`) is a function generic over
//! [`Store`], so it tests the trait contract, not `Db`'s internals. Every `#[tokio::test]` runs its area on
//! SQLite and, when `KNEEROOT_TEST_POSTGRES` is set, on PostgreSQL, each on a fresh database (see
//! `conformance/harness.rs`); [`suite`] also runs all areas one after another on a single database, as a
//! long-lived server would, to show they do not disturb one another.
//!
//! Time conventions: the store never reads a clock, so the tests choose `now`. The session area works
//! near t = 1 000 and every other area near [`T`] (2023), so a purge in the session area can count exactly
//! its own expired sessions even on a database shared with the other areas.
//!
//! Run: `cargo test -p kneeroot-store` (SQLite), and with
//! `KNEEROOT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test` for both.

#[path = "conformance/harness.rs"]
mod harness;

use kneeroot_store::*;
use sqlx::{AssertSqlSafe, Connection};

use harness::on_every_backend;

/// "Now" for every area but sessions.
const T: Timestamp = 1_700_000_000;

/// Every area, in turn, on one database.
async fn suite(db: Db) {
    accounts(&db).await;
    sessions(&db).await;
    assessments(&db).await;
    throttle(&db).await;
    health(&db).await;
}

fn email(s: &str) -> Email {
    Email::parse(s).expect("a valid test email")
}

fn new_user(address: &str, role: Role) -> NewUser {
    NewUser { email: email(address), password_hash: format!("$argon2id$v=19$hash-of-{address}"), role, now: T }
}

fn new_assessment(owner: &UserId, now: Timestamp, top_cause: &str) -> NewAssessment {
    NewAssessment {
        user_id: owner.clone(),
        now,
        knowledge_version: "2024.1".into(),
        answers: r#"{"age": 41, "note": "it's \"sharp\"; ünïcödé 🦵 ', DROP TABLE users; --"}"#.into(),
        result: format!(r#"{{"triage": "routine", "top": "{top_cause}"}}"#),
        triage_level: "routine".into(),
        top_cause: top_cause.into(),
    }
}

fn session(
    token_hash: &str,
    user: Option<&UserId>,
    kind: SessionKind,
    created_at: Timestamp,
    expires_at: Timestamp,
) -> Session {
    Session {
        token_hash: token_hash.into(),
        user_id: user.cloned(),
        kind,
        csrf_token: format!("csrf-{token_hash}"),
        draft: None,
        created_at,
        expires_at,
    }
}

async fn accounts<S: Store>(s: &S) {
    // Create and read back, by id and by email.
    let alice = s.create_user(&new_user("Alice@Example.org", Role::Patient)).await.expect("create alice");
    assert_eq!(alice.email.as_str(), "alice@example.org");
    assert_eq!((alice.role, alice.created_at), (Role::Patient, T));
    assert_eq!(UserId::parse(alice.id.as_str()).as_ref(), Some(&alice.id), "ids have the public shape");
    assert_eq!(s.user(&alice.id).await.unwrap(), Some(alice.clone()));
    let creds = s.credentials(&email("alice@example.org")).await.unwrap().expect("credentials by email");
    assert_eq!(creds.user, alice);
    assert_eq!(creds.password_hash, "$argon2id$v=19$hash-of-Alice@Example.org");
    assert_eq!(s.credentials(&email("nobody@example.org")).await.unwrap(), None);
    assert_eq!(s.user(&UserId::random()).await.unwrap(), None);

    // Every role survives the round trip.
    for (address, role) in [("clin@example.org", Role::Clinician), ("admin@example.org", Role::Admin)] {
        let u = s.create_user(&new_user(address, role)).await.unwrap();
        assert_eq!(s.user(&u.id).await.unwrap().map(|u| u.role), Some(role));
    }

    // The email is unique, whatever case it was typed in.
    match s.create_user(&new_user("ALICE@example.org ", Role::Clinician)).await {
        Err(StoreError::Conflict(msg)) => assert_eq!(msg, "an account with this email already exists"),
        other => panic!("duplicate email must be a Conflict, got {other:?}"),
    }

    // Passwords change; unknown users are NotFound.
    s.set_password(&alice.id, "$argon2id$new").await.unwrap();
    let creds = s.credentials(&alice.email).await.unwrap().unwrap();
    assert_eq!(creds.password_hash, "$argon2id$new");
    assert!(matches!(s.set_password(&UserId::random(), "x").await, Err(StoreError::NotFound)));

    deleting_an_account_erases_it(s).await;
}

async fn deleting_an_account_erases_it<S: Store>(s: &S) {
    let gone = s.create_user(&new_user("gone@example.org", Role::Patient)).await.unwrap();
    let kept = s.create_user(&new_user("kept@example.org", Role::Patient)).await.unwrap();
    for (hash, owner) in [("gone-1", &gone), ("gone-2", &gone), ("kept-1", &kept)] {
        s.create_session(&session(hash, Some(&owner.id), SessionKind::Browser, T, T + 3600)).await.unwrap();
    }
    for owner in [&gone, &gone, &kept] {
        s.save_assessment(&new_assessment(&owner.id, T, "patellofemoral_pain")).await.unwrap();
    }
    for key in ["account:gone@example.org", "account:gone@example.org", "ip:192.0.2.7", "account:kept@example.org"] {
        s.record_failure(key, T).await.unwrap();
    }

    s.delete_user(&gone.id).await.expect("delete");
    assert_eq!(s.user(&gone.id).await.unwrap(), None);
    assert_eq!(s.credentials(&gone.email).await.unwrap(), None);
    assert_eq!(s.session("gone-1", T).await.unwrap(), None);
    assert_eq!(s.session("gone-2", T).await.unwrap(), None);
    assert!(s.assessments(&gone.id).await.unwrap().is_empty());
    assert_eq!(s.failures_since("account:gone@example.org", 0).await.unwrap(), 0);
    // What is not the person's stays: an IP counter and other accounts.
    assert_eq!(s.failures_since("ip:192.0.2.7", 0).await.unwrap(), 1);
    assert_eq!(s.failures_since("account:kept@example.org", 0).await.unwrap(), 1);
    assert!(s.session("kept-1", T).await.unwrap().is_some());
    assert_eq!(s.assessments(&kept.id).await.unwrap().len(), 1);

    assert!(matches!(s.delete_user(&gone.id).await, Err(StoreError::NotFound)), "second delete");
    assert!(matches!(s.delete_user(&UserId::random()).await, Err(StoreError::NotFound)));
    // The address is free again.
    s.create_user(&new_user("gone@example.org", Role::Patient)).await.expect("email reusable after delete");
}

async fn sessions<S: Store>(s: &S) {
    let t0: Timestamp = 1_000;
    let owner = s.create_user(&new_user("sessions@example.org", Role::Patient)).await.unwrap();

    // Anonymous and signed-in sessions round-trip exactly.
    let anon = session("anon", None, SessionKind::Browser, t0, 11_000);
    let mut api = session("api", Some(&owner.id), SessionKind::Api, t0, 11_000);
    api.draft = Some(r#"{"q1": "yes"}"#.into());
    s.create_session(&anon).await.unwrap();
    s.create_session(&api).await.unwrap();
    assert_eq!(s.session("anon", t0).await.unwrap(), Some(anon.clone()));
    assert_eq!(s.session("api", t0).await.unwrap(), Some(api.clone()));
    assert_eq!(s.session("missing", t0).await.unwrap(), None);

    // The joined read gives the same session, with its user for a signed-in one and none for anonymous.
    assert_eq!(s.session_with_user("anon", t0).await.unwrap(), Some((anon.clone(), None)));
    assert_eq!(s.session_with_user("api", t0).await.unwrap(), Some((api.clone(), Some(owner.clone()))));
    assert_eq!(s.session_with_user("missing", t0).await.unwrap(), None);
    assert_eq!(s.session_with_user("api", 11_000).await.unwrap(), None, "expired like session()");

    // A second session with the same token hash, or for a user who does not exist, is refused.
    assert!(matches!(s.create_session(&anon).await, Err(StoreError::Conflict(_))));
    let orphan = session("orphan", Some(&UserId::random()), SessionKind::Browser, t0, 11_000);
    assert!(matches!(s.create_session(&orphan).await, Err(StoreError::NotFound)));

    // Visible strictly before expires_at, gone from it on.
    assert!(s.session("anon", 10_999).await.unwrap().is_some());
    assert_eq!(s.session("anon", 11_000).await.unwrap(), None);
    assert_eq!(s.session("anon", 50_000).await.unwrap(), None);

    // Drafts: set, replace, clear; a missing session is NotFound.
    s.save_draft("anon", Some(r#"{"pain": 7}"#)).await.unwrap();
    assert_eq!(s.session("anon", t0).await.unwrap().unwrap().draft.as_deref(), Some(r#"{"pain": 7}"#));
    s.save_draft("anon", Some(r#"{"pain": 3, "note": "ünï 'x'"}"#)).await.unwrap();
    assert_eq!(
        s.session("anon", t0).await.unwrap().unwrap().draft.as_deref(),
        Some(r#"{"pain": 3, "note": "ünï 'x'"}"#)
    );
    s.save_draft("anon", None).await.unwrap();
    assert_eq!(s.session("anon", t0).await.unwrap().unwrap().draft, None);
    assert!(matches!(s.save_draft("missing", Some("{}")).await, Err(StoreError::NotFound)));

    // Ending one session is idempotent.
    s.delete_session("anon").await.unwrap();
    assert_eq!(s.session("anon", t0).await.unwrap(), None);
    s.delete_session("anon").await.expect("deleting a gone session is fine");

    ending_a_users_sessions(s, &owner, t0).await;
    purging_expired_sessions(s, t0).await;
}

async fn ending_a_users_sessions<S: Store>(s: &S, owner: &User, t0: Timestamp) {
    let other = s.create_user(&new_user("other-sessions@example.org", Role::Patient)).await.unwrap();
    for hash in ["mine-1", "mine-2", "mine-3"] {
        s.create_session(&session(hash, Some(&owner.id), SessionKind::Browser, t0, 11_000)).await.unwrap();
    }
    s.create_session(&session("theirs", Some(&other.id), SessionKind::Browser, t0, 11_000)).await.unwrap();

    // "api" (from before) and mine-1..3 belong to owner; keep mine-1, as after a password change.
    assert_eq!(s.delete_user_sessions(&owner.id, Some("mine-1")).await.unwrap(), 3);
    assert!(s.session("mine-1", t0).await.unwrap().is_some());
    assert_eq!(s.session("mine-2", t0).await.unwrap(), None);
    assert_eq!(s.session("api", t0).await.unwrap(), None);
    assert_eq!(s.delete_user_sessions(&owner.id, None).await.unwrap(), 1);
    assert_eq!(s.session("mine-1", t0).await.unwrap(), None);
    assert!(s.session("theirs", t0).await.unwrap().is_some(), "other users keep their sessions");
    assert_eq!(s.delete_user_sessions(&UserId::random(), None).await.unwrap(), 0);
}

async fn purging_expired_sessions<S: Store>(s: &S, t0: Timestamp) {
    for (hash, expires_at) in [("p-2000", 2_000), ("p-3000", 3_000), ("p-4000", 4_000)] {
        s.create_session(&session(hash, None, SessionKind::Browser, t0, expires_at)).await.unwrap();
    }
    assert_eq!(s.purge_expired_sessions(1_999).await.unwrap(), 0);
    // Expired "at" 3000 includes the one whose expires_at is 3000, as for lookups.
    assert_eq!(s.purge_expired_sessions(3_000).await.unwrap(), 2);
    assert_eq!(s.purge_expired_sessions(3_000).await.unwrap(), 0);
    assert!(s.session("p-4000", 3_999).await.unwrap().is_some());
    assert!(matches!(s.save_draft("p-2000", None).await, Err(StoreError::NotFound)), "purged means gone");
}

async fn assessments<S: Store>(s: &S) {
    let a = s.create_user(&new_user("owner-a@example.org", Role::Patient)).await.unwrap();
    let b = s.create_user(&new_user("owner-b@example.org", Role::Patient)).await.unwrap();
    assert!(s.assessments(&a.id).await.unwrap().is_empty());
    assert_eq!(s.latest_assessment(&a.id).await.unwrap(), None);

    let oldest = s.save_assessment(&new_assessment(&a.id, T, "oldest")).await.unwrap();
    assert_eq!((oldest.user_id.clone(), oldest.created_at, oldest.top_cause.as_str()), (a.id.clone(), T, "oldest"));
    let mut tied = Vec::new();
    for cause in ["tie-1", "tie-2", "tie-3"] {
        tied.push(s.save_assessment(&new_assessment(&a.id, T + 60, cause)).await.unwrap());
    }

    // Newest first; equal times by id, descending, identically on every call and backend.
    tied.sort_by(|x, y| y.id.cmp(&x.id));
    let mut expected = tied.clone();
    expected.push(oldest.clone());
    let listed = s.assessments(&a.id).await.unwrap();
    assert_eq!(listed, expected, "stored records round-trip exactly, in the documented order");
    assert_eq!(s.assessments(&a.id).await.unwrap(), listed, "stable across calls");
    assert_eq!(s.latest_assessment(&a.id).await.unwrap().as_ref(), listed.first());
    assert_eq!(s.latest_assessment_id(&a.id).await.unwrap().as_ref(), listed.first().map(|x| &x.id));
    assert_eq!(s.latest_assessment_id(&b.id).await.unwrap(), None);

    // Reads are scoped by owner.
    assert_eq!(s.assessment(&a.id, &oldest.id).await.unwrap(), Some(oldest.clone()));
    assert_eq!(s.assessment(&b.id, &oldest.id).await.unwrap(), None, "B cannot read A's record");
    assert!(s.assessments(&b.id).await.unwrap().is_empty());
    assert_eq!(s.latest_assessment(&b.id).await.unwrap(), None);
    assert_eq!(s.assessment(&a.id, &AssessmentId::random()).await.unwrap(), None);

    // A newer one becomes the latest; an unknown owner is NotFound.
    let newest = s.save_assessment(&new_assessment(&a.id, T + 3600, "newest")).await.unwrap();
    assert_eq!(s.latest_assessment(&a.id).await.unwrap(), Some(newest));
    let stray = new_assessment(&UserId::random(), T, "stray");
    assert!(matches!(s.save_assessment(&stray).await, Err(StoreError::NotFound)));
}

async fn throttle<S: Store>(s: &S) {
    let key = "account:throttle@example.org";
    for at in [T - 100, T - 50, T, T] {
        s.record_failure(key, at).await.unwrap();
    }
    s.record_failure("ip:198.51.100.1", T).await.unwrap();

    assert_eq!(s.failures_since(key, T - 100).await.unwrap(), 4);
    assert_eq!(s.failures_since(key, T - 50).await.unwrap(), 3, "the window includes its start");
    assert_eq!(s.failures_since(key, T - 49).await.unwrap(), 2);
    assert_eq!(s.failures_since(key, T + 1).await.unwrap(), 0);
    assert_eq!(s.failures_since("account:never@example.org", 0).await.unwrap(), 0);

    s.clear_failures(key).await.unwrap();
    assert_eq!(s.failures_since(key, 0).await.unwrap(), 0);
    assert_eq!(s.failures_since("ip:198.51.100.1", 0).await.unwrap(), 1, "other keys are untouched");
    s.clear_failures("account:never@example.org").await.expect("clearing an unknown key is fine");
    s.record_failure(key, T + 5).await.unwrap();
    assert_eq!(s.failures_since(key, T).await.unwrap(), 1, "counting starts afresh");
}

async fn health<S: Store>(s: &S) {
    s.ping().await.expect("ping");
}

#[tokio::test]
async fn the_whole_suite_runs_on_one_database() {
    on_every_backend(|db, _| suite(db)).await;
}

#[tokio::test]
async fn accounts_are_created_read_changed_and_erased() {
    on_every_backend(|db, _| async move { accounts(&db).await }).await;
}

#[tokio::test]
async fn sessions_expire_carry_drafts_and_end() {
    on_every_backend(|db, _| async move { sessions(&db).await }).await;
}

#[tokio::test]
async fn assessments_are_owner_scoped_and_newest_first() {
    on_every_backend(|db, _| async move { assessments(&db).await }).await;
}

#[tokio::test]
async fn failed_logins_are_counted_in_windows_and_cleared() {
    on_every_backend(|db, _| async move { throttle(&db).await }).await;
}

#[tokio::test]
async fn the_database_answers_a_ping() {
    on_every_backend(|db, _| async move { health(&db).await }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_signups_with_one_email_admit_exactly_one() {
    on_every_backend(|db: Db, _| async move {
        let mut signups = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let db = db.clone();
            signups.spawn(async move { db.create_user(&new_user("race@example.org", Role::Patient)).await });
        }
        let (mut ok, mut conflict) = (0, 0);
        for outcome in signups.join_all().await {
            match outcome {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict(_)) => conflict += 1,
                Err(e) => panic!("a losing sign-up must be a Conflict, got {e:?}"),
            }
        }
        assert_eq!((ok, conflict), (1, 19));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_first_starts_migrate_exactly_once() {
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        let (a, b, c, d) = tokio::join!(
            Db::connect(&place.url),
            Db::connect(&place.url),
            Db::connect(&place.url),
            Db::connect(&place.url)
        );
        let mut versions = Vec::new();
        for db in [a, b, c, d] {
            let db = db.expect("every instance starts");
            versions.push(db.schema_version().await.unwrap());
            db.close().await;
        }
        assert!(versions.iter().all(|v| *v == versions[0] && *v >= 1), "{versions:?}");
        let mut raw = sqlx::AnyConnection::connect(&place.url).await.expect("raw connection");
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kneeroot_schema").fetch_one(&mut raw).await.unwrap();
        assert_eq!(rows, versions[0], "each migration recorded once");
        raw.close().await.unwrap();
    }
}

#[tokio::test]
async fn migrations_are_idempotent_on_reconnect() {
    on_every_backend(|db: Db, url: String| async move {
        let version = db.schema_version().await.unwrap();
        assert!(version >= 1, "migrations ran: version {version}");
        let user = db.create_user(&new_user("persist@example.org", Role::Admin)).await.unwrap();
        db.close().await;

        // Several instances starting at once on a migrated database all succeed and change nothing.
        let (a, b, c) = tokio::join!(Db::connect(&url), Db::connect(&url), Db::connect(&url));
        for again in [a, b, c] {
            let again = again.expect("reconnect");
            assert_eq!(again.schema_version().await.unwrap(), version);
            assert_eq!(again.user(&user.id).await.unwrap(), Some(user.clone()));
            again.close().await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_schema_newer_than_this_build_is_refused() {
    on_every_backend(|db: Db, url: String| async move {
        let known = db.schema_version().await.unwrap();
        db.close().await;
        let mut raw = sqlx::AnyConnection::connect(&url).await.expect("raw connection");
        sqlx::raw_sql(AssertSqlSafe(format!("INSERT INTO kneeroot_schema (version, applied_at) VALUES (9999, {T})")))
            .execute(&mut raw)
            .await
            .unwrap();
        raw.close().await.unwrap();

        match Db::connect(&url).await {
            Err(e @ StoreError::SchemaTooNew { .. }) => {
                assert!(matches!(e, StoreError::SchemaTooNew { found: 9999, known: k } if k == known), "{e:?}");
                assert!(e.to_string().contains("upgrade kneeroot"), "{e}");
            }
            other => panic!("a newer schema must be refused, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    let t = harness::backends().await.into_iter().next().expect("SQLite is always tested");
    assert_eq!(t.db.backend(), Backend::Sqlite);
    t.db.create_user(&new_user("wal@example.org", Role::Patient)).await.unwrap();
    let mut raw = sqlx::AnyConnection::connect(&t.url).await.expect("raw connection");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut raw).await.unwrap();
    assert_eq!(mode, "wal", "WAL is a property of the file, so a plain connection sees it");
    raw.close().await.unwrap();
}

#[tokio::test]
async fn unsupported_urls_are_refused_without_showing_passwords() {
    for url in ["mysql://root:hunter2@db.example/kr", "sqlite://:memory:", "http://example.org", "kneeroodb"] {
        match Db::connect(url).await {
            Err(StoreError::BadUrl(msg)) => assert!(!msg.contains("hunter2"), "{msg}"),
            other => panic!("{url} must be refused, got {other:?}"),
        }
    }
}
