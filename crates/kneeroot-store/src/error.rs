//! The storage layer's one error type. "Not found" and "conflict" are distinct so the web layer can answer
//! 404 and 409 with a message; everything else is an internal failure whose cause is logged, never shown.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or is not visible to the caller).
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule would be broken; the message says which, in plain words.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database schema is newer than this build understands.
    #[error(
        "the database schema is version {found}, newer than this kneeroot understands (up to {known}); upgrade kneeroot"
    )]
    SchemaTooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// The database URL is not one kneeroot can use.
    #[error("unsupported database URL (use sqlite://PATH or postgres://…): {0}")]
    BadUrl(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Results of store operations.
pub type StoreResult<T> = Result<T, StoreError>;
