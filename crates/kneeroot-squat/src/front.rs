//! Metrics seen from the front: the knee's frontal-plane projection angle per leg, their asymmetry, feet
//! turning out, and, in a single-leg squat, the pelvis dropping.
//!
//! **Knee angle and depth.** The 2D frontal-plane projection angle (FPPA, Munro/Herrington method) is read
//! per rep and the median over reps taken. It is a screen, not a joint angle: it mixes hip adduction and
//! rotation with knee motion, and it grows steeply with depth (the same inward swivel of the knee gives
//! about 14° at 70° of knee flexion and about 50° at 108°). Worse, as the thigh approaches level it points
//! at the camera and its picture shrinks to a point, so at the bottom of a deep squat the angle is
//! meaningless (tiny landmark shifts swing it by tens of degrees). It is therefore read at the **deepest
//! point where the thigh still shows clearly**: among each rep's samples where the thigh's length in the
//! picture is at least [`MIN_THIGH_SHOWN`] of its standing length (thigh at most about 45° from vertical,
//! roughly 65–75° of knee flexion, near the 45–60° at which the literature reads single-leg squats), the
//! deepest ones. For single-leg and shallow squats that is simply the bottom. The hip drop at the bottom
//! is reported beside it (`squat_depth_leg_lengths`) and named in the finding's explanation. A camera close
//! to the person adds a bias towards negative (knees come towards the lens); the recording protocol's 3 m
//! keeps it to a few degrees.
//!
//! **Feet.** A foot's heel-to-toe direction is nearly along the camera's axis from the front, so its
//! turn-out cannot be read from `x` and `y` alone. MediaPipe's relative depth `z` supplies the missing
//! direction: the angle of heel → toe in the (x, z) ground plane, positive when the toe points away from
//! the other foot. `z` is the model's noisiest output and unvalidated for this, so the metric's confidence
//! is capped at 0.5 and frames where the foot looks shorter than a tenth of the leg are skipped.
//!
//! **Pelvis.** In a single-leg squat the hip line's tilt, positive when the lifted leg's hip is lower, is
//! read at the bottom relative to its median while standing (so a person who stands tilted is not
//! flagged for it).

use crate::analysis::Side;
use crate::confidence::{Evidence, confidence};
use crate::geometry::frontal_projection_angle;
use crate::legs::{LEFT, Leg, RIGHT};
use crate::measured::{Context, Estimate, Measured, Reading, Value};
use crate::reps::RepSpan;
use crate::series::{mean_visibility, usable_fraction};
use crate::smooth::median_of;

/// Peak knee frontal-plane projection angle per leg (degrees, positive = knee inwards).
pub(crate) const KNEE_VALGUS: &str = "knee_valgus_deg";
/// Left minus right knee angle (degrees).
pub(crate) const KNEE_VALGUS_ASYMMETRY: &str = "knee_valgus_asymmetry_deg";
/// Foot turn-out per leg (degrees, positive = toes outwards).
pub(crate) const FEET_TURN_OUT: &str = "feet_turn_out_deg";
/// Hip-line tilt towards the lifted leg at the bottom, relative to standing (degrees).
pub(crate) const PELVIS_DROP: &str = "pelvis_drop_deg";

/// A knee angle's spread between reps that halves its spread factor (about the method's SEM of 3°, doubled).
const KNEE_SPREAD_SCALE: f64 = 6.0;
/// The shortest the thigh may look, as a fraction of its standing length in the picture, for the knee
/// angle to be read (cos 45°).
pub(crate) const MIN_THIGH_SHOWN: f64 = 0.7;

/// The feet metric's ceiling: unvalidated and built on the model's depth estimate.
const FEET_CAP: f64 = 0.5;

/// The front-view metrics; `stance` is the standing leg of a single-leg squat.
pub(crate) fn measure(ctx: &Context<'_>, stance: Option<Side>) -> Vec<Measured> {
    let mut out = Vec::new();
    match stance {
        None => {
            let left = knee_valgus(ctx, LEFT);
            let right = knee_valgus(ctx, RIGHT);
            if left.is_some() || right.is_some() {
                out.push(Measured { name: KNEE_VALGUS, value: Value::PerSide { left, right } });
            }
            if let (Some(l), Some(r)) = (left, right) {
                let value = l.value - r.value;
                let confidence = l.confidence.min(r.confidence);
                out.push(Measured {
                    name: KNEE_VALGUS_ASYMMETRY,
                    value: Value::Single(Estimate { value, confidence }),
                });
            }
            let (left, right) = (feet_turn_out(ctx, LEFT), feet_turn_out(ctx, RIGHT));
            if left.is_some() || right.is_some() {
                out.push(Measured { name: FEET_TURN_OUT, value: Value::PerSide { left, right } });
            }
        }
        Some(side) => {
            let leg = Leg::of(side);
            if let Some(e) = knee_valgus(ctx, leg) {
                let (left, right) = if side == Side::Right { (None, Some(e)) } else { (Some(e), None) };
                out.push(Measured { name: KNEE_VALGUS, value: Value::PerSide { left, right } });
            }
            if let Some(e) = pelvis_drop(ctx, leg) {
                out.push(Measured { name: PELVIS_DROP, value: Value::Single(e) });
            }
        }
    }
    out
}

