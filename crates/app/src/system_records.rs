//! What connected systems may read beyond referrals and bookings: a person's communication
//! needs (to meet them), the messages sent to them, the progress of their referrals as tasks,
//! and the service directory (services, sites, clinicians). Each read of a person's record
//! checks scope and relationship and is audited, as in [`crate::systems`].

use jointly_domain::clinician::Clinician;
use jointly_domain::communication::CommunicationProfile;
use jointly_domain::location::Location;
use jointly_domain::message::Recipient;
use jointly_domain::scope::{ScopeAccess, ScopedResource};
use jointly_domain::service::Service;
use jointly_domain::{MessageId, PatientId, ReferralId};
use jointly_store::OutboxEntry;

use crate::principal::Principal;
use crate::systems::SystemReferral;
use crate::{App, AppError};

impl App {
    /// A person's communication needs and preferences, for a system that may see them.
    pub async fn system_communication_needs(
        &self,
        by: &Principal,
        patient: PatientId,
    ) -> Result<CommunicationProfile, AppError> {
        self.system_may_see(
            by,
            ScopedResource::Flag,
            ScopeAccess::Read,
            patient,
            ("communication_profile", patient.as_uuid(), "fhir.flag.read"),
        )
        .await?;
        Ok(self.store.communication_profile(patient).await?)
    }

    /// Messages sent to a person or their carer about their care, newest first, for a
    /// system that may see them. Messages to staff or referrers about the person are not
    /// theirs to see.
    pub async fn system_messages(
        &self,
        by: &Principal,
        patient: PatientId,
    ) -> Result<Vec<OutboxEntry>, AppError> {
        self.system_may_see(
            by,
            ScopedResource::Communication,
            ScopeAccess::Read,
            patient,
            ("patient", patient.as_uuid(), "fhir.communication.search"),
        )
        .await?;
        Ok(self
            .store
            .outbox_for_patient(patient)
            .await?
            .into_iter()
            .filter(|m| to_the_person(m).is_some())
            .collect())
    }

    /// One message sent to a person or their carer, for a system that may see them.
    pub async fn system_message(
        &self,
        by: &Principal,
        id: MessageId,
    ) -> Result<OutboxEntry, AppError> {
        by.system_scope(ScopedResource::Communication, ScopeAccess::Read)?;
        let message = self
            .store
            .find_message(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let patient = to_the_person(&message).ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            ScopedResource::Communication,
            ScopeAccess::Read,
            patient,
            ("outbox", id.as_uuid(), "fhir.communication.read"),
        )
        .await?;
        Ok(message)
    }

    /// The task of fulfilling one referral (the referral, read as its progress).
    pub async fn system_referral_task(
        &self,
        by: &Principal,
        id: ReferralId,
    ) -> Result<SystemReferral, AppError> {
        self.referral_as(by, id, ScopedResource::Task, "fhir.task.read")
            .await
    }

    /// Every service that takes referrals.
    pub async fn system_services(&self, by: &Principal) -> Result<Vec<Service>, AppError> {
        by.system_scope(ScopedResource::HealthcareService, ScopeAccess::Read)?;
        Ok(self.store.list_services().await?)
    }

    /// Every clinic site.
    pub async fn system_locations(&self, by: &Principal) -> Result<Vec<Location>, AppError> {
        by.system_scope(ScopedResource::Location, ScopeAccess::Read)?;
        Ok(self.store.list_locations().await?)
    }

    /// Every clinician.
    pub async fn system_clinicians(&self, by: &Principal) -> Result<Vec<Clinician>, AppError> {
        by.system_scope(ScopedResource::Practitioner, ScopeAccess::Read)?;
        Ok(self.store.list_clinicians().await?)
    }
}

/// The person a message went to (themselves or through their carer), if it went to one.
fn to_the_person(message: &OutboxEntry) -> Option<PatientId> {
    match message.recipient {
        Recipient::Patient(id) | Recipient::Carer(id) => Some(id),
        Recipient::Staff(_) | Recipient::Organisation(_) => None,
    }
}
