use jointly_domain::access::Role;
use jointly_domain::event::{Actor, DomainEvent};
use jointly_domain::referral::ReferralSource;
use jointly_domain::{ReferralId, StaffUserId};
use jointly_store::testing::{now, on_each_backend, sample_patient};
use jointly_store::{AuditAction, AuditOutcome, AuditRecord};

#[tokio::test]
async fn the_audit_trail_is_append_only() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let record = AuditRecord {
            at: now(),
            actor: Actor::Staff(StaffUserId::new()),
            role: Some(Role::TriageClinician),
            action: AuditAction::Read,
            entity: "referral",
            entity_id: Some(ReferralId::new().as_uuid()),
            patient_id: Some(patient.id),
            route: "GET /staff/referrals/{id}",
            outcome: AuditOutcome::Allowed,
        };
        store.record_audit(&[record.clone(), record]).await.unwrap();
        let trail = store.audit_for_patient(patient.id).await.unwrap();
        assert_eq!(trail.len(), 2);
        assert!(trail[0].seq < trail[1].seq);
        assert_eq!(
            (trail[0].action.as_str(), trail[0].outcome.as_str()),
            ("read", "allowed")
        );

        let mut tx = store.begin().await.unwrap();
        assert!(
            tx.tamper_with_audit_for_test().await.is_err(),
            "audit rows must not be editable"
        );
    })
    .await;
}

#[tokio::test]
async fn events_are_kept_in_order() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let referral_id = ReferralId::new();
        let events = vec![
            DomainEvent::ReferralReceived {
                referral_id,
                patient_id: patient.id,
                reference: jointly_domain::referral::ReferralReference::from_random(9),
                source: ReferralSource::SelfReferral,
                urgency: jointly_domain::pathway::Urgency::Routine,
                by: Actor::Patient(patient.id),
                at: now(),
            },
            DomainEvent::ReferralWithdrawn {
                referral_id,
                patient_id: patient.id,
                by: Actor::System,
                at: now(),
            },
        ];
        let mut tx = store.begin().await.unwrap();
        tx.append_events(&events, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.events_for_referral(referral_id).await.unwrap(),
            events
        );
    })
    .await;
}
