//! The demo region, built on both backends: what the README promises is there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use jointly::demo::{self, DEMO_PATIENT_EMAIL};
use jointly_domain::contact::EmailAddress;
use jointly_domain::referral::ReferralStatus;
use jointly_store::QueueFilter;
use jointly_store::testing::{now, on_each_backend};

#[tokio::test]
async fn the_demo_region_is_complete_and_consistent() {
    on_each_backend(|store| async move {
        let summary = demo::build(&store, now()).await.unwrap();
        assert_eq!(summary.patients, 3000);
        assert!(summary.awaiting_triage >= 10, "a triage queue: {summary:?}");
        assert!(summary.waiting >= 100, "waiting lists: {summary:?}");
        assert!(summary.free_slots > 5000, "clinics to book: {summary:?}");
        assert_eq!(store.list_locations().await.unwrap().len(), 10);
        assert_eq!(store.list_clinicians().await.unwrap().len(), 40);
        assert_eq!(store.list_services().await.unwrap().len(), 6);
        assert_eq!(
            store.setting(demo::DEMO_MARKER).await.unwrap().as_deref(),
            Some("2026-11-23")
        );

        let amelia = store
            .find_patients_by_contact(
                Some(&EmailAddress::parse(DEMO_PATIENT_EMAIL).unwrap()),
                None,
                jiff::civil::date(1968, 4, 12),
            )
            .await
            .unwrap();
        assert_eq!(amelia.len(), 1, "the scripted patient can sign in");
        let referrals = store.referrals_for_patient(amelia[0].id).await.unwrap();
        assert_eq!(referrals.len(), 1);
        let service = referrals[0].referral.service_id.unwrap();
        assert_eq!(referrals[0].referral.status, ReferralStatus::Waiting);
        assert!(
            !store
                .free_slots(service, now(), 5)
                .await
                .unwrap()
                .is_empty(),
            "and has slots to choose from"
        );

        let queue = store
            .triage_queue(&QueueFilter::default(), 500)
            .await
            .unwrap();
        let names: Vec<String> = queue.iter().map(|i| i.patient_name.to_string()).collect();
        assert_eq!(names[0], "Grace Obi", "the emergency comes first");
        assert_eq!(names[1], "Daniel Price", "then the same-day call back");
        for scripted in ["Tomasz Nowak", "Farida Hussain"] {
            assert!(
                names.iter().any(|n| n == scripted),
                "{scripted} waits for triage"
            );
        }
        assert!(
            queue
                .windows(2)
                .all(|w| (w[0].referral.urgency, w[0].referral.received_at)
                    <= (w[1].referral.urgency, w[1].referral.received_at)),
            "most urgent first, then longest waiting"
        );
        assert!(
            queue.iter().all(|i| i.referral.digital_triage.is_some()),
            "every referral has its answers triaged"
        );
        assert_eq!(store.open_emergencies().await.unwrap(), 1);
        assert_eq!(store.on_duty_triage().await.unwrap().len(), 1);
        let practice = store
            .find_organisation_by_key(&jointly_app::hash_api_key(demo::front_door::DEMO_API_KEY))
            .await
            .unwrap()
            .expect("the demo key works");
        assert_eq!(practice.ods_code.as_str(), demo::front_door::DEMO_ODS_CODE);

        // Ruth's passport spans two services, with her programme and outcome measures.
        let ruth = store
            .find_patients_by_contact(
                Some(&EmailAddress::parse(demo::RUTH_EMAIL).unwrap()),
                None,
                jiff::civil::date(1959, 9, 3),
            )
            .await
            .unwrap();
        assert_eq!(ruth.len(), 1);
        let ruth = ruth[0].id;
        let services: HashSet<_> = store
            .referrals_for_patient(ruth)
            .await
            .unwrap()
            .iter()
            .filter_map(|v| v.referral.service_id)
            .collect();
        assert_eq!(
            services.len(),
            2,
            "physiotherapy, then the MSK interface service"
        );
        assert_eq!(store.clinical_notes(ruth).await.unwrap().len(), 3);
        let programme = store.current_programme(ruth).await.unwrap().unwrap();
        assert!(store.exercise_logs(programme.id).await.unwrap().len() >= 10);
        assert_eq!(store.measure_responses(ruth).await.unwrap().len(), 12);

        // Every booked future slot holds exactly one live appointment.
        let clinic = store
            .clinic_list(now(), now() + jiff::SignedDuration::from_hours(24 * 30))
            .await
            .unwrap();
        let mut seen = HashSet::new();
        assert!(clinic.iter().all(|entry| seen.insert(entry.appointment_id)));
        assert!(!clinic.is_empty(), "some people have already booked");
    })
    .await;
}

#[tokio::test]
async fn the_demo_is_the_same_every_time() {
    let build = || async {
        let db = jointly_store::testing::TestDatabase::create(jointly_store::Backend::Sqlite).await;
        demo::build(&db.store, now()).await.unwrap();
        let queue: Vec<String> = db
            .store
            .triage_queue(&QueueFilter::default(), 50)
            .await
            .unwrap()
            .iter()
            .map(|i| i.referral.reference.to_string())
            .collect();
        db.remove().await;
        queue
    };
    assert_eq!(build().await, build().await);
}
