//! Property tests of the check-in form's decoder: [`read_form`] followed by [`validate`], exactly as
//! `POST /checkin` runs them. Whatever fields arrive, the result is either reports to record or a
//! problem naming a field, never a panic; a well-formed form is accepted and read back as exactly what
//! was ticked and typed; a number out of its range is refused naming its field.
//!
//! The plan is a real one: the golden "kneecap pain with a hip driver" answers, assessed with the
//! embedded knowledge base, on the plan's third day.

use std::sync::Arc;

use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::plan::apply_edits;
use kneeroot_core::{Answers, assess};
use kneeroot_store::{AssessmentId, Day, Stiffness, UserId};
use proptest::prelude::*;

use super::{CHECKIN_FLAGS, ExerciseReport, MorningInput, read_form, validate};
use crate::cache::Parsed;
use crate::error::Problem;
use crate::pages::current::{CurrentPlan, ymd};
use crate::pages::test_forms::{form, hostile_fields, hostile_text, kb};

/// The first day of the plan.
const START: Day = 20_454;
/// "Today" in these tests: the plan's third day, so today and the two days before can be checked in.
const TODAY: Day = START + 2;

fn plan() -> CurrentPlan {
    let answers = Answers::parse_document(
        kb(),
        include_str!("../../../../kneeroot-core/tests/golden/08_selfcare_hip_kneecap_pain.toml"),
        DocumentFormat::Toml,
    )
    .expect("the golden answers parse");
    let result = assess(kb(), &answers);
    let plan = result.plan.clone().expect("the golden answers get a plan");
    let parsed = Parsed {
        id: AssessmentId::random(),
        owner: UserId::random(),
        created_at: START * 86_400 + 3600,
        result,
        answers,
        camera: Default::default(),
    };
    CurrentPlan {
        steps: apply_edits(kb(), &plan, &[]),
        weeks: plan.weeks,
        starts: plan.steps.iter().map(|s| s.starts_week).collect(),
        held_back: vec![false; plan.steps.len()],
        start_day: START,
        changes: Vec::new(),
        checkins: Vec::new(),
        mornings: Vec::new(),
        parsed: Arc::new(parsed),
    }
}

fn exercise_ids(plan: &CurrentPlan) -> Vec<String> {
    plan.active_on(TODAY).iter().map(|e| e.exercise.id.clone()).collect()
}

/// Every name the check-in page posts (plus an exercise that is not in the plan).
fn field_names(plan: &CurrentPlan) -> Vec<String> {
    let mut names: Vec<String> =
        ["morning_pain", "usual", "stiffness", "flag", "day", "csrf"].iter().map(|s| (*s).to_owned()).collect();
    for id in exercise_ids(plan).into_iter().chain(["not_an_exercise".to_owned()]) {
        for prefix in ["done", "sets", "reps", "pain", "quality"] {
            names.push(format!("{prefix}.{id}"));
        }
    }
    names
}

/// Decode and check, as `POST /checkin` does.
fn decode(
    plan: &CurrentPlan,
    day: Day,
    fields: &[(String, String)],
) -> Result<(Vec<ExerciseReport>, Option<MorningInput>), Problem> {
    let f = form(fields);
    let (exercises, morning) = read_form(&f, plan, day)?;
    validate(plan, day, TODAY, &exercises, morning.as_ref())?;
    Ok((exercises, morning))
}

/// One exercise's well-formed report: (done, sets, reps, pain during, good form), blanks as `None`.
type Report = (bool, Option<i64>, Option<i64>, Option<i64>, bool);

fn report() -> impl Strategy<Value = Option<Report>> {
    prop::option::of((
        any::<bool>(),
        prop::option::of(0i64..=20),
        prop::option::of(0i64..=100),
        prop::option::of(0i64..=10),
        any::<bool>(),
    ))
}

