//! Rows to domain types, with the column lists that go with them.
//!
//! Decoding never panics: a column of the wrong type, or an enum value the model does not know (a row
//! written by a newer or hand-edited schema), becomes a database error naming the column, not a crash.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::map_err;
use crate::error::StoreResult;
use crate::model::*;

// The column lists are macros, not consts, so `concat!` can build whole queries as `&'static str`
// literals: sqlx accepts only those (or an explicit `AssertSqlSafe`) as SQL.

/// The columns [`user`] reads, for `concat!`.
macro_rules! user_columns {
    () => {
        "id, email, role, created_at"
    };
}
/// The columns [`session`] reads, for `concat!`.
macro_rules! session_columns {
    () => {
        "token_hash, user_id, kind, csrf_token, draft, camera, created_at, expires_at"
    };
}
/// The columns [`assessment`] reads, for `concat!`.
macro_rules! assessment_columns {
    () => {
        "id, user_id, created_at, knowledge_version, answers, result, triage_level, top_cause, camera"
    };
}
/// The columns [`checkin`] reads, in the order the upsert binds them, for `concat!`.
macro_rules! checkin_columns {
    () => {
        "user_id, day, exercise_id, done, sets_done, reps_done, pain_during, quality_ok, updated_at"
    };
}
/// The columns [`morning`] reads, in the order the upsert binds them, for `concat!`.
macro_rules! morning_columns {
    () => {
        "user_id, day, pain, usual, stiffness, flags, updated_at"
    };
}
/// The columns [`outcome_response`] reads, for `concat!`.
macro_rules! outcome_columns {
    () => {
        "id, user_id, instrument, version, week, taken_at, answers, scores"
    };
}
/// The columns [`plan_change`] reads, for `concat!`.
macro_rules! plan_change_columns {
    () => {
        "id, user_id, exercise_id, replacement, sets, reps, hold_seconds, per_week, note, author_id, reason, \
         created_at"
    };
}
/// The columns [`availability`] reads, in the order the upsert binds them, for `concat!`.
macro_rules! availability_columns {
    () => {
        "clinician_id, settings, notice_minutes, cancel_notice_minutes, updated_at"
    };
}
/// The columns [`booking`] reads, in the order the insert binds them, for `concat!`.
macro_rules! booking_columns {
    () => {
        "id, clinician_id, patient_id, start_at, end_at, reason, assessment_id, status, created_at, cancelled_at"
    };
}
/// The columns [`audit_entry`] reads, in the order the insert binds them, for `concat!`.
macro_rules! audit_columns {
    () => {
        "id, at, actor_id, actor_email, actor_role, patient_id, action, what"
    };
}
/// The columns [`invitation`] reads, in the order the insert binds them, for `concat!`.
macro_rules! invitation_columns {
    () => {
        "token_hash, email, role, invited_by, clinician_id, created_at, expires_at, accepted_at, accepted_by"
    };
}
pub(super) use {
    assessment_columns, audit_columns, availability_columns, booking_columns, checkin_columns, invitation_columns,
    morning_columns, outcome_columns, plan_change_columns, session_columns, user_columns,
};

/// A column's value, or a database error.
pub(super) fn get<T>(row: &AnyRow, column: &str) -> StoreResult<T>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).map_err(map_err)
}

/// The error for a stored value outside the model's vocabulary.
fn unknown(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.to_owned(), source: format!("unknown value {value:?}").into() }
}

/// A boolean stored as INTEGER 0/1 (the `Any` driver cannot decode SQLite booleans, so both backends
/// store integers).
fn boolean(row: &AnyRow, column: &str) -> StoreResult<bool> {
    match get::<i64>(row, column)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(map_err(unknown(column, &other.to_string()))),
    }
}

/// A boolean as the INTEGER 0/1 the schema stores.
pub(super) fn boolean_value(value: bool) -> i64 {
    i64::from(value)
}

pub(super) fn user(row: &AnyRow) -> StoreResult<User> {
    let role: String = get(row, "role")?;
    Ok(User {
        id: UserId::from_db(get(row, "id")?),
        email: Email::from_db(get(row, "email")?),
        role: Role::parse(&role).ok_or_else(|| map_err(unknown("role", &role)))?,
        created_at: get(row, "created_at")?,
    })
}

/// The user of a `LEFT JOIN users u` whose columns are aliased `u_id`, `u_email`, `u_role`,
/// `u_created_at`; `None` when the join found no user.
pub(super) fn joined_user(row: &AnyRow) -> StoreResult<Option<User>> {
    let Some(id) = get::<Option<String>>(row, "u_id")? else { return Ok(None) };
    let role: String = get(row, "u_role")?;
    Ok(Some(User {
        id: UserId::from_db(id),
        email: Email::from_db(get(row, "u_email")?),
        role: Role::parse(&role).ok_or_else(|| map_err(unknown("u_role", &role)))?,
        created_at: get(row, "u_created_at")?,
    }))
}

