//! Communication needs under the Accessible Information Standard (identify, record, flag, share,
//! meet, review) and how each person wants to be contacted: channels in an order of fallback,
//! quiet hours, a carer or proxy, and digital exclusion. The rules that meet the needs live here
//! too: which channel, language variant, print size and interpreter a need calls for.

use jiff::civil::{Date, Time};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::contact::ContactChannel;
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::intake::{Carer, CarerAnswers, parse_carer};
use crate::message::MessageTemplate;
use crate::patient::{Language, Patient};
use crate::{local, london};

/// The four coded categories of the Accessible Information Standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedCategory {
    /// How the person must be contacted.
    ContactMethod,
    /// The format information must be in.
    InformationFormat,
    /// A communication professional (an interpreter, lipspeaker, guide).
    CommunicationProfessional,
    /// Support the person uses or needs to communicate.
    CommunicationSupport,
}

impl NeedCategory {
    /// Every category, in the standard's order.
    pub const ALL: [NeedCategory; 4] = [
        Self::ContactMethod,
        Self::InformationFormat,
        Self::CommunicationProfessional,
        Self::CommunicationSupport,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContactMethod => "contact_method",
            Self::InformationFormat => "information_format",
            Self::CommunicationProfessional => "communication_professional",
            Self::CommunicationSupport => "communication_support",
        }
    }

    /// The needs in this category.
    pub fn needs(self) -> impl Iterator<Item = Need> {
        Need::ALL.into_iter().filter(move |n| n.category() == self)
    }
}

/// One coded communication need (a SNOMED CT concept from the national reasonable-adjustment
/// value set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Need {
    /// Requires contact by email.
    ContactByEmail,
    /// Requires contact by letter.
    ContactByLetter,
    /// Requires contact by text message.
    ContactBySms,
    /// Requires contact by telephone.
    ContactByTelephone,
    /// Requires contact by text relay.
    ContactByTextRelay,
    /// Requires contact via a carer.
    ContactViaCarer,
    /// Requires information in easy read.
    EasyRead,
    /// Requires information in contracted (grade 2) braille.
    BrailleGrade2,
    /// Requires information in uncontracted (grade 1) braille.
    BrailleGrade1,
    /// Requires information by email.
    InformationByEmail,
    /// Requires information in electronic audio format.
    Audio,
    /// Requires written information in at least 20 point sans serif.
    LargePrint20,
    /// Requires written information in at least 24 point sans serif.
    LargePrint24,
    /// Requires written information in at least 28 point sans serif.
    LargePrint28,
    /// Requires information verbally.
    Verbal,
    /// British Sign Language interpreter needed.
    BslInterpreter,
    /// Makaton sign language interpreter needed.
    MakatonInterpreter,
    /// Requires a lipspeaker.
    Lipspeaker,
    /// Requires a speech-to-text reporter.
    SpeechToText,
    /// Requires a deafblind manual alphabet interpreter.
    DeafblindInterpreter,
    /// Requires a sighted guide.
    SightedGuide,
    /// Uses a hearing aid.
    HearingAid,
    /// Uses a hearing loop.
    HearingLoop,
    /// Lip reads.
    LipReads,
    /// Requires support for receptive communication.
    ReceptiveSupport,
    /// Requires support for expressive communication.
    ExpressiveSupport,
    /// Needs an advocate.
    Advocate,
    /// Requires an audible alert.
    AudibleAlert,
    /// Requires a visual alert.
    VisualAlert,
    /// Requires a tactile alert.
    TactileAlert,
}

