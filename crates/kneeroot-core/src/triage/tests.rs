use std::sync::OnceLock;

use serde_json::{Value as Json, json};

use super::*;
use crate::answers::{Answers, Value};
use crate::condition::Facts;
use crate::knowledge::{Derived, Knowledge};

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("the shipped knowledge base is valid"))
}

/// The shipped file `name`, with `from` replaced by `to` (which must change it).
fn shipped_with(name: &str, from: &str, to: &str) -> (String, String) {
    let (_, text) = Knowledge::embedded_files().iter().find(|(n, _)| *n == name).expect("a shipped file");
    let changed = text.replacen(from, to, 1);
    assert_ne!(&changed, text, "'{from}' was not found in {name}");
    (name.to_owned(), changed)
}

/// The shipped knowledge, except that the age question accepts children under 5, so the Ottawa minimum
/// age (5, from red_flags.toml) can be tested on both sides of its boundary.
fn kb_all_ages() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| {
        Knowledge::with_overrides(&[shipped_with("questions.toml", "min = 5\nmax = 110", "min = 0\nmax = 110")])
            .expect("valid with a lower minimum age")
    })
}

/// Answers built through the checked `Answers::set`; later pairs override earlier ones, `null` clears.
fn answers_in(kb: &Knowledge, pairs: &[(&str, Json)]) -> Answers {
    let mut a = Answers::empty(kb);
    for (id, v) in pairs {
        a.set(kb, id, v).unwrap_or_else(|e| panic!("test answer {id} rejected: {e}"));
    }
    a
}

/// An acute knee injury two days ago in a 30-year-old, with every Ottawa criterion answered and unmet.
fn ottawa_negative() -> Vec<(&'static str, Json)> {
    vec![
        ("pain.onset", json!("injury")),
        ("injury.days_ago", json!(2)),
        ("age", json!(30)),
        ("injury.deformity", json!(false)),
        ("injury.knee_replacement", json!(false)),
        ("injury.tender_fibula_head", json!(false)),
        ("injury.tender_kneecap_only", json!(false)),
        ("injury.tender_other_bone", json!(false)),
        ("injury.can_bend_90", json!(true)),
        ("injury.walked_4_steps_right_after", json!(true)),
        ("injury.can_walk_4_steps_now", json!(true)),
    ]
}

/// A fall onto the knee two days ago in a 30-year-old who can walk and has had no surgery on it.
fn pittsburgh_negative() -> Vec<(&'static str, Json)> {
    vec![
        ("pain.onset", json!("injury")),
        ("injury.mechanism", json!("fall_or_blow")),
        ("injury.days_ago", json!(2)),
        ("age", json!(30)),
        ("injury.can_walk_4_steps_now", json!(true)),
        ("history.previous_knee_surgery", json!(false)),
    ]
}

fn with(base: Vec<(&'static str, Json)>, changes: &[(&'static str, Json)]) -> Vec<(&'static str, Json)> {
    let mut all = base;
    all.extend(changes.iter().cloned());
    all
}

fn ottawa_of(pairs: &[(&str, Json)]) -> Option<KneeRule> {
    ottawa(kb(), &answers_in(kb(), pairs))
}

fn pittsburgh_of(pairs: &[(&str, Json)]) -> Option<KneeRule> {
    pittsburgh(kb(), &answers_in(kb(), pairs))
}

