//! The storage conformance suite: one behaviour on both backends, tested rather than hoped for.
//!
//! Each area (`accounts`, `sessions`, `assessments`, `throttle`, `checkins`, `mornings`, `outcomes`,
//! `plan_changes`, `availability`, `bookings`, `care_links`, and in `conformance/clinic.rs` `audit`,
//! `invitations` and `roles`; `health`) is a function generic over
//! [`Store`], so it tests the trait contract, not `Db`'s internals. Every `#[tokio::test]` runs its area on
//! SQLite and, when `KNEEROOT_TEST_POSTGRES` is set, on PostgreSQL, each on a fresh database (see
//! `conformance/harness.rs`); [`suite`] also runs all areas one after another on a single database, as a
//! long-lived server would, to show they do not disturb one another.
//!
//! Time conventions: the store never reads a clock, so the tests choose `now`. The session area works
//! near t = 1 000 and every other area near [`T`] (2023), so a purge in the session area can count exactly
//! its own expired sessions even on a database shared with the other areas.
//!
//! `conformance/serving.rs` runs the suite, and a read-after-write check of every cached read, on the store
//! as `kneeroot serve` opens it (on SQLite: with its lock file and read cache).
//!
//! Run: `cargo test -p kneeroot-store` (SQLite), and with
//! `KNEEROOT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test` for both.

#[path = "conformance/clinic.rs"]
mod clinic;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/serving.rs"]
mod serving;

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
    checkins(&db).await;
    mornings(&db).await;
    outcomes(&db).await;
    plan_changes(&db).await;
    availability(&db).await;
    bookings(&db).await;
    care_links(&db).await;
    bookings_go_with_the_account(&db).await;
    clinic::audit(&db).await;
    clinic::invitations(&db).await;
    clinic::roles(&db).await;
    health(&db).await;
}

/// The day of [`T`].
const D: Day = T / 86_400;

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
        camera: None,
    }
}

fn checkin(owner: &UserId, day: Day, exercise_id: &str) -> ExerciseCheckin {
    ExerciseCheckin {
        user_id: owner.clone(),
        day,
        exercise_id: exercise_id.into(),
        done: true,
        sets_done: Some(3),
        reps_done: Some(15),
        pain_during: Some(2),
        quality_ok: true,
        updated_at: T,
    }
}

fn morning(owner: &UserId, day: Day, flags: &[&str]) -> MorningReport {
    MorningReport {
        user_id: owner.clone(),
        day,
        pain: 3,
        usual: 2,
        stiffness: Stiffness::Same,
        flags: flags.iter().map(|f| (*f).to_owned()).collect(),
        updated_at: T,
    }
}

