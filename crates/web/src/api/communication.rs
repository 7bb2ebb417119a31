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

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

/// A profile as JSON: coded needs with their SNOMED CT codes, and preferences.
#[derive(Serialize)]
struct ProfileOut<'a> {
    needs: Vec<NeedOut>,
    interpreter: Option<String>,
    interpreter_language: Option<&'static str>,
    details: Option<&'a str>,
    letter_format: &'static str,
    point_size: u8,
    preferences: &'a jointly_domain::communication::ContactPreferences,
    review_due: Option<String>,
}

#[derive(Serialize)]
struct NeedOut {
    key: &'static str,
    snomed: &'static str,
    display: &'static str,
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

/// `GET /api/v1/me/communication`
pub(crate) async fn own(ctx: Ctx) -> Result<Response, WebError> {
    let profile = ctx.app().own_communication(ctx.principal()).await?;
    Ok(json(StatusCode::OK, &profile_out(&profile)))
}

/// `PUT /api/v1/me/communication`
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

/// `PUT /api/v1/referrals/{id}/communication`: staff record the needs of the person a
/// referral is about.
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

#[derive(Serialize)]
struct InboxOut {
    unread: u32,
    messages: Vec<InboxMessageOut>,
}

#[derive(Serialize)]
struct InboxMessageOut {
    id: String,
    subject: String,
    body: String,
    received_at: String,
    read: bool,
}

/// `GET /api/v1/me/inbox`
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

/// `POST /api/v1/me/inbox/{id}/read`
pub(crate) async fn read(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let message: MessageId = id(&raw)?;
    ctx.app()
        .read_inbox_message(ctx.principal(), message)
        .await?;
    Ok(json(StatusCode::OK, &serde_json::json!({ "read": true })))
}

#[derive(Serialize)]
struct MessageOut {
    id: String,
    template: &'static str,
    channel: &'static str,
    status: &'static str,
    attempts: i64,
    last_error: Option<String>,
    failed_channels: Vec<&'static str>,
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

#[derive(Serialize)]
struct CallOut {
    message: MessageOut,
    patient_id: String,
    name: String,
    phone: Option<String>,
    script: Option<String>,
    interpreter: Option<String>,
    carer: Option<String>,
}

/// `GET /api/v1/calls`: people only a call reaches, with what to say.
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
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CallResult {
    reached: bool,
}

/// `POST /api/v1/calls/{id}`
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
        &serde_json::json!({ "reached": result.reached }),
    ))
}

/// `GET /api/v1/outbox/undeliverable`
pub(crate) async fn undeliverable(ctx: Ctx) -> Result<Response, WebError> {
    let dead = ctx.app().undeliverable(ctx.principal()).await?;
    let out: Vec<MessageOut> = dead.iter().map(message_out).collect();
    Ok(json(StatusCode::OK, &out))
}

/// `POST /api/v1/outbox/{id}/resend`
pub(crate) async fn resend(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let message: MessageId = id(&raw)?;
    ctx.app().resend(ctx.principal(), message).await?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "status": "pending" }),
    ))
}

/// A delivery receipt in GOV.UK Notify's callback shape (fields we do not use are allowed).
#[derive(Deserialize)]
pub(crate) struct Receipt {
    id: String,
    status: String,
}

/// `POST /api/v1/notify/receipts`: the provider reports what happened to a message.
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
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "result": recorded }),
    ))
}
