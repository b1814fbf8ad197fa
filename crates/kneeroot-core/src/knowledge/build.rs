//! Turning the raw files into a validated [`Knowledge`], collecting every problem with file and key.
//!
//! The checks are those a clinician editing the files needs: syntax and unknown keys (serde), duplicate
//! ids, dangling references (citation keys, question groups, causes, drivers, presentations, exercises),
//! conditions that do not parse or do not fit the question's type, weights and settings out of range, and
//! exercises that no plan can ever reach.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::error::{KbErrors, Problems};
use super::model::*;
use super::raw::*;
use super::vars::Vars;
use super::{KeyQuestions, Knowledge};
use crate::condition::{Expr, VarKind};

/// The causes every result reports, in the contract's vocabulary.
pub const CAUSE_IDS: [&str; 4] = ["hip", "ankle", "lower_back", "knee_local"];

/// The presentations the result contract names.
pub const PRESENTATION_IDS: [&str; 9] = [
    "patellofemoral_pain",
    "itb_syndrome",
    "patellar_tendinopathy",
    "fat_pad_irritation",
    "knee_osteoarthritis",
    "meniscal",
    "ligament_instability",
    "referred_from_hip",
    "referred_from_back",
];

/// The file names a knowledge base consists of.
pub const FILE_NAMES: [&str; 11] = [
    "sources.toml",
    "questions.toml",
    "red_flags.toml",
    "causes.toml",
    "evidence.toml",
    "exercises.toml",
    "plan.toml",
    "faq.toml",
    "progression.toml",
    "caseload.toml",
    "camera.toml",
];

fn parse_file<T: DeserializeOwned>(files: &BTreeMap<&str, &str>, name: &str, problems: &mut Problems) -> Option<T> {
    let Some(text) = files.get(name) else {
        problems.add(name, "", "the file is missing");
        return None;
    };
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            // toml's message already says the line, column and the offending key.
            problems.add(name, "", e.message().to_owned() + &location(text, e.span()));
            None
        }
    }
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

struct Ctx<'a> {
    problems: &'a mut Problems,
    sources: BTreeSet<String>,
}

impl Ctx<'_> {
    fn cite(&mut self, file: &str, key: &str, source: &str) {
        if !self.sources.contains(source) {
            self.problems.add(file, key, format!("unknown citation key '{source}' (add it to sources.toml)"));
        }
    }

    fn unique<'s>(&mut self, file: &str, what: &str, ids: impl Iterator<Item = &'s str>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if id.is_empty() {
                self.problems.add(file, what, "an id is empty");
            } else if !seen.insert(id) {
                self.problems.add(file, format!("{what}.{id}"), "this id is used twice");
            }
        }
    }

    fn range(&mut self, file: &str, key: String, value: f64, min: f64, max: f64) {
        if !(value.is_finite() && value >= min && value <= max) {
            self.problems.add(file, key, format!("{value} is out of range (allowed {min} to {max})"));
        }
    }

    fn text(&mut self, file: &str, key: String, value: &str) {
        if value.trim().is_empty() {
            self.problems.add(file, key, "must not be empty");
        }
    }
}

/// Build a knowledge base from the complete set of files.
pub(super) fn build(files: &BTreeMap<&str, &str>) -> Result<Knowledge, KbErrors> {
    let mut problems = Problems::default();
    for name in files.keys() {
        if !FILE_NAMES.contains(name) {
            problems.add(name, "", format!("not a knowledge-base file (expected one of: {})", FILE_NAMES.join(", ")));
        }
    }
    let sources: Option<SourcesFile> = parse_file(files, "sources.toml", &mut problems);
    let questions: Option<QuestionsFile> = parse_file(files, "questions.toml", &mut problems);
    let red_flags: Option<RedFlagsFile> = parse_file(files, "red_flags.toml", &mut problems);
    let causes: Option<CausesFile> = parse_file(files, "causes.toml", &mut problems);
    let evidence: Option<EvidenceFile> = parse_file(files, "evidence.toml", &mut problems);
    let exercises: Option<ExercisesFile> = parse_file(files, "exercises.toml", &mut problems);
    let plan: Option<PlanFile> = parse_file(files, "plan.toml", &mut problems);
    let faq: Option<FaqFile> = parse_file(files, "faq.toml", &mut problems);
    let progression: Option<ProgressionFile> = parse_file(files, "progression.toml", &mut problems);
    let caseload: Option<CaseloadFile> = parse_file(files, "caseload.toml", &mut problems);
    let camera: Option<CameraFile> = parse_file(files, "camera.toml", &mut problems);
    let (
        Some(sources),
        Some(questions),
        Some(red_flags),
        Some(causes),
        Some(evidence),
        Some(exercises),
        Some(plan),
        Some(faq),
        Some(progression),
        Some(caseload),
        Some(camera),
    ) = (sources, questions, red_flags, causes, evidence, exercises, plan, faq, progression, caseload, camera)
    else {
        return Err(KbErrors(problems.0));
    };

    let mut ctx = Ctx { problems: &mut problems, sources: BTreeSet::new() };
    let sources = build_sources(&mut ctx, sources);
    let (groups, mut question_list) = build_question_shapes(&mut ctx, questions.group, &questions.question);
    let kinds: Vec<(String, VarKind)> = question_list.iter().map(|q| (q.id.clone(), var_kind(q))).collect();
    let vars = Vars::new(&kinds);
    parse_ask_when(&mut ctx, &vars, &questions.question, &mut question_list);
    let keys = key_questions(&mut ctx, &question_list);
    let (ottawa, pittsburgh, rules) = build_red_flags(&mut ctx, &vars, red_flags);
    let (inference, cause_list, presentations) = build_causes(&mut ctx, causes);
    let links = build_links(&mut ctx, &vars, &cause_list, &presentations, evidence.link);
    let equipment: Vec<String> = question_list
        .iter()
        .find(|q| q.id == "prefs.equipment")
        .map(|q| q.options.iter().map(|o| o.value.clone()).collect())
        .unwrap_or_default();
    let exercise_list = build_exercises(&mut ctx, &cause_list, &presentations, &equipment, exercises.exercise);
    let (plan_settings, pain_rules) = build_plan(&mut ctx, &equipment, plan);
    let faqs = build_faq(&mut ctx, faq.faq);
    let progression = build_progression(&mut ctx, progression);
    let caseload = build_caseload(&mut ctx, caseload);
    let camera = build_camera(&mut ctx, camera);

    if !problems.0.is_empty() {
        return Err(KbErrors(problems.0));
    }
    let version = version_of(files);
    let question_index = question_list.iter().enumerate().map(|(i, q)| (q.id.clone(), i)).collect();
    Ok(Knowledge {
        version,
        sources,
        groups,
        questions: question_list,
        question_index,
        vars,
        keys: keys.unwrap_or_default(),
        ottawa,
        pittsburgh,
        rules,
        inference,
        causes: cause_list,
        presentations,
        links,
        exercises: exercise_list,
        plan: plan_settings,
        pain_rules,
        faq: faqs,
        progression,
        caseload,
        camera,
    })
}

