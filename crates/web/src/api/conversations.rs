//! The JSON API for secure messaging: a patient's conversations with their care team and the
//! team's side of them, attachments (sent as base64, kept in the store, fetched as files), and
//! a server-sent event stream that says when a conversation has a new message.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jointly_app::{AppError, ConversationView};
use jointly_domain::conversation::{AttachmentMeta, AttachmentUpload, Author};
use jointly_domain::error::{Invalid, ValidationErrors};
use jointly_domain::{AttachmentId, ConversationId, StaffUserId};
use jointly_store::ConversationSummary;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// An attachment as sent: a file name and the content in base64.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachmentIn {
    file_name: String,
    content_base64: String,
}

/// A new conversation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartIn {
    subject: String,
    body: String,
    attachment: Option<AttachmentIn>,
}

/// A reply.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyIn {
    body: String,
    attachment: Option<AttachmentIn>,
}

/// Who answers a conversation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignIn {
    staff_id: String,
}

#[derive(Serialize)]
struct SummaryOut {
    id: String,
    subject: String,
    patient_name: String,
    assigned_to: Option<String>,
    updated_at: String,
    unread: u32,
}

#[derive(Serialize)]
struct AttachmentOut {
    id: String,
    file_name: String,
    media_type: &'static str,
    size: u64,
}

#[derive(Serialize)]
struct MessageOut {
    id: String,
    from: &'static str,
    author: String,
    body: String,
    created_at: String,
    attachment: Option<AttachmentOut>,
}

#[derive(Serialize)]
struct ConversationOut {
    id: String,
    subject: String,
    patient_name: String,
    assigned_to: Option<String>,
    assigned_name: Option<String>,
    messages: Vec<MessageOut>,
}

fn attachment_out(meta: &AttachmentMeta) -> AttachmentOut {
    AttachmentOut {
        id: meta.id.to_string(),
        file_name: meta.file_name.clone(),
        media_type: meta.kind.media_type(),
        size: meta.size,
    }
}

fn summary_out(summary: &ConversationSummary) -> SummaryOut {
    let c = &summary.conversation;
    SummaryOut {
        id: c.id.to_string(),
        subject: c.subject.clone(),
        patient_name: summary.patient_name.clone(),
        assigned_to: c.assigned_to.map(|s| s.to_string()),
        updated_at: c.updated_at.to_string(),
        unread: summary.unread,
    }
}

fn conversation_out(view: &ConversationView) -> ConversationOut {
    let c = &view.conversation;
    ConversationOut {
        id: c.id.to_string(),
        subject: c.subject.clone(),
        patient_name: view.patient_name.clone(),
        assigned_to: c.assigned_to.map(|s| s.to_string()),
        assigned_name: c
            .assigned_to
            .and_then(|s| view.staff_names.get(&s).cloned()),
        messages: view
            .messages
            .iter()
            .map(|m| MessageOut {
                id: m.id.to_string(),
                from: match m.author {
                    Author::Patient(_) => "patient",
                    Author::Staff(_) => "care_team",
                },
                author: view.author_name(m.author),
                body: m.body.clone(),
                created_at: m.created_at.to_string(),
                attachment: m.attachment.as_ref().map(attachment_out),
            })
            .collect(),
    }
}

/// The attachment's bytes, or a named problem when the base64 does not decode.
fn upload(attachment: Option<AttachmentIn>) -> Result<Option<AttachmentUpload>, WebError> {
    attachment
        .map(|a| {
            let content = STANDARD.decode(a.content_base64.as_bytes()).map_err(|_| {
                let mut errors = ValidationErrors::new();
                errors.add("attachment", Invalid("invalid"));
                WebError::from(AppError::Invalid(errors))
            })?;
            Ok(AttachmentUpload {
                file_name: a.file_name,
                content,
            })
        })
        .transpose()
}

/// `GET /api/v1/me/conversations` and `GET /api/v1/conversations`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    let summaries = ctx.app().conversations(ctx.principal()).await?;
    let out: Vec<SummaryOut> = summaries.iter().map(summary_out).collect();
    Ok(json(StatusCode::OK, &out))
}

/// `POST /api/v1/me/conversations`
pub(crate) async fn start(
    ctx: Ctx,
    ApiJson(input): ApiJson<StartIn>,
) -> Result<Response, WebError> {
    let attachment = upload(input.attachment)?;
    let id = ctx
        .app()
        .start_conversation(ctx.principal(), &input.subject, &input.body, attachment)
        .await?;
    let view = ctx.app().conversation(ctx.principal(), id).await?;
    Ok(json(StatusCode::CREATED, &conversation_out(&view)))
}

/// `GET /api/v1/me/conversations/{id}` and `GET /api/v1/conversations/{id}`
pub(crate) async fn show(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let view = ctx.app().conversation(ctx.principal(), id(&raw)?).await?;
    Ok(json(StatusCode::OK, &conversation_out(&view)))
}

/// `POST /api/v1/me/conversations/{id}/messages` and the staff equivalent
pub(crate) async fn reply(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ReplyIn>,
) -> Result<Response, WebError> {
    let conversation: ConversationId = id(&raw)?;
    let attachment = upload(input.attachment)?;
    ctx.app()
        .reply_in_conversation(ctx.principal(), conversation, &input.body, attachment)
        .await?;
    let view = ctx
        .app()
        .conversation(ctx.principal(), conversation)
        .await?;
    Ok(json(StatusCode::CREATED, &conversation_out(&view)))
}

/// `PUT /api/v1/conversations/{id}/assignee`
pub(crate) async fn assign(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<AssignIn>,
) -> Result<Response, WebError> {
    let staff: StaffUserId = input.staff_id.parse().map_err(|_| {
        let mut errors = ValidationErrors::new();
        errors.add("staff_id", Invalid("invalid"));
        WebError::from(AppError::Invalid(errors))
    })?;
    let conversation: ConversationId = id(&raw)?;
    ctx.app()
        .assign_conversation(ctx.principal(), conversation, staff)
        .await?;
    let view = ctx
        .app()
        .conversation(ctx.principal(), conversation)
        .await?;
    Ok(json(StatusCode::OK, &conversation_out(&view)))
}

/// `GET .../conversations/{id}/attachments/{attachment}`: the file, never shown inline.
pub(crate) async fn attachment(
    ctx: Ctx,
    Path((raw, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let attachment: AttachmentId = id(&attachment)?;
    let (meta, content) = ctx
        .app()
        .conversation_attachment(ctx.principal(), id(&raw)?, attachment)
        .await?;
    // The name is ours to quote: only characters that cannot break the header survive.
    let safe: String = meta
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        StatusCode::OK,
        [
            (CONTENT_TYPE, meta.kind.media_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        content,
    )
        .into_response())
}

/// `GET .../conversations/{id}/events`: an event stream with a `message` event each time the
/// conversation gets a new message; the page then fetches it.
pub(crate) async fn events(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let conversation: ConversationId = id(&raw)?;
    let watch = ctx
        .app()
        .watch_conversation(ctx.principal(), conversation)
        .await?;
    let stream = futures::stream::unfold(watch, move |mut watch| async move {
        watch.next().await.then(|| {
            let event = Event::default()
                .event("message")
                .data(conversation.to_string());
            (Ok::<_, Infallible>(event), watch)
        })
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