pub(super) fn session(row: &AnyRow) -> StoreResult<Session> {
    let kind: String = get(row, "kind")?;
    let kind = match kind.as_str() {
        "browser" => SessionKind::Browser,
        "api" => SessionKind::Api,
        _ => return Err(map_err(unknown("kind", &kind))),
    };
    Ok(Session {
        token_hash: get(row, "token_hash")?,
        user_id: get::<Option<String>>(row, "user_id")?.map(UserId::from_db),
        kind,
        csrf_token: get(row, "csrf_token")?,
        draft: get(row, "draft")?,
        camera: get(row, "camera")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

pub(super) fn assessment(row: &AnyRow) -> StoreResult<Assessment> {
    Ok(Assessment {
        id: AssessmentId::from_db(get(row, "id")?),
        user_id: UserId::from_db(get(row, "user_id")?),
        created_at: get(row, "created_at")?,
        knowledge_version: get(row, "knowledge_version")?,
        answers: get(row, "answers")?,
        result: get(row, "result")?,
        triage_level: get(row, "triage_level")?,
        top_cause: get(row, "top_cause")?,
        camera: get(row, "camera")?,
    })
}

pub(super) fn checkin(row: &AnyRow) -> StoreResult<ExerciseCheckin> {
    Ok(ExerciseCheckin {
        user_id: UserId::from_db(get(row, "user_id")?),
        day: get(row, "day")?,
        exercise_id: get(row, "exercise_id")?,
        done: boolean(row, "done")?,
        sets_done: get(row, "sets_done")?,
        reps_done: get(row, "reps_done")?,
        pain_during: get(row, "pain_during")?,
        quality_ok: boolean(row, "quality_ok")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(super) fn morning(row: &AnyRow) -> StoreResult<MorningReport> {
    let stiffness: String = get(row, "stiffness")?;
    let flags: String = get(row, "flags")?;
    // Neither `unknown` nor serde's own message, which quotes the offending value: the flags are health
    // data, and an error message ends up in a log line. Only the position is reported.
    let flags = serde_json::from_str::<Vec<String>>(&flags).map_err(|e| {
        map_err(sqlx::Error::ColumnDecode {
            index: "flags".into(),
            source: format!("not a JSON list of text (line {}, column {})", e.line(), e.column()).into(),
        })
    })?;
    Ok(MorningReport {
        user_id: UserId::from_db(get(row, "user_id")?),
        day: get(row, "day")?,
        pain: get(row, "pain")?,
        usual: get(row, "usual")?,
        stiffness: Stiffness::parse(&stiffness).ok_or_else(|| map_err(unknown("stiffness", &stiffness)))?,
        flags,
        updated_at: get(row, "updated_at")?,
    })
}

pub(super) fn outcome_response(row: &AnyRow) -> StoreResult<OutcomeResponse> {
    Ok(OutcomeResponse {
        id: AssessmentId::from_db(get(row, "id")?),
        user_id: UserId::from_db(get(row, "user_id")?),
        instrument: get(row, "instrument")?,
        version: get(row, "version")?,
        week: get(row, "week")?,
        taken_at: get(row, "taken_at")?,
        answers: get(row, "answers")?,
        scores: get(row, "scores")?,
    })
}

pub(super) fn plan_change(row: &AnyRow) -> StoreResult<PlanChange> {
    Ok(PlanChange {
        id: AssessmentId::from_db(get(row, "id")?),
        user_id: UserId::from_db(get(row, "user_id")?),
        exercise_id: get(row, "exercise_id")?,
        replacement: get(row, "replacement")?,
        sets: get(row, "sets")?,
        reps: get(row, "reps")?,
        hold_seconds: get(row, "hold_seconds")?,
        per_week: get(row, "per_week")?,
        note: get(row, "note")?,
        author_id: get::<Option<String>>(row, "author_id")?.map(UserId::from_db),
        reason: get(row, "reason")?,
        created_at: get(row, "created_at")?,
    })
}

pub(super) fn availability(row: &AnyRow) -> StoreResult<Availability> {
    Ok(Availability {
        clinician_id: UserId::from_db(get(row, "clinician_id")?),
        settings: get(row, "settings")?,
        notice_minutes: get(row, "notice_minutes")?,
        cancel_notice_minutes: get(row, "cancel_notice_minutes")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(super) fn booking(row: &AnyRow) -> StoreResult<Booking> {
    let status: String = get(row, "status")?;
    Ok(Booking {
        id: AssessmentId::from_db(get(row, "id")?),
        clinician_id: UserId::from_db(get(row, "clinician_id")?),
        patient_id: UserId::from_db(get(row, "patient_id")?),
        start: get(row, "start_at")?,
        end: get(row, "end_at")?,
        reason: get(row, "reason")?,
        assessment_id: get::<Option<String>>(row, "assessment_id")?.map(AssessmentId::from_db),
        status: BookingStatus::parse(&status).ok_or_else(|| map_err(unknown("status", &status)))?,
        created_at: get(row, "created_at")?,
        cancelled_at: get(row, "cancelled_at")?,
    })
}

pub(super) fn audit_entry(row: &AnyRow) -> StoreResult<AuditEntry> {
    let role: String = get(row, "actor_role")?;
    let action: String = get(row, "action")?;
    Ok(AuditEntry {
        id: AssessmentId::from_db(get(row, "id")?),
        at: get(row, "at")?,
        actor_id: UserId::from_db(get(row, "actor_id")?),
        actor_email: Email::from_db(get(row, "actor_email")?),
        actor_role: Role::parse(&role).ok_or_else(|| map_err(unknown("actor_role", &role)))?,
        patient_id: UserId::from_db(get(row, "patient_id")?),
        action: AuditAction::parse(&action).ok_or_else(|| map_err(unknown("action", &action)))?,
        what: get(row, "what")?,
    })
}

pub(super) fn invitation(row: &AnyRow) -> StoreResult<Invitation> {
    let role: String = get(row, "role")?;
    Ok(Invitation {
        token_hash: get(row, "token_hash")?,
        email: Email::from_db(get(row, "email")?),
        role: Role::parse(&role).ok_or_else(|| map_err(unknown("role", &role)))?,
        invited_by: UserId::from_db(get(row, "invited_by")?),
        clinician_id: get::<Option<String>>(row, "clinician_id")?.map(UserId::from_db),
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        accepted_at: get(row, "accepted_at")?,
        accepted_by: get::<Option<String>>(row, "accepted_by")?.map(UserId::from_db),
    })
}
