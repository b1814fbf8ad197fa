//! The lock file that makes one process the only writer of a SQLite database: `kneeroot.db.lock`
//! beside `kneeroot.db` (so in the data folder, for the default layout, and tied to the database file
//! whatever `--data-dir` or `--database-url` says).
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix, `LockFileEx` on Windows),
//! held for as long as the file stays open: it is released when the process ends however it ends, so a
//! server killed with SIGKILL or by a power cut can be restarted at once, with no stale lock to clear.
//! The file holds the owner's process id, for the message a second server gets; its presence alone
//! means nothing.
//!
//! Only `kneeroot serve` takes it ([`Db::connect_for_serving`](super::Db::connect_for_serving)): the
//! read cache is sound only because every write goes through the one process that holds it. Other
//! commands open the database without it, and keep to what cannot make the server's cache stale:
//! `backup` only reads, and `admin add-user` only inserts an account, which no cached read (a session
//! and its user, a person's records) can have seen.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreResult};

/// The lock file of the database at `database`.
pub(crate) fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Take the lock of the database at `database`, or say who holds it.
///
/// # Errors
/// `Conflict` naming the lock file (and the process holding it, when known) if another process holds
/// it; `Database`-free I/O failures become `Conflict` too, with the reason, since the caller cannot
/// serve without the lock either way.
pub(crate) fn take(database: &Path) -> StoreResult<File> {
    let path = lock_path(database);
    let refuse = |why: String| StoreError::Conflict(format!("cannot lock {}: {why}", path.display()));
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| refuse(e.to_string()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let by = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
            return Err(StoreError::Conflict(format!(
                "the database {} is already in use by another kneeroot server{by}; stop it first, or give this \
                 one another --data-dir (lock file: {})",
                database.display(),
                path.display()
            )));
        }
        Err(TryLockError::Error(e)) => return Err(refuse(e.to_string())),
    }
    // Best effort: the id is only for the message above.
    let _ = file.set_len(0).and_then(|()| file.seek(SeekFrom::Start(0))).and_then(|_| {
        file.write_all(std::process::id().to_string().as_bytes())?;
        file.flush()
    });
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_free_again_when_closed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("kneeroot.db");
        let held = take(&db).expect("the first taker gets the lock");
        assert_eq!(lock_path(&db), dir.path().join("kneeroot.db.lock"));
        let Err(StoreError::Conflict(message)) = take(&db) else { panic!("a second taker must be refused") };
        assert!(message.contains("already in use by another kneeroot server"), "{message}");
        assert!(message.contains(&format!("process {}", std::process::id())), "names the holder: {message}");
        drop(held);
        take(&db).expect("free again once the holder closed it");
    }
}
