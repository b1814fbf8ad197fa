//! The assessment wizard: one part per page, answers kept in the session, mistakes shown by the field,
//! red flags stopping everything, conditional questions appearing on the same page.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, assert_redirect_to, assert_redirect_to_assessment, email, escape, kb};

both!(
    a_new_visitor_goes_through_every_part_and_sees_the_causes,
    going_back_shows_the_answers_already_given,
    an_invalid_number_comes_back_with_422_an_error_by_the_field_and_the_other_answers_kept,
    a_number_out_of_range_or_an_unknown_option_is_refused_by_the_field,
    a_decimal_comma_is_read_as_a_decimal_point,
    a_red_flag_answer_stops_the_wizard_on_the_emergency_page,
    an_urgent_red_flag_says_to_be_seen_today_and_can_be_corrected,
    a_soon_red_flag_lets_the_wizard_finish_with_a_notice,
    answering_that_the_squat_was_done_brings_its_details_onto_the_same_page,
    not_doing_the_squat_skips_the_one_leg_squat,
    answers_survive_leaving_and_returning,
    a_form_without_or_with_a_wrong_csrf_token_is_refused_and_saves_nothing,
    a_forged_field_for_another_part_is_ignored,
    starting_again_clears_the_draft,
    skipped_safety_questions_are_pointed_out_on_the_results,
    a_signed_in_person_finishing_the_wizard_gets_a_saved_assessment,
    results_plan_and_stop_pages_without_answers_send_to_the_start,
);

async fn a_new_visitor_goes_through_every_part_and_sees_the_causes(app: TestApp) {
    let (end, mut visited) = app.walk_wizard(&[]).await;
    assert_eq!(end, "/results");
    // The squat page comes twice: once to ask whether it was done, then with its details.
    let squats = visited.iter().filter(|g| *g == "squat").count();
    assert_eq!(squats, 2, "{visited:?}");
    visited.dedup();
    // With the squat done, every part has something to ask, in the knowledge base's order.
    let all: Vec<String> = kb().groups().iter().map(|g| g.id.clone()).collect();
    assert_eq!(visited, all);
    let results = app.get_page("/results").await;
    for cause in kb().causes() {
        results.assert_contains(&format!("id=\"cause-{}\"", cause.id)).assert_contains(&escape(&cause.name));
    }
    results.assert_contains("Because you said:").assert_lacks("Some safety questions were not answered");
    // The plan follows from the result.
    app.get_page("/plan").await.assert_contains("<h2 id=\"step-1\">");
}

async fn going_back_shows_the_answers_already_given(app: TestApp) {
    let r = app
        .answer_group("about", &[("age", "42"), ("sex", "male"), ("activity", "cycling"), ("activity", "gym")])
        .await;
    assert_redirect_to(&r, "/assess/flags");
    let flags = app.get_page("/assess/flags").await;
    flags.assert_contains("href=\"/assess/about\">Back</a>");
    let about = app.get_page("/assess/about").await;
    about
        .assert_contains("name=\"age\" inputmode=\"decimal\" min=\"5\" max=\"110\" step=\"1\" value=\"42\"")
        .assert_contains("value=\"male\" checked")
        .assert_contains("value=\"cycling\" checked")
        .assert_contains("value=\"gym\" checked")
        .assert_lacks("value=\"female\" checked")
        .assert_lacks("value=\"running\" checked");
    // Answering again replaces the answers.
    let r = app.answer_group("about", &[("age", "43"), ("sex", "")]).await;
    assert_redirect_to(&r, "/assess/flags");
    app.get_page("/assess/about").await.assert_contains("value=\"43\"").assert_lacks("value=\"male\" checked");
}

async fn an_invalid_number_comes_back_with_422_an_error_by_the_field_and_the_other_answers_kept(app: TestApp) {
    let r = app
        .answer_group(
            "about",
            &[("age", "forty"), ("sex", "female"), ("side", "left"), ("sitting_hours_per_day", "7.5")],
        )
        .await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("<h1>About you</h1>")
        .assert_contains("Please check 1 answer:")
        .assert_contains("href=\"#q-age\"")
        .assert_contains("<p class=\"error\" id=\"err-age\">")
        .assert_contains("aria-invalid=\"true\" aria-describedby=\"err-age\"")
        .assert_contains("is not a number")
        // What was typed stays, and so do the other answers.
        .assert_contains("value=\"forty\"")
        .assert_contains("value=\"female\" checked")
        .assert_contains("value=\"left\" checked")
        .assert_contains("value=\"7.5\"")
        .assert_contains("name=\"csrf\"");
    // Nothing of that page was saved.
    app.get_page("/assess").await.assert_lacks("Continue where you left off");
    app.get_page("/assess/about").await.assert_lacks("value=\"female\" checked");
    // Correcting it moves on.
    let r = app.answer_group("about", &[("age", "40")]).await;
    assert_redirect_to(&r, "/assess/flags");
}

