//! The pose model's files (`@mediapipe/pose@0.5.1675469404`, Apache-2.0) under `/assets/pose/{file}`,
//! read from the folder `Config::pose_assets` names.
//!
//! Only the package's own file names are served, compared exactly: a name is never joined to a path
//! unless it is one of [`FILES`], so `..`, slashes, encodings and every other file in the folder are a
//! 404, whatever the folder holds. The files are large (the heavy model is 27 MB) and were made for
//! browsers to keep, so they are streamed from disk and cached for a month.

use std::path::Path as FsPath;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kneeroot_store::Store;
use tokio::io::AsyncReadExt;

use crate::state::AppState;

/// The files of `@mediapipe/pose@0.5.1675469404` that the browser may ask for, with their content types.
const FILES: [(&str, &str); 11] = [
    ("pose.js", JS),
    ("pose_solution_packed_assets_loader.js", JS),
    ("pose_solution_packed_assets.data", BINARY),
    ("pose_solution_simd_wasm_bin.js", JS),
    ("pose_solution_simd_wasm_bin.wasm", WASM),
    ("pose_solution_wasm_bin.js", JS),
    ("pose_solution_wasm_bin.wasm", WASM),
    ("pose_web.binarypb", BINARY),
    ("pose_landmark_lite.tflite", BINARY),
    ("pose_landmark_full.tflite", BINARY),
    ("pose_landmark_heavy.tflite", BINARY),
];
const JS: &str = "text/javascript; charset=utf-8";
const WASM: &str = "application/wasm";
const BINARY: &str = "application/octet-stream";

/// How much is read from disk at a time.
const CHUNK: usize = 64 * 1024;

/// Whether the pose model is installed: the folder is configured and holds `pose.js`.
pub(crate) fn pose_ready(dir: Option<&FsPath>) -> bool {
    dir.is_some_and(|d| d.join("pose.js").is_file())
}

/// `GET /assets/pose/{file}`
pub async fn serve<S: Store>(State(state): State<AppState<S>>, Path(file): Path<String>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "not found").into_response();
    let Some((name, content_type)) = FILES.iter().find(|(name, _)| *name == file) else { return not_found() };
    let Some(dir) = state.config.pose_assets.as_deref() else { return not_found() };
    let path = dir.join(name);
    let Ok(opened) = tokio::fs::File::open(&path).await else { return not_found() };
    let length = match opened.metadata().await {
        Ok(m) if m.is_file() => m.len(),
        _ => return not_found(),
    };
    let body = Body::from_stream(futures_util::stream::unfold(Some(opened), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(buffer), Some(file)))
            }
            // The length is already sent: the client sees a truncated body and retries.
            Err(e) => {
                tracing::warn!(error = %e, "reading a pose model file failed");
                Some((Err(e), None))
            }
        }
    }));
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=2592000"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_the_type_its_extension_calls_for() {
        for (name, content_type) in FILES {
            let expected = match name.rsplit_once('.').map(|(_, ext)| ext) {
                Some("js") => JS,
                Some("wasm") => WASM,
                _ => BINARY,
            };
            assert_eq!(content_type, expected, "{name}");
            assert!(!name.contains('/') && !name.contains(".."), "{name}");
        }
    }

    #[test]
    fn the_model_is_ready_only_with_pose_js_in_the_folder() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        assert!(!pose_ready(None));
        assert!(!pose_ready(Some(dir.path())));
        assert!(!pose_ready(Some(&dir.path().join("missing"))));
        std::fs::write(dir.path().join("pose.js"), "// pose").expect("write");
        assert!(pose_ready(Some(dir.path())));
    }
}
