//! The validated knowledge model: what the engine reads. Every id here has been resolved and every
//! condition parsed; building one of these is the only way to get one (see `build.rs`).

use serde::{Deserialize, Serialize};

use crate::condition::Expr;

/// A citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The key other entries cite.
    pub key: String,
    /// The full citation.
    pub citation: String,
    /// Where to read it, if known.
    pub url: Option<String>,
}

/// A group of questions asked together (one page of the wizard).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Stable id.
    pub id: String,
    /// Heading shown to the person.
    pub title: String,
    /// One or two sentences introducing the group.
    pub intro: Option<String>,
}

/// The type and range of a question's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// Yes or no.
    Bool,
    /// A whole number in `min..=max`.
    Int {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A number in `min..=max`.
    Number {
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// One of the options.
    Enum,
    /// Any of the options.
    List,
    /// `none | left | right | both`.
    Side,
}

impl QuestionKind {
    /// The wire name of the type, as in docs/answers.md.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Bool => "bool",
            QuestionKind::Int { .. } => "int",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Enum => "enum",
            QuestionKind::List => "list",
            QuestionKind::Side => "side",
        }
    }
}

/// One allowed value of an enum or list question.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The wire value.
    pub value: String,
    /// How it is shown.
    pub label: String,
}

/// One question: an answer id with its type, wording and help.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The answer id (stable, never renamed).
    pub id: String,
    /// The group it is asked in.
    pub group: String,
    /// Its type and range.
    pub kind: QuestionKind,
    /// Unit shown after a number.
    pub unit: Option<String>,
    /// The question.
    pub text: String,
    /// How to answer it (and how to do a self-test safely).
    pub help: Option<String>,
    /// Asked only when this holds; `None` = always.
    pub ask_when: Option<Expr>,
    /// `ask_when` as written, for documentation.
    pub ask_when_source: Option<String>,
    /// The options of an enum or list question (side questions use the fixed sides).
    pub options: Vec<Choice>,
}

impl Question {
    /// The label of an option value, or the value itself.
    pub fn label_of<'a>(&'a self, value: &'a str) -> &'a str {
        self.options.iter().find(|c| c.value == value).map_or(value, |c| c.label.as_str())
    }
}

/// How urgently a person should be seen. Ordered: a higher level pre-empts a lower one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageLevel {
    /// Self-management is appropriate.
    #[default]
    SelfCare,
    /// A clinician within days.
    Soon,
    /// Seen today.
    Urgent,
    /// Now: the emergency department.
    Emergency,
}

impl TriageLevel {
    /// Parse the wire name.
    pub fn parse(s: &str) -> Option<TriageLevel> {
        match s {
            "self_care" => Some(TriageLevel::SelfCare),
            "soon" => Some(TriageLevel::Soon),
            "urgent" => Some(TriageLevel::Urgent),
            "emergency" => Some(TriageLevel::Emergency),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TriageLevel::SelfCare => "self_care",
            TriageLevel::Soon => "soon",
            TriageLevel::Urgent => "urgent",
            TriageLevel::Emergency => "emergency",
        }
    }

    /// Whether a home exercise plan may be produced at this level.
    pub fn allows_plan(self) -> bool {
        self <= TriageLevel::Soon
    }
}

/// Parameters of the Ottawa Knee Rules.
#[derive(Debug, Clone, PartialEq)]
pub struct OttawaParams {
    /// Below this age the rule is not applied (not enough data).
    pub min_age: i64,
    /// At or above this age the rule is positive by age alone.
    pub age_criterion: i64,
    /// The rule applies to injuries at most this many days old.
    pub window_days: f64,
    /// Citation key.
    pub source: String,
}

/// Parameters of the Pittsburgh Knee Rules.
#[derive(Debug, Clone, PartialEq)]
pub struct PittsburghParams {
    /// Positive below this age (strict).
    pub younger_than: i64,
    /// Positive above this age (strict).
    pub older_than: i64,
    /// The rule applies to injuries at most this many days old.
    pub window_days: f64,
    /// Citation key.
    pub source: String,
}

