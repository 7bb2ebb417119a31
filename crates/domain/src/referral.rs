//! The referral: one episode of MSK care, and the explicit state machine it moves through.
//!
//! ```text
//! awaiting triage ──accept──► waiting ──book──► booked ──attended, discharge──► discharged
//!        │                      ▲   ▲             │  │                           │
//!        │                      │   └─cancel, missed, follow-up─┘     open access (in its window)
//!        └──give advice──► advice given  └──────────────────────────────────────────┘
//!   (awaiting triage, waiting, booked) ──withdraw──► withdrawn
//! ```
//! Every transition returns the events it causes; nothing else may change the status.

use std::fmt;
use std::ops::Deref;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Invalid};
use crate::event::{Actor, DomainEvent};
use crate::ids::{AppointmentId, PatientId, ReferralId, ServiceId, StaffUserId};
use crate::intake::Referrer;
use crate::pathway::{DigitalTriage, Urgency};
use crate::questionnaire::QuestionnaireResponse;
use crate::service::{ServiceKind, ServiceRules};

/// Where on the body the problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemArea {
    /// Lower back.
    Back,
    /// Neck.
    Neck,
    /// Shoulder.
    Shoulder,
    /// Elbow.
    Elbow,
    /// Wrist or hand.
    WristHand,
    /// Hip.
    Hip,
    /// Knee.
    Knee,
    /// Ankle or foot.
    AnkleFoot,
    /// Pain in several places.
    Widespread,
}

impl ProblemArea {
    /// Every area, in the order offered on forms (head to toe).
    pub const ALL: [ProblemArea; 9] = [
        Self::Neck,
        Self::Shoulder,
        Self::Elbow,
        Self::WristHand,
        Self::Back,
        Self::Hip,
        Self::Knee,
        Self::AnkleFoot,
        Self::Widespread,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Back => "back",
            Self::Neck => "neck",
            Self::Shoulder => "shoulder",
            Self::Elbow => "elbow",
            Self::WristHand => "wrist_hand",
            Self::Hip => "hip",
            Self::Knee => "knee",
            Self::AnkleFoot => "ankle_foot",
            Self::Widespread => "widespread",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// How the referral reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralSource {
    /// The person (or a carer for them) referred online.
    SelfReferral,
    /// Staff took the referral by phone, asking the same questions.
    Phone,
    /// A professional referred (web form or API).
    Professional,
}

impl ReferralSource {
    /// Every source.
    pub const ALL: [ReferralSource; 3] = [Self::SelfReferral, Self::Phone, Self::Professional];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SelfReferral => "self",
            Self::Phone => "phone",
            Self::Professional => "professional",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// Clinical priority on the waiting list, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Seen within days.
    Urgent,
    /// Seen sooner than routine.
    Soon,
    /// Seen in turn.
    Routine,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 3] = [Self::Urgent, Self::Soon, Self::Routine];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urgent => "urgent",
            Self::Soon => "soon",
            Self::Routine => "routine",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == input)
            .ok_or(Invalid("choose"))
    }
}

/// Where a referral is in its journey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Received; a clinician has not yet triaged it.
    AwaitingTriage,
    /// Accepted into a service; on its waiting list.
    Waiting,
    /// An appointment is booked.
    Booked,
    /// Closed at triage with advice: self-management for the person, or advice and guidance
    /// back to the referring professional.
    AdviceGiven,
    /// The patient no longer needs it.
    Withdrawn,
    /// Care finished.
    Discharged,
}

impl ReferralStatus {
    /// Every status.
    pub const ALL: [ReferralStatus; 6] = [
        Self::AwaitingTriage,
        Self::Waiting,
        Self::Booked,
        Self::AdviceGiven,
        Self::Withdrawn,
        Self::Discharged,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingTriage => "awaiting_triage",
            Self::Waiting => "waiting",
            Self::Booked => "booked",
            Self::AdviceGiven => "advice_given",
            Self::Withdrawn => "withdrawn",
            Self::Discharged => "discharged",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// True while the episode is open.
    pub fn is_open(self) -> bool {
        matches!(self, Self::AwaitingTriage | Self::Waiting | Self::Booked)
    }
}

/// Something that can be done to a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferralAction {
    /// Triage accepts it into a service.
    Accept,
    /// Triage closes it with advice instead of accepting it.
    GiveAdvice,
    /// An appointment is booked.
    Book,
    /// The booked appointment is cancelled; back to waiting.
    CancelBooking,
    /// The patient no longer needs care.
    Withdraw,
    /// Care is finished.
    Discharge,
    /// The patient attended and needs another appointment; back to waiting.
    FollowUp,
    /// The patient missed the appointment and may book again; back to waiting.
    MissAppointment,
    /// A discharged patient books again directly, inside their open-access window.
    UseOpenAccess,
}

impl ReferralAction {
    /// Every action.
    pub const ALL: [ReferralAction; 9] = [
        Self::Accept,
        Self::GiveAdvice,
        Self::Book,
        Self::CancelBooking,
        Self::Withdraw,
        Self::Discharge,
        Self::FollowUp,
        Self::MissAppointment,
        Self::UseOpenAccess,
    ];

