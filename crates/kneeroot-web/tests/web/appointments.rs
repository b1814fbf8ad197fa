//! Booking a physiotherapist from the browser: every free slot, confirming with a reason and the latest
//! assessment, the appointment page and its `.ics`, cancelling within the notice rule, moving, a slot
//! taken under the person's feet, and who may see what.
//!
//! The clock starts on Thursday 1 January 2026 at 00:00 UTC (London is on GMT); the clinician works
//! Monday to Friday 09:00–12:00 in 30-minute slots, with an hour's booking notice and a day's
//! cancellation notice.

use kneeroot_core::booking::{NaiveDate, WeeklyAvailability, local_day_start, slots};
use kneeroot_store::{BookingStatus, BookingStore, Email, Role, UserId, UserStore};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    Browser, PASSWORD, Resp, START, TestApp, assert_redirect_to, email, escape, sensible_json, unescape,
};

const DAY: i64 = 86_400;

/// A clinician made through the store, signed in through the API (for setting hours).
pub(crate) struct Clinician {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// Monday to Friday 09:00–12:00 in London, 30-minute slots, an hour's notice, a day to cancel.
pub(crate) fn weekday_mornings() -> Value {
    let windows: Vec<Value> = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| json!({"weekday": d, "start": "09:00", "end": "12:00"}))
        .collect();
    json!({"availability": {"time_zone": "Europe/London", "windows": windows, "slot_minutes": 30},
        "notice_minutes": 60, "cancel_notice_minutes": 1440})
}

/// A clinician account with `hours` (a `PUT /api/v1/availability` body), or none when `hours` is null.
pub(crate) async fn clinician(app: &TestApp, who: &str, hours: &Value) -> Clinician {
    let user = app.account(&email(who), Role::Clinician).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    if !hours.is_null() {
        app.api(Method::PUT, "/api/v1/availability", Some(&token), Some(hours)).await.assert_status(StatusCode::OK);
    }
    Clinician { id: user.id.to_string(), email: email(who), token }
}

/// A browser signed in as an existing account.
pub(crate) async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = app.browser();
    let r = b.login(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "signing in {email}");
    b
}

/// A patient's bearer token (the account is made through the sign-up form).
pub(crate) async fn patient_token(app: &TestApp, who: &str) -> String {
    app.signed_up_browser(&email(who)).await;
    app.bearer_token(&email(who), PASSWORD).await
}

/// Book through the API; returns the booking's id.
pub(crate) async fn api_book(app: &TestApp, token: &str, clinician: &str, start: &str) -> String {
    let r = app
        .api(Method::POST, "/api/v1/bookings", Some(token), Some(&json!({"clinician_id": clinician, "start": start})))
        .await;
    r.assert_status(StatusCode::CREATED);
    r.json()["id"].as_str().expect("an id").to_owned()
}

/// The confirmation links of one clinician's free slots on one local day of a slot page.
pub(crate) fn slot_hrefs(page: &Resp, clinician: &str, date: &str) -> Vec<String> {
    let marker = format!("aria-labelledby=\"c-{clinician}-{date}\"");
    let Some(at) = page.body.find(&marker) else { return Vec::new() };
    let list = &page.body[at..];
    let list = &list[..list.find("</ul>").expect("the list ends")];
    list.split("class=\"slot\" href=\"")
        .skip(1)
        .map(|rest| unescape(&rest[..rest.find('"').expect("the link ends")]))
        .collect()
}

/// The link that confirms the slot starting at `start`.
fn href_for(page: &Resp, clinician: &str, date: &str, start: &str) -> String {
    slot_hrefs(page, clinician, date)
        .into_iter()
        .find(|h| h.ends_with(&format!("start={start}")))
        .unwrap_or_else(|| panic!("no slot at {start} on {date}"))
}

