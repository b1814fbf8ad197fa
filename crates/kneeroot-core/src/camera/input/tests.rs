//! The landmark-series reader: every refusal names its place, valid recordings come through unchanged,
//! and no input of any kind makes it panic.

use proptest::prelude::*;
use serde_json::{Value as Json, json};

use super::*;

// ---------------------------------------------------------------------------------------------------
// Helpers: a small valid recording as JSON, and one way to break it
// ---------------------------------------------------------------------------------------------------

/// A standing pose: 33 points, all visible, within the picture.
fn pose() -> Json {
    Json::Array(
        (0..LANDMARK_COUNT).map(|j| json!([0.3 + j as f64 / 100.0, 0.1 + j as f64 / 40.0, -0.1, 0.9])).collect(),
    )
}

/// Three frames: a pose, a frame with no person, a pose.
fn valid() -> Json {
    json!({
        "view": "front", "fps": 30, "width": 720, "height": 1280,
        "frames": [ { "t": 0.0, "landmarks": pose() }, { "t": 0.033, "landmarks": null }, { "t": 0.067, "landmarks": pose() } ],
    })
}

/// The error for `valid()` changed by `change`.
fn error_after(change: impl FnOnce(&mut Json)) -> String {
    let mut json = valid();
    change(&mut json);
    match recording_from_json(&json) {
        Ok(r) => panic!("accepted a broken recording: {r:?}"),
        Err(e) => e.0,
    }
}

