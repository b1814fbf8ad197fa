use super::*;
use crate::Knowledge;

fn rules() -> ProgressionRules {
    Knowledge::embedded().expect("shipped knowledge is valid").progression().clone()
}

fn s(pain_during: u8, morning: Option<u8>, baseline: u8, quality_ok: bool) -> SessionReport {
    SessionReport { pain_during, pain_next_morning: morning, baseline, quality_ok }
}

fn good() -> SessionReport {
    s(3, Some(2), 2, true)
}

fn kinds(ds: &[Decision]) -> Vec<DecisionKind> {
    ds.iter().map(|d| d.decision).collect()
}

use DecisionKind::{Hold, Progress, Regress};

#[test]
fn a_step_opens_by_weeks_unless_the_step_before_was_just_eased() {
    assert!(step_may_open(&[]), "no check-ins: weeks alone decide");
    assert!(step_may_open(&[Progress, Hold]));
    assert!(!step_may_open(&[Progress, Regress]));
}

#[test]
fn no_sessions_means_hold_with_a_reason() {
    let d = decide(&rules(), &[], &ExerciseContext::default());
    assert_eq!(d.decision, Hold);
    assert!(!d.reason.is_empty());
}

#[test]
fn pain_during_of_exactly_5_is_acceptable_and_6_regresses() {
    let r = rules();
    assert_ne!(decide(&r, &[s(5, Some(2), 2, true)], &ExerciseContext::default()).decision, Regress);
    let d = decide(&r, &[s(6, Some(2), 2, true)], &ExerciseContext::default());
    assert_eq!(d.decision, Regress);
    assert!(d.reason.contains("6/10"), "{}", d.reason);
}

#[test]
fn next_morning_at_usual_plus_one_holds_and_plus_two_regresses() {
    let r = rules();
    assert_eq!(decide(&r, &[s(3, Some(3), 2, true)], &ExerciseContext::default()).decision, Hold);
    let d = decide(&r, &[s(3, Some(4), 2, true)], &ExerciseContext::default());
    assert_eq!(d.decision, Regress);
    assert!(d.reason.contains("4/10") && d.reason.contains("usual 2/10"), "{}", d.reason);
}

#[test]
fn one_good_session_holds_and_two_in_a_row_progress() {
    let r = rules();
    assert_eq!(decide(&r, &[good()], &ExerciseContext::default()).decision, Hold);
    let d = decide(&r, &[good(), good()], &ExerciseContext::default());
    assert_eq!(d.decision, Progress);
    assert_eq!(d.change.as_deref(), Some("reps"), "the first progression changes one variable: reps");
}

#[test]
fn poor_quality_never_progresses() {
    let r = rules();
    let d = decide(&r, &[good(), s(2, Some(2), 2, false)], &ExerciseContext::default());
    assert_eq!(d.decision, Hold);
    assert!(d.reason.contains("form"), "{}", d.reason);
}

#[test]
fn a_session_without_a_next_morning_report_cannot_count_as_good() {
    let r = rules();
    assert_eq!(decide(&r, &[good(), s(2, None, 2, true)], &ExerciseContext::default()).decision, Hold);
}

#[test]
fn next_morning_pain_building_over_sessions_regresses_even_within_the_single_session_rules() {
    let r = rules();
    // Each morning within usual + 1, but the last three average 1 point above the three before.
    let sessions = [
        s(3, Some(2), 2, true),
        s(3, Some(2), 2, true),
        s(3, Some(2), 2, true),
        s(3, Some(3), 2, true),
        s(3, Some(3), 2, true),
        s(3, Some(3), 2, true),
    ];
    let d = decide(&r, &sessions, &ExerciseContext::default());
    assert_eq!(d.decision, Regress);
    assert!(d.reason.contains("building"), "{}", d.reason);
}

#[test]
fn regressions_in_a_row_follow_the_stated_order() {
    let r = rules();
    let flare = s(7, Some(6), 2, true);
    let ds = decide_all(&r, &[flare, flare, flare, flare, flare], &ExerciseContext::default());
    let changes: Vec<&str> = ds.iter().map(|d| d.change.as_deref().unwrap_or("")).collect();
    assert_eq!(changes, ["range", "speed", "load", "variant", "variant"]);
}

#[test]
fn the_variant_step_names_the_easier_and_harder_exercise() {
    let r = rules();
    let ctx = ExerciseContext {
        name: Some("Step-ups".into()),
        easier: Some("Box squat".into()),
        harder: Some("Lateral step-down".into()),
        tendon: false,
        held: false,
    };
    let flare = s(7, None, 2, true);
    let ds = decide_all(&r, &[flare; 4], &ctx);
    assert!(ds[3].reason.contains("switch to Box squat"), "{}", ds[3].reason);
    assert!(ds[0].reason.contains("step-ups"), "{}", ds[0].reason);
    let goods = decide_all(&r, &[good(); 8], &ctx);
    let progressions: Vec<&Decision> = goods.iter().filter(|d| d.decision == Progress).collect();
    assert_eq!(progressions.len(), 4);
    assert!(progressions[3].reason.contains("move on to Lateral step-down"), "{}", progressions[3].reason);
}

#[test]
fn after_a_progression_the_new_level_must_prove_itself_for_two_sessions() {
    let r = rules();
    let ds = decide_all(&r, &[good(); 6], &ExerciseContext::default());
    assert_eq!(kinds(&ds), [Hold, Progress, Hold, Progress, Hold, Progress]);
}

