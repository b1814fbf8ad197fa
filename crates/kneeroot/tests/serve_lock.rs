//! One `kneeroot serve` per SQLite database: a second one on the same data folder stops at once with a
//! message naming the lock file and the process holding it, having written nothing; once the first is
//! gone, even killed with SIGKILL, the next one starts without any clean-up. The read cache of the
//! serving store is only sound because of this (see `kneeroot-store`'s `owner_lock.rs`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The binary, with no `KNEEROOT_…` settings from the environment leaking in.
fn kneeroot() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kneeroot"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("KNEEROOT_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_LOG", "warn");
    command
}

/// `kneeroot serve` on `data`, once it says it is running.
fn serve(data: &std::path::Path) -> Child {
    let mut child = kneeroot()
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run kneeroot serve");
    let stdout = child.stdout.take().expect("standard output");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("kneeroot is running at") {
                let _ = tx.send(());
            }
        }
    });
    if rx.recv_timeout(Duration::from_secs(30)).is_err() {
        let _ = child.kill();
        panic!("kneeroot serve did not start");
    }
    child
}

#[test]
fn a_second_server_on_one_sqlite_database_is_refused_until_the_first_is_gone() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut first = serve(dir.path());

    let second = kneeroot()
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run a second kneeroot serve");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the second server must not run; it said: {stderr}");
    assert!(stderr.contains("already in use by another kneeroot server"), "{stderr}");
    assert!(stderr.contains("kneeroot.db.lock"), "names the lock file: {stderr}");
    assert!(stderr.contains(&format!("process {}", first.id())), "names the process holding it: {stderr}");
    assert!(!String::from_utf8_lossy(&second.stdout).contains("running at"), "it never listened");

    // SIGKILL: no chance to clean anything up, and none is needed.
    first.kill().expect("kill the first server");
    first.wait().expect("reap it");
    let mut third = serve(dir.path());
    third.kill().expect("kill the third server");
    third.wait().expect("reap it");
}

/// `restore --force` never swaps the database file under a running server (whose read cache trusts that
/// it is the only writer); with the server gone, the same command works.
#[test]
fn restore_is_refused_while_a_server_runs_on_the_folder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let backup = dir.path().join("backup.db");
    let mut server = serve(dir.path());
    let made = kneeroot()
        .args(["backup", "--data-dir"])
        .arg(dir.path())
        .arg("--to")
        .arg(&backup)
        .output()
        .expect("run kneeroot backup");
    assert!(made.status.success(), "a backup while serving: {}", String::from_utf8_lossy(&made.stderr));

    let restore = || {
        kneeroot()
            .args(["restore", "--force", "--from"])
            .arg(&backup)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .expect("run kneeroot restore")
    };
    let refused = restore();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot restore while a server is running"), "{stderr}");
    assert!(!dir.path().join("kneeroot.db.replaced").exists(), "the live file was not moved aside");

    server.kill().expect("stop the server");
    server.wait().expect("reap it");
    let restored = restore();
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
}
