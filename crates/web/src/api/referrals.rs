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

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::middleware::Limit;

/// The person, with the date of birth as ISO 8601 (`1968-04-12`). Unknown fields are refused,
/// so a misspelt field is caught.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PersonIn {
    given_name: String,
    family_name: String,
    date_of_birth: String,
    nhs_number: String,
    sex: String,
    ethnicity: String,
    preferred_language: String,
    postcode: String,
    phone: String,
    email: String,
    address_line1: String,
    address_line2: String,
    town: String,
    preferred_contact: String,
}

impl PersonIn {
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
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CarerIn {
    name: String,
    relationship: String,
    phone: String,
    email: String,
    /// `true` when the person knows about the referral and agrees to it.
    consent: bool,
}

/// A self-referral (or a carer's).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferralIn {
    person: PersonIn,
    carer: Option<CarerIn>,
    /// Answers by question id: text, numbers, or `true`/`false` for yes/no questions.
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
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReferrerIn {
    name: String,
    role: String,
    phone: String,
    email: String,
}

/// A professional's referral.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ProfessionalReferralIn {
    person: PersonIn,
    referrer: ReferrerIn,
    /// The organisation's ODS code; optional, but if given it must be the key's own.
    ods_code: String,
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

#[derive(Serialize)]
struct TriageOut {
    outcome: &'static str,
    route: Option<&'static str>,
    priority: &'static str,
    red_flags: Vec<String>,
    rule: Option<String>,
    answers_used: Vec<String>,
    explanation: Vec<String>,
    pathway_version: String,
}

#[derive(Serialize)]
struct WaitOut {
    min_weeks: u32,
    max_weeks: u32,
}

#[derive(Serialize)]
struct Created {
    referral_id: String,
    reference: String,
    status: &'static str,
    joined_existing: bool,
    triage: TriageOut,
    expected_wait: Option<WaitOut>,
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
        &Created {
            referral_id: receipt.referral_id.to_string(),
            reference: receipt.reference.to_string(),
            status: "awaiting_triage",
            joined_existing: receipt.joined_existing,
            triage: TriageOut {
                outcome,
                route: triage.route().map(|r| r.as_str()),
                priority: triage.priority().as_str(),
                red_flags: triage.red_flags().iter().map(|f| f.id.clone()).collect(),
                rule: triage.rule().map(str::to_owned),
                answers_used: triage.answers_used().to_vec(),
                explanation: triage.explanation().to_vec(),
                pathway_version: triage.pathway_version().to_owned(),
            },
            expected_wait: receipt.wait.map(|w| WaitOut {
                min_weeks: w.min_weeks,
                max_weeks: w.max_weeks,
            }),
        },
    )
}

/// `POST /api/v1/referrals`
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

/// `POST /api/v1/phone-referrals` (staff who take phone referrals): the same answers, asked
/// by staff on the phone and recorded as assisted by them.
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

/// `POST /api/v1/professional-referrals` (API key of a referring organisation)
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
