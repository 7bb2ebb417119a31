//! The demo's classes: back and knee classes, the Expert Patients Programme and a peer support
//! group over the next four weeks, evenings and Saturdays included, some filling up.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use jointly_domain::class::{Class, ClassKind, ClassPlace, PlaceStatus};
use jointly_domain::referral::ReferralStatus;
use jointly_domain::service::ServiceKind;
use jointly_domain::{ClassId, ClassPlaceId, PatientId};
use rand_chacha::ChaCha8Rng;

use super::history::History;
use super::region::{Region, at};
use super::seeded_uuid;

/// (kind, days from today, hour, minutes long, places, people to book)
const CLASSES: [(ClassKind, i64, i8, i64, u32, usize); 8] = [
    (ClassKind::BackClass, 2, 18, 60, 12, 9),
    (ClassKind::KneeClass, 3, 10, 60, 10, 12),
    (ClassKind::ExpertPatients, 4, 14, 120, 15, 6),
    (ClassKind::PeerSupport, 5, 19, 90, 20, 4),
    (ClassKind::BackClass, 9, 18, 60, 12, 3),
    (ClassKind::KneeClass, 10, 10, 60, 10, 2),
    (ClassKind::ExpertPatients, 11, 14, 120, 15, 1),
    (ClassKind::BackClass, 16, 18, 60, 12, 0),
];

/// The classes and the places already taken (by people waiting for physiotherapy, other than
/// `keep`); a class booked beyond its places has a waiting list.
pub fn classes(
    history: &History,
    region: &Region,
    today: Date,
    now: Timestamp,
    keep: &[PatientId],
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<(Vec<Class>, Vec<ClassPlace>)> {
    let service = region.service(ServiceKind::Physiotherapy).id;
    let Some(leader) = region
        .clinicians
        .iter()
        .position(|c| c.service_id == service)
    else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut waiting = history
        .referrals
        .iter()
        .filter(|r| {
            r.status == ReferralStatus::Waiting
                && r.service_id == Some(service)
                && !keep.contains(&r.patient_id)
        })
        .cycle();
    let (mut classes, mut places) = (Vec::new(), Vec::new());
    for (kind, days, hour, minutes, capacity, wanted) in CLASSES {
        let start = at(today.checked_add(jiff::Span::new().days(days))?, hour, 0)?;
        let mut class = Class {
            id: ClassId::from_uuid(seeded_uuid(rng)),
            kind,
            service_id: service,
            location_id: region.home_location[leader],
            clinician_id: region.clinicians[leader].id,
            start,
            end: start + SignedDuration::from_mins(minutes),
            places: capacity,
            booked: 0,
        };
        let mut seen = Vec::new();
        for n in 0..wanted {
            let Some(referral) = waiting.next() else {
                break;
            };
            if seen.contains(&referral.patient_id) {
                continue;
            }
            seen.push(referral.patient_id);
            let booked = class.booked < class.places;
            if booked {
                class.booked += 1;
            }
            places.push(ClassPlace {
                id: ClassPlaceId::from_uuid(seeded_uuid(rng)),
                class_id: class.id,
                referral_id: referral.id,
                patient_id: referral.patient_id,
                status: if booked {
                    PlaceStatus::Booked
                } else {
                    PlaceStatus::Waiting
                },
                requested_at: now - SignedDuration::from_hours(48 - n as i64),
            });
        }
        classes.push(class);
    }
    Ok((classes, places))
}
