//! The assessment in progress, kept in the session so a person can leave and come back, and the step
//! that turns it into a stored assessment.
//!
//! The camera squat screen's state (`kneeroot_core::camera::provenance`) lives beside the draft: it is
//! cleared with it, and when the assessment is stored, the camera's claims that still hold for the answers
//! are stored with it.

use kneeroot_core::camera::provenance::{CameraState, save_confirmed};
use kneeroot_core::{Answers, AssessmentResult, Knowledge, assess};
use kneeroot_store::{Assessment, NewAssessment, Session, Store, UserId};
use serde_json::{Map, Value as Json};

use crate::error::Problem;
use crate::state::AppState;

/// The answers of a session's draft.
pub(crate) struct Draft;

impl Draft {
    /// The draft answers. Entries that no longer fit the knowledge base (it may have changed since they
    /// were saved) are dropped one by one rather than losing the whole draft.
    pub(crate) fn answers(kb: &Knowledge, session: &Session) -> Answers {
        let mut answers = Answers::empty(kb);
        let Some(map) = session.draft.as_deref().and_then(|d| serde_json::from_str::<Map<String, Json>>(d).ok()) else {
            return answers;
        };
        for (id, value) in &map {
            let _ = answers.set(kb, id, value);
        }
        answers
    }

    /// Store the draft answers in the session.
    pub(crate) async fn save<S: Store>(
        state: &AppState<S>,
        session: &Session,
        answers: &Answers,
    ) -> Result<(), Problem> {
        let json = Json::Object(answers.to_json(&state.kb)).to_string();
        state.store.save_draft(&session.token_hash, Some(&json)).await?;
        Ok(())
    }

    /// Store the draft answers and the camera state together (one write: they never disagree).
    pub(crate) async fn save_with_camera<S: Store>(
        state: &AppState<S>,
        session: &Session,
        answers: &Answers,
        camera: Option<&str>,
    ) -> Result<(), Problem> {
        let json = Json::Object(answers.to_json(&state.kb)).to_string();
        state.store.save_draft_and_camera(&session.token_hash, Some(&json), camera).await?;
        Ok(())
    }

    /// Forget the draft, and with it whatever the camera proposed or claimed for it.
    pub(crate) async fn clear<S: Store>(state: &AppState<S>, session: &Session) -> Result<(), Problem> {
        state.store.save_draft_and_camera(&session.token_hash, None, None).await?;
        Ok(())
    }
}

/// Assess `answers` and store the assessment (answers, result, knowledge version) for `owner`, with the
/// camera's part in the answers: the entries of the session's camera state `camera` (its JSON) whose value
/// is still the answer.
pub(crate) async fn save_assessment<S: Store>(
    state: &AppState<S>,
    owner: &UserId,
    answers: &Answers,
    camera: Option<&str>,
) -> Result<(Assessment, AssessmentResult), Problem> {
    let result = assess(&state.kb, answers);
    let camera = save_confirmed(&CameraState::load(camera).applicable(&state.kb, answers));
    let new = NewAssessment {
        user_id: owner.clone(),
        now: state.now(),
        knowledge_version: result.knowledge_version.clone(),
        answers: Json::Object(answers.to_json(&state.kb)).to_string(),
        result: serde_json::to_string(&result).map_err(anyhow::Error::from)?,
        triage_level: result.triage.level.as_str().to_owned(),
        top_cause: result.root_causes.first().map(|c| c.id.clone()).unwrap_or_default(),
        camera,
    };
    let stored = state.store.save_assessment(&new).await?;
    Ok((stored, result))
}
