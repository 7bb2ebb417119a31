//! `jointly demo`: builds the deterministic demo region into a SQLite file and serves it,
//! printing a sign-in for every role.

pub mod classes;
pub mod deprivation;
pub mod feedback;
pub mod front_door;
pub mod history;
pub mod outcomes;
pub mod passport;
pub mod people;
pub mod region;
pub mod today;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use jiff::Timestamp;
use jointly_app::hash_password;
use jointly_domain::access::Role;
use jointly_domain::contact::{ContactChannel, EmailAddress, PhoneNumber};
use jointly_domain::event::Actor;
use jointly_domain::patient::{Language, Patient};
use jointly_domain::referral::ReferralStatus;
use jointly_domain::rota::{ExceptionReason, GeneratedSlot, RotaException, generate_slots};
use jointly_domain::{RotaExceptionId, ServiceId, SlotId, StaffUserId, local_date};
use jointly_store::{ConnectOptions, DatabaseUrl, StaffUser, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::config::Settings;

/// Marks a database as the demo's, so `jointly demo` never rebuilds anything else.
pub const DEMO_MARKER: &str = "demo_region";

/// The password of every demo staff account.
pub const DEMO_PASSWORD: &str = "jointly-demo";

/// The demo patient who can sign in and book straight away.
pub const DEMO_PATIENT_EMAIL: &str = "amelia.khan@example.com";
/// Ruth Adeyemi, whose passport spans physiotherapy and the MSK interface service.
pub const RUTH_EMAIL: &str = "ruth.adeyemi@example.com";
/// The people the walk-through names (Amelia, Tomasz, Grace, Daniel, Farida, Ruth): the
/// generated history leaves them to the script.
const SCRIPTED: usize = 6;

/// Her date of birth, as typed on the sign-in form.
pub const DEMO_PATIENT_BIRTH_DATE: (&str, &str, &str) = ("12", "4", "1968");

/// Made-up patients with a year of history.
const PATIENTS: usize = 3000;

/// Days of clinics generated ahead.
const DAYS_AHEAD: i32 = 28;

/// A demo staff account.
pub struct Account {
    /// Role.
    pub role: Role,
    /// Sign-in email.
    pub email: &'static str,
    /// Name.
    pub name: &'static str,
    /// Services they work in (service codes).
    pub services: &'static [&'static str],
}

/// One account per staff role.
pub const ACCOUNTS: [Account; 7] = [
    Account {
        role: Role::TriageClinician,
        email: "triage@demo.jointly.example",
        name: "Sam Okafor",
        services: &[],
    },
    Account {
        role: Role::Clinician,
        email: "physio@demo.jointly.example",
        name: "Priya Shah",
        services: &["PHYSIO"],
    },
    Account {
        role: Role::Clinician,
        email: "msk@demo.jointly.example",
        name: "Tom Reid",
        services: &["MSK-INT"],
    },
    Account {
        role: Role::Coordinator,
        email: "coordinator@demo.jointly.example",
        name: "Jo Walsh",
        services: &["PHYSIO", "MSK-INT", "PAIN", "RHEUM", "ORTHO", "PODIATRY"],
    },
    Account {
        role: Role::ServiceManager,
        email: "manager@demo.jointly.example",
        name: "Alex Morgan",
        services: &[],
    },
    Account {
        role: Role::Administrator,
        email: "admin@demo.jointly.example",
        name: "Chris Lee",
        services: &[],
    },
    Account {
        role: Role::Referrer,
        email: "gp@demo.jointly.example",
        name: "Dr Mei Chen",
        services: &[],
    },
];

/// What was built.
#[derive(Debug, Default)]
pub struct Summary {
    /// Patients.
    pub patients: usize,
    /// Referrals.
    pub referrals: usize,
    /// Referrals awaiting triage.
    pub awaiting_triage: usize,
    /// Referrals on a waiting list.
    pub waiting: usize,
    /// Appointments, past and future.
    pub appointments: usize,
    /// Free slots ahead.
    pub free_slots: usize,
}

/// A UUID from the seeded generator, so every build of the demo has the same ids.
pub fn seeded_uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

