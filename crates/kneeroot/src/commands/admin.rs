//! `kneeroot admin add-user`: accounts for clinicians and administrators (and patients) from the command
//! line. The password comes from standard input, never from the command line, where it would be visible
//! to other users of the machine and kept in shell history.

use std::io::BufRead;

use anyhow::Context;
use kneeroot_store::{Db, Email, NewUser, Role, StoreError, UserStore};

use super::Failure;
use crate::cli::{AdminCommand, RoleArg};
use crate::settings::database_for;

/// Run an admin command.
pub fn run(cmd: &AdminCommand) -> Result<(), Failure> {
    match cmd {
        AdminCommand::AddUser { db, role, email, password_stdin: _ } => {
            let email = Email::parse(email).map_err(|e| Failure::input(anyhow::anyhow!("--email: {e}")))?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")
                .map_err(Failure::input)?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            kneeroot_web::security::check_password_policy(&password)
                .map_err(|e| Failure::input(anyhow::anyhow!("password: {e}")))?;
            let role = match role {
                RoleArg::Patient => Role::Patient,
                RoleArg::Clinician => Role::Clinician,
                RoleArg::Admin => Role::Admin,
            };
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
                let hash = kneeroot_web::security::hash_password(password).await.map_err(Failure::failed)?;
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                let created = store.create_user(&NewUser { email, password_hash: hash, role, now }).await;
                store.close().await;
                match created {
                    Ok(user) => {
                        println!("added {} {} ({})", role.as_str(), user.email.as_str(), user.id);
                        Ok(())
                    }
                    Err(StoreError::Conflict(m)) => Err(Failure::input(anyhow::anyhow!("{m}"))),
                    Err(e) => Err(Failure::failed(anyhow::anyhow!("{e}"))),
                }
            })
        }
    }
}
