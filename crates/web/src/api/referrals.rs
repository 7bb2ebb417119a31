//! Referrals from programs: `POST /api/v1/referrals` (a person referring themselves through a
//! kiosk or a partner's app) and `POST /api/v1/professional-referrals` (a referring
//! organisation's system, with its API key). Both answer at once with the reference, the
//! digital triage and the expected wait.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{AppError, Intake, IntakeReceipt, IntakeRoute};
use jointly_domain::communication::CommunicationAnswers;
use jointly_domain::intake::{CarerAnswers, DateParts, PersonAnswers, ProfessionalAnswers};
use jointly_domain::pathway::Disposition;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::middleware::Limit;

/// The person, with the date of birth as ISO 8601 (`1968-04-12`). Unknown fields are refused,
/// so a misspelt field is caught.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferredPerson {
    given_name: String,
    family_name: String,
    /// `YYYY-MM-DD`.
    date_of_birth: String,
    /// The 10-digit NHS number, optional; spaces and hyphens are ignored.
    nhs_number: String,
    /// `female`, `male`, `other`, or `unknown` for "prefer not to say".
    sex: String,
    /// Optional: the NHS Data Dictionary ethnic category letter (`A` to `S`, or `Z` for not
    /// stated).
    ethnicity: String,
    /// The ISO 639-1 code of the language they prefer (`en`, `pl`, `ur`, `pa`, `bn`, `gu`,
    /// `ro`, `pt`, `so`, `ar`, `lt`, `it`, `tr`, `ta`, `zh` or `bg`); blank means English.
    preferred_language: String,
    /// A UK postcode, for example `MK9 3HQ`.
    postcode: String,
    /// A UK phone number; needed when `preferred_contact` is `telephone`, and a mobile when it
    /// is `sms`.
    phone: String,
    /// Needed when `preferred_contact` is `email`.
    email: String,
    /// Needed when `preferred_contact` is `letter`; up to 200 characters.
    address_line1: String,
    /// Optional; up to 200 characters.
    address_line2: String,
    /// Needed when `preferred_contact` is `letter`.
    town: String,
    /// How they want to hear from the service: `sms`, `email`, `letter` or `telephone`.
    preferred_contact: String,
}

impl ReferredPerson {
    fn answers(self) -> PersonAnswers {
        PersonAnswers {
            given_name: self.given_name,
            family_name: self.family_name,
            date_of_birth: DateParts::from_iso(&self.date_of_birth),
            nhs_number: self.nhs_number,
            sex: self.sex,
            ethnicity: self.ethnicity,
            preferred_language: self.preferred_language,
            phone: self.phone,
            email: self.email,
            address_line1: self.address_line1,
            address_line2: self.address_line2,
            town: self.town,
            postcode: self.postcode,
            preferred_contact: self.preferred_contact,
        }
    }
}

/// A carer referring for someone.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferringCarer {
    /// Their full name, up to 100 characters.
    name: String,
    /// `family`, `friend`, `paid_carer` or `other`.
    relationship: String,
    /// A UK phone number; a phone number or an email is needed.
    phone: String,
    /// An email address; a phone number or an email is needed.
    email: String,
    /// `true` when the person knows about the referral and agrees to it.
    consent: bool,
}

/// A self-referral (or a carer's).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferralIn {
    person: ReferredPerson,
    /// Only when a carer refers for the person.
    carer: Option<ReferringCarer>,
    /// Answers by question id (the `linkId`s of `GET /fhir/Questionnaire/msk-self-referral`):
    /// text, numbers, or `true`/`false` for yes/no questions. `area` (where the problem is:
    /// `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`, `knee`, `ankle_foot` or
    /// `widespread`) is always needed.
    answers: BTreeMap<String, Value>,
    /// Coded communication needs and contact preferences, as for
    /// `PUT /api/v1/me/communication`.
    communication: Option<CommunicationAnswers>,
}

