//! Durability of acknowledged writes: the real `kneeroot serve` binary is killed with SIGKILL, again and
//! again, in the middle of a stream of writes, and afterwards every write it acknowledged is still there.
//!
//! What is proven, per backend (SQLite always; PostgreSQL when `KNEEROOT_TEST_POSTGRES` holds a server URL,
//! on a fresh database of its own; a set but unreachable server fails the test):
//!
//! * Over [`ROUNDS`] rounds on the same database, the server is started and concurrent clients stream writes
//!   through the API: `POST /api/v1/assessments` (new rows), `POST /api/v1/checkins` (upserts of one row
//!   per exercise) and `POST /api/v1/bookings` (a booking and a care link in one transaction). After a
//!   random 50–300 ms (a fixed seed, so a failure replays the same way) the process is killed with SIGKILL
//!   while requests are in flight: no graceful shutdown, no checkpoint.
//! * A final start then finds **every acknowledged write** (a `201` whose whole body arrived): every
//!   assessment in `GET /api/v1/assessments`; every booking in `GET /api/v1/bookings`, at its slot and
//!   still booked; every check-in at **its last acknowledged value or a later one that was sent** (each
//!   exercise has one sequential writer whose values only grow, so an older value means a lost
//!   acknowledged write, and a value never sent means corruption). Writes that were in flight may or may
//!   not be there: they were never acknowledged. Nothing is there that was never sent.
//! * On SQLite, `PRAGMA integrity_check` is `ok` afterwards (through `Db::integrity_check`).
//!
//! On SQLite this exercises WAL recovery (`journal_mode = WAL`, `synchronous = FULL`) after process
//! crashes. SIGKILL of the application cannot lose what the OS already holds, so this does not prove
//! survival of power loss (which is what `FULL` adds over `NORMAL`); it proves that kneeroot answers `201`
//! only after the commit, and that a crash at any moment leaves a sound database that the next start opens.
//! On PostgreSQL the database server keeps running, so the test proves commit-before-acknowledgement and
//! that killed instances leave nothing half-written.
//!
//! Any HTTP answer other than the expected `201` (the transport errors caused by the kill aside) fails the
//! test. The rounds are short: each takes well under a second with the debug binary.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kneeroot_store::{Db, UserId};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// How many times the server is killed mid-stream.
const ROUNDS: usize = 25;
/// Concurrent clients creating assessments (besides one check-in writer per exercise and one booking writer).
const ASSESSMENT_WRITERS: usize = 3;
/// At most this many exercises get a check-in writer each.
const MAX_CHECKIN_WRITERS: usize = 3;
/// Kill the server this long after the writers start, drawn uniformly (inclusive), in milliseconds.
const KILL_AFTER_MS: (u64, u64) = (50, 300);
/// The fixed seed of the kill delays.
const SEED: u64 = 0x6b6e_6565_726f_6f74;
/// Check-in values are encoded in `sets_done` (0–20), `reps_done` (0–100) and `pain_during` (0–10).
const CHECKIN_VALUES: u64 = 21 * 101 * 11;
/// The clinician is open all day, every day, in slots this long: 60 days hold thousands of free slots.
const SLOT_MINUTES: u32 = 10;

const POSTGRES_ENV: &str = "KNEEROOT_TEST_POSTGRES";
const PASSWORD: &str = "durability-test-password";
/// The patient whose assessments stream in.
const ASSESSOR: &str = "assessor@durability.example";
/// The patient with a plan, who checks in and books.
const PATIENT: &str = "patient@durability.example";
/// The physiotherapist who is booked.
const CLINICIAN: &str = "physio@durability.example";

