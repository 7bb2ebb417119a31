//! The outbox worker end to end: real store on both backends, real file channel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;
use jiff::SignedDuration;
use jointly_domain::FixedClock;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate, Recipient};
use jointly_notify::{
    Channel, Delivery, DeliveryError, DeliveryWorker, FileChannel, RenderedMessage, Renderer,
    TeamDetails, WorkerSettings, load_context, retry_delay,
};
use jointly_store::testing::{now, on_each_backend, sample_patient};
use jointly_store::{OutboxStatus, Store};
use support::queue_codes;

fn team() -> TeamDetails {
    TeamDetails {
        name: "Jointly MSK".into(),
        phone: "0300 123 4567".into(),
        public_url: "https://jointly.example".into(),
    }
}

struct Flaky {
    calls: AtomicUsize,
    permanent: bool,
}

impl Channel for Flaky {
    fn deliver<'a>(
        &'a self,
        _: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let permanent = self.permanent;
        Box::pin(async move {
            if permanent {
                Err(DeliveryError::Permanent("rejected".into()))
            } else {
                Err(DeliveryError::Temporary("timeout".into()))
            }
        })
    }
}

fn make_worker(store: &Store, channel: Arc<dyn Channel>, clock: Arc<FixedClock>) -> DeliveryWorker {
    let renderer = Arc::new(Renderer::new(team()).unwrap());
    let settings = WorkerSettings {
        batch: 10,
        max_attempts: 3,
        // Most tests queue many messages for one person; the rate limit has its own test.
        per_person_per_hour: 0,
        ..WorkerSettings::default()
    };
    DeliveryWorker::new(store.clone(), renderer, channel, clock, settings)
}

#[tokio::test]
async fn every_queued_message_is_written_once_even_after_a_crash_mid_batch() {
    on_each_backend(|store| async move {
        let folder = std::env::temp_dir().join(format!("jointly-outbox-{}", uuid_like()));
        let channel = Arc::new(FileChannel::new(&folder).unwrap());
        let clock = Arc::new(FixedClock::new(now()));
        let patient = queue_codes(&store, 25).await;

        // A worker claims a batch and dies before delivering: its lease holds the messages.
        let lease = now() + SignedDuration::from_mins(2);
        let orphaned = store.claim_due_messages(now(), lease, 10).await.unwrap();
        assert_eq!(orphaned.len(), 10);

        let worker = make_worker(&store, channel.clone(), clock.clone());
        let mut delivered = 0;
        loop {
            let outcome = worker.run_once().await.unwrap();
            if outcome.claimed == 0 {
                break;
            }
            delivered += outcome.delivered;
        }
        assert_eq!(delivered, 15);
        clock.advance(SignedDuration::from_mins(3));
        assert_eq!(
            worker.run_once().await.unwrap().delivered,
            10,
            "orphaned messages recovered"
        );
        assert_eq!(worker.run_once().await.unwrap().claimed, 0);

        let files = std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(files, 25, "one file per message, none twice");
        let outbox = store.outbox_for_patient(patient).await.unwrap();
        assert!(outbox.iter().all(|e| e.status == OutboxStatus::Sent));
        let sample =
            std::fs::read_to_string(folder.join(format!("{}.json", outbox[0].id))).unwrap();
        assert!(sample.contains("sign-in code is 1000"), "{sample}");
        assert!(sample.contains("07700900123"));
        std::fs::remove_dir_all(folder).unwrap();
    })
    .await;
}