    fn verb(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::GiveAdvice => "close with advice",
            Self::Book => "book",
            Self::CancelBooking => "cancel the booking of",
            Self::Withdraw => "withdraw",
            Self::Discharge => "discharge",
            Self::FollowUp => "follow up",
            Self::MissAppointment => "record a missed appointment for",
            Self::UseOpenAccess => "use open access for",
        }
    }
}

/// The transition table: the status an action leads to, or `None` if it is not allowed.
pub fn next_status(from: ReferralStatus, action: ReferralAction) -> Option<ReferralStatus> {
    use ReferralAction as A;
    use ReferralStatus as S;
    match (from, action) {
        (S::AwaitingTriage, A::Accept) => Some(S::Waiting),
        (S::AwaitingTriage, A::GiveAdvice) => Some(S::AdviceGiven),
        (S::Waiting, A::Book) => Some(S::Booked),
        (S::Booked, A::CancelBooking | A::FollowUp | A::MissAppointment) => Some(S::Waiting),
        (S::Discharged, A::UseOpenAccess) => Some(S::Waiting),
        (S::AwaitingTriage | S::Waiting | S::Booked, A::Withdraw) => Some(S::Withdrawn),
        (S::Waiting | S::Booked, A::Discharge) => Some(S::Discharged),
        _ => None,
    }
}

/// The reference a patient quotes: `JNT-` then seven Crockford base32 characters and a Luhn
/// mod 32 check character, for example `JNT-4K7P2QX-9`, so a mistyped or misheard character
/// (or most swapped pairs) is caught. The alphabet has no I, L, O or U, so nothing is confused.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferralReference(String);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The Luhn mod 32 check value of `digits` (each 0..32).
fn luhn_mod_32(digits: &[usize]) -> usize {
    let sum: usize = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            let addend = if position % 2 == 0 { digit * 2 } else { *digit };
            addend / 32 + addend % 32
        })
        .sum();
    (32 - sum % 32) % 32
}

impl ReferralReference {
    /// Builds a reference from 35 random bits supplied by the caller.
    pub fn from_random(bits: u64) -> Self {
        let digits: Vec<usize> = (0..7)
            .map(|i| ((bits >> (5 * (6 - i))) & 31) as usize)
            .collect();
        let body: String = digits.iter().map(|d| char::from(CROCKFORD[*d])).collect();
        let check = char::from(CROCKFORD[luhn_mod_32(&digits)]);
        Self(format!("JNT-{body}-{check}"))
    }

    /// Parses a reference as a person might type it: any case, with or without the dashes,
    /// with O read as 0 and I or L read as 1.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let rest = compact.strip_prefix("JNT").ok_or(Invalid("format"))?;
        if rest.len() != 8 {
            return Err(Invalid("format"));
        }
        let (body, check) = rest.split_at(7);
        let digits = rest
            .bytes()
            .map(|b| {
                CROCKFORD
                    .iter()
                    .position(|c| *c == b)
                    .ok_or(Invalid("format"))
            })
            .collect::<Result<Vec<usize>, _>>()?;
        let expected = char::from(CROCKFORD[luhn_mod_32(&digits[..7])]);
        if !check.starts_with(expected) {
            return Err(Invalid("check"));
        }
        Ok(Self(format!("JNT-{body}-{check}")))
    }

    /// The reference in its canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferralReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ReferralReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReferralReference({})", self.0)
    }
}

impl TryFrom<String> for ReferralReference {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ReferralReference> for String {
    fn from(value: ReferralReference) -> Self {
        value.0
    }
}

/// Free text written by a patient or clinician: trimmed, bounded, never in logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FreeText(String);

impl FreeText {
    /// Longest text accepted, in characters.
    pub const MAX_CHARS: usize = 2000;

    /// Parses free text that must not be empty.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid("missing"));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(Invalid("too-long"));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(Invalid("characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Parses free text that may be left blank.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, Invalid> {
        if input.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(input).map(Some)
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FreeText({} chars)", self.0.chars().count())
    }
}