/// (need, stable key, SNOMED CT concept id, SNOMED CT display, category), in `Need` order.
const CODES: [(Need, &str, &str, &str, NeedCategory); 30] = {
    use Need::*;
    use NeedCategory::*;
    [
        (
            ContactByEmail,
            "contact_email",
            "936741000000100",
            "Requires contact by email",
            ContactMethod,
        ),
        (
            ContactByLetter,
            "contact_letter",
            "936721000000107",
            "Requires contact by letter",
            ContactMethod,
        ),
        (
            ContactBySms,
            "contact_sms",
            "936701000000103",
            "Requires contact by short message service text message",
            ContactMethod,
        ),
        (
            ContactByTelephone,
            "contact_telephone",
            "795661000000104",
            "Requires contact by telephone",
            ContactMethod,
        ),
        (
            ContactByTextRelay,
            "contact_text_relay",
            "796081000000106",
            "Requires contact by text relay",
            ContactMethod,
        ),
        (
            ContactViaCarer,
            "contact_via_carer",
            "719561001",
            "Requires contact via carer",
            ContactMethod,
        ),
        (
            EasyRead,
            "easy_read",
            "796161000000101",
            "Requires information in Easyread",
            InformationFormat,
        ),
        (
            BrailleGrade2,
            "braille_grade_2",
            "936661000000109",
            "Requires information in contracted (Grade 2) Braille",
            InformationFormat,
        ),
        (
            BrailleGrade1,
            "braille_grade_1",
            "936681000000100",
            "Requires information in uncontracted (Grade 1) Braille",
            InformationFormat,
        ),
        (
            InformationByEmail,
            "information_email",
            "936581000000101",
            "Requires information by email",
            InformationFormat,
        ),
        (
            Audio,
            "audio",
            "936601000000105",
            "Requires information in electronic audio format",
            InformationFormat,
        ),
        (
            LargePrint20,
            "large_print_20",
            "957331000000109",
            "Requires written information in at least 20 point sans serif font",
            InformationFormat,
        ),
        (
            LargePrint24,
            "large_print_24",
            "957351000000102",
            "Requires written information in at least 24 point sans serif font",
            InformationFormat,
        ),
        (
            LargePrint28,
            "large_print_28",
            "957371000000106",
            "Requires written information in at least 28 point sans serif font",
            InformationFormat,
        ),
        (
            Verbal,
            "verbal",
            "367741000000102",
            "Requires information verbally",
            InformationFormat,
        ),
        (
            BslInterpreter,
            "bsl_interpreter",
            "204331000000107",
            "British Sign Language interpreter needed",
            CommunicationProfessional,
        ),
        (
            MakatonInterpreter,
            "makaton_interpreter",
            "204341000000103",
            "Makaton Sign Language interpreter needed",
            CommunicationProfessional,
        ),
        (
            Lipspeaker,
            "lipspeaker",
            "945911000000109",
            "Requires lipspeaker",
            CommunicationProfessional,
        ),
        (
            SpeechToText,
            "speech_to_text",
            "966401000000100",
            "Requires speech to text reporter",
            CommunicationProfessional,
        ),
        (
            DeafblindInterpreter,
            "deafblind_interpreter",
            "957051000000100",
            "Requires deafblind manual alphabet interpreter",
            CommunicationProfessional,
        ),
        (
            SightedGuide,
            "sighted_guide",
            "719563003",
            "Requires sighted guide",
            CommunicationProfessional,
        ),
        (
            HearingAid,
            "hearing_aid",
            "285055002",
            "Does use hearing aid",
            CommunicationSupport,
        ),
        (
            HearingLoop,
            "hearing_loop",
            "198061000000105",
            "Uses hearing loop",
            CommunicationSupport,
        ),
        (
            LipReads,
            "lip_reads",
            "441092009",
            "Does lip read",
            CommunicationSupport,
        ),
        (
            ReceptiveSupport,
            "receptive_support",
            "1082681000000103",
            "Requires support for receptive communication needs",
            CommunicationSupport,
        ),
        (
            ExpressiveSupport,
            "expressive_support",
            "1082691000000101",
            "Requires support for expressive communication needs",
            CommunicationSupport,
        ),
        (
            Advocate,
            "advocate",
            "225835008",
            "Needs an advocate",
            CommunicationSupport,
        ),
        (
            AudibleAlert,
            "audible_alert",
            "945931000000101",
            "Requires audible alert",
            CommunicationSupport,
        ),
        (
            VisualAlert,
            "visual_alert",
            "945951000000108",
            "Requires visual alert",
            CommunicationSupport,
        ),
        (
            TactileAlert,
            "tactile_alert",
            "945971000000104",
            "Requires tactile alert",
            CommunicationSupport,
        ),
    ]
};

