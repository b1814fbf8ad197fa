use serde_json::json;

use super::*;
use crate::answers::Answers;
use crate::assess::assess;

fn kb() -> Knowledge {
    Knowledge::embedded().expect("shipped knowledge is valid")
}

fn plan_for(kb: &Knowledge, value: serde_json::Value) -> Option<Plan> {
    let a = Answers::from_json_map(kb, value.as_object().expect("object")).expect("valid answers");
    assess(kb, &a).plan
}

fn exercises<'k>(kb: &'k Knowledge, plan: &Plan) -> Vec<&'k Exercise> {
    plan.steps.iter().flat_map(|s| &s.exercises).map(|e| kb.exercise(&e.id).expect("known exercise")).collect()
}

#[test]
fn there_is_no_plan_at_urgent_or_emergency() {
    let kb = kb();
    assert!(plan_for(&kb, json!({"flag.knee_locked": true})).is_none());
    assert!(plan_for(&kb, json!({"flag.saddle_numbness_or_bladder_bowel_change": true})).is_none());
}

#[test]
fn at_soon_the_plan_holds_only_what_is_safe_until_seen_and_says_so() {
    let kb = kb();
    let plan = plan_for(&kb, json!({"flag.leg_weakness_or_numbness": true})).expect("a limited plan");
    assert_eq!(plan.pain_rules[0].id, "until_seen");
    let chosen = exercises(&kb, &plan);
    assert!(!chosen.is_empty());
    assert!(chosen.iter().all(|e| e.safe_until_seen));
}

#[test]
fn every_plan_has_the_three_steps_in_order_with_their_start_weeks() {
    let kb = kb();
    let plan = plan_for(&kb, json!({})).expect("plan");
    let steps: Vec<(u8, &str, u32)> = plan.steps.iter().map(|s| (s.step, s.name.as_str(), s.starts_week)).collect();
    assert_eq!(steps, [(1, "Improve mobility", 1), (2, "Improve strength", 2), (3, "Integrate and strengthen", 4)]);
    assert_eq!(plan.weeks, 8);
    assert!(plan.steps.iter().all(|s| !s.exercises.is_empty()));
    assert!(plan.pain_rules.iter().any(|r| r.id == "during"));
}

#[test]
fn someone_who_cannot_get_to_the_floor_gets_no_floor_exercises() {
    let kb = kb();
    let plan = plan_for(&kb, json!({"prefs.floor_ok": false, "squat.knee_caves_in": "both"})).expect("plan");
    assert!(exercises(&kb, &plan).iter().all(|e| !e.floor));
    let with_floor = plan_for(&kb, json!({"prefs.floor_ok": true, "squat.knee_caves_in": "both"})).expect("plan");
    assert!(exercises(&kb, &with_floor).iter().any(|e| e.floor), "the preference must matter");
}

#[test]
fn exercises_need_only_the_equipment_the_person_has() {
    let kb = kb();
    for equipment in [json!([]), json!(["band"]), json!(["chair"]), json!(["weights", "step"])] {
        let plan = plan_for(&kb, json!({"prefs.equipment": equipment.clone()})).expect("plan");
        let have: Vec<String> = serde_json::from_value(equipment).expect("list");
        for e in exercises(&kb, &plan) {
            assert!(e.equipment.iter().all(|x| have.contains(x)), "{} needs {:?}, has {have:?}", e.id, e.equipment);
        }
    }
}

#[test]
fn sessions_per_week_never_exceed_the_days_available() {
    let kb = kb();
    let plan = plan_for(&kb, json!({"prefs.days_per_week": 2})).expect("plan");
    assert!(plan.steps.iter().flat_map(|s| &s.exercises).all(|e| e.dose.per_week <= 2));
}

#[test]
fn an_irritable_knee_gets_a_longer_plan_a_later_step_3_and_one_set_fewer_of_loading() {
    let kb = kb();
    let calm = plan_for(&kb, json!({"pain.worst_week": 4})).expect("plan");
    let irritable = plan_for(&kb, json!({"pain.worst_week": 8})).expect("plan");
    assert_eq!((calm.weeks, calm.steps[2].starts_week), (8, 4));
    assert_eq!((irritable.weeks, irritable.steps[2].starts_week), (10, 5));
    for e in irritable.steps.iter().filter(|s| s.step > 1).flat_map(|s| &s.exercises) {
        let library = kb.exercise(&e.id).expect("known").dose.sets;
        assert_eq!(e.dose.sets, library.saturating_sub(1).max(1), "{}", e.id);
    }
}

