use super::*;

#[test]
fn the_shipped_knowledge_base_is_valid() {
    if let Err(e) = Knowledge::embedded() {
        panic!("shipped knowledge base has errors:\n{e}");
    }
}

// ---------------------------------------------------------------------------------------------------
// Helpers: break one shipped file in one way
// ---------------------------------------------------------------------------------------------------

fn shipped(name: &str) -> &'static str {
    Knowledge::embedded_files().iter().find(|(n, _)| *n == name).map(|(_, t)| *t).expect("a shipped file")
}

/// The shipped `name` with the first `from` replaced by `to`; the replacement must change the text.
fn broken(name: &str, from: &str, to: &str) -> (String, String) {
    let text = shipped(name);
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "'{from}' not found in {name}: the test would prove nothing");
    (name.to_owned(), changed)
}

/// Like [`broken`], but replacing the first `from` after `anchor` (to reach one entry of a file).
fn broken_after(name: &str, anchor: &str, from: &str, to: &str) -> (String, String) {
    let text = shipped(name);
    let start = text.find(anchor).unwrap_or_else(|| panic!("'{anchor}' not found in {name}"));
    let offset = text[start..].find(from).unwrap_or_else(|| panic!("'{from}' not found after '{anchor}' in {name}"));
    let at = start + offset;
    let changed = format!("{}{}{}", &text[..at], to, &text[at + from.len()..]);
    assert_ne!(changed, text, "replacing '{from}' changed nothing in {name}");
    (name.to_owned(), changed)
}

fn errors_of(overrides: &[(String, String)]) -> Vec<KbError> {
    match Knowledge::with_overrides(overrides) {
        Ok(_) => panic!("the broken knowledge base was accepted"),
        Err(e) => e.0,
    }
}

/// The error at `file` / `key`, whose message must contain `needle`.
fn expect_error(errors: &[KbError], file: &str, key: &str, needle: &str) -> KbError {
    let found = errors.iter().find(|e| e.file == file && e.key == key).unwrap_or_else(|| {
        let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("no error at {file}: {key}; got:\n{}", all.join("\n"))
    });
    assert!(found.message.contains(needle), "{file}: {key}: '{}' does not mention '{needle}'", found.message);
    found.clone()
}

// ---------------------------------------------------------------------------------------------------
// kb check: each broken file names the file and the key
// ---------------------------------------------------------------------------------------------------

