//! One module per subcommand, plus the small error type that carries an exit status.

pub mod admin;
pub mod assess;
pub mod backup;
pub mod faq;
pub mod kb;
pub mod progression;
pub mod score;
pub mod squat;

/// A failed command: the exit status and the error to print.
#[derive(Debug)]
pub struct Failure {
    /// 1 = failed or problems found, 2 = bad input.
    pub code: u8,
    /// What went wrong, with context.
    pub error: anyhow::Error,
}

impl Failure {
    /// Bad input: exit status 2.
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 2, error: error.into() }
    }

    /// A failure or a failed check: exit status 1.
    pub fn failed(error: impl Into<anyhow::Error>) -> Failure {
        Failure { code: 1, error: error.into() }
    }
}
