//! From metrics to proposed answers, each with its numbers and threshold in plain words, or to "not
//! assessed" with the reason.
//!
//! A finding is proposed only from a metric whose confidence reaches [`Thresholds::min_confidence`]; a
//! per-leg finding (the knee caving in) uses only the legs that reach it. Answers this view cannot give
//! are not mentioned, except back rounding, which no view can give from these landmarks and is always
//! reported as not assessed so that the person is asked about it instead.

use crate::analysis::{Finding, FindingValue, NotAssessed, Side};
use crate::front::{FEET_TURN_OUT, KNEE_VALGUS, PELVIS_DROP};
use crate::measured::{Estimate, Measured, SQUAT_DEPTH_LEG_LENGTHS, Value};
use crate::recording::View;
use crate::side::{DEPTH_THIGH, HEEL_LIFT, TRUNK_MINUS_SHANK};
use crate::thresholds::Thresholds;

const BACK_ROUNDS_REASON: &str = "The body landmarks the camera finds have no points along the spine, so rounding of \
     the back cannot be seen; please judge it yourself, ideally from a video filmed from the side.";
const RETAKE: &str =
    "Film again with your whole body in view, the camera at knee height about 3 m away, and do 3–5 slow squats.";

/// What the recording showed, for turning into answers.
pub(crate) struct Inputs<'a> {
    pub view: View,
    pub stance: Option<Side>,
    pub reps: usize,
    pub measured: &'a [Measured],
    pub thresholds: &'a Thresholds,
}

/// The proposed answers and the answers that could not be given.
#[derive(Default)]
pub(crate) struct Answers {
    pub findings: Vec<Finding>,
    pub not_assessed: Vec<NotAssessed>,
}

impl Answers {
    fn skip(&mut self, answer_id: &'static str, reason: String) {
        self.not_assessed.push(NotAssessed { answer_id, reason });
    }

    fn propose(
        &mut self,
        answer_id: &'static str,
        value: FindingValue,
        metric: &'static str,
        e: Estimate,
        text: String,
    ) {
        self.findings.push(Finding { answer_id, value, confidence: e.confidence, metric, explanation: text });
    }
}

/// Turn the metrics into answers.
pub(crate) fn answer(inputs: &Inputs<'_>) -> Answers {
    let mut a = Answers::default();
    let ids: &[&'static str] = match (inputs.view, inputs.stance) {
        (View::Front, None) => &["squat.done", "squat.knee_caves_in", "squat.feet_turn_out"],
        (View::Front, Some(_)) => &["single_leg_squat.knee_caves_in", "single_leg_squat.pelvis_drops"],
        (View::Side, _) => &["squat.done", "squat.depth", "squat.leans_forward", "squat.heels_lift"],
    };
    for &id in ids {
        if inputs.reps == 0 && id != "squat.feet_turn_out" {
            a.skip(id, format!("No squat was found in the recording, so this could not be judged. {RETAKE}"));
            continue;
        }
        match id {
            "squat.done" => squat_done(&mut a, inputs),
            "squat.knee_caves_in" => knee_caves_in(&mut a, inputs),
            "squat.feet_turn_out" => feet_turn_out(&mut a, inputs),
            "single_leg_squat.knee_caves_in" => single_leg_knee(&mut a, inputs),
            "single_leg_squat.pelvis_drops" => pelvis_drops(&mut a, inputs),
            "squat.depth" => depth(&mut a, inputs),
            "squat.leans_forward" => leans_forward(&mut a, inputs),
            _ => heels_lift(&mut a, inputs),
        }
    }
    a.skip("squat.back_rounds", BACK_ROUNDS_REASON.to_owned());
    a
}

fn find<'m>(inputs: &Inputs<'m>, name: &str) -> Option<&'m Measured> {
    inputs.measured.iter().find(|m| m.name == name)
}

fn single(inputs: &Inputs<'_>, name: &str) -> Option<Estimate> {
    match find(inputs, name)?.value {
        Value::Single(e) => Some(e),
        Value::PerSide { .. } => None,
    }
}

/// The metric's estimate if it is trusted enough, else the reason why not.
fn trusted(inputs: &Inputs<'_>, estimate: Option<Estimate>, what: &str) -> Result<Estimate, String> {
    let min = inputs.thresholds.min_confidence;
    match estimate {
        None => Err(format!("{what} could not be measured in this recording. {RETAKE}")),
        // A NaN confidence is not trusted either.
        Some(e) if e.confidence.partial_cmp(&min).is_none_or(|o| o.is_lt()) => Err(format!(
            "{what} could not be measured reliably enough (confidence {:.2}, at least {min:.2} needed). {RETAKE}",
            e.confidence
        )),
        Some(e) => Ok(e),
    }
}

