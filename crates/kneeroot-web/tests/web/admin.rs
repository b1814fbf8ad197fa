//! The clinic's administration: `/admin` is for administrators only; they invite clinicians,
//! administrators and patients (linked to a chosen clinician), see what they sent and withdraw it; the
//! link is shown once and only its hash is stored; each role gets its own navigation and landing page.

use kneeroot_store::{Backend, BookingStore, Email, InvitationStore, Role, User, UserStore};
use kneeroot_web::Config;
use reqwest::StatusCode;
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

use crate::helpers::{Browser, PASSWORD, Resp, TestApp, assert_redirect_to, attr_values, email};

/// An account with `role` made through the store (as `kneeroot admin add-user` does), and a browser
/// signed in to it.
pub(crate) async fn member(app: &TestApp, who: &str, role: Role) -> (User, Browser) {
    let user = app.account(&email(who), role).await;
    let b = app.browser();
    let r = b.login(&email(who), PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "signing in {who}");
    (user, b)
}

/// Send an invitation from `path`'s form; returns the confirmation page and the secret token in its link.
pub(crate) async fn invite(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (Resp, String) {
    let r = b.post_form(path, fields).await;
    r.assert_page(StatusCode::OK);
    let link = attr_values(&r.body, "link").into_iter().next().unwrap_or_else(|| panic!("no link:\n{}", r.body));
    let token = link.rsplit_once("/invite/").map(|(_, t)| t.to_owned()).expect("an invitation link");
    assert_eq!(token.len(), 64, "{link}");
    (r, token)
}

/// Accept an invitation in a fresh browser by creating the account; returns the browser and the redirect.
pub(crate) async fn accept_as_new(app: &TestApp, token: &str) -> (Browser, Resp) {
    let b = app.browser();
    b.get_page(&format!("/invite/{token}")).await;
    let r = b.post_form(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    (b, r)
}

async fn admin_pages_are_for_administrators_only(app: TestApp) {
    assert_redirect_to(&app.get("/admin").await, "/login");
    let anonymous = app.post_form("/admin/invitations", &[("email", "x@example.com"), ("role", "admin")]).await;
    assert_redirect_to(&anonymous, "/login");
    let patient = app.signed_up_browser(&email("pat")).await;
    let (_, clinician) = member(&app, "physio", Role::Clinician).await;
    for b in [&patient, &clinician] {
        b.get("/admin").await.assert_page(StatusCode::FORBIDDEN);
        let r = b.post_form("/admin/invitations", &[("email", "x@example.com"), ("role", "admin")]).await;
        r.assert_page(StatusCode::FORBIDDEN);
        let r = b.post_form("/admin/invitations/withdraw", &[("invitation", &"a".repeat(64))]).await;
        r.assert_page(StatusCode::FORBIDDEN);
    }
    let (admin, b) = member(&app, "boss", Role::Admin).await;
    assert!(app.db.invitations_sent_by(&admin.id).await.expect("list").is_empty(), "nothing written");
    let page = b.get_page("/admin").await;
    page.assert_contains("physio@example.com").assert_contains("boss@example.com");
    page.assert_lacks("pat@example.com");
}

async fn an_invited_clinician_joins_once_and_lands_on_the_clinic(app: TestApp) {
    let (admin, b) = member(&app, "boss", Role::Admin).await;
    let (sent, token) =
        invite(&b, "/admin/invitations", &[("email", "New.Physio@example.com"), ("role", "clinician")]).await;
    sent.assert_contains("sends no email").assert_contains("new.physio@example.com");
    assert_eq!(attr_values(&sent.body, "link"), vec![format!("{}/invite/{token}", app.base)]);
    assert_eq!(sent.header("cache-control"), "no-store");

    // Only the hash is kept, and the list never shows the link again.
    let stored = app.db.invitations_sent_by(&admin.id).await.expect("list");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].token_hash, kneeroot_web::security::token_hash(&token));
    assert_eq!((stored[0].role, stored[0].clinician_id.clone()), (Role::Clinician, None));
    assert_eq!(stored[0].expires_at - stored[0].created_at, app.config.invitation_seconds);
    assert_eq!(rows_holding(&app, &token).await, (1, 0), "one invitation, and the token is in none of its columns");
    let list = b.get_page("/admin").await;
    list.assert_lacks(&token).assert_contains("pending").assert_contains("Withdraw");

    // The invited person sees who invited them and as what, chooses a password and is signed in.
    let newcomer = app.browser();
    let page = newcomer.get_page(&format!("/invite/{token}")).await;
    page.assert_contains("boss@example.com").assert_contains("a clinician").assert_contains("new.physio@example.com");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("cache-control"), "no-store");
    let before = newcomer.session_cookie().expect("a session for the form");
    let r = newcomer.post_form(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    assert_redirect_to(&r, "/clinic");
    assert_ne!(newcomer.session_cookie().expect("signed in"), before, "the session rotates");
    let user = app.db.credentials(&Email::parse("new.physio@example.com").unwrap()).await.unwrap().expect("made").user;
    assert_eq!(user.role, Role::Clinician);
    let account = newcomer.get_page("/account").await;
    account.assert_contains("href=\"/clinic\"");
    // The clinician can sign in again with the password, and lands on the caseload.
    assert_redirect_to(&app.browser().login("new.physio@example.com", PASSWORD).await, "/clinic");
    // The admin sees it accepted, with no withdraw button.
    b.get_page("/admin").await.assert_contains("accepted").assert_lacks("name=\"invitation\"");
}

