//! Knowledge-base errors: each names the file and the key, so a clinician can find the line to fix.

use std::fmt;

/// One problem in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbError {
    /// The file, e.g. `exercises.toml`.
    pub file: String,
    /// The key, e.g. `exercise.clam_shell.progression`; empty for a file-level problem.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.message)
        }
    }
}

/// Every problem found while loading a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KbErrors(pub Vec<KbError>);

impl fmt::Display for KbErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Collects errors while a knowledge base is built, so one run reports all of them.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<KbError>);

impl Problems {
    pub(crate) fn add(&mut self, file: &str, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(KbError { file: file.to_owned(), key: key.into(), message: message.into() });
    }
}
