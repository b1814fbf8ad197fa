//! Check-ins, the pain-monitoring rules that change the plan, and the progress page.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, email, sensible_json};

const DAY: i64 = 86_400;

/// A signed-up person with a saved assessment; returns (browser, token, first exercise id of step 1).
async fn with_plan(app: &TestApp, who: &str) -> (crate::helpers::Browser, String, String) {
    let b = app.signed_up_browser(&email(who)).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    app.api_save_assessment(&token, &sensible_json()).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await;
    plan.assert_status(StatusCode::OK);
    let first = plan.json()["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("an exercise").to_owned();
    (b, token, first)
}

fn day(app: &TestApp, offset: i64) -> String {
    use kneeroot_web::clock::Clock;
    let d = app.clock.now().div_euclid(DAY) + offset;
    // 2026-01-01 is day 20454.
    let base = 20_454;
    let date = 1 + (d - base);
    assert!((1..=31).contains(&date), "tests stay within January 2026");
    format!("2026-01-{date:02}")
}

async fn checkin(app: &TestApp, token: &str, body: Value) -> crate::helpers::Resp {
    app.api(Method::POST, "/api/v1/checkins", Some(token), Some(&body)).await
}

async fn two_good_sessions_progress_the_exercise_once(app: TestApp) {
    let (b, token, ex) = with_plan(&app, "good").await;
    let session = |pain: i64| json!([{"exercise_id": ex, "done": true, "pain_during": pain, "quality_ok": true}]);
    checkin(&app, &token, json!({"day": day(&app, 0), "exercises": session(3)}))
        .await
        .assert_status(StatusCode::CREATED);
    app.clock.advance(DAY);
    let r = checkin(
        &app,
        &token,
        json!({"day": day(&app, 0), "exercises": session(3), "morning": {"pain": 2, "usual": 2}}),
    )
    .await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["decisions"], json!([]), "one good session with a settled morning holds");
    app.clock.advance(DAY);
    let r = checkin(&app, &token, json!({"day": day(&app, 0), "morning": {"pain": 2, "usual": 2}})).await;
    r.assert_status(StatusCode::CREATED);
    let decisions = r.json()["decisions"].clone();
    assert_eq!(decisions[0]["decision"], "progress", "{decisions}");
    assert_eq!(decisions[0]["exercise_id"], ex.as_str());
    // Editing the same morning again does not change the plan twice.
    let again = checkin(&app, &token, json!({"day": day(&app, 0), "morning": {"pain": 2, "usual": 2}})).await;
    assert_eq!(again.json()["decisions"], json!([]));
    // The plan page shows the change, and so does the progress page.
    b.get_page("/plan").await.assert_page(StatusCode::OK).assert_contains("Latest change");
    // The week links name the assessment; the plan they show is still the plan in force.
    let id = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json()["assessment_id"]
        .as_str()
        .expect("id")
        .to_owned();
    b.get_page(&format!("/plan?assessment={id}&week=2"))
        .await
        .assert_page(StatusCode::OK)
        .assert_contains("Latest change");
    b.get_page("/progress")
        .await
        .assert_page(StatusCode::OK)
        .assert_contains("by the pain rules")
        .assert_contains("<svg class=\"chart\"");
}

async fn pain_above_5_during_a_session_regresses_at_once_and_says_why(app: TestApp) {
    let (_, token, ex) = with_plan(&app, "flare").await;
    let r = checkin(
        &app,
        &token,
        json!({"day": day(&app, 0), "exercises": [{"exercise_id": ex, "done": true, "pain_during": 7}]}),
    )
    .await;
    r.assert_status(StatusCode::CREATED);
    let d = &r.json()["decisions"][0];
    assert_eq!(d["decision"], "regress");
    assert!(d["reason"].as_str().is_some_and(|s| s.contains("7/10")), "{d}");
}

