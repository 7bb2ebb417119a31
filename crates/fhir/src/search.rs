//! Search parameters: a query string read strictly (a parameter this server does not support
//! for the resource is named, never silently ignored), dates with their prefixes (`ge`, `gt`,
//! `le`, `lt`, `eq`), tokens (`system|code`), references and `_count`.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::outcome::{Issue, IssueType, OperationOutcome};

/// Results per page unless `_count` says otherwise.
pub const DEFAULT_COUNT: usize = 20;
/// Most results per page.
pub const MAX_COUNT: usize = 100;

/// A search as sent: each parameter and value, in order.
#[derive(Clone, Debug, Default)]
pub struct Query {
    resource: &'static str,
    pairs: Vec<(String, String)>,
}

/// A range of instants from one or more date parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// Inclusive lower bound.
    pub from: Option<Timestamp>,
    /// Exclusive upper bound.
    pub until: Option<Timestamp>,
}

fn problem(resource: &str, name: &str, message: String) -> OperationOutcome {
    OperationOutcome::of(vec![Issue {
        expression: vec![format!("{resource}?{name}")],
        ..OperationOutcome::at(IssueType::Value, "", message)
    }])
}

impl Query {
    /// Reads `query` for a search of `resource` that supports `allowed` parameters (besides
    /// `_count` and `_format`).
    pub fn parse(
        resource: &'static str,
        query: Option<&str>,
        allowed: &[&str],
    ) -> Result<Self, OperationOutcome> {
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(query.unwrap_or_default())
            .map_err(|message| {
                OperationOutcome::error(IssueType::Structure, format!("the query {message}"))
            })?;
        let unknown: Vec<Issue> = pairs
            .iter()
            .filter(|(name, _)| {
                !allowed.contains(&name.as_str()) && !matches!(name.as_str(), "_count" | "_format")
            })
            .map(|(name, _)| Issue {
                expression: vec![format!("{resource}?{name}")],
                ..OperationOutcome::at(
                    IssueType::NotSupported,
                    "",
                    format!(
                        "`{name}` is not a search parameter this server supports for {resource}; it supports {}",
                        allowed.join(", ")
                    ),
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(OperationOutcome::of(unknown));
        }
        Ok(Self { resource, pairs })
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The one value of `name`, if given; given twice is an error.
    pub fn one(&self, name: &str) -> Result<Option<&str>, OperationOutcome> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(problem(self.resource, name, format!("give `{name}` once")));
        }
        Ok(first)
    }

    /// Page size: `_count`, 1 to [`MAX_COUNT`].
    pub fn count(&self) -> Result<usize, OperationOutcome> {
        match self.one("_count")? {
            None => Ok(DEFAULT_COUNT),
            Some(value) => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
                _ => Err(problem(
                    self.resource,
                    "_count",
                    format!("`_count` is a whole number from 1 to {MAX_COUNT}, not `{value}`"),
                )),
            },
        }
    }

    /// Where a page starts: `_offset` from a `next` link, 0 when absent.
    pub fn offset(&self) -> Result<usize, OperationOutcome> {
        match self.one("_offset")? {
            None => Ok(0),
            Some(value) => value.parse::<usize>().map_err(|_| {
                problem(
                    self.resource,
                    "_offset",
                    format!("`_offset` comes from a `next` link; `{value}` is not one"),
                )
            }),
        }
    }

    /// The id a reference parameter names (`Patient/123` or `123`), checked as a UUID.
    pub fn reference(
        &self,
        name: &str,
        target: &str,
    ) -> Result<Option<uuid::Uuid>, OperationOutcome> {
        let Some(value) = self.one(name)? else {
            return Ok(None);
        };
        let id = value.strip_prefix(&format!("{target}/")).unwrap_or(value);
        uuid::Uuid::parse_str(id).map(Some).map_err(|_| {
            problem(
                self.resource,
                name,
                format!(
                    "`{name}` names a {target} as `{target}/{{id}}`; `{value}` is not one of ours"
                ),
            )
        })
    }

    /// The code a token parameter names, with its system if given (`system|code`); the
    /// system, when given, must be `system`.
    pub fn token(&self, name: &str, system: &str) -> Result<Option<&str>, OperationOutcome> {
        let Some(value) = self.one(name)? else {
            return Ok(None);
        };
        match value.split_once('|') {
            None => Ok(Some(value)),
            Some((given, code)) if given.is_empty() || given == system => Ok(Some(code)),
            Some((given, _)) => Err(problem(
                self.resource,
                name,
                format!("`{name}` takes codes from {system}, not {given}"),
            )),
        }
    }

