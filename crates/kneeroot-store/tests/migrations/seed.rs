//! The data an older release wrote, one function per schema version: `seed_vN` fills exactly the tables
//! migration N created, with the columns they had then, using raw SQL (today's store would migrate
//! first). [`seed`] runs them up to a version and returns what was written, as the domain values the
//! upgraded store must read back.
//!
//! Every table gets realistic rows: accounts of each role, sessions of each kind (and an expired one),
//! text with quotes, SQL and non-ASCII characters, NULLs in every optional column, and rows that refer
//! to each other (a booking about an assessment, a plan change by a clinician, an accepted invitation).

use std::collections::BTreeSet;

use kneeroot_store::*;
use sqlx::AnyConnection;

/// "Now" of the seeded data and of every read (2023-11-14).
pub const T: Timestamp = 1_700_000_000;
/// The day of [`T`].
const D: Day = T / 86_400;
/// A slot start well after [`T`], on the hour.
pub const SLOT: Timestamp = (T / 3600 + 48) * 3600;

/// The tables each version creates, and so the tables [`seed`] fills once a database is at that
/// version. `kneeroot_schema` belongs to the runner, not to a migration.
const SEEDED_TABLES: &[(i64, &[&str])] = &[
    (1, &["users", "sessions", "assessments", "login_failures"]),
    (2, &["checkins", "mornings", "outcome_responses", "plan_changes"]),
    (3, &["user_settings"]),
    (4, &["availability", "bookings", "care_links"]),
    (5, &["invitations", "audit_log"]),
];

/// The tables [`SEEDED_TABLES`] says exist at `version`.
pub fn declared_tables(version: i64) -> BTreeSet<String> {
    SEEDED_TABLES.iter().filter(|(v, _)| *v <= version).flat_map(|(_, t)| t.iter().map(|s| (*s).to_owned())).collect()
}

/// An email of the seeded data.
pub fn email(s: &str) -> Email {
    Email::parse(s).expect("a valid test email")
}

/// Fill every table that exists at `version`, as the releases up to it would have.
pub async fn seed(conn: &mut AnyConnection, version: i64) -> Seeded {
    let mut s = Seeded::default();
    if version >= 1 {
        seed_v1(conn, &mut s).await;
    }
    if version >= 2 {
        seed_v2(conn, &mut s).await;
    }
    if version >= 3 {
        seed_v3(conn, &mut s).await;
    }
    if version >= 4 {
        seed_v4(conn, &mut s).await;
    }
    if version >= 5 {
        seed_v5(conn, &mut s).await;
    }
    // Version 6 added only a column and triggers, which every later version's rows exercise.
    if version >= 7 {
        seed_v7(conn, &mut s).await;
    }
    // A new migration's tables go here: `if version >= 8 { seed_v8(conn, &mut s).await; }`; list them in
    // SEEDED_TABLES and check them in `check::verify`.
    s
}

/// The accounts every seeded database has (from version 1).
pub struct People {
    /// A patient with records in every table.
    pub patient: User,
    /// A second patient, to show records stay with their owner.
    pub other_patient: User,
    /// The clinician both patients booked.
    pub clinician: User,
    /// The clinic's administrator.
    pub admin: User,
}

/// Everything seeded, as the store should read it back after the upgrade. A table seeded at no version
/// has an empty list here, and must read back empty.
#[derive(Default)]
pub struct Seeded {
    /// The accounts (none when nothing was seeded).
    pub people: Option<People>,
    /// Each account's stored password hash.
    pub password_hashes: Vec<(UserId, String)>,
    /// Sessions alive at [`T`].
    pub live_sessions: Vec<Session>,
    /// Sessions expired at [`T`].
    pub expired_sessions: Vec<Session>,
    /// Stored assessments.
    pub assessments: Vec<Assessment>,
    /// Failed logins: (key, at).
    pub failures: Vec<(String, Timestamp)>,
    /// Per-exercise check-ins.
    pub checkins: Vec<ExerciseCheckin>,
    /// Morning reports.
    pub mornings: Vec<MorningReport>,
    /// Questionnaire responses.
    pub responses: Vec<OutcomeResponse>,
    /// Plan changes.
    pub plan_changes: Vec<PlanChange>,
    /// Explicit reminder settings (an account without one has reminders off).
    pub reminders: Vec<(UserId, bool)>,
    /// Clinicians' hours.
    pub availability: Vec<Availability>,
    /// Bookings, live and cancelled.
    pub bookings: Vec<Booking>,
    /// Care links: (clinician, patient).
    pub care_links: Vec<(UserId, UserId)>,
    /// Invitations, pending and accepted.
    pub invitations: Vec<Invitation>,
    /// Audit log entries.
    pub audit: Vec<AuditEntry>,
}

