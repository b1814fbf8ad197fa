//! Property tests of the API's decoders: [`ApiJson`] with every request body type the API takes, and
//! [`ApiQuery`] with every query type, run on requests built in memory (no server, no store).
//!
//! Whatever bytes arrive, a decoder gives a value or a 400 `bad_request` whose message says why; when a
//! JSON object does not fit, the message names the key at fault (axum reports the path, `exercises[0].done`
//! say) or the required key that is missing. Well-formed bodies and queries are accepted. What the
//! handlers then check (ranges, ids, the plan) is tested over HTTP in `tests/web/security.rs`.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::ApiJson;
use super::body::ApiQuery;
use super::bookings::{AvailabilityBody, BookBody, SlotQuery};
use super::checkins::{CheckinBody, Range};
use super::session::Credentials;
use crate::error::{ApiError, Problem};

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().expect("a runtime").block_on(f)
}

/// Decode `body` (sent as JSON) as a `T`: `Ok`, or the 400's message.
fn decode<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    let request = Request::builder()
        .method("POST")
        .uri("/")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("a request");
    match run(ApiJson::<T>::from_request(request, &())) {
        Ok(ApiJson(v)) => Ok(v),
        Err(ApiError(Problem::BadInput { field: None, message })) => Err(message),
        Err(other) => Err(format!("not a 400 bad_request: {other:?}")),
    }
}

/// Decode the query string `query` as a `T`.
fn decode_query<T: DeserializeOwned + Send>(query: &str) -> Result<T, String> {
    let (mut parts, ()) = Request::builder().uri(format!("/?{query}")).body(()).expect("a request").into_parts();
    match run(ApiQuery::<T>::from_request_parts(&mut parts, &())) {
        Ok(ApiQuery(v)) => Ok(v),
        Err(ApiError(Problem::BadInput { field: None, message })) => Err(message),
        Err(other) => Err(format!("not a 400 bad_request: {other:?}")),
    }
}

/// Each body type the API decodes with its top-level keys and the keys it requires.
const BODIES: [(&str, &[&str], &[&str]); 4] = [
    ("credentials", &["email", "password"], &["email", "password"]),
    ("checkin", &["day", "exercises", "morning"], &[]),
    ("booking", &["clinician_id", "start", "reason", "assessment_id"], &["clinician_id", "start"]),
    ("availability", &["availability", "notice_minutes", "cancel_notice_minutes"], &["availability"]),
];

/// Decode `body` as body type `which` of [`BODIES`].
fn decode_as(which: usize, body: &str) -> Result<(), String> {
    match which {
        0 => decode::<Credentials>(body).map(drop),
        1 => decode::<CheckinBody>(body).map(drop),
        2 => decode::<BookBody>(body).map(drop),
        _ => decode::<AvailabilityBody>(body).map(drop),
    }
}

/// Any JSON value, a few levels deep, with keys that are sometimes ones the API knows.
fn any_json(keys: Vec<&'static str>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,16}".prop_map(Value::String),
    ];
    let key = prop_oneof![3 => prop::sample::select(keys), 1 => "\\PC{0,8}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str)];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Every key anywhere in `v`.
fn keys_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                out.push(k.clone());
                keys_in(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keys_in(i, out)),
        _ => {}
    }
}

