//! Helpers for running scripts and reading an analysis.

use kneeroot_squat::synthetic::{Pose, Script};
use kneeroot_squat::{Analysis, Finding, FindingValue, Measure, Metric, Thresholds, analyse};

pub fn run(script: &Script) -> Analysis {
    analyse(&script.recording(), &Thresholds::default())
}

/// A shallow squat (thigh 48° above level, shin 22°), where the thigh stays clearly visible from the front
/// and the knee angle is read at the very bottom.
pub fn shallow(swivel: [f64; 2]) -> Pose {
    Pose { swivel, ..Pose::bottom(-48.0, 22.0) }
}

pub fn metric<'a>(a: &'a Analysis, name: &str) -> &'a Metric {
    a.metrics.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no metric {name} in {a:#?}"))
}

pub fn single(a: &Analysis, name: &str) -> f64 {
    match metric(a, name).value {
        Measure::Single(v) => v,
        other => panic!("{name} is {other:?}"),
    }
}

pub fn per_side(a: &Analysis, name: &str) -> (f64, f64) {
    match metric(a, name).value {
        Measure::PerSide { left: Some(l), right: Some(r) } => (l, r),
        other => panic!("{name} is {other:?}"),
    }
}

pub fn finding<'a>(a: &'a Analysis, id: &str) -> &'a Finding {
    a.findings.iter().find(|f| f.answer_id == id).unwrap_or_else(|| panic!("no finding {id} in {a:#?}"))
}

pub fn value(a: &Analysis, id: &str) -> FindingValue {
    finding(a, id).value
}

pub fn is_not_assessed(a: &Analysis, id: &str) -> bool {
    a.not_assessed.iter().any(|n| n.answer_id == id) && !a.findings.iter().any(|f| f.answer_id == id)
}

#[track_caller]
pub fn assert_near(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} is not within {tolerance} of {expected}");
}
