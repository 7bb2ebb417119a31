//! Feedback that changes things: the Friends and Family Test (its question and six answers)
//! with a free-text follow-up, patient stories with consent to publish, concerns for customer
//! care with deadlines in working days, themes staff tag feedback with, the actions taken
//! ("you said, we did"), and the monthly FFT return.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

use crate::codes::codes;
use crate::error::{DomainError, Invalid, ValidationErrors};
use crate::ids::{
    ConcernId, FeedbackId, ImprovementId, PatientId, ReferralId, ServiceId, StaffUserId,
};
use crate::passport::{optional_text, required_text};
use crate::rota::BankHolidays;

/// Longest free-text answer, in characters.
pub const COMMENT_MAX: usize = 2_000;
/// Longest story or concern, in characters.
pub const STORY_MAX: usize = 5_000;
/// Working days to acknowledge a concern.
pub const ACKNOWLEDGE_DAYS: u32 = 3;
/// Working days to respond to a concern in full.
pub const RESPOND_DAYS: u32 = 25;

/// The answer to the Friends and Family Test question, "Overall, how was your experience of
/// our service?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FftAnswer {
    /// Very good.
    VeryGood,
    /// Good.
    Good,
    /// Neither good nor poor.
    Neither,
    /// Poor.
    Poor,
    /// Very poor.
    VeryPoor,
    /// Don't know.
    DontKnow,
}

codes!(FftAnswer {
    VeryGood => "very_good",
    Good => "good",
    Neither => "neither",
    Poor => "poor",
    VeryPoor => "very_poor",
    DontKnow => "dont_know",
});

impl FftAnswer {
    /// Very good or good.
    pub fn positive(self) -> bool {
        matches!(self, Self::VeryGood | Self::Good)
    }

    /// Poor or very poor.
    pub fn negative(self) -> bool {
        matches!(self, Self::Poor | Self::VeryPoor)
    }
}

/// Where in the journey the feedback was given.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// After triage decided what happens next.
    AfterTriage,
    /// After an appointment.
    AfterAppointment,
    /// At discharge.
    AtDischarge,
    /// Any time, unprompted.
    AnyTime,
}

codes!(Moment {
    AfterTriage => "after_triage",
    AfterAppointment => "after_appointment",
    AtDischarge => "at_discharge",
    AnyTime => "any_time",
});

/// How the feedback reached us (the FFT return counts each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// From the link in a text message or email.
    MessageLink,
    /// Online: the portal or the public site.
    Online,
    /// On paper, entered by staff.
    Paper,
    /// By telephone, entered by staff.
    Telephone,
}

codes!(Mode {
    MessageLink => "message_link",
    Online => "online",
    Paper => "paper",
    Telephone => "telephone",
});

/// What feedback is about, as staff tag it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theme {
    /// Waiting times.
    Waiting,
    /// Being kept informed, and how we communicate.
    Communication,
    /// Booking, changing and choice of appointments.
    Booking,
    /// How staff treated the person.
    Staff,
    /// Treatment and its results.
    Treatment,
    /// Getting there: places, parking, transport, step-free access.
    Access,
    /// Information, leaflets, exercises and advice.
    Information,
    /// The portal, messages and other online services.
    Digital,
    /// Anything else.
    Other,
}

codes!(Theme {
    Waiting => "waiting",
    Communication => "communication",
    Booking => "booking",
    Staff => "staff",
    Treatment => "treatment",
    Access => "access",
    Information => "information",
    Digital => "digital",
    Other => "other",
});

/// A story the person wrote, and whether we may publish it (without their name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Story {
    /// Their words.
    pub text: String,
    /// They agreed to it being published.
    pub publish: bool,
}

