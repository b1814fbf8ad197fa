//! The JSON API: the result contract, errors as `{"error": {"code", "message", "field"}}`, bearer tokens,
//! stored assessments and plans, body limits.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Resp, START, TestApp, email, emergency_json, kb, sensible_json};

both!(
    assessing_valid_answers_returns_the_result_contract,
    an_invalid_answer_is_a_422_naming_the_field,
    a_body_that_is_not_a_json_object_is_a_400_json_error,
    an_api_body_over_64_kb_is_refused_with_413,
    a_form_over_64_kb_is_refused_with_413,
    signing_in_to_the_api_gives_a_token_and_a_wrong_password_a_401,
    stored_assessments_can_be_created_listed_and_read,
    the_plan_is_that_of_the_newest_assessment,
    an_emergency_assessment_is_stored_without_a_plan,
    signing_out_of_the_api_ends_that_token_only,
    requests_without_a_valid_token_are_401_json_with_a_challenge,
    unknown_api_paths_are_404_json_and_wrong_methods_405,
    a_wrong_method_on_the_api_is_a_json_error_too,
    a_malformed_path_or_query_string_is_a_json_error_too,
);

const WEEK: i64 = 7 * 24 * 3600;

/// An API error in the documented shape, whatever its code.
#[track_caller]
fn assert_some_api_error(r: &Resp) {
    assert!(r.header("content-type").starts_with("application/json"), "{}: not JSON: {:?}", r.request, r.body);
    let e = &r.json()["error"];
    assert!(e["code"].is_string() && e["message"].is_string(), "{}: {}", r.request, r.body);
}

