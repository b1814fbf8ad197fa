//! The harness: a real server on a random port over a fresh database, a cookie-keeping client per
//! "browser", and helpers per endpoint.
//!
//! Every test gets its own database: a SQLite file in a temporary directory, or a PostgreSQL database
//! `krweb_<random hex>` created on the server named by `KNEEROOT_TEST_POSTGRES` and dropped (with
//! `FORCE`) when the last [`TestApp`] using it is dropped. A set but unreachable server fails the test.
//!
//! Every response read through these helpers is checked for leaked internals (driver names, panics,
//! SQL), so no test can forget to.

use std::future::pending;
use std::sync::{Arc, OnceLock};

use kneeroot_core::Knowledge;
use kneeroot_core::knowledge::QuestionKind;
use kneeroot_store::{Db, Email, NewUser, Role, User, UserId, UserStore};
use kneeroot_web::clock::TestClock;
use kneeroot_web::{AppState, Config};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value, json};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tempfile::TempDir;

pub use kneeroot_store::Backend;

/// The variable naming a PostgreSQL server to test against as well.
pub const POSTGRES_ENV: &str = "KNEEROOT_TEST_POSTGRES";

/// Where every test's clock starts: 2026-01-01T00:00:00Z.
pub const START: i64 = 1_767_225_600;

/// The session cookie's name.
pub const COOKIE: &str = "kneeroot_session";

/// A password that passes the policy.
pub const PASSWORD: &str = "correct horse battery";

/// Whether PostgreSQL tests should run.
pub fn postgres_configured() -> bool {
    std::env::var(POSTGRES_ENV).is_ok_and(|u| !u.trim().is_empty())
}

/// The knowledge base, parsed once per test binary.
pub fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("the embedded knowledge base is valid"))
}

// ------------------------------------------------------------------------------------------------
// Databases
// ------------------------------------------------------------------------------------------------

/// A fresh database, removed when dropped.
struct Place {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The directory (and the database file in it) goes with the guard.
    Sqlite {
        _dir: TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Place {
    async fn new(backend: Backend) -> Place {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("kneeroot.db").display());
                Place { url, cleanup: Cleanup::Sqlite { _dir: dir } }
            }
            Backend::Postgres => {
                let admin_url = std::env::var(POSTGRES_ENV).expect("KNEEROOT_TEST_POSTGRES is set");
                let name = format!("krweb_{}", UserId::random());
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but PostgreSQL cannot be reached: {e}"));
                sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
                let _ = admin.close().await;
                let url = with_database(&admin_url, &name);
                Place { url, cleanup: Cleanup::Postgres { admin_url, name } }
            }
        }
    }
}

/// The admin URL with its database replaced by `name`, keeping host, user and query.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let url = format!("{}/{name}", &base[..authority_end]);
    match query {
        Some(q) => format!("{url}?{q}"),
        None => url,
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let Cleanup::Postgres { admin_url, name } = &self.cleanup else { return };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop cannot await and runs inside the test's runtime; a thread with its own runtime can.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.map_err(|e| e.to_string())?;
                sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&mut admin)
                    .await
                    .map_err(|e| e.to_string())?;
                admin.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database: {e}"),
            Err(_) => eprintln!("the thread dropping the test database panicked"),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The application
// ------------------------------------------------------------------------------------------------

/// A running kneeroot on 127.0.0.1:<random port>, its database, its clock and a first browser.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The server's clock: move it to test expiry.
    pub clock: TestClock,
    /// The store the server uses (same pool), for checks behind the server's back.
    pub db: Db,
    /// The configuration the server runs with.
    pub config: Config,
    /// Which database it is.
    pub backend: Backend,
    browser: Browser,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _place: Arc<Place>,
}

