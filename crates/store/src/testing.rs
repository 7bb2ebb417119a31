//! Test support: a fresh, migrated database per test on either backend, removed afterwards,
//! and sample records. Compiled only with the `testing` feature.
// Test support fails loudly: a panic here is a failed test, which is what we want.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::future::Future;
use std::path::PathBuf;

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use jointly_domain::clinician::{ClinicalRole, Clinician};
use jointly_domain::contact::{ContactChannel, PhoneNumber, Postcode};
use jointly_domain::event::Actor;
use jointly_domain::location::Location;
use jointly_domain::patient::{Language, NamePart, Patient, PersonName, Sex};
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    TriageDecision,
};
use jointly_domain::service::{Service, ServiceKind, ServiceRules};
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::{ClinicianId, LocationId, PatientId, ReferralId, ServiceId, SlotId};
use sqlx::Connection;
use uuid::Uuid;

use crate::{Backend, ConnectOptions, DatabaseUrl, Store};

/// The PostgreSQL server tests create their databases on; override with
/// `JOINTLY_TEST_POSTGRES_URL`.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Both backends, unless `JOINTLY_TEST_POSTGRES=off` says this machine has no PostgreSQL.
/// Skipping is explicit and announced; an unreachable server is a test failure.
pub fn backends() -> Vec<Backend> {
    if std::env::var("JOINTLY_TEST_POSTGRES").is_ok_and(|v| v == "off") {
        eprintln!("JOINTLY_TEST_POSTGRES=off: skipping PostgreSQL");
        vec![Backend::Sqlite]
    } else {
        vec![Backend::Sqlite, Backend::Postgres]
    }
}

/// A fresh, migrated database that exists only for one test.
pub struct TestDatabase {
    /// The store over it.
    pub store: Store,
    /// Its URL.
    pub url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// Creates and migrates a new database.
    pub async fn create(backend: Backend) -> Self {
        let name = format!("jointly_test_{}", Uuid::new_v4().simple());
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                (DatabaseUrl::sqlite_creating(&path), Cleanup::Sqlite(path))
            }
            Backend::Postgres => {
                let admin_url = std::env::var("JOINTLY_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "PostgreSQL is not reachable at {admin_url} ({e}); start it, set \
                         JOINTLY_TEST_POSTGRES_URL, or set JOINTLY_TEST_POSTGRES=off to skip"
                        )
                    });
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("JOINTLY_TEST_POSTGRES_URL must name a database"),
                };
                let url = DatabaseUrl::parse(&url).expect("postgres url");
                (url, Cleanup::Postgres { admin_url, name })
            }
        };
        let options = ConnectOptions {
            max_connections: 16,
            ..ConnectOptions::default()
        };
        let store = Store::connect(&url, &options)
            .await
            .expect("connect to test database");
        store.migrate().await.expect("migrate test database");
        Self {
            store,
            url,
            cleanup,
        }
    }

    /// Closes the store and removes the database.
    pub async fn remove(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                        .execute(&mut admin)
                        .await;
                }
            }
        }
    }
}

/// Runs `test` against a fresh database on every backend in turn, removing each database
/// afterwards even when the test panics (the panic is then passed on).
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for backend in backends() {
        let db = TestDatabase::create(backend).await;
        let outcome = tokio::spawn(test(db.store.clone())).await;
        db.remove().await;
        if let Err(error) = outcome {
            match error.try_into_panic() {
                Ok(panic) => {
                    eprintln!("failed on {}", backend.as_str());
                    std::panic::resume_unwind(panic)
                }
                Err(error) => panic!("test task failed on {}: {error}", backend.as_str()),
            }
        }
    }
}

/// A fixed "now" for tests: Monday 23 November 2026, 09:00 UTC.
pub fn now() -> Timestamp {
    Timestamp::from_second(1_795_424_400).unwrap()
}

/// The sample clinic: one service, location and clinician.
#[derive(Clone, Debug)]
pub struct SampleClinic {
    /// The service.
    pub service: Service,
    /// The location.
    pub location: Location,
    /// The clinician.
    pub clinician: Clinician,
}

