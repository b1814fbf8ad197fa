//! Outcome questionnaires: the schedule (baseline and weeks 4, 8, 12; Kujala for kneecap pain, KOOS-12
//! otherwise), the forms and their checks, the history with the change from the start in words, the API,
//! and that nobody sees another person's answers.

use kneeroot_core::outcomes::KUJALA_VERSION;
use kneeroot_store::{Email, NewOutcomeResponse, OutcomeStore, UserId, UserStore};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, TestApp, assert_redirect_to, email, sensible_json};

both!(
    before_an_assessment_nothing_is_scheduled,
    kneecap_pain_is_offered_kujala_and_not_koos12,
    other_knee_pain_is_offered_koos12_and_not_kujala,
    completing_kujala_stores_a_score_and_the_history_shows_it,
    an_incomplete_kujala_is_a_422_naming_the_missing_items,
    koos12_scores_each_scale_with_two_answers_and_refuses_an_empty_form,
    the_psfs_needs_three_activities_and_the_follow_up_shows_the_same_ones,
    the_change_from_the_start_is_interpreted_at_the_week_4_follow_up,
    kujala_scores_of_another_version_are_never_compared,
    anonymous_visitors_are_sent_to_sign_in,
    another_persons_responses_are_never_visible,
    the_api_creates_and_lists_responses_oldest_first,
    invalid_api_answers_are_a_422_naming_the_item,
    unknown_questionnaires_are_404,
);

const WEEK: i64 = 7 * 24 * 3600;

/// Answers of a 66-year-old with knee arthritis: no kneecap pain.
fn arthritis_json() -> Value {
    let mut v = sensible_json();
    v["age"] = json!(66);
    v["pain.location"] = json!(["inside", "whole_knee"]);
    v["pain.worse_with"] = json!(["walking_long", "starting_to_move"]);
    v["pain.duration_weeks"] = json!(200);
    v["pain.morning_stiffness_minutes"] = json!(15);
    v["pain.swelling"] = json!("after_activity");
    v["history.diagnosed_arthritis"] = json!(true);
    v
}

/// A new account signed in on a browser, its API token, and one saved assessment of `answers`; asserts
/// whether the assessment found kneecap pain, so each test knows which questionnaire it gets.
async fn person(app: &TestApp, who: &str, answers: &Value, kneecap: bool) -> (Browser, String) {
    let b = app.signed_up_browser(&email(who)).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    let r = app.api(Method::POST, "/api/v1/assessments", Some(&token), Some(answers)).await;
    r.assert_status(StatusCode::CREATED);
    let found = r.json()["result"]["presentations"]
        .as_array()
        .expect("presentations")
        .iter()
        .any(|p| p["id"] == "patellofemoral_pain");
    assert_eq!(found, kneecap, "the assessment's presentations: {}", r.json()["result"]["presentations"]);
    (b, token)
}

async fn user_id(app: &TestApp, who: &str) -> UserId {
    let creds = app.db.credentials(&Email::parse(&email(who)).expect("email")).await.expect("store");
    creds.expect("the account exists").user.id
}

/// Every Kujala item answered with option `choice`, as form fields.
fn kujala_fields(choice: &str) -> Vec<(String, String)> {
    (1..=13).map(|n| (n.to_string(), choice.to_owned())).collect()
}

async fn post(b: &Browser, path: &str, fields: &[(String, String)]) -> crate::helpers::Resp {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &borrowed).await
}

async fn before_an_assessment_nothing_is_scheduled(app: TestApp) {
    let b = app.signed_up_browser(&email("early")).await;
    b.get_page("/questionnaires")
        .await
        .assert_contains("<h1>Questionnaires</h1>")
        .assert_contains("Take the assessment")
        .assert_contains("None yet")
        .assert_lacks("due now");
}

async fn kneecap_pain_is_offered_kujala_and_not_koos12(app: TestApp) {
    let (b, _) = person(&app, "kneecap", &sensible_json(), true).await;
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("href=\"/questionnaires/kujala\"")
        .assert_contains("href=\"/questionnaires/psfs\"")
        .assert_contains("href=\"/questionnaires/nprs\"")
        .assert_lacks("/questionnaires/koos12")
        .assert_contains("You are in week 1 of your plan");
    assert_eq!(page.body.matches("due now").count(), 3, "{}", page.body);
}