#[tokio::test]
async fn temporary_failures_back_off_then_park_as_dead_and_permanent_ones_move_on_at_once() {
    on_each_backend(|store| async move {
        let clock = Arc::new(FixedClock::new(now()));
        let patient = queue_codes(&store, 1).await;
        let flaky = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            permanent: false,
        });
        let worker = make_worker(&store, flaky.clone(), clock.clone());
        assert_eq!(worker.run_once().await.unwrap().retrying, 1);
        assert_eq!(
            worker.run_once().await.unwrap().claimed,
            0,
            "not retried before its time"
        );
        clock.advance(retry_delay(1));
        assert_eq!(worker.run_once().await.unwrap().retrying, 1);
        clock.advance(retry_delay(2));
        assert_eq!(worker.run_once().await.unwrap().dead, 1);
        clock.advance(SignedDuration::from_hours(24));
        assert_eq!(worker.run_once().await.unwrap().claimed, 0);
        assert_eq!(flaky.calls.load(Ordering::SeqCst), 3);
        let entry = &store.outbox_for_patient(patient).await.unwrap()[0];
        assert_eq!(
            (entry.status, entry.last_error.as_deref()),
            (OutboxStatus::Dead, Some("timeout"))
        );

        let patient = queue_codes_with_key(&store, "other").await;
        let refused = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            permanent: true,
        });
        let worker = make_worker(&store, refused.clone(), clock.clone());
        // A refusal is never retried on the same channel: the next one is tried at once.
        assert_eq!(worker.run_once().await.unwrap().retrying, 1);
        let entry = &store.outbox_for_patient(patient).await.unwrap()[0];
        assert_eq!(entry.failed_channels, [ContactChannel::Sms]);
        assert_eq!(entry.last_error.as_deref(), Some("rejected"));
    })
    .await;
}

async fn queue_codes_with_key(store: &Store, key: &str) -> jointly_domain::PatientId {
    let patient = sample_patient();
    let mut tx = store.begin().await.unwrap();
    tx.insert_patient(&patient, now()).await.unwrap();
    let plan = MessagePlan {
        template: MessageTemplate::SignInCode,
        recipient: Recipient::Patient(patient.id),
        about: Some(patient.id),
        channel: ContactChannel::Sms,
        data: MessageData {
            code: Some("123456".into()),
            ..MessageData::default()
        },
        idempotency_key: key.into(),
    };
    tx.enqueue(&[plan], now()).await.unwrap();
    tx.commit().await.unwrap();
    patient.id
}

