//! The command line as scripts and people use it: real process, real files, real exit codes.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{kneeroot, kneeroot_with_input, stderr, stdout};

fn golden(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "kneeroot-core", "tests", "golden", name].iter().collect();
    path.to_string_lossy().into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.to_string_lossy().into_owned()
}

#[test]
fn assess_from_a_toml_file_prints_the_contract_json() {
    let o = kneeroot(&["assess", "--answers", &golden("08_selfcare_hip_kneecap_pain.toml"), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["triage"]["level"], "self_care");
    assert_eq!(json["root_causes"].as_array().map(Vec::len), Some(4));
    assert_eq!(json["root_causes"][0]["id"], "hip");
    assert!(json["plan"]["steps"].as_array().is_some_and(|s| s.len() == 3));
}

#[test]
fn assess_accepts_a_json_answers_file_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "a.json", r#"{"age": 30, "pain.location": ["front"], "flag.knee_locked": true}"#);
    let o = kneeroot(&["assess", "--answers", &file, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(json["triage"]["level"], "urgent");
    assert!(json["plan"].is_null());
}

#[test]
fn the_same_answers_give_byte_identical_json() {
    let file = golden("13_mixed_hip_and_ankle.toml");
    let a = kneeroot(&["assess", "--answers", &file, "--format", "json"]);
    let b = kneeroot(&["assess", "--answers", &file, "--format", "json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn an_out_of_range_answer_exits_2_naming_the_id_the_value_and_the_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.toml", "pain.now = 11\nage = 40\n");
    let o = kneeroot(&["assess", "--answers", &file]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("pain.now") && err.contains("11") && err.contains("from 0 to 10"), "{err}");
    assert!(o.stdout.is_empty(), "nothing is evaluated on bad input");
}

#[test]
fn an_unknown_id_exits_2_and_suggests_the_closest_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "typo.json", r#"{"pain.nwo": 3}"#);
    let o = kneeroot(&["assess", "--answers", &file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean 'pain.now'"), "{}", stderr(&o));
}

#[test]
fn a_missing_answers_file_exits_2_with_its_path() {
    let o = kneeroot(&["assess", "--answers", "/nonexistent/answers.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/answers.toml"));
}

#[test]
fn a_red_flag_text_result_says_where_to_go_and_shows_no_plan_or_causes() {
    let o = kneeroot(&["assess", "--answers", &golden("01_emergency_septic_joint.toml")]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("emergency department"), "{out}");
    assert!(!out.contains("Your plan"), "{out}");
    assert!(!out.contains("What seems to be driving"), "{out}");
    assert!(out.contains("not a diagnosis"));
}

#[test]
fn a_self_care_text_result_explains_causes_with_the_persons_answers() {
    let o = kneeroot(&["assess", "--answers", &golden("09_selfcare_ankle.toml")]);
    let out = stdout(&o);
    assert!(out.contains("Because you said"), "{out}");
    assert!(out.contains("Your plan"), "{out}");
    assert!(out.contains("This week"), "{out}");
}

#[test]
fn markdown_output_is_markdown() {
    let o = kneeroot(&["assess", "--answers", &golden("09_selfcare_ankle.toml"), "--format", "markdown"]);
    let out = stdout(&o);
    assert!(out.starts_with("# "), "{out}");
    assert!(out.contains("\n## What seems to be driving your knee pain\n"), "{out}");
}

#[test]
fn kb_check_passes_on_the_shipped_knowledge() {
    let o = kneeroot(&["kb", "check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("ok: knowledge base"));
}

#[test]
fn kb_check_on_a_broken_copy_fails_naming_the_file_and_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = kneeroot(&["kb", "dump", &dir.path().to_string_lossy()]);
    assert!(o.status.success());
    let path = dir.path().join("exercises.toml");
    let text = std::fs::read_to_string(&path).expect("dumped");
    let broken = text.replacen("progression = \"", "progression = \"no_such_", 1);
    assert_ne!(broken, text);
    std::fs::write(&path, broken).expect("write");
    let o = kneeroot(&["kb", "check", &dir.path().to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("exercises.toml: exercise.") && out.contains(".progression: unknown exercise 'no_such_"),
        "{out}"
    );
}

#[test]
fn a_clinician_can_change_a_weight_in_a_knowledge_folder_without_touching_rust() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = kneeroot(&["kb", "dump", &dir.path().to_string_lossy()]);
    assert!(shipped.status.success());
    // Make heel lift count for nothing much, and see the ankle drop.
    let path = dir.path().join("evidence.toml");
    let text = std::fs::read_to_string(&path).expect("dumped");
    let changed = text.replacen("id = \"ankle_heels_lift\"", "id = \"ankle_heels_lift_local\"", 1).replacen(
        "driver = \"dorsiflexion_restriction\"\nweight = 1.2",
        "driver = \"dorsiflexion_restriction\"\nweight = 0.1",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).expect("write");
    let file = golden("09_selfcare_ankle.toml");
    let score = |args: &[&str]| -> f64 {
        let o = kneeroot(args);
        assert!(o.status.success(), "{}", stderr(&o));
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let causes = json["root_causes"].as_array().expect("causes").clone();
        causes.iter().find(|c| c["id"] == "ankle").and_then(|c| c["score"].as_f64()).expect("ankle score")
    };
    let before = score(&["assess", "--answers", &file, "--format", "json"]);
    let folder = dir.path().to_string_lossy().into_owned();
    let after = score(&["--knowledge", &folder, "assess", "--answers", &file, "--format", "json"]);
    assert!(after < before, "{after} should be below {before}");
}

#[test]
fn a_knowledge_folder_with_a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "extras.toml", "x = 1\n");
    let o = kneeroot(&["--knowledge", &dir.path().to_string_lossy(), "faq"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("extras.toml"), "{}", stderr(&o));
}

#[test]
fn faq_finds_the_answer_about_arthritis() {
    let o = kneeroot(&["faq", "arthritis"]);
    assert!(o.status.success());
    assert!(stdout(&o).to_lowercase().contains("arthritis"));
}

#[test]
fn kb_exercises_lists_the_library() {
    let o = kneeroot(&["kb", "exercises"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("ankle_banded_mobilisation") && out.contains("step_up"), "{out}");
    assert!(out.lines().count() > 30);
}

#[test]
fn the_interactive_assessment_works_from_a_pipe_and_stops_at_a_red_flag() {
    // Age 40, skip the rest of "about" and every flag before cauda equina, then yes to it.
    let kb_questions = kneeroot(&["kb", "answers-doc"]);
    let doc = stdout(&kb_questions);
    let ids: Vec<&str> =
        doc.lines().filter_map(|l| l.strip_prefix("| `")).filter_map(|l| l.split('`').next()).collect();
    let before = ids.iter().take_while(|id| **id != "flag.saddle_numbness_or_bladder_bowel_change").count();
    let script = format!("40\n{}y\n", "\n".repeat(before - 1));
    let o = kneeroot_with_input(&["assess"], &script);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Get help now"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let o = kneeroot(&["assess", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn progression_decides_from_a_sessions_file_in_the_contract_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = r#"{"pain_during": 3, "pain_next_morning": 2, "baseline": 2, "quality_ok": true}"#;
    let file = write(dir.path(), "s.json", &format!("[{good}, {good}]"));
    let o = kneeroot(&["progression", "--sessions", &file, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["decision"], "progress");
    assert!(json["reason"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(json.as_object().map(|o| o.len()), Some(2), "exactly decision and reason");

    let flare = write(
        dir.path(),
        "f.json",
        r#"[{"pain_during": 7, "pain_next_morning": null, "baseline": 2, "quality_ok": true}]"#,
    );
    let o = kneeroot(&["progression", "--sessions", &flare, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["decision"], "regress");
    assert!(json["reason"].as_str().is_some_and(|r| r.contains("7/10")));
}

#[test]
fn progression_refuses_a_bad_sessions_file_naming_the_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "bad.json",
        r#"[{"pain_during": 11, "pain_next_morning": 2, "baseline": 2, "quality_ok": true}]"#,
    );
    let o = kneeroot(&["progression", "--sessions", &file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("session 1") && stderr(&o).contains("pain_during = 11"), "{}", stderr(&o));
}

#[test]
fn admin_add_user_takes_the_password_from_stdin_and_refuses_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_string_lossy().into_owned();
    let args = [
        "admin",
        "add-user",
        "--data-dir",
        &data,
        "--role",
        "clinician",
        "--email",
        "Physio@Clinic.example",
        "--password-stdin",
    ];
    let o = kneeroot_with_input(&args, "a long enough password\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("added clinician physio@clinic.example"), "{}", stdout(&o));
    let again = kneeroot_with_input(&args, "another long password\n");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let weak = kneeroot_with_input(
        &["admin", "add-user", "--data-dir", &data, "--role", "admin", "--email", "a@b.example", "--password-stdin"],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(stderr(&weak).contains("at least 10 characters"), "{}", stderr(&weak));
}

#[test]
fn a_backup_restored_into_a_fresh_folder_holds_the_same_accounts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let live = dir.path().join("live");
    let live_s = live.to_string_lossy().into_owned();
    let o = kneeroot_with_input(
        &[
            "admin",
            "add-user",
            "--data-dir",
            &live_s,
            "--role",
            "patient",
            "--email",
            "kept@example.com",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let file = dir.path().join("backup.db").to_string_lossy().into_owned();
    let o = kneeroot(&["backup", "--data-dir", &live_s, "--to", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        kneeroot(&["backup", "--data-dir", &live_s, "--to", &file]).status.code(),
        Some(2),
        "never overwrites a backup"
    );

    let fresh = dir.path().join("fresh").to_string_lossy().into_owned();
    let o = kneeroot(&["restore", "--from", &file, "--data-dir", &fresh]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The restored database knows the account: adding it again is a conflict.
    let again = kneeroot_with_input(
        &[
            "admin",
            "add-user",
            "--data-dir",
            &fresh,
            "--role",
            "patient",
            "--email",
            "kept@example.com",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    // Restoring over an existing database needs --force, and a file that is not a backup is refused.
    assert_eq!(kneeroot(&["restore", "--from", &file, "--data-dir", &fresh]).status.code(), Some(2));
    let junk = write(dir.path(), "junk.db", "not a database");
    let o = kneeroot(&["restore", "--from", &junk, "--data-dir", &fresh, "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a usable kneeroot backup"), "{}", stderr(&o));
    assert!(std::path::Path::new(&fresh).join("kneeroot.db").exists(), "a bad backup never replaces a good database");
}

/// `kneeroot serve` on a database a newer kneeroot migrated: it must stop at once with exit status 2 and a
/// message naming both schema versions, not serve, and not touch the database.
#[tokio::test]
async fn serve_refuses_a_database_newer_than_itself_naming_both_versions() {
    use sqlx::Connection;

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_string_lossy().into_owned();
    let o = kneeroot_with_input(
        &["admin", "add-user", "--data-dir", &data, "--role", "admin", "--email", "a@b.example", "--password-stdin"],
        "a long enough password\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let known = *kneeroot_store::schema_versions(kneeroot_store::Backend::Sqlite).last().expect("a migration");
    let newer = known + 1;
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", dir.path().join("kneeroot.db").display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("open the database");
    sqlx::query("INSERT INTO kneeroot_schema (version, applied_at) VALUES ($1, 0)")
        .bind(newer)
        .execute(&mut conn)
        .await
        .expect("pretend a newer kneeroot migrated it");
    conn.close().await.expect("close");
    let before = std::fs::read(dir.path().join("kneeroot.db")).expect("the database file");

    let mut child = Command::new(env!("CARGO_BIN_EXE_kneeroot"))
        .args(["serve", "--data-dir", &data, "--bind", "127.0.0.1:0"])
        .env_remove("KNEEROOT_KNOWLEDGE")
        .env_remove("KNEEROOT_DATABASE_URL")
        .env_remove("KNEEROOT_BIND")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kneeroot serve");
    let started = std::time::Instant::now();
    while child.try_wait().expect("poll").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("kneeroot serve started on a database newer than itself");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let message = stderr(&o);
    for needed in [format!("version {newer}"), format!("up to {known}"), "upgrade kneeroot".to_owned()] {
        assert!(message.contains(&needed), "the message should say {needed:?}:\n{message}");
    }
    assert!(!stdout(&o).contains("is running"), "{}", stdout(&o));
    assert_eq!(std::fs::read(dir.path().join("kneeroot.db")).expect("the database file"), before, "untouched");
}

/// `kneeroot admin invite`: the link alone on standard output (the token only there, its hash in the
/// database), the sender defaulting to the only administrator or to the patient's clinician, and the
/// clinic's rules refusing with exit status 2 and a message naming the flag.
#[tokio::test]
async fn admin_invite_prints_the_link_once_and_follows_the_clinics_rules() {
    use kneeroot_store::{InvitationStore, Role};

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_string_lossy().into_owned();
    for (role, email) in [("admin", "boss@clinic.example"), ("clinician", "physio@clinic.example")] {
        let args = ["admin", "add-user", "--data-dir", &data, "--role", role, "--email", email, "--password-stdin"];
        let o = kneeroot_with_input(&args, "a long enough password\n");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let invite = |extra: &[&str]| {
        let mut args = vec!["admin", "invite", "--data-dir", &data, "--public-url", "https://knee.clinic.example/"];
        args.extend_from_slice(extra);
        kneeroot(&args)
    };
    let o = invite(&["--role", "clinician", "--email", "new@clinic.example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let link = stdout(&o).trim().to_owned();
    let token = link.strip_prefix("https://knee.clinic.example/invite/").unwrap_or_else(|| panic!("{link}")).to_owned();
    assert_eq!(token.len(), 64, "{link}");
    assert!(stderr(&o).contains("sends no email") && stderr(&o).contains("boss@clinic.example"), "{}", stderr(&o));
    let o =
        invite(&["--role", "patient", "--email", "pat@clinic.example", "--clinician-email", "physio@clinic.example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let patient_token = stdout(&o).trim().rsplit('/').next().expect("a token").to_owned();

    let db = kneeroot_store::Db::connect(&format!("sqlite://{}", dir.path().join("kneeroot.db").display()))
        .await
        .expect("open the database");
    let stored = db.invitation(&kneeroot_web::security::token_hash(&token)).await.expect("read").expect("stored");
    assert_eq!((stored.role, stored.email.as_str()), (Role::Clinician, "new@clinic.example"));
    assert!(db.invitation(&token).await.expect("read").is_none(), "only the hash is a key");
    let for_patient =
        db.invitation(&kneeroot_web::security::token_hash(&patient_token)).await.unwrap().expect("stored");
    assert_eq!(for_patient.invited_by, for_patient.clinician_id.clone().expect("linked to the clinician"));
    db.close().await;

    for (extra, needed) in [
        (&["--role", "patient", "--email", "p2@clinic.example"][..], "--clinician-email"),
        (
            &["--role", "patient", "--email", "p2@clinic.example", "--clinician-email", "boss@clinic.example"][..],
            "not a clinician",
        ),
        (&["--role", "clinician", "--email", "boss@clinic.example"][..], "already has an account"),
        (&["--role", "admin", "--email", "x@clinic.example", "--by", "physio@clinic.example"][..], "patients only"),
        (&["--role", "admin", "--email", "x@clinic.example", "--by", "nobody@clinic.example"][..], "--by"),
        (&["--role", "admin", "--email", "not an email"][..], "--email"),
    ] {
        let o = invite(extra);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needed), "{extra:?} should say {needed:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{extra:?}: no link");
    }
    let o = kneeroot(&[
        "admin",
        "invite",
        "--data-dir",
        &data,
        "--public-url",
        "knee.example",
        "--role",
        "admin",
        "--email",
        "y@clinic.example",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--public-url"), "{}", stderr(&o));
}

/// `kneeroot serve --demo` seeds a patient, their clinician (linked to them) and an administrator, says
/// how to sign in as each, and does it again on a second start without duplicating or unlinking anything.
#[tokio::test]
async fn serve_demo_seeds_a_linked_patient_and_clinician_and_an_administrator() {
    use std::io::BufRead;

    use kneeroot_store::{BookingStore, Email, Role, UserStore};

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_string_lossy().into_owned();
    for _ in 0..2 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kneeroot"))
            .args(["serve", "--demo", "--data-dir", &data, "--bind", "127.0.0.1:0"])
            .env_remove("KNEEROOT_KNOWLEDGE")
            .env_remove("KNEEROOT_DATABASE_URL")
            .env_remove("KNEEROOT_BIND")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run kneeroot serve --demo");
        let mut printed = String::new();
        for line in std::io::BufReader::new(child.stdout.take().expect("stdout")).lines() {
            let line = line.expect("a line");
            printed.push_str(&line);
            printed.push('\n');
            if line.contains("is running") {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        for needed in [
            "patient@demo.kneeroot.invalid / demo-patient-pass",
            "physio@demo.kneeroot.invalid / demo-physio-pass",
            "admin@demo.kneeroot.invalid / demo-admin-pass",
        ] {
            assert!(printed.contains(needed), "{needed} missing:\n{printed}");
        }
    }
    let db = kneeroot_store::Db::connect(&format!("sqlite://{}", dir.path().join("kneeroot.db").display()))
        .await
        .expect("open the database");
    let user = |email: &'static str| {
        let db = db.clone();
        async move { db.credentials(&Email::parse(email).unwrap()).await.unwrap().expect(email).user }
    };
    let (patient, physio, admin) = (
        user("patient@demo.kneeroot.invalid").await,
        user("physio@demo.kneeroot.invalid").await,
        user("admin@demo.kneeroot.invalid").await,
    );
    assert_eq!((patient.role, physio.role, admin.role), (Role::Patient, Role::Clinician, Role::Admin));
    assert_eq!(db.patients_of(&physio.id).await.unwrap(), vec![patient.id.clone()]);
    assert_eq!(db.users_with_role(Role::Admin).await.unwrap().len(), 1);
    let hours = db.availability(&physio.id).await.unwrap().expect("the demo clinician has opening hours");
    let week: kneeroot_core::booking::WeeklyAvailability = serde_json::from_str(&hours.settings).unwrap();
    assert!(week.validate().is_ok() && !week.windows.is_empty(), "bookable demo hours: {week:?}");
    db.close().await;
}