#[test]
fn an_unknown_citation_key_in_an_exercise_names_the_exercise_s_sources() {
    let errors = errors_of(&[broken_after(
        "exercises.toml",
        "id = \"seated_calf_stretch_band\"",
        "\"backman2011\"",
        "\"backman2O11\"",
    )]);
    let e = expect_error(&errors, "exercises.toml", "exercise.seated_calf_stretch_band.sources", "'backman2O11'");
    assert!(e.message.contains("unknown citation key"), "{e}");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn a_progression_to_an_unknown_exercise_names_the_progression() {
    let errors = errors_of(&[broken(
        "exercises.toml",
        "progression = \"calf_stretch_wall\"",
        "progression = \"calf_stretch_wal\"",
    )]);
    expect_error(
        &errors,
        "exercises.toml",
        "exercise.seated_calf_stretch_band.progression",
        "unknown exercise 'calf_stretch_wal'",
    );
}

#[test]
fn an_exercise_no_plan_can_reach_is_an_error_naming_it() {
    // heel_skin_mobilisation has no progression or regression and nothing leads to it.
    let errors = errors_of(&[broken_after(
        "exercises.toml",
        "id = \"heel_skin_mobilisation\"",
        "entry = true",
        "entry = false",
    )]);
    expect_error(&errors, "exercises.toml", "exercise.heel_skin_mobilisation", "no plan can reach this exercise");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn a_non_entry_exercise_reached_by_a_progression_is_fine() {
    // single_leg_bridge is entry = false but glute_bridge progresses to it.
    let kb = Knowledge::embedded().unwrap();
    let e = kb.exercise("single_leg_bridge").expect("shipped");
    assert!(!e.entry);
    // Cutting the link makes it unreachable, which proves the link is what reaches it.
    let errors = errors_of(&[broken("exercises.toml", "progression = \"single_leg_bridge\"", "# progression removed")]);
    expect_error(&errors, "exercises.toml", "exercise.single_leg_bridge", "no plan can reach");
}

#[test]
fn a_progression_loop_is_an_error_naming_the_progression() {
    // seated_calf_stretch_band progresses to calf_stretch_wall; make that progress back.
    let errors = errors_of(&[broken(
        "exercises.toml",
        "regression = \"seated_calf_stretch_band\"",
        "progression = \"seated_calf_stretch_band\"\nregression = \"seated_calf_stretch_band\"",
    )]);
    expect_error(&errors, "exercises.toml", "exercise.calf_stretch_wall.progression", "loop");
    expect_error(&errors, "exercises.toml", "exercise.seated_calf_stretch_band.progression", "loop");
}

#[test]
fn an_exercise_that_leads_to_itself_is_an_error() {
    let errors = errors_of(&[broken(
        "exercises.toml",
        "progression = \"calf_stretch_wall\"",
        "progression = \"seated_calf_stretch_band\"",
    )]);
    expect_error(&errors, "exercises.toml", "exercise.seated_calf_stretch_band.progression", "cannot lead to itself");
}

#[test]
fn a_condition_with_an_unknown_id_names_the_link_s_when_and_the_id() {
    let errors = errors_of(&[broken(
        "evidence.toml",
        "when = \"squat.knee_caves_in != 'none'\"",
        "when = \"squat.knee_cave_in != 'none'\"",
    )]);
    let e =
        expect_error(&errors, "evidence.toml", "link.hip_squat_knee_caves_in.when", "unknown id 'squat.knee_cave_in'");
    assert!(e.message.contains("at character 1"), "{e}");
}

#[test]
fn a_condition_with_an_enum_value_that_does_not_exist_names_the_rule() {
    let errors = errors_of(&[broken(
        "red_flags.toml",
        "pain.onset == 'injury' && flag.foot_cold_pale_or_numb",
        "pain.onset == 'accident' && flag.foot_cold_pale_or_numb",
    )]);
    let e = expect_error(&errors, "red_flags.toml", "rule.deformity_or_dislocation.when", "'accident'");
    assert!(e.message.contains("gradual, injury"), "{e}");
}

#[test]
fn a_link_whose_condition_does_not_mention_its_finding_is_an_error() {
    let errors = errors_of(&[broken_after(
        "evidence.toml",
        "id = \"hip_squat_knee_caves_in\"",
        "finding = \"squat.knee_caves_in\"",
        "finding = \"squat.heels_lift\"",
    )]);
    expect_error(
        &errors,
        "evidence.toml",
        "link.hip_squat_knee_caves_in.finding",
        "does not mention 'squat.heels_lift'",
    );
}

#[test]
fn a_weight_out_of_range_names_the_link_s_weight() {
    let errors =
        errors_of(&[broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "weight = 1.0", "weight = 4.5")]);
    let e = expect_error(&errors, "evidence.toml", "link.hip_squat_knee_caves_in.weight", "out of range");
    assert!(e.message.contains("4.5"), "{e}");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn the_ends_of_the_weight_range_are_allowed() {
    for w in ["weight = 4.0", "weight = -4.0"] {
        let overrides = [broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "weight = 1.0", w)];
        assert!(Knowledge::with_overrides(&overrides).is_ok(), "{w}");
    }
}

#[test]
fn a_zero_weight_is_an_error() {
    let errors =
        errors_of(&[broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "weight = 1.0", "weight = 0.0")]);
    expect_error(&errors, "evidence.toml", "link.hip_squat_knee_caves_in.weight", "moves nothing");
}