/// One piece of feedback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    /// Identifier.
    pub id: FeedbackId,
    /// The person, when known (feedback may be anonymous).
    pub patient_id: Option<PatientId>,
    /// The referral it is about, when known.
    pub referral_id: Option<ReferralId>,
    /// The service it is about, when known.
    pub service_id: Option<ServiceId>,
    /// Where in the journey.
    pub moment: Moment,
    /// The FFT answer.
    pub answer: FftAnswer,
    /// What was good, or could be better.
    pub comment: Option<String>,
    /// A story, with consent.
    pub story: Option<Story>,
    /// How it reached us.
    pub mode: Mode,
    /// When.
    pub at: Timestamp,
    /// Themes staff tagged it with.
    pub themes: Vec<Theme>,
}

/// Feedback as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackAnswers {
    /// The FFT answer's code.
    pub answer: String,
    /// What was good, or could be better.
    pub comment: String,
    /// A story (optional).
    pub story: String,
    /// `yes` or `no`: may we publish the story? Needed with a story.
    pub publish: String,
    /// Staff entering feedback: `paper` or `telephone`.
    pub mode: String,
}

/// Who the feedback is about and how it came, decided by the caller (the link, the portal, or
/// staff entering it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedbackContext {
    /// The person, when known.
    pub patient_id: Option<PatientId>,
    /// The referral, when known.
    pub referral_id: Option<ReferralId>,
    /// The service, when known.
    pub service_id: Option<ServiceId>,
    /// Where in the journey.
    pub moment: Moment,
    /// How it came, unless staff say (`answers.mode`).
    pub mode: Mode,
    /// Entered by staff, who must say whether it came on paper or by phone.
    pub entered_by_staff: bool,
}

/// Feedback, checked: an FFT answer is needed; the comment and story have limits; a story
/// needs a yes or no to publishing.
pub fn new_feedback(
    answers: &FeedbackAnswers,
    context: FeedbackContext,
    id: FeedbackId,
    now: Timestamp,
) -> Result<Feedback, DomainError> {
    let mut errors = ValidationErrors::new();
    let answer = errors.check("answer", FftAnswer::parse(&answers.answer));
    let comment = errors.check("comment", optional_text(&answers.comment, COMMENT_MAX));
    let story = errors.check("story", optional_text(&answers.story, STORY_MAX));
    let publish = match (answers.publish.trim(), &story) {
        ("yes", _) => Some(true),
        ("no", _) => Some(false),
        ("", Some(None)) => Some(false),
        _ => {
            errors.add("publish", Invalid("choose"));
            None
        }
    };
    let mode = if context.entered_by_staff {
        errors.check(
            "mode",
            Mode::parse(&answers.mode).and_then(|m| {
                matches!(m, Mode::Paper | Mode::Telephone)
                    .then_some(m)
                    .ok_or(Invalid("choose"))
            }),
        )
    } else {
        Some(context.mode)
    };
    errors.into_result(|| {
        let publish = publish?;
        Some(Feedback {
            id,
            patient_id: context.patient_id,
            referral_id: context.referral_id,
            service_id: context.service_id,
            moment: context.moment,
            answer: answer?,
            comment: comment?,
            story: story?.map(|text| Story { text, publish }),
            mode: mode?,
            at: now,
            themes: Vec::new(),
        })
    })
}

/// Parses the themes a member of staff ticked (`theme_<code>` = `yes`), in order.
pub fn ticked_themes<'a>(
    ticked: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Theme>, DomainError> {
    let mut themes = Vec::new();
    let mut errors = ValidationErrors::new();
    for code in ticked {
        match Theme::parse(code) {
            Ok(theme) if !themes.contains(&theme) => themes.push(theme),
            Ok(_) => {}
            Err(problem) => errors.add("themes", problem),
        }
    }
    themes.sort();
    if errors.is_empty() {
        Ok(themes)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// `days` working days after `from` (weekends and bank holidays skipped).
pub fn working_days_after(from: Date, days: u32, holidays: &BankHolidays) -> Date {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date = date.tomorrow().unwrap_or(date);
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !holidays.contains(date)
        {
            left -= 1;
        }
    }
    date
}

/// Where a concern stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConcernStatus {
    /// Received; not yet acknowledged.
    Received,
    /// Acknowledged; being looked into.
    Acknowledged,
    /// Responded to in full.
    Responded,
}

