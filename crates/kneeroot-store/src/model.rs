//! The records kneeroot stores, as domain types. Values are validated where they enter (the web crate
//! parses forms and JSON into these); the store trusts them and the database constraints back them up.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, UTC. The store never reads a clock: callers pass `now` in, so tests
/// control time and every instance of a scaled-out deployment agrees on what was written.
pub type Timestamp = i64;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id (UUID v4, 122 random bits): unguessable, so an id alone grants nothing.
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4().simple().to_string())
            }

            /// Accept an id from outside (a URL, a token) if it has the shape of one; `None` otherwise.
            pub fn parse(s: &str) -> Option<Self> {
                (s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
                    .then(|| Self(s.to_owned()))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub(crate) fn from_db(s: String) -> Self {
                Self(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A user's id.
    UserId
);
id_type!(
    /// A stored assessment's id.
    AssessmentId
);

/// An email address, trimmed and lower-cased; checked to have one `@` with text on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parse an address typed by a person.
    ///
    /// # Errors
    /// A message saying what is wrong, fit to show next to the field.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("Please enter your email address.".into());
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("That does not look like an email address.".into());
        }
        match s.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && domain.contains('.')
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Email(s))
            }
            _ => Err("That does not look like an email address (it needs a name, an @ and a domain).".into()),
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_db(s: String) -> Email {
        Email(s)
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A person with knee pain.
    Patient,
    /// A physiotherapist or other clinician.
    Clinician,
    /// A clinic administrator.
    Admin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "patient" => Some(Role::Patient),
            "clinician" => Some(Role::Clinician),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login email (unique).
    pub email: Email,
    /// Role.
    pub role: Role,
    /// When the account was created.
    pub created_at: Timestamp,
}

/// A user with the password hash, for logging in only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// The Argon2id PHC string.
    pub password_hash: String,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login email.
    pub email: Email,
    /// Argon2id PHC string (never the password).
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Creation time.
    pub now: Timestamp,
}

/// How a session is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser cookie (pages).
    Browser,
    /// A bearer token (API clients).
    Api,
}

impl SessionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A server-side session. Only a hash of the secret token is stored, so a copy of the database does not
/// let anyone log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// The signed-in user, if any (anonymous sessions keep wizard answers).
    pub user_id: Option<UserId>,
    /// Browser or API.
    pub kind: SessionKind,
    /// The CSRF token of this session's forms.
    pub csrf_token: String,
    /// Answers of an assessment in progress (JSON object), if any.
    pub draft: Option<String>,
    /// The camera squat screen's state for that draft (JSON: analyses waiting to be confirmed and which
    /// confirmed answers came from the camera; `kneeroot_core::camera::provenance`), if a camera was used.
    pub camera: Option<String>,
    /// Created.
    pub created_at: Timestamp,
    /// Expires (the session is gone after this).
    pub expires_at: Timestamp,
}

/// A stored assessment: the answers, the result and the knowledge-base version that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Id.
    pub id: AssessmentId,
    /// Owner.
    pub user_id: UserId,
    /// When it was taken.
    pub created_at: Timestamp,
    /// Knowledge-base version.
    pub knowledge_version: String,
    /// The answers (JSON object).
    pub answers: String,
    /// The result (JSON, the contract of docs/answers.md).
    pub result: String,
    /// The triage level of the result, kept for listing without parsing JSON.
    pub triage_level: String,
    /// The top root cause, for listing.
    pub top_cause: String,
    /// Which of the answers came from the camera squat screen, and how sure it was (JSON), if any did.
    pub camera: Option<String>,
}

/// A new assessment to store.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// Owner.
    pub user_id: UserId,
    /// When it was taken.
    pub now: Timestamp,
    /// Knowledge-base version.
    pub knowledge_version: String,
    /// Answers JSON.
    pub answers: String,
    /// Result JSON.
    pub result: String,
    /// Triage level of the result.
    pub triage_level: String,
    /// Top cause of the result.
    pub top_cause: String,
    /// Which answers came from the camera squat screen (JSON), if any.
    pub camera: Option<String>,
}

/// A day, as days since 1970-01-01 (UTC). Check-ins are per day, not per instant.
pub type Day = i64;

/// One exercise of one day's session, as the person reported it. Editable: a later report for the same
/// day and exercise replaces the earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseCheckin {
    /// Whose.
    pub user_id: UserId,
    /// Which day.
    pub day: Day,
    /// Which exercise (an exercise id of the knowledge base).
    pub exercise_id: String,
    /// Done at all.
    pub done: bool,
    /// Sets done, if reported.
    pub sets_done: Option<i64>,
    /// Repetitions per set done, if reported.
    pub reps_done: Option<i64>,
    /// Worst pain during it, 0–10, if reported.
    pub pain_during: Option<i64>,
    /// Done with good form (knee over the second toe, controlled), as the person judged it.
    pub quality_ok: bool,
    /// When the report was last written.
    pub updated_at: Timestamp,
}

