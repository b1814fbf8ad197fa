//! The clinician portal and the audit trail: the caseload shows linked patients only, with alerts for
//! the seeded situations and none otherwise; every per-patient route is 404 for a patient who is not
//! linked, 403 for patients and administrators, a sign-in (pages) or 401 (API) for nobody; every look,
//! change and download writes exactly its audit entry, which the patient reads at `/account/access`; plan
//! edits are validated field by field, appear on the patient's plan with the clinician's name, and are
//! not undone by the pain rules.

use kneeroot_core::outcomes::Instrument;
use kneeroot_store::{
    AuditAction, AuditStore, BookingStore, CheckinStore, Email, MorningReport, NewBooking, NewOutcomeResponse,
    OutcomeStore, PlanChangeStore, Role, Stiffness, User, UserId, UserStore,
};
use kneeroot_web::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, Resp, START, TestApp, assert_redirect_to, email, escape, sensible_json};

both!(
    the_caseload_shows_only_linked_patients_and_audits_each_row,
    an_empty_caseload_says_how_patients_arrive,
    unlinked_or_unknown_patients_are_404_on_every_per_patient_route,
    patients_and_admins_get_403_and_nobody_signs_in_first,
    every_look_change_and_download_writes_exactly_its_audit_entry,
    the_patient_page_explains_the_assessment_and_shows_plan_check_ins_scores_and_appointments,
    a_dose_change_appears_on_the_patients_plan_attributed,
    invalid_plan_edits_name_the_field_and_write_nothing,
    a_stale_plan_edit_is_refused_and_changes_nothing,
    the_pain_rules_do_not_undo_a_clinicians_dose_change,
    alerts_appear_for_seeded_data_and_not_otherwise,
    the_openapi_document_describes_the_clinicians_fhir_route,
);

const DAY: i64 = 86_400;
/// The day number of `START` (2026-01-01).
const START_DAY: i64 = START / DAY;

/// A staff account made through the store (roles other than patient come by invitation), signed in in a
/// browser of its own.
async fn staff(app: &TestApp, who: &str, role: Role) -> (User, Browser) {
    let user = app.account(&email(who), role).await;
    let b = app.browser();
    assert_eq!(b.login(&email(who), PASSWORD).await.status, StatusCode::SEE_OTHER, "signing in {who}");
    (user, b)
}

/// A patient with a saved assessment (and so a plan): their browser, id and API token.
async fn patient(app: &TestApp, who: &str) -> (Browser, UserId, String) {
    let b = app.signed_up_browser(&email(who)).await;
    let token = b.bearer_token(&email(who), PASSWORD).await;
    b.api_save_assessment(&token, &sensible_json()).await;
    let id = app.db.credentials(&Email::parse(&email(who)).expect("email")).await.expect("read").expect("user").user.id;
    (b, id, token)
}

async fn link(app: &TestApp, clinician: &User, patient: &UserId) {
    app.db.link(&clinician.id, patient, app.clock.now()).await.expect("link");
}

/// The patient's audit log as (action, what), oldest first.
async fn audit(app: &TestApp, patient: &UserId) -> Vec<(AuditAction, String)> {
    app.db.audit_of_patient(patient).await.expect("audit").into_iter().map(|e| (e.action, e.what)).collect()
}

