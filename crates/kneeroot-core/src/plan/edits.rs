//! The plan in force: the assessment's plan with every later change applied, oldest first.
//!
//! Changes come from two places: the progression rules after a check-in (one variable at a time) and a
//! clinician editing the plan. Both are stored as an append-only log of [`PlanEdit`]s, so the plan a person
//! sees can always be explained change by change, with who made each one and why.

use serde::{Deserialize, Serialize};

use super::{Plan, PlannedExercise};
use crate::knowledge::Knowledge;
use crate::progression::{Decision, DecisionKind};

/// One change to one exercise of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEdit {
    /// The exercise changed (its id in the plan at the time of the change).
    pub exercise_id: String,
    /// Swap it for this exercise.
    pub replacement: Option<String>,
    /// New sets.
    pub sets: Option<u32>,
    /// New repetitions.
    pub reps: Option<u32>,
    /// New hold, seconds.
    pub hold_seconds: Option<u32>,
    /// New sessions per week.
    pub per_week: Option<u32>,
    /// A note for the person (shown with the exercise).
    pub note: Option<String>,
}

/// An exercise of the plan in force, with the notes its changes left.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentExercise {
    /// The exercise as prescribed now.
    pub exercise: PlannedExercise,
    /// Notes from changes, oldest first.
    pub notes: Vec<String>,
}

/// Apply `edits` in order. An edit for an exercise no longer in the plan, or naming an unknown replacement,
/// is skipped (the log is kept as written; the plan stays valid).
pub fn apply_edits(kb: &Knowledge, plan: &Plan, edits: &[PlanEdit]) -> Vec<Vec<CurrentExercise>> {
    let mut steps: Vec<Vec<CurrentExercise>> = plan
        .steps
        .iter()
        .map(|s| s.exercises.iter().map(|e| CurrentExercise { exercise: e.clone(), notes: Vec::new() }).collect())
        .collect();
    for edit in edits {
        let Some(current) = steps.iter_mut().flatten().find(|c| c.exercise.id == edit.exercise_id) else { continue };
        if let Some(id) = &edit.replacement {
            let Some(x) = kb.exercise(id) else { continue };
            let name_of = |i: Option<usize>| i.map(|i| kb.exercises()[i].name.clone());
            current.exercise.id = x.id.clone();
            current.exercise.name = x.name.clone();
            current.exercise.why = x.why.clone();
            current.exercise.dose.sets = x.dose.sets;
            current.exercise.dose.reps = x.dose.reps;
            current.exercise.dose.hold_seconds = x.dose.hold_seconds;
            current.exercise.dose.per_week = x.dose.per_week.min(current.exercise.dose.per_week);
            let (up, down) = super::generic_changes(kb.plan_settings(), x.dose.hold_seconds.is_some());
            current.exercise.progression = name_of(x.progression).map_or_else(
                || up.to_owned(),
                |n| format!("{n}, once two sessions in a row feel easy and pain stays within the rules."),
            );
            current.exercise.regression = name_of(x.regression)
                .map_or_else(|| down.to_owned(), |n| format!("{n}, if this hurts more than the pain rules allow."));
        }
        let d = &mut current.exercise.dose;
        if let Some(v) = edit.sets {
            d.sets = v.clamp(1, 10);
        }
        if let Some(v) = edit.reps {
            d.reps = v.clamp(1, 50);
        }
        if edit.hold_seconds.is_some() {
            d.hold_seconds = edit.hold_seconds;
        }
        if let Some(v) = edit.per_week {
            d.per_week = v.clamp(1, 14);
        }
        if let Some(note) = &edit.note {
            current.notes.push(note.clone());
        }
    }
    steps
}