fn scripted_patient(
    mut patient: Patient,
    email: Option<&str>,
    phone: &str,
    language: &str,
    channel: ContactChannel,
) -> anyhow::Result<Patient> {
    patient.email = email
        .map(EmailAddress::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    patient.phone = Some(PhoneNumber::parse(phone).map_err(|e| anyhow::anyhow!("{e}"))?);
    patient.preferred_language = Language::parse(language).map_err(|e| anyhow::anyhow!("{e}"))?;
    patient.preferred_contact = channel;
    Ok(patient)
}

/// Builds the demo region into an empty, migrated store, as of `now`.
pub async fn build(store: &Store, now: Timestamp) -> anyhow::Result<Summary> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let today = local_date(now);
    let region = region::build(&mut rng)?;
    let first_day = today.tomorrow()?;
    let content = jointly_app::Content::embedded()?;
    let sessions = region::rota(&region, today, &mut rng);
    // One physiotherapist is on leave for a week in a fortnight: their slots are not made.
    let leave = RotaException {
        id: RotaExceptionId::from_uuid(seeded_uuid(&mut rng)),
        clinician_id: Some(region.clinicians[1].id),
        location_id: None,
        from: today.checked_add(jiff::Span::new().days(14))?,
        to: today.checked_add(jiff::Span::new().days(20))?,
        reason: ExceptionReason::Leave,
    };
    let generated = generate_slots(
        &sessions,
        std::slice::from_ref(&leave),
        &content.bank_holidays,
        first_day,
        first_day.checked_add(jiff::Span::new().days(DAYS_AHEAD - 1))?,
        || SlotId::from_uuid(seeded_uuid(&mut rng)),
    );
    let mut future_slots: Vec<_> = generated.iter().map(|g| g.slot.clone()).collect();

    let mut staff = Vec::new();
    for account in &ACCOUNTS {
        let services: Vec<ServiceId> = region
            .services
            .iter()
            .filter(|s| account.services.contains(&s.code.as_str()))
            .map(|s| s.id)
            .collect();
        staff.push(StaffUser {
            id: StaffUserId::from_uuid(seeded_uuid(&mut rng)),
            email: account.email.to_owned(),
            display_name: account.name.to_owned(),
            role: account.role,
            password_hash: hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?,
            failed_sign_ins: 0,
            locked_until: None,
            active: true,
            // The triage clinician is on duty, so emergencies alert them.
            on_duty: account.role == Role::TriageClinician,
            services,
        });
    }
    let triager = staff[0].id;

    let mut patients = Vec::with_capacity(PATIENTS);
    for number in 0..PATIENTS {
        patients.push(people::patient(&mut rng, number + 10, today)?);
    }
    // Scripted people the README walks through: Amelia can book now; Tomasz, who prefers
    // Polish, is waiting in the triage queue with Grace (an emergency red flag), Daniel (a
    // call back today) and Farida (referred by her GP).
    let mut amelia = scripted_patient(
        patients[0].clone(),
        Some(DEMO_PATIENT_EMAIL),
        "07700 900001",
        "en",
        ContactChannel::Email,
    )?;
    amelia.name = people::person_name("Amelia", "Khan")?;
    amelia.date_of_birth = jiff::civil::date(1968, 4, 12);
    let mut tomasz = scripted_patient(
        patients[1].clone(),
        None,
        "07700 900002",
        "pl",
        ContactChannel::Sms,
    )?;
    tomasz.name = people::person_name("Tomasz", "Nowak")?;
    patients[0] = amelia;
    patients[1] = tomasz;
    for (index, (given, family)) in [
        (2, ("Grace", "Obi")),
        (3, ("Daniel", "Price")),
        (4, ("Farida", "Hussain")),
    ] {
        patients[index].name = people::person_name(given, family)?;
    }
    // Ruth's passport follows her across two services.
    let mut ruth = scripted_patient(
        patients[5].clone(),
        Some(RUTH_EMAIL),
        "07700 900006",
        "en",
        ContactChannel::Email,
    )?;
    ruth.name = people::person_name("Ruth", "Adeyemi")?;
    ruth.date_of_birth = jiff::civil::date(1959, 9, 3);
    patients[5] = ruth;

    let mut history = history::generate(
        &mut rng,
        history::Inputs {
            content: &content,
            region: &region,
            patients: &patients,
            now,
            triager,
            future_slots: &mut future_slots,
        },
    )?;
    let tasks = script(&mut history, &region, &content, &patients, now, triager)?;
    let story = passport::ruth(
        &mut ChaCha8Rng::seed_from_u64(51),
        &region,
        &patients[5],
        &passport::Authors {
            triage: staff[0].id,
            physio: staff[1].id,
            msk: staff[2].id,
        },
        now,
    )?;
    history.referrals.extend(story.referrals.iter().cloned());
    history
        .appointments
        .extend(story.appointments.iter().cloned());
    history.past_slots.extend(story.slots.iter().cloned());
    history.events.extend(story.events.iter().cloned());
    let scripted: Vec<_> = patients.iter().take(SCRIPTED).map(|p| p.id).collect();
    let todays_slots = today::clinic(&mut history, &region, now, &scripted, &mut rng)?;
    let (classes, class_places) =
        classes::classes(&history, &region, today, now, &scripted, &mut rng)?;
    history
        .events
        .sort_by_key(jointly_domain::event::DomainEvent::at);
    let outcome_measures =
        outcomes::generate(&history, &scripted, &mut ChaCha8Rng::seed_from_u64(91))?;
    let organisations = front_door::organisations()?;
    let said = feedback::generate(
        &history,
        &content.bank_holidays,
        staff[3].id,
        now,
        &mut ChaCha8Rng::seed_from_u64(77),
    )?;

    let mut tx = store.begin().await?;
    for service in &region.services {
        tx.insert_service(service, now).await?;
    }
    for location in &region.locations {
        tx.insert_location(location, now).await?;
    }
    for clinician in &region.clinicians {
        tx.insert_clinician(clinician, now).await?;
    }
    for user in &staff {
        tx.insert_staff(user, now).await?;
    }
    for organisation in &organisations {
        tx.insert_organisation(organisation, now).await?;
    }
    tx.set_organisation_key(
        organisations[0].id,
        &jointly_app::hash_api_key(front_door::DEMO_API_KEY),
        now,
    )
    .await?;
    for patient in &patients {
        tx.insert_patient(patient, now).await?;
    }
    for referral in &history.referrals {
        tx.insert_referral(referral, now).await?;
    }
    for (decision, checklist) in &history.surgery {
        tx.insert_surgery_decision(decision).await?;
        tx.save_fitness_checklist(checklist).await?;
    }
    tx.insert_slots(&history.past_slots, now).await?;
    tx.insert_rota_sessions(&sessions, now).await?;
    tx.insert_rota_exception(&leave, now).await?;
    let generated: Vec<GeneratedSlot> = generated
        .into_iter()
        .zip(&future_slots)
        .map(|(g, slot)| GeneratedSlot {
            slot: slot.clone(),
            session: g.session,
        })
        .collect();
    tx.insert_generated_slots(&generated, now).await?;
    tx.insert_slots(&todays_slots, now).await?;
    // Cancelled appointments keep when they were cancelled (halfway between booking and the
    // time), so clinic use counts them as cancelled ahead of time.
    let starts: std::collections::HashMap<_, _> =
        history.past_slots.iter().map(|s| (s.id, s.start)).collect();
    let (cancelled, kept): (Vec<_>, Vec<_>) = history
        .appointments
        .iter()
        .cloned()
        .partition(|a| a.status == jointly_domain::appointment::AppointmentStatus::Cancelled);
    tx.insert_appointments(&kept, now).await?;
    for appointment in &cancelled {
        let at = starts.get(&appointment.slot_id).map_or(now, |start| {
            appointment.booked_at + start.duration_since(appointment.booked_at) / 2
        });
        tx.insert_appointments(std::slice::from_ref(appointment), at)
            .await?;
    }
    save_passport(&mut tx, &story).await?;
    tx.insert_tasks(&tasks, now).await?;
    for class in &classes {
        tx.insert_class(class, now).await?;
    }
    for place in &class_places {
        tx.insert_class_place(place, now).await?;
    }
    for given in &said.feedback {
        tx.insert_feedback(given).await?;
    }
    for concern in &said.concerns {
        tx.insert_concern(concern).await?;
    }
    for made in &said.improvements {
        tx.save_improvement(made).await?;
    }
    for response in &outcome_measures {
        tx.insert_measure_response(response).await?;
    }
    tx.append_events(&history.events, now).await?;
    tx.put_setting(DEMO_MARKER, &today.to_string(), now).await?;
    tx.commit().await?;
    deprivation::import(store, &patients).await?;
    let higher: Vec<&str> = content
        .measures
        .measures
        .iter()
        .filter(|m| m.higher_is_better)
        .map(|m| m.id.as_str())
        .collect();
    store.refresh_population(now, &higher).await?;
    store.refresh_statistics().await?;

    let count = |status| {
        history
            .referrals
            .iter()
            .filter(|r| r.status == status)
            .count()
    };
    Ok(Summary {
        patients: patients.len(),
        referrals: history.referrals.len(),
        awaiting_triage: count(ReferralStatus::AwaitingTriage),
        waiting: count(ReferralStatus::Waiting),
        appointments: history.appointments.len(),
        free_slots: future_slots
            .iter()
            .filter(|s| s.status == jointly_domain::slot::SlotStatus::Free)
            .count(),
    })
}

