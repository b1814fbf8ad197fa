//! [`ThrottleStore`] for [`Db`].
//!
//! Each failure is a row `(key, at)`, and a count is a range query over the `(key, at)` index. Rows
//! rather than a counter per key, so that any window can be asked for after the fact and concurrent
//! failures from several instances never lose an increment. A window is inclusive: a failure at exactly
//! `since` counts. Keys may contain an email, so spans never record them.
//!
//! Rows older than any window are dead weight (and personal data: an email, an address), so the server
//! purges them periodically with [`ThrottleStore::purge_failures_before`]. The purge scans by `at`, which
//! the `(key, at)` index does not lead with; the table stays small exactly because of this purge, so a
//! scan is cheap and a second index would only slow down every failed login.

use super::{Db, map_err};
use crate::error::StoreResult;
use crate::model::Timestamp;
use crate::traits::ThrottleStore;

impl ThrottleStore for Db {
    #[tracing::instrument(skip_all, err(level = "warn"), fields(now))]
    async fn record_failure(&self, key: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(since))]
    async fn failures_since(&self, key: &str, since: Timestamp) -> StoreResult<u32> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        // A count is never negative; one beyond u32 is already far past any throttle limit.
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    async fn clear_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "warn"), fields(before))]
    async fn purge_failures_before(&self, before: Timestamp) -> StoreResult<u64> {
        // Strictly before: a failure at exactly `before` may still be inside a window that starts there
        // (`failures_since` counts `at >= since`).
        let done = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }
}
