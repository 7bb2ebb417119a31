//! One measurement: `clients` connections sending one scenario's requests to one server for a
//! warm-up and a window, each bounded in time and in requests; latencies of the answers in the
//! window, and the server's CPU time over it read from `/proc`. And the race: 32 clients
//! booking the same slot at the same moment.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Barrier;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::fhir::scenario::{Fixture, Scenario, booking, next};

/// A server under test.
#[derive(Debug)]
pub(crate) struct Target {
    /// Its name in the table.
    pub(crate) name: String,
    /// Its FHIR base URL.
    pub(crate) base: String,
    /// The bearer token to send, if it needs one.
    pub(crate) token: Option<String>,
    /// Its process, for CPU time.
    pub(crate) pid: Option<u32>,
    /// What it was given.
    pub(crate) fixture: Arc<Fixture>,
}

/// What one measurement found.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    /// Requests answered in the window.
    pub(crate) count: u64,
    /// Of those, failures (unexpected status or transport error).
    pub(crate) errors: u64,
    /// Length of the window.
    pub(crate) seconds: f64,
    /// Latency centiles and the slowest.
    pub(crate) p50: Duration,
    /// 99th centile.
    pub(crate) p99: Duration,
    /// Slowest.
    pub(crate) max: Duration,
    /// Server CPU seconds (user and system) in the window, when its process is known.
    pub(crate) cpu: Option<f64>,
    /// The first failures.
    pub(crate) samples: Vec<String>,
}

impl Cell {
    /// Successful requests per second.
    pub(crate) fn rate(&self) -> f64 {
        (self.count - self.errors) as f64 / self.seconds
    }

    /// Server CPU seconds per thousand requests.
    pub(crate) fn cpu_per_thousand(&self) -> Option<f64> {
        self.cpu
            .filter(|_| self.count > 0)
            .map(|cpu| cpu * 1000.0 / self.count as f64)
    }
}

/// CPU seconds (user and system) `pid` has used: fields 14 and 15 of `/proc/{pid}/stat`, in
/// the kernel's USER_HZ ticks (100 a second on Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; fields are counted after its closing parenthesis.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn client(target: &Target) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("application/fhir+json"),
    );
    if let Some(token) = &target.token
        && let Ok(value) = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
    {
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default()
}

async fn send(
    client: &reqwest::Client,
    base: &str,
    (method, path, body): crate::fhir::scenario::Request,
) -> Result<(), String> {
    let url = if path.is_empty() {
        base.to_owned()
    } else {
        format!("{base}/{path}")
    };
    let mut request = client.request(method, &url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/fhir+json")
            .body(body.to_string());
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!(
            "{status} {url}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))
    }
}

/// Measures `scenario` on `target` with `clients` connections.
pub(crate) async fn measure(
    target: &Target,
    scenario: Scenario,
    clients: usize,
    (warmup, window): (Duration, Duration),
    max_requests: u64,
) -> Cell {
    let measure_from = Instant::now() + warmup;
    let deadline = measure_from + window;
    let sent = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let counter = Arc::new(AtomicU64::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..clients {
        let (client, base, fixture) = (client(target), target.base.clone(), target.fixture.clone());
        let (sent, counter) = (sent.clone(), counter.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut samples = Vec::new();
            loop {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                let measured = now >= measure_from;
                let budget = if measured { &sent.1 } else { &sent.0 };
                if budget.fetch_add(1, Ordering::Relaxed) >= max_requests {
                    if measured {
                        break;
                    }
                    tokio::time::sleep_until(measure_from).await;
                    continue;
                }
                let Some(request) =
                    next(scenario, &fixture, counter.fetch_add(1, Ordering::Relaxed))
                else {
                    break;
                };
                let began = Instant::now();
                let outcome = send(&client, &base, request).await;
                if measured && Instant::now() <= deadline {
                    latencies.push(began.elapsed());
                    if let Err(message) = outcome {
                        errors += 1;
                        if samples.len() < 3 {
                            samples.push(message);
                        }
                    }
                }
            }
            (latencies, errors, samples)
        });
    }
    let pid = target.pid;
    let cpu = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from).await;
        let before = pid.and_then(cpu_seconds);
        tokio::time::sleep_until(deadline).await;
        let after = pid.and_then(cpu_seconds);
        before.zip(after).map(|(b, a)| a - b)
    });
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut samples = Vec::new();
    while let Some(Ok((mine, failed, some))) = tasks.join_next().await {
        latencies.extend(mine);
        errors += failed;
        samples.extend(some);
    }
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    samples.truncate(5);
    Cell {
        count: latencies.len() as u64,
        errors,
        seconds: window.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        cpu: cpu.await.ok().flatten(),
        samples,
    }
}

/// 32 clients book the same slot at once: how many bookings the server made, and how many
/// it refused.
pub(crate) async fn race(target: &Target) -> (usize, usize) {
    let start = Arc::new(Barrier::new(target.fixture.race.len()));
    let mut tasks = JoinSet::new();
    for bookable in target.fixture.race.clone() {
        let (client, base, schedule) = (
            client(target),
            target.base.clone(),
            target.fixture.schedule.clone(),
        );
        let start = start.clone();
        tasks.spawn(async move {
            start.wait().await;
            send(
                &client,
                &base,
                (
                    reqwest::Method::POST,
                    String::new(),
                    Some(booking(&schedule, &bookable)),
                ),
            )
            .await
            .is_ok()
        });
    }
    let (mut booked, mut refused) = (0, 0);
    while let Some(Ok(ok)) = tasks.join_next().await {
        if ok {
            booked += 1;
        } else {
            refused += 1;
        }
    }
    (booked, refused)
}
