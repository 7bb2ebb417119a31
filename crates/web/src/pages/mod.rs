//! The public site and the patient portal.

pub(crate) mod about;
pub(crate) mod api_docs;
pub(crate) mod appointment_link;
pub(crate) mod assets;
pub(crate) mod choose;
pub(crate) mod classes;
pub(crate) mod communication;
pub(crate) mod conversations;
pub(crate) mod exercises;
pub(crate) mod feedback;
pub(crate) mod health;
pub(crate) mod help;
pub(crate) mod home;
pub(crate) mod language;
pub(crate) mod long_form;
pub(crate) mod measures;
pub(crate) mod offer_preferences;
pub(crate) mod passport;
pub(crate) mod portal;
pub(crate) mod professional;
pub(crate) mod refer;
pub(crate) mod sign_in;
pub(crate) mod still_needed;
pub(crate) mod waiting_times;

use jointly_domain::ReferralId;
use jointly_domain::contact::ContactChannel;
use jointly_domain::intake::{CarerRelationship, OrganisationKind, ProfessionalRole};
use jointly_domain::patient::{EthnicCategory, Language, Sex};

use crate::error::WebError;
use crate::render::{PageContext, Text};

/// One checkbox of a group: its field name, label and whether it is ticked.
pub(crate) struct Tick {
    pub(crate) name: String,
    pub(crate) label: Text,
    pub(crate) checked: bool,
}

/// The code content files (exercise library, outcome measures) use for the page's language.
pub(crate) fn content_language(locale: jointly_i18n::Locale) -> &'static str {
    use jointly_i18n::Locale;
    match locale {
        Locale::Polish => "pl",
        Locale::Urdu => "ur",
        Locale::EasyRead => "easy",
        Locale::English => "en",
    }
}

/// One option of a radio group or select.
#[derive(Clone)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: Text,
}

impl Choice {
    pub(crate) fn new(value: impl Into<String>, label: Text) -> Self {
        Self {
            value: value.into(),
            label,
        }
    }
}

/// The options of the person, carer and professional fields, in the page's language.
pub(crate) struct PersonChoices {
    pub(crate) sexes: Vec<Choice>,
    pub(crate) ethnicities: Vec<Choice>,
    pub(crate) languages: Vec<Choice>,
    pub(crate) channels: Vec<Choice>,
    pub(crate) relationships: Vec<Choice>,
    pub(crate) consent: Vec<Choice>,
    pub(crate) roles: Vec<Choice>,
    pub(crate) kinds: Vec<Choice>,
    pub(crate) yes_no: Vec<Choice>,
    /// How the carer questions are worded.
    pub(crate) carer: CarerLabels,
}

/// The carer questions' labels: asked of the carer themselves on a referral, or about a carer
/// or proxy on a person's communication preferences.
pub(crate) struct CarerLabels {
    pub(crate) name: Text,
    pub(crate) relationship: Text,
    pub(crate) phone: Text,
    pub(crate) contact_hint: Text,
    pub(crate) email: Text,
    pub(crate) consent: Text,
    pub(crate) consent_hint: Text,
}

impl CarerLabels {
    /// Labels `prefix-name`, `prefix-relationship`, ... from the translations.
    fn new(page: &PageContext, prefix: &str) -> Self {
        let t = |part: &str| page.t(&format!("{prefix}-{part}"));
        Self {
            name: t("name"),
            relationship: t("relationship"),
            phone: t("phone"),
            contact_hint: t("contact-hint"),
            email: t("email"),
            consent: t("consent"),
            consent_hint: t("consent-hint"),
        }
    }
}

impl PersonChoices {
    /// The choices with the carer questions asked about a carer or proxy, not of them.
    pub(crate) fn about_a_carer(page: &PageContext) -> Self {
        Self {
            carer: CarerLabels::new(page, "contact-carer"),
            ..Self::new(page)
        }
    }

    pub(crate) fn new(page: &PageContext) -> Self {
        let mut ethnicities = vec![Choice::new("", page.t("ethnicity-choose"))];
        ethnicities.extend(
            EthnicCategory::CODES
                .iter()
                .map(|c| Choice::new(c.to_string(), label(page, "ethnicity", &c.to_string()))),
        );
        let coded = |prefix: &str, codes: &[&str]| -> Vec<Choice> {
            codes
                .iter()
                .map(|c| Choice::new(*c, label(page, prefix, c)))
                .collect()
        };
        Self {
            sexes: coded("sex", &Sex::ALL.map(Sex::as_str)),
            ethnicities,
            languages: coded("language", &Language::KNOWN),
            channels: coded("contact", &ContactChannel::ALL.map(ContactChannel::as_str)),
            relationships: coded(
                "relationship",
                &CarerRelationship::ALL.map(CarerRelationship::as_str),
            ),
            consent: vec![Choice::new("yes", page.t("carer-consent-yes"))],
            roles: coded(
                "professional-role",
                &ProfessionalRole::ALL.map(ProfessionalRole::as_str),
            ),
            kinds: coded(
                "organisation-kind",
                &OrganisationKind::ALL.map(OrganisationKind::as_str),
            ),
            yes_no: vec![
                Choice::new("yes", page.t("answer-yes")),
                Choice::new("no", page.t("answer-no")),
            ],
            carer: CarerLabels::new(page, "field-carer"),
        }
    }
}

/// A stable domain code shown in words: `prefix-code` from the translations.
pub(crate) fn label(page: &PageContext, prefix: &str, code: &str) -> Text {
    page.t(&format!("{prefix}-{code}"))
}

/// A referral id from a path; a malformed one is the same as one that does not exist.
pub(crate) fn referral_id(raw: &str) -> Result<ReferralId, WebError> {
    raw.parse()
        .map_err(|_| WebError::from(jointly_app::AppError::NotFound))
}

/// The tag colour for a referral status.
pub(crate) fn referral_status_colour(
    status: jointly_domain::referral::ReferralStatus,
) -> &'static str {
    use jointly_domain::referral::ReferralStatus as S;
    match status {
        S::AwaitingTriage => "blue",
        S::Waiting => "yellow",
        S::Booked => "green",
        S::AdviceGiven | S::Withdrawn => "grey",
        S::Discharged => "white",
    }
}
