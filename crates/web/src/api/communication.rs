//! The JSON API for communication: a person's needs and preferences, their inbox, the staff
//! list of people to call, undeliverable messages, and delivery receipts from the provider.

use axum::extract::Path;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jointly_app::{AppError, ReceiptOutcome};
use jointly_domain::communication::{CommunicationAnswers, CommunicationProfile};
use jointly_domain::{MessageId, ReferralId};
use jointly_store::OutboxEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

/// A profile as JSON: coded needs with their SNOMED CT codes, and preferences.
#[derive(Serialize, ToSchema)]
struct ProfileOut<'a> {
    /// Coded needs (Accessible Information Standard).
    needs: Vec<NeedOut>,
    /// The interpreter appointments need, when one does: a communication professional's need
    /// key (`bsl_interpreter`, `makaton_interpreter`, `lipspeaker`, `speech_to_text`,
    /// `deafblind_interpreter`), or `spoken:` and an ISO 639-1 language code (for example
    /// `spoken:pl`).
    interpreter: Option<String>,
    /// A spoken language to interpret (ISO 639-1), when recorded.
    interpreter_language: Option<&'static str>,
    /// Anything else, in the person's or staff's words.
    details: Option<&'a str>,
    /// The print letters need: `standard`, `large_print`, `braille` or `audio`.
    letter_format: &'static str,
    /// Letters' body text size in points (12 unless large print).
    point_size: u8,
    /// How the person wants to be contacted.
    preferences: &'a jointly_domain::communication::ContactPreferences,
    /// When the needs are next due to be checked with the person (`YYYY-MM-DD`), once
    /// recorded.
    review_due: Option<String>,
}

/// One coded communication need.
#[derive(Serialize, ToSchema)]
struct NeedOut {
    /// The stable key, as sent in `needs` (for example `bsl_interpreter`).
    key: &'static str,
    /// The SNOMED CT concept id.
    snomed: &'static str,
    /// The SNOMED CT display term (English).
    display: &'static str,
    /// The standard's category: `contact_method`, `information_format`,
    /// `communication_professional` or `communication_support`.
    category: &'static str,
}

fn profile_out(profile: &CommunicationProfile) -> ProfileOut<'_> {
    let format = profile.needs.letter_format();
    ProfileOut {
        needs: profile
            .needs
            .needs
            .iter()
            .map(|n| NeedOut {
                key: n.key(),
                snomed: n.snomed(),
                display: n.display(),
                category: n.category().as_str(),
            })
            .collect(),
        interpreter: profile.needs.interpreter().map(|i| i.code()),
        interpreter_language: profile.needs.interpreter_language.map(|l| l.code()),
        details: profile.needs.details.as_deref(),
        letter_format: format.as_str(),
        point_size: format.point_size(),
        preferences: &profile.preferences,
        review_due: profile.review_due().map(|d| d.to_string()),
    }
}

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// Reads the signed-in patient's communication needs and contact preferences.
#[utoipa::path(get, path = "/api/v1/me/communication", tag = "communication",
    responses((status = 200, description = "Their needs and preferences", body = ProfileOut<'_>)))]
pub(crate) async fn own(ctx: Ctx) -> Result<Response, WebError> {
    let profile = ctx.app().own_communication(ctx.principal()).await?;
    Ok(json(StatusCode::OK, &profile_out(&profile)))
}

/// Records the signed-in patient's communication needs and contact preferences.
///
/// The whole profile is replaced; nothing changes unless all of it is valid.
#[utoipa::path(put, path = "/api/v1/me/communication", tag = "communication",
    request_body = CommunicationAnswers,
    responses(
        (status = 200, description = "Recorded: their needs and preferences", body = ProfileOut<'_>),
        (status = 422, description = "A need, language, channel, time or carer detail is not valid", body = crate::openapi::Problem)))]
pub(crate) async fn set_own(
    ctx: Ctx,
    ApiJson(answers): ApiJson<CommunicationAnswers>,
) -> Result<Response, WebError> {
    let profile = ctx
        .app()
        .set_own_communication(ctx.principal(), &answers)
        .await?;
    Ok(json(StatusCode::OK, &profile_out(&profile)))
}

/// Records the communication needs and contact preferences of the person a referral is about.
///
/// For staff with a relationship to the referral. The whole profile is replaced; nothing
/// changes unless all of it is valid.
#[utoipa::path(put, path = "/api/v1/referrals/{id}/communication", tag = "communication",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = CommunicationAnswers,
    responses(
        (status = 200, description = "Recorded: the person's needs and preferences", body = ProfileOut<'_>),
        (status = 422, description = "A need, language, channel, time or carer detail is not valid", body = crate::openapi::Problem)))]
