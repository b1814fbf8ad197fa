//! The variables conditions can name: every question, then a few facts derived from the answers.
//!
//! Derived facts exist where a published rule is code, not a weight: the Ottawa and Pittsburgh knee rules
//! (with their exclusions and windows), and the two numbers clinicians read off the knee-to-wall test.
//! Keeping them as named variables lets the knowledge base refer to them (`ottawa == 'positive'`) while
//! the rule itself is tested exhaustively in Rust.

use std::collections::BTreeMap;

use crate::condition::{VarId, VarKind, VarTable};

/// Outcomes of a knee decision rule, as seen by conditions.
pub const RULE_OUTCOMES: [&str; 5] = ["positive", "negative", "not_applicable", "not_acute", "no_injury"];

/// A fact derived from the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// The Ottawa Knee Rules outcome.
    Ottawa,
    /// The Pittsburgh Knee Rules outcome.
    Pittsburgh,
    /// The smaller knee-to-wall distance of the two sides (cm).
    MinKneeToWall,
    /// The absolute left-right difference in knee-to-wall distance (cm).
    KneeToWallAsymmetry,
}

impl Derived {
    /// Every derived fact, in variable order.
    pub const ALL: [Derived; 4] =
        [Derived::Ottawa, Derived::Pittsburgh, Derived::MinKneeToWall, Derived::KneeToWallAsymmetry];

    /// The name conditions use.
    pub fn name(self) -> &'static str {
        match self {
            Derived::Ottawa => "ottawa",
            Derived::Pittsburgh => "pittsburgh",
            Derived::MinKneeToWall => "ankle.min_knee_to_wall_cm",
            Derived::KneeToWallAsymmetry => "ankle.knee_to_wall_asymmetry_cm",
        }
    }

    fn kind(self) -> VarKind {
        match self {
            Derived::Ottawa | Derived::Pittsburgh => {
                VarKind::Enum(RULE_OUTCOMES.iter().map(|s| (*s).to_owned()).collect())
            }
            Derived::MinKneeToWall | Derived::KneeToWallAsymmetry => VarKind::Number,
        }
    }

    /// The answer ids this fact is computed from (for the `missing` list).
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Derived::Ottawa => &[
                "pain.onset",
                "injury.days_ago",
                "age",
                "injury.tender_fibula_head",
                "injury.tender_kneecap_only",
                "injury.can_bend_90",
                "injury.walked_4_steps_right_after",
                "injury.can_walk_4_steps_now",
            ],
            Derived::Pittsburgh => {
                &["pain.onset", "injury.mechanism", "injury.days_ago", "age", "injury.can_walk_4_steps_now"]
            }
            Derived::MinKneeToWall | Derived::KneeToWallAsymmetry => {
                &["ankle.knee_to_wall_left_cm", "ankle.knee_to_wall_right_cm"]
            }
        }
    }
}

/// The variable table of one knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    by_name: BTreeMap<String, (VarId, VarKind)>,
    names: Vec<String>,
    question_count: usize,
}

impl Vars {
    pub(crate) fn new(questions: &[(String, VarKind)]) -> Vars {
        let mut vars = Vars { question_count: questions.len(), ..Vars::default() };
        let derived = Derived::ALL.iter().map(|d| (d.name().to_owned(), d.kind()));
        for (i, (name, kind)) in questions.iter().cloned().chain(derived).enumerate() {
            let id = VarId(u16::try_from(i).unwrap_or(u16::MAX));
            vars.by_name.insert(name.clone(), (id, kind));
            vars.names.push(name);
        }
        vars
    }

    /// The name of a variable.
    pub fn name(&self, var: VarId) -> &str {
        self.names.get(var.index()).map_or("?", String::as_str)
    }

    /// How many questions come before the derived facts.
    pub fn question_count(&self) -> usize {
        self.question_count
    }

    /// The derived fact a variable is, if it is one.
    pub fn derived(&self, var: VarId) -> Option<Derived> {
        var.index().checked_sub(self.question_count).and_then(|i| Derived::ALL.get(i).copied())
    }

    /// The variable of a derived fact.
    pub fn derived_var(&self, d: Derived) -> VarId {
        let i = self.question_count + Derived::ALL.iter().position(|x| *x == d).unwrap_or(0);
        VarId(u16::try_from(i).unwrap_or(u16::MAX))
    }
}

impl VarTable for Vars {
    fn lookup(&self, name: &str) -> Option<(VarId, &VarKind)> {
        self.by_name.get(name).map(|(id, kind)| (*id, kind))
    }
}
