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
        "token_hash, user_id, kind, csrf_token, draft, created_at, expires_at"
    };
}
/// The columns [`assessment`] reads, for `concat!`.
macro_rules! assessment_columns {
    () => {
        "id, user_id, created_at, knowledge_version, answers, result, triage_level, top_cause"
    };
}
pub(super) use {assessment_columns, session_columns, user_columns};

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
    })
}
