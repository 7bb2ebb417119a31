//! Rendering: template x language x channel, from message files checked at start-up.

use std::fmt;

use jointly_domain::MessageId;
use jointly_domain::communication::LetterFormat;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use jointly_domain::link::LinkKey;
use jointly_domain::local;
use jointly_domain::message::MessageTemplate;
use jointly_domain::patient::PersonName;
use jointly_i18n::{Arg, Catalog, CatalogError, Locale, Source};
use jointly_store::{OutboxEntry, SlotView};

use crate::context::{Addressee, MessageContext};

const SOURCES: [Source; 4] = [
    Source {
        locale: Locale::English,
        file: "messages/en.ftl",
        text: include_str!("../messages/en.ftl"),
    },
    Source {
        locale: Locale::EasyRead,
        file: "messages/easy.ftl",
        text: include_str!("../messages/easy.ftl"),
    },
    Source {
        locale: Locale::Polish,
        file: "messages/pl.ftl",
        text: include_str!("../messages/pl.ftl"),
    },
    Source {
        locale: Locale::Urdu,
        file: "messages/ur.ftl",
        text: include_str!("../messages/ur.ftl"),
    },
];

/// The frame of a printed letter, beside every template, in every language.
const LETTER_PARTS: [&str; 8] = [
    "footer",
    "letter-greeting",
    "letter-date",
    "letter-reference",
    "letter-nhs",
    "letter-signoff",
    "letter-from",
    "letter-other-formats",
];

/// The confirm-or-cancel line added to appointment messages, in every language.
const LINK_PARTS: [&str; 2] = ["appointment-links", "appointment-links-sms"];

/// The "something new in your portal" notice sent instead of the details to someone who keeps
/// them in the portal, in every language.
const PORTAL_NOTICE_PARTS: [&str; 3] = [
    "portal-notice-sms",
    "portal-notice-subject",
    "portal-notice-body",
];

/// Parts every template must have.
const PARTS: [&str; 4] = ["sms", "subject", "body", "call"];

/// How the service names itself in messages: its name, phone number and portal.
#[derive(Clone, Debug)]
pub struct TeamDetails {
    /// Service name, for example "Jointly MSK".
    pub name: String,
    /// The key contact's phone number, on every message.
    pub phone: String,
    /// Where Jointly is served (no trailing slash); the portal and staff links start here.
    pub public_url: String,
}

/// Where a message goes. Contact details are personal data: `Debug` hides them.
#[derive(Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A mobile number for a text message.
    Mobile(PhoneNumber),
    /// An email address.
    Email(EmailAddress),
    /// A postal address.
    Post {
        /// Addressee.
        name: PersonName,
        /// Address lines.
        address: Address,
        /// Postcode.
        postcode: Postcode,
    },
    /// A number for staff to call.
    Call(PhoneNumber),
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Mobile(_) => "Mobile",
            Self::Email(_) => "Email",
            Self::Post { .. } => "Post",
            Self::Call(_) => "Call",
        };
        write!(f, "Recipient::{kind}(redacted)")
    }
}

impl Recipient {
    /// The address as a single line, for the staff outbox view and channels.
    pub fn display(&self) -> String {
        match self {
            Self::Mobile(phone) | Self::Call(phone) => phone.to_string(),
            Self::Email(email) => email.to_string(),
            Self::Post {
                name,
                address,
                postcode,
            } => {
                let mut lines = vec![name.to_string(), address.line1.clone()];
                lines.extend(address.line2.clone());
                lines.push(address.town.clone());
                lines.push(postcode.to_string());
                lines.join(", ")
            }
        }
    }
}

/// A message ready for its channel.
#[derive(Clone, Debug)]
pub struct RenderedMessage {
    /// The outbox id, used as the provider reference so a resend is recognised.
    pub id: MessageId,
    /// Which template.
    pub template: MessageTemplate,
    /// The channel.
    pub channel: ContactChannel,
    /// The recipient.
    pub to: Recipient,
    /// Subject (email and letter).
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// The language (and easy-read variant) it was written in.
    pub locale: Locale,
    /// The copy kept in a patient's portal inbox: subject and text as in an email.
    pub inbox: Option<(String, String)>,
    /// For a letter: its frame in the same language, and the print it needs.
    pub letter: Option<LetterFrame>,
}

