//! Outcome questionnaires: which are due and what the answers so far show (`GET /questionnaires`), and a
//! form for each one kneeroot offers (`GET`/`POST /questionnaires/{instrument}`): the Kujala anterior knee
//! pain scale, the KOOS-12, the pain rating (NPRS) and the person's own activities (PSFS).
//!
//! **Schedule.** A baseline (week 0) once an assessment is saved, then weeks 4, 8 and 12 of the plan,
//! counted from the latest assessment with the plan page's `week_of`. A questionnaire is due when it has no
//! response for the latest checkpoint reached. The function questionnaire follows the latest assessment:
//! Kujala for kneecap (patellofemoral) pain, KOOS-12 otherwise, never both; the PSFS and the pain rating
//! every time.
//!
//! **Scoring.** Answers are checked and scored by the core's parsers and scoring rules only: a Kujala
//! total needs all 13 items, a KOOS-12 scale 2 of its 4, a PSFS 3 to 5 named activities. [`score`] is
//! shared with the API (`/api/v1/outcomes`), so a form and a script meet the same rules and the same
//! messages, each naming the item. Every response is stored with its instrument's scoring version, and
//! a change from the starting score is only judged between responses of the same version.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use kneeroot_core::answers::{AnswerError, AnswerErrors};
use kneeroot_core::outcomes::{
    Instrument, KOOS12_FUNCTION_ITEMS, KOOS12_PAIN_ITEMS, KOOS12_QOL_ITEMS, KUJALA_ITEMS, KoosAnswers, KujalaAnswers,
    MeaningfulChange, Measure, Nprs, OutcomeError, Psfs, PsfsActivity, Reading, compare_psfs, display_score, interpret,
    score_koos12, score_kujala,
};
use kneeroot_store::{NewOutcomeResponse, OutcomeResponse, Store, UserId};
use serde_json::{Map, Value, json};

use super::plan::week_of;
use crate::error::{AppError, PageResult, Problem};
use crate::session::{CheckedForm, SignedIn};
use crate::state::AppState;
use crate::views::{Layout, html};

/// The questionnaire pages.
pub fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/questionnaires", get(list::<S>))
        .route("/questionnaires/{instrument}", get(form::<S>).post(submit::<S>))
}

// ------------------------------------------------------------------------------------------------
// Instruments and schedule
// ------------------------------------------------------------------------------------------------

/// The questionnaires kneeroot offers (the full KOOS and the KOOS-PS are scored by the core but not asked).
const OFFERED: [Instrument; 4] = [Instrument::Kujala, Instrument::Koos12, Instrument::Nprs, Instrument::Psfs];

/// The instrument with this id, if kneeroot offers it.
pub(crate) fn offered(id: &str) -> Option<Instrument> {
    Instrument::from_id(id).filter(|i| OFFERED.contains(i))
}

/// The plan weeks at which the questionnaires are due: the start, then weeks 4, 8 and 12.
const CHECKPOINTS: [u32; 4] = [0, 4, 8, 12];

/// The presentation that makes the Kujala scale the function questionnaire.
const KNEECAP_PAIN: &str = "patellofemoral_pain";

/// The largest plan week accepted from the API (two years).
pub(crate) const MAX_WEEK: u64 = 104;

fn name(instrument: Instrument) -> &'static str {
    match instrument {
        Instrument::Kujala => "Kneecap pain questionnaire (Kujala)",
        Instrument::Koos12 => "Knee questionnaire (KOOS-12)",
        Instrument::Nprs => "Pain right now (0 to 10)",
        Instrument::Psfs => "Your own activities (PSFS)",
        Instrument::Koos => "Knee questionnaire (KOOS)",
        Instrument::KoosPs => "Knee function questionnaire (KOOS-PS)",
    }
}

fn about(instrument: Instrument) -> &'static str {
    match instrument {
        Instrument::Kujala => "13 questions about pain around the kneecap and what it stops you doing.",
        Instrument::Koos12 => "12 questions about knee pain, daily activities and how your knee affects your life.",
        Instrument::Nprs => "One question: how much your knee hurts right now.",
        Instrument::Psfs => "Rate how well you can do activities that matter to you.",
        Instrument::Koos | Instrument::KoosPs => "",
    }
}

/// Where a signed-in person is in their plan, for the questionnaire schedule.
pub(crate) struct Timing {
    /// The plan week now (1-based), counted from the latest assessment.
    week: u32,
    /// The latest checkpoint reached (0 = the start).
    pub(crate) checkpoint: u32,
    /// The next checkpoint, if any.
    next: Option<u32>,
    /// When the first assessment was saved: a baseline counts from then.
    first_at: i64,
    /// When the latest assessment was saved: later checkpoints count from then.
    latest_at: i64,
    /// Whether the latest assessment found kneecap (patellofemoral) pain.
    kneecap: bool,
}

impl Timing {
    /// The function questionnaire for this person: Kujala or KOOS-12, never both.
    fn function(&self) -> Instrument {
        if self.kneecap { Instrument::Kujala } else { Instrument::Koos12 }
    }

    /// The questionnaires offered at every checkpoint.
    fn offered(&self) -> [Instrument; 3] {
        [self.function(), Instrument::Psfs, Instrument::Nprs]
    }

    /// Whether `instrument` already has a response for the current checkpoint.
    fn done(&self, instrument: Instrument, responses: &[OutcomeResponse]) -> bool {
        let since = if self.checkpoint == 0 { self.first_at } else { self.latest_at };
        responses
            .iter()
            .any(|r| r.instrument == instrument.id() && r.week == i64::from(self.checkpoint) && r.taken_at >= since)
    }
}

