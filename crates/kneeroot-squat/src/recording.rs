//! A filmed squat as the browser sends it: the camera view and a series of frames of landmarks.
//!
//! The crate trusts nothing it is given beyond the types: callers parse and bound the input at the edge
//! (`kneeroot_core::camera`), and every function here copes with non-finite numbers, missing frames and
//! unordered timestamps by ignoring what it cannot use, never by panicking.

use crate::landmark::{LANDMARK_COUNT, Landmark};

/// Where the camera stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Facing the person: knee valgus, feet, pelvis and left/right asymmetry.
    Front,
    /// Beside the person: depth, trunk lean against the shin, heel lift.
    Side,
}

impl View {
    /// The name used in files and URLs: `front` or `side`.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Front => "front",
            View::Side => "side",
        }
    }

    /// The view for `front` or `side`.
    pub fn parse(s: &str) -> Option<View> {
        match s {
            "front" => Some(View::Front),
            "side" => Some(View::Side),
            _ => None,
        }
    }
}

/// One video frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Seconds from the start of the recording.
    pub t: f64,
    /// The 33 landmarks, or `None` when no person was found in the frame (a dropped frame).
    pub landmarks: Option<[Landmark; LANDMARK_COUNT]>,
}

/// A recording: the frames of one view.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// Front or side.
    pub view: View,
    /// The nominal frame rate (frames may still be irregular; `Frame::t` is what counts).
    pub fps: f64,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// The frames in time order.
    pub frames: Vec<Frame>,
}