fn version_of(files: &BTreeMap<&str, &str>) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in files {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn build_sources(ctx: &mut Ctx<'_>, file: SourcesFile) -> Vec<Source> {
    ctx.unique("sources.toml", "source", file.source.iter().map(|s| s.key.as_str()));
    let mut out = Vec::new();
    for s in file.source {
        ctx.text("sources.toml", format!("source.{}.citation", s.key), &s.citation);
        ctx.sources.insert(s.key.clone());
        out.push(Source { key: s.key, citation: s.citation, url: s.url });
    }
    out
}

fn var_kind(q: &Question) -> VarKind {
    let values = || q.options.iter().map(|o| o.value.clone()).collect();
    match q.kind {
        QuestionKind::Bool => VarKind::Bool,
        QuestionKind::Int { .. } => VarKind::Int,
        QuestionKind::Number { .. } => VarKind::Number,
        QuestionKind::Enum => VarKind::Enum(values()),
        QuestionKind::List => VarKind::List(values()),
        QuestionKind::Side => VarKind::Side,
    }
}

fn build_question_shapes(
    ctx: &mut Ctx<'_>,
    raw_groups: Vec<RawGroup>,
    raw: &[RawQuestion],
) -> (Vec<Group>, Vec<Question>) {
    const F: &str = "questions.toml";
    ctx.unique(F, "group", raw_groups.iter().map(|g| g.id.as_str()));
    ctx.unique(F, "question", raw.iter().map(|q| q.id.as_str()));
    let groups: Vec<Group> =
        raw_groups.into_iter().map(|g| Group { id: g.id, title: g.title, intro: g.intro }).collect();
    let mut out = Vec::new();
    for q in raw {
        let key = format!("question.{}", q.id);
        if !groups.iter().any(|g| g.id == q.group) {
            ctx.problems.add(F, format!("{key}.group"), format!("unknown group '{}'", q.group));
        }
        ctx.text(F, format!("{key}.text"), &q.text);
        let kind = match q.kind.as_str() {
            "bool" => QuestionKind::Bool,
            "enum" => QuestionKind::Enum,
            "list" => QuestionKind::List,
            "side" => QuestionKind::Side,
            "int" | "number" => match (q.min, q.max) {
                (Some(min), Some(max)) if min <= max => {
                    if q.kind == "int" {
                        if min.fract() != 0.0 || max.fract() != 0.0 {
                            ctx.problems.add(F, format!("{key}.min"), "an int question needs whole-number min and max");
                        }
                        // Whole numbers checked above; the ranges are small.
                        QuestionKind::Int { min: min as i64, max: max as i64 }
                    } else {
                        QuestionKind::Number { min, max }
                    }
                }
                _ => {
                    ctx.problems.add(F, format!("{key}.min"), "int and number questions need min <= max");
                    QuestionKind::Number { min: 0.0, max: 0.0 }
                }
            },
            other => {
                ctx.problems.add(
                    F,
                    format!("{key}.type"),
                    format!("unknown type '{other}' (allowed: bool, int, number, enum, list, side)"),
                );
                QuestionKind::Bool
            }
        };
        let wants_options = matches!(kind, QuestionKind::Enum | QuestionKind::List);
        if wants_options && q.options.is_empty() {
            ctx.problems.add(F, format!("{key}.options"), "enum and list questions need options");
        }
        if !wants_options && !q.options.is_empty() {
            ctx.problems.add(F, format!("{key}.options"), format!("a {} question takes no options", q.kind));
        }
        if !matches!(kind, QuestionKind::Int { .. } | QuestionKind::Number { .. })
            && (q.min.is_some() || q.max.is_some())
        {
            ctx.problems.add(F, format!("{key}.min"), format!("a {} question takes no min/max", q.kind));
        }
        ctx.unique(F, &format!("{key}.options"), q.options.iter().map(|o| o.value.as_str()));
        out.push(Question {
            id: q.id.clone(),
            group: q.group.clone(),
            kind,
            unit: q.unit.clone(),
            text: q.text.clone(),
            help: q.help.clone(),
            ask_when: None,
            ask_when_source: q.ask_when.clone(),
            options: q.options.iter().map(|o| Choice { value: o.value.clone(), label: o.label.clone() }).collect(),
        });
    }
    (groups, out)
}

fn parse_ask_when(ctx: &mut Ctx<'_>, vars: &Vars, raw: &[RawQuestion], questions: &mut [Question]) {
    for (q, out) in raw.iter().zip(questions.iter_mut()) {
        if let Some(src) = &q.ask_when {
            match Expr::parse(src, vars) {
                Ok(e) => out.ask_when = Some(e),
                Err(e) => ctx.problems.add("questions.toml", format!("question.{}.ask_when", q.id), e.to_string()),
            }
        }
    }
}

fn key_questions(ctx: &mut Ctx<'_>, questions: &[Question]) -> Option<KeyQuestions> {
    let mut missing = Vec::new();
    let mut find = |id: &'static str| {
        let found = questions.iter().position(|q| q.id == id);
        if found.is_none() {
            missing.push(id);
        }
        found.unwrap_or(0)
    };
    let keys = KeyQuestions {
        age: find("age"),
        onset: find("pain.onset"),
        days_ago: find("injury.days_ago"),
        mechanism: find("injury.mechanism"),
        tender_kneecap_only: find("injury.tender_kneecap_only"),
        tender_fibula_head: find("injury.tender_fibula_head"),
        tender_other_bone: find("injury.tender_other_bone"),
        can_bend_90: find("injury.can_bend_90"),
        walked_right_after: find("injury.walked_4_steps_right_after"),
        can_walk_now: find("injury.can_walk_4_steps_now"),
        deformity: find("injury.deformity"),
        knee_replacement: find("injury.knee_replacement"),
        previous_surgery: find("history.previous_knee_surgery"),
        knee_to_wall_left: find("ankle.knee_to_wall_left_cm"),
        knee_to_wall_right: find("ankle.knee_to_wall_right_cm"),
        minutes_per_day: find("prefs.minutes_per_day"),
        days_per_week: find("prefs.days_per_week"),
        equipment: find("prefs.equipment"),
        floor_ok: find("prefs.floor_ok"),
        pain_now: find("pain.now"),
        worst_week: find("pain.worst_week"),
        duration_weeks: find("pain.duration_weeks"),
    };
    for id in &missing {
        ctx.problems.add(
            "questions.toml",
            format!("question.{id}"),
            "this question is required by the engine (decision rules or plan)",
        );
    }
    missing.is_empty().then_some(keys)
}