#[test]
fn a_misspelt_key_is_an_error_naming_the_field_and_the_line() {
    let (name, text) = broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "grade = ", "grdae = ");
    let line = text[..text.find("grdae").unwrap()].matches('\n').count() + 1;
    let errors = errors_of(&[(name, text)]);
    let e = errors.iter().find(|e| e.file == "evidence.toml").expect("an error in evidence.toml");
    assert!(e.message.contains("grdae"), "{e}");
    assert!(e.message.contains("unknown field"), "{e}");
    assert!(e.message.contains(&format!("(line {line})")), "{e}");
}

#[test]
fn a_misspelt_optional_key_is_still_an_error() {
    let errors = errors_of(&[broken_after(
        "exercises.toml",
        "id = \"seated_calf_stretch_band\"",
        "progression = ",
        "progresion = ",
    )]);
    let e = errors.iter().find(|e| e.file == "exercises.toml").expect("an error in exercises.toml");
    assert!(e.message.contains("progresion"), "{e}");
}

#[test]
fn a_duplicate_id_names_the_id() {
    let errors = errors_of(&[broken(
        "evidence.toml",
        "id = \"hip_single_leg_knee_caves_in\"",
        "id = \"hip_squat_knee_caves_in\"",
    )]);
    expect_error(&errors, "evidence.toml", "link.hip_squat_knee_caves_in", "used twice");
}

#[test]
fn a_duplicate_question_id_names_the_question() {
    let errors = errors_of(&[broken("questions.toml", "id = \"sex\"", "id = \"side\"")]);
    expect_error(&errors, "questions.toml", "question.side", "used twice");
}

#[test]
fn an_override_with_an_unknown_file_name_is_an_error_naming_the_file() {
    let errors = errors_of(&[("exercise.toml".to_owned(), shipped("exercises.toml").to_owned())]);
    let e = errors.iter().find(|e| e.file == "exercise.toml").expect("an error naming the file");
    assert!(e.key.is_empty());
    assert!(e.message.contains("not a knowledge-base file"), "{e}");
    assert!(e.message.contains("exercises.toml"), "{e}");
}

#[test]
fn a_driver_that_is_not_a_driver_of_the_target_cause_is_an_error() {
    let errors = errors_of(&[broken_after(
        "evidence.toml",
        "id = \"hip_squat_knee_caves_in\"",
        "driver = \"weakness\"",
        "driver = \"dorsiflexion_restriction\"",
    )]);
    expect_error(
        &errors,
        "evidence.toml",
        "link.hip_squat_knee_caves_in.driver",
        "'dorsiflexion_restriction' is not a driver of cause 'hip'",
    );
}

#[test]
fn an_exercise_driver_that_is_not_a_driver_of_its_targets_is_an_error() {
    let errors = errors_of(&[broken_after(
        "exercises.toml",
        "id = \"seated_calf_stretch_band\"",
        "drivers = [\"dorsiflexion_restriction\"]",
        "drivers = [\"weakness\"]",
    )]);
    expect_error(&errors, "exercises.toml", "exercise.seated_calf_stretch_band.drivers", "'weakness'");
}

#[test]
fn removing_a_question_the_engine_needs_is_an_error_naming_it() {
    let (name, text) = broken(
        "questions.toml",
        "[[question]]\nid = \"age\"\ngroup = \"about\"\ntype = \"int\"\nmin = 5\nmax = 110\nunit = \"years\"\ntext = \"How old are you?\"\n",
        "",
    );
    let errors = errors_of(&[(name, text)]);
    expect_error(&errors, "questions.toml", "question.age", "required by the engine");
    // Conditions that used it are reported too, each at its own key.
    expect_error(&errors, "red_flags.toml", "rule.child_scfe.when", "unknown id 'age'");
}

#[test]
fn a_plan_shorter_than_8_weeks_is_an_error_naming_base_weeks() {
    let errors = errors_of(&[broken("plan.toml", "base_weeks = 8", "base_weeks = 6")]);
    expect_error(&errors, "plan.toml", "plan.base_weeks", "8 to 12 weeks");
}

