//! Accounts: sign up (keeping the assessment in progress), sign in with a rotated session, sign out,
//! throttled failures, password changes that sign out other devices, and deleting everything.

use kneeroot_store::{AssessmentStore, Email, UserStore};
use reqwest::{Method, StatusCode};

use crate::helpers::{PASSWORD, TestApp, assert_redirect_to, assert_redirect_to_assessment, email, sensible_json};

both!(
    signing_up_saves_the_draft_as_an_assessment_and_shows_it,
    after_signing_up_the_saved_draft_is_not_offered_again,
    signing_up_without_answers_goes_to_the_account,
    a_duplicate_email_is_a_409_page_whatever_its_case,
    a_weak_password_or_a_bad_email_is_a_422_page_and_creates_nothing,
    signing_in_rotates_the_session_and_keeps_the_draft,
    signing_out_ends_the_session_on_the_server,
    a_wrong_password_or_unknown_email_is_a_401_page,
    after_five_failed_logins_even_the_right_password_is_refused_with_429,
    changing_the_password_signs_out_other_sessions_but_not_this_one,
    deleting_the_account_needs_the_password_and_the_confirmation_then_removes_everything,
    a_signed_in_person_saves_the_draft_from_the_results_page,
    account_forms_need_a_signed_in_session,
);

async fn signing_up_saves_the_draft_as_an_assessment_and_shows_it(app: TestApp) {
    assert_eq!(app.complete_wizard(&[]).await, "/results");
    app.get_page("/signup").await;
    let r = app.post_form("/signup", &[("email", "New@Example.com"), ("password", PASSWORD)]).await;
    let id = assert_redirect_to_assessment(&r);
    assert!(r.session_set_cookie().is_some(), "signing up starts a new session");
    app.get_page(&format!("/assessments/{id}")).await.assert_contains("What seems to be driving your knee pain");
    // Stored with the account, under the normalised email.
    app.get_page("/account").await.assert_contains("new@example.com").assert_contains(&format!("/assessments/{id}"));
    let creds = app.db.credentials(&Email::parse("new@example.com").expect("email")).await.expect("store");
    let user = creds.expect("the account exists").user;
    let stored = app.db.assessments(&user.id).await.expect("store");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id.as_str(), id);
    assert_eq!(stored[0].triage_level, "self_care");
    // Only the hash of the password is kept.
    let hash = app.db.credentials(&user.email).await.expect("store").expect("account").password_hash;
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PASSWORD));
}

async fn after_signing_up_the_saved_draft_is_not_offered_again(app: TestApp) {
    app.complete_wizard(&[]).await;
    let r = app.sign_up(&email("once"), PASSWORD).await;
    let id = assert_redirect_to_assessment(&r);
    // The draft became the saved assessment, as when a signed-in person finishes the wizard or saves from
    // the results page: it must not stay behind to be continued or saved a second time.
    app.get_page("/assess").await.assert_lacks("Continue where you left off");
    assert_redirect_to(&app.get("/results").await, &format!("/assessments/{id}"));
}

async fn signing_up_without_answers_goes_to_the_account(app: TestApp) {
    let r = app.sign_up(&email("plain"), PASSWORD).await;
    assert_redirect_to(&r, "/account");
    app.get_page("/account").await.assert_contains("None saved yet");
}

async fn a_duplicate_email_is_a_409_page_whatever_its_case(app: TestApp) {
    app.sign_up(&email("dup"), PASSWORD).await;
    let other = app.browser();
    other.get_page("/signup").await;
    let r = other.post_form("/signup", &[("email", " DUP@example.COM "), ("password", "another long password")]).await;
    r.assert_page(StatusCode::CONFLICT)
        .assert_contains("<h1>Create an account</h1>")
        .assert_contains("already exists")
        .assert_contains("value=\" DUP@example.COM \"");
    assert!(!other.is_signed_in().await);
    // The first account is untouched: its password still works, the other does not.
    let third = app.browser();
    third.get_page("/login").await;
    assert_eq!(third.login(&email("dup"), "another long password").await.status, StatusCode::UNAUTHORIZED);
    assert_redirect_to(&third.login(&email("dup"), PASSWORD).await, "/account");
}

