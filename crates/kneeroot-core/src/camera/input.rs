//! Parsing a landmark series (JSON) into a bounded [`Recording`].
//!
//! The shape is `{"view": "front"|"side", "fps", "width", "height", "frames": [{"t", "landmarks":
//! [[x, y, z, visibility] × 33]}]}` in MediaPipe's normalised image coordinates and landmark order. A
//! frame with `"landmarks": null` or `[]` is a frame where no person was found. Every problem is named
//! with its place (`frames[12].landmarks[25][1]`), and nothing is analysed until all of it is valid.
//!
//! The text is read into a `serde_json::Value` and walked by hand rather than derived with serde: a
//! derived reader would say "invalid length 3, expected an array of length 4 at line 1 column 9137",
//! while a person (or the browser code's author) needs the frame and the landmark. Unknown keys are
//! refused and named, at the top and in frames, so a misspelt `"frame"` or `"time"` is caught instead
//! of silently turning into a recording with no frames or no times. The bounds are generous (points a
//! little outside the picture are normal when a knee or a foot leaves it) but finite, so whatever
//! reaches `kneeroot-squat` is a recording it can measure without meeting a NaN or a million frames.

use std::fmt::Display;

use kneeroot_squat::{Frame, LANDMARK_COUNT};
use serde_json::{Map, Value as Json};
use thiserror::Error;

use super::{Landmark, Recording, View};

/// The most frames a recording may have (two minutes at 30 frames a second).
pub const MAX_FRAMES: usize = 3600;

/// The highest frame rate accepted, in frames a second (phones film at up to 240).
pub const MAX_FPS: f64 = 240.0;

/// The largest image side accepted, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 10_000;

/// The range allowed for a landmark's `x` and `y`, as fractions of the image side. MediaPipe places
/// points it infers outside the picture (a foot below the bottom edge) slightly beyond 0–1; anything
/// further out is not a pose.
pub const COORDINATE_RANGE: (f64, f64) = (-1.0, 2.0);

/// The keys of a recording, in the order they are checked.
const KEYS: [&str; 5] = ["view", "fps", "width", "height", "frames"];

/// The keys of a frame.
const FRAME_KEYS: [&str; 2] = ["t", "landmarks"];

/// The names of a landmark's four numbers, for messages.
const COMPONENTS: [&str; 4] = ["x", "y", "z", "visibility"];

/// Why a landmark series was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct RecordingError(pub String);

/// Parse a landmark series.
///
/// # Errors
/// A [`RecordingError`] naming the first problem found: invalid JSON with its line and column, or the
/// place in the recording (`frames[12].landmarks[25]`), what was expected there and what was found.
pub fn parse_recording(text: &str) -> Result<Recording, RecordingError> {
    let json: Json = serde_json::from_str(text).map_err(|e| RecordingError(format!("not valid JSON: {e}")))?;
    recording_from_json(&json)
}