fn build_red_flags(
    ctx: &mut Ctx<'_>,
    vars: &Vars,
    file: RedFlagsFile,
) -> (OttawaParams, PittsburghParams, Vec<RedFlagRule>) {
    const F: &str = "red_flags.toml";
    let o = file.ottawa;
    ctx.cite(F, "ottawa.source", &o.source);
    ctx.range(F, "ottawa.min_age".into(), o.min_age as f64, 0.0, 18.0);
    ctx.range(F, "ottawa.age_criterion".into(), o.age_criterion as f64, 18.0, 110.0);
    ctx.range(F, "ottawa.window_days".into(), o.window_days, 1.0, 30.0);
    let p = file.pittsburgh;
    ctx.cite(F, "pittsburgh.source", &p.source);
    ctx.range(F, "pittsburgh.younger_than".into(), p.younger_than as f64, 0.0, 18.0);
    ctx.range(F, "pittsburgh.older_than".into(), p.older_than as f64, 18.0, 110.0);
    ctx.range(F, "pittsburgh.window_days".into(), p.window_days, 1.0, 30.0);
    ctx.unique(F, "rule", file.rule.iter().map(|r| r.id.as_str()));
    let mut rules = Vec::new();
    for r in file.rule {
        let key = format!("rule.{}", r.id);
        ctx.cite(F, &format!("{key}.source"), &r.source);
        ctx.text(F, format!("{key}.text"), &r.text);
        ctx.text(F, format!("{key}.action"), &r.action);
        let level = TriageLevel::parse(&r.level).filter(|l| *l > TriageLevel::SelfCare);
        if level.is_none() {
            ctx.problems.add(
                F,
                format!("{key}.level"),
                format!("unknown level '{}' (allowed: emergency, urgent, soon)", r.level),
            );
        }
        let when =
            Expr::parse(&r.when, vars).map_err(|e| ctx.problems.add(F, format!("{key}.when"), e.to_string())).ok();
        if let (Some(level), Some(when)) = (level, when) {
            rules.push(RedFlagRule { id: r.id, level, when, text: r.text, action: r.action, source: r.source });
        }
    }
    let ottawa = OttawaParams {
        min_age: o.min_age,
        age_criterion: o.age_criterion,
        window_days: o.window_days,
        source: o.source,
    };
    let pittsburgh = PittsburghParams {
        younger_than: p.younger_than,
        older_than: p.older_than,
        window_days: p.window_days,
        source: p.source,
    };
    (ottawa, pittsburgh, rules)
}