/// A bind value for [`insert`]: text, integers and NULLs are all a schema needs.
enum Bind {
    Text(String),
    Int(i64),
    MaybeText(Option<String>),
    MaybeInt(Option<i64>),
}

fn text(s: impl std::fmt::Display) -> Bind {
    Bind::Text(s.to_string())
}

fn maybe(s: Option<impl std::fmt::Display>) -> Bind {
    Bind::MaybeText(s.map(|s| s.to_string()))
}

/// Run one statement with its bind values.
async fn insert(conn: &mut AnyConnection, sql: &'static str, values: Vec<Bind>) {
    let mut q = sqlx::query(sql);
    for v in values {
        q = match v {
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
            Bind::MaybeText(s) => q.bind(s),
            Bind::MaybeInt(i) => q.bind(i),
        };
    }
    q.execute(&mut *conn).await.unwrap_or_else(|e| panic!("seeding with {sql}: {e}"));
}

fn people(s: &Seeded) -> &People {
    s.people.as_ref().expect("accounts are seeded first")
}

/// Version 1: accounts of every role, sessions (anonymous with a draft, signed in, API, expired),
/// assessments and failed logins.
async fn seed_v1(conn: &mut AnyConnection, s: &mut Seeded) {
    let user = |address: &str, role: Role, at: Timestamp| User {
        id: UserId::random(),
        email: email(address),
        role,
        created_at: at,
    };
    let people = People {
        patient: user("patient@example.org", Role::Patient, T - 90 * 86_400),
        other_patient: user("zoë.o'neil@example.org", Role::Patient, T - 60 * 86_400),
        clinician: user("physio@clinic.example", Role::Clinician, T - 365 * 86_400),
        admin: user("admin@clinic.example", Role::Admin, T - 400 * 86_400),
    };
    for u in [&people.patient, &people.other_patient, &people.clinician, &people.admin] {
        let hash = format!("$argon2id$v=19$m=19456,t=2,p=1$salt${}", u.id);
        insert(
            conn,
            "INSERT INTO users (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            vec![text(&u.id), text(u.email.as_str()), text(&hash), text(u.role.as_str()), Bind::Int(u.created_at)],
        )
        .await;
        s.password_hashes.push((u.id.clone(), hash));
    }

    let session = |n: u8, user: Option<&User>, kind: SessionKind, draft: Option<&str>, expires_at: Timestamp| Session {
        token_hash: format!("{n:02x}").repeat(32),
        user_id: user.map(|u| u.id.clone()),
        kind,
        csrf_token: format!("{:02x}", n + 100).repeat(32),
        draft: draft.map(str::to_owned),
        camera: None,
        created_at: T - 3600,
        expires_at,
    };
    s.live_sessions = vec![
        session(1, None, SessionKind::Browser, Some(r#"{"age": 41, "note": "ünïcödé 🦵 \"quoted\""}"#), T + 86_400),
        session(2, Some(&people.patient), SessionKind::Browser, None, T + 30 * 86_400),
        session(3, Some(&people.clinician), SessionKind::Api, None, T + 30 * 86_400),
    ];
    s.expired_sessions = vec![session(4, Some(&people.other_patient), SessionKind::Browser, None, T - 1)];
    for x in s.live_sessions.iter().chain(&s.expired_sessions) {
        insert(
            conn,
            "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, draft, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                text(&x.token_hash),
                maybe(x.user_id.as_ref()),
                text(x.kind.as_str()),
                text(&x.csrf_token),
                maybe(x.draft.as_ref()),
                Bind::Int(x.created_at),
                Bind::Int(x.expires_at),
            ],
        )
        .await;
    }

    let assessment = |owner: &User, at: Timestamp, level: &str, top: &str| Assessment {
        id: AssessmentId::random(),
        user_id: owner.id.clone(),
        created_at: at,
        knowledge_version: "2024.1".into(),
        answers: r#"{"age": 41, "pain.now": 4, "note": "it's sharp; ', DROP TABLE users; --"}"#.into(),
        result: format!(r#"{{"triage": {{"level": "{level}"}}, "top": "{top}"}}"#),
        triage_level: level.into(),
        top_cause: top.into(),
        camera: None,
    };
    s.assessments = vec![
        assessment(&people.patient, T - 30 * 86_400, "self_care", "hip"),
        assessment(&people.patient, T - 2 * 86_400, "soon", "knee_local"),
        assessment(&people.other_patient, T - 10 * 86_400, "self_care", "ankle"),
    ];
    for a in &s.assessments {
        insert(
            conn,
            "INSERT INTO assessments (id, user_id, created_at, knowledge_version, answers, result, triage_level, \
             top_cause) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                text(&a.id),
                text(&a.user_id),
                Bind::Int(a.created_at),
                text(&a.knowledge_version),
                text(&a.answers),
                text(&a.result),
                text(&a.triage_level),
                text(&a.top_cause),
            ],
        )
        .await;
    }

    s.failures = vec![
        (format!("account:{}", people.patient.email.as_str()), T - 120),
        (format!("account:{}", people.patient.email.as_str()), T - 60),
        ("ip:198.51.100.7".to_owned(), T - 30),
    ];
    for (key, at) in &s.failures {
        insert(conn, "INSERT INTO login_failures (key, at) VALUES ($1, $2)", vec![text(key), Bind::Int(*at)]).await;
    }
    s.people = Some(people);
}

/// Version 2: check-ins (one with nothing but "not done"), morning reports with and without flags,
/// questionnaire responses, and plan changes by the rules and by a clinician.
async fn seed_v2(conn: &mut AnyConnection, s: &mut Seeded) {
    let (p, q, c) = (people(s).patient.clone(), people(s).other_patient.clone(), people(s).clinician.clone());
    let checkin = |who: &User, day: Day, exercise: &str, full: bool| ExerciseCheckin {
        user_id: who.id.clone(),
        day,
        exercise_id: exercise.into(),
        done: full,
        sets_done: full.then_some(3),
        reps_done: full.then_some(12),
        pain_during: full.then_some(2),
        quality_ok: full,
        updated_at: T - 600,
    };
    s.checkins = vec![
        checkin(&p, D - 1, "clam_shell", true),
        checkin(&p, D - 1, "wall_sit", false),
        checkin(&p, D, "clam_shell", true),
        checkin(&q, D, "calf_raise", true),
    ];
    for x in &s.checkins {
        insert(
            conn,
            "INSERT INTO checkins (user_id, day, exercise_id, done, sets_done, reps_done, pain_during, quality_ok, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                text(&x.user_id),
                Bind::Int(x.day),
                text(&x.exercise_id),
                Bind::Int(i64::from(x.done)),
                Bind::MaybeInt(x.sets_done),
                Bind::MaybeInt(x.reps_done),
                Bind::MaybeInt(x.pain_during),
                Bind::Int(i64::from(x.quality_ok)),
                Bind::Int(x.updated_at),
            ],
        )
        .await;
    }

    let morning = |who: &User, day: Day, stiffness: Stiffness, flags: &[&str]| MorningReport {
        user_id: who.id.clone(),
        day,
        pain: 3,
        usual: 2,
        stiffness,
        flags: flags.iter().map(|f| (*f).to_owned()).collect(),
        updated_at: T - 300,
    };
    s.mornings = vec![
        morning(&p, D - 1, Stiffness::Same, &[]),
        morning(&p, D, Stiffness::More, &["flag.knee_locked", "flag.fever_or_unwell"]),
        morning(&q, D, Stiffness::Less, &[]),
    ];
    for m in &s.mornings {
        insert(
            conn,
            "INSERT INTO mornings (user_id, day, pain, usual, stiffness, flags, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                text(&m.user_id),
                Bind::Int(m.day),
                Bind::Int(m.pain),
                Bind::Int(m.usual),
                text(m.stiffness.as_str()),
                text(serde_json::to_string(&m.flags).expect("flags as JSON")),
                Bind::Int(m.updated_at),
            ],
        )
        .await;
    }

    let response =
        |who: &User, instrument: &str, week: i64, at: Timestamp, answers: &str, scores: &str| OutcomeResponse {
            id: AssessmentId::random(),
            user_id: who.id.clone(),
            instrument: instrument.into(),
            version: "1".into(),
            week,
            taken_at: at,
            answers: answers.into(),
            scores: scores.into(),
        };
    s.responses = vec![
        response(&p, "koos12", 0, T - 28 * 86_400, r#"{"P1": 2, "P5": 1}"#, r#"{"pain": 62.5}"#),
        response(&p, "nprs", 4, T - 86_400, r#"{"rating": 3}"#, r#"{"rating": 3}"#),
        response(&q, "psfs", 0, T - 5 * 86_400, r#"{"activities": []}"#, r#"{"score": 4.0}"#),
    ];
    for r in &s.responses {
        insert(
            conn,
            "INSERT INTO outcome_responses (id, user_id, instrument, version, week, taken_at, answers, scores) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                text(&r.id),
                text(&r.user_id),
                text(&r.instrument),
                text(&r.version),
                Bind::Int(r.week),
                Bind::Int(r.taken_at),
                text(&r.answers),
                text(&r.scores),
            ],
        )
        .await;
    }

    s.plan_changes = vec![
        PlanChange {
            id: AssessmentId::random(),
            user_id: p.id.clone(),
            exercise_id: "clam_shell".into(),
            replacement: None,
            sets: Some(4),
            reps: None,
            hold_seconds: None,
            per_week: None,
            note: None,
            author_id: None,
            reason: "The pain-monitoring rules, after your session of 12 November 2023".into(),
            created_at: T - 2 * 86_400,
        },
        PlanChange {
            id: AssessmentId::random(),
            user_id: p.id.clone(),
            exercise_id: "wall_sit".into(),
            replacement: Some("spanish_squat".into()),
            sets: Some(3),
            reps: Some(1),
            hold_seconds: Some(45),
            per_week: Some(4),
            note: Some("Keep it pain-free; «gentle» first".into()),
            author_id: Some(c.id.clone()),
            reason: "Your physiotherapist changed it".into(),
            created_at: T - 86_400,
        },
    ];
    for x in &s.plan_changes {
        insert(
            conn,
            "INSERT INTO plan_changes (id, user_id, exercise_id, replacement, sets, reps, hold_seconds, per_week, \
             note, author_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            vec![
                text(&x.id),
                text(&x.user_id),
                text(&x.exercise_id),
                maybe(x.replacement.as_ref()),
                Bind::MaybeInt(x.sets),
                Bind::MaybeInt(x.reps),
                Bind::MaybeInt(x.hold_seconds),
                Bind::MaybeInt(x.per_week),
                maybe(x.note.as_ref()),
                maybe(x.author_id.as_ref()),
                text(&x.reason),
                Bind::Int(x.created_at),
            ],
        )
        .await;
    }
}