/// The exercises of the patient's plan in force, as the clinician's plan page lists them.
fn listed_exercises(page: &Resp, patient: &UserId) -> Vec<String> {
    let prefix = format!("/clinic/patients/{patient}/plan?exercise=");
    page.body
        .match_indices(&prefix)
        .filter_map(|(i, _)| {
            let rest = &page.body[i + prefix.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// The first exercise of the plan without a hold, and the first with one (if any).
async fn exercises(clinician: &Browser, patient: &UserId) -> (String, Option<String>) {
    let page = clinician.get_page(&format!("/clinic/patients/{patient}/plan")).await;
    let kb = crate::helpers::kb();
    let ids = listed_exercises(&page, patient);
    let held = |id: &&String| kb.exercise(id).is_some_and(|x| x.dose.hold_seconds.is_some());
    let plain = ids.iter().find(|id| !held(id)).expect("an exercise without a hold").clone();
    (plain, ids.iter().find(held).cloned())
}

/// Post a plan edit with the clinician's CSRF token (from the edit form).
async fn edit(clinician: &Browser, patient: &UserId, fields: &[(&str, &str)]) -> Resp {
    // The token comes from a page that reads no patient, so the audit log sees only the edit.
    let token = clinician.csrf().await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    clinician.post_form_raw(&format!("/clinic/patients/{patient}/plan"), &all).await
}

/// The caseload card of `who` (the text from its heading to the next card).
fn card<'a>(caseload: &'a Resp, who: &str) -> &'a str {
    let at = caseload.body.find(&format!(">{}</a></h2>", email(who))).unwrap_or_else(|| panic!("no card for {who}"));
    let start = caseload.body[..at].rfind("<li class=\"card patient-row").expect("card start");
    let end = caseload.body[at..].find("</dl>").map_or(caseload.body.len(), |e| at + e);
    &caseload.body[start..end]
}

async fn the_caseload_shows_only_linked_patients_and_audits_each_row(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (_, linked, _) = patient(&app, "linked").await;
    let (_, booked, _) = patient(&app, "booked").await;
    let (_, stranger, _) = patient(&app, "stranger").await;
    link(&app, &clin, &linked).await;
    // Booking links too: the second patient arrives by booking an appointment.
    app.db
        .book(&NewBooking {
            clinician_id: clin.id.clone(),
            patient_id: booked.clone(),
            start: START + 3 * DAY + 9 * 3600,
            end: START + 3 * DAY + 9 * 3600 + 1800,
            reason: "knee review".into(),
            assessment_id: None,
            now: app.clock.now(),
        })
        .await
        .expect("book");
    let page = cb.get_page("/clinic").await;
    page.assert_contains(&email("linked")).assert_contains(&email("booked")).assert_lacks(&email("stranger"));
    assert!(card(&page, "booked").contains("4 Jan 2026, 09:00"), "{}", card(&page, "booked"));
    assert!(card(&page, "linked").contains("None booked"));
    for who in ["linked", "booked"] {
        let c = card(&page, who);
        assert!(c.contains("Self-care with a plan; most likely:"), "{c}");
        assert!(c.contains("nothing planned") || c.contains(" % ("), "{c}");
        assert!(c.contains("No questionnaire yet"), "{c}");
    }
    // Each row is a look at that patient's record, and only theirs.
    for p in [&linked, &booked] {
        assert_eq!(audit(&app, p).await, [(AuditAction::View, "summary on the caseload".to_owned())]);
    }
    assert_eq!(audit(&app, &stranger).await, []);
}

async fn an_empty_caseload_says_how_patients_arrive(app: TestApp) {
    let (_, cb) = staff(&app, "newphysio", Role::Clinician).await;
    cb.get_page("/clinic")
        .await
        .assert_contains("patients appear here when they book with you or accept your invitation");
}

async fn unlinked_or_unknown_patients_are_404_on_every_per_patient_route(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let token = app.bearer_token(&email("physio"), PASSWORD).await;
    let (_, other, _) = patient(&app, "someone").await;
    // A linked patient of this clinician, to show the routes work at all for the right id.
    let (_, mine, _) = patient(&app, "mine").await;
    link(&app, &clin, &mine).await;
    cb.get_page(&format!("/clinic/patients/{mine}")).await;
    let (exercise, _) = exercises(&cb, &mine).await;
    let unknown = UserId::random().to_string();
    let csrf = cb.csrf().await;
    let mut seen = Vec::new();
    for id in [other.as_str(), unknown.as_str(), "not-an-id", "0123456789ABCDEF0123456789ABCDEF"] {
        for path in [
            format!("/clinic/patients/{id}"),
            format!("/clinic/patients/{id}/plan"),
            format!("/clinic/patients/{id}/plan?exercise={exercise}"),
            format!("/clinic/patients/{id}/fhir.json"),
        ] {
            let r = cb.get(&path).await;
            r.assert_page(StatusCode::NOT_FOUND).assert_lacks(&email("someone"));
            seen.push(r.body.clone());
        }
        let r = cb
            .post_form_raw(
                &format!("/clinic/patients/{id}/plan"),
                &[("csrf", &csrf), ("exercise_id", &exercise), ("sets", "2"), ("reason", "test")],
            )
            .await;
        r.assert_page(StatusCode::NOT_FOUND);
        seen.push(r.body.clone());
        let r = app.api(Method::GET, &format!("/api/v1/patients/{id}/fhir"), Some(&token), None).await;
        r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    }
    // Not linked and not there read the same, so existence does not leak.
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(audit(&app, &other).await, []);
    assert_eq!(app.db.plan_changes(&other).await.expect("changes"), []);
}

async fn patients_and_admins_get_403_and_nobody_signs_in_first(app: TestApp) {
    let (clin, _) = staff(&app, "physio", Role::Clinician).await;
    let (_, ab) = staff(&app, "admin", Role::Admin).await;
    let admin_token = app.bearer_token(&email("admin"), PASSWORD).await;
    let (pb, p, patient_token) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    let pages = [
        "/clinic".to_owned(),
        format!("/clinic/patients/{p}"),
        format!("/clinic/patients/{p}/plan"),
        format!("/clinic/patients/{p}/fhir.json"),
    ];
    for b in [&pb, &ab] {
        for path in &pages {
            b.get(path).await.assert_page(StatusCode::FORBIDDEN);
        }
        let r = b.post_form(&format!("/clinic/patients/{p}/plan"), &[("exercise_id", "x"), ("reason", "r")]).await;
        r.assert_page(StatusCode::FORBIDDEN);
    }
    let nobody = app.browser();
    for path in &pages {
        assert_redirect_to(&nobody.get(path).await, "/login");
    }
    assert_redirect_to(&nobody.post_form(&format!("/clinic/patients/{p}/plan"), &[("reason", "r")]).await, "/login");
    assert_redirect_to(&nobody.get("/account/access").await, "/login");
    let api = format!("/api/v1/patients/{p}/fhir");
    for token in [&patient_token, &admin_token] {
        app.api(Method::GET, &api, Some(token), None).await.assert_api_error(StatusCode::FORBIDDEN, "forbidden");
    }
    app.api(Method::GET, &api, None, None).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    // Nobody got in, so nobody is in the patient's log.
    assert_eq!(audit(&app, &p).await, []);
}

async fn every_look_change_and_download_writes_exactly_its_audit_entry(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let token = app.bearer_token(&email("physio"), PASSWORD).await;
    let (pb, p, _) = patient(&app, "pat").await;
    pb.get_page("/account/access").await.assert_contains("Nobody has looked at your record yet.");
    link(&app, &clin, &p).await;
    let mut expected: Vec<(AuditAction, String)> = Vec::new();

    // A second apart each, so the log's order is the order of the steps.
    cb.get_page(&format!("/clinic/patients/{p}")).await;
    expected.push((AuditAction::View, "record".into()));
    assert_eq!(audit(&app, &p).await, expected, "the patient page is one look");

    app.clock.advance(1);
    let (exercise, _) = exercises(&cb, &p).await;
    expected.push((AuditAction::View, "plan".into()));
    assert_eq!(audit(&app, &p).await, expected, "the plan page is one look");

    app.clock.advance(1);
    let r = edit(&cb, &p, &[("exercise_id", &exercise), ("sets", "2"), ("reason", "sore knee")]).await;
    assert_redirect_to(&r, &format!("/clinic/patients/{p}/plan?saved={exercise}"));
    let name = crate::helpers::kb().exercise(&exercise).expect("exercise").name.clone();
    expected.push((AuditAction::Change, format!("plan ({name}: 2 sets)")));
    assert_eq!(audit(&app, &p).await, expected, "a change is one entry, and no look");
    assert_eq!(app.db.plan_changes(&p).await.expect("changes").len(), 1);

    app.clock.advance(1);
    let file = cb.get(&format!("/clinic/patients/{p}/fhir.json")).await;
    file.assert_status(StatusCode::OK);
    assert_eq!(file.header("content-type"), "application/fhir+json");
    assert!(file.header("content-disposition").starts_with("attachment; filename=\"kneeroot-fhir-"));
    assert_eq!(file.header("cache-control"), "no-store");
    assert_eq!(file.json()["resourceType"], "Bundle");
    expected.push((AuditAction::Export, "record as a FHIR file".into()));
    assert_eq!(audit(&app, &p).await, expected);

    app.clock.advance(1);
    let api = app.api(Method::GET, &format!("/api/v1/patients/{p}/fhir"), Some(&token), None).await;
    api.assert_status(StatusCode::OK);
    assert_eq!(api.json()["resourceType"], "Bundle");
    assert_eq!(api.json()["entry"].as_array().map(Vec::len), file.json()["entry"].as_array().map(Vec::len));
    expected.push((AuditAction::Export, "record as a FHIR file".into()));
    assert_eq!(audit(&app, &p).await, expected);

    // The patient reads it all, newest first, in plain words, from their account page.
    pb.get_page("/account").await.assert_contains("href=\"/account/access\"");
    let log = pb.get_page("/account/access").await;
    log.assert_contains(&format!("{} (clinician)", email("physio")))
        .assert_contains("Looked at your record")
        .assert_contains("Looked at your plan")
        .assert_contains(&escape(&format!("Changed your plan ({name}: 2 sets)")))
        .assert_contains("Downloaded your record as a FHIR file")
        .assert_contains("Thu 1 Jan 2026, 00:00 (UTC)");
    let newest = log.body.find("Downloaded your record").expect("export");
    let oldest = log.body.find("Looked at your record").expect("view");
    assert!(newest < oldest, "newest first");
    // Another person's log is their own.
    let (other, _, _) = patient(&app, "other").await;
    other.get_page("/account/access").await.assert_lacks(&email("physio"));
}

async fn the_patient_page_explains_the_assessment_and_shows_plan_check_ins_scores_and_appointments(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (_, p, token) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let first = plan["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("exercise").to_owned();
    let body = json!({"day": "2026-01-01", "exercises": [{"exercise_id": first, "done": true, "pain_during": 3}],
        "morning": {"pain": 4, "usual": 3, "stiffness": "more"}});
    app.api(Method::POST, "/api/v1/checkins", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
    save_kujala(&app, &p, 0, 55.0).await;
    app.db
        .book(&NewBooking {
            clinician_id: clin.id.clone(),
            patient_id: p.clone(),
            start: START + 2 * DAY + 10 * 3600,
            end: START + 2 * DAY + 10 * 3600 + 1800,
            reason: "first visit".into(),
            assessment_id: None,
            now: app.clock.now(),
        })
        .await
        .expect("book");
    let kb = crate::helpers::kb();
    let page = cb.get_page(&format!("/clinic/patients/{p}")).await;
    page.assert_contains("Because they said:")
        .assert_contains("Self-care with a plan")
        .assert_contains("Week 1 of")
        .assert_contains(&escape(&kb.exercise(&first).expect("exercise").name))
        .assert_contains("Morning pain 4/10 (usual 3/10), stiffer than usual")
        .assert_contains("pain 3/10 during")
        .assert_contains("<svg class=\"chart\"")
        .assert_contains("Kujala score (kneecap pain)")
        .assert_contains("Kujala: no follow-up score yet")
        .assert_contains("Sat 3 Jan 2026, 10:00 (UTC): first visit")
        .assert_contains(&format!("href=\"/clinic/patients/{p}/plan\""))
        .assert_contains(&format!("href=\"/clinic/patients/{p}/fhir.json\""));
    let top = kb.causes().iter().map(|c| c.name.as_str()).find(|n| page.body.contains(&escape(n)));
    assert!(top.is_some(), "the causes are named from the knowledge base");
}

async fn a_dose_change_appears_on_the_patients_plan_attributed(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (pb, p, _) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    app.clock.advance(2 * DAY);
    let (exercise, _) = exercises(&cb, &p).await;
    let form = cb.get_page(&format!("/clinic/patients/{p}/plan?exercise={exercise}")).await;
    form.assert_contains("Easier and harder versions").assert_contains("name=\"exercise_id\"");
    let r = edit(
        &cb,
        &p,
        &[
            ("exercise_id", &exercise),
            ("sets", "2"),
            ("reps", "6"),
            ("note", "Go gently this week."),
            ("reason", "flare"),
        ],
    )
    .await;
    assert_redirect_to(&r, &format!("/clinic/patients/{p}/plan?saved={exercise}"));
    let saved = cb.get_page(r.location()).await;
    saved.assert_contains("Saved: the change to").assert_contains("2 × 6");
    let changes = app.db.plan_changes(&p).await.expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].author_id.as_ref(), Some(&clin.id));
    assert_eq!((changes[0].sets, changes[0].reps, changes[0].reason.as_str()), (Some(2), Some(6), "flare"));
    let plan = pb.get_page("/plan").await;
    plan.assert_contains(&format!(
        "Changed by your physiotherapist {}, 3 January 2026: Go gently this week.",
        email("physio")
    ))
    .assert_contains("2 × 6");
    // The change log names them on the clinician's page and on the patient's progress page.
    cb.get_page(&format!("/clinic/patients/{p}")).await.assert_contains(&format!("<td>{}</td>", email("physio")));
    pb.get_page("/progress").await.assert_contains("by your physiotherapist");
}

async fn invalid_plan_edits_name_the_field_and_write_nothing(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (_, p, _) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    let (plain, _) = exercises(&cb, &p).await;
    let long_note = "a".repeat(501);
    // (the fields sent besides the exercise and a reason, the field to blame, its message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (vec![("sets", "0")], "sets", "Sets must be a whole number from 1 to 10."),
        (vec![("sets", "11")], "sets", "Sets must be a whole number from 1 to 10."),
        (vec![("reps", "51")], "reps", "Repetitions must be a whole number from 1 to 50."),
        (vec![("per_week", "three")], "per_week", "Sessions per week must be a whole number from 1 to 14."),
        (vec![("hold_seconds", "30")], "hold_seconds", "is not held"),
        (vec![("note", long_note.as_str())], "note", "keep it to 500"),
        (vec![("replacement", "no_such_exercise")], "replacement", "is not an exercise of the knowledge base"),
        (vec![("replacement", plain.as_str())], "replacement", "That is the same exercise"),
        (vec![], "change", "Nothing to change"),
    ];
    for (fields, field, message) in cases {
        let mut all = vec![("exercise_id", plain.as_str())];
        all.extend(fields.iter().copied());
        all.push(("reason", "because"));
        let r = edit(&cb, &p, &all).await;
        r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains(&escape(message));
        // A hold is not on the form of an exercise that is not held: its message heads the form.
        if !["change", "hold_seconds"].contains(&field) {
            r.assert_contains(&format!("aria-describedby=\"{field}-error\""));
        }
    }
    let r = edit(&cb, &p, &[("exercise_id", &plain), ("sets", "2")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("aria-describedby=\"reason-error\"");
    let r = edit(&cb, &p, &[("exercise_id", "no_such_exercise"), ("sets", "2"), ("reason", "r")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("is not an exercise of the knowledge base");
    // A form without the session's CSRF token is refused before anything, even a look.
    let before = audit(&app, &p).await.len();
    let r = cb
        .post_form_raw(
            &format!("/clinic/patients/{p}/plan"),
            &[("csrf", "forged"), ("exercise_id", &plain), ("sets", "2"), ("reason", "r")],
        )
        .await;
    r.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(audit(&app, &p).await.len(), before);
    // Nothing changed; every rejected form was a look at the plan and nothing else.
    assert_eq!(app.db.plan_changes(&p).await.expect("changes"), []);
    assert!(audit(&app, &p).await.iter().all(|(a, what)| *a == AuditAction::View && what == "plan"));
}

async fn a_stale_plan_edit_is_refused_and_changes_nothing(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (_, p, _) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    let page = cb.get_page(&format!("/clinic/patients/{p}/plan")).await;
    let in_plan = listed_exercises(&page, &p);
    let kb = crate::helpers::kb();
    let outside = kb.exercises().iter().find(|x| !in_plan.contains(&x.id)).expect("an exercise not in the plan");
    let r = edit(&cb, &p, &[("exercise_id", &outside.id), ("sets", "2"), ("reason", "r")]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("no longer in the plan");
    let r = edit(&cb, &p, &[("exercise_id", &in_plan[0]), ("replacement", &in_plan[1]), ("reason", "r")]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("already in the plan");
    assert_eq!(app.db.plan_changes(&p).await.expect("changes"), []);
}

/// A check-in through the API on `day` (days after the start).
async fn checkin(app: &TestApp, token: &str, day: i64, exercise: Option<&str>, morning: bool) -> Value {
    let mut body = json!({"day": format!("2026-01-{:02}", day + 1)});
    if let Some(e) = exercise {
        body["exercises"] = json!([{"exercise_id": e, "done": true, "pain_during": 1, "quality_ok": true}]);
    }
    if morning {
        body["morning"] = json!({"pain": 2, "usual": 2});
    }
    let r = app.api(Method::POST, "/api/v1/checkins", Some(token), Some(&body)).await;
    r.assert_status(StatusCode::CREATED);
    r.json()["decisions"].clone()
}

async fn the_pain_rules_do_not_undo_a_clinicians_dose_change(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let (_, p, token) = patient(&app, "pat").await;
    link(&app, &clin, &p).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let e = plan["plan"]["steps"][0]["exercises"][0].clone();
    let id = e["id"].as_str().expect("id").to_owned();
    let held = e["dose"]["hold_seconds"].is_number();
    // Two good sessions (days 0 and 1), the second morning settled.
    assert_eq!(checkin(&app, &token, 0, Some(&id), false).await, json!([]));
    app.clock.advance(DAY);
    assert_eq!(checkin(&app, &token, 1, Some(&id), true).await, json!([]));
    // Day 2: the clinician sets the dose before the patient's morning report, which would complete the
    // rules' case for progressing after the session of day 1.
    app.clock.advance(DAY);
    let (field, value) = if held { ("hold_seconds", "20") } else { ("reps", "6") };
    let r = edit(&cb, &p, &[("exercise_id", &id), (field, value), ("reason", "keep it easy")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        checkin(&app, &token, 2, None, true).await,
        json!([]),
        "the session before the change is the clinician's"
    );
    let changes = app.db.plan_changes(&p).await.expect("changes");
    assert_eq!(changes.len(), 1, "only the clinician's change: {changes:?}");
    // Sessions after the change are judged as usual, from the clinician's dose, never from the old one.
    app.clock.advance(DAY);
    checkin(&app, &token, 3, Some(&id), false).await;
    app.clock.advance(DAY);
    checkin(&app, &token, 4, Some(&id), true).await;
    app.clock.advance(DAY);
    let decisions = checkin(&app, &token, 5, None, true).await;
    assert_eq!(decisions[0]["decision"], "progress", "{decisions}");
    let changes = app.db.plan_changes(&p).await.expect("changes");
    assert_eq!(changes.len(), 2, "{changes:?}");
    let rules = &changes[1];
    assert_eq!(rules.author_id, None);
    let (old, new) = if held { (changes[0].hold_seconds, rules.hold_seconds) } else { (changes[0].reps, rules.reps) };
    assert!(new.is_none() || new > old, "the rules build on the clinician's {old:?}, got {new:?}");
    let page = cb.get_page(&format!("/clinic/patients/{p}/plan")).await;
    if held {
        page.assert_contains(&format!("held {} s", new.or(old).expect("hold")));
    } else {
        page.assert_contains(&format!("× {}", new.or(old).expect("reps")));
    }
}

async fn save_kujala(app: &TestApp, patient: &UserId, week: i64, total: f64) {
    app.db
        .save_response(&NewOutcomeResponse {
            user_id: patient.clone(),
            instrument: "kujala".into(),
            version: Instrument::Kujala.version().into(),
            week,
            now: app.clock.now(),
            answers: "{}".into(),
            scores: json!({"total": total}).to_string(),
        })
        .await
        .expect("response");
}

async fn morning(app: &TestApp, patient: &UserId, day: i64, pain: i64, flags: &[&str]) {
    app.db
        .upsert_morning(&MorningReport {
            user_id: patient.clone(),
            day: START_DAY + day,
            pain,
            usual: 2,
            stiffness: Stiffness::Same,
            flags: flags.iter().map(|f| (*f).to_owned()).collect(),
            updated_at: START + day * DAY,
        })
        .await
        .expect("morning");
}

async fn alerts_appear_for_seeded_data_and_not_otherwise(app: TestApp) {
    let (clin, cb) = staff(&app, "physio", Role::Clinician).await;
    let mut ids = Vec::new();
    for who in ["calm", "rising", "flagged", "silent", "stuck", "nofollowup"] {
        let (_, p, _) = patient(&app, who).await;
        link(&app, &clin, &p).await;
        save_kujala(&app, &p, 0, 60.0).await;
        ids.push(p);
    }
    let [calm, rising, flagged, silent, stuck, nofollowup] = <[UserId; 6]>::try_from(ids).expect("six");
    // Six weeks on: day 42 is in plan week 7, after the review at week 6.
    for (p, pains) in [(&calm, [2, 2]), (&rising, [2, 5]), (&flagged, [2, 2]), (&stuck, [3, 3]), (&nofollowup, [2, 2])]
    {
        for day in 29..=35 {
            morning(&app, p, day, pains[0], &[]).await;
        }
        for day in 36..=42 {
            let flags: &[&str] = if p == &flagged && day == 41 { &["flag.knee_locked"] } else { &[] };
            morning(&app, p, day, pains[1], flags).await;
        }
    }
    app.clock.advance(28 * DAY);
    for p in [&calm, &rising, &flagged, &silent] {
        save_kujala(&app, p, 4, 75.0).await;
    }
    save_kujala(&app, &stuck, 4, 64.0).await;
    app.clock.advance(14 * DAY + 3600);
    // Six weeks outlive a browser session: sign in again.
    assert_eq!(cb.login(&email("physio"), PASSWORD).await.status, StatusCode::SEE_OTHER);

    let page = cb.get_page("/clinic").await;
    let expect: [(&str, &[&str]); 6] = [
        ("calm", &[]),
        ("rising", &["alert-pain_rising"]),
        ("flagged", &["alert-red_flag"]),
        ("silent", &["alert-silent"]),
        ("stuck", &["alert-no_real_improvement"]),
        ("nofollowup", &[]),
    ];
    for (who, kinds) in expect {
        let c = card(&page, who);
        let found: Vec<&str> = ["alert-red_flag", "alert-pain_rising", "alert-no_real_improvement", "alert-silent"]
            .into_iter()
            .filter(|k| c.contains(k))
            .collect();
        assert_eq!(found, kinds, "{who}: {c}");
    }
    assert!(
        card(&page, "rising").contains("Morning pain rising: 5.0/10 on average over the last 7 days, up from 2.0/10")
    );
    assert!(card(&page, "flagged").contains("Warning sign in the check-in of 11 February 2026"));
    assert!(card(&page, "flagged").contains(&escape("Is your knee locked")));
    assert!(card(&page, "silent").contains("No check-in at all since the plan started 42 days ago."));
    assert!(
        card(&page, "stuck")
            .contains("No real improvement by week 7: the function questionnaire changed +4: within the noise.")
    );
    assert!(card(&page, "nofollowup").contains("Kujala: no follow-up score yet"), "{}", card(&page, "nofollowup"));
    assert!(card(&page, "calm").contains("Kujala since the first score: +15: a real improvement"));
    assert!(card(&page, "calm").contains("2/10 on the morning of 12 February 2026"));
    // Alerts first, the warning sign first of all; the calm patients after.
    let at = |who: &str| page.body.find(&format!(">{}</a></h2>", email(who))).expect("card");
    assert!(at("flagged") < at("rising") && at("rising") < at("stuck") && at("stuck") < at("silent"));
    assert!(at("silent") < at("calm") && at("silent") < at("nofollowup"));
    page.assert_contains("6 patients, 4 with alerts (listed first)");
    // The patient's own page repeats them.
    cb.get_page(&format!("/clinic/patients/{flagged}"))
        .await
        .assert_contains("alert-red_flag")
        .assert_contains("Alerts");
}

async fn the_openapi_document_describes_the_clinicians_fhir_route(app: TestApp) {
    let doc = app.get("/api/openapi.json").await.json();
    let op = &doc["paths"]["/api/v1/patients/{id}/fhir"]["get"];
    assert_eq!(op["operationId"], "exportPatientFhir");
    for status in ["200", "401", "403", "404"] {
        assert!(op["responses"][status].is_object(), "{status}: {op}");
    }
    assert!(op["responses"]["200"]["content"]["application/fhir+json"]["schema"].is_object(), "{op}");
}
