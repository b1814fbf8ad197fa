//! The clinic's areas of the conformance suite: the audit log and invitations.

use kneeroot_store::*;
use sqlx::AssertSqlSafe;

use sqlx::Connection;

use super::{T, new_user};
use crate::harness::on_every_backend;

fn entry(actor: &User, patient: &UserId, action: AuditAction, what: &str, now: Timestamp) -> NewAuditEntry {
    NewAuditEntry { actor: actor.clone(), patient_id: patient.clone(), action, what: what.into(), now }
}

fn invitation(token_hash: &str, email: &str, role: Role, by: &UserId, clinician: Option<&UserId>) -> Invitation {
    Invitation {
        token_hash: token_hash.into(),
        email: Email::parse(email).unwrap(),
        role,
        invited_by: by.clone(),
        clinician_id: clinician.cloned(),
        created_at: T,
        expires_at: T + 7 * 86_400,
        accepted_at: None,
        accepted_by: None,
    }
}

/// Entries are per patient, oldest first (ties by id), keep the actor's email after the actor is gone,
/// refuse unknown patients, and go with the patient's account.
pub(crate) async fn audit<S: Store>(s: &S) {
    let p = s.create_user(&new_user("audit-p@example.org", Role::Patient)).await.unwrap();
    let q = s.create_user(&new_user("audit-q@example.org", Role::Patient)).await.unwrap();
    let c = s.create_user(&new_user("audit-c@example.org", Role::Clinician)).await.unwrap();
    assert!(s.audit_of_patient(&p.id).await.unwrap().is_empty());

    let viewed = s.record_access(&entry(&c, &p.id, AuditAction::View, "record", T + 5)).await.unwrap();
    assert_eq!((viewed.actor_email.as_str(), viewed.actor_role), ("audit-c@example.org", Role::Clinician));
    let changed = s.record_access(&entry(&c, &p.id, AuditAction::Change, "plan", T + 1)).await.unwrap();
    let mut tied = vec![
        s.record_access(&entry(&c, &p.id, AuditAction::Export, "fhir export", T + 9)).await.unwrap(),
        s.record_access(&entry(&c, &p.id, AuditAction::View, "plan", T + 9)).await.unwrap(),
    ];
    tied.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected = vec![changed, viewed];
    expected.extend(tied);
    assert_eq!(s.audit_of_patient(&p.id).await.unwrap(), expected, "oldest first, ties by id");
    assert!(s.audit_of_patient(&q.id).await.unwrap().is_empty(), "per patient");

    let ghost = UserId::random();
    assert!(matches!(
        s.record_access(&entry(&c, &ghost, AuditAction::View, "record", T)).await,
        Err(StoreError::NotFound)
    ));

    // The clinician leaves: the patient still sees who looked.
    s.delete_user(&c.id).await.unwrap();
    assert_eq!(s.audit_of_patient(&p.id).await.unwrap(), expected);
    // The patient leaves: their log goes with them.
    s.delete_user(&p.id).await.unwrap();
    assert!(s.audit_of_patient(&p.id).await.unwrap().is_empty());
}