/// The schedule position of `owner`, or `None` before the first saved assessment.
///
/// # Errors
/// A store failure or an unreadable stored assessment.
pub(crate) async fn timing<S: Store>(state: &AppState<S>, owner: &UserId) -> Result<Option<Timing>, Problem> {
    let all = state.store.assessments(owner).await?; // newest first
    let (Some(latest), Some(first)) = (all.first(), all.last()) else { return Ok(None) };
    let Some(parsed) = state.assessments.load(&state.store, &state.kb, owner, &latest.id).await? else {
        return Ok(None);
    };
    let last = CHECKPOINTS[CHECKPOINTS.len() - 1];
    // A plan shorter than the last checkpoint still gets its week-12 questionnaires.
    let weeks = parsed.result.plan.as_ref().map_or(last, |p| p.weeks.max(last));
    let week = week_of(parsed.created_at, state.now(), weeks);
    Ok(Some(Timing {
        week,
        checkpoint: CHECKPOINTS.iter().rev().copied().find(|c| *c <= week).unwrap_or(0),
        next: CHECKPOINTS.iter().copied().find(|c| *c > week),
        first_at: first.created_at,
        latest_at: parsed.created_at,
        kneecap: parsed.result.presentations.iter().any(|p| p.id == KNEECAP_PAIN),
    }))
}

// ------------------------------------------------------------------------------------------------
// Checking and scoring (shared with the API)
// ------------------------------------------------------------------------------------------------

/// One answer that cannot be accepted.
#[derive(Debug, Clone)]
pub(crate) struct Invalid {
    /// The item as the API names it: `"3"`, `"P5"`, `"rating"`, `"activities[0].name"`, `"week"`.
    item: String,
    /// The value given, as short JSON.
    value: String,
    /// What would have been accepted.
    allowed: String,
    /// The message for a person filling in the form, naming the question.
    message: String,
    /// The id of the form element it belongs to.
    anchor: String,
}

impl Invalid {
    /// A problem with a field of an API request body.
    pub(crate) fn field(item: &str, raw: Option<&Value>, allowed: &str) -> Invalid {
        let value = shown(raw.unwrap_or(&Value::Null));
        Invalid {
            item: item.to_owned(),
            message: format!("'{item}' = {value} is not allowed; expected {allowed}"),
            value,
            allowed: allowed.to_owned(),
            anchor: String::new(),
        }
    }

    /// An item or field that does not exist.
    fn unknown(key: &str, raw: &Value, known: &str) -> Invalid {
        Invalid {
            item: key.to_owned(),
            value: shown(raw),
            // `AnswerError` words an unknown id by this prefix.
            allowed: format!("a known answer id: {known}"),
            message: format!("'{key}' is not a question of this questionnaire."),
            anchor: String::new(),
        }
    }

    /// A core parser's error about `item`, with the message for people.
    fn outcome(e: &OutcomeError, item: &str, raw: &Value, message: String, anchor: &str) -> Invalid {
        let (value, allowed) = match e {
            OutcomeError::InvalidValue { value, allowed, .. } => (value.clone(), allowed.clone()),
            OutcomeError::UnknownItem { allowed, .. } => (shown(raw), format!("a known answer id: {allowed}")),
            other => (shown(raw), other.to_string()),
        };
        Invalid { item: item.to_owned(), value, allowed, message, anchor: anchor.to_owned() }
    }
}

/// The problems as the API's `invalid_answers` error (422), naming the first item in `field`.
pub(crate) fn problem(invalid: Vec<Invalid>) -> Problem {
    Problem::Answers(AnswerErrors(
        invalid.into_iter().map(|i| AnswerError { id: i.item, value: i.value, allowed: i.allowed }).collect(),
    ))
}

/// A JSON value for a message, shortened so a pasted blob cannot flood it.
fn shown(raw: &Value) -> String {
    let s = raw.to_string();
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s }
}

/// A checked and scored questionnaire, ready to store.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    /// The answers, normalised (JSON).
    pub(crate) answers: Value,
    /// The scores (JSON), unrounded.
    pub(crate) scores: Value,
    /// The scoring version, stored with the scores.
    pub(crate) version: &'static str,
}

/// Check `answers` (a JSON object) for `instrument` with the core's parsers and score them. Every problem
/// is reported, each naming its item.
pub(crate) fn score(instrument: Instrument, answers: &Value) -> Result<Scored, Vec<Invalid>> {
    let Value::Object(map) = answers else {
        return Err(vec![Invalid::field("answers", Some(answers), "a JSON object mapping item ids to answers")]);
    };
    match instrument {
        Instrument::Kujala => check_kujala(map),
        Instrument::Koos12 => check_koos12(map),
        Instrument::Nprs => check_nprs(map),
        Instrument::Psfs => check_psfs(map),
        Instrument::Koos | Instrument::KoosPs => {
            Err(vec![Invalid::field("instrument", Some(&json!(instrument.id())), INSTRUMENTS_ALLOWED)])
        }
    }
}

/// What the API accepts as `instrument`.
pub(crate) const INSTRUMENTS_ALLOWED: &str = "one of \"kujala\", \"koos12\", \"nprs\", \"psfs\"";

fn unknown_keys(map: &Map<String, Value>, known: &[&str], described: &str) -> Vec<Invalid> {
    map.iter().filter(|(k, _)| !known.contains(&k.as_str())).map(|(k, v)| Invalid::unknown(k, v, described)).collect()
}

