//! Faults, end to end through the worker, a real store on both backends and a local stand-in
//! for GOV.UK Notify: a provider outage is ridden out and every message arrives once; a worker
//! killed mid-batch (after the provider accepted a message, before the outbox heard) loses
//! nothing and sends nothing twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use jiff::SignedDuration;
use jointly_domain::FixedClock;
use jointly_notify::{
    Channel, Delivery, DeliveryError, DeliveryWorker, NotifyChannel, RenderedMessage, Renderer,
    TeamDetails, WorkerSettings, retry_delay,
};
use jointly_store::testing::{now, on_each_backend};
use jointly_store::{OutboxStatus, Store};

use support::{SECRET, channel, fake_notify, queue_codes};

fn worker(store: &Store, channel: Arc<dyn Channel>, clock: Arc<FixedClock>) -> DeliveryWorker {
    let renderer = Arc::new(
        Renderer::new(TeamDetails {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            public_url: "https://jointly.example".into(),
        })
        .unwrap(),
    );
    let settings = WorkerSettings {
        batch: 10,
        // These tests queue many messages for one person: no rate limit in the way.
        per_person_per_hour: 0,
        ..WorkerSettings::default()
    };
    DeliveryWorker::new(store.clone(), renderer, channel, clock, settings)
}

/// How many times the provider accepted each reference.
fn accepted(fake: &support::Shared) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (reference, ..) in &fake.lock().unwrap().sent {
        *counts.entry(reference.clone()).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn a_provider_outage_is_ridden_out_and_every_message_arrives_once() {
    on_each_backend(|store| async move {
        let (url, fake) = fake_notify().await;
        // The provider fails the next 45 sends: more than a whole first round and a half.
        fake.lock().unwrap().outage = 45;
        let patient = queue_codes(&store, 30).await;
        let clock = Arc::new(FixedClock::new(now()));
        let worker = worker(&store, Arc::new(channel(&url, SECRET)), clock.clone());
        let mut rounds = 0;
        let mut delivered = 0;
        while delivered < 30 {
            rounds += 1;
            assert!(rounds < 40, "never recovered");
            let outcome = worker.run_once().await.unwrap();
            assert_eq!(outcome.dead, 0, "an outage never parks a message");
            delivered += outcome.delivered;
            if outcome.claimed == 0 {
                // Nothing due: time passes to the next retry.
                clock.advance(retry_delay(10));
            }
        }
        let counts = accepted(&fake);
        assert_eq!(counts.len(), 30);
        assert!(counts.values().all(|n| *n == 1), "sent twice: {counts:?}");
        let outbox = store.outbox_for_patient(patient).await.unwrap();
        assert!(outbox.iter().all(|e| e.status == OutboxStatus::Sent));
        assert!(outbox.iter().any(|e| e.attempts > 1), "some were retried");
    })
    .await;
}

/// Delivers through Notify, but the `die_at`-th delivery never returns after the provider
/// has accepted it: the worker is killed there, mid-batch.
struct DiesMidBatch {
    inner: NotifyChannel,
    calls: AtomicUsize,
    die_at: usize,
}

impl Channel for DiesMidBatch {
    fn deliver<'a>(
        &'a self,
        message: &'a RenderedMessage,
    ) -> BoxFuture<'a, Result<Delivery, DeliveryError>> {
        Box::pin(async move {
            let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let delivery = self.inner.deliver(message).await;
            if call == self.die_at {
                std::future::pending::<()>().await;
            }
            delivery
        })
    }
}

#[tokio::test]
async fn a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice() {
    on_each_backend(|store| async move {
        let (url, fake) = fake_notify().await;
        let patient = queue_codes(&store, 25).await;
        let clock = Arc::new(FixedClock::new(now()));
        let dying = Arc::new(DiesMidBatch {
            inner: channel(&url, SECRET),
            calls: AtomicUsize::new(0),
            die_at: 5,
        });
        let doomed = worker(&store, dying, clock.clone());
        // The kill: the worker's round is dropped where it stands.
        let killed = tokio::time::timeout(Duration::from_millis(500), doomed.run_once()).await;
        assert!(killed.is_err(), "the worker was meant to die mid-batch");
        assert_eq!(fake.lock().unwrap().sent.len(), 5, "the provider took five");
        let outbox = store.outbox_for_patient(patient).await.unwrap();
        let sent = outbox
            .iter()
            .filter(|e| e.status == OutboxStatus::Sent)
            .count();
        assert_eq!(sent, 4, "the fifth was accepted but never recorded");

        // A new worker waits out the dead one's lease, then finishes everything.
        let survivor = worker(&store, Arc::new(channel(&url, SECRET)), clock.clone());
        clock.advance(SignedDuration::from_mins(3));
        let mut rounds = 0;
        loop {
            rounds += 1;
            assert!(rounds < 10);
            if survivor.run_once().await.unwrap().claimed == 0 {
                break;
            }
        }
        let counts = accepted(&fake);
        assert_eq!(counts.len(), 25, "nothing lost");
        assert!(counts.values().all(|n| *n == 1), "sent twice: {counts:?}");
        let outbox = store.outbox_for_patient(patient).await.unwrap();
        assert!(outbox.iter().all(|e| e.status == OutboxStatus::Sent));
    })
    .await;
}
