//! A small recursive-descent parser for conditions, resolving and type-checking ids as it goes.
//!
//! Grammar (lowest precedence first):
//! ```text
//! or      := and ( "||" and )*
//! and     := unary ( "&&" unary )*
//! unary   := "!" unary | primary
//! primary := "(" or ")" | "answered" "(" ident ")" | ident [ cmp literal | "has" string ]
//! literal := "true" | "false" | number | 'string'
//! ```

use super::{CmpOp, Expr, Literal, VarId, VarKind, VarTable};
use crate::answers::Side;

/// Why a condition could not be parsed or checked. The message names the position and the problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct ParseError {
    /// 1-based character position in the condition.
    pub position: usize,
    /// What was wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Number(f64),
    Str(String),
    Op(&'static str),
    LParen,
    RParen,
}

fn tokenize(src: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: String| ParseError { position: position + 1, message };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            out.push((start, Token::Ident(chars[start..i].iter().collect())));
            continue;
        }
        if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = text.parse::<f64>().map_err(|_| err(start, format!("'{text}' is not a number")))?;
            out.push((start, Token::Number(n)));
            continue;
        }
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            if i == chars.len() {
                return Err(err(start, "a string is not closed with '".into()));
            }
            out.push((start, Token::Str(chars[start + 1..i].iter().collect())));
            i += 1;
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let op = match two.as_str() {
            "&&" => Some("&&"),
            "||" => Some("||"),
            "==" => Some("=="),
            "!=" => Some("!="),
            "<=" => Some("<="),
            ">=" => Some(">="),
            _ => None,
        };
        if let Some(op) = op {
            out.push((start, Token::Op(op)));
            i += 2;
            continue;
        }
        let tok = match c {
            '(' => Token::LParen,
            ')' => Token::RParen,
            '<' => Token::Op("<"),
            '>' => Token::Op(">"),
            '!' => Token::Op("!"),
            _ => return Err(err(start, format!("unexpected character '{c}'"))),
        };
        out.push((start, tok));
        i += 1;
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    end: usize,
    vars: &'a dyn VarTable,
}

/// Parse `src` into a checked [`Expr`].
pub(super) fn parse(src: &str, vars: &dyn VarTable) -> Result<Expr, ParseError> {
    let tokens = tokenize(src)?;
    if tokens.is_empty() {
        return Err(ParseError { position: 1, message: "the condition is empty".into() });
    }
    let mut p = Parser { tokens, pos: 0, end: src.chars().count(), vars };
    let expr = p.or()?;
    if let Some((at, tok)) = p.tokens.get(p.pos) {
        return Err(ParseError { position: at + 1, message: format!("unexpected {}", describe(tok)) });
    }
    Ok(expr)
}