/// The keys every body type uses, nested ones included, so generated objects often almost fit.
const ALL_KEYS: [&str; 22] = [
    "email",
    "password",
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
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_a_value_or_a_400_saying_why(which in 0usize..4, body in "\\PC{0,64}") {
        if let Err(message) = decode_as(which, &body) {
            let said_why = ["The body is not valid JSON", "The JSON does not have the expected shape", "The body could not be read"]
                .iter()
                .any(|p| message.starts_with(p));
            prop_assert!(said_why, "{message}");
        }
    }

    #[test]
    fn an_object_that_does_not_fit_is_refused_naming_the_key_at_fault(
        which in 0usize..4,
        mut object in prop::collection::btree_map(prop::sample::select(ALL_KEYS.to_vec()), any_json(ALL_KEYS.to_vec()), 0..6),
    ) {
        let (name, _, required) = BODIES[which];
        // Sometimes the object carries every required key, so the errors are about values and nesting.
        if object.len().is_multiple_of(2) {
            for r in required {
                object.entry(r).or_insert(json!("x"));
            }
        }
        let body: Map<String, Value> = object.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let body = Value::Object(body);
        if let Err(message) = decode_as(which, &body.to_string()) {
            let mut keys = Vec::new();
            keys_in(&body, &mut keys);
            let named = keys.iter().chain(required.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>().iter())
                .any(|k| !k.is_empty() && message.contains(k.as_str()));
            prop_assert!(named, "{name}: {body} refused without naming a key: {message}");
        }
    }

    #[test]
    fn well_formed_bodies_are_accepted(
        exercises in prop::collection::vec(("[a-z_]{1,20}", any::<bool>(), prop::option::of(0i64..=20), prop::option::of(0i64..=10)), 0..4),
        morning in prop::option::of((0i64..=10, 0i64..=10, prop::sample::select(vec!["less", "same", "more"]))),
        day in prop::option::of("20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"),
        reason in prop::option::of("\\PC{0,40}"),
        notice in prop::option::of(0i64..=43_200),
    ) {
        let exercises: Vec<Value> = exercises
            .iter()
            .map(|(id, done, sets, pain)| json!({"exercise_id": id, "done": done, "sets_done": sets, "pain_during": pain}))
            .collect();
        let mut checkin = json!({"exercises": exercises});
        if let Some(d) = &day {
            checkin["day"] = json!(d);
        }
        if let Some((pain, usual, stiffness)) = morning {
            checkin["morning"] = json!({"pain": pain, "usual": usual, "stiffness": stiffness, "flags": ["flag.knee_locked"]});
        }
        decode::<CheckinBody>(&checkin.to_string()).map_err(TestCaseError::fail)?;
        decode::<Credentials>(&json!({"email": "a@example.org", "password": reason.clone().unwrap_or_default()}).to_string()).map_err(TestCaseError::fail)?;
        let mut book = json!({"clinician_id": "0".repeat(32), "start": "2026-03-30T09:00:00Z"});
        if let Some(r) = &reason {
            book["reason"] = json!(r);
        }
        decode::<BookBody>(&book.to_string()).map_err(TestCaseError::fail)?;
        let mut hours = json!({"availability": {"time_zone": "Europe/London"}});
        if let Some(n) = notice {
            hours["notice_minutes"] = json!(n);
            hours["cancel_notice_minutes"] = json!(n);
        }
        decode::<AvailabilityBody>(&hours.to_string()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn any_query_string_is_a_value_or_a_400_naming_the_parameter(
        query in prop::collection::vec((prop::sample::select(vec!["from", "to", "days", "clinician_id", "x"]), "[A-Za-z0-9%._~+-]{0,12}"), 0..5),
    ) {
        let text = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        for result in [decode_query::<SlotQuery>(&text).map(drop), decode_query::<Range>(&text).map(drop)] {
            if let Err(message) = result {
                prop_assert!(message.starts_with("The query string could not be read"), "{message}");
                prop_assert!(query.iter().any(|(k, _)| message.contains(k)), "{text}: {message}");
            }
        }
    }

    #[test]
    fn well_formed_query_strings_are_accepted(days in 0u32..=1000, from in "20[0-9]{2}-0[1-9]-1[0-9]") {
        let slots = format!("clinician_id={}&from={from}T09%3A00%3A00Z&days={days}", "a".repeat(32));
        prop_assert!(decode_query::<SlotQuery>(&slots).is_ok());
        let range = format!("from={from}&to={from}");
        prop_assert!(decode_query::<Range>(&range).is_ok());
        prop_assert!(decode_query::<Range>("").is_ok());
    }
}