/// Open a slot's confirmation form and post it with `reason`; returns the response to the post.
async fn book_via_page(b: &Browser, href: &str, reason: &str) -> Resp {
    let form = b.get_page(href).await;
    let fields = [
        ("csrf", form.csrf()),
        ("clinician", crate::helpers::attr_values(&form.body, "clinician").remove(0)),
        ("start", crate::helpers::attr_values(&form.body, "start").remove(0)),
        ("reason", reason.to_owned()),
    ];
    b.send(b.request(Method::POST, "/appointments").form(&fields)).await
}

/// The appointment id a booking or move redirected to.
fn booked_id(r: &Resp, done: &str) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", r.request, r.body);
    let rest = r.location().strip_prefix("/appointments/").expect("an appointment");
    let (id, query) = rest.split_once('?').expect("a message");
    assert_eq!(query, format!("done={done}"));
    id.to_owned()
}

async fn without_signing_in_every_page_sends_you_to_sign_in(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let token = patient_token(&app, "owner").await;
    let id = api_book(&app, &token, &c.id, "2026-01-05T09:00:00Z").await;
    let stranger = app.browser();
    for path in [
        "/appointments".to_owned(),
        "/appointments/new".to_owned(),
        format!("/appointments/confirm?clinician={}&start=2026-01-05T09:30:00Z", c.id),
        format!("/appointments/{id}"),
        format!("/appointments/{id}/ics"),
        format!("/appointments/{id}/move"),
    ] {
        assert_redirect_to(&stranger.get(&path).await, "/login");
    }
    let csrf = stranger.csrf().await;
    for path in ["/appointments".to_owned(), format!("/appointments/{id}/cancel"), format!("/appointments/{id}/move")] {
        assert_redirect_to(&stranger.post_form_raw(&path, &[("csrf", &csrf)]).await, "/login");
    }
}

