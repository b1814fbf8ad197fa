//! Page templates (askama, compiled and type-checked at build time) and the small view models they
//! render. Views hold only display-ready data; handlers build them from the core's results.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Html;

/// What every page's frame needs: who is signed in, and in which role (the navigation differs: a
/// clinician's is their practice, an administrator's the clinic, everyone else's their own knee).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The signed-in person's email, if any.
    pub email: Option<String>,
    /// Their role, if anyone is signed in.
    pub role: Option<kneeroot_store::Role>,
}

impl Layout {
    /// The frame for a visitor.
    pub fn for_visitor(visitor: &crate::session::Visitor) -> Layout {
        visitor.user.as_ref().map_or_else(Layout::default, Layout::for_user)
    }

    /// The frame for a signed-in person.
    pub fn for_user(user: &kneeroot_store::User) -> Layout {
        Layout { email: Some(user.email.as_str().to_owned()), role: Some(user.role) }
    }

    /// Whether a clinician is signed in (their navigation).
    pub fn is_clinician(&self) -> bool {
        self.role == Some(kneeroot_store::Role::Clinician)
    }

    /// Whether an administrator is signed in (their navigation).
    pub fn is_admin(&self) -> bool {
        self.role == Some(kneeroot_store::Role::Admin)
    }
}

/// Render a template to an HTML response body.
pub fn html(t: &impl Template) -> Result<Html<String>, crate::error::Problem> {
    Ok(Html(t.render()?))
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl ErrorPage {
    /// An error page for a status and message.
    pub fn new(status: StatusCode, message: &str) -> ErrorPage {
        let title = match status.as_u16() {
            404 => "Page not found",
            403 => "Not allowed",
            409 => "Already there",
            422 | 400 => "Please check your answers",
            429 => "Please wait a moment",
            _ => "Something went wrong",
        };
        ErrorPage { layout: Layout::default(), status: status.as_u16(), title: title.into(), message: message.into() }
    }

    /// The page's HTML; falls back to plain text if rendering itself fails.
    pub fn into_html(self) -> Html<String> {
        match self.render() {
            Ok(s) => Html(s),
            Err(_) => Html(format!("<!doctype html><title>{}</title><p>{}", self.status, escape(&self.message))),
        }
    }
}

/// Escape text for HTML (for the rare string built outside a template).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
