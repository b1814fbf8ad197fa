//! Fresh databases for the conformance suite, one per test and backend.
//!
//! SQLite is always tested, on a file in a temporary directory (a file, not memory, so WAL and
//! reconnects are real). PostgreSQL is tested when `KNEEROOT_TEST_POSTGRES` holds a server URL: the
//! harness creates a database `kr_<random hex>` on it, and [`Place`]'s `Drop` removes it, even when the
//! test panicked. A set but unreachable server fails the test: CI that asked for PostgreSQL must not pass
//! green without it.
//!
//! A [`Place`] is an empty database (for tests of first start); a [`TestDb`] is a place with a migrated
//! [`Db`] connected to it.

use std::future::Future;

use kneeroot_store::{Backend, Db, UserId};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tempfile::TempDir;

const POSTGRES_ENV: &str = "KNEEROOT_TEST_POSTGRES";

/// An empty database, removed when dropped.
pub struct Place {
    /// The backend it is on.
    pub backend: Backend,
    /// Its URL.
    pub url: String,
    cleanup: Cleanup,
}

/// A migrated database and a store connected to it.
pub struct TestDb {
    /// The store under test. Declared before `place`, so the pool is dropped before the database.
    pub db: Db,
    /// Its URL, for reconnecting.
    pub url: String,
    _place: Place,
}

enum Cleanup {
    /// Dropping the directory deletes the database file with it.
    Sqlite {
        _dir: TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

/// One empty database per backend under test: SQLite, then PostgreSQL if configured.
pub async fn places() -> Vec<Place> {
    let mut all = vec![sqlite()];
    if let Some(admin_url) = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty()) {
        all.push(postgres(admin_url).await);
    }
    all
}

/// An empty PostgreSQL database created with extra `CREATE DATABASE` options (a locale, say), if
/// PostgreSQL is under test.
pub async fn postgres_place_with(options: &str) -> Option<Place> {
    let admin_url = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty())?;
    Some(postgres_with(admin_url, options).await)
}

/// One fresh, migrated database per backend under test.
pub async fn backends() -> Vec<TestDb> {
    let mut all = Vec::new();
    for place in places().await {
        let db = Db::connect(&place.url).await.unwrap_or_else(|e| panic!("{:?} test database: {e}", place.backend));
        assert_eq!(db.backend(), place.backend);
        all.push(TestDb { db, url: place.url.clone(), _place: place });
    }
    all
}

/// Run `test` once per backend, each time on a fresh database, given the store and its URL.
///
/// The test gets clones rather than the [`TestDb`]: an `async move` block captures only the fields it
/// uses, so a moved-in `TestDb` would drop its database the moment the test touched only `db`.
pub async fn on_every_backend<F, Fut>(test: F)
where
    F: Fn(Db, String) -> Fut,
    Fut: Future<Output = ()>,
{
    for t in backends().await {
        eprintln!("-- on {:?}", t.db.backend());
        test(t.db.clone(), t.url.clone()).await;
        drop(t);
    }
}

fn sqlite() -> Place {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("kneeroot.db").display());
    Place { backend: Backend::Sqlite, url, cleanup: Cleanup::Sqlite { _dir: dir } }
}

async fn postgres(admin_url: String) -> Place {
    postgres_with(admin_url, "").await
}

async fn postgres_with(admin_url: String, options: &str) -> Place {
    let name = format!("kr_{}", UserId::random());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but the server cannot be reached: {e}"));
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name} {options}")))
        .execute(&mut admin)
        .await
        .expect("CREATE DATABASE");
    let _ = admin.close().await;
    let url = with_database(&admin_url, &name);
    Place { backend: Backend::Postgres, url, cleanup: Cleanup::Postgres { admin_url, name } }
}

/// The admin URL with its database path replaced by `name`, keeping host, user and query.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        url = format!("{url}?{query}");
    }
    url
}

fn drop_postgres(cleanup: &Cleanup) {
    let Cleanup::Postgres { admin_url, name } = cleanup else { return };
    let (admin_url, name) = (admin_url.clone(), name.clone());
    // Drop cannot await, and may run inside the test's runtime, where blocking on another future
    // would panic; a thread with its own small runtime sidesteps both.
    let dropped = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        rt.block_on(async {
            let mut admin = PgConnection::connect(&admin_url).await.map_err(|e| e.to_string())?;
            // FORCE ends the pool's connections, which are still open while the guard runs.
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
            admin.close().await.map_err(|e| e.to_string())
        })
    })
    .join();
    match dropped {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("could not drop the test database: {e}"),
        Err(_) => eprintln!("the thread dropping the test database panicked"),
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        drop_postgres(&self.cleanup);
    }
}

#[test]
fn the_database_name_replaces_the_admin_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "kr_1"),
        "postgres://postgres@127.0.0.1:5432/kr_1"
    );
    assert_eq!(with_database("postgres://u:p@h/test?sslmode=disable", "kr_1"), "postgres://u:p@h/kr_1?sslmode=disable");
    assert_eq!(with_database("postgresql://h", "kr_1"), "postgresql://h/kr_1");
}
