//! Metrics seen from the side: depth, knee flexion, trunk and shin inclination and their difference, heel
//! lift.
//!
//! Only the leg nearer the camera is used: the far leg is hidden behind it and BlazePose reports it with
//! lower visibility (the nearer leg is the one whose hip, knee and ankle are more visible, with the
//! model's depth as tie-break). Sagittal angles are what a single camera measures best (MediaPipe's knee
//! angle is within a few degrees of sensors in a true side view), because the leg moves in a plane
//! parallel to the picture, where perspective keeps angles.
//!
//! Inclinations are signed by the way the person faces (heel → toe, or knee ahead of ankle at the
//! bottom), so "forward" is forward whether the person faces image left or right. The trunk is the line
//! hip → shoulder; "leaning forward" compares it with the shin, as the FMS deep squat's "torso parallel
//! with the tibia" does: a trunk that leans no more than the shin is balanced, one that leans much more
//! compensates for something (often ankle stiffness).
//!
//! Heel lift is the heel's rise at the bottom above its standing height, in standing heel-to-toe lengths.
//! It persists only if it lasts: each rep's value is the median over its bottom window and the result the
//! median over reps, so a single frame (the noisiest landmarks of the body are the feet) cannot lift a heel.

use crate::geometry::{angle_below_horizontal, inclination_from_vertical, knee_flexion};
use crate::legs::{LEFT, Leg, RIGHT};
use crate::measured::{Context, Measured, Reading, Value};
use crate::series::Series;
use crate::smooth::median_of;

/// Thigh angle below horizontal at the bottom (degrees; positive = hip below knee).
pub(crate) const DEPTH_THIGH: &str = "depth_thigh_deg";
/// Knee flexion at the bottom (degrees; 0 = straight).
pub(crate) const KNEE_FLEXION: &str = "knee_flexion_deg";
/// Trunk (hip → shoulder) inclination from vertical at the bottom (degrees; positive = forward).
pub(crate) const TRUNK_INCLINATION: &str = "trunk_inclination_deg";
/// Shin (ankle → knee) inclination from vertical at the bottom (degrees; positive = forward).
pub(crate) const SHANK_INCLINATION: &str = "shank_inclination_deg";
/// Trunk minus shin inclination at the bottom (degrees).
pub(crate) const TRUNK_MINUS_SHANK: &str = "trunk_minus_shank_deg";
/// Heel rise at the bottom in standing foot lengths.
pub(crate) const HEEL_LIFT: &str = "heel_lift_foot_lengths";

/// Angles whose reps differ by this much halve their spread factor.
const ANGLE_SPREAD_SCALE: f64 = 6.0;
const HEEL_SPREAD_SCALE: f64 = 0.05;

/// The side-view metrics.
pub(crate) fn measure(ctx: &Context<'_>) -> Vec<Measured> {
    let leg = nearer_leg(ctx.series);
    let forward = facing(ctx, leg);
    let s = ctx.series;
    let mut out = Vec::new();
    let mut push = |name, landmarks: &[usize], scale, f: &dyn Fn(usize) -> Option<f64>| {
        if let Some(e) = ctx.at_bottom(Reading { landmarks, spread_scale: scale }, f) {
            out.push(Measured { name, value: Value::Single(e) });
        }
    };
    let thigh = [leg.hip, leg.knee];
    push(DEPTH_THIGH, &thigh, ANGLE_SPREAD_SCALE, &|i| angle_below_horizontal(s.at(i, leg.knee)?, s.at(i, leg.hip)?));
    let knee = [leg.hip, leg.knee, leg.ankle];
    push(KNEE_FLEXION, &knee, ANGLE_SPREAD_SCALE, &|i| {
        knee_flexion(s.at(i, leg.hip)?, s.at(i, leg.knee)?, s.at(i, leg.ankle)?)
    });
    let trunk = |i| inclination_from_vertical(s.at(i, leg.hip)?, s.at(i, leg.shoulder)?, forward);
    let shank = |i| inclination_from_vertical(s.at(i, leg.ankle)?, s.at(i, leg.knee)?, forward);
    push(TRUNK_INCLINATION, &[leg.hip, leg.shoulder], ANGLE_SPREAD_SCALE, &trunk);
    push(SHANK_INCLINATION, &[leg.ankle, leg.knee], ANGLE_SPREAD_SCALE, &shank);
    let both = [leg.shoulder, leg.hip, leg.knee, leg.ankle];
    push(TRUNK_MINUS_SHANK, &both, ANGLE_SPREAD_SCALE, &|i| Some(trunk(i)? - shank(i)?));
    if let Some(lift) = heel_lift(ctx, leg) {
        push(HEEL_LIFT, &[leg.heel, leg.toe], HEEL_SPREAD_SCALE, &lift);
    }
    out
}

/// The leg whose hip, knee and ankle the model saw better; the model's depth breaks a tie.
pub(crate) fn nearer_leg(series: &Series) -> Leg {
    let score = |leg: Leg| {
        let frames = series.visibility.iter().zip(&series.has_pose).filter(|(_, p)| **p);
        let (sum, n) =
            frames.fold((0.0, 0usize), |(sum, n), (v, _)| (sum + v[leg.hip] + v[leg.knee] + v[leg.ankle], n + 1));
        if n == 0 { 0.0 } else { sum / n as f64 }
    };
    let (left, right) = (score(LEFT), score(RIGHT));
    if (left - right).abs() > 0.05 {
        return if left > right { LEFT } else { RIGHT };
    }
    let depth = |leg: Leg| median_of(series.depth.iter().filter_map(|d| d[leg.knee]));
    match (depth(LEFT), depth(RIGHT)) {
        (Some(l), Some(r)) if r < l => RIGHT,
        _ => LEFT,
    }
}

/// `+1.0` when the person faces image right, `-1.0` when left: from heel → toe over the recording, else
/// from the knee being ahead of the ankle at the bottom of the reps.
fn facing(ctx: &Context<'_>, leg: Leg) -> f64 {
    let s = ctx.series;
    let min = 0.05 * ctx.motion.leg_length;
    let foot = median_of((0..s.len()).filter_map(|i| {
        let dx = s.at(i, leg.toe)?.x - s.at(i, leg.heel)?.x;
        (dx.abs() > min).then_some(dx.signum())
    }));
    let knee = || {
        median_of(ctx.motion.reps.iter().filter_map(|r| {
            let dx = s.at(r.bottom, leg.knee)?.x - s.at(r.bottom, leg.ankle)?.x;
            (dx.abs() > min).then_some(dx.signum())
        }))
    };
    match foot.filter(|v| *v != 0.0).or_else(knee) {
        Some(v) if v < 0.0 => -1.0,
        _ => 1.0,
    }
}

/// Heel rise per sample relative to standing, in standing heel-to-toe lengths.
fn heel_lift<'a>(ctx: &'a Context<'a>, leg: Leg) -> Option<impl Fn(usize) -> Option<f64> + 'a> {
    let s = ctx.series;
    let base = ctx.when_standing(|i| s.at(i, leg.heel).map(|p| p.y))?;
    let foot = ctx.when_standing(|i| Some(s.at(i, leg.heel)?.distance(s.at(i, leg.toe)?)))?;
    (foot > 1.0).then_some(move |i| s.at(i, leg.heel).map(|p| (base - p.y) / foot))
}
