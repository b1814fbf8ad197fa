//! Static assets, embedded in the binary and served by kneeroot itself (no CDN, no third-party request).
//! Each is served with its content type and a one-day cache; the URLs are stable, so a deployment that
//! changes an asset should expect clients to pick it up within a day.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kneeroot_store::Store;

use crate::state::AppState;

/// The body diagram of the results page (regions are coloured per result).
pub const BODY_DIAGRAM: &str = include_str!("../assets/illustrations/body-diagram.svg");

const FILES: [(&str, &str, &str); 13] = [
    ("style.css", "text/css; charset=utf-8", include_str!("../assets/style.css")),
    ("camera.js", "text/javascript; charset=utf-8", include_str!("../assets/camera.js")),
    ("favicon.svg", "image/svg+xml", include_str!("../assets/favicon.svg")),
    ("illustrations/body-diagram.svg", "image/svg+xml", BODY_DIAGRAM),
    ("illustrations/squat-test.svg", "image/svg+xml", include_str!("../assets/illustrations/squat-test.svg")),
    ("illustrations/squat-side.svg", "image/svg+xml", include_str!("../assets/illustrations/squat-side.svg")),
    ("illustrations/back-ball-test.svg", "image/svg+xml", include_str!("../assets/illustrations/back-ball-test.svg")),
    ("illustrations/knee-to-wall.svg", "image/svg+xml", include_str!("../assets/illustrations/knee-to-wall.svg")),
    (
        "illustrations/single-leg-stance.svg",
        "image/svg+xml",
        include_str!("../assets/illustrations/single-leg-stance.svg"),
    ),
    ("illustrations/thomas-test.svg", "image/svg+xml", include_str!("../assets/illustrations/thomas-test.svg")),
    ("illustrations/hip-rotation.svg", "image/svg+xml", include_str!("../assets/illustrations/hip-rotation.svg")),
    (
        "illustrations/side-lying-leg-lift.svg",
        "image/svg+xml",
        include_str!("../assets/illustrations/side-lying-leg-lift.svg"),
    ),
    (
        "robots.txt",
        "text/plain; charset=utf-8",
        "User-agent: *\nDisallow: /assess\nDisallow: /account\nDisallow: /api/\n",
    ),
];

/// Asset routes under `/assets/…` (and `/robots.txt`).
pub fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/assets/{*path}", get(asset))
        .route("/robots.txt", get(|| asset(Path("robots.txt".to_owned()))))
}

async fn asset(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, body)) => {
            let mut response = (*body).into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            response
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_asset_refers_to_another_origin_or_carries_script() {
        for (name, _, body) in FILES {
            assert!(
                !body.contains("http://") || body.contains("http://www.w3.org/2000/svg"),
                "{name} refers elsewhere"
            );
            assert!(!body.contains("https://"), "{name} refers elsewhere");
            assert!(!body.contains("<script"), "{name} carries a script");
            assert!(!body.contains("style=\""), "{name} has an inline style the CSP would block");
        }
    }
}
