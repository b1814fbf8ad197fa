//! Accepting invitations (`/invite/{token}`) and clinicians inviting their own patients
//! (`/clinic/invitations`): a link works once, even when two people race with it; expired, withdrawn and
//! unknown links are refused plainly; an existing patient shares their record while signed in; someone
//! else signed in is told why and may sign out; a clinician's form cannot ask for another role or
//! another clinician's caseload.

use kneeroot_store::{BookingStore, Email, InvitationStore, Role, UserStore};
use reqwest::StatusCode;

use crate::admin::{accept_as_new, invite, member};
use crate::helpers::{PASSWORD, TestApp, assert_redirect_to, attr_values, email};

async fn accounts_with(app: &TestApp, address: &str) -> bool {
    app.db.credentials(&Email::parse(address).expect("email")).await.expect("credentials").is_some()
}

async fn a_link_works_once_even_when_two_people_race(app: TestApp) {
    let (_, boss) = member(&app, "boss", Role::Admin).await;
    let (_, token) = invite(&boss, "/admin/invitations", &[("email", "twice@example.com"), ("role", "admin")]).await;
    let (first, second) = (app.browser(), app.browser());
    first.get_page(&format!("/invite/{token}")).await;
    second.get_page(&format!("/invite/{token}")).await;
    let path = format!("/invite/{token}");
    let form = [("password", PASSWORD), ("confirm", PASSWORD)];
    let (a, b) = tokio::join!(first.post_form(&path, &form), second.post_form(&path, &form));
    let (won, lost) = if a.status == StatusCode::SEE_OTHER { (a, b) } else { (b, a) };
    assert_redirect_to(&won, "/admin");
    lost.assert_page(StatusCode::GONE).assert_contains("already been used").assert_contains("boss@example.com");
    assert_eq!(app.db.users_with_role(Role::Admin).await.unwrap().len(), 2, "one account was made");
    // Later visitors get the same plain page; the one who accepted is told so.
    app.browser().get(&path).await.assert_page(StatusCode::GONE).assert_contains("already been used");
    let winner = if first.is_signed_in().await { first } else { second };
    winner.get(&path).await.assert_page(StatusCode::GONE).assert_contains("You have accepted");
}

async fn an_expired_invitation_is_refused(app: TestApp) {
    let (physio, b) = member(&app, "physio", Role::Clinician).await;
    let (_, token) = invite(&b, "/clinic/invitations", &[("email", "late@example.com")]).await;
    let newcomer = app.browser();
    newcomer.get_page(&format!("/invite/{token}")).await;
    app.clock.advance(app.config.invitation_seconds);
    let page = app.get(&format!("/invite/{token}")).await;
    page.assert_page(StatusCode::GONE).assert_contains("expired").assert_contains("physio@example.com");
    let r = newcomer.post_form(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::GONE).assert_contains("expired");
    assert!(!accounts_with(&app, "late@example.com").await);
    assert!(app.db.patients_of(&physio.id).await.unwrap().is_empty());
    b.get_page("/clinic/invitations").await.assert_contains("expired").assert_lacks("name=\"invitation\"");
}

async fn unknown_links_are_not_found(app: TestApp) {
    for token in ["nonsense".to_owned(), "0".repeat(64), "%3Cscript%3E".to_owned()] {
        let r = app.get(&format!("/invite/{token}")).await;
        r.assert_page(StatusCode::NOT_FOUND).assert_contains("not known");
    }
    let r =
        app.post_form(&format!("/invite/{}", "0".repeat(64)), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::NOT_FOUND);
}