/// Records a service, location and clinician.
pub async fn seed_clinic(store: &Store) -> SampleClinic {
    let service = Service {
        id: ServiceId::new(),
        code: format!("PHYSIO-{}", &Uuid::new_v4().simple().to_string()[..6]),
        name: "Community Physiotherapy".into(),
        kind: ServiceKind::Physiotherapy,
        rules: ServiceRules::default(),
    };
    let location = Location {
        id: LocationId::new(),
        name: "Bedford Health Village".into(),
        address: "3 Kimbolton Road".into(),
        town: "Bedford".into(),
        postcode: Postcode::parse("MK40 2NT").unwrap(),
        latitude: 52.1406,
        longitude: -0.4669,
        step_free: true,
        details: jointly_domain::location::LocationDetails {
            hearing_loop: true,
            blue_badge_parking: true,
            parking: "Free car park with 40 spaces".into(),
            transport: "Buses 51 and 52 stop outside; 15 minutes' walk from Bedford station".into(),
            opening_hours: "Monday to Friday 8am to 8pm, Saturday 9am to 1pm".into(),
        },
    };
    let clinician = Clinician {
        id: ClinicianId::new(),
        name: name("Priya", "Shah"),
        role: ClinicalRole::Physiotherapist,
        service_id: service.id,
        skills: vec!["knee".into(), "spinal".into()],
    };
    let mut tx = store.begin().await.expect("begin");
    tx.insert_service(&service, now()).await.expect("service");
    tx.insert_location(&location, now())
        .await
        .expect("location");
    tx.insert_clinician(&clinician, now())
        .await
        .expect("clinician");
    tx.commit().await.expect("commit");
    SampleClinic {
        service,
        location,
        clinician,
    }
}

/// Records `count` free 30-minute slots, a day apart, starting tomorrow at 09:00 UTC.
pub async fn seed_slots(store: &Store, clinic: &SampleClinic, count: usize) -> Vec<Slot> {
    let slots: Vec<Slot> = (0..count)
        .map(|i| {
            let start = now() + SignedDuration::from_hours(24 * (i as i64 + 1));
            Slot {
                id: SlotId::new(),
                service_id: clinic.service.id,
                location_id: clinic.location.id,
                clinician_id: clinic.clinician.id,
                start,
                end: start + SignedDuration::from_mins(30),
                modality: Modality::FaceToFace,
                status: SlotStatus::Free,
                kind: jointly_domain::slot::AppointmentKind::Any,
            }
        })
        .collect();
    let mut tx = store.begin().await.expect("begin");
    tx.insert_slots(&slots, now()).await.expect("slots");
    tx.commit().await.expect("commit");
    slots
}

fn name(given: &str, family: &str) -> PersonName {
    PersonName {
        given: NamePart::parse(given).unwrap(),
        family: NamePart::parse(family).unwrap(),
    }
}

/// A sample patient who prefers text messages.
pub fn sample_patient() -> Patient {
    Patient {
        id: PatientId::new(),
        nhs_number: None,
        name: name("Amelia", "Khan"),
        date_of_birth: date(1968, 4, 12),
        sex: Sex::Female,
        ethnicity: None,
        postcode: Postcode::parse("LU1 3JU").unwrap(),
        address: None,
        phone: PhoneNumber::parse("07700900123").ok(),
        email: None,
        preferred_language: Language::ENGLISH,
        preferred_contact: ContactChannel::Sms,
    }
}

/// Records a patient and a referral for them accepted into `service`, waiting to book.
pub async fn seed_waiting_referral(store: &Store, service: ServiceId) -> (Patient, Referral) {
    seed_waiting_referral_for(store, service, sample_patient()).await
}

/// Records `patient` and a referral for them accepted into `service`, waiting to book.
pub async fn seed_waiting_referral_for(
    store: &Store,
    service: ServiceId,
    patient: Patient,
) -> (Patient, Referral) {
    seed_waiting_referral_at(store, service, patient, now()).await
}

/// Records `patient` and a referral for them received and accepted into `service` at `at`,
/// waiting to book.
pub async fn seed_waiting_referral_at(
    store: &Store,
    service: ServiceId,
    patient: Patient,
    at: Timestamp,
) -> (Patient, Referral) {
    let (mut referral, _) = Referral::receive(
        NewReferral::basic(
            patient.id,
            ReferralSource::SelfReferral,
            ProblemArea::Knee,
            FreeText::parse("Knee pain on stairs").unwrap(),
        ),
        ReferralId::new(),
        ReferralReference::from_random(u64::from(Uuid::new_v4().as_fields().0)),
        Actor::Patient(patient.id),
        at,
    );
    let decision = TriageDecision {
        service_id: service,
        service_kind: ServiceKind::Physiotherapy,
        priority: Priority::Routine,
        note: None,
        ready_for_surgery: None,
    };
    referral
        .accept(decision, Actor::System, at)
        .expect("accept");
    let mut tx = store.begin().await.expect("begin");
    tx.insert_patient(&patient, at).await.expect("patient");
    tx.insert_referral(&referral, at).await.expect("referral");
    tx.commit().await.expect("commit");
    (patient, referral)
}