async fn the_slot_page_lists_every_free_slot_of_a_day(app: TestApp) {
    let hours = weekday_mornings();
    let c = clinician(&app, "physio", &hours).await;
    let other = patient_token(&app, "early").await;
    api_book(&app, &other, &c.id, "2026-01-05T09:30:00Z").await;
    api_book(&app, &other, &c.id, "2026-01-05T11:00:00Z").await;
    let me = app.signed_up_browser(&email("me")).await;
    let page = me.get_page("/appointments/new").await;
    page.assert_contains(&c.email).assert_contains("Times in Europe/London").assert_contains("Monday 5 January");

    // What the core offers that Monday, minus what is booked, is exactly what the page lists.
    let week: WeeklyAvailability = serde_json::from_value(hours["availability"].clone()).expect("hours");
    let monday = local_day_start(NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date"), week.time_zone).expect("a day");
    let clinician_id = UserId::parse(&c.id).expect("an id");
    let booked = app.db.booked_starts(&clinician_id, monday, monday + DAY).await.expect("booked");
    let offered = slots(&week, monday, 1, START, 60, &[]);
    let listed = slot_hrefs(&page, &c.id, "2026-01-05");
    assert_eq!(listed.len(), offered.len() - booked.len());
    assert_eq!(listed.len(), 4, "{listed:?}");
    assert!(!listed.iter().any(|h| h.ends_with("2026-01-05T09:30:00Z") || h.ends_with("2026-01-05T11:00:00Z")));
    // The whole week: Thursday, Friday, Monday, Tuesday, Wednesday, 6 slots a morning, 2 taken.
    let days = ["2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"];
    assert_eq!(days.iter().map(|d| slot_hrefs(&page, &c.id, d).len()).sum::<usize>(), 28);
    assert!(slot_hrefs(&page, &c.id, "2026-01-03").is_empty(), "no Saturday hours");

    // "Later" pages by a week; a bad date names the field.
    let later = me.get_page("/appointments/new?from=2026-01-08").await;
    assert_eq!(slot_hrefs(&later, &c.id, "2026-01-12").len(), 6);
    later
        .assert_contains("href=\"/appointments/new?from=2026-01-15\"")
        .assert_contains("/appointments/new?from=2026-01-01");
    me.get("/appointments/new?from=soon").await.assert_page(StatusCode::BAD_REQUEST).assert_contains("from");
    me.get("/appointments/new?from=2030-01-01").await.assert_page(StatusCode::BAD_REQUEST);
}

async fn a_patient_books_with_a_reason_and_gets_a_confirmation_and_a_calendar_file(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("me")).await;
    let token = app.bearer_token(&email("me"), PASSWORD).await;
    let assessment = app.api_save_assessment(&token, &sensible_json()).await;
    let slots = me.get_page("/appointments/new").await;
    let href = href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z");
    let form = me.get_page(&href).await;
    form.assert_contains("Mon 5 Jan 2026, 09:00 (GMT)")
        .assert_contains(&c.email)
        .assert_contains("your assessment of 1 January 2026 (most likely:")
        .assert_contains("name=\"reason\"");

    let r = book_via_page(&me, &href, "Knee pain on stairs <since May>").await;
    let id = booked_id(&r, "booked");
    let page = me.get_page(&format!("/appointments/{id}?done=booked")).await;
    page.assert_contains("Your appointment is booked")
        .assert_contains("Mon 5 Jan 2026, 09:00 (GMT)")
        .assert_contains("Europe/London")
        .assert_contains(&c.email)
        .assert_contains(&escape("Knee pain on stairs <since May>"))
        .assert_contains(&format!("href=\"/assessments/{assessment}\""))
        .assert_contains(&format!("href=\"/appointments/{id}/ics\""))
        .assert_contains(&format!("action=\"/appointments/{id}/cancel\""))
        .assert_contains(&format!("href=\"/appointments/{id}/move\""));

    let stored = app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].assessment_id.as_ref().map(ToString::to_string), Some(assessment));
    assert_eq!(stored[0].reason, "Knee pain on stairs <since May>");

    let ics = me.get(&format!("/appointments/{id}/ics")).await;
    ics.assert_status(StatusCode::OK);
    assert!(ics.header("content-type").starts_with("text/calendar"), "{}", ics.header("content-type"));
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n") && ics.body.contains("DTSTART:20260105T090000Z"));
    assert!(ics.body.contains(&format!("UID:{id}@kneeroot")));

    let list = me.get_page("/appointments").await;
    list.assert_contains("Coming up")
        .assert_contains(&format!("href=\"/appointments/{id}\""))
        .assert_contains("Book a physio");
    // The slot is no longer offered.
    let again = me.get_page("/appointments/new").await;
    assert_eq!(slot_hrefs(&again, &c.id, "2026-01-05").len(), 5);
}

/// The id of the account `who`.
pub(crate) async fn me_id(app: &TestApp, who: &str) -> UserId {
    let creds = app.db.credentials(&Email::parse(&email(who)).expect("email")).await.expect("read").expect("a user");
    creds.user.id
}

async fn the_reason_is_required_and_limited_and_nothing_is_booked_without_one(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("me")).await;
    let slots = me.get_page("/appointments/new").await;
    let href = href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z");
    let r = book_via_page(&me, &href, "   ").await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Please say briefly why")
        .assert_contains("aria-invalid");
    let r = book_via_page(&me, &href, &"a".repeat(501)).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("under 500 characters");
    assert!(app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings").is_empty());
    // Forged times are not slots: the slot page again, nothing booked.
    let forged = format!("/appointments/confirm?clinician={}&start=2026-01-05T09:10:00Z", c.id);
    me.get(&forged).await.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("not one of the clinic");
    me.get(&format!("/appointments/confirm?clinician={}&start=whenever", c.id))
        .await
        .assert_page(StatusCode::BAD_REQUEST)
        .assert_contains("start");
    me.get("/appointments/confirm?clinician=nobody&start=2026-01-05T09:00:00Z")
        .await
        .assert_page(StatusCode::NOT_FOUND);
}