async fn passwords_follow_the_sign_up_rules(app: TestApp) {
    let (_, b) = member(&app, "physio", Role::Clinician).await;
    let (_, token) = invite(&b, "/clinic/invitations", &[("email", "pw@example.com")]).await;
    let newcomer = app.browser();
    newcomer.get_page(&format!("/invite/{token}")).await;
    let path = format!("/invite/{token}");
    let r = newcomer.post_form(&path, &[("password", "short"), ("confirm", "short")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("at least 10 characters");
    let r = newcomer.post_form(&path, &[("password", PASSWORD), ("confirm", "something else entirely")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("not the same");
    assert!(!accounts_with(&app, "pw@example.com").await);
    // The form shows the invited email, read-only: the invitation decides it.
    let page = newcomer.get_page(&path).await;
    page.assert_contains("value=\"pw@example.com\" readonly").assert_contains("a patient");
    let r = newcomer
        .post_form(&path, &[("password", PASSWORD), ("confirm", PASSWORD), ("email", "other@example.com")])
        .await;
    assert_redirect_to(&r, "/assess");
    assert!(accounts_with(&app, "pw@example.com").await && !accounts_with(&app, "other@example.com").await);
}

async fn an_existing_patient_shares_their_record_while_signed_in(app: TestApp) {
    let (physio, b) = member(&app, "physio", Role::Clinician).await;
    let patient = app.signed_up_browser(&email("pat")).await;
    patient.logout().await;
    let (_, token) = invite(&b, "/clinic/invitations", &[("email", "pat@example.com")]).await;
    let path = format!("/invite/{token}");
    // Signed out: sign in first, and come back here.
    let page = patient.get_page(&path).await;
    page.assert_contains(&format!("/login?next={path}")).assert_lacks("new-password");
    let login = patient.get_page(&format!("/login?next={path}")).await;
    assert_eq!(attr_values(&login.body, "next"), vec![path.clone()]);
    let r = patient.post_form("/login", &[("email", &email("pat")), ("password", PASSWORD), ("next", &path)]).await;
    assert_redirect_to(&r, &path);
    // Signed in: what the clinician will see, and the button.
    let page = patient.get_page(&path).await;
    page.assert_contains("Accept and share my record with physio@example.com").assert_contains("check-ins");
    assert!(!app.db.is_linked(&physio.id, &page_user(&app, "pat").await).await.unwrap());
    let done = patient.post_form(&format!("{path}/accept"), &[]).await;
    done.assert_page(StatusCode::OK).assert_contains("Your record is shared");
    assert!(app.db.is_linked(&physio.id, &page_user(&app, "pat").await).await.unwrap());
    // A second click is answered plainly.
    let again = patient.post_form(&format!("{path}/accept"), &[]).await;
    again.assert_page(StatusCode::GONE).assert_contains("You have accepted");
    b.get_page("/clinic/invitations").await.assert_contains("accepted");
}

async fn page_user(app: &TestApp, who: &str) -> kneeroot_store::UserId {
    app.db.credentials(&Email::parse(&email(who)).unwrap()).await.unwrap().expect("an account").user.id
}

async fn someone_else_signed_in_is_told_why_and_may_sign_out(app: TestApp) {
    let (physio, b) = member(&app, "physio", Role::Clinician).await;
    let (_, token) = invite(&b, "/clinic/invitations", &[("email", "invited@example.com")]).await;
    let path = format!("/invite/{token}");
    // Another patient: refused, nothing linked.
    let other = app.signed_up_browser(&email("other")).await;
    other.get_page(&path).await.assert_contains("signed in as other@example.com").assert_contains("/sign-out");
    other.post_form(&format!("{path}/accept"), &[]).await.assert_page(StatusCode::FORBIDDEN);
    let r = other.post_form(&path, &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::CONFLICT);
    assert!(app.db.patients_of(&physio.id).await.unwrap().is_empty());
    assert!(!accounts_with(&app, "invited@example.com").await);
    // The clinician who sent it: the same.
    b.get_page(&path).await.assert_contains("signed in as physio@example.com");
    b.post_form(&format!("{path}/accept"), &[]).await.assert_page(StatusCode::FORBIDDEN);
    // Signing out comes back to the invitation, which now offers the account.
    assert_redirect_to(&other.post_form(&format!("{path}/sign-out"), &[]).await, &path);
    assert!(!other.is_signed_in().await);
    other.get_page(&path).await.assert_contains("new-password");
}

async fn clinicians_invite_only_their_own_patients(app: TestApp) {
    let (physio, b) = member(&app, "physio", Role::Clinician).await;
    let (rival, _) = member(&app, "rival", Role::Clinician).await;
    let (_, boss) = member(&app, "boss", Role::Admin).await;
    let forged: [&[(&str, &str)]; 3] = [
        &[("email", "x@example.com"), ("role", "admin")],
        &[("email", "x@example.com"), ("role", "clinician")],
        &[("email", "x@example.com"), ("clinician_id", rival.id.as_str())],
    ];
    for fields in forged {
        b.post_form("/clinic/invitations", fields).await.assert_page(StatusCode::FORBIDDEN);
    }
    assert!(app.db.invitations_sent_by(&physio.id).await.unwrap().is_empty(), "nothing written");
    // Saying what is true anyway is fine.
    let (_, token) = invite(
        &b,
        "/clinic/invitations",
        &[("email", "x@example.com"), ("role", "patient"), ("clinician_id", physio.id.as_str())],
    )
    .await;
    let sent = app.db.invitations_sent_by(&physio.id).await.unwrap();
    assert_eq!((sent[0].role, sent[0].clinician_id.as_ref()), (Role::Patient, Some(&physio.id)));
    // Staff accounts cannot be invited as patients; an empty email is named.
    let r = b.post_form("/clinic/invitations", &[("email", "boss@example.com")]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("as a clinic administrator");
    let r = b.post_form("/clinic/invitations", &[("email", "")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY).assert_contains("aria-invalid=\"true\"");
    // Only clinicians use this page; administrators use /admin.
    boss.get("/clinic/invitations").await.assert_page(StatusCode::FORBIDDEN);
    let r = boss.post_form("/clinic/invitations", &[("email", "y@example.com")]).await;
    r.assert_page(StatusCode::FORBIDDEN);
    assert_redirect_to(&app.get("/clinic/invitations").await, "/login");
    // Accepting links the patient to this clinician only.
    let (_, r) = accept_as_new(&app, &token).await;
    assert_redirect_to(&r, "/assess");
    let patient = page_user(&app, "x").await;
    assert!(app.db.is_linked(&physio.id, &patient).await.unwrap());
    assert!(!app.db.is_linked(&rival.id, &patient).await.unwrap());
}

async fn a_clinician_withdraws_only_their_own_pending_invitations(app: TestApp) {
    let (physio, b) = member(&app, "physio", Role::Clinician).await;
    let (_, rival) = member(&app, "rival", Role::Clinician).await;
    let (_, token) = invite(&b, "/clinic/invitations", &[("email", "w@example.com")]).await;
    let hash = kneeroot_web::security::token_hash(&token);
    let list = b.get_page("/clinic/invitations").await;
    list.assert_contains("w@example.com").assert_contains("pending").assert_lacks(&token);
    rival.post_form("/clinic/invitations/withdraw", &[("invitation", &hash)]).await.assert_page(StatusCode::CONFLICT);
    b.post_form_raw("/clinic/invitations/withdraw", &[("invitation", &hash)]).await.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(app.db.invitations_sent_by(&physio.id).await.unwrap().len(), 1);
    assert_redirect_to(
        &b.post_form("/clinic/invitations/withdraw", &[("invitation", &hash)]).await,
        "/clinic/invitations",
    );
    app.get(&format!("/invite/{token}")).await.assert_page(StatusCode::NOT_FOUND);
}

async fn an_email_taken_after_the_invitation_leaves_it_usable(app: TestApp) {
    let (_, boss) = member(&app, "boss", Role::Admin).await;
    let (_, token) =
        invite(&boss, "/admin/invitations", &[("email", "taken@example.com"), ("role", "clinician")]).await;
    let newcomer = app.browser();
    newcomer.get_page(&format!("/invite/{token}")).await;
    // Someone signs up with that address before the invitation is accepted.
    app.signed_up_browser("taken@example.com").await;
    let r = newcomer.post_form(&format!("/invite/{token}"), &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    r.assert_page(StatusCode::CONFLICT).assert_contains("already exists").assert_contains("cannot create another");
    let inv = app.db.invitation(&kneeroot_web::security::token_hash(&token)).await.unwrap().expect("kept");
    assert!(inv.accepted_at.is_none(), "nothing was claimed");
    assert_eq!(app.db.users_with_role(Role::Clinician).await.unwrap().len(), 0);
}

both!(
    a_link_works_once_even_when_two_people_race,
    an_expired_invitation_is_refused,
    unknown_links_are_not_found,
    passwords_follow_the_sign_up_rules,
    an_existing_patient_shares_their_record_while_signed_in,
    someone_else_signed_in_is_told_why_and_may_sign_out,
    clinicians_invite_only_their_own_patients,
    a_clinician_withdraws_only_their_own_pending_invitations,
    an_email_taken_after_the_invitation_leaves_it_usable,
);
