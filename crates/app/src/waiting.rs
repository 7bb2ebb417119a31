//! The waiting lists for staff: per service and priority, how many wait in each band of the
//! referral-to-treatment style clock (started when the referral was received), and who has
//! waited longest.

use jointly_domain::access::Permission;
use jointly_domain::referral::Priority;
use jointly_domain::waiting::{WaitSummary, summarise_waits};
use jointly_store::{AuditAction, AuditOutcome, WaitingEntry};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// People listed by name as the longest waiting.
pub const LONGEST_SHOWN: usize = 20;

/// One waiting list: a service at one priority.
#[derive(Clone, Debug)]
pub struct WaitingLine {
    /// The service.
    pub service_name: String,
    /// The priority (none for referrals accepted before priorities were recorded).
    pub priority: Option<Priority>,
    /// How many wait, in which bands.
    pub summary: WaitSummary,
}

/// Every waiting list, and the people who have waited longest.
#[derive(Clone, Debug)]
pub struct WaitingLists {
    /// One line per service and priority, by service then most urgent.
    pub lines: Vec<WaitingLine>,
    /// All lists together.
    pub overall: WaitSummary,
    /// The longest waiting, longest first, with days waited.
    pub longest: Vec<(WaitingEntry, i64)>,
}

impl App {
    /// The waiting lists as they stand now. Naming the longest waiting is a read of their
    /// records, and is audited.
    pub async fn waiting_lists(&self, by: &Principal) -> Result<WaitingLists, AppError> {
        by.require(Permission::ViewWaitingList)?;
        let now = self.clock.now();
        let entries = self.store.waiting_list().await?;
        let days_of =
            |e: &WaitingEntry| -> i64 { now.duration_since(e.clock_start).as_secs() / 86_400 };
        let rank = |p: Option<Priority>| match p {
            Some(Priority::Urgent) => 0,
            Some(Priority::Soon) => 1,
            Some(Priority::Routine) => 2,
            None => 3,
        };
        let mut keys: Vec<(String, u8, Option<Priority>)> = entries
            .iter()
            .map(|e| (e.service_name.clone(), rank(e.priority), e.priority))
            .collect();
        keys.sort();
        keys.dedup();
        let lines = keys
            .into_iter()
            .map(|(service_name, _, priority)| {
                let waits: Vec<i64> = entries
                    .iter()
                    .filter(|e| e.service_name == service_name && e.priority == priority)
                    .map(days_of)
                    .collect();
                WaitingLine {
                    service_name,
                    priority,
                    summary: summarise_waits(&waits),
                }
            })
            .collect();
        let all: Vec<i64> = entries.iter().map(days_of).collect();
        let longest: Vec<(WaitingEntry, i64)> = entries
            .iter()
            .take(LONGEST_SHOWN)
            .map(|e| (e.clone(), days_of(e)))
            .collect();
        let audit: Vec<_> = longest
            .iter()
            .map(|(e, _)| {
                by.audit(
                    now,
                    AuditAction::Read,
                    "waiting.list",
                    AuditOutcome::Allowed,
                    Audited {
                        entity: "referral",
                        id: e.referral_id.as_uuid(),
                        patient: e.patient_id,
                    },
                )
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(WaitingLists {
            lines,
            overall: summarise_waits(&all),
            longest,
        })
    }
}
