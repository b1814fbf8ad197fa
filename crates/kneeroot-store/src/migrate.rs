//! The embedded migration runner.
//!
//! Each backend has its own list of numbered SQL files (`migrations/sqlite`, `migrations/postgres`),
//! compiled into the binary with `include_str!`, so a deployed server needs nothing beside itself. The
//! applied versions are rows of `kneeroot_schema(version, applied_at)`.
//!
//! On start, `run` creates that table if needed, refuses a database whose newest version is beyond the
//! newest this build knows ([`StoreError::SchemaTooNew`]: an old binary must not write into a schema it
//! does not understand), then applies every pending file in order, each in its own transaction together
//! with its `kneeroot_schema` row, so a file is either wholly applied and recorded or not at all.
//!
//! Several instances may start at once. On PostgreSQL the whole run holds a session advisory lock on one
//! dedicated connection, so the second instance waits and then finds nothing to do. SQLite has no such
//! lock; there each migration's transaction starts with `BEGIN IMMEDIATE` (taking the write lock up
//! front) and re-reads the version inside it, so a file that another process applied meanwhile is skipped.
//!
//! A file is executed whole with [`sqlx::raw_sql`]: without bind arguments both drivers, also through
//! `Any`, run every statement of a multi-statement string (PostgreSQL's simple query protocol), so the
//! runner never has to split SQL itself.
//!
//! For tests of upgrades, [`migrate_to`] stops at a given version (a database as an older release left
//! it) and [`versions`] lists what this build knows, so a test can walk every step without naming one.
//! Both go through the same code as a server's start: only the last version applied differs.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::AnyConnection;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Connection};

use crate::db::{Backend, map_err, open_pool};
use crate::error::{StoreError, StoreResult};

/// SQLite migrations, in version order.
pub(crate) const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_progress.sql")),
    (3, include_str!("../migrations/sqlite/0003_settings.sql")),
    (4, include_str!("../migrations/sqlite/0004_booking.sql")),
    (5, include_str!("../migrations/sqlite/0005_clinic.sql")),
    (6, include_str!("../migrations/sqlite/0006_record_revision.sql")),
    (7, include_str!("../migrations/sqlite/0007_camera.sql")),
];

/// PostgreSQL migrations, in version order; the same versions as [`SQLITE`].
pub(crate) const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_progress.sql")),
    (3, include_str!("../migrations/postgres/0003_settings.sql")),
    (4, include_str!("../migrations/postgres/0004_booking.sql")),
    (5, include_str!("../migrations/postgres/0005_clinic.sql")),
    (6, include_str!("../migrations/postgres/0006_record_revision.sql")),
    (7, include_str!("../migrations/postgres/0007_camera.sql")),
];

/// The advisory lock key that serialises migrations on PostgreSQL: "kneeroot" in ASCII, so it is
/// recognisable in `pg_locks` and unlikely to collide with another application sharing the server.
const PG_LOCK_KEY: i64 = 0x6b6e_6565_726f_6f74;

const CREATE_SCHEMA_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS kneeroot_schema (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";

/// The migrations of a backend.
pub(crate) fn migrations(backend: Backend) -> &'static [(i64, &'static str)] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// The newest version this build knows for a backend.
pub(crate) fn newest(backend: Backend) -> i64 {
    migrations(backend).last().map_or(0, |(version, _)| *version)
}

/// Bring the database up to the newest known schema, or refuse it if it is newer than that.
///
/// # Errors
/// [`StoreError::SchemaTooNew`] if the database is ahead of this build; a database error if a migration
/// fails (its transaction is rolled back and later files are not tried).
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> StoreResult<()> {
    run_to(pool, backend, newest(backend)).await
}

/// The schema versions this build knows for `backend`, ascending; the last is the newest, the one a
/// server migrates to on start. Both backends know the same versions.
pub fn versions(backend: Backend) -> Vec<i64> {
    migrations(backend).iter().map(|(version, _)| *version).collect()
}