impl TestApp {
    /// A server with the default configuration on a fresh database.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, Config::default()).await
    }

    /// A server with `config` on a fresh database.
    pub async fn spawn_with(backend: Backend, config: Config) -> TestApp {
        let place = Arc::new(Place::new(backend).await);
        // As `kneeroot serve` opens it: on SQLite with its lock file and read cache.
        let db = Db::connect_for_serving(&place.url).await.unwrap_or_else(|e| panic!("{backend:?} test database: {e}"));
        assert_eq!(db.backend(), backend);
        TestApp::serve(place, db, config, TestClock::at(START), backend).await
    }

    /// A second server on the same database and clock, with another configuration.
    pub async fn another_server(&self, config: Config) -> TestApp {
        TestApp::serve(self._place.clone(), self.db.clone(), config, self.clock.clone(), self.backend).await
    }

    async fn serve(place: Arc<Place>, db: Db, config: Config, clock: TestClock, backend: Backend) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let state = AppState::new(db.clone(), kb().clone(), config.clone()).with_clock(Arc::new(clock.clone()));
        let server = tokio::spawn(kneeroot_web::serve(listener, state, pending()));
        let browser = Browser::new(&base);
        TestApp { base, clock, db, config, backend, browser, server, _place: place }
    }

    /// The database's URL, for checks that read its tables directly.
    pub fn database_url(&self) -> &str {
        &self._place.url
    }

    /// A new browser with its own cookies.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// An account with `role` and [`PASSWORD`] made through the store, as `kneeroot admin add-user` does
    /// (staff come by invitation or from the terminal, never by the sign-up form).
    pub async fn account(&self, address: &str, role: Role) -> User {
        use kneeroot_web::clock::Clock;
        let hash = kneeroot_web::security::hash_password(PASSWORD.to_owned()).await.expect("hash");
        let new =
            NewUser { email: Email::parse(address).expect("email"), password_hash: hash, role, now: self.clock.now() };
        self.db.create_user(&new).await.expect("an account")
    }

    /// A new browser signed in to a new account (its draft is empty).
    pub async fn signed_up_browser(&self, email: &str) -> Browser {
        let b = self.browser();
        b.sign_up(email, PASSWORD).await;
        b
    }
}

impl std::ops::Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

// ------------------------------------------------------------------------------------------------
// Responses
// ------------------------------------------------------------------------------------------------

/// A whole response, read and checked for leaks.
#[derive(Debug)]
pub struct Resp {
    /// What was asked, for messages.
    pub request: String,
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

/// Internals that must never reach a client (case-insensitive).
const LEAKS_ANY_CASE: [&str; 6] = ["sqlx", "panicked", "stack backtrace", "rust_backtrace", "sqlite_", "pgdatabase"];
/// SQL as the database would show it (upper case, so English prose does not match).
const LEAKS_SQL: [&str; 8] =
    ["SELECT ", "INSERT INTO", "DELETE FROM", "UPDATE ", " WHERE ", "CREATE TABLE", "syntax error", "violates"];

impl Resp {
    async fn read(request: String, r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap_or_else(|e| panic!("{request}: reading the body: {e}"));
        let lower = body.to_lowercase();
        for leak in LEAKS_ANY_CASE {
            assert!(!lower.contains(leak), "{request} → {status}: the body leaks {leak:?}:\n{}", snippet(&body));
        }
        for leak in LEAKS_SQL {
            assert!(!body.contains(leak), "{request} → {status}: the body leaks SQL {leak:?}:\n{}", snippet(&body));
        }
        Resp { request, status, headers, body }
    }

    /// A header's value ("" if absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// Every value of a header.
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
    }

    /// The `Location` header.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The session cookie this response sets, if any: the whole `Set-Cookie` line.
    pub fn session_set_cookie(&self) -> Option<String> {
        self.header_all("set-cookie").into_iter().find(|c| c.starts_with(&format!("{COOKIE}=")))
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{}: the body is not JSON ({e}):\n{}", self.request, snippet(&self.body)))
    }

    /// Assert the status.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Resp {
        assert_eq!(self.status, expected, "{}: unexpected status; body:\n{}", self.request, snippet(&self.body));
        self
    }

    /// Assert the body contains `text`.
    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Resp {
        assert!(self.body.contains(text), "{}: the body lacks {text:?}:\n{}", self.request, snippet(&self.body));
        self
    }

    /// Assert the body does not contain `text`.
    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Resp {
        assert!(!self.body.contains(text), "{}: the body contains {text:?}:\n{}", self.request, snippet(&self.body));
        self
    }

    /// Assert an HTML page: the status, the content type, a whole document under 50 KB.
    #[track_caller]
    pub fn assert_page(&self, expected: StatusCode) -> &Resp {
        self.assert_status(expected);
        assert_eq!(self.header("content-type"), "text/html; charset=utf-8", "{}", self.request);
        assert!(self.body.starts_with("<!doctype html>"), "{}: not a whole page", self.request);
        assert!(self.body.contains("<html lang=\"en\">"), "{}: no language", self.request);
        assert!(self.body.len() < 50 * 1024, "{}: the page is {} bytes, over 50 KB", self.request, self.body.len());
        self
    }

    /// Assert a JSON API error: the status, the content type and `{"error": {"code", "message", "field"}}`.
    #[track_caller]
    pub fn assert_api_error(&self, expected: StatusCode, code: &str) -> Value {
        self.assert_status(expected);
        assert!(self.header("content-type").starts_with("application/json"), "{}: not JSON", self.request);
        let v = self.json();
        let e = &v["error"];
        assert_eq!(e["code"], code, "{}: {v}", self.request);
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{}: no message: {v}", self.request);
        assert!(e.get("field").is_some_and(|f| f.is_null() || f.is_string()), "{}: no field: {v}", self.request);
        e.clone()
    }

    /// The CSRF token of the form on this page.
    #[track_caller]
    pub fn csrf(&self) -> String {
        attr_values(&self.body, "csrf")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{}: no CSRF token on the page:\n{}", self.request, snippet(&self.body)))
    }
}