pub(crate) async fn set_for_referral(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(answers): ApiJson<CommunicationAnswers>,
) -> Result<Response, WebError> {
    let referral: ReferralId = id(&raw)?;
    let profile = ctx
        .app()
        .set_communication_for_referral(ctx.principal(), referral, &answers)
        .await?;
    Ok(json(StatusCode::OK, &profile_out(&profile)))
}

/// A patient's portal inbox.
#[derive(Serialize, ToSchema)]
struct InboxOut {
    /// How many messages are unread.
    unread: u32,
    /// Messages, newest first.
    messages: Vec<InboxMessageOut>,
}

/// A message in the portal inbox.
#[derive(Serialize, ToSchema)]
struct InboxMessageOut {
    id: String,
    subject: String,
    body: String,
    /// When it arrived (RFC 3339).
    received_at: String,
    /// Whether the patient has read it.
    read: bool,
}

/// Lists the signed-in patient's portal inbox, newest first.
#[utoipa::path(get, path = "/api/v1/me/inbox", tag = "communication",
    responses((status = 200, description = "The inbox", body = InboxOut)))]
pub(crate) async fn inbox(ctx: Ctx) -> Result<Response, WebError> {
    let inbox = ctx.app().inbox(ctx.principal()).await?;
    Ok(json(
        StatusCode::OK,
        &InboxOut {
            unread: inbox.unread,
            messages: inbox
                .messages
                .into_iter()
                .map(|m| InboxMessageOut {
                    id: m.id.to_string(),
                    subject: m.subject,
                    body: m.body,
                    received_at: m.created_at.to_string(),
                    read: m.read_at.is_some(),
                })
                .collect(),
        },
    ))
}

/// A message marked as read.
#[derive(Serialize, ToSchema)]
struct ReadOut {
    /// Always `true`.
    read: bool,
}

/// Marks one of the signed-in patient's inbox messages as read.
#[utoipa::path(post, path = "/api/v1/me/inbox/{id}/read", tag = "communication",
    params(("id" = String, Path, description = "The message's id")),
    responses((status = 200, description = "Marked as read", body = ReadOut)))]
pub(crate) async fn read(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let message: MessageId = id(&raw)?;
    ctx.app()
        .read_inbox_message(ctx.principal(), message)
        .await?;
    Ok(json(StatusCode::OK, &ReadOut { read: true }))
}

/// A message in the outbox.
#[derive(Serialize, ToSchema)]
struct MessageOut {
    /// The message's id; also the reference given to the message provider.
    id: String,
    /// Which message, as a stable code (for example `appointment_booked`).
    template: &'static str,
    /// The channel it is on now: `sms`, `email`, `letter` or `telephone`.
    channel: &'static str,
    /// Where it is in delivery: `pending`, `sent`, `dead` (undeliverable) or `awaiting_call`.
    status: &'static str,
    /// Delivery attempts so far.
    attempts: i64,
    /// The last failure, as a short code (never message content).
    last_error: Option<String>,
    /// Channels already tried that could not deliver, in order (`sms`, `email`, `letter`,
    /// `telephone`).
    failed_channels: Vec<&'static str>,
    /// When it was queued (RFC 3339).
    queued_at: String,
}

fn message_out(entry: &OutboxEntry) -> MessageOut {
    MessageOut {
        id: entry.id.to_string(),
        template: entry.template.as_str(),
        channel: entry.channel.as_str(),
        status: entry.status.as_str(),
        attempts: entry.attempts,
        last_error: entry.last_error.clone(),
        failed_channels: entry.failed_channels.iter().map(|c| c.as_str()).collect(),
        queued_at: entry.created_at.to_string(),
    }
}

/// A message only a phone call can deliver, with who to call and what to say.
#[derive(Serialize, ToSchema)]
struct CallOut {
    /// The message.
    message: MessageOut,
    /// Who to call.
    patient_id: String,
    /// Their name.
    name: String,
    /// Their phone number, when known (UK national format).
    phone: Option<String>,
    /// What to say (the message's call script, in English).
    script: Option<String>,
    /// The interpreter the call needs, if any: a communication professional's need key (for
    /// example `bsl_interpreter`), or `spoken:` and an ISO 639-1 language code.
    interpreter: Option<String>,
    /// The name of their carer or proxy, if they have one.
    carer: Option<String>,
}

/// Lists the people only a phone call reaches, oldest message first, with what to say.
///
/// Each person shown is audited.
#[utoipa::path(get, path = "/api/v1/calls", tag = "communication",
    responses((status = 200, description = "The calls to make", body = Vec<CallOut>)))]