/// Puts the scripted patients where the walk-through needs them: Amelia accepted into
/// physiotherapy and ready to book; the others received today, awaiting triage. Returns the
/// open tasks their red flags raised.
fn script(
    history: &mut history::History,
    region: &region::Region,
    content: &jointly_app::Content,
    patients: &[Patient],
    now: Timestamp,
    triager: StaffUserId,
) -> anyhow::Result<Vec<jointly_domain::task::Task>> {
    use jointly_domain::referral::{
        FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
        TriageDecision,
    };
    let scripted: Vec<_> = patients.iter().take(SCRIPTED).map(|p| p.id).collect();
    let dropped: Vec<_> = history
        .referrals
        .iter()
        .filter(|r| scripted.contains(&r.patient_id))
        .map(|r| r.id)
        .collect();
    history
        .referrals
        .retain(|r| !scripted.contains(&r.patient_id));
    history
        .appointments
        .retain(|a| !dropped.contains(&a.referral_id));
    history
        .events
        .retain(|e| e.referral_id().is_none_or(|id| !dropped.contains(&id)));
    let text = |t: &str| FreeText::parse(t).map_err(|e| anyhow::anyhow!("{e}"));
    let received = now - jiff::SignedDuration::from_hours(24 * 9);
    let words = "My right knee has hurt for two months, worst on stairs and after walking the dog.";
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (answers, triage) =
        history::synthetic_intake(&mut rng, content, ProblemArea::Knee, 58, words)?;
    let mut new = NewReferral::basic(
        patients[0].id,
        ReferralSource::SelfReferral,
        ProblemArea::Knee,
        text(words)?,
    );
    new.answers = Some(answers);
    new.digital_triage = Some(triage);
    let (mut amelia, events) = Referral::receive(
        new,
        jointly_domain::ReferralId::from_uuid(Uuid::from_u128(
            0x0196_0000_0000_7000_8000_0000_0000_0001,
        )),
        ReferralReference::from_random(0x1_2345_6789),
        Actor::Patient(patients[0].id),
        received,
    );
    history.events.extend(events);
    let decision = TriageDecision {
        service_id: region
            .service(jointly_domain::service::ServiceKind::Physiotherapy)
            .id,
        service_kind: jointly_domain::service::ServiceKind::Physiotherapy,
        priority: Priority::Routine,
        note: Some(text("Mechanical knee pain, no red flags. Physiotherapy.")?),
        ready_for_surgery: None,
    };
    history.events.extend(amelia.accept(
        decision,
        Actor::Staff(triager),
        received + jiff::SignedDuration::from_hours(20),
    )?);
    history.referrals.push(amelia);
    let front = front_door::scripted(
        content,
        [&patients[1], &patients[2], &patients[3], &patients[4]],
        now,
    )?;
    history.referrals.extend(front.referrals);
    history.events.extend(front.events);
    history
        .events
        .sort_by_key(jointly_domain::event::DomainEvent::at);
    Ok(front.tasks)
}

