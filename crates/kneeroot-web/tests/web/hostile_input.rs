//! Generated input over HTTP, on both backends: hostile bodies and query strings for every API route
//! that takes them, and well-formed check-ins and questionnaires that must read back exactly as sent,
//! through the API and through the check-in page's form.
//!
//! The decoders themselves are property-tested in memory next to their code (`src/api/tests.rs`,
//! `src/pages/*/tests.rs`); these cases add what only a running server has: the handlers' own checks
//! (the plan, ranges, ids, roles), the store, and the way back out. Inputs come from proptest strategies
//! drawn with a deterministic runner (a failure names the input, and repeats on the next run); there is
//! no shrinking, as each case is a few requests.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_redirect_to, email};

both!(
    api_bodies_and_queries_of_any_shape_get_a_named_problem_never_a_crash,
    checkins_sent_over_the_api_read_back_as_sent,
    questionnaires_sent_over_the_api_read_back_as_sent,
    a_checkin_form_posted_on_the_page_reads_back_through_the_api,
);

/// `n` values of `strategy`, the same on every run.
fn samples<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..n).map(|_| strategy.new_tree(&mut runner).expect("a value").current()).collect()
}

/// A signed-up patient with a saved assessment (so a plan) and an API token.
async fn patient_with_plan(app: &TestApp, who: &str) -> String {
    app.complete_wizard(&[]).await;
    app.sign_up(&email(who), PASSWORD).await;
    app.bearer_token(&email(who), PASSWORD).await
}

/// The exercises of the plan's first step (those a check-in on day one may report).
async fn first_step_exercises(app: &TestApp, token: &str) -> Vec<String> {
    let plan = app.api(Method::GET, "/api/v1/plan", Some(token), None).await.json();
    let steps = plan["plan"]["steps"].as_array().expect("a plan with steps").clone();
    let first = steps.iter().find(|s| s["starts_week"] == 1).expect("a step starting in week 1");
    first["exercises"]
        .as_array()
        .expect("exercises")
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Keys the API's bodies use, nested ones included, and a few answer ids.
const KEYS: [&str; 28] = [
    "day",
    "exercises",
    "morning",
    "exercise_id",
    "done",
    "sets_done",
    "reps_done",
    "pain_during",
    "quality_ok",
    "pain",
    "usual",
    "stiffness",
    "flags",
    "clinician_id",
    "start",
    "reason",
    "assessment_id",
    "availability",
    "notice_minutes",
    "cancel_notice_minutes",
    "instrument",
    "answers",
    "week",
    "rating",
    "activities",
    "name",
    "age",
    "pain.now",
];

/// Any JSON, a few levels deep, usually an object with keys the API knows.
fn any_body() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-3i64..30).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["kujala", "koos12", "nprs", "psfs", "2026-01-01", "same", "flag.knee_locked"])
            .prop_map(|s| json!(s)),
    ];
    let key = prop_oneof![4 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned), 1 => "\\PC{0,8}"];
    let value = leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    prop_oneof![
        5 => prop::collection::vec((key, value.clone()), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        1 => value,
    ]
}

/// Every key anywhere in `v`.
fn keys_in(v: &Value) -> Vec<String> {
    match v {
        Value::Object(map) => {
            map.iter().flat_map(|(k, inner)| std::iter::once(k.clone()).chain(keys_in(inner))).collect()
        }
        Value::Array(items) => items.iter().flat_map(keys_in).collect(),
        _ => Vec::new(),
    }
}