/// Ottawa after changing the fully negative injury.
fn ottawa_after(changes: &[(&'static str, Json)]) -> Option<KneeRule> {
    ottawa_of(&with(ottawa_negative(), changes))
}

/// Pittsburgh after changing the fully negative fall.
fn pittsburgh_after(changes: &[(&'static str, Json)]) -> Option<KneeRule> {
    pittsburgh_of(&with(pittsburgh_negative(), changes))
}

fn outcome(rule: Option<KneeRule>) -> Option<RuleOutcome> {
    rule.map(|r| r.outcome)
}

fn positive_because(rule: Option<KneeRule>) -> Vec<String> {
    match rule {
        Some(KneeRule { outcome: RuleOutcome::Positive, because }) => because,
        other => panic!("expected a positive rule, got {other:?}"),
    }
}

fn triage_of(pairs: &[(&str, Json)]) -> Triage {
    let a = answers_in(kb(), pairs);
    triage(&AnswerFacts::new(kb(), &a))
}

fn ids(t: &Triage) -> Vec<&str> {
    t.reasons.iter().map(|r| r.id.as_str()).collect()
}

fn reason<'a>(t: &'a Triage, id: &str) -> &'a Reason {
    t.reasons.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no reason '{id}' in {:?}", ids(t)))
}

// ---------------------------------------------------------------------------------------------------
// Ottawa Knee Rules: criteria
// ---------------------------------------------------------------------------------------------------

#[test]
fn ottawa_is_negative_when_every_criterion_is_answered_and_unmet() {
    let rule = ottawa_of(&ottawa_negative()).expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::Negative);
    assert!(rule.because.is_empty());
}

#[test]
fn ottawa_age_criterion_is_met_at_55_but_not_at_54() {
    assert_eq!(outcome(ottawa_after(&[("age", json!(54))])), Some(RuleOutcome::Negative));
    assert_eq!(positive_because(ottawa_after(&[("age", json!(55))])), ["aged 55 or over"]);
    assert_eq!(positive_because(ottawa_after(&[("age", json!(80))])), ["aged 55 or over"]);
}

#[test]
fn ottawa_fibula_head_tenderness_is_a_criterion() {
    let because = positive_because(ottawa_after(&[("injury.tender_fibula_head", json!(true))]));
    assert_eq!(because.len(), 1);
    assert!(because[0].contains("head of the fibula"), "{because:?}");
}

#[test]
fn ottawa_isolated_kneecap_tenderness_is_a_criterion() {
    let because = positive_because(ottawa_after(&[("injury.tender_kneecap_only", json!(true))]));
    assert_eq!(because, ["tenderness of the kneecap alone"]);
}

#[test]
fn ottawa_kneecap_tenderness_together_with_other_bone_tenderness_is_not_isolated() {
    let rule = ottawa_after(&[("injury.tender_kneecap_only", json!(true)), ("injury.tender_other_bone", json!(true))]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_kneecap_only_counts_as_isolated_when_other_bones_were_not_asked() {
    // The kneecap question itself says "and no other bone", so a yes is isolated unless contradicted.
    let rule = ottawa_after(&[("injury.tender_kneecap_only", json!(true)), ("injury.tender_other_bone", json!(null))]);
    assert_eq!(positive_because(rule), ["tenderness of the kneecap alone"]);
}

#[test]
fn ottawa_other_bone_tenderness_alone_is_not_a_criterion() {
    assert_eq!(outcome(ottawa_after(&[("injury.tender_other_bone", json!(true))])), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_inability_to_flex_to_90_degrees_is_a_criterion() {
    let because = positive_because(ottawa_after(&[("injury.can_bend_90", json!(false))]));
    assert_eq!(because, ["cannot bend the knee to a right angle"]);
}

#[test]
fn ottawa_inability_to_bear_weight_both_immediately_and_now_is_a_criterion() {
    let because = positive_because(ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(false)),
        ("injury.can_walk_4_steps_now", json!(false)),
    ]));
    assert_eq!(because.len(), 1);
    assert!(because[0].contains("4 steps"), "{because:?}");
}

#[test]
fn ottawa_inability_to_bear_weight_only_immediately_does_not_satisfy_the_criterion() {
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(false)),
        ("injury.can_walk_4_steps_now", json!(true)),
    ]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_inability_to_bear_weight_only_now_does_not_satisfy_the_criterion() {
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(true)),
        ("injury.can_walk_4_steps_now", json!(false)),
    ]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_limping_counts_as_walking() {
    // The questions tell people that limping counts as taking the steps ...
    for id in ["injury.walked_4_steps_right_after", "injury.can_walk_4_steps_now"] {
        let help = kb().question(id).and_then(|q| q.help.as_deref()).unwrap_or_default();
        assert!(help.contains("Limping still counts as walking"), "{id}: {help}");
    }
    // ... so a person who limped 4 steps then and limps now answers yes twice, which is not the criterion.
    let limped = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(true)),
        ("injury.can_walk_4_steps_now", json!(true)),
        ("pain.limp", json!(true)),
    ]);
    assert_eq!(outcome(limped), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_lists_every_criterion_met_in_the_rule_s_order() {
    let because = positive_because(ottawa_after(&[
        ("age", json!(70)),
        ("injury.tender_fibula_head", json!(true)),
        ("injury.can_bend_90", json!(false)),
        ("injury.walked_4_steps_right_after", json!(false)),
        ("injury.can_walk_4_steps_now", json!(false)),
    ]));
    assert_eq!(because.len(), 4, "{because:?}");
    assert_eq!(because[0], "aged 55 or over");
    assert!(because[1].contains("fibula"));
    assert!(because[2].contains("right angle"));
    assert!(because[3].contains("4 steps"));
}

// ---------------------------------------------------------------------------------------------------
// Ottawa Knee Rules: applicability
// ---------------------------------------------------------------------------------------------------

#[test]
fn ottawa_does_not_apply_under_age_5_and_applies_at_5() {
    let kb = kb_all_ages();
    let at = |age: i64| ottawa(kb, &answers_in(kb, &with(ottawa_negative(), &[("age", json!(age))])));
    let four = at(4).expect("decided");
    assert_eq!(four.outcome, RuleOutcome::NotApplicable);
    assert_eq!(four.because, ["younger than 5"]);
    assert_eq!(outcome(at(5)), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_under_age_5_is_not_applicable_even_with_a_criterion_met() {
    let kb = kb_all_ages();
    let pairs = with(ottawa_negative(), &[("age", json!(3)), ("injury.tender_fibula_head", json!(true))]);
    assert_eq!(outcome(ottawa(kb, &answers_in(kb, &pairs))), Some(RuleOutcome::NotApplicable));
}

#[test]
fn ottawa_does_not_apply_to_a_deformed_knee() {
    let rule = ottawa_after(&[("injury.deformity", json!(true)), ("injury.tender_fibula_head", json!(true))]);
    let rule = rule.expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::NotApplicable);
    assert_eq!(rule.because, ["the knee looks deformed"]);
}

#[test]
fn ottawa_does_not_apply_to_a_knee_replacement() {
    let rule = ottawa_after(&[("injury.knee_replacement", json!(true)), ("age", json!(70))]).expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::NotApplicable);
    assert_eq!(rule.because, ["a knee replacement in this knee"]);
}

#[test]
fn ottawa_lists_every_exclusion_that_applies() {
    let rule = ottawa_after(&[("injury.deformity", json!(true)), ("injury.knee_replacement", json!(true))]);
    let because = rule.expect("decided").because;
    assert_eq!(because, ["the knee looks deformed", "a knee replacement in this knee"]);
}

#[test]
fn ottawa_applies_up_to_7_days_and_not_after() {
    let fibula = ("injury.tender_fibula_head", json!(true));
    assert_eq!(outcome(ottawa_after(&[fibula.clone(), ("injury.days_ago", json!(0))])), Some(RuleOutcome::Positive));
    assert_eq!(outcome(ottawa_after(&[fibula.clone(), ("injury.days_ago", json!(7))])), Some(RuleOutcome::Positive));
    assert_eq!(outcome(ottawa_after(&[fibula.clone(), ("injury.days_ago", json!(7.5))])), Some(RuleOutcome::NotAcute));
    assert_eq!(outcome(ottawa_after(&[fibula, ("injury.days_ago", json!(30))])), Some(RuleOutcome::NotAcute));
}

#[test]
fn ottawa_applies_when_the_injury_date_was_not_given() {
    let rule = ottawa_after(&[("injury.days_ago", json!(null)), ("injury.tender_fibula_head", json!(true))]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Positive));
}