/// How the knee felt the morning after, compared with usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stiffness {
    /// Less stiff than usual.
    Less,
    /// As usual.
    Same,
    /// Stiffer than usual.
    More,
}

impl Stiffness {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stiffness::Less => "less",
            Stiffness::Same => "same",
            Stiffness::More => "more",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<Stiffness> {
        match s {
            "less" => Some(Stiffness::Less),
            "same" => Some(Stiffness::Same),
            "more" => Some(Stiffness::More),
            _ => None,
        }
    }
}

/// The next-morning report of one day (about the previous day's exercise). Editable like a check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MorningReport {
    /// Whose.
    pub user_id: UserId,
    /// The day of the morning.
    pub day: Day,
    /// Knee pain this morning, 0–10.
    pub pain: i64,
    /// The person's usual morning pain, 0–10, as they gave it that day.
    pub usual: i64,
    /// Stiffness compared with usual.
    pub stiffness: Stiffness,
    /// Red-flag answer ids reported that morning (new locking, fever, calf pain …), usually none.
    pub flags: Vec<String>,
    /// When the report was last written.
    pub updated_at: Timestamp,
}

/// A completed outcome questionnaire (KOOS, Kujala, NPRS, PSFS …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeResponse {
    /// Id.
    pub id: AssessmentId,
    /// Whose.
    pub user_id: UserId,
    /// Instrument id (`koos`, `koos12`, `kujala`, `nprs`, `psfs` …).
    pub instrument: String,
    /// The instrument's version (scores of different versions are never compared).
    pub version: String,
    /// The plan week it belongs to (0 = baseline).
    pub week: i64,
    /// When it was completed.
    pub taken_at: Timestamp,
    /// The answers (JSON).
    pub answers: String,
    /// The scores (JSON).
    pub scores: String,
}

/// A new questionnaire response.
#[derive(Debug, Clone)]
pub struct NewOutcomeResponse {
    /// Whose.
    pub user_id: UserId,
    /// Instrument id.
    pub instrument: String,
    /// Its version.
    pub version: String,
    /// Plan week (0 = baseline).
    pub week: i64,
    /// When.
    pub now: Timestamp,
    /// Answers JSON.
    pub answers: String,
    /// Scores JSON.
    pub scores: String,
}

/// One change to a person's plan: by the progression engine or by a clinician. The log is append-only;
/// the plan in force is the plan of the assessment with every change applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    /// Id.
    pub id: AssessmentId,
    /// Whose plan.
    pub user_id: UserId,
    /// The exercise changed.
    pub exercise_id: String,
    /// The exercise that replaces it, if swapped.
    pub replacement: Option<String>,
    /// New sets, if changed.
    pub sets: Option<i64>,
    /// New repetitions, if changed.
    pub reps: Option<i64>,
    /// New hold in seconds, if changed.
    pub hold_seconds: Option<i64>,
    /// New sessions per week, if changed.
    pub per_week: Option<i64>,
    /// A note for the person, if any.
    pub note: Option<String>,
    /// Who made the change (`None` = kneeroot's progression rules).
    pub author_id: Option<UserId>,
    /// Why, in plain words.
    pub reason: String,
    /// When.
    pub created_at: Timestamp,
}

/// A new plan change.
#[derive(Debug, Clone)]
pub struct NewPlanChange {
    /// Whose plan.
    pub user_id: UserId,
    /// The exercise changed.
    pub exercise_id: String,
    /// Replacement exercise, if swapped.
    pub replacement: Option<String>,
    /// New sets.
    pub sets: Option<i64>,
    /// New repetitions.
    pub reps: Option<i64>,
    /// New hold.
    pub hold_seconds: Option<i64>,
    /// New sessions per week.
    pub per_week: Option<i64>,
    /// Note for the person.
    pub note: Option<String>,
    /// Author (`None` = the progression rules).
    pub author_id: Option<UserId>,
    /// Why.
    pub reason: String,
    /// When.
    pub now: Timestamp,
}

/// A clinician's bookable hours and notice rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// Whose hours.
    pub clinician_id: UserId,
    /// The weekly hours: the JSON of `kneeroot_core::booking::WeeklyAvailability` (time zone, windows,
    /// slot length, exceptions). The store keeps it as opaque text; the caller validates it.
    pub settings: String,
    /// How many minutes ahead a slot must start to be booked.
    pub notice_minutes: i64,
    /// How many minutes ahead an appointment must start to be cancelled or moved.
    pub cancel_notice_minutes: i64,
    /// When the hours were last written.
    pub updated_at: Timestamp,
}