#[test]
fn a_held_exercise_progresses_by_holding_longer_and_eases_by_holding_less() {
    let r = rules();
    let held = ExerciseContext { held: true, ..ExerciseContext::default() };
    let up = decide(&r, &[good(), good()], &held);
    assert!(up.reason.contains("hold each one five seconds longer"), "{}", up.reason);
    let flare = s(7, None, 2, true);
    let ds = decide_all(&r, &[flare, flare, flare], &held);
    assert!(ds[2].reason.contains("hold for five seconds less"), "{}", ds[2].reason);
}

#[test]
fn tendon_pain_progresses_only_at_3_or_less_during_loading() {
    let r = rules();
    let tendon = ExerciseContext { tendon: true, ..ExerciseContext::default() };
    let four = s(4, Some(2), 2, true);
    let three = s(3, Some(2), 2, true);
    assert_eq!(decide(&r, &[four, four], &tendon).decision, Hold);
    assert_eq!(decide(&r, &[three, three], &tendon).decision, Progress);
    assert_eq!(decide(&r, &[four, four], &ExerciseContext::default()).decision, Progress);
}

#[test]
fn tendon_stages_advance_after_a_progression_within_the_limit_and_fall_back_after_a_regression() {
    let r = rules();
    let progress = decide(&r, &[good(), good()], &ExerciseContext::default());
    let regress = decide(&r, &[s(8, None, 2, true)], &ExerciseContext::default());
    assert_eq!(tendon_stage(&r, 0, &progress, 3).map(|v| v.id), Some("isotonic".into()));
    assert_eq!(
        tendon_stage(&r, 0, &progress, 4).map(|v| v.id),
        Some("isometric".into()),
        "4/10 is too sore for stage 2"
    );
    assert_eq!(tendon_stage(&r, 2, &regress, 8).map(|v| v.id), Some("isotonic".into()));
    assert_eq!(tendon_stage(&r, 3, &progress, 0).map(|v| v.index), Some(3), "the last stage is the last");
}

#[test]
fn session_reports_out_of_range_are_refused_with_the_field() {
    assert!(s(11, None, 2, true).validate().unwrap_err().contains("pain_during = 11"));
    assert!(s(1, Some(12), 2, true).validate().unwrap_err().contains("pain_next_morning"));
    assert!(good().validate().is_ok());
}

#[test]
fn a_red_flag_in_a_check_in_pre_empts_the_plan() {
    let kb = Knowledge::embedded().expect("valid");
    let base = crate::Answers::empty(&kb);
    let t = checkin_triage(&kb, &base, &CheckinFlags(vec!["flag.knee_locked".into()])).expect("a flag id");
    assert!(!t.level.allows_plan());
    assert!(checkin_triage(&kb, &base, &CheckinFlags(vec!["pain.now".into()])).is_err(), "only red-flag ids");
}

/// Twelve weeks at three sessions a week (36 sessions) for three kinds of course.
mod simulated_course {
    use super::*;

    #[test]
    fn a_good_responder_progresses_steadily_and_is_never_sent_to_a_physio() {
        let r = rules();
        let sessions: Vec<SessionReport> = (0..36).map(|i| s(if i < 6 { 4 } else { 2 }, Some(2), 2, true)).collect();
        let ds = decide_all(&r, &sessions, &ExerciseContext::default());
        let progressions = ds.iter().filter(|d| d.decision == Progress).count();
        assert_eq!(progressions, 18, "every second session moves one step on");
        assert!(ds.iter().all(|d| d.decision != Regress && !d.see_physio));
    }

    #[test]
    fn a_flare_up_is_eased_then_recovers_and_progresses_again() {
        let r = rules();
        let mut sessions: Vec<SessionReport> = vec![good(); 8];
        sessions.extend([s(7, Some(5), 2, true), s(6, Some(4), 2, true)]); // the flare
        sessions.extend(vec![good(); 6]); // settled
        let ds = decide_all(&r, &sessions, &ExerciseContext::default());
        assert_eq!(kinds(&ds[8..10]), [Regress, Regress]);
        assert_eq!(ds[8].change.as_deref(), Some("range"));
        assert_eq!(ds[9].change.as_deref(), Some("speed"));
        assert!(ds[10..].iter().any(|d| d.decision == Progress), "progress resumes after recovery");
        assert!(ds.iter().all(|d| !d.see_physio), "one short flare is not a reason to refer");
    }

    #[test]
    fn a_non_responder_is_pointed_to_a_physio() {
        let r = rules();
        // Pain never settles: sessions alternate between too painful and a bad next morning.
        let sessions: Vec<SessionReport> =
            (0..12).map(|i| if i % 2 == 0 { s(6, Some(3), 2, true) } else { s(4, Some(5), 2, true) }).collect();
        let ds = decide_all(&r, &sessions, &ExerciseContext::default());
        let first = ds.iter().position(|d| d.see_physio).expect("referred at some point");
        assert_eq!(first, r.refer_regressions - 1, "referred as soon as the regressions add up");
        assert!(ds[first].reason.contains("physiotherapist"));
    }

    #[test]
    fn a_plateau_without_flares_is_pointed_to_a_physio_too() {
        let r = rules();
        // Always within the rules but never quite back to usual by the morning: no progress, no regress.
        let sessions: Vec<SessionReport> = (0..r.stall_sessions).map(|_| s(3, Some(3), 2, true)).collect();
        let ds = decide_all(&r, &sessions, &ExerciseContext::default());
        assert!(ds.iter().all(|d| d.decision == Hold));
        assert!(ds.last().is_some_and(|d| d.see_physio));
        assert!(!ds[ds.len() - 2].see_physio);
    }
}