#[test]
fn ottawa_is_no_injury_for_gradual_pain() {
    let rule = ottawa_after(&[("pain.onset", json!("gradual")), ("age", json!(70))]).expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::NoInjury);
    assert!(rule.because.is_empty());
}

#[test]
fn ottawa_is_undecided_while_the_onset_is_unanswered() {
    assert_eq!(ottawa_after(&[("pain.onset", json!(null)), ("age", json!(70))]), None);
    assert_eq!(ottawa_of(&[]), None);
}

#[test]
fn ottawa_is_undecided_while_unmet_criteria_leave_one_unanswered() {
    assert_eq!(ottawa_of(&[("pain.onset", json!("injury"))]), None);
    assert_eq!(ottawa_after(&[("age", json!(null))]), None);
    assert_eq!(ottawa_after(&[("injury.tender_fibula_head", json!(null))]), None);
    assert_eq!(ottawa_after(&[("injury.tender_kneecap_only", json!(null))]), None);
    assert_eq!(ottawa_after(&[("injury.can_bend_90", json!(null))]), None);
}

#[test]
fn ottawa_weight_bearing_is_undecided_when_only_the_failed_half_is_answered() {
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(false)),
        ("injury.can_walk_4_steps_now", json!(null)),
    ]);
    assert_eq!(rule, None);
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(null)),
        ("injury.can_walk_4_steps_now", json!(false)),
    ]);
    assert_eq!(rule, None);
}