async fn a_weak_password_or_a_bad_email_is_a_422_page_and_creates_nothing(app: TestApp) {
    app.get_page("/signup").await;
    let cases = [
        (email("weak"), "short".to_owned(), "at least 10 characters"),
        (email("weak"), "          x".to_owned(), "at least 10 characters"),
        (email("weak"), "x".repeat(1025), "too long"),
        ("not-an-email".to_owned(), PASSWORD.to_owned(), "does not look like an email"),
        (String::new(), PASSWORD.to_owned(), "enter your email"),
    ];
    for (address, password, message) in &cases {
        let r = app.post_form("/signup", &[("email", address.as_str()), ("password", password.as_str())]).await;
        r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains(message).assert_contains("role=\"alert\"");
        // The password is never echoed back.
        if password.len() > 8 {
            r.assert_lacks(&format!("value=\"{password}\""));
        }
    }
    assert!(!app.is_signed_in().await);
    assert!(app.db.credentials(&Email::parse(&email("weak")).expect("email")).await.expect("store").is_none());
    // Missing fields are the same mistakes, not a crash.
    let r = app.post_form("/signup", &[]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    assert_redirect_to(&app.sign_up(&email("weak"), PASSWORD).await, "/account");
}

async fn signing_in_rotates_the_session_and_keeps_the_draft(app: TestApp) {
    app.signed_up_browser(&email("rot")).await;
    let b = app.browser();
    b.answer_group("about", &[("age", "52")]).await;
    let before = b.session_cookie().expect("an anonymous session");
    let csrf_before = b.csrf().await;
    // Someone who got hold of the anonymous session id (planted or seen) keeps a copy.
    let attacker = app.browser();
    attacker.set_session_cookie(&before);
    b.get_page("/login").await;
    let r = b.login(&email("rot"), PASSWORD).await;
    assert_redirect_to(&r, "/account");
    let line = r.session_set_cookie().expect("a new session cookie");
    let after = b.session_cookie().expect("a session");
    assert_ne!(before, after, "the session id did not change at sign-in");
    assert!(line.contains(&after));
    assert!(b.is_signed_in().await);
    assert_ne!(b.csrf().await, csrf_before, "the CSRF token did not change at sign-in");
    // The old id is worth nothing now: not signed in, and its draft is gone with it.
    assert!(!attacker.is_signed_in().await);
    attacker.get_page("/assess").await.assert_lacks("Continue where you left off");
    // The signed-in session carries the answers on.
    b.get_page("/assess/about").await.assert_contains("value=\"52\"");
    // Signing in again from a signed-in session rotates it too.
    let copy = app.browser();
    copy.set_session_cookie(&after);
    assert!(copy.is_signed_in().await);
    assert_redirect_to(&b.login(&email("rot"), PASSWORD).await, "/account");
    assert_ne!(b.session_cookie().expect("a session"), after);
    assert!(!copy.is_signed_in().await);
    assert!(b.is_signed_in().await);
}

async fn signing_out_ends_the_session_on_the_server(app: TestApp) {
    let b = app.signed_up_browser(&email("out")).await;
    let token = b.session_cookie().expect("a session");
    let copy = app.browser();
    copy.set_session_cookie(&token);
    assert!(copy.is_signed_in().await);
    // A link or image cannot sign anyone out: only the form's POST does.
    assert_eq!(b.get("/logout").await.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(b.is_signed_in().await);
    let r = b.post_form("/logout", &[]).await;
    assert_redirect_to(&r, "/");
    let cleared = r.session_set_cookie().expect("the cookie is cleared");
    assert!(cleared.starts_with("kneeroot_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert!(!b.is_signed_in().await);
    // A copy of the cookie kept elsewhere no longer signs in either.
    assert!(!copy.is_signed_in().await);
    // Signing in again works.
    b.get_page("/login").await;
    assert_redirect_to(&b.login(&email("out"), PASSWORD).await, "/account");
}

async fn a_wrong_password_or_unknown_email_is_a_401_page(app: TestApp) {
    app.signed_up_browser(&email("known")).await;
    app.get_page("/login").await;
    let wrong = app.login(&email("known"), "not the password").await;
    wrong
        .assert_page(StatusCode::UNAUTHORIZED)
        .assert_contains("<h1>Sign in</h1>")
        .assert_contains("do not match an account")
        .assert_contains("value=\"known@example.com\"")
        .assert_lacks("not the password");
    let unknown = app.login(&email("nobody"), "not the password").await;
    unknown.assert_page(StatusCode::UNAUTHORIZED).assert_contains("do not match an account");
    // The same words either way: the page does not tell which emails have accounts.
    assert_eq!(wrong.body.replace("known@example.com", "X"), unknown.body.replace("nobody@example.com", "X"));
    let r = app.login("", "").await;
    r.assert_page(StatusCode::UNAUTHORIZED);
    assert!(!app.is_signed_in().await);
}

async fn after_five_failed_logins_even_the_right_password_is_refused_with_429(app: TestApp) {
    app.signed_up_browser(&email("throttled")).await;
    app.signed_up_browser(&email("bystander")).await;
    let b = app.browser();
    b.get_page("/login").await;
    for i in 0..5 {
        // The count is per account whatever the email's case.
        let address = if i % 2 == 0 { email("throttled") } else { "THROTTLED@example.com".to_owned() };
        b.login(&address, &format!("wrong password {i}")).await.assert_page(StatusCode::UNAUTHORIZED);
    }
    let r = b.login(&email("throttled"), PASSWORD).await;
    r.assert_page(StatusCode::TOO_MANY_REQUESTS).assert_contains("Too many failed sign-in attempts");
    assert!(!b.is_signed_in().await);
    // The API counts the same failures.
    let api = b.api_login(&email("throttled"), PASSWORD).await;
    api.assert_api_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    // Another account from the same address is not locked out.
    assert_redirect_to(&b.login(&email("bystander"), PASSWORD).await, "/account");
}

async fn changing_the_password_signs_out_other_sessions_but_not_this_one(app: TestApp) {
    let me = app.signed_up_browser(&email("pw")).await;
    let laptop = app.browser();
    laptop.get_page("/login").await;
    assert_redirect_to(&laptop.login(&email("pw"), PASSWORD).await, "/account");
    let token = app.bearer_token(&email("pw"), PASSWORD).await;
    let new_password = "a brand new passphrase";

    let r = me.post_form("/account/password", &[("current", "not my password"), ("new", new_password)]).await;
    r.assert_page(StatusCode::UNAUTHORIZED).assert_contains("current password is not right");
    let r = me.post_form("/account/password", &[("current", PASSWORD), ("new", "short")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("at least 10 characters");
    assert!(laptop.is_signed_in().await, "a refused change signs nobody out");

    let r = me.post_form("/account/password", &[("current", PASSWORD), ("new", new_password)]).await;
    r.assert_page(StatusCode::OK).assert_contains("Your password has been changed");
    assert!(me.is_signed_in().await, "the session that changed the password stays signed in");
    assert!(!laptop.is_signed_in().await, "other sessions are signed out");
    let r = app.api(Method::GET, "/api/v1/assessments", Some(&token), None).await;
    r.assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");

    let fresh = app.browser();
    fresh.get_page("/login").await;
    fresh.login(&email("pw"), PASSWORD).await.assert_page(StatusCode::UNAUTHORIZED);
    assert_redirect_to(&fresh.login(&email("pw"), new_password).await, "/account");
}

async fn deleting_the_account_needs_the_password_and_the_confirmation_then_removes_everything(app: TestApp) {
    let who = email("leaving");
    app.complete_wizard(&[]).await;
    let id = assert_redirect_to_assessment(&app.sign_up(&who, PASSWORD).await);
    let token = app.bearer_token(&who, PASSWORD).await;
    app.api_save_assessment(&token, &sensible_json()).await;
    let user = app.db.credentials(&Email::parse(&who).expect("email")).await.expect("store").expect("account").user;
    assert_eq!(app.db.assessments(&user.id).await.expect("store").len(), 2);

    let r = app.post_form("/account/delete", &[("password", PASSWORD)]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("Tick the box");
    let r = app.post_form("/account/delete", &[("password", "not my password"), ("confirm", "yes")]).await;
    r.assert_page(StatusCode::UNAUTHORIZED).assert_contains("nothing was deleted");
    let r = app.post_form("/account/delete", &[("password", PASSWORD), ("confirm", "on")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.is_signed_in().await);
    assert_eq!(app.db.assessments(&user.id).await.expect("store").len(), 2, "nothing deleted yet");

    let r = app.post_form("/account/delete", &[("password", PASSWORD), ("confirm", "yes")]).await;
    r.assert_page(StatusCode::OK).assert_contains("Your account has been deleted");
    assert!(r.session_set_cookie().is_some_and(|c| c.contains("Max-Age=0")));

    // Everything is gone: the account, its assessments, its sessions and tokens.
    assert!(app.db.user(&user.id).await.expect("store").is_none());
    assert!(app.db.assessments(&user.id).await.expect("store").is_empty());
    assert!(!app.is_signed_in().await);
    assert_redirect_to(&app.get(&format!("/assessments/{id}")).await, "/login");
    app.api(Method::GET, "/api/v1/assessments", Some(&token), None)
        .await
        .assert_api_error(StatusCode::UNAUTHORIZED, "unauthorized");
    app.get_page("/login").await;
    app.login(&who, PASSWORD).await.assert_page(StatusCode::UNAUTHORIZED);

    // The same email can sign up again, and finds nothing of the old account.
    let again = app.browser();
    assert_redirect_to(&again.sign_up(&who, "a new life password").await, "/account");
    again.get_page("/account").await.assert_contains("None saved yet");
    again.get(&format!("/assessments/{id}")).await.assert_page(StatusCode::NOT_FOUND);
    let token = again.bearer_token(&who, "a new life password").await;
    let list = again.api(Method::GET, "/api/v1/assessments", Some(&token), None).await;
    assert_eq!(list.json(), serde_json::json!([]));
}

async fn a_signed_in_person_saves_the_draft_from_the_results_page(app: TestApp) {
    app.signed_up_browser(&email("saver")).await;
    let b = app.browser();
    assert_eq!(b.complete_wizard(&[]).await, "/results");
    // Anonymous: the results page offers an account, and saving needs one.
    b.get_page("/results").await.assert_contains("href=\"/signup\"").assert_lacks("action=\"/assessments\"");
    assert_redirect_to(&b.post_form("/assessments", &[]).await, "/login");
    b.get_page("/login").await;
    assert_redirect_to(&b.login(&email("saver"), PASSWORD).await, "/account");
    let results = b.get_page("/results").await;
    results.assert_contains("action=\"/assessments\"").assert_contains("Save to my account");
    let r = b.post_form_raw("/assessments", &[("csrf", &results.csrf())]).await;
    let id = assert_redirect_to_assessment(&r);
    b.get_page(&format!("/assessments/{id}")).await;
    // Saved once: the draft is gone, so a second save has nothing to save.
    assert_redirect_to(&b.get("/results").await, &format!("/assessments/{id}"));
    let r = b.post_form("/assessments", &[]).await;
    r.assert_page(StatusCode::BAD_REQUEST).assert_contains("no assessment in progress");
}

async fn account_forms_need_a_signed_in_session(app: TestApp) {
    for path in ["/account/password", "/account/delete"] {
        let r = app
            .post_form(path, &[("current", PASSWORD), ("new", PASSWORD), ("password", PASSWORD), ("confirm", "yes")])
            .await;
        assert_redirect_to(&r, "/login");
    }
    assert_redirect_to(&app.get("/account").await, "/login");
    assert_redirect_to(&app.get("/assessments").await, "/login");
    // Signing out without being signed in just ends the anonymous session.
    assert_redirect_to(&app.post_form("/logout", &[]).await, "/");
}
