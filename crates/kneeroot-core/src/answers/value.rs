//! The typed value of one answer.

use serde_json::Value as Json;

/// Which side(s) a finding is on. `both` includes `left` and `right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Neither side.
    None,
    /// Left only.
    Left,
    /// Right only.
    Right,
    /// Left and right.
    Both,
}

impl Side {
    /// Every side, in the order shown to people.
    pub const ALL: [Side; 4] = [Side::None, Side::Left, Side::Right, Side::Both];

    /// Parse the wire name.
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "none" => Some(Side::None),
            "left" => Some(Side::Left),
            "right" => Some(Side::Right),
            "both" => Some(Side::Both),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::None => "none",
            Side::Left => "left",
            Side::Right => "right",
            Side::Both => "both",
        }
    }

    /// Whether this side includes `which` (`"left"` or `"right"`).
    pub fn includes(self, which: &str) -> bool {
        match self {
            Side::None => false,
            Side::Left => which == "left",
            Side::Right => which == "right",
            Side::Both => which == "left" || which == "right",
        }
    }

    /// The side combining two one-sided observations.
    pub fn from_flags(left: bool, right: bool) -> Side {
        match (left, right) {
            (false, false) => Side::None,
            (true, false) => Side::Left,
            (false, true) => Side::Right,
            (true, true) => Side::Both,
        }
    }
}

/// One validated answer value, of the type its question declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A yes/no answer.
    Bool(bool),
    /// A whole number within the question's range.
    Int(i64),
    /// A number within the question's range.
    Number(f64),
    /// One of the question's options.
    Enum(String),
    /// Several of the question's options, without repeats, in the question's option order.
    List(Vec<String>),
    /// A side.
    Side(Side),
}

impl Value {
    /// The value as a number, for ints and numbers.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            // Answer ranges are small (at most a few thousand), so the conversion is exact.
            Value::Int(i) => Some(*i as f64),
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as it appears on the wire (JSON).
    pub fn to_json(&self) -> Json {
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Number(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
            Value::Enum(s) => Json::String(s.clone()),
            Value::List(items) => Json::Array(items.iter().cloned().map(Json::String).collect()),
            Value::Side(s) => Json::String(s.as_str().to_owned()),
        }
    }

    /// A short human rendering ("yes", "7", "left", "stairs_down, squatting").
    pub fn display(&self) -> String {
        match self {
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Int(i) => i.to_string(),
            Value::Number(n) => format_number(*n),
            Value::Enum(s) => s.clone(),
            Value::List(items) if items.is_empty() => "none".into(),
            Value::List(items) => items.join(", "),
            Value::Side(s) => s.as_str().into(),
        }
    }
}

/// Format a number without a trailing `.0` and with at most two decimals.
pub fn format_number(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded}") }
}
