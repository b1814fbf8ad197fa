//! [`TrackedPool`]: the pool every [`Db`](super::Db) statement goes through, which can keep a
//! [`WriteLog`] of the writes in progress, so that the read cache (`read_cache.rs`) knows when what it
//! holds may no longer be what the database holds.
//!
//! ## What counts as a write
//! Statements run on the pool are sorted by their text: one that starts with `SELECT` reads; anything
//! else (`INSERT`, `UPDATE`, `DELETE`, `VACUUM`, a `PRAGMA`, a `WITH …`) counts as a write, which errs
//! on the safe side. A write transaction ([`TrackedPool::begin_write`]) and a raw connection
//! ([`TrackedPool::acquire`]) count as one write for as long as they are held, whatever runs on them.
//! The sorting needs no help from the code that writes SQL, so a store method added later is covered
//! without knowing this file exists.
//!
//! ## The rule the cache relies on
//! Every write is *announced* before any of it reaches the database ([`WriteLog`]'s generation moves
//! on and its count of writes in progress goes up) and *retired* only once the database has finished
//! with it (the generation moves on again and the count goes down). A cached value is served only if it
//! was read while no write was in progress and the generation has not moved since; so once a write has
//! returned to its caller, no read can be answered with what the database held before it.
//!
//! ## Cancellation
//! A future that is dropped after handing a statement to the driver does not take the statement back:
//! sqlx's SQLite worker thread runs it anyway, later. So a write whose future is dropped early is not
//! retired on the spot: the connection it ran on is kept and, on a spawned task, asked for one more
//! round trip (a ping, or the `ROLLBACK` of an unfinished transaction), which the driver answers only
//! after everything queued before it; then the write is retired. Without a Tokio runtime to spawn on, the
//! log is *poisoned* and the cache stays off for good: slower, never stale.
//!
//! ## Transactions
//! [`WriteTx`] runs `BEGIN` / `COMMIT` / `ROLLBACK` itself on a connection it owns, rather than using
//! sqlx's `Transaction`, which hands its connection back to the pool when dropped (the drain above
//! needs the connection). An unfinished transaction is always rolled back before its connection goes
//! back to the pool, and a connection that cannot be rolled back is closed rather than reused.
//!
//! Without a log (PostgreSQL, or SQLite opened with [`Db::connect`](super::Db::connect)) statements go
//! straight to the pool and nothing is counted.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Either, Execute, Executor, SqlStr};

/// Writes in progress and a generation number that moves on whenever one starts or ends.
#[derive(Debug, Default)]
pub(crate) struct WriteLog {
    generation: AtomicU64,
    in_progress: AtomicUsize,
    poisoned: AtomicBool,
}

impl WriteLog {
    /// The generation, if no write is in progress now (and the log is sound): the stamp a cached value
    /// read from here on must carry to be served later.
    pub(crate) fn quiet_generation(&self) -> Option<u64> {
        // Generation first: a write announced after this load is concurrent with the caller's read,
        // and the count below (or the generation check when the value is stored) catches the rest.
        let generation = self.generation.load(Ordering::SeqCst);
        let quiet = self.in_progress.load(Ordering::SeqCst) == 0 && !self.poisoned.load(Ordering::SeqCst);
        quiet.then_some(generation)
    }

