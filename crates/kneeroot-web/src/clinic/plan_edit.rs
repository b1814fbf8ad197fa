//! Editing a patient's plan: `GET /clinic/patients/{id}/plan` lists the plan in force with a "change"
//! link per exercise; `GET …/plan?exercise=ID` is the form for one exercise; `POST …/plan` makes the
//! change. A clinician can swap the exercise for another of the knowledge base (its easier and harder
//! versions and the others of its step are offered first), change its dose (sets, repetitions, hold,
//! sessions per week, each within a stated range) and leave a note for the patient; every change needs a
//! reason, kept in the plan's change log.
//!
//! **Checked before anything is read or written.** The form is parsed against the knowledge base alone
//! ([`parse`]); a field out of range comes back on the form with a message naming it (422), and writes
//! neither a plan change nor a `Change` audit entry (showing the form again is a look at the plan, so it
//! writes a `View`). A valid edit writes the `Change` entry, with what changes, and then exactly one
//! plan change with the clinician as its author. Empty dose fields mean "leave as it is", so whether
//! anything changes is known from the form alone. The only checks that need the plan itself (the
//! exercise is still in it, the replacement is not already in it) fail only for a form that went stale
//! while the plan moved on; they answer 409, after the `Change` entry: the plan was opened to be changed.
//!
//! **The clinician's change and the pain rules.** The pain-monitoring rules also append plan changes,
//! one per session, computed from the dose in force, so they never put back an older dose: after a
//! clinician's change they continue from the clinician's dose. What they must not do is act on a
//! session the clinician had already seen when making the change: a late check-in or the next morning's
//! report of a session done before the change would otherwise move the new dose at once, for a reason
//! the clinician had already weighed. So a session on or before the day of a clinician's dose change or
//! swap of that exercise never changes it ([`clinician_decided_after`], called by the check-in's rules);
//! sessions from the next day on are judged as usual, starting from the clinician's dose. A note alone
//! changes no dose and holds back nothing.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kneeroot_core::Knowledge;
use kneeroot_core::plan::CurrentExercise;
use kneeroot_core::report::dose_text;
use kneeroot_store::{Day, NewPlanChange, PlanChange, Store};
use serde::Deserialize;

use super::access::{Access, CheckedLink, LinkedPatient};
use crate::error::{AppError, PageResult, Problem};
use crate::pages::current::{CurrentPlan, current_plan, today};
use crate::session::{CheckedForm, ClinicianIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// What the audit log says the plan pages looked at.
pub(crate) const PLAN: &str = "plan";

/// The longest note for the patient, in characters.
pub(crate) const MAX_NOTE_CHARS: usize = 500;
/// The longest reason, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 300;

/// A dose field: form name, label, smallest and largest value.
struct DoseField {
    name: &'static str,
    label: &'static str,
    min: u32,
    max: u32,
}

/// The dose fields and their ranges (the plan's own limits: `plan::apply_edits` keeps doses within them).
const DOSE_FIELDS: [DoseField; 4] = [
    DoseField { name: "sets", label: "Sets", min: 1, max: 10 },
    DoseField { name: "reps", label: "Repetitions", min: 1, max: 50 },
    DoseField { name: "hold_seconds", label: "Hold (seconds)", min: 5, max: 300 },
    DoseField { name: "per_week", label: "Sessions per week", min: 1, max: 14 },
];

/// A valid edit of one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EditRequest {
    /// The exercise changed (a knowledge-base id).
    pub exercise_id: String,
    /// Swap it for this one.
    pub replacement: Option<String>,
    /// New sets.
    pub sets: Option<u32>,
    /// New repetitions.
    pub reps: Option<u32>,
    /// New hold, seconds.
    pub hold_seconds: Option<u32>,
    /// New sessions per week.
    pub per_week: Option<u32>,
    /// A note for the patient.
    pub note: Option<String>,
    /// Why.
    pub reason: String,
}

/// A problem with one field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The form field (`sets`, `note` …), or `change` for the form as a whole.
    pub field: &'static str,
    /// What is wrong, for the clinician.
    pub message: String,
}

fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// Parse a submitted edit against the knowledge base. Nothing of the patient is needed.
///
/// # Errors
/// The first problem, naming its field.
pub(crate) fn parse<'a>(kb: &Knowledge, get: impl Fn(&str) -> Option<&'a str>) -> Result<EditRequest, FieldError> {
    let text = |name: &str| get(name).map(str::trim).filter(|v| !v.is_empty());
    let exercise_id =
        text("exercise_id").ok_or_else(|| field_error("exercise_id", "Choose the exercise to change."))?;
    let exercise = kb.exercise(exercise_id).ok_or_else(|| {
        field_error("exercise_id", format!("'{exercise_id}' is not an exercise of the knowledge base."))
    })?;
    let replacement =
        match text("replacement") {
            None => None,
            Some(id) if id == exercise.id => {
                return Err(field_error("replacement", "That is the same exercise: pick another, or keep it."));
            }
            Some(id) => Some(kb.exercise(id).ok_or_else(|| {
                field_error("replacement", format!("'{id}' is not an exercise of the knowledge base."))
            })?),
        };
    let mut dose = [None; 4];
    for (slot, f) in dose.iter_mut().zip(&DOSE_FIELDS) {
        let Some(raw) = text(f.name) else { continue };
        let range = format!("{} must be a whole number from {} to {}.", f.label, f.min, f.max);
        let v: u32 = raw.parse().map_err(|_| field_error(f.name, format!("'{raw}': {range}")))?;
        if !(f.min..=f.max).contains(&v) {
            return Err(field_error(f.name, format!("{v}: {range}")));
        }
        *slot = Some(v);
    }
    let [sets, reps, hold_seconds, per_week] = dose;
    // Held exercises (stretches, isometrics) have a hold; the exercise the patient will do decides.
    let done = replacement.unwrap_or(exercise);
    if hold_seconds.is_some() && done.dose.hold_seconds.is_none() {
        return Err(field_error(
            "hold_seconds",
            format!("{} is not held: change its repetitions instead of a hold.", done.name),
        ));
    }
    let note = text("note").map(str::to_owned);
    if let Some(n) = &note
        && n.chars().count() > MAX_NOTE_CHARS
    {
        return Err(field_error(
            "note",
            format!("The note is {} characters; keep it to {MAX_NOTE_CHARS}.", n.chars().count()),
        ));
    }
    let reason = text("reason").ok_or_else(|| {
        field_error("reason", "Say why, in a few words: the reason is kept in the plan's change log.")
    })?;
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(field_error(
            "reason",
            format!("The reason is {} characters; keep it to {MAX_REASON_CHARS}.", reason.chars().count()),
        ));
    }
    if replacement.is_none() && dose.iter().all(Option::is_none) && note.is_none() {
        return Err(field_error("change", "Nothing to change: swap the exercise, change a dose or write a note."));
    }
    Ok(EditRequest {
        exercise_id: exercise.id.clone(),
        replacement: replacement.map(|r| r.id.clone()),
        sets,
        reps,
        hold_seconds,
        per_week,
        note,
        reason: reason.to_owned(),
    })
}

/// What an edit changes, in a few words (for the audit log and the confirmation).
pub(crate) fn describe(kb: &Knowledge, e: &EditRequest) -> String {
    let name_of = |id: &str| kb.exercise(id).map_or_else(|| id.to_owned(), |x| x.name.clone());
    let mut parts = Vec::new();
    if let Some(r) = &e.replacement {
        parts.push(format!("swapped for {}", name_of(r)));
    }
    for (value, unit) in
        [(e.sets, "sets"), (e.reps, "repetitions"), (e.hold_seconds, "seconds' hold"), (e.per_week, "sessions a week")]
    {
        if let Some(v) = value {
            parts.push(format!("{v} {unit}"));
        }
    }
    if e.note.is_some() {
        parts.push("a note for you".to_owned());
    }
    format!("{}: {}", name_of(&e.exercise_id), parts.join(", "))
}

/// Whether a clinician changed the dose of `exercise_id`, or swapped it in or out, on or after
/// `session_day`: the pain rules then leave that session's decision alone (see the module's notes).
pub(crate) fn clinician_decided_after(changes: &[PlanChange], exercise_id: &str, session_day: Day) -> bool {
    changes.iter().any(|c| {
        let touches = c.exercise_id == exercise_id || c.replacement.as_deref() == Some(exercise_id);
        let doses = c.replacement.is_some()
            || c.sets.is_some()
            || c.reps.is_some()
            || c.hold_seconds.is_some()
            || c.per_week.is_some();
        c.author_id.is_some() && touches && doses && today(c.created_at) >= session_day
    })
}

