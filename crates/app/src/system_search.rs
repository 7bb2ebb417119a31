//! Searches by connected systems over referrals, a page at a time: ServiceRequests (referrals
//! made to the service, and those it made onward) and the Tasks of fulfilling them. A page
//! says whether more follow, so a system can page through everything with `next` links;
//! searching by organisation audits each referral on the page, and nothing it skipped.

use jointly_domain::PatientId;
use jointly_domain::onward::OnwardReferral;
use jointly_domain::referral::{Referral, ReferralStatus};
use jointly_domain::scope::{ScopeAccess, ScopedResource};
use jointly_store::{AuditAction, AuditOutcome};

use crate::principal::{Audited, Principal};
use crate::systems::SystemReferral;
use crate::{App, AppError, SystemOnwardReferral};

/// Where a page of search results starts, and how many it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Results skipped before this page.
    pub offset: usize,
    /// Results on the page, at most.
    pub count: usize,
}

impl Page {
    /// Rows to read to fill the page and know whether more follow it.
    fn window(self) -> u32 {
        u32::try_from(self.offset.saturating_add(self.count).saturating_add(1)).unwrap_or(u32::MAX)
    }
}

/// One page of search results.
#[derive(Clone, Debug)]
pub struct Found<T> {
    /// The results on the page.
    pub items: Vec<T>,
    /// Whether more results follow this page.
    pub more: bool,
}

/// A ServiceRequest a search found.
#[derive(Clone, Debug)]
pub enum FoundServiceRequest {
    /// A referral to the service.
    Referral(Box<SystemReferral>),
    /// A referral the service made onward to another organisation.
    Onward(Box<SystemOnwardReferral>),
}

/// A row before it is audited and read in full.
enum Row {
    Referral(Box<Referral>),
    Onward(OnwardReferral),
}

impl Row {
    fn audited(&self) -> Audited {
        match self {
            Row::Referral(r) => Audited {
                entity: "referral",
                id: r.id.as_uuid(),
                patient: r.patient_id,
            },
            Row::Onward(o) => Audited {
                entity: "onward_referral",
                id: o.id.as_uuid(),
                patient: o.patient_id,
            },
        }
    }
}

impl App {
    /// ServiceRequests: a person's referrals and onward referrals (when the system may see
    /// them), or else the referrals the system's organisation made and the onward referrals
    /// sent to it; referrals in `statuses` (any when empty), onward ones only when
    /// `with_onward`; newest first, referrals before onward ones.
    pub async fn system_service_requests(
        &self,
        by: &Principal,
        (patient, statuses, with_onward): (Option<PatientId>, &[ReferralStatus], bool),
        page: Page,
    ) -> Result<Found<FoundServiceRequest>, AppError> {
        let route = "fhir.service_request.search";
        let found = self
            .referral_page(
                by,
                (patient, statuses, with_onward),
                page,
                (ScopedResource::ServiceRequest, route),
            )
            .await?;
        let mut items = Vec::with_capacity(found.items.len());
        for row in found.items {
            items.push(match row {
                Row::Referral(r) => {
                    FoundServiceRequest::Referral(Box::new(self.system_referral_view(*r).await?))
                }
                Row::Onward(o) => {
                    FoundServiceRequest::Onward(Box::new(self.system_onward_view(o).await?))
                }
            });
        }
        Ok(Found {
            items,
            more: found.more,
        })
    }

    /// Tasks of fulfilling referrals: a person's, or else those the organisation made; in
    /// `statuses` (any when empty), newest first.
    pub async fn system_referral_tasks(
        &self,
        by: &Principal,
        (patient, statuses): (Option<PatientId>, &[ReferralStatus]),
        page: Page,
    ) -> Result<Found<SystemReferral>, AppError> {
        let found = self
            .referral_page(
                by,
                (patient, statuses, false),
                page,
                (ScopedResource::Task, "fhir.task.search"),
            )
            .await?;
        let mut items = Vec::with_capacity(found.items.len());
        for row in found.items {
            if let Row::Referral(r) = row {
                items.push(self.system_referral_view(*r).await?);
            }
        }
        Ok(Found {
            items,
            more: found.more,
        })
    }

    /// One page of rows, checked and audited: a person's (the relationship checked and the
    /// search audited once), or else the organisation's (each row on the page audited).
    async fn referral_page(
        &self,
        by: &Principal,
        (patient, statuses, with_onward): (Option<PatientId>, &[ReferralStatus], bool),
        page: Page,
        (resource, route): (ScopedResource, &'static str),
    ) -> Result<Found<Row>, AppError> {
        let organisation = by.system_scope(resource, ScopeAccess::Read)?;
        let window = page.window();
        let wanted = |r: &Referral| statuses.is_empty() || statuses.contains(&r.status);
        let rows: Vec<Row> = match patient {
            Some(patient) => {
                self.system_may_see(
                    by,
                    resource,
                    ScopeAccess::Read,
                    patient,
                    ("patient", patient.as_uuid(), route),
                )
                .await?;
                let referrals = self.store.referrals_for_patient(patient).await?;
                let onward = if with_onward {
                    self.store.onward_referrals_for(patient).await?
                } else {
                    Vec::new()
                };
                referrals
                    .into_iter()
                    .map(|v| v.referral)
                    .filter(wanted)
                    .map(|r| Row::Referral(Box::new(r)))
                    .chain(onward.into_iter().map(Row::Onward))
                    .collect()
            }
            None => {
                let referrals = self
                    .store
                    .referrals_by_organisation(organisation, statuses, window)
                    .await?;
                let onward = match with_onward {
                    true => match self.store.find_organisation(organisation).await? {
                        Some(receiver) => {
                            self.store
                                .onward_referrals_to(&receiver.ods_code, window)
                                .await?
                        }
                        None => Vec::new(),
                    },
                    false => Vec::new(),
                };
                referrals
                    .into_iter()
                    .map(|r| Row::Referral(Box::new(r)))
                    .chain(onward.into_iter().map(Row::Onward))
                    .collect()
            }
        };
        // Reading `window` rows from each source gives the first `window` of the whole list
        // in order, which is all a page needs.
        let more = rows.len() > page.offset.saturating_add(page.count);
        let items: Vec<Row> = rows
            .into_iter()
            .skip(page.offset)
            .take(page.count)
            .collect();
        if patient.is_none() && !items.is_empty() {
            let now = self.clock.now();
            let audit: Vec<_> = items
                .iter()
                .map(|row| {
                    by.audit(
                        now,
                        AuditAction::Read,
                        route,
                        AuditOutcome::Allowed,
                        row.audited(),
                    )
                })
                .collect();
            self.store.record_audit(&audit).await?;
        }
        Ok(Found { items, more })
    }
}