async fn a_red_flag_in_a_morning_report_pre_empts_the_plan(app: TestApp) {
    let (b, token, ex) = with_plan(&app, "flag").await;
    let r = checkin(
        &app,
        &token,
        json!({"day": day(&app, 0), "exercises": [{"exercise_id": ex, "done": true, "pain_during": 8}],
               "morning": {"pain": 6, "usual": 2, "stiffness": "more", "flags": ["flag.knee_locked"]}}),
    )
    .await;
    r.assert_status(StatusCode::CREATED);
    let body = r.json();
    assert_eq!(body["triage"]["level"], "urgent");
    assert_eq!(body["decisions"], json!([]), "no plan change when care comes first");
    // The same through the page: the person is told where to go.
    let page = b.get_page("/checkin").await;
    page.assert_page(StatusCode::OK);
    let csrf = page.csrf();
    let r = b
        .post_form_raw(
            "/checkin",
            &[
                ("csrf", &csrf),
                ("day", &day(&app, 0)),
                ("morning_pain", "6"),
                ("usual", "2"),
                ("flag", "flag.calf_pain_swelling"),
            ],
        )
        .await;
    r.assert_page(StatusCode::OK).assert_contains("Get seen today");
    // The plan stays stopped while the warning sign stands, and comes back once a morning is clear.
    b.get_page("/plan").await.assert_page(StatusCode::OK).assert_contains("Get seen today").assert_lacks("Step 1:");
    app.clock.advance(DAY);
    checkin(&app, &token, json!({"morning": {"pain": 2, "usual": 2}})).await.assert_status(StatusCode::CREATED);
    b.get_page("/plan").await.assert_page(StatusCode::OK).assert_contains("Step 1:");
}

async fn bad_check_ins_are_refused_naming_the_field(app: TestApp) {
    let (_, token, ex) = with_plan(&app, "bad").await;
    let cases = [
        (json!({"day": day(&app, 1), "exercises": []}), "day"),
        (json!({"day": "2025-12-31", "exercises": []}), "day"),
        (json!({"day": "2026-02-31"}), "day"),
        (json!({"exercises": [{"exercise_id": "not_an_exercise", "done": true}]}), "exercise_id"),
        (json!({"exercises": [{"exercise_id": ex, "done": true, "pain_during": 11}]}), "pain_during"),
        (json!({"morning": {"pain": 3, "usual": 2, "flags": ["flag.cancer_history"]}}), "flags"),
    ];
    for (body, field) in cases {
        let r = checkin(&app, &token, body.clone()).await;
        let e = r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
        assert_eq!(e["field"], field, "{body} -> {e}");
    }
    let r = checkin(&app, &token, json!({"morning": {"pain": 3}})).await;
    r.assert_status(StatusCode::BAD_REQUEST);
    // Nothing was stored by the refused requests.
    let list = app.api(Method::GET, "/api/v1/checkins", Some(&token), None).await;
    assert_eq!(list.json()["checkins"], json!([]));
    assert_eq!(list.json()["mornings"], json!([]));
}