impl ReferralIn {
    fn intake(self) -> Intake {
        Intake {
            person: self.person.answers(),
            carer: self.carer.map(|c| CarerAnswers {
                carer_name: c.name,
                carer_relationship: c.relationship,
                carer_phone: c.phone,
                carer_email: c.email,
                carer_consent: if c.consent { "yes" } else { "" }.into(),
            }),
            professional: None,
            answers: answers_text(self.answers),
            communication: self.communication,
        }
    }
}

/// The referring professional.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferringProfessional {
    name: String,
    /// `general_practitioner`, `pharmacist`, `social_prescriber`, `emergency_department`,
    /// `first_contact_practitioner`, `nurse` or `other`.
    role: String,
    /// Optional: a UK phone number for the MSK team to call back.
    phone: String,
    /// Where advice and guidance and the outcome are sent.
    email: String,
}

/// A professional's referral.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ProfessionalReferralIn {
    person: ReferredPerson,
    referrer: ReferringProfessional,
    /// The organisation's ODS code; optional, but if given it must be the key's own.
    ods_code: String,
    /// Answers by question id, as for a self-referral.
    answers: BTreeMap<String, Value>,
    /// Coded communication needs, as for a self-referral.
    communication: Option<CommunicationAnswers>,
}

/// Answers as the questionnaire reads them; anything but text, numbers and yes/no is kept as
/// JSON text, which then fails the question's own check with a clear problem.
fn answers_text(answers: BTreeMap<String, Value>) -> BTreeMap<String, String> {
    answers
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Bool(true) => "yes".into(),
                Value::Bool(false) => "no".into(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// What the digital triage decided from the answers.
#[derive(Serialize, ToSchema)]
struct DigitalTriageSummary {
    /// `emergency` (go to A&E now or call 999), `urgent` (a clinician calls back the same
    /// day) or `routed` (no red flags).
    outcome: &'static str,
    /// Where the referral should go next (none for an emergency): `self_management`,
    /// `physiotherapy`, `first_contact_practitioner`, `specialist_msk`, `pain`,
    /// `orthopaedics`, `rheumatology`, `podiatry`, `group_class`, `social_prescribing` or
    /// `weight_management`.
    route: Option<&'static str>,
    /// `urgent`, `soon` or `routine`.
    priority: &'static str,
    /// The ids of the red-flag rules that fired.
    red_flags: Vec<String>,
    /// The routing rule that decided, when no red flag did.
    rule: Option<String>,
    /// The question ids whose answers the deciding rules read (`age` for the date of birth).
    answers_used: Vec<String>,
    /// Why, rule by rule.
    explanation: Vec<String>,
    /// The version of the pathway that decided.
    pathway_version: String,
}

/// The expected wait for the suggested route and priority, in whole weeks.
#[derive(Serialize, ToSchema)]
struct ExpectedWait {
    min_weeks: u32,
    max_weeks: u32,
}

/// A referral received.
#[derive(Serialize, ToSchema)]
struct ReferralReceived {
    referral_id: String,
    /// The reference the person quotes, for example `JNT-4K7P2QX-9`.
    reference: String,
    /// Where the referral stands: `awaiting_triage` when new; one the answers joined may be
    /// further on (`waiting`, `booked`).
    status: &'static str,
    /// `true` when the person already had an open referral for the same area, which these
    /// answers were added to instead of opening another.
    joined_existing: bool,
    triage: DigitalTriageSummary,
    /// None for an emergency, a route no service takes, or a service with no recent bookings
    /// to go on.
    expected_wait: Option<ExpectedWait>,
}

fn created(receipt: &IntakeReceipt) -> Response {
    let triage = &receipt.triage;
    let outcome = match triage.disposition() {
        Disposition::Emergency => "emergency",
        Disposition::Urgent { .. } => "urgent",
        Disposition::Routed { .. } => "routed",
    };
    json(
        StatusCode::CREATED,
        &ReferralReceived {
            referral_id: receipt.referral_id.to_string(),
            reference: receipt.reference.to_string(),
            status: receipt.status.as_str(),
            joined_existing: receipt.joined_existing,
            triage: DigitalTriageSummary {
                outcome,
                route: triage.route().map(|r| r.as_str()),
                priority: triage.priority().as_str(),
                red_flags: triage.red_flags().iter().map(|f| f.id.clone()).collect(),
                rule: triage.rule().map(str::to_owned),
                answers_used: triage.answers_used().to_vec(),
                explanation: triage.explanation().to_vec(),
                pathway_version: triage.pathway_version().to_owned(),
            },
            expected_wait: receipt.wait.map(|w| ExpectedWait {
                min_weeks: w.min_weeks,
                max_weeks: w.max_weeks,
            }),
        },
    )
}

/// Refers oneself (or, as a carer, someone else).
///
/// For a kiosk or a partner's app. Answers at once with the reference, the digital triage
/// and the expected wait.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals",
    request_body = ReferralIn,
    responses(
        (status = 201, description = "Received: the reference, the triage and the expected wait", body = ReferralReceived),
        (status = 422, description = "The details or answers need fixing: each problem names its field", body = crate::openapi::Problem),
        (status = 429, description = "Too many referrals from this client; try later", body = crate::openapi::Problem)))]
