//! Which confirmed answers came from the camera, and how sure it was.
//!
//! A filmed squat never becomes an answer by itself. Its analysis waits in the session as *pending*
//! (the JSON contract of [`super::output::to_json`], one per view); the person sees each finding as a
//! question prefilled with the camera's value and confirms or changes it. Only what they confirm
//! unchanged is recorded as *confirmed* provenance: the value the camera proposed, the view, the
//! confidence, the metric and the plain explanation. The state is kept as JSON in the session:
//!
//! ```text
//! { "pending":   { "front": <analysis JSON>, "side": <analysis JSON> },
//!   "confirmed": { "squat.knee_caves_in": { "value": "left", "view": "front", "confidence": 0.82,
//!                                           "metric": "knee_valgus_deg", "explanation": "…" } } }
//! ```
//!
//! **Lenient by design.** The JSON was written by an earlier request, perhaps by an earlier release with
//! other answer ids or another contract; [`CameraState::load`] keeps what still makes sense and drops the
//! rest entry by entry (a bad view, a confidence outside 0–1, a finding without details), so a stale
//! session never turns into an error page.
//!
//! **The answer wins.** The person may change an answer after confirming it (on the wizard's squat page,
//! say). [`CameraState::applicable`] returns only the confirmed entries whose value still equals the
//! current answer, so the camera never claims an answer it did not give. The same rule is applied again
//! when a stored assessment is shown.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};

use super::View;
use crate::{Answers, Knowledge};

/// Where one answer came from: what the camera proposed for it and how sure it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// The value the camera proposed (and the person confirmed), as the answer's JSON value.
    pub value: Json,
    /// The view it was seen from.
    pub view: View,
    /// How far to trust it, 0–1.
    pub confidence: f64,
    /// The metric it rests on (`knee_valgus_deg`, …).
    pub metric: String,
    /// The plain sentence with the numbers.
    pub explanation: String,
}

impl Provenance {
    /// The entry as stored: `{ "value", "view", "confidence", "metric", "explanation" }`.
    pub fn to_json(&self) -> Json {
        json!({
            "value": self.value,
            "view": self.view.as_str(),
            "confidence": self.confidence,
            "metric": self.metric,
            "explanation": self.explanation,
        })
    }

    /// An entry read back, or `None` when any part of it no longer makes sense.
    fn from_json(json: &Json) -> Option<Provenance> {
        let o = json.as_object()?;
        let value = o.get("value").filter(|v| !v.is_null())?.clone();
        let view = View::parse(o.get("view")?.as_str()?)?;
        Some(Provenance {
            value,
            view,
            confidence: confidence(o.get("confidence")?)?,
            metric: o.get("metric")?.as_str()?.to_owned(),
            explanation: o.get("explanation")?.as_str()?.to_owned(),
        })
    }

    /// The confidence in words (see [`confidence_words`]).
    pub fn confidence_words(&self) -> &'static str {
        confidence_words(self.confidence)
    }
}

/// A confidence in words: `high` from 0.75, `moderate` from 0.5, `low` below.
pub fn confidence_words(confidence: f64) -> &'static str {
    if confidence >= 0.75 {
        "high"
    } else if confidence >= 0.5 {
        "moderate"
    } else {
        "low"
    }
}

/// A finite number within 0–1.
fn confidence(json: &Json) -> Option<f64> {
    json.as_f64().filter(|c| c.is_finite() && (0.0..=1.0).contains(c))
}

/// One view's analysis as the review page shows it, read leniently from the pending JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingAnalysis {
    /// The view.
    pub view: View,
    /// How many reps were seen.
    pub reps: usize,
    /// The proposed answers, with their provenance, in the contract's order.
    pub findings: Vec<(String, Provenance)>,
    /// Answers this view could not give, and why.
    pub not_assessed: Vec<(String, String)>,
    /// Problems with the set-up, in plain words.
    pub issues: Vec<String>,
    /// Frames received.
    pub frames: usize,
    /// Frames with a person found.
    pub frames_with_pose: usize,
}

