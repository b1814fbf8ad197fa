//! Pain-guided progression: after each session of an exercise, progress it, hold it, or regress it.
//!
//! This is the pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007) as rules, with its thresholds in
//! `progression.toml`:
//! - **Regress** when pain during the session was above 5/10, when next-morning pain was above the usual
//!   level + 1, or when next-morning pain has been building (the mean of the last few sessions above the
//!   usual level rose by a point or more against the few before, and the last morning is still above usual). Regressions change one thing, in a stated
//!   order: range first, then speed, then load, then an easier variant; a second regression in a row takes
//!   the second change, and so on.
//! - **Progress** one variable only, when the last two sessions were both within the rules (pain during at
//!   most 5, or at most 3 for tendon pain; next morning no worse than usual) and done with good quality.
//!   Progressions take the changes in turn (reps, range, load, variant).
//! - Otherwise **hold**.
//!
//! Every decision says why in the person's terms, with their numbers. Two patterns suggest seeing a
//! physiotherapist: repeated regressions in a short window (a flare that does not settle), or a long run of
//! sessions without any progression (a plateau).
//!
//! Red flags in a check-in are not handled here: the caller re-runs triage first, and triage pre-empts
//! everything (see `checkin_triage`).

mod checkin;
mod tendon;

use serde::{Deserialize, Serialize};

use crate::knowledge::{Change, ProgressionRules};

pub use checkin::{CheckinFlags, checkin_triage};
pub use tendon::{TendonStageView, tendon_stage};

/// Whether the next step of the plan may open when its week comes: steps follow weeks *and* criteria.
/// `previous` holds the latest decision for each exercise of the step before that has been checked in.
/// A step stays closed while any of them was just regressed (the knee is not coping with the step before);
/// with no check-ins there is nothing to judge, and weeks alone decide.
pub fn step_may_open(previous: &[DecisionKind]) -> bool {
    !previous.contains(&DecisionKind::Regress)
}

/// What happened in one session of one exercise, as reported by the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionReport {
    /// Worst pain during the session, 0–10.
    pub pain_during: u8,
    /// Pain the next morning, 0–10, once known.
    pub pain_next_morning: Option<u8>,
    /// The person's usual (baseline) morning pain, 0–10.
    pub baseline: u8,
    /// Whether the exercise was done with good form (e.g. the knee kept over the second toe).
    pub quality_ok: bool,
}

impl SessionReport {
    /// Check the ranges.
    ///
    /// # Errors
    /// The field and value that are out of range.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("pain_during", Some(self.pain_during)),
            ("pain_next_morning", self.pain_next_morning),
            ("baseline", Some(self.baseline)),
        ] {
            if let Some(v) = v
                && v > 10
            {
                return Err(format!("{name} = {v} is not allowed; expected a whole number from 0 to 10"));
            }
        }
        Ok(())
    }

    fn morning_excess(&self) -> Option<f64> {
        self.pain_next_morning.map(|m| f64::from(m) - f64::from(self.baseline))
    }
}

/// The three decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Make it harder, one variable.
    Progress,
    /// Keep it as it is.
    Hold,
    /// Make it easier, one variable.
    Regress,
}

/// A decision with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Progress, hold or regress.
    pub decision: DecisionKind,
    /// Why, in plain words, with the person's numbers, and what to change.
    pub reason: String,
    /// The change to make (`range`, `speed`, `load`, `variant`, `reps`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Whether it is time to see a physiotherapist.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub see_physio: bool,
}

/// What the exercise is called and what its easier and harder versions are, for the explanation.
#[derive(Debug, Clone, Default)]
pub struct ExerciseContext {
    /// The exercise's name.
    pub name: Option<String>,
    /// The easier version's name.
    pub easier: Option<String>,
    /// The harder version's name.
    pub harder: Option<String>,
    /// Tendon pain: stricter progression threshold.
    pub tendon: bool,
    /// A held exercise (a stretch or an isometric): repetitions and load change by holding longer or
    /// shorter.
    pub held: bool,
}

/// The decision after the last of `sessions` (oldest first).
pub fn decide(rules: &ProgressionRules, sessions: &[SessionReport], ctx: &ExerciseContext) -> Decision {
    decide_all(rules, sessions, ctx).pop().unwrap_or_else(|| Decision {
        decision: DecisionKind::Hold,
        reason: "No sessions reported yet: start with the dose in your plan.".into(),
        change: None,
        see_physio: false,
    })
}

/// The decision after each session in turn (the history a course of sessions produces).
pub fn decide_all(rules: &ProgressionRules, sessions: &[SessionReport], ctx: &ExerciseContext) -> Vec<Decision> {
    let mut out: Vec<Decision> = Vec::with_capacity(sessions.len());
    for i in 0..sessions.len() {
        let history = &sessions[..=i];
        let previous = &out;
        let mut d = decide_one(rules, history, previous, ctx);
        // Referral: a flare that keeps needing regressions, or a long plateau.
        let window = rules.refer_window.min(previous.len() + 1);
        let recent_regressions =
            previous[previous.len() + 1 - window..].iter().filter(|x| x.decision == DecisionKind::Regress).count()
                + usize::from(d.decision == DecisionKind::Regress);
        let since_progress = previous.iter().rev().take_while(|x| x.decision != DecisionKind::Progress).count() + 1;
        if recent_regressions >= rules.refer_regressions {
            d.see_physio = true;
            d.reason.push_str(&format!(
                " This exercise has needed easing {recent_regressions} times in your last {window} sessions: it is time to see a physiotherapist."
            ));
        } else if d.decision != DecisionKind::Progress && since_progress >= rules.stall_sessions {
            d.see_physio = true;
            d.reason.push_str(&format!(
                " There has been no step forward in {since_progress} sessions: a physiotherapist can help find what is holding you back."
            ));
        }
        out.push(d);
    }
    out
}