fn build_causes(ctx: &mut Ctx<'_>, file: CausesFile) -> (InferenceSettings, Vec<Cause>, Vec<Presentation>) {
    const F: &str = "causes.toml";
    let i = file.inference;
    for (name, v) in [
        ("presentation_min_score", i.presentation_min_score),
        ("high_coverage", i.high_coverage),
        ("moderate_coverage", i.moderate_coverage),
    ] {
        ctx.range(F, format!("inference.{name}"), v, 0.0, 1.0);
    }
    for (name, v) in [
        ("driver_min_weight", i.driver_min_weight),
        ("high_strength", i.high_strength),
        ("moderate_strength", i.moderate_strength),
        ("red_flag_missing_weight", i.red_flag_missing_weight),
    ] {
        ctx.range(F, format!("inference.{name}"), v, 0.0, 20.0);
    }
    ctx.range(F, "inference.missing_max".into(), i.missing_max as f64, 1.0, 50.0);
    let inference = InferenceSettings {
        presentation_min_score: i.presentation_min_score,
        missing_max: i.missing_max,
        driver_min_weight: i.driver_min_weight,
        high_coverage: i.high_coverage,
        high_strength: i.high_strength,
        moderate_coverage: i.moderate_coverage,
        moderate_strength: i.moderate_strength,
        red_flag_missing_weight: i.red_flag_missing_weight,
    };
    ctx.unique(F, "cause", file.cause.iter().map(|c| c.id.as_str()));
    for id in CAUSE_IDS {
        if !file.cause.iter().any(|c| c.id == id) {
            ctx.problems.add(F, format!("cause.{id}"), "every result reports this cause: it must be defined");
        }
    }
    let mut causes = Vec::new();
    for c in file.cause {
        let key = format!("cause.{}", c.id);
        if !CAUSE_IDS.contains(&c.id.as_str()) {
            ctx.problems.add(F, &key, format!("unknown cause (the result contract allows: {})", CAUSE_IDS.join(", ")));
        }
        ctx.range(F, format!("{key}.prior"), c.prior, 0.01, 0.99);
        ctx.cite(F, &format!("{key}.source"), &c.source);
        ctx.text(F, format!("{key}.summary"), &c.summary);
        ctx.text(F, format!("{key}.evidence_statement"), &c.evidence_statement);
        ctx.unique(F, &format!("{key}.driver"), c.driver.iter().map(|d| d.id.as_str()));
        let max_confidence = Confidence::parse(&c.max_confidence).unwrap_or_else(|| {
            ctx.problems.add(F, format!("{key}.max_confidence"), "allowed: low, moderate, high");
            Confidence::Low
        });
        causes.push(Cause {
            id: c.id,
            name: c.name,
            prior: c.prior,
            max_confidence,
            summary: c.summary,
            evidence_statement: c.evidence_statement,
            source: c.source,
            drivers: c.driver.into_iter().map(|d| Driver { id: d.id, name: d.name }).collect(),
        });
    }
    // Keep the contract's order regardless of file order, so output never depends on editing order.
    causes.sort_by_key(|c| CAUSE_IDS.iter().position(|id| *id == c.id).unwrap_or(usize::MAX));
    ctx.unique(F, "presentation", file.presentation.iter().map(|p| p.id.as_str()));
    for id in PRESENTATION_IDS {
        if !file.presentation.iter().any(|p| p.id == id) {
            ctx.problems.add(
                F,
                format!("presentation.{id}"),
                "the result contract names this presentation: it must be defined",
            );
        }
    }
    let mut presentations = Vec::new();
    for p in file.presentation {
        let key = format!("presentation.{}", p.id);
        ctx.range(F, format!("{key}.prior"), p.prior, 0.01, 0.99);
        ctx.cite(F, &format!("{key}.source"), &p.source);
        ctx.text(F, format!("{key}.description"), &p.description);
        presentations.push(Presentation {
            id: p.id,
            name: p.name,
            prior: p.prior,
            description: p.description,
            source: p.source,
        });
    }
    (inference, causes, presentations)
}