impl TryFrom<String> for FreeText {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<FreeText> for String {
    fn from(value: FreeText) -> Self {
        value.0
    }
}

/// Everything stored about a referral. Read it through [`Referral`]; change it only through
/// the transitions there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRecord {
    /// Identifier.
    pub id: ReferralId,
    /// The reference the patient quotes.
    pub reference: ReferralReference,
    /// Who it is for.
    pub patient_id: PatientId,
    /// How it reached us.
    pub source: ReferralSource,
    /// Where the problem is.
    pub problem_area: ProblemArea,
    /// The problem in the patient's (or referrer's) words; absent when the person was sent to
    /// emergency care before they could finish.
    pub description: Option<FreeText>,
    /// Where it is in its journey.
    pub status: ReferralStatus,
    /// The service it was routed to, once triaged.
    pub service_id: Option<ServiceId>,
    /// Clinical priority, once triaged.
    pub priority: Option<Priority>,
    /// When it was received; the wait is counted from here.
    pub received_at: Timestamp,
    /// When it was triaged.
    pub triaged_at: Option<Timestamp>,
    /// The member of staff who triaged it.
    pub triaged_by: Option<StaffUserId>,
    /// The triage clinician's note on the decision.
    pub triage_note: Option<FreeText>,
    /// The answers to the intake questions.
    pub answers: Option<QuestionnaireResponse>,
    /// What the digital triage decided from them.
    pub digital_triage: Option<DigitalTriage>,
    /// How soon it must be triaged (from the digital triage).
    pub urgency: Urgency,
    /// Who referred, when not the person themselves.
    pub referrer: Option<Referrer>,
    /// The member of staff who took it by phone.
    pub assisted_by: Option<StaffUserId>,
    /// An open referral this one may duplicate, for staff to resolve.
    pub possible_duplicate_of: Option<ReferralId>,
    /// Marked for discussion at the multidisciplinary team meeting.
    pub mdt: bool,
    /// A clinician has asked the person a question and awaits the reply.
    pub awaiting_reply: bool,
    /// Whether the clinician confirmed or overrode the digital triage, and why.
    pub decision: Option<ClinicianDecision>,
    /// Appointments the patient attended in this episode.
    pub attended: u32,
    /// Appointments the patient missed without warning in this episode.
    pub missed: u32,
    /// When care finished.
    pub discharged_at: Option<Timestamp>,
    /// Until when the patient may book again directly after discharge (open access).
    pub open_access_until: Option<Timestamp>,
    /// Optimistic-concurrency version, increased by storage on every change.
    pub version: i64,
}

/// Why a referral was discharged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DischargeReason {
    /// The clinician finished care after an appointment.
    #[default]
    CareComplete,
    /// The patient missed as many appointments as the service allows.
    MissedAppointments,
}

/// A referral. Its status changes only through the methods here, each of which returns the
/// events it causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral(ReferralRecord);

impl Deref for Referral {
    type Target = ReferralRecord;
    fn deref(&self) -> &ReferralRecord {
        &self.0
    }
}

/// What a referral needs when it is first received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReferral {
    /// Who it is for.
    pub patient_id: PatientId,
    /// How it reached us.
    pub source: ReferralSource,
    /// Where the problem is.
    pub problem_area: ProblemArea,
    /// The problem in the referrer's words.
    pub description: Option<FreeText>,
    /// The answers to the intake questions.
    pub answers: Option<QuestionnaireResponse>,
    /// The digital triage of those answers.
    pub digital_triage: Option<DigitalTriage>,
    /// Who referred, when not the person.
    pub referrer: Option<Referrer>,
    /// The member of staff who took it by phone.
    pub assisted_by: Option<StaffUserId>,
    /// An open referral it may duplicate.
    pub possible_duplicate_of: Option<ReferralId>,
}

impl NewReferral {
    /// A referral with nothing but the essentials, for tests and imports.
    pub fn basic(
        patient_id: PatientId,
        source: ReferralSource,
        problem_area: ProblemArea,
        description: FreeText,
    ) -> Self {
        Self {
            patient_id,
            source,
            problem_area,
            description: Some(description),
            answers: None,
            digital_triage: None,
            referrer: None,
            assisted_by: None,
            possible_duplicate_of: None,
        }
    }
}

/// A triage clinician's decision to accept a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriageDecision {
    /// The service it is routed to.
    pub service_id: ServiceId,
    /// What kind of service that is (to compare with the digital suggestion).
    pub service_kind: ServiceKind,
    /// Priority on that service's waiting list.
    pub priority: Priority,
    /// The reasoning, for the record; required when overriding the digital triage.
    pub note: Option<FreeText>,
    /// For orthopaedics: proof that the person chose surgery and is fit for it (or a
    /// clinician overrode the checklist with a reason). Ignored for other services.
    pub ready_for_surgery: Option<crate::surgery::ReadyForSurgery>,
}

/// What the triage clinician did with the digital triage's suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicianDecision {
    /// True when the clinician chose differently from the suggestion.
    pub overridden: bool,
    /// Why, in the clinician's words.
    pub reason: Option<FreeText>,
}

fn reason_required() -> DomainError {
    DomainError::field("note", Invalid("reason-required"))
}

impl Referral {
    /// Receives a new referral. It starts awaiting triage, as urgent as its digital triage says.
    pub fn receive(
        new: NewReferral,
        id: ReferralId,
        reference: ReferralReference,
        by: Actor,
        at: Timestamp,
    ) -> (Self, Vec<DomainEvent>) {
        let urgency = new
            .digital_triage
            .as_ref()
            .map_or(Urgency::Routine, DigitalTriage::urgency);
        let record = ReferralRecord {
            id,
            reference: reference.clone(),
            patient_id: new.patient_id,
            source: new.source,
            problem_area: new.problem_area,
            description: new.description,
            status: ReferralStatus::AwaitingTriage,
            service_id: None,
            priority: None,
            received_at: at,
            triaged_at: None,
            triaged_by: None,
            triage_note: None,
            answers: new.answers,
            digital_triage: new.digital_triage,
            urgency,
            referrer: new.referrer,
            assisted_by: new.assisted_by,
            possible_duplicate_of: new.possible_duplicate_of,
            mdt: false,
            awaiting_reply: false,
            decision: None,
            attended: 0,
            missed: 0,
            discharged_at: None,
            open_access_until: None,
            version: 0,
        };
        let event = DomainEvent::ReferralReceived {
            referral_id: id,
            patient_id: new.patient_id,
            reference,
            source: new.source,
            urgency,
            by,
            at,
        };
        (Self(record), vec![event])
    }