#[test]
fn an_unknown_triage_level_names_the_rule_s_level() {
    let errors = errors_of(&[broken_after("red_flags.toml", "id = \"dvt\"", "level = \"urgent\"", "level = \"asap\"")]);
    expect_error(&errors, "red_flags.toml", "rule.dvt.level", "unknown level 'asap'");
}

#[test]
fn a_decision_rule_parameter_out_of_range_names_it() {
    let errors = errors_of(&[broken("red_flags.toml", "age_criterion = 55", "age_criterion = 5")]);
    expect_error(&errors, "red_flags.toml", "ottawa.age_criterion", "out of range");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_the_line() {
    let (name, text) = broken("plan.toml", "base_weeks = 8", "base_weeks = = 8");
    let line = text[..text.find("base_weeks").unwrap()].matches('\n').count() + 1;
    let errors = errors_of(&[(name, text)]);
    let e = errors.iter().find(|e| e.file == "plan.toml").expect("an error in plan.toml");
    assert!(e.message.contains(&format!("(line {line})")), "{e}");
}

#[test]
fn problems_in_several_files_are_all_reported_together() {
    let errors = errors_of(&[
        broken("plan.toml", "base_weeks = 8", "base_weeks = 6"),
        broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "weight = 1.0", "weight = 9.0"),
        broken_after("red_flags.toml", "id = \"dvt\"", "level = \"urgent\"", "level = \"asap\""),
    ]);
    expect_error(&errors, "plan.toml", "plan.base_weeks", "8 to 12");
    expect_error(&errors, "evidence.toml", "link.hip_squat_knee_caves_in.weight", "out of range");
    expect_error(&errors, "red_flags.toml", "rule.dvt.level", "asap");
}

#[test]
fn errors_display_as_file_key_and_message() {
    let errors = errors_of(&[broken("plan.toml", "base_weeks = 8", "base_weeks = 6")]);
    let e = expect_error(&errors, "plan.toml", "plan.base_weeks", "weeks");
    assert_eq!(e.to_string(), format!("plan.toml: plan.base_weeks: {}", e.message));
    let file_level = KbError { file: "faq.toml".into(), key: String::new(), message: "broken".into() };
    assert_eq!(file_level.to_string(), "faq.toml: broken");
}

#[test]
fn a_complete_set_of_files_is_required_by_from_files() {
    let files: Vec<(String, String)> = Knowledge::embedded_files()
        .iter()
        .filter(|(n, _)| *n != "faq.toml")
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    let errors = match Knowledge::from_files(&files) {
        Ok(_) => panic!("accepted without faq.toml"),
        Err(e) => e.0,
    };
    expect_error(&errors, "faq.toml", "", "missing");
}

// ---------------------------------------------------------------------------------------------------
// Version
// ---------------------------------------------------------------------------------------------------