/// The parts of a printed letter around its body, already in the letter's language.
#[derive(Clone, Debug)]
pub struct LetterFrame {
    /// The print the reader needs.
    pub format: LetterFormat,
    /// "Dear ...".
    pub greeting: String,
    /// Today's date line.
    pub date: String,
    /// The reference line, when the letter is about a referral.
    pub reference: Option<String>,
    /// The NHS number line, when known.
    pub nhs: Option<String>,
    /// "Yours sincerely,".
    pub signoff: String,
    /// Who it is from.
    pub from: String,
    /// How to ask for another format.
    pub other_formats: String,
    /// The service's name and phone number, for the letterhead.
    pub letterhead: (String, String),
}

impl RenderedMessage {
    /// How many text-message fragments the body takes: 160 characters in one (153 each when
    /// joined) in the GSM alphabet, 70 (67) when any character needs Unicode.
    pub fn sms_fragments(&self) -> u32 {
        sms_fragments(&self.body)
    }
}

/// Text-message fragments for `text` (GSM 03.38 basic set, or UCS-2).
pub fn sms_fragments(text: &str) -> u32 {
    const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENDED: &str = "^{}\\[~]|€";
    let (units, single, joined) = if text
        .chars()
        .all(|c| GSM.contains(c) || EXTENDED.contains(c))
    {
        let units: usize = text
            .chars()
            .map(|c| if EXTENDED.contains(c) { 2 } else { 1 })
            .sum();
        (units, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    let fragments = if units <= single {
        1
    } else {
        units.div_ceil(joined)
    };
    u32::try_from(fragments).unwrap_or(u32::MAX)
}

/// Why a message could not be rendered.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The patient's details no longer allow this channel.
    #[error("no {0} address for the patient")]
    NoAddress(&'static str),
    /// The message needs data that is missing (for example a deleted appointment).
    #[error("message data is missing {0}")]
    MissingData(&'static str),
    /// A template part is missing or failed to format.
    #[error("template {0} could not be formatted")]
    Template(String),
}

/// Renders messages.
#[derive(Debug)]
pub struct Renderer {
    catalog: Catalog,
    team: TeamDetails,
    links: Option<LinkKey>,
}

/// Why the message files were refused at start-up.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A file does not parse or breaks a rule.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A template lacks a part.
    #[error("{0}: message `{1}` is missing")]
    Missing(&'static str, String),
}

impl Renderer {
    /// Loads and checks the message templates: every template needs every part, and every
    /// letter its frame, in every language we write to patients in.
    pub fn new(team: TeamDetails) -> Result<Self, TemplateError> {
        let catalog = Catalog::load(&SOURCES)?;
        let ids = MessageTemplate::ALL
            .iter()
            .flat_map(|t| PARTS.map(|part| format!("{}-{part}", t.as_str())))
            .chain(LETTER_PARTS.map(str::to_owned))
            .chain(LINK_PARTS.map(str::to_owned))
            .chain(PORTAL_NOTICE_PARTS.map(str::to_owned));
        for id in ids {
            for source in &SOURCES {
                if !catalog.is_translated(source.locale, &id) {
                    return Err(TemplateError::Missing(source.file, id));
                }
            }
        }
        Ok(Self {
            catalog,
            team,
            links: None,
        })
    }

    /// Adds a confirm-or-cancel link, signed with `key`, to booking confirmations and
    /// reminders.
    pub fn with_links(mut self, key: LinkKey) -> Self {
        self.links = Some(key);
        self
    }

    /// The key appointment links are signed with, if they are made.
    pub fn link_key(&self) -> Option<&LinkKey> {
        self.links.as_ref()
    }

    /// The confirm-or-cancel address for a booking confirmation or reminder.
    fn appointment_link(&self, entry: &OutboxEntry) -> Option<String> {
        let key = self.links.as_ref()?;
        let linked = matches!(
            entry.template,
            MessageTemplate::AppointmentBooked
                | MessageTemplate::AppointmentChanged
                | MessageTemplate::AppointmentReminder
        );
        let appointment = entry.data.appointment_id.filter(|_| linked)?;
        Some(format!(
            "{}/a/{}",
            self.team.public_url,
            key.token(appointment)
        ))
    }

    /// Renders an outbox entry for its addressee on `channel` (the channel the worker chose
    /// from the person's order; staff and organisations always get email).
    pub fn render(
        &self,
        entry: &OutboxEntry,
        context: &MessageContext,
        channel: ContactChannel,
    ) -> Result<RenderedMessage, RenderError> {
        let patient = &context.patient;
        let (to, channel) = match (&context.addressee, channel) {
            (Addressee::Staff { email, .. } | Addressee::Organisation { email, .. }, _) => {
                (Recipient::Email(email.clone()), ContactChannel::Email)
            }
            // A carer gets a text when they have a mobile, otherwise an email.
            (Addressee::Carer(carer), _) => match (&carer.phone, &carer.email) {
                (Some(phone), _) if phone.is_mobile() => {
                    (Recipient::Mobile(phone.clone()), ContactChannel::Sms)
                }
                (_, Some(email)) => (Recipient::Email(email.clone()), ContactChannel::Email),
                (Some(phone), None) => (Recipient::Call(phone.clone()), ContactChannel::Telephone),
                (None, None) => return Err(RenderError::NoAddress("carer")),
            },
            (Addressee::Patient, ContactChannel::Sms) => (
                Recipient::Mobile(
                    patient
                        .phone
                        .clone()
                        .filter(PhoneNumber::is_mobile)
                        .ok_or(RenderError::NoAddress("mobile"))?,
                ),
                channel,
            ),
            (Addressee::Patient, ContactChannel::Email) => (
                Recipient::Email(
                    patient
                        .email
                        .clone()
                        .ok_or(RenderError::NoAddress("email"))?,
                ),
                channel,
            ),
            (Addressee::Patient, ContactChannel::Letter) => (
                Recipient::Post {
                    name: patient.name.clone(),
                    address: patient
                        .address
                        .clone()
                        .ok_or(RenderError::NoAddress("postal"))?,
                    postcode: patient.postcode.clone(),
                },
                channel,
            ),
            (Addressee::Patient, ContactChannel::Telephone) => (
                Recipient::Call(
                    patient
                        .phone
                        .clone()
                        .ok_or(RenderError::NoAddress("telephone"))?,
                ),
                channel,
            ),
        };
        let locale = self.locale_for(context);
        let values = self.values(entry, context, locale)?;
        let args: Vec<(&str, Arg<'_>)> = values.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
        let part = |name: &str| -> Result<String, RenderError> {
            let id = format!("{}-{name}", entry.template.as_str());
            let text = self.catalog.message(locale, &id, &args);
            if text == id {
                Err(RenderError::Template(id))
            } else {
                Ok(text)
            }
        };
        let footer = self.catalog.message(locale, "footer", &args);
        let intro = match &context.addressee {
            Addressee::Carer(_) => format!(
                "{}\n\n",
                self.catalog.message(
                    locale,
                    "carer-intro",
                    &[("patient", Arg::Str(&patient.name.to_string()))]
                )
            ),
            _ => String::new(),
        };
        let link = self.appointment_link(entry);
        let link_line = |id: &str| {
            link.as_deref().map_or_else(String::new, |link| {
                self.catalog
                    .message(locale, id, &[("link", Arg::Str(link))])
            })
        };
        let (links, links_sms) = (
            link_line("appointment-links"),
            link_line("appointment-links-sms"),
        );
        let email = || -> Result<(String, String), RenderError> {
            let links = if links.is_empty() {
                String::new()
            } else {
                format!("\n\n{links}")
            };
            Ok((
                part("subject")?,
                format!("{intro}{}{links}\n\n{footer}", part("body")?),
            ))
        };
        // Someone who keeps the details in the portal hears only that there is something new
        // there; urgent advice and sign-in codes cannot wait for a sign-in, and a letter or a
        // call is how someone is reached when texts and emails are not.
        let notice_only = matches!(context.addressee, Addressee::Patient)
            && context.profile.preferences.portal_first
            && matches!(channel, ContactChannel::Sms | ContactChannel::Email)
            && !entry.template.is_urgent()
            && !matches!(
                entry.template,
                MessageTemplate::SignInCode | MessageTemplate::CareTeamMessage
            );
        let notice = |id: &str| {
            let link = format!("{}/portal/messages", self.team.public_url);
            let mut args = args.clone();
            args.push(("link", Arg::Str(&link)));
            self.catalog.message(locale, id, &args)
        };
        let (subject, body) = match channel {
            ContactChannel::Sms if notice_only => (None, notice("portal-notice-sms")),
            ContactChannel::Email if notice_only => (
                Some(notice("portal-notice-subject")),
                format!("{}\n\n{footer}", notice("portal-notice-body")),
            ),
            ContactChannel::Sms => {
                let text = format!("{intro}{}", part("sms")?);
                let linked = format!("{text} {links_sms}");
                // The link goes in when the text still fits its budget: two fragments in
                // GSM-7, four in Unicode (Polish, Urdu). Emails, letters and the portal copy
                // always carry it.
                let budget = if sms_fragments(&text) <= 2 && text.is_ascii() {
                    2
                } else {
                    4
                };
                if links_sms.is_empty() || sms_fragments(&linked) > budget {
                    (None, text)
                } else {
                    (None, linked)
                }
            }
            ContactChannel::Telephone => (None, part("call")?),
            ContactChannel::Email | ContactChannel::Letter => {
                let (subject, body) = email()?;
                (Some(subject), body)
            }
        };
        let inbox = match context.addressee {
            Addressee::Patient => Some(email()?),
            _ => None,
        };
        let letter =
            (channel == ContactChannel::Letter).then(|| self.letter_frame(context, locale, &args));
        Ok(RenderedMessage {
            id: entry.id,
            template: entry.template,
            channel,
            to,
            subject,
            body,
            locale,
            inbox,
            letter,
        })
    }

    /// The language a message is written in: staff, organisations and carers read English;
    /// a patient their own language when we write in it, in easy read when they need it.
    fn locale_for(&self, context: &MessageContext) -> Locale {
        match context.addressee {
            Addressee::Patient => match Locale::parse(context.patient.preferred_language.code()) {
                Some(Locale::English) | None if context.profile.easy_read(&context.patient) => {
                    Locale::EasyRead
                }
                Some(locale) => locale,
                None => Locale::English,
            },
            _ => Locale::English,
        }
    }

    fn letter_frame(
        &self,
        context: &MessageContext,
        locale: Locale,
        args: &[(&str, Arg<'_>)],
    ) -> LetterFrame {
        let patient = &context.patient;
        let name = patient.name.to_string();
        let today = self.catalog.long_date(locale, local(context.now).date());
        let line = |id: &str, extra: &[(&str, Arg<'_>)]| {
            let mut all = args.to_vec();
            all.extend_from_slice(extra);
            self.catalog.message(locale, id, &all)
        };
        LetterFrame {
            format: context.profile.needs.letter_format(),
            greeting: line("letter-greeting", &[("name", Arg::Str(&name))]),
            date: line("letter-date", &[("date", Arg::Str(&today))]),
            reference: context.reference.as_ref().map(|r| {
                line(
                    "letter-reference",
                    &[("reference", Arg::Str(&r.to_string()))],
                )
            }),
            nhs: patient
                .nhs_number
                .as_ref()
                .map(|n| line("letter-nhs", &[("nhs", Arg::Str(&n.to_string()))])),
            signoff: line("letter-signoff", &[]),
            from: line("letter-from", &[]),
            other_formats: line("letter-other-formats", &[]),
            letterhead: (self.team.name.clone(), self.team.phone.clone()),
        }
    }

    /// When and where an appointment (or an offered slot) is.
    fn slot_values(&self, slot: &SlotView, locale: Locale) -> [(&'static str, String); 4] {
        let start = local(slot.slot.start);
        [
            ("date", self.catalog.long_date(locale, start.date())),
            ("time", self.catalog.time(locale, start.time())),
            ("location", slot.location_name.clone()),
            (
                "address",
                format!("{}, {}", slot.location_address, slot.location_town),
            ),
        ]
    }

    fn values(
        &self,
        entry: &OutboxEntry,
        context: &MessageContext,
        locale: Locale,
    ) -> Result<Vec<(&'static str, String)>, RenderError> {
        let portal = format!("{}/portal", self.team.public_url);
        let mut values = vec![
            ("team", self.team.name.clone()),
            ("phone", self.team.phone.clone()),
            ("portal", portal),
            (
                "contact",
                context
                    .key_contact
                    .clone()
                    .unwrap_or_else(|| "none".to_owned()),
            ),
        ];
        let needs = |what| RenderError::MissingData(what);
        let service = || context.service_name.clone().ok_or(needs("service"));
        let reference = || {
            context
                .reference
                .as_ref()
                .map(ToString::to_string)
                .ok_or(needs("referral"))
        };
        let patient = &context.patient;
        let identity = || {
            vec![
                ("patient", patient.name.to_string()),
                (
                    "born",
                    self.catalog
                        .medium_date(Locale::English, patient.date_of_birth),
                ),
                (
                    "nhs",
                    patient
                        .nhs_number
                        .as_ref()
                        .map_or_else(|| "not given".to_owned(), ToString::to_string),
                ),
            ]
        };
        // Without an open-access window a template says to contact the GP or refer again.
        let until = || {
            context.open_access_until.map_or_else(
                || "none".to_owned(),
                |until| self.catalog.long_date(locale, local(until).date()),
            )
        };
        match entry.template {
            MessageTemplate::SignInCode => {
                values.push(("code", entry.data.code.clone().ok_or(needs("code"))?));
            }
            MessageTemplate::ReferralReceived
            | MessageTemplate::EmergencyAdvice
            | MessageTemplate::CallBackToday => values.push(("reference", reference()?)),
            MessageTemplate::ReferralAccepted => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
            }
            MessageTemplate::AdviceGiven => {
                values.push(("reference", reference()?));
                values.push(("advice", context.advice.clone().ok_or(needs("advice"))?));
            }
            MessageTemplate::QuestionFromClinician => {
                values.push(("reference", reference()?));
                values.push((
                    "question",
                    context.question.clone().ok_or(needs("question"))?,
                ));
            }
            MessageTemplate::AppointmentBooked
            | MessageTemplate::AppointmentCancelled
            | MessageTemplate::AppointmentReminder
            | MessageTemplate::AppointmentMissed => {
                values.push(("reference", reference()?));
                let slot = context.appointment.as_ref().ok_or(needs("appointment"))?;
                values.extend(self.slot_values(slot, locale));
            }
            MessageTemplate::AppointmentChanged => {
                values.push(("reference", reference()?));
                let slot = context.appointment.as_ref().ok_or(needs("appointment"))?;
                values.extend(self.slot_values(slot, locale));
                let was = context
                    .previous_appointment
                    .as_ref()
                    .ok_or(needs("previous appointment"))?;
                let [(_, date), (_, time), ..] = self.slot_values(was, locale);
                values.push(("old_date", date));
                values.push(("old_time", time));
            }
            MessageTemplate::RunningLate => {
                values.push(("reference", reference()?));
                let slot = context.appointment.as_ref().ok_or(needs("appointment"))?;
                values.extend(self.slot_values(slot, locale));
                let minutes = entry.data.minutes_late.ok_or(needs("minutes"))?;
                values.push(("minutes", minutes.to_string()));
            }
            MessageTemplate::FollowUpNeeded | MessageTemplate::DischargedAfterMissed => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
            }
            MessageTemplate::WaitUpdate => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
                let (min, max) = entry
                    .data
                    .wait_weeks
                    .map_or(("none".to_owned(), "none".to_owned()), |(min, max)| {
                        (min.to_string(), max.to_string())
                    });
                values.push(("min", min));
                values.push(("max", max));
            }
            MessageTemplate::StillNeeded => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
                let referral = context.referral_id.ok_or(needs("referral"))?;
                values.push((
                    "link",
                    format!(
                        "{}/portal/referrals/{referral}/still-needed",
                        self.team.public_url
                    ),
                ));
            }
            MessageTemplate::ClassBooked | MessageTemplate::ClassWaiting => {
                values.push(("reference", reference()?));
                let class = context.class.as_ref().ok_or(needs("class"))?;
                let start = local(class.class.start);
                let name = format!("class-name-{}", class.class.kind.as_str());
                values.push(("class", self.catalog.message(locale, &name, &[])));
                values.push(("date", self.catalog.long_date(locale, start.date())));
                values.push(("time", self.catalog.time(locale, start.time())));
                values.push(("location", class.location_name.clone()));
                values.push(("address", class.location_address.clone()));
            }
            MessageTemplate::CareTeamMessage => {
                values.push((
                    "link",
                    format!("{}/portal/conversations", self.team.public_url),
                ));
            }
            MessageTemplate::MeasuresDue => {
                values.push(("link", format!("{}/portal/measures", self.team.public_url)));
            }
            MessageTemplate::TreatmentPlan => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
                values.push(("plan", context.entry.clone().ok_or(needs("plan"))?));
                values.push(("link", format!("{}/portal/passport", self.team.public_url)));
            }
            MessageTemplate::DischargeSummary | MessageTemplate::DischargeSummaryToGp => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
                values.push(("summary", context.entry.clone().ok_or(needs("summary"))?));
                values.push(("until", until()));
                if entry.template == MessageTemplate::DischargeSummaryToGp {
                    values.extend(identity());
                } else {
                    values.push(("link", format!("{}/portal/passport", self.team.public_url)));
                }
            }
            MessageTemplate::FeedbackRequest => {
                values.push(("reference", reference()?));
                // Closed at triage with advice, a referral has no service: ask about ours.
                let service = context
                    .service_name
                    .clone()
                    .unwrap_or_else(|| self.team.name.clone());
                values.push(("service", service));
                let referral = context.referral_id.ok_or(needs("referral"))?;
                let moment = entry.data.feedback_moment.ok_or(needs("moment"))?;
                values.push((
                    "link",
                    match &self.links {
                        Some(key) => format!(
                            "{}/feedback/{}",
                            self.team.public_url,
                            key.feedback_token(referral, moment)
                        ),
                        None => format!("{}/feedback", self.team.public_url),
                    },
                ));
            }
            MessageTemplate::Discharged => {
                values.push(("reference", reference()?));
                values.push(("service", service()?));
                values.push(("until", until()));
            }
            MessageTemplate::ReferralAcknowledged => {
                values.push(("reference", reference()?));
                values.extend(identity());
            }
            MessageTemplate::AdviceAndGuidance => {
                values.push(("reference", reference()?));
                values.push(("advice", context.advice.clone().ok_or(needs("advice"))?));
                values.extend(identity());
            }
            MessageTemplate::SlotOffered | MessageTemplate::SlotGone => {
                values.push(("reference", reference()?));
                let slot = context.appointment.as_ref().ok_or(needs("slot"))?;
                values.extend(self.slot_values(slot, locale));
                let (offer, expires) = context.offer.ok_or(needs("offer"))?;
                let expires = local(expires);
                values.push((
                    "expires",
                    format!(
                        "{} {}",
                        self.catalog.time(locale, expires.time()),
                        self.catalog.long_date(locale, expires.date())
                    ),
                ));
                values.push((
                    "link",
                    format!("{}/portal/offers/{offer}", self.team.public_url),
                ));
            }
            MessageTemplate::EmergencyAlert => {
                values.push(("reference", reference()?));
                let referral = context.referral_id.ok_or(needs("referral"))?;
                values.push((
                    "link",
                    format!("{}/staff/referrals/{referral}", self.team.public_url),
                ));
            }
        }
        if let Addressee::Staff { name, .. } | Addressee::Organisation { name, .. } =
            &context.addressee
        {
            values.push(("addressee", name.clone()));
        }
        Ok(values)
    }
}
