//! What was wrong with an answer, worded for the person or script that sent it.

use std::fmt;

use serde_json::Value as Json;

/// One problem with one answer: the id, the value given and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    /// The answer id as given (empty for a document that could not be read at all).
    pub id: String,
    /// The value as given, rendered as JSON.
    pub value: String,
    /// What would have been accepted.
    pub allowed: String,
}

impl AnswerError {
    pub(crate) fn new(id: &str, raw: &Json, allowed: String) -> AnswerError {
        AnswerError { id: id.to_owned(), value: render(raw), allowed }
    }

    pub(crate) fn unknown_id(id: &str, raw: &Json, closest: Option<&str>) -> AnswerError {
        let allowed = match closest {
            Some(c) => format!("a known answer id (did you mean '{c}'?)"),
            None => "a known answer id (see docs/answers.md)".to_owned(),
        };
        AnswerError { id: id.to_owned(), value: render(raw), allowed }
    }
}

fn render(raw: &Json) -> String {
    let s = raw.to_string();
    // Keep messages readable when someone pastes a huge value.
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id.is_empty() {
            write!(f, "{}", self.allowed)
        } else if self.allowed.starts_with("a known answer id") {
            write!(f, "'{}' is not an answer id; expected {}", self.id, self.allowed)
        } else {
            write!(f, "answer '{}' = {} is not allowed; expected {}", self.id, self.value, self.allowed)
        }
    }
}

/// Every problem found in one set of answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AnswerErrors(pub Vec<AnswerError>);

impl AnswerErrors {
    pub(crate) fn syntax(message: String) -> AnswerErrors {
        AnswerErrors(vec![AnswerError { id: String::new(), value: String::new(), allowed: message }])
    }
}

impl fmt::Display for AnswerErrors {
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
