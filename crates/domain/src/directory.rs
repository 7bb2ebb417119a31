//! The directory of community services a person can be signposted or referred to (weight
//! management, social prescribing, mental health, exercise groups, peer support, the Expert
//! Patients Programme and more), as data: area, who can use it, how to get in, accessibility
//! and opening times; finding services by what a person needs; and the record that a clinician
//! signposted or referred someone, which goes in their passport.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::{Time, Weekday};
use serde::Deserialize;

use crate::education::{Education, is_code};
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{PatientId, SignpostingId, StaffUserId};
use crate::passport::optional_text;

/// Longest note on a signposting, in characters.
pub const NOTE_MAX: usize = 1_000;
/// The area code for a service anyone in the region can use (online, by phone, or travelling).
pub const ANYWHERE: &str = "anywhere";
/// Opening after this time counts as evening opening.
const EVENING: Time = Time::constant(18, 0, 0, 0);

/// What a community service offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Weight management.
    WeightManagement,
    /// Social prescribing link workers.
    SocialPrescribing,
    /// Talking therapies and mental health support.
    MentalHealth,
    /// Exercise groups and activity.
    ExerciseGroups,
    /// Peer support groups.
    PeerSupport,
    /// The Expert Patients Programme (self-management courses).
    ExpertPatients,
    /// Help to stop smoking.
    StopSmoking,
    /// Help to stay in or return to work.
    WorkSupport,
}

impl Category {
    /// Every category, in the order the directory lists them.
    pub const ALL: [Category; 8] = [
        Self::ExerciseGroups,
        Self::WeightManagement,
        Self::MentalHealth,
        Self::PeerSupport,
        Self::ExpertPatients,
        Self::SocialPrescribing,
        Self::StopSmoking,
        Self::WorkSupport,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WeightManagement => "weight_management",
            Self::SocialPrescribing => "social_prescribing",
            Self::MentalHealth => "mental_health",
            Self::ExerciseGroups => "exercise_groups",
            Self::PeerSupport => "peer_support",
            Self::ExpertPatients => "expert_patients",
            Self::StopSmoking => "stop_smoking",
            Self::WorkSupport => "work_support",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// What makes a service easier to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Step-free entrance and rooms.
    StepFree,
    /// A hearing loop.
    HearingLoop,
    /// British Sign Language interpreters on request.
    Bsl,
    /// Interpreters for spoken languages on request.
    Interpreters,
    /// Can be joined online or by phone from home.
    FromHome,
    /// Information in large print or easy read.
    AccessibleInformation,
    /// An accessible toilet.
    AccessibleToilet,
    /// Free parking close by.
    Parking,
}

impl Access {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StepFree => "step_free",
            Self::HearingLoop => "hearing_loop",
            Self::Bsl => "bsl",
            Self::Interpreters => "interpreters",
            Self::FromHome => "from_home",
            Self::AccessibleInformation => "accessible_information",
            Self::AccessibleToilet => "accessible_toilet",
            Self::Parking => "parking",
        }
    }
}

/// One opening: a day of the week, from and to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// The day.
    #[serde(with = "weekday")]
    pub day: Weekday,
    /// Opens.
    pub from: Time,
    /// Closes.
    pub to: Time,
}

mod weekday {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, de::Error};

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let code = String::deserialize(d)?;
        crate::rota::parse_weekday(&code)
            .map_err(|_| D::Error::custom(format!("\"{code}\" is not a day (monday … sunday)")))
    }
}

/// A service's words in one language.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceText {
    /// What it offers.
    pub description: String,
    /// Who can use it.
    pub eligibility: String,
    /// How to get in: referral, self-referral, drop in.
    pub how_to_access: String,
}

/// A service in the community directory.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityService {
    /// Stable code, used in its address.
    pub id: String,
    /// What it offers.
    pub category: Category,
    /// Its name (a proper name, not translated).
    pub name: String,
    /// Who runs it.
    pub organisation: String,
    /// The areas it serves (area codes), or `anywhere`.
    pub areas: Vec<String>,
    /// Where it meets, when it has a place.
    #[serde(default)]
    pub address: Option<String>,
    /// Telephone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Website: an `https://` address.
    #[serde(default)]
    pub website: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// True when people can refer themselves.
    pub self_referral: bool,
    /// True when it costs nothing.
    pub free: bool,
    /// Languages it works in besides English (language codes).
    #[serde(default)]
    pub languages: Vec<String>,
    /// What makes it easier to use.
    #[serde(default)]
    pub access: Vec<Access>,
    /// When it is open.
    #[serde(default)]
    pub opening: Vec<Opening>,
    /// English words (required).
    pub en: ServiceText,
    /// Polish.
    #[serde(default)]
    pub pl: Option<ServiceText>,
    /// Urdu.
    #[serde(default)]
    pub ur: Option<ServiceText>,
    /// Easy read.
    #[serde(default)]
    pub easy: Option<ServiceText>,
}