async fn the_check_in_page_saves_and_shows_again_for_editing(app: TestApp) {
    let (b, token, ex) = with_plan(&app, "page").await;
    let page = b.get_page("/checkin").await;
    page.assert_page(StatusCode::OK).assert_contains("Check in: Today");
    let csrf = page.csrf();
    let r = b
        .post_form_raw(
            "/checkin",
            &[
                ("csrf", &csrf),
                ("day", &day(&app, 0)),
                (&format!("done.{ex}"), "yes"),
                (&format!("sets.{ex}"), "2"),
                (&format!("pain.{ex}"), "3"),
                (&format!("quality.{ex}"), "yes"),
                ("morning_pain", "2"),
                ("usual", "3"),
                ("stiffness", "less"),
            ],
        )
        .await;
    crate::helpers::assert_redirect_to(&r, "/progress");
    let list = app.api(Method::GET, "/api/v1/checkins", Some(&token), None).await.json();
    assert_eq!(list["checkins"][0]["exercise_id"], ex.as_str());
    assert_eq!(list["checkins"][0]["sets_done"], 2);
    assert_eq!(list["mornings"][0]["stiffness"], "less");
    let again = b.get_page("/checkin").await;
    again.assert_contains("value=\"2\"").assert_contains("value=\"less\" checked");
    // A number that is not a number comes back with the form and a message.
    let r = b
        .post_form_raw(
            "/checkin",
            &[("csrf", &csrf), ("day", &day(&app, 0)), (&format!("sets.{ex}"), "lots"), (&format!("done.{ex}"), "yes")],
        )
        .await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("is not a whole number");
    // A stiffness that is none of the three choices is refused, not taken as "as usual".
    let r = b
        .post_form_raw(
            "/checkin",
            &[("csrf", &csrf), ("day", &day(&app, 0)), ("morning_pain", "4"), ("usual", "3"), ("stiffness", "rigid")],
        )
        .await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("less stiff, as usual, or stiffer");
    let list = app.api(Method::GET, "/api/v1/checkins", Some(&token), None).await.json();
    assert_eq!(list["mornings"][0]["pain"], 2, "the refused report changed nothing");
}

async fn check_ins_need_a_signed_in_person_with_a_plan(app: TestApp) {
    let anonymous = app.browser();
    crate::helpers::assert_redirect_to(&anonymous.get("/checkin").await, "/login");
    crate::helpers::assert_redirect_to(&anonymous.get("/progress").await, "/login");
    app.api(Method::POST, "/api/v1/checkins", None, Some(&json!({}))).await.assert_status(StatusCode::UNAUTHORIZED);
    let b = app.signed_up_browser(&email("noplan")).await;
    crate::helpers::assert_redirect_to(&b.get("/checkin").await, "/plan");
    let token = app.bearer_token(&email("noplan"), PASSWORD).await;
    checkin(&app, &token, json!({})).await.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
}

async fn another_persons_check_ins_stay_theirs(app: TestApp) {
    let (_, token_a, ex) = with_plan(&app, "owner-a").await;
    checkin(&app, &token_a, json!({"exercises": [{"exercise_id": ex, "done": true, "pain_during": 2}]}))
        .await
        .assert_status(StatusCode::CREATED);
    let (_, token_b, _) = with_plan(&app, "owner-b").await;
    let list = app.api(Method::GET, "/api/v1/checkins", Some(&token_b), None).await.json();
    assert_eq!(list["checkins"], json!([]));
}

both!(
    two_good_sessions_progress_the_exercise_once,
    pain_above_5_during_a_session_regresses_at_once_and_says_why,
    a_red_flag_in_a_morning_report_pre_empts_the_plan,
    bad_check_ins_are_refused_naming_the_field,
    the_check_in_page_saves_and_shows_again_for_editing,
    check_ins_need_a_signed_in_person_with_a_plan,
    another_persons_check_ins_stay_theirs,
);

