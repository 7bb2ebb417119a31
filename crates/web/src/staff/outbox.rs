//! The outbox: messages queued and sent to patients. In demo mode it shows their content, so
//! a sign-in code can be read without a phone.

use askama::Template;
use axum::response::Response;
use jiff::Timestamp;
use jointly_store::OutboxStatus;

use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};

struct OutboxRow {
    queued: Timestamp,
    template: Text,
    channel: Text,
    status: Text,
    status_colour: &'static str,
    error: Option<String>,
    to: Option<String>,
    subject: Option<String>,
    body: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/outbox.html")]
struct OutboxPage {
    page: PageContext,
    rows: Vec<OutboxRow>,
}

/// `GET /staff/outbox`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    let items = ctx.app().outbox(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "outbox-title");
    let rows = items
        .into_iter()
        .map(|item| {
            let e = &item.entry;
            OutboxRow {
                queued: e.created_at,
                template: label(&page, "template", e.template.as_str()),
                channel: label(&page, "contact", e.channel.as_str()),
                status: label(&page, "outbox-status", e.status.as_str()),
                status_colour: match e.status {
                    OutboxStatus::Pending => "blue",
                    OutboxStatus::Sent => "green",
                    OutboxStatus::Dead => "red",
                },
                error: e.last_error.clone(),
                to: item.rendered.as_ref().map(|r| r.to.display()),
                subject: item.rendered.as_ref().and_then(|r| r.subject.clone()),
                body: item.rendered.map(|r| r.body),
            }
        })
        .collect();
    Ok(render_page(&OutboxPage { page, rows }))
}
