//! Root-cause inference: which of hip, ankle, lower back or the knee itself most likely drives the pain.
//!
//! The model is deliberately simple enough to explain line by line. Each cause and presentation starts at
//! its prior (from `causes.toml`); every evidence link whose condition is true adds its weight in log-odds;
//! the score is the logistic of the sum. A positive weight is evidence *for*, a negative one *against*,
//! and each fired link is reported with the answer that fired it, its citation and a plain sentence, so
//! every score can be traced to the person's own answers.
//!
//! Confidence is stated separately from the score, because a high score built on one unvalidated self-test
//! is not the same as one built on several graded findings. It combines *coverage* (how much of the
//! evidence that could bear on the cause was answered) with *strength* (fired weights scaled by evidence
//! grade), and is capped per cause (`max_confidence`) where self-report cannot do better.
//!
//! `missing` lists the unanswered, still-applicable questions whose answers could most change the result:
//! the weights of undecided links and red-flag rules they could decide.

mod missing;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::condition::Tri;
use crate::facts::AnswerFacts;
use crate::knowledge::{Confidence, Knowledge, Target};

/// One piece of evidence behind a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The answer id (or derived fact) that fired.
    pub finding: String,
    /// Its value.
    pub value: Json,
    /// `for` or `against`.
    pub effect: Effect,
    /// Why it matters, in plain words.
    pub explanation: String,
    /// Citation key.
    pub source: String,
    /// The link's weight (not serialised; for ordering and reports).
    #[serde(skip, default)]
    pub weight: f64,
}

/// Which way a piece of evidence pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Raises the score.
    For,
    /// Lowers the score.
    Against,
}

/// A root cause with its score and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RootCause {
    /// `hip`, `ankle`, `lower_back` or `knee_local`.
    pub id: String,
    /// 0..1, rounded to three decimals.
    pub score: f64,
    /// How sure kneeroot is.
    pub confidence: Confidence,
    /// Driver ids with supporting evidence, strongest first.
    pub drivers: Vec<String>,
    /// Every fired link, strongest first.
    pub evidence: Vec<Evidence>,
}

/// A pattern the pain often goes with (never a diagnosis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresentationScore {
    /// Presentation id.
    pub id: String,
    /// 0..1, rounded to three decimals.
    pub score: f64,
    /// Plain explanation, with what points to it.
    pub explanation: String,
}

/// The result of inference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inference {
    /// All four causes, highest score first.
    pub root_causes: Vec<RootCause>,
    /// Presentations above the reporting threshold, highest first.
    pub presentations: Vec<PresentationScore>,
    /// Unanswered ids that would most change the result.
    pub missing: Vec<String>,
}

