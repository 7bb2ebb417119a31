//! Today's clinic in the demo: one physiotherapist's list around the time the demo starts, so
//! the clinic day (arrivals, seen, missed, running late) can be tried at once.

use jiff::{SignedDuration, Timestamp};
use jointly_domain::appointment::book;
use jointly_domain::event::Actor;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::service::ServiceKind;
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::{AppointmentId, PatientId, SlotId, local_date};
use rand_chacha::ChaCha8Rng;

use super::history::History;
use super::region::Region;
use super::seeded_uuid;

/// Appointments on today's list, in minutes from the demo's start: some already due, some later.
const OFFSETS_MINUTES: [i64; 8] = [-180, -120, -60, -30, 30, 60, 120, 180];

/// Books people waiting for physiotherapy into today's clinic of the service's first
/// physiotherapist, leaving out `keep` (the scripted people the README walks through). Times
/// that would fall on another day are skipped. Returns the slots, all booked.
pub fn clinic(
    history: &mut History,
    region: &Region,
    now: Timestamp,
    keep: &[PatientId],
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Slot>> {
    let service = region.service(ServiceKind::Physiotherapy).id;
    let Some(index) = region
        .clinicians
        .iter()
        .position(|c| c.service_id == service)
    else {
        return Ok(Vec::new());
    };
    // On the half hour, so the list reads like a real one.
    let base = Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(1800))?;
    let today = local_date(now);
    let mut slots = Vec::new();
    let mut waiting = history.referrals.iter_mut().filter(|r| {
        r.status == ReferralStatus::Waiting
            && r.service_id == Some(service)
            && !keep.contains(&r.patient_id)
    });
    for offset in OFFSETS_MINUTES {
        let start = base + SignedDuration::from_mins(offset);
        let end = start + SignedDuration::from_mins(30);
        if local_date(start) != today || local_date(end) != today {
            continue;
        }
        let Some(referral) = waiting.next() else {
            break;
        };
        let mut slot = Slot {
            id: SlotId::from_uuid(seeded_uuid(rng)),
            service_id: service,
            location_id: region.home_location[index],
            clinician_id: region.clinicians[index].id,
            start,
            end,
            modality: Modality::FaceToFace,
            status: SlotStatus::Free,
            kind: jointly_domain::slot::AppointmentKind::Any,
        };
        let booked_at = now - SignedDuration::from_hours(24 * 5);
        let (appointment, events) = book(
            &slot,
            referral,
            AppointmentId::from_uuid(seeded_uuid(rng)),
            Actor::Patient(referral.patient_id),
            booked_at,
        )?;
        slot.status = SlotStatus::Booked;
        history.appointments.push(appointment);
        history.events.extend(events);
        slots.push(slot);
    }
    Ok(slots)
}