impl Need {
    /// Every need, grouped by category.
    pub const ALL: [Need; 30] = {
        let mut all = [Need::ContactByEmail; 30];
        let mut i = 0;
        while i < 30 {
            all[i] = CODES[i].0;
            i += 1;
        }
        all
    };

    fn row(self) -> &'static (Need, &'static str, &'static str, &'static str, NeedCategory) {
        &CODES[self as usize]
    }

    /// Stable key used in forms, storage and JSON.
    pub fn key(self) -> &'static str {
        self.row().1
    }

    /// The SNOMED CT concept id.
    pub fn snomed(self) -> &'static str {
        self.row().2
    }

    /// The SNOMED CT display term (English; staff views and FHIR).
    pub fn display(self) -> &'static str {
        self.row().3
    }

    /// The standard's category.
    pub fn category(self) -> NeedCategory {
        self.row().4
    }

    /// Parses a stable key.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        CODES
            .iter()
            .find(|row| row.1 == input)
            .map(|row| row.0)
            .ok_or(Invalid("choose"))
    }
}

impl TryFrom<String> for Need {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Need> for String {
    fn from(value: Need) -> Self {
        value.key().to_owned()
    }
}

/// Who interprets at an appointment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "language", rename_all = "snake_case")]
pub enum Interpreter {
    /// A communication professional for a disability or sensory loss (BSL, Makaton,
    /// lipspeaker, speech-to-text reporter, deafblind manual).
    Professional(Need),
    /// A spoken-language interpreter.
    Spoken(Language),
}

impl Interpreter {
    /// A short stable code: the need's key, or `spoken:<language>`.
    pub fn code(self) -> String {
        match self {
            Self::Professional(need) => need.key().to_owned(),
            Self::Spoken(language) => format!("spoken:{}", language.code()),
        }
    }

    /// Parses [`Interpreter::code`].
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.strip_prefix("spoken:") {
            Some(language) => Language::parse(language).map(Self::Spoken),
            None => Need::parse(input)
                .ok()
                .filter(|n| INTERPRETERS.contains(n))
                .map(Self::Professional)
                .ok_or(Invalid("choose")),
        }
    }
}

/// Professionals who interpret (a sighted guide does not need a longer appointment).
const INTERPRETERS: [Need; 5] = [
    Need::BslInterpreter,
    Need::MakatonInterpreter,
    Need::Lipspeaker,
    Need::SpeechToText,
    Need::DeafblindInterpreter,
];

/// The longest free-text note about communication needs.
const MAX_DETAILS: usize = 1000;

/// A person's recorded communication needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunicationNeeds {
    /// Coded needs, sorted and without repeats.
    pub needs: Vec<Need>,
    /// A spoken-language interpreter, when the person needs one.
    pub interpreter_language: Option<Language>,
    /// Anything else, in the person's or staff's words.
    pub details: Option<String>,
}

/// The print a letter needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterFormat {
    /// Standard print (12 point).
    Standard,
    /// Large print at the recorded point size.
    LargePrint(u8),
    /// Braille: printed for the print room to emboss, marked so.
    Braille,
    /// Audio: printed for the print room to record, marked so.
    Audio,
}

impl LetterFormat {
    /// Body text size in points.
    pub fn point_size(self) -> u8 {
        match self {
            Self::LargePrint(points) => points,
            Self::Standard | Self::Braille | Self::Audio => 12,
        }
    }

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::LargePrint(_) => "large_print",
            Self::Braille => "braille",
            Self::Audio => "audio",
        }
    }
}

