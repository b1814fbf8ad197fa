//! Who changed an exercise of a person's plan, for the person's own plan page: "Changed by your
//! physiotherapist jo@clinic.example, 3 March 2026: keep the step low this week". A clinician's change
//! is always told with their name and the date, for as long as the exercise is in the plan; whether a
//! later change by the pain rules is newer is told too, so the page can show that one as well.

use std::collections::HashMap;

use kneeroot_store::{PlanChange, Store};

use super::patient::author_emails;
use crate::error::Problem;
use crate::pages::date;
use crate::state::AppState;

/// A clinician's latest change of one exercise, in words.
pub(crate) struct Attribution {
    /// "Changed by your physiotherapist …, `date`: `note`".
    pub text: String,
    /// Whether it is also the latest change of the exercise (then nothing newer needs telling).
    pub latest: bool,
}

/// For each exercise id of the plan in force that a clinician changed (or swapped in), the latest such
/// change. `changes` is the plan's log, oldest first.
///
/// # Errors
/// A store failure reading the authors' emails.
pub(crate) async fn attributions<S: Store>(
    state: &AppState<S>,
    changes: &[PlanChange],
) -> Result<HashMap<String, Attribution>, Problem> {
    let emails = author_emails(state, changes).await?;
    // The id an exercise has after each change: a swap names the exercise swapped in.
    let after = |c: &PlanChange| c.replacement.clone().unwrap_or_else(|| c.exercise_id.clone());
    let mut latest_any: HashMap<String, usize> = HashMap::new();
    let mut latest_clinician: HashMap<String, usize> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        latest_any.insert(after(c), i);
        if c.author_id.is_some() {
            latest_clinician.insert(after(c), i);
        }
    }
    Ok(latest_clinician
        .into_iter()
        .map(|(id, i)| {
            let c = &changes[i];
            let who = c
                .author_id
                .as_ref()
                .and_then(|a| emails.get(a))
                .map_or_else(|| "your physiotherapist".to_owned(), |e| format!("your physiotherapist {e}"));
            let what = c.note.as_deref().unwrap_or(&c.reason);
            let text = format!("Changed by {who}, {}: {what}", date(c.created_at));
            let latest = latest_any.get(&id) == Some(&i);
            (id, Attribution { text, latest })
        })
        .collect())
}
