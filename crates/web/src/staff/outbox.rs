//! The outbox: messages queued and sent to patients. In demo mode it shows their content, so
//! a sign-in code can be read without a phone.

use askama::Template;
use axum::response::Response;
use jiff::Timestamp;
use jointly_store::{OutboxEntry, OutboxStatus};

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
                status_colour: status_colour(e.status),
                error: e.last_error.clone(),
                to: item.rendered.as_ref().map(|r| r.to.display()),
                subject: item.rendered.as_ref().and_then(|r| r.subject.clone()),
                body: item.rendered.map(|r| r.body),
            }
        })
        .collect();
    Ok(render_page(&OutboxPage { page, rows }))
}

/// The tag colour of a message's status.
pub(crate) fn status_colour(status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Pending => "blue",
        OutboxStatus::Sent => "green",
        OutboxStatus::Dead => "red",
        OutboxStatus::AwaitingCall => "yellow",
    }
}

/// One message in a patient's communication history.
pub(crate) struct HistoryRow {
    pub(crate) queued: Timestamp,
    pub(crate) template: Text,
    pub(crate) channel: Text,
    pub(crate) status: Text,
    pub(crate) status_colour: &'static str,
    pub(crate) detail: String,
}

/// A patient's messages as history rows: which channels failed and what the provider said.
pub(crate) fn history_rows(page: &PageContext, entries: &[OutboxEntry]) -> Vec<HistoryRow> {
    entries
        .iter()
        .map(|e| HistoryRow {
            queued: e.created_at,
            template: label(page, "template", e.template.as_str()),
            channel: label(page, "contact", e.channel.as_str()),
            status: label(page, "outbox-status", e.status.as_str()),
            status_colour: status_colour(e.status),
            detail: [
                e.delivery_status.clone(),
                (!e.failed_channels.is_empty()).then(|| {
                    let tried: Vec<_> = e.failed_channels.iter().map(|c| c.as_str()).collect();
                    format!("could not deliver by {}", tried.join(", "))
                }),
                e.last_error.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; "),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use jointly_domain::message::MessageTemplate;

    use crate::i18n::load_catalog;

    #[test]
    fn every_message_template_has_a_name_for_staff() {
        let catalog = load_catalog().unwrap();
        for template in MessageTemplate::ALL {
            let id = format!("template-{}", template.as_str());
            assert!(
                catalog.is_translated(jointly_i18n::Locale::English, &id),
                "{id} is missing"
            );
        }
    }
}