// ------------------------------------------------------------------------------------------------
// The pages
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    exercise: Option<String>,
    saved: Option<String>,
}

struct ListedExercise {
    id: String,
    name: String,
    dose: String,
    step: u8,
    latest_note: Option<String>,
}

struct Choice {
    id: String,
    name: String,
    selected: bool,
}

struct ChoiceGroup {
    label: &'static str,
    choices: Vec<Choice>,
}

struct DoseInput {
    name: &'static str,
    label: &'static str,
    min: u32,
    max: u32,
    now: String,
    value: String,
    error: Option<String>,
}

struct EditForm {
    id: String,
    name: String,
    dose: String,
    groups: Vec<ChoiceGroup>,
    replacement_error: Option<String>,
    doses: Vec<DoseInput>,
    note: String,
    note_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    form_error: Option<String>,
}

#[derive(Template)]
#[template(path = "clinic_plan.html")]
struct PlanEditPage {
    layout: Layout,
    csrf: String,
    patient_id: String,
    email: String,
    saved: Option<String>,
    error: Option<String>,
    has_plan: bool,
    week: u32,
    weeks: u32,
    exercises: Vec<ListedExercise>,
    form: Option<EditForm>,
    max_note: usize,
    max_reason: usize,
}

/// What the form sent, to show again with its error.
type Sent<'a> = Option<(&'a CheckedForm, &'a FieldError)>;

fn edit_form(kb: &Knowledge, plan: &CurrentPlan, current: &CurrentExercise, sent: Sent<'_>) -> EditForm {
    let e = &current.exercise;
    let value = |name: &str| sent.and_then(|(f, _)| f.get(name)).unwrap_or_default().to_owned();
    let error = |name: &str| sent.filter(|(_, err)| err.field == name).map(|(_, err)| err.message.clone());
    let in_plan: Vec<&str> = plan.steps.iter().flatten().map(|c| c.exercise.id.as_str()).collect();
    let chosen = value("replacement");
    let x = kb.exercise(&e.id);
    let choice = |i: usize| {
        let o = &kb.exercises()[i];
        Choice { id: o.id.clone(), name: o.name.clone(), selected: o.id == chosen }
    };
    let versions: Vec<usize> = x.iter().flat_map(|x| [x.regression, x.progression]).flatten().collect();
    let free = |i: &usize| !in_plan.contains(&kb.exercises()[*i].id.as_str());
    let step = x.map_or(0, |x| x.step);
    let same_step: Vec<usize> = (0..kb.exercises().len())
        .filter(|i| kb.exercises()[*i].step == step && !versions.contains(i))
        .filter(free)
        .collect();
    let others: Vec<usize> =
        (0..kb.exercises().len()).filter(|i| !versions.contains(i) && !same_step.contains(i)).filter(free).collect();
    let groups = [
        ("Easier and harder versions", versions.into_iter().filter(free).collect::<Vec<_>>()),
        ("Others of the same step", same_step),
        ("Other exercises", others),
    ]
    .into_iter()
    .filter(|(_, ids)| !ids.is_empty())
    .map(|(label, ids)| ChoiceGroup { label, choices: ids.into_iter().map(choice).collect() })
    .collect();
    let held = e.dose.hold_seconds.is_some();
    let now = [
        e.dose.sets.to_string(),
        e.dose.reps.to_string(),
        e.dose.hold_seconds.map_or_else(|| "not held".to_owned(), |h| h.to_string()),
        e.dose.per_week.to_string(),
    ];
    let doses = DOSE_FIELDS
        .iter()
        .zip(now)
        .filter(|(f, _)| held || f.name != "hold_seconds")
        .map(|(f, now)| DoseInput {
            name: f.name,
            label: f.label,
            min: f.min,
            max: f.max,
            now,
            value: value(f.name),
            error: error(f.name),
        })
        .collect();
    EditForm {
        id: e.id.clone(),
        name: e.name.clone(),
        dose: dose_text(&e.dose),
        groups,
        replacement_error: error("replacement"),
        doses,
        note: value("note"),
        note_error: error("note"),
        reason: value("reason"),
        reason_error: error("reason"),
        // A problem with a field the form does not show (a hold for an exercise that is not held, say).
        form_error: sent
            .filter(|(_, err)| ["change", "exercise_id"].contains(&err.field) || (err.field == "hold_seconds" && !held))
            .map(|(_, err)| err.message.clone()),
    }
}

