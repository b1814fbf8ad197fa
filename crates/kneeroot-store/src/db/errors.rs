//! The one place where driver errors become [`StoreError`]s.
//!
//! Every query result passes through [`map_err`] (never a bare `?`, which would use the blanket
//! `From<sqlx::Error>` and turn a duplicate email into an opaque failure). Constraint violations are
//! recognised by [`sqlx::error::DatabaseError::kind`]; through the `Any` driver the error is still the
//! backend's own type, so `kind` works on both, but the SQLSTATE (PostgreSQL) and extended result codes
//! (SQLite) are checked as well so a driver that answers `Other` cannot turn a 409 into a 500.
//!
//! Unique violations become [`StoreError::Conflict`] with a generic message that callers may replace with
//! a precise one; foreign-key violations mean "the row you refer to does not exist", so
//! [`StoreError::NotFound`].

use sqlx::error::{DatabaseError, ErrorKind};

use crate::error::{StoreError, StoreResult};

/// Unique violation: PostgreSQL SQLSTATE, then SQLite `SQLITE_CONSTRAINT_UNIQUE` and `_PRIMARYKEY`.
const UNIQUE_CODES: &[&str] = &["23505", "2067", "1555"];
/// Foreign-key violation: PostgreSQL SQLSTATE, then SQLite `SQLITE_CONSTRAINT_FOREIGNKEY`.
const FOREIGN_KEY_CODES: &[&str] = &["23503", "787"];

/// What a violated constraint means to a caller.
#[derive(Debug, PartialEq, Eq)]
enum Violation {
    Unique,
    ForeignKey,
}

/// Translate a driver error into the store's error.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    let violation = match &e {
        sqlx::Error::RowNotFound => return StoreError::NotFound,
        sqlx::Error::Database(db) => violation(db.as_ref()),
        _ => None,
    };
    match violation {
        Some(Violation::Unique) => StoreError::Conflict("this record already exists".into()),
        Some(Violation::ForeignKey) => StoreError::NotFound,
        None => StoreError::Database(e),
    }
}

/// Replace the generic conflict message with one that names the rule, leaving other errors alone.
pub(crate) fn conflict_means(message: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match map_err(e) {
        StoreError::Conflict(_) => StoreError::Conflict(message.into()),
        other => other,
    }
}

/// An update or delete of one row by its key: touching none means the row does not exist.
pub(crate) fn found(done: &sqlx::any::AnyQueryResult) -> StoreResult<()> {
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

fn violation(db: &dyn DatabaseError) -> Option<Violation> {
    match db.kind() {
        ErrorKind::UniqueViolation => return Some(Violation::Unique),
        ErrorKind::ForeignKeyViolation => return Some(Violation::ForeignKey),
        _ => {}
    }
    let code = db.code()?;
    if UNIQUE_CODES.contains(&code.as_ref()) {
        Some(Violation::Unique)
    } else if FOREIGN_KEY_CODES.contains(&code.as_ref()) {
        Some(Violation::ForeignKey)
    } else {
        None
    }
}