#[test]
fn long_standing_pain_lengthens_the_plan_but_never_past_twelve_weeks() {
    let kb = kb();
    assert_eq!(plan_for(&kb, json!({"pain.duration_weeks": 30})).expect("plan").weeks, 10);
    assert_eq!(plan_for(&kb, json!({"pain.duration_weeks": 30, "pain.now": 9})).expect("plan").weeks, 12);
}

#[test]
fn a_small_time_budget_keeps_one_exercise_per_step_and_a_large_one_allows_more() {
    let kb = kb();
    let small = plan_for(&kb, json!({"prefs.minutes_per_day": 5, "prefs.days_per_week": 3})).expect("plan");
    let large = plan_for(&kb, json!({"prefs.minutes_per_day": 90, "prefs.days_per_week": 7})).expect("plan");
    assert!(small.steps.iter().all(|s| s.exercises.len() == 1), "{:?}", small.steps);
    let count = |p: &Plan| p.steps.iter().map(|s| s.exercises.len()).sum::<usize>();
    assert!(count(&large) > count(&small));
    assert!(large.steps.iter().all(|s| s.exercises.len() <= kb.plan_settings().max_per_step));
}

#[test]
fn no_step_is_left_empty_when_something_usable_exists() {
    let kb = kb();
    // A band only, and no floor work: few exercises fit, but each step still gets one.
    let plan = plan_for(&kb, json!({"prefs.equipment": ["band"], "prefs.floor_ok": false})).expect("plan");
    for step in &plan.steps {
        let usable = kb
            .exercises()
            .iter()
            .any(|e| e.entry && e.step == step.step && !e.floor && e.equipment.iter().all(|x| x == "band"));
        assert!(!usable || !step.exercises.is_empty(), "step {} is empty", step.step);
    }
}

#[test]
fn step_two_always_strengthens_the_hip() {
    let kb = kb();
    let hip = kb.causes().iter().position(|c| c.id == "hip").expect("hip");
    for answers in [json!({}), json!({"ankle.knee_to_wall_left_cm": 4, "squat.heels_lift": true, "squat.done": true})] {
        let plan = plan_for(&kb, answers).expect("plan");
        let step2: Vec<&Exercise> =
            plan.steps[1].exercises.iter().map(|e| kb.exercise(&e.id).expect("known")).collect();
        assert!(step2.iter().any(|e| e.targets.contains(&hip)), "{:?}", plan.steps[1]);
    }
}

#[test]
fn mobility_follows_the_causes_found() {
    let kb = kb();
    let ankle = kb.causes().iter().position(|c| c.id == "ankle").expect("ankle");
    let plan = plan_for(
        &kb,
        json!({"squat.done": true, "squat.heels_lift": true, "ankle.knee_to_wall_left_cm": 5, "ankle.knee_to_wall_right_cm": 6,
               "hip.single_leg_stance_drop": "none", "hip.side_lying_lift_weak": "none"}),
    )
    .expect("plan");
    let step1: Vec<&Exercise> = plan.steps[0].exercises.iter().map(|e| kb.exercise(&e.id).expect("known")).collect();
    assert!(step1.iter().all(|e| e.targets.contains(&ankle)), "{:?}", plan.steps[0]);
}

#[test]
fn one_progression_chain_is_used_once_per_step() {
    let kb = kb();
    let plan = plan_for(&kb, json!({"prefs.minutes_per_day": 90, "prefs.days_per_week": 7, "prefs.equipment": ["band", "ball", "step", "weights", "wall", "chair"]}))
        .expect("plan");
    for step in &plan.steps {
        let roots: Vec<usize> = step
            .exercises
            .iter()
            .map(|e| chain_root(&kb, kb.exercises().iter().position(|x| x.id == e.id).expect("known")))
            .collect();
        let mut unique = roots.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), roots.len(), "step {} repeats a chain", step.step);
    }
}

#[test]
fn progression_and_regression_texts_name_the_linked_exercise_or_the_general_rule() {
    let kb = kb();
    let plan = plan_for(&kb, json!({})).expect("plan");
    for e in plan.steps.iter().flat_map(|s| &s.exercises) {
        let x = kb.exercise(&e.id).expect("known");
        let (up, down) = generic_changes(kb.plan_settings(), x.dose.hold_seconds.is_some());
        match x.progression {
            Some(p) => assert!(e.progression.starts_with(&kb.exercises()[p].name)),
            None => assert_eq!(e.progression, up),
        }
        match x.regression {
            Some(r) => assert!(e.regression.starts_with(&kb.exercises()[r].name)),
            None => assert_eq!(e.regression, down),
        }
    }
}
