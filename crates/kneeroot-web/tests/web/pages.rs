//! Every page renders: status, HTML, size, heading; the 404 page; assets; health checks; the API's
//! description; what a visitor sees when the database is gone.

use reqwest::{Method, StatusCode};

use crate::helpers::{PASSWORD, TestApp, assert_redirect_to, assert_redirect_to_assessment, email, escape, kb};

both!(
    every_public_page_renders_as_a_small_html_page_with_its_heading,
    the_week_links_of_a_saved_plan_lead_to_its_other_weeks,
    every_wizard_part_renders_with_its_title_or_moves_on_when_nothing_applies,
    the_pages_of_a_finished_assessment_render_for_a_visitor,
    the_pages_of_a_signed_in_person_render,
    the_navigation_says_who_is_signed_in,
    unknown_paths_get_the_html_404_page,
    assets_are_served_with_their_content_types_and_a_cache_lifetime,
    health_checks_answer_ok_and_ready,
    readiness_fails_and_pages_show_a_plain_500_when_the_database_is_gone,
    the_faq_lists_every_entry_and_searches,
    the_openapi_document_describes_every_api_route_and_answer,
    the_api_docs_page_lists_every_operation,
);

async fn every_public_page_renders_as_a_small_html_page_with_its_heading(app: TestApp) {
    let pages = [
        ("/", "<h1>Your knee may be the victim, not the culprit</h1>"),
        ("/faq", "<h1>Common questions</h1>"),
        ("/faq?q=running", "<h1>Common questions</h1>"),
        ("/assess", "<h1>The assessment</h1>"),
        ("/login", "<h1>Sign in</h1>"),
        ("/signup", "<h1>Create an account</h1>"),
        ("/api/docs", "<h1>kneeroot API</h1>"),
    ];
    for (path, heading) in pages {
        let r = app.get_page(path).await;
        r.assert_contains(heading).assert_contains("<title>").assert_contains("/assets/style.css");
        // Decision support, never a diagnosis: said on every page.
        r.assert_contains("decision support, not a diagnosis");
    }
    // The start page offers to start (nothing to continue yet).
    app.get_page("/assess").await.assert_contains("href=\"/assess/about\"").assert_lacks("Continue where you left off");
}

async fn every_wizard_part_renders_with_its_title_or_moves_on_when_nothing_applies(app: TestApp) {
    let groups = kb().groups();
    for (i, g) in groups.iter().enumerate() {
        let r = app.get(&format!("/assess/{}", g.id)).await;
        let applies = kb().questions().iter().any(|q| q.group == g.id && q.ask_when.is_none());
        if applies {
            r.assert_page(StatusCode::OK)
                .assert_contains(&format!("<h1>{}</h1>", escape(&g.title)))
                .assert_contains(&format!("Part {} of {}", i + 1, groups.len()))
                .assert_contains(&format!("action=\"/assess/{}\"", g.id))
                .assert_contains("name=\"csrf\"");
            for q in kb().questions().iter().filter(|q| q.group == g.id && q.ask_when.is_none()) {
                r.assert_contains(&format!("name=\"shown\" value=\"{}\"", q.id));
            }
            // Questions behind a condition are not shown before it holds.
            for q in kb().questions().iter().filter(|q| q.group == g.id && q.ask_when.is_some()) {
                r.assert_lacks(&format!("name=\"shown\" value=\"{}\"", q.id));
            }
        } else {
            // Nothing to ask with no answers (the one-leg squat waits for the squat): on to the next part.
            let next = &groups[i + 1].id;
            assert_redirect_to(&r, &format!("/assess/{next}"));
        }
    }
    // The last part's button says what comes next.
    let last = &groups.last().expect("groups").id;
    app.get_page(&format!("/assess/{last}")).await.assert_contains("See my results");
    app.get_page("/assess/about").await.assert_contains(">Next<").assert_lacks(">Back<");
}

async fn the_pages_of_a_finished_assessment_render_for_a_visitor(app: TestApp) {
    assert_eq!(app.complete_wizard(&[]).await, "/results");
    app.get_page("/results")
        .await
        .assert_contains("<h1>What seems to be driving your knee pain</h1>")
        .assert_contains("class=\"body-diagram\"")
        .assert_contains("href=\"/plan\"")
        .assert_contains("Create an account");
    let plan = app.get_page("/plan").await;
    plan.assert_contains("<h1>Your plan: ")
        .assert_contains("Week 1 of")
        .assert_contains("<h2>Exercising with pain</h2>");
    let weeks = plan_weeks(&plan);
    assert!((8..=12).contains(&weeks), "{weeks} weeks");
    app.get_page("/plan?week=2").await.assert_contains("<strong>Week 2 of");
    let next = link_to_week(&plan, 2);
    app.get_page(&next).await.assert_contains("<strong>Week 2 of");
    // Out-of-range weeks stay within the plan.
    app.get_page("/plan?week=0").await.assert_contains("<strong>Week 1 of");
    app.get_page("/plan?week=999").await.assert_contains(&format!("<strong>Week {weeks} of {weeks}</strong>"));
    // A week that is not a number is a mistake in the address, not a crash.
    let r = app.get("/plan?week=abc").await;
    r.assert_page(StatusCode::BAD_REQUEST).assert_contains("whole number");
    let r = app.get("/plan?week=-1").await;
    r.assert_page(StatusCode::BAD_REQUEST);
}

