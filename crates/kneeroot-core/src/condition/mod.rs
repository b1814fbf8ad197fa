//! The condition language of the knowledge base.
//!
//! Red-flag rules, evidence links and "ask this question when …" are written by clinicians in TOML as short
//! expressions such as `pain.onset == 'injury' && injury.days_ago <= 7`. This module parses them once, at
//! load time, against the table of variables the knowledge base declares ([`VarTable`]), so that every
//! id is resolved to a [`VarId`] and every comparison is type-checked before any answer is seen: a typo in
//! a rule is a `kb check` error naming the file and key, never a silent rule that cannot fire.
//!
//! Evaluation is three-valued ([`Tri`]). A comparison with an unanswered variable is `Unknown`, and the
//! connectives follow Kleene's logic, so an unanswered question can never make a rule fire, while the
//! engine can still tell which unanswered questions a rule depends on.

mod parse;

use crate::answers::Value;

pub use parse::ParseError;

/// A variable the condition language can name: an answer id or a derived fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub(crate) u16);

impl VarId {
    /// The index of this variable in its [`VarTable`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// What kind of value a variable holds, which decides the comparisons allowed on it.
#[derive(Debug, Clone, PartialEq)]
pub enum VarKind {
    /// `true` / `false`.
    Bool,
    /// A whole number; compared with `<`, `<=`, `==` …
    Int,
    /// A real number; compared with `<`, `<=`, `==` …
    Number,
    /// One of a closed set of strings; compared with `==` / `!=`.
    Enum(Vec<String>),
    /// Several of a closed set of strings; tested with `has`.
    List(Vec<String>),
    /// `none | left | right | both`; `==`, `!=`, and `has 'left'` (true for left and both).
    Side,
}

/// The variables a knowledge base declares, in a fixed order.
pub trait VarTable {
    /// Resolve a name to its id and kind.
    fn lookup(&self, name: &str) -> Option<(VarId, &VarKind)>;
}

/// Where the values come from during evaluation.
pub trait Facts {
    /// The value of a variable, or `None` when it was not answered (or cannot be derived).
    fn value(&self, var: VarId) -> Option<&Value>;
}

/// A three-valued truth: conditions over partial answers may be undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Decided true.
    True,
    /// Decided false.
    False,
    /// Depends on something not answered.
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// Only a decided `True` fires a rule.
    pub fn is_true(self) -> bool {
        self == Tri::True
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A literal on the right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` / `false`
    Bool(bool),
    /// A number (integers are numbers too).
    Number(f64),
    /// A quoted string.
    Str(String),
}

/// A parsed, resolved and type-checked condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `var OP literal`
    Cmp {
        /// The variable compared.
        var: VarId,
        /// The operator.
        op: CmpOp,
        /// The literal compared with.
        lit: Literal,
    },
    /// `var has 'value'`
    Has {
        /// A list or side variable.
        var: VarId,
        /// The member looked for.
        value: String,
    },
    /// A bare boolean variable: `flag.knee_locked`.
    Truthy(VarId),
    /// `answered(var)`: never unknown.
    Answered(VarId),
    /// `!e`
    Not(Box<Expr>),
    /// `a && b && …`
    And(Vec<Expr>),
    /// `a || b || …`
    Or(Vec<Expr>),
}

impl Expr {
    /// Parse and type-check `source` against `vars`.
    ///
    /// # Errors
    /// A [`ParseError`] naming the position and what was expected, an unknown id, or a comparison the
    /// variable's kind does not allow.
    pub fn parse(source: &str, vars: &dyn VarTable) -> Result<Expr, ParseError> {
        parse::parse(source, vars)
    }

    /// Evaluate over `facts` with Kleene's three-valued logic.
    pub fn eval(&self, facts: &dyn Facts) -> Tri {
        match self {
            Expr::Cmp { var, op, lit } => match facts.value(*var) {
                None => Tri::Unknown,
                Some(v) => Tri::from_bool(compare(v, *op, lit)),
            },
            Expr::Has { var, value } => match facts.value(*var) {
                None => Tri::Unknown,
                Some(Value::List(items)) => Tri::from_bool(items.iter().any(|i| i == value)),
                Some(Value::Side(side)) => Tri::from_bool(side.includes(value)),
                Some(_) => Tri::False,
            },
            Expr::Truthy(var) => match facts.value(*var) {
                None => Tri::Unknown,
                Some(Value::Bool(b)) => Tri::from_bool(*b),
                Some(_) => Tri::False,
            },
            Expr::Answered(var) => Tri::from_bool(facts.value(*var).is_some()),
            Expr::Not(inner) => match inner.eval(facts) {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            },
            Expr::And(items) => {
                let mut result = Tri::True;
                for item in items {
                    match item.eval(facts) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                result
            }
            Expr::Or(items) => {
                let mut result = Tri::False;
                for item in items {
                    match item.eval(facts) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                result
            }
        }
    }

    /// Every variable the condition mentions, in order of first mention, without repeats.
    pub fn vars(&self) -> Vec<VarId> {
        let mut out = Vec::new();
        self.collect_vars(&mut out);
        out
    }

    fn collect_vars(&self, out: &mut Vec<VarId>) {
        match self {
            Expr::Cmp { var, .. } | Expr::Has { var, .. } | Expr::Truthy(var) | Expr::Answered(var) => {
                if !out.contains(var) {
                    out.push(*var);
                }
            }
            Expr::Not(inner) => inner.collect_vars(out),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|i| i.collect_vars(out)),
        }
    }
}

fn compare(value: &Value, op: CmpOp, lit: &Literal) -> bool {
    match (value, lit) {
        (Value::Bool(a), Literal::Bool(b)) => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => false,
        },
        (Value::Int(_) | Value::Number(_), Literal::Number(b)) => {
            let a = value.as_f64().unwrap_or(f64::NAN);
            match op {
                CmpOp::Eq => a == *b,
                CmpOp::Ne => a != *b,
                CmpOp::Lt => a < *b,
                CmpOp::Le => a <= *b,
                CmpOp::Gt => a > *b,
                CmpOp::Ge => a >= *b,
            }
        }
        (Value::Enum(a), Literal::Str(b)) => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => false,
        },
        (Value::Side(side), Literal::Str(b)) => match op {
            CmpOp::Eq => side.as_str() == b,
            CmpOp::Ne => side.as_str() != b,
            _ => false,
        },
        // The type checker rules every other pairing out at load time.
        _ => false,
    }
}

#[cfg(test)]
mod tests;