/// Version 3: reminders turned on by one person and explicitly off for another (the rest have no row).
async fn seed_v3(conn: &mut AnyConnection, s: &mut Seeded) {
    s.reminders = vec![(people(s).patient.id.clone(), true), (people(s).other_patient.id.clone(), false)];
    for (who, on) in &s.reminders {
        insert(
            conn,
            "INSERT INTO user_settings (user_id, reminders) VALUES ($1, $2)",
            vec![text(who), Bind::Int(i64::from(*on))],
        )
        .await;
    }
}

/// Version 4: a clinician's hours, a live booking about an assessment, a cancelled one at the same start
/// (allowed: only live bookings take a slot), a later live one, and the care links booking made.
async fn seed_v4(conn: &mut AnyConnection, s: &mut Seeded) {
    let (p, q, c) = (people(s).patient.clone(), people(s).other_patient.clone(), people(s).clinician.clone());
    s.availability = vec![Availability {
        clinician_id: c.id.clone(),
        settings: r#"{"time_zone": "Europe/London", "slot_minutes": 30, "windows": [{"weekday": "mon", "from": "09:00", "to": "12:00"}], "exceptions": []}"#.into(),
        notice_minutes: 120,
        cancel_notice_minutes: 1440,
        updated_at: T - 7 * 86_400,
    }];
    for a in &s.availability {
        insert(
            conn,
            "INSERT INTO availability (clinician_id, settings, notice_minutes, cancel_notice_minutes, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                text(&a.clinician_id),
                text(&a.settings),
                Bind::Int(a.notice_minutes),
                Bind::Int(a.cancel_notice_minutes),
                Bind::Int(a.updated_at),
            ],
        )
        .await;
    }

    let about = s.assessments.iter().find(|a| a.user_id == p.id).map(|a| a.id.clone());
    let booking = |patient: &User, start: Timestamp, reason: &str, assessment_id: Option<AssessmentId>| Booking {
        id: AssessmentId::random(),
        clinician_id: c.id.clone(),
        patient_id: patient.id.clone(),
        start,
        end: start + 1800,
        reason: reason.into(),
        assessment_id,
        status: BookingStatus::Booked,
        created_at: T - 3 * 86_400,
        cancelled_at: None,
    };
    s.bookings = vec![
        Booking {
            status: BookingStatus::Cancelled,
            cancelled_at: Some(T - 2 * 86_400),
            ..booking(&q, SLOT, "First try; cancelled", None)
        },
        booking(&p, SLOT, "Stairs hurt — «going down»", about),
        booking(&q, SLOT + 3600, "", None),
    ];
    for b in &s.bookings {
        insert(
            conn,
            "INSERT INTO bookings (id, clinician_id, patient_id, start_at, end_at, reason, assessment_id, status, \
             created_at, cancelled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            vec![
                text(&b.id),
                text(&b.clinician_id),
                text(&b.patient_id),
                Bind::Int(b.start),
                Bind::Int(b.end),
                text(&b.reason),
                maybe(b.assessment_id.as_ref()),
                text(b.status.as_str()),
                Bind::Int(b.created_at),
                Bind::MaybeInt(b.cancelled_at),
            ],
        )
        .await;
    }

    s.care_links = vec![(c.id.clone(), p.id.clone()), (c.id.clone(), q.id.clone())];
    for (clinician, patient) in &s.care_links {
        insert(
            conn,
            "INSERT INTO care_links (clinician_id, patient_id, created_at) VALUES ($1, $2, $3)",
            vec![text(clinician), text(patient), Bind::Int(T - 3 * 86_400)],
        )
        .await;
    }
}

