//! Where a person starts after signing in, and which `next` addresses may be followed.
//!
//! Each role has its own home: a clinician their caseload (`/clinic`), an administrator the clinic
//! (`/admin`), a patient their own knee (the plan, or the assessment when there is none yet). A `next`
//! address carried through the login form is followed only when it is a path on this site: anything
//! that a browser could read as another origin (`//host`, `/\host`, a scheme) is ignored, so a link to
//! kneeroot's login page cannot be used to send someone elsewhere after they sign in (an open redirect).

use kneeroot_store::{Role, Store, User};

use crate::error::Problem;
use crate::state::AppState;

/// The home of a clinic role, or `None` for a patient (whose home depends on their records).
pub(crate) fn staff_home(role: Role) -> Option<&'static str> {
    match role {
        Role::Clinician => Some("/clinic"),
        Role::Admin => Some("/admin"),
        Role::Patient => None,
    }
}

/// Where a person lands after joining: their role's home, or for a patient the plan when they have an
/// assessment and the assessment when they have none.
pub(crate) async fn home_of<S: Store>(state: &AppState<S>, user: &User) -> Result<&'static str, Problem> {
    if let Some(home) = staff_home(user.role) {
        return Ok(home);
    }
    Ok(if state.store.latest_assessment_id(&user.id).await?.is_some() { "/plan" } else { "/assess" })
}

/// `next` if it is a path on this site (see the module docs), else `None`.
pub(crate) fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//");
    let plain = next.len() <= 2048 && !next.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    (local && plain).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for good in ["/plan", "/invite/abc", "/assessments/1?x=y"] {
            assert_eq!(safe_next(good), Some(good));
        }
        for bad in [
            "",
            "plan",
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "/\tevil",
            "/ x",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), None);
    }

    #[test]
    fn staff_roles_have_fixed_homes() {
        assert_eq!(staff_home(Role::Clinician), Some("/clinic"));
        assert_eq!(staff_home(Role::Admin), Some("/admin"));
        assert_eq!(staff_home(Role::Patient), None);
    }
}