async fn the_pages_of_a_signed_in_person_render(app: TestApp) {
    app.complete_wizard(&[]).await;
    let r = app.sign_up(&email("pat"), PASSWORD).await;
    let id = assert_redirect_to_assessment(&r);
    app.get_page("/account")
        .await
        .assert_contains("<h1>Your account</h1>")
        .assert_contains("pat@example.com")
        .assert_contains(&format!("href=\"/assessments/{id}\""))
        .assert_contains("Most likely: ");
    app.get_page(&format!("/assessments/{id}"))
        .await
        .assert_contains("<h1>What seems to be driving your knee pain</h1>")
        .assert_contains("Assessment of 1 January 2026")
        .assert_contains(&format!("href=\"/plan?assessment={id}\""));
    app.get_page(&format!("/plan?assessment={id}"))
        .await
        .assert_contains("<h1>Your plan: ")
        .assert_contains("<strong>Week 1 of");
    // The latest assessment is the default plan; the list lives on the account page.
    app.get_page("/plan").await.assert_contains("<h1>Your plan: ");
    assert_redirect_to(&app.get("/assessments").await, "/account");
    // Signed in, the sign-in and sign-up forms send to the account.
    assert_redirect_to(&app.get("/login").await, "/account");
    assert_redirect_to(&app.get("/signup").await, "/account");
}

async fn the_week_links_of_a_saved_plan_lead_to_its_other_weeks(app: TestApp) {
    app.complete_wizard(&[]).await;
    let id = assert_redirect_to_assessment(&app.sign_up(&email("weeks"), PASSWORD).await);
    let plan = app.get_page(&format!("/plan?assessment={id}")).await;
    let next = link_to_week(&plan, 2);
    assert!(next.starts_with("/plan?") && next.contains(&format!("assessment={id}")), "{next}");
    let week2 = app.get_page(&next).await;
    week2.assert_contains("<strong>Week 2 of");
    let back = link_to_week(&week2, 1);
    app.get_page(&back).await.assert_contains("<strong>Week 1 of");
}

async fn the_navigation_says_who_is_signed_in(app: TestApp) {
    app.get_page("/").await.assert_contains("href=\"/login\"").assert_lacks("href=\"/account\"");
    app.sign_up(&email("nav"), PASSWORD).await;
    app.get_page("/")
        .await
        .assert_contains("href=\"/account\"")
        .assert_contains("href=\"/plan\"")
        .assert_lacks("<a href=\"/login\">Sign in</a>");
    app.get_page("/faq").await.assert_contains("title=\"nav@example.com\"");
}

async fn unknown_paths_get_the_html_404_page(app: TestApp) {
    for path in ["/nope", "/assess/nope", "/assess/about/extra", "/faq/x", "/assessments/", "/api", "/.env"] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        if r.header("content-type").starts_with("text/html") {
            r.assert_page(StatusCode::NOT_FOUND).assert_contains("<h1>Page not found</h1>");
        } else {
            r.assert_api_error(StatusCode::NOT_FOUND, "not_found");
        }
    }
    // An unknown wizard part is a 404 page for GET and POST alike.
    let r = app.post_form("/assess/nope", &[("shown", "age"), ("age", "30")]).await;
    r.assert_page(StatusCode::NOT_FOUND).assert_contains("<h1>Page not found</h1>");
    // Unknown methods on known pages are refused, not crashed.
    let r = app.send(app.request(Method::DELETE, "/account")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = app.send(app.request(Method::PUT, "/assess/about")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

async fn assets_are_served_with_their_content_types_and_a_cache_lifetime(app: TestApp) {
    let mut assets = vec![
        ("/assets/style.css".to_owned(), "text/css; charset=utf-8"),
        ("/assets/favicon.svg".to_owned(), "image/svg+xml"),
        ("/robots.txt".to_owned(), "text/plain; charset=utf-8"),
    ];
    for svg in [
        "body-diagram",
        "squat-test",
        "squat-side",
        "back-ball-test",
        "knee-to-wall",
        "single-leg-stance",
        "thomas-test",
        "hip-rotation",
        "side-lying-leg-lift",
    ] {
        assets.push((format!("/assets/illustrations/{svg}.svg"), "image/svg+xml"));
    }
    for (path, content_type) in &assets {
        let r = app.get(path).await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.header("content-type"), *content_type, "{path}");
        assert_eq!(r.header("cache-control"), "public, max-age=86400", "{path}");
        assert!(!r.body.is_empty(), "{path}");
        if content_type.starts_with("image/svg") {
            assert!(r.body.contains("<svg"), "{path}");
            assert!(!r.body.contains("<script"), "{path} carries a script");
        }
    }
    app.get("/robots.txt").await.assert_contains("Disallow: /account");
    // Every picture a page refers to exists.
    let page = app.get_page("/assess/ankle").await;
    page.assert_contains("src=\"/assets/illustrations/knee-to-wall.svg\"");
    for path in ["/assets/nope.css", "/assets/illustrations/", "/assets/..%2Fsrc%2Flib.rs", "/assets/%2e%2e/Cargo.toml"]
    {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("[package]") && !r.body.contains("pub fn"), "{path} served a source file");
    }
}