codes!(ConcernStatus {
    Received => "received",
    Acknowledged => "acknowledged",
    Responded => "responded",
});

/// A concern raised with customer care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concern {
    /// Identifier.
    pub id: ConcernId,
    /// The person, when signed in or known.
    pub patient_id: Option<PatientId>,
    /// Their name, as given.
    pub name: String,
    /// How to reach them (phone or email), as given.
    pub contact: String,
    /// What it is about.
    pub text: String,
    /// When it arrived.
    pub received_at: Timestamp,
    /// Acknowledge by this day.
    pub acknowledge_by: Date,
    /// Respond in full by this day.
    pub respond_by: Date,
    /// Where it stands.
    pub status: ConcernStatus,
    /// The response, once given.
    pub response: Option<String>,
    /// Who last acted on it.
    pub handled_by: Option<StaffUserId>,
    /// Changes so far; a change names the one it follows.
    pub version: u32,
}

/// A concern as raised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ConcernAnswers {
    /// Their name (required, up to 200 characters).
    pub name: String,
    /// A phone number or email address (required, up to 200 characters).
    pub contact: String,
    /// What happened, and what they would like us to do (required, up to 5,000 characters).
    pub concern: String,
}

/// A concern, checked, with its deadlines counted in working days from the day it arrived.
pub fn new_concern(
    answers: &ConcernAnswers,
    patient_id: Option<PatientId>,
    holidays: &BankHolidays,
    id: ConcernId,
    now: Timestamp,
) -> Result<Concern, DomainError> {
    let mut errors = ValidationErrors::new();
    let name = errors.check("name", required_text(&answers.name, 200));
    let contact = errors.check("contact", required_text(&answers.contact, 200));
    let text = errors.check("concern", required_text(&answers.concern, STORY_MAX));
    let today = crate::local_date(now);
    errors.into_result(|| {
        Some(Concern {
            id,
            patient_id,
            name: name?,
            contact: contact?,
            text: text?,
            received_at: now,
            acknowledge_by: working_days_after(today, ACKNOWLEDGE_DAYS, holidays),
            respond_by: working_days_after(today, RESPOND_DAYS, holidays),
            status: ConcernStatus::Received,
            response: None,
            handled_by: None,
            version: 0,
        })
    })
}

impl Concern {
    /// True when a deadline has passed without what it asks for.
    pub fn overdue(&self, today: Date) -> bool {
        match self.status {
            ConcernStatus::Received => today > self.acknowledge_by,
            ConcernStatus::Acknowledged => today > self.respond_by,
            ConcernStatus::Responded => false,
        }
    }

    /// Customer care acknowledges it (from `version`), or responds in full with `response`.
    pub fn act(
        &mut self,
        to: &str,
        response: &str,
        version: &str,
        by: StaffUserId,
    ) -> Result<(), DomainError> {
        let mut errors = ValidationErrors::new();
        let status = errors.check("concern_status", ConcernStatus::parse(to));
        let response = errors.check("response", optional_text(response, STORY_MAX));
        match version.trim().parse::<u32>() {
            Ok(v) if v == self.version => {}
            Ok(_) => errors.add("version", Invalid("stale")),
            Err(_) => errors.add("version", Invalid("invalid")),
        }
        if let (Some(ConcernStatus::Responded), Some(None)) = (status, &response) {
            errors.add("response", Invalid("required"));
        }
        let allowed = matches!(
            (self.status, status),
            (
                ConcernStatus::Received,
                Some(ConcernStatus::Acknowledged | ConcernStatus::Responded)
            ) | (ConcernStatus::Acknowledged, Some(ConcernStatus::Responded))
        );
        if status.is_some() && !allowed {
            errors.add("concern_status", Invalid("not-allowed"));
        }
        errors.into_result(|| Some(()))?;
        if let (Some(status), Some(response)) = (status, response) {
            self.status = status;
            if response.is_some() {
                self.response = response;
            }
        }
        self.handled_by = Some(by);
        self.version += 1;
        Ok(())
    }
}