    /// Announce a write; the returned guard retires it.
    fn announce(self: &Arc<Self>) -> Announced {
        self.in_progress.fetch_add(1, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
        Announced { log: self.clone() }
    }

    fn poison(&self) {
        self.poisoned.store(true, Ordering::SeqCst);
    }
}

/// One announced write; dropping it retires the write.
#[derive(Debug)]
struct Announced {
    log: Arc<WriteLog>,
}

impl Drop for Announced {
    fn drop(&mut self) {
        self.log.generation.fetch_add(1, Ordering::SeqCst);
        self.log.in_progress.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The pool, with an optional [`WriteLog`].
#[derive(Debug, Clone)]
pub(crate) struct TrackedPool {
    pool: AnyPool,
    log: Option<Arc<WriteLog>>,
}

impl TrackedPool {
    /// A pool whose writes are logged in `log`, if given.
    pub(crate) fn new(pool: AnyPool, log: Option<Arc<WriteLog>>) -> TrackedPool {
        TrackedPool { pool, log }
    }

    /// The same pool, logging its writes in `log` from now on.
    pub(crate) fn with_log(self, log: Arc<WriteLog>) -> TrackedPool {
        TrackedPool { pool: self.pool, log: Some(log) }
    }

    /// Close every connection (see [`sqlx::Pool::close`]).
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// A connection of one's own, counted as a write while held.
    pub(crate) async fn acquire(&self) -> Result<OwnConnection, sqlx::Error> {
        let announced = self.log.as_ref().map(WriteLog::announce);
        let conn = self.pool.acquire().await?;
        Ok(OwnConnection { conn: Some(conn), announced })
    }

    /// Begin a transaction that will write, with `begin` (`BEGIN`, or `BEGIN IMMEDIATE` on SQLite).
    pub(crate) async fn begin_write(&self, begin: &'static str) -> Result<WriteTx, sqlx::Error> {
        // Open from before `BEGIN` is sent: if this future is dropped while it is on its way, the
        // transaction may yet begin, and must then be rolled back, not handed to the next user.
        let mut tx = WriteTx { conn: self.acquire().await?, open: true };
        if let Err(e) = sqlx::raw_sql(begin).execute(&mut *tx.conn).await {
            // The driver answered: no transaction began.
            tx.open = false;
            return Err(e);
        }
        Ok(tx)
    }
}

/// A pooled connection that, when tracked, keeps its write announced until the driver is done with it.
#[derive(Debug)]
pub(crate) struct OwnConnection {
    conn: Option<PoolConnection<Any>>,
    announced: Option<Announced>,
}

impl Deref for OwnConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn.as_deref().expect("the connection is present until drop")
    }
}

impl DerefMut for OwnConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_deref_mut().expect("the connection is present until drop")
    }
}

impl OwnConnection {
    /// Give the connection back now that nothing of ours is queued on it.
    fn finish(mut self) {
        self.announced.take();
    }

    /// Run `last` (a ping when `None`) on the connection after whatever is still queued on it, then give
    /// it back and retire the write; without a runtime, close it and poison the log instead.
    fn drain(&mut self, last: Option<&'static str>) {
        let Some(mut conn) = self.conn.take() else { return };
        let announced = self.announced.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let settled = match last {
                        Some(sql) => sqlx::raw_sql(sql).execute(&mut *conn).await.map(drop),
                        None => conn.ping().await,
                    };
                    if settled.is_err() {
                        // Its state is unknown (say, a transaction still open): never reuse it.
                        conn.close_on_drop();
                    }
                    drop(conn);
                    drop(announced);
                });
            }
            Err(_) => {
                conn.close_on_drop();
                if let Some(a) = announced {
                    a.log.poison();
                    drop(a);
                }
            }
        }
    }
}

impl Drop for OwnConnection {
    fn drop(&mut self) {
        // Untracked connections go straight back; tracked ones were either finished (nothing left
        // here) or are dropped in the middle of something, which must settle first.
        if self.announced.is_some() {
            self.drain(None);
        }
    }
}

/// A write transaction on a connection of its own. Dropped without [`commit`](WriteTx::commit), it is
/// rolled back before the connection is reused.
#[derive(Debug)]
pub(crate) struct WriteTx {
    conn: OwnConnection,
    open: bool,
}

impl WriteTx {
    /// Commit.
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        sqlx::raw_sql("COMMIT").execute(&mut *self.conn).await?;
        self.open = false;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if self.open {
            // Even untracked: a connection must never go back to the pool inside a transaction.
            // If COMMIT was already sent, this ROLLBACK fails harmlessly ("no transaction is active").
            self.conn.drain(Some("ROLLBACK"));
        } else if let Some(conn) = self.conn.conn.take() {
            drop(conn);
            self.conn.announced.take();
        }
    }
}