/// Whether an appointment still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// It stands; its slot is taken.
    Booked,
    /// It was cancelled (or moved: the old booking is cancelled and a new one made); its slot is free.
    Cancelled,
}

impl BookingStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<BookingStatus> {
        match s {
            "booked" => Some(BookingStatus::Booked),
            "cancelled" => Some(BookingStatus::Cancelled),
            _ => None,
        }
    }
}

/// An appointment of a patient with a clinician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Id.
    pub id: AssessmentId,
    /// With whom.
    pub clinician_id: UserId,
    /// For whom.
    pub patient_id: UserId,
    /// When it starts (UTC epoch seconds).
    pub start: Timestamp,
    /// When it ends (after `start`).
    pub end: Timestamp,
    /// Why, in the patient's words.
    pub reason: String,
    /// The patient's assessment it is about, if any.
    pub assessment_id: Option<AssessmentId>,
    /// Booked or cancelled.
    pub status: BookingStatus,
    /// When it was booked.
    pub created_at: Timestamp,
    /// When it was cancelled (`Some` exactly when `status` is [`BookingStatus::Cancelled`]).
    pub cancelled_at: Option<Timestamp>,
}

/// A new appointment.
#[derive(Debug, Clone)]
pub struct NewBooking {
    /// With whom.
    pub clinician_id: UserId,
    /// For whom.
    pub patient_id: UserId,
    /// Start (a slot the caller has checked against the clinician's hours and notice).
    pub start: Timestamp,
    /// End (after `start`).
    pub end: Timestamp,
    /// Why.
    pub reason: String,
    /// The patient's assessment it is about, if any (it must be the patient's own).
    pub assessment_id: Option<AssessmentId>,
    /// When it is booked.
    pub now: Timestamp,
}

/// What a clinician did with a patient's record (the audit log's `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Looked at it.
    View,
    /// Changed it (a plan change).
    Change,
    /// Downloaded it (an export).
    Export,
}

impl AuditAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::View => "view",
            AuditAction::Change => "change",
            AuditAction::Export => "export",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<AuditAction> {
        match s {
            "view" => Some(AuditAction::View),
            "change" => Some(AuditAction::Change),
            "export" => Some(AuditAction::Export),
            _ => None,
        }
    }
}

/// One entry of the audit log: someone other than the patient looked at or changed their record.
/// Entries are never changed; they leave only with the patient's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Id.
    pub id: AssessmentId,
    /// When.
    pub at: Timestamp,
    /// Who (their account may since have been deleted).
    pub actor_id: UserId,
    /// Their email at the time, so the entry stays readable after their account is gone.
    pub actor_email: Email,
    /// Their role at the time.
    pub actor_role: Role,
    /// Whose record.
    pub patient_id: UserId,
    /// Looked, changed or downloaded.
    pub action: AuditAction,
    /// Which part of the record, in a few words (`record`, `plan`, `fhir export` …).
    pub what: String,
}

/// A new audit entry.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    /// Who (their email and role are copied into the entry).
    pub actor: User,
    /// Whose record.
    pub patient_id: UserId,
    /// What they did.
    pub action: AuditAction,
    /// Which part of the record.
    pub what: String,
    /// When.
    pub now: Timestamp,
}

/// An invitation to join the clinic, as stored (the secret token is not: only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// SHA-256 of the secret token, hex: the key.
    pub token_hash: String,
    /// Who is invited.
    pub email: Email,
    /// The role they will have.
    pub role: Role,
    /// Who sent it.
    pub invited_by: UserId,
    /// For a patient: the clinician they will be linked to.
    pub clinician_id: Option<UserId>,
    /// Sent.
    pub created_at: Timestamp,
    /// Cannot be accepted from this time on.
    pub expires_at: Timestamp,
    /// Accepted, if it was.
    pub accepted_at: Option<Timestamp>,
    /// By whom (`None` if not accepted, or their account is gone).
    pub accepted_by: Option<UserId>,
}

/// What a person's plan in force is made of, read together (see
/// [`AssessmentStore::plan_inputs`](crate::AssessmentStore::plan_inputs)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInputs {
    /// Their newest assessment, whose plan is the one in force.
    pub assessment: AssessmentId,
    /// When it was taken.
    pub taken_at: Timestamp,
    /// The plan changes made since it was taken (`created_at >= taken_at`), oldest first, ties by id.
    pub changes: Vec<PlanChange>,
    /// Check-ins from the day it was taken to the day asked for, ordered as
    /// [`CheckinStore::checkins`](crate::CheckinStore::checkins) orders them.
    pub checkins: Vec<ExerciseCheckin>,
    /// Morning reports over the same days, by day.
    pub mornings: Vec<MorningReport>,
}