/// Records a member of staff with `role` (a password hash nobody can sign in with).
pub async fn seed_staff(
    store: &Store,
    role: jointly_domain::access::Role,
    on_duty: bool,
) -> crate::StaffUser {
    let user = crate::StaffUser {
        id: jointly_domain::StaffUserId::new(),
        email: format!("{}@staff.example", Uuid::new_v4().simple()),
        display_name: "Sam Okafor".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        failed_sign_ins: 0,
        locked_until: None,
        active: true,
        on_duty,
        services: vec![],
    };
    let mut tx = store.begin().await.expect("begin");
    tx.insert_staff(&user, now()).await.expect("staff");
    tx.commit().await.expect("commit");
    user
}

impl crate::Tx {
    /// Tries to rewrite and then delete audit rows, as an attacker with database access through
    /// Jointly's own connection might; both must fail.
    pub async fn tamper_with_audit_for_test(&mut self) -> Result<(), crate::StoreError> {
        crate::write!(self, conn => {
            let updated = sqlx::query("UPDATE audit_event SET outcome = 'denied'").execute(&mut *conn).await;
            let deleted = sqlx::query("DELETE FROM audit_event").execute(&mut *conn).await;
            match (updated, deleted) {
                (Err(e), _) | (_, Err(e)) => Err(e.into()),
                _ => Ok(()),
            }
        })
    }
}

/// A parameter of the population seed.
#[derive(Clone, Copy)]
enum Param {
    Int(i64),
    Id(Uuid),
}