fn build_links(
    ctx: &mut Ctx<'_>,
    vars: &Vars,
    causes: &[Cause],
    presentations: &[Presentation],
    raw: Vec<RawLink>,
) -> Vec<Link> {
    use crate::condition::VarTable;
    const F: &str = "evidence.toml";
    ctx.unique(F, "link", raw.iter().map(|l| l.id.as_str()));
    let mut links = Vec::new();
    for l in raw {
        let key = format!("link.{}", l.id);
        ctx.cite(F, &format!("{key}.source"), &l.source);
        ctx.text(F, format!("{key}.explanation"), &l.explanation);
        ctx.range(F, format!("{key}.weight"), l.weight, -4.0, 4.0);
        if l.weight == 0.0 {
            ctx.problems.add(
                F,
                format!("{key}.weight"),
                "a weight of 0 moves nothing: remove the link or give it a weight",
            );
        }
        let grade = Grade::parse(&l.grade).unwrap_or_else(|| {
            ctx.problems.add(
                F,
                format!("{key}.grade"),
                format!("unknown grade '{}' (allowed: strong, moderate, low, very_low)", l.grade),
            );
            Grade::VeryLow
        });
        let finding = vars.lookup(&l.finding).map(|(id, _)| id);
        if finding.is_none() {
            ctx.problems.add(F, format!("{key}.finding"), format!("unknown answer id '{}'", l.finding));
        }
        let when =
            Expr::parse(&l.when, vars).map_err(|e| ctx.problems.add(F, format!("{key}.when"), e.to_string())).ok();
        if let (Some(when), Some(finding)) = (&when, finding)
            && !when.vars().contains(&finding)
        {
            ctx.problems.add(F, format!("{key}.finding"), format!("the condition does not mention '{}'", l.finding));
        }
        let target = if let Some(i) = causes.iter().position(|c| c.id == l.target) {
            Some(Target::Cause(i))
        } else if let Some(i) = presentations.iter().position(|p| p.id == l.target) {
            Some(Target::Presentation(i))
        } else {
            ctx.problems.add(F, format!("{key}.target"), format!("unknown cause or presentation '{}'", l.target));
            None
        };
        let driver = match (&l.driver, target) {
            (None, _) => None,
            (Some(d), Some(Target::Cause(c))) => {
                let found = causes[c].drivers.iter().position(|x| &x.id == d);
                if found.is_none() {
                    ctx.problems.add(
                        F,
                        format!("{key}.driver"),
                        format!("'{d}' is not a driver of cause '{}'", causes[c].id),
                    );
                }
                found
            }
            (Some(_), _) => {
                ctx.problems.add(F, format!("{key}.driver"), "only links to a cause name a driver");
                None
            }
        };
        if let (Some(when), Some(target), Some(finding)) = (when, target, finding) {
            links.push(Link {
                id: l.id,
                finding,
                finding_name: l.finding,
                when,
                target,
                driver,
                weight: l.weight,
                grade,
                source: l.source,
                explanation: l.explanation,
            });
        }
    }
    links
}

fn build_exercises(
    ctx: &mut Ctx<'_>,
    causes: &[Cause],
    presentations: &[Presentation],
    equipment: &[String],
    raw: Vec<RawExercise>,
) -> Vec<Exercise> {
    const F: &str = "exercises.toml";
    ctx.unique(F, "exercise", raw.iter().map(|e| e.id.as_str()));
    let index: BTreeMap<&str, usize> = raw.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let mut out = Vec::new();
    for e in &raw {
        let key = format!("exercise.{}", e.id);
        if !(1..=3).contains(&e.step) {
            ctx.problems.add(F, format!("{key}.step"), format!("{} is not a step (allowed: 1, 2, 3)", e.step));
        }
        let mut targets = Vec::new();
        for t in &e.targets {
            match causes.iter().position(|c| &c.id == t) {
                Some(i) => targets.push(i),
                None => ctx.problems.add(F, format!("{key}.targets"), format!("unknown cause '{t}'")),
            }
        }
        if e.targets.is_empty() {
            ctx.problems.add(F, format!("{key}.targets"), "an exercise must target at least one cause");
        }
        for d in &e.drivers {
            if !targets.iter().any(|t| causes[*t].drivers.iter().any(|x| &x.id == d)) {
                ctx.problems.add(
                    F,
                    format!("{key}.drivers"),
                    format!("'{d}' is not a driver of any of this exercise's targets"),
                );
            }
        }
        for item in &e.equipment {
            if !equipment.contains(item) {
                ctx.problems.add(
                    F,
                    format!("{key}.equipment"),
                    format!("unknown equipment '{item}' (allowed: {})", equipment.join(", ")),
                );
            }
        }
        let mut suits = Vec::new();
        for s in &e.suits {
            match presentations.iter().position(|p| &p.id == s) {
                Some(i) => suits.push(i),
                None => ctx.problems.add(F, format!("{key}.suits"), format!("unknown presentation '{s}'")),
            }
        }
        for s in &e.sources {
            ctx.cite(F, &format!("{key}.sources"), s);
        }
        if e.sources.is_empty() {
            ctx.problems.add(F, format!("{key}.sources"), "cite at least one source");
        }
        ctx.range(F, format!("{key}.minutes"), f64::from(e.minutes), 1.0, 30.0);
        ctx.range(F, format!("{key}.dose.sets"), f64::from(e.dose.sets), 1.0, 10.0);
        ctx.range(F, format!("{key}.dose.reps"), f64::from(e.dose.reps), 1.0, 50.0);
        ctx.range(F, format!("{key}.dose.per_week"), f64::from(e.dose.per_week), 1.0, 14.0);
        if let Some(h) = e.dose.hold_seconds {
            ctx.range(F, format!("{key}.dose.hold_seconds"), f64::from(h), 1.0, 180.0);
        }
        ctx.text(F, format!("{key}.why"), &e.why);
        if e.instructions.is_empty() {
            ctx.problems.add(F, format!("{key}.instructions"), "say how to do it");
        }
        let mut link = |field: &str, target: &Option<String>| -> Option<usize> {
            let t = target.as_deref()?;
            let found = index.get(t).copied();
            if found.is_none() {
                ctx.problems.add(F, format!("{key}.{field}"), format!("unknown exercise '{t}'"));
            } else if t == e.id {
                ctx.problems.add(F, format!("{key}.{field}"), "an exercise cannot lead to itself");
            }
            found
        };
        let progression = link("progression", &e.progression);
        let regression = link("regression", &e.regression);
        out.push(Exercise {
            id: e.id.clone(),
            name: e.name.clone(),
            step: e.step,
            targets,
            drivers: e.drivers.clone(),
            entry: e.entry,
            equipment: e.equipment.clone(),
            floor: e.floor,
            minutes: e.minutes,
            dose: Dose {
                sets: e.dose.sets,
                reps: e.dose.reps,
                hold_seconds: e.dose.hold_seconds,
                per_week: e.dose.per_week,
            },
            progression,
            regression,
            why: e.why.clone(),
            instructions: e.instructions.clone(),
            cues: e.cues.clone(),
            cautions: e.cautions.clone(),
            safe_until_seen: e.safe_until_seen,
            suits,
            sources: e.sources.clone(),
        });
    }
    check_reachability(ctx, &out);
    out
}