/// The plan pages for `linked` (already audited), with the form for `exercise` if one is open.
async fn page<S: Store>(
    state: &AppState<S>,
    linked: &LinkedPatient,
    csrf: &str,
    exercise: Option<&str>,
    sent: Sent<'_>,
    saved: Option<String>,
) -> Result<PlanEditPage, Problem> {
    let kb = &state.kb;
    let plan = current_plan(state, &linked.patient().id).await?;
    let today = today(state.now());
    let (mut form, mut error) = (None, None);
    if let (Some(plan), Some(id)) = (&plan, exercise) {
        match plan.steps.iter().flatten().find(|c| c.exercise.id == id) {
            Some(current) => form = Some(edit_form(kb, plan, current, sent)),
            None => error = Some("That exercise is not in the plan in force (it may have just changed).".to_owned()),
        }
    }
    if form.is_none()
        && let Some((_, e)) = sent
    {
        error = Some(e.message.clone());
    }
    let steps = plan.as_ref().and_then(|p| p.parsed.result.plan.as_ref().map(|x| (p, x)));
    let exercises = steps
        .map(|(p, x)| {
            x.steps
                .iter()
                .zip(&p.steps)
                .flat_map(|(s, exercises)| {
                    exercises.iter().map(|c| ListedExercise {
                        id: c.exercise.id.clone(),
                        name: c.exercise.name.clone(),
                        dose: dose_text(&c.exercise.dose),
                        step: s.step,
                        latest_note: c.notes.last().cloned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(PlanEditPage {
        layout: Layout::for_user(linked.clinician()),
        csrf: csrf.to_owned(),
        patient_id: linked.patient().id.to_string(),
        email: linked.patient().email.as_str().to_owned(),
        saved,
        error,
        has_plan: plan.is_some(),
        week: plan.as_ref().map_or(0, |p| p.week_of_day(today)),
        weeks: plan.as_ref().map_or(0, |p| p.weeks),
        exercises,
        form,
        max_note: MAX_NOTE_CHARS,
        max_reason: MAX_REASON_CHARS,
    })
}

/// `GET /clinic/patients/{id}/plan[?exercise=ID][&saved=ID]`
pub async fn show<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> PageResult<Response> {
    let linked = LinkedPatient::open(&state, &me.user, &id, Access::view(PLAN)).await?;
    let saved = q.saved.as_deref().and_then(|s| state.kb.exercise(s)).map(|x| x.name.clone());
    let exercise = q.exercise.as_deref().filter(|e| !e.is_empty());
    let page = page(&state, &linked, &me.session.csrf_token, exercise, None, saved).await?;
    Ok(html(&page)?.into_response())
}

/// `POST /clinic/patients/{id}/plan`
pub async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    ClinicianIn(me): ClinicianIn,
    Path(id): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let link = CheckedLink::check(&state, &me.user, &id).await?;
    let edit = match parse(&state.kb, |name| form.get(name)) {
        Ok(edit) => edit,
        Err(problem) => {
            // The form comes back with its error: a look at the plan, nothing changed.
            let linked = link.open(&state, Access::view(PLAN)).await?;
            let exercise = form.get("exercise_id").filter(|e| state.kb.exercise(e).is_some());
            let page = page(&state, &linked, &me.session.csrf_token, exercise, Some((&form, &problem)), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
    };
    let linked = link.open(&state, Access::change(format!("{PLAN} ({})", describe(&state.kb, &edit)))).await?;
    let patient = &linked.patient().id;
    let plan = current_plan(&state, patient)
        .await?
        .ok_or_else(|| AppError(Problem::Conflict("There is no plan in force to change any more.".into())))?;
    let in_plan = |id: &str| plan.steps.iter().flatten().any(|c| c.exercise.id == id);
    if !in_plan(&edit.exercise_id) {
        return Err(AppError(Problem::Conflict(
            "This exercise is no longer in the plan: it changed since the form was opened. Reload the plan and try again."
                .into(),
        )));
    }
    if let Some(r) = &edit.replacement
        && in_plan(r)
    {
        return Err(AppError(Problem::Conflict(
            "The replacement is already in the plan: pick another exercise.".into(),
        )));
    }
    let i64_of = |v: Option<u32>| v.map(i64::from);
    state
        .store
        .add_plan_change(&NewPlanChange {
            user_id: patient.clone(),
            exercise_id: edit.exercise_id.clone(),
            replacement: edit.replacement.clone(),
            sets: i64_of(edit.sets),
            reps: i64_of(edit.reps),
            hold_seconds: i64_of(edit.hold_seconds),
            per_week: i64_of(edit.per_week),
            note: edit.note.clone(),
            author_id: Some(linked.clinician().id.clone()),
            reason: edit.reason.clone(),
            now: state.now(),
        })
        .await?;
    let now_id = edit.replacement.as_deref().unwrap_or(&edit.exercise_id);
    Ok(Redirect::to(&format!("/clinic/patients/{}/plan?saved={now_id}", linked.patient().id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Knowledge {
        Knowledge::embedded().expect("valid")
    }

    /// An exercise without a hold, one with, and a harder version of the first.
    fn ids(kb: &Knowledge) -> (String, String, String) {
        let plain = kb
            .exercises()
            .iter()
            .find(|x| x.dose.hold_seconds.is_none() && x.progression.is_some())
            .expect("a repeated exercise with a harder version");
        let held = kb.exercises().iter().find(|x| x.dose.hold_seconds.is_some()).expect("a held exercise");
        let harder = kb.exercises()[plain.progression.expect("harder")].id.clone();
        (plain.id.clone(), held.id.clone(), harder)
    }

    fn parse_fields(kb: &Knowledge, fields: &[(&str, &str)]) -> Result<EditRequest, FieldError> {
        parse(kb, |name| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v))
    }

    #[test]
    fn a_dose_change_with_a_reason_parses_and_empty_fields_mean_unchanged() {
        let kb = kb();
        let (plain, _, _) = ids(&kb);
        let e = parse_fields(
            &kb,
            &[("exercise_id", &plain), ("sets", " 3 "), ("reps", ""), ("per_week", "4"), ("reason", "sore after 5")],
        )
        .expect("valid");
        assert_eq!((e.sets, e.reps, e.hold_seconds, e.per_week), (Some(3), None, None, Some(4)));
        assert_eq!((e.note.as_deref(), e.reason.as_str()), (None, "sore after 5"));
        assert!(describe(&kb, &e).ends_with(": 3 sets, 4 sessions a week"), "{}", describe(&kb, &e));
    }

    #[test]
    fn every_range_is_checked_at_both_ends_and_names_its_field() {
        let kb = kb();
        let (plain, held, _) = ids(&kb);
        for (field, ok, bad) in [
            ("sets", ["1", "10"], ["0", "11"]),
            ("reps", ["1", "50"], ["0", "51"]),
            ("per_week", ["1", "14"], ["0", "15"]),
        ] {
            for v in ok {
                assert!(
                    parse_fields(&kb, &[("exercise_id", &plain), (field, v), ("reason", "r")]).is_ok(),
                    "{field}={v}"
                );
            }
            for v in bad.into_iter().chain(["2.5", "-1", "three", "99999999999"]) {
                let e = parse_fields(&kb, &[("exercise_id", &plain), (field, v), ("reason", "r")]).expect_err(v);
                assert_eq!(e.field, field, "{field}={v}: {e:?}");
                assert!(e.message.contains("whole number from"), "{e:?}");
            }
        }
        for (v, ok) in [("5", true), ("300", true), ("4", false), ("301", false)] {
            let r = parse_fields(&kb, &[("exercise_id", &held), ("hold_seconds", v), ("reason", "r")]);
            assert_eq!(r.is_ok(), ok, "hold {v}: {r:?}");
        }
        let e = parse_fields(&kb, &[("exercise_id", &plain), ("hold_seconds", "30"), ("reason", "r")])
            .expect_err("no hold");
        assert_eq!(e.field, "hold_seconds");
    }

    #[test]
    fn the_note_and_the_reason_are_length_limited_and_the_reason_is_required() {
        let kb = kb();
        let (plain, _, _) = ids(&kb);
        let long_note = "é".repeat(MAX_NOTE_CHARS + 1);
        let fine_note = "é".repeat(MAX_NOTE_CHARS);
        let long_reason = "x".repeat(MAX_REASON_CHARS + 1);
        let e = parse_fields(&kb, &[("exercise_id", &plain), ("note", &long_note), ("reason", "r")]).expect_err("long");
        assert_eq!(e.field, "note");
        assert!(parse_fields(&kb, &[("exercise_id", &plain), ("note", &fine_note), ("reason", "r")]).is_ok());
        let e =
            parse_fields(&kb, &[("exercise_id", &plain), ("sets", "2"), ("reason", &long_reason)]).expect_err("long");
        assert_eq!(e.field, "reason");
        let e = parse_fields(&kb, &[("exercise_id", &plain), ("sets", "2"), ("reason", "  ")]).expect_err("no reason");
        assert_eq!(e.field, "reason");
    }

    #[test]
    fn swaps_must_name_another_known_exercise_and_something_must_change() {
        let kb = kb();
        let (plain, held, harder) = ids(&kb);
        let e =
            parse_fields(&kb, &[("exercise_id", &plain), ("replacement", &harder), ("reason", "ready")]).expect("ok");
        assert_eq!(e.replacement.as_deref(), Some(harder.as_str()));
        assert!(describe(&kb, &e).contains("swapped for"));
        for (replacement, field) in [(plain.as_str(), "replacement"), ("no_such_exercise", "replacement")] {
            let e = parse_fields(&kb, &[("exercise_id", &plain), ("replacement", replacement), ("reason", "r")])
                .expect_err(replacement);
            assert_eq!(e.field, field);
        }
        // A hold is allowed when the exercise swapped in is held.
        assert!(
            parse_fields(
                &kb,
                &[("exercise_id", &plain), ("replacement", &held), ("hold_seconds", "20"), ("reason", "r")]
            )
            .is_ok()
        );
        assert_eq!(
            parse_fields(&kb, &[("exercise_id", &plain), ("reason", "r")]).expect_err("nothing").field,
            "change"
        );
        assert_eq!(
            parse_fields(&kb, &[("exercise_id", "nope"), ("reason", "r")]).expect_err("unknown").field,
            "exercise_id"
        );
        assert_eq!(parse_fields(&kb, &[("reason", "r")]).expect_err("none").field, "exercise_id");
    }

    fn change(author: bool, exercise: &str, sets: Option<i64>, note: Option<&str>, day: i64) -> PlanChange {
        PlanChange {
            id: kneeroot_store::AssessmentId::random(),
            user_id: kneeroot_store::UserId::random(),
            exercise_id: exercise.into(),
            replacement: None,
            sets,
            reps: None,
            hold_seconds: None,
            per_week: None,
            note: note.map(str::to_owned),
            author_id: author.then(kneeroot_store::UserId::random),
            reason: "r".into(),
            created_at: day * 86_400 + 3600,
        }
    }

    #[test]
    fn a_clinicians_dose_change_holds_back_the_rules_for_the_sessions_before_it_only() {
        let changes = [change(true, "a", Some(2), None, 10)];
        assert!(clinician_decided_after(&changes, "a", 9), "a session before the change");
        assert!(clinician_decided_after(&changes, "a", 10), "a session on the day of the change");
        assert!(!clinician_decided_after(&changes, "a", 11), "a session after it is judged as usual");
        assert!(!clinician_decided_after(&changes, "b", 9), "another exercise");
        // The rules' own changes and a clinician's note alone hold back nothing.
        assert!(!clinician_decided_after(&[change(false, "a", Some(2), None, 10)], "a", 9));
        assert!(!clinician_decided_after(&[change(true, "a", None, Some("well done"), 10)], "a", 9));
        // A swap holds back the exercise swapped in as well.
        let mut swap = change(true, "a", None, None, 10);
        swap.replacement = Some("b".into());
        assert!(clinician_decided_after(&[swap], "b", 10));
    }
}
