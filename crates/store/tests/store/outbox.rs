use std::collections::HashSet;

use jiff::SignedDuration;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate, Recipient};
use jointly_store::OutboxStatus;
use jointly_store::testing::{now, on_each_backend, sample_patient};

fn plan(patient: jointly_domain::PatientId, key: &str) -> MessagePlan {
    MessagePlan {
        template: MessageTemplate::ReferralReceived,
        recipient: Recipient::Patient(patient),
        about: Some(patient),
        channel: ContactChannel::Sms,
        data: MessageData::default(),
        idempotency_key: key.into(),
    }
}

#[tokio::test]
async fn a_message_is_queued_once_per_key() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.enqueue(&[plan(patient.id, "k1"), plan(patient.id, "k1")], now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(&[plan(patient.id, "k1")], now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.outbox_for_patient(patient.id).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn concurrent_workers_claim_disjoint_messages_and_leases_expire() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let plans: Vec<MessagePlan> = (0..40)
            .map(|i| plan(patient.id, &format!("k{i}")))
            .collect();
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.enqueue(&plans, now()).await.unwrap();
        tx.commit().await.unwrap();

        let lease = now() + SignedDuration::from_secs(60);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(
                    async move { store.claim_due_messages(now(), lease, 15).await.unwrap() },
                )
            })
            .collect();
        let mut seen = HashSet::new();
        for worker in workers {
            for entry in worker.await.unwrap() {
                assert!(seen.insert(entry.id), "a message was claimed twice");
                assert_eq!(entry.attempts, 1);
            }
        }
        assert_eq!(seen.len(), 40);
        assert!(
            store
                .claim_due_messages(now(), lease, 100)
                .await
                .unwrap()
                .is_empty()
        );

        // A worker that died holding a lease only delays its messages.
        let after_lease = lease + SignedDuration::from_secs(1);
        let reclaimed = store
            .claim_due_messages(
                after_lease,
                after_lease + SignedDuration::from_secs(60),
                100,
            )
            .await
            .unwrap();
        assert_eq!(reclaimed.len(), 40);
        assert!(reclaimed.iter().all(|e| e.attempts == 2));

        let (sent, rest) = reclaimed.split_at(1);
        let mut tx = store.begin().await.unwrap();
        tx.mark_message_sent(sent[0].id, ContactChannel::Sms, "provider-1", after_lease)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (dead, retry) = rest.split_at(1);
        store
            .mark_message_failed(dead[0].id, "permanent_failure", None, after_lease)
            .await
            .unwrap();
        let retry_at = after_lease + SignedDuration::from_mins(5);
        for entry in retry {
            store
                .mark_message_failed(entry.id, "timeout", Some(retry_at), after_lease)
                .await
                .unwrap();
        }
        let far = retry_at + SignedDuration::from_hours(1);
        assert!(
            store
                .claim_due_messages(after_lease, far, 100)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .claim_due_messages(retry_at, far, 100)
                .await
                .unwrap()
                .len(),
            38
        );

        let all = store.recent_outbox(100).await.unwrap();
        let count = |status| all.iter().filter(|e| e.status == status).count();
        assert_eq!(
            (
                count(OutboxStatus::Sent),
                count(OutboxStatus::Dead),
                count(OutboxStatus::Pending)
            ),
            (1, 1, 38)
        );
        let sent_entry = all.iter().find(|e| e.status == OutboxStatus::Sent).unwrap();
        assert_eq!(sent_entry.provider_reference.as_deref(), Some("provider-1"));
    })
    .await;
}