impl CommunityService {
    /// Its words in `language`, and whether that is the language asked for (false: English).
    pub fn text(&self, language: &str) -> (&ServiceText, bool) {
        crate::education::in_language(language, &self.en, [&self.pl, &self.ur, &self.easy])
    }

    /// True when it is open after 6pm on some day.
    pub fn evenings(&self) -> bool {
        self.opening.iter().any(|o| o.to > EVENING)
    }

    /// True when it is open on Saturday or Sunday.
    pub fn weekends(&self) -> bool {
        self.opening
            .iter()
            .any(|o| matches!(o.day, Weekday::Saturday | Weekday::Sunday))
    }

    /// True when it serves `area` (or anywhere).
    pub fn serves(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a == area || a == ANYWHERE)
    }
}

/// An area the directory's services are in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable code.
    pub id: String,
    /// Its name (a place name, not translated).
    pub name: String,
}

/// What a person or clinician is looking for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
#[serde(default)]
pub struct DirectoryQuery {
    /// A category code, or empty for every one: `exercise_groups`, `weight_management`,
    /// `mental_health`, `peer_support`, `expert_patients`, `social_prescribing`,
    /// `stop_smoking` or `work_support`.
    pub category: String,
    /// An area code, or empty for every one.
    pub area: String,
    /// Only services open in the evening (after 6pm): any non-empty value, for example `yes`.
    pub evenings: Option<String>,
    /// Only services open at weekends: any non-empty value, for example `yes`.
    pub weekends: Option<String>,
    /// Only services people can refer themselves to: any non-empty value, for example `yes`.
    pub self_referral: Option<String>,
}

/// The community directory, checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// The areas, in the file's order.
    #[serde(rename = "area")]
    pub areas: Vec<Area>,
    /// The services, in the file's order.
    #[serde(rename = "service")]
    pub services: Vec<CommunityService>,
}

impl Directory {
    /// Reads and checks the directory: unique codes, known areas, https websites, opening
    /// times that close after they open, and words in every language given.
    pub fn parse(source: &str) -> Result<Self, String> {
        let directory: Directory = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut areas = HashSet::from([ANYWHERE]);
        for area in &directory.areas {
            if !is_code(&area.id) || !areas.insert(area.id.as_str()) || area.name.trim().is_empty()
            {
                return Err(format!(
                    "area \"{}\": empty or repeated code or name",
                    area.id
                ));
            }
        }
        let mut seen = HashSet::new();
        for service in &directory.services {
            let id = &service.id;
            if !is_code(id) || !seen.insert(id.as_str()) {
                return Err(format!(
                    "service \"{id}\": the code is empty, repeated, or not lower-case letters, digits and hyphens"
                ));
            }
            if service.name.trim().is_empty() || service.organisation.trim().is_empty() {
                return Err(format!("service \"{id}\": no name or organisation"));
            }
            if service.areas.is_empty() {
                return Err(format!("service \"{id}\": no area"));
            }
            if let Some(area) = service.areas.iter().find(|a| !areas.contains(a.as_str())) {
                return Err(format!("service \"{id}\": unknown area \"{area}\""));
            }
            if let Some(site) = &service.website
                && (!site.starts_with("https://") || site.contains(char::is_whitespace))
            {
                return Err(format!(
                    "service \"{id}\": \"{site}\" is not an https:// address"
                ));
            }
            if service.phone.is_none() && service.website.is_none() && service.email.is_none() {
                return Err(format!(
                    "service \"{id}\": no phone, website or email to reach it"
                ));
            }
            if let Some(o) = service.opening.iter().find(|o| o.to <= o.from) {
                return Err(format!(
                    "service \"{id}\": on {} it closes ({}) before it opens ({})",
                    crate::rota::weekday_code(o.day),
                    o.to,
                    o.from
                ));
            }
            let texts = [
                Some(&service.en),
                service.pl.as_ref(),
                service.ur.as_ref(),
                service.easy.as_ref(),
            ];
            for text in texts.into_iter().flatten() {
                if [&text.description, &text.eligibility, &text.how_to_access]
                    .iter()
                    .any(|s| s.trim().is_empty())
                {
                    return Err(format!(
                        "service \"{id}\": a language has no description, eligibility or way in"
                    ));
                }
            }
        }
        Ok(directory)
    }

