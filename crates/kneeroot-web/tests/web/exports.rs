//! Standard exports: the FHIR bundle, "download everything" and the CSV tables, over the API (bearer
//! token) and from the account page (browser session); who gets what; and that deleting an account
//! leaves nothing behind, checked in every table of the database.

use kneeroot_store::{Backend, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

use crate::helpers::{Browser, PASSWORD, Resp, TestApp, assert_redirect_to, email, sensible_json};

/// The four files: API path, page path, content type, file name start.
const FILES: [(&str, &str, &str, &str); 4] = [
    ("/api/v1/me/fhir", "/account/fhir.json", "application/fhir+json", "kneeroot-fhir-2026-01-03.json"),
    ("/api/v1/me/export", "/account/export.json", "application/json", "kneeroot-export-2026-01-03.json"),
    ("/api/v1/me/checkins.csv", "/account/checkins.csv", "text/csv; charset=utf-8", "kneeroot-checkins-2026-01-03.csv"),
    ("/api/v1/me/scores.csv", "/account/scores.csv", "text/csv; charset=utf-8", "kneeroot-scores-2026-01-03.csv"),
];

const DAY: i64 = 86_400;

/// A signed-up patient with an assessment, a session's check-in, the next morning's report and a pain
/// questionnaire, over two days from now; the clock ends two days on (2026-01-03 for the first person of
/// a test). Returns the browser and a bearer token.
async fn patient_with_records(app: &TestApp, who: &str) -> (Browser, String) {
    let b = app.signed_up_browser(&email(who)).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    app.api_save_assessment(&token, &sensible_json()).await;
    let plan = app.api(Method::GET, "/api/v1/plan", Some(&token), None).await.json();
    let ex = plan["plan"]["steps"][0]["exercises"][0]["id"].as_str().expect("an exercise").to_owned();
    let body =
        json!({"exercises": [{"exercise_id": ex, "done": true, "sets_done": 2, "reps_done": 10, "pain_during": 3}]});
    app.api(Method::POST, "/api/v1/checkins", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
    app.clock.advance(DAY);
    let body = json!({"morning": {"pain": 2, "usual": 2}});
    app.api(Method::POST, "/api/v1/checkins", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
    let body = json!({"instrument": "nprs", "answers": {"rating": 4}, "week": 0});
    app.api(Method::POST, "/api/v1/outcomes", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
    app.clock.advance(DAY);
    (b, token)
}

#[track_caller]
fn assert_download(r: &Resp, content_type: &str, filename: &str) {
    r.assert_status(StatusCode::OK);
    assert_eq!(r.header("content-type"), content_type, "{}", r.request);
    assert_eq!(r.header("content-disposition"), format!("attachment; filename=\"{filename}\""), "{}", r.request);
    assert_eq!(r.header("cache-control"), "no-store", "{}", r.request);
}

fn user_id(r: &Resp) -> String {
    r.json()["account"]["id"].as_str().expect("an account id").to_owned()
}

async fn every_file_is_served_to_its_owner_over_the_api_and_from_the_account_page(app: TestApp) {
    let (b, token) = patient_with_records(&app, "owner").await;
    for (api, page, content_type, filename) in FILES {
        let from_api = app.api(Method::GET, api, Some(&token), None).await;
        assert_download(&from_api, content_type, filename);
        let from_page = b.get(page).await;
        assert_download(&from_page, content_type, filename);
        assert_eq!(from_api.body, from_page.body, "{api} and {page} give the same file");
    }
    let fhir = app.api(Method::GET, "/api/v1/me/fhir", Some(&token), None).await.json();
    assert_eq!((fhir["resourceType"].as_str(), fhir["type"].as_str()), (Some("Bundle"), Some("collection")));
    let kinds: Vec<&str> = fhir["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["resource"]["resourceType"].as_str())
        .collect();
    for kind in ["Patient", "QuestionnaireResponse", "CarePlan", "Observation"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    // Two questionnaire responses (the assessment and the NPRS); two pain observations (NPRS, morning).
    assert_eq!(kinds.iter().filter(|k| **k == "QuestionnaireResponse").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "Observation").count(), 2);
    let everything = app.api(Method::GET, "/api/v1/me/export", Some(&token), None).await;
    let doc = everything.json();
    assert_eq!((doc["format"].as_str(), doc["version"].as_i64()), (Some("kneeroot-export"), Some(1)));
    assert_eq!(doc["account"]["email"], email("owner"));
    for (key, n) in
        [("assessments", 1), ("checkins", 1), ("mornings", 1), ("outcomes", 1), ("plan_changes", 0), ("bookings", 0)]
    {
        assert_eq!(doc[key].as_array().map(Vec::len), Some(n), "{key}: {doc}");
    }
    assert_eq!(doc["fhir"], fhir);
    let checkins = app.api(Method::GET, "/api/v1/me/checkins.csv", Some(&token), None).await;
    let lines: Vec<&str> = checkins.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{}", checkins.body);
    assert!(lines[0].starts_with("day,record,exercise_id,exercise,done,sets,reps,pain_during,quality_ok"));
    assert!(lines[1].starts_with("2026-01-01,exercise,") && lines[1].contains(",true,2,10,3,true,"), "{}", lines[1]);
    assert_eq!(lines[2], "2026-01-02,morning,,,,,,,,2,2,same,");
    let scores = app.api(Method::GET, "/api/v1/me/scores.csv", Some(&token), None).await;
    assert_eq!(
        scores.body,
        "taken_at,instrument,version,week,score,value\r\n2026-01-02T00:00:00Z,nprs,nprs-0-10,0,rating,4\r\n"
    );
    // The account page links to all four, next to deleting the account.
    let page = b.get_page("/account").await;
    for (_, path, _, _) in FILES {
        page.assert_contains(&format!("href=\"{path}\""));
    }
    page.assert_contains("Your data").assert_contains("Delete your account");
}

async fn a_new_account_exports_empty_files_not_errors(app: TestApp) {
    let b = app.signed_up_browser(&email("fresh")).await;
    let token = app.bearer_token(&email("fresh"), PASSWORD).await;
    let fhir = app.api(Method::GET, "/api/v1/me/fhir", Some(&token), None).await.json();
    assert_eq!(fhir["entry"].as_array().map(Vec::len), Some(1), "only the patient: {fhir}");
    b.get("/account/scores.csv").await.assert_status(StatusCode::OK);
    let doc = b.get("/account/export.json").await.json();
    assert_eq!(doc["assessments"], json!([]));
}

async fn without_a_session_the_api_says_401_and_pages_ask_to_sign_in(app: TestApp) {
    let stranger = app.browser();
    for (api, page, _, _) in FILES {
        app.api(Method::GET, api, None, None).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        app.api(Method::GET, api, Some(&"0".repeat(64)), None)
            .await
            .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_redirect_to(&stranger.get(page).await, "/login");
    }
    // A browser session is not a bearer token, and a bearer token is not a browser session.
    let b = app.signed_up_browser(&email("both")).await;
    let token = app.bearer_token(&email("both"), PASSWORD).await;
    let cookie = b.session_cookie().expect("a session cookie");
    app.api(Method::GET, "/api/v1/me/export", Some(&cookie), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let r = stranger.send(stranger.request(Method::GET, "/account/export.json").bearer_auth(&token)).await;
    assert_redirect_to(&r, "/login");
}

async fn a_person_gets_only_their_own_data(app: TestApp) {
    let (a_browser, a_token) = patient_with_records(&app, "alice").await;
    let (b_browser, b_token) = patient_with_records(&app, "bob").await;
    let a_id = user_id(&app.api(Method::GET, "/api/v1/me/export", Some(&a_token), None).await);
    let b_id = user_id(&app.api(Method::GET, "/api/v1/me/export", Some(&b_token), None).await);
    let a_assessments = app.api(Method::GET, "/api/v1/assessments", Some(&a_token), None).await.json();
    let a_assessment = a_assessments[0]["id"].as_str().expect("an id").to_owned();
    assert_ne!(a_id, b_id);
    for (api, page, _, _) in FILES {
        for r in [app.api(Method::GET, api, Some(&b_token), None).await, b_browser.get(page).await] {
            r.assert_status(StatusCode::OK);
            for secret in [a_id.as_str(), a_assessment.as_str(), email("alice").as_str()] {
                r.assert_lacks(secret);
            }
        }
        for r in [app.api(Method::GET, api, Some(&a_token), None).await, a_browser.get(page).await] {
            r.assert_status(StatusCode::OK).assert_lacks(&b_id).assert_lacks(&email("bob"));
        }
    }
    app.api(Method::GET, "/api/v1/me/export", Some(&a_token), None).await.assert_contains(&a_assessment);
}

/// A clinician with bookable hours (weekdays 09:00–12:00 London); returns their bearer token.
async fn clinician(app: &TestApp, who: &str) -> String {
    app.account(&email(who), Role::Clinician).await;
    let token = app.bearer_token(&email(who), PASSWORD).await;
    let windows: Vec<Value> = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| json!({"weekday": d, "start": "09:00", "end": "12:00"}))
        .collect();
    let body = json!({"availability": {"time_zone": "Europe/London", "windows": windows, "slot_minutes": 30}, "notice_minutes": 60, "cancel_notice_minutes": 0});
    app.api(Method::PUT, "/api/v1/availability", Some(&token), Some(&body)).await.assert_status(StatusCode::OK);
    token
}

/// Every (table, column) of the database, from its own catalogue: tables added later are covered too.
async fn columns(app: &TestApp) -> Vec<(String, String)> {
    let sql_sqlite = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2";
    let sql_pg = "SELECT table_name::text, column_name::text FROM information_schema.columns \
                  WHERE table_schema = current_schema() ORDER BY 1, 2";
    let rows: Vec<(String, String)> = match app.backend {
        Backend::Sqlite => {
            let mut c = SqliteConnection::connect(app.database_url()).await.expect("open SQLite");
            sqlx::query_as(sql_sqlite).fetch_all(&mut c).await.expect("the catalogue")
        }
        Backend::Postgres => {
            let mut c = PgConnection::connect(app.database_url()).await.expect("open PostgreSQL");
            sqlx::query_as(sql_pg).fetch_all(&mut c).await.expect("the catalogue")
        }
    };
    assert!(rows.iter().any(|(t, _)| t == "checkins") && rows.len() > 30, "{rows:?}");
    rows
}

/// Every (table, column) holding `needle` anywhere in a row.
async fn holding(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let pattern = format!("%{needle}%");
    for (table, column) in columns(app).await {
        let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1");
        let n: i64 = match app.backend {
            Backend::Sqlite => {
                let mut c = SqliteConnection::connect(app.database_url()).await.expect("open SQLite");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&pattern).fetch_one(&mut c).await.expect("count").get("n")
            }
            Backend::Postgres => {
                let mut c = PgConnection::connect(app.database_url()).await.expect("open PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&pattern).fetch_one(&mut c).await.expect("count").get("n")
            }
        };
        if n > 0 {
            found.push(format!("{table}.{column} ({n} rows)"));
        }
    }
    found
}

async fn deleting_the_account_leaves_no_row_anywhere_and_nothing_to_export(app: TestApp) {
    let (b, token) = patient_with_records(&app, "leaver").await;
    let physio = clinician(&app, "physio").await;
    // A booking (which also links the clinician), reminders on, and a failed sign-in on the account.
    let slots = app.api(Method::GET, "/api/v1/slots?days=7", Some(&token), None).await.json();
    let slot = &slots[0];
    let body = json!({"clinician_id": slot["clinician_id"], "start": slot["start"], "reason": "stairs hurt"});
    app.api(Method::POST, "/api/v1/bookings", Some(&token), Some(&body)).await.assert_status(StatusCode::CREATED);
    b.post_form("/account/reminders", &[("reminders", "on")]).await.assert_status(StatusCode::SEE_OTHER);
    app.browser().login(&email("leaver"), "not the password").await.assert_status(StatusCode::UNAUTHORIZED);
    let doc = app.api(Method::GET, "/api/v1/me/export", Some(&token), None).await.json();
    let id = doc["account"]["id"].as_str().expect("an id").to_owned();
    assert_eq!(doc["bookings"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["account"]["reminders"], true);
    let fhir = &doc["fhir"]["entry"];
    assert!(fhir.as_array().is_some_and(|e| e.iter().any(|e| e["resource"]["resourceType"] == "Appointment")));
    assert!(!holding(&app, &id).await.is_empty(), "the scan finds the person before deletion");

    // The account page says what deleting means, and then it is done.
    b.get_page("/account").await.assert_contains("everything kneeroot holds about you");
    let r = b.post_form("/account/delete", &[("password", PASSWORD), ("confirm", "yes")]).await;
    r.assert_page(StatusCode::OK).assert_contains("Your account has been deleted");

    for (api, page, _, _) in FILES {
        app.api(Method::GET, api, Some(&token), None).await.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert_redirect_to(&b.get(page).await, "/login");
    }
    assert_eq!(holding(&app, &id).await, Vec::<String>::new(), "rows still naming the deleted account's id");
    assert_eq!(holding(&app, &email("leaver")).await, Vec::<String>::new(), "rows still naming its email");
    // The clinician's account and calendar are theirs and stay (without the deleted booking).
    let calendar = app.api(Method::GET, "/api/v1/slots?days=7", Some(&physio), None).await.json();
    assert!(
        calendar.as_array().is_some_and(|s| s.iter().any(|s| s["start"] == slot["start"])),
        "the slot is free again"
    );
}

both!(
    every_file_is_served_to_its_owner_over_the_api_and_from_the_account_page,
    a_new_account_exports_empty_files_not_errors,
    without_a_session_the_api_says_401_and_pages_ask_to_sign_in,
    a_person_gets_only_their_own_data,
    deleting_the_account_leaves_no_row_anywhere_and_nothing_to_export,
);
