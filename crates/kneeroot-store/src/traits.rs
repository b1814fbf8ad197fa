//! The storage traits, split by aggregate so each handler asks for only what it needs. All methods are
//! async and take the current time as an argument where it matters.

use std::future::Future;

use crate::error::StoreResult;
use crate::model::*;

/// Accounts.
pub trait UserStore: Send + Sync {
    /// Create an account. `Conflict` if the email is taken.
    fn create_user(&self, new: &NewUser) -> impl Future<Output = StoreResult<User>> + Send;
    /// The account with this email, with its password hash (for login).
    fn credentials(&self, email: &Email) -> impl Future<Output = StoreResult<Option<Credentials>>> + Send;
    /// The account with this id.
    fn user(&self, id: &UserId) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    /// Replace the password hash. `NotFound` if there is no such user.
    fn set_password(&self, id: &UserId, password_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Delete the account and everything kneeroot holds about it (sessions, assessments, …), atomically.
    /// `NotFound` if there is no such user.
    fn delete_user(&self, id: &UserId) -> impl Future<Output = StoreResult<()>> + Send;
    /// Whether the person asked for check-in reminders (off unless they turned them on).
    fn reminders(&self, id: &UserId) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Turn check-in reminders on or off. `NotFound` if there is no such user.
    fn set_reminders(&self, id: &UserId, on: bool) -> impl Future<Output = StoreResult<()>> + Send;
    /// Every account with this role, ordered by email (the clinic's list of clinicians, say).
    fn users_with_role(&self, role: Role) -> impl Future<Output = StoreResult<Vec<User>>> + Send;
}

/// Server-side sessions (browser cookies and API bearer tokens).
pub trait SessionStore: Send + Sync {
    /// Store a new session. `Conflict` if the token hash exists (which would mean a broken generator).
    fn create_session(&self, session: &Session) -> impl Future<Output = StoreResult<()>> + Send;
    /// The session with this token hash, if it exists and has not expired at `now`.
    fn session(&self, token_hash: &str, now: Timestamp) -> impl Future<Output = StoreResult<Option<Session>>> + Send;
    /// The session and its signed-in user (if any), in one round trip: every signed-in page needs both.
    fn session_with_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Option<(Session, Option<User>)>>> + Send;
    /// Replace the draft answers of a session. `NotFound` if the session is gone.
    fn save_draft(&self, token_hash: &str, draft: Option<&str>) -> impl Future<Output = StoreResult<()>> + Send;
    /// Replace the camera squat screen's state of a session (its analyses waiting to be confirmed and the
    /// provenance of confirmed answers, JSON). `NotFound` if the session is gone.
    fn save_camera(&self, token_hash: &str, camera: Option<&str>) -> impl Future<Output = StoreResult<()>> + Send;
    /// Replace the draft answers and the camera state together, atomically (confirming the camera's
    /// findings, starting again). `NotFound` if the session is gone.
    fn save_draft_and_camera(
        &self,
        token_hash: &str,
        draft: Option<&str>,
        camera: Option<&str>,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// End a session (no error if it is already gone).
    fn delete_session(&self, token_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// End every session of a user except, optionally, one (after a password change).
    fn delete_user_sessions(
        &self,
        user: &UserId,
        except: Option<&str>,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Remove sessions that expired before `now`; returns how many.
    fn purge_expired_sessions(&self, now: Timestamp) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// Stored assessments. Every read is scoped by owner: asking for another person's record is `None`.
pub trait AssessmentStore: Send + Sync {
    /// Store an assessment. `NotFound` if the user does not exist.
    fn save_assessment(&self, new: &NewAssessment) -> impl Future<Output = StoreResult<Assessment>> + Send;
    /// A user's assessments, newest first.
    fn assessments(&self, owner: &UserId) -> impl Future<Output = StoreResult<Vec<Assessment>>> + Send;
    /// One assessment, only if `owner` owns it.
    fn assessment(
        &self,
        owner: &UserId,
        id: &AssessmentId,
    ) -> impl Future<Output = StoreResult<Option<Assessment>>> + Send;
    /// The newest assessment of a user.
    fn latest_assessment(&self, owner: &UserId) -> impl Future<Output = StoreResult<Option<Assessment>>> + Send;
    /// The id of the newest assessment of a user (a small read, for callers that cache parsed records:
    /// assessments never change once stored).
    fn latest_assessment_id(&self, owner: &UserId) -> impl Future<Output = StoreResult<Option<AssessmentId>>> + Send;
    /// Everything the plan in force of `owner` is computed from: their newest assessment (id and time),
    /// the plan changes since it, and the check-ins and morning reports from its day to `to`; `None` if
    /// they have no assessment. Always exactly what those reads would return at this moment, also with
    /// other instances writing; an instance may answer repeated calls from memory after one small read
    /// that proves nothing changed (a per-person revision the schema keeps with every such write).
    fn plan_inputs(&self, owner: &UserId, to: Day) -> impl Future<Output = StoreResult<Option<PlanInputs>>> + Send;
}

/// Failed-login counting, shared by every instance so throttling holds behind a load balancer.
pub trait ThrottleStore: Send + Sync {
    /// Record one failure for `key` (e.g. `account:<email>` or `ip:<addr>`).
    fn record_failure(&self, key: &str, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// How many failures `key` has had since `since`.
    fn failures_since(&self, key: &str, since: Timestamp) -> impl Future<Output = StoreResult<u32>> + Send;
    /// Forget the failures of `key` (after a successful login).
    fn clear_failures(&self, key: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Remove every failure, of any key, recorded before `before` (strictly earlier); returns how many.
    /// Called periodically with "now minus the throttling window": older failures no longer count, and
    /// the table holds emails and addresses that should not be kept longer than needed.
    fn purge_failures_before(&self, before: Timestamp) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// Check-ins: per-exercise reports of each day's session and the next-morning reports. Owner-scoped.
pub trait CheckinStore: Send + Sync {
    /// Write a check-in, replacing any for the same user, day and exercise. `NotFound` for an unknown user.
    fn upsert_checkin(&self, checkin: &ExerciseCheckin) -> impl Future<Output = StoreResult<()>> + Send;
    /// Write a morning report, replacing any for the same user and day. `NotFound` for an unknown user.
    fn upsert_morning(&self, report: &MorningReport) -> impl Future<Output = StoreResult<()>> + Send;
    /// A user's check-ins with `from <= day <= to`, ordered by day, then exercise id.
    fn checkins(
        &self,
        owner: &UserId,
        from: Day,
        to: Day,
    ) -> impl Future<Output = StoreResult<Vec<ExerciseCheckin>>> + Send;
    /// A user's morning reports with `from <= day <= to`, ordered by day.
    fn mornings(
        &self,
        owner: &UserId,
        from: Day,
        to: Day,
    ) -> impl Future<Output = StoreResult<Vec<MorningReport>>> + Send;
    /// Remove one check-in (no error if there is none).
    fn delete_checkin(
        &self,
        owner: &UserId,
        day: Day,
        exercise_id: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Outcome questionnaires. Owner-scoped; responses are never edited.
pub trait OutcomeStore: Send + Sync {
    /// Store a completed questionnaire. `NotFound` for an unknown user.
    fn save_response(&self, new: &NewOutcomeResponse) -> impl Future<Output = StoreResult<OutcomeResponse>> + Send;
    /// A user's responses, oldest first (ties by id).
    fn responses(&self, owner: &UserId) -> impl Future<Output = StoreResult<Vec<OutcomeResponse>>> + Send;
}

/// The append-only log of plan changes. Owner-scoped.
pub trait PlanChangeStore: Send + Sync {
    /// Append a change. `NotFound` for an unknown user or author.
    fn add_plan_change(&self, new: &NewPlanChange) -> impl Future<Output = StoreResult<PlanChange>> + Send;
    /// A user's plan changes, oldest first (ties by id).
    fn plan_changes(&self, owner: &UserId) -> impl Future<Output = StoreResult<Vec<PlanChange>>> + Send;
}

/// Booking a clinician: their hours, appointments, and which patients each clinician may see.
///
/// No two live bookings of one clinician ever share a start: a database constraint guarantees it, also
/// across instances, so the loser of a race gets `Conflict`, never a double booking. Whether a start is
/// a slot of the clinician's hours and far enough ahead is the caller's check (`kneeroot_core::booking`),
/// made before calling [`book`](BookingStore::book) or [`move_booking`](BookingStore::move_booking).
/// Time ranges are half-open: `from <= start < to`.
pub trait BookingStore: Send + Sync {
    /// Write a clinician's hours, replacing any. `NotFound` for an unknown user.
    fn set_availability(&self, availability: &Availability) -> impl Future<Output = StoreResult<()>> + Send;
    /// A clinician's hours, if set.
    fn availability(&self, clinician: &UserId) -> impl Future<Output = StoreResult<Option<Availability>>> + Send;
    /// Every clinician who has set hours, ordered by id.
    fn clinicians_with_availability(&self) -> impl Future<Output = StoreResult<Vec<UserId>>> + Send;
    /// Book an appointment and link the clinician to the patient, atomically. `Conflict` if the clinician
    /// already has a booking at that start; `NotFound` for an unknown clinician or patient, or an
    /// assessment that is not the patient's.
    fn book(&self, new: &NewBooking) -> impl Future<Output = StoreResult<Booking>> + Send;
    /// One booking, only if `viewer` is its patient or its clinician.
    fn booking(&self, viewer: &UserId, id: &AssessmentId) -> impl Future<Output = StoreResult<Option<Booking>>> + Send;
    /// A patient's bookings, booked and cancelled, by start.
    fn bookings_of_patient(&self, patient: &UserId) -> impl Future<Output = StoreResult<Vec<Booking>>> + Send;
    /// A clinician's bookings, booked and cancelled, starting in `from..to`, by start.
    fn bookings_of_clinician(
        &self,
        clinician: &UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> impl Future<Output = StoreResult<Vec<Booking>>> + Send;
    /// The starts of a clinician's live bookings in `from..to`, ascending (the `booked` of the core's
    /// slot rules).
    fn booked_starts(
        &self,
        clinician: &UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> impl Future<Output = StoreResult<Vec<Timestamp>>> + Send;
    /// Cancel a booking, by its patient or its clinician; returns it cancelled. `NotFound` if it is not
    /// theirs; `Conflict` if it is already cancelled.
    fn cancel_booking(
        &self,
        who: &UserId,
        id: &AssessmentId,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Booking>> + Send;
    /// Move a patient's booking to another start, atomically: the old one is cancelled and a new one
    /// (same clinician, reason and assessment) booked, which is returned. `Conflict` if the new start is
    /// taken, and then nothing changes; `NotFound` if the booking is not the patient's; `Conflict` if it
    /// is already cancelled.
    fn move_booking(
        &self,
        patient: &UserId,
        id: &AssessmentId,
        new_start: Timestamp,
        new_end: Timestamp,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Booking>> + Send;
    /// Let a clinician see a patient (no error if they already may). `NotFound` for an unknown user.
    fn link(
        &self,
        clinician: &UserId,
        patient: &UserId,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Whether a clinician may see a patient.
    fn is_linked(&self, clinician: &UserId, patient: &UserId) -> impl Future<Output = StoreResult<bool>> + Send;
    /// The patients a clinician may see, ordered by id.
    fn patients_of(&self, clinician: &UserId) -> impl Future<Output = StoreResult<Vec<UserId>>> + Send;
}

/// The audit log: who looked at or changed a patient's record. Append-only: there is no method to change
/// or remove an entry, and the schema refuses both while the patient's account exists.
pub trait AuditStore: Send + Sync {
    /// Append an entry. `NotFound` if the patient does not exist.
    fn record_access(&self, new: &NewAuditEntry) -> impl Future<Output = StoreResult<AuditEntry>> + Send;
    /// A patient's log, oldest first (ties by id).
    fn audit_of_patient(&self, patient: &UserId) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;
}

/// Invitations to join the clinic. Accepting one is atomic: the invitation is used up, the account is
/// made (or the signed-in one used) and, for a patient invited by or for a clinician, the care link is
/// written, all or nothing.
pub trait InvitationStore: Send + Sync {
    /// Store a new invitation. `NotFound` if the sender or the named clinician does not exist;
    /// `Conflict` if the token hash exists.
    fn create_invitation(&self, invitation: &Invitation) -> impl Future<Output = StoreResult<()>> + Send;
    /// The invitation with this token hash, accepted or not, expired or not (the caller explains which).
    fn invitation(&self, token_hash: &str) -> impl Future<Output = StoreResult<Option<Invitation>>> + Send;
    /// The invitations a person sent, newest first.
    fn invitations_sent_by(&self, sender: &UserId) -> impl Future<Output = StoreResult<Vec<Invitation>>> + Send;
    /// Accept an invitation by creating the account it invites, with the invitation's email and role and
    /// this password hash. `NotFound` if there is no such invitation; `Conflict` if it was already
    /// accepted, has expired at `now`, or the email is taken. Nothing is written unless everything is.
    fn accept_invitation_as_new_user(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<User>> + Send;
    /// Accept a patient's invitation with an existing patient account (someone who used kneeroot before
    /// their physio invited them): links them to the invitation's clinician. `NotFound` if there is no
    /// such invitation; `Conflict` if it was used, has expired, or is not a patient's invitation.
    fn accept_invitation_as_patient(
        &self,
        token_hash: &str,
        patient: &UserId,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Invitation>> + Send;
    /// Withdraw a pending invitation the sender sent. `NotFound` if it is not theirs or no longer pending.
    fn withdraw_invitation(&self, sender: &UserId, token_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Liveness of the database.
pub trait Health: Send + Sync {
    /// A round trip to the database.
    fn ping(&self) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Everything the application needs from storage.
pub trait Store:
    UserStore
    + SessionStore
    + AssessmentStore
    + ThrottleStore
    + CheckinStore
    + OutcomeStore
    + PlanChangeStore
    + BookingStore
    + AuditStore
    + InvitationStore
    + Health
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: UserStore
        + SessionStore
        + AssessmentStore
        + ThrottleStore
        + CheckinStore
        + OutcomeStore
        + PlanChangeStore
        + BookingStore
        + AuditStore
        + InvitationStore
        + Health
        + Clone
        + Send
        + Sync
        + 'static
{
}