/// Every exercise must be reachable by a plan: an entry exercise, or the progression/regression of one.
/// Following progressions alone must never loop.
fn check_reachability(ctx: &mut Ctx<'_>, exercises: &[Exercise]) {
    const F: &str = "exercises.toml";
    let mut reached: Vec<bool> = exercises.iter().map(|e| e.entry).collect();
    let mut frontier: Vec<usize> = (0..exercises.len()).filter(|i| reached[*i]).collect();
    while let Some(i) = frontier.pop() {
        for next in [exercises[i].progression, exercises[i].regression].into_iter().flatten() {
            if !reached[next] {
                reached[next] = true;
                frontier.push(next);
            }
        }
    }
    for (e, ok) in exercises.iter().zip(&reached) {
        if !ok {
            ctx.problems.add(
                F,
                format!("exercise.{}", e.id),
                "no plan can reach this exercise: make it an entry or link it from one",
            );
        }
    }
    for (start, e) in exercises.iter().enumerate() {
        let mut at = e.progression;
        let mut steps = 0;
        while let Some(i) = at {
            if i == start || steps > exercises.len() {
                ctx.problems.add(
                    F,
                    format!("exercise.{}.progression", e.id),
                    "following progressions from here comes back in a loop",
                );
                break;
            }
            at = exercises[i].progression;
            steps += 1;
        }
    }
}

fn build_plan(ctx: &mut Ctx<'_>, equipment: &[String], file: PlanFile) -> (PlanSettings, Vec<PainRule>) {
    const F: &str = "plan.toml";
    let p = file.plan;
    if !(8..=12).contains(&p.base_weeks) || !(p.base_weeks..=12).contains(&p.max_weeks) {
        ctx.problems.add(
            F,
            "plan.base_weeks",
            "the method runs over 8 to 12 weeks: need 8 <= base_weeks <= max_weeks <= 12",
        );
    }
    let [s1, s2, s3] = p.step_starts;
    if !(s1 >= 1 && s1 <= s2 && s2 <= s3 && s3 <= p.base_weeks) {
        ctx.problems.add(F, "plan.step_starts", "steps start in order, from week 1, within the plan");
    }
    if p.irritable_step3_start < s3 || p.irritable_step3_start > p.base_weeks {
        ctx.problems.add(
            F,
            "plan.irritable_step3_start",
            "must be at or after step 3's usual start and within the plan",
        );
    }
    ctx.range(F, "plan.irritable_worst_pain".into(), p.irritable_worst_pain as f64, 0.0, 10.0);
    ctx.range(F, "plan.cause_threshold".into(), p.cause_threshold, 0.0, 1.0);
    ctx.range(F, "plan.default_minutes_per_day".into(), f64::from(p.default_minutes_per_day), 5.0, 90.0);
    ctx.range(F, "plan.default_days_per_week".into(), f64::from(p.default_days_per_week), 1.0, 7.0);
    ctx.range(F, "plan.max_per_step".into(), p.max_per_step as f64, 1.0, 10.0);
    for item in &p.default_equipment {
        if !equipment.contains(item) {
            ctx.problems.add(F, "plan.default_equipment", format!("unknown equipment '{item}'"));
        }
    }
    ctx.text(F, "until_seen.text".into(), &file.until_seen.text);
    ctx.unique(F, "pain_rule", file.pain_rule.iter().map(|r| r.id.as_str()));
    if file.pain_rule.is_empty() {
        ctx.problems.add(F, "pain_rule", "a plan needs its pain rules");
    }
    let mut rules = Vec::new();
    for r in file.pain_rule {
        ctx.cite(F, &format!("pain_rule.{}.source", r.id), &r.source);
        ctx.text(F, format!("pain_rule.{}.text", r.id), &r.text);
        rules.push(PainRule { id: r.id, text: r.text, source: r.source });
    }
    let settings = PlanSettings {
        base_weeks: p.base_weeks,
        long_duration_weeks: p.long_duration_weeks,
        extra_weeks_long: p.extra_weeks_long,
        irritable_worst_pain: p.irritable_worst_pain,
        extra_weeks_irritable: p.extra_weeks_irritable,
        max_weeks: p.max_weeks,
        step_starts: p.step_starts,
        irritable_step3_start: p.irritable_step3_start,
        step_names: p.step_names,
        default_minutes_per_day: p.default_minutes_per_day,
        default_days_per_week: p.default_days_per_week,
        default_equipment: p.default_equipment,
        max_per_step: p.max_per_step,
        cause_threshold: p.cause_threshold,
        generic_progression: p.generic_progression,
        generic_regression: p.generic_regression,
        generic_progression_hold: p.generic_progression_hold,
        generic_regression_hold: p.generic_regression_hold,
        until_seen_text: file.until_seen.text,
    };
    (settings, rules)
}

