//! The condition language of pathway rules, small enough for a service to read and edit:
//!
//! ```text
//! saddle_numbness                          an answer of yes
//! leg_weakness = both                      a coded answer (also !=)
//! age >= 50 and impact_band = high         numbers compare with < <= > >= = !=
//! area in [hip, knee]                      one of several
//! not fever or (injury = major and age > 65)
//! ```
//! An unanswered (or hidden) question makes a comparison false; `not` then makes it true.

use std::fmt;

/// A parsed condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// All must hold.
    And(Vec<Expr>),
    /// Any must hold.
    Or(Vec<Expr>),
    /// Must not hold.
    Not(Box<Expr>),
    /// A variable is answered yes.
    Yes(String),
    /// A variable compared with a value.
    Compare(String, Comparison, Value),
    /// A variable is one of several values.
    In(String, Vec<Value>),
}

/// How a variable is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `=`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
}

/// A literal in a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A code such as `both` or `yes`.
    Code(String),
    /// A whole number.
    Number(i64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(c) => f.write_str(c),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// What a variable holds when a condition is evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// A code (`yes`/`no` for yes-or-no questions).
    Code(String),
    /// A number.
    Number(i64),
}

/// Why a condition could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError {
    /// 1-based character position in the condition.
    pub column: usize,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.problem)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Number(i64),
    Op(Comparison),
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
}

fn tokenize(input: &str) -> Result<Vec<(usize, Token)>, ConditionError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let pair = match (c, chars.get(i + 1)) {
            ('!', Some('=')) => Some(Comparison::NotEqual),
            ('<', Some('=')) => Some(Comparison::LessOrEqual),
            ('>', Some('=')) => Some(Comparison::GreaterOrEqual),
            _ => None,
        };
        match (c, pair) {
            (' ' | '\t' | '\n' | '\r', _) => i += 1,
            (_, Some(op)) => {
                tokens.push((column, Token::Op(op)));
                i += 2;
            }
            _ => {
                let single = match c {
                    '=' => Some(Token::Op(Comparison::Equal)),
                    '<' => Some(Token::Op(Comparison::Less)),
                    '>' => Some(Token::Op(Comparison::Greater)),
                    '(' => Some(Token::Open),
                    ')' => Some(Token::Close),
                    '[' => Some(Token::OpenList),
                    ']' => Some(Token::CloseList),
                    ',' => Some(Token::Comma),
                    _ => None,
                };
                if let Some(token) = single {
                    tokens.push((column, token));
                    i += 1;
                } else if c.is_ascii_digit()
                    || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                {
                    let start = i;
                    i += 1;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    let text: String = chars[start..i].iter().collect();
                    if i < chars.len() && (chars[i].is_ascii_alphabetic() || chars[i] == '_') {
                        while i < chars.len()
                            && (chars[i].is_ascii_alphanumeric() || chars[i] == '_')
                        {
                            i += 1;
                        }
                        tokens.push((column, Token::Word(chars[start..i].iter().collect())));
                    } else {
                        let n = text.parse().map_err(|_| ConditionError {
                            column,
                            problem: format!("`{text}` is not a number"),
                        })?;
                        tokens.push((column, Token::Number(n)));
                    }
                } else if c.is_ascii_alphabetic() || c == '_' {
                    let start = i;
                    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    tokens.push((column, Token::Word(chars[start..i].iter().collect())));
                } else {
                    return Err(ConditionError {
                        column,
                        problem: format!("unexpected `{c}`"),
                    });
                }
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(c, _)| *c)
    }

    fn error<T>(&self, problem: impl Into<String>) -> Result<T, ConditionError> {
        Err(ConditionError {
            column: self.column(),
            problem: problem.into(),
        })
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.and()?];
        while self.keyword("or") {
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.not()?];
        while self.keyword("and") {
            parts.push(self.not()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn not(&mut self) -> Result<Expr, ConditionError> {
        if self.keyword("not") {
            Ok(Expr::Not(Box::new(self.not()?)))
        } else {
            self.atom()
        }
    }

    fn value(&mut self) -> Result<Value, ConditionError> {
        match self.tokens.get(self.at).cloned() {
            Some((_, Token::Word(w))) if !matches!(w.as_str(), "and" | "or" | "not" | "in") => {
                self.at += 1;
                Ok(Value::Code(w))
            }
            Some((_, Token::Number(n))) => {
                self.at += 1;
                Ok(Value::Number(n))
            }
            _ => self.error("expected a value such as `yes`, `both` or `50`"),
        }
    }

    fn atom(&mut self) -> Result<Expr, ConditionError> {
        match self.tokens.get(self.at).cloned() {
            Some((_, Token::Open)) => {
                self.at += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return self.error("expected `)`");
                }
                self.at += 1;
                Ok(inner)
            }
            Some((_, Token::Word(name)))
                if !matches!(name.as_str(), "and" | "or" | "not" | "in") =>
            {
                self.at += 1;
                match self.peek().cloned() {
                    Some(Token::Op(op)) => {
                        self.at += 1;
                        Ok(Expr::Compare(name, op, self.value()?))
                    }
                    Some(Token::Word(w)) if w == "in" => {
                        self.at += 1;
                        if self.peek() != Some(&Token::OpenList) {
                            return self.error("expected `[` after `in`");
                        }
                        self.at += 1;
                        let mut values = vec![self.value()?];
                        while self.peek() == Some(&Token::Comma) {
                            self.at += 1;
                            values.push(self.value()?);
                        }
                        if self.peek() != Some(&Token::CloseList) {
                            return self.error("expected `]` or `,`");
                        }
                        self.at += 1;
                        Ok(Expr::In(name, values))
                    }
                    _ => Ok(Expr::Yes(name)),
                }
            }
            Some(_) => self.error("expected a question name, `not` or `(`"),
            None => self.error("the condition ends too soon"),
        }
    }
}