fn knee_valgus(ctx: &Context<'_>, leg: Leg) -> Option<Estimate> {
    let s = ctx.series;
    let thigh = |i| Some(s.at(i, leg.hip)?.distance(s.at(i, leg.knee)?));
    let standing_thigh = ctx.when_standing(thigh)?;
    let landmarks = [leg.hip, leg.knee, leg.ankle, leg.other_hip];
    let reading = Reading { landmarks: &landmarks, spread_scale: KNEE_SPREAD_SCALE };
    let shown = |i| thigh(i).is_some_and(|t| t >= MIN_THIGH_SHOWN * standing_thigh);
    ctx.over_reps(
        reading,
        |rep| deepest_where(ctx, rep, shown),
        |i| {
            frontal_projection_angle(
                s.at(i, leg.hip)?,
                s.at(i, leg.knee)?,
                s.at(i, leg.ankle)?,
                s.at(i, leg.other_hip)?,
            )
        },
    )
}

/// The deepest samples of `rep` that satisfy `eligible`: those within 2% of the deepest eligible drop, at
/// least three when there are three.
fn deepest_where(ctx: &Context<'_>, rep: &RepSpan, eligible: impl Fn(usize) -> bool + Copy) -> Vec<usize> {
    let drop = |i: usize| ctx.motion.drop.get(i).copied().flatten();
    let mut samples: Vec<(usize, f64)> =
        (rep.start..=rep.end).filter(|&i| eligible(i)).filter_map(|i| Some((i, drop(i)?))).collect();
    samples.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some(&(_, deepest)) = samples.first() else { return Vec::new() };
    let close = samples.iter().take_while(|(_, d)| *d >= 0.98 * deepest).count();
    samples.iter().take(close.max(3)).map(|(i, _)| *i).collect()
}

/// Tilt of the hip line (degrees), positive when the hip of the lifted leg (the other one) is lower.
fn pelvis_tilt(ctx: &Context<'_>, standing: Leg, i: usize) -> Option<f64> {
    let s = ctx.series.at(i, standing.hip)?;
    let l = ctx.series.at(i, standing.other_hip)?;
    let dx = (l.x - s.x).abs();
    (dx > 1.0).then(|| (l.y - s.y).atan2(dx).to_degrees())
}

fn pelvis_drop(ctx: &Context<'_>, standing: Leg) -> Option<Estimate> {
    let baseline = ctx.when_standing(|i| pelvis_tilt(ctx, standing, i))?;
    let landmarks = [standing.hip, standing.other_hip];
    ctx.at_bottom(Reading { landmarks: &landmarks, spread_scale: 3.0 }, |i| {
        pelvis_tilt(ctx, standing, i).map(|t| t - baseline)
    })
}

/// Foot turn-out in the ground plane at sample `i` (degrees, positive = toes away from the other foot).
fn turn_out(ctx: &Context<'_>, leg: Leg, i: usize) -> Option<f64> {
    let s = ctx.series;
    let heel = s.at(i, leg.heel)?;
    let toe = s.at(i, leg.toe)?;
    let other_heel = s.at(i, leg.other_heel)?;
    let heel_z = s.depth[i][leg.heel]?;
    let toe_z = s.depth[i][leg.toe]?;
    let outward = (heel.x - other_heel.x).signum();
    let lateral = (toe.x - heel.x) * outward;
    // The toe is nearer the camera than the heel: smaller z.
    let forward = heel_z - toe_z;
    let planar = lateral.hypot(forward);
    (outward != 0.0 && planar >= 0.1 * ctx.motion.leg_length).then(|| lateral.atan2(forward).to_degrees())
}

fn feet_turn_out(ctx: &Context<'_>, leg: Leg) -> Option<Estimate> {
    let value = median_of((0..ctx.series.len()).filter_map(|i| turn_out(ctx, leg, i)))?;
    let landmarks = [leg.heel, leg.toe, leg.other_heel];
    let evidence = Evidence {
        visibility: mean_visibility(ctx.series, &landmarks),
        usable_fraction: usable_fraction(ctx.series, &landmarks),
        reps: None,
        spread: None,
        spread_scale: 0.0,
        view_factor: ctx.view.factor,
        cap: FEET_CAP,
    };
    Some(Estimate { value, confidence: confidence(&evidence) })
}
