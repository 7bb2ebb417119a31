//! Jointly's translation layer: Fluent catalogues checked at start-up, English fallback for any
//! message not yet translated, and the choice of locale from what a person asked for.
//!
//! Every string a person reads goes through a [`Catalog`]; code never holds user-facing text.

use std::collections::{HashMap, HashSet};
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::civil::Date;
use unic_langid::LanguageIdentifier;

/// A language the interface is offered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    /// English (the fallback for anything not yet translated).
    English,
    /// Polish.
    Polish,
    /// Urdu, written right to left.
    Urdu,
    /// Easy read English: short sentences, everyday words, one idea at a time.
    EasyRead,
}

impl Locale {
    /// Every locale, English first.
    pub const ALL: [Locale; 4] = [Self::English, Self::EasyRead, Self::Polish, Self::Urdu];

    /// BCP 47 code, as used in `lang` attributes. Easy read is English with a private-use
    /// subtag, so screen readers still speak it as English.
    pub fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::Polish => "pl",
            Self::Urdu => "ur",
            Self::EasyRead => "en-x-easyread",
        }
    }

    /// The language spoken, without variants: easy read is English.
    pub fn language(self) -> &'static str {
        match self {
            Self::English | Self::EasyRead => "en",
            Self::Polish => "pl",
            Self::Urdu => "ur",
        }
    }

    /// Text direction, for the `dir` attribute.
    pub fn direction(self) -> &'static str {
        match self {
            Self::Urdu => "rtl",
            Self::English | Self::Polish | Self::EasyRead => "ltr",
        }
    }

    /// The language's own name for itself, for the language switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::Polish => "Polski",
            Self::Urdu => "اردو",
            Self::EasyRead => "Easy read",
        }
    }

    /// Parses a code such as `pl`, `ur-PK` or `en-x-easyread`.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        if code == Self::EasyRead.code() {
            return Some(Self::EasyRead);
        }
        let primary = code.split(['-', '_']).next()?;
        [Self::English, Self::Polish, Self::Urdu]
            .into_iter()
            .find(|l| l.code() == primary)
    }

    /// The best locale for an `Accept-Language` header, honouring quality values; English if
    /// nothing offered matches.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut offers: Vec<(f32, usize, Locale)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let locale = Self::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
                (quality > 0.0).then_some((quality, position, locale))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offers
            .first()
            .map_or(Self::English, |(_, _, locale)| *locale)
    }

    fn langid(self) -> LanguageIdentifier {
        self.language().parse().unwrap_or_default()
    }
}

/// A value to put into a message.
#[derive(Clone, Debug)]
pub enum Arg<'a> {
    /// Text.
    Str(&'a str),
    /// A number (plural rules apply).
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Self::Str(value)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Self::Str(value)
    }
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Self::Num(value as f64)
    }
}

/// Why a catalogue could not be loaded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// A file is not valid Fluent.
    #[error("{file} line {line}: {problem}")]
    Syntax {
        /// Which file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A message is defined twice.
    #[error("{file}: message `{id}` is defined more than once")]
    Duplicate {
        /// Which file.
        file: String,
        /// The message.
        id: String,
    },
    /// A translation defines a message English does not have (a typo or a removed message).
    #[error("{file}: message `{id}` does not exist in English")]
    Orphan {
        /// Which file.
        file: String,
        /// The message.
        id: String,
    },
}