async fn health_checks_answer_ok_and_ready(app: TestApp) {
    let r = app.get("/healthz").await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.body, "ok");
    let r = app.get("/readyz").await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.body, "ready");
    // Health checks start no session.
    assert!(r.session_set_cookie().is_none());
}

async fn readiness_fails_and_pages_show_a_plain_500_when_the_database_is_gone(app: TestApp) {
    app.db.close().await;
    let r = app.get("/readyz").await;
    r.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.body, "database unavailable");
    assert_eq!(app.get("/healthz").await.body, "ok");
    // A page that needs the database says only that something went wrong (the leak check in the helpers
    // makes sure no driver message, SQL or panic shows).
    let r = app.get("/assess").await;
    r.assert_page(StatusCode::INTERNAL_SERVER_ERROR).assert_contains("Something went wrong");
    let r = app.api_login("x@example.com", PASSWORD).await;
    let e = r.assert_api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert_eq!(e["message"], "Something went wrong on our side. Please try again.");
    // Pages that need no database still work.
    app.get_page("/").await;
}

async fn the_faq_lists_every_entry_and_searches(app: TestApp) {
    let all = app.get_page("/faq").await;
    for f in kb().faq() {
        all.assert_contains(&format!("id=\"{}\"", f.id)).assert_contains(&escape(&f.question));
    }
    // Without a query the answers are folded; with one, the matches are open.
    all.assert_lacks(" open>");
    let first = &kb().faq()[0];
    let word = first.question.split_whitespace().max_by_key(|w| w.len()).expect("a word");
    let hits = app.get_page(&format!("/faq?q={}", word.trim_matches(|c: char| !c.is_alphanumeric()))).await;
    hits.assert_contains(&format!("id=\"{}\"", first.id)).assert_contains(" open>");
    app.get_page("/faq?q=zzqqxxnothing").await.assert_contains("Nothing matched");
    // A very long query is cut short, not refused.
    app.get_page(&format!("/faq?q={}", "knee+".repeat(2000))).await;
}

async fn the_openapi_document_describes_every_api_route_and_answer(app: TestApp) {
    let r = app.get("/api/openapi.json").await;
    r.assert_status(StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/assess", "post"),
        ("/api/v1/session", "post"),
        ("/api/v1/session", "delete"),
        ("/api/v1/assessments", "post"),
        ("/api/v1/assessments", "get"),
        ("/api/v1/assessments/{id}", "get"),
        ("/api/v1/plan", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not described");
    }
    let answers = doc["components"]["schemas"]["Answers"]["properties"].as_object().expect("answer properties");
    for q in kb().questions() {
        assert!(answers.contains_key(&q.id), "answer {} is not described", q.id);
    }
    assert_eq!(answers.len(), kb().questions().len());
}

async fn the_api_docs_page_lists_every_operation(app: TestApp) {
    let r = app.get_page("/api/docs").await;
    for op in [
        "POST /api/v1/assess",
        "POST /api/v1/session",
        "DELETE /api/v1/session",
        "GET /api/v1/assessments",
        "POST /api/v1/assessments",
        "GET /api/v1/assessments/{id}",
        "GET /api/v1/plan",
    ] {
        r.assert_contains(&format!("<code>{op}</code>"));
    }
    r.assert_contains("href=\"/api/openapi.json\"").assert_contains(&format!("Knowledge base {}", kb().version()));
    for q in kb().questions().iter().take(5) {
        r.assert_contains(&format!("<code>{}</code>", q.id));
    }
}

/// How many weeks a plan page says the plan has.
fn plan_weeks(plan: &crate::helpers::Resp) -> u32 {
    let strong = plan.body.find("<strong>Week ").expect("Week N of M");
    let at = strong + plan.body[strong..].find(" of ").expect("Week N of M");
    plan.body[at + 4..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("a number")
}

/// The address of the "Week N" link on a plan page.
fn link_to_week(plan: &crate::helpers::Resp, week: u32) -> String {
    let label = format!("\">Week {week}</a>");
    let end = plan.body.find(&label).unwrap_or_else(|| panic!("no link to week {week}"));
    let start = plan.body[..end].rfind("href=\"").expect("href") + 6;
    crate::helpers::unescape(&plan.body[start..end])
}
