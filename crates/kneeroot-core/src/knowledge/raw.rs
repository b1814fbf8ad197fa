//! The files as written: serde shapes that reject unknown keys. Cross-references are checked later,
//! when these are turned into the validated model (`build.rs`).

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesFile {
    #[serde(default)]
    pub source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub key: String,
    pub citation: String,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionsFile {
    #[serde(default)]
    pub group: Vec<RawGroup>,
    #[serde(default)]
    pub question: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGroup {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub id: String,
    pub group: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub text: String,
    pub help: Option<String>,
    pub ask_when: Option<String>,
    #[serde(default)]
    pub options: Vec<RawChoice>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedFlagsFile {
    pub ottawa: RawOttawa,
    pub pittsburgh: RawPittsburgh,
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOttawa {
    pub min_age: i64,
    pub age_criterion: i64,
    pub window_days: f64,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPittsburgh {
    pub younger_than: i64,
    pub older_than: i64,
    pub window_days: f64,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: String,
    pub level: String,
    pub when: String,
    pub text: String,
    pub action: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CausesFile {
    pub inference: RawInference,
    #[serde(default)]
    pub cause: Vec<RawCause>,
    #[serde(default)]
    pub presentation: Vec<RawPresentation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInference {
    pub presentation_min_score: f64,
    pub missing_max: usize,
    pub driver_min_weight: f64,
    pub high_coverage: f64,
    pub high_strength: f64,
    pub moderate_coverage: f64,
    pub moderate_strength: f64,
    pub red_flag_missing_weight: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCause {
    pub id: String,
    pub name: String,
    pub prior: f64,
    pub max_confidence: String,
    pub summary: String,
    pub evidence_statement: String,
    pub source: String,
    #[serde(default)]
    pub driver: Vec<RawDriver>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDriver {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPresentation {
    pub id: String,
    pub name: String,
    pub prior: f64,
    pub description: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceFile {
    #[serde(default)]
    pub link: Vec<RawLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink {
    pub id: String,
    pub finding: String,
    pub when: String,
    pub target: String,
    pub driver: Option<String>,
    pub weight: f64,
    pub grade: String,
    pub source: String,
    pub explanation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExercisesFile {
    #[serde(default)]
    pub exercise: Vec<RawExercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExercise {
    pub id: String,
    pub name: String,
    pub step: u8,
    pub targets: Vec<String>,
    #[serde(default)]
    pub drivers: Vec<String>,
    pub entry: bool,
    #[serde(default)]
    pub equipment: Vec<String>,
    pub floor: bool,
    pub minutes: u32,
    pub dose: RawDose,
    pub progression: Option<String>,
    pub regression: Option<String>,
    pub why: String,
    pub instructions: Vec<String>,
    #[serde(default)]
    pub cues: Vec<String>,
    #[serde(default)]
    pub cautions: Vec<String>,
    pub safe_until_seen: bool,
    #[serde(default)]
    pub suits: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDose {
    pub sets: u32,
    pub reps: u32,
    pub hold_seconds: Option<u32>,
    pub per_week: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanFile {
    pub plan: RawPlan,
    pub until_seen: RawText,
    #[serde(default)]
    pub pain_rule: Vec<RawPainRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    pub base_weeks: u32,
    pub long_duration_weeks: f64,
    pub extra_weeks_long: u32,
    pub irritable_worst_pain: i64,
    pub extra_weeks_irritable: u32,
    pub max_weeks: u32,
    pub step_starts: [u32; 3],
    pub irritable_step3_start: u32,
    pub step_names: [String; 3],
    pub default_minutes_per_day: u32,
    pub default_days_per_week: u32,
    pub default_equipment: Vec<String>,
    pub max_per_step: usize,
    pub cause_threshold: f64,
    pub generic_progression: String,
    pub generic_regression: String,
    pub generic_progression_hold: String,
    pub generic_regression_hold: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawText {
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPainRule {
    pub id: String,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaqFile {
    #[serde(default)]
    pub faq: Vec<RawFaq>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFaq {
    pub id: String,
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgressionFile {
    pub rules: RawProgressionRules,
    #[serde(default)]
    pub regress_step: Vec<RawChange>,
    #[serde(default)]
    pub progress_step: Vec<RawChange>,
    #[serde(default)]
    pub tendon_stage: Vec<RawTendonStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProgressionRules {
    pub pain_during_max: u8,
    pub next_morning_over_usual: u8,
    pub good_sessions_to_progress: usize,
    pub trend_window: usize,
    pub trend_worsening: f64,
    pub tendon_pain_during_max: u8,
    pub refer_regressions: usize,
    pub refer_window: usize,
    pub stall_sessions: usize,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChange {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTendonStage {
    pub id: String,
    pub name: String,
    pub text: String,
    pub enter_pain_max: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseloadFile {
    pub pain_rising: RawPainRising,
    pub red_flag: RawBasis,
    pub silence: RawSilence,
    pub no_change: RawNoChange,
    pub adherence: RawAdherence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBasis {
    pub source: String,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPainRising {
    pub window_days: u32,
    pub min_reports: u32,
    pub rise_points: f64,
    pub source: String,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSilence {
    pub days: u32,
    pub source: String,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNoChange {
    pub review_week: u32,
    pub source: String,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAdherence {
    pub window_days: u32,
    pub source: String,
    pub rationale: String,
}

/// `camera.toml`: the thresholds of `kneeroot_squat::Thresholds`, grouped by what they judge, with the
/// same field names so the file and the struct can be read side by side.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CameraFile {
    pub measurement: RawMeasurement,
    pub knee_valgus: RawKneeValgus,
    pub pelvis_drop: RawPelvisDrop,
    pub heel_lift: RawHeelLift,
    pub trunk_lean: RawTrunkLean,
    pub depth: RawDepth,
    pub feet_turn_out: RawFeetTurnOut,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeasurement {
    pub min_visibility: f64,
    pub min_confidence: f64,
    pub min_rep_drop: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKneeValgus {
    pub knee_valgus_deg: f64,
    pub single_leg_knee_valgus_deg: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPelvisDrop {
    pub pelvis_drop_deg: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeelLift {
    pub heel_lift_foot_lengths: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrunkLean {
    pub trunk_lean_excess_deg: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDepth {
    pub depth_full_thigh_deg: f64,
    pub depth_parallel_thigh_deg: f64,
    pub depth_half_thigh_deg: f64,
    pub depth_quarter_thigh_deg: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFeetTurnOut {
    pub feet_turn_out_deg: f64,
    pub sources: Vec<String>,
    pub rationale: String,
}