fn new_response(owner: &UserId, instrument: &str, week: i64, now: Timestamp) -> NewOutcomeResponse {
    NewOutcomeResponse {
        user_id: owner.clone(),
        instrument: instrument.into(),
        version: "2.0".into(),
        week,
        now,
        answers: r#"{"p1": 2, "note": "ünï 'x' \"y\""}"#.into(),
        scores: format!(r#"{{"pain": {}}}"#, 50 + week),
    }
}

fn rules_change(owner: &UserId, exercise_id: &str, now: Timestamp) -> NewPlanChange {
    NewPlanChange {
        user_id: owner.clone(),
        exercise_id: exercise_id.into(),
        replacement: None,
        sets: None,
        reps: None,
        hold_seconds: None,
        per_week: None,
        note: None,
        author_id: None,
        reason: "pain stayed at or below 2/10 for a week".into(),
        now,
    }
}

fn clinician_change(owner: &UserId, author: &UserId, exercise_id: &str, now: Timestamp) -> NewPlanChange {
    NewPlanChange {
        replacement: Some("wall_sit".into()),
        sets: Some(4),
        reps: Some(8),
        hold_seconds: Some(30),
        per_week: Some(3),
        note: Some("Keep the knee over the second toe; stop if it's sharp. ünï 🦵".into()),
        author_id: Some(author.clone()),
        reason: "clinician's review".into(),
        ..rules_change(owner, exercise_id, now)
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
        camera: None,
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

    // Reminders are off until turned on, and can be turned off again; unknown users are NotFound.
    assert!(!s.reminders(&alice.id).await.unwrap());
    s.set_reminders(&alice.id, true).await.unwrap();
    assert!(s.reminders(&alice.id).await.unwrap());
    s.set_reminders(&alice.id, false).await.unwrap();
    assert!(!s.reminders(&alice.id).await.unwrap());
    assert!(matches!(s.set_reminders(&UserId::random(), true).await, Err(StoreError::NotFound)));

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
    // Progress records of both, and a change the departing person authored in the other's log.
    for owner in [&gone, &kept] {
        s.upsert_checkin(&checkin(&owner.id, D, "squat")).await.unwrap();
        s.upsert_morning(&morning(&owner.id, D, &["fever"])).await.unwrap();
        s.save_response(&new_response(&owner.id, "koos12", 0, T)).await.unwrap();
        s.add_plan_change(&rules_change(&owner.id, "squat", T)).await.unwrap();
    }
    let authored = s.add_plan_change(&clinician_change(&kept.id, &gone.id, "lunge", T + 1)).await.unwrap();

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
    // Every progress table is erased with the account; the other person's records stay, and a change the
    // departed person authored stays in the other's log, credited to no one.
    assert!(s.checkins(&gone.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    assert!(s.mornings(&gone.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    assert!(s.responses(&gone.id).await.unwrap().is_empty());
    assert!(s.plan_changes(&gone.id).await.unwrap().is_empty());
    assert_eq!(s.checkins(&kept.id, Day::MIN, Day::MAX).await.unwrap().len(), 1);
    assert_eq!(s.mornings(&kept.id, Day::MIN, Day::MAX).await.unwrap().len(), 1);
    assert_eq!(s.responses(&kept.id).await.unwrap().len(), 1);
    let kept_changes = s.plan_changes(&kept.id).await.unwrap();
    assert_eq!(kept_changes.len(), 2);
    assert_eq!(kept_changes.last(), Some(&PlanChange { author_id: None, ..authored }));

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

    // The camera state: set, replace, clear, on its own or together with the draft; neither touches the
    // other's column, and a missing session is NotFound.
    let camera = r#"{"pending": {"front": {"reps": 3, "note": "ünï 'x' \"y\""}}, "confirmed": {}}"#;
    s.save_draft("anon", Some(r#"{"squat.done": true}"#)).await.unwrap();
    s.save_camera("anon", Some(camera)).await.unwrap();
    let read = s.session("anon", t0).await.unwrap().unwrap();
    assert_eq!((read.draft.as_deref(), read.camera.as_deref()), (Some(r#"{"squat.done": true}"#), Some(camera)));
    assert_eq!(s.session_with_user("anon", t0).await.unwrap().unwrap().0.camera.as_deref(), Some(camera));
    s.save_draft("anon", Some("{}")).await.unwrap();
    assert_eq!(s.session("anon", t0).await.unwrap().unwrap().camera.as_deref(), Some(camera), "kept by save_draft");
    s.save_draft_and_camera("anon", Some(r#"{"squat.depth": "half"}"#), Some(r#"{"confirmed": {}}"#)).await.unwrap();
    let read = s.session("anon", t0).await.unwrap().unwrap();
    assert_eq!(
        (read.draft.as_deref(), read.camera.as_deref()),
        (Some(r#"{"squat.depth": "half"}"#), Some(r#"{"confirmed": {}}"#))
    );
    s.save_camera("anon", None).await.unwrap();
    let read = s.session("anon", t0).await.unwrap().unwrap();
    assert_eq!((read.draft.as_deref(), read.camera), (Some(r#"{"squat.depth": "half"}"#), None));
    s.save_draft_and_camera("anon", None, None).await.unwrap();
    let read = s.session("anon", t0).await.unwrap().unwrap();
    assert_eq!((read.draft, read.camera), (None, None));
    assert!(matches!(s.save_camera("missing", Some("{}")).await, Err(StoreError::NotFound)));
    assert!(matches!(s.save_draft_and_camera("missing", None, None).await, Err(StoreError::NotFound)));
    let mut with_camera = session("camera-new", None, SessionKind::Browser, t0, 11_000);
    with_camera.camera = Some(camera.into());
    s.create_session(&with_camera).await.unwrap();
    assert_eq!(s.session("camera-new", t0).await.unwrap(), Some(with_camera), "created with its camera state");

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

    // The camera's part in the answers is kept with the assessment, exactly.
    let camera = r#"{"squat.knee_caves_in": {"value": "left", "view": "front", "confidence": 0.82, "metric": "knee_valgus_deg", "explanation": "it's 14° — ünï"}}"#;
    let filmed = s
        .save_assessment(&NewAssessment { camera: Some(camera.into()), ..new_assessment(&b.id, T, "filmed") })
        .await
        .unwrap();
    assert_eq!(filmed.camera.as_deref(), Some(camera));
    assert_eq!(s.assessment(&b.id, &filmed.id).await.unwrap(), Some(filmed.clone()));
    assert_eq!(s.assessments(&b.id).await.unwrap(), vec![filmed.clone()]);
    assert_eq!(oldest.camera, None);

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
    purging_old_failures(s).await;
}

/// The periodic purge. It works near t = 2 000, long before every other failure any area records (near
/// [`T`]), so on a database shared with them it can count exactly its own rows.
async fn purging_old_failures<S: Store>(s: &S) {
    let (old, recent) = ("account:purge@example.org", "ip:203.0.113.9");
    for at in [1_900, 1_999, 2_000] {
        s.record_failure(old, at).await.unwrap();
    }
    s.record_failure(recent, 2_000).await.unwrap();
    s.record_failure(recent, 2_500).await.unwrap();
    let others_before = s.failures_since("account:throttle@example.org", 0).await.unwrap();

    assert_eq!(s.purge_failures_before(1_900).await.unwrap(), 0, "strictly before: nothing is older than 1 900");
    assert_eq!(s.purge_failures_before(2_000).await.unwrap(), 2, "every key, and a failure at 2 000 stays");
    assert_eq!(s.failures_since(old, 0).await.unwrap(), 1);
    assert_eq!(s.failures_since(recent, 0).await.unwrap(), 2);
    // A window that starts at the purge point counts exactly what it counted before the purge.
    assert_eq!(s.failures_since(old, 2_000).await.unwrap(), 1);
    assert_eq!(s.purge_failures_before(2_001).await.unwrap(), 2);
    assert_eq!(s.failures_since(recent, 0).await.unwrap(), 1, "the failure at 2 500 is kept");
    assert_eq!(s.purge_failures_before(2_001).await.unwrap(), 0, "purging again removes nothing");
    assert_eq!(
        s.failures_since("account:throttle@example.org", 0).await.unwrap(),
        others_before,
        "newer failures of other keys are untouched"
    );
}

async fn checkins<S: Store>(s: &S) {
    let a = s.create_user(&new_user("checkins-a@example.org", Role::Patient)).await.unwrap();
    let b = s.create_user(&new_user("checkins-b@example.org", Role::Patient)).await.unwrap();
    assert!(s.checkins(&a.id, Day::MIN, Day::MAX).await.unwrap().is_empty());

    // Written out of order, including ids whose byte order differs from a locale's ("Squat" < "side",
    // "step_up" < "stepdown"): the order must be the same on every backend and server locale.
    let mut written = Vec::new();
    for (day, exercise) in
        [(D + 1, "squat"), (D, "stepdown"), (D, "step_up"), (D, "Squat"), (D, "side_lying"), (D - 1, "x"), (D + 2, "y")]
    {
        let c = checkin(&a.id, day, exercise);
        s.upsert_checkin(&c).await.unwrap();
        written.push(c);
    }
    // Every field round-trips, including absent values, false flags and the ends of the pain scale.
    let sparse = ExerciseCheckin {
        done: false,
        sets_done: None,
        reps_done: None,
        pain_during: None,
        quality_ok: false,
        ..checkin(&a.id, D, "bridge")
    };
    let painful = ExerciseCheckin { pain_during: Some(10), quality_ok: false, ..checkin(&a.id, D, "lunge") };
    let painless = ExerciseCheckin { pain_during: Some(0), sets_done: Some(0), ..checkin(&a.id, D, "plank") };
    for c in [&sparse, &painful, &painless] {
        s.upsert_checkin(c).await.unwrap();
        written.push(c.clone());
    }
    let mut expected: Vec<_> = written.iter().filter(|c| (D..=D + 1).contains(&c.day)).cloned().collect();
    expected.sort_by(|x, y| (x.day, &x.exercise_id).cmp(&(y.day, &y.exercise_id)));
    let listed = s.checkins(&a.id, D, D + 1).await.unwrap();
    assert_eq!(listed, expected, "by day, then exercise id in byte order; both ends of the range included");
    assert_eq!(
        listed.iter().filter(|c| c.day == D).map(|c| c.exercise_id.as_str()).collect::<Vec<_>>(),
        ["Squat", "bridge", "lunge", "plank", "side_lying", "step_up", "stepdown"]
    );
    assert_eq!(s.checkins(&a.id, D, D + 1).await.unwrap(), listed, "stable across calls");
    assert_eq!(s.checkins(&a.id, Day::MIN, Day::MAX).await.unwrap().len(), written.len());
    assert_eq!(s.checkins(&a.id, D - 1, D - 1).await.unwrap(), vec![written[5].clone()], "one-day range");
    assert!(s.checkins(&a.id, D + 1, D).await.unwrap().is_empty(), "from > to is empty");
    assert!(s.checkins(&a.id, D + 3, D + 9).await.unwrap().is_empty());

    // A second report for the same day and exercise replaces the first, every field of it.
    let edited = ExerciseCheckin {
        done: false,
        sets_done: Some(1),
        reps_done: None,
        pain_during: Some(7),
        quality_ok: false,
        updated_at: T + 600,
        ..checkin(&a.id, D + 1, "squat")
    };
    s.upsert_checkin(&edited).await.unwrap();
    assert_eq!(s.checkins(&a.id, D + 1, D + 1).await.unwrap(), vec![edited.clone()]);
    assert_eq!(s.checkins(&a.id, Day::MIN, Day::MAX).await.unwrap().len(), written.len(), "replaced, not added");

    // Scoped by owner: B sees nothing of A's, B's own report under the same key is separate, and B
    // cannot delete A's.
    assert!(s.checkins(&b.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    let bs = ExerciseCheckin { pain_during: Some(9), ..checkin(&b.id, D + 1, "squat") };
    s.upsert_checkin(&bs).await.unwrap();
    assert_eq!(s.checkins(&b.id, Day::MIN, Day::MAX).await.unwrap(), vec![bs.clone()]);
    assert_eq!(s.checkins(&a.id, D + 1, D + 1).await.unwrap(), vec![edited.clone()]);
    s.delete_checkin(&b.id, D, "bridge").await.unwrap();
    assert!(s.checkins(&a.id, D, D).await.unwrap().contains(&sparse), "B's delete does not reach A's record");

    // Deleting is exact and idempotent.
    s.delete_checkin(&a.id, D, "bridge").await.unwrap();
    let left = s.checkins(&a.id, D, D).await.unwrap();
    assert!(!left.iter().any(|c| c.exercise_id == "bridge"));
    assert_eq!(left.len(), 6);
    s.delete_checkin(&a.id, D, "bridge").await.expect("deleting a missing check-in is fine");
    s.delete_checkin(&a.id, D + 40, "never").await.expect("deleting a missing check-in is fine");
    assert_eq!(s.checkins(&b.id, Day::MIN, Day::MAX).await.unwrap(), vec![bs]);

    // An unknown user is NotFound; a pain outside 0–10 is refused by the schema and writes nothing.
    let stray = checkin(&UserId::random(), D, "squat");
    assert!(matches!(s.upsert_checkin(&stray).await, Err(StoreError::NotFound)));
    let out_of_scale = ExerciseCheckin { pain_during: Some(11), ..checkin(&a.id, D + 5, "squat") };
    assert!(s.upsert_checkin(&out_of_scale).await.is_err(), "pain 11 must be refused");
    assert!(s.checkins(&a.id, D + 5, D + 5).await.unwrap().is_empty());
}

async fn mornings<S: Store>(s: &S) {
    let a = s.create_user(&new_user("mornings-a@example.org", Role::Patient)).await.unwrap();
    let b = s.create_user(&new_user("mornings-b@example.org", Role::Patient)).await.unwrap();
    assert!(s.mornings(&a.id, Day::MIN, Day::MAX).await.unwrap().is_empty());

    // Flags round-trip: none, one, several (in their order, with text JSON must escape); every stiffness.
    let none = MorningReport { stiffness: Stiffness::Less, pain: 0, usual: 0, ..morning(&a.id, D + 2, &[]) };
    let one = MorningReport { stiffness: Stiffness::More, pain: 10, usual: 10, ..morning(&a.id, D, &["fever"]) };
    let several = morning(&a.id, D + 1, &["locking", "calf_pain", "it's \"odd\", ünï 🦵", ""]);
    let outside = morning(&a.id, D + 3, &[]);
    for m in [&none, &several, &outside, &one] {
        s.upsert_morning(m).await.unwrap();
    }
    assert_eq!(
        s.mornings(&a.id, D, D + 2).await.unwrap(),
        vec![one.clone(), several.clone(), none.clone()],
        "by day, both ends of the range included, every field as written"
    );
    assert_eq!(s.mornings(&a.id, D + 3, D + 3).await.unwrap(), vec![outside.clone()]);
    assert!(s.mornings(&a.id, D + 2, D + 1).await.unwrap().is_empty(), "from > to is empty");

    // A second report for the same day replaces the first, flags included (also back to none).
    let edited = MorningReport {
        pain: 6,
        usual: 1,
        stiffness: Stiffness::Less,
        flags: Vec::new(),
        updated_at: T + 3600,
        ..several.clone()
    };
    s.upsert_morning(&edited).await.unwrap();
    assert_eq!(s.mornings(&a.id, D + 1, D + 1).await.unwrap(), vec![edited.clone()]);
    let flagged_again = MorningReport { flags: vec!["swelling".into()], ..edited.clone() };
    s.upsert_morning(&flagged_again).await.unwrap();
    assert_eq!(s.mornings(&a.id, D + 1, D + 1).await.unwrap(), vec![flagged_again.clone()]);
    assert_eq!(s.mornings(&a.id, Day::MIN, Day::MAX).await.unwrap().len(), 4, "replaced, not added");

    // Scoped by owner.
    assert!(s.mornings(&b.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    let bs = morning(&b.id, D + 1, &["fever"]);
    s.upsert_morning(&bs).await.unwrap();
    assert_eq!(s.mornings(&b.id, Day::MIN, Day::MAX).await.unwrap(), vec![bs]);
    assert_eq!(s.mornings(&a.id, D + 1, D + 1).await.unwrap(), vec![flagged_again]);

    // An unknown user is NotFound; values outside the scale are refused by the schema.
    assert!(matches!(s.upsert_morning(&morning(&UserId::random(), D, &[])).await, Err(StoreError::NotFound)));
    let out_of_scale = MorningReport { usual: -1, ..morning(&a.id, D + 9, &[]) };
    assert!(s.upsert_morning(&out_of_scale).await.is_err(), "usual -1 must be refused");
    assert!(s.mornings(&a.id, D + 9, D + 9).await.unwrap().is_empty());
}

async fn outcomes<S: Store>(s: &S) {
    let a = s.create_user(&new_user("outcomes-a@example.org", Role::Patient)).await.unwrap();
    let b = s.create_user(&new_user("outcomes-b@example.org", Role::Patient)).await.unwrap();
    assert!(s.responses(&a.id).await.unwrap().is_empty());

    let mut saved = Vec::new();
    for (instrument, week, now) in
        [("koos12", 6, T + 6 * 604_800), ("nprs", 0, T), ("koos12", 0, T), ("kujala", 0, T), ("psfs", 2, T + 1_209_600)]
    {
        let r = s.save_response(&new_response(&a.id, instrument, week, now)).await.unwrap();
        assert_eq!(AssessmentId::parse(r.id.as_str()).as_ref(), Some(&r.id), "ids have the public shape");
        assert_eq!(
            (r.user_id.clone(), r.instrument.as_str(), r.week, r.taken_at),
            (a.id.clone(), instrument, week, now)
        );
        saved.push(r);
    }
    // Oldest first; equal times by id, ascending; every field as written.
    let mut expected = saved.clone();
    expected.sort_by(|x, y| (x.taken_at, &x.id).cmp(&(y.taken_at, &y.id)));
    let listed = s.responses(&a.id).await.unwrap();
    assert_eq!(listed, expected);
    assert_eq!(s.responses(&a.id).await.unwrap(), listed, "stable across calls");
    assert_eq!(listed.last().map(|r| r.instrument.as_str()), Some("koos12"));

    // Scoped by owner; an unknown user is NotFound and stores nothing.
    assert!(s.responses(&b.id).await.unwrap().is_empty());
    let theirs = s.save_response(&new_response(&b.id, "nprs", 0, T)).await.unwrap();
    assert_eq!(s.responses(&b.id).await.unwrap(), vec![theirs]);
    assert_eq!(s.responses(&a.id).await.unwrap(), listed);
    let stray = new_response(&UserId::random(), "nprs", 0, T);
    assert!(matches!(s.save_response(&stray).await, Err(StoreError::NotFound)));
}

async fn plan_changes<S: Store>(s: &S) {
    let p = s.create_user(&new_user("plan-patient@example.org", Role::Patient)).await.unwrap();
    let q = s.create_user(&new_user("plan-other@example.org", Role::Patient)).await.unwrap();
    let c = s.create_user(&new_user("plan-clinician@example.org", Role::Clinician)).await.unwrap();
    assert!(s.plan_changes(&p.id).await.unwrap().is_empty());

    // The rules' changes have no author; a clinician's carry every field. All round-trip exactly.
    let first = s.add_plan_change(&rules_change(&p.id, "squat", T)).await.unwrap();
    assert_eq!(first.author_id, None);
    assert_eq!((first.user_id.clone(), first.created_at), (p.id.clone(), T));
    let by_clinician = s.add_plan_change(&clinician_change(&p.id, &c.id, "lunge", T + 10)).await.unwrap();
    assert_eq!(by_clinician.author_id.as_ref(), Some(&c.id));
    assert_eq!(by_clinician.replacement.as_deref(), Some("wall_sit"));
    let mut log = vec![first.clone(), by_clinician.clone()];
    assert_eq!(s.plan_changes(&p.id).await.unwrap(), log);

    // Appending adds at the end and leaves what was there unchanged; equal times are ordered by id.
    let mut tied = Vec::new();
    for exercise in ["bridge", "plank", "step_up"] {
        tied.push(s.add_plan_change(&rules_change(&p.id, exercise, T + 20)).await.unwrap());
    }
    tied.sort_by(|x, y| x.id.cmp(&y.id));
    log.extend(tied);
    let listed = s.plan_changes(&p.id).await.unwrap();
    assert_eq!(listed, log, "oldest first, ties by id");
    assert_eq!(listed[..2], [first.clone(), by_clinician.clone()], "earlier entries untouched");
    // One appended with an earlier time (a clock behind another instance's) sorts by its time.
    let late = s.add_plan_change(&rules_change(&p.id, "calf_raise", T + 5)).await.unwrap();
    log.insert(1, late);
    assert_eq!(s.plan_changes(&p.id).await.unwrap(), log);

    // Scoped by owner.
    assert!(s.plan_changes(&q.id).await.unwrap().is_empty());
    assert!(s.plan_changes(&c.id).await.unwrap().is_empty(), "the author's own log is not the patient's");
    let theirs = s.add_plan_change(&clinician_change(&q.id, &c.id, "squat", T)).await.unwrap();
    assert_eq!(s.plan_changes(&q.id).await.unwrap(), vec![theirs.clone()]);

    // An unknown owner or author is NotFound and appends nothing.
    let stray = rules_change(&UserId::random(), "squat", T);
    assert!(matches!(s.add_plan_change(&stray).await, Err(StoreError::NotFound)));
    let ghost_author = clinician_change(&p.id, &UserId::random(), "squat", T + 30);
    assert!(matches!(s.add_plan_change(&ghost_author).await, Err(StoreError::NotFound)));
    assert_eq!(s.plan_changes(&p.id).await.unwrap(), log);

    // When the author's account is deleted their changes stay in every patient's log, author cleared,
    // everything else as it was.
    s.delete_user(&c.id).await.unwrap();
    let unauthored: Vec<_> = log.iter().map(|ch| PlanChange { author_id: None, ..ch.clone() }).collect();
    assert_eq!(s.plan_changes(&p.id).await.unwrap(), unauthored);
    assert_eq!(s.plan_changes(&q.id).await.unwrap(), vec![PlanChange { author_id: None, ..theirs }]);
}

/// Weekly hours as the core would write them (the store keeps them as opaque text).
fn hours(clinician: &UserId, slot_minutes: u32, now: Timestamp) -> Availability {
    Availability {
        clinician_id: clinician.clone(),
        settings: format!(
            r#"{{"time_zone": "Europe/London", "windows": [{{"weekday": "Mon", "start": "09:00", "end": "12:00"}}], "slot_minutes": {slot_minutes}, "exceptions": [{{"date": "2023-12-25", "note": "Christmas 'closed' \"all day\" ünï"}}]}}"#
        ),
        notice_minutes: 120,
        cancel_notice_minutes: 1440,
        updated_at: now,
    }
}

/// The start of the `n`th half-hour slot of the booking areas' calendar, a week after [`T`].
fn slot(n: i64) -> Timestamp {
    T + 7 * 86_400 + n * 1_800
}

fn new_booking(clinician: &UserId, patient: &UserId, start: Timestamp, now: Timestamp) -> NewBooking {
    NewBooking {
        clinician_id: clinician.clone(),
        patient_id: patient.clone(),
        start,
        end: start + 1_800,
        reason: "Knee pain on stairs; it's \"sharp\" ünï 🦵 ', DROP TABLE bookings; --".into(),
        assessment_id: None,
        now,
    }
}

/// The message of a lost race for a slot.
const SLOT_TAKEN: &str = "this time has just been booked by someone else; please choose another";
/// The message for cancelling or moving a booking that no longer stands.
const ALREADY_CANCELLED: &str = "this booking is already cancelled";

fn assert_conflict<T: std::fmt::Debug>(outcome: StoreResult<T>, message: &str, what: &str) {
    match outcome {
        Err(StoreError::Conflict(m)) => assert_eq!(m, message, "{what}"),
        other => panic!("{what}: expected Conflict({message:?}), got {other:?}"),
    }
}

fn assert_not_found<T: std::fmt::Debug>(outcome: StoreResult<T>, what: &str) {
    assert!(matches!(outcome, Err(StoreError::NotFound)), "{what}: expected NotFound, got {outcome:?}");
}

async fn availability<S: Store>(s: &S) {
    let c = s.create_user(&new_user("hours-c@example.org", Role::Clinician)).await.unwrap();
    let d = s.create_user(&new_user("hours-d@example.org", Role::Clinician)).await.unwrap();
    let before = s.clinicians_with_availability().await.unwrap();
    assert_eq!(s.availability(&c.id).await.unwrap(), None);
    assert!(!before.contains(&c.id));

    // Written and read back exactly, settings text included.
    let first = hours(&c.id, 30, T);
    s.set_availability(&first).await.unwrap();
    assert_eq!(s.availability(&c.id).await.unwrap(), Some(first.clone()));
    assert_eq!(s.availability(&d.id).await.unwrap(), None, "per clinician");

    // A second write replaces every field.
    let edited = Availability {
        settings: hours(&c.id, 45, T).settings,
        notice_minutes: 0,
        cancel_notice_minutes: 0,
        updated_at: T + 60,
        ..first.clone()
    };
    s.set_availability(&edited).await.unwrap();
    assert_eq!(s.availability(&c.id).await.unwrap(), Some(edited.clone()));

    // Listed once each, ordered by id.
    s.set_availability(&hours(&d.id, 20, T)).await.unwrap();
    let mut expected = before.clone();
    expected.extend([c.id.clone(), d.id.clone()]);
    expected.sort();
    assert_eq!(s.clinicians_with_availability().await.unwrap(), expected);

    // An unknown user is NotFound and stores nothing; a negative notice is refused by the schema.
    assert_not_found(s.set_availability(&hours(&UserId::random(), 30, T)).await, "unknown clinician");
    assert_eq!(s.clinicians_with_availability().await.unwrap(), expected);
    let negative = Availability { notice_minutes: -1, ..edited.clone() };
    assert!(s.set_availability(&negative).await.is_err(), "a negative notice must be refused");
    assert_eq!(s.availability(&c.id).await.unwrap(), Some(edited));
    assert_eq!(s.availability(&UserId::random()).await.unwrap(), None);
}

async fn bookings<S: Store>(s: &S) {
    let c = s.create_user(&new_user("book-c@example.org", Role::Clinician)).await.unwrap();
    let c2 = s.create_user(&new_user("book-c2@example.org", Role::Clinician)).await.unwrap();
    let p = s.create_user(&new_user("book-p@example.org", Role::Patient)).await.unwrap();
    let q = s.create_user(&new_user("book-q@example.org", Role::Patient)).await.unwrap();
    let outsider = s.create_user(&new_user("book-o@example.org", Role::Patient)).await.unwrap();
    let assessed = s.save_assessment(&new_assessment(&p.id, T, "patellofemoral_pain")).await.unwrap();
    let qs = s.save_assessment(&new_assessment(&q.id, T, "knee_oa")).await.unwrap();
    assert!(s.bookings_of_patient(&p.id).await.unwrap().is_empty());
    assert!(s.bookings_of_clinician(&c.id, i64::MIN, i64::MAX).await.unwrap().is_empty());
    assert!(s.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap().is_empty());

    // A booking round-trips exactly and is visible to its patient and its clinician only.
    let new = NewBooking { assessment_id: Some(assessed.id.clone()), ..new_booking(&c.id, &p.id, slot(2), T) };
    let first = s.book(&new).await.expect("book");
    assert_eq!(AssessmentId::parse(first.id.as_str()).as_ref(), Some(&first.id), "ids have the public shape");
    assert_eq!(
        first,
        Booking {
            id: first.id.clone(),
            clinician_id: c.id.clone(),
            patient_id: p.id.clone(),
            start: slot(2),
            end: slot(2) + 1_800,
            reason: new.reason.clone(),
            assessment_id: Some(assessed.id.clone()),
            status: BookingStatus::Booked,
            created_at: T,
            cancelled_at: None,
        }
    );
    assert_eq!(s.booking(&p.id, &first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(s.booking(&c.id, &first.id).await.unwrap(), Some(first.clone()));
    for stranger in [&q.id, &c2.id, &outsider.id] {
        assert_eq!(s.booking(stranger, &first.id).await.unwrap(), None, "invisible to others");
    }
    assert_eq!(s.booking(&p.id, &AssessmentId::random()).await.unwrap(), None);

    // Booking links the clinician to the patient, one way.
    assert!(s.is_linked(&c.id, &p.id).await.unwrap());
    assert!(!s.is_linked(&p.id, &c.id).await.unwrap(), "a link has a direction");
    assert!(!s.is_linked(&c2.id, &p.id).await.unwrap());
    assert_eq!(s.patients_of(&c.id).await.unwrap(), vec![p.id.clone()]);

    // The same start with the same clinician is taken, whoever asks; nothing is written for the loser,
    // not even a link. Another clinician at that time, or another time, is fine.
    assert_conflict(s.book(&new_booking(&c.id, &q.id, slot(2), T + 1)).await, SLOT_TAKEN, "same slot, q");
    assert_conflict(s.book(&new_booking(&c.id, &p.id, slot(2), T + 1)).await, SLOT_TAKEN, "same slot, p again");
    let longer = NewBooking { end: slot(2) + 3_600, ..new_booking(&c.id, &q.id, slot(2), T + 1) };
    assert_conflict(s.book(&longer).await, SLOT_TAKEN, "same start, other end");
    assert!(s.bookings_of_patient(&q.id).await.unwrap().is_empty());
    assert!(!s.is_linked(&c.id, &q.id).await.unwrap(), "a lost race links nobody");
    let with_c2 = s.book(&new_booking(&c2.id, &q.id, slot(2), T + 2)).await.expect("same time, other clinician");
    let later = s.book(&new_booking(&c.id, &q.id, slot(5), T + 3)).await.expect("same clinician, other time");
    let earlier = s.book(&new_booking(&c.id, &p.id, slot(0), T + 4)).await.expect("an earlier slot");

    // Unknown people and another person's (or no) assessment are NotFound and write nothing.
    assert_not_found(s.book(&new_booking(&UserId::random(), &p.id, slot(9), T)).await, "unknown clinician");
    assert_not_found(s.book(&new_booking(&c.id, &UserId::random(), slot(9), T)).await, "unknown patient");
    let theirs = NewBooking { assessment_id: Some(qs.id.clone()), ..new_booking(&c2.id, &p.id, slot(9), T) };
    assert_not_found(s.book(&theirs).await, "someone else's assessment");
    let ghost = NewBooking { assessment_id: Some(AssessmentId::random()), ..new_booking(&c2.id, &p.id, slot(9), T) };
    assert_not_found(s.book(&ghost).await, "a missing assessment");
    let backwards = NewBooking { end: slot(9), ..new_booking(&c2.id, &p.id, slot(9), T) };
    assert!(s.book(&backwards).await.is_err(), "an end not after the start must be refused");
    assert!(s.booked_starts(&c2.id, slot(9), slot(10)).await.unwrap().is_empty());
    assert!(!s.is_linked(&c2.id, &p.id).await.unwrap());

    // Lists: a patient's by start, across clinicians; a clinician's by start in a half-open range.
    assert_eq!(s.bookings_of_patient(&p.id).await.unwrap(), vec![earlier.clone(), first.clone()]);
    assert_eq!(s.bookings_of_patient(&q.id).await.unwrap(), vec![with_c2.clone(), later.clone()]);
    assert!(s.bookings_of_patient(&outsider.id).await.unwrap().is_empty());
    let all = vec![earlier.clone(), first.clone(), later.clone()];
    assert_eq!(s.bookings_of_clinician(&c.id, i64::MIN, i64::MAX).await.unwrap(), all);
    assert_eq!(s.bookings_of_clinician(&c.id, slot(0), slot(5)).await.unwrap(), all[..2], "`to` excluded");
    assert_eq!(s.bookings_of_clinician(&c.id, slot(2), slot(6)).await.unwrap(), all[1..], "`from` included");
    assert!(s.bookings_of_clinician(&c.id, slot(5), slot(5)).await.unwrap().is_empty(), "an empty range");
    assert!(s.bookings_of_clinician(&c.id, slot(6), slot(0)).await.unwrap().is_empty(), "from > to");
    assert_eq!(s.bookings_of_clinician(&c2.id, i64::MIN, i64::MAX).await.unwrap(), vec![with_c2.clone()]);
    assert_eq!(s.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap(), vec![slot(0), slot(2), slot(5)]);
    assert_eq!(s.booked_starts(&c.id, slot(1), slot(5)).await.unwrap(), vec![slot(2)]);
    assert!(s.booked_starts(&outsider.id, i64::MIN, i64::MAX).await.unwrap().is_empty());

    cancelling(s, &c, &p, &q, &outsider, &first, &later).await;
    moving(s, &c, &c2, &p, &q, &earlier).await;
}

/// Cancelling `first` (p's with c at slot 2) and `later` (q's with c at slot 5), and booking again.
async fn cancelling<S: Store>(s: &S, c: &User, p: &User, q: &User, outsider: &User, first: &Booking, later: &Booking) {
    // Strangers cannot cancel, and learn nothing: the same NotFound as a missing id.
    assert_not_found(s.cancel_booking(&outsider.id, &first.id, T + 10).await, "a stranger");
    assert_not_found(s.cancel_booking(&q.id, &first.id, T + 10).await, "another patient of the clinician");
    assert_not_found(s.cancel_booking(&p.id, &AssessmentId::random(), T + 10).await, "a missing booking");
    assert_eq!(s.booking(&p.id, &first.id).await.unwrap(), Some(first.clone()), "untouched");

    // The patient cancels: it is returned and stored cancelled, at `now`, everything else as it was.
    let cancelled = s.cancel_booking(&p.id, &first.id, T + 20).await.expect("the patient cancels");
    let expected = Booking { status: BookingStatus::Cancelled, cancelled_at: Some(T + 20), ..first.clone() };
    assert_eq!(cancelled, expected);
    assert_eq!(s.booking(&c.id, &first.id).await.unwrap(), Some(expected.clone()), "the clinician sees it");
    assert_conflict(s.cancel_booking(&p.id, &first.id, T + 30).await, ALREADY_CANCELLED, "twice");
    assert_conflict(s.cancel_booking(&c.id, &first.id, T + 30).await, ALREADY_CANCELLED, "by the clinician");
    assert_not_found(s.cancel_booking(&outsider.id, &first.id, T + 30).await, "a stranger, after");
    assert_eq!(s.booking(&p.id, &first.id).await.unwrap(), Some(expected.clone()), "cancelled_at kept");

    // The clinician may cancel too.
    let by_clinician = s.cancel_booking(&c.id, &later.id, T + 25).await.expect("the clinician cancels");
    assert_eq!((by_clinician.status, by_clinician.cancelled_at), (BookingStatus::Cancelled, Some(T + 25)));
    assert_eq!(s.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap(), vec![slot(0)]);

    // A cancelled slot can be booked again; the clinician's calendar shows both, the old one first.
    let again = s.book(&new_booking(&c.id, &q.id, slot(2), T + 40)).await.expect("a cancelled slot is free");
    assert_eq!(s.booked_starts(&c.id, slot(2), slot(3)).await.unwrap(), vec![slot(2)]);
    assert_eq!(s.bookings_of_clinician(&c.id, slot(2), slot(3)).await.unwrap(), vec![expected, again.clone()]);
    assert_conflict(s.book(&new_booking(&c.id, &p.id, slot(2), T + 41)).await, SLOT_TAKEN, "taken again");
    // Cancelling and rebooking twice over leaves exactly one live booking.
    s.cancel_booking(&q.id, &again.id, T + 50).await.unwrap();
    let third = s.book(&new_booking(&c.id, &p.id, slot(2), T + 60)).await.expect("free once more");
    assert_eq!(s.bookings_of_clinician(&c.id, slot(2), slot(3)).await.unwrap().len(), 3);
    assert_eq!(s.booked_starts(&c.id, slot(2), slot(3)).await.unwrap(), vec![slot(2)]);
    s.cancel_booking(&c.id, &third.id, T + 70).await.unwrap();
    assert!(s.booked_starts(&c.id, slot(2), slot(3)).await.unwrap().is_empty());
}

/// Moving `earlier` (p's with c at slot 0).
async fn moving<S: Store>(s: &S, c: &User, c2: &User, p: &User, q: &User, earlier: &Booking) {
    let blocker = s.book(&new_booking(&c.id, &q.id, slot(7), T + 100)).await.unwrap();
    let before_p = s.bookings_of_patient(&p.id).await.unwrap();
    let before_c = s.bookings_of_clinician(&c.id, i64::MIN, i64::MAX).await.unwrap();

    // Onto a taken slot: Conflict, and nothing changes (the original still stands, the blocker too).
    assert_conflict(s.move_booking(&p.id, &earlier.id, slot(7), slot(8), T + 110).await, SLOT_TAKEN, "taken");
    assert_eq!(s.booking(&p.id, &earlier.id).await.unwrap(), Some(earlier.clone()), "the original is intact");
    assert_eq!(s.bookings_of_patient(&p.id).await.unwrap(), before_p);
    assert_eq!(s.bookings_of_clinician(&c.id, i64::MIN, i64::MAX).await.unwrap(), before_c);
    assert_eq!(s.booking(&q.id, &blocker.id).await.unwrap(), Some(blocker.clone()));

    // Only the patient may move it; strangers and missing ids are NotFound, and nothing changes.
    assert_not_found(s.move_booking(&c.id, &earlier.id, slot(8), slot(9), T + 110).await, "the clinician");
    assert_not_found(s.move_booking(&q.id, &earlier.id, slot(8), slot(9), T + 110).await, "another patient");
    assert_not_found(s.move_booking(&p.id, &AssessmentId::random(), slot(8), slot(9), T + 110).await, "missing");
    assert_eq!(s.bookings_of_patient(&p.id).await.unwrap(), before_p);

    // Onto a free slot: the old booking is cancelled, a new one (same clinician, reason, assessment)
    // stands, in one step.
    let moved = s.move_booking(&p.id, &earlier.id, slot(8), slot(9), T + 120).await.expect("move");
    assert_ne!(moved.id, earlier.id);
    assert_eq!(
        moved,
        Booking {
            id: moved.id.clone(),
            start: slot(8),
            end: slot(9),
            status: BookingStatus::Booked,
            created_at: T + 120,
            cancelled_at: None,
            ..earlier.clone()
        }
    );
    let old = s.booking(&p.id, &earlier.id).await.unwrap().expect("the old booking is kept, cancelled");
    assert_eq!(old, Booking { status: BookingStatus::Cancelled, cancelled_at: Some(T + 120), ..earlier.clone() });
    assert_eq!(s.booking(&c.id, &moved.id).await.unwrap(), Some(moved.clone()));
    assert_eq!(s.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap(), vec![slot(7), slot(8)]);
    assert_eq!(s.bookings_of_patient(&p.id).await.unwrap().len(), before_p.len() + 1);

    // A moved (so cancelled) booking cannot be moved or cancelled again; its old slot is free.
    assert_conflict(s.move_booking(&p.id, &earlier.id, slot(10), slot(11), T + 130).await, ALREADY_CANCELLED, "moved");
    assert_conflict(s.cancel_booking(&p.id, &earlier.id, T + 130).await, ALREADY_CANCELLED, "cancel moved");
    s.book(&new_booking(&c.id, &q.id, slot(0), T + 140)).await.expect("the old slot is free again");

    // Moving within its own slot (a new end, the same start) is not a conflict with itself; the
    // assessment comes along.
    let stretched = s.move_booking(&p.id, &moved.id, slot(8), slot(10), T + 150).await.expect("same start");
    assert_eq!((stretched.start, stretched.end), (slot(8), slot(10)));
    assert_eq!(stretched.assessment_id, earlier.assessment_id);
    assert_eq!(s.booked_starts(&c.id, slot(8), slot(9)).await.unwrap(), vec![slot(8)]);

    // An end not after the new start is refused, and the booking still stands.
    assert!(s.move_booking(&p.id, &stretched.id, slot(12), slot(12), T + 160).await.is_err());
    assert_eq!(s.booking(&p.id, &stretched.id).await.unwrap(), Some(stretched));
    // The other clinician's calendar was never involved.
    assert_eq!(s.booked_starts(&c2.id, i64::MIN, i64::MAX).await.unwrap(), vec![slot(2)]);
}

async fn care_links<S: Store>(s: &S) {
    let c = s.create_user(&new_user("links-c@example.org", Role::Clinician)).await.unwrap();
    let other = s.create_user(&new_user("links-c2@example.org", Role::Clinician)).await.unwrap();
    let mut patients = Vec::new();
    for address in ["links-p1@example.org", "links-p2@example.org", "links-p3@example.org"] {
        patients.push(s.create_user(&new_user(address, Role::Patient)).await.unwrap().id);
    }
    assert!(s.patients_of(&c.id).await.unwrap().is_empty());
    assert!(!s.is_linked(&c.id, &patients[0]).await.unwrap());

    // Linking is idempotent; patients are listed once each, by id.
    for p in patients.iter().rev() {
        s.link(&c.id, p, T).await.unwrap();
    }
    s.link(&c.id, &patients[0], T + 1).await.expect("linking twice is fine");
    let mut expected = patients.clone();
    expected.sort();
    assert_eq!(s.patients_of(&c.id).await.unwrap(), expected);
    for p in &patients {
        assert!(s.is_linked(&c.id, p).await.unwrap());
        assert!(!s.is_linked(&other.id, p).await.unwrap(), "per clinician");
    }
    assert!(s.patients_of(&other.id).await.unwrap().is_empty());

    // A booking links, and keeps an existing link as it is.
    s.book(&new_booking(&other.id, &patients[1], slot(40), T)).await.unwrap();
    s.book(&new_booking(&c.id, &patients[1], slot(40), T)).await.unwrap();
    assert_eq!(s.patients_of(&other.id).await.unwrap(), vec![patients[1].clone()]);
    assert_eq!(s.patients_of(&c.id).await.unwrap(), expected);

    // Unknown users on either side are NotFound and link nothing.
    assert_not_found(s.link(&UserId::random(), &patients[0], T).await, "unknown clinician");
    assert_not_found(s.link(&c.id, &UserId::random(), T).await, "unknown patient");
    assert_eq!(s.patients_of(&c.id).await.unwrap(), expected);
    assert!(!s.is_linked(&UserId::random(), &patients[0]).await.unwrap());
}

/// Deleting a patient or a clinician erases their bookings, hours and links, and nobody else's.
async fn bookings_go_with_the_account<S: Store>(s: &S) {
    let c = s.create_user(&new_user("erase-c@example.org", Role::Clinician)).await.unwrap();
    let gone_c = s.create_user(&new_user("erase-gone-c@example.org", Role::Clinician)).await.unwrap();
    let gone_p = s.create_user(&new_user("erase-gone-p@example.org", Role::Patient)).await.unwrap();
    let kept = s.create_user(&new_user("erase-kept@example.org", Role::Patient)).await.unwrap();
    s.set_availability(&hours(&c.id, 30, T)).await.unwrap();
    s.set_availability(&hours(&gone_c.id, 30, T)).await.unwrap();
    let assessed = s.save_assessment(&new_assessment(&gone_p.id, T, "knee_oa")).await.unwrap();
    let gone_ps =
        NewBooking { assessment_id: Some(assessed.id.clone()), ..new_booking(&c.id, &gone_p.id, slot(60), T) };
    let gone_ps = s.book(&gone_ps).await.unwrap();
    let cancelled = s.book(&new_booking(&c.id, &gone_p.id, slot(61), T)).await.unwrap();
    s.cancel_booking(&gone_p.id, &cancelled.id, T + 1).await.unwrap();
    let kepts = s.book(&new_booking(&c.id, &kept.id, slot(62), T)).await.unwrap();
    let with_gone_c = s.book(&new_booking(&gone_c.id, &kept.id, slot(60), T)).await.unwrap();

    // The patient goes: their bookings (live and cancelled) and links go; the clinician keeps the rest.
    s.delete_user(&gone_p.id).await.unwrap();
    assert!(s.bookings_of_patient(&gone_p.id).await.unwrap().is_empty());
    assert_eq!(s.booking(&c.id, &gone_ps.id).await.unwrap(), None);
    assert_eq!(s.bookings_of_clinician(&c.id, i64::MIN, i64::MAX).await.unwrap(), vec![kepts.clone()]);
    assert_eq!(s.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap(), vec![slot(62)]);
    assert!(!s.is_linked(&c.id, &gone_p.id).await.unwrap());
    assert_eq!(s.patients_of(&c.id).await.unwrap(), vec![kept.id.clone()]);
    assert!(s.availability(&c.id).await.unwrap().is_some());

    // The clinician goes: their hours, calendar and links go; the patient keeps their other bookings.
    s.link(&gone_c.id, &kept.id, T).await.unwrap();
    s.delete_user(&gone_c.id).await.unwrap();
    assert_eq!(s.availability(&gone_c.id).await.unwrap(), None);
    assert!(!s.clinicians_with_availability().await.unwrap().contains(&gone_c.id));
    assert!(s.clinicians_with_availability().await.unwrap().contains(&c.id));
    assert_eq!(s.booking(&kept.id, &with_gone_c.id).await.unwrap(), None);
    assert!(s.patients_of(&gone_c.id).await.unwrap().is_empty());
    assert_eq!(s.bookings_of_patient(&kept.id).await.unwrap(), vec![kepts]);
    assert!(s.is_linked(&c.id, &kept.id).await.unwrap());
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
async fn checkins_are_upserted_listed_by_day_range_and_deleted() {
    on_every_backend(|db, _| async move { checkins(&db).await }).await;
}

#[tokio::test]
async fn morning_reports_are_upserted_with_their_flags() {
    on_every_backend(|db, _| async move { mornings(&db).await }).await;
}

#[tokio::test]
async fn outcome_responses_are_owner_scoped_and_oldest_first() {
    on_every_backend(|db, _| async move { outcomes(&db).await }).await;
}

#[tokio::test]
async fn plan_changes_append_in_order_and_outlive_their_author() {
    on_every_backend(|db, _| async move { plan_changes(&db).await }).await;
}

#[tokio::test]
async fn the_database_answers_a_ping() {
    on_every_backend(|db, _| async move { health(&db).await }).await;
}

#[tokio::test]
async fn availability_is_upserted_per_clinician_and_listed_by_id() {
    on_every_backend(|db, _| async move { availability(&db).await }).await;
}

#[tokio::test]
async fn bookings_are_visible_to_their_parties_cancelled_and_moved() {
    on_every_backend(|db, _| async move { bookings(&db).await }).await;
}

#[tokio::test]
async fn care_links_are_idempotent_and_made_by_booking() {
    on_every_backend(|db, _| async move { care_links(&db).await }).await;
}

#[tokio::test]
async fn bookings_hours_and_links_go_with_the_account() {
    on_every_backend(|db, _| async move { bookings_go_with_the_account(&db).await }).await;
}

/// How many requests race for one slot.
const RACERS: usize = 50;

/// Count the outcomes of a race for one slot: successes, and losers (each of which must be the
/// "just booked by someone else" conflict).
fn tally(outcomes: Vec<StoreResult<Booking>>) -> (Vec<Booking>, usize) {
    let (mut won, mut lost) = (Vec::new(), 0);
    for outcome in outcomes {
        match outcome {
            Ok(b) => won.push(b),
            Err(StoreError::Conflict(m)) if m == SLOT_TAKEN => lost += 1,
            Err(e) => panic!("a losing request must be the slot-taken Conflict, got {e:?}"),
        }
    }
    (won, lost)
}

/// A clinician and `n` patients, on `db`.
async fn clinician_and_patients(db: &Db, tag: &str, n: usize) -> (User, Vec<User>) {
    let c = db.create_user(&new_user(&format!("{tag}-c@example.org"), Role::Clinician)).await.unwrap();
    let mut patients = Vec::new();
    for i in 0..n {
        patients.push(db.create_user(&new_user(&format!("{tag}-p{i}@example.org"), Role::Patient)).await.unwrap());
    }
    (c, patients)
}

/// After a race for `start`: exactly one live booking there, the winner's, and only the winner linked.
async fn exactly_one_booking(db: &Db, c: &User, start: Timestamp, won: &Booking) {
    assert_eq!(db.booked_starts(&c.id, start, start + 1).await.unwrap(), vec![start]);
    assert_eq!(db.bookings_of_clinician(&c.id, start, start + 1).await.unwrap(), vec![won.clone()]);
    assert_eq!(db.patients_of(&c.id).await.unwrap(), vec![won.patient_id.clone()], "only the winner is linked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_simultaneous_bookings_of_one_slot_admit_exactly_one() {
    on_every_backend(|db: Db, _| async move {
        let (c, patients) = clinician_and_patients(&db, "race", RACERS).await;
        let start = slot(20);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
        let mut racers = tokio::task::JoinSet::new();
        for p in &patients {
            let (db, barrier, new) = (db.clone(), barrier.clone(), new_booking(&c.id, &p.id, start, T));
            racers.spawn(async move {
                barrier.wait().await;
                db.book(&new).await
            });
        }
        let (won, lost) = tally(racers.join_all().await);
        eprintln!("{:?}: {} booked, {lost} conflicts", db.backend(), won.len());
        assert_eq!((won.len(), lost), (1, RACERS - 1));
        exactly_one_booking(&db, &c, start, &won[0]).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn two_instances_on_one_database_book_a_slot_once() {
    on_every_backend(|a: Db, url: String| async move {
        // A second instance: its own pool on the same database, as behind a load balancer.
        let b = Db::connect(&url).await.expect("a second instance");
        let (c, patients) = clinician_and_patients(&a, "instances", RACERS).await;
        let start = slot(30);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
        let mut racers = tokio::task::JoinSet::new();
        for (i, p) in patients.iter().enumerate() {
            let db = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (barrier, new) = (barrier.clone(), new_booking(&c.id, &p.id, start, T));
            racers.spawn(async move {
                barrier.wait().await;
                db.book(&new).await
            });
        }
        let (won, lost) = tally(racers.join_all().await);
        eprintln!("{:?}, two instances: {} booked, {lost} conflicts", a.backend(), won.len());
        assert_eq!((won.len(), lost), (1, RACERS - 1));
        exactly_one_booking(&a, &c, start, &won[0]).await;
        exactly_one_booking(&b, &c, start, &won[0]).await;
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn simultaneous_moves_onto_one_slot_admit_exactly_one() {
    on_every_backend(|a: Db, url: String| async move {
        let b = Db::connect(&url).await.expect("a second instance");
        let n = 10;
        let (c, patients) = clinician_and_patients(&a, "moves", n).await;
        let mut originals = Vec::new();
        for (i, p) in patients.iter().enumerate() {
            let at = slot(50 + i64::try_from(i).unwrap());
            originals.push(a.book(&new_booking(&c.id, &p.id, at, T)).await.unwrap());
        }
        let target = slot(49);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let mut racers = tokio::task::JoinSet::new();
        for (i, original) in originals.iter().enumerate() {
            let db = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (barrier, patient, id) = (barrier.clone(), original.patient_id.clone(), original.id.clone());
            racers.spawn(async move {
                barrier.wait().await;
                db.move_booking(&patient, &id, target, target + 1_800, T + 1).await
            });
        }
        let (won, lost) = tally(racers.join_all().await);
        eprintln!("{:?}, moves: {} moved, {lost} conflicts", a.backend(), won.len());
        assert_eq!((won.len(), lost), (1, n - 1));
        // The winner's original is cancelled; every loser's original stands exactly as it was.
        for original in &originals {
            let now = a.booking(&original.patient_id, &original.id).await.unwrap().unwrap();
            if original.patient_id == won[0].patient_id {
                assert_eq!(now.status, BookingStatus::Cancelled);
            } else {
                assert_eq!(&now, original, "a lost move leaves the booking intact");
            }
        }
        assert_eq!(a.booked_starts(&c.id, target, target + 1).await.unwrap(), vec![target]);
        assert_eq!(a.booked_starts(&c.id, i64::MIN, i64::MAX).await.unwrap().len(), n);
        b.close().await;
    })
    .await;
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

/// Version 1 of the schema, as an older kneeroot created it.
fn version_1_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0001_init.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0001_init.sql"),
    }
}

/// A plain connection to a place, creating the SQLite file if it is not there yet.
async fn raw_connection(place: &harness::Place) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    let url = match place.backend {
        Backend::Sqlite => format!("{}?mode=rwc", place.url),
        Backend::Postgres => place.url.clone(),
    };
    let mut raw = sqlx::AnyConnection::connect(&url).await.expect("raw connection");
    if place.backend == Backend::Sqlite {
        // What `Db` does on every connection; cascades depend on it.
        sqlx::raw_sql("PRAGMA foreign_keys = ON").execute(&mut raw).await.unwrap();
    }
    raw
}

#[tokio::test]
async fn a_version_1_database_with_data_migrates_and_keeps_it() {
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        // A database as kneeroot 1 left it: schema 1 only, recorded as such, with an account and an
        // assessment in it (written with plain SQL, since today's store would migrate first).
        let mut raw = raw_connection(&place).await;
        sqlx::raw_sql(
            "CREATE TABLE kneeroot_schema (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL); \
             INSERT INTO kneeroot_schema (version, applied_at) VALUES (1, 1600000000);",
        )
        .execute(&mut raw)
        .await
        .unwrap();
        sqlx::raw_sql(AssertSqlSafe(version_1_sql(place.backend))).execute(&mut raw).await.expect("schema 1");
        let (patient, clinician) = (UserId::random(), UserId::random());
        for (id, address, role) in
            [(&patient, "old@example.org", "patient"), (&clinician, "doc@example.org", "clinician")]
        {
            sqlx::query("INSERT INTO users (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id.as_str())
                .bind(address)
                .bind("$argon2id$old")
                .bind(role)
                .bind(T - 86_400)
                .execute(&mut raw)
                .await
                .unwrap();
        }
        let old = Assessment {
            id: AssessmentId::random(),
            user_id: patient.clone(),
            created_at: T - 3600,
            knowledge_version: "2023.9".into(),
            answers: r#"{"age": 52}"#.into(),
            result: r#"{"triage": "routine"}"#.into(),
            triage_level: "routine".into(),
            top_cause: "knee_oa".into(),
            camera: None,
        };
        sqlx::query(
            "INSERT INTO assessments (id, user_id, created_at, knowledge_version, answers, result, triage_level, \
             top_cause) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(old.id.as_str())
        .bind(old.user_id.as_str())
        .bind(old.created_at)
        .bind(old.knowledge_version.as_str())
        .bind(old.answers.as_str())
        .bind(old.result.as_str())
        .bind(old.triage_level.as_str())
        .bind(old.top_cause.as_str())
        .execute(&mut raw)
        .await
        .unwrap();
        raw.close().await.unwrap();

        // Today's kneeroot starts on it: it applies what is missing, and only that.
        let db = Db::connect(&place.url).await.expect("migrates from version 1");
        let version = db.schema_version().await.unwrap();
        assert!(version >= 2, "version {version}");
        let mut raw = raw_connection(&place).await;
        let recorded: Vec<(i64, i64)> =
            sqlx::query_as("SELECT version, applied_at FROM kneeroot_schema ORDER BY version")
                .fetch_all(&mut raw)
                .await
                .unwrap();
        raw.close().await.unwrap();
        assert_eq!(recorded.first(), Some(&(1, 1_600_000_000)), "version 1 is not applied again");
        assert_eq!(recorded.iter().map(|(v, _)| *v).collect::<Vec<_>>(), (1..=version).collect::<Vec<_>>());

        // The old data is all there and reads as before.
        let user = db.user(&patient).await.unwrap().expect("the old account");
        assert_eq!((user.email.as_str(), user.role, user.created_at), ("old@example.org", Role::Patient, T - 86_400));
        let creds = db.credentials(&email("old@example.org")).await.unwrap().unwrap();
        assert_eq!(creds.password_hash, "$argon2id$old");
        assert_eq!(db.assessments(&patient).await.unwrap(), vec![old.clone()]);

        // The new tables work for the old accounts, foreign keys included.
        let c = checkin(&patient, D, "squat");
        db.upsert_checkin(&c).await.unwrap();
        assert_eq!(db.checkins(&patient, D, D).await.unwrap(), vec![c]);
        let m = morning(&patient, D, &[]);
        db.upsert_morning(&m).await.unwrap();
        assert_eq!(db.mornings(&patient, D, D).await.unwrap(), vec![m]);
        let r = db.save_response(&new_response(&patient, "koos12", 0, T)).await.unwrap();
        assert_eq!(db.responses(&patient).await.unwrap(), vec![r]);
        let ch = db.add_plan_change(&clinician_change(&patient, &clinician, "squat", T)).await.unwrap();
        assert_eq!(db.plan_changes(&patient).await.unwrap(), vec![ch.clone()]);
        db.delete_user(&clinician).await.unwrap();
        assert_eq!(db.plan_changes(&patient).await.unwrap(), vec![PlanChange { author_id: None, ..ch }]);
        // So do the booking tables (version 4), with the old assessment.
        let doc = db.create_user(&new_user("newdoc@example.org", Role::Clinician)).await.unwrap();
        db.set_availability(&hours(&doc.id, 30, T)).await.unwrap();
        let b = NewBooking { assessment_id: Some(old.id.clone()), ..new_booking(&doc.id, &patient, slot(0), T) };
        let b = db.book(&b).await.unwrap();
        assert_eq!(db.bookings_of_patient(&patient).await.unwrap(), vec![b]);
        assert!(db.is_linked(&doc.id, &patient).await.unwrap());
        db.delete_user(&patient).await.unwrap();
        assert!(db.checkins(&patient, Day::MIN, Day::MAX).await.unwrap().is_empty());
        assert!(db.patients_of(&doc.id).await.unwrap().is_empty());
        db.close().await;
    }
}

#[tokio::test]
async fn the_schema_alone_erases_progress_with_the_account() {
    // `delete_user` deletes explicitly; this checks the safety net behind it, the foreign keys, by
    // deleting a user row with plain SQL and nothing else.
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        let db = Db::connect(&place.url).await.unwrap();
        let gone = db.create_user(&new_user("cascade@example.org", Role::Clinician)).await.unwrap();
        let kept = db.create_user(&new_user("stays@example.org", Role::Patient)).await.unwrap();
        db.upsert_checkin(&checkin(&gone.id, D, "squat")).await.unwrap();
        db.upsert_morning(&morning(&gone.id, D, &["fever"])).await.unwrap();
        db.save_response(&new_response(&gone.id, "nprs", 0, T)).await.unwrap();
        db.add_plan_change(&rules_change(&gone.id, "squat", T)).await.unwrap();
        let authored = db.add_plan_change(&clinician_change(&kept.id, &gone.id, "lunge", T)).await.unwrap();
        // Booking records on both sides: the departing clinician's hours, calendar and links, and the
        // departing patient's bookings and links.
        let gone_patient = db.create_user(&new_user("cascade-p@example.org", Role::Patient)).await.unwrap();
        let other_clinician = db.create_user(&new_user("stays-c@example.org", Role::Clinician)).await.unwrap();
        db.set_availability(&hours(&gone.id, 30, T)).await.unwrap();
        db.book(&new_booking(&gone.id, &kept.id, slot(0), T)).await.unwrap();
        db.book(&new_booking(&other_clinician.id, &gone_patient.id, slot(0), T)).await.unwrap();
        let kepts = db.book(&new_booking(&other_clinician.id, &kept.id, slot(1), T)).await.unwrap();

        let mut raw = raw_connection(&place).await;
        for id in [&gone.id, &gone_patient.id] {
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id.as_str()).execute(&mut raw).await.unwrap();
        }
        let gone_ids = [gone.id.as_str(), gone_patient.id.as_str()];
        for (table, column) in [
            ("checkins", "user_id"),
            ("mornings", "user_id"),
            ("outcome_responses", "user_id"),
            ("plan_changes", "user_id"),
            ("availability", "clinician_id"),
            ("bookings", "clinician_id"),
            ("bookings", "patient_id"),
            ("care_links", "clinician_id"),
            ("care_links", "patient_id"),
        ] {
            let left: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} = $1 OR {column} = $2"
            )))
            .bind(gone_ids[0])
            .bind(gone_ids[1])
            .fetch_one(&mut raw)
            .await
            .unwrap();
            assert_eq!(left, 0, "{table}.{column} cascades");
        }
        raw.close().await.unwrap();
        assert_eq!(db.bookings_of_patient(&kept.id).await.unwrap(), vec![kepts]);
        assert_eq!(db.patients_of(&other_clinician.id).await.unwrap(), vec![kept.id.clone()]);
        assert_eq!(db.plan_changes(&kept.id).await.unwrap(), vec![PlanChange { author_id: None, ..authored }]);
        db.close().await;
    }
}

#[tokio::test]
async fn checkins_are_in_byte_order_whatever_the_servers_locale() {
    // SQLite compares text bytewise; a PostgreSQL database with a linguistic default collation would
    // not ("side" < "Squat" in English), which the schema's COLLATE "C" on the column overrides.
    let options = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'";
    let Some(place) = harness::postgres_place_with(options).await else { return };
    let db = Db::connect(&place.url).await.unwrap();
    let mut raw = raw_connection(&place).await;
    let linguistic: i64 =
        sqlx::query_scalar("SELECT CASE WHEN 'side' < 'Squat' THEN 1 ELSE 0 END").fetch_one(&mut raw).await.unwrap();
    raw.close().await.unwrap();
    assert_eq!(linguistic, 1, "the database's own collation must be linguistic for this test to mean anything");
    let owner = db.create_user(&new_user("locale@example.org", Role::Patient)).await.unwrap();
    for exercise in ["side", "stepdown", "Squat", "step_up", "squat"] {
        db.upsert_checkin(&checkin(&owner.id, D, exercise)).await.unwrap();
    }
    let order: Vec<_> = db.checkins(&owner.id, D, D).await.unwrap().into_iter().map(|c| c.exercise_id).collect();
    assert_eq!(order, ["Squat", "side", "squat", "step_up", "stepdown"]);
    db.close().await;
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