/// The answers of every assessment: small, valid, and with a plan.
fn answers() -> Value {
    json!({"age": 40, "squat.done": true, "squat.knee_caves_in": "left"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_write_through_repeated_sigkills() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data_dir = dir.path().join("data");
    let target = Target { data_dir: data_dir.clone(), database_url: None, logs: dir.path().join("server.log") };

    let summary = crash_and_verify(&target).await;

    let url = format!("sqlite://{}", data_dir.join("kneeroot.db").display());
    let db = Db::connect(&url).await.expect("open the database after the last kill");
    db.integrity_check().await.expect("PRAGMA integrity_check is ok after the kills");
    db.close().await;
    eprintln!("sqlite: {summary}; PRAGMA integrity_check ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_write_through_repeated_sigkills() {
    let Some(admin_url) = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty()) else {
        eprintln!("{POSTGRES_ENV} is not set: PostgreSQL is not tested");
        return;
    };
    let database = PgDatabase::create(&admin_url).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let target = Target {
        data_dir: dir.path().join("data"),
        database_url: Some(database.url.clone()),
        logs: dir.path().join("server.log"),
    };

    let summary = crash_and_verify(&target).await;
    eprintln!("postgres: {summary}");
    drop(database);
}

#[test]
fn check_in_values_round_trip_through_the_report_fields() {
    for n in [0, 1, 10, 11, 1110, 1111, 12_345, CHECKIN_VALUES - 1] {
        let body = checkin_body("2026-01-01", "x", n);
        let e = &body["exercises"][0];
        assert!(e["sets_done"].as_u64().is_some_and(|v| v <= 20), "{e}");
        assert!(e["reps_done"].as_u64().is_some_and(|v| v <= 100), "{e}");
        assert!(e["pain_during"].as_u64().is_some_and(|v| v <= 10), "{e}");
        assert_eq!(decode_checkin(e), Some(n));
    }
}

// ---------------------------------------------------------------------------------------------------------
// The scenario.

/// Where the server keeps its data.
struct Target {
    data_dir: PathBuf,
    /// `None`: SQLite in `data_dir`.
    database_url: Option<String>,
    /// Every run's standard error, appended.
    logs: PathBuf,
}

impl Target {
    fn database_args(&self) -> Vec<String> {
        match &self.database_url {
            Some(url) => vec!["--database-url".into(), url.clone()],
            None => vec!["--data-dir".into(), self.data_dir.display().to_string()],
        }
    }

    fn serve_args(&self) -> Vec<String> {
        let mut args = vec!["serve".into(), "--data-dir".into(), self.data_dir.display().to_string()];
        if let Some(url) = &self.database_url {
            args.extend(["--database-url".into(), url.clone()]);
        }
        args.extend(["--bind".into(), "127.0.0.1:0".into()]);
        args
    }
}

/// What the streams have written so far, carried from round to round.
struct Ledger {
    /// The server's today, the day of every check-in.
    day: String,
    /// The assessment that gives the patient a plan (written during setup).
    plan_id: String,
    /// Every assessment id acknowledged with a `201`.
    assessments: Vec<String>,
    /// One entry per exercise with a check-in stream.
    checkins: BTreeMap<String, CheckinLedger>,
    checkins_acked: usize,
    bookings: BookingLedger,
    /// Requests cut off by the kills.
    in_flight: usize,
}

/// One exercise's check-in stream across rounds.
#[derive(Debug, Clone, Copy)]
struct CheckinLedger {
    /// The next value to send (values are never reused, so a stored value can only grow).
    next: u64,
    /// The last value a `201` acknowledged.
    acked: u64,
}

/// The booking stream: free slots of one clinician, each tried once, in order.
struct BookingLedger {
    clinician_id: String,
    slots: Vec<String>,
    /// The first slot never sent (a slot that was in flight may be booked, so it is not tried again).
    next: usize,
    /// Every booking id acknowledged with a `201`, with its slot.
    acked: Vec<(String, String)>,
}

/// What one round got acknowledged, for the test's output.
struct RoundOutcome {
    assessments: usize,
    checkins: usize,
    bookings: usize,
    in_flight: usize,
}

/// What the final start found, for the test's output.
struct Summary {
    rounds: usize,
    assessments_acked: usize,
    assessments_found: usize,
    checkins_acked: usize,
    bookings_acked: usize,
    bookings_found: usize,
    in_flight: usize,
    elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} SIGKILL rounds in {:.1?}: {} assessments, {} check-ins and {} bookings acknowledged, {} requests \
             in flight at the kills; every acknowledged write present ({} assessments and {} bookings stored, \
             {} and {} of them unacknowledged)",
            self.rounds,
            self.elapsed,
            self.assessments_acked,
            self.checkins_acked,
            self.bookings_acked,
            self.in_flight,
            self.assessments_found,
            self.bookings_found,
            self.assessments_found - self.assessments_acked,
            self.bookings_found - self.bookings_acked,
        )
    }
}

