//! Secure messaging in the portal and the staff workspace: the list of conversations with
//! what is unread, a new conversation, and one conversation with its messages and a reply
//! form. Where JavaScript runs, an open conversation shows new messages as they arrive
//! (server-sent events); without it, the page is complete and reloading shows them.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, ConversationView};
use jointly_domain::ConversationId;
use jointly_domain::conversation::{AttachmentUpload, Author};
use jointly_store::ConversationSummary;

use crate::context::Ctx;
use crate::csrf::{FILE_FIELD, VerifiedForm, VerifiedUpload};
use crate::error::WebError;
use crate::form::FormState;
use crate::render::{PageContext, render_page};

/// Which workspace a page belongs to: the patient's portal or the staff workspace.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Workspace {
    Portal,
    Staff,
}

impl Workspace {
    fn base(self) -> &'static str {
        match self {
            Self::Portal => "/portal/conversations",
            Self::Staff => "/staff/conversations",
        }
    }
}

/// A conversation in a list.
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) subject: String,
    pub(crate) patient: String,
    pub(crate) updated: Timestamp,
    pub(crate) unread: u32,
}

impl Row {
    /// Unread messages, for the count in words.
    pub(crate) fn unread_count(&self) -> usize {
        self.unread as usize
    }
}

/// A message as shown.
pub(crate) struct Shown {
    pub(crate) from_me: bool,
    pub(crate) author: String,
    pub(crate) body: String,
    pub(crate) at: Timestamp,
    pub(crate) attachment: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "conversations/list.html")]
struct ListPage {
    page: PageContext,
    base: &'static str,
    staff: bool,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "conversations/new.html")]
struct NewPage {
    page: PageContext,
    form: FormState,
}

#[derive(Template)]
#[template(path = "conversations/thread.html")]
struct ThreadPage {
    page: PageContext,
    base: &'static str,
    staff: bool,
    id: String,
    subject: String,
    patient: String,
    assigned: String,
    /// The member of staff reading is the one who answers it.
    assigned_to_me: bool,
    messages: Vec<Shown>,
    form: FormState,
}

fn rows(summaries: Vec<ConversationSummary>) -> Vec<Row> {
    summaries
        .into_iter()
        .map(|s| Row {
            id: s.conversation.id.to_string(),
            subject: s.conversation.subject,
            patient: s.patient_name,
            updated: s.conversation.updated_at,
            unread: s.unread,
        })
        .collect()
}

fn conversation_id(raw: &str) -> Result<ConversationId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `GET /portal/conversations` and `GET /staff/conversations`
pub(crate) async fn list(ctx: Ctx, workspace: Workspace) -> Result<Response, WebError> {
    let summaries = ctx.app().conversations(ctx.principal()).await?;
    Ok(render_page(&ListPage {
        page: PageContext::new(&ctx, "conversations-title"),
        base: workspace.base(),
        staff: workspace == Workspace::Staff,
        rows: rows(summaries),
    }))
}

/// `GET /portal/conversations`
pub(crate) async fn portal_list(ctx: Ctx) -> Result<Response, WebError> {
    list(ctx, Workspace::Portal).await
}

/// `GET /staff/conversations`
pub(crate) async fn staff_list(ctx: Ctx) -> Result<Response, WebError> {
    list(ctx, Workspace::Staff).await
}

/// `GET /portal/conversations/new`
pub(crate) async fn new_form(ctx: Ctx) -> Result<Response, WebError> {
    ctx.app().require_portal(ctx.principal())?;
    Ok(render_page(&NewPage {
        page: PageContext::new(&ctx, "conversation-new-title"),
        form: FormState::default(),
    }))
}

/// A new conversation or a reply, as posted, with the file chosen if any.
pub(crate) struct MessageForm {
    subject: String,
    body: String,
    attachment: Option<AttachmentUpload>,
}

impl From<VerifiedUpload> for MessageForm {
    fn from(mut upload: VerifiedUpload) -> Self {
        let mut field = |name: &str| upload.fields.remove(name).unwrap_or_default();
        Self {
            subject: field("subject"),
            body: field("body"),
            attachment: upload.file,
        }
    }
}

/// Problems with the file name are shown at the file input.
fn at_file_input(form: &mut FormState) {
    form.link_problems(|field| match field {
        "file_name" => FILE_FIELD.to_owned(),
        other => other.to_owned(),
    });
}