/// Invitations: listed by sender, accepted once (as a new account or an existing patient), linked to the
/// named clinician, refused when used, expired or withdrawn, and rolled back whole on a taken email.
pub(crate) async fn invitations<S: Store>(s: &S) {
    let admin = s.create_user(&new_user("inv-admin@example.org", Role::Admin)).await.unwrap();
    let c = s.create_user(&new_user("inv-c@example.org", Role::Clinician)).await.unwrap();
    assert!(s.invitation("nope").await.unwrap().is_none());

    let for_clinician = invitation("h-clin", "inv-new-c@example.org", Role::Clinician, &admin.id, None);
    let for_patient = invitation("h-pat", "Inv-New-P@example.org", Role::Patient, &c.id, Some(&c.id));
    s.create_invitation(&for_clinician).await.unwrap();
    s.create_invitation(&Invitation { created_at: T + 1, ..for_patient.clone() }).await.unwrap();
    assert!(matches!(s.create_invitation(&for_clinician).await, Err(StoreError::Conflict(_))), "same hash");
    let unknown_sender = invitation("h-x", "x@example.org", Role::Patient, &UserId::random(), None);
    assert!(matches!(s.create_invitation(&unknown_sender).await, Err(StoreError::NotFound)));
    assert_eq!(s.invitation("h-clin").await.unwrap(), Some(for_clinician.clone()));
    assert_eq!(s.invitations_sent_by(&admin.id).await.unwrap(), vec![for_clinician.clone()]);

    // A new clinician account with the invitation's email and role; the invitation is used up.
    let new_c = s.accept_invitation_as_new_user("h-clin", "$argon2id$x", T + 60).await.unwrap();
    assert_eq!((new_c.email.as_str(), new_c.role), ("inv-new-c@example.org", Role::Clinician));
    let used = s.invitation("h-clin").await.unwrap().unwrap();
    assert_eq!((used.accepted_at, used.accepted_by.as_ref()), (Some(T + 60), Some(&new_c.id)));
    assert!(matches!(
        s.accept_invitation_as_new_user("h-clin", "$argon2id$y", T + 61).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(s.accept_invitation_as_new_user("missing", "$argon2id$y", T).await, Err(StoreError::NotFound)));

    // A patient invited by a clinician is linked to them on accepting.
    let p = s.accept_invitation_as_new_user("h-pat", "$argon2id$p", T + 70).await.unwrap();
    assert_eq!((p.email.as_str(), p.role), ("inv-new-p@example.org", Role::Patient));
    assert!(s.is_linked(&c.id, &p.id).await.unwrap());

    // Expired: refused, and nothing is written.
    s.create_invitation(&invitation("h-late", "inv-late@example.org", Role::Patient, &c.id, Some(&c.id)))
        .await
        .unwrap();
    assert!(matches!(
        s.accept_invitation_as_new_user("h-late", "$argon2id$l", T + 7 * 86_400).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s.credentials(&Email::parse("inv-late@example.org").unwrap()).await.unwrap().is_none());

    // A taken email rolls the claim back: the invitation stays pending.
    s.create_invitation(&invitation("h-taken", "inv-c@example.org", Role::Clinician, &admin.id, None)).await.unwrap();
    assert!(matches!(
        s.accept_invitation_as_new_user("h-taken", "$argon2id$t", T + 80).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.invitation("h-taken").await.unwrap().unwrap().accepted_at, None);

    // An existing patient accepts a patient's invitation: linked; a clinician's invitation is refused.
    let existing = s.create_user(&new_user("inv-existing@example.org", Role::Patient)).await.unwrap();
    s.create_invitation(&invitation("h-ex", "inv-existing@example.org", Role::Patient, &c.id, Some(&c.id)))
        .await
        .unwrap();
    let accepted = s.accept_invitation_as_patient("h-ex", &existing.id, T + 90).await.unwrap();
    assert_eq!(accepted.accepted_by.as_ref(), Some(&existing.id));
    assert!(s.is_linked(&c.id, &existing.id).await.unwrap());
    assert!(matches!(
        s.accept_invitation_as_patient("h-taken", &existing.id, T + 91).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.invitation("h-taken").await.unwrap().unwrap().accepted_at, None, "rolled back");

    // Withdrawing: only the sender, only while pending.
    assert!(matches!(s.withdraw_invitation(&c.id, "h-taken").await, Err(StoreError::NotFound)));
    assert!(matches!(s.withdraw_invitation(&admin.id, "h-clin").await, Err(StoreError::NotFound)), "used");
    s.withdraw_invitation(&admin.id, "h-taken").await.unwrap();
    assert!(s.invitation("h-taken").await.unwrap().is_none());

    // Invitations go with their sender's account and with the invited person's.
    s.delete_user(&existing.id).await.unwrap();
    assert!(s.invitation("h-ex").await.unwrap().is_none());
    s.delete_user(&c.id).await.unwrap();
    assert!(s.invitations_sent_by(&c.id).await.unwrap().is_empty());
    assert!(s.invitation("h-pat").await.unwrap().is_none());
}

/// Clinicians are listed by role, ordered by email.
pub(crate) async fn roles<S: Store>(s: &S) {
    let b = s.create_user(&new_user("roles-b@example.org", Role::Clinician)).await.unwrap();
    let a = s.create_user(&new_user("roles-a@example.org", Role::Clinician)).await.unwrap();
    s.create_user(&new_user("roles-p@example.org", Role::Patient)).await.unwrap();
    let listed: Vec<User> = s
        .users_with_role(Role::Clinician)
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.email.as_str().starts_with("roles-"))
        .collect();
    assert_eq!(listed, vec![a, b]);
}

#[tokio::test]
async fn the_audit_log_is_per_patient_and_outlives_the_actor() {
    on_every_backend(|db, _| async move { audit(&db).await }).await;
}

#[tokio::test]
async fn invitations_are_accepted_once_and_link_patients() {
    on_every_backend(|db, _| async move { invitations(&db).await }).await;
}

#[tokio::test]
async fn users_are_listed_by_role() {
    on_every_backend(|db, _| async move { roles(&db).await }).await;
}

/// The schema itself refuses to rewrite or remove an entry while its patient exists.
#[tokio::test]
async fn the_audit_log_is_append_only_in_the_schema() {
    on_every_backend(|db, url| async move {
        let p = db.create_user(&new_user("ao-p@example.org", Role::Patient)).await.unwrap();
        let c = db.create_user(&new_user("ao-c@example.org", Role::Clinician)).await.unwrap();
        db.record_access(&entry(&c, &p.id, AuditAction::View, "record", T)).await.unwrap();
        sqlx::any::install_default_drivers();
        let mut raw = sqlx::AnyConnection::connect(&url).await.expect("a plain connection");
        for sql in ["UPDATE audit_log SET what = 'nothing'", "DELETE FROM audit_log"] {
            let refused = sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&mut raw).await;
            let message = refused.expect_err(sql).to_string();
            assert!(message.contains("append-only"), "{sql}: {message}");
        }
        assert_eq!(db.audit_of_patient(&p.id).await.unwrap().len(), 1);
    })
    .await;
}
