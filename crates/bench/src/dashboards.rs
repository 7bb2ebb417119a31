//! The population-health dashboards at scale: a PostgreSQL database of its own filled with a
//! chosen number of made-up referrals and their journeys, the reporting table rebuilt (timed),
//! then every dashboard by every grouping asked for several times through the application,
//! as a service manager would (timed each time). DESIGN.md's target is under 2 s for any
//! dashboard with a million referrals.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jointly_app::{App, AppSettings, Content, Dashboard, DashboardQuery, Principal, SignedIn};
use jointly_domain::access::Role;
use jointly_domain::population::Cut;
use jointly_domain::{Clock, FixedClock, StaffUserId, SystemClock};
use jointly_notify::{Renderer, TeamDetails};
use jointly_store::Backend;
use jointly_store::testing::{TestDatabase, seed_clinic, seed_population};

/// How long one dashboard took, over the rounds asked.
pub(crate) struct DashboardTiming {
    pub(crate) dashboard: Dashboard,
    pub(crate) cut: Cut,
    pub(crate) median: Duration,
    pub(crate) max: Duration,
}

/// What the run measured.
pub(crate) struct DashboardReport {
    pub(crate) referrals: i64,
    pub(crate) seeded: Duration,
    pub(crate) refresh: Duration,
    pub(crate) counted: u64,
    pub(crate) timings: Vec<DashboardTiming>,
    /// The clinic-use dashboard over all services: median and max.
    pub(crate) clinics: (Duration, Duration),
}

fn manager() -> Principal {
    Principal::Staff {
        id: StaffUserId::new(),
        name: "Bench manager".into(),
        role: Role::ServiceManager,
        services: Vec::new(),
        session: SignedIn {
            token_hash: String::new(),
            csrf_token: String::new(),
        },
    }
}

/// Fills a fresh PostgreSQL database with `referrals` referrals and times every dashboard by
/// every grouping `rounds` times; the database is dropped afterwards, whatever happens.
pub(crate) async fn run(referrals: i64, rounds: usize) -> anyhow::Result<DashboardReport> {
    let database = TestDatabase::create(Backend::Postgres).await;
    let store = database.store.clone();
    let result = async {
        let now = SystemClock.now();
        let clinic = seed_clinic(&store).await;
        let started = Instant::now();
        seed_population(&store, &clinic, referrals, now).await?;
        let seeded = started.elapsed();
        let app = App::new(
            store.clone(),
            Arc::new(FixedClock::new(now)),
            Arc::new(Renderer::new(TeamDetails {
                name: "Jointly MSK".into(),
                phone: "0300 123 4567".into(),
                public_url: "http://127.0.0.1".into(),
            })?),
            Arc::new(Content::embedded()?),
            AppSettings::default(),
        );
        let started = Instant::now();
        let counted = app.refresh_population().await?;
        let refresh = started.elapsed();
        store.refresh_statistics().await?;
        let manager = manager();
        let mut timings = Vec::new();
        for dashboard in Dashboard::ALL {
            for cut in Cut::ALL.iter().copied() {
                let query = DashboardQuery {
                    dashboard,
                    cut,
                    service: None,
                    months: 12,
                };
                let mut took = Vec::with_capacity(rounds);
                for _ in 0..rounds {
                    let started = Instant::now();
                    let view = app.dashboard(&manager, query).await?;
                    took.push(started.elapsed());
                    anyhow::ensure!(
                        !view.groups.is_empty(),
                        "{} by {} is empty",
                        dashboard.as_str(),
                        cut.as_str()
                    );
                }
                took.sort_unstable();
                timings.push(DashboardTiming {
                    dashboard,
                    cut,
                    median: took[took.len() / 2],
                    max: took[took.len() - 1],
                });
            }
        }
        let mut took = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            let query = jointly_app::CapacityQuery {
                service: None,
                months: 24,
            };
            let view = app.clinic_capacity(&manager, query).await?;
            took.push(started.elapsed());
            anyhow::ensure!(view.total.slots > 0, "clinic use counted no slots");
        }
        took.sort_unstable();
        let clinics = (took[took.len() / 2], took[took.len() - 1]);
        Ok(DashboardReport {
            referrals,
            seeded,
            refresh,
            counted,
            timings,
            clinics,
        })
    }
    .await;
    database.remove().await;
    result
}
