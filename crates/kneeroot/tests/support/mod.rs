//! What the command-line tests share: running the real binary (without a `KNEEROOT_KNOWLEDGE` from the
//! caller's environment, so the shipped knowledge base is used unless a test says otherwise), writing
//! input files, and reading the output as text. Each test file uses only some of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Run `kneeroot` with `args`.
pub fn kneeroot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kneeroot"))
        .args(args)
        .env_remove("KNEEROOT_KNOWLEDGE")
        .output()
        .expect("run kneeroot")
}

/// Run `kneeroot` with `args` and `input` on standard input.
pub fn kneeroot_with_input(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kneeroot"))
        .args(args)
        .env_remove("KNEEROOT_KNOWLEDGE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kneeroot");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// Write `text` to `dir/name` and return the path as a string for an argument.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.to_string_lossy().into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