fn build_faq(ctx: &mut Ctx<'_>, raw: Vec<RawFaq>) -> Vec<Faq> {
    const F: &str = "faq.toml";
    ctx.unique(F, "faq", raw.iter().map(|f| f.id.as_str()));
    let mut out = Vec::new();
    for f in raw {
        let key = format!("faq.{}", f.id);
        ctx.text(F, format!("{key}.question"), &f.question);
        ctx.text(F, format!("{key}.answer"), &f.answer);
        if f.sources.is_empty() {
            ctx.problems.add(F, format!("{key}.sources"), "cite at least one source");
        }
        for s in &f.sources {
            ctx.cite(F, &format!("{key}.sources"), s);
        }
        out.push(Faq { id: f.id, question: f.question, answer: f.answer, keywords: f.keywords, sources: f.sources });
    }
    out
}

fn build_progression(ctx: &mut Ctx<'_>, file: ProgressionFile) -> ProgressionRules {
    const F: &str = "progression.toml";
    let r = file.rules;
    ctx.cite(F, "rules.source", &r.source);
    ctx.range(F, "rules.pain_during_max".into(), f64::from(r.pain_during_max), 0.0, 10.0);
    ctx.range(F, "rules.next_morning_over_usual".into(), f64::from(r.next_morning_over_usual), 0.0, 10.0);
    ctx.range(F, "rules.good_sessions_to_progress".into(), r.good_sessions_to_progress as f64, 1.0, 10.0);
    ctx.range(F, "rules.trend_window".into(), r.trend_window as f64, 1.0, 14.0);
    ctx.range(F, "rules.trend_worsening".into(), r.trend_worsening, 0.1, 10.0);
    ctx.range(F, "rules.tendon_pain_during_max".into(), f64::from(r.tendon_pain_during_max), 0.0, 10.0);
    ctx.range(F, "rules.refer_regressions".into(), r.refer_regressions as f64, 1.0, 20.0);
    ctx.range(F, "rules.refer_window".into(), r.refer_window as f64, 1.0, 50.0);
    ctx.range(F, "rules.stall_sessions".into(), r.stall_sessions as f64, 2.0, 100.0);
    if r.refer_regressions > r.refer_window {
        ctx.problems.add(F, "rules.refer_regressions", "cannot be more than refer_window");
    }
    for (what, list) in [("regress_step", &file.regress_step), ("progress_step", &file.progress_step)] {
        ctx.unique(F, what, list.iter().map(|c| c.id.as_str()));
        if list.is_empty() {
            ctx.problems.add(F, what, "at least one is needed");
        }
        for c in list.iter() {
            ctx.text(F, format!("{what}.{}.text", c.id), &c.text);
        }
    }
    ctx.unique(F, "tendon_stage", file.tendon_stage.iter().map(|t| t.id.as_str()));
    for t in &file.tendon_stage {
        ctx.range(F, format!("tendon_stage.{}.enter_pain_max", t.id), f64::from(t.enter_pain_max), 0.0, 10.0);
    }
    let change = |c: RawChange| Change { id: c.id, text: c.text };
    ProgressionRules {
        pain_during_max: r.pain_during_max,
        next_morning_over_usual: r.next_morning_over_usual,
        good_sessions_to_progress: r.good_sessions_to_progress,
        trend_window: r.trend_window,
        trend_worsening: r.trend_worsening,
        tendon_pain_during_max: r.tendon_pain_during_max,
        refer_regressions: r.refer_regressions,
        refer_window: r.refer_window,
        stall_sessions: r.stall_sessions,
        source: r.source,
        regress_steps: file.regress_step.into_iter().map(change).collect(),
        progress_steps: file.progress_step.into_iter().map(change).collect(),
        tendon_stages: file
            .tendon_stage
            .into_iter()
            .map(|t| TendonStage { id: t.id, name: t.name, text: t.text, enter_pain_max: t.enter_pain_max })
            .collect(),
    }
}

fn build_caseload(ctx: &mut Ctx<'_>, file: CaseloadFile) -> CaseloadRules {
    const F: &str = "caseload.toml";
    let mut basis = |table: &str, source: String, rationale: String| {
        ctx.cite(F, &format!("{table}.source"), &source);
        ctx.text(F, format!("{table}.rationale"), &rationale);
        Basis { source, rationale }
    };
    let p = file.pain_rising;
    let pain_basis = basis("pain_rising", p.source, p.rationale);
    let red_flag = basis("red_flag", file.red_flag.source, file.red_flag.rationale);
    let silence_basis = basis("silence", file.silence.source, file.silence.rationale);
    let no_change_basis = basis("no_change", file.no_change.source, file.no_change.rationale);
    let adherence_basis = basis("adherence", file.adherence.source, file.adherence.rationale);
    ctx.range(F, "pain_rising.window_days".into(), f64::from(p.window_days), 2.0, 28.0);
    ctx.range(F, "pain_rising.min_reports".into(), f64::from(p.min_reports), 1.0, 28.0);
    if p.min_reports > p.window_days {
        ctx.problems.add(F, "pain_rising.min_reports", "cannot be more than window_days (one report a day)");
    }
    ctx.range(F, "pain_rising.rise_points".into(), p.rise_points, 0.1, 10.0);
    ctx.range(F, "silence.days".into(), f64::from(file.silence.days), 1.0, 90.0);
    ctx.range(F, "no_change.review_week".into(), f64::from(file.no_change.review_week), 1.0, 52.0);
    ctx.range(F, "adherence.window_days".into(), f64::from(file.adherence.window_days), 1.0, 56.0);
    CaseloadRules {
        pain_rising: PainRisingRule {
            window_days: p.window_days,
            min_reports: p.min_reports,
            rise_points: p.rise_points,
            basis: pain_basis,
        },
        red_flag,
        silence: SilenceRule { days: file.silence.days, basis: silence_basis },
        no_change: NoChangeRule { review_week: file.no_change.review_week, basis: no_change_basis },
        adherence: AdherenceWindow { window_days: file.adherence.window_days, basis: adherence_basis },
    }
}