#[test]
fn ottawa_weight_bearing_is_decided_unmet_by_either_half_answered_yes() {
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(true)),
        ("injury.can_walk_4_steps_now", json!(null)),
    ]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Negative));
    let rule = ottawa_after(&[
        ("injury.walked_4_steps_right_after", json!(null)),
        ("injury.can_walk_4_steps_now", json!(true)),
    ]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Negative));
}

#[test]
fn ottawa_one_met_criterion_decides_it_even_with_others_unanswered() {
    let rule = ottawa_of(&[("pain.onset", json!("injury")), ("injury.tender_fibula_head", json!(true))]);
    assert_eq!(outcome(rule), Some(RuleOutcome::Positive));
}

#[test]
fn ottawa_parameters_come_from_red_flags_toml() {
    let (name, text) = shipped_with("red_flags.toml", "age_criterion = 55", "age_criterion = 60");
    let both = text.replacen("window_days = 7 ", "window_days = 3 ", 1);
    assert_ne!(text, both, "the Ottawa window was not found");
    let kb = Knowledge::with_overrides(&[(name, both)]).expect("valid");
    let at = |changes: &[(&'static str, Json)]| ottawa(&kb, &answers_in(&kb, &with(ottawa_negative(), changes)));
    assert_eq!(outcome(at(&[("age", json!(59))])), Some(RuleOutcome::Negative));
    assert_eq!(positive_because(at(&[("age", json!(60))])), ["aged 60 or over"]);
    assert_eq!(outcome(at(&[("age", json!(60)), ("injury.days_ago", json!(4))])), Some(RuleOutcome::NotAcute));
}

// ---------------------------------------------------------------------------------------------------
// Pittsburgh Knee Rules
// ---------------------------------------------------------------------------------------------------

#[test]
fn pittsburgh_is_negative_for_a_walking_adult_after_a_fall() {
    let rule = pittsburgh_of(&pittsburgh_negative()).expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::Negative);
    assert!(rule.because.is_empty());
}

#[test]
fn pittsburgh_age_criterion_is_strictly_under_12() {
    let because = positive_because(pittsburgh_after(&[("age", json!(11))]));
    assert_eq!(because, ["younger than 12 or older than 50"]);
    assert_eq!(outcome(pittsburgh_after(&[("age", json!(12))])), Some(RuleOutcome::Negative));
}

#[test]
fn pittsburgh_age_criterion_is_strictly_over_50() {
    assert_eq!(outcome(pittsburgh_after(&[("age", json!(50))])), Some(RuleOutcome::Negative));
    let because = positive_because(pittsburgh_after(&[("age", json!(51))]));
    assert_eq!(because, ["younger than 12 or older than 50"]);
}

#[test]
fn pittsburgh_inability_to_walk_4_steps_now_is_a_criterion() {
    let because = positive_because(pittsburgh_after(&[("injury.can_walk_4_steps_now", json!(false))]));
    assert_eq!(because, ["cannot walk 4 steps now"]);
}

#[test]
fn pittsburgh_lists_both_criteria_when_both_are_met() {
    let because =
        positive_because(pittsburgh_after(&[("age", json!(70)), ("injury.can_walk_4_steps_now", json!(false))]));
    assert_eq!(because, ["younger than 12 or older than 50", "cannot walk 4 steps now"]);
}

#[test]
fn pittsburgh_applies_only_to_a_fall_or_a_blow() {
    for mechanism in ["twist", "other"] {
        let rule = pittsburgh_after(&[
            ("injury.mechanism", json!(mechanism)),
            ("age", json!(70)),
            ("injury.can_walk_4_steps_now", json!(false)),
        ])
        .expect("decided");
        assert_ne!(rule.outcome, RuleOutcome::Positive, "{mechanism}");
        assert_eq!(rule.outcome, RuleOutcome::NotApplicable, "{mechanism}");
        assert_eq!(rule.because, ["not a fall or a blow"], "{mechanism}");
    }
}

#[test]
fn pittsburgh_is_undecided_while_the_mechanism_is_unanswered() {
    assert_eq!(pittsburgh_after(&[("injury.mechanism", json!(null)), ("age", json!(70))]), None);
}

#[test]
fn pittsburgh_applies_up_to_6_days_and_not_after() {
    let old = ("age", json!(70));
    assert_eq!(outcome(pittsburgh_after(&[old.clone(), ("injury.days_ago", json!(6))])), Some(RuleOutcome::Positive));
    assert_eq!(outcome(pittsburgh_after(&[old.clone(), ("injury.days_ago", json!(6.5))])), Some(RuleOutcome::NotAcute));
    assert_eq!(outcome(pittsburgh_after(&[old, ("injury.days_ago", json!(7))])), Some(RuleOutcome::NotAcute));
}

#[test]
fn pittsburgh_does_not_apply_after_previous_surgery_on_the_knee() {
    let rule = pittsburgh_after(&[
        ("history.previous_knee_surgery", json!(true)),
        ("age", json!(70)),
        ("injury.can_walk_4_steps_now", json!(false)),
    ])
    .expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::NotApplicable);
    assert_eq!(rule.because, ["previous surgery on this knee"]);
}

