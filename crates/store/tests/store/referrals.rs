use jointly_domain::ReferralId;
use jointly_domain::event::Actor;
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
    ReferralStatus, TriageDecision,
};
use jointly_domain::service::ServiceKind;
use jointly_store::testing::{now, on_each_backend, sample_patient, seed_clinic};
use jointly_store::{QueueFilter, StoreError};

fn new_referral(patient: jointly_domain::PatientId, bits: u64, minutes: i64) -> Referral {
    let (referral, _) = Referral::receive(
        NewReferral::basic(
            patient,
            ReferralSource::SelfReferral,
            ProblemArea::Back,
            FreeText::parse("Back pain after lifting").unwrap(),
        ),
        ReferralId::new(),
        ReferralReference::from_random(bits),
        Actor::Patient(patient),
        now() + jiff::SignedDuration::from_mins(minutes),
    );
    referral
}

#[tokio::test]
async fn referrals_queue_oldest_first_and_leave_the_queue_when_triaged() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let patient = sample_patient();
        let newer = new_referral(patient.id, 1, 10);
        let older = new_referral(patient.id, 2, 0);
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.insert_referral(&newer, now()).await.unwrap();
        tx.insert_referral(&older, now()).await.unwrap();
        tx.commit().await.unwrap();

        let queue = store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        let ids: Vec<ReferralId> = queue.iter().map(|i| i.referral.id).collect();
        assert_eq!(ids, vec![older.id, newer.id]);
        assert_eq!(queue[0].patient_name.family.as_str(), "Khan");
        assert_eq!(store.triage_queue_length().await.unwrap(), 2);

        let mut triaged = store.find_referral(older.id).await.unwrap().unwrap();
        let decision = TriageDecision {
            service_id: clinic.service.id,
            service_kind: ServiceKind::Physiotherapy,
            priority: Priority::Urgent,
            note: Some(FreeText::parse("Radicular symptoms").unwrap()),
            ready_for_surgery: None,
        };
        triaged.accept(decision, Actor::System, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.update_referral(&triaged, now()).await.unwrap();
        tx.commit().await.unwrap();

        let stored = store.find_referral(older.id).await.unwrap().unwrap();
        assert_eq!(stored.status, ReferralStatus::Waiting);
        assert_eq!(stored.priority, Some(Priority::Urgent));
        assert_eq!(stored.version, 1);
        assert_eq!(store.triage_queue_length().await.unwrap(), 1);

        let mine = store.referrals_for_patient(patient.id).await.unwrap();
        assert_eq!(mine.len(), 2);
        assert_eq!(
            mine[1].service_name.as_deref(),
            Some("Community Physiotherapy")
        );
    })
    .await;
}

#[tokio::test]
async fn a_stale_update_is_refused_and_changes_nothing() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let patient = sample_patient();
        let referral = new_referral(patient.id, 3, 0);
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.insert_referral(&referral, now()).await.unwrap();
        tx.commit().await.unwrap();

        let decision = |priority| TriageDecision {
            service_id: clinic.service.id,
            service_kind: ServiceKind::Physiotherapy,
            priority,
            note: None,
            ready_for_surgery: None,
        };
        let mut first = referral.clone();
        first
            .accept(decision(Priority::Routine), Actor::System, now())
            .unwrap();
        let mut second = referral.clone();
        second
            .accept(decision(Priority::Urgent), Actor::System, now())
            .unwrap();

        let mut tx = store.begin().await.unwrap();
        tx.update_referral(&first, now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let err = tx.update_referral(&second, now()).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict("referral_changed")));
        drop(tx);
        let stored = store.find_referral(referral.id).await.unwrap().unwrap();
        assert_eq!(stored.priority, Some(Priority::Routine));
    })
    .await;
}

#[tokio::test]
async fn a_reference_is_never_reused() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.insert_referral(&new_referral(patient.id, 7, 0), now())
            .await
            .unwrap();
        let err = tx
            .insert_referral(&new_referral(patient.id, 7, 0), now())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict("reference_taken")),
            "{err:?}"
        );
    })
    .await;
}
