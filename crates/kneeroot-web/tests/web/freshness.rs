//! Freshness across instances: two servers on one database (on SQLite, as the harness opens it: one
//! serving store, read cache included, shared by both; on PostgreSQL, one pool each behind one database
//! would behave the same, and both backends run every case). Whatever is written through one instance is
//! what the other shows on its very next request, and every page is the requester's own:
//!
//! - a check-in (with a flare, or with a red flag) recorded on B changes the plan A serves next;
//! - a clinician's change made on B shows, attributed, on the patient's plan on A;
//! - signing out, changing the password or deleting the account on A ends the session (and the API
//!   token) on B at once;
//! - two people whose requests alternate between the instances each only ever see their own plan.

use kneeroot_store::{BookingStore, Email, Role, UserStore};
use kneeroot_web::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, TestApp, assert_redirect_to, email, sensible_json};

both!(
    a_check_in_on_one_instance_changes_the_plan_the_other_serves_next,
    a_clinicians_change_on_one_instance_shows_on_the_patients_plan_on_the_other,
    signing_out_changing_the_password_or_deleting_the_account_ends_sessions_on_every_instance,
    two_people_alternating_between_instances_each_see_only_their_own_plan,
);

/// A signed-up patient with a saved assessment (so a plan): their browser on `app` and an API token.
async fn patient(app: &TestApp, who: &str) -> (Browser, String) {
    let b = app.signed_up_browser(&email(who)).await;
    let token = b.bearer_token(&email(who), PASSWORD).await;
    b.api_save_assessment(&token, &sensible_json()).await;
    (b, token)
}