fn kujala_label(number: u8, topic: &str) -> String {
    format!("Question {number} ({topic})")
}

fn check_kujala(map: &Map<String, Value>) -> Result<Scored, Vec<Invalid>> {
    let ids: Vec<String> = KUJALA_ITEMS.iter().map(|i| i.number.to_string()).collect();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut invalid = unknown_keys(map, &known, "the Kujala item numbers \"1\" to \"13\"");
    let mut clean = Map::new();
    let mut missing = Vec::new();
    for (item, key) in KUJALA_ITEMS.iter().zip(&ids) {
        let raw = map.get(key).unwrap_or(&Value::Null);
        let label = kujala_label(item.number, item.topic);
        if raw.is_null() {
            missing.push(Invalid {
                item: key.clone(),
                value: "null".into(),
                allowed: format!(
                    "an answer: the Kujala total needs all 13 items; {} has the options 0 to {}",
                    item.topic,
                    item.options.len() - 1
                ),
                message: format!("{label} is not answered. Every question is needed for a score."),
                anchor: format!("q-{key}"),
            });
            continue;
        }
        let one = Value::Object(Map::from_iter([(key.clone(), raw.clone())]));
        match KujalaAnswers::from_json(&one) {
            Ok(_) => {
                clean.insert(key.clone(), raw.clone());
            }
            Err(e) => invalid.push(Invalid::outcome(
                &e,
                key,
                raw,
                format!("{label}: that is not one of its answers."),
                &format!("q-{key}"),
            )),
        }
    }
    invalid.extend(missing);
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let answers = KujalaAnswers::from_json(&Value::Object(clean))
        .map_err(|e| vec![Invalid::outcome(&e, "answers", &Value::Null, e.to_string(), "")])?;
    let score = score_kujala(&answers);
    let stored: Map<String, Value> =
        KUJALA_ITEMS.iter().filter_map(|i| answers.get(i.number).map(|c| (i.number.to_string(), json!(c)))).collect();
    Ok(Scored {
        answers: Value::Object(stored),
        scores: json!({"total": score.total, "version": score.version}),
        version: score.version,
    })
}

/// The answer words of a KOOS-12 item, codes 0 to 4.
#[derive(Debug, Clone, Copy)]
enum Anchors {
    /// How often (P1).
    Frequency,
    /// How much (pain and difficulty items, Q4).
    Severity,
    /// How often aware (Q1).
    Aware,
    /// How much changed (Q2).
    Lifestyle,
    /// How troubled (Q3).
    Confidence,
}

impl Anchors {
    fn labels(self) -> [&'static str; 5] {
        match self {
            Anchors::Frequency => ["Never", "Monthly", "Weekly", "Daily", "Always"],
            Anchors::Severity => ["None", "Mild", "Moderate", "Severe", "Extreme"],
            Anchors::Aware => ["Never", "Monthly", "Weekly", "Daily", "Constantly"],
            Anchors::Lifestyle => ["Not at all", "Mildly", "Moderately", "Severely", "Totally"],
            Anchors::Confidence => ["Not at all", "Mildly", "Moderately", "Severely", "Extremely"],
        }
    }
}

/// The KOOS-12 items in form order, with kneeroot's own wording (a paraphrase, not the licensed text).
const KOOS12_FORM: [(&str, &str, Anchors); 12] = [
    ("P1", "How often do you feel knee pain?", Anchors::Frequency),
    ("P5", "Pain walking on a flat surface", Anchors::Severity),
    ("P6", "Pain going up or down stairs", Anchors::Severity),
    ("P8", "Pain while sitting or lying down", Anchors::Severity),
    ("A4", "Difficulty standing", Anchors::Severity),
    ("A3", "Difficulty rising from sitting", Anchors::Severity),
    ("A7", "Difficulty getting in or out of a car", Anchors::Severity),
    ("SP4", "Difficulty twisting or turning on the painful knee", Anchors::Severity),
    ("Q1", "How often does your knee problem come to mind?", Anchors::Aware),
    ("Q2", "Have you changed how you live to spare your knee?", Anchors::Lifestyle),
    ("Q3", "How much does not trusting your knee bother you?", Anchors::Confidence),
    ("Q4", "Overall, how much trouble does your knee give you?", Anchors::Severity),
];

/// The three KOOS-12 scales: name and items.
const KOOS12_SCALES: [(&str, [&str; 4]); 3] =
    [("Pain", KOOS12_PAIN_ITEMS), ("Function", KOOS12_FUNCTION_ITEMS), ("Quality of life", KOOS12_QOL_ITEMS)];