/// Assert a redirect (303 See Other) to exactly `path`.
#[track_caller]
pub fn assert_redirect_to(r: &Resp, path: &str) {
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}: expected a redirect to {path}; body:\n{}",
        r.request,
        snippet(&r.body)
    );
    assert_eq!(r.location(), path, "{}: redirected elsewhere", r.request);
}

/// Assert a redirect to `/assessments/{id}` and return the id.
#[track_caller]
pub fn assert_redirect_to_assessment(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: expected a redirect; body:\n{}", r.request, snippet(&r.body));
    let id = r
        .location()
        .strip_prefix("/assessments/")
        .unwrap_or_else(|| panic!("{}: redirected to {} rather than an assessment", r.request, r.location()));
    assert_eq!(id.len(), 32, "{}: odd assessment id {id}", r.request);
    id.to_owned()
}

fn snippet(body: &str) -> String {
    body.chars().take(3000).collect()
}

/// The values of every `name="NAME" value="…"` in an HTML page, in order.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| unescape(&rest[..end]))
        })
        .collect()
}

/// Text as askama escapes it in HTML (numeric entities).
pub fn escape(s: &str) -> String {
    s.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Undo [`escape`] (and the named entities), e.g. for a link's address.
pub fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

// ------------------------------------------------------------------------------------------------
// Browsers
// ------------------------------------------------------------------------------------------------

/// A client with its own cookie jar and redirects disabled, so each redirect is asserted.
#[derive(Clone)]
pub struct Browser {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    client: reqwest::Client,
    jar: Arc<Jar>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        Browser { base: base.to_owned(), client, jar }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Send a request built from this browser's client.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Resp {
        let built = request.build().expect("a request");
        let url = built.url();
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let label = format!("{} {}{}", built.method(), url.path(), query.chars().take(80).collect::<String>());
        let r = self.client.execute(built).await.unwrap_or_else(|e| panic!("{label}: {e}"));
        Resp::read(label, r).await
    }

    /// The same browser (same cookies) talking to another server, e.g. a second instance.
    pub fn at(&self, base: &str) -> Browser {
        Browser { base: base.to_owned(), client: self.client.clone(), jar: self.jar.clone() }
    }

    /// A request to `path` with this browser's cookies.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.request(Method::GET, path)).await
    }

    /// `GET path`, asserting a 200 HTML page.
    pub async fn get_page(&self, path: &str) -> Resp {
        let r = self.get(path).await;
        r.assert_page(StatusCode::OK);
        r
    }

    /// The session cookie's value, if the jar holds one.
    pub fn session_cookie(&self) -> Option<String> {
        let url: Url = self.base.parse().expect("base URL");
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
            .map(|(_, v)| v.to_owned())
    }

    /// Put a session cookie into the jar (e.g. a stolen or planted one).
    pub fn set_session_cookie(&self, token: &str) {
        let url: Url = self.base.parse().expect("base URL");
        self.jar.add_cookie_str(&format!("{COOKIE}={token}; Path=/"), &url);
    }

    /// The CSRF token of this browser's session (starting one if needed).
    pub async fn csrf(&self) -> String {
        self.get_page("/assess/about").await.csrf()
    }

    /// Post URL-encoded `fields` exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.send(self.request(Method::POST, path).form(fields)).await
    }

    /// Post URL-encoded `fields` with this session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let csrf = self.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Create an account; asserts it worked (a redirect to the account or the saved assessment).
    pub async fn sign_up(&self, email: &str, password: &str) -> Resp {
        self.get_page("/signup").await;
        let r = self.post_form("/signup", &[("email", email), ("password", password)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "signing up {email}: {}", snippet(&r.body));
        assert!(r.location() == "/account" || r.location().starts_with("/assessments/"), "{}", r.location());
        r
    }

    /// Sign in with the login form; returns the response (not asserted).
    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.post_form("/login", &[("email", email), ("password", password)]).await
    }

    /// Sign out with the form; asserts the redirect home.
    pub async fn logout(&self) {
        let r = self.post_form("/logout", &[]).await;
        assert_redirect_to(&r, "/");
    }

    /// Whether this browser is signed in (the account page answers rather than redirecting).
    pub async fn is_signed_in(&self) -> bool {
        let r = self.get("/account").await;
        match r.status {
            StatusCode::OK => true,
            StatusCode::SEE_OTHER => {
                assert_eq!(r.location(), "/login");
                false
            }
            other => panic!("GET /account → {other}"),
        }
    }

    // --- the wizard ---------------------------------------------------------------------------------

    /// Answer the page of `group`: every question shown gets its value from `overrides` (a repeated id
    /// gives several values; an empty value leaves it blank) or else a sensible answer. Returns the
    /// response to the POST.
    pub async fn answer_group(&self, group: &str, overrides: &[(&str, &str)]) -> Resp {
        let page = self.get_page(&format!("/assess/{group}")).await;
        self.answer_page(group, &page, overrides).await
    }

    /// Answer the already fetched `page` of `group`, as [`Browser::answer_group`] does.
    pub async fn answer_page(&self, group: &str, page: &Resp, overrides: &[(&str, &str)]) -> Resp {
        let csrf = page.csrf();
        let shown = attr_values(&page.body, "shown");
        assert!(!shown.is_empty(), "/assess/{group} shows no questions");
        let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf)];
        for id in &shown {
            fields.push(("shown".into(), id.clone()));
            let given: Vec<&str> = overrides.iter().filter(|(k, _)| k == id).map(|(_, v)| *v).collect();
            let values = if given.is_empty() { sensible(id) } else { given.iter().map(|v| (*v).to_owned()).collect() };
            for v in values.into_iter().filter(|v| !v.is_empty()) {
                fields.push((id.clone(), v));
            }
        }
        self.send(self.request(Method::POST, &format!("/assess/{group}")).form(&fields)).await
    }

    /// Go through the whole wizard from the start, answering every page (see [`Browser::answer_group`]),
    /// following the wizard's redirects. Returns where it ends: `/results`, `/assessments/{id}` or
    /// `/assess/stop`.
    pub async fn complete_wizard(&self, overrides: &[(&str, &str)]) -> String {
        self.walk_wizard(overrides).await.0
    }

    /// As [`Browser::complete_wizard`], also returning the parts answered, in order.
    pub async fn walk_wizard(&self, overrides: &[(&str, &str)]) -> (String, Vec<String>) {
        let start = self.get_page("/assess").await;
        let first = &kb().groups()[0].id;
        assert!(start.body.contains(&format!("href=\"/assess/{first}\"")), "the start page links to the first part");
        let mut at = format!("/assess/{first}");
        let mut visited = Vec::new();
        for _ in 0..3 * kb().groups().len() {
            let Some(group) = at.strip_prefix("/assess/").filter(|g| *g != "stop") else { return (at, visited) };
            let page = self.get(&at).await;
            if page.status == StatusCode::SEE_OTHER {
                at = page.location().to_owned();
                continue;
            }
            page.assert_page(StatusCode::OK);
            visited.push(group.to_owned());
            let r = self.answer_page(group, &page, overrides).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "answering {group}: {}", snippet(&r.body));
            at = r.location().to_owned();
        }
        panic!("the wizard did not end; visited {visited:?}")
    }

    // --- the API ------------------------------------------------------------------------------------

    /// `POST /api/v1/assess` with a JSON body.
    pub async fn api_assess(&self, body: &Value) -> Resp {
        self.send(self.request(Method::POST, "/api/v1/assess").json(body)).await
    }

    /// An API request with an optional bearer token and JSON body.
    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Resp {
        let mut rq = self.client.request(method, self.url(path));
        if let Some(t) = token {
            rq = rq.bearer_auth(t);
        }
        if let Some(b) = body {
            rq = rq.json(b);
        }
        self.send(rq).await
    }

    /// `POST /api/v1/session`; returns the response.
    pub async fn api_login(&self, email: &str, password: &str) -> Resp {
        self.api(Method::POST, "/api/v1/session", None, Some(&json!({"email": email, "password": password}))).await
    }

    /// A bearer token for an existing account.
    pub async fn bearer_token(&self, email: &str, password: &str) -> String {
        let r = self.api_login(email, password).await;
        r.assert_status(StatusCode::CREATED);
        let token = r.json()["token"].as_str().expect("a token").to_owned();
        assert_eq!(token.len(), 64);
        token
    }

    /// `POST /api/v1/assessments` with sensible answers; returns the new id.
    pub async fn api_save_assessment(&self, token: &str, answers: &Value) -> String {
        let r = self.api(Method::POST, "/api/v1/assessments", Some(token), Some(answers)).await;
        r.assert_status(StatusCode::CREATED);
        r.json()["id"].as_str().expect("an id").to_owned()
    }
}