/// Version 5: invitations (a pending one for a clinician, an accepted one for a patient) and audit
/// entries of a clinician looking at, changing and exporting patients' records.
async fn seed_v5(conn: &mut AnyConnection, s: &mut Seeded) {
    let (p, q, c, a) = {
        let x = people(s);
        (x.patient.clone(), x.other_patient.clone(), x.clinician.clone(), x.admin.clone())
    };
    s.invitations = vec![
        Invitation {
            token_hash: "ab".repeat(32),
            email: email("new.physio@clinic.example"),
            role: Role::Clinician,
            invited_by: a.id.clone(),
            clinician_id: None,
            created_at: T - 86_400,
            expires_at: T + 6 * 86_400,
            accepted_at: None,
            accepted_by: None,
        },
        Invitation {
            token_hash: "cd".repeat(32),
            email: q.email.clone(),
            role: Role::Patient,
            invited_by: c.id.clone(),
            clinician_id: Some(c.id.clone()),
            created_at: T - 20 * 86_400,
            expires_at: T - 13 * 86_400,
            accepted_at: Some(T - 19 * 86_400),
            accepted_by: Some(q.id.clone()),
        },
    ];
    for i in &s.invitations {
        insert(
            conn,
            "INSERT INTO invitations (token_hash, email, role, invited_by, clinician_id, created_at, expires_at, \
             accepted_at, accepted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                text(&i.token_hash),
                text(i.email.as_str()),
                text(i.role.as_str()),
                text(&i.invited_by),
                maybe(i.clinician_id.as_ref()),
                Bind::Int(i.created_at),
                Bind::Int(i.expires_at),
                Bind::MaybeInt(i.accepted_at),
                maybe(i.accepted_by.as_ref()),
            ],
        )
        .await;
    }

    let entry = |patient: &User, at: Timestamp, action: AuditAction, what: &str| AuditEntry {
        id: AssessmentId::random(),
        at,
        actor_id: c.id.clone(),
        actor_email: c.email.clone(),
        actor_role: c.role,
        patient_id: patient.id.clone(),
        action,
        what: what.into(),
    };
    s.audit = vec![
        entry(&p, T - 3600, AuditAction::View, "record"),
        entry(&p, T - 1800, AuditAction::Change, "plan"),
        entry(&q, T - 600, AuditAction::Export, "fhir export"),
    ];
    for e in &s.audit {
        insert(
            conn,
            "INSERT INTO audit_log (id, at, actor_id, actor_email, actor_role, patient_id, action, what) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                text(&e.id),
                Bind::Int(e.at),
                text(&e.actor_id),
                text(e.actor_email.as_str()),
                text(e.actor_role.as_str()),
                text(&e.patient_id),
                text(e.action.as_str()),
                text(&e.what),
            ],
        )
        .await;
    }
}