    /// The range the date parameter `name` asks for (given once or twice).
    pub fn range(&self, name: &str) -> Result<Range, OperationOutcome> {
        let mut range = Range::default();
        for value in self.all(name) {
            let bad = || {
                problem(
                    self.resource,
                    name,
                    format!(
                        "`{name}` is a date or instant with an optional prefix (ge, gt, le, lt, eq), such as ge2026-12-08 or lt2026-12-08T17:00:00Z; `{value}` is not"
                    ),
                )
            };
            let (prefix, rest) = match value.get(..2) {
                Some(p @ ("ge" | "gt" | "le" | "lt" | "eq")) => (p, &value[2..]),
                _ => ("eq", value),
            };
            let (start, end) = period(rest).ok_or_else(bad)?;
            match prefix {
                "ge" => range.from = max(range.from, start),
                "gt" => range.from = max(range.from, end),
                "lt" => range.until = min(range.until, start),
                "le" => range.until = min(range.until, end),
                _ => {
                    range.from = max(range.from, start);
                    range.until = min(range.until, end);
                }
            }
        }
        Ok(range)
    }
}

fn max(a: Option<Timestamp>, b: Timestamp) -> Option<Timestamp> {
    Some(a.map_or(b, |a| a.max(b)))
}

fn min(a: Option<Timestamp>, b: Timestamp) -> Option<Timestamp> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// The span a date or instant value covers: a whole day (in London) for a date, one second
/// for an instant.
fn period(value: &str) -> Option<(Timestamp, Timestamp)> {
    if let Ok(date) = value.parse::<Date>() {
        let zone = jointly_domain::london();
        let start = date.to_zoned(zone.clone()).ok()?.timestamp();
        let end = date.tomorrow().ok()?.to_zoned(zone).ok()?.timestamp();
        return Some((start, end));
    }
    let at: Timestamp = value.parse().ok()?;
    Some((at, at + jiff::SignedDuration::from_secs(1)))
}

/// `name=value` pairs of a query string, percent-decoded.
fn serde_urlencoded_pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((decode(name)?, decode(value)?));
    }
    Ok(pairs)
}

fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("has a broken %-escape near `{}`", &text[i..]))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn date_prefixes_make_a_range() {
        let q = Query::parse(
            "Slot",
            Some("start=ge2026-12-08&start=lt2026-12-10T12:00:00Z"),
            &["start"],
        )
        .unwrap();
        let range = q.range("start").unwrap();
        assert_eq!(
            range.from,
            Some(ts("2026-12-08T00:00:00Z")),
            "midnight in London (GMT)"
        );
        assert_eq!(range.until, Some(ts("2026-12-10T12:00:00Z")));
        let day = Query::parse("Slot", Some("start=2026-07-01"), &["start"]).unwrap();
        let range = day.range("start").unwrap();
        assert_eq!(range.from, Some(ts("2026-06-30T23:00:00Z")), "BST");
        assert_eq!(range.until, Some(ts("2026-07-01T23:00:00Z")));
    }

    #[test]
    fn bad_parameters_are_named() {
        let error = Query::parse("Slot", Some("colour=red"), &["start"]).unwrap_err();
        assert_eq!(error.issue[0].code, IssueType::NotSupported);
        assert_eq!(error.issue[0].expression, ["Slot?colour"]);
        let q = Query::parse("Slot", Some("start=tomorrow&_count=500"), &["start"]).unwrap();
        assert!(q.range("start").is_err());
        assert!(q.count().is_err());
        let q = Query::parse("Slot", Some("schedule=Schedule%2Fnope"), &["schedule"]).unwrap();
        let error = q.reference("schedule", "Schedule").unwrap_err();
        assert!(
            error.issue[0]
                .diagnostics
                .as_deref()
                .unwrap()
                .contains("`Schedule/nope`")
        );
        assert!(Query::parse("Slot", Some("start=%zz"), &["start"]).is_err());
    }

    #[test]
    fn tokens_take_an_optional_system() {
        let q = Query::parse(
            "Patient",
            Some("identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9434765919"),
            &["identifier"],
        )
        .unwrap();
        assert_eq!(
            q.token("identifier", "https://fhir.nhs.uk/Id/nhs-number")
                .unwrap(),
            Some("9434765919")
        );
        assert!(q.token("identifier", "other").is_err());
    }
}
