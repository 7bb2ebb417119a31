//! Confirming or cancelling an appointment from the link in a booking confirmation or
//! reminder, without signing in. The link names one appointment and is signed with the
//! service's key; it shows only when and where, and does only those two things. Every use is
//! audited as the patient acting through the link.

use jiff::Timestamp;
use jointly_domain::appointment::{Appointment, AppointmentStatus, confirm};
use jointly_domain::link::LinkKey;
use jointly_domain::message::{Audiences, messages_for};
use jointly_store::{AuditAction, AuditOutcome, SlotView};

use crate::principal::Audited;
use crate::{App, AppError, Principal};

/// Where a linked appointment stands, for the page the link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Still to come: it can be confirmed or cancelled.
    Open {
        /// The patient already said they are coming.
        confirmed: bool,
    },
    /// Cancelled (by the patient or the service).
    Cancelled,
    /// Started, attended or missed: nothing more to do here.
    Past,
}

/// What the link's page shows: when, where and what can be done.
#[derive(Clone, Debug)]
pub struct LinkedAppointment {
    /// When it starts.
    pub start: Timestamp,
    /// The place: location name and town.
    pub place: String,
    /// The street address.
    pub address: String,
    /// Where it stands.
    pub state: LinkState,
}

/// The service's key for appointment links: made at random the first time, then the same for
/// every server process and restart, so links in messages already sent keep working.
pub async fn appointment_link_key(
    store: &jointly_store::Store,
    now: Timestamp,
) -> Result<LinkKey, AppError> {
    let mut candidate = [0u8; 32];
    getrandom::fill(&mut candidate)
        .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let stored = store
        .service_key("appointment_links", &candidate, now)
        .await?;
    let bytes: [u8; 32] = stored.try_into().map_err(|_| {
        AppError::Internal("the stored appointment-link key is not 32 bytes".into())
    })?;
    Ok(LinkKey::new(bytes))
}

impl App {
    /// The appointment a link names, with the principal that acts through it; a link this
    /// service did not sign (or links not configured) is not found.
    async fn linked(&self, token: &str) -> Result<(Principal, Appointment, SlotView), AppError> {
        let id = self
            .renderer
            .link_key()
            .and_then(|key| key.verify(token))
            .ok_or(AppError::NotFound)?;
        let (appointment, slot) = self
            .store
            .find_appointment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let by = Principal::AppointmentLink {
            patient: appointment.patient_id,
        };
        Ok((by, appointment, slot))
    }

    fn linked_view(&self, appointment: &Appointment, slot: &SlotView) -> LinkedAppointment {
        let state = match appointment.status {
            AppointmentStatus::Cancelled => LinkState::Cancelled,
            AppointmentStatus::Booked if slot.slot.start > self.clock.now() => LinkState::Open {
                confirmed: appointment.confirmed_at.is_some(),
            },
            _ => LinkState::Past,
        };
        LinkedAppointment {
            start: slot.slot.start,
            place: format!("{}, {}", slot.location_name, slot.location_town),
            address: slot.location_address.clone(),
            state,
        }
    }

    /// Opens the page a link leads to (audited).
    pub async fn appointment_by_link(&self, token: &str) -> Result<LinkedAppointment, AppError> {
        let (by, appointment, slot) = self.linked(token).await?;
        self.store
            .record_audit(&[by.audit(
                self.clock.now(),
                AuditAction::Read,
                "appointment.link",
                AuditOutcome::Allowed,
                Audited {
                    entity: "appointment",
                    id: appointment.id.as_uuid(),
                    patient: appointment.patient_id,
                },
            )])
            .await?;
        Ok(self.linked_view(&appointment, &slot))
    }

    /// The patient says they are coming: recorded once, shown on the clinic list.
    pub async fn confirm_by_link(&self, token: &str) -> Result<LinkedAppointment, AppError> {
        let (by, mut appointment, slot) = self.linked(token).await?;
        let now = self.clock.now();
        let events = confirm(&mut appointment, &slot.slot, by.actor(), now)?;
        if !events.is_empty() {
            let patient = self
                .store
                .find_patient(appointment.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let messages: Vec<_> = events
                .iter()
                .flat_map(|e| messages_for(e, &patient, &Audiences::default()))
                .collect();
            let mut tx = self.store.begin().await?;
            tx.confirm_appointment(appointment.id, now).await?;
            tx.append_events(&events, now).await?;
            tx.enqueue(&messages, now).await?;
            tx.insert_audit(&[by.audit(
                now,
                AuditAction::Update,
                "appointment.link.confirm",
                AuditOutcome::Allowed,
                Audited {
                    entity: "appointment",
                    id: appointment.id.as_uuid(),
                    patient: appointment.patient_id,
                },
            )])
            .await?;
            tx.commit().await?;
            tracing::info!(appointment_id = %appointment.id, "appointment confirmed from a link");
        }
        Ok(self.linked_view(&appointment, &slot))
    }

    /// The patient cannot come: cancelled as if they had cancelled in the portal (the slot
    /// goes to the cancellation list, they stay on the waiting list and are told).
    pub async fn cancel_by_link(&self, token: &str) -> Result<LinkedAppointment, AppError> {
        let (by, appointment, slot) = self.linked(token).await?;
        let id = appointment.id;
        self.cancel_booked(&by, appointment, slot, "appointment.link.cancel")
            .await?;
        let (appointment, slot) = self
            .store
            .find_appointment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(self.linked_view(&appointment, &slot))
    }
}
