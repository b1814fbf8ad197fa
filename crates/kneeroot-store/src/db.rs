//! [`Db`]: the one implementation of every storage trait, over sqlx's `Any` pool.
//!
//! The backend is chosen once, from the URL's scheme, in [`Db::connect`]; after that almost all SQL is
//! shared text (`$1` placeholders, `RETURNING`, BIGINT epoch seconds, JSON as TEXT) and only a few
//! backend facts are kept in [`Backend`]: connection setup, the migration files, and how a write
//! transaction begins (see [`Db::begin_write`]).
//!
//! SQLite connections are set up by `after_connect` PRAGMAs, because they are per connection and a pool
//! opens connections whenever it likes: WAL (readers never block the writer), `synchronous = FULL` (an
//! acknowledged write survives power loss, not just a crash), `foreign_keys = ON` (cascades and the
//! "unknown user" check depend on it) and a busy timeout, so concurrent writers queue instead of failing.
//!
//! The trait implementations live in one file per aggregate (`users`, `sessions`, `assessments`,
//! `throttle`, `checkins`, `outcomes`, `plan_changes`, `bookings`, `audit`, `invitations`); every method is a `tracing` span that
//! records ids but never emails, tokens, hashes, answers or any other health data (pain, flags, scores,
//! exercises, the reason for an appointment). Reads answered from memory (below) make no span.
//!
//! Every statement goes through [`TrackedPool`] (`tracked.rs`), which on a store opened by
//! [`Db::connect_for_serving`] on SQLite logs the writes in progress; the read cache (`read_cache.rs`)
//! relies on that log, and the lock file (`owner_lock.rs`) on which it relies in turn. Everywhere, the
//! plan inputs are remembered by revision (`plan_inputs.rs`). The measurements behind all three are in
//! docs/performance.md.

mod assessments;
mod audit;
mod bookings;
mod checkins;
mod errors;
mod invitations;
mod outcomes;
mod owner_lock;
mod plan_changes;
mod plan_inputs;
mod read_cache;
mod rows;
mod sessions;
mod throttle;
mod tracked;
mod url;
mod users;

use std::fs::File;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection};

use read_cache::{Memo, ReadCache};
use tracked::{TrackedPool, WriteTx};

pub(crate) use errors::{conflict_means, found, map_err};

use crate::error::{StoreError, StoreResult};
use crate::migrate;
use crate::traits::Health;

/// The database behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// A SQLite file (`sqlite://PATH`): one server, no database to run.
    Sqlite,
    /// A PostgreSQL server (`postgres://…`): several kneeroot instances may share it.
    Postgres,
}

/// A pool of connections to kneeroot's database; cheap to clone (the pool, and the read cache if there
/// is one, are shared).
#[derive(Debug, Clone)]
pub struct Db {
    pool: TrackedPool,
    backend: Backend,
    /// Repeated reads answered from memory: only with [`Db::connect_for_serving`] on SQLite.
    cache: Option<Arc<ReadCache>>,
    /// The database's lock file, held while any clone of this `Db` lives (with `cache`).
    _lock: Option<Arc<File>>,
    /// Plan inputs remembered by revision, where there is no read cache (`plan_inputs.rs`).
    remembered: Arc<plan_inputs::Remembered>,
}

/// Run on every new SQLite connection. busy_timeout comes first so that switching to WAL, which needs
/// a moment of exclusive access, already waits instead of failing when another connection is busy.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                              PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// SQLite allows one writer at a time, so more connections only add readers; a handful suffices.
const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// PostgreSQL's default server limit is 100; 16 per instance leaves room for several instances.
const POSTGRES_MAX_CONNECTIONS: u32 = 16;
/// How long a request may wait for a free connection before failing rather than hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection idle this long is pinged before it is handed out (a restarted server or a dropped TCP
/// connection shows up there, not in a request). Busy connections are not: sqlx already pings every
/// connection as it goes back to the pool, and a second round trip per query was a third of the cost
/// of a signed-in page (docs/performance.md).
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