/// Whether a statement only reads (see the module documentation).
fn reads_only(sql: &str) -> bool {
    let head = sql.trim_start().as_bytes();
    head.len() >= 6 && head[..6].eq_ignore_ascii_case(b"SELECT")
}

/// A statement taken apart (to read its text) and put back together, unchanged.
struct Rebuilt {
    sql: SqlStr,
    arguments: Option<AnyArguments>,
    persistent: bool,
}

impl Rebuilt {
    fn from<'q, E: Execute<'q, Any>>(mut query: E) -> Result<Rebuilt, sqlx::Error> {
        let persistent = query.persistent();
        let arguments = query.take_arguments().map_err(sqlx::Error::Encode)?;
        Ok(Rebuilt { sql: query.sql(), arguments, persistent })
    }
}

impl<'q> Execute<'q, Any> for Rebuilt {
    fn sql(self) -> SqlStr {
        self.sql
    }

    fn statement(&self) -> Option<&AnyStatement> {
        None
    }

    fn take_arguments(&mut self) -> Result<Option<AnyArguments>, sqlx::error::BoxDynError> {
        Ok(self.arguments.take())
    }

    fn persistent(&self) -> bool {
        self.persistent
    }
}

type Step = Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>;

impl TrackedPool {
    /// Run a write on a connection of its own, collecting its results, announced until it settles.
    async fn write(&self, query: Rebuilt) -> Vec<Step> {
        let mut conn = match self.acquire().await {
            Ok(conn) => conn,
            Err(e) => return vec![Err(e)],
        };
        let steps: Vec<Step> = conn.fetch_many(query).collect().await;
        conn.finish();
        steps
    }
}

impl<'p> Executor<'p> for &'p TrackedPool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Step>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        if self.log.is_none() {
            return (&self.pool).fetch_many(query);
        }
        let query = match Rebuilt::from(query) {
            Ok(q) => q,
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        if reads_only(query.sql.as_str()) {
            return (&self.pool).fetch_many(query);
        }
        stream::once(self.write(query)).flat_map(stream::iter).boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        if self.log.is_none() {
            return (&self.pool).fetch_optional(query);
        }
        Box::pin(async move {
            let query = Rebuilt::from(query)?;
            if reads_only(query.sql.as_str()) {
                return (&self.pool).fetch_optional(query).await;
            }
            // Like sqlx's own `fetch_optional`: the first row, or none; the first error wins.
            let mut first = None;
            for step in self.write(query).await {
                match step? {
                    Either::Right(row) if first.is_none() => first = Some(row),
                    _ => {}
                }
            }
            Ok(first)
        })
    }

    fn prepare_with<'e>(
        self,
        sql: SqlStr,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_selects_count_as_reads() {
        for sql in ["SELECT 1", "  select x FROM t", "\n\tSeLeCt * FROM sessions"] {
            assert!(reads_only(sql), "{sql}");
        }
        for sql in [
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET x = 1",
            "DELETE FROM t",
            "WITH x AS (SELECT 1) \
                     DELETE FROM t",
            "VACUUM INTO 'x'",
            "PRAGMA integrity_check",
            "",
            "SELEC",
        ] {
            assert!(!reads_only(sql), "{sql}");
        }
    }

    #[test]
    fn announcing_and_retiring_a_write_moves_the_generation_and_silences_the_log() {
        let log = Arc::new(WriteLog::default());
        let g0 = log.quiet_generation().expect("quiet at first");
        let announced = log.announce();
        assert_eq!(log.quiet_generation(), None, "a write in progress");
        drop(announced);
        let g1 = log.quiet_generation().expect("quiet again");
        assert!(g1 > g0, "the generation moved on");
        log.poison();
        assert_eq!(log.quiet_generation(), None, "a poisoned log is never quiet");
    }
}
