//! Property tests: whatever answers arrive, the engine never panics, is deterministic, never plans at
//! `emergency`/`urgent`, always reports all four causes, keeps scores in [0, 1], and respects the
//! person's plan preferences. Answer maps are generated from the knowledge base itself: a random subset of
//! questions, each with a value that is usually of the right type and range and sometimes garbage.

use std::collections::BTreeSet;

use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::condition::Expr;
use kneeroot_core::knowledge::{CAUSE_IDS, QuestionKind};
use kneeroot_core::{Answers, Knowledge, assess};
use proptest::prelude::*;
use serde_json::{Map, Value as Json, json};

fn kb() -> &'static Knowledge {
    use std::sync::OnceLock;
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("shipped knowledge is valid"))
}

/// A value for question `i` of the right type; in range when `in_range`, else sometimes just outside.
fn value_for(i: usize, pick: u32, real: f64, in_range: bool) -> Json {
    let q = &kb().questions()[i];
    let options: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
    match &q.kind {
        QuestionKind::Bool => json!(pick.is_multiple_of(2)),
        QuestionKind::Int { min, max } if in_range => {
            json!(min + ((real * (max - min + 1) as f64) as i64).min(max - min))
        }
        QuestionKind::Int { min, max } => json!(min - 1 + (real * (max - min + 3) as f64) as i64),
        QuestionKind::Number { min, max } if in_range => json!(min + real * (max - min)),
        QuestionKind::Number { min, max } => json!(min + real * (max - min) * 1.05),
        QuestionKind::Enum => json!(options[pick as usize % options.len()]),
        QuestionKind::List => {
            let chosen: Vec<&str> =
                options.iter().enumerate().filter(|(k, _)| pick >> (*k % 31) & 1 == 1).map(|(_, o)| *o).collect();
            json!(chosen)
        }
        QuestionKind::Side => json!(["none", "left", "right", "both"][pick as usize % 4]),
    }
}

fn garbage() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        "[a-z_]{0,12}".prop_map(Json::String),
        Just(json!(["front", 3, null])),
        Just(json!({"nested": true})),
    ]
}

/// Maps that are valid answers (every value of the right type and in range).
fn valid_answers() -> impl Strategy<Value = Map<String, Json>> {
    let n = kb().questions().len();
    prop::collection::vec((0..n, any::<u32>(), 0.0f64..1.0), 0..n).prop_map(|entries| {
        entries
            .into_iter()
            .map(|(i, pick, real)| (kb().questions()[i].id.clone(), value_for(i, pick, real, true)))
            .collect()
    })
}