/// A red-flag rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RedFlagRule {
    /// Stable id.
    pub id: String,
    /// The level it triggers.
    pub level: TriageLevel,
    /// When it fires.
    pub when: Expr,
    /// Why, in plain words.
    pub text: String,
    /// Where to go and what to do.
    pub action: String,
    /// Citation key.
    pub source: String,
}

/// How strong the evidence behind a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Unvalidated self-test or fitness-industry text.
    VeryLow,
    /// Case series or expert opinion.
    Low,
    /// A prospective cohort or RCT, or consistent cross-sectional studies.
    Moderate,
    /// Guideline or meta-analysis, consistent.
    Strong,
}

impl Grade {
    /// Parse the wire name.
    pub fn parse(s: &str) -> Option<Grade> {
        match s {
            "very_low" => Some(Grade::VeryLow),
            "low" => Some(Grade::Low),
            "moderate" => Some(Grade::Moderate),
            "strong" => Some(Grade::Strong),
            _ => None,
        }
    }

    /// How much a link of this grade counts towards confidence.
    pub fn factor(self) -> f64 {
        match self {
            Grade::VeryLow => 0.25,
            Grade::Low => 0.5,
            Grade::Moderate => 0.75,
            Grade::Strong => 1.0,
        }
    }
}

/// How sure kneeroot is of a root cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Little or weak evidence.
    Low,
    /// Reasonable evidence.
    Moderate,
    /// Most of the relevant questions answered and good evidence.
    High,
}

impl Confidence {
    /// Parse the wire name.
    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "low" => Some(Confidence::Low),
            "moderate" => Some(Confidence::Moderate),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

/// A mechanism through which a root cause loads the knee.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// Stable id.
    pub id: String,
    /// Plain name.
    pub name: String,
}

/// One of the four root causes.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// `hip`, `ankle`, `lower_back` or `knee_local`.
    pub id: String,
    /// Plain name.
    pub name: String,
    /// The score with no evidence at all.
    pub prior: f64,
    /// The most confidence this cause can earn from self-report.
    pub max_confidence: Confidence,
    /// What it means, in plain words.
    pub summary: String,
    /// An honest statement of how strong the evidence is that this drives knee pain.
    pub evidence_statement: String,
    /// Citation key of that statement.
    pub source: String,
    /// Its drivers.
    pub drivers: Vec<Driver>,
}

/// A pattern knee pain often goes with (never a diagnosis).
#[derive(Debug, Clone, PartialEq)]
pub struct Presentation {
    /// Stable id.
    pub id: String,
    /// Plain name.
    pub name: String,
    /// The score with no evidence at all.
    pub prior: f64,
    /// What the pattern is, in plain words.
    pub description: String,
    /// Citation key.
    pub source: String,
}

/// Where an evidence link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A root cause, by index in [`Knowledge::causes`](super::Knowledge::causes).
    Cause(usize),
    /// A presentation, by index.
    Presentation(usize),
}

/// A finding that moves a cause or presentation score.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Stable id.
    pub id: String,
    /// The variable reported as the finding.
    pub finding: crate::condition::VarId,
    /// The finding's name (an answer id or a derived fact).
    pub finding_name: String,
    /// When it applies.
    pub when: Expr,
    /// What it moves.
    pub target: Target,
    /// Which driver of the cause it supports, by index.
    pub driver: Option<usize>,
    /// Log-odds weight: positive supports, negative argues against.
    pub weight: f64,
    /// Evidence grade.
    pub grade: Grade,
    /// Citation key.
    pub source: String,
    /// One sentence a lay person understands.
    pub explanation: String,
}

/// A prescribed amount of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dose {
    /// Sets per session.
    pub sets: u32,
    /// Repetitions per set.
    pub reps: u32,
    /// Seconds each repetition is held, for stretches and isometrics.
    pub hold_seconds: Option<u32>,
    /// Sessions per week.
    pub per_week: u32,
}