/// Check a result against the contract of docs/answers.md.
fn assert_result_contract(r: &Value, level: &str) {
    assert_eq!(r["schema"], 1, "{r}");
    assert_eq!(r["knowledge_version"], kb().version());
    assert_eq!(r["triage"]["level"], level, "{}", r["triage"]);
    assert!(r["triage"]["reasons"].is_array());
    let causes = r["root_causes"].as_array().expect("root_causes");
    assert_eq!(causes.len(), 4);
    let mut ids: Vec<&str> = causes.iter().map(|c| c["id"].as_str().expect("id")).collect();
    let scores: Vec<f64> = causes.iter().map(|c| c["score"].as_f64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "causes are highest first: {scores:?}");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    for c in causes {
        assert!(["low", "moderate", "high"].contains(&c["confidence"].as_str().expect("confidence")));
        assert!(c["drivers"].is_array() && c["evidence"].is_array());
    }
    ids.sort_unstable();
    let mut expected: Vec<&str> = kb().causes().iter().map(|c| c.id.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    assert!(r["presentations"].is_array() && r["missing"].is_array());
}

async fn assessing_valid_answers_returns_the_result_contract(app: TestApp) {
    let r = app.api_assess(&sensible_json()).await;
    r.assert_status(StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    assert!(r.session_set_cookie().is_none(), "the API starts no browser session");
    let result = r.json();
    assert_result_contract(&result, "self_care");
    let plan = &result["plan"];
    let weeks = plan["weeks"].as_u64().expect("a plan with weeks");
    assert!((8..=12).contains(&weeks));
    let steps = plan["steps"].as_array().expect("steps");
    assert_eq!(steps.iter().map(|s| s["step"].as_u64().expect("step")).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(steps.iter().any(|s| !s["exercises"].as_array().expect("exercises").is_empty()));
    assert!(!plan["pain_rules"].as_array().expect("pain rules").is_empty());
    // Nothing answered is still a result (with everything missing), not an error.
    let r = app.api_assess(&json!({})).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.json()["root_causes"].as_array().map(Vec::len), Some(4));
    // Nested ids and nulls are accepted as documented.
    let r = app.api_assess(&json!({"pain": {"now": 3, "worst_week": null}, "age": 40})).await;
    r.assert_status(StatusCode::OK);
    // The same answers give the same result as the wizard saved (deterministic).
    assert_eq!(app.api_assess(&sensible_json()).await.json(), result);
}

async fn an_invalid_answer_is_a_422_naming_the_field(app: TestApp) {
    let mut answers = sensible_json();
    answers["pain.now"] = json!(11);
    let e = app.api_assess(&answers).await.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
    assert_eq!(e["field"], "pain.now");
    assert!(e["message"].as_str().expect("message").contains("pain.now"));
    for (body, field) in [
        (json!({"pain.now": "four"}), "pain.now"),
        (json!({"pain": {"now": 4.5}}), "pain.now"),
        (json!({"squat.done": "yes"}), "squat.done"),
        (json!({"sex": "robot"}), "sex"),
        (json!({"activity": ["running", "flying"]}), "activity"),
        (json!({"pain.nwo": 3}), "pain.nwo"),
    ] {
        let e = app.api_assess(&body).await.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
        assert_eq!(e["field"], field, "{body}");
    }
    // A misspelt id gets a suggestion.
    let e = app
        .api_assess(&json!({"pain.nwo": 3}))
        .await
        .assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
    assert!(e["message"].as_str().expect("message").contains("pain.now"), "{e}");
}

async fn a_body_that_is_not_a_json_object_is_a_400_json_error(app: TestApp) {
    let raw = |content_type: &'static str, body: &'static str| {
        app.request(Method::POST, "/api/v1/assess").header(CONTENT_TYPE, content_type).body(body)
    };
    let cases = [
        raw("application/json", "{not json"),
        raw("application/json", "[1, 2, 3]"),
        raw("application/json", "null"),
        raw("application/json", "\"text\""),
        raw("application/json", ""),
        raw("text/plain", "{\"age\": 30}"),
        raw("application/x-www-form-urlencoded", "age=30"),
        app.request(Method::POST, "/api/v1/assess"),
    ];
    for rq in cases {
        let r = app.send(rq).await;
        let e = r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
        assert!(e["field"].is_null());
    }
    // The same for every endpoint that takes a body.
    app.signed_up_browser(&email("api400")).await;
    let token = app.bearer_token(&email("api400"), PASSWORD).await;
    let rq = app
        .request(Method::POST, "/api/v1/assessments")
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body("[]");
    app.send(rq).await.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    let rq =
        app.request(Method::POST, "/api/v1/session").header(CONTENT_TYPE, "application/json").body("{\"email\": 1}");
    app.send(rq).await.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
}

async fn an_api_body_over_64_kb_is_refused_with_413(app: TestApp) {
    // Just under the limit is fine (whitespace is valid JSON).
    let under = format!("{{\"age\": 30{}}}", " ".repeat(60 * 1024));
    let rq = app.request(Method::POST, "/api/v1/assess").header(CONTENT_TYPE, "application/json").body(under);
    app.send(rq).await.assert_status(StatusCode::OK);
    let over = format!("{{\"age\": 30{}}}", " ".repeat(70 * 1024));
    let rq = app.request(Method::POST, "/api/v1/assess").header(CONTENT_TYPE, "application/json").body(over.clone());
    let r = app.send(rq).await;
    r.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert_some_api_error(&r);
    let rq = app.request(Method::POST, "/api/v1/session").header(CONTENT_TYPE, "application/json").body(over);
    app.send(rq).await.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
}

async fn a_form_over_64_kb_is_refused_with_413(app: TestApp) {
    let csrf = app.csrf().await;
    let padding = "x".repeat(70 * 1024);
    let r = app
        .post_form_raw("/assess/about", &[("csrf", &csrf), ("shown", "age"), ("age", "30"), ("padding", &padding)])
        .await;
    r.assert_page(StatusCode::PAYLOAD_TOO_LARGE);
    // And nothing of it was saved.
    app.get_page("/assess").await.assert_lacks("Continue where you left off");
}

async fn signing_in_to_the_api_gives_a_token_and_a_wrong_password_a_401(app: TestApp) {
    app.signed_up_browser(&email("client")).await;
    let r = app.api_login(" Client@Example.com", PASSWORD).await;
    r.assert_status(StatusCode::CREATED);
    assert!(r.session_set_cookie().is_none(), "an API sign-in sets no cookie");
    let body = r.json();
    let token = body["token"].as_str().expect("token");
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(body["expires_at"], START + app.config.token_seconds);
    // Each sign-in is a new token.
    assert_ne!(app.bearer_token(&email("client"), PASSWORD).await, token);

    for (address, password) in [(email("client"), "wrong password"), (email("stranger"), PASSWORD), (String::new(), "")]
    {
        let r = app.api_login(&address, password).await;
        r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_eq!(r.header("www-authenticate"), "Bearer");
    }
    // Malformed sign-ins.
    let r = app.api(Method::POST, "/api/v1/session", None, Some(&json!({"email": email("client")}))).await;
    r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    let extra = json!({"email": email("client"), "password": PASSWORD, "role": "admin"});
    app.api(Method::POST, "/api/v1/session", None, Some(&extra))
        .await
        .assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    let long = json!({"email": email("client"), "password": "x".repeat(1025)});
    let e = app
        .api(Method::POST, "/api/v1/session", None, Some(&long))
        .await
        .assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(e["field"], "password");
}

async fn stored_assessments_can_be_created_listed_and_read(app: TestApp) {
    let browser = app.signed_up_browser(&email("records")).await;
    let token = app.bearer_token(&email("records"), PASSWORD).await;
    let empty = app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await;
    empty.assert_status(StatusCode::OK);
    assert_eq!(empty.json(), json!([]));

    let answers = sensible_json();
    let r = app.api(Method::POST, "/api/v1/assessments", Some(&token), Some(&answers)).await;
    r.assert_status(StatusCode::CREATED);
    let first = r.json();
    let first_id = first["id"].as_str().expect("id").to_owned();
    assert_eq!(first_id.len(), 32);
    assert_eq!(first["created_at"], START);
    assert_eq!(first["knowledge_version"], kb().version());
    assert_result_contract(&first["result"], "self_care");
    assert_eq!(first["answers"]["pain.now"], 4);
    assert_eq!(first["result"], app.api_assess(&answers).await.json(), "stored = assessed");

    app.clock.advance(60);
    let second_id = app.api_save_assessment(&token, &json!({"pain.now": 2})).await;
    // Invalid answers store nothing.
    let r = app.api(Method::POST, "/api/v1/assessments", Some(&token), Some(&json!({"pain.now": -1}))).await;
    r.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");

    let list = app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await.json();
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], second_id.as_str(), "newest first");
    assert_eq!(list[1]["id"], first_id.as_str());
    assert_eq!(list[1]["created_at"], START);
    assert_eq!(list[1]["triage_level"], "self_care");
    assert_eq!(list[1]["top_cause"], first["result"]["root_causes"][0]["id"]);
    assert_eq!(list[1]["knowledge_version"], kb().version());

    let one = app.api(Method::GET, &format!("/api/v1/assessments/{first_id}"), Some(&token), None).await;
    one.assert_status(StatusCode::OK);
    assert_eq!(one.json(), first);
    // Stored through the API, shown on the pages of the same account.
    browser.get_page(&format!("/assessments/{first_id}")).await;
    browser.get_page("/account").await.assert_contains(&first_id).assert_contains(&second_id);
}