/// `camera.toml` into the thresholds `kneeroot-squat` takes. The ranges are the physically sensible ones
/// (a fraction is 0–1, an angle threshold 0–90°, a thigh angle ±90°) plus the order of the depth bands,
/// which the analysis relies on to pick exactly one band.
fn build_camera(ctx: &mut Ctx<'_>, file: CameraFile) -> kneeroot_squat::Thresholds {
    const F: &str = "camera.toml";
    let mut basis = |table: &str, sources: &[String], rationale: &str| {
        if sources.is_empty() {
            ctx.problems.add(F, format!("{table}.sources"), "cite at least one source");
        }
        for s in sources {
            ctx.cite(F, &format!("{table}.sources"), s);
        }
        ctx.text(F, format!("{table}.rationale"), rationale);
    };
    let m = &file.measurement;
    basis("measurement", &m.sources, &m.rationale);
    let k = &file.knee_valgus;
    basis("knee_valgus", &k.sources, &k.rationale);
    let p = &file.pelvis_drop;
    basis("pelvis_drop", &p.sources, &p.rationale);
    let h = &file.heel_lift;
    basis("heel_lift", &h.sources, &h.rationale);
    let t = &file.trunk_lean;
    basis("trunk_lean", &t.sources, &t.rationale);
    let d = &file.depth;
    basis("depth", &d.sources, &d.rationale);
    let f = &file.feet_turn_out;
    basis("feet_turn_out", &f.sources, &f.rationale);

    ctx.range(F, "measurement.min_visibility".into(), m.min_visibility, 0.0, 1.0);
    ctx.range(F, "measurement.min_confidence".into(), m.min_confidence, 0.0, 1.0);
    ctx.range(F, "measurement.min_rep_drop".into(), m.min_rep_drop, 0.02, 0.5);
    ctx.range(F, "knee_valgus.knee_valgus_deg".into(), k.knee_valgus_deg, 0.0, 90.0);
    ctx.range(F, "knee_valgus.single_leg_knee_valgus_deg".into(), k.single_leg_knee_valgus_deg, 0.0, 90.0);
    ctx.range(F, "pelvis_drop.pelvis_drop_deg".into(), p.pelvis_drop_deg, 0.0, 90.0);
    ctx.range(F, "heel_lift.heel_lift_foot_lengths".into(), h.heel_lift_foot_lengths, 0.0, 1.0);
    ctx.range(F, "trunk_lean.trunk_lean_excess_deg".into(), t.trunk_lean_excess_deg, 0.0, 90.0);
    ctx.range(F, "feet_turn_out.feet_turn_out_deg".into(), f.feet_turn_out_deg, 0.0, 90.0);
    let bands = [
        ("depth_full_thigh_deg", d.depth_full_thigh_deg),
        ("depth_parallel_thigh_deg", d.depth_parallel_thigh_deg),
        ("depth_half_thigh_deg", d.depth_half_thigh_deg),
        ("depth_quarter_thigh_deg", d.depth_quarter_thigh_deg),
    ];
    for (name, value) in bands {
        ctx.range(F, format!("depth.{name}"), value, -90.0, 90.0);
    }
    for pair in bands.windows(2) {
        let [(deeper, deep_value), (name, value)] = [pair[0], pair[1]];
        if value >= deep_value {
            ctx.problems.add(
                F,
                format!("depth.{name}"),
                format!("{value} must be below {deeper} ({deep_value}): the bands go full > parallel > half > quarter"),
            );
        }
    }

    kneeroot_squat::Thresholds {
        min_visibility: m.min_visibility,
        min_confidence: m.min_confidence,
        min_rep_drop: m.min_rep_drop,
        knee_valgus_deg: k.knee_valgus_deg,
        single_leg_knee_valgus_deg: k.single_leg_knee_valgus_deg,
        pelvis_drop_deg: p.pelvis_drop_deg,
        heel_lift_foot_lengths: h.heel_lift_foot_lengths,
        trunk_lean_excess_deg: t.trunk_lean_excess_deg,
        depth_full_thigh_deg: d.depth_full_thigh_deg,
        depth_parallel_thigh_deg: d.depth_parallel_thigh_deg,
        depth_half_thigh_deg: d.depth_half_thigh_deg,
        depth_quarter_thigh_deg: d.depth_quarter_thigh_deg,
        feet_turn_out_deg: f.feet_turn_out_deg,
    }
}