/// Score every cause and presentation, and find what is missing.
pub fn infer(facts: &AnswerFacts<'_>) -> Inference {
    let kb = facts.kb();
    let settings = kb.inference();
    let fired: Vec<bool> = kb.links().iter().map(|l| l.when.eval(facts) == Tri::True).collect();

    let mut root_causes: Vec<RootCause> = kb
        .causes()
        .iter()
        .enumerate()
        .map(|(ci, cause)| {
            let mine: Vec<usize> =
                (0..kb.links().len()).filter(|i| kb.links()[*i].target == Target::Cause(ci)).collect();
            let sum: f64 = mine.iter().filter(|i| fired[**i]).map(|i| kb.links()[*i].weight).sum();
            let evidence = evidence_of(facts, &mine, &fired);
            let mut driver_weight = vec![0.0_f64; cause.drivers.len()];
            for i in mine.iter().filter(|i| fired[**i]) {
                if let Some(d) = kb.links()[*i].driver {
                    driver_weight[d] += kb.links()[*i].weight;
                }
            }
            let mut drivers: Vec<(f64, usize)> = driver_weight
                .iter()
                .enumerate()
                .filter(|(_, w)| **w >= settings.driver_min_weight)
                .map(|(d, w)| (*w, d))
                .collect();
            drivers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            RootCause {
                id: cause.id.clone(),
                score: round3(logistic(logit(cause.prior) + sum)),
                confidence: confidence(facts, &mine, &fired).min(cause.max_confidence),
                drivers: drivers.into_iter().map(|(_, d)| cause.drivers[d].id.clone()).collect(),
                evidence,
            }
        })
        .collect();
    // Stable: ties keep the contract's cause order.
    root_causes.sort_by(|a, b| b.score.total_cmp(&a.score));

    let mut presentations: Vec<PresentationScore> = kb
        .presentations()
        .iter()
        .enumerate()
        .filter_map(|(pi, p)| {
            let mine: Vec<usize> =
                (0..kb.links().len()).filter(|i| kb.links()[*i].target == Target::Presentation(pi)).collect();
            let sum: f64 = mine.iter().filter(|i| fired[**i]).map(|i| kb.links()[*i].weight).sum();
            let score = round3(logistic(logit(p.prior) + sum));
            if score < settings.presentation_min_score {
                return None;
            }
            let pointers: Vec<String> = evidence_of(facts, &mine, &fired)
                .into_iter()
                .filter(|e| e.effect == Effect::For)
                .take(3)
                .map(|e| e.explanation)
                .collect();
            let explanation = if pointers.is_empty() {
                p.description.clone()
            } else {
                format!("{} {}", p.description, pointers.join(" "))
            };
            Some(PresentationScore { id: p.id.clone(), score, explanation })
        })
        .collect();
    presentations.sort_by(|a, b| b.score.total_cmp(&a.score));

    Inference { root_causes, presentations, missing: missing::missing(facts) }
}

fn evidence_of(facts: &AnswerFacts<'_>, links: &[usize], fired: &[bool]) -> Vec<Evidence> {
    use crate::condition::Facts;
    let kb = facts.kb();
    let mut out: Vec<Evidence> = links
        .iter()
        .filter(|i| fired[**i])
        .map(|i| {
            let l = &kb.links()[*i];
            Evidence {
                finding: l.finding_name.clone(),
                value: facts.value(l.finding).map_or(Json::Null, crate::answers::Value::to_json),
                effect: if l.weight > 0.0 { Effect::For } else { Effect::Against },
                explanation: l.explanation.clone(),
                source: l.source.clone(),
                weight: l.weight,
            }
        })
        .collect();
    out.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    out
}

/// Coverage × graded strength, as described in the module docs.
fn confidence(facts: &AnswerFacts<'_>, links: &[usize], fired: &[bool]) -> Confidence {
    use crate::condition::Facts;
    let kb = facts.kb();
    let s = kb.inference();
    // Each variable counts once, with the largest weight that depends on it.
    let mut weight_of: Vec<(crate::condition::VarId, f64)> = Vec::new();
    for i in links {
        let l = &kb.links()[*i];
        for var in l.when.vars() {
            match weight_of.iter_mut().find(|(v, _)| *v == var) {
                Some((_, w)) => *w = w.max(l.weight.abs()),
                None => weight_of.push((var, l.weight.abs())),
            }
        }
    }
    let (mut answered, mut total) = (0.0, 0.0);
    for (var, w) in &weight_of {
        let applicable = facts.inputs_of(*var).iter().all(|q| facts.applies(*q));
        if !applicable {
            continue;
        }
        total += w;
        if facts.value(*var).is_some() {
            answered += w;
        }
    }
    let coverage = if total > 0.0 { answered / total } else { 0.0 };
    let strength: f64 =
        links.iter().filter(|i| fired[**i]).map(|i| kb.links()[*i].weight.abs() * kb.links()[*i].grade.factor()).sum();
    if coverage >= s.high_coverage && strength >= s.high_strength {
        Confidence::High
    } else if coverage >= s.moderate_coverage && strength >= s.moderate_strength {
        Confidence::Moderate
    } else {
        Confidence::Low
    }
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Round to three decimals, so results are stable and readable.
pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The knowledge base a result was computed with must be the one used to render it; this re-exports the
/// cause name lookup for reports.
pub fn cause_name<'k>(kb: &'k Knowledge, id: &'k str) -> &'k str {
    kb.causes().iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str())
}

#[cfg(test)]
mod tests;
