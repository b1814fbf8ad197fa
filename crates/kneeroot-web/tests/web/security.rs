//! Security mechanics seen from outside: headers on every response, the session cookie's attributes,
//! no inline script or style, escaping of everything a visitor typed, malformed cookies, and time:
//! sessions, tokens and throttling windows that end when the clock says so; and every error status, on
//! pages and the API, free of internals (stack traces, SQL, file paths, causes) and of other people's data.

use kneeroot_store::{AssessmentStore, Availability, BookingStore, Email, NewAssessment, Role, UserStore};
use kneeroot_web::Config;
use kneeroot_web::clock::Clock;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{
    Browser, COOKIE, PASSWORD, Resp, TestApp, assert_redirect_to, assert_redirect_to_assessment, email, kb,
};

both!(
    every_response_carries_the_security_headers,
    the_session_cookie_is_http_only_same_site_lax_and_not_secure_over_plain_http,
    with_secure_cookies_configured_every_session_cookie_is_secure,
    pages_carry_no_inline_script_or_style_and_nothing_from_another_origin,
    what_a_visitor_types_is_escaped_wherever_it_is_shown,
    a_signed_in_persons_forms_without_the_right_csrf_token_change_nothing,
    a_malformed_or_unknown_session_cookie_starts_a_new_session,
    a_browser_session_expires_after_its_lifetime,
    an_api_token_expires_after_its_lifetime,
    the_login_throttle_lifts_after_its_window_and_a_success_clears_it,
    the_per_address_throttle_ignores_x_forwarded_for_unless_told_to_trust_it,
    the_plan_week_follows_the_calendar,
    no_error_page_or_api_error_leaks_internals_or_another_persons_data,
);

const DAY: i64 = 24 * 3600;

#[track_caller]
fn assert_security_headers(r: &Resp) {
    let csp = r.header("content-security-policy");
    assert!(!csp.is_empty(), "{}: no Content-Security-Policy", r.request);
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{}: {csp}", r.request);
    for directive in csp.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut parts = directive.split_whitespace();
        let name = parts.next().expect("a directive name");
        for source in parts {
            assert!(
                ["'self'", "'none'", "data:"].contains(&source),
                "{}: {name} allows {source}, another origin or a wildcard",
                r.request
            );
        }
    }
    for needed in ["default-src 'none'", "frame-ancestors 'none'", "script-src 'self'", "form-action 'self'"] {
        assert!(csp.contains(needed), "{}: the CSP lacks {needed}: {csp}", r.request);
    }
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{}", r.request);
    assert_eq!(r.header("x-frame-options"), "DENY", "{}", r.request);
    assert_eq!(r.header("referrer-policy"), "no-referrer", "{}", r.request);
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let mut responses = Vec::new();
    for path in [
        "/",
        "/faq?q=knee",
        "/assess",
        "/assess/about",
        "/login",
        "/signup",
        "/results",
        "/account",
        "/nope",
        "/assets/style.css",
        "/assets/illustrations/body-diagram.svg",
        "/robots.txt",
        "/healthz",
        "/readyz",
        "/api/openapi.json",
        "/api/docs",
        "/api/v1/nope",
        "/api/v1/plan",
    ] {
        responses.push(app.get(path).await);
    }
    responses.push(app.api_assess(&json!({})).await);
    responses.push(app.api_assess(&json!({"pain.now": 99})).await);
    responses.push(app.post_form_raw("/assess/about", &[("csrf", "forged")]).await);
    responses.push(app.send(app.request(Method::DELETE, "/")).await);
    for r in &responses {
        assert_security_headers(r);
    }
    assert!(responses.iter().any(|r| r.status == StatusCode::SEE_OTHER));
    assert!(responses.iter().any(|r| r.status == StatusCode::FORBIDDEN));
    assert!(responses.iter().any(|r| r.status == StatusCode::METHOD_NOT_ALLOWED));
}

/// The attributes of a `Set-Cookie` line, lower-cased, and its value.
fn cookie_parts(line: &str) -> (String, Vec<String>) {
    let mut parts = line.split(';').map(str::trim);
    let first = parts.next().expect("name=value");
    let value = first.strip_prefix(&format!("{COOKIE}=")).expect("the session cookie").to_owned();
    (value, parts.map(str::to_lowercase).collect())
}