impl CommunicationNeeds {
    /// Parses coded needs (keys), a spoken-language interpreter and free text.
    pub fn parse(keys: &[String], interpreter: &str, details: &str) -> Result<Self, DomainError> {
        let mut errors = ValidationErrors::new();
        let mut needs = Vec::new();
        for key in keys.iter().filter(|k| !k.trim().is_empty()) {
            if let Some(need) = errors.check("needs", Need::parse(key)) {
                needs.push(need);
            }
        }
        needs.sort();
        needs.dedup();
        let interpreter_language = errors.check(
            "interpreter_language",
            match interpreter.trim() {
                "" => Ok(None),
                code => Language::parse(code).map(Some),
            },
        );
        let details = details.trim();
        if details.chars().count() > MAX_DETAILS {
            errors.add("communication_details", Invalid("too-long"));
        } else if details
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            errors.add("communication_details", Invalid("characters"));
        }
        errors.into_result(|| {
            Some(Self {
                needs,
                interpreter_language: interpreter_language?,
                details: (!details.is_empty()).then(|| details.to_owned()),
            })
        })
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.needs.is_empty() && self.interpreter_language.is_none() && self.details.is_none()
    }

    /// True when `need` is recorded.
    pub fn has(&self, need: Need) -> bool {
        self.needs.contains(&need)
    }

    /// The interpreter appointments need: a communication professional first, otherwise a
    /// spoken-language interpreter.
    pub fn interpreter(&self) -> Option<Interpreter> {
        INTERPRETERS
            .into_iter()
            .find(|n| self.has(*n))
            .map(Interpreter::Professional)
            .or(self.interpreter_language.map(Interpreter::Spoken))
    }

    /// Appointments need double time when someone interprets.
    pub fn needs_longer_appointment(&self) -> bool {
        self.interpreter().is_some()
    }

    /// The print letters need.
    pub fn letter_format(&self) -> LetterFormat {
        if self.has(Need::BrailleGrade1) || self.has(Need::BrailleGrade2) {
            LetterFormat::Braille
        } else if self.has(Need::LargePrint28) {
            LetterFormat::LargePrint(28)
        } else if self.has(Need::LargePrint24) {
            LetterFormat::LargePrint(24)
        } else if self.has(Need::LargePrint20) {
            LetterFormat::LargePrint(20)
        } else if self.has(Need::Audio) {
            LetterFormat::Audio
        } else {
            LetterFormat::Standard
        }
    }

    /// True when messages should use easy-read wording.
    pub fn easy_read(&self) -> bool {
        self.has(Need::EasyRead)
    }

    /// The channel a contact-method (or information-by-email) need requires.
    pub fn required_channel(&self) -> Option<ContactChannel> {
        self.needs.iter().find_map(|need| match need {
            Need::ContactByEmail | Need::InformationByEmail => Some(ContactChannel::Email),
            Need::ContactByLetter
            | Need::BrailleGrade1
            | Need::BrailleGrade2
            | Need::Audio
            | Need::LargePrint20
            | Need::LargePrint24
            | Need::LargePrint28 => Some(ContactChannel::Letter),
            Need::ContactBySms => Some(ContactChannel::Sms),
            // Text relay and verbal information are calls staff make.
            Need::ContactByTelephone | Need::ContactByTextRelay | Need::Verbal => {
                Some(ContactChannel::Telephone)
            }
            _ => None,
        })
    }

    /// True when messages go to the carer rather than the person.
    pub fn via_carer(&self) -> bool {
        self.has(Need::ContactViaCarer)
    }
}

/// Hours in which no text message is sent and no one is phoned (London time). The span may
/// cross midnight (for example 21:00 to 08:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuietHours {
    /// From, `HH:MM:SS`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Time,
    /// Until, `HH:MM:SS`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Time,
}

impl QuietHours {
    /// True when `time` falls inside the quiet hours.
    pub fn contains(self, time: Time) -> bool {
        if self.from <= self.until {
            time >= self.from && time < self.until
        } else {
            time >= self.from || time < self.until
        }
    }

    /// When the quiet hours that contain `now` end, or `None` when `now` is outside them.
    pub fn ends_after(self, now: Timestamp) -> Option<Timestamp> {
        let here = local(now);
        if !self.contains(here.time()) {
            return None;
        }
        let mut day = here.date();
        if here.time() >= self.until {
            day = day.checked_add(1.day()).ok()?;
        }
        day.to_datetime(self.until)
            .to_zoned(london())
            .ok()
            .map(|z| z.timestamp())
    }
}

/// How a person wants to be contacted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactPreferences {
    /// Channels to try, first choice first. Empty means the preferred channel on the person's
    /// details, then whatever reaches them.
    pub order: Vec<ContactChannel>,
    /// When not to text or phone.
    pub quiet_hours: Option<QuietHours>,
    /// A carer or proxy who may be contacted.
    pub carer: Option<Carer>,
    /// The carer gets a copy of every message.
    pub copy_carer: bool,
    /// No internet: letters and calls only, and staff phone them.
    pub digitally_excluded: bool,
    /// The portal first: the details stay in the portal, and texts and emails say only that
    /// there is something new there (urgent advice and sign-in codes still go in full).
    #[serde(default)]
    pub portal_first: bool,
}