/// One Fluent source file.
#[derive(Clone, Copy, Debug)]
pub struct Source {
    /// The locale it translates.
    pub locale: Locale,
    /// File name, for error messages.
    pub file: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// Calendar names and date formats, loaded into every catalogue.
const DATE_SOURCES: [Source; 3] = [
    Source {
        locale: Locale::English,
        file: "dates-en.ftl",
        text: include_str!("../locales/dates-en.ftl"),
    },
    Source {
        locale: Locale::Polish,
        file: "dates-pl.ftl",
        text: include_str!("../locales/dates-pl.ftl"),
    },
    Source {
        locale: Locale::Urdu,
        file: "dates-ur.ftl",
        text: include_str!("../locales/dates-ur.ftl"),
    },
];

/// Every message in every locale, ready to format.
pub struct Catalog {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
    ids: HashMap<Locale, HashSet<String>>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("locales", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

impl Catalog {
    /// Loads and checks the sources: every file must parse, define each message once, and
    /// define only messages English has.
    pub fn load(sources: &[Source]) -> Result<Self, CatalogError> {
        let mut bundles = HashMap::new();
        let mut ids: HashMap<Locale, HashSet<String>> = HashMap::new();
        let mut defined_by_file: Vec<(&Source, Vec<String>)> = Vec::new();
        for source in DATE_SOURCES.iter().chain(sources) {
            let resource =
                FluentResource::try_new(source.text.to_owned()).map_err(|(_, errors)| {
                    let first = errors.first();
                    CatalogError::Syntax {
                        file: source.file.to_owned(),
                        line: first.map_or(1, |e| line_of(source.text, e.pos.start)),
                        problem: first.map_or_else(|| "unreadable".into(), |e| e.kind.to_string()),
                    }
                })?;
            let defined = ids.entry(source.locale).or_default();
            let mut in_file = Vec::new();
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    let id = message.id.name.to_owned();
                    if !defined.insert(id.clone()) {
                        return Err(CatalogError::Duplicate {
                            file: source.file.to_owned(),
                            id,
                        });
                    }
                    in_file.push(id);
                }
            }
            defined_by_file.push((source, in_file));
            let bundle = bundles.entry(source.locale).or_insert_with(|| {
                let mut bundle = FluentBundle::new_concurrent(vec![source.locale.langid()]);
                // Placeholders are wrapped by the page's own markup (dir, bdi), and the invisible
                // isolation marks would otherwise double the cost of a text message.
                bundle.set_use_isolating(false);
                bundle
            });
            bundle
                .add_resource(resource)
                .map_err(|_| CatalogError::Duplicate {
                    file: source.file.to_owned(),
                    id: "(shared with another file)".into(),
                })?;
        }
        let no_english = HashSet::new();
        let english = ids.get(&Locale::English).unwrap_or(&no_english);
        for (source, defined) in defined_by_file
            .iter()
            .filter(|(s, _)| s.locale != Locale::English)
        {
            if let Some(id) = defined.iter().find(|id| !english.contains(*id)) {
                return Err(CatalogError::Orphan {
                    file: source.file.to_owned(),
                    id: id.clone(),
                });
            }
        }
        Ok(Self { bundles, ids })
    }

    /// True when `id` exists in English.
    pub fn has(&self, id: &str) -> bool {
        self.ids
            .get(&Locale::English)
            .is_some_and(|ids| ids.contains(id))
    }

    /// True when `locale` has its own translation of `id`.
    pub fn is_translated(&self, locale: Locale, id: &str) -> bool {
        self.ids.get(&locale).is_some_and(|ids| ids.contains(id))
    }

    /// English messages `locale` has not translated yet, sorted.
    pub fn untranslated(&self, locale: Locale) -> Vec<String> {
        let empty = HashSet::new();
        let own = self.ids.get(&locale).unwrap_or(&empty);
        let mut missing: Vec<String> = self
            .ids
            .get(&Locale::English)
            .map(|en| en.difference(own).cloned().collect())
            .unwrap_or_default();
        missing.sort();
        missing
    }

    /// Every English message id, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .ids
            .get(&Locale::English)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        ids.sort();
        ids
    }

    /// Formats message `id` in `locale`, falling back to English when it is not translated.
    /// A message missing everywhere comes back as its id, which tests look for.
    pub fn message(&self, locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let locale = if self.is_translated(locale, id) {
            locale
        } else {
            Locale::English
        };
        self.format(locale, id, None, args)
            .unwrap_or_else(|| id.to_owned())
    }