async fn repeating_the_self_tests_saves_a_new_assessment_compared_with_the_first(app: TestApp) {
    let b = app.signed_up_browser(&email("retest")).await;
    let first = b.complete_wizard(&[("ankle.knee_to_wall_left_cm", "6"), ("ankle.knee_to_wall_right_cm", "6")]).await;
    assert!(first.starts_with("/assessments/"), "{first}");
    let results = b.get_page(&first).await;
    results
        .assert_page(StatusCode::OK)
        .assert_contains("Repeat the self-tests")
        .assert_lacks("Compared with your assessment");
    // The second assessment is taken later (same-second records order by random id).
    app.clock.advance(7 * DAY);
    let r = b.post_form_raw("/reassess", &[("csrf", &results.csrf())]).await;
    crate::helpers::assert_redirect_to(&r, "/assess/squat");
    // Only the self-tests are asked again; the rest is kept.
    let mut at = "/assess/squat".to_owned();
    for _ in 0..12 {
        let Some(group) = at.strip_prefix("/assess/").map(str::to_owned) else { break };
        let r = b
            .answer_group(&group, &[("ankle.knee_to_wall_left_cm", "10"), ("ankle.knee_to_wall_right_cm", "11")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        at = r.location().to_owned();
    }
    assert!(at.starts_with("/assessments/") && at != first, "{at}");
    let second = b.get_page(&at).await;
    second.assert_page(StatusCode::OK).assert_contains("Compared with your assessment of");
    second.assert_contains("<td>6 cm</td><td>10 cm</td>");
    // The older assessment no longer offers to start a reassessment; it is not the latest.
    b.get_page(&first).await.assert_lacks("action=\"/reassess\"");
}

both!(repeating_the_self_tests_saves_a_new_assessment_compared_with_the_first);

async fn reminders_are_off_until_the_person_turns_them_on(app: TestApp) {
    let (b, _, _) = with_plan(&app, "remind").await;
    app.clock.advance(3 * DAY);
    b.get_page("/progress").await.assert_page(StatusCode::OK).assert_lacks("A gentle reminder");
    let account = b.get_page("/account").await;
    account.assert_contains("Reminders are <strong>off</strong>");
    let r = b.post_form_raw("/account/reminders", &[("csrf", &account.csrf()), ("reminders", "on")]).await;
    crate::helpers::assert_redirect_to(&r, "/account");
    b.get_page("/account").await.assert_contains("Reminders are <strong>on</strong>");
    b.get_page("/progress").await.assert_contains("A gentle reminder");
}

both!(reminders_are_off_until_the_person_turns_them_on);

async fn a_step_waits_for_the_step_before_it_to_go_well(app: TestApp) {
    let (b, token, ex) = with_plan(&app, "steps").await;
    // Week 2 opens step 2 by the calendar …
    app.clock.advance(7 * DAY);
    b.get_page("/plan").await.assert_page(StatusCode::OK).assert_lacks("waiting until step 1 goes well");
    // … but not while step 1 has just had to be eased.
    checkin(
        &app,
        &token,
        json!({"day": day(&app, 0), "exercises": [{"exercise_id": ex, "done": true, "pain_during": 7}]}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let plan = b.get_page("/plan").await;
    plan.assert_page(StatusCode::OK).assert_contains("waiting until step 1 goes well");
    // Step 2's exercises are not offered for check-in meanwhile.
    let plan_json = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let step2 = plan_json["plan"]["steps"][1]["exercises"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a step-2 exercise in {}", plan_json["plan"]["steps"][1]))
        .to_owned();
    let r = checkin(&app, &token, json!({"exercises": [{"exercise_id": step2, "done": true, "pain_during": 2}]})).await;
    assert_eq!(r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request")["field"], "exercise_id");
}

both!(a_step_waits_for_the_step_before_it_to_go_well);

async fn tendon_pain_is_loaded_in_stages_shown_on_the_progress_page(app: TestApp) {
    let b = app.signed_up_browser(&email("tendon")).await;
    let token = app.bearer_token(&email("tendon"), PASSWORD).await;
    let mut answers = sensible_json();
    answers["pain.location"] = json!(["below_kneecap"]);
    answers["pain.worse_with"] = json!(["jumping", "squatting"]);
    answers["activity"] = json!(["jumping_sport"]);
    app.api_save_assessment(&token, &answers).await;
    b.get_page("/progress").await.assert_page(StatusCode::OK).assert_contains("Tendon loading: Stage 1");
    // Someone without tendon pain sees no stages.
    let (other, _, _) = with_plan(&app, "no-tendon").await;
    other.get_page("/progress").await.assert_lacks("Tendon loading");
}

both!(tendon_pain_is_loaded_in_stages_shown_on_the_progress_page);