async fn the_plan_is_that_of_the_newest_assessment(app: TestApp) {
    app.signed_up_browser(&email("planner")).await;
    let token = app.bearer_token(&email("planner"), PASSWORD).await;
    let r = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await;
    r.assert_api_error(StatusCode::NOT_FOUND, "not_found");

    app.api_save_assessment(&token, &json!({"pain.now": 2})).await;
    app.clock.advance(10);
    let newest = app.api_save_assessment(&token, &sensible_json()).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await;
    plan.assert_status(StatusCode::OK);
    let plan = plan.json();
    assert_eq!(plan["assessment_id"], newest.as_str());
    assert_eq!(plan["created_at"], START + 10);
    assert_eq!(plan["triage_level"], "self_care");
    assert_eq!(plan["week"], 1);
    let stored = app.api(Method::GET, &format!("/api/v1/assessments/{newest}"), Some(&token), None).await.json();
    assert_eq!(plan["plan"], stored["result"]["plan"]);

    // The week follows the clock, and stays within the plan.
    app.clock.advance(WEEK);
    assert_eq!(app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json()["week"], 2);
    // Long after (a new token: the first one has expired by then), the last week.
    app.clock.advance(50 * WEEK);
    let weeks = plan["plan"]["weeks"].clone();
    let token = app.bearer_token(&email("planner"), PASSWORD).await;
    let late = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await;
    assert_eq!(late.json()["week"], weeks);
}

async fn an_emergency_assessment_is_stored_without_a_plan(app: TestApp) {
    let r = app.api_assess(&emergency_json()).await;
    r.assert_status(StatusCode::OK);
    let result = r.json();
    assert_result_contract(&result, "emergency");
    assert!(result["plan"].is_null());
    assert!(result["triage"]["reasons"].as_array().is_some_and(|r| r.iter().any(|x| x["id"] == "cauda_equina")));

    app.signed_up_browser(&email("urgent")).await;
    let token = app.bearer_token(&email("urgent"), PASSWORD).await;
    app.api_save_assessment(&token, &emergency_json()).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    assert_eq!(plan["triage_level"], "emergency");
    assert!(plan["plan"].is_null() && plan["week"].is_null(), "{plan}");
    let list = app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await.json();
    assert_eq!(list[0]["triage_level"], "emergency");
}

