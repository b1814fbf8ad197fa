//! The Content-Security-Policy of the camera capture page: the site-wide one (`security/headers.rs`) plus
//! the two things the in-browser pose model and the video need, and nothing more. Each was found
//! necessary by removing it in headless Chromium (e2e/tests/camera.test.mjs runs with this policy):
//!
//! - `script-src 'wasm-unsafe-eval'`: MediaPipe's runtime is WebAssembly, and compiling it is blocked
//!   without this (`WebAssembly.instantiate` fails with a CompileError/RuntimeError). It allows compiling
//!   wasm only, not `eval` of JavaScript (`'unsafe-eval'` stays out). The package's JavaScript (pose.js
//!   and the loaders it adds as script tags) comes from this origin, so `'self'` covers it.
//! - `media-src blob:`: "a video already on this device" plays from an object URL (`blob:`), so the
//!   file is never uploaded. A live camera needs nothing here: a `MediaStream` set as `srcObject` is not
//!   a fetch, and CSP does not apply to it.
//!
//! Not needed, checked: `img-src blob:` (the model reads the video frame by frame through WebGL, and the
//! skeleton is drawn on a canvas), `worker-src` (the legacy package runs on the page's thread), and
//! `connect-src` beyond `'self'` (the wasm, the packed detector and the landmark model are fetched from
//! `/assets/pose/`). No other origin and no inline script, as everywhere else.

/// The capture page's Content-Security-Policy.
pub(crate) const CAMERA_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                                     img-src 'self' data:; media-src blob:; connect-src 'self'; font-src 'self'; \
                                     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
