//! The camera squat screen over HTTP, on both backends: a synthetic landmark series (what the browser
//! sends after running the pose model) goes through the capture form, the review page and the wizard to
//! the results pages, where only the answers the person kept from the camera are shown as its; bad
//! series are refused whole with a 422 naming the problem; the pose model's files are served by exact
//! name only; the capture page carries its own CSP; the analysis API answers 200 or 422.
//!
//! The series is made here ([`series`]): a skeleton of fixed bone lengths in pixels, squatting three
//! times, seen from the front (the left knee drifting inward) or the side (thighs to level, trunk leaning
//! well forward, heels lifting), normalised to MediaPipe's image coordinates.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use kneeroot_store::SessionStore;
use kneeroot_web::Config;
use kneeroot_web::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, Resp, TestApp, assert_redirect_to, attr_values, email, kb};

both!(
    a_filmed_squat_is_reviewed_confirmed_and_credited_only_where_the_person_kept_it,
    a_series_that_cannot_be_used_is_refused_whole_naming_the_problem,
    the_camera_pages_say_what_they_do_and_whether_the_model_is_installed,
    the_pose_model_is_served_by_exact_name_only,
    the_analysis_api_answers_with_the_analysis_or_a_named_problem,
    starting_again_forgets_what_the_camera_saw,
);

// ------------------------------------------------------------------------------------------------
// A synthetic squat
// ------------------------------------------------------------------------------------------------

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 1280.0;
const FPS: f64 = 30.0;
/// Shin and thigh length, trunk (hip to shoulder), in pixels.
const SHIN: f64 = 230.0;
const THIGH: f64 = 230.0;
const TRUNK: f64 = 256.0;

/// How deep into a squat the person is at `t` (0 standing, 1 at the bottom): three slow reps of 2.2 s.
fn depth(t: f64) -> f64 {
    [0.8, 3.6, 6.4]
        .iter()
        .map(|start| (t - start) / 2.2)
        .find(|u| (0.0..=1.0).contains(u))
        .map_or(0.0, |u| (PI * u).sin().powi(2))
}

