//! The public waiting times, live from the data: for each service, how many wait now and for
//! how long so far, the estimated wait for someone referred today, and the first appointment
//! free for a new patient at each place and in each way (face to face, phone, video, group).
//! Counts only, never a person, so nothing here is audited.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use jointly_domain::location::Location;
use jointly_domain::referral::Priority;
use jointly_domain::service::Service;
use jointly_domain::slot::Modality;
use jointly_domain::waiting::{
    THROUGHPUT_WEEKS, WaitRange, WaitSummary, estimate_wait, summarise_waits,
};

use crate::{App, AppError};

/// How far ahead the first free appointments are looked for.
const LOOK_AHEAD_DAYS: i64 = 12 * 7;

/// The first free new-patient appointment at one place, in one way.
#[derive(Clone, Debug)]
pub struct FirstAppointment {
    /// The place's name and town.
    pub place: String,
    /// Face to face, phone, video or group.
    pub modality: Modality,
    /// When.
    pub first: Timestamp,
    /// How many are free in the next twelve weeks.
    pub free: u32,
}

/// One service's waiting times.
#[derive(Clone, Debug)]
pub struct ServiceWaits {
    /// The service.
    pub service: Service,
    /// Everyone waiting now, and for how long so far.
    pub waiting: WaitSummary,
    /// The estimated wait for a routine referral made today.
    pub estimate: Option<WaitRange>,
    /// The first free appointments, soonest first.
    pub first: Vec<FirstAppointment>,
}

impl App {
    /// The services we run, for the public site (names and kinds only).
    pub async fn our_services(&self) -> Result<Vec<Service>, AppError> {
        Ok(self.store.list_services().await?)
    }

    /// Every service's waiting times, as of now.
    pub async fn waiting_times(&self) -> Result<Vec<ServiceWaits>, AppError> {
        let now = self.clock.now();
        let mut days: HashMap<_, Vec<i64>> = HashMap::new();
        for (service, start) in self.store.waiting_clock_starts().await? {
            days.entry(service)
                .or_default()
                .push(now.duration_since(start).as_secs() / 86_400);
        }
        let places: HashMap<_, _> = self
            .store
            .list_locations()
            .await?
            .into_iter()
            .map(|l| (l.id, format!("{}, {}", l.name, l.town)))
            .collect();
        let until = now
            .checked_add(SignedDuration::from_hours(24 * LOOK_AHEAD_DAYS))
            .unwrap_or(now);
        let mut first: HashMap<_, Vec<FirstAppointment>> = HashMap::new();
        for free in self.store.first_free_new_slots(now, until).await? {
            first
                .entry(free.service_id)
                .or_default()
                .push(FirstAppointment {
                    place: places.get(&free.location_id).cloned().unwrap_or_default(),
                    modality: free.modality,
                    first: free.first,
                    free: free.free,
                });
        }
        let since = now
            .checked_sub(SignedDuration::from_hours(
                24 * 7 * i64::from(THROUGHPUT_WEEKS),
            ))
            .unwrap_or(now);
        let mut out = Vec::new();
        for service in self.store.list_services().await? {
            let ahead = self
                .store
                .waiting_ahead(service.id, Priority::Routine)
                .await?;
            let booked = self
                .store
                .appointments_booked_since(service.id, since)
                .await?;
            let mut soonest = first.remove(&service.id).unwrap_or_default();
            soonest.sort_by_key(|f| f.first);
            out.push(ServiceWaits {
                waiting: summarise_waits(days.get(&service.id).map_or(&[][..], Vec::as_slice)),
                estimate: estimate_wait(
                    u64::try_from(ahead).unwrap_or(0),
                    u64::try_from(booked).unwrap_or(0),
                    THROUGHPUT_WEEKS,
                ),
                first: soonest,
                service,
            });
        }
        Ok(out)
    }

    /// Every place the service runs clinics, with how to get there and use it.
    pub async fn public_locations(&self) -> Result<Vec<Location>, AppError> {
        Ok(self.store.list_locations().await?)
    }
}