    /// Rebuilds a referral read from storage.
    pub fn restore(record: ReferralRecord) -> Self {
        Self(record)
    }

    /// The stored form.
    pub fn record(&self) -> &ReferralRecord {
        &self.0
    }

    fn transition(&self, action: ReferralAction) -> Result<ReferralStatus, DomainError> {
        next_status(self.0.status, action).ok_or(DomainError::InvalidTransition {
            entity: "referral",
            from: self.0.status.as_str(),
            action: action.verb(),
        })
    }

    fn require_booked(&self, action: &'static str) -> Result<(), DomainError> {
        if self.0.status == ReferralStatus::Booked {
            Ok(())
        } else {
            Err(DomainError::InvalidTransition {
                entity: "referral",
                from: self.0.status.as_str(),
                action,
            })
        }
    }

    fn require_open(&self, action: &'static str) -> Result<(), DomainError> {
        if self.0.status.is_open() {
            Ok(())
        } else {
            Err(DomainError::InvalidTransition {
                entity: "referral",
                from: self.0.status.as_str(),
                action,
            })
        }
    }

    fn record_triage(&mut self, by: Actor, at: Timestamp, note: Option<FreeText>) {
        self.0.triaged_at = Some(at);
        self.0.triaged_by = match by {
            Actor::Staff(id) => Some(id),
            Actor::Patient(_) | Actor::Organisation(_) | Actor::System => None,
        };
        self.0.triage_note = note;
    }

    /// Triage accepts the referral into a service with a priority; it joins the waiting list.
    /// Choosing differently from the digital triage (another kind of service, or another
    /// priority) needs a reason in the note.
    pub fn accept(
        &mut self,
        decision: TriageDecision,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        let next = self.transition(ReferralAction::Accept)?;
        let overridden = self.0.digital_triage.as_ref().is_some_and(|digital| {
            digital
                .route()
                .and_then(crate::pathway::Route::service_kind)
                != Some(decision.service_kind)
                || digital.priority() != decision.priority
        });
        if overridden && decision.note.is_none() {
            return Err(reason_required());
        }
        if decision.service_kind == ServiceKind::Orthopaedics
            && decision.ready_for_surgery.map(|r| r.referral_id()) != Some(self.0.id)
        {
            return Err(DomainError::field("service", Invalid("surgery-not-ready")));
        }
        self.0.status = next;
        self.0.service_id = Some(decision.service_id);
        self.0.priority = Some(decision.priority);
        self.0.decision = Some(ClinicianDecision {
            overridden,
            reason: decision.note.clone(),
        });
        self.record_triage(by, at, decision.note);
        Ok(vec![DomainEvent::ReferralAccepted {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            service_id: decision.service_id,
            priority: decision.priority,
            overridden,
            by,
            at,
        }])
    }

    /// Triage closes the referral with advice: self-management advice to the person, or, for
    /// a professional's referral, advice and guidance back to the referrer. Closing a referral
    /// with red flags, or against a suggestion to route it to a service, needs a reason.
    pub fn give_advice(
        &mut self,
        advice: FreeText,
        to_referrer: bool,
        reason: Option<FreeText>,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        let next = self.transition(ReferralAction::GiveAdvice)?;
        if to_referrer && !matches!(self.0.referrer, Some(Referrer::Professional { .. })) {
            return Err(DomainError::field(
                "to_referrer",
                Invalid("no-professional"),
            ));
        }
        let overridden = self.0.digital_triage.as_ref().is_some_and(|digital| {
            !digital.red_flags().is_empty()
                || digital.route() != Some(crate::pathway::Route::SelfManagement)
        });
        if overridden && reason.is_none() {
            return Err(reason_required());
        }
        self.0.status = next;
        self.0.decision = Some(ClinicianDecision { overridden, reason });
        self.record_triage(by, at, Some(advice));
        Ok(vec![DomainEvent::AdviceGiven {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            to_referrer,
            by,
            at,
        }])
    }

    /// The person referred again for the same problem while this referral is open: the new
    /// answers join it. Its urgency only ever rises: answers that look less urgent never
    /// replace ones with red flags.
    pub fn resubmitted(
        &mut self,
        answers: QuestionnaireResponse,
        triage: DigitalTriage,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_open("add to")?;
        let raised = triage.urgency() < self.0.urgency;
        if triage.urgency() <= self.0.urgency {
            self.0.urgency = triage.urgency();
            self.0.answers = Some(answers);
            self.0.digital_triage = Some(triage);
        }
        Ok(vec![DomainEvent::ReferralResubmitted {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            urgency_raised: raised,
            by,
            at,
        }])
    }

