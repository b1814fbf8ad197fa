//! The access-control matrix: every route of the application, asked by each kind of caller, answers as
//! the table says, and nothing of one patient reaches anyone but them and their linked clinician.
//!
//! ## Design
//! - **One table.** [`matrix`] has a row per (method, route), the route spelt as the router declares it,
//!   with the request to send (a path over patient A's ids, a body) and the expected [`Outcome`] for each
//!   [`Actor`]: nobody, patient A, patient B, A's clinician L (linked by A's booking), the other clinician
//!   U (linked to B only, by B's booking) and an administrator. Reading down a column is one role's whole
//!   view of the site; a surprising cell carries a comment saying why it is so.
//! - **Authorization, not validation.** Pages are asked with the caller's browser (cookie) and state-changing
//!   forms carry the caller's own CSRF token; the API is asked with the caller's bearer token. Bodies pass
//!   access control but change nothing: an invalid field, or A's booking, which has already started by the
//!   time the matrix runs and so can be neither cancelled nor moved. `Invalid` therefore proves the caller
//!   got past every check. Requests that end the caller's session run in a fresh session (`fresh`).
//! - **No leak, both ways.** Every answer to anyone but A and L (body and `Location`) is searched for A's
//!   email, user id, assessment id, booking id and booking reason; rows say where A and L must find them,
//!   so a matrix that saw nothing would fail too. A `NotFound` for A's record must be the very answer given
//!   for an id that does not exist, so probing tells nobody who uses kneeroot.
//! - **Complete by construction.** [`every_route_has_a_row`] reads the `.route(…)` calls from the source
//!   and fails, naming this file, when a (method, route) has no row or a row names a route that is gone.
//!   All failures of the matrix are collected and reported together, one line per cell.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kneeroot_store::{Role, UserId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::admin::{invite, member};
use crate::appointments::{clinician, me_id, signed_in, weekday_mornings};
use crate::helpers::{Browser, PASSWORD, Resp, TestApp, assert_redirect_to_assessment, attr_values, email};

both!(every_route_answers_each_caller_as_the_matrix_says);

// ------------------------------------------------------------------------------------------------
// Callers, outcomes, rows
// ------------------------------------------------------------------------------------------------

/// Who asks. The order is the order of a row's expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    /// Nobody signed in (a browser with an anonymous session; no bearer token).
    Anonymous,
    /// The patient whose ids the paths use.
    PatientA,
    /// Another patient, with records of the same kinds.
    PatientB,
    /// A's clinician: linked to A by A's booking.
    Linked,
    /// B's clinician: not linked to A.
    Unlinked,
    /// The clinic's administrator: runs the clinic, sees no health records.
    Admin,
}

const ACTORS: [Actor; 6] =
    [Actor::Anonymous, Actor::PatientA, Actor::PatientB, Actor::Linked, Actor::Unlinked, Actor::Admin];

/// What a caller gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The route's success: 200, 201 or 204.
    Ok,
    /// 303 to this address, the caller's own page; an address ending in `/` means anywhere under it.
    To(&'static str),
    /// 303 to `/login`: a page, nobody signed in.
    Login,
    /// 401 `unauthorized` with `WWW-Authenticate: Bearer`: the API without a valid token.
    Unauthorized,
    /// 401 from the login form: that email and password match no account.
    WrongPassword,
    /// 403: signed in, but the route is for another role (or the invitation for another person).
    Forbidden,
    /// 404: not theirs, not linked, or not there; the same answer as for an id that does not exist.
    NotFound,
    /// 400, 409 or 422 to the deliberately harmless body: the caller passed access control.
    Invalid,
}

use Outcome::{Forbidden, Invalid, Login, NotFound, Ok, To, Unauthorized, WrongPassword};

/// What of patient A's may be looked for in an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Datum {
    Email,
    UserId,
    Assessment,
    Booking,
    Reason,
}

const ALL_OF_A: [Datum; 5] = [Datum::Email, Datum::UserId, Datum::Assessment, Datum::Booking, Datum::Reason];

