//! What the upgraded store must read back, and the rules it must still keep. [`verify`] compares every
//! seeded row with what the store traits return, ordering included, so it checks the traits' contract
//! rather than the tables; [`constraints_hold`] shows the schema's rules survived the upgrade.

use std::collections::BTreeSet;

use kneeroot_store::*;
use sqlx::Connection;

use crate::harness::Place;
use crate::inspect::raw;
use crate::seed::{SLOT, Seeded, T, email};

/// Every seeded row reads back identically through the store traits. A table seeded at no version reads
/// back empty, so the same checks hold whatever version the data was written at.
pub async fn verify(db: &Db, s: &Seeded) {
    let Some(people) = &s.people else { return };
    let everyone = [&people.patient, &people.other_patient, &people.clinician, &people.admin];
    for u in everyone {
        assert_eq!(db.user(&u.id).await.unwrap().as_ref(), Some(u), "the account of {}", u.email.as_str());
        let creds = db.credentials(&u.email).await.unwrap().expect("credentials");
        assert_eq!(&creds.user, u);
        let hash = s.password_hashes.iter().find(|(id, _)| *id == u.id).map(|(_, h)| h.as_str());
        assert_eq!(Some(creds.password_hash.as_str()), hash);
    }

    for x in &s.live_sessions {
        assert_eq!(db.session(&x.token_hash, T).await.unwrap().as_ref(), Some(x));
        let (session, user) = db.session_with_user(&x.token_hash, T).await.unwrap().expect("a live session");
        assert_eq!(&session, x);
        assert_eq!(user.map(|u| u.id), x.user_id);
    }
    for x in &s.expired_sessions {
        assert_eq!(db.session(&x.token_hash, T).await.unwrap(), None, "expired sessions stay expired");
    }

    for u in everyone {
        let mut mine: Vec<Assessment> = s.assessments.iter().filter(|a| a.user_id == u.id).cloned().collect();
        mine.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        assert_eq!(db.assessments(&u.id).await.unwrap(), mine, "newest first");
        assert_eq!(db.latest_assessment(&u.id).await.unwrap(), mine.first().cloned());
        for a in &mine {
            assert_eq!(db.assessment(&u.id, &a.id).await.unwrap().as_ref(), Some(a));
        }
    }
    for a in &s.assessments {
        let stranger = if a.user_id == people.patient.id { &people.other_patient } else { &people.patient };
        assert_eq!(db.assessment(&stranger.id, &a.id).await.unwrap(), None, "still owner-scoped");
    }

    let keys: BTreeSet<&str> = s.failures.iter().map(|(k, _)| k.as_str()).collect();
    for key in keys {
        let count = |since: Timestamp| s.failures.iter().filter(|(k, at)| k == key && *at >= since).count();
        for since in [0, T - 90, T] {
            assert_eq!(db.failures_since(key, since).await.unwrap() as usize, count(since), "{key} since {since}");
        }
    }

    for u in everyone {
        let mut checkins: Vec<ExerciseCheckin> = s.checkins.iter().filter(|c| c.user_id == u.id).cloned().collect();
        checkins.sort_by(|a, b| (a.day, &a.exercise_id).cmp(&(b.day, &b.exercise_id)));
        assert_eq!(db.checkins(&u.id, Day::MIN, Day::MAX).await.unwrap(), checkins);
        let mut mornings: Vec<MorningReport> = s.mornings.iter().filter(|m| m.user_id == u.id).cloned().collect();
        mornings.sort_by_key(|m| m.day);
        assert_eq!(db.mornings(&u.id, Day::MIN, Day::MAX).await.unwrap(), mornings);
        let mut responses: Vec<OutcomeResponse> = s.responses.iter().filter(|r| r.user_id == u.id).cloned().collect();
        responses.sort_by(|a, b| (a.taken_at, &a.id).cmp(&(b.taken_at, &b.id)));
        assert_eq!(db.responses(&u.id).await.unwrap(), responses);
        let mut changes: Vec<PlanChange> = s.plan_changes.iter().filter(|c| c.user_id == u.id).cloned().collect();
        changes.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        assert_eq!(db.plan_changes(&u.id).await.unwrap(), changes);
        let on = s.reminders.iter().find(|(id, _)| *id == u.id).is_some_and(|(_, on)| *on);
        assert_eq!(db.reminders(&u.id).await.unwrap(), on, "reminders of {}", u.email.as_str());
        let hours = s.availability.iter().find(|a| a.clinician_id == u.id);
        assert_eq!(db.availability(&u.id).await.unwrap().as_ref(), hours);
    }
    let mut with_hours: Vec<UserId> = s.availability.iter().map(|a| a.clinician_id.clone()).collect();
    with_hours.sort();
    assert_eq!(db.clinicians_with_availability().await.unwrap(), with_hours);

    let by_start = |mut v: Vec<Booking>| {
        v.sort_by(|a, b| (a.start, a.created_at, &a.id).cmp(&(b.start, b.created_at, &b.id)));
        v
    };
    for u in everyone {
        let theirs = by_start(s.bookings.iter().filter(|b| b.patient_id == u.id).cloned().collect());
        assert_eq!(db.bookings_of_patient(&u.id).await.unwrap(), theirs);
        let calendar = by_start(s.bookings.iter().filter(|b| b.clinician_id == u.id).cloned().collect());
        assert_eq!(db.bookings_of_clinician(&u.id, Timestamp::MIN, Timestamp::MAX).await.unwrap(), calendar);
        let live: Vec<Timestamp> =
            calendar.iter().filter(|b| b.status == BookingStatus::Booked).map(|b| b.start).collect();
        assert_eq!(db.booked_starts(&u.id, Timestamp::MIN, Timestamp::MAX).await.unwrap(), live);
        let mut patients: Vec<UserId> =
            s.care_links.iter().filter(|(c, _)| *c == u.id).map(|(_, p)| p.clone()).collect();
        patients.sort();
        assert_eq!(db.patients_of(&u.id).await.unwrap(), patients);
    }
    for b in &s.bookings {
        assert_eq!(db.booking(&b.patient_id, &b.id).await.unwrap().as_ref(), Some(b), "the patient sees it");
        assert_eq!(db.booking(&b.clinician_id, &b.id).await.unwrap().as_ref(), Some(b), "the clinician sees it");
        assert_eq!(db.booking(&people.admin.id, &b.id).await.unwrap(), None, "nobody else does");
    }
    for (c, p) in &s.care_links {
        assert!(db.is_linked(c, p).await.unwrap());
    }

    for i in &s.invitations {
        assert_eq!(db.invitation(&i.token_hash).await.unwrap().as_ref(), Some(i));
    }
    for u in everyone {
        let mut sent: Vec<Invitation> = s.invitations.iter().filter(|i| i.invited_by == u.id).cloned().collect();
        sent.sort_by(|a, b| (b.created_at, &a.token_hash).cmp(&(a.created_at, &b.token_hash)));
        assert_eq!(db.invitations_sent_by(&u.id).await.unwrap(), sent, "newest first");
        let mut log: Vec<AuditEntry> = s.audit.iter().filter(|e| e.patient_id == u.id).cloned().collect();
        log.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        assert_eq!(db.audit_of_patient(&u.id).await.unwrap(), log, "oldest first");
    }
}