#[test]
fn the_version_is_stable_for_the_same_files() {
    let a = Knowledge::embedded().unwrap();
    let b = Knowledge::embedded().unwrap();
    assert_eq!(a.version(), b.version());
    assert_eq!(a.version().len(), 16);
    assert!(a.version().chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{}", a.version());
    // Overriding a file with its own text changes nothing.
    let same = Knowledge::with_overrides(&[("plan.toml".into(), shipped("plan.toml").into())]).unwrap();
    assert_eq!(same.version(), a.version());
    // Nor does building from the complete set of shipped files.
    let files: Vec<(String, String)> =
        Knowledge::embedded_files().iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
    assert_eq!(Knowledge::from_files(&files).unwrap().version(), a.version());
}

#[test]
fn the_version_changes_when_any_file_changes() {
    let shipped_version = Knowledge::embedded().unwrap().version().to_owned();
    let mut seen = vec![shipped_version.clone()];
    for name in FILE_NAMES {
        let text = format!("{}\n# a clinician's comment\n", shipped(name));
        let kb = Knowledge::with_overrides(&[(name.to_owned(), text)]).unwrap();
        assert_ne!(kb.version(), shipped_version, "{name}");
        assert!(!seen.contains(&kb.version().to_owned()), "{name}: two different changes gave one version");
        seen.push(kb.version().to_owned());
    }
}

#[test]
fn a_changed_weight_changes_the_version_and_is_used() {
    let (name, text) =
        broken_after("evidence.toml", "id = \"hip_squat_knee_caves_in\"", "weight = 1.0", "weight = 1.5");
    let kb = Knowledge::with_overrides(&[(name, text)]).unwrap();
    assert_ne!(kb.version(), Knowledge::embedded().unwrap().version());
    let link = kb.links().iter().find(|l| l.id == "hip_squat_knee_caves_in").unwrap();
    assert!((link.weight - 1.5).abs() < f64::EPSILON);
}

// ---------------------------------------------------------------------------------------------------
// closest_question_id
// ---------------------------------------------------------------------------------------------------

#[test]
fn closest_question_id_corrects_small_typos() {
    let kb = Knowledge::embedded().unwrap();
    assert_eq!(kb.closest_question_id("pain.nwo"), Some("pain.now"));
    assert_eq!(kb.closest_question_id("agee"), Some("age"));
    assert_eq!(kb.closest_question_id("flag.knee_lockd"), Some("flag.knee_locked"));
    assert_eq!(kb.closest_question_id("pain.now"), Some("pain.now"));
}

#[test]
fn closest_question_id_gives_nothing_for_a_distant_id() {
    let kb = Knowledge::embedded().unwrap();
    assert_eq!(kb.closest_question_id("completely.unrelated.thing"), None);
    // Four edits away from "pain.now" is too far.
    assert_eq!(kb.closest_question_id("pain.nowxxxx"), None);
}

#[test]
fn closest_question_id_allows_three_edits_but_not_four() {
    assert_eq!(edit_distance("pain.now", "pain.nowxxx"), 3);
    let kb = Knowledge::embedded().unwrap();
    assert_eq!(kb.closest_question_id("pain.nowxxx"), Some("pain.now"));
}

#[test]
fn edit_distance_counts_insertions_deletions_and_substitutions() {
    assert_eq!(edit_distance("", ""), 0);
    assert_eq!(edit_distance("abc", ""), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("now", "nwo"), 2);
    assert_eq!(edit_distance("é", "e"), 1);
}

// ---------------------------------------------------------------------------------------------------
// camera.toml: the squat screen's thresholds
// ---------------------------------------------------------------------------------------------------

#[test]
fn the_camera_toml_shipped_equals_the_squat_crate_s_default() {
    // kneeroot-squat's Default mirrors the file so its tests and benches need no loader; this keeps the
    // two from drifting apart. Change both together.
    let kb = Knowledge::embedded().unwrap();
    assert_eq!(*kb.camera(), kneeroot_squat::Thresholds::default());
}

#[test]
fn a_camera_override_is_used_and_changes_the_version() {
    let (name, text) = broken("camera.toml", "knee_valgus_deg = 10.0", "knee_valgus_deg = 11.5");
    let kb = Knowledge::with_overrides(&[(name, text)]).unwrap();
    assert_eq!(kb.camera().knee_valgus_deg, 11.5);
    assert_eq!(kb.camera().single_leg_knee_valgus_deg, 12.0, "only the changed value changes");
    assert_ne!(kb.version(), Knowledge::embedded().unwrap().version());
}

#[test]
fn camera_values_out_of_range_are_named_by_file_and_key() {
    for (from, to, key) in [
        ("min_visibility = 0.5", "min_visibility = 1.5", "measurement.min_visibility"),
        ("min_confidence = 0.4", "min_confidence = -0.1", "measurement.min_confidence"),
        ("min_rep_drop = 0.10", "min_rep_drop = 0.0", "measurement.min_rep_drop"),
        ("knee_valgus_deg = 10.0", "knee_valgus_deg = -5.0", "knee_valgus.knee_valgus_deg"),
        (
            "single_leg_knee_valgus_deg = 12.0",
            "single_leg_knee_valgus_deg = 95.0",
            "knee_valgus.single_leg_knee_valgus_deg",
        ),
        ("pelvis_drop_deg = 5.0", "pelvis_drop_deg = nan", "pelvis_drop.pelvis_drop_deg"),
        ("heel_lift_foot_lengths = 0.10", "heel_lift_foot_lengths = 2.0", "heel_lift.heel_lift_foot_lengths"),
        ("trunk_lean_excess_deg = 15.0", "trunk_lean_excess_deg = inf", "trunk_lean.trunk_lean_excess_deg"),
        ("depth_quarter_thigh_deg = -70.0", "depth_quarter_thigh_deg = -95.0", "depth.depth_quarter_thigh_deg"),
        ("feet_turn_out_deg = 30.0", "feet_turn_out_deg = 120.0", "feet_turn_out.feet_turn_out_deg"),
    ] {
        let errors = errors_of(&[broken("camera.toml", from, to)]);
        let e = expect_error(&errors, "camera.toml", key, "out of range");
        assert!(e.to_string().starts_with(&format!("camera.toml: {key}: ")), "{e}");
        assert_eq!(errors.len(), 1, "{to}: {errors:?}");
    }
}

#[test]
fn camera_depth_bands_out_of_order_are_an_error_naming_the_band() {
    let errors = errors_of(&[broken("camera.toml", "depth_half_thigh_deg = -45.0", "depth_half_thigh_deg = -5.0")]);
    let e =
        expect_error(&errors, "camera.toml", "depth.depth_half_thigh_deg", "must be below depth_parallel_thigh_deg");
    assert!(e.message.contains("full > parallel > half > quarter"), "{e}");
    // Equal bands are refused too: a thigh angle must fall in exactly one band.
    let errors =
        errors_of(&[broken("camera.toml", "depth_quarter_thigh_deg = -70.0", "depth_quarter_thigh_deg = -45.0")]);
    expect_error(&errors, "camera.toml", "depth.depth_quarter_thigh_deg", "must be below depth_half_thigh_deg (-45)");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn camera_citations_must_be_known_and_present() {
    let errors = errors_of(&[broken("camera.toml", "\"herrington2014\"", "\"herington2014\"")]);
    expect_error(&errors, "camera.toml", "knee_valgus.sources", "unknown citation key 'herington2014'");
    let errors =
        errors_of(&[broken("camera.toml", "sources = [\"ohsa_industry\", \"kneeroot_rule\"]", "sources = []")]);
    expect_error(&errors, "camera.toml", "feet_turn_out.sources", "cite at least one source");
}

#[test]
fn camera_thresholds_need_their_reasoning() {
    let text = shipped("camera.toml");
    let start = text.find("[pelvis_drop]").expect("pelvis_drop table");
    let line_start = start + text[start..].find("rationale = ").expect("a rationale");
    let line_end = line_start + text[line_start..].find('\n').expect("end of line");
    let blanked = format!("{}rationale = \" \"{}", &text[..line_start], &text[line_end..]);
    let errors = errors_of(&[("camera.toml".into(), blanked)]);
    expect_error(&errors, "camera.toml", "pelvis_drop.rationale", "must not be empty");
}

#[test]
fn a_misspelt_or_missing_camera_threshold_is_an_error() {
    let errors = errors_of(&[broken("camera.toml", "pelvis_drop_deg = 5.0", "pelvis_dorp_deg = 5.0")]);
    expect_error(&errors, "camera.toml", "", "unknown field `pelvis_dorp_deg`");
    let errors = errors_of(&[broken("camera.toml", "min_rep_drop = 0.10", "# min_rep_drop removed")]);
    expect_error(&errors, "camera.toml", "", "missing field `min_rep_drop`");
}
