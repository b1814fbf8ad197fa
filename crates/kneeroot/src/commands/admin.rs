//! `kneeroot admin …`: accounts from the command line.
//!
//! - `add-user`: accounts for clinicians and administrators (and patients). The password comes from
//!   standard input, never from the command line, where it would be visible to other users of the
//!   machine and kept in shell history.
//! - `invite`: an invitation, under the same rules as the clinic's pages (`kneeroot_web::invitation`);
//!   the link is printed on standard output, alone, so a script can pass it on. It is the only copy:
//!   the database keeps only the token's hash.

use std::future::Future;
use std::io::BufRead;

use anyhow::Context;
use kneeroot_store::{Db, Email, NewUser, Role, StoreError, User, UserStore};
use kneeroot_web::invitation::{Issued, Request, issue, role_in_words};

use super::Failure;
use crate::cli::{AdminCommand, DatabaseArgs, RoleArg};
use crate::settings::{database_for, parse_public_url};

/// Run an admin command.
pub fn run(cmd: &AdminCommand) -> Result<(), Failure> {
    match cmd {
        AdminCommand::AddUser { db, role, email, password_stdin: _ } => add_user(db, *role, email),
        AdminCommand::Invite { db, role, email, clinician_email, by, public_url, days } => {
            let invite = Invite {
                role: role_of(*role),
                email: parse_email("--email", email)?,
                clinician: clinician_email.as_deref().map(|e| parse_email("--clinician-email", e)).transpose()?,
                by: by.as_deref().map(|e| parse_email("--by", e)).transpose()?,
                base: parse_public_url(public_url).map_err(|_| {
                    Failure::input(anyhow::anyhow!(
                        "--public-url: '{public_url}' is not an address like https://knee.clinic.example"
                    ))
                })?,
                days: *days,
            };
            with_db(db, |store| invite.run(store))
        }
    }
}

fn role_of(role: RoleArg) -> Role {
    match role {
        RoleArg::Patient => Role::Patient,
        RoleArg::Clinician => Role::Clinician,
        RoleArg::Admin => Role::Admin,
    }
}

fn parse_email(flag: &str, raw: &str) -> Result<Email, Failure> {
    Email::parse(raw).map_err(|e| Failure::input(anyhow::anyhow!("{flag}: {e}")))
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Open the database (creating the data folder for SQLite), run `work`, close it.
fn with_db<F, Fut>(db: &DatabaseArgs, work: F) -> Result<(), Failure>
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    let (dir, url) = database_for(db.data_dir.as_deref(), db.database_url.as_deref());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
        .map_err(Failure::failed)?;
    runtime.block_on(async {
        if !url.is_postgres() {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))
                .map_err(Failure::input)?;
        }
        let store = Db::connect(url.expose())
            .await
            .map_err(|e| Failure::input(anyhow::anyhow!("cannot open the database {url}: {e}")))?;
        let done = work(store.clone()).await;
        store.close().await;
        done
    })
}

fn add_user(db: &DatabaseArgs, role: RoleArg, email: &str) -> Result<(), Failure> {
    let email = parse_email("--email", email)?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")
        .map_err(Failure::input)?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    kneeroot_web::security::check_password_policy(&password)
        .map_err(|e| Failure::input(anyhow::anyhow!("password: {e}")))?;
    let role = role_of(role);
    with_db(db, |store| async move {
        let hash = kneeroot_web::security::hash_password(password).await.map_err(Failure::failed)?;
        match store.create_user(&NewUser { email, password_hash: hash, role, now: now() }).await {
            Ok(user) => {
                println!("added {} {} ({})", role.as_str(), user.email.as_str(), user.id);
                Ok(())
            }
            Err(StoreError::Conflict(m)) => Err(Failure::input(anyhow::anyhow!("{m}"))),
            Err(e) => Err(Failure::failed(anyhow::anyhow!("{e}"))),
        }
    })
}

/// `kneeroot admin invite`, parsed.
struct Invite {
    role: Role,
    email: Email,
    clinician: Option<Email>,
    by: Option<Email>,
    base: String,
    days: i64,
}

impl Invite {
    async fn run(self, store: Db) -> Result<(), Failure> {
        let failed = |e: StoreError| Failure::failed(anyhow::anyhow!("{e}"));
        let clinician = match &self.clinician {
            Some(email) => Some(account(&store, "--clinician-email", email, Some(Role::Clinician)).await?),
            None if self.role == Role::Patient => {
                return Err(Failure::input(anyhow::anyhow!(
                    "--clinician-email: a patient's invitation names the clinician they will be linked to"
                )));
            }
            None => None,
        };
        let sender = match (&self.by, &clinician) {
            // Whether this sender may send this invitation is `issue`'s rule.
            (Some(email), _) => account(&store, "--by", email, None).await?,
            (None, Some(c)) if self.role == Role::Patient => c.clone(),
            (None, _) => {
                let mut admins = store.users_with_role(Role::Admin).await.map_err(failed)?;
                if admins.len() != 1 {
                    return Err(Failure::input(anyhow::anyhow!(
                        "--by: name the administrator sending the invitation (there are {})",
                        admins.len()
                    )));
                }
                admins.remove(0)
            }
        };
        let request = Request {
            sender: &sender,
            email: self.email,
            role: self.role,
            clinician: clinician.as_ref(),
            now: now(),
            lifetime_seconds: self.days * 24 * 3600,
        };
        let Issued { token, invitation } = issue(&store, request)
            .await
            .map_err(failed)?
            .map_err(|refused| Failure::input(anyhow::anyhow!("{refused}")))?;
        eprintln!(
            "Invitation for {} as {}, from {}, valid for {} days. kneeroot sends no email: send them this link \
             (it is shown only now):",
            invitation.email.as_str(),
            role_in_words(invitation.role),
            sender.email.as_str(),
            self.days
        );
        println!("{}/invite/{token}", self.base);
        Ok(())
    }
}

/// The account with this email, which must have `role` if one is given.
async fn account(store: &Db, flag: &str, email: &Email, role: Option<Role>) -> Result<User, Failure> {
    let found = store.credentials(email).await.map_err(|e| Failure::failed(anyhow::anyhow!("{e}")))?;
    match (found.map(|c| c.user), role) {
        (Some(user), None) => Ok(user),
        (Some(user), Some(role)) if user.role == role => Ok(user),
        (Some(user), Some(role)) => Err(Failure::input(anyhow::anyhow!(
            "{flag}: {} is {}, not {}",
            email.as_str(),
            role_in_words(user.role),
            role_in_words(role)
        ))),
        (None, _) => Err(Failure::input(anyhow::anyhow!("{flag}: there is no account {}", email.as_str()))),
    }
}