/// The 33 points (pixels) of one frame at depth `d`, from `view`.
fn skeleton(view: &str, d: f64) -> [(f64, f64, f64); 33] {
    let mut p = [(0.0, 0.0, 0.95); 33];
    let rad = |deg: f64| deg.to_radians();
    // Per side: (hip, knee, ankle, heel, toe, shoulder) indices and the side's sign.
    let sides = [(23, 25, 27, 29, 31, 11, 1.0), (24, 26, 28, 30, 32, 12, -1.0)];
    let mut shoulders = Vec::new();
    for (hip, knee, ankle, heel, toe, shoulder, s) in sides {
        let (a, k, h, sh, hl, tp);
        if view == "front" {
            // Facing the camera: the person's left is on the image's right. Bending foreshortens the shin
            // and thigh; only the left knee drifts towards the midline.
            a = (360.0 + s * 55.0, 1100.0);
            let cave = if s > 0.0 { 40.0 * d } else { 0.0 };
            k = (a.0 - s * cave, a.1 - SHIN * rad(35.0 * d).cos());
            let thigh_below_horizontal = -90.0 + 45.0 * d;
            h = (360.0 + s * 50.0, k.1 - THIGH * rad(-thigh_below_horizontal).sin());
            sh = (360.0 + s * 80.0, h.1 - TRUNK * rad(30.0 * d).cos());
            hl = (a.0 - s * 4.0, a.1 + 25.0);
            tp = (a.0 + s * 12.0, a.1 + 45.0);
        } else {
            // Side on, facing right; the far leg a few pixels behind the near one.
            let off = if s > 0.0 { 0.0 } else { -4.0 };
            a = (330.0 + off, 1100.0);
            let shin = rad(35.0 * d);
            k = (a.0 + SHIN * shin.sin(), a.1 - SHIN * shin.cos());
            let thigh = rad(-90.0 + 90.0 * d);
            h = (k.0 - THIGH * thigh.cos(), k.1 + THIGH * thigh.sin());
            let trunk = rad(60.0 * d);
            sh = (h.0 + TRUNK * trunk.sin(), h.1 - TRUNK * trunk.cos());
            hl = (a.0 - 30.0, a.1 + 25.0 - 24.0 * d);
            tp = (a.0 + 75.0, a.1 + 30.0);
        }
        let far = if view == "side" && s < 0.0 { 0.7 } else { 0.95 };
        for (i, xy) in [(hip, h), (knee, k), (ankle, a), (heel, hl), (toe, tp), (shoulder, sh)] {
            p[i] = (xy.0, xy.1, far);
        }
        shoulders.push(sh);
        // Arms held forward for balance: elbow, wrist, and the hand's points at the wrist.
        let forward = if view == "front" { (0.0, 30.0) } else { (90.0, 10.0) };
        let (elbow, wrist) = if s > 0.0 { (13, 15) } else { (14, 16) };
        p[elbow] = (sh.0 + forward.0 / 2.0, sh.1 + forward.1, far);
        p[wrist] = (sh.0 + forward.0, sh.1 + forward.1 / 2.0, far);
        for hand in if s > 0.0 { [17, 19, 21] } else { [18, 20, 22] } {
            p[hand] = (sh.0 + forward.0 + 5.0, sh.1 + forward.1 / 2.0, far);
        }
    }
    // The head above the shoulders' midpoint (forward of it when side on).
    let mid = ((shoulders[0].0 + shoulders[1].0) / 2.0, (shoulders[0].1 + shoulders[1].1) / 2.0);
    let nose = if view == "front" { (mid.0, mid.1 - 110.0) } else { (mid.0 + 30.0, mid.1 - 105.0) };
    p[0] = (nose.0, nose.1, 0.95);
    for (i, dx, dy) in [(1, 8.0, -8.0), (2, 12.0, -8.0), (3, 16.0, -8.0), (4, -8.0, -8.0), (5, -12.0, -8.0)] {
        p[i] = (nose.0 + dx, nose.1 + dy, 0.95);
    }
    p[6] = (nose.0 - 16.0, nose.1 - 8.0, 0.95);
    p[7] = (nose.0 + 30.0, nose.1, 0.9);
    p[8] = (nose.0 - 30.0, nose.1, 0.9);
    p[9] = (nose.0 + 8.0, nose.1 + 15.0, 0.95);
    p[10] = (nose.0 - 8.0, nose.1 + 15.0, 0.95);
    p
}

/// The landmark series the browser would send: 10 s at 30 frames a second, three squats.
fn series(view: &str) -> Value {
    let round = |v: f64| (v * 100_000.0).round() / 100_000.0;
    let frames: Vec<Value> = (0..300)
        .map(|i| {
            let t = f64::from(i) / FPS;
            let points: Vec<Value> = skeleton(view, depth(t))
                .iter()
                .map(|(x, y, visibility)| json!([round(x / WIDTH), round(y / HEIGHT), 0.0, visibility]))
                .collect();
            json!({"t": round(t), "landmarks": points})
        })
        .collect();
    json!({"view": view, "fps": FPS, "width": WIDTH as u32, "height": HEIGHT as u32, "frames": frames})
}

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/// Post `landmarks` (text) as the capture page of `view` does, with the session's CSRF token (the
/// page holds its form only when the pose model is installed).
async fn film(b: &Browser, view: &str, landmarks: &str) -> Resp {
    b.get(&format!("/assess/camera/{view}")).await.assert_page(StatusCode::OK);
    let csrf = b.csrf().await;
    let path = format!("/assess/camera/{view}");
    b.send(b.request(Method::POST, &path).form(&[("csrf", csrf.as_str()), ("landmarks", landmarks)])).await
}

/// The session's stored camera state, read behind the server's back.
async fn camera_state(app: &TestApp, b: &Browser) -> Option<String> {
    let token = b.session_cookie().expect("a session cookie");
    let hash = kneeroot_web::security::token_hash(&token);
    app.db.session(&hash, app.clock.now()).await.expect("a store read").expect("a live session").camera
}