/// Maps of anything: out-of-range values, wrong types, unknown ids.
fn any_answers() -> impl Strategy<Value = Map<String, Json>> {
    let n = kb().questions().len();
    let entry = (0..n, any::<u32>(), 0.0f64..1.0, prop::bool::weighted(0.2), garbage());
    (prop::collection::vec(entry, 0..n), prop::option::of("[a-z.]{1,20}")).prop_map(|(entries, unknown)| {
        let mut map = Map::new();
        for (i, pick, real, bad, junk) in entries {
            let v = if bad { junk } else { value_for(i, pick, real, false) };
            map.insert(kb().questions()[i].id.clone(), v);
        }
        if let Some(id) = unknown {
            map.insert(id, json!(1));
        }
        map
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn valid_answers_give_a_safe_well_formed_deterministic_result(map in valid_answers()) {
        let kb = kb();
        let answers = Answers::from_json_map(kb, &map).expect("generated answers are valid");
        let first = assess(kb, &answers);
        let second = assess(kb, &answers);
        prop_assert_eq!(first.to_json_pretty(), second.to_json_pretty());

        prop_assert_eq!(first.plan.is_some(), first.triage.level.allows_plan());
        let ids: BTreeSet<&str> = first.root_causes.iter().map(|c| c.id.as_str()).collect();
        prop_assert_eq!(ids, CAUSE_IDS.iter().copied().collect::<BTreeSet<_>>());
        for pair in first.root_causes.windows(2) {
            prop_assert!(pair[0].score >= pair[1].score);
        }
        for c in &first.root_causes {
            prop_assert!((0.0..=1.0).contains(&c.score));
        }
        for p in &first.presentations {
            prop_assert!((0.0..=1.0).contains(&p.score));
        }
        for m in &first.missing {
            prop_assert!(answers.get(kb, m).is_none(), "missing lists an answered id {}", m);
        }
        if let Some(plan) = &first.plan {
            prop_assert!((8..=12).contains(&plan.weeks));
            let floor_ok = answers.get(kb, "prefs.floor_ok") != Some(&kneeroot_core::answers::Value::Bool(false));
            let equipment = match answers.get(kb, "prefs.equipment") {
                Some(kneeroot_core::answers::Value::List(items)) => items.clone(),
                _ => kb.plan_settings().default_equipment.clone(),
            };
            for step in &plan.steps {
                for e in &step.exercises {
                    let x = kb.exercise(&e.id).expect("planned exercise exists");
                    prop_assert!(floor_ok || !x.floor, "floor exercise {} for someone who cannot get down", x.id);
                    prop_assert!(x.equipment.iter().all(|k| equipment.contains(k)), "{} needs missing equipment", x.id);
                    if first.triage.level == kneeroot_core::knowledge::TriageLevel::Soon {
                        prop_assert!(x.safe_until_seen);
                    }
                }
            }
        }
    }

    #[test]
    fn any_answer_map_is_either_accepted_or_rejected_with_named_errors(map in any_answers()) {
        match Answers::from_json_map(kb(), &map) {
            Ok(answers) => {
                let _ = assess(kb(), &answers);
            }
            Err(errors) => {
                prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    // Nested objects are flattened, so `{"age": {"x": 1}}` is reported as `age.x`.
                    let given = map.keys().any(|k| e.id == *k || e.id.starts_with(&format!("{k}.")));
                    prop_assert!(given, "error names an id that was not given: {}", e.id);
                }
            }
        }
    }

    #[test]
    fn the_answers_parser_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = Answers::parse_document(kb(), &text, DocumentFormat::Json);
        let _ = Answers::parse_document(kb(), &text, DocumentFormat::Toml);
    }

    #[test]
    fn the_condition_parser_never_panics(src in "[a-z_.!&|()<>=' 0-9]{0,60}") {
        let _ = Expr::parse(&src, kb().vars());
    }

    #[test]
    fn the_knowledge_loader_never_panics_on_a_damaged_file(file in 0usize..11, at in 0.0f64..1.0, junk in "\\PC{0,12}") {
        let (name, text) = Knowledge::embedded_files()[file];
        let mut cut = ((text.len() as f64) * at) as usize;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let damaged = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        let _ = Knowledge::with_overrides(&[(name.to_owned(), damaged)]);
    }
}

// ------------------------------------------------------------------------------------------------
// Documents as files: answers documents in both formats, and damaged knowledge-base files. Whatever
// the text, the result is a value or errors that say where: the answer id, or the file and the key (or
// the line, for text that is not TOML at all). Never a panic.
// ------------------------------------------------------------------------------------------------

/// `v` as TOML, dropping what TOML cannot say (null, also inside arrays).
fn to_toml(v: &Json) -> Option<toml::Value> {
    Some(match v {
        Json::Null => return None,
        Json::Bool(b) => toml::Value::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Json::String(s) => toml::Value::String(s.clone()),
        Json::Array(items) => toml::Value::Array(items.iter().filter_map(to_toml).collect()),
        Json::Object(map) => {
            toml::Value::Table(map.iter().filter_map(|(k, v)| Some((k.clone(), to_toml(v)?))).collect())
        }
    })
}

/// The document `map` as JSON text and as TOML text.
fn documents(map: &Map<String, Json>) -> [(DocumentFormat, String); 2] {
    let table: toml::Table = map.iter().filter_map(|(k, v)| Some((k.clone(), to_toml(v)?))).collect();
    [
        (DocumentFormat::Json, Json::Object(map.clone()).to_string()),
        (DocumentFormat::Toml, toml::to_string(&table).expect("a table renders as TOML")),
    ]
}

/// The names of the knowledge files.
fn kb_file_names() -> Vec<&'static str> {
    Knowledge::embedded_files().iter().map(|(name, _)| *name).collect()
}

