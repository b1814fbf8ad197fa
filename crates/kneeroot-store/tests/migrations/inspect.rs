//! Looking at a database behind the store's back, as an older release or an operator would: a raw
//! connection, the version rows, the list of tables, and the whole schema as comparable text (to show
//! that applying a migration again changes nothing).

use std::collections::BTreeSet;

use kneeroot_store::Backend;
use sqlx::{AnyConnection, Connection};

use crate::harness::Place;

/// A plain connection to a place, with the PRAGMA the store sets on SQLite (cascades depend on it).
pub async fn raw(place: &Place) -> AnyConnection {
    sqlx::any::install_default_drivers();
    let url = match place.backend {
        Backend::Sqlite => format!("{}?mode=rwc", place.url),
        Backend::Postgres => place.url.clone(),
    };
    let mut conn = AnyConnection::connect(&url).await.expect("raw connection");
    if place.backend == Backend::Sqlite {
        sqlx::raw_sql("PRAGMA foreign_keys = ON").execute(&mut conn).await.expect("foreign keys on");
    }
    conn
}

/// The rows of `kneeroot_schema`: (version, applied_at), by version.
pub async fn recorded(place: &Place) -> Vec<(i64, i64)> {
    let mut conn = raw(place).await;
    let rows = sqlx::query_as("SELECT version, applied_at FROM kneeroot_schema ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .expect("kneeroot_schema");
    conn.close().await.expect("close");
    rows
}

/// The application's tables (not the runner's), by name.
pub async fn tables(place: &Place) -> BTreeSet<String> {
    let sql = match place.backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE'"
        }
    };
    let mut conn = raw(place).await;
    let names: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut conn).await.expect("list tables");
    conn.close().await.expect("close");
    names.into_iter().filter(|n| n != "kneeroot_schema").collect()
}

/// Everything that defines the schema (tables, columns, indexes, triggers), as comparable text.
pub async fn schema(place: &Place) -> Vec<String> {
    let mut conn = raw(place).await;
    let rows: Vec<(String, String)> = match place.backend {
        Backend::Sqlite => {
            sqlx::query_as("SELECT type || ' ' || name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name")
                .fetch_all(&mut conn)
                .await
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT 'column ' || table_name::text || '.' || column_name::text, data_type::text || ' ' \
                 || is_nullable::text || ' ' || COALESCE(column_default::text, '') FROM information_schema.columns \
                 WHERE table_schema = 'public' \
                 UNION ALL SELECT 'index ' || indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' \
                 UNION ALL SELECT 'trigger ' || tgname::text, pg_get_triggerdef(oid) FROM pg_trigger \
                 WHERE NOT tgisinternal ORDER BY 1",
            )
            .fetch_all(&mut conn)
            .await
        }
    }
    .expect("read the schema");
    conn.close().await.expect("close");
    rows.into_iter().map(|(what, def)| format!("{what}: {def}")).collect()
}
