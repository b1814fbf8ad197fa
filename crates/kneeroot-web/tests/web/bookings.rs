//! Booking a physiotherapist through the API: availability, every free slot, booking, no double booking
//! under concurrency, cancelling, the `.ics` file, and who may see what.

use kneeroot_store::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, email, sensible_json};

/// A clinician account with a bearer token; availability Monday to Friday 09:00–12:00 London, 30 minutes.
async fn clinician(app: &TestApp, who: &str) -> (String, String) {
    let user = app.account(&email(who), Role::Clinician).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    let body = crate::appointments::weekday_mornings();
    app.api(Method::PUT, "/api/v1/availability", Some(&token), Some(&body)).await.assert_status(StatusCode::OK);
    (user.id.to_string(), token)
}

async fn patient(app: &TestApp, who: &str) -> String {
    app.signed_up_browser(&email(who)).await;
    app.bearer_token(&email(who), PASSWORD).await
}

async fn every_free_slot_is_listed_and_one_can_be_booked_and_cancelled(app: TestApp) {
    let (clin, _) = clinician(&app, "physio").await;
    let token = patient(&app, "pat").await;
    let slots = app.api(Method::GET, &format!("/api/v1/slots?clinician_id={clin}&days=7"), Some(&token), None).await;
    slots.assert_status(StatusCode::OK);
    let list = slots.json();
    // 2026-01-01 is a Thursday: Thu, Fri, Mon, Tue, Wed within 7 days, 6 slots a morning.
    assert_eq!(list.as_array().map(Vec::len), Some(30), "{list}");
    // Monday's first slot: more than a day ahead, so it can be cancelled under the 24-hour rule.
    let first = list[12]["start"].as_str().expect("a start").to_owned();
    assert!(first.ends_with('Z'));
    let r = app
        .api(
            Method::POST,
            "/api/v1/bookings",
            Some(&token),
            Some(&json!({"clinician_id": clin, "start": first, "reason": "knee pain"})),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    let booking = r.json();
    let id = booking["id"].as_str().expect("id").to_owned();
    assert_eq!(booking["status"], "booked");
    // The slot is gone from the list, and booking it again is a 409 with a plain message.
    let again =
        app.api(Method::GET, &format!("/api/v1/slots?clinician_id={clin}&days=7"), Some(&token), None).await.json();
    assert_eq!(again.as_array().map(Vec::len), Some(29));
    let other = patient(&app, "other").await;
    let r = app
        .api(Method::POST, "/api/v1/bookings", Some(&other), Some(&json!({"clinician_id": clin, "start": first})))
        .await;
    r.assert_api_error(StatusCode::CONFLICT, "conflict");
    // Another patient cannot see it; the calendar file is well formed.
    app.api(Method::GET, &format!("/api/v1/bookings/{id}"), Some(&other), None)
        .await
        .assert_api_error(StatusCode::NOT_FOUND, "not_found");
    let ics = app.api(Method::GET, &format!("/api/v1/bookings/{id}/ics"), Some(&token), None).await;
    ics.assert_status(StatusCode::OK);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n") && ics.body.contains("DTSTART:"));
    // Cancelling is within the notice rule here (the slot is more than a day ahead).
    let r = app.api(Method::DELETE, &format!("/api/v1/bookings/{id}"), Some(&token), None).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.json()["status"], "cancelled");
    // A slot starting within 24 hours cannot be cancelled online: the message says what to do.
    let soon = list[0]["start"].as_str().expect("a start").to_owned();
    let r = app
        .api(Method::POST, "/api/v1/bookings", Some(&token), Some(&json!({"clinician_id": clin, "start": soon})))
        .await;
    r.assert_status(StatusCode::CREATED);
    let soon_id = r.json()["id"].as_str().expect("id").to_owned();
    let e = app
        .api(Method::DELETE, &format!("/api/v1/bookings/{soon_id}"), Some(&token), None)
        .await
        .assert_api_error(StatusCode::CONFLICT, "conflict");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("contact the clinic")), "{e}");
}

async fn fifty_concurrent_requests_for_one_slot_give_exactly_one_booking(app: TestApp) {
    let (clin, _) = clinician(&app, "racephysio").await;
    let token = patient(&app, "racer").await;
    let list =
        app.api(Method::GET, &format!("/api/v1/slots?clinician_id={clin}&days=7"), Some(&token), None).await.json();
    let start = list[0]["start"].as_str().expect("a start").to_owned();
    let body = json!({"clinician_id": clin, "start": start});
    let tries = (0..50).map(|_| app.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&body)));
    let results = futures_join(tries).await;
    let created = results.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let conflicts = results.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
    assert_eq!((created, conflicts), (1, 49));
}