impl PendingAnalysis {
    /// Read an analysis in the contract of [`super::output::to_json`]; `None` if it is not one.
    fn from_json(view: View, json: &Json) -> Option<PendingAnalysis> {
        let o = json.as_object()?;
        let count = |v: Option<&Json>| v.and_then(Json::as_u64).and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
        let empty = Map::new();
        let details = o.get("finding_details").and_then(Json::as_object).unwrap_or(&empty);
        let findings = o
            .get("findings")
            .and_then(Json::as_object)
            .unwrap_or(&empty)
            .iter()
            .filter(|(_, value)| !value.is_null())
            .filter_map(|(id, value)| {
                // A finding without its details cannot say how sure it is, so it is not offered.
                let d = details.get(id)?.as_object()?;
                Some((
                    id.clone(),
                    Provenance {
                        value: value.clone(),
                        view,
                        confidence: confidence(d.get("confidence")?)?,
                        metric: d.get("metric")?.as_str()?.to_owned(),
                        explanation: d.get("explanation")?.as_str()?.to_owned(),
                    },
                ))
            })
            .collect();
        let not_assessed = o
            .get("not_assessed")
            .and_then(Json::as_object)
            .unwrap_or(&empty)
            .iter()
            .filter_map(|(id, why)| Some((id.clone(), why.as_str()?.to_owned())))
            .collect();
        let quality = o.get("quality").and_then(Json::as_object).unwrap_or(&empty);
        let issues = quality
            .get("issues")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        Some(PendingAnalysis {
            view,
            reps: count(o.get("reps")),
            findings,
            not_assessed,
            issues,
            frames: count(quality.get("frames")),
            frames_with_pose: count(quality.get("frames_with_pose")),
        })
    }
}

/// The camera state of one assessment in progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CameraState {
    /// Analyses waiting to be confirmed, by view (`front`, `side`).
    pending: BTreeMap<&'static str, Json>,
    /// Confirmed answers that came from the camera, by answer id.
    confirmed: BTreeMap<String, Provenance>,
}

/// Both views, in the order they are shown.
const VIEWS: [View; 2] = [View::Front, View::Side];

impl CameraState {
    /// The state stored in a session (`None`: no camera used). Whatever does not fit is dropped, entry by
    /// entry; text that is not JSON at all is an empty state.
    pub fn load(text: Option<&str>) -> CameraState {
        let Some(Json::Object(root)) = text.and_then(|t| serde_json::from_str::<Json>(t).ok()) else {
            return CameraState::default();
        };
        let mut state = CameraState::default();
        if let Some(pending) = root.get("pending").and_then(Json::as_object) {
            for view in VIEWS {
                if let Some(analysis) = pending.get(view.as_str()).filter(|a| a.is_object()) {
                    state.pending.insert(view.as_str(), analysis.clone());
                }
            }
        }
        if let Some(confirmed) = root.get("confirmed") {
            state.confirmed = load_confirmed_json(confirmed);
        }
        state
    }

    /// The state as stored; `None` when there is nothing to keep.
    pub fn save(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let pending: Map<String, Json> = self.pending.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        Some(json!({ "pending": pending, "confirmed": confirmed_json(&self.confirmed) }).to_string())
    }

    /// Whether nothing is pending or confirmed.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.confirmed.is_empty()
    }

    /// Keep `analysis` (the JSON of [`super::output::to_json`]) as the pending analysis of `view`, replacing
    /// any earlier one of that view.
    pub fn set_pending(&mut self, view: View, analysis: Json) {
        self.pending.insert(view.as_str(), analysis);
    }

    /// Whether any analysis waits to be confirmed.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether `view` has been filmed: its analysis waits, or answers from it were confirmed.
    pub fn view_done(&self, view: View) -> bool {
        self.pending.contains_key(view.as_str()) || self.confirmed.values().any(|p| p.view == view)
    }

    /// The pending analyses, front first.
    pub fn pending(&self) -> Vec<PendingAnalysis> {
        VIEWS
            .iter()
            .filter_map(|v| self.pending.get(v.as_str()).and_then(|json| PendingAnalysis::from_json(*v, json)))
            .collect()
    }

    /// Every answer the pending analyses propose, once each: when both views propose the same answer,
    /// the more confident wins (the front view on a tie).
    pub fn proposals(&self) -> Vec<(String, Provenance)> {
        let mut out: Vec<(String, Provenance)> = Vec::new();
        for (id, p) in self.pending().into_iter().flat_map(|a| a.findings) {
            match out.iter_mut().find(|(known, _)| *known == id) {
                Some((_, best)) if p.confidence > best.confidence => *best = p,
                Some(_) => {}
                None => out.push((id, p)),
            }
        }
        out
    }

    /// Record that the person confirmed the camera's value for `answer_id`.
    pub fn confirm(&mut self, answer_id: &str, provenance: Provenance) {
        self.confirmed.insert(answer_id.to_owned(), provenance);
    }

    /// Forget any claim of the camera on `answer_id` (the person chose another value).
    pub fn forget(&mut self, answer_id: &str) {
        self.confirmed.remove(answer_id);
    }

    /// Drop the pending analyses (they have been reviewed).
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }

    /// Every confirmed entry, whatever the answers are now.
    pub fn confirmed(&self) -> &BTreeMap<String, Provenance> {
        &self.confirmed
    }

    /// The confirmed entries whose value still equals the person's current answer: if they changed the
    /// answer afterwards, the camera no longer claims it.
    pub fn applicable(&self, kb: &Knowledge, answers: &Answers) -> BTreeMap<String, Provenance> {
        applicable(&self.confirmed, kb, answers)
    }
}