#[tokio::test]
async fn a_message_goes_by_the_next_channel_that_reaches_the_patient_and_then_to_the_call_list() {
    on_each_backend(|store| async move {
        let mut patient = sample_patient();
        patient.preferred_contact = ContactChannel::Email; // but there is no email address
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        let plan = MessagePlan {
            template: MessageTemplate::SignInCode,
            recipient: Recipient::Patient(patient.id),
            about: Some(patient.id),
            channel: ContactChannel::Email,
            data: MessageData {
                code: Some("123456".into()),
                ..MessageData::default()
            },
            idempotency_key: "email-code".into(),
        };
        tx.enqueue(&[plan], now()).await.unwrap();
        tx.commit().await.unwrap();
        let entry = store
            .outbox_for_patient(patient.id)
            .await
            .unwrap()
            .remove(0);
        let context = load_context(&store, &entry, now()).await.unwrap();
        let renderer = Renderer::new(team()).unwrap();
        assert!(
            renderer
                .render(&entry, &context, ContactChannel::Email)
                .is_err()
        );
        let clock = Arc::new(FixedClock::new(now()));
        // The text-message provider refuses the number for good: the next channel is a call.
        let refusing = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            permanent: true,
        });
        let worker = make_worker(&store, refusing.clone(), clock);
        let first = worker.run_once().await.unwrap();
        assert_eq!((first.retrying, first.dead), (1, 0));
        let entry = store.find_message(entry.id).await.unwrap().unwrap();
        assert_eq!(entry.failed_channels, [ContactChannel::Sms]);
        assert_eq!(entry.status, OutboxStatus::Pending);
        let second = worker.run_once().await.unwrap();
        assert_eq!(second.to_call, 1);
        let entry = store.find_message(entry.id).await.unwrap().unwrap();
        assert_eq!(entry.status, OutboxStatus::AwaitingCall);
        assert_eq!(entry.channel, ContactChannel::Telephone);
        assert_eq!(refusing.calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            store
                .messages_with_status(OutboxStatus::AwaitingCall, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(store.record_call(entry.id, false, now()).await.unwrap());
        assert!(store.record_call(entry.id, true, now()).await.unwrap());
        let entry = store.find_message(entry.id).await.unwrap().unwrap();
        assert_eq!(entry.status, OutboxStatus::Sent);
        assert!(!store.record_call(entry.id, true, now()).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn one_person_gets_at_most_their_hourly_share_and_the_rest_wait_for_the_hour() {
    on_each_backend(|store| async move {
        let folder = std::env::temp_dir().join(format!("jointly-limit-{}", uuid_like()));
        let channel = Arc::new(FileChannel::new(&folder).unwrap());
        let clock = Arc::new(FixedClock::new(now()));
        let renderer = Arc::new(Renderer::new(team()).unwrap());
        let settings = WorkerSettings {
            per_person_per_hour: 4,
            ..WorkerSettings::default()
        };
        let worker = DeliveryWorker::new(store.clone(), renderer, channel, clock.clone(), settings);
        let patient = queue_codes(&store, 6).await;
        // Someone else's messages are not held by this person's limit.
        let other = queue_codes_with_key(&store, "other").await;

        let first = worker.run_once().await.unwrap();
        assert_eq!((first.delivered, first.held), (5, 2), "{first:?}");
        clock.advance(SignedDuration::from_mins(59));
        assert_eq!(
            worker.run_once().await.unwrap().claimed,
            0,
            "held for the hour"
        );
        clock.advance(SignedDuration::from_mins(2));
        let later = worker.run_once().await.unwrap();
        assert_eq!(later.delivered, 2, "{later:?}");
        let sent = store.outbox_for_patient(patient).await.unwrap();
        assert!(sent.iter().all(|e| e.status == OutboxStatus::Sent));
        assert_eq!(store.outbox_for_patient(other).await.unwrap().len(), 1);
        std::fs::remove_dir_all(folder).unwrap();
    })
    .await;
}

fn uuid_like() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[tokio::test]
async fn messages_to_referring_organisations_and_staff_reach_their_email() {
    use jointly_domain::OrganisationId;
    use jointly_domain::access::Role;
    use jointly_domain::contact::EmailAddress;
    use jointly_domain::intake::{OdsCode, OrganisationKind, ReferringOrganisation};
    use jointly_domain::task::{Task, TaskKind};
    use jointly_store::testing::{seed_staff, seed_waiting_referral};

    on_each_backend(|store| async move {
        let (patient, referral) = seed_waiting_referral(&store, seed_service(&store).await).await;
        let practice = ReferringOrganisation {
            id: OrganisationId::new(),
            ods_code: OdsCode::parse("Y01234").unwrap(),
            name: "Marsh Lane Surgery".into(),
            kind: OrganisationKind::GeneralPractice,
            contact_email: EmailAddress::parse("referrals@marsh-lane.example").unwrap(),
            active: true,
        };
        let on_duty = seed_staff(&store, Role::TriageClinician, true).await;
        let (task, _) = Task::raise(TaskKind::EmergencyReview, referral.id, patient.id, now());
        let data = MessageData {
            referral_id: Some(referral.id),
            task_id: Some(task.id),
            ..MessageData::default()
        };
        let plans = [
            MessagePlan {
                template: MessageTemplate::ReferralAcknowledged,
                recipient: Recipient::Organisation(practice.id),
                about: Some(patient.id),
                channel: ContactChannel::Email,
                data: data.clone(),
                idempotency_key: "ack".into(),
            },
            MessagePlan {
                template: MessageTemplate::EmergencyAlert,
                recipient: Recipient::Staff(on_duty.id),
                about: Some(patient.id),
                channel: ContactChannel::Email,
                data,
                idempotency_key: "alert".into(),
            },
        ];
        let mut tx = store.begin().await.unwrap();
        tx.insert_organisation(&practice, now()).await.unwrap();
        tx.enqueue(&plans, now()).await.unwrap();
        tx.commit().await.unwrap();

        let folder = std::env::temp_dir().join(format!("jointly-outbox-{}", uuid_like()));
        let clock = Arc::new(FixedClock::new(now()));
        let worker = make_worker(&store, Arc::new(FileChannel::new(&folder).unwrap()), clock);
        assert_eq!(worker.run_once().await.unwrap().delivered, 2);
        let written: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .collect();
        assert!(
            written
                .iter()
                .any(|m| m.contains("referrals@marsh-lane.example")
                    && m.contains(referral.reference.as_str()))
        );
        assert!(written.iter().any(|m| m.contains(&on_duty.email)
            && m.contains(&format!("/staff/referrals/{}", referral.id))));
        std::fs::remove_dir_all(folder).unwrap();
    })
    .await;
}

async fn seed_service(store: &Store) -> jointly_domain::ServiceId {
    jointly_store::testing::seed_clinic(store).await.service.id
}
