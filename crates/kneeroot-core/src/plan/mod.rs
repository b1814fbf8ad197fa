//! The personalised three-step plan: improve mobility, improve strength, integrate and strengthen.
//!
//! The plan addresses the causes inference found: every cause scoring at least `cause_threshold`, and the
//! top cause always. For each step it first picks, for each of those causes in score order, the most
//! relevant entry exercise that targets it, then the best one for each likely presentation; then it fills
//! the step by relevance. Relevance is the cause's
//! score, plus a little when the exercise works on a driver that was found, plus a little when it suits
//! a likely presentation (an exercise that suits a likely presentation stays eligible even when its own
//! cause is not addressed, because combined hip and knee exercise beats either alone for kneecap pain). Step 2 always contains hip strengthening and step 3 always contains integration
//! work, because the method (and the evidence for combined hip and knee exercise) uses them for everyone.
//! Exercises from one progression chain are not picked twice in a step.
//!
//! The person's preferences bound the choice: equipment they have, whether they can get down to the
//! floor, and time: minutes per day times days per week is a weekly budget, each exercise costs its
//! minutes times its sessions per week (capped by the days), and exercises are added in priority order,
//! round-robin over the steps, while they fit (every step keeps at least one). An irritable knee (high worst pain) gets one
//! set fewer of loading work, a later step 3 and a longer plan. At `soon` only exercises marked safe until
//! seen are used and the plan says so. At `emergency` and `urgent` there is no plan (see [`plan`]).

mod edits;

use serde::{Deserialize, Serialize};

use crate::answers::Value;
use crate::facts::AnswerFacts;
use crate::infer::Inference;
use crate::knowledge::{Dose, Exercise, Knowledge, TriageLevel};

pub use edits::{CurrentExercise, PlanEdit, apply_edits, edit_for};

/// A plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// How many weeks it runs (8 to 12).
    pub weeks: u32,
    /// The three steps, in order.
    pub steps: Vec<Step>,
    /// Rules for exercising with pain.
    pub pain_rules: Vec<PainRuleOut>,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// 1, 2 or 3.
    pub step: u8,
    /// Its name.
    pub name: String,
    /// The week it starts.
    pub starts_week: u32,
    /// Its exercises.
    pub exercises: Vec<PlannedExercise>,
}

/// An exercise as prescribed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedExercise {
    /// Exercise id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Cause ids it addresses.
    pub targets: Vec<String>,
    /// The dose.
    pub dose: Dose,
    /// Why it is in this plan.
    pub why: String,
    /// How to make it harder, and when.
    pub progression: String,
    /// How to make it easier.
    pub regression: String,
}

/// A pain rule as carried by a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PainRuleOut {
    /// Rule id.
    pub id: String,
    /// The rule.
    pub text: String,
}

struct Prefs {
    minutes: u32,
    days: u32,
    equipment: Vec<String>,
    floor_ok: bool,
}

fn prefs(facts: &AnswerFacts<'_>) -> Prefs {
    let kb = facts.kb();
    let k = kb.keys();
    let s = kb.plan_settings();
    let a = facts.answers();
    let int = |i: usize| match a.get_index(i) {
        Some(Value::Int(n)) => u32::try_from(*n).ok(),
        _ => None,
    };
    Prefs {
        minutes: int(k.minutes_per_day).unwrap_or(s.default_minutes_per_day),
        days: int(k.days_per_week).unwrap_or(s.default_days_per_week),
        equipment: match a.get_index(k.equipment) {
            Some(Value::List(items)) => items.clone(),
            _ => s.default_equipment.clone(),
        },
        floor_ok: !matches!(a.get_index(k.floor_ok), Some(Value::Bool(false))),
    }
}

/// Whether the knee is irritable: a high worst pain this week or now.
pub fn irritable(facts: &AnswerFacts<'_>) -> bool {
    let kb = facts.kb();
    let k = kb.keys();
    let limit = kb.plan_settings().irritable_worst_pain;
    [k.worst_week, k.pain_now]
        .iter()
        .any(|i| matches!(facts.answers().get_index(*i), Some(Value::Int(n)) if *n >= limit))
}