#[test]
fn pittsburgh_is_no_injury_for_gradual_pain_and_undecided_without_an_onset() {
    let rule = pittsburgh_after(&[("pain.onset", json!("gradual"))]).expect("decided");
    assert_eq!(rule.outcome, RuleOutcome::NoInjury);
    assert_eq!(pittsburgh_after(&[("pain.onset", json!(null))]), None);
}

#[test]
fn pittsburgh_is_undecided_while_an_unmet_criterion_leaves_the_other_unanswered() {
    assert_eq!(pittsburgh_after(&[("age", json!(null))]), None);
    assert_eq!(pittsburgh_after(&[("injury.can_walk_4_steps_now", json!(null))]), None);
    // One met criterion decides it.
    assert_eq!(
        outcome(pittsburgh_after(&[("age", json!(null)), ("injury.can_walk_4_steps_now", json!(false))])),
        Some(RuleOutcome::Positive)
    );
}

#[test]
fn pittsburgh_parameters_come_from_red_flags_toml() {
    let kb = Knowledge::with_overrides(&[shipped_with("red_flags.toml", "older_than = 50", "older_than = 60")])
        .expect("valid");
    let at = |age: i64| pittsburgh(&kb, &answers_in(&kb, &with(pittsburgh_negative(), &[("age", json!(age))])));
    assert_eq!(outcome(at(55)), Some(RuleOutcome::Negative));
    assert_eq!(positive_because(at(61)), ["younger than 12 or older than 60"]);
}