/// An answer's JSON value as the wizard's form sends it.
fn form_value(v: &Value) -> String {
    match v {
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The findings the analysis API proposes for `series`: answer id → value.
async fn findings_of(app: &TestApp, series: &Value) -> BTreeMap<String, Value> {
    let r = app.api(Method::POST, "/api/v1/squat/analyse", None, Some(series)).await;
    r.assert_status(StatusCode::OK);
    serde_json::from_value(r.json()["findings"].clone()).expect("findings are an object")
}

/// The "From the camera" section of a results page ("" if there is none).
fn from_camera(page: &Resp) -> &str {
    let Some(start) = page.body.find("From the camera") else { return "" };
    let rest = &page.body[start..];
    &rest[..rest.find("</section>").or_else(|| rest.find("</ul>")).unwrap_or(rest.len())]
}

// ------------------------------------------------------------------------------------------------
// Cases
// ------------------------------------------------------------------------------------------------

async fn a_filmed_squat_is_reviewed_confirmed_and_credited_only_where_the_person_kept_it(app: TestApp) {
    let (front, side) = (series("front"), series("side"));
    let proposed: BTreeMap<String, Value> =
        findings_of(&app, &front).await.into_iter().chain(findings_of(&app, &side).await).collect();
    // What the synthetic squat shows, as the metrics see it.
    assert_eq!(proposed.get("squat.knee_caves_in"), Some(&json!("left")), "{proposed:?}");
    assert_eq!(proposed.get("squat.heels_lift"), Some(&json!(true)), "{proposed:?}");
    assert_eq!(proposed.get("squat.leans_forward"), Some(&json!(true)), "{proposed:?}");
    assert!(!proposed.contains_key("squat.back_rounds"), "back rounding cannot be seen");

    // An anonymous person answers everything, then films both views (on a server with the model).
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("pose.js"), "// pose").expect("write pose.js");
    let server = app.another_server(Config { pose_assets: Some(dir.path().to_path_buf()), ..Config::default() }).await;
    let b = server.browser();
    assert_eq!(b.complete_wizard(&[]).await, "/results");
    for (view, s) in [("front", &front), ("side", &side)] {
        let r = film(&b, view, &s.to_string()).await;
        assert_redirect_to(&r, "/assess/camera/review");
    }
    let landing = b.get_page("/assess/camera").await;
    assert_eq!(landing.body.matches("— done").count(), 2, "both views done:\n{}", landing.body);

    // The review shows each finding as its question, prefilled, with how sure the camera is and why.
    let review = b.get_page("/assess/camera/review").await;
    review.assert_contains("screening from a 2D video").assert_contains("3 squats seen");
    review.assert_contains("What it could not judge").assert_contains("answer it yourself on the squat page");
    let back = kb().question("squat.back_rounds").expect("the back question");
    review.assert_contains(&crate::helpers::escape(&back.text));
    let shown = attr_values(&review.body, "shown");
    let mut ids: Vec<&String> = proposed.keys().collect();
    ids.sort();
    let mut on_page: Vec<&String> = shown.iter().collect();
    on_page.sort();
    assert_eq!(on_page, ids, "every proposed answer is asked, once");
    assert!(review.body.contains("confidence ("), "the confidence in words and as a number");
    assert!(review.body.contains("value=\"left\" checked"), "prefilled with the camera's value");

    // Confirm, changing one answer: the knee drifted in on both sides, the person says.
    let csrf = review.csrf();
    let mut fields = vec![("csrf".to_owned(), csrf)];
    for (id, v) in &proposed {
        fields.push((id.clone(), if id == "squat.knee_caves_in" { "both".into() } else { form_value(v) }));
    }
    let r = b.send(b.request(Method::POST, "/assess/camera/review").form(&fields)).await;
    assert_redirect_to(&r, "/assess/squat");
    let squat = b.get_page("/assess/squat").await;
    squat.assert_contains("value=\"both\" checked");
    assert_redirect_to(&b.get("/assess/camera/review").await, "/assess/camera");

    // The draft's results credit the camera with the kept answers only.
    let results = b.get_page("/results").await;
    let section = from_camera(&results);
    assert!(!section.is_empty(), "no From the camera section:\n{}", results.body);
    let label = |id: &str| crate::helpers::escape(&kneeroot_core::report::finding_label(kb(), id));
    for id in proposed.keys().filter(|id| *id != "squat.knee_caves_in") {
        assert!(section.contains(&label(id)), "{id} is credited:\n{section}");
    }
    assert!(!section.contains(&label("squat.knee_caves_in")), "the changed answer is not the camera's:\n{section}");
    assert!(section.contains("side view") && section.contains("confidence"), "{section}");

    // Signing up saves the draft with the camera's part in it.
    let r = b.sign_up(&email("filmed"), PASSWORD).await;
    let saved = b.get_page(r.location()).await;
    let saved_section = from_camera(&saved);
    assert_eq!(saved_section, section, "the saved assessment shows what the draft showed");
    assert_eq!(camera_state(&app, &b).await, None, "the camera state went with the draft");

    // Someone who never filmed sees no such section.
    let other = server.browser();
    other.complete_wizard(&[]).await;
    other.get_page("/results").await.assert_lacks("From the camera");
}

async fn a_series_that_cannot_be_used_is_refused_whole_naming_the_problem(app: TestApp) {
    let b = app.browser();
    b.get_page("/assess/camera").await;
    let mut long = series("front");
    long["frames"][0]["landmarks"].as_array_mut().expect("landmarks").push(json!([0.5, 0.5, 0.0, 0.9]));
    let cases = [
        (series("side").to_string(), "front", "side view"),
        ("{\"view\": \"front\", ".to_owned(), "front", "not valid JSON"),
        (long.to_string(), "front", "frames[0].landmarks: expected 33 landmarks"),
        (String::new(), "side", "no body points arrived"),
    ];
    for (body, view, named) in &cases {
        let r = film(&b, view, body).await;
        r.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
        r.assert_contains("That recording could not be used").assert_contains(&crate::helpers::escape(named));
        assert_eq!(camera_state(&app, &b).await, None, "nothing written after {named}");
    }
    // A good front recording, then a bad one: the good one is still what waits.
    assert_redirect_to(&film(&b, "front", &series("front").to_string()).await, "/assess/camera/review");
    let kept = camera_state(&app, &b).await.expect("the front analysis is kept");
    film(&b, "front", "[]").await.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(camera_state(&app, &b).await.as_deref(), Some(kept.as_str()), "a refused series changes nothing");

    // Without the form's CSRF token nothing is accepted; an unknown view does not exist.
    let r = b.post_form_raw("/assess/camera/side", &[("landmarks", &series("side").to_string())]).await;
    r.assert_status(StatusCode::FORBIDDEN);
    let csrf = b.csrf().await;
    let r = b.post_form_raw("/assess/camera/back", &[("csrf", &csrf), ("landmarks", "{}")]).await;
    r.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(camera_state(&app, &b).await.as_deref(), Some(kept.as_str()));

    // The review refuses a value its question does not take, keeping what was sent, and writes nothing.
    let review = b.get_page("/assess/camera/review").await;
    let shown = attr_values(&review.body, "shown");
    if let Some(id) = shown.first() {
        let csrf = review.csrf();
        let r = b
            .send(
                b.request(Method::POST, "/assess/camera/review")
                    .form(&[("csrf", csrf.as_str()), (id.as_str(), "sideways")]),
            )
            .await;
        r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("Please check");
        assert_eq!(camera_state(&app, &b).await.as_deref(), Some(kept.as_str()));
    }
}

async fn the_camera_pages_say_what_they_do_and_whether_the_model_is_installed(app: TestApp) {
    // No model installed (the default): said plainly, with the questions offered.
    let b = app.browser();
    let landing = b.get_page("/assess/camera").await;
    landing
        .assert_contains("not installed")
        .assert_contains("scripts/fetch-pose")
        .assert_contains("href=\"/assess/squat\"");
    b.get_page("/assess/squat").await.assert_lacks("href=\"/assess/camera\"");

    // Installed: what it does, the privacy in plain words, the set-up, each view's status.
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("pose.js"), "// pose").expect("write pose.js");
    let installed =
        app.another_server(Config { pose_assets: Some(dir.path().to_path_buf()), ..Config::default() }).await;
    let b = installed.browser();
    let landing = b.get_page("/assess/camera").await;
    for text in [
        "The video stays on your device",
        "Only the positions of the body points are sent",
        "not recorded or stored as a video",
        "knee height, about 3 metres away",
        "whole body fits in the picture",
        "Wear fitted clothes",
        "3 to 5 slow squats",
        "href=\"/assess/camera/front\"",
        "href=\"/assess/camera/side\"",
        "href=\"/assess/squat\"",
    ] {
        landing.assert_contains(text);
    }
    assert_eq!(landing.body.matches("— not yet").count(), 2);
    landing.assert_lacks("href=\"/assess/camera/review\"");
    b.get_page("/assess/squat").await.assert_contains("href=\"/assess/camera\"").assert_contains("Film it instead");
    b.get_page("/assess/about").await.assert_lacks("href=\"/assess/camera\"");

    // The capture page sends its own policy (wasm, the camera's picture) and the fields it needs.
    for view in ["front", "side"] {
        let page = b.get_page(&format!("/assess/camera/{view}")).await;
        let csp = page.header("content-security-policy");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("blob:"), "{csp}");
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("'unsafe-inline'"), "{csp}");
        page.assert_contains(&format!("data-view=\"{view}\""))
            .assert_contains(&format!("action=\"/assess/camera/{view}\""));
        assert!(!page.csrf().is_empty());
    }
    let elsewhere = b.get_page("/assess/camera").await;
    assert!(!elsewhere.header("content-security-policy").contains("wasm"), "only the capture page needs wasm");
    b.get("/assess/camera/back").await.assert_status(StatusCode::NOT_FOUND);
    b.get("/assess/camera/Front").await.assert_status(StatusCode::NOT_FOUND);

    // After filming, the view is done and the review is offered.
    assert_redirect_to(&film(&b, "side", &series("side").to_string()).await, "/assess/camera/review");
    let landing = b.get_page("/assess/camera").await;
    assert_eq!((landing.body.matches("— done").count(), landing.body.matches("— not yet").count()), (1, 1));
    landing.assert_contains("href=\"/assess/camera/review\"");
}