/// Build the plan, or `None` at `emergency`/`urgent`.
pub fn plan(facts: &AnswerFacts<'_>, level: TriageLevel, inference: &Inference) -> Option<Plan> {
    if !level.allows_plan() {
        return None;
    }
    let kb = facts.kb();
    let s = kb.plan_settings();
    let prefs = prefs(facts);
    let limited = level == TriageLevel::Soon;
    let irritable = irritable(facts);
    let long = matches!(facts.answers().get_index(kb.keys().duration_weeks).and_then(Value::as_f64), Some(w) if w > s.long_duration_weeks);
    let weeks = (s.base_weeks
        + if long { s.extra_weeks_long } else { 0 }
        + if irritable { s.extra_weeks_irritable } else { 0 })
    .min(s.max_weeks);
    let mut starts = s.step_starts;
    if irritable {
        starts[2] = s.irritable_step3_start;
    }

    let relevance = Relevance::new(kb, inference);
    let usable = |e: &Exercise| {
        e.entry
            && e.equipment.iter().all(|x| prefs.equipment.contains(x))
            && (prefs.floor_ok || !e.floor)
            && (!limited || e.safe_until_seen)
    };
    let picks = pick(kb, &relevance, &usable, prefs.minutes * prefs.days, prefs.days);

    let steps = (1..=3u8)
        .map(|step| Step {
            step,
            name: s.step_names[usize::from(step - 1)].clone(),
            starts_week: starts[usize::from(step - 1)],
            exercises: picks
                .iter()
                .filter(|i| kb.exercises()[**i].step == step)
                .map(|i| prescribe(kb, &kb.exercises()[*i], prefs.days, irritable))
                .collect(),
        })
        .collect();
    let mut pain_rules: Vec<PainRuleOut> = Vec::new();
    if limited {
        pain_rules.push(PainRuleOut { id: "until_seen".into(), text: s.until_seen_text.clone() });
    }
    pain_rules.extend(kb.pain_rules().iter().map(|r| PainRuleOut { id: r.id.clone(), text: r.text.clone() }));
    Some(Plan { weeks, steps, pain_rules })
}

/// How relevant each exercise is to this person.
struct Relevance {
    cause_weight: Vec<f64>,
    drivers: Vec<String>,
    presentation_weight: Vec<f64>,
}

impl Relevance {
    fn new(kb: &Knowledge, inference: &Inference) -> Relevance {
        let threshold = kb.plan_settings().cause_threshold;
        let top = inference.root_causes.first().map(|c| c.id.as_str());
        let cause_weight = kb
            .causes()
            .iter()
            .map(|c| {
                let r = inference.root_causes.iter().find(|r| r.id == c.id);
                match r {
                    Some(r) if r.score >= threshold || Some(r.id.as_str()) == top => r.score,
                    _ => 0.0,
                }
            })
            .collect();
        let drivers = inference.root_causes.iter().flat_map(|c| c.drivers.iter().cloned()).collect();
        let presentation_weight = kb
            .presentations()
            .iter()
            .map(|p| inference.presentations.iter().find(|x| x.id == p.id).map_or(0.0, |x| x.score))
            .collect();
        Relevance { cause_weight, drivers, presentation_weight }
    }

    fn of(&self, e: &Exercise) -> f64 {
        let cause = e.targets.iter().map(|t| self.cause_weight[*t]).fold(0.0, f64::max);
        let suits = e.suits.iter().map(|p| self.presentation_weight[*p]).fold(0.0, f64::max);
        if cause == 0.0 {
            // An exercise for a likely presentation stays eligible even when its cause is not addressed:
            // for kneecap pain, hip and knee exercise together beat either alone.
            return suits * 0.5;
        }
        let driver = if e.drivers.iter().any(|d| self.drivers.contains(d)) { 0.15 } else { 0.0 };
        cause + driver + suits * 0.3
    }
}

