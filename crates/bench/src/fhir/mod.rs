//! The FHIR driver: the same FHIR requests sent to Jointly (the release `jointly serve` on a
//! fresh database of its own) and, side by side, to any other FHIR server given by URL — read
//! Patient, create Patient, Slot search, the booking transaction, ServiceRequest create and
//! search, CarePlan read — at each number of connections, interleaved run by run, reporting
//! the median run's requests per second, latencies and server CPU per thousand requests, and
//! the ratio to the other server; first, 32 clients race for one slot on each.

mod jointly;
mod measure;
mod peer;
mod scenario;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use jointly_store::Backend;
use jointly_store::testing::TestDatabase;

use crate::fhir::measure::{Cell, Target, measure, race};
use crate::fhir::scenario::Scenario;

/// What to run.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Jointly's database.
    pub(crate) backend: Backend,
    /// The `jointly` binary (default: beside this one).
    pub(crate) jointly_bin: Option<PathBuf>,
    /// The other server's FHIR base URL.
    pub(crate) peer: Option<String>,
    /// Its process id, for its CPU time.
    pub(crate) peer_pid: Option<u32>,
    /// Its name in the table.
    pub(crate) peer_name: String,
    /// Connections per level.
    pub(crate) clients: Vec<usize>,
    /// Warm-up and measured window.
    pub(crate) warmup: Duration,
    /// Measured window.
    pub(crate) window: Duration,
    /// Most requests per warm-up and per window.
    pub(crate) max_requests: u64,
    /// Runs, interleaved; the median is reported.
    pub(crate) runs: usize,
    /// Slots (and, on Jointly, referrals waiting) each server is given to book.
    pub(crate) bookings: usize,
}

async fn token(base: &str, key: &str) -> anyhow::Result<String> {
    let response = reqwest::Client::new()
        .post(format!("{base}/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", jointly::ODS),
            ("client_secret", key),
        ])
        .send()
        .await?;
    let json: serde_json::Value = response.json().await?;
    json["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no access token: {json}"))
}

/// Runs everything and prints the table; returns the number of failed requests.
pub(crate) async fn run(options: &Options) -> anyhow::Result<u64> {
    let binary = match &options.jointly_bin {
        Some(path) => path.clone(),
        None => jointly::default_binary()?,
    };
    let database = tokio::spawn(TestDatabase::create(options.backend))
        .await
        .map_err(|_| anyhow!("could not create a {} database", options.backend.as_str()))?;
    let outcome = run_on(options, &binary, &database).await;
    database.remove().await;
    outcome
}