#[track_caller]
fn assert_cookie_flags(line: &str, secure: bool) -> String {
    let (value, attrs) = cookie_parts(line);
    for needed in ["httponly", "samesite=lax", "path=/"] {
        assert!(attrs.iter().any(|a| a == needed), "{line} lacks {needed}");
    }
    assert!(attrs.iter().any(|a| a.starts_with("max-age=")), "{line} has no lifetime");
    assert_eq!(attrs.iter().any(|a| a == "secure"), secure, "{line}: Secure should be {secure}");
    assert!(!attrs.iter().any(|a| a.starts_with("domain=")), "{line} widens the cookie to other hosts");
    value
}

async fn the_session_cookie_is_http_only_same_site_lax_and_not_secure_over_plain_http(app: TestApp) {
    let first = app.get("/assess").await;
    let line = first.session_set_cookie().expect("a session starts on the assessment");
    let token = assert_cookie_flags(&line, false);
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    assert!(line.contains(&format!("Max-Age={}", app.config.session_seconds)), "{line}");
    // Once there is a session, pages do not set the cookie again.
    assert!(app.get("/assess").await.session_set_cookie().is_none());
    // Pages that need no session start none.
    assert!(app.browser().get("/").await.session_set_cookie().is_none());
    assert!(app.browser().get("/faq").await.session_set_cookie().is_none());
    // Sign-up, sign-in and sign-out cookies carry the same flags.
    let r = app.sign_up(&email("flags"), PASSWORD).await;
    assert_cookie_flags(&r.session_set_cookie().expect("a new session"), false);
    let r = app.post_form("/logout", &[]).await;
    let cleared = r.session_set_cookie().expect("cleared");
    assert_eq!(assert_cookie_flags(&cleared, false), "");
    app.get_page("/login").await;
    let r = app.login(&email("flags"), PASSWORD).await;
    assert_cookie_flags(&r.session_set_cookie().expect("a new session"), false);
}

async fn with_secure_cookies_configured_every_session_cookie_is_secure(app: TestApp) {
    let tls = app.another_server(Config { secure_cookies: true, ..Config::default() }).await;
    // A client that keeps the cookie by hand (a cookie jar would not send a Secure cookie over http).
    let b = tls.browser();
    let adopt = |r: &Resp, b: &Browser| -> String {
        let line = r.session_set_cookie().expect("a session cookie");
        let token = assert_cookie_flags(&line, true);
        b.set_session_cookie(&token);
        token
    };
    let page = b.get("/signup").await;
    adopt(&page, &b);
    let r =
        b.post_form_raw("/signup", &[("csrf", &page.csrf()), ("email", &email("tls")), ("password", PASSWORD)]).await;
    assert_redirect_to(&r, "/account");
    adopt(&r, &b);
    let account = b.get_page("/account").await;
    let r = b.post_form_raw("/logout", &[("csrf", &account.csrf())]).await;
    let cleared = r.session_set_cookie().expect("cleared");
    assert!(cleared.contains("Max-Age=0"));
    assert_cookie_flags(&cleared, true);
    // The default server on the same database still sends plain cookies.
    assert_cookie_flags(&app.get("/assess").await.session_set_cookie().expect("a cookie"), false);
}

async fn pages_carry_no_inline_script_or_style_and_nothing_from_another_origin(app: TestApp) {
    let mut pages = Vec::new();
    for path in ["/", "/faq", "/assess", "/login", "/signup", "/api/docs", "/nope"] {
        pages.push(app.get(path).await);
    }
    for g in kb().groups() {
        let r = app.get(&format!("/assess/{}", g.id)).await;
        if r.status == StatusCode::OK {
            pages.push(r);
        }
    }
    app.complete_wizard(&[]).await;
    pages.push(app.get_page("/results").await);
    pages.push(app.get_page("/plan").await);
    let id = assert_redirect_to_assessment(&app.sign_up(&email("csp"), PASSWORD).await);
    pages.push(app.get_page("/account").await);
    pages.push(app.get_page(&format!("/assessments/{id}")).await);
    pages.push(app.get_page(&format!("/plan?assessment={id}")).await);
    let b = app.browser();
    b.complete_wizard(&[("flag.saddle_numbness_or_bladder_bowel_change", "yes")]).await;
    pages.push(b.get_page("/assess/stop").await);
    for p in &pages {
        let lower = p.body.to_lowercase();
        for banned in
            ["<script", "<style", " style=\"", "javascript:", " onclick=", " onload=", " onerror=", " onsubmit="]
        {
            assert!(!lower.contains(banned), "{}: {banned} would be blocked by the CSP (or is unsafe)", p.request);
        }
        for external in ["src=\"http", "src=\"//", "href=\"//", "action=\"http", "url(http", "@import"] {
            assert!(!lower.contains(external), "{}: refers to another origin ({external})", p.request);
        }
    }
}