async fn futures_join<F: std::future::Future<Output = crate::helpers::Resp>>(
    futures: impl Iterator<Item = F>,
) -> Vec<crate::helpers::Resp> {
    let mut set = Vec::new();
    for f in futures {
        set.push(f);
    }
    let mut out = Vec::new();
    // Poll them together: join_all without an extra dependency.
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = set.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<crate::helpers::Resp>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(r) => done[i] = Some(r),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    for r in done.into_iter().flatten() {
        out.push(r);
    }
    out
}

async fn bad_booking_requests_are_refused_naming_the_field(app: TestApp) {
    let (clin, clin_token) = clinician(&app, "strict").await;
    let token = patient(&app, "careful").await;
    for (body, field) in [
        (json!({"clinician_id": clin, "start": "tomorrow at nine"}), "start"),
        (json!({"clinician_id": clin, "start": "2026-01-05T09:10:00Z"}), "start"),
        (json!({"clinician_id": clin, "start": "2025-12-29T09:00:00Z"}), "start"),
        (json!({"clinician_id": "nope", "start": "2026-01-05T09:00:00Z"}), "clinician_id"),
        // A Monday morning slot, but more than a year ahead (the clock is at 2026-01-01).
        (json!({"clinician_id": clin, "start": "2027-01-04T09:00:00Z"}), "start"),
    ] {
        let r = app.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&body)).await;
        assert_eq!(r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request")["field"], field, "{body}");
    }
    // Only clinicians set availability; bad availability names the field.
    app.api(Method::PUT, "/api/v1/availability", Some(&token), Some(&json!({"availability": {}})))
        .await
        .assert_api_error(StatusCode::FORBIDDEN, "forbidden");
    let bad = json!({"availability": {"time_zone": "Europe/London", "windows": [{"weekday": "Mon", "start": "12:00", "end": "09:00"}], "slot_minutes": 30}});
    let r = app.api(Method::PUT, "/api/v1/availability", Some(&clin_token), Some(&bad)).await;
    let e = r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request");
    assert!(e["field"].as_str().is_some_and(|f| f.starts_with("availability.windows")), "{e}");
    // Everything needs a token.
    app.api(Method::GET, "/api/v1/slots", None, None).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let _ = sensible_json();
}

async fn a_reason_that_cannot_be_stored_as_text_is_refused_naming_it(app: TestApp) {
    let (clin, _) = clinician(&app, "textphysio").await;
    let token = patient(&app, "texter").await;
    // PostgreSQL refuses NUL in text: before this was checked, it was a 500 there.
    for reason in ["knee\u{0}pain", "bell\u{7}", &"a".repeat(501)] {
        let body = json!({"clinician_id": clin, "start": "2026-01-05T09:00:00Z", "reason": reason});
        let r = app.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&body)).await;
        assert_eq!(r.assert_api_error(StatusCode::BAD_REQUEST, "bad_request")["field"], "reason");
    }
    let body = json!({"clinician_id": clin, "start": "2026-01-05T09:00:00Z", "reason": "stairs,\n\tthen running"});
    app.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
}

async fn the_booking_api_is_described_in_the_openapi_document(app: TestApp) {
    let doc = app.get("/api/openapi.json").await.json();
    for (path, method, statuses) in [
        ("/api/v1/slots", "get", &["200", "400", "401"][..]),
        ("/api/v1/bookings", "post", &["201", "400", "401", "409", "413"][..]),
        ("/api/v1/bookings", "get", &["200", "401"][..]),
        ("/api/v1/bookings/{id}", "get", &["200", "401", "404"][..]),
        ("/api/v1/bookings/{id}", "delete", &["200", "401", "404", "409"][..]),
        ("/api/v1/bookings/{id}/ics", "get", &["200", "401", "404"][..]),
        ("/api/v1/availability", "put", &["200", "400", "401", "403", "413"][..]),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not described");
        for status in statuses {
            assert!(op["responses"][status].is_object(), "{method} {path} does not describe {status}");
        }
    }
    let booking = &doc["components"]["schemas"]["Booking"];
    assert_eq!(booking["properties"]["status"]["enum"], json!(["booked", "cancelled"]));
    assert!(
        doc["paths"]["/api/v1/bookings/{id}/ics"]["get"]["responses"]["200"]["content"]["text/calendar"].is_object()
    );
}

both!(
    a_reason_that_cannot_be_stored_as_text_is_refused_naming_it,
    the_booking_api_is_described_in_the_openapi_document,
    every_free_slot_is_listed_and_one_can_be_booked_and_cancelled,
    fifty_concurrent_requests_for_one_slot_give_exactly_one_booking,
    bad_booking_requests_are_refused_naming_the_field,
);