    /// The service with code `id`.
    pub fn service(&self, id: &str) -> Option<&CommunityService> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The area with code `id`.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The services matching `query`, in the directory's order. An unknown category or area is
    /// named, so a mistyped filter never looks like "nothing found".
    pub fn search(&self, query: &DirectoryQuery) -> Result<Vec<&CommunityService>, DomainError> {
        let mut errors = ValidationErrors::new();
        let category = query.category.trim();
        let category = if category.is_empty() {
            None
        } else {
            errors.check("category", Category::parse(category))
        };
        let area = query.area.trim();
        if !area.is_empty() && self.area(area).is_none() {
            errors.add("area", Invalid("choose"));
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        let ticked = |flag: &Option<String>| flag.as_deref().is_some_and(|v| !v.is_empty());
        Ok(self
            .services
            .iter()
            .filter(|s| category.is_none_or(|c| s.category == c))
            .filter(|s| area.is_empty() || s.serves(area))
            .filter(|s| !ticked(&query.evenings) || s.evenings())
            .filter(|s| !ticked(&query.weekends) || s.weekends())
            .filter(|s| !ticked(&query.self_referral) || s.self_referral)
            .collect())
    }
}

/// What a signposting points to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// An education page, by code.
    Topic(String),
    /// A community service, by code.
    Service(String),
}

impl Resource {
    /// The form's code: `topic:<code>` or `service:<code>`.
    pub fn code(&self) -> String {
        match self {
            Self::Topic(code) => format!("topic:{code}"),
            Self::Service(code) => format!("service:{code}"),
        }
    }

    /// Parses the form's code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim().split_once(':') {
            Some(("topic", code)) if is_code(code) => Ok(Self::Topic(code.to_owned())),
            Some(("service", code)) if is_code(code) => Ok(Self::Service(code.to_owned())),
            _ => Err(Invalid("choose")),
        }
    }
}

/// What the clinician did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignpostAction {
    /// Told the person about it, for them to use if they wish.
    Signposted,
    /// Referred the person to it.
    Referred,
}

impl SignpostAction {
    /// Every action.
    pub const ALL: [SignpostAction; 2] = [Self::Signposted, Self::Referred];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signposted => "signposted",
            Self::Referred => "referred",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == input.trim())
            .ok_or(Invalid("choose"))
    }
}

/// A clinician signposted or referred a person: it goes in their passport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signposting {
    /// Identifier.
    pub id: SignpostingId,
    /// Who was signposted.
    pub patient_id: PatientId,
    /// To what.
    pub resource: Resource,
    /// Signposted or referred.
    pub action: SignpostAction,
    /// Why, or what was agreed.
    pub note: Option<String>,
    /// The clinician.
    pub by: StaffUserId,
    /// When.
    pub at: Timestamp,
}

/// A signposting as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignpostAnswers {
    /// `topic:<code>` or `service:<code>`.
    pub resource: String,
    /// `signposted` or `referred`.
    pub action: String,
    /// Why, or what was agreed.
    pub note: String,
}

