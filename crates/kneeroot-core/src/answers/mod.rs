//! Answers: the person's raw input, parsed at the edge into typed values.
//!
//! The wire format (docs/answers.md) is a flat map from answer id to value, as JSON or TOML. A TOML file
//! that writes `pain.now = 5` produces nested tables, so nested objects are flattened with `.` before
//! checking. Every id must be known, every value of its question's type and range; all problems are
//! collected and reported together (each naming the id, the value given and what is allowed), and nothing
//! is evaluated unless there are none. `null` means "not answered", which the web forms need.
//!
//! Values are stored in a vector indexed like the knowledge base's questions, so evaluating a condition
//! is an index, not a map lookup.

mod error;
mod value;

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::knowledge::{Knowledge, Question, QuestionKind};

pub use error::{AnswerError, AnswerErrors};
pub use value::{Side, Value, format_number};

/// A validated set of answers, possibly partial.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers {
    values: Vec<Option<Value>>,
}

/// The text formats an answers document may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    /// JSON object.
    Json,
    /// TOML document.
    Toml,
}

impl Answers {
    /// No answers at all.
    pub fn empty(kb: &Knowledge) -> Answers {
        Answers { values: vec![None; kb.questions().len()] }
    }

    /// Parse a whole answers document.
    ///
    /// # Errors
    /// A syntax error (reported as one [`AnswerError`] with id `""`), or every id/type/range problem.
    pub fn parse_document(kb: &Knowledge, text: &str, format: DocumentFormat) -> Result<Answers, AnswerErrors> {
        let json: Json = match format {
            DocumentFormat::Json => {
                serde_json::from_str(text).map_err(|e| AnswerErrors::syntax(format!("not valid JSON: {e}")))?
            }
            DocumentFormat::Toml => {
                let table: toml::Table =
                    toml::from_str(text).map_err(|e| AnswerErrors::syntax(format!("not valid TOML: {e}")))?;
                toml_to_json(toml::Value::Table(table))
            }
        };
        match json {
            Json::Object(map) => Answers::from_json_map(kb, &map),
            other => Err(AnswerErrors::syntax(format!(
                "the answers must be an object of id = value, not {}",
                json_kind(&other)
            ))),
        }
    }

    /// Parse a JSON object of answers (nested objects are flattened with `.`).
    ///
    /// # Errors
    /// Every unknown id, wrong type or out-of-range value, each naming the id, the value and what is allowed.
    pub fn from_json_map(kb: &Knowledge, map: &Map<String, Json>) -> Result<Answers, AnswerErrors> {
        let mut flat = BTreeMap::new();
        let mut errors = Vec::new();
        flatten("", map, &mut flat, &mut errors);
        let mut answers = Answers::empty(kb);
        for (id, raw) in &flat {
            let Some(index) = kb.question_index(id) else {
                errors.push(AnswerError::unknown_id(id, raw, kb.closest_question_id(id)));
                continue;
            };
            if raw.is_null() {
                continue;
            }
            let question = &kb.questions()[index];
            match parse_value(question, raw) {
                Ok(v) => answers.values[index] = Some(v),
                Err(allowed) => errors.push(AnswerError::new(id, raw, allowed)),
            }
        }
        if errors.is_empty() { Ok(answers) } else { Err(AnswerErrors(errors)) }
    }

    /// The answer to question number `index`, if answered.
    pub fn get_index(&self, index: usize) -> Option<&Value> {
        self.values.get(index).and_then(Option::as_ref)
    }

    /// The answer to `id`, if answered.
    pub fn get(&self, kb: &Knowledge, id: &str) -> Option<&Value> {
        kb.question_index(id).and_then(|i| self.get_index(i))
    }

