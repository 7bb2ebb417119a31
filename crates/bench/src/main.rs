//! `jointly-bench`: a bounded, loopback-only load of the skeleton journey (refer, then book)
//! against Jointly on SQLite and on PostgreSQL, at several numbers of concurrent clients,
//! printing requests per second and p50/p99/max latency.
//!
//! Everything runs in this one process: the application over a fresh database of its own,
//! served on 127.0.0.1, and the virtual clients. The databases are removed at the end, also
//! after an error or Ctrl-C. The bench is never linked into the server.

mod dashboards;
mod delivery;
mod fhir;
mod journey;
mod level;
mod refill;
mod report;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use clap::{Parser, ValueEnum};
use jointly_store::testing::{DEFAULT_POSTGRES_URL, TestDatabase};
use jointly_store::{Backend, DatabaseUrl};
use sqlx::Connection as _;

use crate::level::{Settings, run_level, slots_needed};
use crate::report::{LevelResult, RunReport};
use crate::setup::Target;

/// Load-tests the refer-then-book journey on 127.0.0.1 and prints the figures.
///
/// PostgreSQL is reached at JOINTLY_TEST_POSTGRES_URL (default
/// postgres://postgres@127.0.0.1:5432/test); the bench creates a database of its own there
/// and drops it at the end.
#[derive(Debug, Parser)]
#[command(name = "jointly-bench", version)]
struct Args {
    /// Which database to run on.
    #[arg(long, value_enum, default_value_t = BackendChoice::Both)]
    backend: BackendChoice,
    /// Concurrent clients per level, run one level after another.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1,8,64",
        value_parser = clap::value_parser!(u16).range(1..=256)
    )]
    clients: Vec<u16>,
    /// Length of each measured window, in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    seconds: u64,
    /// Warm-up before each measured window, in seconds (answered, not recorded).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=60))]
    warmup: u64,
    /// Most requests per level in the measured window (and again in the warm-up).
    #[arg(
        long,
        default_value_t = 200_000,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    max_requests: u64,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Instead of the load, simulate the cancellation list on the demo region: cancel this
    /// many booked appointments and report how many freed slots are booked again.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=2_000))]
    refill: Option<u64>,
    /// In the refill simulation, the chance that a person offered a slot takes it.
    #[arg(long, default_value_t = 0.5)]
    accept: f64,
    /// Instead of the load, measure the outbox worker: queue this many text messages, then
    /// this many letters, and time one worker delivering them (files and PDFs in a temporary
    /// folder).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    deliver: Option<u64>,
    /// Instead of the load, measure the population-health dashboards on PostgreSQL: fill a
    /// database with this many referrals and their journeys, rebuild the reporting table, and
    /// time every dashboard by every grouping (three times each).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=5_000_000))]
    dashboards: Option<i64>,
    /// Instead of the journey, drive the FHIR API: Jointly (the release `jointly serve` on a
    /// fresh database, --backend sqlite or postgres) and, with --peer, another FHIR server
    /// side by side, with the same requests.
    #[arg(long)]
    fhir: bool,
    /// The other FHIR server's base URL (loopback), for example http://127.0.0.1:8090/fhir.
    #[arg(long, requires = "fhir")]
    peer: Option<String>,
    /// The other server's process id, to read its CPU time.
    #[arg(long, requires = "peer")]
    peer_pid: Option<u32>,
    /// The other server's name in the table.
    #[arg(long, default_value = "peer")]
    peer_name: String,
    /// The `jointly` binary to serve (default: beside this one).
    #[arg(long)]
    jointly_bin: Option<PathBuf>,
    /// FHIR: interleaved runs; the median is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=9))]
    runs: u64,
    /// FHIR: slots each server is given to book (and, on Jointly, referrals waiting).
    #[arg(long, default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(100..=1_000_000))]
    bookings: u64,
}

/// The `--backend` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum BackendChoice {
    /// SQLite, in a temporary file.
    Sqlite,
    /// PostgreSQL, in a database created for the run.
    Postgres,
    /// SQLite, then PostgreSQL.
    Both,
}