    /// Formats attribute `attribute` of message `id` (for example a hint or a page title).
    pub fn attribute(
        &self,
        locale: Locale,
        id: &str,
        attribute: &str,
        args: &[(&str, Arg<'_>)],
    ) -> String {
        let locale = if self.is_translated(locale, id) {
            locale
        } else {
            Locale::English
        };
        self.format(locale, id, Some(attribute), args)
            .unwrap_or_else(|| format!("{id}.{attribute}"))
    }

    fn format(
        &self,
        locale: Locale,
        id: &str,
        attribute: Option<&str>,
        args: &[(&str, Arg<'_>)],
    ) -> Option<String> {
        let bundle = self.bundles.get(&locale)?;
        let message = bundle.get_message(id)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(*s),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }
}

impl Catalog {
    /// A date such as "Monday 30 November 2026".
    pub fn long_date(&self, locale: Locale, date: Date) -> String {
        let weekday = self.message(
            locale,
            &format!("weekday-{}", date.weekday().to_monday_one_offset()),
            &[],
        );
        let month = self.message(locale, &format!("month-{}", date.month()), &[]);
        let (day, year) = (
            i64::from(date.day()).to_string(),
            i64::from(date.year()).to_string(),
        );
        self.message(
            locale,
            "date-long",
            &[
                ("weekday", (&weekday).into()),
                ("day", (&day).into()),
                ("month", (&month).into()),
                ("year", (&year).into()),
            ],
        )
    }

    /// A date such as "30 November 2026".
    pub fn medium_date(&self, locale: Locale, date: Date) -> String {
        let month = self.message(locale, &format!("month-{}", date.month()), &[]);
        let (day, year) = (
            i64::from(date.day()).to_string(),
            i64::from(date.year()).to_string(),
        );
        self.message(
            locale,
            "date-medium",
            &[
                ("day", (&day).into()),
                ("month", (&month).into()),
                ("year", (&year).into()),
            ],
        )
    }

    /// A time of day such as "9:30am" (English) or "09:30" (Polish).
    pub fn time(&self, locale: Locale, time: jiff::civil::Time) -> String {
        let hour = i64::from(time.hour());
        let minutes = i64::from(time.minute());
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        }
        .to_string();
        let hour24 = format!("{hour:02}");
        let minute = format!("{minutes:02}");
        let period = self.message(locale, if hour < 12 { "time-am" } else { "time-pm" }, &[]);
        self.message(
            locale,
            "time",
            &[
                ("hour12", (&hour12).into()),
                ("hour24", (&hour24).into()),
                ("minute", (&minute).into()),
                ("minutes", minutes.into()),
                ("period", (&period).into()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(locale: Locale, text: &'static str) -> Source {
        Source {
            locale,
            file: "test.ftl",
            text,
        }
    }

    #[test]
    fn falls_back_to_english_and_formats_arguments() {
        let catalog = Catalog::load(&[
            source(
                Locale::English,
                "hello = Hello, { $name }\nbye = Goodbye\n    .title = Leaving",
            ),
            source(Locale::Polish, "hello = Dzień dobry, { $name }"),
        ])
        .unwrap();
        assert_eq!(
            catalog.message(Locale::Polish, "hello", &[("name", "Ola".into())]),
            "Dzień dobry, Ola"
        );
        assert_eq!(catalog.message(Locale::Polish, "bye", &[]), "Goodbye");
        assert_eq!(
            catalog.attribute(Locale::English, "bye", "title", &[]),
            "Leaving"
        );
        assert_eq!(catalog.message(Locale::English, "nope", &[]), "nope");
        assert_eq!(catalog.untranslated(Locale::Polish), vec!["bye".to_owned()]);
        // A missing argument is an error, so English (same problem) gives the id back.
        assert_eq!(catalog.message(Locale::English, "hello", &[]), "hello");
    }

    #[test]
    fn bad_catalogues_are_refused_with_the_line() {
        let err =
            Catalog::load(&[source(Locale::English, "ok = fine\n\nbroken = { $\n")]).unwrap_err();
        assert!(
            matches!(err, CatalogError::Syntax { line: 3, .. }),
            "{err:?}"
        );
        let err = Catalog::load(&[source(Locale::English, "a = 1\na = 2")]).unwrap_err();
        assert!(matches!(err, CatalogError::Duplicate { .. }));
        let err = Catalog::load(&[
            source(Locale::English, "a = 1"),
            source(Locale::Urdu, "b = 2"),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            CatalogError::Orphan {
                file: "test.ftl".into(),
                id: "b".into()
            }
        );
    }

    #[test]
    fn dates_and_times_read_naturally_in_london_time() {
        let catalog = Catalog::load(&[source(Locale::English, "x = 1")]).unwrap();
        // 30 November 2026 09:30 UTC is 09:30 in London (GMT); 1 June 2026 08:05 UTC is 09:05 BST.
        let local = |at: &str| {
            at.parse::<jiff::Timestamp>()
                .unwrap()
                .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
                .datetime()
        };
        let winter = local("2026-11-30T09:30:00Z");
        assert_eq!(
            catalog.long_date(Locale::English, winter.date()),
            "Monday 30 November 2026"
        );
        assert_eq!(catalog.time(Locale::English, winter.time()), "9:30am");
        assert_eq!(
            catalog.long_date(Locale::Polish, winter.date()),
            "poniedziałek, 30 listopada 2026"
        );
        assert_eq!(catalog.time(Locale::Polish, winter.time()), "09:30");
        let summer = local("2026-06-01T08:00:00Z");
        assert_eq!(catalog.time(Locale::English, summer.time()), "9am");
        let evening = local("2026-11-30T18:45:00Z");
        assert_eq!(catalog.time(Locale::English, evening.time()), "6:45pm");
        assert_eq!(
            catalog.medium_date(Locale::English, evening.date()),
            "30 November 2026"
        );
    }

    #[test]
    fn negotiates_from_accept_language() {
        assert_eq!(Locale::negotiate("pl-PL,pl;q=0.9,en;q=0.8"), Locale::Polish);
        assert_eq!(Locale::negotiate("fr-FR, ur;q=0.5, en;q=0.4"), Locale::Urdu);
        assert_eq!(Locale::negotiate("en;q=0.2, ur;q=0.9"), Locale::Urdu);
        assert_eq!(Locale::negotiate("de"), Locale::English);
        assert_eq!(Locale::negotiate("ur;q=0"), Locale::English);
        assert_eq!(Locale::negotiate(""), Locale::English);
        assert_eq!(Locale::Urdu.direction(), "rtl");
        assert_eq!(
            Locale::negotiate("en-x-easyread, en;q=0.5"),
            Locale::EasyRead
        );
        assert_eq!(Locale::parse("en-x-easyread"), Some(Locale::EasyRead));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::English));
        assert_eq!(Locale::EasyRead.language(), "en");
    }
}