    /// Set (or clear, with `None`) one answer after checking it against its question.
    ///
    /// # Errors
    /// The id is unknown or the value does not fit the question.
    pub fn set(&mut self, kb: &Knowledge, id: &str, raw: &Json) -> Result<(), AnswerError> {
        let index =
            kb.question_index(id).ok_or_else(|| AnswerError::unknown_id(id, raw, kb.closest_question_id(id)))?;
        if raw.is_null() {
            self.values[index] = None;
            return Ok(());
        }
        let value = parse_value(&kb.questions()[index], raw).map_err(|allowed| AnswerError::new(id, raw, allowed))?;
        self.values[index] = Some(value);
        Ok(())
    }

    /// How many questions are answered.
    pub fn answered_count(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// The answers as a flat JSON object, in question order (the stored form).
    pub fn to_json(&self, kb: &Knowledge) -> Map<String, Json> {
        kb.questions()
            .iter()
            .zip(&self.values)
            .filter_map(|(q, v)| v.as_ref().map(|v| (q.id.clone(), v.to_json())))
            .collect()
    }
}

/// Flatten nested objects into dotted ids. An id given twice (`"pain.now"` and `pain: {now}`) is an error,
/// and so is an empty object, which would otherwise vanish without a word.
fn flatten(prefix: &str, map: &Map<String, Json>, out: &mut BTreeMap<String, Json>, errors: &mut Vec<AnswerError>) {
    for (key, value) in map {
        let id = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            Json::Object(inner) if !inner.is_empty() => flatten(&id, inner, out, errors),
            other => {
                if out.insert(id.clone(), other.clone()).is_some() {
                    errors.push(AnswerError::new(&id, other, "each answer id only once".to_owned()));
                }
            }
        }
    }
}

fn toml_to_json(value: toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(i) => Json::from(i),
        // nan and inf have no JSON number; keep them as text so validation rejects them by name rather
        // than letting them read as "not answered".
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(f).map_or_else(|| Json::String(f.to_string()), Json::Number)
        }
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "true/false",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Check one raw value against its question; on failure, say what is allowed.
fn parse_value(q: &Question, raw: &Json) -> Result<Value, String> {
    match &q.kind {
        QuestionKind::Bool => raw.as_bool().map(Value::Bool).ok_or_else(|| "true or false".to_owned()),
        QuestionKind::Int { min, max } => {
            let allowed = || format!("a whole number from {min} to {max}");
            let n = match raw {
                Json::Number(n) => {
                    n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64))
                }
                _ => None,
            };
            match n {
                Some(n) if (*min..=*max).contains(&n) => Ok(Value::Int(n)),
                _ => Err(allowed()),
            }
        }
        QuestionKind::Number { min, max } => match raw.as_f64() {
            Some(n) if n.is_finite() && n >= *min && n <= *max => Ok(Value::Number(n)),
            _ => Err(format!("a number from {} to {}", format_number(*min), format_number(*max))),
        },
        QuestionKind::Enum => match raw.as_str() {
            Some(s) if q.options.iter().any(|o| o.value == s) => Ok(Value::Enum(s.to_owned())),
            _ => Err(format!("one of: {}", option_list(q))),
        },
        QuestionKind::List => {
            let allowed = || format!("a list of any of: {}", option_list(q));
            let items = raw.as_array().ok_or_else(allowed)?;
            let mut chosen = Vec::new();
            for item in items {
                let s = item.as_str().ok_or_else(allowed)?;
                if !q.options.iter().any(|o| o.value == s) {
                    return Err(allowed());
                }
                chosen.push(s);
            }
            // Keep the question's option order and drop repeats, so equal answers compare equal.
            Ok(Value::List(
                q.options.iter().filter(|o| chosen.contains(&o.value.as_str())).map(|o| o.value.clone()).collect(),
            ))
        }
        QuestionKind::Side => raw
            .as_str()
            .and_then(Side::parse)
            .map(Value::Side)
            .ok_or_else(|| "one of: none, left, right, both".to_owned()),
    }
}

fn option_list(q: &Question) -> String {
    q.options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests;
