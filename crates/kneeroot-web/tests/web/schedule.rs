//! The clinician's schedule (by day and by week, across a clock change), cancelling from it, and the
//! form for hours, notice and days off, with who may use them.

use kneeroot_core::booking::WeeklyAvailability;
use kneeroot_store::{AssessmentId, BookingStatus, BookingStore, UserId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::appointments::{api_book, clinician, me_id, patient_token, signed_in, weekday_mornings};
use crate::helpers::{Browser, Resp, TestApp, assert_redirect_to, email};

const DAY: i64 = 86_400;

async fn booking_status(app: &TestApp, clinician: &str, id: &str) -> BookingStatus {
    let (who, id) = (UserId::parse(clinician).expect("id"), AssessmentId::parse(id).expect("id"));
    app.db.booking(&who, &id).await.expect("read").expect("there").status
}

async fn the_clinic_pages_need_a_signed_in_clinician(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let token = patient_token(&app, "pat").await;
    let id = api_book(&app, &token, &c.id, "2026-01-05T09:00:00Z").await;
    let pages =
        ["/clinic/schedule", "/clinic/schedule?day=2026-01-05", "/clinic/schedule/week", "/clinic/availability"];
    let stranger = app.browser();
    for path in pages {
        assert_redirect_to(&stranger.get(path).await, "/login");
    }
    let csrf = stranger.csrf().await;
    assert_redirect_to(&stranger.post_form_raw("/clinic/availability", &[("csrf", &csrf)]).await, "/login");
    assert_redirect_to(
        &stranger.post_form_raw(&format!("/clinic/schedule/{id}/cancel"), &[("csrf", &csrf)]).await,
        "/login",
    );

    let patient = signed_in(&app, &email("pat")).await;
    for path in pages {
        patient.get(path).await.assert_page(StatusCode::FORBIDDEN);
    }
    patient.post_form("/clinic/availability", &[("time_zone", "UTC")]).await.assert_page(StatusCode::FORBIDDEN);
    patient.post_form(&format!("/clinic/schedule/{id}/cancel"), &[]).await.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(booking_status(&app, &c.id, &id).await, BookingStatus::Booked);
}

async fn the_day_and_week_views_list_my_appointments_only(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let other = clinician(&app, "otherphysio", &weekday_mornings()).await;
    let token = patient_token(&app, "pat").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/bookings",
            Some(&token),
            Some(&json!({"clinician_id": c.id, "start": "2026-01-05T09:00:00Z", "reason": "stairs hurt"})),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    let elsewhere = patient_token(&app, "elsewhere").await;
    api_book(&app, &elsewhere, &other.id, "2026-01-05T10:00:00Z").await;
    let patient_id = me_id(&app, "pat").await;

    let physio = signed_in(&app, &c.email).await;
    // Today by default: Thursday 1 January in London, nothing booked.
    physio
        .get_page("/clinic/schedule")
        .await
        .assert_contains("Thursday 1 January 2026")
        .assert_contains("No appointments");
    let day = physio.get_page("/clinic/schedule?day=2026-01-05").await;
    day.assert_contains("Monday 5 January 2026")
        .assert_contains("09:00 (GMT) to 09:30 (GMT)")
        .assert_contains(&email("pat"))
        .assert_contains("stairs hurt")
        .assert_contains("Booked")
        .assert_contains(&format!("href=\"/clinic/patients/{patient_id}\""))
        .assert_contains("href=\"/clinic/schedule?day=2026-01-04\"")
        .assert_contains("href=\"/clinic/schedule?day=2026-01-06\"")
        .assert_contains("href=\"/clinic/schedule/week?week=2026-01-05\"")
        .assert_lacks(&email("elsewhere"));
    let week = physio.get_page("/clinic/schedule/week?week=2026-01-07").await;
    week.assert_contains("Week of Monday 5 January 2026")
        .assert_contains("Sunday 11 January 2026")
        .assert_contains(&email("pat"))
        .assert_contains("href=\"/clinic/schedule/week?week=2025-12-29\"")
        .assert_contains("href=\"/clinic/schedule/week?week=2026-01-12\"")
        .assert_lacks(&email("elsewhere"));
    physio.get("/clinic/schedule?day=monday").await.assert_page(StatusCode::BAD_REQUEST).assert_contains("day");
    physio.get("/clinic/schedule/week?week=2026-02-30").await.assert_page(StatusCode::BAD_REQUEST);
}

async fn clinicians_cancel_from_the_schedule(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let other = clinician(&app, "otherphysio", &weekday_mornings()).await;
    let token = patient_token(&app, "pat").await;
    // Nine hours ahead: too late for the patient to cancel online, not for the clinician.
    let soon = api_book(&app, &token, &c.id, "2026-01-01T09:00:00Z").await;
    let later = api_book(&app, &token, &c.id, "2026-01-01T10:00:00Z").await;
    let physio = signed_in(&app, &c.email).await;
    let page = physio.get_page("/clinic/schedule").await;
    page.assert_contains(&format!("action=\"/clinic/schedule/{soon}/cancel\""));

    physio.post_form_raw(&format!("/clinic/schedule/{soon}/cancel"), &[]).await.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(booking_status(&app, &c.id, &soon).await, BookingStatus::Booked);
    let stranger = signed_in(&app, &other.email).await;
    stranger.post_form(&format!("/clinic/schedule/{soon}/cancel"), &[]).await.assert_page(StatusCode::NOT_FOUND);

    let fields = [("csrf", page.csrf()), ("back", "/clinic/schedule?day=2026-01-01".to_owned())];
    let r = physio.send(physio.request(Method::POST, &format!("/clinic/schedule/{soon}/cancel")).form(&fields)).await;
    assert_redirect_to(&r, "/clinic/schedule?day=2026-01-01");
    assert_eq!(booking_status(&app, &c.id, &soon).await, BookingStatus::Cancelled);
    let after = physio.get_page("/clinic/schedule?day=2026-01-01").await;
    after.assert_contains("Cancelled").assert_lacks(&format!("action=\"/clinic/schedule/{soon}/cancel\""));

    // Once an appointment has started it stays on the record.
    app.clock.advance(10 * 3_600 + 60);
    let r = physio.post_form(&format!("/clinic/schedule/{later}/cancel"), &[]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("already started");
    assert_eq!(booking_status(&app, &c.id, &later).await, BookingStatus::Booked);
}

/// The hours form's fields for Monday 09:00–12:00 and 14:00–17:00, Tuesday 09:00–12:00, days off on 12
/// and 13 January, with `changes` replacing (or adding) fields.
fn hours_form(csrf: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.into()),
        ("time_zone".into(), "Europe/London".into()),
        ("slot_minutes".into(), "30".into()),
        ("notice_minutes".into(), "60".into()),
        ("cancel_notice_minutes".into(), "1440".into()),
        ("mon_start".into(), "09:00".into()),
        ("mon_end".into(), "12:00".into()),
        ("mon_start".into(), "14:00".into()),
        ("mon_end".into(), "17:00".into()),
        ("tue_start".into(), "09:00".into()),
        ("tue_end".into(), "12:00".into()),
        ("wed_start".into(), String::new()),
        ("wed_end".into(), String::new()),
        ("leave_from".into(), "2026-01-12".into()),
        ("leave_to".into(), "2026-01-13".into()),
        ("leave_reason".into(), "annual leave".into()),
    ];
    for (name, value) in changes {
        // The first field of that name changes; a second Monday window is the second pair.
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(f) => f.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
}

/// Changes to the good hours, the label the message must name, and the id of the input marked invalid.
type BadHours = (&'static [(&'static str, &'static str)], &'static str, &'static str);

async fn post_hours(b: &Browser, fields: &[(String, String)]) -> Resp {
    b.send(b.request(Method::POST, "/clinic/availability").form(fields)).await
}

async fn the_hours_form_saves_through_the_same_rules_and_names_bad_fields(app: TestApp) {
    let c = clinician(&app, "physio", &Value::Null).await;
    let physio = signed_in(&app, &c.email).await;
    physio.get_page("/clinic/schedule").await.assert_contains("You have not set your hours yet");
    let form = physio.get_page("/clinic/availability").await;
    form.assert_contains("name=\"time_zone\" value=\"\"").assert_contains("name=\"slot_minutes\" value=\"30\"");
    let csrf = form.csrf();

    let r = post_hours(&physio, &hours_form(&csrf, &[])).await;
    assert_redirect_to(&r, "/clinic/availability?saved=1");
    let saved = physio.get_page("/clinic/availability?saved=1").await;
    saved
        .assert_contains("Your hours are saved")
        .assert_contains("value=\"Europe/London\"")
        .assert_contains("id=\"mon-2-start\" type=\"time\" name=\"mon_start\" value=\"14:00\"")
        .assert_contains("value=\"2026-01-13\"")
        .assert_contains("value=\"annual leave\"");
    let who = UserId::parse(&c.id).expect("id");
    let stored = app.db.availability(&who).await.expect("read").expect("saved");
    let week: WeeklyAvailability = serde_json::from_str(&stored.settings).expect("the core's shape");
    assert_eq!((week.windows.len(), week.exceptions.len(), stored.notice_minutes), (3, 1, 60));
    // The API offers what the form set: Monday 5th (12 slots) and Tuesday 6th (6); the 12th and 13th are off.
    let slots = app
        .api(Method::GET, &format!("/api/v1/slots?clinician_id={}&days=14", c.id), Some(&c.token), None)
        .await
        .json();
    assert_eq!(slots.as_array().map(Vec::len), Some(18), "{slots}");

    let cases: [BadHours; 9] = [
        (&[("time_zone", "Europe/Londn")], "Time zone", "time_zone"),
        (&[("time_zone", "europe/london")], "did you mean &#39;Europe/London&#39;", "time_zone"),
        (&[("slot_minutes", "5")], "Slot length", "slot_minutes"),
        (&[("slot_minutes", "half an hour")], "Slot length", "slot_minutes"),
        (&[("mon_start", "12:00"), ("mon_end", "09:00")], "Monday, hours 1", "mon-1-end"),
        (&[("mon_start", "9am")], "Monday, hours 1", "mon-1-start"),
        (&[("mon_end", "15:00")], "Monday, hours 2", "mon-2-end"),
        (&[("notice_minutes", "99999")], "Booking notice", "notice_minutes"),
        (&[("leave_from", "2026-01-14")], "Days off 1", "leave-1-to"),
    ];
    for (changes, label, id) in cases {
        let r = post_hours(&physio, &hours_form(&csrf, changes)).await;
        r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
            .assert_contains(label)
            .assert_contains(&format!("href=\"#{id}\""));
        let marked = format!("id=\"{id}\"");
        let at = r.body.find(&marked).unwrap_or_else(|| panic!("{changes:?}: no input {id}"));
        let input = &r.body[at..at + r.body[at..].find('>').expect("the tag ends")];
        assert!(input.contains("aria-invalid=\"true\""), "{changes:?}: {input}");
        // What was typed is kept, and nothing was saved.
        r.assert_contains(changes[0].1);
        let now = app.db.availability(&who).await.expect("read").expect("saved");
        assert_eq!(now.settings, stored.settings, "{changes:?}");
    }
    physio.post_form_raw("/clinic/availability", &[("time_zone", "UTC")]).await.assert_page(StatusCode::FORBIDDEN);
}

async fn a_week_across_the_spring_clock_change_shows_local_times(app: TestApp) {
    let hours = json!({"availability": {"time_zone": "Europe/London", "slot_minutes": 60, "windows": [
        {"weekday": "Fri", "start": "09:00", "end": "10:00"},
        {"weekday": "Sun", "start": "00:00", "end": "03:00"},
        {"weekday": "Mon", "start": "09:00", "end": "10:00"}]}, "notice_minutes": 0, "cancel_notice_minutes": 0});
    let c = clinician(&app, "physio", &hours).await;
    // Friday 20 March 2026; the clocks go forward at 01:00 GMT on Sunday the 29th.
    app.clock.advance(78 * DAY);
    let token = patient_token(&app, "pat").await;
    for start in ["2026-03-27T09:00:00Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T08:00:00Z"] {
        api_book(&app, &token, &c.id, start).await;
    }
    let physio = signed_in(&app, &c.email).await;
    let week = physio.get_page("/clinic/schedule/week?week=2026-03-23").await;
    week.assert_contains("09:00 (GMT) to 10:00 (GMT)")
        .assert_contains("00:00 (GMT) to 02:00 (BST)")
        .assert_contains("02:00 (BST) to 03:00 (BST)")
        .assert_lacks("09:00 (BST)");
    let (friday, sunday) =
        (week.body.find("Friday 27 March").expect("Friday"), week.body.find("Sunday 29 March").expect("Sunday"));
    let gmt = week.body.find("09:00 (GMT) to 10:00 (GMT)").expect("Friday's");
    assert!(friday < gmt && gmt < sunday, "Friday's appointment is under Friday");
    physio.get_page("/clinic/schedule/week?week=2026-03-30").await.assert_contains("09:00 (BST) to 10:00 (BST)");
    let day = physio.get_page("/clinic/schedule?day=2026-03-29").await;
    day.assert_contains("00:00 (GMT) to 02:00 (BST)")
        .assert_contains("02:00 (BST) to 03:00 (BST)")
        .assert_lacks("09:00");
    physio.get_page("/clinic/schedule?day=2026-03-28").await.assert_contains("No appointments");
}

both!(
    the_clinic_pages_need_a_signed_in_clinician,
    the_day_and_week_views_list_my_appointments_only,
    clinicians_cancel_from_the_schedule,
    the_hours_form_saves_through_the_same_rules_and_names_bad_fields,
    a_week_across_the_spring_clock_change_shows_local_times,
);