/// A request body.
#[derive(Clone, Copy, Debug)]
enum Body {
    None,
    /// URL-encoded fields (the caller's CSRF token is added).
    Form(&'static [(&'static str, &'static str)]),
    /// JSON text.
    Json(&'static str),
}

/// One (method, route) of the application and what each actor gets from it.
#[derive(Debug)]
struct Row {
    method: Method,
    /// The route as the router declares it (`/clinic/patients/{id}`).
    route: &'static str,
    /// What is asked: the route with placeholders (see [`Ids::fill`]) and perhaps a query.
    path: &'static str,
    body: Body,
    /// The request ends the caller's session: ask it in a freshly signed-in browser or with a new token.
    fresh: bool,
    /// In the order of [`ACTORS`].
    expect: [Outcome; 6],
    /// Where A's data must be found, for whom.
    shows: Vec<(Actor, &'static [Datum])>,
}

fn request(method: Method, route: &'static str, expect: [Outcome; 6]) -> Row {
    Row { method, route, path: route, body: Body::None, fresh: false, expect, shows: Vec::new() }
}

fn get(route: &'static str, expect: [Outcome; 6]) -> Row {
    request(Method::GET, route, expect)
}

fn post(route: &'static str, expect: [Outcome; 6]) -> Row {
    request(Method::POST, route, expect)
}

impl Row {
    /// Ask this path rather than the route itself.
    fn at(mut self, path: &'static str) -> Row {
        self.path = path;
        self
    }

    fn form(mut self, fields: &'static [(&'static str, &'static str)]) -> Row {
        self.body = Body::Form(fields);
        self
    }

    fn json(mut self, text: &'static str) -> Row {
        self.body = Body::Json(text);
        self
    }

    fn fresh(mut self) -> Row {
        self.fresh = true;
        self
    }

    fn shows(mut self, actor: Actor, data: &'static [Datum]) -> Row {
        self.shows.push((actor, data));
        self
    }

    fn is_api(&self) -> bool {
        self.route.starts_with("/api/")
    }
}

/// Everyone gets the route's success.
const EVERYONE: [Outcome; 6] = [Ok; 6];
/// A page for anyone signed in, about their own record.
const SIGNED_IN: [Outcome; 6] = [Login, Ok, Ok, Ok, Ok, Ok];
/// An API route for any token holder, about their own record.
const TOKEN: [Outcome; 6] = [Unauthorized, Ok, Ok, Ok, Ok, Ok];
/// A clinician's own page (their schedule, hours, invitations).
const CLINICIANS: [Outcome; 6] = [Login, Forbidden, Forbidden, Ok, Ok, Forbidden];
/// A clinician's page about patient A: only A's clinician; not linked is 404.
const A_FOR_HER_CLINICIAN: [Outcome; 6] = [Login, Forbidden, Forbidden, Ok, NotFound, Forbidden];
/// A patient's page about A's own record: A only (clinicians read A through `/clinic`).
const A_ONLY: [Outcome; 6] = [Login, Ok, NotFound, NotFound, NotFound, NotFound];
/// A's appointment that has started, which no one may change any more: A gets the refusal.
const A_TOO_LATE: [Outcome; 6] = [Login, Invalid, NotFound, NotFound, NotFound, NotFound];

/// Every route of the application. Rows follow the order of the routers' declarations.
fn matrix() -> Vec<Row> {
    use Actor::{Linked, PatientA};
    const FORM_ANYONE_INVALID: [Outcome; 6] = [Login, Invalid, Invalid, Invalid, Invalid, Invalid];
    const API_ANYONE_INVALID: [Outcome; 6] = [Unauthorized, Invalid, Invalid, Invalid, Invalid, Invalid];
    vec![
        // --- pages anyone may use ----------------------------------------------------------------------
        get("/", EVERYONE),
        get("/faq", EVERYONE),
        get("/assess", EVERYONE),
        post("/assess/reset", [To("/assess/"); 6]),
        // --- the camera squat screen: anyone's own session, like the wizard ----------------------------------
        get("/assess/camera", EVERYONE),
        get("/assess/camera/{view}", EVERYONE).at("/assess/camera/front"),
        post("/assess/camera/{view}", [Invalid; 6]).at("/assess/camera/front").form(&[("landmarks", "not json")]),
        // Nothing filmed yet: back to the camera's start.
        get("/assess/camera/review", [To("/assess/camera"); 6]),
        post("/assess/camera/review", [To("/assess/camera"); 6]),
        // No red flag in anyone's answers: back to the start.
        get("/assess/stop", [To("/assess"); 6]),
        get("/assess/{group}", EVERYONE).at("/assess/about"),
        post("/assess/{group}", [Invalid; 6]).at("/assess/about").form(&[("shown", "age"), ("age", "not a number")]),
        // Nothing in progress: a patient sees their latest result, anyone else starts one.
        get(
            "/results",
            [To("/assess"), To("/assessments/"), To("/assessments/"), To("/assess"), To("/assess"), To("/assess")],
        )
        .shows(PatientA, &[Datum::Assessment]),
        // --- a person's own record (pages) ------------------------------------------------------------------
        get("/assessments", [Login, To("/account"), To("/account"), To("/account"), To("/account"), To("/account")]),
        // Nothing in progress to save.
        post("/assessments", FORM_ANYONE_INVALID),
        // Clinicians read their patients' assessments through `/clinic/patients/{id}`, not here.
        get("/assessments/{id}", A_ONLY).at("/assessments/{A.assessment}").shows(PatientA, &[Datum::Assessment]),
        // Only someone with an assessment can repeat its self-tests; staff have none (404).
        post("/reassess", [Login, To("/assess/squat"), To("/assess/squat"), NotFound, NotFound, NotFound]).fresh(),
        get("/plan", A_ONLY).at("/plan?assessment={A.assessment}").shows(PatientA, &[Datum::Assessment]),
        get("/questionnaires", SIGNED_IN),
        get("/questionnaires/{instrument}", SIGNED_IN).at("/questionnaires/nprs"),
        post("/questionnaires/{instrument}", FORM_ANYONE_INVALID).at("/questionnaires/nprs"),
        // Staff have no plan to check in against: sent to the (empty) plan page.
        get("/checkin", [Login, Ok, Ok, To("/plan"), To("/plan"), To("/plan")]),
        post("/checkin", [Login, Invalid, Invalid, To("/plan"), To("/plan"), To("/plan")])
            .form(&[("day", "2020-01-01")]),
        get("/progress", [Login, Ok, Ok, To("/plan"), To("/plan"), To("/plan")]),
        // --- accounts ------------------------------------------------------------------------------------
        get("/signup", [Ok, To("/account"), To("/account"), To("/account"), To("/account"), To("/account")]),
        post("/signup", [Invalid; 6]).form(&[("email", "not an email"), ("password", "x")]),
        get("/login", [Ok, To("/account"), To("/account"), To("/account"), To("/account"), To("/account")]),
        // Each signs in as themselves (nobody has no account) and lands on their role's home.
        post("/login", [WrongPassword, To("/account"), To("/account"), To("/clinic"), To("/clinic"), To("/admin")])
            .form(&[("email", "{me.email}"), ("password", "{password}")])
            .fresh(),
        post("/logout", [To("/"); 6]).fresh(),
        get("/account", SIGNED_IN).shows(PatientA, &[Datum::Email, Datum::Assessment]),
        // A new password that fails the policy: refused before the current one is checked.
        post("/account/password", FORM_ANYONE_INVALID).form(&[("current", "wrong"), ("new", "short")]),
        // Off is how reminders start, so this changes nothing.
        post(
            "/account/reminders",
            [Login, To("/account"), To("/account"), To("/account"), To("/account"), To("/account")],
        )
        .form(&[("reminders", "off")]),
        // Not confirmed: nothing is deleted.
        post("/account/delete", FORM_ANYONE_INVALID).form(&[("password", "{password}")]),
        // --- administration ------------------------------------------------------------------------------
        get("/admin", [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        post("/admin/invitations", [Login, Forbidden, Forbidden, Forbidden, Forbidden, Invalid])
            .form(&[("email", "not an email"), ("role", "patient")]),
        // The administrator's own pending invitation: only they may withdraw it (and they come last).
        post("/admin/invitations/withdraw", [Login, Forbidden, Forbidden, Forbidden, Forbidden, To("/admin")])
            .form(&[("invitation", "{Admin.invitation}")]),
        // --- invitations ---------------------------------------------------------------------------------
        get("/clinic/invitations", CLINICIANS),
        post("/clinic/invitations", [Login, Forbidden, Forbidden, Invalid, Invalid, Forbidden])
            .form(&[("email", "not an email")]),
        // U's own pending invitation: L may not withdraw it (409, as for one that does not exist); U may.
        post(
            "/clinic/invitations/withdraw",
            [Login, Forbidden, Forbidden, Invalid, To("/clinic/invitations"), Forbidden],
        )
        .form(&[("invitation", "{U.invitation}")]),
        // An invitation link is a capability: whoever holds it may read it (signed in as someone else, the
        // page says so and offers to sign out).
        get("/invite/{token}", EVERYONE).at("/invite/{token}"),
        // Nobody: the two passwords differ (422); anyone signed in: no new account while signed in (409).
        post("/invite/{token}", [Invalid; 6])
            .at("/invite/{token}")
            .form(&[("password", "{password}"), ("confirm", "other")]),
        // It is for someone else, so no signed-in caller may accept it.
        post("/invite/{token}/accept", [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden])
            .at("/invite/{token}/accept"),
        post("/invite/{token}/sign-out", [To("/invite/"); 6]).at("/invite/{token}/sign-out").fresh(),
        // --- appointments (a patient's pages; staff may look, but a valid booking by staff is 403: appointments.rs)
        // Past appointments are listed by link (the id), without their reason.
        get("/appointments", SIGNED_IN).shows(PatientA, &[Datum::Booking]),
        post("/appointments", FORM_ANYONE_INVALID).form(&[("clinician", "{L}"), ("start", "soon"), ("reason", "knee")]),
        get("/appointments/new", SIGNED_IN),
        get("/appointments/confirm", SIGNED_IN).at("/appointments/confirm?clinician={L}&start=2026-01-02T09:00:00Z"),
        // The appointment page is the patient's; the clinician's view of it is the schedule (and the file).
        get("/appointments/{id}", A_ONLY).at("/appointments/{A.booking}").shows(PatientA, &[Datum::Reason]),
        get("/appointments/{id}/ics", [Login, Ok, NotFound, Ok, NotFound, NotFound])
            .at("/appointments/{A.booking}/ics")
            .shows(PatientA, &[Datum::Reason])
            .shows(Linked, &[Datum::Reason]),
        post("/appointments/{id}/cancel", A_TOO_LATE).at("/appointments/{A.booking}/cancel"),
        get("/appointments/{id}/move", A_TOO_LATE).at("/appointments/{A.booking}/move"),
        post("/appointments/{id}/move", A_TOO_LATE)
            .at("/appointments/{A.booking}/move")
            .form(&[("start", "2026-01-02T09:00:00Z")]),
        get("/appointments/{id}/move/confirm", A_TOO_LATE)
            .at("/appointments/{A.booking}/move/confirm?start=2026-01-02T09:00:00Z"),
        // --- the clinician's schedule --------------------------------------------------------------------
        get("/clinic/schedule", CLINICIANS).shows(Linked, &[Datum::Email]),
        get("/clinic/schedule/week", CLINICIANS).shows(Linked, &[Datum::Email]),
        // L's appointment with A has started: refused (409); U is not its clinician (404).
        post("/clinic/schedule/{id}/cancel", [Login, Forbidden, Forbidden, Invalid, NotFound, Forbidden])
            .at("/clinic/schedule/{A.booking}/cancel"),
        get("/clinic/availability", CLINICIANS),
        post("/clinic/availability", [Login, Forbidden, Forbidden, Invalid, Invalid, Forbidden])
            .form(&[("time_zone", "Nowhere/Special"), ("slot_minutes", "0")]),
        // --- downloads of one's own record ---------------------------------------------------------------
        get("/account/fhir.json", SIGNED_IN),
        get("/account/export.json", SIGNED_IN).shows(PatientA, &ALL_OF_A),
        get("/account/checkins.csv", SIGNED_IN),
        get("/account/scores.csv", SIGNED_IN),
        // --- the clinician's view of patients ------------------------------------------------------------
        get("/clinic", CLINICIANS).shows(Linked, &[Datum::Email]),
        get("/clinic/patients/{id}", A_FOR_HER_CLINICIAN).at("/clinic/patients/{A}").shows(Linked, &[Datum::Email]),
        get("/clinic/patients/{id}/plan", A_FOR_HER_CLINICIAN)
            .at("/clinic/patients/{A}/plan")
            .shows(Linked, &[Datum::Email]),
        // An edit naming no exercise of the plan: refused, nothing changed.
        post("/clinic/patients/{id}/plan", [Login, Forbidden, Forbidden, Invalid, NotFound, Forbidden])
            .at("/clinic/patients/{A}/plan")
            .form(&[("exercise_id", "no_such_exercise"), ("sets", "2"), ("reason", "matrix")]),
        get("/clinic/patients/{id}/fhir.json", A_FOR_HER_CLINICIAN)
            .at("/clinic/patients/{A}/fhir.json")
            .shows(Linked, &[Datum::Email]),
        // Who looked at my record: everyone has one, if only an empty one.
        get("/account/access", SIGNED_IN),
        // --- health, assets ------------------------------------------------------------------------------
        get("/healthz", EVERYONE),
        get("/readyz", EVERYONE),
        get("/assets/{*path}", EVERYONE).at("/assets/style.css"),
        // The pose model is not installed on the matrix's server (tests/web/camera.rs serves it).
        get("/assets/pose/{file}", [NotFound; 6]).at("/assets/pose/pose.js"),
        get("/robots.txt", EVERYONE),
        // --- the API ---------------------------------------------------------------------------------------
        get("/api/openapi.json", EVERYONE),
        get("/api/docs", EVERYONE),
        // Assessing without saving needs no account.
        post("/api/v1/assess", EVERYONE).json("{}"),
        // Analysing a filmed squat stores nothing either; a series without frames is refused (422).
        post("/api/v1/squat/analyse", [Invalid; 6])
            .json(r#"{"view": "front", "fps": 30, "width": 720, "height": 1280, "frames": []}"#),
        post("/api/v1/session", [Unauthorized, Ok, Ok, Ok, Ok, Ok])
            .json(r#"{"email": "{me.email}", "password": "{password}"}"#),
        request(Method::DELETE, "/api/v1/session", TOKEN).fresh(),
        post("/api/v1/assessments", API_ANYONE_INVALID).json(r#"{"age": "old"}"#),
        get("/api/v1/assessments", TOKEN).shows(PatientA, &[Datum::Assessment]),
        get("/api/v1/assessments/{id}", [Unauthorized, Ok, NotFound, NotFound, NotFound, NotFound])
            .at("/api/v1/assessments/{A.assessment}")
            .shows(PatientA, &[Datum::Assessment]),
        // Staff have no assessment, so no plan.
        get("/api/v1/plan", [Unauthorized, Ok, Ok, NotFound, NotFound, NotFound]).shows(PatientA, &[Datum::Assessment]),
        post("/api/v1/outcomes", API_ANYONE_INVALID).json(r#"{"instrument": "no such questionnaire"}"#),
        get("/api/v1/outcomes", TOKEN),
        get("/api/v1/slots", TOKEN),
        post("/api/v1/bookings", API_ANYONE_INVALID).json(r#"{"clinician_id": "{L}", "start": "soon"}"#),
        get("/api/v1/bookings", TOKEN).shows(PatientA, &[Datum::Booking, Datum::Reason]),
        get("/api/v1/bookings/{id}", [Unauthorized, Ok, NotFound, Ok, NotFound, NotFound])
            .at("/api/v1/bookings/{A.booking}")
            .shows(PatientA, &[Datum::Booking, Datum::Reason])
            .shows(Linked, &[Datum::UserId, Datum::Booking, Datum::Reason]),
        // Started: too late to cancel (409) for its patient and its clinician alike.
        request(
            Method::DELETE,
            "/api/v1/bookings/{id}",
            [Unauthorized, Invalid, NotFound, Invalid, NotFound, NotFound],
        )
        .at("/api/v1/bookings/{A.booking}"),
        get("/api/v1/bookings/{id}/ics", [Unauthorized, Ok, NotFound, Ok, NotFound, NotFound])
            .at("/api/v1/bookings/{A.booking}/ics")
            .shows(PatientA, &[Datum::Reason])
            .shows(Linked, &[Datum::Reason]),
        request(Method::PUT, "/api/v1/availability", [Unauthorized, Forbidden, Forbidden, Invalid, Invalid, Forbidden])
            .json(r#"{"availability": {}}"#),
        post("/api/v1/checkins", API_ANYONE_INVALID).json(r#"{"day": "someday"}"#),
        get("/api/v1/checkins", TOKEN),
        get("/api/v1/me/fhir", TOKEN),
        get("/api/v1/me/export", TOKEN).shows(PatientA, &ALL_OF_A),
        get("/api/v1/me/checkins.csv", TOKEN),
        get("/api/v1/me/scores.csv", TOKEN),
        get("/api/v1/patients/{id}/fhir", [Unauthorized, Forbidden, Forbidden, Ok, NotFound, Forbidden])
            .at("/api/v1/patients/{A}/fhir")
            .shows(Linked, &[Datum::Email]),
    ]
}

// ------------------------------------------------------------------------------------------------
// The people and their records
// ------------------------------------------------------------------------------------------------

/// A's booking reason: distinctive, and plain enough to appear verbatim in HTML, JSON and `.ics`.
const A_REASON: &str = "knee clicks q7zx";

/// Someone who asks: their browser (signed in, unless anonymous), bearer token and email.
struct Caller {
    actor: Actor,
    email: Option<String>,
    browser: Browser,
    token: Option<String>,
}

/// A patient's ids.
struct Patient {
    id: UserId,
    assessment: String,
    booking: String,
}

/// The values the placeholders of paths and bodies stand for.
struct Ids {
    values: Vec<(&'static str, String)>,
}

impl Ids {
    /// `text` with every `{placeholder}` replaced; `{me.email}` is the caller's (or an unknown) address.
    fn fill(&self, text: &str, me: Option<&str>) -> String {
        let mut out = text.replace("{me.email}", me.unwrap_or("nobody@example.com"));
        for (name, value) in &self.values {
            out = out.replace(name, value);
        }
        let left = out
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .find(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '.'));
        assert!(left.is_none(), "an unknown placeholder in {text}");
        out
    }

    /// The same ids with A's replaced by ids of the same shape that belong to nobody.
    fn unknown(&self) -> Ids {
        let hex32 = || UserId::random().to_string();
        let values = self
            .values
            .iter()
            .map(|(name, value)| {
                let other = match *name {
                    "{A}" | "{A.assessment}" | "{A.booking}" => hex32(),
                    "{token}" => format!("{}{}", hex32(), hex32()),
                    _ => value.clone(),
                };
                (*name, other)
            })
            .collect();
        Ids { values }
    }
}

/// Everything the matrix runs against.
struct World {
    callers: Vec<Caller>,
    ids: Ids,
    /// A's data as it must not appear elsewhere, by kind.
    secrets: Vec<(Datum, String)>,
}

/// A patient with one record of each kind: an assessment saved from the wizard when signing up, a
/// session's check-in, a questionnaire and a booking with `clinician` at 09:00 on the first day (which
/// links the two) giving `reason` and the assessment.
async fn patient(app: &TestApp, actor: Actor, who: &str, clinician: &str, reason: &str) -> (Caller, Patient) {
    let b = app.browser();
    b.complete_wizard(&[]).await;
    let assessment = assert_redirect_to_assessment(&b.sign_up(&email(who), PASSWORD).await);
    let token = b.bearer_token(&email(who), PASSWORD).await;
    let plan = b.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let exercise = plan["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("an exercise").to_owned();
    let checkin = json!({"exercises": [{"exercise_id": exercise, "done": true, "sets_done": 2, "reps_done": 10, "pain_during": 3}]});
    b.api(Method::POST, "/api/v1/checkins", Some(&token), Some(&checkin)).await.assert_status(StatusCode::CREATED);
    let score = json!({"instrument": "nprs", "answers": {"rating": 4}, "week": 0});
    b.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&score)).await.assert_status(StatusCode::CREATED);
    let booking = json!({"clinician_id": clinician, "start": "2026-01-01T09:00:00Z", "reason": reason, "assessment_id": assessment});
    let r = b.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&booking)).await;
    r.assert_status(StatusCode::CREATED);
    let booking = r.json()["id"].as_str().expect("a booking id").to_owned();
    let id = me_id(app, who).await;
    let caller = Caller { actor, email: Some(email(who)), browser: b, token: Some(token) };
    (caller, Patient { id, assessment, booking })
}

/// The hash of the first pending invitation listed on `path` (the withdraw form's hidden field).
async fn first_invitation_hash(b: &Browser, path: &str) -> String {
    let page = b.get_page(path).await;
    attr_values(&page.body, "invitation").into_iter().next().unwrap_or_else(|| panic!("no invitation on {path}"))
}

async fn world(app: &TestApp) -> World {
    let lin = clinician(app, "lin", &weekday_mornings()).await;
    let uma = clinician(app, "uma", &weekday_mornings()).await;
    let (ada, a) = patient(app, Actor::PatientA, "ada", &lin.id, A_REASON).await;
    let (bea, _) = patient(app, Actor::PatientB, "bea", &uma.id, "sore after running").await;
    let lin_browser = signed_in(app, &lin.email).await;
    let uma_browser = signed_in(app, &uma.email).await;
    let (_, admin_browser) = member(app, "root", Role::Admin).await;
    let admin_token = app.bearer_token(&email("root"), PASSWORD).await;

    let (_, token) = invite(&lin_browser, "/clinic/invitations", &[("email", "newcomer@example.com")]).await;
    invite(&uma_browser, "/clinic/invitations", &[("email", "uma-guest@example.com")]).await;
    let uma_invitation = first_invitation_hash(&uma_browser, "/clinic/invitations").await;
    invite(&admin_browser, "/admin/invitations", &[("email", "new-physio@example.com"), ("role", "clinician")]).await;
    let admin_invitation = first_invitation_hash(&admin_browser, "/admin").await;

    let anonymous = app.browser();
    anonymous.csrf().await;
    // Both appointments (09:00–09:30) have started: nobody can cancel or move them any more, so asking to
    // changes nothing.
    app.clock.advance(10 * 3600);

    let callers = vec![
        Caller { actor: Actor::Anonymous, email: None, browser: anonymous, token: None },
        ada,
        bea,
        Caller { actor: Actor::Linked, email: Some(lin.email.clone()), browser: lin_browser, token: Some(lin.token) },
        Caller { actor: Actor::Unlinked, email: Some(uma.email.clone()), browser: uma_browser, token: Some(uma.token) },
        Caller { actor: Actor::Admin, email: Some(email("root")), browser: admin_browser, token: Some(admin_token) },
    ];
    assert!(callers.iter().map(|c| c.actor).eq(ACTORS), "callers in the order of ACTORS");
    let ids = Ids {
        values: vec![
            ("{A.assessment}", a.assessment.clone()),
            ("{A.booking}", a.booking.clone()),
            ("{A}", a.id.to_string()),
            ("{L}", lin.id.clone()),
            ("{token}", token),
            ("{U.invitation}", uma_invitation),
            ("{Admin.invitation}", admin_invitation),
            ("{password}", PASSWORD.to_owned()),
        ],
    };
    let secrets = vec![
        (Datum::Email, email("ada")),
        (Datum::UserId, a.id.to_string()),
        (Datum::Assessment, a.assessment),
        (Datum::Booking, a.booking),
        (Datum::Reason, A_REASON.to_owned()),
    ];
    World { callers, ids, secrets }
}

// ------------------------------------------------------------------------------------------------
// Asking and checking
// ------------------------------------------------------------------------------------------------

/// Ask `row` as `caller`, with `ids` standing for the placeholders.
async fn ask(app: &TestApp, caller: &Caller, row: &Row, ids: &Ids) -> Resp {
    let me = caller.email.as_deref();
    let path = ids.fill(row.path, me);
    if row.is_api() {
        let token = match (&caller.email, row.fresh) {
            (Some(address), true) => Some(app.bearer_token(address, PASSWORD).await),
            _ => caller.token.clone(),
        };
        let body = match row.body {
            Body::Json(text) => Some(serde_json::from_str::<Value>(&ids.fill(text, me)).expect("the row's JSON")),
            Body::None => None,
            Body::Form(_) => panic!("{} {}: the API takes JSON", row.method, row.route),
        };
        return caller.browser.api(row.method.clone(), &path, token.as_deref(), body.as_ref()).await;
    }
    let browser = match (&caller.email, row.fresh) {
        (Some(address), true) => signed_in(app, address).await,
        (None, true) => app.browser(),
        (_, false) => caller.browser.clone(),
    };
    if row.method == Method::GET {
        return browser.get(&path).await;
    }
    let mut fields = vec![("csrf".to_owned(), browser.csrf().await)];
    match row.body {
        Body::Form(given) => fields.extend(given.iter().map(|(k, v)| ((*k).to_owned(), ids.fill(v, me)))),
        Body::None => {}
        Body::Json(_) => panic!("{} {}: pages take forms", row.method, row.route),
    }
    browser.send(browser.request(row.method.clone(), &path).form(&fields)).await
}

/// Whether `r` is `expected`; if not, what it was.
fn differs(r: &Resp, expected: Outcome) -> Option<String> {
    let status = r.status.as_u16();
    let location = r.location();
    let fits = match expected {
        Ok => matches!(status, 200 | 201 | 204),
        To(to) => {
            status == 303
                && if to.ends_with('/') { location.starts_with(to) } else { location.split('?').next() == Some(to) }
        }
        Login => status == 303 && location == "/login",
        Unauthorized => {
            status == 401 && r.header("www-authenticate") == "Bearer" && r.body.contains("\"unauthorized\"")
        }
        WrongPassword => status == 401 && r.header("content-type").starts_with("text/html"),
        Forbidden => status == 403,
        NotFound => status == 404,
        Invalid => matches!(status, 400 | 409 | 422),
    };
    (!fits).then(|| {
        let to = if location.is_empty() { String::new() } else { format!(" → {location}") };
        format!("{status}{to}")
    })
}

/// The problems with one answer: the outcome, a leak of A's data, A's data missing where it belongs.
fn problems(world: &World, row: &Row, actor: Actor, expected: Outcome, r: &Resp) -> Vec<String> {
    let mut out = Vec::new();
    if r.status.is_server_error() {
        out.push(format!("a server error {}: {:.200}", r.status, r.body));
    } else if let Some(got) = differs(r, expected) {
        out.push(format!("expected {expected:?}, got {got}: {:.160}", r.body.replace('\n', " ")));
    }
    if !matches!(actor, Actor::PatientA | Actor::Linked) {
        for (datum, value) in &world.secrets {
            if r.body.contains(value.as_str()) || r.location().contains(value.as_str()) {
                out.push(format!("leaks A's {datum:?} ({value})"));
            }
        }
    }
    for (_, data) in row.shows.iter().filter(|(who, _)| *who == actor) {
        for datum in *data {
            let (_, value) = world.secrets.iter().find(|(d, _)| d == datum).expect("every datum has a value");
            if !r.body.contains(value.as_str()) && !r.location().contains(value.as_str()) {
                out.push(format!("does not show A's {datum:?} ({value})"));
            }
        }
    }
    out
}

async fn every_route_answers_each_caller_as_the_matrix_says(app: TestApp) {
    let world = world(&app).await;
    let unknown = world.ids.unknown();
    let mut failures = String::new();
    let mut asked = 0;
    for row in matrix() {
        for (caller, expected) in world.callers.iter().zip(row.expect) {
            let r = ask(&app, caller, &row, &world.ids).await;
            asked += 1;
            let mut found = problems(&world, &row, caller.actor, expected, &r);
            // "Not yours" must read exactly like "not there".
            if expected == NotFound && r.status == StatusCode::NOT_FOUND && row.path.contains("{A") {
                let none = ask(&app, caller, &row, &unknown).await;
                if (none.status, &none.body) != (r.status, &r.body) {
                    found.push(format!(
                        "differs from the answer for an unknown id ({}): {:.160}",
                        none.status, none.body
                    ));
                }
            }
            for problem in found {
                let _ = writeln!(failures, "{} {} as {:?}: {problem}", row.method, row.path, caller.actor);
            }
        }
    }
    assert!(asked > 400, "the matrix asked only {asked} questions");
    assert!(failures.is_empty(), "the access matrix does not hold:\n{failures}");
}

// ------------------------------------------------------------------------------------------------
// Completeness: every declared route has a row
// ------------------------------------------------------------------------------------------------

/// Every `.rs` file under `dir`, except test modules (their routers are not the application's).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if path.is_dir() {
            if name != "tests" {
                out.extend(rust_files(&path));
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
    out
}

/// The end (exclusive) of the string literal whose opening quote is at `start`.
fn string_end(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < text.len() && text[i] != b'"' {
        i += if text[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// The HTTP methods a `.route` call's handler expression (`get(a).post(b)`, `axum::routing::put(c)`)
/// serves: the names called at its top level.
fn methods(handler: &str) -> Vec<String> {
    let bytes = handler.as_bytes();
    let (mut depth, mut i, mut out) = (0usize, 0usize, Vec::new());
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'(' => {
                if depth == 0 {
                    let name: String = handler[..i]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    match name.as_str() {
                        "get" | "post" | "put" | "delete" | "patch" => out.push(name.to_uppercase()),
                        other => panic!("cannot tell the method of `{other}(…)` in a route's handler `{handler}`"),
                    }
                }
                depth += 1;
            }
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The name of the function whose body holds byte `at` of `text` (the last `fn NAME` before it).
fn enclosing_fn(text: &str, at: usize) -> Option<&str> {
    let start = text[..at].rfind("fn ")? + 3;
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// Every (METHOD, path) declared by `.route("PATH", …)` in the crate's source, with `/api` before the
/// API's paths: those in `src/api`, and those of a `fn api` router that `src/api/mod.rs` merges.
fn declared_routes() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
    let lib = read(&src.join("lib.rs"));
    assert!(
        lib.contains(".nest(\"/api\", api::routes())"),
        "src/lib.rs no longer nests the API at /api: update declared_routes in {}",
        file!()
    );
    let api_mod = read(&src.join("api/mod.rs"));
    let mut out = BTreeSet::new();
    for file in rust_files(&src) {
        let text = read(&file);
        let relative = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        let bytes = text.as_bytes();
        for (at, _) in text.match_indices(".route(") {
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..at].trim_start().starts_with("//") {
                continue;
            }
            let open = at + ".route(".len();
            let quote = open + text[open..].find('"').expect("a route's path");
            assert!(text[open..quote].trim().is_empty(), "{relative}: a route whose path is not a literal");
            let end = string_end(bytes, quote);
            let path = &text[quote + 1..end - 1];
            // The handler: from the comma after the path to the call's closing parenthesis.
            let (mut depth, mut i) = (0usize, end);
            while !(depth == 0 && bytes[i] == b')') {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i);
                        continue;
                    }
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            let handler = text[end..i].trim().trim_start_matches(',').trim();
            let in_api_dir = relative.starts_with("api/");
            let api_router = enclosing_fn(&text, at) == Some("api");
            if api_router && !in_api_dir {
                let module =
                    format!("crate::{}", relative.trim_end_matches(".rs").trim_end_matches("/mod").replace('/', "::"));
                assert!(
                    api_mod.contains(&format!("{module}::api()")),
                    "{relative}: `fn api` declares {path} but src/api/mod.rs does not merge {module}::api(); \
                     update declared_routes in {}",
                    file!()
                );
            }
            let full = if in_api_dir || api_router { format!("/api{path}") } else { path.to_owned() };
            for method in methods(handler) {
                out.insert((method, full.clone()));
            }
        }
    }
    out
}

/// Whether `path` (placeholders and query allowed) asks for `route`.
fn path_fits_route(path: &str, route: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (mut ps, mut rs) = (path.split('/'), route.split('/'));
    loop {
        match (ps.next(), rs.next()) {
            (None, None) => return true,
            (Some(_), Some(r)) if r.starts_with("{*") => return true,
            (Some(p), Some(r)) if p == r || (r.starts_with('{') && !p.is_empty()) => {}
            _ => return false,
        }
    }
}

#[test]
fn every_route_has_a_row() {
    let declared = declared_routes();
    assert!(declared.len() > 80, "only {} routes found in the source: is the parser still right?", declared.len());
    let rows = matrix();
    let mut in_matrix = BTreeSet::new();
    for row in &rows {
        assert!(
            in_matrix.insert((row.method.to_string(), row.route.to_owned())),
            "two rows for {} {}",
            row.method,
            row.route
        );
        assert!(path_fits_route(row.path, row.route), "the row for {} asks {}, another route", row.route, row.path);
    }
    let missing: Vec<String> = declared.difference(&in_matrix).map(|(m, p)| format!("{m} {p}")).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the access matrix: {missing:?}. Add a row for each to `matrix()` in \
         crates/kneeroot-web/tests/web/access_matrix.rs, saying what each kind of caller gets."
    );
    let stale: Vec<String> = in_matrix.difference(&declared).map(|(m, p)| format!("{m} {p}")).collect();
    assert!(stale.is_empty(), "rows of the access matrix for routes that are not declared (any more): {stale:?}");
}
