//! What a message needs, looked up at send time from the ids in the outbox, so messages carry
//! current details and no personal data waits in the queue.

use jiff::Timestamp;
use jointly_domain::communication::CommunicationProfile;
use jointly_domain::contact::EmailAddress;
use jointly_domain::intake::Carer;
use jointly_domain::message::{MessageTemplate, Recipient};
use jointly_domain::patient::Patient;
use jointly_domain::referral::ReferralReference;
use jointly_domain::{OfferId, PatientId, ReferralId};
use jointly_store::{ClassView, OutboxEntry, SlotView, Store};

use crate::NotifyError;
use crate::render::RenderError;

/// Who the message is addressed to, with what reaches them.
#[derive(Clone, Debug)]
pub enum Addressee {
    /// The patient, by their own contact details.
    Patient,
    /// The carer or proxy the patient named, by theirs.
    Carer(Carer),
    /// A member of staff, by their work email.
    Staff {
        /// Their name.
        name: String,
        /// Their work email.
        email: EmailAddress,
    },
    /// A referring organisation, by its contact email.
    Organisation {
        /// Its name.
        name: String,
        /// Where referrals correspondence goes.
        email: EmailAddress,
    },
}

/// The records a message is about.
#[derive(Clone, Debug)]
pub struct MessageContext {
    /// Who receives it.
    pub addressee: Addressee,
    /// The patient it is to or about.
    pub patient: Patient,
    /// The referral it is about, when there is one.
    pub referral_id: Option<ReferralId>,
    /// The referral's reference.
    pub reference: Option<ReferralReference>,
    /// The service the referral was routed to.
    pub service_name: Option<String>,
    /// The advice a clinician gave, for advice messages.
    pub advice: Option<String>,
    /// A clinician's question, for question messages.
    pub question: Option<String>,
    /// The appointment's slot, when the message is about one (or the slot offered).
    pub appointment: Option<SlotView>,
    /// The slot of the appointment it replaced, for a changed appointment.
    pub previous_appointment: Option<SlotView>,
    /// An offer of a freed slot: its id and when it expires.
    pub offer: Option<(OfferId, Timestamp)>,
    /// Until when a discharged patient may book again directly.
    pub open_access_until: Option<Timestamp>,
    /// The class a place is in, for class messages.
    pub class: Option<ClassView>,
    /// The patient's communication needs and preferences.
    pub profile: CommunicationProfile,
    /// The name of the patient's key contact in the care team, when one is known.
    pub key_contact: Option<String>,
    /// The words of the passport entry (treatment plan or discharge summary) it carries.
    pub entry: Option<String>,
    /// When the message is being prepared (a letter's date).
    pub now: Timestamp,
}

fn missing(what: &'static str) -> NotifyError {
    RenderError::MissingData(what).into()
}

/// Loads the records an outbox entry refers to, as they are at `now`.
pub async fn load_context(
    store: &Store,
    entry: &OutboxEntry,
    now: Timestamp,
) -> Result<MessageContext, NotifyError> {
    let profile = match (entry.recipient, entry.about) {
        (Recipient::Patient(id) | Recipient::Carer(id), _) | (_, Some(id)) => {
            store.communication_profile(id).await?
        }
        _ => CommunicationProfile::default(),
    };
    let addressee = match entry.recipient {
        // A person whose need is contact via their carer hears through the carer (except
        // sign-in codes, which go only to the person who asked).
        Recipient::Patient(_)
            if !(profile.needs.via_carer()
                && profile.preferences.carer.is_some()
                && entry.template != MessageTemplate::SignInCode) =>
        {
            Addressee::Patient
        }
        Recipient::Patient(_) | Recipient::Carer(_) => Addressee::Carer(
            profile
                .preferences
                .carer
                .clone()
                .ok_or(RenderError::NoAddress("carer"))?,
        ),
        Recipient::Staff(id) => {
            let staff = store.find_staff(id).await?.ok_or(missing("staff"))?;
            let email =
                EmailAddress::parse(&staff.email).map_err(|_| RenderError::NoAddress("email"))?;
            Addressee::Staff {
                name: staff.display_name,
                email,
            }
        }
        Recipient::Organisation(id) => {
            let organisation = store
                .find_organisation(id)
                .await?
                .ok_or(missing("organisation"))?;
            Addressee::Organisation {
                name: organisation.name,
                email: organisation.contact_email,
            }
        }
    };
    let patient_id: PatientId = match (entry.recipient, entry.about) {
        (Recipient::Patient(id) | Recipient::Carer(id), _) | (_, Some(id)) => id,
        _ => return Err(missing("patient")),
    };
    let patient = store
        .find_patient(patient_id)
        .await?
        .ok_or(missing("patient"))?;
    let mut context = MessageContext {
        addressee,
        patient,
        referral_id: entry.data.referral_id,
        reference: None,
        service_name: None,
        advice: None,
        question: None,
        appointment: None,
        previous_appointment: None,
        offer: None,
        open_access_until: None,
        class: None,
        profile,
        key_contact: None,
        entry: None,
        now,
    };
    if let Some(referral_id) = entry.data.referral_id {
        let referral = store
            .find_referral(referral_id)
            .await?
            .ok_or(missing("referral"))?;
        context.reference = Some(referral.reference.clone());
        context.advice = referral.triage_note.as_ref().map(|n| n.as_str().to_owned());
        context.open_access_until = referral.open_access_until;
        // The clinician who took the referral on is the person's key contact until the
        // passport names another.
        if let Some(staff) = referral.triaged_by {
            context.key_contact = store.find_staff(staff).await?.map(|s| s.display_name);
        }
        if let Some(service) = referral.service_id {
            context.service_name = store.find_service(service).await?.map(|s| s.name);
        }
    }
    if let Some(note) = entry.data.note_id {
        let note = store.find_note(note).await?.ok_or(missing("note"))?;
        context.question = Some(note.body.as_str().to_owned());
    }
    let appointment_slot = async |id| {
        store
            .find_appointment(id)
            .await?
            .filter(|(appointment, _)| appointment.patient_id == patient_id)
            .map(|(_, slot)| slot)
            .ok_or(missing("appointment"))
    };
    if let Some(id) = entry.data.appointment_id {
        context.appointment = Some(appointment_slot(id).await?);
    }
    if let Some(id) = entry.data.previous_appointment_id {
        context.previous_appointment = Some(appointment_slot(id).await?);
    }
    if let Some(id) = entry.data.entry_id {
        let written = store
            .find_passport_entry(id)
            .await?
            .filter(|e| e.patient_id == patient_id)
            .ok_or(missing("passport entry"))?;
        context.entry = Some(written.body);
    }
    if let Some(id) = entry.data.class_place_id {
        let place = store
            .find_class_place(id)
            .await?
            .ok_or(missing("class place"))?;
        context.class = Some(
            store
                .find_class(place.class_id)
                .await?
                .ok_or(missing("class"))?,
        );
    }
    if let Some(id) = entry.data.offer_id {
        let offer = store.find_offer(id).await?.ok_or(missing("offer"))?;
        context.appointment = Some(
            store
                .slot_view(offer.slot_id)
                .await?
                .ok_or(missing("slot"))?,
        );
        context.offer = Some((offer.id, offer.expires_at));
    }
    Ok(context)
}