fn describe(tok: &Token) -> String {
    match tok {
        Token::Ident(s) => format!("'{s}'"),
        Token::Number(n) => format!("number {n}"),
        Token::Str(s) => format!("string '{s}'"),
        Token::Op(op) => format!("'{op}'"),
        Token::LParen => "'('".into(),
        Token::RParen => "')'".into(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(at, _)| *at) + 1
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { position: self.here(), message: message.into() })
    }

    fn next(&mut self) -> Option<Token> {
        let tok = self.tokens.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        tok
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Op("||")) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some(&Token::Op("&&")) {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(&Token::Op("!")) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        match self.peek().cloned() {
            Some(Token::LParen) => {
                self.pos += 1;
                let inner = self.or()?;
                if self.next() != Some(Token::RParen) {
                    self.pos -= 1;
                    return self.fail("expected ')'");
                }
                Ok(inner)
            }
            Some(Token::Ident(name))
                if name == "answered" && self.tokens.get(self.pos + 1).map(|t| &t.1) == Some(&Token::LParen) =>
            {
                self.pos += 2;
                let (var, _) = self.ident()?;
                if self.next() != Some(Token::RParen) {
                    self.pos -= 1;
                    return self.fail("expected ')' after the id in answered(…)");
                }
                Ok(Expr::Answered(var))
            }
            Some(Token::Ident(_)) => self.comparison(),
            Some(tok) => self.fail(format!("expected an id, '(' or '!', found {}", describe(&tok))),
            None => self.fail("the condition ends too early"),
        }
    }

    fn ident(&mut self) -> Result<(VarId, VarKind), ParseError> {
        match self.peek().cloned() {
            Some(Token::Ident(name)) => match self.vars.lookup(&name) {
                Some((id, kind)) => {
                    let kind = kind.clone();
                    self.pos += 1;
                    Ok((id, kind))
                }
                None => self.fail(format!("unknown id '{name}'")),
            },
            _ => self.fail("expected an id"),
        }
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let name = match self.peek() {
            Some(Token::Ident(n)) => n.clone(),
            _ => return self.fail("expected an id"),
        };
        let (var, kind) = self.ident()?;
        let op = match self.peek() {
            Some(Token::Op(op)) if *op != "&&" && *op != "||" && *op != "!" => *op,
            Some(Token::Ident(word)) if word == "has" => {
                self.pos += 1;
                return self.has(var, &name, &kind);
            }
            _ => {
                return if kind == VarKind::Bool {
                    Ok(Expr::Truthy(var))
                } else {
                    self.fail(format!("'{name}' is not true/false: compare it with a value"))
                };
            }
        };
        self.pos += 1;
        let op = match op {
            "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            _ => CmpOp::Ge,
        };
        let lit = match self.next() {
            Some(Token::Ident(w)) if w == "true" => Literal::Bool(true),
            Some(Token::Ident(w)) if w == "false" => Literal::Bool(false),
            Some(Token::Number(n)) => Literal::Number(n),
            Some(Token::Str(s)) => Literal::Str(s),
            _ => {
                self.pos -= 1;
                return self.fail("expected a value: true, false, a number or a 'string'");
            }
        };
        // Report a bad value at the value itself, not at whatever follows it.
        self.pos -= 1;
        self.check_cmp(&name, &kind, op, &lit)?;
        self.pos += 1;
        Ok(Expr::Cmp { var, op, lit })
    }

    fn has(&mut self, var: VarId, name: &str, kind: &VarKind) -> Result<Expr, ParseError> {
        let value = match self.next() {
            Some(Token::Str(s)) => s,
            _ => {
                self.pos -= 1;
                return self.fail("expected a 'string' after has");
            }
        };
        // Errors below point at the value just read.
        self.pos -= 1;
        let ok = match kind {
            VarKind::List(options) => options.contains(&value),
            VarKind::Side => value == "left" || value == "right",
            _ => {
                return self.fail(format!("'{name}' is not a list or a side: 'has' does not apply"));
            }
        };
        if !ok {
            let allowed = match kind {
                VarKind::List(options) => options.join(", "),
                _ => "left, right".into(),
            };
            return self.fail(format!("'{value}' is not a value of '{name}' (allowed: {allowed})"));
        }
        self.pos += 1;
        Ok(Expr::Has { var, value })
    }

    fn check_cmp(&self, name: &str, kind: &VarKind, op: CmpOp, lit: &Literal) -> Result<(), ParseError> {
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
        let problem = match (kind, lit) {
            (VarKind::Bool, Literal::Bool(_)) if equality => None,
            (VarKind::Int | VarKind::Number, Literal::Number(_)) => None,
            (VarKind::Enum(options), Literal::Str(s)) if equality => (!options.contains(s))
                .then(|| format!("'{s}' is not a value of '{name}' (allowed: {})", options.join(", "))),
            (VarKind::Side, Literal::Str(s)) if equality => {
                (Side::parse(s).is_none()).then(|| format!("'{s}' is not a side (allowed: none, left, right, both)"))
            }
            (VarKind::List(_), _) => Some(format!("'{name}' is a list: use has 'value'")),
            _ => Some(format!("this comparison does not fit '{name}' ({})", kind_name(kind))),
        };
        match problem {
            Some(message) => self.fail(message),
            None => Ok(()),
        }
    }
}

fn kind_name(kind: &VarKind) -> &'static str {
    match kind {
        VarKind::Bool => "true/false",
        VarKind::Int => "a whole number",
        VarKind::Number => "a number",
        VarKind::Enum(_) => "one of a set of values",
        VarKind::List(_) => "a list",
        VarKind::Side => "a side",
    }
}