/// Set up the accounts, run the kill rounds, then start once more and check every acknowledged write.
async fn crash_and_verify(target: &Target) -> Summary {
    let started = Instant::now();
    let mut ledger = set_up(target).await;
    let mut rng = SplitMix64(SEED);
    for round in 1..=ROUNDS {
        let kill_after = Duration::from_millis(rng.between(KILL_AFTER_MS.0, KILL_AFTER_MS.1));
        let r = crash_round(target, &mut ledger, kill_after).await;
        eprintln!(
            "round {round:2}: killed after {kill_after:?}: {} assessments, {} check-ins and {} bookings acknowledged, \
             {} requests in flight",
            r.assessments, r.checkins, r.bookings, r.in_flight
        );
    }
    assert!(
        !ledger.assessments.is_empty() && ledger.checkins_acked > 0 && !ledger.bookings.acked.is_empty(),
        "the rounds acknowledged writes of every kind"
    );
    assert!(ledger.in_flight > 0, "some kill happened with requests in flight, or the test proves little");
    let (assessments_found, bookings_found) = verify(target, &ledger).await;
    Summary {
        rounds: ROUNDS,
        assessments_acked: ledger.assessments.len(),
        assessments_found,
        checkins_acked: ledger.checkins_acked,
        bookings_acked: ledger.bookings.acked.len(),
        bookings_found,
        in_flight: ledger.in_flight,
        elapsed: started.elapsed(),
    }
}

/// Accounts from the CLI; then, through the API, the patient's plan (its exercises and the server's today
/// come from it), a first check-in per exercise, and the clinician's availability with its free slots.
async fn set_up(target: &Target) -> Ledger {
    add_user(target, ASSESSOR, "patient");
    add_user(target, PATIENT, "patient");
    add_user(target, CLINICIAN, "clinician");

    let server = Server::start(target).await;
    let client = http_client();
    let token = sign_in(&client, &server.base, PATIENT).await;
    let plan_id = post(&client, &server.base, "api/v1/assessments", &token, &answers()).await["id"]
        .as_str()
        .expect("the assessment has an id")
        .to_owned();
    let plan = get(&client, &server.base, "api/v1/plan", &token).await;
    let exercises: Vec<String> = plan["plan"]["steps"][0]["exercises"]
        .as_array()
        .expect("the plan has a first step")
        .iter()
        .take(MAX_CHECKIN_WRITERS)
        .map(|e| e["id"].as_str().expect("an exercise id").to_owned())
        .collect();
    assert!(!exercises.is_empty(), "the plan's first step has exercises: {plan}");
    let day = get(&client, &server.base, "api/v1/checkins", &token).await["to"]
        .as_str()
        .expect("the check-in list names today")
        .to_owned();
    let mut checkins = BTreeMap::new();
    for exercise in exercises {
        post(&client, &server.base, "api/v1/checkins", &token, &checkin_body(&day, &exercise, 0)).await;
        checkins.insert(exercise, CheckinLedger { next: 1, acked: 0 });
    }

    let physio = sign_in(&client, &server.base, CLINICIAN).await;
    let every_day: Vec<Value> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .map(|d| json!({"weekday": d, "start": "00:00", "end": "24:00"}))
        .collect();
    let availability = json!({
        "availability": {"time_zone": "UTC", "windows": every_day, "slot_minutes": SLOT_MINUTES},
        "notice_minutes": 0,
        "cancel_notice_minutes": 0,
    });
    let r = client
        .put(format!("{}api/v1/availability", server.base))
        .bearer_auth(&physio)
        .json(&availability)
        .send()
        .await
        .expect("PUT /api/v1/availability");
    assert_eq!(r.status(), reqwest::StatusCode::OK, "PUT /api/v1/availability: {}", r.text().await.unwrap_or_default());
    let clinician_id = r.json::<Value>().await.expect("JSON")["clinician_id"].as_str().expect("an id").to_owned();
    let listed = get(&client, &server.base, &format!("api/v1/slots?clinician_id={clinician_id}&days=60"), &token).await;
    // Skip the first day of slots, so none falls into the past while the test runs.
    let slots: Vec<String> = listed
        .as_array()
        .expect("a list of slots")
        .iter()
        .skip(24 * 60 / SLOT_MINUTES as usize)
        .map(|s| s["start"].as_str().expect("a start").to_owned())
        .collect();
    assert!(slots.len() > 1000, "enough free slots for every round: {}", slots.len());
    server.kill();

    Ledger {
        day,
        plan_id,
        assessments: Vec::new(),
        checkins,
        checkins_acked: 0,
        bookings: BookingLedger { clinician_id, slots, next: 0, acked: Vec::new() },
        in_flight: 0,
    }
}