fn check_koos12(map: &Map<String, Value>) -> Result<Scored, Vec<Invalid>> {
    let known: Vec<&str> = KOOS12_FORM.iter().map(|(id, _, _)| *id).collect();
    let mut invalid = unknown_keys(map, &known, "the KOOS-12 items P1, P5, P6, P8, A4, A3, A7, SP4, Q1, Q2, Q3, Q4");
    let mut clean = Map::new();
    for (id, legend, _) in KOOS12_FORM {
        let Some(raw) = map.get(id).filter(|v| !v.is_null()) else { continue };
        let one = Value::Object(Map::from_iter([(id.to_owned(), raw.clone())]));
        match KoosAnswers::from_json(&one) {
            Ok(_) => {
                clean.insert(id.to_owned(), raw.clone());
            }
            Err(e) => invalid.push(Invalid::outcome(
                &e,
                id,
                raw,
                format!("{legend}: that is not one of its answers."),
                &format!("q-{id}"),
            )),
        }
    }
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let answers = KoosAnswers::from_json(&Value::Object(clean))
        .map_err(|e| vec![Invalid::outcome(&e, "answers", &Value::Null, e.to_string(), "")])?;
    let scores = score_koos12(&answers);
    if scores.pain.is_none() && scores.function.is_none() && scores.qol.is_none() {
        // Nothing could be scored: there is nothing worth storing.
        return Err(KOOS12_SCALES
            .iter()
            .map(|(scale, items)| {
                let first = items.iter().find(|id| answers.get(id).is_none()).unwrap_or(&items[0]);
                Invalid {
                    item: (*first).to_owned(),
                    value: "null".into(),
                    allowed: format!(
                        "answers to at least 2 of {} (the {} scale)",
                        items.join(", "),
                        scale.to_lowercase()
                    ),
                    message: format!("{scale}: answer at least 2 of its 4 questions to get a score."),
                    anchor: format!("q-{first}"),
                }
            })
            .collect());
    }
    let stored: Map<String, Value> =
        KOOS12_FORM.iter().filter_map(|(id, _, _)| answers.get(id).map(|c| ((*id).to_owned(), json!(c)))).collect();
    Ok(Scored {
        answers: Value::Object(stored),
        scores: json!({"pain": scores.pain, "function": scores.function, "qol": scores.qol, "summary": scores.summary}),
        version: Instrument::Koos12.version(),
    })
}

const NPRS_ALLOWED: &str = "a whole number from 0 (no pain) to 10 (worst pain imaginable)";

fn check_nprs(map: &Map<String, Value>) -> Result<Scored, Vec<Invalid>> {
    let mut invalid = unknown_keys(map, &["rating"], "\"rating\"");
    let raw = map.get("rating").unwrap_or(&Value::Null);
    let anchor = "q-rating";
    let rating = if raw.is_null() {
        invalid.push(Invalid {
            item: "rating".into(),
            value: "null".into(),
            allowed: NPRS_ALLOWED.into(),
            message: "Choose how much your knee hurts right now, from 0 to 10.".into(),
            anchor: anchor.into(),
        });
        None
    } else {
        let message = "Pain right now: choose a number from 0 to 10.".to_owned();
        match raw.as_u64().and_then(|n| u8::try_from(n).ok()) {
            Some(n) => match Nprs::new(n) {
                Ok(r) => Some(r),
                Err(e) => {
                    invalid.push(Invalid::outcome(&e, "rating", raw, message, anchor));
                    None
                }
            },
            None => {
                invalid.push(Invalid {
                    item: "rating".into(),
                    value: shown(raw),
                    allowed: NPRS_ALLOWED.into(),
                    message,
                    anchor: anchor.into(),
                });
                None
            }
        }
    };
    match rating {
        Some(r) if invalid.is_empty() => Ok(Scored {
            answers: json!({"rating": r.value()}),
            scores: json!({"rating": r.value()}),
            version: Instrument::Nprs.version(),
        }),
        _ => Err(invalid),
    }
}

/// The shortest and longest PSFS activity name accepted, in characters.
const PSFS_NAME_CHARS: (usize, usize) = (2, 60);

fn check_psfs(map: &Map<String, Value>) -> Result<Scored, Vec<Invalid>> {
    let mut invalid = unknown_keys(map, &["activities"], "\"activities\"");
    let list_allowed = "a list of 3 to 5 activities, each {\"name\": text, \"rating\": 0 to 10}";
    let Some(Value::Array(list)) = map.get("activities") else {
        invalid.push(Invalid {
            message: "Name 3 activities and rate each one.".into(),
            anchor: "activity-1".into(),
            ..Invalid::field("activities", map.get("activities"), list_allowed)
        });
        return Err(invalid);
    };
    let mut activities = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let n = i + 1;
        let Value::Object(a) = entry else {
            invalid.push(Invalid::field(
                &format!("activities[{i}]"),
                Some(entry),
                "{\"name\": text, \"rating\": 0 to 10}",
            ));
            continue;
        };
        for (k, v) in a.iter().filter(|(k, _)| k.as_str() != "name" && k.as_str() != "rating") {
            invalid.push(Invalid::unknown(&format!("activities[{i}].{k}"), v, "\"name\" and \"rating\""));
        }
        let raw_name = a.get("name").unwrap_or(&Value::Null);
        let name = raw_name.as_str().map(str::trim).unwrap_or_default();
        let chars = name.chars().count();
        let (shortest, longest) = PSFS_NAME_CHARS;
        if chars < shortest || chars > longest || name.chars().any(char::is_control) {
            let message = if name.is_empty() {
                format!("Activity {n}: name the activity.")
            } else {
                format!("Activity {n}: use {shortest} to {longest} characters for its name.")
            };
            invalid.push(Invalid {
                message,
                anchor: format!("activity-{n}"),
                ..Invalid::field(
                    &format!("activities[{i}].name"),
                    Some(raw_name),
                    &format!("the activity's name, {shortest} to {longest} characters"),
                )
            });
        }
        let raw_rating = a.get("rating").unwrap_or(&Value::Null);
        let rating = raw_rating.as_u64().filter(|r| *r <= 10).and_then(|r| u8::try_from(r).ok());
        if rating.is_none() {
            let label = if name.is_empty() { format!("Activity {n}") } else { format!("Activity {n} ({name})") };
            invalid.push(Invalid {
                message: format!("{label}: rate it from 0 to 10."),
                anchor: format!("q-rating-{n}"),
                ..Invalid::field(
                    &format!("activities[{i}].rating"),
                    Some(raw_rating),
                    "a whole number from 0 (unable to do it) to 10 (as well as before the problem)",
                )
            });
        }
        activities.push(PsfsActivity::new(name, rating.unwrap_or(0)));
    }
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let psfs = Psfs::new(activities.clone()).map_err(|e| {
        let (item, message, anchor) = match &e {
            OutcomeError::DuplicateActivity { name } => {
                let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                let i = activities.iter().rposition(|a| key(&a.name) == key(name)).unwrap_or(0);
                (
                    format!("activities[{i}].name"),
                    format!("Activity {}: \u{201c}{name}\u{201d} is already listed; name a different activity.", i + 1),
                    format!("activity-{}", i + 1),
                )
            }
            _ => ("activities".to_owned(), "Name 3 activities and rate each one.".to_owned(), "activity-1".to_owned()),
        };
        vec![Invalid::outcome(&e, &item, &Value::Array(list.clone()), message, &anchor)]
    })?;
    let stored: Vec<Value> = psfs.activities().iter().map(|a| json!({"name": a.name, "rating": a.rating})).collect();
    Ok(Scored {
        answers: json!({"activities": stored}),
        scores: json!({"score": psfs.score(), "activities": psfs.activities().len()}),
        version: Instrument::Psfs.version(),
    })
}