/// Writes Ruth's passport: what matters, goals, plans, notes and her discharge summary, the
/// decision about surgery, her exercise programme and sessions, her outcome measures and
/// where she was signposted.
async fn save_passport(tx: &mut jointly_store::Tx, story: &passport::Story) -> anyhow::Result<()> {
    let patient = story
        .referrals
        .first()
        .map(|r| r.patient_id)
        .ok_or_else(|| anyhow::anyhow!("Ruth has no referral"))?;
    if let Some(about) = &story.about {
        tx.save_passport_about(patient, about).await?;
    }
    for goal in &story.goals {
        tx.insert_goal(goal).await?;
    }
    for entry in &story.entries {
        tx.insert_passport_entry(entry).await?;
    }
    for note in &story.notes {
        tx.insert_clinical_note(note).await?;
    }
    if let Some(decision) = &story.decision {
        tx.insert_surgery_decision(decision).await?;
    }
    if let Some((programme, logs)) = &story.programme {
        tx.insert_programme(programme).await?;
        for log in logs {
            tx.insert_exercise_log(log).await?;
        }
    }
    for response in &story.measures {
        tx.insert_measure_response(response).await?;
    }
    for signposting in &story.signpostings {
        tx.insert_signposting(signposting).await?;
    }
    Ok(())
}