/// Start the server, stream writes from several tasks, SIGKILL it after `kill_after`, and add what was
/// acknowledged to the ledger.
async fn crash_round(target: &Target, ledger: &mut Ledger, kill_after: Duration) -> RoundOutcome {
    let server = Server::start(target).await;
    let client = http_client();
    let assessor = sign_in(&client, &server.base, ASSESSOR).await;
    let patient = sign_in(&client, &server.base, PATIENT).await;
    let base = server.base.clone();

    // Assessments: new rows, from several writers at once.
    let mut assessment_writers = Vec::new();
    for _ in 0..ASSESSMENT_WRITERS {
        let (client, base, token) = (client.clone(), base.clone(), assessor.clone());
        assessment_writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            loop {
                match try_post(&client, &base, "api/v1/assessments", &token, &answers()).await {
                    Ok(body) => acked.push(body["id"].as_str().expect("a 201 names the assessment").to_owned()),
                    Err(in_flight) => return (acked, in_flight),
                }
            }
        }));
    }
    // Check-ins: upserts of one row per exercise, each from one writer with growing values.
    let mut checkin_writers = Vec::new();
    for (exercise, c) in &ledger.checkins {
        let (client, base, token) = (client.clone(), base.clone(), patient.clone());
        let (exercise, day, first) = (exercise.clone(), ledger.day.clone(), c.next);
        checkin_writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for n in first..CHECKIN_VALUES {
                // The value counts as sent from here on: the server may store it even if the reply is lost.
                let body = checkin_body(&day, &exercise, n);
                if let Err(in_flight) = try_post(&client, &base, "api/v1/checkins", &token, &body).await {
                    return (exercise, n + 1, acked, in_flight);
                }
                acked.push(n);
            }
            panic!("the check-in values of {exercise} ran out; lower ROUNDS or widen the encoding")
        }));
    }
    // Bookings: a transaction of two rows (the booking and the care link), one free slot after another.
    let booking_writer = {
        let (client, token) = (client.clone(), patient.clone());
        let b = &ledger.bookings;
        let (clinician_id, slots) = (b.clinician_id.clone(), b.slots[b.next..].to_vec());
        let first = b.next;
        tokio::spawn(async move {
            let mut acked = Vec::new();
            for (i, start) in slots.into_iter().enumerate() {
                let body = json!({"clinician_id": clinician_id, "start": start, "reason": "durability test"});
                match try_post(&client, &base, "api/v1/bookings", &token, &body).await {
                    Ok(booked) => {
                        assert_eq!(booked["start"], start.as_str(), "the booking is for the slot asked for");
                        acked.push((booked["id"].as_str().expect("a 201 names the booking").to_owned(), start));
                    }
                    Err(in_flight) => return (first + i + 1, acked, in_flight),
                }
            }
            panic!("the free slots ran out; lower ROUNDS or shorten SLOT_MINUTES")
        })
    };

    tokio::time::sleep(kill_after).await;
    server.kill();

    let mut outcome = RoundOutcome { assessments: 0, checkins: 0, bookings: 0, in_flight: 0 };
    for writer in assessment_writers {
        let (acked, in_flight) = writer.await.expect("an assessment writer");
        outcome.assessments += acked.len();
        outcome.in_flight += usize::from(in_flight);
        ledger.assessments.extend(acked);
    }
    for writer in checkin_writers {
        let (exercise, next, acked, in_flight) = writer.await.expect("a check-in writer");
        outcome.checkins += acked.len();
        outcome.in_flight += usize::from(in_flight);
        let c = ledger.checkins.get_mut(&exercise).expect("a ledger entry");
        c.next = next;
        if let Some(&last) = acked.last() {
            c.acked = last;
        }
    }
    let (next, acked, in_flight) = booking_writer.await.expect("the booking writer");
    outcome.bookings = acked.len();
    outcome.in_flight += usize::from(in_flight);
    ledger.bookings.next = next;
    ledger.bookings.acked.extend(acked);

    ledger.checkins_acked += outcome.checkins;
    ledger.in_flight += outcome.in_flight;
    outcome
}