/// The edit a progression decision asks for, on an exercise as currently prescribed.
///
/// Repetitions and load change the dose (two repetitions more or fewer; fewer also means one set fewer
/// when already at a low count); a variant change swaps to the harder or easier exercise of the library;
/// range and speed are changes of how, carried as a note. A hold makes no edit.
pub fn edit_for(kb: &Knowledge, current: &PlannedExercise, decision: &Decision) -> Option<PlanEdit> {
    let change = decision.change.as_deref()?;
    let x = kb.exercise(&current.id);
    let mut edit = PlanEdit {
        exercise_id: current.id.clone(),
        replacement: None,
        sets: None,
        reps: None,
        hold_seconds: None,
        per_week: None,
        note: Some(decision.reason.clone()),
    };
    let d = current.dose;
    match (decision.decision, change) {
        (DecisionKind::Hold, _) => return None,
        (DecisionKind::Progress, "reps") => {
            if d.hold_seconds.is_some() {
                edit.hold_seconds = d.hold_seconds.map(|h| h + 5);
            } else {
                edit.reps = Some(d.reps + 2);
            }
        }
        (DecisionKind::Regress, "load") => {
            if d.hold_seconds.is_some() {
                edit.hold_seconds = d.hold_seconds.map(|h| h.saturating_sub(5).max(5));
            } else if d.reps > 4 {
                edit.reps = Some(d.reps - 2);
            } else {
                edit.sets = Some(d.sets.saturating_sub(1).max(1));
            }
        }
        (DecisionKind::Progress, "variant") => {
            edit.replacement = x.and_then(|x| x.progression).map(|i| kb.exercises()[i].id.clone())
        }
        (DecisionKind::Regress, "variant") => {
            edit.replacement = x.and_then(|x| x.regression).map(|i| kb.exercises()[i].id.clone())
        }
        // Range, speed, load on the way up: a change of how, told in the note.
        _ => {}
    }
    Some(edit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Answers;
    use crate::assess::assess;
    use crate::progression::DecisionKind;

    fn setup() -> (Knowledge, Plan) {
        let kb = Knowledge::embedded().expect("valid");
        let plan = assess(&kb, &Answers::empty(&kb)).plan.expect("plan");
        (kb, plan)
    }

    fn decision(kind: DecisionKind, change: &str) -> Decision {
        Decision { decision: kind, reason: format!("{change} because"), change: Some(change.into()), see_physio: false }
    }

    #[test]
    fn edits_apply_in_order_and_leave_notes() {
        let (kb, plan) = setup();
        let first = plan.steps[1].exercises[0].clone();
        let edits = vec![
            PlanEdit {
                exercise_id: first.id.clone(),
                replacement: None,
                sets: Some(2),
                reps: None,
                hold_seconds: None,
                per_week: None,
                note: Some("a".into()),
            },
            PlanEdit {
                exercise_id: first.id.clone(),
                replacement: None,
                sets: None,
                reps: Some(15),
                hold_seconds: None,
                per_week: Some(2),
                note: Some("b".into()),
            },
            PlanEdit {
                exercise_id: "not_in_plan".into(),
                replacement: None,
                sets: Some(9),
                reps: None,
                hold_seconds: None,
                per_week: None,
                note: None,
            },
        ];
        let steps = apply_edits(&kb, &plan, &edits);
        let e = &steps[1][0];
        assert_eq!((e.exercise.dose.sets, e.exercise.dose.reps, e.exercise.dose.per_week), (2, 15, 2));
        assert_eq!(e.notes, ["a", "b"]);
        assert_eq!(steps.iter().flatten().count(), plan.steps.iter().map(|s| s.exercises.len()).sum::<usize>());
    }

    #[test]
    fn a_swap_replaces_the_exercise_and_later_edits_follow_the_new_id() {
        let (kb, plan) = setup();
        let first = plan.steps[1].exercises[0].clone();
        let harder = kb
            .exercise(&first.id)
            .and_then(|x| x.progression)
            .map(|i| kb.exercises()[i].id.clone())
            .expect("a harder version");
        let edits = vec![
            PlanEdit {
                exercise_id: first.id.clone(),
                replacement: Some(harder.clone()),
                sets: None,
                reps: None,
                hold_seconds: None,
                per_week: None,
                note: None,
            },
            PlanEdit {
                exercise_id: harder.clone(),
                replacement: None,
                sets: Some(1),
                reps: None,
                hold_seconds: None,
                per_week: None,
                note: None,
            },
        ];
        let steps = apply_edits(&kb, &plan, &edits);
        assert_eq!(steps[1][0].exercise.id, harder);
        assert_eq!(steps[1][0].exercise.dose.sets, 1);
    }

    #[test]
    fn progression_decisions_become_one_variable_edits() {
        let (kb, plan) = setup();
        let e = plan.steps[1].exercises[0].clone();
        assert!(
            edit_for(
                &kb,
                &e,
                &Decision { decision: DecisionKind::Hold, reason: String::new(), change: None, see_physio: false }
            )
            .is_none()
        );
        let up = edit_for(&kb, &e, &decision(DecisionKind::Progress, "reps")).expect("edit");
        assert!(up.reps == Some(e.dose.reps + 2) || up.hold_seconds.is_some());
        let range = edit_for(&kb, &e, &decision(DecisionKind::Regress, "range")).expect("edit");
        assert_eq!(
            (range.sets, range.reps, range.replacement.as_deref()),
            (None, None, None),
            "range is a change of how"
        );
        assert!(range.note.is_some());
        let swap = edit_for(&kb, &e, &decision(DecisionKind::Progress, "variant")).expect("edit");
        let harder = kb.exercise(&e.id).and_then(|x| x.progression).map(|i| kb.exercises()[i].id.clone());
        assert_eq!(swap.replacement, harder);
    }
}