/// Read a landmark series that is already JSON (for callers that received it inside a larger body).
///
/// # Errors
/// As [`parse_recording`], less the JSON syntax.
pub fn recording_from_json(json: &Json) -> Result<Recording, RecordingError> {
    let Json::Object(map) = json else {
        return fail("", format!("expected an object with the keys {}, found {}", KEYS.join(", "), describe(json)));
    };
    known_keys(map, "", &KEYS)?;
    let view = field(map, "", "view", r#""front" or "side""#, |v| v.as_str().and_then(View::parse))?;
    let fps = field(map, "", "fps", "a frame rate greater than 0 and at most 240", |v| {
        v.as_f64().filter(|f| f.is_finite() && *f > 0.0 && *f <= MAX_FPS)
    })?;
    let side = "a whole number of pixels from 1 to 10000";
    let width = field(map, "", "width", side, image_side)?;
    let height = field(map, "", "height", side, image_side)?;
    let frames = field(map, "", "frames", "a list of frames", Json::as_array)?;
    if frames.is_empty() {
        return fail("frames", "expected at least one frame, found none");
    }
    if frames.len() > MAX_FRAMES {
        return fail(
            "frames",
            format!("expected at most {MAX_FRAMES} frames (two minutes at 30 a second), found {}", frames.len()),
        );
    }
    let mut out = Vec::with_capacity(frames.len());
    let mut previous_t = 0.0;
    for (i, frame) in frames.iter().enumerate() {
        let frame = parse_frame(i, frame)?;
        if frame.t < previous_t {
            return fail(
                format!("frames[{i}].t"),
                format!("{} is before the previous frame's {previous_t}; times must not go backwards", frame.t),
            );
        }
        previous_t = frame.t;
        out.push(frame);
    }
    Ok(Recording { view, fps, width, height, frames: out })
}

fn parse_frame(i: usize, json: &Json) -> Result<Frame, RecordingError> {
    let path = format!("frames[{i}]");
    let Json::Object(map) = json else {
        return fail(path, format!("expected an object with the keys t and landmarks, found {}", describe(json)));
    };
    known_keys(map, &path, &FRAME_KEYS)?;
    let t =
        field(map, &path, "t", "a time in seconds, at least 0", |v| v.as_f64().filter(|t| t.is_finite() && *t >= 0.0))?;
    let Some(landmarks) = map.get("landmarks") else {
        return fail(format!("{path}.landmarks"), "missing; expected 33 landmarks, or null for a frame with no person");
    };
    let landmarks = match landmarks {
        Json::Null => None,
        Json::Array(items) if items.is_empty() => None,
        Json::Array(items) if items.len() == LANDMARK_COUNT => {
            let mut points = [Landmark { x: 0.0, y: 0.0, z: 0.0, visibility: 0.0 }; LANDMARK_COUNT];
            for (j, (item, point)) in items.iter().zip(points.iter_mut()).enumerate() {
                *point = parse_landmark(i, j, item)?;
            }
            Some(points)
        }
        other => {
            let found = match other {
                Json::Array(items) => items.len().to_string(),
                _ => describe(other),
            };
            return fail(
                format!("{path}.landmarks"),
                format!(
                    "expected {LANDMARK_COUNT} landmarks in BlazePose order (or null for a frame with no person), found {found}"
                ),
            );
        }
    };
    Ok(Frame { t, landmarks })
}

fn parse_landmark(i: usize, j: usize, json: &Json) -> Result<Landmark, RecordingError> {
    let path = || format!("frames[{i}].landmarks[{j}]");
    let numbers = match json {
        Json::Array(items) if items.len() == 4 => items,
        other => {
            let found = match other {
                Json::Array(items) => items.len().to_string(),
                _ => describe(other),
            };
            return fail(path(), format!("expected 4 numbers [x, y, z, visibility], found {found}"));
        }
    };
    let (lo, hi) = COORDINATE_RANGE;
    let mut values = [0.0; 4];
    for (k, (item, value)) in numbers.iter().zip(values.iter_mut()).enumerate() {
        let (min, max) = match k {
            0 | 1 => (lo, hi),
            2 => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (0.0, 1.0),
        };
        *value = match item.as_f64() {
            Some(v) if v.is_finite() && v >= min && v <= max => v,
            _ => {
                let expected = if k == 2 { "a number".to_owned() } else { format!("a number from {min} to {max}") };
                return fail(
                    format!("{}[{k}] ({})", path(), COMPONENTS[k]),
                    format!("expected {expected}, found {}", describe(item)),
                );
            }
        };
    }
    let [x, y, z, visibility] = values;
    Ok(Landmark { x, y, z, visibility })
}

/// A whole number of pixels in range; `1920.0` is taken as 1920 (some writers emit floats).
fn image_side(v: &Json) -> Option<u32> {
    let n = v.as_f64().filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(MAX_IMAGE_SIDE))?;
    // A whole number from 1 to 10000, checked above.
    Some(n as u32)
}

/// Refuse keys outside `allowed`, naming the first one.
fn known_keys(map: &Map<String, Json>, path: &str, allowed: &[&str]) -> Result<(), RecordingError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => fail(path, format!("unknown key {} (allowed: {})", quoted(key), allowed.join(", "))),
        None => Ok(()),
    }
}

/// The value of `key`, read by `read`, or an error saying what was expected there and what was found.
fn field<'a, T>(
    map: &'a Map<String, Json>,
    path: &str,
    key: &str,
    expected: &str,
    read: impl FnOnce(&'a Json) -> Option<T>,
) -> Result<T, RecordingError> {
    let at = if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match map.get(key) {
        None => fail(at, format!("missing; expected {expected}")),
        Some(v) => match read(v) {
            Some(value) => Ok(value),
            None => fail(at, format!("expected {expected}, found {}", describe(v))),
        },
    }
}

fn fail<T>(path: impl Display, message: impl Display) -> Result<T, RecordingError> {
    let path = path.to_string();
    if path.is_empty() {
        Err(RecordingError(message.to_string()))
    } else {
        Err(RecordingError(format!("{path}: {message}")))
    }
}

/// A short description of what was found, for messages: the value itself when it is small, its kind
/// when not (a message never echoes megabytes).
fn describe(v: &Json) -> String {
    match v {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => quoted(s),
        Json::Array(items) => format!("a list of {} items", items.len()),
        Json::Object(_) => "an object".to_owned(),
    }
}

/// A string in quotes with control characters escaped, cut to 40 characters.
fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{s:?}")
    }
}

#[cfg(test)]
mod tests;
