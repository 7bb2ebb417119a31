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
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// An attachment as sent: a file name and the content in base64.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessageAttachmentIn {
    /// The file's name (at most 100 characters; any folder part is dropped).
    file_name: String,
    /// The file's content in standard base64: a PDF, JPEG or PNG of at most 5 MiB.
    content_base64: String,
}

/// A new conversation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationStartIn {
    /// What it is about (at most 120 characters).
    subject: String,
    /// The first message (at most 5,000 characters).
    body: String,
    /// A file sent with the message.
    attachment: Option<MessageAttachmentIn>,
}

/// A reply.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationReplyIn {
    /// The message (at most 5,000 characters).
    body: String,
    /// A file sent with the message.
    attachment: Option<MessageAttachmentIn>,
}

/// Who answers a conversation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationAssignIn {
    /// The id of a triage clinician, clinician or coordinator.
    staff_id: String,
}

/// A conversation as listed.
#[derive(Serialize, ToSchema)]
struct ConversationSummaryOut {
    id: String,
    subject: String,
    patient_name: String,
    /// The id of the member of staff it is assigned to, if anyone.
    assigned_to: Option<String>,
    /// When it last changed (RFC 3339).
    updated_at: String,
    /// Messages from the other side the caller has not read.
    unread: u32,
}

/// A file sent with a message.
#[derive(Serialize, ToSchema)]
struct MessageAttachmentOut {
    /// The attachment's id, for fetching the file.
    id: String,
    file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    media_type: &'static str,
    /// Its size in bytes.
    size: u64,
}

/// A message in a conversation.
#[derive(Serialize, ToSchema)]
struct ConversationMessageOut {
    id: String,
    /// Which side wrote it: `patient` or `care_team`.
    from: &'static str,
    /// The name of who wrote it.
    author: String,
    body: String,
    /// When it was written (RFC 3339).
    created_at: String,
    /// A file sent with it.
    attachment: Option<MessageAttachmentOut>,
}

/// A conversation with its messages, oldest first.
#[derive(Serialize, ToSchema)]
struct ConversationOut {
    id: String,
    subject: String,
    patient_name: String,
    /// The id of the member of staff it is assigned to, if anyone.
    assigned_to: Option<String>,
    /// Their name.
    assigned_name: Option<String>,
    messages: Vec<ConversationMessageOut>,
}

fn attachment_out(meta: &AttachmentMeta) -> MessageAttachmentOut {
    MessageAttachmentOut {
        id: meta.id.to_string(),
        file_name: meta.file_name.clone(),
        media_type: meta.kind.media_type(),
        size: meta.size,
    }
}