/// Version 7: the camera columns, on a session with a draft and camera findings waiting to be confirmed and
/// on an assessment some of whose answers came from the camera (the rows of earlier versions keep NULL).
async fn seed_v7(conn: &mut AnyConnection, s: &mut Seeded) {
    let p = people(s).patient.clone();
    let camera = r#"{"pending": {"side": {"view": "side", "reps": 3, "note": "ünï 'x'"}}, "confirmed": {"squat.knee_caves_in": {"value": "left", "view": "front", "confidence": 0.82, "metric": "knee_valgus_deg", "explanation": "Your left knee came 14° inside the line."}}}"#;
    let session = Session {
        token_hash: "07".repeat(32),
        user_id: Some(p.id.clone()),
        kind: SessionKind::Browser,
        csrf_token: "77".repeat(32),
        draft: Some(r#"{"squat.done": true, "squat.knee_caves_in": "left"}"#.into()),
        camera: Some(camera.into()),
        created_at: T - 600,
        expires_at: T + 86_400,
    };
    insert(
        conn,
        "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, draft, camera, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            text(&session.token_hash),
            maybe(session.user_id.as_ref()),
            text(session.kind.as_str()),
            text(&session.csrf_token),
            maybe(session.draft.as_ref()),
            maybe(session.camera.as_ref()),
            Bind::Int(session.created_at),
            Bind::Int(session.expires_at),
        ],
    )
    .await;
    s.live_sessions.push(session);

    let assessment = Assessment {
        id: AssessmentId::random(),
        user_id: p.id.clone(),
        created_at: T - 86_400,
        knowledge_version: "2026.1".into(),
        answers: r#"{"squat.done": true, "squat.knee_caves_in": "left"}"#.into(),
        result: r#"{"triage": {"level": "self_care"}, "top": "hip"}"#.into(),
        triage_level: "self_care".into(),
        top_cause: "hip".into(),
        camera: Some(r#"{"squat.knee_caves_in": {"value": "left", "view": "front", "confidence": 0.82, "metric": "knee_valgus_deg", "explanation": "it's 14°"}}"#.into()),
    };
    insert(
        conn,
        "INSERT INTO assessments (id, user_id, created_at, knowledge_version, answers, result, triage_level, \
         top_cause, camera) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            text(&assessment.id),
            text(&assessment.user_id),
            Bind::Int(assessment.created_at),
            text(&assessment.knowledge_version),
            text(&assessment.answers),
            text(&assessment.result),
            text(&assessment.triage_level),
            text(&assessment.top_cause),
            maybe(assessment.camera.as_ref()),
        ],
    )
    .await;
    s.assessments.push(assessment);
}