impl Db {
    /// Connect to `sqlite://PATH` (the file is created if missing) or `postgres://…` /
    /// `postgresql://…`, then bring the schema up to date.
    ///
    /// # Errors
    /// [`StoreError::BadUrl`] for any other URL (the message never shows a
    /// password); [`StoreError::SchemaTooNew`] if the database was
    /// migrated by a newer kneeroot; a database error if it cannot be reached or migrated.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        let (pool, backend) = open_pool(url).await?;
        if let Err(e) = migrate::run(&pool, backend).await {
            pool.close().await;
            return Err(e);
        }
        Ok(Db { pool: TrackedPool::new(pool, None), backend, cache: None, _lock: None, remembered: Arc::default() })
    }

    /// Connect as `kneeroot serve` does. On PostgreSQL this is [`Db::connect`]: other instances may
    /// share the database, so every read goes to it. On SQLite it first takes the database's lock file
    /// (`kneeroot.db.lock` beside it), so that this process is the only server writing it, and then
    /// answers the reads every signed-in page repeats (the session and its user, a person's newest
    /// assessment id, plan changes, check-ins and morning reports) from memory for as long as nothing
    /// has been written since, which saves the driver's round trips to its worker thread. The lock is
    /// released when the last clone of the returned `Db` is dropped, or the process ends.
    ///
    /// # Errors
    /// As [`Db::connect`], and `Conflict` naming the lock file if another server holds it.
    pub async fn connect_for_serving(url: &str) -> StoreResult<Db> {
        let Some(path) = url::sqlite_path(url)? else { return Db::connect(url).await };
        // Before the pool exists, so a refused second server has not migrated or written anything.
        let lock = owner_lock::take(&path)?;
        let mut db = Db::connect(url).await?;
        let cache = Arc::new(ReadCache::default());
        db.pool = db.pool.with_log(cache.log.clone());
        db.cache = Some(cache);
        db._lock = Some(Arc::new(lock));
        Ok(db)
    }

    /// Hold the lock a serving process holds on the SQLite file at `database`, for commands that must
    /// not run beside a server (restoring a backup replaces the file the server's read cache trusts).
    /// Released when the returned guard is dropped.
    ///
    /// # Errors
    /// `Conflict` naming the lock file (and the server's process id) if a server holds it.
    pub fn lock_sqlite_file(database: &std::path::Path) -> StoreResult<SqliteFileLock> {
        owner_lock::take(database).map(SqliteFileLock)
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close every connection, waiting for those in use to be returned. Later calls fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The newest applied migration (0 if none).
    ///
    /// # Errors
    /// A database error if the schema table cannot be read.
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        migrate::current_version(&mut conn).await
    }

    /// Write a consistent copy of a SQLite database to `path` while it keeps serving (`VACUUM INTO`: one
    /// read transaction, so the copy is a snapshot even with writes going on). The file must not exist.
    ///
    /// # Errors
    /// `BadUrl` on PostgreSQL (back it up with `pg_dump`, see docs/operations.md), or a database error.
    pub async fn backup_to(&self, path: &str) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::BadUrl("backups of PostgreSQL are made with pg_dump".into()));
        }
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    /// `PRAGMA integrity_check` on SQLite: `Ok` when the database file is sound. PostgreSQL: always `Ok`.
    ///
    /// # Errors
    /// A database error, or `Conflict` with the first problem SQLite reports.
    pub async fn integrity_check(&self) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let result: String =
            sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await.map_err(map_err)?;
        if result == "ok" { Ok(()) } else { Err(StoreError::Conflict(format!("integrity check failed: {result}"))) }
    }

    /// Begin a transaction that will write. On SQLite a plain `BEGIN` takes the write lock only at the
    /// first write, and if another connection committed in between, that upgrade fails at once with
    /// `SQLITE_BUSY` (the busy timeout does not apply); `BEGIN IMMEDIATE` takes the lock up front, where
    /// waiting works. PostgreSQL needs nothing special.
    async fn begin_write(&self) -> StoreResult<WriteTx> {
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.pool.begin_write(begin).await.map_err(map_err)
    }

    /// `read()`, or the value the read cache holds for `key` when it is still valid (see `read_cache.rs`).
    /// Without a cache, or while a write is in progress, this is just `read()`. `read` is only called
    /// when the database is: the reads' tracing spans cost more than a hit.
    async fn cached<K, V, F>(
        &self,
        memo: impl FnOnce(&ReadCache) -> &Memo<K, V>,
        key: K,
        read: impl FnOnce() -> F,
    ) -> StoreResult<V>
    where
        K: Hash + Eq,
        V: Clone + read_cache::Rows,
        F: Future<Output = StoreResult<V>>,
    {
        let Some(cache) = &self.cache else { return read().await };
        let Some(generation) = cache.log.quiet_generation() else { return read().await };
        let memo = memo(cache);
        if let Some(hit) = memo.get(&key, generation) {
            return Ok(hit);
        }
        let value = read().await?;
        memo.put(&cache.log, generation, key, value.clone());
        Ok(value)
    }
}

/// A pool on `url`, set up exactly as [`Db::connect`] sets it up, but not migrated: the migration
/// runner's own entry points (`migrate_to`) share it, so a test migrating step by step runs each file
/// under the same PRAGMAs as a server would.
pub(crate) async fn open_pool(url: &str) -> StoreResult<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let (backend, url) = url::classify(url)?;
    let options = AnyPoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT).test_before_acquire(false).before_acquire(
        |conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IF_IDLE_FOR {
                    conn.ping().await?;
                }
                Ok(true)
            })
        },
    );
    let options = match backend {
        Backend::Sqlite => options.max_connections(SQLITE_MAX_CONNECTIONS).after_connect(|conn, _meta| {
            Box::pin(async move {
                sqlx::raw_sql(SQLITE_PRAGMAS).execute(conn).await?;
                Ok(())
            })
        }),
        Backend::Postgres => options.max_connections(POSTGRES_MAX_CONNECTIONS),
    };
    let pool = options.connect(&url).await.map_err(map_err)?;
    Ok((pool, backend))
}

impl Health for Db {
    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }
}

/// Proof that this process holds a SQLite file's owner lock (see [`Db::lock_sqlite_file`]); dropping it
/// releases the lock.
#[derive(Debug)]
pub struct SqliteFileLock(#[allow(dead_code)] std::fs::File);