/// Choose exercise indices, in priority order, within the weekly time budget (minutes).
fn pick(kb: &Knowledge, rel: &Relevance, usable: &dyn Fn(&Exercise) -> bool, budget: u32, days: u32) -> Vec<usize> {
    let exercises = kb.exercises();
    let max = kb.plan_settings().max_per_step;
    let hip = kb.causes().iter().position(|c| c.id == "hip");
    // Candidates per step, best first; ties by file order so the result is deterministic.
    let ranked = |step: u8, baseline: &dyn Fn(&Exercise) -> f64| -> Vec<(f64, usize)> {
        let mut v: Vec<(f64, usize)> = exercises
            .iter()
            .enumerate()
            .filter(|(_, e)| e.step == step && usable(e))
            .map(|(i, e)| (rel.of(e).max(baseline(e)), i))
            .filter(|(r, _)| *r > 0.0)
            .collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        v
    };
    let none = |_: &Exercise| 0.0;
    // The method strengthens the glutes and integrates for everyone: a small baseline keeps them eligible.
    let hip_strength = |e: &Exercise| {
        if hip.is_some_and(|h| e.targets.contains(&h)) { 0.05 } else { 0.0 }
    };
    let any = |_: &Exercise| 0.05;
    let mut per_step = [ranked(1, &none), ranked(2, &hip_strength), ranked(3, &any)];
    // A step is never left empty while any exercise of it fits the person's equipment and floor: with
    // nothing relevant available, the best of what is usable is better than nothing.
    let fallback = |_: &Exercise| 0.01;
    for (i, list) in per_step.iter_mut().enumerate() {
        if list.is_empty() {
            *list = ranked(i as u8 + 1, &fallback);
        }
    }

    // Priority order: per step, first the best exercise for each addressed cause, then the rest.
    let mut order: Vec<Vec<usize>> = Vec::new();
    let mut causes: Vec<(f64, usize)> =
        rel.cause_weight.iter().enumerate().filter(|(_, w)| **w > 0.0).map(|(i, w)| (*w, i)).collect();
    causes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut presentations: Vec<(f64, usize)> =
        rel.presentation_weight.iter().enumerate().filter(|(_, w)| **w > 0.0).map(|(i, w)| (*w, i)).collect();
    presentations.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let presentations: Vec<usize> = presentations.into_iter().map(|(_, i)| i).collect();
    for (step, cands) in per_step.iter().enumerate() {
        let mut list = Vec::new();
        for (_, c) in &causes {
            if let Some((_, i)) = cands.iter().find(|(_, i)| exercises[*i].targets.contains(c) && !list.contains(i)) {
                list.push(*i);
            }
        }
        // Then the best exercise for each likely presentation (e.g. knee-targeted work for kneecap pain).
        // Prefer one that works on a region the list does not cover yet. Mobility (step 1) follows the
        // causes alone: stretching a region that is not stiff helps nobody.
        for p in presentations.iter().filter(|_| step > 0) {
            let covered = |i: &usize| {
                exercises[*i].targets.iter().all(|t| list.iter().any(|l| exercises[*l].targets.contains(t)))
            };
            if let Some((_, i)) =
                cands.iter().find(|(_, i)| exercises[*i].suits.contains(p) && !list.contains(i) && !covered(i))
            {
                list.push(*i);
            }
        }
        // Step 2 (index 1) always strengthens the hip.
        if let Some(h) = hip.filter(|h| step == 1 && !list.iter().any(|i| exercises[*i].targets.contains(h)))
            && let Some((_, i)) = cands.iter().find(|(_, i)| exercises[*i].targets.contains(&h))
        {
            list.push(*i);
        }
        for (_, i) in cands {
            if !list.contains(i) {
                list.push(*i);
            }
        }
        order.push(list);
    }

    let mut chosen: Vec<usize> = Vec::new();
    let mut minutes = 0;
    let mut chains: Vec<(u8, usize)> = Vec::new();
    let depth = order.iter().map(Vec::len).max().unwrap_or(0);
    // Round-robin over steps, so a small budget is shared between the steps rather than spent on step 1.
    for round in 0..depth {
        for list in &order {
            let Some(&i) = list.get(round) else { continue };
            let e = &exercises[i];
            let chain = chain_root(kb, i);
            let in_step = chosen.iter().filter(|c| exercises[**c].step == e.step).count();
            if in_step >= max || chains.contains(&(e.step, chain)) {
                continue;
            }
            let cost = e.minutes * e.dose.per_week.min(days);
            if in_step > 0 && minutes + cost > budget {
                continue;
            }
            chosen.push(i);
            chains.push((e.step, chain));
            minutes += cost;
        }
    }
    chosen
}

/// The easiest exercise of the progression chain an exercise belongs to.
fn chain_root(kb: &Knowledge, mut i: usize) -> usize {
    let mut steps = 0;
    while let Some(r) = kb.exercises()[i].regression {
        i = r;
        steps += 1;
        if steps > kb.exercises().len() {
            break;
        }
    }
    i
}

fn prescribe(kb: &Knowledge, e: &Exercise, days: u32, irritable: bool) -> PlannedExercise {
    let s = kb.plan_settings();
    let mut dose = e.dose;
    dose.per_week = dose.per_week.min(days);
    if irritable && e.step > 1 {
        dose.sets = dose.sets.saturating_sub(1).max(1);
    }
    let name_of = |i: Option<usize>| i.map(|i| kb.exercises()[i].name.clone());
    let (generic_up, generic_down) = generic_changes(s, dose.hold_seconds.is_some());
    PlannedExercise {
        id: e.id.clone(),
        name: e.name.clone(),
        targets: e.targets.iter().map(|t| kb.causes()[*t].id.clone()).collect(),
        dose,
        why: e.why.clone(),
        progression: name_of(e.progression).map_or_else(
            || generic_up.to_owned(),
            |n| format!("{n}, once two sessions in a row feel easy and pain stays within the rules."),
        ),
        regression: name_of(e.regression)
            .map_or_else(|| generic_down.to_owned(), |n| format!("{n}, if this hurts more than the pain rules allow.")),
    }
}

/// The general advice for making an exercise harder or easier: held exercises change by time and position,
/// moving ones by depth, speed and load.
pub(crate) fn generic_changes(s: &crate::knowledge::PlanSettings, held: bool) -> (&str, &str) {
    if held {
        (&s.generic_progression_hold, &s.generic_regression_hold)
    } else {
        (&s.generic_progression, &s.generic_regression)
    }
}

#[cfg(test)]
mod tests;
