//! Jointly as a FHIR target: a fresh database seeded outside any timed window (a clinic, one
//! clinician's diary of free slots, an organisation with every FHIR scope, and people with
//! referrals accepted and waiting to book — one per slot the bookings may take), then the
//! release `jointly serve` binary started on it as its own process, so its CPU time can be
//! read apart from the load generator's.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;

use anyhow::{Context as _, anyhow, bail};
use jiff::{SignedDuration, Timestamp, ToSpan};
use jointly_domain::event::Actor;
use jointly_domain::intake::{OdsCode, OrganisationKind, ReferringOrganisation};
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    TriageDecision,
};
use jointly_domain::scope::Scopes;
use jointly_domain::service::ServiceKind;
use jointly_domain::slot::{AppointmentKind, Modality, Slot, SlotStatus};
use jointly_domain::{
    Clock, OrganisationId, PatientId, ReferralId, SlotId, SystemClock, local_date, london,
};
use jointly_store::Store;
use jointly_store::testing::{SampleClinic, sample_patient, seed_clinic};
use tokio::process::{Child, Command};

use crate::fhir::scenario::{Bookable, Fixture};

/// Rows written per transaction while seeding.
const BATCH: usize = 2_000;

/// Slots a day in the diary: every five minutes from 07:00 to 19:00.
const SLOTS_PER_DAY: usize = 144;

/// People in the pool that reads and searches pick from.
const READERS: usize = 1_000;

/// The organisation the driver signs in as.
pub(crate) const ODS: &str = "Y09876";

/// A running `jointly serve` and what the driver needs to use it.
pub(crate) struct Jointly {
    /// `http://127.0.0.1:PORT/fhir`.
    pub(crate) base: String,
    /// The server's process.
    pub(crate) child: Child,
    /// The organisation's API key (the client secret).
    pub(crate) key: String,
}

/// Seeds `store` for `bookings` bookings and returns the fixture and the organisation's key.
pub(crate) async fn seed(store: &Store, bookings: usize) -> anyhow::Result<(Fixture, String)> {
    let now = SystemClock.now();
    let clinic = seed_clinic(store).await;
    let key = format!("jly_bench{}", uuid::Uuid::new_v4().simple());
    let organisation = ReferringOrganisation {
        id: OrganisationId::new(),
        ods_code: OdsCode::parse(ODS).map_err(|_| anyhow!("ODS code"))?,
        name: "Bench Practice".into(),
        kind: OrganisationKind::parse("general_practice").map_err(|_| anyhow!("kind"))?,
        contact_email: jointly_domain::contact::EmailAddress::parse("bench@nhs.example")
            .map_err(|_| anyhow!("email"))?,
        active: true,
    };
    let mut tx = store.begin().await?;
    tx.insert_organisation(&organisation, now).await?;
    tx.set_organisation_key(organisation.id, &jointly_app::hash_api_key(&key), now)
        .await?;
    tx.set_organisation_scopes(
        organisation.id,
        Scopes::parse("system/*.read system/*.write").map_err(|_| anyhow!("scopes"))?,
        now,
    )
    .await?;
    tx.commit().await?;

    // Slots from a week ahead, far past the notice a booking needs.
    let first_day = local_date(now + SignedDuration::from_hours(24 * 7));
    let wanted = bookings + 1 + READERS;
    let days = wanted.div_ceil(SLOTS_PER_DAY);
    let mut slots = Vec::with_capacity(days * SLOTS_PER_DAY);
    for d in 0..days {
        let day = first_day.checked_add(i32::try_from(d)?.days())?;
        for s in 0..SLOTS_PER_DAY {
            let minutes = i64::try_from(7 * 60 + s * 5)?;
            let start = day
                .to_zoned(london())?
                .timestamp()
                .checked_add(SignedDuration::from_mins(minutes))?;
            slots.push(slot(&clinic, start));
        }
    }
    for chunk in slots.chunks(BATCH) {
        let mut tx = store.begin().await?;
        tx.insert_slots(chunk, now).await?;
        tx.commit().await?;
    }

    // One person with an accepted referral per slot a booking may take, and for the race.
    let people = bookings + 32 + READERS;
    let mut pairs = Vec::with_capacity(people);
    for chunk_start in (0..people).step_by(BATCH) {
        let mut tx = store.begin().await?;
        for _ in chunk_start..(chunk_start + BATCH).min(people) {
            let (patient, referral) = waiting_referral(&clinic, now)?;
            tx.insert_patient(&patient, now).await?;
            tx.insert_referral(&referral, now).await?;
            tx.link_organisation_patient(organisation.id, patient.id, now)
                .await?;
            pairs.push((patient.id, referral.id));
        }
        tx.commit().await?;
    }
    store.refresh_statistics().await?;

    let race_slot = &slots[0];
    let race = pairs[..32]
        .iter()
        .map(|(p, r)| bookable(race_slot, *p, *r))
        .collect();
    let readers: Vec<String> = pairs[32..32 + READERS]
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    // Readers' slots are left free for the searches; bookings take the rest, in order.
    let bookable: VecDeque<Bookable> = slots[1 + READERS..]
        .iter()
        .zip(&pairs[32 + READERS..])
        .map(|(s, (p, r))| bookable(s, *p, *r))
        .collect();
    let fixture = Fixture {
        care_plans: readers.clone(),
        patients: readers,
        schedule: clinic.clinician.id.to_string(),
        days: (0..days.min(30))
            .filter_map(|d| first_day.checked_add(i32::try_from(d).ok()?.days()).ok())
            .collect(),
        bookable: Mutex::new(bookable),
        race,
        questionnaire: "https://jointly.example/fhir/Questionnaire/msk-self-referral".into(),
    };
    Ok((fixture, key))
}