/// The code for "the portal" as a first choice in a channel order, on forms and in JSON.
pub const PORTAL: &str = "portal";

/// Everything recorded about how to communicate with one person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunicationProfile {
    /// Needs.
    pub needs: CommunicationNeeds,
    /// Preferences.
    pub preferences: ContactPreferences,
    /// When the needs were last recorded or confirmed.
    pub reviewed_at: Option<Timestamp>,
}

/// How often recorded needs are checked with the person (the standard's sixth step).
pub const REVIEW_EVERY_DAYS: i64 = 365;

impl CommunicationProfile {
    /// The date a review is due, a year after the last one.
    pub fn review_due(&self) -> Option<Date> {
        self.reviewed_at
            .and_then(|at| local(at).date().checked_add(REVIEW_EVERY_DAYS.days()).ok())
    }

    /// The channels to try for `patient`, in order, skipping those that failed already. A
    /// contact-method need comes first, then the person's order; digital exclusion keeps
    /// letters and calls only; a call (a task for staff) is always the last resort.
    pub fn channel_order(
        &self,
        patient: &Patient,
        failed: &[ContactChannel],
    ) -> Vec<ContactChannel> {
        let chosen = if self.preferences.order.is_empty() {
            vec![patient.preferred_contact]
        } else {
            self.preferences.order.clone()
        };
        let mut order: Vec<ContactChannel> = self.needs.required_channel().into_iter().collect();
        order.extend(chosen);
        order.extend([
            ContactChannel::Sms,
            ContactChannel::Email,
            ContactChannel::Letter,
        ]);
        let mut seen = Vec::new();
        for channel in order {
            let allowed = !self.preferences.digitally_excluded
                || matches!(channel, ContactChannel::Letter | ContactChannel::Telephone);
            if allowed
                && channel != ContactChannel::Telephone
                && !seen.contains(&channel)
                && !failed.contains(&channel)
                && patient.reachable_by(channel)
            {
                seen.push(channel);
            }
        }
        seen.push(ContactChannel::Telephone);
        seen
    }

    /// When to hold a message until, because of quiet hours. Urgent messages and those the
    /// person is waiting for (a sign-in code) are never held; letters and emails never disturb.
    pub fn hold_until(
        &self,
        template: MessageTemplate,
        channel: ContactChannel,
        now: Timestamp,
    ) -> Option<Timestamp> {
        let waited_for = template == MessageTemplate::SignInCode;
        let disturbs = matches!(channel, ContactChannel::Sms | ContactChannel::Telephone);
        if template.is_urgent() || waited_for || !disturbs {
            return None;
        }
        self.preferences.quiet_hours?.ends_after(now)
    }

    /// The language variant for messages: easy read when needed and the person reads English.
    pub fn easy_read(&self, patient: &Patient) -> bool {
        self.needs.easy_read() && patient.preferred_language == Language::ENGLISH
    }
}

/// Communication preferences as entered on a form or in JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CommunicationAnswers {
    /// Coded needs (keys).
    pub needs: Vec<String>,
    /// A spoken language to interpret (ISO 639-1), or blank.
    pub interpreter_language: String,
    /// Anything else.
    pub communication_details: String,
    /// Channels in order (stable codes), first choice first; `portal` may come first.
    pub channels: Vec<String>,
    /// Quiet hours from (HH:MM), or blank.
    pub quiet_from: String,
    /// Quiet hours until (HH:MM), or blank.
    pub quiet_until: String,
    /// `yes` when the person has no internet access.
    pub digitally_excluded: String,
    /// A carer or proxy, if any (the consent field records the person's agreement).
    pub carer: Option<CarerAnswers>,
    /// `yes` to copy every message to the carer.
    pub copy_carer: String,
}

