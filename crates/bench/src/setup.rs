//! The system under test, set up outside the timed window: the application over a fresh
//! database, served on a loopback port; one clinic, enough free slots, and a signed-in triage
//! clinician.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use jiff::SignedDuration;
use jointly_app::{App, AppSettings, hash_password};
use jointly_domain::access::Role;
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::{FixedClock, ServiceId, SlotId, StaffUserId};
use jointly_notify::{Renderer, TeamDetails};
use jointly_store::Store;
use jointly_store::testing::{SampleClinic, now, seed_clinic};
use jointly_web::{AppState, WebConfig, load_catalog, router};
use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The triage clinician's password (the account exists only in the bench's own database).
const STAFF_PASSWORD: &str = "a long enough bench password";

/// Slots written per transaction while seeding.
const SLOT_BATCH: usize = 5_000;

/// A running instance of Jointly on 127.0.0.1, and what the journey needs to use it.
pub(crate) struct Target {
    /// Where it listens, for example `http://127.0.0.1:40123`.
    pub(crate) base: String,
    /// The store under it, for reading sign-in codes (bench plumbing, never timed).
    pub(crate) store: Store,
    /// The service referrals are accepted into.
    pub(crate) service_id: ServiceId,
    /// The triage clinician's bearer token.
    pub(crate) staff_token: String,
    /// Numbers each patient, so every email address in the database is unique.
    pub(crate) patients: Arc<AtomicU64>,
    clinic: SampleClinic,
    slots_seeded: i64,
    server: Server,
}

/// The web server task; stopped when dropped, so an error or an interruption cannot leave
/// it running against a database that is about to be removed.
struct Server {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Deserialize)]
struct Token {
    token: String,
}

impl Target {
    /// Builds the application as the web tests do (a fixed clock at the testing `now()`),
    /// serves it on an ephemeral loopback port, and seeds the clinic and a triage clinician.
    ///
    /// The router is served *without* connection info, so the per-address rate limiter has no
    /// address to key on and stays out of the way: every virtual client comes from 127.0.0.1,
    /// and the limiter would otherwise cap the whole bench at 30 referrals a minute.
    pub(crate) async fn start(store: Store) -> anyhow::Result<Self> {
        let team = TeamDetails {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            public_url: "http://127.0.0.1".into(),
        };
        let renderer = Arc::new(Renderer::new(team).context("message templates")?);
        let app = App::new(
            store.clone(),
            Arc::new(FixedClock::new(now())),
            renderer,
            Arc::new(jointly_app::Content::embedded().context("clinical content")?),
            AppSettings::default(),
        );
        let state = AppState::new(
            app,
            Arc::new(load_catalog().context("page translations")?),
            WebConfig {
                public_url: "http://127.0.0.1".into(),
                secure_cookies: true,
                service_name: "Jointly MSK".into(),
                service_phone: "0300 123 4567".into(),
                demo: false,
            },
        );
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .context("could not listen on 127.0.0.1")?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let service = router(state).into_make_service();
        let task = tokio::spawn(async move {
            axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        let server = Server {
            stop: Some(stop),
            task,
        };

        let clinic = seed_clinic(&store).await;
        let email = format!("triage-{}@bench.jointly.example", StaffUserId::new());
        let user = jointly_store::StaffUser {
            id: StaffUserId::new(),
            email: email.clone(),
            display_name: "Bench Triage".into(),
            role: Role::TriageClinician,
            password_hash: hash_password(STAFF_PASSWORD).context("hashing the password")?,
            failed_sign_ins: 0,
            locked_until: None,
            active: true,
            on_duty: true,
            services: vec![clinic.service.id],
        };
        let mut tx = store.begin().await?;
        tx.insert_staff(&user, now()).await?;
        tx.commit().await?;

        let base = format!("http://{address}");
        let staff_token = staff_sign_in(&base, &email).await?;
        Ok(Self {
            base,
            store,
            service_id: clinic.service.id,
            staff_token,
            patients: Arc::new(AtomicU64::new(0)),
            clinic,
            slots_seeded: 0,
            server,
        })
    }

    /// Adds `count` free 30-minute slots after any already seeded, all in the future of the
    /// application's clock, so no booking can fail for want of a slot.
    pub(crate) async fn add_slots(&mut self, count: usize) -> anyhow::Result<()> {
        let first = now() + SignedDuration::from_hours(24);
        let mut remaining = count;
        while remaining > 0 {
            let batch = remaining.min(SLOT_BATCH);
            let slots: Vec<Slot> = (0..batch)
                .map(|i| {
                    let n = self.slots_seeded + i as i64;
                    let start = first + SignedDuration::from_mins(30 * n);
                    Slot {
                        id: SlotId::new(),
                        service_id: self.clinic.service.id,
                        location_id: self.clinic.location.id,
                        clinician_id: self.clinic.clinician.id,
                        start,
                        end: start + SignedDuration::from_mins(30),
                        modality: Modality::FaceToFace,
                        status: SlotStatus::Free,
                        kind: jointly_domain::slot::AppointmentKind::Any,
                    }
                })
                .collect();
            let mut tx = self.store.begin().await?;
            tx.insert_slots(&slots, now()).await?;
            tx.commit().await?;
            self.slots_seeded += batch as i64;
            remaining -= batch;
        }
        Ok(())
    }

    /// Refreshes the planner's statistics after seeding, as the service does after a bulk
    /// import. Without them PostgreSQL's first plans assume an empty `slot` table and read and
    /// sort every free slot to offer twelve (over 100 ms a request with tens of thousands).
    pub(crate) async fn refresh_statistics(&self) -> anyhow::Result<()> {
        self.store
            .refresh_statistics()
            .await
            .context("refreshing statistics")
    }

    /// Stops the web server, letting requests in flight finish.
    pub(crate) async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.server.stop.take() {
            let _ = stop.send(());
        }
        match tokio::time::timeout(Duration::from_secs(10), &mut self.server.task).await {
            Ok(Ok(served)) => served.context("the web server failed"),
            Ok(Err(joined)) => Err(anyhow!("the web server task failed: {joined}")),
            Err(_) => bail!("the web server did not stop within 10 seconds"),
        }
    }
}

/// Signs the triage clinician in through the API and returns the bearer token.
async fn staff_sign_in(base: &str, email: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    let response = client
        .post(format!("{base}/api/v1/sessions/staff"))
        .json(&serde_json::json!({ "email": email, "password": STAFF_PASSWORD }))
        .send()
        .await
        .context("staff sign-in")?;
    let status = response.status();
    if status != reqwest::StatusCode::CREATED {
        let body = response.text().await.unwrap_or_default();
        bail!("staff sign-in answered {status}: {body}");
    }
    Ok(response.json::<Token>().await?.token)
}
