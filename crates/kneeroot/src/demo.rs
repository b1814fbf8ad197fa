//! `kneeroot serve --demo`: a small clinic to look around in. A patient with an assessment from ten days
//! ago, their clinician (the two are linked, so the clinician's caseload is not empty) and an
//! administrator; the clinician has weekday opening hours. Seeding is idempotent: accounts that exist are
//! kept as they are (their passwords are not reset), and the care link and hours are written only if
//! missing.

use kneeroot_core::Answers;
use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::booking::WeeklyAvailability;
use kneeroot_store::{
    AssessmentStore, Availability, BookingStore, Db, Email, NewAssessment, NewUser, Role, User, UserStore,
};

/// The demo patient's email and password (public by design: demo only).
pub const DEMO_PATIENT: (&str, &str) = ("patient@demo.kneeroot.invalid", "demo-patient-pass");
/// The demo clinician, linked to the demo patient.
pub const DEMO_CLINICIAN: (&str, &str) = ("physio@demo.kneeroot.invalid", "demo-physio-pass");
/// The demo clinic administrator.
pub const DEMO_ADMIN: (&str, &str) = ("admin@demo.kneeroot.invalid", "demo-admin-pass");

/// Seed the demo accounts (see the module docs) and print how to sign in.
///
/// # Errors
/// A store failure, or demo answers that no longer fit the knowledge base.
pub async fn seed(db: &Db, kb: &kneeroot_core::Knowledge) -> anyhow::Result<()> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let (patient, new_patient) = account(db, Role::Patient, DEMO_PATIENT, now).await?;
    let (clinician, _) = account(db, Role::Clinician, DEMO_CLINICIAN, now).await?;
    account(db, Role::Admin, DEMO_ADMIN, now).await?;
    if new_patient {
        let answers = Answers::parse_document(kb, include_str!("../demo/answers.toml"), DocumentFormat::Toml)
            .map_err(|e| anyhow::anyhow!("demo answers: {e}"))?;
        let result = kneeroot_core::assess(kb, &answers);
        db.save_assessment(&NewAssessment {
            user_id: patient.id.clone(),
            now: now - 10 * 24 * 3600,
            knowledge_version: result.knowledge_version.clone(),
            answers: serde_json::Value::Object(answers.to_json(kb)).to_string(),
            result: serde_json::to_string(&result)?,
            triage_level: result.triage.level.as_str().to_owned(),
            top_cause: result.root_causes.first().map(|c| c.id.clone()).unwrap_or_default(),
            camera: None,
        })
        .await?;
    }
    // Both accounts may predate this version of the demo: link them whenever they are both demo accounts.
    if patient.role == Role::Patient && clinician.role == Role::Clinician {
        db.link(&clinician.id, &patient.id, now).await?;
    }
    if clinician.role == Role::Clinician && db.availability(&clinician.id).await?.is_none() {
        db.set_availability(&demo_hours(&clinician, now)?).await?;
    }
    println!("Demo accounts (demo data only):");
    println!("  patient:       {} / {}", DEMO_PATIENT.0, DEMO_PATIENT.1);
    println!("  clinician:     {} / {} (the patient's physio)", DEMO_CLINICIAN.0, DEMO_CLINICIAN.1);
    println!("  administrator: {} / {}", DEMO_ADMIN.0, DEMO_ADMIN.1);
    Ok(())
}

/// The demo clinician's hours: weekdays 09:00–17:00 in London, 30-minute slots, two hours' notice to
/// book and a day's notice to cancel, so the booking pages have something to show (and the API fuzzing
/// in CI reaches the booking rules).
fn demo_hours(clinician: &User, now: i64) -> anyhow::Result<Availability> {
    let windows: Vec<serde_json::Value> = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|day| serde_json::json!({"weekday": day, "start": "09:00", "end": "17:00"}))
        .collect();
    let week: WeeklyAvailability = serde_json::from_value(serde_json::json!({
        "time_zone": "Europe/London",
        "windows": windows,
        "slot_minutes": 30,
    }))?;
    week.validate().map_err(|e| anyhow::anyhow!("demo hours: {e}"))?;
    Ok(Availability {
        clinician_id: clinician.id.clone(),
        settings: serde_json::to_string(&week)?,
        notice_minutes: 120,
        cancel_notice_minutes: 24 * 60,
        updated_at: now,
    })
}

/// The demo account with this email, made with `role` and the password if it does not exist; and whether
/// it was made now.
async fn account(db: &Db, role: Role, (email, password): (&str, &str), now: i64) -> anyhow::Result<(User, bool)> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e))?;
    if let Some(existing) = db.credentials(&email).await? {
        return Ok((existing.user, false));
    }
    let hash = kneeroot_web::security::hash_password(password.to_owned()).await?;
    Ok((db.create_user(&NewUser { email, password_hash: hash, role, now }).await?, true))
}