async fn a_number_out_of_range_or_an_unknown_option_is_refused_by_the_field(app: TestApp) {
    let r = app.answer_group("about", &[("age", "500")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("id=\"err-age\"").assert_contains("value=\"500\"");
    let r = app.answer_group("about", &[("age", "NaN"), ("sitting_hours_per_day", "inf")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Please check 2 answers:")
        .assert_contains("id=\"err-age\"")
        .assert_contains("id=\"err-sitting_hours_per_day\"");
    let r = app.answer_group("about", &[("sex", "robot")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("id=\"err-sex\"");
    let r = app.answer_group("flags", &[("flag.cancer_history", "maybe")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("id=\"err-flag-cancer_history\"")
        .assert_contains("please choose yes or no");
    // Script in an answer comes back escaped.
    let r = app.answer_group("about", &[("age", "<script>alert(1)</script>")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_lacks("<script>alert(1)</script>")
        .assert_contains("&#60;script&#62;");
}

async fn a_decimal_comma_is_read_as_a_decimal_point(app: TestApp) {
    let r = app.answer_group("about", &[("sitting_hours_per_day", "4,5")]).await;
    assert_redirect_to(&r, "/assess/flags");
    app.get_page("/assess/about").await.assert_contains("value=\"4.5\"");
}

async fn a_red_flag_answer_stops_the_wizard_on_the_emergency_page(app: TestApp) {
    let end = app.complete_wizard(&[("flag.saddle_numbness_or_bladder_bowel_change", "yes")]).await;
    assert_eq!(end, "/assess/stop");
    let stop = app.get_page("/assess/stop").await;
    stop.assert_contains("<h1 class=\"urgent-title\">Get help now</h1>")
        .assert_contains("emergency")
        .assert_contains("class=\"card danger-box\"")
        .assert_contains("href=\"/assess/flags\"");
    // No results and no plan at an emergency: they send back to the stop page.
    assert_redirect_to(&app.get("/results").await, "/assess/stop");
    assert_redirect_to(&app.get("/plan").await, "/assess/stop");
    // Saving it to an account keeps the record but shows only where to go.
    let r = app.sign_up(&email("flag"), PASSWORD).await;
    let id = assert_redirect_to_assessment(&r);
    assert_redirect_to(&app.get(&format!("/assessments/{id}")).await, "/assess/stop");
    app.get_page("/account").await.assert_contains("A red flag: see a doctor");
}

async fn an_urgent_red_flag_says_to_be_seen_today_and_can_be_corrected(app: TestApp) {
    app.answer_group("about", &[]).await;
    let r = app.answer_group("flags", &[("flag.knee_locked", "yes")]).await;
    assert_redirect_to(&r, "/assess/stop");
    app.get_page("/assess/stop").await.assert_contains("Get seen today").assert_lacks("Get help now");
    // "I answered by mistake": the safety page shows the answer, and correcting it continues.
    let flags = app.get_page("/assess/flags").await;
    flags.assert_contains("name=\"flag.knee_locked\" value=\"yes\" checked");
    let r = app.answer_page("flags", &flags, &[("flag.knee_locked", "no")]).await;
    assert_redirect_to(&r, "/assess/injury");
    assert_redirect_to(&app.get("/assess/stop").await, "/assess");
}

async fn a_soon_red_flag_lets_the_wizard_finish_with_a_notice(app: TestApp) {
    let end = app.complete_wizard(&[("flag.night_pain_unrelenting", "yes")]).await;
    assert_eq!(end, "/results");
    app.get_page("/results").await.assert_contains("See a clinician in the next few days");
}

async fn answering_that_the_squat_was_done_brings_its_details_onto_the_same_page(app: TestApp) {
    let before = app.get_page("/assess/squat").await;
    before.assert_contains("name=\"shown\" value=\"squat.done\"").assert_lacks("value=\"squat.knee_caves_in\"");
    let r = app.answer_page("squat", &before, &[("squat.done", "yes")]).await;
    assert_redirect_to(&r, "/assess/squat");
    let details = app.get_page("/assess/squat").await;
    for q in kb().questions().iter().filter(|q| q.group == "squat") {
        details.assert_contains(&format!("name=\"shown\" value=\"{}\"", q.id));
    }
    details.assert_contains("value=\"yes\" checked").assert_contains("src=\"/assets/illustrations/squat-side.svg\"");
    let r = app.answer_page("squat", &details, &[]).await;
    assert_redirect_to(&r, "/assess/single_leg_squat");
    app.get_page("/assess/single_leg_squat").await.assert_contains("name=\"shown\" value=\"single_leg_squat.pain\"");
}

async fn not_doing_the_squat_skips_the_one_leg_squat(app: TestApp) {
    let r = app.answer_group("squat", &[("squat.done", "no")]).await;
    assert_redirect_to(&r, "/assess/back_ball");
    assert_redirect_to(&app.get("/assess/single_leg_squat").await, "/assess/back_ball");
    let (end, visited) = app.walk_wizard(&[("squat.done", "no")]).await;
    assert_eq!(end, "/results");
    assert!(!visited.iter().any(|g| g == "single_leg_squat"), "{visited:?}");
}

async fn answers_survive_leaving_and_returning(app: TestApp) {
    assert_redirect_to(&app.answer_group("about", &[("age", "61")]).await, "/assess/flags");
    assert_redirect_to(&app.answer_group("flags", &[]).await, "/assess/injury");
    // Away to other pages, then back.
    app.get_page("/").await;
    app.get_page("/faq").await;
    app.get_page("/assess")
        .await
        .assert_contains("Continue where you left off")
        .assert_contains("href=\"/assess/injury\"")
        .assert_contains("action=\"/assess/reset\"");
    // The answers are on the server: the same cookie in another client finds them.
    let other = app.browser();
    other.set_session_cookie(&app.session_cookie().expect("a session cookie"));
    other.get_page("/assess/about").await.assert_contains("value=\"61\"");
    // And a different visitor does not.
    let stranger = app.browser();
    stranger.get_page("/assess").await.assert_lacks("Continue where you left off");
    stranger.get_page("/assess/about").await.assert_lacks("value=\"61\"");
}

async fn a_form_without_or_with_a_wrong_csrf_token_is_refused_and_saves_nothing(app: TestApp) {
    let page = app.get_page("/assess/about").await;
    let good = page.csrf();
    let fields = |csrf: Option<&'static str>| {
        let mut f = vec![("shown", "age"), ("age", "33"), ("shown", "sex"), ("sex", "female")];
        if let Some(c) = csrf {
            f.push(("csrf", c));
        }
        f
    };
    let r = app.post_form_raw("/assess/about", &fields(None)).await;
    r.assert_page(StatusCode::FORBIDDEN).assert_contains("<h1>Not allowed</h1>").assert_contains("reload the page");
    let r = app.post_form_raw("/assess/about", &fields(Some(""))).await;
    r.assert_page(StatusCode::FORBIDDEN);
    let wrong = if good.starts_with('0') { "1".repeat(64) } else { "0".repeat(64) };
    let mut f = fields(None);
    f.push(("csrf", wrong.as_str()));
    app.post_form_raw("/assess/about", &f).await.assert_page(StatusCode::FORBIDDEN);
    // Another visitor's token does not fit this session, nor this token another's.
    let other = app.browser();
    let theirs = other.csrf().await;
    let mut f = fields(None);
    f.push(("csrf", theirs.as_str()));
    app.post_form_raw("/assess/about", &f).await.assert_page(StatusCode::FORBIDDEN);
    // A client with no session at all (a forged cross-site post) is refused too.
    let fresh = app.browser();
    let mut f = fields(None);
    f.push(("csrf", good.as_str()));
    fresh.post_form_raw("/assess/about", &f).await.assert_page(StatusCode::FORBIDDEN);
    // Every state-changing form checks it.
    for path in
        ["/assess/reset", "/assessments", "/signup", "/login", "/logout", "/account/password", "/account/delete"]
    {
        let r = app.post_form_raw(path, &[("email", "x@example.com"), ("password", PASSWORD)]).await;
        r.assert_page(StatusCode::FORBIDDEN);
    }
    // Nothing was saved.
    app.get_page("/assess").await.assert_lacks("Continue where you left off");
    app.get_page("/assess/about").await.assert_lacks("value=\"33\"").assert_lacks("value=\"female\" checked");
    // The right token works (the rest of the part is shown next).
    let mut f = fields(None);
    f.push(("csrf", good.as_str()));
    assert_redirect_to(&app.post_form_raw("/assess/about", &f).await, "/assess/about");
    app.get_page("/assess/about").await.assert_contains("value=\"33\"");
}

async fn a_forged_field_for_another_part_is_ignored(app: TestApp) {
    let r = app
        .post_form(
            "/assess/about",
            &[
                ("shown", "age"),
                ("age", "30"),
                ("shown", "flag.saddle_numbness_or_bladder_bowel_change"),
                ("flag.saddle_numbness_or_bladder_bowel_change", "yes"),
                ("shown", "no.such.question"),
                ("no.such.question", "1"),
            ],
        )
        .await;
    // Only the age was shown, so the rest of the part comes next, and the forged answers are not kept.
    assert_redirect_to(&r, "/assess/about");
    app.get_page("/assess/about").await.assert_contains("value=\"30\"");
    app.get_page("/assess/flags").await.assert_lacks("value=\"yes\" checked");
    assert_redirect_to(&app.get("/assess/stop").await, "/assess");
    // A whole part posted with a flag from another part: the flag is ignored, the wizard goes on.
    let mut fields = vec![("flag.saddle_numbness_or_bladder_bowel_change", "yes")];
    fields.push(("shown", "flag.saddle_numbness_or_bladder_bowel_change"));
    let r = app.answer_group("about", &fields).await;
    assert_redirect_to(&r, "/assess/flags");
    assert_redirect_to(&app.get("/assess/stop").await, "/assess");
}

async fn starting_again_clears_the_draft(app: TestApp) {
    app.answer_group("about", &[("age", "55")]).await;
    app.get_page("/assess").await.assert_contains("Continue where you left off");
    let r = app.post_form("/assess/reset", &[]).await;
    assert_redirect_to(&r, "/assess/about");
    app.get_page("/assess").await.assert_lacks("Continue where you left off").assert_contains("href=\"/assess/about\"");
    app.get_page("/assess/about").await.assert_lacks("value=\"55\"");
    assert_redirect_to(&app.get("/results").await, "/assess");
}

async fn skipped_safety_questions_are_pointed_out_on_the_results(app: TestApp) {
    let mut blank: Vec<(&str, &str)> = Vec::new();
    for q in kb().questions().iter().filter(|q| q.group == "flags") {
        blank.push((q.id.as_str(), ""));
    }
    assert_eq!(app.complete_wizard(&blank).await, "/results");
    app.get_page("/results")
        .await
        .assert_contains("Some safety questions were not answered")
        .assert_contains("href=\"/assess/flags\"");
}

async fn a_signed_in_person_finishing_the_wizard_gets_a_saved_assessment(app: TestApp) {
    app.sign_up(&email("done"), PASSWORD).await;
    let end = app.complete_wizard(&[]).await;
    let id = end.strip_prefix("/assessments/").unwrap_or_else(|| panic!("ended at {end}")).to_owned();
    app.get_page(&end).await.assert_contains("What seems to be driving your knee pain");
    // The draft became the record: nothing left to continue, and /results shows the saved one.
    app.get_page("/assess").await.assert_lacks("Continue where you left off");
    assert_redirect_to(&app.get("/results").await, &format!("/assessments/{id}"));
    app.get_page("/account").await.assert_contains(&format!("href=\"/assessments/{id}\""));
}

async fn results_plan_and_stop_pages_without_answers_send_to_the_start(app: TestApp) {
    assert_redirect_to(&app.get("/results").await, "/assess");
    assert_redirect_to(&app.get("/plan").await, "/assess");
    assert_redirect_to(&app.get("/assess/stop").await, "/assess");
    // With a session but still no answers.
    app.get_page("/assess").await;
    assert_redirect_to(&app.get("/assess/stop").await, "/assess");
    assert_redirect_to(&app.get("/results").await, "/assess");
    // Signed in with nothing saved: the same.
    app.sign_up(&email("empty"), PASSWORD).await;
    assert_redirect_to(&app.get("/results").await, "/assess");
    assert_redirect_to(&app.get("/plan").await, "/assess");
}
