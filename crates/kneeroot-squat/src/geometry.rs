//! Plane geometry on image points in pixels.
//!
//! MediaPipe's `x` and `y` are fractions of different image sides, so every point is scaled back to pixels
//! ([`Point::from_normalised`]) before an angle is taken; otherwise a portrait phone would squash every
//! angle. Image `y` grows downwards, so "up" is `-y` throughout. All functions return `None` rather than a
//! meaningless number when a segment has (almost) no length.

/// A point in image pixels (`y` grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
}

/// Segments shorter than this (pixels) have no usable direction.
const MIN_LENGTH: f64 = 1e-6;

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    /// A normalised landmark position scaled to pixels.
    pub fn from_normalised(x: f64, y: f64, width: f64, height: f64) -> Point {
        Point { x: x * width, y: y * height }
    }

    pub fn sub(self, other: Point) -> Point {
        Point::new(self.x - other.x, self.y - other.y)
    }

    pub fn midpoint(self, other: Point) -> Point {
        Point::new((self.x + other.x) / 2.0, (self.y + other.y) / 2.0)
    }

    pub fn length(self) -> f64 {
        self.x.hypot(self.y)
    }

    pub fn distance(self, other: Point) -> f64 {
        self.sub(other).length()
    }

    pub fn dot(self, other: Point) -> f64 {
        self.x * other.x + self.y * other.y
    }

    /// The z component of the 2D cross product.
    pub fn cross(self, other: Point) -> f64 {
        self.x * other.y - self.y * other.x
    }
}

/// The unsigned angle (degrees, 0–180) between two directions.
pub(crate) fn angle_between(a: Point, b: Point) -> Option<f64> {
    if a.length() < MIN_LENGTH || b.length() < MIN_LENGTH {
        return None;
    }
    // atan2 of cross and dot is accurate near 0° and 180°, where acos of a dot product is not.
    Some(a.cross(b).abs().atan2(a.dot(b)).to_degrees())
}

/// The knee's frontal-plane projection angle (FPPA, degrees): how far the shank line (knee → ankle) turns
/// away from the thigh line (hip → knee). Positive when the knee lies on the side of the hip–ankle line
/// towards `other_hip` (medial, "caving in"), negative when it lies outwards. Measuring "medial" against the
/// other hip rather than image left or right makes the sign independent of which way the person faces and
/// of mirrored selfie video.
pub(crate) fn frontal_projection_angle(hip: Point, knee: Point, ankle: Point, other_hip: Point) -> Option<f64> {
    let magnitude = angle_between(knee.sub(hip), ankle.sub(knee))?;
    let axis = ankle.sub(hip);
    if axis.length() < MIN_LENGTH {
        return None;
    }
    // Which side of the hip–ankle line the knee and the other hip are on (signs of 2D cross products).
    let knee_side = axis.cross(knee.sub(hip));
    let medial_side = axis.cross(other_hip.sub(hip));
    if medial_side.abs() < MIN_LENGTH {
        return None;
    }
    Some(if knee_side * medial_side >= 0.0 { magnitude } else { -magnitude })
}

/// The angle (degrees) of the segment `from → to` below the horizontal: positive when `to` is lower in the
/// image than `from`, whichever way the segment points left or right.
pub(crate) fn angle_below_horizontal(from: Point, to: Point) -> Option<f64> {
    let d = to.sub(from);
    if d.length() < MIN_LENGTH {
        return None;
    }
    Some(d.y.atan2(d.x.abs()).to_degrees())
}

/// The inclination (degrees) of the segment `bottom → top` from vertical, positive when `top` lies on the
/// `forward` side (`forward` is `+1.0` for image right, `-1.0` for image left).
pub(crate) fn inclination_from_vertical(bottom: Point, top: Point, forward: f64) -> Option<f64> {
    let d = top.sub(bottom);
    if d.length() < MIN_LENGTH {
        return None;
    }
    Some((forward * d.x).atan2(-d.y).to_degrees())
}

/// Knee flexion (degrees): 0 with the leg straight, growing as the knee bends.
pub(crate) fn knee_flexion(hip: Point, knee: Point, ankle: Point) -> Option<f64> {
    angle_between(knee.sub(hip), ankle.sub(knee))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("an angle");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn a_knee_towards_the_other_hip_is_positive_on_either_side() {
        // Left leg on image right (other hip to the left): knee moved left (medial) by a known angle.
        let hip = Point::new(100.0, 0.0);
        let ankle = Point::new(100.0, 200.0);
        let knee = Point::new(90.0, 100.0);
        let expected = 2.0 * (10.0f64).atan2(100.0).to_degrees();
        close(frontal_projection_angle(hip, knee, ankle, Point::new(0.0, 0.0)), expected);
        // The same knee with the other hip on the right is lateral.
        close(frontal_projection_angle(hip, knee, ankle, Point::new(200.0, 0.0)), -expected);
    }

    #[test]
    fn a_straight_leg_has_zero_projection_angle() {
        let hip = Point::new(0.0, 0.0);
        close(frontal_projection_angle(hip, Point::new(0.0, 1.0), Point::new(0.0, 2.0), Point::new(5.0, 0.0)), 0.0);
    }

    #[test]
    fn degenerate_segments_give_none() {
        let p = Point::new(1.0, 1.0);
        assert_eq!(frontal_projection_angle(p, p, Point::new(1.0, 3.0), Point::new(0.0, 1.0)), None);
        assert_eq!(angle_below_horizontal(p, p), None);
        assert_eq!(inclination_from_vertical(p, p, 1.0), None);
    }

    #[test]
    fn thigh_below_horizontal_and_inclinations_have_their_signs() {
        // y grows downwards: a hip lower than the knee is below horizontal.
        close(angle_below_horizontal(Point::new(0.0, 0.0), Point::new(-10.0, 10.0)), 45.0);
        close(angle_below_horizontal(Point::new(0.0, 0.0), Point::new(10.0, -10.0)), -45.0);
        close(inclination_from_vertical(Point::new(0.0, 0.0), Point::new(10.0, -10.0), 1.0), 45.0);
        close(inclination_from_vertical(Point::new(0.0, 0.0), Point::new(10.0, -10.0), -1.0), -45.0);
        close(knee_flexion(Point::new(0.0, 0.0), Point::new(0.0, 1.0), Point::new(1.0, 1.0)), 90.0);
    }
}
