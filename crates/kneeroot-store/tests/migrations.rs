//! Upgrades, tested one migration at a time on both backends.
//!
//! For **every** migration N this build knows (from [`schema_versions`], so a new file is covered the
//! day it is added), a fresh database is brought to version N − 1 with [`migrate_to`], filled the way
//! that release would have filled it (raw SQL, only the tables of that version, one or more rows of
//! each), and then opened with [`Db::connect`] as a new server would: it must migrate to the newest
//! version, keep every version row it found, read every seeded row back identically through the store
//! traits, and still enforce the schema's rules (unique emails, no double booking, foreign keys,
//! erasure with the account). N = 1 starts from a truly empty database.
//!
//! Besides: each migration applies on its own to the schema before it, and applying it again changes
//! nothing; a second start on a migrated database is a no-op; a database newer than this build is
//! refused with a message naming both versions, and left untouched.
//!
//! **Adding a migration.** If it only changes columns or indexes, nothing here needs editing. If it adds
//! tables, [`every_table_is_seeded_from_the_version_that_creates_it`] fails until they are listed in
//! `seed::SEEDED_TABLES` and written by a `seed_vN` (called from `seed::seed`) and checked by `check::verify`; the
//! other tests then carry the new rows through every later upgrade.
//!
//! Run: `cargo test -p kneeroot-store --test migrations` (SQLite), and with
//! `KNEEROOT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test` for both.

#[path = "migrations/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "conformance/harness.rs"]
mod harness;
#[path = "migrations/inspect.rs"]
mod inspect;
#[path = "migrations/seed.rs"]
mod seed;

use kneeroot_store::*;
use sqlx::Connection;

use check::{constraints_hold, verify};
use inspect::{raw, recorded, schema, tables};
use seed::{T, declared_tables, seed};

fn latest(backend: Backend) -> i64 {
    *schema_versions(backend).last().expect("at least one migration")
}

#[tokio::test]
async fn every_migration_keeps_the_data_of_the_schema_before_it() {
    for n in schema_versions(Backend::Sqlite) {
        for place in harness::places().await {
            let backend = place.backend;
            eprintln!("-- on {backend:?}: migration {n} over data written at version {}", n - 1);
            // Version 0 is a database nobody has touched: not even the version table exists.
            if n > 1 {
                assert_eq!(migrate_to(&place.url, n - 1).await.expect("migrate to N - 1"), n - 1);
            }
            let mut conn = raw(&place).await;
            let seeded = seed(&mut conn, n - 1).await;
            conn.close().await.unwrap();
            let before = if n > 1 { recorded(&place).await } else { Vec::new() };

            let db =
                Db::connect(&place.url).await.unwrap_or_else(|e| panic!("migration {n} over version {}: {e}", n - 1));
            assert_eq!(db.schema_version().await.unwrap(), latest(backend));
            let after = recorded(&place).await;
            assert_eq!(&after[..before.len()], &before[..], "the versions found are kept as they were");
            let versions: Vec<i64> = after.iter().map(|(v, _)| *v).collect();
            assert_eq!(versions, schema_versions(backend), "each version recorded once, in order");

            verify(&db, &seeded).await;
            constraints_hold(&db, &place, &seeded).await;
            db.close().await;
        }
    }
}

#[tokio::test]
async fn each_migration_applies_to_the_schema_before_it_and_again_changes_nothing() {
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        assert_eq!(migrate_to(&place.url, 0).await.unwrap(), 0, "version 0: just the version table");
        assert!(tables(&place).await.is_empty());
        for n in schema_versions(place.backend) {
            assert_eq!(migrate_to(&place.url, n).await.unwrap(), n, "migration {n}");
            let (shape, rows) = (schema(&place).await, recorded(&place).await);
            assert_eq!(rows.iter().map(|(v, _)| *v).collect::<Vec<_>>(), (1..=n).collect::<Vec<_>>());
            assert_eq!(migrate_to(&place.url, n).await.unwrap(), n, "migration {n} again");
            assert_eq!(schema(&place).await, shape, "applying migration {n} again changed the schema");
            assert_eq!(recorded(&place).await, rows, "applying migration {n} again was recorded");
            // Migrations only go forward: asking for an older version changes nothing.
            assert_eq!(migrate_to(&place.url, n - 1).await.unwrap(), n);
            assert_eq!(recorded(&place).await, rows);
        }
        let db = Db::connect(&place.url).await.expect("a server starts on the stepwise schema");
        assert_eq!(db.schema_version().await.unwrap(), latest(place.backend));
        db.close().await;
    }
}