/// Reads a condition.
pub fn parse(input: &str) -> Result<Expr, ConditionError> {
    let tokens = tokenize(input)?;
    let end = input.chars().count() + 1;
    if tokens.is_empty() {
        return Err(ConditionError {
            column: 1,
            problem: "the condition is empty".into(),
        });
    }
    let mut parser = Parser { tokens, at: 0, end };
    let expr = parser.or()?;
    if parser.at < parser.tokens.len() {
        return parser.error("expected `and`, `or` or the end of the condition");
    }
    Ok(expr)
}

impl Expr {
    /// Evaluates the condition against `facts`.
    pub fn holds(&self, facts: &impl Fn(&str) -> Option<Fact>) -> bool {
        match self {
            Self::And(parts) => parts.iter().all(|p| p.holds(facts)),
            Self::Or(parts) => parts.iter().any(|p| p.holds(facts)),
            Self::Not(inner) => !inner.holds(facts),
            Self::Yes(name) => facts(name) == Some(Fact::Code("yes".into())),
            Self::In(name, values) => facts(name)
                .is_some_and(|fact| values.iter().any(|v| compare(&fact, Comparison::Equal, v))),
            Self::Compare(name, op, value) => {
                facts(name).is_some_and(|fact| compare(&fact, *op, value))
            }
        }
    }

    /// Every variable used, with the values it is compared against (for checking a pathway
    /// against its questionnaire).
    pub fn uses(&self) -> Vec<(&str, Vec<&Value>)> {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.iter().flat_map(Expr::uses).collect(),
            Self::Not(inner) => inner.uses(),
            Self::Yes(name) => vec![(name.as_str(), vec![])],
            Self::Compare(name, _, value) => vec![(name.as_str(), vec![value])],
            Self::In(name, values) => vec![(name.as_str(), values.iter().collect())],
        }
    }
}

fn compare(fact: &Fact, op: Comparison, value: &Value) -> bool {
    use std::cmp::Ordering;
    let ordering = match (fact, value) {
        (Fact::Number(a), Value::Number(b)) => a.cmp(b),
        (Fact::Code(a), Value::Code(b)) => {
            return match op {
                Comparison::Equal => a == b,
                Comparison::NotEqual => a != b,
                _ => false,
            };
        }
        _ => return false,
    };
    match op {
        Comparison::Equal => ordering == Ordering::Equal,
        Comparison::NotEqual => ordering != Ordering::Equal,
        Comparison::Less => ordering == Ordering::Less,
        Comparison::LessOrEqual => ordering != Ordering::Greater,
        Comparison::Greater => ordering == Ordering::Greater,
        Comparison::GreaterOrEqual => ordering != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn facts(name: &str) -> Option<Fact> {
        match name {
            "saddle" => Some(Fact::Code("yes".into())),
            "fever" => Some(Fact::Code("no".into())),
            "legs" => Some(Fact::Code("both".into())),
            "age" => Some(Fact::Number(67)),
            _ => None,
        }
    }

    fn holds(condition: &str) -> bool {
        parse(condition).unwrap().holds(&facts)
    }

    #[test]
    fn reads_and_evaluates_conditions() {
        assert!(holds("saddle"));
        assert!(!holds("fever"));
        assert!(holds("legs = both and age >= 50"));
        assert!(holds("legs in [one, both]"));
        assert!(holds("not fever"));
        assert!(holds("fever or (saddle and age > 65)"));
        assert!(!holds("age < 18 or legs != both"));
        assert!(holds("age <= 67 and age = 67 and age != 66"));
    }

    #[test]
    fn unanswered_questions_never_satisfy_a_comparison() {
        assert!(!holds("missing"));
        assert!(!holds("missing = yes"));
        assert!(!holds("missing != yes"));
        assert!(!holds("missing in [a, b]"));
        assert!(holds("not missing"));
        assert!(!holds("legs > 3"), "a code is not a number");
    }

    #[test]
    fn names_the_column_of_a_mistake() {
        let error = |s: &str| parse(s).unwrap_err();
        assert_eq!(error("").problem, "the condition is empty");
        assert_eq!(error("age >").column, 6);
        assert_eq!(error("saddle and").problem, "the condition ends too soon");
        assert_eq!(error("(saddle").problem, "expected `)`");
        assert_eq!(error("legs in (a)").problem, "expected `[` after `in`");
        assert_eq!(error("saddle fever").column, 8);
        assert_eq!(error("age ≥ 50").column, 5);
    }

    #[test]
    fn lists_what_it_uses() {
        let expr = parse("legs in [one, both] or not (age > 50 and saddle)").unwrap();
        let used: Vec<&str> = expr.uses().into_iter().map(|(n, _)| n).collect();
        assert_eq!(used, vec!["legs", "age", "saddle"]);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in "\\PC{0,40}") {
            let _ = parse(&input);
        }

        #[test]
        // Names and values start with a letter no keyword starts with, so none is a keyword (`and`, `or`, `not`, `in`).
        fn double_negation_changes_nothing(name in "q[a-z]{0,8}", value in "v[a-z]{0,4}") {
            let plain = parse(&format!("{name} = {value}")).unwrap();
            let doubled = parse(&format!("not not {name} = {value}")).unwrap();
            let facts = |n: &str| (n == name).then(|| Fact::Code(value.clone()));
            prop_assert_eq!(plain.holds(&facts), doubled.holds(&facts));
        }
    }
}
