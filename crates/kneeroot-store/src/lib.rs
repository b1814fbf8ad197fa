//! # kneeroot-store
//!
//! Where kneeroot keeps accounts, sessions and records, behind narrow traits ([`UserStore`],
//! [`SessionStore`], [`AssessmentStore`], [`ThrottleStore`], [`CheckinStore`], [`OutcomeStore`],
//! [`PlanChangeStore`], [`BookingStore`], [`Health`], combined as [`Store`]).
//!
//! Besides accounts and assessments it keeps a person's progress: per-exercise check-ins and next-morning
//! reports ([`CheckinStore`]: editable, one per day and exercise or per day), completed outcome
//! questionnaires ([`OutcomeStore`]: written once) and the append-only log of changes to their plan
//! ([`PlanChangeStore`]). Every read is scoped by owner, and deleting an account erases all of it.
//!
//! It also keeps appointments with clinicians ([`BookingStore`]): each clinician's weekly hours (opaque
//! JSON the core's booking rules read), the bookings themselves, and which patients each clinician may
//! see. **No slot is ever booked twice**: a partial unique index on `(clinician_id, start_at) WHERE
//! status = 'booked'` decides every race inside the database, so two requests on one instance or on
//! several sharing PostgreSQL cannot both win; the loser gets [`StoreError::Conflict`] with a message
//! fit to show. Moving a booking is one transaction (cancel the old, insert the new), so a move to a
//! taken slot changes nothing.
//!
//! ## One implementation, two databases
//! [`Db`] implements every trait once, over sqlx's `Any` driver, with SQL that means the same on SQLite and
//! PostgreSQL (`$1` placeholders, `RETURNING`, times as epoch seconds, JSON as text). Each
//! backend has its own migrations (`migrations/sqlite`, `migrations/postgres`), embedded in the binary and
//! applied on start by a small runner that records versions in `kneeroot_schema` and refuses a database
//! newer than itself. One conformance suite (`tests/conformance.rs`) runs every trait method on SQLite
//! always and on PostgreSQL when `KNEEROOT_TEST_POSTGRES` is set, so "one behaviour on both" is tested,
//! not hoped for. Upgrades are tested the same way (`tests/migrations.rs`): [`migrate_to`] stops a fresh
//! database at any older version, so every migration is run over data written the way the release
//! before it wrote it.
//!
//! SQLite runs in WAL mode with `synchronous = FULL` (an acknowledged write survives power loss),
//! `foreign_keys = ON` and a busy timeout; PostgreSQL serialises concurrent migrations with an advisory
//! lock so several instances can start at once.
//!
//! Unique and foreign-key violations become [`StoreError::Conflict`] / [`StoreError::NotFound`] with a
//! message, never an opaque failure.
//!
//! Migrations: version 1 (`0001_init.sql`) holds accounts, sessions, assessments and login failures;
//! version 2 (`0002_progress.sql`) adds check-ins, morning reports, outcome responses and plan changes;
//! version 3 (`0003_settings.sql`) per-account settings; version 4 (`0004_booking.sql`) availability,
//! bookings and clinician–patient links (`care_links`). Version 6 (`0006_record_revision.sql`) adds
//! `users.record_revision`, which triggers move with every write to a person's assessments, plan changes,
//! check-ins and morning reports (see [`AssessmentStore::plan_inputs`]). Version 7 (`0007_camera.sql`)
//! adds `sessions.camera` and `assessments.camera`: what the camera squat screen proposed for a draft, and
//! which confirmed answers came from it ([`SessionStore::save_camera`]).
//!
//! ## Fast repeated reads
//! A signed-in page reads the same few things on every request. Two mechanisms answer them without the
//! database's round trips while never returning what a write has made stale: on SQLite opened by
//! `kneeroot serve` ([`Db::connect_for_serving`]: a lock file makes that process the only writer), a
//! read cache that any write empties; everywhere else (PostgreSQL, shared by instances), the plan inputs
//! are remembered per person and re-read only when the revision above has moved. Both are described in
//! `db/read_cache.rs`, `db/tracked.rs` and `db/plan_inputs.rs`, and measured in docs/performance.md.

mod db;
mod error;
mod migrate;
pub mod model;
mod traits;

pub use db::{Backend, Db, SqliteFileLock};
pub use error::{StoreError, StoreResult};
pub use migrate::{migrate_to, versions as schema_versions};
pub use model::*;
pub use traits::*;