/// Fills a PostgreSQL database with `referrals` made-up referrals for the sample clinic, one
/// person each, received over three years, with their journeys (attended appointments and
/// their slots, missed appointments, feedback, communication needs) and a deprivation lookup
/// over 2,000 postcodes in 500 neighbourhoods; for measuring the dashboards at scale. Missed
/// appointments and long waits are commoner in the most deprived neighbourhoods.
pub async fn seed_population(
    store: &Store,
    clinic: &SampleClinic,
    referrals: i64,
    now: Timestamp,
) -> Result<(), crate::StoreError> {
    let crate::Db::Postgres(pool) = &store.db else {
        return Err(crate::StoreError::Conflict(
            "seed_population needs PostgreSQL",
        ));
    };
    const DAY: i64 = 86_400_000_000;
    let now = crate::row::micros(now);
    // Person i lives at postcode i % 2000; postcode p is in neighbourhood p % 500, whose
    // decile is 1 + (p % 500) % 10.
    let statements = [
        "INSERT INTO patient (id, given_name, family_name, date_of_birth, sex, ethnicity, postcode, \
         phone, preferred_language, preferred_contact, created_at, updated_at) \
         SELECT md5('p' || i)::uuid, 'Test', 'Person', \
         (1930 + i % 85)::text || '-0' || (1 + i % 9)::text || '-1' || (i % 9)::text, \
         (ARRAY['female', 'male', 'female', 'male', 'other', 'unknown'])[1 + i % 6], \
         CASE WHEN i % 13 = 0 THEN NULL ELSE substr('AABCDEFGHJKLMNPRSZ', (1 + i % 17)::int, 1) END, \
         'LU' || (1 + (i % 2000) % 9)::text || ' ' || (1 + (i % 2000) / 9 % 9)::text \
           || chr(65 + (i % 2000) / 81 % 25) || chr(65 + (i % 2000) % 23), \
         '07700900000', (ARRAY['en', 'en', 'en', 'en', 'en', 'pl', 'ur', 'pa', 'ro'])[1 + i % 9], \
         'sms', $1, $1 FROM generate_series(1, $2::int) i",
        "INSERT INTO postcode_lsoa (postcode, lsoa_code) \
         SELECT DISTINCT ON (postcode) postcode, \
         'E01' || lpad(((i % 2000) % 500)::text, 6, '0') FROM patient, generate_series(1, 2000) i \
         WHERE patient.id = md5('p' || i)::uuid ORDER BY postcode",
        "INSERT INTO lsoa_deprivation (lsoa_code, imd_version, decile) \
         SELECT 'E01' || lpad(n::text, 6, '0'), 'synthetic bench', 1 + n % 10 \
         FROM generate_series(0, 499) n",
        "INSERT INTO referral (id, reference, patient_id, source, problem_area, status, service_id, \
         priority, received_at, triaged_at, urgency, decision, attended, missed, discharged_at, \
         version, created_at, updated_at) \
         SELECT md5('r' || i)::uuid, 'B' || lpad(i::text, 9, '0'), md5('p' || i)::uuid, \
         (ARRAY['self', 'professional', 'phone'])[1 + i % 3], 'knee', s.status, \
         CASE WHEN s.status IN ('awaiting_triage', 'advice_given') THEN NULL ELSE $3 END, \
         CASE WHEN s.status IN ('awaiting_triage', 'advice_given') THEN NULL ELSE 'routine' END, \
         s.received, CASE WHEN s.status = 'awaiting_triage' THEN NULL ELSE s.received + $4 END, 3, \
         CASE WHEN s.status = 'awaiting_triage' THEN NULL \
           WHEN i % 9 = 0 THEN '{\"overridden\":true,\"reason\":\"x\"}' ELSE '{\"overridden\":false}' END, \
         CASE WHEN s.status = 'discharged' THEN 1 + i % 3 ELSE 0 END, \
         CASE WHEN i % (CASE WHEN (i % 2000) % 10 < 2 THEN 6 ELSE 12 END) = 0 THEN 1 ELSE 0 END, \
         CASE WHEN s.status = 'discharged' THEN s.received + 60 * $4 ELSE NULL END, 1, s.received, s.received \
         FROM generate_series(1, $2::int) i, LATERAL (SELECT \
           (CASE WHEN i * 7 % 100 < 10 THEN 'awaiting_triage' WHEN i * 7 % 100 < 25 THEN 'waiting' \
            WHEN i * 7 % 100 < 30 THEN 'booked' WHEN i * 7 % 100 < 40 THEN 'advice_given' \
            WHEN i * 7 % 100 < 45 THEN 'withdrawn' ELSE 'discharged' END) AS status, \
           $1 - (CASE WHEN i * 7 % 100 BETWEEN 10 AND 29 \
             THEN (i % (CASE WHEN (i % 2000) % 10 < 2 THEN 400 ELSE 250 END)) \
             WHEN i * 7 % 100 < 10 THEN i % 14 ELSE 60 + i % 1035 END) * $4 - (i % 86400)::bigint * 1000000 AS received \
         ) s",
        "INSERT INTO slot (id, service_id, location_id, clinician_id, starts_at, ends_at, modality, \
         status, created_at, updated_at) \
         SELECT md5('s' || r.reference)::uuid, $2, $4, $5, r.received_at + (14 + r.attended * 9) * $3, \
         r.received_at + (14 + r.attended * 9) * $3 + 1800000000, 'face_to_face', 'booked', $1, $1 \
         FROM referral r WHERE r.status = 'discharged' AND r.reference LIKE 'B%'",
        "INSERT INTO appointment (id, slot_id, referral_id, patient_id, status, booked_at, \
         booked_by_kind, created_at, updated_at) \
         SELECT md5('a' || r.reference)::uuid, md5('s' || r.reference)::uuid, r.id, r.patient_id, \
         'attended', r.received_at + $2, 'patient', $1, $1 \
         FROM referral r WHERE r.status = 'discharged' AND r.reference LIKE 'B%'",
        "INSERT INTO feedback (id, patient_id, referral_id, service_id, moment, answer, publish, mode, \
         themes, created_at) \
         SELECT md5('f' || r.reference)::uuid, r.patient_id, r.id, r.service_id, 'discharge', \
         (ARRAY['very_good', 'good', 'very_good', 'neither', 'poor', 'dont_know'])[1 + abs(hashtext(r.reference)) % 6], \
         FALSE, 'message_link', '', r.discharged_at \
         FROM referral r WHERE r.status = 'discharged' AND abs(hashtext(r.reference)) % 10 = 0",
        "INSERT INTO communication_profile (patient_id, data, needs, digitally_excluded, updated_at) \
         SELECT md5('p' || i)::uuid, '{}', CASE WHEN i % 40 = 0 THEN 'large_print' ELSE '' END, \
         i % 60 = 0, $1 FROM generate_series(1, $2::int) i WHERE i % 20 = 0",
    ];
    // Each statement names the parameters it uses, in order: PostgreSQL refuses extras.
    let values = [
        Param::Int(now),
        Param::Int(referrals),
        Param::Id(clinic.service.id.as_uuid()),
        Param::Int(DAY),
        Param::Id(clinic.location.id.as_uuid()),
        Param::Id(clinic.clinician.id.as_uuid()),
    ];
    let uses: [&[usize]; 8] = [
        &[0, 1],
        &[],
        &[],
        &[0, 1, 2, 3],
        &[0, 2, 3, 4, 5],
        &[0, 3],
        &[],
        &[0, 1],
    ];
    for (sql, used) in statements.iter().zip(uses) {
        let mut query = sqlx::query(*sql);
        for i in used {
            query = match values[*i] {
                Param::Int(n) => query.bind(n),
                Param::Id(id) => query.bind(id),
            };
        }
        query.execute(pool).await?;
    }
    store.refresh_statistics().await
}