/// Bring the database at `url` up to schema version `target` and no further, as an older kneeroot
/// would have left it; returns the version the database is at afterwards. Meant for tests of upgrades:
/// migrate to N − 1, write data the way that release did, then let [`Db::connect`](crate::Db::connect)
/// apply the rest.
///
/// It runs exactly as a server's start does (same connection setup, one transaction per file, the
/// PostgreSQL lock), only stopping early. Migrations only go forward: a database already at or beyond
/// `target` is left as it is, and `target` 0 creates just the version table. Running it twice is a
/// no-op the second time.
///
/// # Errors
/// [`StoreError::BadUrl`] for a URL kneeroot cannot use; [`StoreError::SchemaTooNew`] if the database is
/// newer than this build, or if `target` is (then `found` is the target asked for); a database error if
/// a migration fails (its transaction is rolled back and later files are not tried).
pub async fn migrate_to(url: &str, target: i64) -> StoreResult<i64> {
    let (pool, backend) = open_pool(url).await?;
    let result = async {
        let known = newest(backend);
        if target > known {
            return Err(StoreError::SchemaTooNew { found: target, known });
        }
        run_to(&pool, backend, target).await?;
        let mut conn = pool.acquire().await.map_err(map_err)?;
        current_version(&mut conn).await
    }
    .await;
    // Closed here, not left to drop: a test connecting next must not race this pool's connections.
    pool.close().await;
    result
}

/// [`run`], stopping after version `target`.
async fn run_to(pool: &AnyPool, backend: Backend, target: i64) -> StoreResult<()> {
    let mut conn = pool.acquire().await.map_err(map_err)?;
    match backend {
        Backend::Sqlite => apply_pending(&mut conn, backend, target).await,
        Backend::Postgres => {
            // `pg_advisory_lock` returns `void`, a type `Any` has no counterpart for; selecting a constant
            // keeps the result within what `Any` understands. It blocks until the lock is ours.
            sqlx::query("SELECT 1 FROM pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            let applied = apply_pending(&mut conn, backend, target).await;
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await;
            if let Err(e) = unlocked {
                // A pooled connection must not go back still holding the lock; closing the session
                // releases it on the server.
                tracing::warn!(error = %e, "could not release the migration lock; closing its connection");
                conn.close_on_drop();
            }
            applied
        }
    }
}

/// Apply every migration newer than the database's version and not beyond `target`, in order.
async fn apply_pending(conn: &mut PoolConnection<Any>, backend: Backend, target: i64) -> StoreResult<()> {
    sqlx::raw_sql(CREATE_SCHEMA_TABLE).execute(&mut **conn).await.map_err(map_err)?;
    let known = newest(backend);
    let found = current_version(conn).await?;
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    for &(version, sql) in migrations(backend).iter().filter(|(v, _)| *v > found && *v <= target) {
        let mut tx = match backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => conn.begin().await,
        }
        .map_err(map_err)?;
        // Another process may have applied this file between our first read and our lock.
        if current_version(&mut tx).await? >= version {
            tx.rollback().await.map_err(map_err)?;
            continue;
        }
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query("INSERT INTO kneeroot_schema (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(epoch_now())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        tracing::info!(version, "applied database migration");
    }
    Ok(())
}

/// The newest applied version, 0 for an empty schema table.
pub(crate) async fn current_version(conn: &mut AnyConnection) -> StoreResult<i64> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM kneeroot_schema").fetch_one(conn).await.map_err(map_err)?;
    Ok(found.unwrap_or(0))
}

/// Wall-clock seconds, for `applied_at` only: it is a note for operators, never compared by the store.
fn epoch_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_know_the_same_versions_in_order() {
        let versions = |m: &[(i64, &str)]| m.iter().map(|(v, _)| *v).collect::<Vec<_>>();
        assert_eq!(versions(SQLITE), versions(POSTGRES));
        let v = versions(SQLITE);
        assert!(v.windows(2).all(|w| w[0] < w[1]), "versions must increase: {v:?}");
        assert!(v.first().is_some_and(|first| *first >= 1));
    }
}
