//! One pose landmark and the BlazePose landmark order.
//!
//! Coordinates are MediaPipe's normalised image coordinates: `x` is a fraction of the image width and `y`
//! of the image height, both growing right and down; `z` is depth relative to the hips in roughly the
//! units of `x` and is not used for angles (it is too noisy for screening). Because `x` and `y` are scaled
//! by different image sides, every angle is computed after multiplying them back by width and height.

/// How many landmarks a BlazePose frame has.
pub const LANDMARK_COUNT: usize = 33;

/// One landmark as MediaPipe reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Landmark {
    /// Fraction of the image width, from the left edge.
    pub x: f64,
    /// Fraction of the image height, from the top edge.
    pub y: f64,
    /// Depth relative to the hips (smaller is nearer the camera).
    pub z: f64,
    /// The model's estimate (0–1) that the point is visible and not occluded.
    pub visibility: f64,
}

/// Indices into a frame's landmarks, in BlazePose order. "Left" is the person's left.
pub mod index {
    /// The nose.
    pub const NOSE: usize = 0;
    /// The left shoulder.
    pub const LEFT_SHOULDER: usize = 11;
    /// The right shoulder.
    pub const RIGHT_SHOULDER: usize = 12;
    /// The left hip.
    pub const LEFT_HIP: usize = 23;
    /// The right hip.
    pub const RIGHT_HIP: usize = 24;
    /// The left knee.
    pub const LEFT_KNEE: usize = 25;
    /// The right knee.
    pub const RIGHT_KNEE: usize = 26;
    /// The left ankle.
    pub const LEFT_ANKLE: usize = 27;
    /// The right ankle.
    pub const RIGHT_ANKLE: usize = 28;
    /// The left heel.
    pub const LEFT_HEEL: usize = 29;
    /// The right heel.
    pub const RIGHT_HEEL: usize = 30;
    /// The tip of the left foot.
    pub const LEFT_FOOT_INDEX: usize = 31;
    /// The tip of the right foot.
    pub const RIGHT_FOOT_INDEX: usize = 32;
}
