//! `kneeroot backup` and `kneeroot restore` for the SQLite database.
//!
//! A backup is SQLite's `VACUUM INTO`: a consistent snapshot taken inside one read transaction, so it can
//! run while the server is serving. A restore first checks the backup in a temporary copy (it must open,
//! migrate and pass `PRAGMA integrity_check`) and only then moves it into place, so a bad file never
//! replaces a good database. PostgreSQL is backed up with its own tools (docs/operations.md).

use std::path::Path;

use anyhow::Context;
use kneeroot_store::Db;

use super::Failure;
use crate::cli::{BackupArgs, RestoreArgs};
use crate::settings::{database_for, default_data_dir};

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
        .map_err(Failure::failed)
}

/// `kneeroot backup --to FILE`
pub fn backup(args: &BackupArgs) -> Result<(), Failure> {
    let (_, url) = database_for(args.db.data_dir.as_deref(), args.db.database_url.as_deref());
    if url.is_postgres() {
        return Err(Failure::input(anyhow::anyhow!("PostgreSQL is backed up with pg_dump (see docs/operations.md)")));
    }
    if args.to.exists() {
        return Err(Failure::input(anyhow::anyhow!("{} already exists; choose a new file", args.to.display())));
    }
    let to = args
        .to
        .to_str()
        .ok_or_else(|| Failure::input(anyhow::anyhow!("the backup path is not valid text")))?
        .to_owned();
    runtime()?.block_on(async {
        let db = Db::connect(url.expose())
            .await
            .map_err(|e| Failure::input(anyhow::anyhow!("cannot open the database {url}: {e}")))?;
        let done = db.backup_to(&to).await;
        db.close().await;
        done.map_err(|e| Failure::failed(anyhow::anyhow!("backup failed: {e}")))
    })?;
    println!("backed up {url} to {}", args.to.display());
    Ok(())
}

/// `kneeroot restore --from FILE`
pub fn restore(args: &RestoreArgs) -> Result<(), Failure> {
    let dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
    let target = dir.join("kneeroot.db");
    if target.exists() && !args.force {
        return Err(Failure::input(anyhow::anyhow!(
            "{} already exists; stop the server, then run again with --force to replace it",
            target.display()
        )));
    }
    if !args.from.is_file() {
        return Err(Failure::input(anyhow::anyhow!("{} is not a backup file", args.from.display())));
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))
        .map_err(Failure::input)?;
    // A running server trusts its read cache because it is the file's only writer: never swap the file
    // under it. Held until the restored file is in place.
    let _owner = Db::lock_sqlite_file(&target)
        .map_err(|e| Failure::input(anyhow::anyhow!("cannot restore while a server is running: {e}")))?;
    // Check a copy, beside the target so the final move is a rename on one file system.
    let staging = dir.join("kneeroot.db.restoring");
    remove_database(&staging);
    std::fs::copy(&args.from, &staging)
        .with_context(|| format!("cannot copy {}", args.from.display()))
        .map_err(Failure::failed)?;
    let url = format!("sqlite://{}", staging.display());
    let checked = runtime()?.block_on(async {
        let db = Db::connect(&url).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let ok = db.integrity_check().await.map_err(|e| anyhow::anyhow!("{e}"));
        db.close().await;
        ok
    });
    if let Err(e) = checked {
        remove_database(&staging);
        return Err(Failure::input(anyhow::anyhow!("{} is not a usable kneeroot backup: {e}", args.from.display())));
    }
    if target.exists() {
        let kept = dir.join("kneeroot.db.replaced");
        remove_database(&kept);
        std::fs::rename(&target, &kept)
            .with_context(|| format!("cannot move {} aside", target.display()))
            .map_err(Failure::failed)?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("kneeroot.db{suffix}")));
        }
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("cannot put the backup in place at {}", target.display()))
        .map_err(Failure::failed)?;
    remove_database(&staging);
    println!("restored {} into {}", args.from.display(), target.display());
    Ok(())
}

fn remove_database(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