/// Store a scored questionnaire of `owner` for plan week `week`.
///
/// # Errors
/// A store failure.
pub(crate) async fn save<S: Store>(
    state: &AppState<S>,
    owner: &UserId,
    instrument: Instrument,
    scored: &Scored,
    week: i64,
) -> Result<OutcomeResponse, Problem> {
    let new = NewOutcomeResponse {
        user_id: owner.clone(),
        instrument: instrument.id().to_owned(),
        version: scored.version.to_owned(),
        week,
        now: state.now(),
        answers: scored.answers.to_string(),
        scores: scored.scores.to_string(),
    };
    Ok(state.store.save_response(&new).await?)
}

// ------------------------------------------------------------------------------------------------
// The list page
// ------------------------------------------------------------------------------------------------

struct OfferView {
    id: &'static str,
    name: &'static str,
    about: &'static str,
    due: bool,
}

struct ScheduleView {
    week: u32,
    checkpoint: String,
    next: Option<u32>,
    offered: Vec<OfferView>,
    any_due: bool,
}

struct HistoryRow {
    date: String,
    name: String,
    week: String,
    score: String,
    change: String,
}

#[derive(Template)]
#[template(path = "questionnaires.html")]
struct ListPage {
    layout: Layout,
    schedule: Option<ScheduleView>,
    history: Vec<HistoryRow>,
}

fn checkpoint_name(week: u32) -> String {
    if week == 0 { "the start".to_owned() } else { format!("week {week}") }
}

/// `GET /questionnaires`: what is due now, and every response so far with its change from the start.
pub async fn list<S: Store>(State(state): State<AppState<S>>, me: SignedIn) -> PageResult<Html<String>> {
    let responses = state.store.responses(&me.user.id).await?;
    let schedule = timing(&state, &me.user.id).await?.map(|t| {
        let offered: Vec<OfferView> = t
            .offered()
            .into_iter()
            .map(|i| OfferView { id: i.id(), name: name(i), about: about(i), due: !t.done(i, &responses) })
            .collect();
        ScheduleView {
            week: t.week,
            checkpoint: checkpoint_name(t.checkpoint),
            next: t.next,
            any_due: offered.iter().any(|o| o.due),
            offered,
        }
    });
    let page = ListPage { layout: Layout::for_user(&me.user), schedule, history: history(&responses) };
    Ok(html(&page)?)
}

/// The scores of a stored response, parsed (an empty object if unreadable).
fn scores_of(r: &OutcomeResponse) -> Value {
    serde_json::from_str(&r.scores).unwrap_or_else(|_| json!({}))
}

/// The number a change is judged on, and its measure.
fn headline(instrument: Instrument, scores: &Value) -> Option<(Measure, f64)> {
    match instrument {
        Instrument::Kujala => scores["total"].as_f64().map(|v| (Measure::Kujala, v)),
        Instrument::Koos12 => scores["summary"].as_f64().map(|v| (Measure::Koos12, v)),
        Instrument::Nprs => scores["rating"].as_f64().map(|v| (Measure::Nprs, v)),
        Instrument::Psfs => scores["score"].as_f64().map(|v| (Measure::PsfsMean, v)),
        Instrument::Koos | Instrument::KoosPs => None,
    }
}

fn score_text(instrument: Option<Instrument>, scores: &Value) -> String {
    let part = |key: &str| scores[key].as_f64().map_or_else(|| "not scored".to_owned(), display_score);
    match instrument {
        Some(Instrument::Kujala) => {
            scores["total"].as_u64().map_or_else(|| "not scored".to_owned(), |t| format!("{t} of 100"))
        }
        Some(Instrument::Koos12) => {
            let summary = scores["summary"]
                .as_f64()
                .map_or_else(|| "Summary not scored".to_owned(), |v| format!("{} of 100", display_score(v)));
            format!("{summary} (pain {}, function {}, quality of life {})", part("pain"), part("function"), part("qol"))
        }
        Some(Instrument::Nprs) => scores["rating"].as_u64().map_or_else(|| "—".to_owned(), |r| format!("{r} of 10")),
        Some(Instrument::Psfs) => format!("{} of 10", part("score")),
        _ => "—".to_owned(),
    }
}