async fn other_knee_pain_is_offered_koos12_and_not_kujala(app: TestApp) {
    let (b, _) = person(&app, "arthritis", &arthritis_json(), false).await;
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("href=\"/questionnaires/koos12\"")
        .assert_contains("href=\"/questionnaires/psfs\"")
        .assert_contains("href=\"/questionnaires/nprs\"")
        .assert_lacks("/questionnaires/kujala");
    assert_eq!(page.body.matches("due now").count(), 3);
    // The form: 12 items, each a fieldset with a legend and five labelled answers, the right words.
    let form = b.get_page("/questionnaires/koos12").await;
    assert_eq!(form.body.matches("<fieldset").count(), 12);
    assert_eq!(form.body.matches("<legend>").count(), 12);
    assert_eq!(form.body.matches("type=\"radio\"").count(), 60);
    form.assert_contains("How often do you feel knee pain?")
        .assert_contains("Pain walking on a flat surface")
        .assert_contains("Difficulty rising from sitting")
        .assert_contains("in the last week")
        .assert_contains("Constantly")
        .assert_contains("Totally")
        .assert_contains("Extremely")
        .assert_contains("name=\"csrf\"");
}

async fn completing_kujala_stores_a_score_and_the_history_shows_it(app: TestApp) {
    let (b, _) = person(&app, "kujala", &sensible_json(), true).await;
    let form = b.get_page("/questionnaires/kujala").await;
    assert_eq!(form.body.matches("<fieldset").count(), 13);
    form.assert_contains("1. Limping").assert_contains("Slight, or now and then").assert_contains("name=\"csrf\"");
    let r = post(&b, "/questionnaires/kujala", &kujala_fields("1")).await;
    assert_redirect_to(&r, "/questionnaires");
    let stored = app.db.responses(&user_id(&app, "kujala").await).await.expect("store");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].instrument.as_str(), stored[0].version.as_str(), stored[0].week),
        ("kujala", KUJALA_VERSION, 0)
    );
    let scores: Value = serde_json::from_str(&stored[0].scores).expect("scores JSON");
    assert_eq!(scores["total"], 72);
    let answers: Value = serde_json::from_str(&stored[0].answers).expect("answers JSON");
    assert_eq!(answers["13"], 1);
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("72 of 100").assert_contains("Your starting point").assert_contains("At the start");
    // Kujala is done for this checkpoint; the other two are still due.
    assert_eq!(page.body.matches("due now").count(), 2);
}

async fn an_incomplete_kujala_is_a_422_naming_the_missing_items(app: TestApp) {
    let (b, _) = person(&app, "partial", &sensible_json(), true).await;
    let fields: Vec<(String, String)> = kujala_fields("2").into_iter().filter(|(k, _)| k != "3" && k != "12").collect();
    let r = post(&b, "/questionnaires/kujala", &fields).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Please check 2 answers")
        .assert_contains("Question 3 (Walking) is not answered")
        .assert_contains("Question 12 (Thigh muscle wasting) is not answered")
        .assert_contains("href=\"#q-3\"")
        .assert_contains("aria-describedby=\"err-q-12\"");
    // The answers given are kept.
    assert_eq!(r.body.matches("value=\"2\" checked").count(), 11);
    // A value that is not an option is named too.
    let mut odd = kujala_fields("0");
    odd[0].1 = "9".into();
    post(&b, "/questionnaires/kujala", &odd)
        .await
        .assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Question 1 (Limping): that is not one of its answers");
    assert!(app.db.responses(&user_id(&app, "partial").await).await.expect("store").is_empty());
}