async fn what_a_visitor_types_is_escaped_wherever_it_is_shown(app: TestApp) {
    let evil = "\"><script>alert(1)</script>";
    let encoded = "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let faq = app.get_page(&format!("/faq?q={encoded}")).await;
    faq.assert_lacks("<script>").assert_contains("&#60;script&#62;");
    app.get_page("/signup").await;
    let r = app.post_form("/signup", &[("email", evil), ("password", PASSWORD)]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_lacks("<script>").assert_contains("&#60;script&#62;");
    let r = app.post_form("/signup", &[("email", &format!("a{evil}@example.com")), ("password", "short")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_lacks("<script>");
    let r = app.login(evil, PASSWORD).await;
    r.assert_page(StatusCode::UNAUTHORIZED).assert_lacks("<script>").assert_contains("&#60;script&#62;");
    let r = app.answer_group("about", &[("age", evil)]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_lacks("<script>");
    // An API error quoting the value is JSON, not HTML.
    let r = app.api_assess(&json!({"sex": evil})).await;
    r.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
    assert!(r.header("content-type").starts_with("application/json"));
    let rq = app.request(Method::POST, "/api/v1/assess").header(CONTENT_TYPE, "application/json").body(evil);
    let r = app.send(rq).await;
    r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    assert!(r.header("content-type").starts_with("application/json"));
}

async fn a_signed_in_persons_forms_without_the_right_csrf_token_change_nothing(app: TestApp) {
    app.complete_wizard(&[]).await;
    let id = assert_redirect_to_assessment(&app.sign_up(&email("target"), PASSWORD).await);
    let attacker = app.signed_up_browser(&email("attacker")).await;
    let foreign = attacker.csrf().await;
    let new_password = "attacker chosen password";
    for csrf in [None, Some(""), Some("0".repeat(64).as_str()), Some(foreign.as_str())] {
        let with = |mut fields: Vec<(&'static str, String)>| {
            if let Some(c) = csrf {
                fields.push(("csrf", c.to_owned()));
            }
            fields
        };
        let forms = [
            ("/account/delete", with(vec![("password", PASSWORD.into()), ("confirm", "yes".into())])),
            ("/account/password", with(vec![("current", PASSWORD.into()), ("new", new_password.into())])),
            ("/logout", with(vec![])),
            ("/assess/reset", with(vec![])),
            ("/assessments", with(vec![])),
        ];
        for (path, fields) in forms {
            let r = app.send(app.request(Method::POST, path).form(&fields)).await;
            r.assert_page(StatusCode::FORBIDDEN);
        }
    }
    // Still signed in, the password unchanged, the assessment where it was.
    assert!(app.is_signed_in().await);
    app.get_page(&format!("/assessments/{id}")).await;
    let b = app.browser();
    b.get_page("/login").await;
    b.login(&email("target"), new_password).await.assert_page(StatusCode::UNAUTHORIZED);
    assert_redirect_to(&b.login(&email("target"), PASSWORD).await, "/account");
}

async fn a_malformed_or_unknown_session_cookie_starts_a_new_session(app: TestApp) {
    let (g64, a63, a65, zero64) = ("g".repeat(64), "a".repeat(63), "a".repeat(65), "0".repeat(64));
    for bad in ["zzz", &g64, &a63, &a65, &zero64, "'; DROP TABLE sessions; --"] {
        let b = app.browser();
        let rq = b.request(Method::GET, "/assess").header("cookie", format!("{COOKIE}={bad}"));
        let r = b.send(rq).await;
        r.assert_page(StatusCode::OK).assert_lacks("Continue where you left off");
        let line = r.session_set_cookie().expect("a fresh session");
        assert!(!line.contains(&format!("{COOKIE}={bad};")), "the unknown id {bad} was adopted");
        let rq = b.request(Method::GET, "/account").header("cookie", format!("{COOKIE}={bad}"));
        assert_redirect_to(&b.send(rq).await, "/login");
    }
    // Several cookies, or a doubled one, do not confuse it.
    let signed = app.signed_up_browser(&email("cookies")).await;
    let token = signed.session_cookie().expect("a session");
    let rq = app.request(Method::GET, "/account").header("cookie", format!("other=1; {COOKIE}={token}; x=y"));
    app.send(rq).await.assert_page(StatusCode::OK);
}

async fn a_browser_session_expires_after_its_lifetime(app: TestApp) {
    let lifetime = app.config.session_seconds;
    let b = app.signed_up_browser(&email("expiry")).await;
    let anon = app.browser();
    anon.answer_group("about", &[("age", "29")]).await;
    let csrf = b.csrf().await;

    app.clock.advance(lifetime - 60);
    assert!(b.is_signed_in().await, "still signed in a minute before the end");
    anon.get_page("/assess").await.assert_contains("Continue where you left off");

    app.clock.advance(61);
    assert!(!b.is_signed_in().await, "signed out after {lifetime} s");
    assert_redirect_to(&b.get("/plan?assessment=0123456789abcdef0123456789abcdef").await, "/login");
    // A form from the expired session is refused rather than acted on.
    let r = b
        .post_form_raw("/account/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", "another passphrase")])
        .await;
    r.assert_page(StatusCode::FORBIDDEN);
    // An anonymous session's answers end with it.
    let r = anon.get("/assess").await;
    r.assert_page(StatusCode::OK).assert_lacks("Continue where you left off");
    assert!(r.session_set_cookie().is_some(), "a new session starts");
    // Signing in again works, on the clock of the day.
    b.get_page("/login").await;
    assert_redirect_to(&b.login(&email("expiry"), PASSWORD).await, "/account");
}

async fn an_api_token_expires_after_its_lifetime(app: TestApp) {
    app.signed_up_browser(&email("token")).await;
    let token = app.bearer_token(&email("token"), PASSWORD).await;
    app.clock.advance(app.config.token_seconds - 1);
    app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await.assert_status(StatusCode::OK);
    app.clock.advance(2);
    let r = app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await;
    r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn the_login_throttle_lifts_after_its_window_and_a_success_clears_it(app: TestApp) {
    app.signed_up_browser(&email("patient")).await;
    let b = app.browser();
    b.get_page("/login").await;
    // Four failures, then a success: the account's count starts again.
    for _ in 0..4 {
        b.login(&email("patient"), "wrong password!").await.assert_page(StatusCode::UNAUTHORIZED);
    }
    assert_redirect_to(&b.login(&email("patient"), PASSWORD).await, "/account");
    b.logout().await;
    b.get_page("/login").await;
    for _ in 0..5 {
        b.login(&email("patient"), "wrong password!").await.assert_page(StatusCode::UNAUTHORIZED);
    }
    b.login(&email("patient"), PASSWORD).await.assert_page(StatusCode::TOO_MANY_REQUESTS);
    // Still refused just inside the window, allowed once it has passed.
    app.clock.advance(app.config.failure_window_seconds - 1);
    b.login(&email("patient"), PASSWORD).await.assert_page(StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(2);
    assert_redirect_to(&b.login(&email("patient"), PASSWORD).await, "/account");
}

/// Post the login form from `b` claiming to come from `forwarded_for`.
async fn login_from(b: &Browser, forwarded_for: &str, address: &str, password: &str) -> Resp {
    let csrf = b.csrf().await;
    let fields = [("csrf", csrf.as_str()), ("email", address), ("password", password)];
    b.send(b.request(Method::POST, "/login").header("x-forwarded-for", forwarded_for).form(&fields)).await
}

async fn the_per_address_throttle_ignores_x_forwarded_for_unless_told_to_trust_it(app: TestApp) {
    app.signed_up_browser(&email("victim")).await;
    let strict = Config { max_failures_per_ip: 3, ..Config::default() };
    // Not behind a trusted proxy: a client cannot dodge the per-address count with a made-up header.
    let direct = app.another_server(strict.clone()).await;
    let b = direct.browser();
    for (i, ip) in ["10.0.0.1", "10.0.0.2", "10.0.0.3"].into_iter().enumerate() {
        let r = login_from(&b, ip, &email(&format!("guess{i}")), "wrong password!").await;
        r.assert_page(StatusCode::UNAUTHORIZED);
    }
    login_from(&b, "10.0.0.4", &email("victim"), PASSWORD).await.assert_page(StatusCode::TOO_MANY_REQUESTS);
    // Behind a trusted proxy, the forwarded address is the client's.
    let proxied = app.another_server(Config { trust_forwarded_for: true, ..strict }).await;
    let b = proxied.browser();
    for i in 0..3 {
        let r = login_from(&b, "192.0.2.1", &email(&format!("other{i}")), "wrong password!").await;
        r.assert_page(StatusCode::UNAUTHORIZED);
    }
    login_from(&b, "192.0.2.1", &email("victim"), PASSWORD).await.assert_page(StatusCode::TOO_MANY_REQUESTS);
    assert_redirect_to(&login_from(&b, "192.0.2.2", &email("victim"), PASSWORD).await, "/account");
}

async fn the_plan_week_follows_the_calendar(app: TestApp) {
    app.complete_wizard(&[]).await;
    let id = assert_redirect_to_assessment(&app.sign_up(&email("weeks"), PASSWORD).await);
    app.get_page("/plan").await.assert_contains("<strong>Week 1 of");
    app.clock.advance(7 * DAY - 1);
    app.get_page("/plan").await.assert_contains("<strong>Week 1 of");
    app.clock.advance(1);
    app.get_page("/plan").await.assert_contains("<strong>Week 2 of");
    app.get_page(&format!("/plan?assessment={id}")).await.assert_contains("<strong>Week 2 of");
    // The date the assessment was taken does not move.
    app.get_page(&format!("/assessments/{id}")).await.assert_contains("Assessment of 1 January 2026");
}

/// Text that gives away how kneeroot is built or where it runs; none of it may reach a client. (The
/// helpers already refuse driver names, panics and SQL in every response.)
const INTERNALS: [&str; 16] = [
    "/home/",
    "/root/",
    "/work/",
    "/tmp/",
    "/usr/",
    "src/",
    ".rs:",
    "crates/",
    "registry",
    "thread '",
    "backtrace",
    "StoreError",
    "Problem::",
    "anyhow",
    "Some(",
    "Error {",
];

/// One error response to check, with what its request sent (an echo of what the client itself sent is
/// not a leak).
struct Sent {
    resp: Resp,
    sent: String,
}

/// A request built by `b` with `sent` noted.
async fn send(b: &Browser, rq: reqwest::RequestBuilder, sent: &str) -> Sent {
    Sent { resp: b.send(rq).await, sent: sent.to_owned() }
}

async fn no_error_page_or_api_error_leaks_internals_or_another_persons_data(app: TestApp) {
    // Someone else's account, records and appointment: none of it may show in anyone's error.
    let physio_id = clinician_with_hours(&app, "leak-physio").await;
    let victim = app.browser();
    victim.complete_wizard(&[]).await;
    let victim_assessment = assert_redirect_to_assessment(&victim.sign_up(&email("victim"), PASSWORD).await);
    let victim_token = app.bearer_token(&email("victim"), PASSWORD).await;
    let victim_id = app.db.credentials(&Email::parse(&email("victim")).unwrap()).await.unwrap().unwrap().user.id;
    let slots =
        app.api(Method::GET, &format!("/api/v1/slots?clinician_id={physio_id}"), Some(&victim_token), None).await;
    let start = slots.json()[0]["start"].as_str().expect("a free slot").to_owned();
    let booked = app
        .api(
            Method::POST,
            "/api/v1/bookings",
            Some(&victim_token),
            Some(&json!({"clinician_id": physio_id, "start": start, "reason": "victim's private reason"})),
        )
        .await;
    booked.assert_status(StatusCode::CREATED);
    let victim_booking = booked.json()["id"].as_str().expect("an id").to_owned();
    let secrets = [
        email("victim"),
        victim_id.to_string(),
        victim_assessment.clone(),
        victim_booking.clone(),
        victim_token.clone(),
        "victim's private reason".to_owned(),
    ];

    // The person asking: signed in on the pages, with a plan, and with an API token.
    let asker = app.browser();
    asker.complete_wizard(&[]).await;
    asker.sign_up(&email("asker"), PASSWORD).await;
    let token = app.bearer_token(&email("asker"), PASSWORD).await;
    let json_rq = |b: &Browser, method: Method, path: &str, body: &str| {
        b.request(method, path).bearer_auth(&token).header(CONTENT_TYPE, "application/json").body(body.to_owned())
    };
    let mut seen: Vec<(StatusCode, bool, Sent)> = Vec::new();
    let mut expect = |status: StatusCode, page: bool, s: Sent| seen.push((status, page, s));

    // Pages: 400, 401, 403, 404, 405, 409, 413, 422, 429.
    let csrf = asker.csrf().await;
    expect(
        StatusCode::BAD_REQUEST,
        true,
        send(&asker, asker.request(Method::GET, "/checkin?day=not-a-date"), "").await,
    );
    let r = asker.post_form_raw("/assessments", &[("csrf", &csrf)]).await;
    expect(StatusCode::BAD_REQUEST, true, Sent { resp: r, sent: String::new() });
    let rq = asker.request(Method::POST, "/login").header(CONTENT_TYPE, "text/plain").body("email=x");
    expect(StatusCode::BAD_REQUEST, true, send(&asker, rq, "").await);
    let stranger = app.browser();
    stranger.get_page("/login").await;
    let r = stranger.login(&email("victim"), "not the password").await;
    expect(StatusCode::UNAUTHORIZED, true, Sent { resp: r, sent: email("victim") });
    let r = asker.post_form_raw("/account/password", &[("csrf", "forged"), ("current", PASSWORD), ("new", "x")]).await;
    expect(StatusCode::FORBIDDEN, true, Sent { resp: r, sent: String::new() });
    for path in [format!("/assessments/{victim_assessment}"), format!("/plan?assessment={victim_assessment}")] {
        let theirs = send(&asker, asker.request(Method::GET, &path), &path).await;
        // Exactly the answer for a record that does not exist, so existence does not leak either.
        let none = asker.get(&path.replace(&victim_assessment, "0123456789abcdef0123456789abcdef")).await;
        assert_eq!((theirs.resp.status, &theirs.resp.body), (none.status, &none.body), "{path}");
        expect(StatusCode::NOT_FOUND, true, theirs);
    }
    expect(StatusCode::NOT_FOUND, true, send(&asker, asker.request(Method::GET, "/no/such/page"), "").await);
    expect(StatusCode::METHOD_NOT_ALLOWED, true, send(&asker, asker.request(Method::DELETE, "/account"), "").await);
    let b = app.browser();
    b.get_page("/signup").await;
    let r = b.post_form("/signup", &[("email", &email("victim")), ("password", PASSWORD)]).await;
    expect(StatusCode::CONFLICT, true, Sent { resp: r, sent: email("victim") });
    let padding = "x".repeat(70 * 1024);
    let r = asker.post_form_raw("/assess/about", &[("csrf", &csrf), ("padding", &padding)]).await;
    expect(StatusCode::PAYLOAD_TOO_LARGE, true, Sent { resp: r, sent: String::new() });
    let r = asker.answer_group("about", &[("age", "-4")]).await;
    expect(StatusCode::UNPROCESSABLE_ENTITY, true, Sent { resp: r, sent: String::new() });
    for _ in 0..app.config.max_failures_per_account {
        stranger.login(&email("victim"), "still not the password").await;
    }
    let r = stranger.login(&email("victim"), PASSWORD).await;
    expect(StatusCode::TOO_MANY_REQUESTS, true, Sent { resp: r, sent: email("victim") });

    // The API: 400, 401, 403, 404, 405, 409, 413, 422, 429.
    expect(
        StatusCode::BAD_REQUEST,
        false,
        send(&asker, json_rq(&asker, Method::POST, "/api/v1/checkins", "{"), "").await,
    );
    let rq = asker.request(Method::GET, "/api/v1/slots?days=many").bearer_auth(&token);
    expect(StatusCode::BAD_REQUEST, false, send(&asker, rq, "").await);
    let rq = json_rq(&asker, Method::POST, "/api/v1/checkins", r#"{"day": "2026-13-45"}"#);
    expect(StatusCode::BAD_REQUEST, false, send(&asker, rq, "").await);
    expect(StatusCode::UNAUTHORIZED, false, send(&asker, asker.request(Method::GET, "/api/v1/plan"), "").await);
    // (The pages' attempts above used up the victim's account; the API's count against another.)
    let r = app.api_login(&email("nobody"), "not the password").await;
    expect(StatusCode::UNAUTHORIZED, false, Sent { resp: r, sent: email("nobody") });
    let rq = json_rq(&asker, Method::PUT, "/api/v1/availability", r#"{"availability": {}}"#);
    expect(StatusCode::FORBIDDEN, false, send(&asker, rq, "").await);
    for path in [
        format!("/api/v1/assessments/{victim_assessment}"),
        format!("/api/v1/bookings/{victim_booking}"),
        format!("/api/v1/bookings/{victim_booking}/ics"),
    ] {
        let theirs = send(&asker, asker.request(Method::GET, &path).bearer_auth(&token), &path).await;
        let unknown = path.replace(&victim_assessment, &"0".repeat(32)).replace(&victim_booking, &"0".repeat(32));
        let none = asker.send(asker.request(Method::GET, &unknown).bearer_auth(&token)).await;
        assert_eq!((theirs.resp.status, &theirs.resp.body), (none.status, &none.body), "{path}");
        expect(StatusCode::NOT_FOUND, false, theirs);
    }
    let path = format!("/api/v1/bookings/{victim_booking}");
    expect(
        StatusCode::NOT_FOUND,
        false,
        send(&asker, asker.request(Method::DELETE, &path).bearer_auth(&token), &path).await,
    );
    expect(StatusCode::METHOD_NOT_ALLOWED, false, send(&asker, asker.request(Method::PATCH, "/api/v1/plan"), "").await);
    let body = json!({"clinician_id": physio_id, "start": start}).to_string();
    expect(
        StatusCode::CONFLICT,
        false,
        send(&asker, json_rq(&asker, Method::POST, "/api/v1/bookings", &body), "").await,
    );
    let big = format!("{{\"age\": 30{}}}", " ".repeat(70 * 1024));
    expect(
        StatusCode::PAYLOAD_TOO_LARGE,
        false,
        send(&asker, json_rq(&asker, Method::POST, "/api/v1/assess", &big), "").await,
    );
    let rq = json_rq(&asker, Method::POST, "/api/v1/outcomes", r#"{"instrument": "nprs", "answers": {"rating": 11}}"#);
    expect(StatusCode::UNPROCESSABLE_ENTITY, false, send(&asker, rq, "").await);
    let rq = json_rq(&asker, Method::POST, "/api/v1/assessments", r#"{"age": "old"}"#);
    expect(StatusCode::UNPROCESSABLE_ENTITY, false, send(&asker, rq, "").await);
    for _ in 1..app.config.max_failures_per_account {
        app.api_login(&email("nobody"), "still not the password").await;
    }
    let r = app.api_login(&email("nobody"), PASSWORD).await;
    expect(StatusCode::TOO_MANY_REQUESTS, false, Sent { resp: r, sent: email("nobody") });

    // 500s from records that no longer parse: an assessment and a clinician's hours.
    let broken = app.browser();
    broken.sign_up(&email("broken"), PASSWORD).await;
    let broken_token = app.bearer_token(&email("broken"), PASSWORD).await;
    let broken_id = app.db.credentials(&Email::parse(&email("broken")).unwrap()).await.unwrap().unwrap().user.id;
    let corrupt = app
        .db
        .save_assessment(&NewAssessment {
            user_id: broken_id,
            now: app.clock.now(),
            knowledge_version: "x".into(),
            answers: "{\"age\": ".into(),
            result: "{\"triage\": [1, 2".into(),
            triage_level: "self_care".into(),
            top_cause: "hip".into(),
            camera: None,
        })
        .await
        .unwrap();
    let path = format!("/assessments/{}", corrupt.id);
    expect(StatusCode::INTERNAL_SERVER_ERROR, true, send(&broken, broken.request(Method::GET, &path), "").await);
    let path = format!("/api/v1/assessments/{}", corrupt.id);
    let rq = broken.request(Method::GET, &path).bearer_auth(&broken_token);
    expect(StatusCode::INTERNAL_SERVER_ERROR, false, send(&broken, rq, "").await);
    let garbled = Availability {
        clinician_id: kneeroot_store::UserId::parse(&physio_id).expect("an id"),
        settings: "{\"time_zone\": \"Mars/Olympus_Mons\"".into(),
        notice_minutes: 0,
        cancel_notice_minutes: 0,
        updated_at: app.clock.now(),
    };
    app.db.set_availability(&garbled).await.unwrap();
    let rq = asker.request(Method::GET, &format!("/api/v1/slots?clinician_id={physio_id}")).bearer_auth(&token);
    expect(StatusCode::INTERNAL_SERVER_ERROR, false, send(&asker, rq, "").await);
    let rq = asker.request(Method::GET, &format!("/api/v1/bookings/{victim_booking}")).bearer_auth(&victim_token);
    expect(StatusCode::INTERNAL_SERVER_ERROR, false, send(&victim, rq, "").await);

    // And 500s from a database that is gone, last (nothing works after it).
    app.db.close().await;
    expect(StatusCode::INTERNAL_SERVER_ERROR, true, send(&asker, asker.request(Method::GET, "/account"), "").await);
    let rq = asker.request(Method::GET, "/api/v1/assessments").bearer_auth(&token);
    expect(StatusCode::INTERNAL_SERVER_ERROR, false, send(&asker, rq, "").await);

    let statuses: std::collections::BTreeSet<(u16, bool)> =
        seen.iter().map(|(s, page, _)| (s.as_u16(), *page)).collect();
    for status in [400, 401, 403, 404, 405, 409, 413, 422, 429, 500] {
        assert!(statuses.contains(&(status, true)), "no page answered {status}");
        assert!(statuses.contains(&(status, false)), "no API error answered {status}");
    }
    for (status, page, Sent { resp, sent }) in &seen {
        if *page {
            resp.assert_page(*status);
        } else {
            resp.assert_api_error(*status, resp.json()["error"]["code"].as_str().unwrap_or("?"));
        }
        let everything = format!("{:?}\n{}", resp.headers, resp.body);
        for internal in INTERNALS {
            assert!(!everything.contains(internal), "{} → {status}: shows {internal:?}:\n{}", resp.request, resp.body);
        }
        for secret in secrets.iter().filter(|s| !sent.contains(s.as_str()) && !resp.request.contains(s.as_str())) {
            assert!(
                !everything.contains(secret.as_str()),
                "{} → {status}: shows another person's {secret:?}",
                resp.request
            );
        }
        if *status == StatusCode::INTERNAL_SERVER_ERROR {
            // Only that something went wrong: never the cause, not even the parser's words.
            let said = if *page {
                resp.body
                    .split("</h1>")
                    .nth(1)
                    .and_then(|rest| rest.split("</p>").next())
                    .unwrap_or_default()
                    .to_owned()
            } else {
                resp.json()["error"]["message"].as_str().unwrap_or_default().to_owned()
            };
            assert!(said.ends_with("Something went wrong on our side. Please try again."), "{}: {said}", resp.request);
        }
    }
}

/// A clinician with hours Monday to Friday 09:00–12:00 London, 30-minute slots; returns their id.
async fn clinician_with_hours(app: &TestApp, who: &str) -> String {
    let user = app.account(&email(who), Role::Clinician).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    let body = crate::appointments::weekday_mornings();
    app.api(Method::PUT, "/api/v1/availability", Some(&token), Some(&body)).await.assert_status(StatusCode::OK);
    user.id.to_string()
}
