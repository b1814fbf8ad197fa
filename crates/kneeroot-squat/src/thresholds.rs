//! The numbers that turn metrics into findings. They are clinical judgements, so they live in the
//! knowledge base (`knowledge/camera.toml`, with their sources) and reach this crate as a value; the
//! [`Default`] mirrors that file so tests and benches need no loader.

/// Thresholds for findings and for trusting a measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// A landmark below this visibility (0–1) is not used.
    pub min_visibility: f64,
    /// A metric whose confidence (0–1) is below this gives no finding ("could not assess").
    pub min_confidence: f64,
    /// A rep is a lowering of the hips by at least this fraction of the standing hip-to-ankle length.
    pub min_rep_drop: f64,
    /// Two-leg squat: a knee "caves in" when its peak frontal-plane projection angle is at least this
    /// (degrees, positive = knee medial to the hip–ankle line).
    pub knee_valgus_deg: f64,
    /// Single-leg squat: the same for the standing leg.
    pub single_leg_knee_valgus_deg: f64,
    /// Single-leg squat: the pelvis "drops" when the hip line tilts down towards the lifted leg by at
    /// least this (degrees) more than in standing.
    pub pelvis_drop_deg: f64,
    /// Heels "lift" when a heel rises by at least this fraction of the foot's length above its standing
    /// height at the bottom of a rep.
    pub heel_lift_foot_lengths: f64,
    /// The person "leans forward" when the trunk's inclination from vertical exceeds the shin's by at
    /// least this (degrees) at the bottom of a rep.
    pub trunk_lean_excess_deg: f64,
    /// Depth bands by the thigh's angle below horizontal at the bottom (degrees; positive = hip below
    /// knee): `full` from this angle up.
    pub depth_full_thigh_deg: f64,
    /// `thighs_parallel` from this angle up (to `depth_full_thigh_deg`).
    pub depth_parallel_thigh_deg: f64,
    /// `half` from this angle up; between it and `depth_quarter_thigh_deg`, `quarter`.
    pub depth_half_thigh_deg: f64,
    /// `quarter` from this angle up; below it the squat is too shallow to count as a rep.
    pub depth_quarter_thigh_deg: f64,
    /// Feet "turn out" when a foot points outward by at least this (degrees) in the front view.
    pub feet_turn_out_deg: f64,
}

impl Default for Thresholds {
    /// The values of `knowledge/camera.toml` at the time of writing.
    fn default() -> Self {
        Thresholds {
            min_visibility: 0.5,
            min_confidence: 0.4,
            min_rep_drop: 0.10,
            knee_valgus_deg: 10.0,
            single_leg_knee_valgus_deg: 12.0,
            pelvis_drop_deg: 5.0,
            heel_lift_foot_lengths: 0.10,
            trunk_lean_excess_deg: 15.0,
            depth_full_thigh_deg: 15.0,
            depth_parallel_thigh_deg: -10.0,
            depth_half_thigh_deg: -45.0,
            depth_quarter_thigh_deg: -70.0,
            feet_turn_out_deg: 30.0,
        }
    }
}