pub(crate) async fn create(
    ctx: Ctx,
    ApiJson(body): ApiJson<ReferralIn>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::Referral) {
        return Err(AppError::TooManyAttempts.into());
    }
    let receipt = ctx
        .app()
        .submit_intake(ctx.principal(), IntakeRoute::Online, &body.intake())
        .await?;
    Ok(created(&receipt))
}

/// Records a referral taken on the phone.
///
/// The same answers as a self-referral, asked by staff on the phone and recorded as assisted
/// by them.
#[utoipa::path(post, path = "/api/v1/phone-referrals", tag = "referrals",
    request_body = ReferralIn,
    responses(
        (status = 201, description = "Received: the reference, the triage and the expected wait", body = ReferralReceived),
        (status = 422, description = "The details or answers need fixing: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn create_by_phone(
    ctx: Ctx,
    ApiJson(body): ApiJson<ReferralIn>,
) -> Result<Response, WebError> {
    let receipt = ctx
        .app()
        .submit_intake(ctx.principal(), IntakeRoute::Phone, &body.intake())
        .await?;
    Ok(created(&receipt))
}

/// Refers a person from a referring organisation's system.
///
/// Answers at once with the reference, the digital triage and the expected wait.
#[utoipa::path(post, path = "/api/v1/professional-referrals", tag = "referrals",
    request_body = ProfessionalReferralIn,
    responses(
        (status = 201, description = "Received: the reference, the triage and the expected wait", body = ReferralReceived),
        (status = 422, description = "The details or answers need fixing, or `ods_code` is not the key's own: each problem names its field", body = crate::openapi::Problem)))]
pub(crate) async fn create_professional(
    ctx: Ctx,
    ApiJson(body): ApiJson<ProfessionalReferralIn>,
) -> Result<Response, WebError> {
    let organisation = ctx.app().referring_organisation(ctx.principal()).await?;
    let intake = Intake {
        person: body.person.answers(),
        carer: None,
        professional: Some(ProfessionalAnswers {
            ods_code: body.ods_code,
            referrer_name: body.referrer.name,
            referrer_role: body.referrer.role,
            referrer_phone: body.referrer.phone,
            referrer_email: body.referrer.email,
        }),
        answers: answers_text(body.answers),
        communication: body.communication,
    };
    let receipt = ctx
        .app()
        .submit_intake(
            ctx.principal(),
            IntakeRoute::ProfessionalApi(organisation),
            &intake,
        )
        .await?;
    Ok(created(&receipt))
}
