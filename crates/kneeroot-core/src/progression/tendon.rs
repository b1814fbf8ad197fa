//! Tendon pain is loaded in stages (Malliaras et al. 2015): isometric holds, slow heavy strength work,
//! springy loading, then sport. A stage is entered only after a progression with pain on loading at or
//! below the stage's limit; a regression drops back one stage.

use serde::Serialize;

use super::{Decision, DecisionKind};
use crate::knowledge::ProgressionRules;

/// A stage as shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TendonStageView {
    /// Index in the stage list (0 = isometric).
    pub index: usize,
    /// Stage id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it involves.
    pub text: String,
}

/// The stage after a decision, from the current stage and the pain reported during loading.
pub fn tendon_stage(
    rules: &ProgressionRules,
    current: usize,
    decision: &Decision,
    pain_during: u8,
) -> Option<TendonStageView> {
    let stages = &rules.tendon_stages;
    if stages.is_empty() {
        return None;
    }
    let current = current.min(stages.len() - 1);
    let next = match decision.decision {
        DecisionKind::Progress if current + 1 < stages.len() && pain_during <= stages[current + 1].enter_pain_max => {
            current + 1
        }
        DecisionKind::Regress => current.saturating_sub(1),
        _ => current,
    };
    let s = &stages[next];
    Some(TendonStageView { index: next, id: s.id.clone(), name: s.name.clone(), text: s.text.clone() })
}