fn parse_time(input: &str) -> Result<Option<Time>, Invalid> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let (hour, minute) = input.split_once(':').ok_or(Invalid("time"))?;
    let hour: i8 = hour.trim().parse().map_err(|_| Invalid("time"))?;
    let minute: i8 = minute.trim().parse().map_err(|_| Invalid("time"))?;
    Time::new(hour, minute, 0, 0)
        .map(Some)
        .map_err(|_| Invalid("time"))
}

/// Checks a communication profile as entered. Nothing is partly applied: any problem refuses
/// the whole.
pub fn parse_communication(
    answers: &CommunicationAnswers,
    now: Timestamp,
) -> Result<CommunicationProfile, DomainError> {
    let mut errors = ValidationErrors::new();
    let needs = match CommunicationNeeds::parse(
        &answers.needs,
        &answers.interpreter_language,
        &answers.communication_details,
    ) {
        Ok(needs) => Some(needs),
        Err(DomainError::Invalid(problems)) => {
            errors.extend(problems);
            None
        }
        Err(other) => return Err(other),
    };
    let mut order = Vec::new();
    let mut portal_first = false;
    for (i, code) in answers
        .channels
        .iter()
        .filter(|c| !c.trim().is_empty())
        .enumerate()
    {
        if code.trim() == PORTAL {
            // The portal is where the details wait; it makes sense only as the first choice,
            // with the channels after it saying there is something new.
            match i {
                0 => portal_first = true,
                _ => errors.add("channels", Invalid("portal-first")),
            }
            continue;
        }
        match ContactChannel::parse(code.trim()) {
            Ok(channel) if order.contains(&channel) => errors.add("channels", Invalid("repeated")),
            Ok(channel) => order.push(channel),
            Err(problem) => errors.add("channels", problem),
        }
    }
    let from = errors.check("quiet_from", parse_time(&answers.quiet_from));
    let until = errors.check("quiet_until", parse_time(&answers.quiet_until));
    let quiet_hours = match (from, until) {
        (Some(Some(from)), Some(Some(until))) if from == until => {
            errors.add("quiet_until", Invalid("same-time"));
            None
        }
        (Some(Some(from)), Some(Some(until))) => Some(QuietHours { from, until }),
        (Some(Some(_)), Some(None)) => {
            errors.add("quiet_until", Invalid("missing"));
            None
        }
        (Some(None), Some(Some(_))) => {
            errors.add("quiet_from", Invalid("missing"));
            None
        }
        _ => None,
    };
    let carer = match answers.carer.as_ref() {
        Some(carer) if !carer.carer_name.trim().is_empty() => match parse_carer(carer) {
            Ok(carer) => Some(Some(carer)),
            Err(DomainError::Invalid(problems)) => {
                errors.extend(problems);
                None
            }
            Err(other) => return Err(other),
        },
        _ => Some(None),
    };
    let copy_carer = answers.copy_carer.trim() == "yes";
    let via_carer = needs.as_ref().is_some_and(CommunicationNeeds::via_carer);
    if (copy_carer || via_carer) && matches!(carer, Some(None)) {
        errors.add("carer_name", Invalid("missing"));
    }
    let digitally_excluded = answers.digitally_excluded.trim() == "yes";
    if digitally_excluded && portal_first {
        errors.add("channels", Invalid("portal-offline"));
    }
    errors.into_result(|| {
        Some(CommunicationProfile {
            needs: needs?,
            preferences: ContactPreferences {
                order,
                quiet_hours,
                carer: carer?,
                copy_carer,
                digitally_excluded,
                portal_first,
            },
            reviewed_at: Some(now),
        })
    })
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;
    use crate::contact::{Address, EmailAddress, PhoneNumber, Postcode};
    use crate::ids::PatientId;
    use crate::patient::{NamePart, PersonName, Sex};

    fn patient() -> Patient {
        Patient {
            id: PatientId::new(),
            nhs_number: None,
            name: PersonName {
                given: NamePart::parse("Amina").unwrap(),
                family: NamePart::parse("Hussain").unwrap(),
            },
            date_of_birth: date(1950, 3, 1),
            sex: Sex::Female,
            ethnicity: None,
            postcode: Postcode::parse("LU1 3JU").unwrap(),
            address: Some(Address {
                line1: "1 High Street".into(),
                line2: None,
                town: "Luton".into(),
            }),
            phone: Some(PhoneNumber::parse("07700 900123").unwrap()),
            email: Some(EmailAddress::parse("amina@example.org").unwrap()),
            preferred_language: Language::parse("ur").unwrap(),
            preferred_contact: ContactChannel::Sms,
        }
    }

    fn at(day: Date, hour: i8, minute: i8) -> Timestamp {
        day.at(hour, minute, 0, 0)
            .to_zoned(london())
            .unwrap()
            .timestamp()
    }

    fn keys(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn codes_are_in_order_unique_and_round_trip() {
        for (i, need) in Need::ALL.into_iter().enumerate() {
            assert_eq!(need as usize, i);
            assert_eq!(Need::parse(need.key()), Ok(need));
            assert!(need.snomed().chars().all(|c| c.is_ascii_digit()));
        }
        let mut snomed: Vec<_> = Need::ALL.iter().map(|n| n.snomed()).collect();
        snomed.sort_unstable();
        snomed.dedup();
        assert_eq!(snomed.len(), Need::ALL.len());
        for category in NeedCategory::ALL {
            assert!(category.needs().count() >= 6);
        }
        assert_eq!(Need::parse("telepathy"), Err(Invalid("choose")));
    }

    #[test]
    fn needs_decide_interpreter_print_and_channel() {
        let needs =
            CommunicationNeeds::parse(&keys(&["large_print_24", "bsl_interpreter"]), "", "")
                .unwrap();
        assert_eq!(
            needs.interpreter(),
            Some(Interpreter::Professional(Need::BslInterpreter))
        );
        assert!(needs.needs_longer_appointment());
        assert_eq!(needs.letter_format(), LetterFormat::LargePrint(24));
        assert_eq!(needs.required_channel(), Some(ContactChannel::Letter));
        let spoken = CommunicationNeeds::parse(&[], "ur", "").unwrap();
        assert_eq!(
            spoken.interpreter(),
            Some(Interpreter::Spoken(Language::parse("ur").unwrap()))
        );
        for interpreter in [spoken.interpreter(), needs.interpreter()] {
            let code = interpreter.unwrap().code();
            assert_eq!(Interpreter::parse(&code).ok(), interpreter);
        }
        assert_eq!(Interpreter::parse("sighted_guide"), Err(Invalid("choose")));
        assert!(CommunicationNeeds::default().interpreter().is_none());
    }

    #[test]
    fn bad_needs_name_the_field() {
        let err =
            CommunicationNeeds::parse(&keys(&["wings"]), "xx", &"a".repeat(1001)).unwrap_err();
        let DomainError::Invalid(problems) = err else {
            panic!("expected validation errors")
        };
        let fields: Vec<_> = problems
            .errors()
            .iter()
            .map(|p| p.field.to_string())
            .collect();
        assert_eq!(
            fields,
            ["needs", "interpreter_language", "communication_details"]
        );
    }

    #[test]
    fn channel_order_follows_needs_preferences_and_exclusion() {
        let person = patient();
        let mut profile = CommunicationProfile::default();
        assert_eq!(
            profile.channel_order(&person, &[]),
            [
                ContactChannel::Sms,
                ContactChannel::Email,
                ContactChannel::Letter,
                ContactChannel::Telephone
            ]
        );
        profile.preferences.order = vec![ContactChannel::Email, ContactChannel::Letter];
        assert_eq!(
            profile.channel_order(&person, &[ContactChannel::Email])[0],
            ContactChannel::Letter
        );
        profile.needs.needs = vec![Need::LargePrint20];
        assert_eq!(
            profile.channel_order(&person, &[])[0],
            ContactChannel::Letter
        );
        profile.needs.needs.clear();
        profile.preferences.digitally_excluded = true;
        assert_eq!(
            profile.channel_order(&person, &[]),
            [ContactChannel::Letter, ContactChannel::Telephone]
        );
        let mut homeless = person.clone();
        homeless.address = None;
        assert_eq!(
            profile.channel_order(&homeless, &[]),
            [ContactChannel::Telephone]
        );
    }

    #[test]
    fn quiet_hours_hold_texts_until_morning_but_not_urgent_ones() {
        let mut profile = CommunicationProfile::default();
        profile.preferences.quiet_hours = Some(QuietHours {
            from: time(21, 0, 0, 0),
            until: time(8, 0, 0, 0),
        });
        let late = at(date(2026, 11, 23), 22, 30);
        let morning = at(date(2026, 11, 24), 8, 0);
        let early = at(date(2026, 11, 24), 6, 0);
        let noon = at(date(2026, 11, 24), 12, 0);
        let booked = MessageTemplate::AppointmentBooked;
        assert_eq!(
            profile.hold_until(booked, ContactChannel::Sms, late),
            Some(morning)
        );
        assert_eq!(
            profile.hold_until(booked, ContactChannel::Sms, early),
            Some(morning)
        );
        assert_eq!(profile.hold_until(booked, ContactChannel::Sms, noon), None);
        assert_eq!(
            profile.hold_until(booked, ContactChannel::Email, late),
            None
        );
        assert_eq!(
            profile.hold_until(MessageTemplate::SignInCode, ContactChannel::Sms, late),
            None
        );
    }

    #[test]
    fn the_portal_comes_first_or_not_at_all_and_not_offline() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let answers = |channels: &[&str], offline: &str| CommunicationAnswers {
            channels: keys(channels),
            digitally_excluded: offline.into(),
            ..CommunicationAnswers::default()
        };
        let profile = parse_communication(&answers(&["portal", "email", "sms"], ""), now).unwrap();
        assert!(profile.preferences.portal_first);
        assert_eq!(
            profile.preferences.order,
            [ContactChannel::Email, ContactChannel::Sms]
        );
        assert!(
            !parse_communication(&answers(&["sms"], ""), now)
                .unwrap()
                .preferences
                .portal_first
        );
        for (channels, offline, problem) in [
            (&["sms", "portal"][..], "", "portal-first"),
            (&["portal", "letter"][..], "yes", "portal-offline"),
        ] {
            let Err(DomainError::Invalid(problems)) =
                parse_communication(&answers(channels, offline), now)
            else {
                panic!("{channels:?} accepted")
            };
            assert_eq!(problems.errors()[0].field, "channels");
            assert_eq!(problems.errors()[0].problem, problem);
        }
        // Profiles saved before the choice existed still read.
        let old: ContactPreferences =
            serde_json::from_str(r#"{"order":["sms"],"quiet_hours":null,"carer":null,"copy_carer":false,"digitally_excluded":false}"#)
                .unwrap();
        assert!(!old.portal_first);
    }

    #[test]
    fn answers_are_checked_whole() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let good = CommunicationAnswers {
            needs: keys(&["easy_read", "contact_via_carer"]),
            channels: keys(&["letter", "telephone"]),
            quiet_from: "21:00".into(),
            quiet_until: "08:30".into(),
            digitally_excluded: "yes".into(),
            carer: Some(CarerAnswers {
                carer_name: "Sam Khan".into(),
                carer_relationship: "family".into(),
                carer_phone: "07700 900456".into(),
                carer_email: String::new(),
                carer_consent: "yes".into(),
            }),
            ..CommunicationAnswers::default()
        };
        let profile = parse_communication(&good, now).unwrap();
        assert!(profile.needs.via_carer());
        assert!(profile.preferences.digitally_excluded);
        assert_eq!(profile.reviewed_at, Some(now));
        assert!(profile.review_due().is_some());
        let bad = CommunicationAnswers {
            needs: keys(&["contact_via_carer"]),
            channels: keys(&["sms", "sms", "pigeon"]),
            quiet_from: "25:00".into(),
            ..CommunicationAnswers::default()
        };
        let DomainError::Invalid(problems) = parse_communication(&bad, now).unwrap_err() else {
            panic!("expected validation errors")
        };
        let found: Vec<_> = problems
            .errors()
            .iter()
            .map(|p| (p.field.to_string(), p.problem))
            .collect();
        assert_eq!(
            found,
            [
                ("channels".to_owned(), "repeated"),
                ("channels".to_owned(), "choose"),
                ("quiet_from".to_owned(), "time"),
                ("carer_name".to_owned(), "missing"),
            ]
        );
    }
}
