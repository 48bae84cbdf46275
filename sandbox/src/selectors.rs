//! Label and field selectors (`labelSelector`, `fieldSelector`) in the grammar of sensu-go's
//! `backend/selector` package: requirements `KEY OP VALUE` joined by `&&`, with the operators
//! `==`, `!=`, `in`, `notin` and `matches` (substring). Keys and unquoted values are
//! identifiers (letters, digits, `_` and `/`, in segments separated by `.`); anything else,
//! such as `-` or `:`, must be quoted with `"` or `'`. Keywords are case-insensitive.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::str::Chars;

use serde_json::Value;

use super::fields;
use super::replies::{Failure, Outcome};

/// What the requirements of a list GET ask for; empty when it gave no selector.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Selection {
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
    target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operator {
    Equal,
    NotEqual,
    In,
    NotIn,
    Matches,
}

/// Whether a requirement reads the resource's labels or its selectable fields.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Labels,
    Fields,
}

impl Selection {
    /// Both selectors of a GET's query, ANDed; repeated parameters are ANDed too. A selector
    /// that does not parse is refused with 400, naming which one.
    pub(super) fn of(query: &[(String, String)]) -> Outcome<Self> {
        let mut requirements = Vec::new();
        for (parameter, target) in [
            ("labelSelector", Target::Labels),
            ("fieldSelector", Target::Fields),
        ] {
            let text = query
                .iter()
                .filter(|(name, _)| name == parameter)
                .map(|(_, value)| value.as_str())
                .collect::<Vec<_>>()
                .join(" && ");
            if text.is_empty() {
                continue;
            }
            let parsed = parse(&text, target)
                .map_err(|e| Failure::invalid(format!("failed to parse {parameter}: {e}")))?;
            requirements.extend(parsed);
        }
        Ok(Selection { requirements })
    }

    /// Whether a stored resource of `kind` (the kind's tag, e.g. `checks`) meets every
    /// requirement.
    pub(super) fn keeps(&self, kind: &str, resource: &Value) -> bool {
        if self.requirements.is_empty() {
            return true;
        }
        let labels = fields::labels(kind, resource);
        let fields = fields::fields(kind, resource);
        self.requirements.iter().all(|r| {
            r.matches(match r.target {
                Target::Labels => &labels,
                Target::Fields => &fields,
            })
        })
    }
}

impl Requirement {
    fn matches(&self, set: &BTreeMap<String, String>) -> bool {
        let has = |value: &str| self.values.iter().any(|v| v == value);
        // `VALUE in KEY` (one value that names a key of the set): membership in that key's
        // comma-separated list, e.g. `linux in check.subscriptions`.
        let list_key = match self.values.as_slice() {
            [key] => set.get(key),
            _ => None,
        };
        match self.operator {
            Operator::In | Operator::NotIn if list_key.is_some() => {
                let found = list_key
                    .into_iter()
                    .flat_map(|list| list.trim_matches(['[', ']']).split(','))
                    .any(|item| item.trim() == self.key);
                found == (self.operator == Operator::In)
            }
            Operator::Equal | Operator::In => set.get(&self.key).is_some_and(|v| has(v)),
            Operator::NotEqual | Operator::NotIn => !set.get(&self.key).is_some_and(|v| has(v)),
            Operator::Matches => set
                .get(&self.key)
                .is_some_and(|v| self.values.iter().any(|part| v.contains(part.as_str()))),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Equal,
    NotEqual,
    And,
    In,
    NotIn,
    Matches,
    Bool(String),
    Identifier(String),
    Text(String),
    End,
    Invalid(String),
}

impl Token {
    /// The token as the server's messages quote it.
    fn text(&self) -> &str {
        match self {
            Token::Open => "[",
            Token::Close => "]",
            Token::Comma => ",",
            Token::Equal => "==",
            Token::NotEqual => "!=",
            Token::And => "&&",
            Token::In => "in",
            Token::NotIn => "notin",
            Token::Matches => "matches",
            Token::End => "",
            Token::Bool(text) | Token::Identifier(text) | Token::Text(text) => text,
            Token::Invalid(message) => message,
        }
    }

    /// Whether the token can start a requirement.
    fn starts_requirement(&self) -> bool {
        matches!(self, Token::Identifier(_) | Token::Text(_))
    }
}

struct Lexer<'a> {
    chars: Peekable<Chars<'a>>,
    position: usize,
}

fn identifier_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn identifier_rest(c: char) -> bool {
    c == '_' || c == '/' || c.is_alphanumeric()
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        self.position += c.len_utf8();
        Some(c)
    }

    fn next_token(&mut self) -> Token {
        while let Some(c) = self.chars.next_if(|c| c.is_whitespace()) {
            self.position += c.len_utf8();
        }
        let Some(c) = self.bump() else {
            return Token::End;
        };
        match c {
            '[' => Token::Open,
            ']' => Token::Close,
            ',' => Token::Comma,
            '=' => self.second(c, '=', Token::Equal),
            '!' => self.second(c, '=', Token::NotEqual),
            '&' => self.second(c, '&', Token::And),
            '"' | '\'' => self.quoted(),
            c if identifier_start(c) => self.identifier(c),
            c => Token::Invalid(format!("invalid rune: {:?}", c.to_string())),
        }
    }