/// An exercise of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// Stable id.
    pub id: String,
    /// Plain name.
    pub name: String,
    /// 1 mobility, 2 strength, 3 integration.
    pub step: u8,
    /// Cause indices it addresses.
    pub targets: Vec<usize>,
    /// Driver ids it addresses.
    pub drivers: Vec<String>,
    /// May start a plan.
    pub entry: bool,
    /// Equipment needed (all of it).
    pub equipment: Vec<String>,
    /// Needs getting down to the floor.
    pub floor: bool,
    /// Minutes one session of it takes.
    pub minutes: u32,
    /// The starting dose.
    pub dose: Dose,
    /// Index of the harder version.
    pub progression: Option<usize>,
    /// Index of the easier version.
    pub regression: Option<usize>,
    /// Why it helps.
    pub why: String,
    /// How to do it.
    pub instructions: Vec<String>,
    /// What to pay attention to.
    pub cues: Vec<String>,
    /// When to stop or change it.
    pub cautions: Vec<String>,
    /// May be offered while waiting to be seen.
    pub safe_until_seen: bool,
    /// Presentation indices it particularly suits.
    pub suits: Vec<usize>,
    /// Citation keys.
    pub sources: Vec<String>,
}

/// Settings of the inference engine.
#[derive(Debug, Clone, PartialEq)]
pub struct InferenceSettings {
    /// Presentations scoring below this are not reported.
    pub presentation_min_score: f64,
    /// At most this many ids in `missing`.
    pub missing_max: usize,
    /// A driver is reported when its supporting weight reaches this.
    pub driver_min_weight: f64,
    /// Coverage needed for high confidence.
    pub high_coverage: f64,
    /// Graded evidence strength needed for high confidence.
    pub high_strength: f64,
    /// Coverage needed for moderate confidence.
    pub moderate_coverage: f64,
    /// Graded evidence strength needed for moderate confidence.
    pub moderate_strength: f64,
    /// How much an unanswered red-flag question counts in `missing`, per triage level above self-care.
    pub red_flag_missing_weight: f64,
}

/// Settings of the plan generator.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSettings {
    /// Weeks of a plan with nothing to lengthen it.
    pub base_weeks: u32,
    /// Symptoms longer than this many weeks lengthen the plan.
    pub long_duration_weeks: f64,
    /// By this many weeks.
    pub extra_weeks_long: u32,
    /// A worst pain at or above this makes the knee "irritable".
    pub irritable_worst_pain: i64,
    /// An irritable knee lengthens the plan by this many weeks.
    pub extra_weeks_irritable: u32,
    /// The longest plan.
    pub max_weeks: u32,
    /// The week each step starts.
    pub step_starts: [u32; 3],
    /// The week step 3 starts for an irritable knee.
    pub irritable_step3_start: u32,
    /// Names of the three steps.
    pub step_names: [String; 3],
    /// Minutes per day when not answered.
    pub default_minutes_per_day: u32,
    /// Days per week when not answered.
    pub default_days_per_week: u32,
    /// Equipment assumed when not answered.
    pub default_equipment: Vec<String>,
    /// At most this many exercises per step.
    pub max_per_step: usize,
    /// Causes scoring at least this are addressed by the plan (the top cause always is).
    pub cause_threshold: f64,
    /// Shown when an exercise has no harder version.
    pub generic_progression: String,
    /// Shown when an exercise has no easier version.
    pub generic_regression: String,
    /// Shown when a held exercise (stretch, isometric) has no harder version.
    pub generic_progression_hold: String,
    /// Shown when a held exercise has no easier version.
    pub generic_regression_hold: String,
    /// Said when the plan is limited until the person is seen.
    pub until_seen_text: String,
}

/// A rule for exercising with pain.
#[derive(Debug, Clone, PartialEq)]
pub struct PainRule {
    /// Stable id.
    pub id: String,
    /// The rule in plain words.
    pub text: String,
    /// Citation key.
    pub source: String,
}

