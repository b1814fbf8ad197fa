//! # kneeroot-web
//!
//! The web application (server-rendered pages, mobile first, no JavaScript needed) and the JSON API
//! (`/api/v1`, described by an OpenAPI 3.1 document), as a library. The binary builds an [`AppState`],
//! binds a listener and calls [`serve`]; tests do the same on port 0 with a fresh database.
//!
//! ## Design
//! - **Generic over the store.** Handlers are generic over `S: Store`, so they can only use what the
//!   storage traits offer; reading a record always needs its owner, which only the signed-in-user
//!   extractors produce (access control in the types).
//! - **One error mapping.** Handlers return [`error::AppError`] (pages) or [`error::ApiError`] (API); one
//!   function decides status codes, pages get an HTML error page, the API gets
//!   `{"error": {"code", "message", "field"}}`, and internal causes are logged, never shown.
//! - **Sessions on the server.** A random token in an HttpOnly, SameSite=Lax cookie (Secure when
//!   configured for TLS) or a bearer header; the database keeps only its SHA-256. The id rotates at login.
//!   Every state-changing form carries the session's CSRF token, checked in one extractor.
//! - **Nothing leaves the page.** A strict Content-Security-Policy with no inline script and no other
//!   origin; styles, pictures and the body diagram are served by kneeroot itself.

pub mod api;
mod assets;
mod booking;
pub mod cache;
pub mod charts;
mod clinic;
pub mod clock;
pub mod error;
mod export;
pub mod invitation;
mod pages;
pub mod security;
pub mod session;
pub mod state;
mod views;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use kneeroot_store::Store;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

pub use state::{AppState, Config};

/// The largest request body accepted (answers and forms are small).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application: pages, API, assets and health checks.
pub fn router<S: Store>(state: AppState<S>) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .merge(assets::routes())
        .merge(pages::health_routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .with_state(state)
}

/// Serve the application on an already bound listener until `shutdown` resolves, then finish the
/// requests in flight.
///
/// # Errors
/// Only if the listener fails.
pub async fn serve<S: Store>(
    listener: TcpListener,
    state: AppState<S>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