    /// The second character of a two-character operator.
    fn second(&mut self, first: char, expected: char, token: Token) -> Token {
        match self.bump() {
            Some(c) if c == expected => token,
            other => Token::Invalid(format!(
                "at {}, looking for {:?} but got {:?}",
                self.position,
                expected.to_string(),
                format!("{first}{}", other.map(String::from).unwrap_or_default())
            )),
        }
    }

    /// A literal up to the next quote of either kind; there are no escapes.
    fn quoted(&mut self) -> Token {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Token::Invalid("EOF while scanning string literal".into()),
                Some('"' | '\'') => return Token::Text(text),
                Some(c) => text.push(c),
            }
        }
    }

    /// An identifier, or a keyword when whitespace or the end follows it.
    fn identifier(&mut self, first: char) -> Token {
        let mut text = String::from(first);
        loop {
            match self.chars.peek().copied() {
                None => break,
                Some(c) if c.is_whitespace() => break,
                Some('[' | ']' | '!' | '&' | ',' | '"' | '\'') => return Token::Identifier(text),
                Some('.') => {
                    self.bump();
                    text.push('.');
                    match self.bump() {
                        Some(c) if identifier_start(c) => text.push(c),
                        Some(c) => {
                            text.push(c);
                            return Token::Invalid(format!("invalid identifier: {text:?}"));
                        }
                        None => {
                            return Token::Invalid(format!(
                                "end of input while scanning identifier: {text:?}"
                            ))
                        }
                    }
                }
                Some(c) if identifier_rest(c) => {
                    self.bump();
                    text.push(c);
                }
                Some(c) => {
                    text.push(c);
                    return Token::Invalid(format!("invalid identifier: {text:?}"));
                }
            }
        }
        match text.to_lowercase().as_str() {
            "in" => Token::In,
            "notin" => Token::NotIn,
            "matches" => Token::Matches,
            word @ ("true" | "false") => Token::Bool(word.into()),
            _ => Token::Identifier(text),
        }
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    ahead: Option<Token>,
}

impl Parser<'_> {
    fn peek(&mut self) -> &Token {
        let lexer = &mut self.lexer;
        self.ahead.get_or_insert_with(|| lexer.next_token())
    }

    fn read(&mut self) -> Token {
        self.ahead.take().unwrap_or_else(|| self.lexer.next_token())
    }

    fn requirements(&mut self, target: Target) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            match self.peek() {
                token if token.starts_requirement() => {
                    let requirement = self
                        .requirement(target)
                        .map_err(|e| format!("could not parse the operations: {e}"))?;
                    requirements.push(requirement);
                }
                Token::And => {
                    self.read();
                    if requirements.is_empty() {
                        return Err(
                            "unexpected '&&' operator found, expected a operation first".into()
                        );
                    }
                    let next = self.peek();
                    if !next.starts_requirement() {
                        return Err(format!(
                            "unexpected token '{}', expected an identifier or string after '&&'",
                            next.text()
                        ));
                    }
                }
                Token::End => return Ok(requirements),
                other => {
                    return Err(format!(
                        "unexpected token '{}', expected an identifier or end of string",
                        other.text()
                    ))
                }
            }
        }
    }

    fn requirement(&mut self, target: Target) -> Result<Requirement, String> {
        let key = self.read().text().to_string();
        let operator = match self.read() {
            Token::Equal => Operator::Equal,
            Token::NotEqual => Operator::NotEqual,
            Token::In => Operator::In,
            Token::NotIn => Operator::NotIn,
            Token::Matches => Operator::Matches,
            other => return Err(format!("unexpected operator '{}' found", other.text())),
        };
        let values = match operator {
            Operator::In | Operator::NotIn => self.list()?,
            _ => match self.read() {
                token @ (Token::Identifier(_)
                | Token::Text(_)
                | Token::Bool(_)
                | Token::Matches) => {
                    vec![token.text().to_string()]
                }
                other => {
                    return Err(format!(
                        "unexpected token '{}': expected an identifier or literal value",
                        other.text()
                    ))
                }
            },
        };
        Ok(Requirement {
            key,
            operator,
            values,
            target,
        })
    }

    /// `[a, "b c"]`, or a bare identifier (which may name a list field).
    fn list(&mut self) -> Result<Vec<String>, String> {
        match self.read() {
            Token::Identifier(value) => return Ok(vec![value]),
            Token::Open => {}
            other => return Err(format!("found '{}', expected '['", other.text())),
        }
        let mut values = Vec::new();
        loop {
            match self.read() {
                Token::Identifier(value) | Token::Text(value) => values.push(value),
                Token::Comma => {}
                Token::Close => return Ok(values),
                other => {
                    return Err(format!(
                        "unexpected token '{}', expected a comma or an identifier",
                        other.text()
                    ))
                }
            }
        }
    }
}