/// A frequently asked question.
#[derive(Debug, Clone, PartialEq)]
pub struct Faq {
    /// Stable id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The answer, paragraphs separated by blank lines.
    pub answer: String,
    /// Words people search with.
    pub keywords: Vec<String>,
    /// Citation keys.
    pub sources: Vec<String>,
}

/// The pain-monitoring model's thresholds (see `progression.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressionRules {
    /// Pain during above this regresses.
    pub pain_during_max: u8,
    /// Next-morning pain above usual + this regresses.
    pub next_morning_over_usual: u8,
    /// Consecutive good sessions needed to progress.
    pub good_sessions_to_progress: usize,
    /// Sessions per half when comparing the trend.
    pub trend_window: usize,
    /// A rise of the trend by this much regresses.
    pub trend_worsening: f64,
    /// Tendon pain: progress only with pain during at most this.
    pub tendon_pain_during_max: u8,
    /// This many regressions within `refer_window` sessions suggests seeing a physio.
    pub refer_regressions: usize,
    /// The window for `refer_regressions`.
    pub refer_window: usize,
    /// This many sessions without a progression suggests seeing a physio.
    pub stall_sessions: usize,
    /// Citation key.
    pub source: String,
    /// Regressions, in the order they are tried.
    pub regress_steps: Vec<Change>,
    /// Progressions, taken in turn.
    pub progress_steps: Vec<Change>,
    /// Tendinopathy loading stages, in order.
    pub tendon_stages: Vec<TendonStage>,
}

/// One way of changing an exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Stable id (`range`, `speed`, `load`, `variant`, `reps`).
    pub id: String,
    /// What to do, as the end of a sentence.
    pub text: String,
}

/// A stage of tendon loading.
#[derive(Debug, Clone, PartialEq)]
pub struct TendonStage {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it involves.
    pub text: String,
    /// Entered only when pain on loading is at most this.
    pub enter_pain_max: u8,
}

/// When a patient's row on a clinician's caseload raises an alert (see `caseload.toml` and
/// [`crate::caseload`]). Every threshold carries its basis.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadRules {
    /// Morning pain rising week on week.
    pub pain_rising: PainRisingRule,
    /// A warning sign reported in a check-in since the latest assessment (no threshold: any one alerts).
    pub red_flag: Basis,
    /// No check-in for a while.
    pub silence: SilenceRule,
    /// No real improvement of the function questionnaire by the review week.
    pub no_change: NoChangeRule,
    /// The window adherence is counted over (shown, never an alert by itself).
    pub adherence: AdherenceWindow,
}

/// Why a threshold is what it is: a citation key and a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    /// Citation key (resolved in `sources.toml`).
    pub source: String,
    /// The reasoning, in plain words.
    pub rationale: String,
}

/// "Morning pain is rising": the mean of the last `window_days` days against the `window_days` before.
#[derive(Debug, Clone, PartialEq)]
pub struct PainRisingRule {
    /// The length of each of the two windows compared, in days.
    pub window_days: u32,
    /// The morning reports each window needs before the means are compared.
    pub min_reports: u32,
    /// The rise of the mean, in points of 0–10, that alerts.
    pub rise_points: f64,
    /// Why.
    pub basis: Basis,
}

/// "No check-in for a while".
#[derive(Debug, Clone, PartialEq)]
pub struct SilenceRule {
    /// Days without any check-in that alert.
    pub days: u32,
    /// Why.
    pub basis: Basis,
}

/// "No real improvement by the review week".
#[derive(Debug, Clone, PartialEq)]
pub struct NoChangeRule {
    /// The plan week from which a follow-up score without a real improvement alerts.
    pub review_week: u32,
    /// Why.
    pub basis: Basis,
}

/// The adherence window.
#[derive(Debug, Clone, PartialEq)]
pub struct AdherenceWindow {
    /// Days counted back from today, today included.
    pub window_days: u32,
    /// Why.
    pub basis: Basis,
}