// ------------------------------------------------------------------------------------------------
// Answers
// ------------------------------------------------------------------------------------------------

/// Sensible answers for a person with a gradual, moderately painful knee and no red flag, as form values.
/// Questions not listed get a neutral answer by type (see [`sensible`]).
const SENSIBLE: &[(&str, &[&str])] = &[
    ("age", &["35"]),
    ("sex", &["female"]),
    ("side", &["right"]),
    ("activity", &["running", "walking"]),
    ("sitting_hours_per_day", &["6"]),
    ("pain.onset", &["gradual"]),
    ("pain.location", &["front"]),
    ("pain.now", &["4"]),
    ("pain.worst_week", &["6"]),
    ("pain.duration_weeks", &["12"]),
    ("pain.worse_with", &["stairs_down", "squatting"]),
    ("pain.morning_stiffness_minutes", &["5"]),
    ("pain.swelling", &["none"]),
    ("back.pain", &["none"]),
    ("back.leg_symptoms", &["none"]),
    ("squat.done", &["yes"]),
    ("squat.knee_caves_in", &["right"]),
    ("squat.heels_lift", &["yes"]),
    ("squat.leans_forward", &["yes"]),
    ("squat.depth", &["half"]),
    ("squat.pain", &["3"]),
    ("single_leg_squat.knee_caves_in", &["right"]),
    ("single_leg_squat.pelvis_drops", &["right"]),
    ("single_leg_squat.pain", &["3"]),
    ("back_ball.stiffer_side", &["none"]),
    ("ankle.knee_to_wall_left_cm", &["8"]),
    ("ankle.knee_to_wall_right_cm", &["6.5"]),
    ("hip.single_leg_stance_drop", &["right"]),
    ("hip.side_lying_lift_weak", &["right"]),
    ("prefs.minutes_per_day", &["20"]),
    ("prefs.days_per_week", &["3"]),
];

