//! Who may read what: another person's records are "not found" by page, API and plan; anonymous visitors
//! are sent to sign in (pages) or get 401 (API); malformed ids are 404, never 500.

use reqwest::{Method, StatusCode};

use crate::helpers::{
    Browser, PASSWORD, TestApp, assert_redirect_to, assert_redirect_to_assessment, email, sensible_json,
};

both!(
    another_person_cannot_read_an_assessment_by_page_api_or_plan,
    anonymous_visitors_are_sent_to_sign_in_and_api_clients_get_401,
    malformed_or_unknown_ids_are_404_not_500,
    browser_sessions_and_api_tokens_are_not_interchangeable,
);

/// A signed-in browser with one saved assessment (from the wizard), its id and an API token.
async fn person_with_assessment(app: &TestApp, who: &str) -> (Browser, String, String) {
    let b = app.browser();
    b.complete_wizard(&[]).await;
    let id = assert_redirect_to_assessment(&b.sign_up(&email(who), PASSWORD).await);
    let token = b.bearer_token(&email(who), PASSWORD).await;
    (b, id, token)
}

async fn another_person_cannot_read_an_assessment_by_page_api_or_plan(app: TestApp) {
    let (a, a_id, a_token) = person_with_assessment(&app, "alice").await;
    app.clock.advance(1);
    let a_api_id = a.api_save_assessment(&a_token, &sensible_json()).await;
    let b = app.signed_up_browser(&email("bob")).await;
    let b_token = b.bearer_token(&email("bob"), PASSWORD).await;
    let unknown = "0123456789abcdef0123456789abcdef";

    // Pages: the same 404 as for an id that does not exist, so existence does not leak.
    for id in [&a_id, &a_api_id] {
        let theirs = b.get(&format!("/assessments/{id}")).await;
        theirs.assert_page(StatusCode::NOT_FOUND).assert_lacks("driving your knee pain");
        let none = b.get(&format!("/assessments/{unknown}")).await;
        assert_eq!(theirs.body, none.body);
        b.get(&format!("/plan?assessment={id}")).await.assert_page(StatusCode::NOT_FOUND).assert_lacks("Your plan");
        b.get(&format!("/plan?assessment={id}&week=2")).await.assert_page(StatusCode::NOT_FOUND);
    }
    // API: 404 too, and nothing of A's in B's list or plan.
    for id in [&a_id, &a_api_id] {
        let r = b.api(Method::GET, &format!("/api/v1/assessments/{id}"), Some(&b_token), None).await;
        let theirs = r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
        let none = b.api(Method::GET, &format!("/api/v1/assessments/{unknown}"), Some(&b_token), None).await;
        assert_eq!(theirs, none.assert_api_error(StatusCode::NOT_FOUND, "not_found"));
    }
    let list = b.api(Method::GET, "/api/v1/assessments", Some(&b_token), None).await;
    assert_eq!(list.json(), serde_json::json!([]));
    b.api(Method::GET, "/api/v1/plan", Some(&b_token), None).await.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    // B's own defaults do not fall back on A's records.
    assert_redirect_to(&b.get("/plan").await, "/assess");
    assert_redirect_to(&b.get("/results").await, "/assess");
    b.get_page("/account").await.assert_lacks(&a_id).assert_lacks(&a_api_id).assert_contains("None saved yet");

    // A still reads both, by page and API.
    for id in [&a_id, &a_api_id] {
        a.get_page(&format!("/assessments/{id}")).await;
        a.get_page(&format!("/plan?assessment={id}")).await;
        a.api(Method::GET, &format!("/api/v1/assessments/{id}"), Some(&a_token), None)
            .await
            .assert_status(StatusCode::OK);
    }
    // And B's records are as private to A.
    let b_id = b.api_save_assessment(&b_token, &sensible_json()).await;
    a.get(&format!("/assessments/{b_id}")).await.assert_page(StatusCode::NOT_FOUND);
    a.api(Method::GET, &format!("/api/v1/assessments/{b_id}"), Some(&a_token), None)
        .await
        .assert_api_error(StatusCode::NOT_FOUND, "not_found");
    let a_plan = a.api(Method::GET, "/api/v1/plan", Some(&a_token), None).await.json();
    assert_eq!(a_plan["assessment_id"], a_api_id.as_str());
}

async fn anonymous_visitors_are_sent_to_sign_in_and_api_clients_get_401(app: TestApp) {
    let (_, id, _) = person_with_assessment(&app, "owner").await;
    let anon = app.browser();
    for path in [
        format!("/assessments/{id}"),
        "/account".to_owned(),
        "/assessments".to_owned(),
        format!("/plan?assessment={id}"),
    ] {
        assert_redirect_to(&anon.get(&path).await, "/login");
    }
    // With an anonymous session (answers in progress), the same.
    anon.answer_group("about", &[]).await;
    assert_redirect_to(&anon.get(&format!("/assessments/{id}")).await, "/login");
    assert_redirect_to(&anon.get(&format!("/plan?assessment={id}")).await, "/login");
    for (method, path) in [
        (Method::GET, format!("/api/v1/assessments/{id}")),
        (Method::GET, "/api/v1/assessments".to_owned()),
        (Method::GET, "/api/v1/plan".to_owned()),
    ] {
        let r = anon.api(method, &path, None, None).await;
        r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_eq!(r.header("www-authenticate"), "Bearer");
    }
}

async fn malformed_or_unknown_ids_are_404_not_500(app: TestApp) {
    let (b, _, token) = person_with_assessment(&app, "ids").await;
    let long = "a".repeat(5000);
    let ids = [
        "x",
        "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef0123456789abcdeg",
        "fedcba9876543210fedcba9876543210",
        "%27%20OR%20%271%27%3D%271",
        "1%3B%20DROP%20TABLE%20assessments",
        "..%2F..%2Fetc%2Fpasswd",
        "%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC%C3%BC",
        "null",
        "-1",
        long.as_str(),
    ];
    for id in ids {
        let r = b.get(&format!("/assessments/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "page for {:.40}", id);
        r.assert_page(StatusCode::NOT_FOUND);
        let r = b.get(&format!("/plan?assessment={id}")).await;
        r.assert_page(StatusCode::NOT_FOUND);
        let r = b.api(Method::GET, &format!("/api/v1/assessments/{id}"), Some(&token), None).await;
        r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
    }
}

async fn browser_sessions_and_api_tokens_are_not_interchangeable(app: TestApp) {
    let (b, id, token) = person_with_assessment(&app, "mixed").await;
    // An API token in the cookie does not sign a browser in.
    let c = app.browser();
    c.set_session_cookie(&token);
    assert!(!c.is_signed_in().await);
    assert_redirect_to(&c.get(&format!("/assessments/{id}")).await, "/login");
    // A browser session is not a bearer token.
    let cookie = b.session_cookie().expect("a session");
    let r = app.api(Method::GET, "/api/v1/assessments", Some(&cookie), None).await;
    r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    // Each still works where it belongs.
    assert!(b.is_signed_in().await);
    app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await.assert_status(StatusCode::OK);
}