fn parse(text: &str, target: Target) -> Result<Vec<Requirement>, String> {
    let lexer = Lexer {
        chars: text.chars().peekable(),
        position: 0,
    };
    Parser { lexer, ahead: None }.requirements(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Whether `selector`, parsed as a field selector, selects `pairs`.
    fn selects(selector: &str, pairs: &[(&str, &str)]) -> bool {
        let requirements = parse(selector, Target::Fields).unwrap_or_else(|e| panic!("{e}"));
        let fields = set(pairs);
        requirements.iter().all(|r| r.matches(&fields))
    }

    fn requirement(key: &str, operator: Operator, values: &[&str]) -> Requirement {
        Requirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
            target: Target::Labels,
        }
    }

    #[test]
    fn parses_each_operator_quoted_and_list_values() {
        let parsed = parse(
            "a == b && c != 'd-1' && e in [f, \"g h\"] && i notin [j] && k matches l \
             && \"my sub\" in check.subscriptions && p == TRUE",
            Target::Labels,
        )
        .unwrap();
        assert_eq!(
            parsed,
            vec![
                requirement("a", Operator::Equal, &["b"]),
                requirement("c", Operator::NotEqual, &["d-1"]),
                requirement("e", Operator::In, &["f", "g h"]),
                requirement("i", Operator::NotIn, &["j"]),
                requirement("k", Operator::Matches, &["l"]),
                requirement("my sub", Operator::In, &["check.subscriptions"]),
                requirement("p", Operator::Equal, &["true"]),
            ]
        );
    }

    #[test]
    fn keys_with_slashes_and_dots_are_identifiers() {
        let parsed = parse("sensu.io/managed_by == sensuctl", Target::Labels).unwrap();
        assert_eq!(
            parsed,
            vec![requirement(
                "sensu.io/managed_by",
                Operator::Equal,
                &["sensuctl"]
            )]
        );
    }

    #[test]
    fn refuses_what_the_server_refuses() {
        for (selector, message) in [
            (
                "foo maybein [foo,bar]",
                "unexpected operator 'maybein' found",
            ),
            (
                "foo != bar &&",
                "expected an identifier or string after '&&'",
            ),
            ("&& foo != bar", "unexpected '&&' operator found"),
            ("foo != bar &", "looking for \"&\""),
            ("foo in [foo != bar]", "expected a comma or an identifier"),
            ("foo != ==", "expected an identifier or literal value"),
            ("foo == web-01", "invalid identifier: \"web-\""),
            ("foo == 'open", "EOF while scanning string literal"),
            ("foo = bar", "looking for \"=\""),
            ("0foo == bar", "invalid rune: \"0\""),
            ("foo. == bar", "invalid identifier: \"foo. \""),
            ("foo == bar.", "end of input while scanning identifier"),
            ("foo in \"bar\"", "found 'bar', expected '['"),
            ("foo ==", "expected an identifier or literal value"),
            ("foo", "unexpected operator '' found"),
            ("[", "expected an identifier or end of string"),
        ] {
            let error = parse(selector, Target::Fields).expect_err(selector);
            assert!(error.contains(message), "{selector}: {error}");
        }
    }

    #[test]
    fn equal_and_not_equal_compare_whole_values() {
        let fields = [("check.name", "cpu"), ("check.publish", "true")];
        assert!(selects("check.name == cpu", &fields));
        assert!(!selects("check.name == cp", &fields));
        assert!(!selects("check.missing == cpu", &fields));
        assert!(selects("check.name != disk", &fields));
        assert!(!selects("check.name != cpu", &fields));
        assert!(selects("check.missing != cpu", &fields));
        assert!(selects("check.publish == true", &fields));
    }

    #[test]
    fn in_and_notin_take_a_list_or_a_list_field() {
        let fields = [("check.name", "cpu"), ("check.subscriptions", "linux,web")];
        assert!(selects("check.name in [disk, cpu]", &fields));
        assert!(!selects("check.name in [disk, memory]", &fields));
        assert!(selects("check.name notin [disk, memory]", &fields));
        assert!(!selects("check.name notin [cpu]", &fields));
        assert!(selects("web in check.subscriptions", &fields));
        assert!(!selects("windows in check.subscriptions", &fields));
        assert!(selects("windows notin check.subscriptions", &fields));
        assert!(!selects("linux notin check.subscriptions", &fields));
        // A whole list never equals one of its items.
        assert!(!selects("check.subscriptions == linux", &fields));
    }

    #[test]
    fn matches_is_a_substring_test() {
        let fields = [("entity.name", "web-01")];
        assert!(selects("entity.name matches web", &fields));
        assert!(selects("entity.name matches '-0'", &fields));
        assert!(!selects("entity.name matches db", &fields));
        assert!(!selects("entity.other matches web", &fields));
    }

    #[test]
    fn and_needs_every_requirement() {
        let fields = [("a", "1"), ("b", "2")];
        assert!(selects("a == '1' && b == '2'", &fields));
        assert!(!selects("a == '1' && b == '3'", &fields));
    }
}