fn remove_database(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("could not remove {}", Path::new(&file).display()));
            }
        }
    }
    Ok(())
}

/// `jointly demo`
pub async fn run(database: &Path, listen: SocketAddr, build_only: bool) -> anyhow::Result<()> {
    if database.exists() {
        let existing = Store::connect(
            &DatabaseUrl::Sqlite {
                path: database.to_owned(),
                create: false,
            },
            &ConnectOptions::default(),
        )
        .await;
        let is_demo = match &existing {
            Ok(store) => store.setting(DEMO_MARKER).await.ok().flatten().is_some(),
            Err(_) => false,
        };
        if let Ok(store) = existing {
            store.close().await;
        }
        if !is_demo {
            bail!(
                "{} exists and is not a Jointly demo database; choose another path with --database",
                database.display()
            );
        }
        remove_database(database)?;
    }
    let started = Instant::now();
    let store = Store::connect(
        &DatabaseUrl::sqlite_creating(database),
        &ConnectOptions::default(),
    )
    .await?;
    store.migrate().await?;
    #[allow(clippy::disallowed_methods)] // the demo is built as of the real now
    let now = Timestamp::now();
    let summary = build(&store, now).await?;
    println!(
        "Built the demo region in {:.1}s: {} patients, {} referrals ({} awaiting triage, {} on waiting lists), {} appointments, {} free slots in the next {} days.",
        started.elapsed().as_secs_f64(),
        summary.patients,
        summary.referrals,
        summary.awaiting_triage,
        summary.waiting,
        summary.appointments,
        summary.free_slots,
        DAYS_AHEAD
    );
    if build_only {
        store.close().await;
        return Ok(());
    }
    let mut settings = Settings::default();
    settings.server.listen = listen.to_string();
    settings.server.public_url = format!("http://{listen}");
    settings.database.url = format!("sqlite://{}", database.display());
    settings.messages.folder = database.with_extension("outbox");
    settings.messages.print_folder = database.with_extension("print");
    settings.validate()?;
    crate::serve::run(store, &settings, listen, true, |address| {
        print_sign_ins(address)
    })
    .await
}

fn print_sign_ins(address: SocketAddr) {
    let (day, month, year) = DEMO_PATIENT_BIRTH_DATE;
    println!();
    println!("Jointly demo is running at http://{address}  (Ctrl-C to stop)");
    println!();
    println!(
        "Staff sign in at http://{address}/staff/sign-in, password `{DEMO_PASSWORD}` for every account:"
    );
    for account in &ACCOUNTS {
        println!(
            "  {:<18} {}",
            account.role.as_str().replace('_', " "),
            account.email
        );
    }
    println!();
    println!(
        "Patient: sign in at http://{address}/sign-in with {DEMO_PATIENT_EMAIL}, date of birth {day} {month} {year}."
    );
    println!(
        "  The one-time code is not really sent: sign in as the coordinator and open Messages to read it."
    );
    println!();
    println!(
        "Referrers: the web form is at http://{address}/refer/professional (ODS code {}); the API takes",
        front_door::DEMO_ODS_CODE
    );
    println!(
        "  POST http://{address}/api/v1/professional-referrals with the header `Authorization: Bearer {}`.",
        front_door::DEMO_API_KEY
    );
    println!();
}
