//! The pages: server-rendered HTML that works without JavaScript, one module per area.

mod account;
mod admin;
mod appointments;
pub(crate) mod camera;
pub(crate) mod checkin;
pub(crate) mod current;
mod draft;
mod faq;
mod health;
mod home;
mod invitations;
mod landing;
mod plan;
pub(crate) mod progress;
pub(crate) mod questionnaires;
pub(crate) mod results;
mod schedule;
mod wizard;

use axum::Router;
use axum::routing::{get, post};
use kneeroot_store::Store;

use crate::error::{AppError, Problem};
use crate::state::AppState;

pub(crate) use account::authenticate;
pub(crate) use draft::save_assessment;
pub(crate) use plan::{plan_api_view, week_of};
pub(crate) use results::stored_answers;

/// Page routes.
pub fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/", get(home::home))
        .route("/faq", get(faq::faq::<S>))
        .route("/assess", get(wizard::start::<S>))
        .merge(camera::routes())
        .route("/assess/reset", post(wizard::reset::<S>))
        .route("/assess/stop", get(wizard::stop::<S>))
        .route("/assess/{group}", get(wizard::show::<S>).post(wizard::submit::<S>))
        .route("/results", get(results::draft_results::<S>))
        .route("/assessments", get(account::list).post(results::save_draft::<S>))
        .route("/assessments/{id}", get(results::saved_results::<S>))
        .route("/reassess", post(results::reassess::<S>))
        .route("/plan", get(plan::plan::<S>))
        .merge(questionnaires::routes())
        .route("/checkin", get(checkin::show::<S>).post(checkin::submit::<S>))
        .route("/progress", get(progress::progress::<S>))
        .route("/signup", get(account::signup_form::<S>).post(account::signup::<S>))
        .route("/login", get(account::login_form::<S>).post(account::login::<S>))
        .route("/logout", post(account::logout::<S>))
        .route("/account", get(account::account::<S>))
        .route("/account/password", post(account::change_password::<S>))
        .route("/account/reminders", post(account::reminders::<S>))
        .route("/account/delete", post(account::delete::<S>))
        .route("/admin", get(admin::show::<S>))
        .route("/admin/invitations", post(admin::invite::<S>))
        .route("/admin/invitations/withdraw", post(admin::withdraw_one::<S>))
        .route("/clinic/invitations", get(invitations::clinic::show::<S>).post(invitations::clinic::invite::<S>))
        .route("/clinic/invitations/withdraw", post(invitations::clinic::withdraw_one::<S>))
        .route("/invite/{token}", get(invitations::show::<S>).post(invitations::create_account::<S>))
        .route("/invite/{token}/accept", post(invitations::accept_as_patient::<S>))
        .route("/invite/{token}/sign-out", post(invitations::sign_out::<S>))
        .merge(appointments::routes())
        .merge(schedule::routes())
        .merge(crate::export::routes::pages())
        .merge(crate::clinic::pages())
        .method_not_allowed_fallback(method_not_allowed)
}

/// Liveness and readiness.
pub fn health_routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz::<S>))
}

/// Anything else: the HTML 404 page.
pub async fn not_found() -> AppError {
    AppError(Problem::NotFound)
}

/// A page asked for with a method it does not take: the HTML 405 page (axum's own is an empty body).
async fn method_not_allowed() -> AppError {
    AppError(Problem::MethodNotAllowed)
}

/// A date for people, from Unix seconds (UTC).
pub(crate) fn date(ts: i64) -> String {
    let (y, m, d) = current::civil(ts.div_euclid(86_400));
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{d} {} {y}", MONTHS[(m - 1) as usize])
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(super::date(0), "1 January 1970");
        assert_eq!(super::date(1_764_028_800), "25 November 2025");
        assert_eq!(super::date(951_782_400), "29 February 2000");
    }
}

#[cfg(test)]
mod test_forms;