/// The first exercise of the plan's first step.
async fn first_exercise(app: &TestApp, token: &str) -> String {
    let plan = app.api(Method::GET, "/api/v1/plan", Some(token), None).await.json();
    plan["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("an exercise").to_owned()
}

async fn check_in(app: &TestApp, token: &str, body: &Value) {
    app.api(Method::POST, "/api/v1/checkins", Some(token), Some(body)).await.assert_status(StatusCode::CREATED);
}

async fn a_check_in_on_one_instance_changes_the_plan_the_other_serves_next(app: TestApp) {
    let b = app.another_server(app.config.clone()).await;
    let (on_a, token) = patient(&app, "fresh-plan").await;
    let exercise = first_exercise(&app, &token).await;
    // Read twice on A, so anything A (or its store) keeps is in place before the write.
    for _ in 0..2 {
        on_a.get_page("/plan").await.assert_contains("Step 1:").assert_lacks("Latest change");
    }
    // A painful session, recorded on B: the rules ease the exercise, and A's next plan says so.
    check_in(&b, &token, &json!({"exercises": [{"exercise_id": exercise, "done": true, "pain_during": 7}]})).await;
    on_a.get_page("/plan").await.assert_contains("Latest change");
    let listed = app.api(Method::GET, "/api/v1/checkins", Some(&token), None).await.json();
    assert_eq!(listed["checkins"][0]["pain_during"], 7, "A lists the check-in made on B");
    // A red flag the next morning, recorded on B: A stops the plan at once and says where to go.
    app.clock.advance(86_400);
    on_a.get_page("/plan").await.assert_contains("Step 1:");
    check_in(&b, &token, &json!({"morning": {"pain": 3, "usual": 2, "flags": ["flag.calf_pain_swelling"]}})).await;
    on_a.get_page("/plan").await.assert_lacks("Step 1:");
}

async fn a_clinicians_change_on_one_instance_shows_on_the_patients_plan_on_the_other(app: TestApp) {
    let b = app.another_server(app.config.clone()).await;
    let (on_a, token) = patient(&app, "fresh-patient").await;
    let exercise = first_exercise(&app, &token).await;
    let me = app.db.credentials(&Email::parse(&email("fresh-patient")).expect("email")).await.expect("read");
    let patient_id = me.expect("the patient").user.id;
    let clinician = app.account(&email("fresh-physio"), Role::Clinician).await;
    app.db.link(&clinician.id, &patient_id, app.clock.now()).await.expect("link");
    on_a.get_page("/plan").await.assert_lacks("Changed by your physiotherapist");
    // The clinician works on B.
    let physio = b.browser();
    assert_redirect_to(&physio.login(&email("fresh-physio"), PASSWORD).await, "/clinic");
    let csrf = physio.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("exercise_id", exercise.as_str()),
        ("sets", "2"),
        ("reps", "6"),
        ("note", "Go gently this week."),
        ("reason", "flare"),
    ];
    let r = physio.post_form_raw(&format!("/clinic/patients/{patient_id}/plan"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the edit is saved: {}", r.body);
    on_a.get_page("/plan").await.assert_contains("Changed by your physiotherapist").assert_contains("2 × 6");
}

async fn signing_out_changing_the_password_or_deleting_the_account_ends_sessions_on_every_instance(app: TestApp) {
    let b = app.another_server(app.config.clone()).await;
    // Signing out on A: the same cookie, kept by a browser of its own on B, is signed out on B's next
    // request (the cookie itself is not cleared there: the server must refuse it).
    let (on_a, token) = patient(&app, "fresh-out").await;
    let on_b = b.browser();
    on_b.set_session_cookie(&on_a.session_cookie().expect("a session cookie"));
    on_b.get_page("/plan").await.assert_contains("Step 1:");
    assert!(on_b.is_signed_in().await);
    on_a.logout().await;
    assert!(!on_b.is_signed_in().await, "signed out on B too");
    assert_redirect_to(&on_b.get("/plan").await, "/assess");

    // Changing the password on A: the person's other browser, on B, is signed out; the API token too.
    let laptop = b.browser();
    laptop.get_page("/login").await;
    assert_redirect_to(&laptop.login(&email("fresh-out"), PASSWORD).await, "/account");
    laptop.get_page("/plan").await.assert_contains("Step 1:");
    b.api(Method::GET, "/api/v1/plan", Some(&token), None).await.assert_status(StatusCode::OK);
    let phone = app.browser();
    phone.get_page("/login").await;
    assert_redirect_to(&phone.login(&email("fresh-out"), PASSWORD).await, "/account");
    let r = phone.post_form("/account/password", &[("current", PASSWORD), ("new", "a brand new passphrase")]).await;
    r.assert_page(StatusCode::OK).assert_contains("Your password has been changed");
    assert!(!laptop.is_signed_in().await, "the other browser, on B, is signed out");
    b.api(Method::GET, "/api/v1/plan", Some(&token), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");

    // Deleting the account on A: its browser on B is signed out and its token refused there, at once.
    let (leaving, token) = patient(&app, "fresh-leaving").await;
    let leaving_on_b = b.browser();
    leaving_on_b.set_session_cookie(&leaving.session_cookie().expect("a session cookie"));
    leaving_on_b.get_page("/plan").await.assert_contains("Step 1:");
    b.api(Method::GET, "/api/v1/plan", Some(&token), None).await.assert_status(StatusCode::OK);
    let r = leaving.post_form("/account/delete", &[("password", PASSWORD), ("confirm", "yes")]).await;
    r.assert_page(StatusCode::OK).assert_contains("Your account has been deleted");
    assert!(!leaving_on_b.is_signed_in().await, "signed out on B too");
    b.api(Method::GET, "/api/v1/plan", Some(&token), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn two_people_alternating_between_instances_each_see_only_their_own_plan(app: TestApp) {
    let b = app.another_server(app.config.clone()).await;
    let (p_a, p_token) = patient(&app, "fresh-p").await;
    let (q_a, _) = patient(&app, "fresh-q").await;
    let (p_b, q_b) = (p_a.at(&b.base), q_a.at(&b.base));
    // P's plan differs from Q's: one of P's exercises was eased after a painful session.
    let exercise = first_exercise(&app, &p_token).await;
    check_in(&app, &p_token, &json!({"exercises": [{"exercise_id": exercise, "done": true, "pain_during": 7}]})).await;
    let (p_mail, q_mail) = (email("fresh-p"), email("fresh-q"));
    for round in 0..6 {
        let (p, q) = if round % 2 == 0 { (&p_a, &q_b) } else { (&p_b, &q_a) };
        for path in ["/plan", "/progress"] {
            let mine = p.get_page(path).await;
            mine.assert_contains(&format!("title=\"{p_mail}\"")).assert_lacks(&q_mail);
            let theirs = q.get_page(path).await;
            theirs.assert_contains(&format!("title=\"{q_mail}\"")).assert_lacks(&p_mail);
            if path == "/plan" {
                mine.assert_contains("Latest change");
                theirs.assert_lacks("Latest change");
            }
        }
    }
}
