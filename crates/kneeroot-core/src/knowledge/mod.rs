//! The knowledge base: kneeroot's clinical knowledge as data.
//!
//! Questions, red-flag rules, root causes, evidence links, exercises, plan settings, pain rules, the
//! FAQ, the caseload's alert thresholds and the camera squat screen's thresholds are TOML files (`knowledge/*.toml`, documented in
//! `docs/knowledge.md`). They are embedded in the binary ([`Knowledge::embedded`]); a folder can overlay
//! them file by file ([`Knowledge::with_overrides`]), so a clinician can change a weight or swap an
//! exercise without touching Rust.
//!
//! A [`Knowledge`] can only be obtained through validation: every id is resolved, every condition parsed
//! and type-checked, every citation key known, every exercise reachable. The engine therefore never
//! meets a dangling reference at run time, and `kneeroot kb check` is simply "build it and print the
//! errors". The version is a SHA-256 prefix of the files in force, stored with every result so each one
//! can be reproduced.

mod build;
mod embedded;
mod error;
mod model;
mod raw;
mod vars;

use std::collections::BTreeMap;

pub use build::{CAUSE_IDS, FILE_NAMES, PRESENTATION_IDS};
pub use error::{KbError, KbErrors};
pub use model::*;
pub use vars::{Derived, RULE_OUTCOMES, Vars};

/// Question indices the engine's code reads directly (decision rules, plan preferences).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct KeyQuestions {
    pub age: usize,
    pub onset: usize,
    pub days_ago: usize,
    pub mechanism: usize,
    pub tender_kneecap_only: usize,
    pub tender_fibula_head: usize,
    pub tender_other_bone: usize,
    pub can_bend_90: usize,
    pub walked_right_after: usize,
    pub can_walk_now: usize,
    pub deformity: usize,
    pub knee_replacement: usize,
    pub previous_surgery: usize,
    pub knee_to_wall_left: usize,
    pub knee_to_wall_right: usize,
    pub minutes_per_day: usize,
    pub days_per_week: usize,
    pub equipment: usize,
    pub floor_ok: usize,
    pub pain_now: usize,
    pub worst_week: usize,
    pub duration_weeks: usize,
}

/// A validated knowledge base.
#[derive(Debug, Clone)]
pub struct Knowledge {
    version: String,
    sources: Vec<Source>,
    groups: Vec<Group>,
    questions: Vec<Question>,
    question_index: BTreeMap<String, usize>,
    vars: Vars,
    keys: KeyQuestions,
    ottawa: OttawaParams,
    pittsburgh: PittsburghParams,
    rules: Vec<RedFlagRule>,
    inference: InferenceSettings,
    causes: Vec<Cause>,
    presentations: Vec<Presentation>,
    links: Vec<Link>,
    exercises: Vec<Exercise>,
    plan: PlanSettings,
    pain_rules: Vec<PainRule>,
    faq: Vec<Faq>,
    progression: ProgressionRules,
    caseload: CaseloadRules,
    camera: kneeroot_squat::Thresholds,
}

impl Knowledge {
    /// The knowledge base shipped in the binary.
    ///
    /// # Errors
    /// Only if the shipped files are broken, which the test suite rules out.
    pub fn embedded() -> Result<Knowledge, KbErrors> {
        Knowledge::with_overrides(&[])
    }

    /// The shipped files, by name.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        &embedded::FILES
    }

    /// The shipped files with some replaced: each `(name, text)` replaces the shipped file of that name.
    ///
    /// # Errors
    /// Every problem found, each naming file and key; an override with an unknown file name is one.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<Knowledge, KbErrors> {
        let mut files: BTreeMap<&str, &str> = embedded::FILES.iter().copied().collect();
        for (name, text) in overrides {
            files.insert(name.as_str(), text.as_str());
        }
        build::build(&files)
    }

    /// A knowledge base from a complete set of files (no fallback to the shipped ones).
    ///
    /// # Errors
    /// Every problem found, each naming file and key.
    pub fn from_files(files: &[(String, String)]) -> Result<Knowledge, KbErrors> {
        let files: BTreeMap<&str, &str> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        build::build(&files)
    }

    /// SHA-256 prefix of the files in force.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// Citations.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
    /// A citation by key.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.key == key)
    }
    /// Question groups, in asking order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
    /// Questions, in asking order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
    /// The index of a question by id.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }
    /// A question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index(id).map(|i| &self.questions[i])
    }
    /// The variables conditions can name.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }
    /// Question indices the engine reads directly.
    pub fn keys(&self) -> &KeyQuestions {
        &self.keys
    }
    /// Ottawa Knee Rules parameters.
    pub fn ottawa(&self) -> &OttawaParams {
        &self.ottawa
    }
    /// Pittsburgh Knee Rules parameters.
    pub fn pittsburgh(&self) -> &PittsburghParams {
        &self.pittsburgh
    }
    /// Red-flag rules, in file order.
    pub fn red_flag_rules(&self) -> &[RedFlagRule] {
        &self.rules
    }
    /// Inference settings.
    pub fn inference(&self) -> &InferenceSettings {
        &self.inference
    }
    /// The four root causes, in the contract's order.
    pub fn causes(&self) -> &[Cause] {
        &self.causes
    }
    /// Presentations.
    pub fn presentations(&self) -> &[Presentation] {
        &self.presentations
    }
    /// Evidence links.
    pub fn links(&self) -> &[Link] {
        &self.links
    }
    /// The exercise library.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }
    /// An exercise by id.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }
    /// Plan settings.
    pub fn plan_settings(&self) -> &PlanSettings {
        &self.plan
    }
    /// Pain rules carried by every plan.
    pub fn pain_rules(&self) -> &[PainRule] {
        &self.pain_rules
    }
    /// The FAQ.
    pub fn faq(&self) -> &[Faq] {
        &self.faq
    }
    /// The pain-monitoring rules of progression.
    pub fn progression(&self) -> &ProgressionRules {
        &self.progression
    }

    /// When a patient's row on a clinician's caseload raises an alert.
    pub fn caseload(&self) -> &CaseloadRules {
        &self.caseload
    }

    /// The camera squat screen's thresholds (`camera.toml`).
    pub fn camera(&self) -> &kneeroot_squat::Thresholds {
        &self.camera
    }

    /// The known question id closest to a mistyped one, if any is close.
    pub fn closest_question_id(&self, id: &str) -> Option<&str> {
        self.questions
            .iter()
            .map(|q| (edit_distance(&q.id, id), q.id.as_str()))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, q)| q)
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