fn morning() -> impl Strategy<Value = Option<(i64, i64, Stiffness, Vec<bool>)>> {
    let stiffness = prop::sample::select(vec![Stiffness::Less, Stiffness::Same, Stiffness::More]);
    prop::option::of((0i64..=10, 0i64..=10, stiffness, prop::collection::vec(any::<bool>(), CHECKIN_FLAGS.len())))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_form_is_reports_or_a_problem_naming_a_field(
        fields in hostile_fields(field_names(&plan())),
        day_offset in -3i64..=3,
    ) {
        let plan = plan();
        let names = field_names(&plan);
        match decode(&plan, TODAY + day_offset, &fields) {
            Ok((exercises, morning)) => {
                let ids = exercise_ids(&plan);
                prop_assert!(exercises.iter().all(|e| ids.contains(&e.exercise_id)), "only the plan's exercises");
                if let Some(m) = morning {
                    prop_assert!((0..=10).contains(&m.pain) && (0..=10).contains(&m.usual));
                    prop_assert!(m.flags.iter().all(|f| CHECKIN_FLAGS.contains(&f.as_str())));
                }
            }
            Err(Problem::BadInput { field: Some(field), message }) => {
                let known = ["day", "exercise_id", "sets_done", "reps_done", "pain_during", "pain", "usual", "flags"];
                prop_assert!(known.contains(&field.as_str()) || names.contains(&field), "an unknown field {field}");
                prop_assert!(!message.trim().is_empty());
            }
            Err(other) => prop_assert!(false, "not a problem naming a field: {other:?}"),
        }
    }

    #[test]
    fn a_well_formed_form_is_accepted_and_read_back_exactly(
        reports in prop::collection::vec(report(), 8),
        morning in morning(),
        day_offset in -2i64..=0,
        spaces in any::<bool>(),
    ) {
        let plan = plan();
        let day = TODAY + day_offset;
        let pad = |s: String| if spaces { format!(" {s} ") } else { s };
        let mut fields = vec![("csrf".to_owned(), "x".to_owned()), ("day".to_owned(), ymd(day))];
        let mut expected = Vec::new();
        for (id, r) in exercise_ids(&plan).iter().zip(reports.iter().cycle()) {
            let Some((done, sets, reps, pain, quality)) = *r else { continue };
            fields.push((format!("done.{id}"), if done { "yes" } else { "no" }.into()));
            for (prefix, v) in [("sets", sets), ("reps", reps), ("pain", pain)] {
                fields.push((format!("{prefix}.{id}"), v.map(|v| pad(v.to_string())).unwrap_or_default()));
            }
            if !quality {
                fields.push((format!("quality.{id}"), "no".into()));
            }
            expected.push((id.clone(), done, sets, reps, pain, quality));
        }
        if let Some((pain, usual, stiffness, flags)) = &morning {
            fields.push(("morning_pain".into(), pad(pain.to_string())));
            fields.push(("usual".into(), usual.to_string()));
            fields.push(("stiffness".into(), stiffness.as_str().into()));
            for (flag, on) in CHECKIN_FLAGS.iter().zip(flags) {
                if *on {
                    fields.push(("flag".into(), (*flag).into()));
                }
            }
        }
        let (exercises, read_morning) = decode(&plan, day, &fields)
            .map_err(|p| TestCaseError::fail(format!("a well-formed form was refused: {p:?}")))?;
        let got: Vec<_> = exercises
            .iter()
            .map(|e| (e.exercise_id.clone(), e.done, e.sets_done, e.reps_done, e.pain_during, e.quality_ok))
            .collect();
        prop_assert_eq!(got, expected);
        match (morning, read_morning) {
            (None, None) => {}
            (Some((pain, usual, stiffness, flags)), Some(m)) => {
                prop_assert_eq!((m.pain, m.usual, m.stiffness), (pain, usual, stiffness));
                let ticked: Vec<String> =
                    CHECKIN_FLAGS.iter().zip(&flags).filter(|(_, on)| **on).map(|(f, _)| (*f).to_owned()).collect();
                prop_assert_eq!(m.flags, ticked);
            }
            (sent, read) => prop_assert!(false, "morning sent {sent:?}, read {read:?}"),
        }
    }

    #[test]
    fn a_number_out_of_its_range_is_refused_naming_its_field(
        which in 0usize..5,
        value in prop_oneof![-1_000_000i64..0, 101i64..1_000_000],
    ) {
        let plan = plan();
        let id = exercise_ids(&plan)[0].clone();
        let mut fields = vec![(format!("done.{id}"), "yes".to_owned()), ("usual".to_owned(), "2".to_owned())];
        let (name, field) = [
            (format!("sets.{id}"), "sets_done"),
            (format!("reps.{id}"), "reps_done"),
            (format!("pain.{id}"), "pain_during"),
            ("morning_pain".to_owned(), "pain"),
            ("usual".to_owned(), "usual"),
        ][which].clone();
        fields.retain(|(k, _)| *k != name);
        fields.push((name, value.to_string()));
        if which == 4 {
            fields.push(("morning_pain".into(), "3".into()));
        }
        match decode(&plan, TODAY, &fields) {
            Err(Problem::BadInput { field: Some(f), message }) => {
                prop_assert_eq!(f.as_str(), field);
                prop_assert!(message.contains(&value.to_string()), "{message}");
            }
            other => prop_assert!(false, "{field} = {value} accepted or refused oddly: {other:?}"),
        }
    }

    #[test]
    fn text_where_a_number_belongs_is_refused_naming_the_form_field(text in hostile_text()) {
        let plan = plan();
        let id = exercise_ids(&plan)[0].clone();
        let fields = vec![(format!("done.{id}"), "yes".to_owned()), (format!("sets.{id}"), text.clone())];
        match decode(&plan, TODAY, &fields) {
            Ok(_) => prop_assert!(text.trim().is_empty() || text.trim().parse::<i64>().is_ok_and(|n| (0..=20).contains(&n))),
            Err(Problem::BadInput { field: Some(f), .. }) => {
                prop_assert!(f == format!("sets.{id}") || f == "sets_done", "{f}");
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}