async fn the_pose_model_is_served_by_exact_name_only(app: TestApp) {
    let root = tempfile::tempdir().expect("a temporary directory");
    let dir = root.path().join("pose");
    std::fs::create_dir(&dir).expect("the model's folder");
    std::fs::write(root.path().join("outside-pose.txt"), "outside").expect("write");
    let files = [
        ("pose.js", "text/javascript; charset=utf-8", "// the pose solution"),
        ("pose_solution_simd_wasm_bin.wasm", "application/wasm", "\0asm wasm bytes"),
        ("pose_landmark_full.tflite", "application/octet-stream", "TFL3 model"),
        ("pose_web.binarypb", "application/octet-stream", "graph"),
    ];
    for (name, _, body) in files {
        std::fs::write(dir.join(name), body).expect("write");
    }
    std::fs::write(dir.join("secret.txt"), "not for browsers").expect("write");
    let big: String = "x".repeat(300 * 1024);
    std::fs::write(dir.join("pose_landmark_heavy.tflite"), &big).expect("write");

    let server = app.another_server(Config { pose_assets: Some(dir.clone()), ..Config::default() }).await;
    for (name, content_type, body) in files {
        let r = server.get(&format!("/assets/pose/{name}")).await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.header("content-type"), content_type, "{name}");
        assert_eq!(r.body, body, "{name}");
        assert!(r.header("cache-control").contains("max-age="), "{name}: long cache");
    }
    let r = server.get("/assets/pose/pose_landmark_heavy.tflite").await;
    r.assert_status(StatusCode::OK);
    assert_eq!(
        (r.body.len(), r.header("content-length")),
        (big.len(), big.len().to_string().as_str()),
        "streamed whole"
    );
    for path in [
        "/assets/pose/secret.txt",
        "/assets/pose/..%2Foutside-pose.txt",
        "/assets/pose/%2e%2e%2fsecret.txt",
        "/assets/pose/POSE.JS",
        "/assets/pose/pose.js%00",
        "/assets/pose/pose_landmark_lite.tflite",
        "/assets/pose/",
    ] {
        let r = server.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert!(!r.body.contains("not for browsers") && !r.body.contains("outside"), "{path}");
    }
    // Without a folder, nothing is served.
    app.get("/assets/pose/pose.js").await.assert_status(StatusCode::NOT_FOUND);
}