#[tokio::test]
async fn every_table_is_seeded_from_the_version_that_creates_it() {
    for place in harness::places().await {
        for n in schema_versions(place.backend) {
            migrate_to(&place.url, n).await.unwrap();
            let found = tables(&place).await;
            let declared = declared_tables(n);
            let unseeded: Vec<&String> = found.difference(&declared).collect();
            assert!(
                unseeded.is_empty(),
                "{:?}: migration {n} creates {unseeded:?}, which tests/migrations.rs does not seed: list them under \
                 version {n} in SEEDED_TABLES, write them in a seed_v{n} and check them in verify",
                place.backend
            );
            let missing: Vec<&String> = declared.difference(&found).collect();
            assert!(
                missing.is_empty(),
                "{:?}: SEEDED_TABLES names {missing:?} at version {n}, which has none",
                place.backend
            );
        }
    }
}

#[tokio::test]
async fn a_second_start_on_a_migrated_database_changes_nothing() {
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        let newest = latest(place.backend);
        assert_eq!(migrate_to(&place.url, newest).await.unwrap(), newest);
        let mut conn = raw(&place).await;
        let seeded = seed(&mut conn, newest).await;
        conn.close().await.unwrap();
        let (schema_before, rows_before) = (schema(&place).await, recorded(&place).await);
        for _ in 0..2 {
            let db = Db::connect(&place.url).await.expect("start");
            verify(&db, &seeded).await;
            db.close().await;
            assert_eq!(migrate_to(&place.url, newest).await.unwrap(), newest);
        }
        assert_eq!(schema(&place).await, schema_before);
        assert_eq!(recorded(&place).await, rows_before, "no version applied or recorded twice");
    }
}

#[tokio::test]
async fn a_database_newer_than_this_build_is_refused_naming_both_versions_and_left_untouched() {
    for place in harness::places().await {
        eprintln!("-- on {:?}", place.backend);
        let known = latest(place.backend);
        let newer = known + 1;
        migrate_to(&place.url, known).await.unwrap();
        let mut conn = raw(&place).await;
        let seeded = seed(&mut conn, known).await;
        sqlx::query("INSERT INTO kneeroot_schema (version, applied_at) VALUES ($1, $2)")
            .bind(newer)
            .bind(T)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let (schema_before, rows_before) = (schema(&place).await, recorded(&place).await);

        for attempt in [Db::connect(&place.url).await.map(|_| ()), migrate_to(&place.url, known).await.map(|_| ())] {
            let e = attempt.expect_err("a newer schema must be refused");
            assert!(matches!(e, StoreError::SchemaTooNew { found, known: k } if found == newer && k == known), "{e:?}");
            let message = e.to_string();
            for needed in [format!("version {newer}"), format!("up to {known}"), "upgrade kneeroot".to_owned()] {
                assert!(message.contains(&needed), "the message should say {needed:?}: {message}");
            }
        }
        assert_eq!(schema(&place).await, schema_before, "a refused start changes no schema");
        assert_eq!(recorded(&place).await, rows_before);
        // Once the version row is gone (a downgrade done by hand), the data is all still there.
        let mut conn = raw(&place).await;
        sqlx::query("DELETE FROM kneeroot_schema WHERE version = $1").bind(newer).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        let db = Db::connect(&place.url).await.expect("starts again");
        verify(&db, &seeded).await;
        db.close().await;
    }
}

#[tokio::test]
async fn asking_for_a_version_this_build_does_not_know_is_refused() {
    for place in harness::places().await {
        let known = latest(place.backend);
        let e = migrate_to(&place.url, known + 1).await.expect_err("an unknown target");
        assert!(matches!(e, StoreError::SchemaTooNew { found, known: k } if found == known + 1 && k == known), "{e:?}");
        assert!(matches!(migrate_to("mysql://localhost/x", 1).await, Err(StoreError::BadUrl(_))));
    }
}