async fn forms_without_the_csrf_token_are_refused(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("me")).await;
    let fields = [("clinician", c.id.as_str()), ("start", "2026-01-05T09:00:00Z"), ("reason", "knee")];
    me.post_form_raw("/appointments", &fields).await.assert_page(StatusCode::FORBIDDEN);
    assert!(app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings").is_empty());
    let slots = me.get_page("/appointments/new").await;
    let id = booked_id(
        &book_via_page(&me, &href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z"), "knee").await,
        "booked",
    );
    me.post_form_raw(&format!("/appointments/{id}/cancel"), &[]).await.assert_page(StatusCode::FORBIDDEN);
    me.post_form_raw(&format!("/appointments/{id}/move"), &[("start", "2026-01-05T10:00:00Z")])
        .await
        .assert_page(StatusCode::FORBIDDEN);
    let stored = app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings");
    assert_eq!((stored.len(), stored[0].status, stored[0].start), (1, BookingStatus::Booked, 1_767_603_600));
}

async fn a_slot_taken_meanwhile_gets_a_plain_message_and_no_booking(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("slow")).await;
    let slots = me.get_page("/appointments/new").await;
    let href = href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z");
    let form = me.get_page(&href).await;
    // Someone else books the same slot while the form is open.
    let fast = patient_token(&app, "fast").await;
    api_book(&app, &fast, &c.id, "2026-01-05T09:00:00Z").await;
    let fields = [
        ("csrf", form.csrf()),
        ("clinician", c.id.clone()),
        ("start", "2026-01-05T09:00:00Z".to_owned()),
        ("reason", "knee".to_owned()),
    ];
    let r = me.send(me.request(Method::POST, "/appointments").form(&fields)).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("just been taken").assert_contains("Book a physio");
    assert!(!slot_hrefs(&r, &c.id, "2026-01-05").iter().any(|h| h.ends_with("2026-01-05T09:00:00Z")));
    assert_eq!(slot_hrefs(&r, &c.id, "2026-01-05").len(), 5, "the other slots are offered again");
    assert!(app.db.bookings_of_patient(&me_id(&app, "slow").await).await.expect("bookings").is_empty());
    // Opening the taken slot's form says so at once.
    me.get(&href).await.assert_page(StatusCode::CONFLICT).assert_contains("just been taken");
}

async fn another_persons_appointment_is_not_found(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let owner = patient_token(&app, "owner").await;
    let id = api_book(&app, &owner, &c.id, "2026-01-05T09:00:00Z").await;
    let nosy = app.signed_up_browser(&email("nosy")).await;
    for path in [
        format!("/appointments/{id}"),
        format!("/appointments/{id}/ics"),
        format!("/appointments/{id}/move"),
        format!("/appointments/{id}/move/confirm?start=2026-01-05T10:00:00Z"),
        "/appointments/0123456789abcdef0123456789abcdef".to_owned(),
        "/appointments/not-an-id".to_owned(),
    ] {
        nosy.get(&path).await.assert_page(StatusCode::NOT_FOUND);
    }
    nosy.post_form(&format!("/appointments/{id}/cancel"), &[]).await.assert_page(StatusCode::NOT_FOUND);
    nosy.post_form(&format!("/appointments/{id}/move"), &[("start", "2026-01-05T10:00:00Z")])
        .await
        .assert_page(StatusCode::NOT_FOUND);
    // The patient's pages are the patient's: the clinician has the schedule.
    signed_in(&app, &c.email).await.get(&format!("/appointments/{id}")).await.assert_page(StatusCode::NOT_FOUND);
    let (clinician_id, booking_id) =
        (UserId::parse(&c.id).expect("id"), kneeroot_store::AssessmentId::parse(&id).expect("id"));
    let b = app.db.booking(&clinician_id, &booking_id).await.expect("read").expect("there");
    assert_eq!(b.status, BookingStatus::Booked);
}