async fn signing_out_of_the_api_ends_that_token_only(app: TestApp) {
    let browser = app.signed_up_browser(&email("tokens")).await;
    let one = app.bearer_token(&email("tokens"), PASSWORD).await;
    let two = app.bearer_token(&email("tokens"), PASSWORD).await;
    let r = app.api(Method::DELETE, "/api/v1/session", Some(&one), None).await;
    r.assert_status(StatusCode::NO_CONTENT);
    assert!(r.body.is_empty());
    app.api(Method::GET, "/api/v1/assessments", Some(&one), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    app.api(Method::DELETE, "/api/v1/session", Some(&one), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    app.api(Method::GET, "/api/v1/assessments", Some(&two), None).await.assert_status(StatusCode::OK);
    // The browser session of the same person is untouched.
    assert!(browser.is_signed_in().await);
}

async fn requests_without_a_valid_token_are_401_json_with_a_challenge(app: TestApp) {
    let b = app.signed_up_browser(&email("cookie")).await;
    let cookie = b.session_cookie().expect("a browser session");
    let protected = [
        (Method::GET, "/api/v1/assessments"),
        (Method::POST, "/api/v1/assessments"),
        (Method::GET, "/api/v1/assessments/0123456789abcdef0123456789abcdef"),
        (Method::GET, "/api/v1/plan"),
        (Method::DELETE, "/api/v1/session"),
    ];
    for (method, path) in protected {
        for auth in [None, Some(String::new()), Some("nonsense".to_owned()), Some("0".repeat(64)), Some(cookie.clone())]
        {
            let r = app.api(method.clone(), path, auth.as_deref(), Some(&json!({}))).await;
            r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
            assert_eq!(r.header("www-authenticate"), "Bearer", "{method} {path}");
        }
        // Another scheme, or the browser's cookie, is not a token either.
        let rq = app.request(method.clone(), path).header("authorization", format!("Basic {cookie}"));
        app.send(rq).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        let rq = b.request(method.clone(), path).json(&json!({}));
        b.send(rq).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
}

async fn unknown_api_paths_are_404_json_and_wrong_methods_405(app: TestApp) {
    for path in ["/api/v1/nope", "/api/v2/assess", "/api/v1/assessments/a/b", "/api/v1/", "/api/openapi.yaml"] {
        app.get(path).await.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    }
    let r = app.api(Method::POST, "/api/v1/nope", None, Some(&json!({}))).await;
    r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    for (method, path) in
        [(Method::GET, "/api/v1/assess"), (Method::PUT, "/api/v1/session"), (Method::DELETE, "/api/v1/plan")]
    {
        let r = app.api(method.clone(), path, None, None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
}

async fn a_wrong_method_on_the_api_is_a_json_error_too(app: TestApp) {
    // The API promises that errors always look like {"error": {"code", "message", "field"}} (see /api/docs).
    let r = app.api(Method::GET, "/api/v1/assess", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.header("allow").contains("POST"), "405 names the allowed methods: {:?}", r.headers);
    assert_some_api_error(&r);
}

async fn a_malformed_path_or_query_string_is_a_json_error_too(app: TestApp) {
    // Found by scripts/fuzz-api: axum's own rejections are plain text, not the API's error shape.
    app.signed_up_browser(&email("malformed")).await;
    let token = app.bearer_token(&email("malformed"), PASSWORD).await;
    // An id that is not UTF-8 names no record.
    for (method, path) in [
        (Method::GET, "/api/v1/assessments/%FF"),
        (Method::GET, "/api/v1/bookings/%FF"),
        (Method::GET, "/api/v1/bookings/%FF/ics"),
        (Method::DELETE, "/api/v1/bookings/%FF"),
    ] {
        let r = app.api(method, path, Some(&token), None).await;
        r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    }
    for (path, name) in [("/api/v1/checkins?to=2026-01-01&to=2026-01-02", "to"), ("/api/v1/slots?days=a", "days")] {
        let r = app.api(Method::GET, path, Some(&token), None).await;
        r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
        assert!(r.json()["error"]["message"].as_str().is_some_and(|m| m.contains(name)), "{}", r.body);
    }
}