/// The form values of a sensible answer to question `id`: from [`SENSIBLE`], else "no" for yes/no
/// questions, "none" for sides, the middle of a range, the first option.
pub fn sensible(id: &str) -> Vec<String> {
    if let Some((_, v)) = SENSIBLE.iter().find(|(k, _)| *k == id) {
        return v.iter().map(|s| (*s).to_owned()).collect();
    }
    let q = kb().question(id).unwrap_or_else(|| panic!("the page shows an unknown question {id}"));
    let one = match &q.kind {
        QuestionKind::Bool => "no".to_owned(),
        QuestionKind::Side => "none".to_owned(),
        QuestionKind::Int { min, max } => ((min + max) / 2).to_string(),
        QuestionKind::Number { min, max } => format!("{}", ((min + max) / 2.0).round()),
        QuestionKind::Enum | QuestionKind::List => q.options.first().expect("options").value.clone(),
    };
    vec![one]
}

/// The sensible answers (every question outside the injury branch) as an API body.
pub fn sensible_json() -> Value {
    let mut map = Map::new();
    for q in kb().questions() {
        if q.ask_when.is_some() && !SENSIBLE.iter().any(|(k, _)| *k == q.id) {
            continue;
        }
        let values = sensible(&q.id);
        let v = match &q.kind {
            QuestionKind::Bool => Value::Bool(values[0] == "yes"),
            QuestionKind::Int { .. } => json!(values[0].parse::<i64>().expect("an integer")),
            QuestionKind::Number { .. } => json!(values[0].parse::<f64>().expect("a number")),
            QuestionKind::Enum | QuestionKind::Side => Value::String(values[0].clone()),
            QuestionKind::List => Value::Array(values.into_iter().map(Value::String).collect()),
        };
        map.insert(q.id.clone(), v);
    }
    Value::Object(map)
}

/// Answers that raise the cauda equina red flag (an emergency).
pub fn emergency_json() -> Value {
    let mut v = sensible_json();
    v["flag.saddle_numbness_or_bladder_bowel_change"] = Value::Bool(true);
    v
}

/// A unique email for a test (tests share nothing, but readable names help).
pub fn email(who: &str) -> String {
    format!("{who}@example.com")
}