/// The entries of `confirmed` whose value equals the current answer in `answers`.
pub fn applicable(
    confirmed: &BTreeMap<String, Provenance>,
    kb: &Knowledge,
    answers: &Answers,
) -> BTreeMap<String, Provenance> {
    confirmed
        .iter()
        .filter(|(id, p)| answers.get(kb, id).is_some_and(|v| v.to_json() == p.value))
        .map(|(id, p)| (id.clone(), p.clone()))
        .collect()
}

/// Confirmed entries as stored with an assessment: `{ answer_id: { "value", "view", … } }`; `None` when
/// there are none (no camera was used).
pub fn save_confirmed(confirmed: &BTreeMap<String, Provenance>) -> Option<String> {
    (!confirmed.is_empty()).then(|| confirmed_json(confirmed).to_string())
}

/// Confirmed entries stored with an assessment, read leniently (entries that do not fit are dropped).
pub fn load_confirmed(text: Option<&str>) -> BTreeMap<String, Provenance> {
    text.and_then(|t| serde_json::from_str::<Json>(t).ok()).map(|j| load_confirmed_json(&j)).unwrap_or_default()
}

fn confirmed_json(confirmed: &BTreeMap<String, Provenance>) -> Json {
    Json::Object(confirmed.iter().map(|(id, p)| (id.clone(), p.to_json())).collect())
}