#[test]
fn rule_outcomes_use_the_names_conditions_compare_with() {
    let names: Vec<&str> = [
        RuleOutcome::Positive,
        RuleOutcome::Negative,
        RuleOutcome::NotApplicable,
        RuleOutcome::NotAcute,
        RuleOutcome::NoInjury,
    ]
    .iter()
    .map(|o| o.as_str())
    .collect();
    assert_eq!(names, crate::knowledge::RULE_OUTCOMES);
}

#[test]
fn the_decision_rules_are_visible_to_conditions_as_derived_facts() {
    let a = answers_in(kb(), &with(ottawa_negative(), &[("age", json!(60)), ("injury.mechanism", json!("twist"))]));
    let facts = AnswerFacts::new(kb(), &a);
    let ottawa_var = kb().vars().derived_var(Derived::Ottawa);
    let pittsburgh_var = kb().vars().derived_var(Derived::Pittsburgh);
    assert_eq!(facts.value(ottawa_var), Some(&Value::Enum("positive".into())));
    assert_eq!(facts.value(pittsburgh_var), Some(&Value::Enum("not_applicable".into())));
    assert_eq!(facts.rule(DecisionRule::Ottawa).map(|r| r.outcome), Some(RuleOutcome::Positive));
    let empty = Answers::empty(kb());
    assert_eq!(AnswerFacts::new(kb(), &empty).value(ottawa_var), None);
}

// ---------------------------------------------------------------------------------------------------
// Triage through the shipped red-flag rules
// ---------------------------------------------------------------------------------------------------

#[test]
fn no_answers_is_self_care_with_no_reasons() {
    let t = triage_of(&[]);
    assert_eq!(t.level, TriageLevel::SelfCare);
    assert!(t.reasons.is_empty());
}

#[test]
fn every_red_flag_answered_no_is_self_care() {
    let flags: Vec<(&'static str, Json)> =
        kb().questions().iter().filter(|q| q.id.starts_with("flag.")).map(|q| (q.id.as_str(), json!(false))).collect();
    assert!(flags.len() >= 10, "expected the shipped red-flag questions, got {}", flags.len());
    let t = triage_of(&with(flags, &[("age", json!(40)), ("pain.onset", json!("gradual"))]));
    assert_eq!(t.level, TriageLevel::SelfCare, "{:?}", ids(&t));
    assert!(t.reasons.is_empty());
}

#[test]
fn a_positive_ottawa_rule_is_urgent_and_names_the_criterion_met() {
    let t = triage_of(&with(ottawa_negative(), &[("injury.tender_fibula_head", json!(true))]));
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["ottawa_fracture"]);
    let r = reason(&t, "ottawa_fracture");
    assert_eq!(r.level, TriageLevel::Urgent);
    assert!(r.text.contains("tender bone at the head of the fibula"), "{}", r.text);
    assert!(!r.text.contains("{ottawa}"), "{}", r.text);
    assert!(!r.action.is_empty());
}

#[test]
fn a_positive_ottawa_rule_by_age_names_the_age_criterion() {
    let t = triage_of(&with(ottawa_negative(), &[("age", json!(55)), ("injury.mechanism", json!("twist"))]));
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["ottawa_fracture"]);
    assert!(reason(&t, "ottawa_fracture").text.contains("aged 55 or over"));
}

#[test]
fn a_negative_ottawa_rule_triggers_nothing() {
    let t = triage_of(&with(ottawa_negative(), &[("injury.mechanism", json!("twist"))]));
    assert_eq!(t.level, TriageLevel::SelfCare, "{:?}", ids(&t));
}

#[test]
fn a_positive_pittsburgh_rule_is_urgent_and_names_its_criterion() {
    let t = triage_of(&with(
        with(ottawa_negative(), &pittsburgh_negative()),
        &[("age", json!(11)), ("injury.tender_fibula_head", json!(false))],
    ));
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["pittsburgh_fracture"]);
    let text = &reason(&t, "pittsburgh_fracture").text;
    assert!(text.contains("younger than 12 or older than 50"), "{text}");
    assert!(!text.contains("{pittsburgh}"), "{text}");
}