/// Start once more and find every acknowledged write; returns how many assessments and bookings are stored.
async fn verify(target: &Target, ledger: &Ledger) -> (usize, usize) {
    let server = Server::start(target).await;
    let client = http_client();

    let token = sign_in(&client, &server.base, ASSESSOR).await;
    let listed = get(&client, &server.base, "api/v1/assessments", &token).await;
    let stored: HashSet<&str> =
        listed.as_array().expect("a list").iter().map(|a| a["id"].as_str().expect("an id")).collect();
    let lost: Vec<&String> = ledger.assessments.iter().filter(|id| !stored.contains(id.as_str())).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged assessments are gone after the kills, among them {:?}",
        lost.len(),
        ledger.assessments.len(),
        &lost[..lost.len().min(5)]
    );
    let unique: HashSet<&String> = ledger.assessments.iter().collect();
    assert_eq!(unique.len(), ledger.assessments.len(), "every acknowledged assessment has its own id");
    let assessments_found = stored.len();

    let token = sign_in(&client, &server.base, PATIENT).await;
    let plan = get(&client, &server.base, "api/v1/assessments", &token).await;
    assert!(
        plan.as_array().expect("a list").iter().any(|a| a["id"] == ledger.plan_id.as_str()),
        "the patient's assessment survived"
    );

    let day = &ledger.day;
    let listed = get(&client, &server.base, &format!("api/v1/checkins?from={day}&to={day}"), &token).await;
    let rows = listed["checkins"].as_array().expect("a list of check-ins");
    for (exercise, c) in &ledger.checkins {
        let row = rows
            .iter()
            .find(|r| r["exercise_id"] == exercise.as_str())
            .unwrap_or_else(|| panic!("the check-in of {exercise} is gone: {listed}"));
        let value = decode_checkin(row).unwrap_or_else(|| panic!("an unreadable check-in of {exercise}: {row}"));
        assert!(
            value >= c.acked,
            "the check-in of {exercise} went back to value {value}, but {} had been acknowledged",
            c.acked
        );
        assert!(value < c.next, "the check-in of {exercise} holds value {value}, which was never sent");
    }

    let listed = get(&client, &server.base, "api/v1/bookings", &token).await;
    let stored: BTreeMap<&str, &Value> =
        listed.as_array().expect("a list").iter().map(|b| (b["id"].as_str().expect("an id"), b)).collect();
    let sent: HashSet<&str> = ledger.bookings.slots[..ledger.bookings.next].iter().map(String::as_str).collect();
    for (id, start) in &ledger.bookings.acked {
        let b = stored.get(id.as_str()).unwrap_or_else(|| panic!("the acknowledged booking {id} at {start} is gone"));
        assert_eq!(b["start"], start.as_str(), "booking {id}");
        assert_eq!(b["status"], "booked", "booking {id}");
    }
    for b in stored.values() {
        let start = b["start"].as_str().expect("a start");
        assert!(sent.contains(start), "a booking at {start}, which was never asked for: {b}");
    }
    let bookings_found = stored.len();
    server.kill();
    (assessments_found, bookings_found)
}

/// A check-in of one exercise carrying the value `n` (not done, so the progression rules never change the
/// plan under the writers).
fn checkin_body(day: &str, exercise: &str, n: u64) -> Value {
    assert!(n < CHECKIN_VALUES, "check-in value {n} does not fit");
    json!({
        "day": day,
        "exercises": [{
            "exercise_id": exercise,
            "done": false,
            "sets_done": n / (101 * 11),
            "reps_done": n / 11 % 101,
            "pain_during": n % 11,
        }],
    })
}

fn decode_checkin(row: &Value) -> Option<u64> {
    let field = |name: &str| row[name].as_u64();
    Some((field("sets_done")? * 101 + field("reps_done")?) * 11 + field("pain_during")?)
}

// ---------------------------------------------------------------------------------------------------------
// The server process.

/// A running `kneeroot serve`, killed (SIGKILL) when dropped so a failing test leaves no process behind.
struct Server {
    child: Option<Child>,
    base: String,
}

impl Server {
    /// Start the binary on `target`, wait for its address on standard output, then for `/healthz`.
    async fn start(target: &Target) -> Server {
        let args = target.serve_args();
        let logs = target.logs.clone();
        let server = tokio::task::spawn_blocking(move || Server::spawn(&args, &logs)).await.expect("start the server");
        let client = http_client();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match client.get(format!("{}healthz", server.base)).send().await {
                Ok(r) if r.status().is_success() => return server,
                _ if Instant::now() > deadline => panic!("{}healthz never answered", server.base),
                _ => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    fn spawn(args: &[String], logs: &Path) -> Server {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(logs).expect("the server log");
        let mut child = kneeroot_command()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("run kneeroot serve");
        let stdout = child.stdout.take().expect("the server's standard output");
        let (tx, rx) = mpsc::channel();
        // Keep reading after the address so the server never writes into a full or closed pipe.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(rest) = line.split("kneeroot is running at http://").nth(1) {
                    let addr = rest.split('/').next().unwrap_or_default().to_owned();
                    let _ = tx.send(addr);
                }
                line.clear();
            }
        });
        let mut server = Server { child: Some(child), base: String::new() };
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(addr) => server.base = format!("http://{addr}/"),
            Err(e) => {
                drop(server);
                panic!("the server did not say where it listens ({e}); its log:\n{}", tail(logs));
            }
        }
        server
    }

    /// SIGKILL (what `Child::kill` sends on Unix), and reap the process.
    fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The binary, with no `KNEEROOT_…` settings from the environment leaking in.