async fn the_analysis_api_answers_with_the_analysis_or_a_named_problem(app: TestApp) {
    // No token needed: nothing is stored. The body is larger than the API's usual limit.
    let front = series("front");
    assert!(front.to_string().len() > kneeroot_web::BODY_LIMIT, "the series tests the larger limit");
    let r = app.api(Method::POST, "/api/v1/squat/analyse", None, Some(&front)).await;
    r.assert_status(StatusCode::OK);
    let a = r.json();
    assert_eq!(a["view"], "front");
    assert_eq!(a["quality"]["frames"], 300);
    assert_eq!(a["quality"]["frames_with_pose"], 300);
    assert_eq!(a["reps"], 3, "{a}");
    assert!(a["not_assessed"]["squat.back_rounds"].is_string(), "{a}");
    for (id, detail) in a["finding_details"].as_object().expect("details") {
        let c = detail["confidence"].as_f64().expect("a confidence");
        assert!((0.0..=1.0).contains(&c), "{id}: {c}");
        assert!(a["findings"].get(id).is_some(), "{id}");
    }

    let mut long = front.clone();
    long["frames"][2]["landmarks"].as_array_mut().expect("landmarks").push(json!([0.5, 0.5, 0.0, 0.9]));
    let mut outside = front.clone();
    outside["frames"][7]["landmarks"][25][1] = json!(9.5);
    let cases = [
        (long, "frames[2].landmarks", "found 34"),
        (outside, "frames[7].landmarks[25][1]", "expected a number from"),
        (json!({"view": "above", "fps": 30, "width": 1, "height": 1, "frames": []}), "view", "\"front\" or \"side\""),
        (json!([1, 2, 3]), "", "expected an object"),
    ];
    for (body, field, named) in cases {
        let r = app.api(Method::POST, "/api/v1/squat/analyse", None, Some(&body)).await;
        let e = r.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_recording");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{message}");
        if field.is_empty() {
            assert!(e["field"].is_null(), "{e}");
        } else {
            assert_eq!(e["field"], field, "{e}");
        }
    }
    let garbage = app
        .send(
            app.request(Method::POST, "/api/v1/squat/analyse")
                .header("content-type", "application/json")
                .body("{\"view\":"),
        )
        .await;
    let e = garbage.assert_api_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_recording");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("not valid JSON")), "{e}");
    let text = app.send(app.request(Method::POST, "/api/v1/squat/analyse").body(front.to_string())).await;
    text.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    let huge = "x".repeat(9 * 1024 * 1024);
    let r = app
        .send(app.request(Method::POST, "/api/v1/squat/analyse").header("content-type", "application/json").body(huge))
        .await;
    r.assert_api_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    // The OpenAPI document describes it precisely enough to generate series.
    let doc = app.get("/api/openapi.json").await.json();
    let op = &doc["paths"]["/api/v1/squat/analyse"]["post"];
    let body = &op["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["properties"]["frames"]["maxItems"], 3600);
    assert!(op.get("security").is_none(), "no token needed");
    for status in ["200", "400", "413", "422"] {
        assert!(op["responses"].get(status).is_some(), "{status}");
    }
}

async fn starting_again_forgets_what_the_camera_saw(app: TestApp) {
    let b = app.browser();
    b.complete_wizard(&[]).await;
    assert_redirect_to(&film(&b, "front", &series("front").to_string()).await, "/assess/camera/review");
    assert!(camera_state(&app, &b).await.is_some());
    let r = b.post_form("/assess/reset", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(camera_state(&app, &b).await, None, "reset clears the camera state with the draft");
    assert_redirect_to(&b.get("/assess/camera/review").await, "/assess/camera");
}