#[test]
fn ottawa_not_applicable_asks_for_an_examination_soon_and_says_why() {
    let t = triage_of(&with(ottawa_negative(), &[("injury.knee_replacement", json!(true))]));
    assert_eq!(t.level, TriageLevel::Soon);
    assert_eq!(ids(&t), ["ottawa_not_applicable"]);
    assert!(reason(&t, "ottawa_not_applicable").text.contains("a knee replacement in this knee"));
}

#[test]
fn a_hot_red_swollen_knee_with_fever_is_an_emergency_for_a_septic_joint() {
    let t = triage_of(&[("flag.hot_red_swollen_knee", json!(true)), ("flag.fever_or_unwell", json!(true))]);
    assert_eq!(t.level, TriageLevel::Emergency);
    assert_eq!(t.reasons[0].id, "septic_joint");
    assert_eq!(ids(&t), ["septic_joint", "hot_swollen_knee"]);
}

#[test]
fn a_hot_red_swollen_knee_without_fever_is_urgent_not_an_emergency() {
    let t = triage_of(&[("flag.hot_red_swollen_knee", json!(true)), ("flag.fever_or_unwell", json!(false))]);
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["hot_swollen_knee"]);
}

#[test]
fn an_unanswered_question_never_makes_a_rule_fire() {
    // Fever unanswered: the septic-joint rule is undecided, so it must not fire.
    let t = triage_of(&[("flag.hot_red_swollen_knee", json!(true))]);
    assert_eq!(t.level, TriageLevel::Urgent);
    assert!(!ids(&t).contains(&"septic_joint"));
}

#[test]
fn saddle_numbness_or_bladder_change_is_an_emergency() {
    let t = triage_of(&[("flag.saddle_numbness_or_bladder_bowel_change", json!(true))]);
    assert_eq!(t.level, TriageLevel::Emergency);
    assert_eq!(ids(&t), ["cauda_equina"]);
}

#[test]
fn calf_pain_and_swelling_is_urgent_for_a_dvt() {
    let t = triage_of(&[("flag.calf_pain_swelling", json!(true))]);
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["dvt"]);
}

#[test]
fn calf_pain_with_chest_pain_is_an_emergency_for_a_pulmonary_embolism() {
    let t = triage_of(&[("flag.calf_pain_swelling", json!(true)), ("flag.chest_pain_or_breathless", json!(true))]);
    assert_eq!(t.level, TriageLevel::Emergency);
    assert_eq!(ids(&t), ["pulmonary_embolism", "dvt"]);
}

#[test]
fn a_locked_knee_is_urgent() {
    let t = triage_of(&[("flag.knee_locked", json!(true))]);
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["locked_knee"]);
}

#[test]
fn several_flags_give_the_highest_level_and_every_reason_highest_level_first() {
    let t = triage_of(&[
        // Given in the opposite order of their levels, to show the order comes from the rules.
        ("flag.leg_weakness_or_numbness", json!(true)),
        ("flag.night_pain_unrelenting", json!(true)),
        ("flag.knee_locked", json!(true)),
        ("flag.calf_pain_swelling", json!(true)),
        ("flag.saddle_numbness_or_bladder_bowel_change", json!(true)),
    ]);
    assert_eq!(t.level, TriageLevel::Emergency);
    // Highest level first; within a level, the order of red_flags.toml.
    assert_eq!(ids(&t), ["cauda_equina", "dvt", "locked_knee", "night_pain", "progressive_neurological"]);
    let levels: Vec<TriageLevel> = t.reasons.iter().map(|r| r.level).collect();
    assert_eq!(
        levels,
        [TriageLevel::Emergency, TriageLevel::Urgent, TriageLevel::Urgent, TriageLevel::Soon, TriageLevel::Soon]
    );
}