    /// Marks the referral for the multidisciplinary team meeting.
    pub fn request_mdt(
        &mut self,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_open("mark for MDT")?;
        self.0.mdt = true;
        Ok(vec![DomainEvent::MdtRequested {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// Records that the multidisciplinary team has discussed the referral (the outcome goes
    /// in the person's passport); it leaves the MDT list.
    pub fn record_mdt_outcome(
        &mut self,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        if !self.0.mdt {
            return Err(DomainError::InvalidTransition {
                entity: "referral",
                from: "not_listed_for_mdt",
                action: "record the MDT outcome of",
            });
        }
        self.0.mdt = false;
        Ok(vec![DomainEvent::MdtDiscussed {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// A clinician asks the person a question; the referral waits for the reply.
    pub fn ask_patient(
        &mut self,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_open("ask about")?;
        self.0.awaiting_reply = true;
        Ok(vec![DomainEvent::PatientQuestionAsked {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// The person replied.
    pub fn patient_replied(
        &mut self,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_open("reply to")?;
        if !self.0.awaiting_reply {
            return Err(DomainError::InvalidTransition {
                entity: "referral",
                from: "not awaiting a reply",
                action: "reply to",
            });
        }
        self.0.awaiting_reply = false;
        Ok(vec![DomainEvent::PatientReplied {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// An appointment was booked for this referral.
    pub fn record_booking(
        &mut self,
        appointment_id: AppointmentId,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.0.status = self.transition(ReferralAction::Book)?;
        Ok(vec![DomainEvent::AppointmentBooked {
            appointment_id,
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// The booked appointment was cancelled; the referral goes back on the waiting list.
    pub fn record_cancellation(
        &mut self,
        appointment_id: AppointmentId,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.0.status = self.transition(ReferralAction::CancelBooking)?;
        Ok(vec![DomainEvent::AppointmentCancelled {
            appointment_id,
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// The patient no longer needs care (or the referral duplicated another, `duplicate_of`).
    pub fn withdraw(&mut self, by: Actor, at: Timestamp) -> Result<Vec<DomainEvent>, DomainError> {
        self.0.status = self.transition(ReferralAction::Withdraw)?;
        Ok(vec![DomainEvent::ReferralWithdrawn {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }

    /// Care is finished, for `reason`; with `open_access_until` the patient may book again
    /// directly until then.
    pub fn discharge(
        &mut self,
        reason: DischargeReason,
        open_access_until: Option<Timestamp>,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.0.status = self.transition(ReferralAction::Discharge)?;
        self.0.discharged_at = Some(at);
        self.0.open_access_until = open_access_until.filter(|until| *until > at);
        Ok(vec![DomainEvent::ReferralDischarged {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            reason,
            open_access_until: self.0.open_access_until,
            by,
            at,
        }])
    }

    /// The patient attended `appointment`. With `follow_up` the referral waits for the next
    /// appointment; otherwise care is complete and the referral is discharged, with the
    /// service's open-access window.
    pub fn record_attendance(
        &mut self,
        appointment_id: AppointmentId,
        follow_up: bool,
        rules: ServiceRules,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_booked("record attendance for")?;
        let attended = DomainEvent::AppointmentAttended {
            appointment_id,
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            follow_up,
            by,
            at,
        };
        let mut events = vec![attended];
        if follow_up {
            self.0.status = self.transition(ReferralAction::FollowUp)?;
        } else {
            let until = open_access_end(rules, at);
            events.extend(self.discharge(DischargeReason::CareComplete, until, by, at)?);
        }
        self.0.attended += 1;
        Ok(events)
    }

    /// The patient missed `appointment` without warning. Under the service's rule they are
    /// asked to book again, or, once they have missed as many as it allows, discharged.
    pub fn record_missed(
        &mut self,
        appointment_id: AppointmentId,
        rules: ServiceRules,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        self.require_booked(ReferralAction::MissAppointment.verb())?;
        let missed = self.0.missed + 1;
        let discharge = rules.discharge_after_missed > 0 && missed >= rules.discharge_after_missed;
        let mut events = vec![DomainEvent::AppointmentMissed {
            appointment_id,
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            discharged: discharge,
            by,
            at,
        }];
        if discharge {
            events.extend(self.discharge(DischargeReason::MissedAppointments, None, by, at)?);
        } else {
            self.0.status = self.transition(ReferralAction::MissAppointment)?;
        }
        self.0.missed = missed;
        Ok(events)
    }

    /// True while a discharged patient may still book again directly.
    pub fn open_access_at(&self, at: Timestamp) -> bool {
        self.0.status == ReferralStatus::Discharged
            && self.0.open_access_until.is_some_and(|until| at < until)
    }

    /// A discharged patient books again directly inside their open-access window: the
    /// referral waits again, as it was, without a new referral or triage.
    pub fn use_open_access(
        &mut self,
        by: Actor,
        at: Timestamp,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        if !self.open_access_at(at) {
            return Err(DomainError::InvalidTransition {
                entity: "referral",
                from: if self.0.status == ReferralStatus::Discharged {
                    "open_access_ended"
                } else {
                    self.0.status.as_str()
                },
                action: ReferralAction::UseOpenAccess.verb(),
            });
        }
        self.0.status = self.transition(ReferralAction::UseOpenAccess)?;
        self.0.open_access_until = None;
        self.0.discharged_at = None;
        Ok(vec![DomainEvent::OpenAccessUsed {
            referral_id: self.0.id,
            patient_id: self.0.patient_id,
            by,
            at,
        }])
    }
}

/// The end of the open-access window for a discharge at `at`, if the service offers one.
pub fn open_access_end(rules: ServiceRules, at: Timestamp) -> Option<Timestamp> {
    (rules.open_access_days > 0)
        .then(|| {
            at.saturating_add(jiff::SignedDuration::from_hours(
                24 * i64::from(rules.open_access_days),
            ))
            .ok()
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn new_referral() -> Referral {
        let new = NewReferral::basic(
            PatientId::new(),
            ReferralSource::SelfReferral,
            ProblemArea::Knee,
            FreeText::parse("Sore knee for six weeks").unwrap(),
        );
        let (referral, events) = Referral::receive(
            new,
            ReferralId::new(),
            ReferralReference::from_random(12345),
            Actor::System,
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(events.len(), 1);
        referral
    }

    fn decision() -> TriageDecision {
        TriageDecision {
            service_id: ServiceId::new(),
            service_kind: ServiceKind::Physiotherapy,
            priority: Priority::Routine,
            note: None,
            ready_for_surgery: None,
        }
    }

    fn apply(
        referral: &mut Referral,
        action: ReferralAction,
    ) -> Result<Vec<DomainEvent>, DomainError> {
        let by = Actor::Staff(StaffUserId::new());
        let at = Timestamp::UNIX_EPOCH;
        match action {
            ReferralAction::Accept => referral.accept(decision(), by, at),
            ReferralAction::GiveAdvice => referral.give_advice(
                FreeText::parse("self-care advice").unwrap(),
                false,
                None,
                by,
                at,
            ),
            ReferralAction::Book => referral.record_booking(AppointmentId::new(), by, at),
            ReferralAction::CancelBooking => {
                referral.record_cancellation(AppointmentId::new(), by, at)
            }
            ReferralAction::Withdraw => referral.withdraw(by, at),
            ReferralAction::Discharge => referral.discharge(
                DischargeReason::CareComplete,
                Some(at + jiff::SignedDuration::from_hours(24)),
                by,
                at,
            ),
            ReferralAction::FollowUp => referral.record_attendance(
                AppointmentId::new(),
                true,
                ServiceRules::default(),
                by,
                at,
            ),
            ReferralAction::MissAppointment => referral.record_missed(
                AppointmentId::new(),
                ServiceRules::new(0, 0).unwrap(),
                by,
                at,
            ),
            ReferralAction::UseOpenAccess => referral.use_open_access(by, at),
        }
    }

    #[test]
    fn orthopaedics_needs_the_proof_of_readiness_for_this_referral() {
        use crate::surgery::{
            DecisionAnswers, ready_for_surgery, record_checklist, record_decision,
        };
        let mut referral = new_referral();
        let to_orthopaedics = |ready| TriageDecision {
            service_kind: ServiceKind::Orthopaedics,
            note: Some(FreeText::parse("Severe osteoarthritis").unwrap()),
            ready_for_surgery: ready,
            ..decision()
        };
        let refused = referral.accept(to_orthopaedics(None), Actor::System, Timestamp::UNIX_EPOCH);
        assert_eq!(
            refused.unwrap_err(),
            DomainError::field("service", Invalid("surgery-not-ready"))
        );
        let staff = StaffUserId::new();
        let patient = referral.patient_id;
        let proof_for = |id: ReferralId| {
            let decision = record_decision(
                id,
                patient,
                &DecisionAnswers {
                    options: vec!["surgery".into(), "injection".into()],
                    what_matters: "Sleep".into(),
                    choice: "surgery".into(),
                    preferred: String::new(),
                },
                staff,
                crate::SurgeryDecisionId::new(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            let all_met = crate::surgery::FitnessItem::ALL
                .iter()
                .map(|i| (i.as_str().to_owned(), "met".to_owned()))
                .collect();
            let checklist = record_checklist(id, &all_met, staff, Timestamp::UNIX_EPOCH).unwrap();
            ready_for_surgery(id, Some(&decision), Some(&checklist)).unwrap()
        };
        // Another referral's proof does not open this one's gate.
        let other = proof_for(ReferralId::new());
        assert!(
            referral
                .accept(
                    to_orthopaedics(Some(other)),
                    Actor::System,
                    Timestamp::UNIX_EPOCH
                )
                .is_err()
        );
        assert_eq!(referral.status, ReferralStatus::AwaitingTriage);
        let mine = proof_for(referral.id);
        referral
            .accept(
                to_orthopaedics(Some(mine)),
                Actor::System,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::Waiting);
    }

    #[test]
    fn the_skeleton_journey() {
        let mut referral = new_referral();
        assert_eq!(referral.status, ReferralStatus::AwaitingTriage);
        let events = apply(&mut referral, ReferralAction::Accept).unwrap();
        assert!(matches!(
            events[..],
            [DomainEvent::ReferralAccepted {
                priority: Priority::Routine,
                ..
            }]
        ));
        assert_eq!(referral.status, ReferralStatus::Waiting);
        assert!(referral.service_id.is_some() && referral.triaged_at.is_some());
        apply(&mut referral, ReferralAction::Book).unwrap();
        assert_eq!(referral.status, ReferralStatus::Booked);
    }

    fn digital(
        disposition: crate::pathway::Disposition,
        flags: Vec<crate::pathway::RedFlagHit>,
    ) -> DigitalTriage {
        crate::pathway::TriageRecord {
            pathway_version: "test".into(),
            disposition,
            red_flags: flags,
            scores: vec![],
            rule: None,
            explanation: vec![],
            answers_used: vec![],
        }
        .try_into()
        .unwrap()
    }

    fn fever_flag() -> crate::pathway::RedFlagHit {
        crate::pathway::RedFlagHit {
            id: "infection-fever".into(),
            condition: crate::pathway::RedFlagCondition::Infection,
            escalation: crate::pathway::Escalation::Urgent,
            explain: "fever".into(),
        }
    }

    fn triaged_referral(triage: DigitalTriage) -> Referral {
        let mut new = NewReferral::basic(
            PatientId::new(),
            ReferralSource::SelfReferral,
            ProblemArea::Back,
            FreeText::parse("back").unwrap(),
        );
        new.digital_triage = Some(triage);
        Referral::receive(
            new,
            ReferralId::new(),
            ReferralReference::from_random(3),
            Actor::System,
            Timestamp::UNIX_EPOCH,
        )
        .0
    }

    #[test]
    fn overriding_the_digital_triage_needs_a_reason() {
        use crate::pathway::{Disposition, Route};
        let suggestion = digital(
            Disposition::Routed {
                route: Route::Pain,
                priority: Priority::Soon,
            },
            vec![],
        );
        let mut referral = triaged_referral(suggestion.clone());
        assert_eq!(referral.urgency, Urgency::Soon);
        let err = referral
            .accept(decision(), Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap_err();
        assert_eq!(err, DomainError::field("note", Invalid("reason-required")));
        assert_eq!(referral.status, ReferralStatus::AwaitingTriage);
        let with_reason = TriageDecision {
            note: Some(FreeText::parse("Mechanical back pain; physio first").unwrap()),
            ..decision()
        };
        let events = referral
            .accept(with_reason, Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(matches!(
            events[..],
            [DomainEvent::ReferralAccepted {
                overridden: true,
                ..
            }]
        ));
        assert!(referral.decision.as_ref().is_some_and(|d| d.overridden));

        let mut agreeing = triaged_referral(suggestion);
        let same = TriageDecision {
            service_kind: ServiceKind::Pain,
            priority: Priority::Soon,
            ..decision()
        };
        agreeing
            .accept(same, Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(agreeing.decision.as_ref().is_some_and(|d| !d.overridden));
    }

    #[test]
    fn closing_with_advice_follows_the_rules() {
        use crate::pathway::{Disposition, Route};
        let advice = || FreeText::parse("Keep active; heat helps.").unwrap();
        let mut self_care = triaged_referral(digital(
            Disposition::Routed {
                route: Route::SelfManagement,
                priority: Priority::Routine,
            },
            vec![],
        ));
        self_care
            .give_advice(advice(), false, None, Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert_eq!(self_care.status, ReferralStatus::AdviceGiven);

        let mut red_flagged = triaged_referral(digital(
            Disposition::Urgent {
                route: Route::SpecialistMsk,
            },
            vec![fever_flag()],
        ));
        let err = red_flagged
            .give_advice(advice(), false, None, Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap_err();
        assert_eq!(err, DomainError::field("note", Invalid("reason-required")));
        let err = red_flagged
            .give_advice(
                advice(),
                true,
                Some(advice()),
                Actor::System,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap_err();
        assert_eq!(
            err,
            DomainError::field("to_referrer", Invalid("no-professional")),
            "only a professional gets advice and guidance"
        );
    }

    #[test]
    fn resubmitting_never_lowers_urgency() {
        use crate::pathway::{Disposition, Route};
        let routine = digital(
            Disposition::Routed {
                route: Route::Physiotherapy,
                priority: Priority::Routine,
            },
            vec![],
        );
        let urgent = digital(
            Disposition::Urgent {
                route: Route::SpecialistMsk,
            },
            vec![fever_flag()],
        );
        let response = || QuestionnaireResponse {
            resource_type: "QuestionnaireResponse".into(),
            questionnaire: "q|1".into(),
            status: "completed".into(),
            item: vec![],
        };
        let mut referral = triaged_referral(routine.clone());
        let events = referral
            .resubmitted(
                response(),
                urgent.clone(),
                Actor::System,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
        assert!(matches!(
            events[..],
            [DomainEvent::ReferralResubmitted {
                urgency_raised: true,
                ..
            }]
        ));
        assert_eq!(referral.urgency, Urgency::Urgent);
        referral
            .resubmitted(response(), routine, Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert_eq!(
            referral.urgency,
            Urgency::Urgent,
            "a calmer answer does not undo a red flag"
        );
        assert_eq!(
            referral.digital_triage.as_ref().map(DigitalTriage::urgency),
            Some(Urgency::Urgent)
        );
    }

    #[test]
    fn questions_wait_for_replies() {
        let mut referral = new_referral();
        assert!(
            referral
                .patient_replied(Actor::System, Timestamp::UNIX_EPOCH)
                .is_err()
        );
        referral
            .ask_patient(Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(referral.awaiting_reply);
        referral
            .patient_replied(Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(!referral.awaiting_reply);
        referral
            .request_mdt(Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(referral.mdt);
        let events = referral
            .record_mdt_outcome(Actor::System, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(matches!(events[..], [DomainEvent::MdtDiscussed { .. }]));
        assert!(!referral.mdt, "off the MDT list");
        assert!(
            referral
                .record_mdt_outcome(Actor::System, Timestamp::UNIX_EPOCH)
                .is_err(),
            "only a listed referral has an outcome"
        );
    }

    #[test]
    fn a_refused_transition_changes_nothing() {
        let mut referral = new_referral();
        let before = referral.clone();
        let err = apply(&mut referral, ReferralAction::Book).unwrap_err();
        assert_eq!(
            err,
            DomainError::InvalidTransition {
                entity: "referral",
                from: "awaiting_triage",
                action: "book"
            }
        );
        assert_eq!(referral, before);
    }

    #[test]
    fn references_are_checked() {
        let reference = ReferralReference::from_random(0x7_1234_5678);
        let text = reference.as_str().to_owned();
        assert!(text.starts_with("JNT-") && text.len() == 13, "{text}");
        assert_eq!(
            ReferralReference::parse(&text.to_lowercase()).unwrap(),
            reference
        );
        assert_eq!(
            ReferralReference::parse(&text.replace('-', "")).unwrap(),
            reference
        );
        let mut typo = text.clone().into_bytes();
        typo[5] = if typo[5] == b'2' { b'3' } else { b'2' };
        assert_eq!(
            ReferralReference::parse(&String::from_utf8(typo).unwrap()),
            Err(Invalid("check"))
        );
        assert_eq!(ReferralReference::parse("hello"), Err(Invalid("format")));
    }

    fn action() -> impl Strategy<Value = ReferralAction> {
        proptest::sample::select(ReferralAction::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn any_sequence_of_actions_follows_the_table(actions in proptest::collection::vec(action(), 0..12)) {
            let mut referral = new_referral();
            for action in actions {
                let before = referral.clone();
                match (next_status(before.status, action), apply(&mut referral, action)) {
                    (Some(next), Ok(events)) => {
                        prop_assert_eq!(referral.status, next);
                        prop_assert_eq!(events.len(), 1);
                        prop_assert_eq!(events[0].referral_id(), Some(referral.id));
                    }
                    (None, Err(_)) => prop_assert_eq!(&referral, &before),
                    (expected, got) => prop_assert!(false, "table said {expected:?}, machine did {got:?}"),
                }
                // Being on the waiting list or booked always means a service and priority are set.
                if matches!(referral.status, ReferralStatus::Waiting | ReferralStatus::Booked) {
                    prop_assert!(referral.service_id.is_some() && referral.priority.is_some());
                }
            }
        }

        #[test]
        fn closed_referrals_accept_no_action_but_open_access(action in action()) {
            for status in ReferralStatus::ALL.into_iter().filter(|s| !s.is_open()) {
                let reopens = status == ReferralStatus::Discharged && action == ReferralAction::UseOpenAccess;
                prop_assert_eq!(next_status(status, action).is_some(), reopens);
            }
        }

        #[test]
        fn every_reference_round_trips(bits in 0u64..(1 << 35)) {
            let reference = ReferralReference::from_random(bits);
            prop_assert_eq!(ReferralReference::parse(reference.as_str()).unwrap(), reference);
        }

        #[test]
        fn any_single_wrong_character_is_caught(bits in 0u64..(1 << 35), position in 4usize..13, replacement in 0usize..32) {
            let reference = ReferralReference::from_random(bits);
            prop_assume!(position != 11);
            let mut chars: Vec<char> = reference.as_str().chars().collect();
            let new = char::from(CROCKFORD[replacement]);
            prop_assume!(chars[position] != new);
            chars[position] = new;
            let typo: String = chars.into_iter().collect();
            prop_assert!(ReferralReference::parse(&typo).is_err());
        }
    }
}