/// How to damage a knowledge file.
#[derive(Debug, Clone)]
enum Damage {
    /// Insert text at a point (anywhere: inside a string, a key, a table header).
    Insert(f64, String),
    /// Cut a stretch out.
    Cut(f64, f64),
    /// Give the value of the n-th `key = value` line another type.
    Retype(usize, &'static str),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (0.0f64..1.0, "\\PC{0,12}").prop_map(|(at, junk)| Damage::Insert(at, junk)),
        (0.0f64..1.0, 0.0f64..0.05).prop_map(|(at, len)| Damage::Cut(at, len)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "12",
                "-1",
                "1.5e300",
                "true",
                "\"text\"",
                "[]",
                "[1, \"a\"]",
                "{}",
                "{ x = 1 }"
            ])
        )
            .prop_map(|(n, v)| Damage::Retype(n, v)),
    ]
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn damaged(text: &str, how: &Damage) -> String {
    match how {
        Damage::Insert(at, junk) => {
            let cut = boundary(text, (text.len() as f64 * at) as usize);
            format!("{}{junk}{}", &text[..cut], &text[cut..])
        }
        Damage::Cut(at, len) => {
            let from = boundary(text, (text.len() as f64 * at) as usize);
            let to = boundary(text, from + (text.len() as f64 * len) as usize);
            format!("{}{}", &text[..from], &text[to..])
        }
        Damage::Retype(n, value) => {
            let assignments: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains(" = "))
                .map(|(i, _)| i)
                .collect();
            let Some(target) = (!assignments.is_empty()).then(|| assignments[n % assignments.len()]) else {
                return text.to_owned();
            };
            text.lines()
                .enumerate()
                .map(|(i, l)| match l.split_once(" = ") {
                    Some((key, _)) if i == target => format!("{key} = {value}"),
                    _ => l.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn an_answers_document_in_either_format_is_answers_or_errors_naming_the_ids_given(map in any_answers()) {
        for (format, text) in documents(&map) {
            match Answers::parse_document(kb(), &text, format) {
                Ok(answers) => {
                    let _ = assess(kb(), &answers);
                }
                Err(errors) => {
                    prop_assert!(!errors.0.is_empty());
                    for e in &errors.0 {
                        // The text is a well-formed document: every error is about an answer it gave.
                        let given = map.keys().any(|k| e.id == *k || e.id.starts_with(&format!("{k}.")));
                        prop_assert!(given, "{format:?}: an error about {:?}, which was not given: {e}", e.id);
                        prop_assert!(e.to_string().contains(&e.id), "{e}");
                    }
                }
            }
        }
    }

    #[test]
    fn valid_answers_read_the_same_from_json_and_toml_documents(map in valid_answers()) {
        let expected = Answers::from_json_map(kb(), &map).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (format, text) in documents(&map) {
            let read = Answers::parse_document(kb(), &text, format).map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
            let (got, want) = (read.to_json(kb()), expected.to_json(kb()));
            prop_assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{:?}", format);
            for (id, v) in &got {
                // serde_json (without its `float_roundtrip` feature) may read a long decimal back one unit
                // in the last place off; nobody types 17 significant digits, so that is the same answer.
                let same = match (v.as_f64(), want[id].as_f64()) {
                    (Some(a), Some(b)) if v.is_f64() || want[id].is_f64() => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    _ => *v == want[id],
                };
                prop_assert!(same, "{:?}: {} read as {}, not {}", format, id, v, want[id]);
            }
        }
    }

    #[test]
    fn text_that_is_no_document_is_refused_saying_so(text in "\\PC{0,120}") {
        for format in [DocumentFormat::Json, DocumentFormat::Toml] {
            if let Err(errors) = Answers::parse_document(kb(), &text, format) {
                let said = errors.to_string();
                prop_assert!(!said.trim().is_empty());
                if errors.0.iter().any(|e| e.id.is_empty()) {
                    let why = ["not valid JSON", "not valid TOML", "the answers must be an object"];
                    prop_assert!(why.iter().any(|w| said.contains(w)), "{format:?}: {said}");
                }
            }
        }
    }

    #[test]
    fn a_damaged_knowledge_file_loads_or_is_reported_by_file_and_key_or_line(
        file in any::<prop::sample::Index>(),
        how in damage(),
    ) {
        let (name, text) = Knowledge::embedded_files()[file.index(Knowledge::embedded_files().len())];
        let broken = damaged(text, &how);
        let Err(errors) = Knowledge::with_overrides(&[(name.to_owned(), broken.clone())]) else { return Ok(()) };
        prop_assert!(!errors.0.is_empty());
        let names = kb_file_names();
        for e in &errors.0 {
            prop_assert!(names.contains(&e.file.as_str()), "an error about no file of the knowledge base: {e}");
            prop_assert!(!e.message.trim().is_empty(), "{e}");
            prop_assert!(!e.key.is_empty() || e.message.contains("line "), "{name} {how:?}: neither a key nor a line: {e}");
        }
        if toml::from_str::<toml::Table>(&broken).is_err() {
            prop_assert!(
                errors.0.iter().any(|e| e.file == name && e.message.contains("line ")),
                "{name} is no longer TOML, but no error names it with a line: {errors}"
            );
        }
    }
}