fn load_confirmed_json(json: &Json) -> BTreeMap<String, Provenance> {
    json.as_object()
        .map(|o| o.iter().filter_map(|(id, p)| Some((id.clone(), Provenance::from_json(p)?))).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Knowledge {
        Knowledge::embedded().expect("the embedded knowledge base is valid")
    }

    fn analysis(view: &str) -> Json {
        json!({
            "view": view, "reps": 3,
            "metrics": {"knee_valgus_deg": {"left": 14.2, "right": 4.0}},
            "findings": {"squat.knee_caves_in": "left", "squat.feet_turn_out": false, "squat.no_details": true},
            "confidence": {"knee_valgus_deg": 0.82},
            "finding_details": {
                "squat.knee_caves_in": {"confidence": 0.82, "metric": "knee_valgus_deg", "explanation": "Left knee 14° in."},
                "squat.feet_turn_out": {"confidence": 0.3, "metric": "foot_angle_deg", "explanation": "Feet straight."}
            },
            "not_assessed": {"squat.back_rounds": "No points along the spine."},
            "rep_times": [],
            "single_leg_stance": null,
            "quality": {"frames": 120, "frames_with_pose": 118, "issues": ["The light was poor."]}
        })
    }

    fn provenance(value: Json, confidence: f64) -> Provenance {
        Provenance {
            value,
            view: View::Front,
            confidence,
            metric: "knee_valgus_deg".into(),
            explanation: "Left knee 14° in.".into(),
        }
    }

    #[test]
    fn a_pending_analysis_is_read_back_with_its_findings_details_and_quality() {
        let mut state = CameraState::default();
        state.set_pending(View::Front, analysis("front"));
        let loaded = CameraState::load(state.save().as_deref());
        assert_eq!(loaded, state, "save and load round-trip");
        let pending = loaded.pending();
        assert_eq!(pending.len(), 1);
        let a = &pending[0];
        assert_eq!((a.view, a.reps, a.frames, a.frames_with_pose), (View::Front, 3, 120, 118));
        let ids: Vec<&str> = a.findings.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["squat.feet_turn_out", "squat.knee_caves_in"], "a finding without details is not offered");
        let (_, knee) = &a.findings[1];
        assert_eq!(knee, &provenance(json!("left"), 0.82));
        assert_eq!(a.not_assessed, [("squat.back_rounds".to_owned(), "No points along the spine.".to_owned())]);
        assert_eq!(a.issues, ["The light was poor."]);
        assert!(loaded.has_pending() && loaded.view_done(View::Front) && !loaded.view_done(View::Side));
    }

    #[test]
    fn bad_or_old_data_is_dropped_not_an_error() {
        for text in [None, Some(""), Some("not json"), Some("[1, 2]"), Some("{}"), Some(r#"{"pending": 3}"#)] {
            assert_eq!(CameraState::load(text), CameraState::default(), "{text:?}");
        }
        let text = json!({
            "pending": {"front": analysis("front"), "back": analysis("front"), "side": "not an object"},
            "confirmed": {
                "squat.knee_caves_in": provenance(json!("left"), 0.82).to_json(),
                "squat.heels_lift": {"value": true, "view": "above", "confidence": 0.9, "metric": "m", "explanation": "e"},
                "squat.depth": {"value": "half", "view": "side", "confidence": 1.5, "metric": "m", "explanation": "e"},
                "squat.leans_forward": {"value": null, "view": "side", "confidence": 0.5, "metric": "m", "explanation": "e"},
                "squat.feet_turn_out": {"value": false, "view": "front", "confidence": 0.6},
                "squat.pain": 7
            }
        })
        .to_string();
        let state = CameraState::load(Some(&text));
        assert_eq!(state.pending().iter().map(|a| a.view).collect::<Vec<_>>(), [View::Front]);
        assert_eq!(state.confirmed().keys().collect::<Vec<_>>(), ["squat.knee_caves_in"]);
    }

    #[test]
    fn only_confirmed_answers_the_person_kept_are_applicable() {
        let kb = kb();
        let mut state = CameraState::default();
        state.confirm("squat.knee_caves_in", provenance(json!("left"), 0.82));
        state.confirm("squat.heels_lift", Provenance { view: View::Side, ..provenance(json!(true), 0.6) });
        state.confirm("squat.no_such_answer", provenance(json!(true), 0.9));
        let mut answers = Answers::empty(&kb);
        assert!(state.applicable(&kb, &answers).is_empty(), "nothing answered: nothing claimed");
        answers.set(&kb, "squat.knee_caves_in", &json!("left")).unwrap();
        answers.set(&kb, "squat.heels_lift", &json!(false)).unwrap();
        let claimed = state.applicable(&kb, &answers);
        assert_eq!(claimed.keys().collect::<Vec<_>>(), ["squat.knee_caves_in"], "the heels answer was changed");
        answers.set(&kb, "squat.knee_caves_in", &json!("both")).unwrap();
        assert!(state.applicable(&kb, &answers).is_empty(), "changed afterwards: no longer the camera's");
    }

    #[test]
    fn the_more_confident_view_wins_a_shared_answer() {
        let mut state = CameraState::default();
        state.set_pending(View::Front, analysis("front"));
        let mut side = analysis("side");
        side["findings"] = json!({"squat.knee_caves_in": "both", "squat.heels_lift": true});
        side["finding_details"] = json!({
            "squat.knee_caves_in": {"confidence": 0.9, "metric": "m", "explanation": "side says both"},
            "squat.heels_lift": {"confidence": 0.7, "metric": "heel_lift", "explanation": "heels up"}
        });
        state.set_pending(View::Side, side);
        let proposals = state.proposals();
        let ids: Vec<&str> = proposals.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["squat.feet_turn_out", "squat.knee_caves_in", "squat.heels_lift"]);
        assert_eq!((proposals[1].1.value.clone(), proposals[1].1.view), (json!("both"), View::Side));
        state.clear_pending();
        assert!(!state.has_pending());
        assert_eq!(state.save(), None, "nothing left to keep");
    }

    #[test]
    fn confirmed_entries_round_trip_for_an_assessment() {
        let mut confirmed = BTreeMap::new();
        assert_eq!(save_confirmed(&confirmed), None);
        confirmed.insert("squat.knee_caves_in".to_owned(), provenance(json!("left"), 0.82));
        let text = save_confirmed(&confirmed);
        assert_eq!(load_confirmed(text.as_deref()), confirmed);
        assert!(load_confirmed(Some("{broken")).is_empty());
        assert!(load_confirmed(None).is_empty());
    }

    #[test]
    fn confidence_is_put_in_words_at_the_documented_bounds() {
        let words: Vec<&str> = [0.0, 0.49, 0.5, 0.74, 0.75, 1.0].into_iter().map(confidence_words).collect();
        assert_eq!(words, ["low", "low", "moderate", "moderate", "high", "high"]);
    }
}