/// `POST /portal/conversations/new`
pub(crate) async fn start(ctx: Ctx, upload: VerifiedUpload) -> Result<Response, WebError> {
    let input = MessageForm::from(upload);
    match ctx
        .app()
        .start_conversation(
            ctx.principal(),
            &input.subject,
            &input.body,
            input.attachment,
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/portal/conversations/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = PageContext::new(&ctx, "conversation-new-title");
            let mut form =
                FormState::with_values([("subject", input.subject), ("body", input.body)])
                    .with_errors(&errors, &page);
            at_file_input(&mut form);
            page.title_with_errors();
            let mut response = render_page(&NewPage { page, form });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(error) => Err(error.into()),
    }
}

fn thread_page(
    ctx: &Ctx,
    workspace: Workspace,
    view: ConversationView,
    form: FormState,
) -> ThreadPage {
    let page = PageContext::new(ctx, "conversation-title");
    let staff = workspace == Workspace::Staff;
    let c = &view.conversation;
    let messages = view
        .messages
        .iter()
        .map(|m| Shown {
            from_me: matches!(
                (staff, m.author),
                (true, Author::Staff(_)) | (false, Author::Patient(_))
            ),
            author: view.author_name(m.author),
            body: m.body.clone(),
            at: m.created_at,
            attachment: m.attachment.as_ref().map(|a| {
                (
                    format!("{}/{}/attachments/{}", workspace.base(), c.id, a.id),
                    a.file_name.clone(),
                )
            }),
        })
        .collect();
    ThreadPage {
        base: workspace.base(),
        staff,
        id: c.id.to_string(),
        subject: c.subject.clone(),
        patient: view.patient_name.clone(),
        assigned: c
            .assigned_to
            .and_then(|s| view.staff_names.get(&s).cloned())
            .unwrap_or_default(),
        assigned_to_me: c.assigned_to.is_some() && c.assigned_to == ctx.principal().staff_id(),
        messages,
        form,
        page,
    }
}

/// `GET /portal/conversations/{id}` and `GET /staff/conversations/{id}`
pub(crate) async fn show(
    ctx: Ctx,
    workspace: Workspace,
    raw: String,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .conversation(ctx.principal(), conversation_id(&raw)?)
        .await?;
    Ok(render_page(&thread_page(
        &ctx,
        workspace,
        view,
        FormState::default(),
    )))
}

/// `GET /portal/conversations/{id}`
pub(crate) async fn portal_show(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    show(ctx, Workspace::Portal, raw).await
}

/// `GET /staff/conversations/{id}`
pub(crate) async fn staff_show(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    show(ctx, Workspace::Staff, raw).await
}

/// A reply posted from either workspace.
async fn reply(
    ctx: Ctx,
    workspace: Workspace,
    raw: String,
    input: MessageForm,
) -> Result<Response, WebError> {
    let id = conversation_id(&raw)?;
    match ctx
        .app()
        .reply_in_conversation(ctx.principal(), id, &input.body, input.attachment)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{id}#reply", workspace.base())).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = ctx.app().conversation(ctx.principal(), id).await?;
            let mut thread = thread_page(&ctx, workspace, view, FormState::default());
            thread.form =
                FormState::with_values([("body", input.body)]).with_errors(&errors, &thread.page);
            at_file_input(&mut thread.form);
            thread.page.title_with_errors();
            let mut response = render_page(&thread);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /portal/conversations/{id}`
pub(crate) async fn portal_reply(
    ctx: Ctx,
    Path(raw): Path<String>,
    upload: VerifiedUpload,
) -> Result<Response, WebError> {
    reply(ctx, Workspace::Portal, raw, upload.into()).await
}

/// `POST /staff/conversations/{id}`
pub(crate) async fn staff_reply(
    ctx: Ctx,
    Path(raw): Path<String>,
    upload: VerifiedUpload,
) -> Result<Response, WebError> {
    reply(ctx, Workspace::Staff, raw, upload.into()).await
}

/// `POST /staff/conversations/{id}/take`: the member of staff answers it from now on.
pub(crate) async fn take(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(_): VerifiedForm<crate::pages::refer::Empty>,
) -> Result<Response, WebError> {
    let id = conversation_id(&raw)?;
    let me = ctx.principal().staff_id().ok_or(AppError::Forbidden)?;
    ctx.app()
        .assign_conversation(ctx.principal(), id, me)
        .await?;
    Ok(Redirect::to(&format!("/staff/conversations/{id}")).into_response())
}