/// A signposting, checked: the page or service exists, and only a service can be referred to
/// (a page is something to read).
pub fn new_signposting(
    patient_id: PatientId,
    answers: &SignpostAnswers,
    directory: &Directory,
    education: &Education,
    by: StaffUserId,
    id: SignpostingId,
    now: Timestamp,
) -> Result<Signposting, DomainError> {
    let mut errors = ValidationErrors::new();
    let resource = Resource::parse(&answers.resource).ok().filter(|r| match r {
        Resource::Topic(code) => education.topic(code).is_some(),
        Resource::Service(code) => directory.service(code).is_some(),
    });
    if resource.is_none() {
        errors.add("resource", Invalid("choose"));
    }
    let action = errors.check("action", SignpostAction::parse(&answers.action));
    if let (Some(Resource::Topic(_)), Some(SignpostAction::Referred)) = (&resource, action) {
        errors.add("action", Invalid("not-a-service"));
    }
    let note = errors.check("note", optional_text(&answers.note, NOTE_MAX));
    errors.into_result(|| {
        Some(Signposting {
            id,
            patient_id,
            resource: resource?,
            action: action?,
            note: note?,
            by,
            at: now,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> (Directory, Education) {
        let directory =
            Directory::parse(include_str!("../../../content/directory/community.toml")).unwrap();
        let library = crate::exercise::Library::parse(include_str!(
            "../../../content/exercises/library.toml"
        ))
        .unwrap();
        let education = Education::parse(
            include_str!("../../../content/education/topics.toml"),
            |code| library.exercise(code).is_some(),
        )
        .unwrap();
        (directory, education)
    }

    #[test]
    fn the_shipped_directory_covers_every_category_with_evenings_and_weekends() {
        let (directory, _) = shipped();
        for category in Category::ALL {
            assert!(
                directory.services.iter().any(|s| s.category == category),
                "{category:?}"
            );
        }
        assert!(directory.services.iter().any(CommunityService::evenings));
        assert!(directory.services.iter().any(CommunityService::weekends));
        for service in &directory.services {
            assert!(
                service.pl.is_some() && service.ur.is_some(),
                "{}",
                service.id
            );
        }
    }

    #[test]
    fn search_filters_and_names_unknown_filters() {
        let (directory, _) = shipped();
        let all = directory.search(&DirectoryQuery::default()).unwrap();
        assert_eq!(all.len(), directory.services.len());
        let evenings = directory
            .search(&DirectoryQuery {
                evenings: Some("yes".into()),
                ..DirectoryQuery::default()
            })
            .unwrap();
        assert!(!evenings.is_empty() && evenings.len() < all.len());
        assert!(evenings.iter().all(|s| s.evenings()));
        let luton = directory
            .search(&DirectoryQuery {
                area: "luton".into(),
                ..DirectoryQuery::default()
            })
            .unwrap();
        assert!(luton.iter().all(|s| s.serves("luton")));
        assert!(
            luton.iter().any(|s| s.areas == [ANYWHERE]),
            "region-wide services serve Luton"
        );
        let Err(DomainError::Invalid(errors)) = directory.search(&DirectoryQuery {
            category: "yoga".into(),
            area: "paris".into(),
            ..DirectoryQuery::default()
        }) else {
            panic!("unknown filters are refused");
        };
        assert_eq!(errors.errors().len(), 2);
    }

    #[test]
    fn directory_problems_are_named() {
        let base = r#"
[[area]]
id = "bedford"
name = "Bedford"
[[service]]
id = "walk"
category = "exercise_groups"
name = "Walk"
organisation = "Council"
areas = ["bedford"]
phone = "01632 960000"
self_referral = true
free = true
[[service.opening]]
day = "saturday"
from = "09:00"
to = "10:00"
[service.en]
description = "A walk."
eligibility = "Anyone."
how_to_access = "Turn up."
"#;
        assert!(Directory::parse(base).unwrap().services[0].weekends());
        let cases = [
            (
                base.replace("areas = [\"bedford\"]", "areas = [\"york\"]"),
                "unknown area \"york\"",
            ),
            (base.replace("to = \"10:00\"", "to = \"08:00\""), "closes"),
            (base.replace("\"saturday\"", "\"caturday\""), "is not a day"),
            (base.replace("phone = \"01632 960000\"", ""), "no phone"),
            (
                base.replace("phone = \"01632 960000\"", "website = \"http://x\""),
                "https",
            ),
            (base.replace("A walk.", " "), "no description"),
        ];
        for (source, problem) in cases {
            let error = Directory::parse(&source).unwrap_err();
            assert!(error.contains(problem), "{error} should say {problem}");
        }
    }

    #[test]
    fn signposting_is_checked() {
        let (directory, education) = shipped();
        let service = &directory.services[0].id;
        let topic = &education.topics[0].id;
        let make = |resource: &str, action: &str, note: &str| {
            new_signposting(
                PatientId::new(),
                &SignpostAnswers {
                    resource: resource.into(),
                    action: action.into(),
                    note: note.into(),
                },
                &directory,
                &education,
                StaffUserId::new(),
                SignpostingId::new(),
                Timestamp::UNIX_EPOCH,
            )
        };
        let referred = make(&format!("service:{service}"), "referred", " Tuesdays suit ").unwrap();
        assert_eq!(referred.note.as_deref(), Some("Tuesdays suit"));
        assert!(make(&format!("topic:{topic}"), "signposted", "").is_ok());
        let fields = |result: Result<Signposting, DomainError>| match result {
            Err(DomainError::Invalid(errors)) => errors
                .errors()
                .iter()
                .map(|e| format!("{}:{}", e.field, e.problem))
                .collect::<Vec<_>>(),
            other => panic!("expected errors, got {other:?}"),
        };
        assert_eq!(
            fields(make(&format!("topic:{topic}"), "referred", "")),
            ["action:not-a-service"]
        );
        assert_eq!(
            fields(make("service:nowhere", "sent", &"x".repeat(NOTE_MAX + 1))),
            ["resource:choose", "action:choose", "note:too-long"]
        );
    }
}
