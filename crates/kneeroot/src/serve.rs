//! `kneeroot serve`: open (and migrate) the database, optionally seed demo accounts, bind, and serve
//! until SIGTERM or Ctrl-C, finishing the requests in flight.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use kneeroot_store::{Db, SessionStore, StoreError, ThrottleStore};
use kneeroot_web::{AppState, Config};
use tokio::net::TcpListener;

use crate::cli::{LogFormat, ServeArgs};
use crate::commands::Failure;
use crate::knowledge_source;
use crate::settings::{Settings, unknown_env_vars};

/// Run the server.
pub fn run(knowledge: Option<&Path>, args: &ServeArgs) -> Result<(), Failure> {
    let settings = Settings::resolve(args).map_err(Failure::input)?;
    init_logging(settings.log_format);
    for name in unknown_env_vars() {
        tracing::warn!(variable = %name, "unknown KNEEROOT_ environment variable ignored (a typo?)");
    }
    let kb = knowledge_source::load(knowledge)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
        .map_err(Failure::failed)?;
    runtime.block_on(serve(settings, kb, args.demo))
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn serve(settings: Settings, kb: kneeroot_core::Knowledge, demo: bool) -> Result<(), Failure> {
    if !settings.database_url.is_postgres() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create the data folder {}", settings.data_dir.display()))
            .map_err(Failure::input)?;
    }
    // On SQLite this takes the database's lock file: a second server on the same file is refused.
    let db = Db::connect_for_serving(settings.database_url.expose()).await.map_err(|e| match e {
        StoreError::SchemaTooNew { .. } | StoreError::BadUrl(_) => Failure::input(anyhow::anyhow!("{e}")),
        // The lock file is held: the message says by whom and what to do.
        StoreError::Conflict(message) => Failure::failed(anyhow::anyhow!("{message}")),
        other => Failure::failed(anyhow::anyhow!("cannot open the database {}: {other}", settings.database_url)),
    })?;
    tracing::info!(database = %settings.database_url, knowledge = kb.version(), "database ready");
    if demo {
        crate::demo::seed(&db, &kb).await.map_err(Failure::failed)?;
    }
    let config = Config {
        secure_cookies: settings.secure_cookies,
        session_seconds: settings.session_days * 24 * 3600,
        trust_forwarded_for: settings.trust_forwarded_for,
        invitation_seconds: settings.invitation_days * 24 * 3600,
        public_url: settings.public_url.clone(),
        pose_assets: settings.pose_assets.clone(),
        ..Config::default()
    };
    let failure_window = config.failure_window_seconds;
    let state = AppState::new(db.clone(), kb, config);
    match (&settings.pose_assets, state.pose_ready) {
        (Some(dir), true) => tracing::info!(pose_assets = %dir.display(), "camera squat screen available"),
        (Some(dir), false) => tracing::warn!(
            pose_assets = %dir.display(),
            "camera squat screen unavailable: no pose.js in the pose model folder (run scripts/fetch-pose)"
        ),
        (None, _) => {
            tracing::info!("camera squat screen unavailable: the pose model is not installed (run scripts/fetch-pose)")
        }
    }
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))
        .map_err(Failure::input)?;
    let addr = listener.local_addr().map_err(|e| Failure::failed(anyhow::Error::from(e)))?;
    println!("kneeroot is running at http://{addr}/ (press Ctrl-C to stop)");
    tracing::info!(%addr, "listening");
    tokio::spawn(purge_expired(db.clone(), failure_window));
    kneeroot_web::serve(listener, state, shutdown_signal()).await.context("serving").map_err(Failure::failed)?;
    tracing::info!("stopped");
    db.close().await;
    Ok(())
}

/// Every hour, remove expired sessions and the failed logins older than the throttling window (they no
/// longer count, and they hold emails and addresses), so neither table grows without bound.
async fn purge_expired(db: Db, failure_window_seconds: i64) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        match db.purge_expired_sessions(now).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
        }
        match db.purge_failures_before(now - failure_window_seconds).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "old failed logins removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "removing old failed logins failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
