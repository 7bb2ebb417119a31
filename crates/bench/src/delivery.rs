//! The outbox worker's delivery throughput: a fresh database with messages queued for many
//! people, emptied by one worker through the file channel (text messages), and through the
//! print channel (letters rendered as PDF, in Urdu large print for some). Wall-clock messages
//! per second, including claiming, loading each person's details and needs, rendering,
//! delivering and recording.

use std::sync::Arc;
use std::time::Instant;

use jointly_domain::communication::{CommunicationProfile, Need};
use jointly_domain::contact::{Address, ContactChannel};
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate, Recipient};
use jointly_domain::patient::Language;
use jointly_domain::{Clock, SystemClock};
use jointly_notify::{
    DeliveryWorker, FileChannel, PrintChannel, Renderer, RoutedChannel, RunOutcome, TeamDetails,
    WorkerSettings,
};
use jointly_store::testing::{TestDatabase, sample_patient};
use jointly_store::{Backend, Store};

/// One run: how many messages of a kind, and how long they took.
pub(crate) struct DeliveryResult {
    pub(crate) backend: Backend,
    pub(crate) kind: &'static str,
    pub(crate) messages: usize,
    pub(crate) seconds: f64,
}

impl DeliveryResult {
    pub(crate) fn per_second(&self) -> f64 {
        self.messages as f64 / self.seconds.max(f64::EPSILON)
    }
}

/// Queues `count` messages for as many people, by text message or by letter.
async fn queue(store: &Store, count: usize, letters: bool) -> anyhow::Result<()> {
    let now = SystemClock.now();
    let mut tx = store.begin().await?;
    let mut plans = Vec::with_capacity(count);
    for i in 0..count {
        let mut patient = sample_patient();
        if letters {
            patient.address = Some(Address {
                line1: format!("{} High Street", i + 1),
                line2: None,
                town: "Luton".into(),
            });
            patient.preferred_contact = ContactChannel::Letter;
            if i % 2 == 0 {
                patient.preferred_language = Language::parse("ur").unwrap_or(Language::ENGLISH);
            }
        }
        tx.insert_patient(&patient, now).await?;
        if letters && i % 2 == 0 {
            let mut profile = CommunicationProfile::default();
            profile.needs.needs = vec![Need::LargePrint24];
            tx.set_communication_profile(patient.id, &profile, now)
                .await?;
        }
        plans.push(MessagePlan {
            template: MessageTemplate::SignInCode,
            recipient: Recipient::Patient(patient.id),
            about: Some(patient.id),
            channel: patient.preferred_contact,
            data: MessageData {
                code: Some(format!("{:06}", 100_000 + i % 900_000)),
                ..MessageData::default()
            },
            idempotency_key: format!("bench:{letters}:{i}"),
        });
    }
    tx.enqueue(&plans, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Delivers `count` text messages, then `count` letters, on a fresh database of `backend`.
pub(crate) async fn run(backend: Backend, count: usize) -> anyhow::Result<Vec<DeliveryResult>> {
    let database = TestDatabase::create(backend).await;
    let folder =
        std::env::temp_dir().join(format!("jointly-bench-delivery-{}", std::process::id()));
    let result = async {
        let renderer = Arc::new(Renderer::new(TeamDetails {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            public_url: "http://127.0.0.1".into(),
        })?);
        let electronic = Arc::new(FileChannel::new(folder.join("messages"))?);
        let channel = Arc::new(RoutedChannel {
            text: electronic.clone(),
            email: electronic,
            post: Arc::new(PrintChannel::new(folder.join("print"))?),
        });
        let mut results = Vec::new();
        for (kind, letters) in [("text messages", false), ("letters (PDF)", true)] {
            queue(&database.store, count, letters).await?;
            let worker = DeliveryWorker::new(
                database.store.clone(),
                renderer.clone(),
                channel.clone(),
                Arc::new(SystemClock),
                WorkerSettings::default(),
            );
            let started = Instant::now();
            let mut delivered = 0;
            let mut undelivered = RunOutcome::default();
            while delivered < count {
                let outcome = worker.run_once().await?;
                if outcome.claimed == 0 {
                    anyhow::bail!(
                        "{kind}: only {delivered} of {count} delivered; not delivered: {undelivered:?}"
                    );
                }
                delivered += outcome.delivered;
                undelivered.retrying += outcome.retrying;
                undelivered.dead += outcome.dead;
                undelivered.held += outcome.held;
                undelivered.to_call += outcome.to_call;
            }
            results.push(DeliveryResult {
                backend,
                kind,
                messages: delivered,
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        Ok(results)
    }
    .await;
    let _ = std::fs::remove_dir_all(&folder);
    database.remove().await;
    result
}