async fn koos12_scores_each_scale_with_two_answers_and_refuses_an_empty_form(app: TestApp) {
    let (b, _) = person(&app, "koos", &arthritis_json(), false).await;
    let r = b.post_form("/questionnaires/koos12", &[]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Pain: answer at least 2 of its 4 questions")
        .assert_contains("Function: answer at least 2 of its 4 questions")
        .assert_contains("Quality of life: answer at least 2 of its 4 questions");
    // Pain and quality of life with two answers each, function with one: function is not scored.
    let r =
        b.post_form("/questionnaires/koos12", &[("P1", "1"), ("P5", "3"), ("A4", "2"), ("Q1", "0"), ("Q2", "2")]).await;
    assert_redirect_to(&r, "/questionnaires");
    let stored = app.db.responses(&user_id(&app, "koos").await).await.expect("store");
    let scores: Value = serde_json::from_str(&stored[0].scores).expect("scores JSON");
    assert_eq!(scores["pain"], 50.0);
    assert_eq!(scores["qol"], 75.0);
    assert!(scores["function"].is_null() && scores["summary"].is_null(), "{scores}");
    b.get_page("/questionnaires")
        .await
        .assert_contains("Summary not scored (pain 50.0, function not scored, quality of life 75.0)");
}

async fn the_psfs_needs_three_activities_and_the_follow_up_shows_the_same_ones(app: TestApp) {
    let (b, _) = person(&app, "psfs", &sensible_json(), true).await;
    let form = b.get_page("/questionnaires/psfs").await;
    form.assert_contains("<label class=\"field\" for=\"activity-1\">Activity 1</label>")
        .assert_contains("name=\"activity3\"")
        .assert_contains("0: unable to do it");
    // One activity is not enough: the next one is named.
    let r = b.post_form("/questionnaires/psfs", &[("activity1", "Going down stairs"), ("rating1", "4")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Activity 2: name the activity")
        .assert_contains("Activity 3: name the activity")
        .assert_contains("value=\"Going down stairs\"");
    // A name too short, and a repeated one.
    let r = b
        .post_form(
            "/questionnaires/psfs",
            &[
                ("activity1", "x"),
                ("rating1", "4"),
                ("activity2", "Running"),
                ("rating2", "2"),
                ("activity3", "Kneeling"),
            ],
        )
        .await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Activity 1: use 2 to 60 characters")
        .assert_contains("Activity 3 (Kneeling): rate it from 0 to 10");
    let r = b
        .post_form(
            "/questionnaires/psfs",
            &[
                ("activity1", "Stairs"),
                ("rating1", "4"),
                ("activity2", " stairs "),
                ("rating2", "2"),
                ("activity3", "Kneel"),
                ("rating3", "5"),
            ],
        )
        .await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("is already listed");
    let baseline = [
        ("activity1", "Going down stairs"),
        ("rating1", "3"),
        ("activity2", "Running <5 km>"),
        ("rating2", "2"),
        ("activity3", "Kneeling to garden"),
        ("rating3", "4"),
    ];
    assert_redirect_to(&b.post_form("/questionnaires/psfs", &baseline).await, "/questionnaires");
    // Responses are listed by the time they were taken: the follow-up comes a day later.
    app.clock.advance(24 * 3600);
    // The follow-up asks about the same activities by name, with no names to type.
    let follow = b.get_page("/questionnaires/psfs").await;
    follow
        .assert_contains("How well can you do this now: Going down stairs?")
        .assert_contains("Running &#60;5 km&#62;")
        .assert_contains("Kneeling to garden")
        .assert_contains("Rate the same activities")
        .assert_lacks("name=\"activity1\"");
    assert_eq!(follow.body.matches("<fieldset").count(), 3);
    let r = b.post_form("/questionnaires/psfs", &[("rating1", "7"), ("rating2", "6"), ("rating3", "4")]).await;
    assert_redirect_to(&r, "/questionnaires");
    let stored = app.db.responses(&user_id(&app, "psfs").await).await.expect("store");
    let answers: Value = serde_json::from_str(&stored[1].answers).expect("answers JSON");
    assert_eq!(answers["activities"][1], json!({"name": "Running <5 km>", "rating": 6}));
    // Mean 3 → 5.67: +2.7, at least the 2-point threshold.
    b.get_page("/questionnaires").await.assert_contains("5.7 of 10").assert_contains("+2.7: a real improvement");
}

async fn the_change_from_the_start_is_interpreted_at_the_week_4_follow_up(app: TestApp) {
    let (b, _) = person(&app, "change", &sensible_json(), true).await;
    assert_redirect_to(&post(&b, "/questionnaires/kujala", &kujala_fields("1")).await, "/questionnaires");
    assert_redirect_to(&b.post_form("/questionnaires/nprs", &[("rating", "6")]).await, "/questionnaires");
    let page = b.get_page("/questionnaires").await;
    assert_eq!(page.body.matches("due now").count(), 1, "only the PSFS is left");
    page.assert_lacks("a real improvement");
    // Three weeks later it is week 4 of the plan: everything is due again.
    app.clock.advance(3 * WEEK);
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("You are in week 4 of your plan").assert_contains("for week 4");
    assert_eq!(page.body.matches("due now").count(), 3);
    assert_redirect_to(&post(&b, "/questionnaires/kujala", &kujala_fields("0")).await, "/questionnaires");
    assert_redirect_to(&b.post_form("/questionnaires/nprs", &[("rating", "5")]).await, "/questionnaires");
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("100 of 100")
        .assert_contains("+28: a real improvement")
        .assert_contains("-1 (-16.7%): within the noise")
        .assert_contains("Week 4");
    assert_eq!(page.body.matches("due now").count(), 1);
    let stored = app.db.responses(&user_id(&app, "change").await).await.expect("store");
    assert_eq!(stored.iter().map(|r| r.week).collect::<Vec<_>>(), [0, 0, 4, 4]);
    // At week 8, the next checkpoint (signed in again: the session has run out by then).
    app.clock.advance(4 * WEEK);
    assert_redirect_to(&b.login(&email("change"), PASSWORD).await, "/account");
    b.get_page("/questionnaires").await.assert_contains("You are in week 8").assert_contains("for week 8");
}

async fn kujala_scores_of_another_version_are_never_compared(app: TestApp) {
    let (b, _) = person(&app, "versions", &sensible_json(), true).await;
    let id = user_id(&app, "versions").await;
    // A total from a circulating web form, whose table differs: a different scale.
    app.db
        .save_response(&NewOutcomeResponse {
            user_id: id.clone(),
            instrument: "kujala".into(),
            version: "akps-web-form".into(),
            week: 0,
            now: crate::helpers::START,
            answers: "{}".into(),
            scores: r#"{"total": 40}"#.into(),
        })
        .await
        .expect("store");
    app.clock.advance(60);
    assert_redirect_to(&post(&b, "/questionnaires/kujala", &kujala_fields("1")).await, "/questionnaires");
    let page = b.get_page("/questionnaires").await;
    page.assert_contains("40 of 100").assert_contains("72 of 100").assert_lacks("+32");
    assert_eq!(page.body.matches("Your starting point").count(), 2, "each version has its own start");
}

async fn anonymous_visitors_are_sent_to_sign_in(app: TestApp) {
    assert_redirect_to(&app.get("/questionnaires").await, "/login");
    assert_redirect_to(&app.get("/questionnaires/kujala").await, "/login");
    // A form from an anonymous session (with its CSRF token) is not stored either.
    let r = app.post_form("/questionnaires/nprs", &[("rating", "3")]).await;
    assert_redirect_to(&r, "/login");
    // No session at all: the CSRF check refuses it.
    let stranger = app.browser();
    assert_eq!(stranger.post_form_raw("/questionnaires/nprs", &[("rating", "3")]).await.status, StatusCode::FORBIDDEN);
}

async fn another_persons_responses_are_never_visible(app: TestApp) {
    let (a, a_token) = person(&app, "alice", &sensible_json(), true).await;
    let (b, b_token) = person(&app, "bob", &sensible_json(), true).await;
    let psfs = [
        ("activity1", "Alice secret dance"),
        ("rating1", "3"),
        ("activity2", "Hiking"),
        ("rating2", "2"),
        ("activity3", "Cycling"),
        ("rating3", "4"),
    ];
    assert_redirect_to(&a.post_form("/questionnaires/psfs", &psfs).await, "/questionnaires");
    assert_redirect_to(&a.post_form("/questionnaires/nprs", &[("rating", "7")]).await, "/questionnaires");
    a.get_page("/questionnaires").await.assert_contains("7 of 10");
    b.get_page("/questionnaires").await.assert_contains("None yet").assert_lacks("7 of 10");
    // Bob's PSFS starts from scratch rather than re-rating Alice's activities.
    b.get_page("/questionnaires/psfs").await.assert_lacks("Alice secret dance").assert_contains("name=\"activity1\"");
    let mine = app.api(Method::GET, "/api/v1/outcomes", Some(&a_token), None).await;
    assert_eq!(mine.json().as_array().expect("a list").len(), 2);
    let theirs = app.api(Method::GET, "/api/v1/outcomes", Some(&b_token), None).await;
    theirs.assert_status(StatusCode::OK);
    assert_eq!(theirs.json(), json!([]));
}

async fn the_api_creates_and_lists_responses_oldest_first(app: TestApp) {
    let (_, token) = person(&app, "api", &sensible_json(), true).await;
    let answers: Value = (1..=13).map(|n| (n.to_string(), json!(0))).collect::<serde_json::Map<_, _>>().into();
    let r = app
        .api(
            Method::POST,
            "/api/v1/outcomes",
            Some(&token),
            Some(&json!({"instrument": "kujala", "answers": answers, "week": 0})),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    let created = r.json();
    assert_eq!(created["instrument"], "kujala");
    assert_eq!(created["version"], KUJALA_VERSION);
    assert_eq!(created["week"], 0);
    assert_eq!(created["taken_at"], crate::helpers::START);
    assert_eq!(created["scores"]["total"], 100);
    assert!(created["id"].as_str().is_some_and(|id| !id.is_empty()));
    app.clock.advance(4 * WEEK);
    let body = json!({"instrument": "psfs", "week": 4, "answers": {"activities": [
        {"name": "stairs", "rating": 4}, {"name": "run", "rating": 5}, {"name": "squat", "rating": 9}]}});
    let r = app.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&body)).await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["scores"]["score"], 6.0);
    app.clock.advance(60);
    // Without a week, the current checkpoint (week 5 of the plan → the week-4 checkpoint).
    let r = app
        .api(
            Method::POST,
            "/api/v1/outcomes",
            Some(&token),
            Some(&json!({"instrument": "nprs", "answers": {"rating": 2}})),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["week"], 4);
    let list = app.api(Method::GET, "/api/v1/outcomes", Some(&token), None).await;
    list.assert_status(StatusCode::OK);
    let list = list.json();
    let instruments: Vec<&str> =
        list.as_array().expect("a list").iter().map(|r| r["instrument"].as_str().expect("id")).collect();
    assert_eq!(instruments, ["kujala", "psfs", "nprs"]);
    assert_eq!(list[0]["id"], created["id"]);
    assert_eq!(list[1]["answers"]["activities"][2]["name"], "squat");
    assert_eq!(app.api(Method::GET, "/api/v1/outcomes", None, None).await.status, StatusCode::UNAUTHORIZED);
}

async fn invalid_api_answers_are_a_422_naming_the_item(app: TestApp) {
    let (_, token) = person(&app, "bad", &sensible_json(), true).await;
    let mut kujala: serde_json::Map<String, Value> = (1..=13).map(|n| (n.to_string(), json!(0))).collect();
    kujala.insert("3".into(), json!(9));
    let cases = [
        (json!({"instrument": "kujala", "answers": kujala}), "3"),
        (json!({"instrument": "kujala", "answers": {"1": 0}}), "2"),
        (json!({"instrument": "koos12", "answers": {"P1": 5}}), "P1"),
        (json!({"instrument": "koos12", "answers": {"S1": 1, "P1": 1, "P5": 1}}), "S1"),
        (json!({"instrument": "nprs", "answers": {"rating": 11}}), "rating"),
        (json!({"instrument": "nprs", "answers": {"rating": "a lot"}}), "rating"),
        (json!({"instrument": "psfs", "answers": {"activities": [{"name": "stairs", "rating": 4}]}}), "activities"),
        (json!({"instrument": "psfs", "answers": {"activities": [{"name": "s", "rating": 4}]}}), "activities[0].name"),
        (json!({"instrument": "koos", "answers": {}}), "instrument"),
        (json!({"instrument": "nprs", "answers": {"rating": 1}, "week": -1}), "week"),
        (json!({"instrument": "nprs"}), "answers"),
        (json!({"instrument": "nprs", "answers": [1]}), "answers"),
        (json!({"instrument": "nprs", "answers": {"rating": 1}, "extra": true}), "extra"),
    ];
    for (body, field) in cases {
        let r = app.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&body)).await;
        let e = r.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
        assert_eq!(e["field"], field, "{body} → {e}");
        assert!(e["message"].as_str().expect("message").contains(&format!("'{field}'")), "{body} → {e}");
    }
    // Not a JSON object at all: the API's usual 400.
    let r = app.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&json!([1]))).await;
    r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    let list = app.api(Method::GET, "/api/v1/outcomes", Some(&token), None).await;
    assert_eq!(list.json(), json!([]), "nothing was stored");
}

async fn unknown_questionnaires_are_404(app: TestApp) {
    let (b, _) = person(&app, "lost", &sensible_json(), true).await;
    for path in ["/questionnaires/koos", "/questionnaires/visa_p", "/questionnaires/%00"] {
        b.get(path).await.assert_page(StatusCode::NOT_FOUND);
    }
    b.post_form("/questionnaires/koos_ps", &[("A10", "1")]).await.assert_page(StatusCode::NOT_FOUND);
}