/// Where an improvement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImprovementStatus {
    /// Agreed, not started.
    Planned,
    /// Under way.
    InProgress,
    /// Done.
    Done,
}

codes!(ImprovementStatus {
    Planned => "planned",
    InProgress => "in_progress",
    Done => "done",
});

/// An action taken because of feedback: "you said, we did".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Improvement {
    /// Identifier.
    pub id: ImprovementId,
    /// The theme of the feedback behind it.
    pub theme: Theme,
    /// What people told us, in a sentence.
    pub you_said: String,
    /// What we are doing or did.
    pub we_did: String,
    /// Who owns it (a name or team).
    pub owner: String,
    /// Where it stands.
    pub status: ImprovementStatus,
    /// When it should be done by.
    pub due: Option<Date>,
    /// Shown on the public "you said, we did" page.
    pub published: bool,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// An improvement as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImprovementAnswers {
    /// The theme's code.
    pub theme: String,
    /// What people told us.
    pub you_said: String,
    /// What we are doing or did.
    pub we_did: String,
    /// Who owns it.
    pub owner: String,
    /// The status's code.
    pub status: String,
    /// Due date, `YYYY-MM-DD`, optional.
    pub due: String,
    /// `yes` to publish.
    pub published: String,
}

/// An improvement, checked.
pub fn improvement(
    answers: &ImprovementAnswers,
    id: ImprovementId,
    now: Timestamp,
) -> Result<Improvement, DomainError> {
    let mut errors = ValidationErrors::new();
    let theme = errors.check("theme", Theme::parse(&answers.theme));
    let you_said = errors.check("you_said", required_text(&answers.you_said, 500));
    let we_did = errors.check("we_did", required_text(&answers.we_did, 1_000));
    let owner = errors.check("owner", required_text(&answers.owner, 200));
    let status = errors.check(
        "improvement_status",
        ImprovementStatus::parse(&answers.status),
    );
    let due = match answers.due.trim() {
        "" => Some(None),
        text => errors.check(
            "due",
            text.parse::<Date>()
                .map(Some)
                .map_err(|_| Invalid("invalid")),
        ),
    };
    errors.into_result(|| {
        Some(Improvement {
            id,
            theme: theme?,
            you_said: you_said?,
            we_did: we_did?,
            owner: owner?,
            status: status?,
            due: due?,
            published: answers.published.trim() == "yes",
            updated_at: now,
        })
    })
}

/// One service's FFT answers for a month: counts by answer and by mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FftCounts {
    /// Answers, by answer.
    pub answers: BTreeMap<FftAnswer, u64>,
    /// Answers, by how they came.
    pub modes: BTreeMap<Mode, u64>,
}

impl FftCounts {
    /// Counts one answer.
    pub fn add(&mut self, answer: FftAnswer, mode: Mode) {
        self.add_many(answer, mode, 1);
    }

    /// Counts `n` answers given the same way.
    pub fn add_many(&mut self, answer: FftAnswer, mode: Mode, n: u64) {
        *self.answers.entry(answer).or_default() += n;
        *self.modes.entry(mode).or_default() += n;
    }

    /// Every answer.
    pub fn total(&self) -> u64 {
        self.answers.values().sum()
    }

    fn share(&self, test: fn(FftAnswer) -> bool) -> String {
        let total = self.total();
        if total == 0 {
            return String::new();
        }
        let n: u64 = self
            .answers
            .iter()
            .filter(|(a, _)| test(**a))
            .map(|(_, n)| n)
            .sum();
        // Whole per cent, as published; "don't know" counts in the total.
        format!("{}", (n * 100 + total / 2) / total)
    }
}

