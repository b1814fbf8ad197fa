//! What an analysis says: metrics with their confidence, findings keyed by assessment answer id, what
//! could not be assessed and why, and the quality of the recording. Plain data, so callers serialise it
//! in whatever shape their contract needs (`kneeroot_core::camera` gives the CLI and API JSON).

use crate::recording::View;

/// A body side, as in the assessment's `side` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Neither side.
    None,
    /// The person's left.
    Left,
    /// The person's right.
    Right,
    /// Both sides.
    Both,
}

impl Side {
    /// The answer value: `none`, `left`, `right` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::None => "none",
            Side::Left => "left",
            Side::Right => "right",
            Side::Both => "both",
        }
    }
}

/// One detected rep, in seconds from the start of the recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rep {
    /// Where the lowering began.
    pub start: f64,
    /// The lowest point (hips lowest).
    pub bottom: f64,
    /// Where the person was back up.
    pub end: f64,
}

/// A measured value: one number, or one per leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A single value.
    Single(f64),
    /// One value per leg; `None` where that leg could not be measured.
    PerSide {
        /// The person's left leg.
        left: Option<f64>,
        /// The person's right leg.
        right: Option<f64>,
    },
}

/// One metric over the recording (aggregated over reps).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// A stable snake_case name with its unit, e.g. `knee_valgus_deg`.
    pub name: &'static str,
    /// The value.
    pub value: Measure,
    /// How far to trust it, 0–1: landmark visibility, camera-angle checks, reps seen, spread between reps.
    pub confidence: f64,
}

/// The value a finding proposes for an assessment answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingValue {
    /// A yes/no answer (`squat.heels_lift`, …).
    Bool(bool),
    /// A side answer (`squat.knee_caves_in`, …).
    Side(Side),
    /// An enum answer (`squat.depth`: `full`, `thighs_parallel`, `half`, `quarter`).
    Choice(&'static str),
}

/// A proposed answer, which the person confirms before it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The assessment answer id, e.g. `squat.knee_caves_in`.
    pub answer_id: &'static str,
    /// The proposed value.
    pub value: FindingValue,
    /// The confidence of the metric it rests on (0–1).
    pub confidence: f64,
    /// The metric it rests on.
    pub metric: &'static str,
    /// A plain sentence with the numbers, e.g. "Your left knee came 14° inside the hip–ankle line at
    /// the bottom (threshold 10°)."
    pub explanation: String,
}

/// An answer this view could not give, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NotAssessed {
    /// The assessment answer id.
    pub answer_id: &'static str,
    /// Why, in plain words (e.g. back rounding: "the body landmarks have no points along the spine").
    pub reason: String,
}

/// How usable the recording was.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Frames received.
    pub frames: usize,
    /// Frames with a person found.
    pub frames_with_pose: usize,
    /// Problems with the set-up, in plain words ("the camera seems to be beside you, not in front").
    pub issues: Vec<String>,
}

/// The result of analysing one recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The view analysed.
    pub view: View,
    /// The reps found.
    pub reps: Vec<Rep>,
    /// When the recording is a single-leg squat, the standing leg (`Left` or `Right`).
    pub single_leg_stance: Option<Side>,
    /// The metrics measured.
    pub metrics: Vec<Metric>,
    /// Proposed answers.
    pub findings: Vec<Finding>,
    /// Answers this view could not give.
    pub not_assessed: Vec<NotAssessed>,
    /// Recording quality.
    pub quality: Quality,
}