fn parse_ok(json: &Json) -> Recording {
    match parse_recording(&json.to_string()) {
        Ok(r) => r,
        Err(e) => panic!("refused a valid recording: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------------
// Valid recordings
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_valid_recording_is_read_with_every_number_in_place() {
    let r = parse_ok(&valid());
    assert_eq!(r.view, View::Front);
    assert_eq!((r.fps, r.width, r.height), (30.0, 720, 1280));
    assert_eq!(r.frames.len(), 3);
    assert_eq!(r.frames[1].t, 0.033);
    assert!(r.frames[1].landmarks.is_none());
    let points = r.frames[2].landmarks.expect("a pose");
    assert_eq!(points[25], Landmark { x: 0.55, y: 0.1 + 25.0 / 40.0, z: -0.1, visibility: 0.9 });
}

#[test]
fn an_empty_landmark_list_is_a_frame_with_no_person() {
    let mut json = valid();
    json["frames"][0]["landmarks"] = json!([]);
    json["view"] = json!("side");
    let r = parse_ok(&json);
    assert_eq!(r.view, View::Side);
    assert!(r.frames[0].landmarks.is_none());
    assert!(r.frames[2].landmarks.is_some());
}

#[test]
fn points_a_little_outside_the_picture_and_equal_times_are_accepted() {
    let mut json = valid();
    json["frames"][0]["landmarks"][31] = json!([-1.0, 2.0, 5.5, 0.0]);
    json["frames"][0]["landmarks"][32] = json!([1.2, 1.05, -3.0, 1.0]);
    json["frames"][1]["t"] = json!(0.0);
    json["width"] = json!(1920.0);
    let r = parse_ok(&json);
    assert_eq!(r.frames[0].landmarks.expect("a pose")[31], Landmark { x: -1.0, y: 2.0, z: 5.5, visibility: 0.0 });
    assert_eq!(r.width, 1920);
}

#[test]
fn the_limits_themselves_are_allowed() {
    let mut json = valid();
    json["fps"] = json!(240);
    json["width"] = json!(1);
    json["height"] = json!(10000);
    json["frames"] = Json::Array(vec![json!({"t": 0, "landmarks": null}); MAX_FRAMES]);
    let r = parse_ok(&json);
    assert_eq!(r.frames.len(), MAX_FRAMES);
    assert_eq!((r.fps, r.width, r.height), (240.0, 1, 10000));
}

// ---------------------------------------------------------------------------------------------------
// Each message names the place, what was expected and what was found
// ---------------------------------------------------------------------------------------------------

#[test]
fn invalid_json_says_the_line_and_column() {
    let e = parse_recording("{\n  \"view\": \"front\",\n  \"fps\": 30,,\n}").expect_err("invalid JSON");
    assert!(e.0.starts_with("not valid JSON: "), "{e}");
    assert!(e.0.contains("line 3 column 13"), "{e}");
    let e = parse_recording("").expect_err("empty");
    assert!(e.0.starts_with("not valid JSON: EOF"), "{e}");
}

#[test]
fn a_document_that_is_not_an_object_is_refused() {
    let e = parse_recording("[1, 2]").expect_err("an array");
    assert_eq!(e.0, "expected an object with the keys view, fps, width, height, frames, found a list of 2 items");
}

#[test]
fn an_unknown_top_level_key_is_named() {
    let e = error_after(|j| j["frame"] = json!([]));
    assert_eq!(e, r#"unknown key "frame" (allowed: view, fps, width, height, frames)"#);
}

#[test]
fn an_unknown_frame_key_is_named_with_its_frame() {
    let e = error_after(|j| j["frames"][2]["time"] = json!(1.0));
    assert_eq!(e, r#"frames[2]: unknown key "time" (allowed: t, landmarks)"#);
}

#[test]
fn a_missing_key_is_named() {
    let e = error_after(|j| {
        j.as_object_mut().expect("object").remove("view");
    });
    assert_eq!(e, r#"view: missing; expected "front" or "side""#);
    let e = error_after(|j| {
        j["frames"][1].as_object_mut().expect("object").remove("t");
    });
    assert_eq!(e, "frames[1].t: missing; expected a time in seconds, at least 0");
    let e = error_after(|j| {
        j["frames"][0].as_object_mut().expect("object").remove("landmarks");
    });
    assert_eq!(e, "frames[0].landmarks: missing; expected 33 landmarks, or null for a frame with no person");
}

#[test]
fn an_unknown_view_is_quoted() {
    assert_eq!(error_after(|j| j["view"] = json!("top")), r#"view: expected "front" or "side", found "top""#);
    assert_eq!(error_after(|j| j["view"] = json!(1)), r#"view: expected "front" or "side", found 1"#);
}

#[test]
fn a_frame_rate_out_of_range_is_refused() {
    for bad in [json!(0), json!(-30), json!(241), json!("30"), json!(null)] {
        let e = error_after(|j| j["fps"] = bad.clone());
        assert_eq!(e, format!("fps: expected a frame rate greater than 0 and at most 240, found {}", describe(&bad)));
    }
}

#[test]
fn an_image_side_out_of_range_or_fractional_is_refused() {
    assert_eq!(
        error_after(|j| j["width"] = json!(0)),
        "width: expected a whole number of pixels from 1 to 10000, found 0"
    );
    assert_eq!(
        error_after(|j| j["height"] = json!(10001)),
        "height: expected a whole number of pixels from 1 to 10000, found 10001"
    );
    assert_eq!(
        error_after(|j| j["width"] = json!(719.5)),
        "width: expected a whole number of pixels from 1 to 10000, found 719.5"
    );
}

#[test]
fn frames_must_be_a_list_of_one_to_max_frames() {
    assert_eq!(error_after(|j| j["frames"] = json!({})), "frames: expected a list of frames, found an object");
    assert_eq!(error_after(|j| j["frames"] = json!([])), "frames: expected at least one frame, found none");
    let e = error_after(|j| j["frames"] = Json::Array(vec![json!({"t": 0, "landmarks": null}); MAX_FRAMES + 1]));
    assert_eq!(e, "frames: expected at most 3600 frames (two minutes at 30 a second), found 3601");
}

#[test]
fn a_frame_that_is_not_an_object_is_named() {
    assert_eq!(
        error_after(|j| j["frames"][1] = json!(7)),
        "frames[1]: expected an object with the keys t and landmarks, found 7"
    );
}

#[test]
fn a_negative_time_is_refused() {
    assert_eq!(
        error_after(|j| j["frames"][0]["t"] = json!(-0.5)),
        "frames[0].t: expected a time in seconds, at least 0, found -0.5"
    );
}

#[test]
fn a_time_going_backwards_is_refused_naming_both_times() {
    assert_eq!(
        error_after(|j| j["frames"][2]["t"] = json!(0.02)),
        "frames[2].t: 0.02 is before the previous frame's 0.033; times must not go backwards"
    );
}

#[test]
fn a_wrong_number_of_landmarks_is_refused() {
    let e = error_after(|j| {
        j["frames"][2]["landmarks"].as_array_mut().expect("list").truncate(17);
    });
    assert_eq!(
        e,
        "frames[2].landmarks: expected 33 landmarks in BlazePose order (or null for a frame with no person), found 17"
    );
    let e = error_after(|j| j["frames"][0]["landmarks"] = json!("none"));
    assert!(e.ends_with(r#"found "none""#), "{e}");
}

#[test]
fn a_landmark_with_three_numbers_names_frame_and_landmark() {
    let e = error_after(|j| j["frames"][2]["landmarks"][25] = json!([0.5, 0.5, 0.0]));
    assert_eq!(e, "frames[2].landmarks[25]: expected 4 numbers [x, y, z, visibility], found 3");
    let e = error_after(|j| j["frames"][0]["landmarks"][0] = json!({"x": 0.5}));
    assert_eq!(e, "frames[0].landmarks[0]: expected 4 numbers [x, y, z, visibility], found an object");
}

#[test]
fn a_number_that_is_not_a_number_names_the_component() {
    let e = error_after(|j| j["frames"][2]["landmarks"][25][1] = json!("NaN"));
    assert_eq!(e, r#"frames[2].landmarks[25][1] (y): expected a number from -1 to 2, found "NaN""#);
    let e = error_after(|j| j["frames"][2]["landmarks"][3][2] = json!(null));
    assert_eq!(e, "frames[2].landmarks[3][2] (z): expected a number, found null");
}

#[test]
fn coordinates_and_visibility_out_of_range_are_refused() {
    let e = error_after(|j| j["frames"][0]["landmarks"][12][0] = json!(2.5));
    assert_eq!(e, "frames[0].landmarks[12][0] (x): expected a number from -1 to 2, found 2.5");
    let e = error_after(|j| j["frames"][0]["landmarks"][12][3] = json!(1.01));
    assert_eq!(e, "frames[0].landmarks[12][3] (visibility): expected a number from 0 to 1, found 1.01");
    let e = error_after(|j| j["frames"][0]["landmarks"][12][3] = json!(-0.1));
    assert_eq!(e, "frames[0].landmarks[12][3] (visibility): expected a number from 0 to 1, found -0.1");
}

#[test]
fn a_number_too_large_for_a_float_is_invalid_json() {
    let text = valid().to_string().replacen("0.033", "1e400", 1);
    let e = parse_recording(&text).expect_err("1e400");
    assert!(e.0.starts_with("not valid JSON: number out of range"), "{e}");
}

#[test]
fn a_huge_string_is_not_echoed_whole() {
    let long = "x".repeat(10_000);
    let e = error_after(|j| j["view"] = json!(long));
    assert!(e.len() < 120, "{e}");
    assert!(e.ends_with("xxx\"…"), "{e}");
}

// ---------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------

/// A decimal with at most six places: it prints short and reads back as exactly the same `f64`.
fn decimal(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    ((lo * 1e6) as i64..=(hi * 1e6) as i64).prop_map(|n| n as f64 / 1e6)
}

fn landmark() -> impl Strategy<Value = Landmark> {
    let (lo, hi) = COORDINATE_RANGE;
    (decimal(lo, hi), decimal(lo, hi), decimal(-5.0, 5.0), decimal(0.0, 1.0))
        .prop_map(|(x, y, z, visibility)| Landmark { x, y, z, visibility })
}

fn points() -> impl Strategy<Value = [Landmark; LANDMARK_COUNT]> {
    prop::collection::vec(landmark(), LANDMARK_COUNT).prop_map(|v| {
        let mut out = [Landmark { x: 0.0, y: 0.0, z: 0.0, visibility: 0.0 }; LANDMARK_COUNT];
        out.copy_from_slice(&v);
        out
    })
}

/// Valid recordings; with `all_posed`, every frame has a person (so any frame's landmarks can be broken).
fn recording(all_posed: bool) -> impl Strategy<Value = Recording> {
    let pose = if all_posed { points().prop_map(Some).boxed() } else { prop::option::weighted(0.8, points()).boxed() };
    let view = prop_oneof![Just(View::Front), Just(View::Side)];
    (
        view,
        (1u32..=24_000).prop_map(|n| f64::from(n) / 100.0),
        1u32..=MAX_IMAGE_SIDE,
        1u32..=MAX_IMAGE_SIDE,
        prop::collection::vec((0u32..100, pose), 1..6),
    )
        .prop_map(|(view, fps, width, height, raw)| {
            // Whole milliseconds, summed as integers: the times print short and read back exactly.
            let mut ms = 0u32;
            let frames = raw
                .into_iter()
                .map(|(step, landmarks)| {
                    ms += step;
                    Frame { t: f64::from(ms) / 1000.0, landmarks }
                })
                .collect();
            Recording { view, fps, width, height, frames }
        })
}

/// `r` as the browser would send it; a frame without a person is `null` or `[]` as `empty_as_list` says.
fn to_json(r: &Recording, empty_as_list: bool) -> Json {
    let frames: Vec<Json> = r
        .frames
        .iter()
        .map(|f| {
            let landmarks = match &f.landmarks {
                Some(points) => Json::Array(points.iter().map(|p| json!([p.x, p.y, p.z, p.visibility])).collect()),
                None if empty_as_list => json!([]),
                None => Json::Null,
            };
            json!({ "t": f.t, "landmarks": landmarks })
        })
        .collect();
    json!({ "view": r.view.as_str(), "fps": r.fps, "width": r.width, "height": r.height, "frames": frames })
}

/// One way to break a valid recording, and the place its message must name.
#[derive(Debug, Clone)]
enum Corruption {
    /// A landmark with a number missing or one too many.
    LandmarkLength { frame: usize, landmark: usize, longer: bool },
    /// A number written as the string "NaN".
    NanString { frame: usize, landmark: usize, component: usize },
    /// x, y or visibility outside its range.
    OutOfRange { frame: usize, landmark: usize, component: usize },
    /// A frame with a landmark dropped.
    TooFewLandmarks { frame: usize },
    /// A required key removed.
    MissingKey { key: usize },
    /// A frame's `t` or `landmarks` removed.
    MissingFrameKey { frame: usize, landmarks: bool },
    /// A time before the previous frame's (or below zero for the first).
    Backwards { frame: usize },
    /// A top-level value out of range.
    BadHeader { key: usize },
    /// An extra top-level key.
    UnknownKey,
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let at = || (0usize..100, 0usize..LANDMARK_COUNT, 0usize..4);
    prop_oneof![
        (0usize..100, 0usize..LANDMARK_COUNT, any::<bool>())
            .prop_map(|(frame, landmark, longer)| Corruption::LandmarkLength { frame, landmark, longer }),
        at().prop_map(|(frame, landmark, component)| Corruption::NanString { frame, landmark, component }),
        at().prop_map(|(frame, landmark, component)| Corruption::OutOfRange { frame, landmark, component }),
        (0usize..100).prop_map(|frame| Corruption::TooFewLandmarks { frame }),
        (0usize..KEYS.len()).prop_map(|key| Corruption::MissingKey { key }),
        (0usize..100, any::<bool>()).prop_map(|(frame, landmarks)| Corruption::MissingFrameKey { frame, landmarks }),
        (0usize..100).prop_map(|frame| Corruption::Backwards { frame }),
        (0usize..4).prop_map(|key| Corruption::BadHeader { key }),
        Just(Corruption::UnknownKey),
    ]
}

/// Apply `c` to `json` (a recording with `n` frames, all posed) and return the path the error must name.
fn corrupt(json: &mut Json, n: usize, c: &Corruption) -> String {
    match *c {
        Corruption::LandmarkLength { frame, landmark, longer } => {
            let f = frame % n;
            let point = json["frames"][f]["landmarks"][landmark].as_array_mut().expect("a landmark");
            if longer {
                point.push(json!(0.5));
            } else {
                point.pop();
            }
            format!("frames[{f}].landmarks[{landmark}]")
        }
        Corruption::NanString { frame, landmark, component } => {
            let f = frame % n;
            json["frames"][f]["landmarks"][landmark][component] = json!("NaN");
            format!("frames[{f}].landmarks[{landmark}][{component}]")
        }
        Corruption::OutOfRange { frame, landmark, component } => {
            let f = frame % n;
            // z has no range, so it is broken with a string instead.
            let bad = [json!(2.01), json!(-1.01), json!("far"), json!(1.5)][component].clone();
            json["frames"][f]["landmarks"][landmark][component] = bad;
            format!("frames[{f}].landmarks[{landmark}][{component}]")
        }
        Corruption::TooFewLandmarks { frame } => {
            let f = frame % n;
            json["frames"][f]["landmarks"].as_array_mut().expect("landmarks").pop();
            format!("frames[{f}].landmarks")
        }
        Corruption::MissingKey { key } => {
            json.as_object_mut().expect("object").remove(KEYS[key]);
            KEYS[key].to_owned()
        }
        Corruption::MissingFrameKey { frame, landmarks } => {
            let f = frame % n;
            let key = if landmarks { "landmarks" } else { "t" };
            json["frames"][f].as_object_mut().expect("frame").remove(key);
            format!("frames[{f}].{key}")
        }
        Corruption::Backwards { frame } => {
            let f = frame % n;
            let before = if f == 0 { 0.0 } else { json["frames"][f - 1]["t"].as_f64().expect("a time") };
            json["frames"][f]["t"] = json!(before - 0.5);
            format!("frames[{f}].t")
        }
        Corruption::BadHeader { key } => {
            let (name, bad) =
                [("view", json!("back")), ("fps", json!(0)), ("width", json!(0)), ("height", json!(1.5))][key].clone();
            json[name] = bad;
            name.to_owned()
        }
        Corruption::UnknownKey => {
            json["landmarks"] = json!([]);
            "unknown key \"landmarks\"".to_owned()
        }
    }
}

proptest! {
    #[test]
    fn camera_input_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_recording(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn camera_input_never_panics_on_json_like_text(text in r#"[\[\]{}",:0-9.eE+\- a-z]{0,200}"#) {
        let _ = parse_recording(&text);
    }

    #[test]
    fn camera_input_never_panics_on_a_damaged_recording(at in 0.0f64..1.0, junk in "\\PC{0,8}") {
        let text = valid().to_string();
        let mut cut = ((text.len() as f64) * at) as usize;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let _ = parse_recording(&format!("{}{}{}", &text[..cut], junk, &text[cut..]));
    }

    #[test]
    fn camera_input_reads_back_any_valid_recording_exactly(r in recording(false), empty_as_list in any::<bool>()) {
        let parsed = parse_recording(&to_json(&r, empty_as_list).to_string());
        prop_assert_eq!(parsed, Ok(r));
    }

    #[test]
    fn camera_input_refuses_any_single_corruption_naming_its_place(r in recording(true), c in corruption()) {
        let mut json = to_json(&r, false);
        let place = corrupt(&mut json, r.frames.len(), &c);
        match parse_recording(&json.to_string()) {
            Ok(_) => prop_assert!(false, "{:?} was accepted", c),
            Err(e) => prop_assert!(
                e.0.starts_with(&format!("{place}:")) || e.0.starts_with(&format!("{place} (")),
                "{:?}: '{}' does not name {}", c, e, place
            ),
        }
    }
}
