//! Scale-out: two `kneeroot serve` instances on one database, with one person's requests alternating
//! between them, behave exactly as one instance (sessions, drafts, assessments, plans, check-ins and
//! throttling all live in the database).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, email, kb};

async fn two_instances_on_one_database_serve_one_journey_alternately(app: TestApp) {
    let second = app.another_server(app.config.clone()).await;
    let on_a = app.browser();
    let on_b = on_a.at(&second.base);
    // The wizard, one page on each instance in turn: the draft follows the person, not the instance.
    let mut at = format!("/assess/{}", kb().groups()[0].id);
    let mut turn = 0;
    while let Some(group) = at.strip_prefix("/assess/").map(str::to_owned) {
        let browser = if turn % 2 == 0 { &on_a } else { &on_b };
        let r = browser.answer_group(&group, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "answering {group} on instance {}", turn % 2);
        at = r.location().to_owned();
        turn += 1;
        assert!(turn < 40, "the wizard ends");
    }
    assert_eq!(at, "/results");
    assert!(turn >= 4, "several pages were answered, alternating");
    // The result on B is the result of the answers given partly on A.
    on_b.get_page("/results").await.assert_contains("What seems to be driving your knee pain");
    // Sign up on B; the saved assessment and plan are visible from A.
    let r = on_b.sign_up(&email("scale"), PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let saved = r.location().to_owned();
    assert!(saved.starts_with("/assessments/"), "{saved}");
    on_a.get_page(&saved).await.assert_contains("What seems to be driving your knee pain");
    on_a.get_page("/plan").await.assert_contains("Step 1:");
    // The API: a token from A works on B, and the records read the same from both.
    let token = app.bearer_token(&email("scale"), PASSWORD).await;
    let from_a = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let from_b = second.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    assert_eq!(from_a, from_b);
    let ex = from_a["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("an exercise").to_owned();
    second
        .api(
            Method::POST,
            "/api/v1/checkins",
            Some(&token),
            Some(&json!({"exercises": [{"exercise_id": ex, "done": true, "pain_during": 7}]})),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let listed = app.api(Method::GET, "/api/v1/checkins", Some(&token), None).await.json();
    assert_eq!(listed["checkins"][0]["exercise_id"], ex.as_str());
    on_a.get_page("/plan").await.assert_contains("Latest change");
    // Signing out on A ends the session on B too.
    on_a.logout().await;
    assert!(!on_b.is_signed_in().await);
    // Throttling counts across instances: failures on A and B add up.
    for (i, server) in [&app, &second, &app, &second, &app].into_iter().enumerate() {
        let r = server
            .api(
                Method::POST,
                "/api/v1/session",
                None,
                Some(&json!({"email": email("scale"), "password": format!("wrong {i}")})),
            )
            .await;
        r.assert_status(StatusCode::UNAUTHORIZED);
    }
    let r = second
        .api(Method::POST, "/api/v1/session", None, Some(&json!({"email": email("scale"), "password": PASSWORD})))
        .await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
}

both!(two_instances_on_one_database_serve_one_journey_alternately);
