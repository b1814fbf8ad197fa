//! Integration tests of the web application and the JSON API: a real server on a random port, a real
//! HTTP client, a fresh database per test.
//!
//! Every test is written once, as `async fn case(app: TestApp)`, and run on SQLite always and on
//! PostgreSQL when `KNEEROOT_TEST_POSTGRES` names a server (see `helpers`). `both!(case)` generates
//! `case::on_sqlite` and `case::on_postgres`.

/// Run each named case on both backends: `both!(a_case, another_case);`.
macro_rules! both {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn on_sqlite() {
                    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
                    super::$name(app).await;
                }

                #[tokio::test]
                async fn on_postgres() {
                    if !crate::helpers::postgres_configured() {
                        eprintln!("{} is not set: skipped on PostgreSQL", crate::helpers::POSTGRES_ENV);
                        return;
                    }
                    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await;
                    super::$name(app).await;
                }
            }
        )+
    };
}

mod access;
mod access_matrix;
mod accounts;
mod admin;
mod api;
mod appointments;
mod bookings;
mod camera;
mod checkins;
mod clinic;
mod exports;
mod freshness;
mod helpers;
mod hostile_input;
mod invitations;
mod outcomes;
mod pages;
mod scale_out;
mod schedule;
mod security;
mod wizard;