fn summary_out(summary: &ConversationSummary) -> ConversationSummaryOut {
    let c = &summary.conversation;
    ConversationSummaryOut {
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
            .map(|m| ConversationMessageOut {
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
fn upload(attachment: Option<MessageAttachmentIn>) -> Result<Option<AttachmentUpload>, WebError> {
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

/// The conversations the caller can read, newest first (shared by the patient's and the
/// staff's routes).
async fn list(ctx: Ctx) -> Result<Response, WebError> {
    let summaries = ctx.app().conversations(ctx.principal()).await?;
    let out: Vec<ConversationSummaryOut> = summaries.iter().map(summary_out).collect();
    Ok(json(StatusCode::OK, &out))
}

/// Lists the patient's conversations with their care team.
///
/// Newest first, with how many messages from the care team are unread.
#[utoipa::path(get, path = "/api/v1/me/conversations", tag = "conversations",
    responses((status = 200, description = "The patient's conversations", body = [ConversationSummaryOut])))]
pub(crate) async fn list_own(ctx: Ctx) -> Result<Response, WebError> {
    list(ctx).await
}

/// Lists the conversations the member of staff can answer.
///
/// Those assigned to them or to nobody, of patients they may see; newest first, with how many
/// messages from the patient are unread.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "conversations",
    responses((status = 200, description = "The conversations the caller can answer", body = [ConversationSummaryOut])))]
pub(crate) async fn list_for_staff(ctx: Ctx) -> Result<Response, WebError> {
    list(ctx).await
}

/// Starts a conversation with the care team.
///
/// It goes to the patient's key contact: the clinician who took their latest referral on, if
/// any.
#[utoipa::path(post, path = "/api/v1/me/conversations", tag = "conversations",
    request_body = ConversationStartIn,
    responses(
        (status = 201, description = "Started: the conversation with its first message", body = ConversationOut),
        (status = 422, description = "The subject or message is missing or too long, or the attachment is not valid base64, has no usable file name, is empty, too large or not a PDF, JPEG or PNG: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn start(
    ctx: Ctx,
    ApiJson(input): ApiJson<ConversationStartIn>,
) -> Result<Response, WebError> {
    let attachment = upload(input.attachment)?;
    let id = ctx
        .app()
        .start_conversation(ctx.principal(), &input.subject, &input.body, attachment)
        .await?;
    let view = ctx.app().conversation(ctx.principal(), id).await?;
    Ok(json(StatusCode::CREATED, &conversation_out(&view)))
}

/// One conversation with its messages, which then count as read by the caller's side (shared
/// by the patient's and the staff's routes).
async fn show(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let view = ctx.app().conversation(ctx.principal(), id(&raw)?).await?;
    Ok(json(StatusCode::OK, &conversation_out(&view)))
}

/// Shows one of the patient's conversations with its messages.
///
/// The care team's messages in it then count as read.
#[utoipa::path(get, path = "/api/v1/me/conversations/{id}", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    responses((status = 200, description = "The conversation", body = ConversationOut)))]
pub(crate) async fn show_own(ctx: Ctx, path: Path<String>) -> Result<Response, WebError> {
    show(ctx, path).await
}

/// Shows a conversation with its messages.
///
/// The patient's messages in it then count as read by the care team.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    responses((status = 200, description = "The conversation", body = ConversationOut)))]
pub(crate) async fn show_for_staff(ctx: Ctx, path: Path<String>) -> Result<Response, WebError> {
    show(ctx, path).await
}

/// Adds a message to a conversation (shared by the patient's and the staff's routes).
async fn reply(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ConversationReplyIn>,
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

/// Replies in one of the patient's conversations.
#[utoipa::path(post, path = "/api/v1/me/conversations/{id}/messages", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = ConversationReplyIn,
    responses(
        (status = 201, description = "Sent: the conversation with the new message", body = ConversationOut),
        (status = 422, description = "The message is missing or too long, or the attachment is not valid base64, has no usable file name, is empty, too large or not a PDF, JPEG or PNG: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn reply_own(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<ConversationReplyIn>,
) -> Result<Response, WebError> {
    reply(ctx, path, body).await
}

/// Replies to the patient in a conversation.
///
/// A conversation assigned to nobody is then assigned to the caller. The patient is told by
/// their own channel that a message is waiting, never what it says.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = ConversationReplyIn,
    responses(
        (status = 201, description = "Sent: the conversation with the new message", body = ConversationOut),
        (status = 422, description = "The message is missing or too long, or the attachment is not valid base64, has no usable file name, is empty, too large or not a PDF, JPEG or PNG: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn reply_for_staff(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<ConversationReplyIn>,
) -> Result<Response, WebError> {
    reply(ctx, path, body).await
}

/// Hands a conversation to another member of the care team.
///
/// A triage clinician, clinician or coordinator.
#[utoipa::path(put, path = "/api/v1/conversations/{id}/assignee", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = ConversationAssignIn,
    responses(
        (status = 200, description = "Assigned: the conversation as it now stands", body = ConversationOut),
        (status = 422, description = "`staff_id` is not an id, or not of a triage clinician, clinician or coordinator", body = crate::openapi::Problem)))]
pub(crate) async fn assign(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ConversationAssignIn>,
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

/// `GET .../conversations/{id}/attachments/{attachment}`: the file, never shown inline (shared
/// by the pages' and the API's routes, the patient's and the staff's).
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
/// conversation gets a new message; the page then fetches it (shared by the pages' and the
/// API's routes, the patient's and the staff's).
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

/// Downloads a file sent in one of the patient's conversations.
///
/// Always as a download (`Content-Disposition: attachment`), never shown inline.
#[utoipa::path(get, path = "/api/v1/me/conversations/{id}/attachments/{attachment}", tag = "conversations",
    params(
        ("id" = String, Path, description = "The conversation's id"),
        ("attachment" = String, Path, description = "The attachment's id")),
    responses((status = 200, description = "The file, with its media type", content(("application/pdf"), ("image/jpeg"), ("image/png")))))]
pub(crate) async fn attachment_own(
    ctx: Ctx,
    path: Path<(String, String)>,
) -> Result<Response, WebError> {
    attachment(ctx, path).await
}

/// Downloads a file sent in a conversation.
///
/// Always as a download (`Content-Disposition: attachment`), never shown inline.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/attachments/{attachment}", tag = "conversations",
    params(
        ("id" = String, Path, description = "The conversation's id"),
        ("attachment" = String, Path, description = "The attachment's id")),
    responses((status = 200, description = "The file, with its media type", content(("application/pdf"), ("image/jpeg"), ("image/png")))))]
pub(crate) async fn attachment_for_staff(
    ctx: Ctx,
    path: Path<(String, String)>,
) -> Result<Response, WebError> {
    attachment(ctx, path).await
}

/// Listens for new messages in one of the patient's conversations.
///
/// A server-sent event stream: a `message` event, whose data is the conversation's id, each time
/// the conversation gets a new message (then fetch the conversation); a keep-alive comment
/// after 15 seconds without one.
#[utoipa::path(get, path = "/api/v1/me/conversations/{id}/events", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    responses((status = 200, description = "The event stream", content_type = "text/event-stream")))]
pub(crate) async fn events_own(ctx: Ctx, path: Path<String>) -> Result<Response, WebError> {
    events(ctx, path).await
}

/// Listens for new messages in a conversation.
///
/// A server-sent event stream: a `message` event, whose data is the conversation's id, each time
/// the conversation gets a new message (then fetch the conversation); a keep-alive comment
/// after 15 seconds without one.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/events", tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    responses((status = 200, description = "The event stream", content_type = "text/event-stream")))]
pub(crate) async fn events_for_staff(ctx: Ctx, path: Path<String>) -> Result<Response, WebError> {
    events(ctx, path).await
}
