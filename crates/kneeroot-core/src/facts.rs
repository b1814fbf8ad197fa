//! The facts a set of answers establishes: the answers themselves plus the derived facts.
//!
//! Conditions are evaluated against [`AnswerFacts`]. It borrows the answers (no copying) and computes the
//! four derived facts once, up front, so triage, inference and plan all see the same values.

use crate::answers::{Answers, Value};
use crate::condition::{Facts, VarId};
use crate::knowledge::{Derived, Knowledge};
use crate::triage::{DecisionRule, KneeRule, ottawa, pittsburgh};

/// Answers plus derived facts, ready for evaluating conditions.
#[derive(Debug)]
pub struct AnswerFacts<'a> {
    kb: &'a Knowledge,
    answers: &'a Answers,
    derived: [Option<Value>; 4],
    ottawa: Option<KneeRule>,
    pittsburgh: Option<KneeRule>,
}

impl<'a> AnswerFacts<'a> {
    /// Establish the facts of `answers`.
    pub fn new(kb: &'a Knowledge, answers: &'a Answers) -> AnswerFacts<'a> {
        let ottawa = ottawa(kb, answers);
        let pittsburgh = pittsburgh(kb, answers);
        let keys = kb.keys();
        let left = answers.get_index(keys.knee_to_wall_left).and_then(Value::as_f64);
        let right = answers.get_index(keys.knee_to_wall_right).and_then(Value::as_f64);
        let outcome = |r: &Option<KneeRule>| r.as_ref().map(|r| Value::Enum(r.outcome.as_str().to_owned()));
        let derived = [
            outcome(&ottawa),
            outcome(&pittsburgh),
            match (left, right) {
                (Some(l), Some(r)) => Some(Value::Number(l.min(r))),
                (Some(x), None) | (None, Some(x)) => Some(Value::Number(x)),
                (None, None) => None,
            },
            left.zip(right).map(|(l, r)| Value::Number(round2((l - r).abs()))),
        ];
        AnswerFacts { kb, answers, derived, ottawa, pittsburgh }
    }

    /// The knowledge base the facts are read with.
    pub fn kb(&self) -> &'a Knowledge {
        self.kb
    }

    /// The answers.
    pub fn answers(&self) -> &'a Answers {
        self.answers
    }

    /// The outcome of a knee decision rule, with the criteria that were met.
    pub fn rule(&self, which: DecisionRule) -> Option<&KneeRule> {
        match which {
            DecisionRule::Ottawa => self.ottawa.as_ref(),
            DecisionRule::Pittsburgh => self.pittsburgh.as_ref(),
        }
    }

    /// Whether a question applies given the other answers: it has no `ask_when`, or its `ask_when` holds.
    /// While the gate itself is unanswered the question does not apply (the gate is what is missing).
    pub fn applies(&self, question: usize) -> bool {
        self.kb.questions()[question].ask_when.as_ref().is_none_or(|e| e.eval(self).is_true())
    }

    /// The answer indices a variable stands for (itself, or a derived fact's inputs).
    pub fn inputs_of(&self, var: VarId) -> Vec<usize> {
        let vars = self.kb.vars();
        match vars.derived(var) {
            None => vec![var.index()],
            Some(d) => d.inputs().iter().filter_map(|id| self.kb.question_index(id)).collect(),
        }
    }
}

impl Facts for AnswerFacts<'_> {
    fn value(&self, var: VarId) -> Option<&Value> {
        let i = var.index();
        let n = self.kb.vars().question_count();
        if i < n { self.answers.get_index(i) } else { self.derived.get(i - n).and_then(Option::as_ref) }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The derived fact a variable names, if any (re-exported for reports).
pub fn derived_of(kb: &Knowledge, var: VarId) -> Option<Derived> {
    kb.vars().derived(var)
}
