//! The analysis as JSON: the contract of `kneeroot squat analyse --format json` and of
//! `POST /api/v1/squat/analyse`.
//!
//! ```text
//! { "view": "front", "reps": 3,
//!   "metrics":    { "knee_valgus_deg": { "left": 12.3, "right": 4.1 }, "trunk_minus_shank_deg": 8.0, … },
//!   "findings":   { "squat.knee_caves_in": "left", "squat.heels_lift": false, … },
//!   "confidence": { "knee_valgus_deg": 0.82, … },
//!   "finding_details": { "squat.knee_caves_in": { "confidence": 0.82, "metric": "knee_valgus_deg", "explanation": "…" } },
//!   "not_assessed": { "squat.back_rounds": "…why…" },
//!   "rep_times": [ { "start": 0.4, "bottom": 1.3, "end": 2.2 } ],
//!   "single_leg_stance": null,
//!   "quality": { "frames": 120, "frames_with_pose": 118, "issues": [] } }
//! ```
//! Numbers are rounded to two decimals: the measurement error is degrees, not hundredths.

use serde_json::{Map, Value as Json, json};

use super::{Analysis, FindingValue, Measure};

/// The analysis in the JSON contract.
pub fn to_json(analysis: &Analysis) -> Json {
    let mut metrics = Map::new();
    let mut confidence = Map::new();
    for m in &analysis.metrics {
        let value = match m.value {
            Measure::Single(v) => number(v),
            Measure::PerSide { left, right } => {
                json!({ "left": left.map_or(Json::Null, number), "right": right.map_or(Json::Null, number) })
            }
        };
        metrics.insert(m.name.to_owned(), value);
        confidence.insert(m.name.to_owned(), number(m.confidence));
    }
    let mut findings = Map::new();
    let mut details = Map::new();
    for f in &analysis.findings {
        findings.insert(f.answer_id.to_owned(), finding_value(f.value));
        details.insert(
            f.answer_id.to_owned(),
            json!({ "confidence": number(f.confidence), "metric": f.metric, "explanation": f.explanation }),
        );
    }
    let not_assessed: Map<String, Json> =
        analysis.not_assessed.iter().map(|n| (n.answer_id.to_owned(), Json::String(n.reason.clone()))).collect();
    let rep_times: Vec<Json> = analysis
        .reps
        .iter()
        .map(|r| json!({ "start": number(r.start), "bottom": number(r.bottom), "end": number(r.end) }))
        .collect();
    json!({
        "view": analysis.view.as_str(),
        "reps": analysis.reps.len(),
        "metrics": metrics,
        "findings": findings,
        "confidence": confidence,
        "finding_details": details,
        "not_assessed": not_assessed,
        "rep_times": rep_times,
        "single_leg_stance": analysis.single_leg_stance.map_or(Json::Null, |s| Json::String(s.as_str().to_owned())),
        "quality": {
            "frames": analysis.quality.frames,
            "frames_with_pose": analysis.quality.frames_with_pose,
            "issues": analysis.quality.issues,
        },
    })
}

/// A finding's value as the answer's JSON value.
pub fn finding_value(value: FindingValue) -> Json {
    match value {
        FindingValue::Bool(b) => Json::Bool(b),
        FindingValue::Side(s) => Json::String(s.as_str().to_owned()),
        FindingValue::Choice(c) => Json::String(c.to_owned()),
    }
}

/// A finite number rounded to two decimals (non-finite values cannot occur in a well-formed analysis;
/// they become `null` rather than invalid JSON).
fn number(v: f64) -> Json {
    // `+ 0.0` turns a rounded -0.0 into 0.0, which reads better in a report.
    if v.is_finite() { json!((v * 100.0).round() / 100.0 + 0.0) } else { Json::Null }
}