/// The PSFS activities of a stored response, if readable.
fn psfs_of(r: &OutcomeResponse) -> Option<Psfs> {
    let answers: Value = serde_json::from_str(&r.answers).ok()?;
    serde_json::from_value(answers.get("activities")?.clone()).ok()
}

/// The change from `base` to `r` (same instrument and version) in words.
fn change_text(instrument: Instrument, base: &OutcomeResponse, r: &OutcomeResponse) -> String {
    let not_compared = "Not compared: one of the two has no score".to_owned();
    if instrument == Instrument::Psfs
        && let (Some(before), Some(after)) = (psfs_of(base), psfs_of(r))
        && let Ok(change) = compare_psfs(&before, &after, &MeaningfulChange::default())
    {
        let mut text = change.mean.text;
        if !change.dropped.is_empty() || !change.added.is_empty() {
            text.push_str(&format!(" (on the {} activities rated both times)", change.activities.len()));
        }
        return text;
    }
    let (Some((measure, before)), Some((_, after))) =
        (headline(instrument, &scores_of(base)), headline(instrument, &scores_of(r)))
    else {
        return not_compared;
    };
    match interpret(measure, Reading::new(before, &base.version), Reading::new(after, &r.version)) {
        Ok(verdict) => verdict.text,
        Err(OutcomeError::VersionMismatch { .. }) => "Not compared: a different version of the questionnaire".into(),
        Err(_) => not_compared,
    }
}

/// Every response, newest first, each with its change from the first response of the same instrument and
/// scoring version (scores of different versions are on different scales and never compared).
fn history(responses: &[OutcomeResponse]) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = responses
        .iter()
        .map(|r| {
            let instrument = Instrument::from_id(&r.instrument);
            let base = responses.iter().find(|b| b.instrument == r.instrument && b.version == r.version);
            let change = match (instrument, base) {
                (_, Some(b)) if b.id == r.id => "Your starting point".to_owned(),
                (Some(i), Some(b)) => change_text(i, b, r),
                _ => "—".to_owned(),
            };
            HistoryRow {
                date: super::date(r.taken_at),
                name: instrument.map_or_else(|| r.instrument.clone(), |i| name(i).to_owned()),
                week: if r.week == 0 { "At the start".to_owned() } else { format!("Week {}", r.week) },
                score: score_text(instrument, &scores_of(r)),
                change,
            }
        })
        .collect();
    rows.reverse();
    rows
}

// ------------------------------------------------------------------------------------------------
// The forms
// ------------------------------------------------------------------------------------------------

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

struct TextField {
    id: String,
    name: String,
    label: String,
    value: String,
    error: Option<String>,
}

struct Question {
    anchor: String,
    name: String,
    legend: String,
    inline: bool,
    error: Option<String>,
    options: Vec<Choice>,
    text: Option<TextField>,
}

struct Section {
    heading: Option<String>,
    intro: Option<String>,
    questions: Vec<Question>,
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    id: &'static str,
    title: &'static str,
    intro: Vec<String>,
    sections: Vec<Section>,
    errors: Vec<(String, String)>,
}

/// What the form sent for each field (nothing on a fresh form).
type Sent<'a> = &'a dyn Fn(&str) -> Option<String>;

fn message_for(invalid: &[Invalid], anchor: &str) -> Option<String> {
    invalid.iter().find(|e| e.anchor == anchor).map(|e| e.message.clone())
}

fn radios(name: &str, labels: &[String], sent: Sent<'_>) -> Vec<Choice> {
    let chosen = sent(name);
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| Choice {
            value: i.to_string(),
            label: label.clone(),
            checked: chosen.as_deref() == Some(i.to_string().as_str()),
        })
        .collect()
}

/// Labels for a 0–10 rating with its two ends named.
fn zero_to_ten(low: &str, high: &str) -> Vec<String> {
    (0..=10)
        .map(|i| match i {
            0 => format!("0: {low}"),
            10 => format!("10: {high}"),
            _ => i.to_string(),
        })
        .collect()
}

fn question(anchor: String, name: String, legend: String, options: Vec<Choice>, invalid: &[Invalid]) -> Question {
    Question { error: message_for(invalid, &anchor), anchor, name, legend, inline: false, options, text: None }
}