async fn run_on(
    options: &Options,
    binary: &std::path::Path,
    database: &TestDatabase,
) -> anyhow::Result<u64> {
    eprintln!(
        "jointly ({}): seeding {} bookable slots and referrals",
        options.backend.as_str(),
        options.bookings
    );
    let (fixture, key) = jointly::seed(&database.store, options.bookings).await?;
    let folder = std::env::temp_dir().join(format!("jointly-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&folder)?;
    let url = database.url.to_string();
    let mut server = jointly::start(binary, &url, &folder, key).await?;
    let outcome = async {
        let token = token(&server.base, &server.key).await.context("token")?;
        let mut targets = vec![Target {
            name: format!("jointly-{}", options.backend.as_str()),
            base: server.base.clone(),
            token: Some(token),
            pid: server.child.id(),
            fixture: Arc::new(fixture),
        }];
        if let Some(base) = &options.peer {
            eprintln!("{}: seeding through its API", options.peer_name);
            let fixture = peer::seed(base.trim_end_matches('/'), options.bookings)
                .await
                .with_context(|| format!("seeding {}", options.peer_name))?;
            targets.push(Target {
                name: options.peer_name.clone(),
                base: base.trim_end_matches('/').to_owned(),
                token: None,
                pid: options.peer_pid,
                fixture: Arc::new(fixture),
            });
        }
        measure_all(options, &targets).await
    }
    .await;
    let _ = server.child.kill().await;
    let _ = std::fs::remove_dir_all(&folder);
    outcome
}

type Key = (usize, usize, usize);

async fn measure_all(options: &Options, targets: &[Target]) -> anyhow::Result<u64> {
    for target in targets {
        let (booked, refused) = race(target).await;
        println!(
            "race on {}: 32 clients booking one slot: {booked} booked, {refused} refused{}",
            target.name,
            if booked == 1 {
                ""
            } else {
                " (the rule is exactly one)"
            }
        );
    }
    let mut cells: BTreeMap<Key, Vec<Cell>> = BTreeMap::new();
    for run in 0..options.runs {
        for (s, scenario) in Scenario::ALL.iter().enumerate() {
            for (c, clients) in options.clients.iter().enumerate() {
                for (t, target) in targets.iter().enumerate() {
                    let cell = measure(
                        target,
                        *scenario,
                        *clients,
                        (options.warmup, options.window),
                        options.max_requests,
                    )
                    .await;
                    eprintln!(
                        "run {} {:<15} {:>3} conns {:<16} {:>8.1} req/s p99 {:>7.1} ms, {} errors",
                        run + 1,
                        scenario.name(),
                        clients,
                        target.name,
                        cell.rate(),
                        cell.p99.as_secs_f64() * 1000.0,
                        cell.errors
                    );
                    cells.entry((s, c, t)).or_default().push(cell);
                }
            }
        }
    }
    let median = |key: &Key| -> Option<Cell> {
        let mut runs = cells.get(key)?.clone();
        runs.sort_by(|a, b| a.rate().total_cmp(&b.rate()));
        runs.get(runs.len() / 2).cloned()
    };
    println!("{}", header(targets));
    let mut errors = 0;
    for (s, scenario) in Scenario::ALL.iter().enumerate() {
        for (c, clients) in options.clients.iter().enumerate() {
            let row: Vec<Option<Cell>> = (0..targets.len()).map(|t| median(&(s, c, t))).collect();
            let mut line = format!("{:<15} {:>5}", scenario.name(), clients);
            for cell in row.iter().flatten() {
                line.push_str(&format!(
                    " | {:>8.1} {:>7.2} {:>7.2} {:>8.1} {:>6}",
                    cell.rate(),
                    cell.p50.as_secs_f64() * 1000.0,
                    cell.p99.as_secs_f64() * 1000.0,
                    cell.max.as_secs_f64() * 1000.0,
                    cell.cpu_per_thousand()
                        .map_or_else(|| "-".to_owned(), |c| format!("{c:.2}"))
                ));
            }
            if let [Some(ours), Some(theirs)] = row.as_slice() {
                let ratio = ours.rate() / theirs.rate().max(f64::MIN_POSITIVE);
                line.push_str(&format!(
                    " | {ratio:>6.2}x (target {}x{})",
                    scenario.target_ratio(),
                    if ratio >= scenario.target_ratio() {
                        ""
                    } else {
                        ", missed"
                    }
                ));
            }
            println!("{line}");
        }
    }
    for ((s, c, t), runs) in &cells {
        for cell in runs.iter().filter(|c| c.errors > 0) {
            errors += cell.errors;
            println!(
                "{} {} at {} conns: {} errors, e.g. {:?}",
                targets[*t].name,
                Scenario::ALL[*s].name(),
                options.clients[*c],
                cell.errors,
                cell.samples.first()
            );
        }
    }
    Ok(errors)
}

fn header(targets: &[Target]) -> String {
    let mut line = format!("{:<15} {:>5}", "request", "conns");
    for target in targets {
        line.push_str(&format!(
            " | {:<42}",
            format!("{}: req/s  p50 ms  p99 ms  max ms  cpu s/1k", target.name)
        ));
    }
    if targets.len() == 2 {
        line.push_str(" | ratio");
    }
    line
}
