//! One assessment, end to end: answers in, the result of the contract (docs/answers.md) out.
//!
//! The order is fixed and is the safety argument: triage first; inference always (a clinician may want
//! it even at `emergency`); a plan only when triage allows one. The result is plain data with a stable
//! field order, and every float in it is rounded, so the same answers and the same knowledge base always
//! serialise to byte-identical JSON.

use serde::{Deserialize, Serialize};

use crate::answers::Answers;
use crate::facts::AnswerFacts;
use crate::infer::{Inference, PresentationScore, RootCause, infer};
use crate::knowledge::Knowledge;
use crate::plan::{Plan, plan};
use crate::triage::{Triage, triage};

/// The version of the result contract.
pub const SCHEMA: u32 = 1;

/// The result of one assessment, exactly as the contract shapes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentResult {
    /// Contract version.
    pub schema: u32,
    /// The knowledge-base version that produced it.
    pub knowledge_version: String,
    /// Red-flag triage.
    pub triage: Triage,
    /// All four causes, highest first.
    pub root_causes: Vec<RootCause>,
    /// Patterns this often goes with (never a diagnosis).
    pub presentations: Vec<PresentationScore>,
    /// Unanswered ids that would most change the result.
    pub missing: Vec<String>,
    /// The plan, or `null` at `emergency`/`urgent`.
    pub plan: Option<Plan>,
}

impl AssessmentResult {
    /// The result as pretty JSON (what `--format json` and the API print).
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Assess one set of answers.
pub fn assess(kb: &Knowledge, answers: &Answers) -> AssessmentResult {
    let facts = AnswerFacts::new(kb, answers);
    let triage = triage(&facts);
    let inference: Inference = infer(&facts);
    let plan = plan(&facts, triage.level, &inference);
    AssessmentResult {
        schema: SCHEMA,
        knowledge_version: kb.version().to_owned(),
        triage,
        root_causes: inference.root_causes,
        presentations: inference.presentations,
        missing: inference.missing,
        plan,
    }
}
