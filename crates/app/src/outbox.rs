//! The staff view of the outbox: what was queued and sent to patients, referrers and staff. Message content is shown
//! only in demo mode, where it stands in for the real text message or email.

use jointly_domain::access::Permission;
use jointly_notify::{RenderedMessage, load_context};
use jointly_store::{AuditAction, AuditOutcome, OutboxEntry};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Messages shown on the page.
const OUTBOX_PAGE: u32 = 100;

/// One message in the outbox.
#[derive(Clone, Debug)]
pub struct OutboxItem {
    /// The queued message.
    pub entry: OutboxEntry,
    /// What it says and where it goes (demo mode only).
    pub rendered: Option<RenderedMessage>,
}

impl App {
    /// The most recent messages, newest first. Every patient whose message is shown is audited.
    pub async fn outbox(&self, by: &Principal) -> Result<Vec<OutboxItem>, AppError> {
        by.require(Permission::ViewOutbox)?;
        let entries = self.store.recent_outbox(OUTBOX_PAGE).await?;
        let mut items = Vec::with_capacity(entries.len());
        for entry in entries {
            let rendered = if self.settings.demo {
                let context = load_context(&self.store, &entry, self.clock.now())
                    .await
                    .ok();
                context.and_then(|c| self.renderer.render(&entry, &c, entry.channel).ok())
            } else {
                None
            };
            items.push(OutboxItem { entry, rendered });
        }
        let now = self.clock.now();
        let audit: Vec<_> = items
            .iter()
            .filter_map(|i| {
                Some(by.audit(
                    now,
                    AuditAction::Read,
                    "outbox.view",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "message",
                        id: i.entry.id.as_uuid(),
                        patient: i.entry.about?,
                    },
                ))
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(items)
    }
}