fn form_sections(
    instrument: Instrument,
    baseline: Option<&Psfs>,
    sent: Sent<'_>,
    invalid: &[Invalid],
) -> (Vec<String>, Vec<Section>) {
    match instrument {
        Instrument::Kujala => {
            let questions = KUJALA_ITEMS
                .iter()
                .map(|item| {
                    let key = item.number.to_string();
                    let labels: Vec<String> = item.options.iter().map(|o| o.label.to_owned()).collect();
                    question(
                        format!("q-{key}"),
                        key.clone(),
                        format!("{}. {}", item.number, item.topic),
                        radios(&key, &labels, sent),
                        invalid,
                    )
                })
                .collect();
            (
                vec![
                    "For each question, choose the answer that describes your knee best at the moment.".into(),
                    "Every question needs an answer for a score.".into(),
                ],
                vec![Section { heading: None, intro: None, questions }],
            )
        }
        Instrument::Koos12 => {
            let intros = [
                "How much knee pain have you had in the last week?",
                "How much difficulty has your knee given you in the last week?",
                "How has your knee affected your life in the last week?",
            ];
            let sections = KOOS12_SCALES
                .iter()
                .zip(intros)
                .map(|((scale, items), intro)| Section {
                    heading: Some((*scale).to_owned()),
                    intro: Some(intro.to_owned()),
                    questions: items
                        .iter()
                        .filter_map(|id| KOOS12_FORM.iter().find(|(i, _, _)| i == id))
                        .map(|(id, legend, anchors)| {
                            let labels: Vec<String> = anchors.labels().iter().map(|l| (*l).to_owned()).collect();
                            Question {
                                inline: true,
                                ..question(
                                    format!("q-{id}"),
                                    (*id).to_owned(),
                                    (*legend).to_owned(),
                                    radios(id, &labels, sent),
                                    invalid,
                                )
                            }
                        })
                        .collect(),
                })
                .collect();
            (
                vec![
                    "These questions are about your knee in the last week. Choose the answer that fits best.".into(),
                    "You can leave a question out, but each part needs at least 2 answers to be scored.".into(),
                ],
                sections,
            )
        }
        Instrument::Nprs => {
            let q = Question {
                inline: true,
                ..question(
                    "q-rating".into(),
                    "rating".into(),
                    "How much does your knee hurt right now?".into(),
                    radios("rating", &zero_to_ten("no pain", "worst pain imaginable"), sent),
                    invalid,
                )
            };
            (
                vec!["Your knee pain right now, from 0 (no pain) to 10 (the worst pain you can imagine).".into()],
                vec![Section { heading: None, intro: None, questions: vec![q] }],
            )
        }
        Instrument::Psfs => psfs_sections(baseline, sent, invalid),
        Instrument::Koos | Instrument::KoosPs => (Vec::new(), Vec::new()),
    }
}

fn psfs_sections(baseline: Option<&Psfs>, sent: Sent<'_>, invalid: &[Invalid]) -> (Vec<String>, Vec<Section>) {
    let labels = zero_to_ten("unable to do it", "as well as before the problem");
    let rating = |n: usize, legend: String| Question {
        inline: true,
        ..question(
            format!("q-rating-{n}"),
            format!("rating{n}"),
            legend,
            radios(&format!("rating{n}"), &labels, sent),
            invalid,
        )
    };
    match baseline {
        Some(base) => {
            let questions = base
                .activities()
                .iter()
                .enumerate()
                .map(|(i, a)| rating(i + 1, format!("How well can you do this now: {}?", a.name)))
                .collect();
            (
                vec![
                    "Rate the same activities you named at the start, so the change can be measured.".into(),
                    "0 means you cannot do it at all; 10 means you can do it as well as before your knee problem."
                        .into(),
                ],
                vec![Section { heading: None, intro: None, questions }],
            )
        }
        None => {
            let questions = (1..=3)
                .map(|n| {
                    let id = format!("activity-{n}");
                    Question {
                        text: Some(TextField {
                            error: message_for(invalid, &id),
                            label: format!("Activity {n}"),
                            name: format!("activity{n}"),
                            value: sent(&format!("activity{n}")).unwrap_or_default(),
                            id,
                        }),
                        ..rating(n, format!("How well can you do activity {n} now?"))
                    }
                })
                .collect();
            (
                vec![
                    "Name 3 important activities that your knee makes hard for you, such as \u{201c}going down stairs\u{201d} or \u{201c}running 5 km\u{201d}, and rate how well you can do each one now.".into(),
                    "0 means you cannot do it at all; 10 means you can do it as well as before your knee problem. You will rate the same activities again later.".into(),
                ],
                vec![Section { heading: None, intro: None, questions }],
            )
        }
    }
}

/// The person's starting PSFS: their first one that can be read.
fn psfs_baseline(responses: &[OutcomeResponse]) -> Option<Psfs> {
    responses.iter().filter(|r| r.instrument == Instrument::Psfs.id()).find_map(psfs_of)
}

fn form_page(
    layout: Layout,
    csrf: String,
    instrument: Instrument,
    baseline: Option<&Psfs>,
    sent: Sent<'_>,
    invalid: &[Invalid],
) -> FormPage {
    let (intro, sections) = form_sections(instrument, baseline, sent, invalid);
    let mut errors: Vec<(String, String)> = Vec::new();
    for e in invalid {
        if !errors.iter().any(|(anchor, message)| *anchor == e.anchor && *message == e.message) {
            errors.push((e.anchor.clone(), e.message.clone()));
        }
    }
    FormPage { layout, csrf, id: instrument.id(), title: name(instrument), intro, sections, errors }
}

/// A form value as JSON: blank is `null`, a whole number a number, anything else the text (which the
/// checks then reject, naming the item).
fn form_value(raw: Option<&str>) -> Value {
    match raw.map(str::trim) {
        None | Some("") => Value::Null,
        Some(s) => s.parse::<u64>().map_or_else(|_| Value::String(s.to_owned()), |n| json!(n)),
    }
}

