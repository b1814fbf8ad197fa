//! Golden assessments: whole answer files in `tests/golden/*.toml`, each with the exact JSON result it must
//! produce beside it (`*.json`).
//!
//! A snapshot alone would happily bless a wrong result, so every answers file also states, in `#!` comment
//! lines, what a clinician expects of it (triage level, reasons, top cause, presentations, plan
//! constraints); those expectations are checked first, independently of the snapshot. Regenerate the
//! snapshots after an intended change with `UPDATE_GOLDEN=1 cargo test -p kneeroot-core --test golden`,
//! then read the diff.

use std::path::{Path, PathBuf};

use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::knowledge::{Confidence, TriageLevel};
use kneeroot_core::{Answers, AssessmentResult, Knowledge, assess};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("golden folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn list(value: &str) -> Vec<&str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn check_expectations(name: &str, text: &str, kb: &Knowledge, r: &AssessmentResult) {
    let mut checked = 0;
    for line in text.lines().filter_map(|l| l.strip_prefix("#!")) {
        let (key, value) = line.split_once(':').map_or((line.trim(), ""), |(k, v)| (k.trim(), v.trim()));
        checked += 1;
        match key {
            "level" => assert_eq!(r.triage.level, TriageLevel::parse(value).expect("level"), "{name}: triage level"),
            "reasons" => {
                let ids: Vec<&str> = r.triage.reasons.iter().map(|x| x.id.as_str()).collect();
                for want in list(value) {
                    assert!(ids.contains(&want), "{name}: reason {want} missing from {ids:?}");
                }
            }
            "plan" => assert_eq!(r.plan.is_some(), value == "some", "{name}: plan presence"),
            "top" => assert_eq!(r.root_causes[0].id, value, "{name}: top cause ({:?})", scores(r)),
            "top_two" => {
                let top: Vec<&str> = r.root_causes[..2].iter().map(|c| c.id.as_str()).collect();
                for want in list(value) {
                    assert!(top.contains(&want), "{name}: {want} not in the top two ({:?})", scores(r));
                }
            }
            "presentation" => {
                let ids: Vec<&str> = r.presentations.iter().map(|p| p.id.as_str()).collect();
                assert!(ids.contains(&value), "{name}: presentation {value} missing from {ids:?}");
            }
            "drivers" => {
                let (cause, drivers) = value.split_once('=').expect("cause = drivers");
                let c = r.root_causes.iter().find(|c| c.id == cause.trim()).expect("cause");
                for want in list(drivers) {
                    assert!(c.drivers.iter().any(|d| d == want), "{name}: driver {want} missing from {:?}", c.drivers);
                }
            }
            "confidence_at_most" => {
                let (cause, level) = value.split_once('=').expect("cause = level");
                let c = r.root_causes.iter().find(|c| c.id == cause.trim()).expect("cause");
                assert!(
                    c.confidence <= Confidence::parse(level.trim()).expect("level"),
                    "{name}: {cause} too confident"
                );
            }
            "all_confidence" => {
                let want = Confidence::parse(value).expect("level");
                assert!(r.root_causes.iter().all(|c| c.confidence == want), "{name}: confidence");
            }
            "missing_includes" => {
                for want in list(value) {
                    assert!(r.missing.iter().any(|m| m == want), "{name}: {want} not in missing {:?}", r.missing);
                }
            }
            "missing_first" => assert_eq!(r.missing.first().map(String::as_str), Some(value), "{name}: missing"),
            "pain_rule_first" => {
                let plan = r.plan.as_ref().expect("plan");
                assert_eq!(plan.pain_rules[0].id, value, "{name}: first pain rule");
            }
            "plan_only_safe_until_seen" | "plan_no_floor" | "plan_equipment_within" | "plan_includes" => {
                let plan = r.plan.as_ref().expect("plan");
                let exercises: Vec<_> = plan
                    .steps
                    .iter()
                    .flat_map(|s| &s.exercises)
                    .map(|e| kb.exercise(&e.id).expect("exercise in the knowledge base"))
                    .collect();
                assert!(!exercises.is_empty(), "{name}: empty plan");
                match key {
                    "plan_only_safe_until_seen" => {
                        assert!(exercises.iter().all(|e| e.safe_until_seen), "{name}: unsafe exercise while waiting");
                    }
                    "plan_no_floor" => assert!(exercises.iter().all(|e| !e.floor), "{name}: floor exercise"),
                    "plan_equipment_within" => {
                        let allowed = list(value);
                        assert!(
                            exercises.iter().all(|e| e.equipment.iter().all(|x| allowed.contains(&x.as_str()))),
                            "{name}: equipment outside {allowed:?}"
                        );
                    }
                    _ => assert!(exercises.iter().any(|e| e.id == value), "{name}: {value} not in the plan"),
                }
            }
            other => panic!("{name}: unknown expectation '{other}'"),
        }
    }
    assert!(checked > 0, "{name}: states no expectations");
}

fn scores(r: &AssessmentResult) -> Vec<(String, f64)> {
    r.root_causes.iter().map(|c| (c.id.clone(), c.score)).collect()
}

#[test]
fn every_golden_assessment_meets_its_expectations_and_matches_its_snapshot() {
    let kb = Knowledge::embedded().expect("shipped knowledge is valid");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let files = cases();
    assert!(files.len() >= 12, "at least 12 golden assessments");
    let mut stale = Vec::new();
    for path in files {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("read");
        let answers = Answers::parse_document(&kb, &text, DocumentFormat::Toml)
            .unwrap_or_else(|e| panic!("{name}: invalid answers:\n{e}"));
        let result = assess(&kb, &answers);
        check_expectations(&name, &text, &kb, &result);
        // The knowledge version changes with every edit of the knowledge base; snapshots pin the logic.
        let mut json = serde_json::to_value(&result).expect("json");
        json["knowledge_version"] = serde_json::Value::String("(any)".into());
        let actual = serde_json::to_string_pretty(&json).expect("json") + "\n";
        let snapshot = path.with_extension("json");
        if update {
            std::fs::write(&snapshot, &actual).expect("write snapshot");
        } else if std::fs::read_to_string(&snapshot).ok().as_deref() != Some(actual.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "results differ from their snapshots (UPDATE_GOLDEN=1 to accept, then review): {stale:?}"
    );
}