async fn an_invited_patient_is_linked_to_the_chosen_clinician(app: TestApp) {
    let (_, b) = member(&app, "boss", Role::Admin).await;
    let (physio, _) = member(&app, "physio", Role::Clinician).await;
    let (other, _) = member(&app, "other-physio", Role::Clinician).await;
    let (_, token) = invite(
        &b,
        "/admin/invitations",
        &[("email", "knee@example.com"), ("role", "patient"), ("clinician_id", physio.id.as_str())],
    )
    .await;
    let (patient, r) = accept_as_new(&app, &token).await;
    assert_redirect_to(&r, "/assess");
    let user = app.db.credentials(&Email::parse("knee@example.com").unwrap()).await.unwrap().expect("made").user;
    assert_eq!(user.role, Role::Patient);
    assert!(app.db.is_linked(&physio.id, &user.id).await.unwrap());
    assert!(!app.db.is_linked(&other.id, &user.id).await.unwrap());
    assert!(patient.is_signed_in().await);
}

/// A form's fields, as posted.
type Fields<'a> = &'a [(&'a str, &'a str)];

async fn a_bad_invitation_form_says_what_is_wrong_and_writes_nothing(app: TestApp) {
    let (admin, b) = member(&app, "boss", Role::Admin).await;
    let (physio, _) = member(&app, "physio", Role::Clinician).await;
    let (patient, _) = member(&app, "pat", Role::Patient).await;
    let cases: [(Fields, StatusCode, &str); 6] = [
        (&[("email", "not-an-email"), ("role", "clinician")], StatusCode::UNPROCESSABLE_ENTITY, "email address"),
        (&[("email", "a@example.com")], StatusCode::UNPROCESSABLE_ENTITY, "Choose what they will be"),
        (
            &[("email", "a@example.com"), ("role", "owner")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose what they will be",
        ),
        (&[("email", "a@example.com"), ("role", "patient")], StatusCode::UNPROCESSABLE_ENTITY, "Choose the clinician"),
        // A patient's id is not a clinician's.
        (
            &[("email", "a@example.com"), ("role", "patient"), ("clinician_id", patient.id.as_str())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose the clinician",
        ),
        // An existing account cannot be invited into a staff role.
        (&[("email", "pat@example.com"), ("role", "clinician")], StatusCode::CONFLICT, "already has an account"),
    ];
    for (fields, status, message) in cases {
        let r = b.post_form("/admin/invitations", fields).await;
        r.assert_page(status);
        r.assert_contains(message).assert_contains("role=\"alert\"");
    }
    let r = b
        .post_form(
            "/admin/invitations",
            &[("email", "physio@example.com"), ("role", "patient"), ("clinician_id", physio.id.as_str())],
        )
        .await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("as a clinician");
    assert!(app.db.invitations_sent_by(&admin.id).await.unwrap().is_empty(), "nothing written");
    // The typed values come back.
    let r = b.post_form("/admin/invitations", &[("email", "keep@example.com"), ("role", "patient")]).await;
    r.assert_contains("value=\"keep@example.com\"").assert_contains("value=\"patient\" checked");
    // An existing patient can be invited as a patient: they accept while signed in.
    invite(
        &b,
        "/admin/invitations",
        &[("email", "pat@example.com"), ("role", "patient"), ("clinician_id", physio.id.as_str())],
    )
    .await;
}

async fn a_withdrawn_invitation_is_gone(app: TestApp) {
    let (admin, b) = member(&app, "boss", Role::Admin).await;
    let (_, other_admin) = member(&app, "deputy", Role::Admin).await;
    let (_, token) = invite(&b, "/admin/invitations", &[("email", "x@example.com"), ("role", "admin")]).await;
    let hash = kneeroot_web::security::token_hash(&token);
    // Another administrator cannot withdraw it (it is not theirs), a forged name withdraws nothing.
    let r = other_admin.post_form("/admin/invitations/withdraw", &[("invitation", hash.as_str())]).await;
    r.assert_page(StatusCode::CONFLICT);
    b.post_form("/admin/invitations/withdraw", &[("invitation", "nonsense")]).await.assert_page(StatusCode::CONFLICT);
    assert_eq!(app.db.invitations_sent_by(&admin.id).await.unwrap().len(), 1);
    assert_redirect_to(&b.post_form("/admin/invitations/withdraw", &[("invitation", hash.as_str())]).await, "/admin");
    assert!(app.db.invitations_sent_by(&admin.id).await.unwrap().is_empty());
    app.get(&format!("/invite/{token}")).await.assert_page(StatusCode::NOT_FOUND).assert_contains("not known");
    let r = app.post_form(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::NOT_FOUND);
    assert!(app.db.credentials(&Email::parse("x@example.com").unwrap()).await.unwrap().is_none());
    b.post_form("/admin/invitations/withdraw", &[("invitation", hash.as_str())])
        .await
        .assert_page(StatusCode::CONFLICT);
}

async fn invitation_forms_need_the_csrf_token(app: TestApp) {
    let (admin, b) = member(&app, "boss", Role::Admin).await;
    let no_token = b.post_form_raw("/admin/invitations", &[("email", "x@example.com"), ("role", "admin")]).await;
    no_token.assert_page(StatusCode::FORBIDDEN);
    let foreign = app.browser().csrf().await;
    let forged = b
        .post_form_raw("/admin/invitations", &[("csrf", &foreign), ("email", "x@example.com"), ("role", "admin")])
        .await;
    forged.assert_page(StatusCode::FORBIDDEN);
    assert!(app.db.invitations_sent_by(&admin.id).await.unwrap().is_empty(), "nothing written");
    let (_, token) = invite(&b, "/admin/invitations", &[("email", "x@example.com"), ("role", "admin")]).await;
    let hash = kneeroot_web::security::token_hash(&token);
    b.post_form_raw("/admin/invitations/withdraw", &[("invitation", &hash)]).await.assert_page(StatusCode::FORBIDDEN);
    let newcomer = app.browser();
    newcomer.get_page(&format!("/invite/{token}")).await;
    let r = newcomer.post_form_raw(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::FORBIDDEN);
    assert!(app.db.credentials(&Email::parse("x@example.com").unwrap()).await.unwrap().is_none());
    assert_eq!(app.db.invitations_sent_by(&admin.id).await.unwrap().len(), 1, "still pending");
}

async fn the_link_uses_the_configured_public_address(app: TestApp) {
    let public = app
        .another_server(Config { public_url: Some("https://knee.clinic.example/".into()), ..Config::default() })
        .await;
    let (_, b) = member(&public, "boss", Role::Admin).await;
    let (sent, token) = invite(&b, "/admin/invitations", &[("email", "x@example.com"), ("role", "clinician")]).await;
    assert_eq!(attr_values(&sent.body, "link"), vec![format!("https://knee.clinic.example/invite/{token}")]);
}

async fn each_role_has_its_own_navigation_and_landing(app: TestApp) {
    let nav = |r: &Resp| {
        let start = r.body.find("<nav aria-label=\"Main\">").expect("the main navigation");
        let end = start + r.body[start..].find("</nav>").expect("its end");
        r.body[start..end].to_owned()
    };
    let visitor = nav(&app.get_page("/faq").await);
    assert!(visitor.contains("href=\"/login\"") && visitor.contains("href=\"/assess\""), "{visitor}");
    assert!(!visitor.contains("/clinic") && !visitor.contains("/admin"), "{visitor}");

    let patient = app.signed_up_browser(&email("pat")).await;
    let theirs = nav(&patient.get_page("/faq").await);
    assert!(theirs.contains("href=\"/plan\"") && theirs.contains("href=\"/account\""), "{theirs}");
    assert!(!theirs.contains("/clinic") && !theirs.contains("/admin"), "{theirs}");
    assert_redirect_to(&app.browser().login(&email("pat"), PASSWORD).await, "/account");

    let (_, clinician) = member(&app, "physio", Role::Clinician).await;
    let theirs = nav(&clinician.get_page("/faq").await);
    for link in ["/clinic", "/clinic/schedule", "/clinic/availability", "/clinic/invitations", "/account"] {
        assert!(theirs.contains(&format!("href=\"{link}\"")), "{link} missing: {theirs}");
    }
    assert!(!theirs.contains("href=\"/plan\"") && !theirs.contains("href=\"/admin\""), "{theirs}");
    assert_redirect_to(&app.browser().login(&email("physio"), PASSWORD).await, "/clinic");

    let (_, admin) = member(&app, "boss", Role::Admin).await;
    let theirs = nav(&admin.get_page("/faq").await);
    assert!(theirs.contains("href=\"/admin\"") && theirs.contains("href=\"/account\""), "{theirs}");
    assert!(!theirs.contains("/clinic") && !theirs.contains("href=\"/plan\""), "{theirs}");
    assert_redirect_to(&app.browser().login(&email("boss"), PASSWORD).await, "/admin");
}

async fn login_follows_only_a_local_next(app: TestApp) {
    member(&app, "physio", Role::Clinician).await;
    let b = app.browser();
    let form = b.get_page("/login?next=/clinic/invitations").await;
    assert_eq!(attr_values(&form.body, "next"), vec!["/clinic/invitations".to_owned()]);
    let r = b
        .post_form("/login", &[("email", &email("physio")), ("password", PASSWORD), ("next", "/clinic/invitations")])
        .await;
    assert_redirect_to(&r, "/clinic/invitations");
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let b = app.browser();
        assert!(attr_values(&b.get_page(&format!("/login?next={evil}")).await.body, "next").is_empty());
        let r = b.post_form("/login", &[("email", &email("physio")), ("password", PASSWORD), ("next", evil)]).await;
        assert_redirect_to(&r, "/clinic");
    }
    // A malformed query string still shows the login page.
    app.browser().get_page("/login?next=%ZZ&next").await;
}

/// How many invitations there are, and how many hold `needle` in any column.
async fn rows_holding(app: &TestApp, needle: &str) -> (i64, i64) {
    let all = "SELECT COUNT(*) AS n FROM invitations";
    let holding = "SELECT COUNT(*) AS n FROM invitations WHERE token_hash LIKE $1 OR email LIKE $1 OR role LIKE $1 \
                   OR invited_by LIKE $1 OR COALESCE(clinician_id, '') LIKE $1 OR COALESCE(accepted_by, '') LIKE $1";
    let pattern = format!("%{needle}%");
    match app.backend {
        Backend::Sqlite => {
            let mut c = SqliteConnection::connect(app.database_url()).await.expect("open SQLite");
            let n: i64 = sqlx::query(all).fetch_one(&mut c).await.expect("count").get("n");
            let m: i64 = sqlx::query(holding).bind(&pattern).fetch_one(&mut c).await.expect("count").get("n");
            (n, m)
        }
        Backend::Postgres => {
            let mut c = PgConnection::connect(app.database_url()).await.expect("open PostgreSQL");
            let n: i64 = sqlx::query(all).fetch_one(&mut c).await.expect("count").get("n");
            let m: i64 = sqlx::query(holding).bind(&pattern).fetch_one(&mut c).await.expect("count").get("n");
            (n, m)
        }
    }
}

both!(
    admin_pages_are_for_administrators_only,
    an_invited_clinician_joins_once_and_lands_on_the_clinic,
    an_invited_patient_is_linked_to_the_chosen_clinician,
    a_bad_invitation_form_says_what_is_wrong_and_writes_nothing,
    a_withdrawn_invitation_is_gone,
    invitation_forms_need_the_csrf_token,
    the_link_uses_the_configured_public_address,
    each_role_has_its_own_navigation_and_landing,
    login_follows_only_a_local_next,
);