/// The answers a form sent, as the JSON the checks (and the API) take.
fn answers_from_form(instrument: Instrument, form: &CheckedForm, baseline: Option<&Psfs>) -> Value {
    let object = |ids: Vec<String>| -> Value {
        Value::Object(ids.into_iter().map(|id| (id.clone(), form_value(form.get(&id)))).collect())
    };
    match instrument {
        Instrument::Kujala => object(KUJALA_ITEMS.iter().map(|i| i.number.to_string()).collect()),
        Instrument::Koos12 => object(KOOS12_FORM.iter().map(|(id, _, _)| (*id).to_owned()).collect()),
        Instrument::Nprs => object(vec!["rating".to_owned()]),
        Instrument::Koos | Instrument::KoosPs => json!({}),
        Instrument::Psfs => {
            let activities: Vec<Value> = match baseline {
                Some(base) => base
                    .activities()
                    .iter()
                    .enumerate()
                    .map(|(i, a)| json!({"name": a.name, "rating": form_value(form.get(&format!("rating{}", i + 1)))}))
                    .collect(),
                None => (1..=3)
                    .map(|n| {
                        let name = form.get(&format!("activity{n}")).map_or(Value::Null, |s| json!(s));
                        json!({"name": name, "rating": form_value(form.get(&format!("rating{n}")))})
                    })
                    .collect(),
            };
            json!({"activities": activities})
        }
    }
}

/// `GET /questionnaires/{instrument}`: the empty form (for the PSFS after the first time, the same
/// activities to re-rate).
pub async fn form<S: Store>(
    State(state): State<AppState<S>>,
    me: SignedIn,
    Path(id): Path<String>,
) -> PageResult<Html<String>> {
    let instrument = offered(&id).ok_or(AppError(Problem::NotFound))?;
    let baseline =
        if instrument == Instrument::Psfs { psfs_baseline(&state.store.responses(&me.user.id).await?) } else { None };
    let page = form_page(
        Layout::for_user(&me.user),
        me.session.csrf_token.clone(),
        instrument,
        baseline.as_ref(),
        &|_| None,
        &[],
    );
    Ok(html(&page)?)
}

/// `POST /questionnaires/{instrument}`: check, score and store, then back to the list (303); the form again
/// with every problem named (422) if the answers cannot be scored.
pub async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<String>,
    form: CheckedForm,
) -> PageResult<Response> {
    let user = form.visitor.user.clone().ok_or(AppError(Problem::Unauthorized))?;
    let instrument = offered(&id).ok_or(AppError(Problem::NotFound))?;
    let baseline =
        if instrument == Instrument::Psfs { psfs_baseline(&state.store.responses(&user.id).await?) } else { None };
    let answers = answers_from_form(instrument, &form, baseline.as_ref());
    match score(instrument, &answers) {
        Ok(scored) => {
            let week = timing(&state, &user.id).await?.map_or(0, |t| t.checkpoint);
            save(&state, &user.id, instrument, &scored, i64::from(week)).await?;
            Ok(Redirect::to("/questionnaires").into_response())
        }
        Err(invalid) => {
            let sent = |name: &str| form.get(name).map(str::to_owned);
            let page = form_page(
                Layout::for_user(&user),
                form.session.csrf_token.clone(),
                instrument,
                baseline.as_ref(),
                &sent,
                &invalid,
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
    }
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;

    fn all(choice: u64) -> Value {
        Value::Object(KUJALA_ITEMS.iter().map(|i| (i.number.to_string(), json!(choice))).collect())
    }

    #[test]
    fn kujala_scores_a_complete_form_and_names_every_missing_item() {
        assert_eq!(score(Instrument::Kujala, &all(0)).expect("complete").scores["total"], 100);
        assert_eq!(score(Instrument::Kujala, &all(1)).expect("complete").scores["total"], 72);
        let mut partial = all(0);
        partial["3"] = Value::Null;
        partial["12"] = json!(7);
        let errors = score(Instrument::Kujala, &partial).expect_err("incomplete");
        let items: Vec<&str> = errors.iter().map(|e| e.item.as_str()).collect();
        assert_eq!(items, ["12", "3"], "invalid values first, then the missing items");
        assert!(errors[1].message.contains("Question 3 (Walking)"));
    }

    #[test]
    fn koos12_scores_scales_with_two_answers_and_refuses_an_empty_form() {
        let s = score(Instrument::Koos12, &json!({"P1": 0, "P5": 4, "A4": 1})).expect("pain is scorable");
        assert_eq!(s.scores["pain"], 50.0);
        assert!(s.scores["function"].is_null() && s.scores["summary"].is_null());
        let errors = score(Instrument::Koos12, &json!({})).expect_err("nothing to score");
        assert_eq!(errors.len(), 3);
        let errors = score(Instrument::Koos12, &json!({"P1": 5, "S1": 1})).expect_err("bad");
        assert_eq!(problem(errors).to_string().lines().count(), 2);
    }

    #[test]
    fn odd_input_is_an_error_never_a_panic() {
        for instrument in OFFERED {
            for raw in [
                json!(null),
                json!([]),
                json!("x"),
                json!({"rating": -1}),
                json!({"rating": 1e300}),
                json!({"1": u64::MAX}),
                json!({"activities": [1, {"name": "ab"}, {"name": "a\u{0}b", "rating": 11}]}),
                json!({"activities": [{"name": "Stairs", "rating": 1}, {"name": " stairs ", "rating": 2}, {"name": "run", "rating": 3}]}),
            ] {
                assert!(score(instrument, &raw).is_err(), "{instrument:?} {raw}");
            }
        }
    }

    #[test]
    fn psfs_needs_three_named_activities() {
        let one = json!({"activities": [{"name": "stairs", "rating": 4}]});
        assert_eq!(score(Instrument::Psfs, &one).expect_err("too few")[0].item, "activities");
        let three = json!({"activities": [{"name": "stairs", "rating": 4}, {"name": "run", "rating": 2}, {"name": "kneel", "rating": 6}]});
        assert_eq!(score(Instrument::Psfs, &three).expect("fine").scores["score"], 4.0);
    }
}