fn slot(clinic: &SampleClinic, start: Timestamp) -> Slot {
    Slot {
        id: SlotId::new(),
        service_id: clinic.service.id,
        location_id: clinic.location.id,
        clinician_id: clinic.clinician.id,
        start,
        end: start + SignedDuration::from_mins(5),
        modality: Modality::FaceToFace,
        status: SlotStatus::Free,
        kind: AppointmentKind::Any,
    }
}

fn bookable(slot: &Slot, patient: PatientId, referral: ReferralId) -> Bookable {
    Bookable {
        slot: slot.id.to_string(),
        start: jointly_fhir_instant(slot.start),
        end: jointly_fhir_instant(slot.end),
        patient: patient.to_string(),
        referral: referral.to_string(),
    }
}

fn jointly_fhir_instant(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn waiting_referral(
    clinic: &SampleClinic,
    now: Timestamp,
) -> anyhow::Result<(jointly_domain::patient::Patient, Referral)> {
    let mut patient = sample_patient();
    patient.id = PatientId::new();
    let (mut referral, _) = Referral::receive(
        NewReferral::basic(
            patient.id,
            ReferralSource::Professional,
            ProblemArea::Knee,
            FreeText::parse("Knee pain on stairs").map_err(|_| anyhow!("text"))?,
        ),
        ReferralId::new(),
        ReferralReference::from_random(u64::from(uuid::Uuid::new_v4().as_fields().0)),
        Actor::System,
        now,
    );
    referral.accept(
        TriageDecision {
            service_id: clinic.service.id,
            service_kind: ServiceKind::Physiotherapy,
            priority: Priority::Routine,
            note: None,
            ready_for_surgery: None,
        },
        Actor::System,
        now,
    )?;
    Ok((patient, referral))
}

/// The `jointly` binary beside this one (`cargo build --release -p jointly`).
pub(crate) fn default_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let binary = me.with_file_name("jointly");
    if !binary.exists() {
        bail!(
            "{} is missing: build it first (cargo build --release -p jointly) or pass --jointly-bin",
            binary.display()
        );
    }
    Ok(binary)
}

/// Starts `jointly serve` on `database` at a free loopback port and waits until it is ready.
pub(crate) async fn start(
    binary: &std::path::Path,
    database: &str,
    folder: &std::path::Path,
    key: String,
) -> anyhow::Result<Jointly> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let origin = format!("http://127.0.0.1:{port}");
    let child = Command::new(binary)
        .arg("serve")
        .env("JOINTLY_DATABASE__URL", database)
        .env("JOINTLY_SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env("JOINTLY_SERVER__PUBLIC_URL", &origin)
        .env("JOINTLY_MESSAGES__FOLDER", folder.join("outbox"))
        .env("JOINTLY_MESSAGES__PRINT_FOLDER", folder.join("print"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(format!("{origin}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(Jointly {
                base: format!("{origin}/fhir"),
                child,
                key,
            });
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    bail!("jointly serve did not become ready on {origin} within 30 s")
}