fn kneeroot_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kneeroot"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("KNEEROOT_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_LOG", "warn");
    command
}

/// Create an account with the CLI (one password hash each, instead of a sign-up per round).
fn add_user(target: &Target, email: &str, role: &str) {
    let mut child = kneeroot_command()
        .args(["admin", "add-user"])
        .args(target.database_args())
        .args(["--role", role, "--email", email, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kneeroot admin add-user");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), format!("{PASSWORD}\n").as_bytes())
        .expect("write the password");
    let out = child.wait_with_output().expect("wait for kneeroot admin add-user");
    assert!(out.status.success(), "admin add-user {email}: {}", String::from_utf8_lossy(&out.stderr));
}

fn tail(path: &Path) -> String {
    let mut text = String::new();
    let _ = std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text));
    let start = text.len().saturating_sub(4000);
    text[text.ceil_char_boundary(start)..].to_owned()
}

// ---------------------------------------------------------------------------------------------------------
// HTTP.

fn http_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(15)).build().expect("an HTTP client")
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let r = client
        .post(format!("{base}api/v1/session"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), reqwest::StatusCode::CREATED, "sign in as {email}");
    let body: Value = r.json().await.expect("the session JSON");
    body["token"].as_str().expect("a token").to_owned()
}

/// A write during a round: the `201` body, or `Err(in_flight)` when the request failed in transport
/// (`in_flight` false when the connection was refused, i.e. it started after the kill). Any HTTP answer
/// other than `201` panics: it is a bug, not a crash effect.
async fn try_post(client: &reqwest::Client, base: &str, path: &str, token: &str, body: &Value) -> Result<Value, bool> {
    let r = client.post(format!("{base}{path}")).bearer_auth(token).json(body).send().await;
    let r = match r {
        Ok(r) => r,
        Err(e) => return Err(!e.is_connect()),
    };
    let status = r.status();
    // A 201 counts only once its body arrived whole: the id is in it.
    let text = match r.text().await {
        Ok(text) => text,
        Err(_) => return Err(true),
    };
    assert_eq!(status, reqwest::StatusCode::CREATED, "POST /{path} answered {status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST /{path}: a 201 with bad JSON ({e}): {text}")))
}

/// A write outside the rounds, which must succeed.
async fn post(client: &reqwest::Client, base: &str, path: &str, token: &str, body: &Value) -> Value {
    try_post(client, base, path, token, body).await.unwrap_or_else(|_| panic!("POST /{path} failed"))
}

async fn get(client: &reqwest::Client, base: &str, path: &str, token: &str) -> Value {
    let r = client.get(format!("{base}{path}")).bearer_auth(token).send().await.expect("GET");
    assert_eq!(r.status(), reqwest::StatusCode::OK, "GET /{path}");
    r.json().await.expect("JSON")
}

// ---------------------------------------------------------------------------------------------------------
// Randomness and PostgreSQL.

/// SplitMix64: a tiny deterministic generator, enough for kill delays.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// A fresh PostgreSQL database for the whole test, dropped (with its connections) at the end.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create(admin_url: &str) -> PgDatabase {
        let name = format!("kr_durability_{}", UserId::random());
        let mut admin = PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but the server cannot be reached: {e}"));
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("CREATE DATABASE");
        let _ = admin.close().await;
        let url = with_database(admin_url, &name);
        PgDatabase { admin_url: admin_url.to_owned(), name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop cannot await and runs inside the test's runtime: a thread with its own runtime does the work.
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

/// The admin URL with its database path replaced by `name`, keeping host, user and query.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    match query {
        Some(query) => format!("{}/{name}?{query}", &base[..authority_end]),
        None => format!("{}/{name}", &base[..authority_end]),
    }
}