/// The schema's rules hold after the upgrade, for new rows and for the seeded ones: unique emails and
/// session tokens, foreign keys, no double booking (nor a move onto a taken slot), the append-only audit
/// log, and erasure of everything with the account.
pub async fn constraints_hold(db: &Db, place: &Place, s: &Seeded) {
    let fresh = |address: &str, role: Role| NewUser {
        email: email(address),
        password_hash: "$argon2id$v=19$new".into(),
        role,
        now: T,
    };
    // New accounts and rows work next to the old ones.
    let doc = db.create_user(&fresh("after.upgrade.physio@clinic.example", Role::Clinician)).await.unwrap();
    let pat = db.create_user(&fresh("after.upgrade@example.org", Role::Patient)).await.unwrap();
    let twice = db.create_user(&fresh("After.Upgrade@example.org", Role::Patient)).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "unique emails: {twice:?}");
    let stray = NewAssessment {
        user_id: UserId::random(),
        now: T,
        knowledge_version: "x".into(),
        answers: "{}".into(),
        result: "{}".into(),
        triage_level: "self_care".into(),
        top_cause: "hip".into(),
        camera: None,
    };
    assert!(matches!(db.save_assessment(&stray).await, Err(StoreError::NotFound)), "foreign keys");
    let booking = |clinician: &UserId, patient: &UserId, start: Timestamp| NewBooking {
        clinician_id: clinician.clone(),
        patient_id: patient.clone(),
        start,
        end: start + 1800,
        reason: String::new(),
        assessment_id: None,
        now: T,
    };
    let first = db.book(&booking(&doc.id, &pat.id, SLOT)).await.unwrap();
    let again = db.book(&booking(&doc.id, &pat.id, SLOT)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "no double booking: {again:?}");
    db.cancel_booking(&pat.id, &first.id, T).await.unwrap();
    db.book(&booking(&doc.id, &pat.id, SLOT)).await.expect("a cancelled slot can be booked again");

    let Some(people) = &s.people else { return };
    let taken = db.create_user(&fresh(people.patient.email.as_str(), Role::Patient)).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "an old email is still taken: {taken:?}");
    if let Some(x) = s.live_sessions.first() {
        let dup = db.create_session(x).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "an old session token is still unique: {dup:?}");
    }
    if let Some(b) = s.bookings.iter().find(|b| b.status == BookingStatus::Booked) {
        let stolen = db.book(&booking(&b.clinician_id, &pat.id, b.start)).await;
        assert!(matches!(stolen, Err(StoreError::Conflict(_))), "an old booking still holds its slot: {stolen:?}");
        let other = s.bookings.iter().find(|o| o.patient_id != b.patient_id && o.status == BookingStatus::Booked);
        if let Some(o) = other {
            let moved = db.move_booking(&o.patient_id, &o.id, b.start, b.end, T).await;
            assert!(matches!(moved, Err(StoreError::Conflict(_))), "no move onto an old booking: {moved:?}");
        }
    }
    if !s.audit.is_empty() {
        let mut conn = raw(place).await;
        let rewritten = sqlx::query("UPDATE audit_log SET what = 'rewritten'").execute(&mut conn).await;
        assert!(rewritten.is_err(), "the audit log is still append-only");
        conn.close().await.unwrap();
    }

    // Erasing the seeded patient takes everything of theirs, old rows included.
    let p = &people.patient;
    db.delete_user(&p.id).await.unwrap();
    assert_eq!(db.user(&p.id).await.unwrap(), None);
    assert!(db.assessments(&p.id).await.unwrap().is_empty());
    assert!(db.checkins(&p.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    assert!(db.mornings(&p.id, Day::MIN, Day::MAX).await.unwrap().is_empty());
    assert!(db.responses(&p.id).await.unwrap().is_empty());
    assert!(db.plan_changes(&p.id).await.unwrap().is_empty());
    assert!(db.bookings_of_patient(&p.id).await.unwrap().is_empty());
    assert!(!db.is_linked(&people.clinician.id, &p.id).await.unwrap());
    assert!(db.audit_of_patient(&p.id).await.unwrap().is_empty());
    assert_eq!(db.failures_since(&format!("account:{}", p.email.as_str()), 0).await.unwrap(), 0);
    for x in s.live_sessions.iter().filter(|x| x.user_id.as_ref() == Some(&p.id)) {
        assert_eq!(db.session(&x.token_hash, T).await.unwrap(), None);
    }
    // The other patient's records are untouched.
    let q = &people.other_patient;
    let theirs = s.assessments.iter().filter(|a| a.user_id == q.id).count();
    assert_eq!(db.assessments(&q.id).await.unwrap().len(), theirs);
    let links = s.care_links.iter().filter(|(_, patient)| *patient == q.id).count();
    assert_eq!(db.patients_of(&people.clinician.id).await.unwrap().len(), links);
}