async fn api_bodies_and_queries_of_any_shape_get_a_named_problem_never_a_crash(app: TestApp) {
    let token = patient_with_plan(&app, "fuzzed").await;
    let routes = [
        (Method::POST, "/api/v1/checkins"),
        (Method::POST, "/api/v1/outcomes"),
        (Method::POST, "/api/v1/bookings"),
        (Method::PUT, "/api/v1/availability"),
        (Method::POST, "/api/v1/assess"),
        (Method::POST, "/api/v1/assessments"),
        (Method::POST, "/api/v1/squat/analyse"),
    ];
    for (i, body) in samples(any_body(), 40 * routes.len()).into_iter().enumerate() {
        let (method, path) = routes[i % routes.len()].clone();
        let rq = app
            .request(method, path)
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let r = app.send(rq).await;
        if r.status.is_success() {
            continue;
        }
        let allowed = [400, 403, 404, 409, 422];
        assert!(allowed.contains(&r.status.as_u16()), "{path} {body} → {}: {}", r.status, r.body);
        let code = r.json()["error"]["code"].as_str().unwrap_or_default().to_owned();
        let e = r.assert_api_error(r.status, &code);
        if matches!(r.status.as_u16(), 400 | 422) {
            let message = e["message"].as_str().unwrap_or_default();
            let named = e["field"].is_string()
                || keys_in(&body).iter().any(|k| !k.is_empty() && message.contains(k.as_str()))
                || !body.is_object()
                || message.contains("missing field `")
                || message.contains("unknown field `");
            assert!(named, "{path} {body} → {}: names no field: {message}", r.status);
        }
    }
    let params = prop::collection::vec(
        (prop::sample::select(vec!["from", "to", "days", "clinician_id", "x"]), "[A-Za-z0-9%._~+:-]{0,14}"),
        0..4,
    );
    for (i, query) in samples(params, 80).into_iter().enumerate() {
        let path = if i.is_multiple_of(2) { "/api/v1/checkins" } else { "/api/v1/slots" };
        let text = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let r = app.api(Method::GET, &format!("{path}?{text}"), Some(&token), None).await;
        if r.status.is_success() {
            continue;
        }
        let e = r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
        let message = e["message"].as_str().unwrap_or_default();
        let named = e["field"].is_string() || query.iter().any(|(k, _)| message.contains(k));
        assert!(named, "{path}?{text}: names no parameter: {message}");
    }
}

/// A well-formed report for one exercise: (done, sets, reps, pain during, good form). Pain stays low, so
/// the progression rules leave the plan's first step as it is between posts.
fn report() -> impl Strategy<Value = (bool, Option<i64>, Option<i64>, Option<i64>, bool)> {
    (
        any::<bool>(),
        prop::option::of(0i64..=20),
        prop::option::of(0i64..=100),
        prop::option::of(0i64..=2),
        any::<bool>(),
    )
}

async fn checkins_sent_over_the_api_read_back_as_sent(app: TestApp) {
    let token = patient_with_plan(&app, "reporter").await;
    let ids = first_step_exercises(&app, &token).await;
    let mut expected: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    let strategy = (
        prop::collection::vec(prop::option::of(report()), ids.len()),
        prop::option::of((0i64..=3, 3i64..=10, prop::sample::select(vec!["less", "same", "more"]))),
    );
    let mut morning_expected = None;
    for (reports, morning) in samples(strategy, 12) {
        let mut exercises = Vec::new();
        for (id, r) in ids.iter().zip(&reports) {
            let Some((done, sets, reps, pain, quality)) = *r else { continue };
            let e = json!({"exercise_id": id, "done": done, "sets_done": sets, "reps_done": reps, "pain_during": pain, "quality_ok": quality});
            exercises.push(e.clone());
            expected.insert(id.clone(), e);
        }
        let mut body = json!({"day": "2026-01-01", "exercises": exercises});
        if let Some((pain, usual, stiffness)) = morning {
            body["morning"] = json!({"pain": pain, "usual": usual, "stiffness": stiffness});
            morning_expected =
                Some(json!({"day": "2026-01-01", "pain": pain, "usual": usual, "stiffness": stiffness, "flags": []}));
        }
        let r = app.api(Method::POST, "/api/v1/checkins", Some(&token), Some(&body)).await;
        r.assert_status(StatusCode::CREATED);
        let read =
            app.api(Method::GET, "/api/v1/checkins?from=2026-01-01&to=2026-01-01", Some(&token), None).await.json();
        let got: Vec<Value> = read["checkins"]
            .as_array()
            .expect("checkins")
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.as_object_mut().expect("an object").remove("day");
                c
            })
            .collect();
        assert_eq!(got, expected.values().cloned().collect::<Vec<_>>(), "after {body}");
        let mornings: Vec<Value> = morning_expected.iter().cloned().collect();
        assert_eq!(read["mornings"], json!(mornings), "after {body}");
    }
}