pub(crate) async fn calls(ctx: Ctx) -> Result<Response, WebError> {
    let calls = ctx.app().calls_to_make(ctx.principal()).await?;
    let out: Vec<CallOut> = calls
        .iter()
        .map(|c| CallOut {
            message: message_out(&c.entry),
            patient_id: c.patient.id.to_string(),
            name: c.patient.name.to_string(),
            phone: c.patient.phone.as_ref().map(ToString::to_string),
            script: c.script.clone(),
            interpreter: c.profile.needs.interpreter().map(|i| i.code()),
            carer: c
                .profile
                .preferences
                .carer
                .as_ref()
                .map(|carer| carer.name.as_str().to_owned()),
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}

/// A call's result.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CallResult {
    /// Whether the person was reached (the message is then delivered; otherwise it stays on
    /// the list).
    reached: bool,
}

/// What a call recorded.
#[derive(Serialize, ToSchema)]
struct CallRecorded {
    /// Whether the person was reached, as sent.
    reached: bool,
}

/// Records a call from the list: the person reached, or not.
///
/// A reached person's message is delivered; otherwise it stays on the list.
#[utoipa::path(post, path = "/api/v1/calls/{id}", tag = "communication",
    params(("id" = String, Path, description = "The message's id")),
    request_body = CallResult,
    responses(
        (status = 200, description = "Recorded", body = CallRecorded),
        (status = 409, description = "`not-awaiting-call`: the message is not waiting for a call", body = crate::openapi::Problem)))]
pub(crate) async fn record_call(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(result): ApiJson<CallResult>,
) -> Result<Response, WebError> {
    let message: MessageId = id(&raw)?;
    ctx.app()
        .record_call(ctx.principal(), message, result.reached)
        .await?;
    Ok(json(
        StatusCode::OK,
        &CallRecorded {
            reached: result.reached,
        },
    ))
}

/// Lists the messages that could not be delivered at all, oldest first.
#[utoipa::path(get, path = "/api/v1/outbox/undeliverable", tag = "communication",
    responses((status = 200, description = "The undeliverable messages", body = Vec<MessageOut>)))]
pub(crate) async fn undeliverable(ctx: Ctx) -> Result<Response, WebError> {
    let dead = ctx.app().undeliverable(ctx.principal()).await?;
    let out: Vec<MessageOut> = dead.iter().map(message_out).collect();
    Ok(json(StatusCode::OK, &out))
}

/// A message queued again.
#[derive(Serialize, ToSchema)]
struct Resent {
    /// The message's status now: always `pending`.
    status: &'static str,
}

/// Sends an undeliverable message again from its first channel.
///
/// For use once the cause, such as a wrong number, is fixed.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/resend", tag = "communication",
    params(("id" = String, Path, description = "The message's id")),
    responses(
        (status = 200, description = "Queued again", body = Resent),
        (status = 409, description = "`not-undeliverable`: the message is not undeliverable", body = crate::openapi::Problem)))]
pub(crate) async fn resend(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let message: MessageId = id(&raw)?;
    ctx.app().resend(ctx.principal(), message).await?;
    Ok(json(StatusCode::OK, &Resent { status: "pending" }))
}

/// A delivery receipt in GOV.UK Notify's callback shape (fields we do not use are allowed).
#[derive(Deserialize, ToSchema)]
pub(crate) struct Receipt {
    /// The provider's id for the sent message.
    id: String,
    /// `delivered`, `permanent-failure`, `temporary-failure` or `technical-failure`.
    status: String,
}

/// What a receipt changed.
#[derive(Serialize, ToSchema)]
struct ReceiptRecorded {
    /// `recorded`; `trying_next_channel` when a message to a patient could not be delivered
    /// for good and goes on by their next channel; `unknown_reference` when no message has
    /// that provider id.
    result: &'static str,
}

/// Records what the message provider reports about a message it was sent.
///
/// A permanent failure sends a message to a patient on by their next channel.
#[utoipa::path(post, path = "/api/v1/notify/receipts", tag = "communication",
    request_body = Receipt,
    responses(
        (status = 200, description = "Recorded", body = ReceiptRecorded),
        (status = 422, description = "`status` is not one of the provider's statuses", body = crate::openapi::Problem)))]
pub(crate) async fn receipt(
    ctx: Ctx,
    headers: HeaderMap,
    body: Result<ApiJson<Receipt>, WebError>,
) -> Result<Response, WebError> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Who is calling is settled before anything they sent is read.
    ctx.app().check_receipt_token(token.trim())?;
    let ApiJson(receipt) = body?;
    let outcome = ctx
        .app()
        .record_delivery_receipt(token.trim(), &receipt.id, &receipt.status)
        .await?;
    let recorded = match outcome {
        ReceiptOutcome::Recorded => "recorded",
        ReceiptOutcome::FallingBack => "trying_next_channel",
        ReceiptOutcome::Unknown => "unknown_reference",
    };
    Ok(json(StatusCode::OK, &ReceiptRecorded { result: recorded }))
}