#[test]
fn reasons_are_sorted_by_level_even_when_the_file_lists_a_higher_level_last() {
    // The shipped file happens to list rules by level; add an emergency rule after every soon rule.
    let (_, text) = Knowledge::embedded_files().iter().find(|(n, _)| *n == "red_flags.toml").unwrap();
    let text = format!(
        "{text}\n[[rule]]\nid = \"test_emergency_last\"\nlevel = \"emergency\"\nwhen = \"flag.knee_locked\"\n\
         text = \"Test.\"\naction = \"Test.\"\nsource = \"nhs_glos_knee\"\n"
    );
    let kb = Knowledge::with_overrides(&[("red_flags.toml".to_owned(), text)]).expect("valid");
    let a = answers_in(&kb, &[("flag.knee_locked", json!(true)), ("flag.night_pain_unrelenting", json!(true))]);
    let t = triage(&AnswerFacts::new(&kb, &a));
    assert_eq!(t.level, TriageLevel::Emergency);
    assert_eq!(ids(&t), ["test_emergency_last", "locked_knee", "night_pain"]);
}

#[test]
fn reasons_carry_the_text_and_action_of_their_rule() {
    let t = triage_of(&[("flag.knee_locked", json!(true)), ("flag.calf_pain_swelling", json!(true))]);
    for r in &t.reasons {
        let rule = kb().red_flag_rules().iter().find(|x| x.id == r.id).expect("a shipped rule");
        assert_eq!(r.text, rule.text);
        assert_eq!(r.action, rule.action);
        assert_eq!(r.level, rule.level);
    }
    assert_eq!(t.reasons.len(), 2);
}

#[test]
fn a_12_year_old_with_gradual_knee_pain_and_a_limp_is_urgent_for_the_hip_scfe() {
    let t = triage_of(&[("age", json!(12)), ("pain.onset", json!("gradual")), ("pain.limp", json!(true))]);
    assert_eq!(t.level, TriageLevel::Urgent);
    assert_eq!(ids(&t), ["child_scfe"]);
    assert!(reason(&t, "child_scfe").action.contains("hip"));
}

#[test]
fn a_child_with_possible_scfe_who_cannot_bear_weight_is_an_emergency() {
    let t = triage_of(&[
        ("age", json!(12)),
        ("pain.onset", json!("gradual")),
        ("pain.limp", json!(true)),
        ("flag.cannot_bear_weight", json!(true)),
    ]);
    assert_eq!(t.level, TriageLevel::Emergency);
    assert_eq!(ids(&t), ["child_scfe_cannot_bear_weight", "cannot_bear_weight", "child_scfe"]);
}

#[test]
fn the_scfe_rule_covers_ages_9_to_16_only() {
    let at = |age: i64| {
        let t = triage_of(&[("age", json!(age)), ("pain.onset", json!("gradual")), ("pain.limp", json!(true))]);
        ids(&t).contains(&"child_scfe")
    };
    assert!(!at(8));
    assert!(at(9));
    assert!(at(16));
    assert!(!at(17));
}

#[test]
fn a_limp_after_an_injury_is_not_read_as_scfe() {
    let t = triage_of(&[("age", json!(12)), ("pain.onset", json!("injury")), ("pain.limp", json!(true))]);
    assert!(!ids(&t).contains(&"child_scfe"), "{:?}", ids(&t));
}

#[test]
fn only_self_care_and_soon_allow_a_plan() {
    assert!(TriageLevel::SelfCare.allows_plan());
    assert!(TriageLevel::Soon.allows_plan());
    assert!(!TriageLevel::Urgent.allows_plan());
    assert!(!TriageLevel::Emergency.allows_plan());
}

#[test]
fn triage_levels_are_ordered_from_self_care_to_emergency() {
    assert!(TriageLevel::SelfCare < TriageLevel::Soon);
    assert!(TriageLevel::Soon < TriageLevel::Urgent);
    assert!(TriageLevel::Urgent < TriageLevel::Emergency);
    for level in [TriageLevel::SelfCare, TriageLevel::Soon, TriageLevel::Urgent, TriageLevel::Emergency] {
        assert_eq!(TriageLevel::parse(level.as_str()), Some(level));
    }
}