async fn questionnaires_sent_over_the_api_read_back_as_sent(app: TestApp) {
    let token = patient_with_plan(&app, "scored").await;
    let kujala = prop::collection::vec(0u64..=2, 13).prop_map(|codes| {
        let answers: Map<String, Value> =
            codes.iter().enumerate().map(|(i, c)| ((i + 1).to_string(), json!(c))).collect();
        ("kujala", Value::Object(answers))
    });
    let koos = prop::collection::vec(prop::option::of(0u64..=4), 12).prop_map(|codes| {
        let ids = ["P1", "P5", "P6", "P8", "A4", "A3", "A7", "SP4", "Q1", "Q2", "Q3", "Q4"];
        let mut answers: Map<String, Value> =
            ids.iter().zip(&codes).filter_map(|(id, c)| c.map(|c| ((*id).to_owned(), json!(c)))).collect();
        // The pain scale is always scorable.
        answers.entry("P1").or_insert(json!(1));
        answers.entry("P5").or_insert(json!(2));
        ("koos12", Value::Object(answers))
    });
    let nprs = (0u64..=10).prop_map(|n| ("nprs", json!({"rating": n})));
    let psfs = (prop::collection::vec(0u64..=10, 3), "[a-z]{3,12}").prop_map(|(ratings, word)| {
        let names = [format!("climbing {word}"), format!("running {word}"), format!("kneeling {word}")];
        let activities: Vec<Value> = names.iter().zip(&ratings).map(|(n, r)| json!({"name": n, "rating": r})).collect();
        ("psfs", json!({"activities": activities}))
    });
    let all = prop_oneof![kujala, koos, nprs, psfs];
    for (n, (instrument, answers)) in samples(all, 16).into_iter().enumerate() {
        let body = json!({"instrument": instrument, "answers": answers, "week": n % 5});
        let r = app.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&body)).await;
        r.assert_status(StatusCode::CREATED);
        let stored = r.json();
        assert_eq!(
            (&stored["instrument"], &stored["answers"], &stored["week"]),
            (&json!(instrument), &answers, &json!(n % 5))
        );
        let listed = app.api(Method::GET, "/api/v1/outcomes", Some(&token), None).await.json();
        let listed = listed.as_array().expect("a list");
        assert_eq!(listed.len(), n + 1);
        assert!(listed.contains(&stored), "{stored} is not listed as stored");
    }
}

async fn a_checkin_form_posted_on_the_page_reads_back_through_the_api(app: TestApp) {
    let token = patient_with_plan(&app, "former").await;
    let page = app.get_page("/checkin").await;
    // Each exercise has two "done" radios: `name="done.<id>"`.
    let ids: Vec<String> = page
        .body
        .match_indices("name=\"done.")
        .filter_map(|(i, _)| {
            let rest = &page.body[i + "name=\"done.".len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(!ids.is_empty(), "the check-in page offers no exercise");
    let mut expected: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    for reports in samples(prop::collection::vec(prop::option::of(report()), ids.len()), 8) {
        let csrf = app.csrf().await;
        let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf), ("day".into(), "2026-01-01".into())];
        for (id, r) in ids.iter().zip(&reports) {
            let Some((done, sets, reps, pain, quality)) = *r else { continue };
            fields.push((format!("done.{id}"), if done { "yes" } else { "no" }.into()));
            for (prefix, v) in [("sets", sets), ("reps", reps), ("pain", pain)] {
                fields.push((format!("{prefix}.{id}"), v.map(|v| v.to_string()).unwrap_or_default()));
            }
            fields.push((format!("quality.{id}"), if quality { "yes" } else { "no" }.into()));
            expected.insert(
                id.clone(),
                json!({"exercise_id": id, "done": done, "sets_done": sets, "reps_done": reps, "pain_during": pain, "quality_ok": quality}),
            );
        }
        let r = app.send(app.request(Method::POST, "/checkin").form(&fields)).await;
        assert_redirect_to(&r, "/progress");
        let read =
            app.api(Method::GET, "/api/v1/checkins?from=2026-01-01&to=2026-01-01", Some(&token), None).await.json();
        let got: Vec<Value> = read["checkins"]
            .as_array()
            .expect("checkins")
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.as_object_mut().expect("an object").remove("day");
                c
            })
            .collect();
        assert_eq!(got, expected.values().cloned().collect::<Vec<_>>(), "after posting {fields:?}");
    }
}
