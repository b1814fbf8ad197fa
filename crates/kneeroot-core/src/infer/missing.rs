//! Which unanswered questions would most change the result.
//!
//! A question earns potential from every condition that is still undecided and mentions it: the absolute
//! weight of an evidence link, or a fixed weight per triage level for a red-flag rule (an unanswered
//! safety question matters more than any score). Questions that no longer apply (their `ask_when` is
//! decided false) earn nothing. Ties keep the asking order, so the list is deterministic.

use crate::condition::Tri;
use crate::facts::AnswerFacts;
use crate::knowledge::TriageLevel;

pub(super) fn missing(facts: &AnswerFacts<'_>) -> Vec<String> {
    let kb = facts.kb();
    let mut potential = vec![0.0_f64; kb.questions().len()];
    for link in kb.links() {
        credit(facts, &link.when, link.weight.abs(), &mut potential);
    }
    let per_level = kb.inference().red_flag_missing_weight;
    for rule in kb.red_flag_rules() {
        let rank = match rule.level {
            TriageLevel::Emergency => 3.0,
            TriageLevel::Urgent => 2.0,
            TriageLevel::Soon => 1.0,
            TriageLevel::SelfCare => 0.0,
        };
        credit(facts, &rule.when, per_level * rank, &mut potential);
    }
    let mut ranked: Vec<(f64, usize)> =
        potential.iter().enumerate().filter(|(_, p)| **p > 0.0).map(|(i, p)| (*p, i)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(kb.inference().missing_max).map(|(_, i)| kb.questions()[i].id.clone()).collect()
}

/// Give every unanswered, applicable input of an undecided condition `weight` of potential (once each).
fn credit(facts: &AnswerFacts<'_>, expr: &crate::condition::Expr, weight: f64, potential: &mut [f64]) {
    if expr.eval(facts) != Tri::Unknown {
        return;
    }
    let mut seen = Vec::new();
    for var in expr.vars() {
        for q in facts.inputs_of(var) {
            if !seen.contains(&q) && facts.answers().get_index(q).is_none() && facts.applies(q) {
                seen.push(q);
                potential[q] += weight;
            }
        }
    }
}
