//! Education and self-help as data: condition pages, self-help while waiting and pain
//! management, each in the languages it has, with the warning signs that need urgent help and
//! the library exercises that suit it. Printed, a page is the person's resource pack.

use std::collections::HashSet;

use serde::Deserialize;

/// What kind of page a topic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicKind {
    /// About one condition or part of the body.
    Condition,
    /// What to do while waiting to be seen.
    WhileWaiting,
    /// Living with and managing pain.
    PainManagement,
}

impl TopicKind {
    /// Every kind, in the order the help page lists them.
    pub const ALL: [TopicKind; 3] = [Self::WhileWaiting, Self::PainManagement, Self::Condition];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Condition => "condition",
            Self::WhileWaiting => "while_waiting",
            Self::PainManagement => "pain_management",
        }
    }
}

/// A part of a topic's page.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Its heading.
    pub heading: String,
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
}

/// A topic's words in one language.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicText {
    /// The page's title.
    pub title: String,
    /// One or two sentences saying what the page is for.
    pub summary: String,
    /// The page's sections.
    pub sections: Vec<Section>,
    /// Warning signs that need urgent help (shown first, as a warning).
    #[serde(default)]
    pub urgent: Vec<String>,
}

/// One page of education or self-help.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable code, used in its address ("low-back-pain").
    pub id: String,
    /// What kind of page it is.
    pub kind: TopicKind,
    /// Body areas it is about (problem area codes); empty for general pages.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Library exercises that suit it.
    #[serde(default)]
    pub exercises: Vec<String>,
    /// English words (required).
    pub en: TopicText,
    /// Polish.
    #[serde(default)]
    pub pl: Option<TopicText>,
    /// Urdu.
    #[serde(default)]
    pub ur: Option<TopicText>,
    /// Easy read.
    #[serde(default)]
    pub easy: Option<TopicText>,
}

impl Topic {
    /// Its words in `language`, and whether that is the language asked for (false: English).
    pub fn text(&self, language: &str) -> (&TopicText, bool) {
        in_language(language, &self.en, [&self.pl, &self.ur, &self.easy])
    }
}

/// Content's words in `language` (a content code: `en`, `pl`, `ur`, `easy`) from the English
/// and the Polish, Urdu and easy-read translations it has, and whether they are in that
/// language (false: the English, shown because the translation is missing).
pub(crate) fn in_language<'a, T>(
    language: &str,
    en: &'a T,
    [pl, ur, easy]: [&'a Option<T>; 3],
) -> (&'a T, bool) {
    let translated = match language {
        "pl" => pl.as_ref(),
        "ur" => ur.as_ref(),
        "easy" => easy.as_ref(),
        _ => Some(en),
    };
    translated.map_or((en, language == "en"), |t| (t, true))
}

/// Every education page, checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Education {
    /// The pages, in the file's order.
    #[serde(rename = "topic")]
    pub topics: Vec<Topic>,
}

impl Education {
    /// Reads and checks the pages: unique codes made of lower-case letters, digits and
    /// hyphens, known body areas, exercises that `exercise_exists`, and in every language a
    /// title, a summary and sections with words in them.
    pub fn parse(source: &str, exercise_exists: impl Fn(&str) -> bool) -> Result<Self, String> {
        let education: Education = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut seen = HashSet::new();
        for topic in &education.topics {
            let id = &topic.id;
            if !is_code(id) || !seen.insert(id.as_str()) {
                return Err(format!(
                    "topic \"{id}\": the code is empty, repeated, or not lower-case letters, digits and hyphens"
                ));
            }
            for area in &topic.areas {
                if crate::referral::ProblemArea::parse(area).is_err() {
                    return Err(format!("topic \"{id}\": unknown body area \"{area}\""));
                }
            }
            if let Some(missing) = topic.exercises.iter().find(|e| !exercise_exists(e)) {
                return Err(format!(
                    "topic \"{id}\": no exercise \"{missing}\" in the library"
                ));
            }
            let texts = [
                Some(&topic.en),
                topic.pl.as_ref(),
                topic.ur.as_ref(),
                topic.easy.as_ref(),
            ];
            for text in texts.into_iter().flatten() {
                let empty = |s: &str| s.trim().is_empty();
                if empty(&text.title)
                    || empty(&text.summary)
                    || text.sections.is_empty()
                    || text.sections.iter().any(|s| {
                        empty(&s.heading)
                            || s.paragraphs.is_empty()
                            || s.paragraphs.iter().any(|p| empty(p))
                    })
                    || text.urgent.iter().any(|u| empty(u))
                {
                    return Err(format!(
                        "topic \"{id}\": a language has an empty title, summary, section or warning sign"
                    ));
                }
            }
        }
        Ok(education)
    }

    /// The page with code `id`.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Condition pages about `area` (a problem area code).
    pub fn for_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Topic> {
        self.topics
            .iter()
            .filter(move |t| t.areas.iter().any(|a| a == area))
    }
}

/// True for a code usable in an address: lower-case letters, digits and hyphens.
pub(crate) fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"
[[topic]]
id = "knee-pain"
kind = "condition"
areas = ["knee"]
exercises = ["sit-to-stand"]
[topic.en]
title = "Knee pain"
summary = "Most knee pain gets better."
urgent = ["Your knee is hot and swollen and you feel unwell"]
[[topic.en.sections]]
heading = "Keep moving"
paragraphs = ["Walk a little every day."]
"#;

    fn exists(code: &str) -> bool {
        code == "sit-to-stand"
    }

    #[test]
    fn a_page_parses_and_falls_back_to_english() {
        let education = Education::parse(PAGE, exists).unwrap();
        let topic = education.topic("knee-pain").unwrap();
        assert_eq!(topic.text("pl"), (&topic.en, false));
        assert!(topic.text("en").1);
        assert_eq!(education.for_area("knee").count(), 1);
        assert_eq!(education.for_area("back").count(), 0);
    }

    #[test]
    fn every_problem_is_named() {
        let cases = [
            (PAGE.replace("knee-pain", "Knee Pain"), "code is empty"),
            (
                PAGE.replace("areas = [\"knee\"]", "areas = [\"kneecap\"]"),
                "unknown body area",
            ),
            (
                PAGE.replace("exercises = [\"sit-to-stand\"]", "exercises = [\"hop\"]"),
                "no exercise \"hop\"",
            ),
            (PAGE.replace("Walk a little every day.", " "), "empty title"),
            (
                PAGE.replace("title = \"Knee pain\"", "title = \"\""),
                "empty title",
            ),
            (format!("{PAGE}{}", PAGE), "repeated"),
            (
                PAGE.replace("kind = \"condition\"", "kind = \"leaflet\""),
                "unknown variant",
            ),
        ];
        for (source, problem) in cases {
            let error = Education::parse(&source, exists).unwrap_err();
            assert!(error.contains(problem), "{error} should say {problem}");
        }
    }

    #[test]
    fn the_shipped_pages_are_sound() {
        let library = crate::exercise::Library::parse(include_str!(
            "../../../content/exercises/library.toml"
        ))
        .unwrap();
        let education = Education::parse(
            include_str!("../../../content/education/topics.toml"),
            |code| library.exercise(code).is_some(),
        )
        .unwrap();
        for kind in TopicKind::ALL {
            assert!(education.topics.iter().any(|t| t.kind == kind), "{kind:?}");
        }
        for topic in &education.topics {
            assert!(
                topic.pl.is_some() && topic.ur.is_some(),
                "{} is translated",
                topic.id
            );
        }
    }
}