/// The monthly FFT return as CSV: one row per service (code and name) for `period`
/// (`YYYY-MM`), counts of each of the six answers, the total, the percentages positive and
/// negative (of all answers, "don't know" included), and the count by collection mode.
pub fn fft_return_csv(
    organisation: &str,
    period: &str,
    rows: &[(String, String, FftCounts)],
) -> String {
    let mut out = String::from(
        "period,organisation_code,service_code,service_name,very_good,good,neither_good_nor_poor,\
         poor,very_poor,dont_know,total,percent_positive,percent_negative,mode_sms_or_email_link,\
         mode_online,mode_paper,mode_telephone\n",
    );
    for (code, name, counts) in rows {
        let answer = |a| counts.answers.get(&a).copied().unwrap_or(0);
        let mode = |m| counts.modes.get(&m).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "{period},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(organisation),
            csv_field(code),
            csv_field(name),
            answer(FftAnswer::VeryGood),
            answer(FftAnswer::Good),
            answer(FftAnswer::Neither),
            answer(FftAnswer::Poor),
            answer(FftAnswer::VeryPoor),
            answer(FftAnswer::DontKnow),
            counts.total(),
            counts.share(FftAnswer::positive),
            counts.share(FftAnswer::negative),
            mode(Mode::MessageLink),
            mode(Mode::Online),
            mode(Mode::Paper),
            mode(Mode::Telephone),
        );
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or line break; a leading formula
/// character is neutralised so spreadsheets never run it.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        // Friday 27 November 2026, 10am.
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn context(staff: bool) -> FeedbackContext {
        FeedbackContext {
            patient_id: None,
            referral_id: None,
            service_id: None,
            moment: Moment::AnyTime,
            mode: Mode::Online,
            entered_by_staff: staff,
        }
    }

    fn problems(result: Result<impl std::fmt::Debug, DomainError>) -> Vec<String> {
        match result {
            Err(DomainError::Invalid(e)) => e
                .errors()
                .iter()
                .map(|p| format!("{}:{}", p.field, p.problem))
                .collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn feedback_needs_an_answer_and_consent_for_a_story() {
        let answers = FeedbackAnswers {
            answer: "very_good".into(),
            comment: " Kind physio ".into(),
            ..FeedbackAnswers::default()
        };
        let given = new_feedback(&answers, context(false), FeedbackId::new(), now()).unwrap();
        assert_eq!(given.comment.as_deref(), Some("Kind physio"));
        assert_eq!(given.mode, Mode::Online);
        assert!(given.answer.positive());
        assert_eq!(
            problems(new_feedback(
                &FeedbackAnswers {
                    answer: "brilliant".into(),
                    story: "It went well".into(),
                    comment: "x".repeat(COMMENT_MAX + 1),
                    ..FeedbackAnswers::default()
                },
                context(false),
                FeedbackId::new(),
                now()
            )),
            ["answer:choose", "comment:too-long", "publish:choose"]
        );
        assert_eq!(
            problems(new_feedback(
                &answers,
                context(true),
                FeedbackId::new(),
                now()
            )),
            ["mode:choose"],
            "staff say whether it came on paper or by phone"
        );
        let story = FeedbackAnswers {
            story: "Back at work".into(),
            publish: "yes".into(),
            mode: "paper".into(),
            ..answers
        };
        let told = new_feedback(&story, context(true), FeedbackId::new(), now()).unwrap();
        assert_eq!(told.mode, Mode::Paper);
        assert!(told.story.unwrap().publish);
    }

    #[test]
    fn concern_deadlines_count_working_days() {
        let mut holidays = BankHolidays::parse(
            "date,name\n2026-12-25,Christmas Day\n2026-12-28,Boxing Day (substitute)\n",
        )
        .unwrap();
        let friday = jiff::civil::date(2026, 11, 27);
        assert_eq!(
            working_days_after(friday, 3, &holidays),
            jiff::civil::date(2026, 12, 2)
        );
        let christmas_eve = jiff::civil::date(2026, 12, 24);
        assert_eq!(
            working_days_after(christmas_eve, 1, &holidays),
            jiff::civil::date(2026, 12, 29)
        );
        holidays = BankHolidays::parse("date,name\n").unwrap();
        let concern = new_concern(
            &ConcernAnswers {
                name: "Ann".into(),
                contact: "07700 900123".into(),
                concern: "Nobody called back".into(),
            },
            None,
            &holidays,
            ConcernId::new(),
            now(),
        )
        .unwrap();
        assert_eq!(concern.acknowledge_by, jiff::civil::date(2026, 12, 2));
        assert!(!concern.overdue(jiff::civil::date(2026, 12, 2)));
        assert!(concern.overdue(jiff::civil::date(2026, 12, 3)));
        assert_eq!(
            problems(new_concern(
                &ConcernAnswers::default(),
                None,
                &holidays,
                ConcernId::new(),
                now()
            )),
            ["name:required", "contact:required", "concern:required"]
        );
    }

    #[test]
    fn a_concern_is_acknowledged_then_answered_from_the_version_read() {
        let holidays = BankHolidays::parse("date,name\n").unwrap();
        let mut concern = new_concern(
            &ConcernAnswers {
                name: "Ann".into(),
                contact: "ann@example.com".into(),
                concern: "Nobody called back".into(),
            },
            None,
            &holidays,
            ConcernId::new(),
            now(),
        )
        .unwrap();
        let by = StaffUserId::new();
        assert_eq!(
            problems(concern.act("responded", "", "0", by)),
            ["response:required"]
        );
        concern.act("acknowledged", "", "0", by).unwrap();
        assert_eq!(concern.status, ConcernStatus::Acknowledged);
        assert_eq!(
            problems(concern.act("responded", "Sorry", "0", by)),
            ["version:stale"]
        );
        assert_eq!(
            problems(concern.act("received", "", "1", by)),
            ["concern_status:not-allowed"]
        );
        concern
            .act("responded", "We have called you.", "1", by)
            .unwrap();
        assert_eq!(concern.response.as_deref(), Some("We have called you."));
        assert!(!concern.overdue(jiff::civil::date(2027, 6, 1)));
    }

    #[test]
    fn themes_and_improvements_are_checked() {
        assert_eq!(
            ticked_themes(["waiting", "booking", "waiting"]).unwrap(),
            [Theme::Waiting, Theme::Booking]
        );
        assert_eq!(problems(ticked_themes(["weather"])), ["themes:choose"]);
        let made = improvement(
            &ImprovementAnswers {
                theme: "booking".into(),
                you_said: "Evening appointments".into(),
                we_did: "Tuesday evening clinics in Luton".into(),
                owner: "Physiotherapy lead".into(),
                status: "done".into(),
                due: "2026-12-31".into(),
                published: "yes".into(),
            },
            ImprovementId::new(),
            now(),
        )
        .unwrap();
        assert!(made.published);
        assert_eq!(
            problems(improvement(
                &ImprovementAnswers {
                    due: "soon".into(),
                    ..ImprovementAnswers::default()
                },
                ImprovementId::new(),
                now()
            )),
            [
                "theme:choose",
                "you_said:required",
                "we_did:required",
                "owner:required",
                "improvement_status:choose",
                "due:invalid"
            ]
        );
    }

    #[test]
    fn the_fft_return_counts_answers_and_modes() {
        let mut counts = FftCounts::default();
        for (answer, mode) in [
            (FftAnswer::VeryGood, Mode::MessageLink),
            (FftAnswer::Good, Mode::Online),
            (FftAnswer::Poor, Mode::Paper),
            (FftAnswer::DontKnow, Mode::Telephone),
        ] {
            counts.add(answer, mode);
        }
        let csv = fft_return_csv(
            "RXX",
            "2026-11",
            &[("PHYSIO".into(), "Physio, Bedford".into(), counts)],
        );
        let lines: Vec<_> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "2026-11,RXX,PHYSIO,\"Physio, Bedford\",1,1,0,1,0,1,4,50,25,1,1,1,1"
        );
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