/// "about 14°", rounded: the measurement's error is degrees.
fn deg(v: f64) -> String {
    format!("about {:.0}°", v.abs())
}

fn depth_note(inputs: &Inputs<'_>) -> String {
    match single(inputs, SQUAT_DEPTH_LEG_LENGTHS) {
        Some(d) => format!(
            " It was read at the bottom of your squats (hips about {:.0}% of your leg length down) or, if you went deeper, at the deepest point where your thighs still showed clearly, because the angle grows with depth.",
            d.value * 100.0
        ),
        None => String::new(),
    }
}

fn squat_done(a: &mut Answers, inputs: &Inputs<'_>) {
    let e = match trusted(inputs, single(inputs, SQUAT_DEPTH_LEG_LENGTHS), "The squat") {
        Ok(e) => e,
        Err(reason) => return a.skip("squat.done", reason),
    };
    let n = inputs.reps;
    let text = format!("The recording shows {n} squat{}.", if n == 1 { "" } else { "s" });
    a.propose("squat.done", FindingValue::Bool(true), SQUAT_DEPTH_LEG_LENGTHS, e, text);
}

/// One knee's sentence: "your left knee came about 14° inside the line from hip to ankle".
fn knee_sentence(side: Side, e: Estimate) -> String {
    let way = if e.value >= 0.0 { "inside" } else { "outside" };
    format!("your {} knee came {} {way} the line from hip to ankle", side.as_str(), deg(e.value))
}

fn knee_caves_in(a: &mut Answers, inputs: &Inputs<'_>) {
    let (left, right) = match find(inputs, KNEE_VALGUS).map(|m| m.value) {
        Some(Value::PerSide { left, right }) => (left, right),
        _ => (None, None),
    };
    let limit = inputs.thresholds.knee_valgus_deg;
    let mut parts = Vec::new();
    let mut flagged = Vec::new();
    let mut confidence = f64::INFINITY;
    for (side, estimate) in [(Side::Left, left), (Side::Right, right)] {
        match trusted(inputs, estimate, "The knee angle") {
            Ok(e) => {
                parts.push(knee_sentence(side, e));
                confidence = confidence.min(e.confidence);
                if e.value >= limit {
                    flagged.push(side);
                }
            }
            Err(_) => parts.push(format!("your {} knee could not be measured reliably", side.as_str())),
        }
    }
    if !confidence.is_finite() {
        let reason = trusted(inputs, left.or(right), "The knee angle").err().unwrap_or_default();
        return a.skip("squat.knee_caves_in", reason);
    }
    let value = match flagged.as_slice() {
        [] => Side::None,
        [one] => *one,
        _ => Side::Both,
    };
    let text = format!(
        "At the bottom of your squats {} (the screen flags {limit:.0}° or more).{}",
        parts.join(", and "),
        depth_note(inputs)
    );
    let e = Estimate { value: 0.0, confidence };
    a.propose("squat.knee_caves_in", FindingValue::Side(value), KNEE_VALGUS, e, text);
}

fn feet_turn_out(a: &mut Answers, inputs: &Inputs<'_>) {
    let (left, right) = match find(inputs, FEET_TURN_OUT).map(|m| m.value) {
        Some(Value::PerSide { left, right }) => (left, right),
        _ => (None, None),
    };
    let confidence = [left, right].iter().flatten().map(|e| e.confidence).fold(f64::INFINITY, f64::min);
    let either = left.or(right).map(|e| Estimate { confidence, ..e });
    let e = match trusted(inputs, either, "The direction of your feet") {
        Ok(e) => e,
        Err(reason) => return a.skip("squat.feet_turn_out", reason),
    };
    let limit = inputs.thresholds.feet_turn_out_deg;
    let out = [left, right].iter().flatten().any(|e| e.value >= limit);
    let foot = |side: &str, e: Option<Estimate>| match e {
        Some(e) if e.value >= 0.0 => format!("your {side} foot pointed {} outward", deg(e.value)),
        Some(e) => format!("your {side} foot pointed {} inward", deg(e.value)),
        None => format!("your {side} foot could not be measured"),
    };
    let text = format!(
        "Roughly, {} and {} (the screen flags {limit:.0}° or more). Seen from the front, foot direction is hard to measure, so check this yourself.",
        foot("left", left),
        foot("right", right)
    );
    a.propose("squat.feet_turn_out", FindingValue::Bool(out), FEET_TURN_OUT, e, text);
}