impl BackendChoice {
    fn backends(self) -> Vec<Backend> {
        match self {
            Self::Sqlite => vec![Backend::Sqlite],
            Self::Postgres => vec![Backend::Postgres],
            Self::Both => vec![Backend::Sqlite, Backend::Postgres],
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(errors) => {
            eprintln!("jointly-bench: {errors} requests failed (see above)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("jointly-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every level on every chosen backend, prints the table, and returns the number of
/// failed requests.
async fn run(args: &Args) -> anyhow::Result<u64> {
    if let Some(cancellations) = args.refill {
        if !(0.0..=1.0).contains(&args.accept) {
            return Err(anyhow!("--accept must be a chance from 0 to 1, like 0.5"));
        }
        let report = refill::run(
            usize::try_from(cancellations).unwrap_or(usize::MAX),
            args.accept,
            2026,
        )
        .await?;
        println!(
            "Cancellation list on the demo region (each person offered a slot takes it with \
             chance {:.2}): {} appointments cancelled, {} offered to someone ({} offers), {} \
             booked again: refill rate {:.1}%; {} takers were too late.",
            args.accept,
            report.freed,
            report.offered,
            report.offers,
            report.refilled,
            report.rate(),
            report.too_late
        );
        return Ok(0);
    }
    if let Some(referrals) = args.dashboards {
        check_postgres().await?;
        let report = dashboards::run(referrals, 3).await?;
        println!(
            "{} referrals on PostgreSQL: seeded in {:.1} s; reporting table rebuilt in {:.2} s ({} rows)",
            report.referrals,
            report.seeded.as_secs_f64(),
            report.refresh.as_secs_f64(),
            report.counted
        );
        println!(
            "{:<12} {:<20} {:>10} {:>10}",
            "dashboard", "grouped by", "median ms", "max ms"
        );
        let mut slowest = std::time::Duration::ZERO;
        for t in &report.timings {
            slowest = slowest.max(t.max);
            println!(
                "{:<12} {:<20} {:>10.1} {:>10.1}",
                t.dashboard.as_str(),
                t.cut.as_str(),
                t.median.as_secs_f64() * 1000.0,
                t.max.as_secs_f64() * 1000.0
            );
        }
        let (median, max) = report.clinics;
        slowest = slowest.max(max);
        println!(
            "{:<12} {:<20} {:>10.1} {:>10.1}",
            "clinics",
            "service and place",
            median.as_secs_f64() * 1000.0,
            max.as_secs_f64() * 1000.0
        );
        println!(
            "slowest dashboard: {:.1} ms (target: under 2000 ms)",
            slowest.as_secs_f64() * 1000.0
        );
        return Ok(0);
    }
    if args.fhir {
        let backend = match args.backend {
            BackendChoice::Postgres => Backend::Postgres,
            BackendChoice::Sqlite => Backend::Sqlite,
            BackendChoice::Both => {
                return Err(anyhow!(
                    "--fhir runs one backend: --backend sqlite or postgres"
                ));
            }
        };
        if backend == Backend::Postgres {
            check_postgres().await?;
        }
        if let Some(peer) = &args.peer
            && !peer.starts_with("http://127.0.0.1")
            && !peer.starts_with("http://localhost")
            && !peer.starts_with("http://[::1]")
        {
            return Err(anyhow!(
                "--peer must be a loopback address, like http://127.0.0.1:8090/fhir"
            ));
        }
        let options = fhir::Options {
            backend,
            jointly_bin: args.jointly_bin.clone(),
            peer: args.peer.clone(),
            peer_pid: args.peer_pid,
            peer_name: args.peer_name.clone(),
            clients: args.clients.iter().map(|c| usize::from(*c)).collect(),
            warmup: Duration::from_secs(args.warmup),
            window: Duration::from_secs(args.seconds),
            max_requests: args.max_requests,
            runs: usize::try_from(args.runs).unwrap_or(3),
            bookings: usize::try_from(args.bookings).unwrap_or(60_000),
        };
        return fhir::run(&options).await;
    }
    if let Some(count) = args.deliver {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        for backend in args.backend.backends() {
            if backend == Backend::Postgres {
                check_postgres().await?;
            }
            for result in delivery::run(backend, count).await? {
                println!(
                    "{:<10} {:<14} {:>6} delivered in {:>6.2} s: {:>7.1} per second",
                    result.backend.as_str(),
                    result.kind,
                    result.messages,
                    result.seconds,
                    result.per_second()
                );
            }
        }
        return Ok(0);
    }
    let settings = Settings {
        warmup: Duration::from_secs(args.warmup),
        window: Duration::from_secs(args.seconds),
        max_requests: args.max_requests,
    };
    let clients: Vec<usize> = args.clients.iter().map(|c| usize::from(*c)).collect();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "jointly-bench: {cpus} CPUs shared by server and clients; per level {} s warm-up, \
         {} s measured, at most {} requests each",
        args.warmup, args.seconds, args.max_requests
    );
    let mut levels = Vec::new();
    let mut failure = None;
    for backend in args.backend.backends() {
        match bench_backend(backend, &settings, &clients).await {
            Ok(done) => levels.extend(done),
            Err(error) => {
                failure = Some(error.context(format!("on {}", backend.as_str())));
                break;
            }
        }
    }
    if !levels.is_empty() {
        println!("{}", report::table(&levels));
        print_error_samples(&levels);
    }
    if let Some(error) = failure {
        return Err(error);
    }
    let errors = levels.iter().map(LevelResult::errors).sum();
    if let Some(path) = &args.json {
        let report = RunReport {
            cpus,
            warmup_seconds: args.warmup,
            seconds: args.seconds,
            max_requests: args.max_requests,
            levels: &levels,
            errors,
        };
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("jointly-bench: results written to {}", path.display());
    }
    Ok(errors)
}

/// Runs every level on a fresh database of `backend`, and removes the database afterwards
/// whatever happens, Ctrl-C included.
async fn bench_backend(
    backend: Backend,
    settings: &Settings,
    clients: &[usize],
) -> anyhow::Result<Vec<LevelResult>> {
    if backend == Backend::Postgres {
        check_postgres().await?;
    }
    // Creating the database panics with an explanation when it cannot; the panic message has
    // been printed by the time this sees it.
    let database = tokio::spawn(TestDatabase::create(backend))
        .await
        .map_err(|_| anyhow!("could not create a {} database", backend.as_str()))?;
    let mut task = tokio::spawn(run_levels(
        database.store.clone(),
        backend,
        *settings,
        clients.to_vec(),
    ));
    let outcome = tokio::select! {
        joined = &mut task => match joined {
            Ok(outcome) => outcome,
            Err(error) => Err(anyhow!("the bench task failed: {error}")),
        },
        _ = tokio::signal::ctrl_c() => {
            task.abort();
            let _ = task.await;
            Err(anyhow!("interrupted"))
        }
    };
    database.remove().await;
    outcome
}

/// Fails with a plain message, before anything is created, when the PostgreSQL server the
/// test databases live on cannot be reached.
async fn check_postgres() -> anyhow::Result<()> {
    let url = std::env::var("JOINTLY_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    // Shown without any password.
    let shown =
        DatabaseUrl::parse(&url).map_or_else(|_| "(unparsable URL)".to_owned(), |u| u.to_string());
    let connection = sqlx::PgConnection::connect(&url).await.with_context(|| {
        format!(
            "PostgreSQL is not reachable at {shown}; start it, set JOINTLY_TEST_POSTGRES_URL, \
             or use --backend sqlite"
        )
    })?;
    connection.close().await?;
    Ok(())
}

/// Starts the target on `store` and runs each level in turn.
async fn run_levels(
    store: jointly_store::Store,
    backend: Backend,
    settings: Settings,
    clients: Vec<usize>,
) -> anyhow::Result<Vec<LevelResult>> {
    let name = backend.as_str();
    let mut target = Target::start(store).await.context("starting Jointly")?;
    eprintln!("{name}: serving on {}", target.base);
    let mut results = Vec::new();
    for count in clients {
        eprintln!(
            "{name}: {count} clients: seeding {} slots, then {} s warm-up and {} s measured",
            slots_needed(&settings, count),
            settings.warmup.as_secs(),
            settings.window.as_secs()
        );
        let level = match run_level(&mut target, name, count, &settings).await {
            Ok(level) => level,
            Err(error) => {
                let _ = target.stop().await;
                return Err(error);
            }
        };
        eprintln!(
            "{name}: {count} clients: {} requests, {:.1} req/s, {} bookings, {} errors",
            level.all.count,
            level.all.rate,
            level.bookings,
            level.errors()
        );
        results.push(level);
    }
    target.stop().await?;
    Ok(results)
}

/// Shows the first failures of each level that had any.
fn print_error_samples(levels: &[LevelResult]) {
    for level in levels.iter().filter(|l| l.errors() > 0) {
        println!(
            "\n{} at {} clients: {} errors; the first:",
            level.backend,
            level.clients,
            level.errors()
        );
        for sample in &level.error_samples {
            println!("  {sample}");
        }
    }
}