fn exercise_name(ctx: &ExerciseContext) -> String {
    ctx.name.clone().map_or_else(|| "this exercise".to_owned(), |n| n.to_lowercase())
}

fn decide_one(
    rules: &ProgressionRules,
    history: &[SessionReport],
    previous: &[Decision],
    ctx: &ExerciseContext,
) -> Decision {
    let Some(last) = history.last() else {
        return Decision { decision: DecisionKind::Hold, reason: String::new(), change: None, see_physio: false };
    };
    let name = exercise_name(ctx);
    // Regress: the three triggers, checked in order of how directly they show overload.
    let mut why = Vec::new();
    if last.pain_during > rules.pain_during_max {
        why.push(format!("you reported {}/10 during {name}, above {}/10", last.pain_during, rules.pain_during_max));
    }
    if let Some(m) = last.pain_next_morning
        && u16::from(m) > u16::from(last.baseline) + u16::from(rules.next_morning_over_usual)
    {
        why.push(format!(
            "the next morning your knee was at {m}/10, more than a point above your usual {}/10",
            last.baseline
        ));
    }
    // A rising trend only counts while the knee is still above its usual level: once a morning is back to
    // usual, the flare is settling, whatever the average says.
    if let Some(rise) = trend_rise(history, rules.trend_window)
        && rise >= rules.trend_worsening
        && last.morning_excess().is_some_and(|e| e > 0.0)
    {
        why.push(format!("your next-morning pain has been building (up {rise:.1} points over your last sessions)"));
    }
    if !why.is_empty() {
        let in_a_row = previous.iter().rev().take_while(|d| d.decision == DecisionKind::Regress).count();
        let change = pick(&rules.regress_steps, in_a_row);
        let text = match (&change, &ctx.easier) {
            (Some(c), Some(easier)) if c.id == "variant" => format!("switch to {easier}"),
            (Some(c), _) if ctx.held && c.id == "load" => "hold for five seconds less".to_owned(),
            (Some(c), _) => c.text.clone(),
            (None, _) => "make it easier next time".into(),
        };
        return Decision {
            decision: DecisionKind::Regress,
            reason: format!("{}, so next time {text}.", capitalise(&join_and(&why))),
            change: change.map(|c| c.id.clone()),
            see_physio: false,
        };
    }
    // Progress: enough consecutive good sessions.
    let limit =
        if ctx.tendon { rules.tendon_pain_during_max.min(rules.pain_during_max) } else { rules.pain_during_max };
    let good = |s: &SessionReport| {
        s.quality_ok && s.pain_during <= limit && s.pain_next_morning.is_some_and(|m| m <= s.baseline)
    };
    let streak = history.iter().rev().take_while(|s| good(s)).count();
    // A progression resets the count: the new level must prove itself for the full number of sessions.
    let since_last_change = previous.iter().rev().take_while(|d| d.decision != DecisionKind::Progress).count() + 1;
    if streak >= rules.good_sessions_to_progress && since_last_change >= rules.good_sessions_to_progress {
        let done = previous.iter().filter(|d| d.decision == DecisionKind::Progress).count();
        let change = pick(&rules.progress_steps, done);
        let text = match (&change, &ctx.harder) {
            (Some(c), Some(harder)) if c.id == "variant" => format!("move on to {harder}"),
            (Some(c), _) if ctx.held && c.id == "reps" => "hold each one five seconds longer".to_owned(),
            (Some(c), _) => c.text.clone(),
            (None, _) => "make it a little harder".into(),
        };
        return Decision {
            decision: DecisionKind::Progress,
            reason: format!(
                "Your last {} sessions of {name} were within the pain rules and done well, so change one thing: {text}.",
                rules.good_sessions_to_progress
            ),
            change: change.map(|c| c.id.clone()),
            see_physio: false,
        };
    }
    // Hold: say what is missing.
    let reason = if !last.quality_ok {
        format!(
            "Pain was within the rules, but the movement was not yet well controlled: keep {name} as it is and focus on form."
        )
    } else if last.pain_during > limit {
        format!(
            "{}/10 during {name} is acceptable, but tendon pain should be at most {limit}/10 before loading more: keep it as it is.",
            last.pain_during
        )
    } else if last.pain_next_morning.is_none() {
        format!(
            "Pain during {name} was fine; once you know how the knee is the next morning, kneeroot can say whether to move on. Keep it as it is."
        )
    } else if streak == 0 {
        format!("The next morning was not quite back to your usual level, so keep {name} as it is for now.")
    } else {
        let need = rules.good_sessions_to_progress.saturating_sub(since_last_change.min(streak));
        format!(
            "A good session. One more like it ({need} to go) and you can make {name} a little harder; keep it as it is for now."
        )
    };
    Decision { decision: DecisionKind::Hold, reason, change: None, see_physio: false }
}

/// How much the mean next-morning excess of the last `w` sessions rose against the `w` before.
fn trend_rise(history: &[SessionReport], w: usize) -> Option<f64> {
    let excess: Vec<f64> = history.iter().filter_map(SessionReport::morning_excess).collect();
    if w == 0 || excess.len() < 2 * w {
        return None;
    }
    let n = excess.len();
    let recent: f64 = excess[n - w..].iter().sum::<f64>() / w as f64;
    let before: f64 = excess[n - 2 * w..n - w].iter().sum::<f64>() / w as f64;
    Some(recent - before)
}

fn pick(list: &[Change], n: usize) -> Option<&Change> {
    if list.is_empty() { None } else { list.get(n.min(list.len() - 1)) }
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

#[cfg(test)]
mod tests;