fn single_leg_knee(a: &mut Answers, inputs: &Inputs<'_>) {
    let stance = inputs.stance.unwrap_or(Side::Left);
    let estimate = match find(inputs, KNEE_VALGUS).map(|m| m.value) {
        Some(Value::PerSide { left, right }) => {
            if stance == Side::Right {
                right
            } else {
                left
            }
        }
        _ => None,
    };
    let e = match trusted(inputs, estimate, "The knee angle of your standing leg") {
        Ok(e) => e,
        Err(reason) => return a.skip("single_leg_squat.knee_caves_in", reason),
    };
    let limit = inputs.thresholds.single_leg_knee_valgus_deg;
    let value = if e.value >= limit { stance } else { Side::None };
    let text = format!(
        "Standing on your {} leg, at the bottom {} (the screen flags {limit:.0}° or more on one leg).{}",
        stance.as_str(),
        knee_sentence(stance, e),
        depth_note(inputs)
    );
    a.propose("single_leg_squat.knee_caves_in", FindingValue::Side(value), KNEE_VALGUS, e, text);
}

fn pelvis_drops(a: &mut Answers, inputs: &Inputs<'_>) {
    let stance = inputs.stance.unwrap_or(Side::Left);
    let e = match trusted(inputs, single(inputs, PELVIS_DROP), "The level of your hips") {
        Ok(e) => e,
        Err(reason) => return a.skip("single_leg_squat.pelvis_drops", reason),
    };
    let limit = inputs.thresholds.pelvis_drop_deg;
    let value = if e.value >= limit { stance } else { Side::None };
    let way = if e.value >= 0.0 { "down towards" } else { "up on the side of" };
    let text = format!(
        "Standing on your {} leg, at the bottom your hips tilted {} {way} the lifted leg compared with standing (the screen flags {limit:.0}° or more).",
        stance.as_str(),
        deg(e.value)
    );
    a.propose("single_leg_squat.pelvis_drops", FindingValue::Side(value), PELVIS_DROP, e, text);
}

/// The depth band for a thigh angle below horizontal.
pub(crate) fn depth_band(thigh_deg: f64, t: &Thresholds) -> &'static str {
    if thigh_deg >= t.depth_full_thigh_deg {
        "full"
    } else if thigh_deg >= t.depth_parallel_thigh_deg {
        "thighs_parallel"
    } else if thigh_deg >= t.depth_half_thigh_deg {
        "half"
    } else if thigh_deg >= t.depth_quarter_thigh_deg {
        "quarter"
    } else {
        "unable"
    }
}

fn depth(a: &mut Answers, inputs: &Inputs<'_>) {
    let e = match trusted(inputs, single(inputs, DEPTH_THIGH), "The depth of your squat") {
        Ok(e) => e,
        Err(reason) => return a.skip("squat.depth", reason),
    };
    let band = depth_band(e.value, inputs.thresholds);
    let position = if e.value >= 0.0 { "below" } else { "above" };
    let text = format!(
        "At the bottom your thighs were {} from level, hips {position} the knees, which counts as \"{}\" (full from {:.0}° below level, thighs level from {:.0}° above).",
        deg(e.value),
        band.replace('_', " "),
        inputs.thresholds.depth_full_thigh_deg,
        -inputs.thresholds.depth_parallel_thigh_deg
    );
    a.propose("squat.depth", FindingValue::Choice(band), DEPTH_THIGH, e, text);
}

fn leans_forward(a: &mut Answers, inputs: &Inputs<'_>) {
    let e = match trusted(inputs, single(inputs, TRUNK_MINUS_SHANK), "The lean of your trunk") {
        Ok(e) => e,
        Err(reason) => return a.skip("squat.leans_forward", reason),
    };
    let limit = inputs.thresholds.trunk_lean_excess_deg;
    let text = format!(
        "At the bottom your trunk leaned {} {} than your shins (the screen flags {limit:.0}° or more; a trunk parallel to the shins is the aim).",
        deg(e.value),
        if e.value >= 0.0 { "more" } else { "less" }
    );
    a.propose("squat.leans_forward", FindingValue::Bool(e.value >= limit), TRUNK_MINUS_SHANK, e, text);
}

fn heels_lift(a: &mut Answers, inputs: &Inputs<'_>) {
    let e = match trusted(inputs, single(inputs, HEEL_LIFT), "The height of your heel") {
        Ok(e) => e,
        Err(reason) => return a.skip("squat.heels_lift", reason),
    };
    let limit = inputs.thresholds.heel_lift_foot_lengths;
    let text = format!(
        "At the bottom your heel was {:.0}% of your foot's length {} than when standing (the screen flags a lift of {:.0}% or more that lasts).",
        (e.value * 100.0).abs(),
        if e.value >= 0.0 { "higher" } else { "lower" },
        limit * 100.0
    );
    a.propose("squat.heels_lift", FindingValue::Bool(e.value >= limit), HEEL_LIFT, e, text);
}