async fn cancelling_follows_the_clinics_notice_rule(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("me")).await;
    let slots = me.get_page("/appointments/new").await;
    // Monday is days ahead: cancelling is allowed.
    let monday = booked_id(
        &book_via_page(&me, &href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z"), "knee").await,
        "booked",
    );
    let r = me.post_form(&format!("/appointments/{monday}/cancel"), &[]).await;
    assert_redirect_to(&r, &format!("/appointments/{monday}?done=cancelled"));
    me.get_page(&format!("/appointments/{monday}?done=cancelled"))
        .await
        .assert_contains("Your appointment is cancelled")
        .assert_lacks("action=\"/appointments/");
    me.get_page("/appointments").await.assert_contains("Past and cancelled").assert_contains("Cancelled");

    // Today at 09:00 is nine hours ahead, under the day's notice: no buttons, a reason and whom to contact.
    let today = booked_id(
        &book_via_page(&me, &href_for(&slots, &c.id, "2026-01-01", "2026-01-01T09:00:00Z"), "knee").await,
        "booked",
    );
    let page = me.get_page(&format!("/appointments/{today}")).await;
    page.assert_contains("up to 24 hours before").assert_contains(&c.email).assert_lacks("Cancel this appointment");
    let r = me.post_form(&format!("/appointments/{today}/cancel"), &[]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("up to 24 hours before");
    let r = me.get(&format!("/appointments/{today}/move")).await;
    r.assert_page(StatusCode::CONFLICT);
    let stored = app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings");
    let still = stored.iter().find(|b| b.id.to_string() == today).expect("the booking");
    assert_eq!(still.status, BookingStatus::Booked);
    // Cancelling twice is a plain message too.
    me.post_form(&format!("/appointments/{monday}/cancel"), &[])
        .await
        .assert_page(StatusCode::CONFLICT)
        .assert_contains("already been cancelled");
}

async fn moving_picks_another_slot_of_the_same_clinician(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let other = clinician(&app, "otherphysio", &weekday_mornings()).await;
    let me = app.signed_up_browser(&email("me")).await;
    let slots = me.get_page("/appointments/new").await;
    assert_eq!(slot_hrefs(&slots, &other.id, "2026-01-05").len(), 6, "both clinicians are offered");
    let id = booked_id(
        &book_via_page(&me, &href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z"), "knee").await,
        "booked",
    );

    let moving = me.get_page(&format!("/appointments/{id}/move")).await;
    moving.assert_contains("Move your appointment").assert_contains("Mon 5 Jan 2026, 09:00 (GMT)");
    assert!(slot_hrefs(&moving, &other.id, "2026-01-05").is_empty(), "only the same clinician");
    let href = slot_hrefs(&moving, &c.id, "2026-01-06").into_iter().next().expect("a Tuesday slot");
    assert_eq!(href, format!("/appointments/{id}/move/confirm?start=2026-01-06T09:00:00Z"));
    let form = me.get_page(&href).await;
    form.assert_contains("Tue 6 Jan 2026, 09:00 (GMT)").assert_contains("Now booked");

    // The new time is taken meanwhile: the old appointment stands and the slots are shown again.
    let fast = patient_token(&app, "fast").await;
    api_book(&app, &fast, &c.id, "2026-01-06T09:00:00Z").await;
    let fields = [("csrf", form.csrf()), ("start", "2026-01-06T09:00:00Z".to_owned())];
    let r = me.send(me.request(Method::POST, &format!("/appointments/{id}/move")).form(&fields)).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("just been taken").assert_contains("Move your appointment");

    let fields = [("csrf", form.csrf()), ("start", "2026-01-06T10:00:00Z".to_owned())];
    let r = me.send(me.request(Method::POST, &format!("/appointments/{id}/move")).form(&fields)).await;
    let moved = booked_id(&r, "moved");
    me.get_page(&format!("/appointments/{moved}?done=moved"))
        .await
        .assert_contains("Your appointment has been moved")
        .assert_contains("Tue 6 Jan 2026, 10:00 (GMT)")
        .assert_contains("knee");
    let stored = app.db.bookings_of_patient(&me_id(&app, "me").await).await.expect("bookings");
    let status = |id: &str| stored.iter().find(|b| b.id.to_string() == id).map(|b| b.status);
    assert_eq!((status(&id), status(&moved)), (Some(BookingStatus::Cancelled), Some(BookingStatus::Booked)));
}

async fn slots_across_the_spring_clock_change_show_local_time(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    // Thursday 26 March 2026: London moves to summer time on Sunday the 29th.
    app.clock.advance(84 * DAY);
    let me = app.signed_up_browser(&email("me")).await;
    let page = me.get_page("/appointments/new").await;
    let friday = slot_hrefs(&page, &c.id, "2026-03-27");
    let monday = slot_hrefs(&page, &c.id, "2026-03-30");
    assert!(friday[0].ends_with("start=2026-03-27T09:00:00Z"), "{friday:?}");
    assert!(monday[0].ends_with("start=2026-03-30T08:00:00Z"), "{monday:?}");
    page.assert_contains("Fri 27 Mar 2026, 09:00 (GMT)").assert_contains("Mon 30 Mar 2026, 09:00 (BST)");
    page.assert_contains(">09:00 (GMT)<").assert_contains(">09:00 (BST)<");
    let id = booked_id(&book_via_page(&me, &monday[0], "knee").await, "booked");
    me.get_page(&format!("/appointments/{id}")).await.assert_contains("Mon 30 Mar 2026, 09:00 (BST)");
}

async fn kneeroot_suggests_booking_where_it_suggests_seeing_a_physio(app: TestApp) {
    let end = app.complete_wizard(&[("flag.night_pain_unrelenting", "yes")]).await;
    assert_eq!(end, "/results");
    app.get_page("/results").await.assert_contains("href=\"/appointments/new\"");
    app.get_page("/plan").await.assert_contains("href=\"/appointments/new\"");
    let me = app.signed_up_browser(&email("nav")).await;
    me.get_page("/account").await.assert_contains("href=\"/appointments\"");
    me.get_page("/appointments")
        .await
        .assert_contains("No appointments booked")
        .assert_contains("href=\"/appointments/new\"");
    me.get_page("/appointments/new").await.assert_contains("No physiotherapist has opened appointments yet");
}

both!(
    without_signing_in_every_page_sends_you_to_sign_in,
    the_slot_page_lists_every_free_slot_of_a_day,
    a_patient_books_with_a_reason_and_gets_a_confirmation_and_a_calendar_file,
    the_reason_is_required_and_limited_and_nothing_is_booked_without_one,
    forms_without_the_csrf_token_are_refused,
    a_slot_taken_meanwhile_gets_a_plain_message_and_no_booking,
    another_persons_appointment_is_not_found,
    cancelling_follows_the_clinics_notice_rule,
    moving_picks_another_slot_of_the_same_clinician,
    slots_across_the_spring_clock_change_show_local_time,
    kneeroot_suggests_booking_where_it_suggests_seeing_a_physio,
    staff_accounts_cannot_book,
);

/// Appointments are for patients: a clinician booking another clinician (by page or API) is refused,
/// nothing is booked, and no care link makes one clinician the other's patient.
async fn staff_accounts_cannot_book(app: TestApp) {
    let c = clinician(&app, "physio", &weekday_mornings()).await;
    let other = clinician(&app, "colleague", &serde_json::Value::Null).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/bookings",
            Some(&other.token),
            Some(&json!({"clinician_id": c.id, "start": "2026-01-05T09:00:00Z", "reason": "a look at my knee"})),
        )
        .await;
    r.assert_api_error(StatusCode::FORBIDDEN, "forbidden");
    let b = signed_in(&app, &other.email).await;
    let slots = b.get_page("/appointments/new").await;
    let href = href_for(&slots, &c.id, "2026-01-05", "2026-01-05T09:00:00Z");
    let r = book_via_page(&b, &href, "a look at my knee").await;
    r.assert_page(StatusCode::FORBIDDEN).assert_contains("Appointments are booked by patients");
    let colleague = me_id(&app, "colleague").await;
    assert!(app.db.bookings_of_patient(&colleague).await.expect("bookings").is_empty());
    let physio = me_id(&app, "physio").await;
    assert!(app.db.patients_of(&physio).await.expect("links").is_empty());
}
