//! `jointly`: the command line. Serve the service, migrate its database, or run the demo.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use jointly::config::{self, Settings};
use jointly::{demo, serve};

/// Jointly: an integrated community musculoskeletal (MSK) service for the NHS.
#[derive(Parser)]
#[command(name = "jointly", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service: the website, the API and the message worker.
    ///
    /// Settings come from defaults, then the file given with --config, then environment
    /// variables (JOINTLY_SECTION__KEY). The database must already be migrated.
    Serve {
        /// A TOML configuration file (see `jointly default-config`).
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// Bring the database schema up to date.
    ///
    /// Uses the same settings as `serve`. A SQLite file is only created with --create (or a
    /// URL ending ?mode=rwc), so a mistyped path never silently makes an empty database.
    Migrate {
        /// A TOML configuration file.
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Create the SQLite file if it does not exist.
        #[arg(long)]
        create: bool,
    },
    /// Build (or rebuild) the demo region in a SQLite file and serve it.
    ///
    /// Four places, ten clinics, forty clinicians with rotas, three thousand made-up patients
    /// with a year of history, and a sign-in for every role, printed when it starts. Messages
    /// are not sent: staff can read them on the Messages page.
    Demo {
        /// The demo database file; rebuilt each time. Refuses to touch a non-demo database.
        #[arg(long, default_value = "jointly-demo.db")]
        database: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Build the demo database and exit without serving.
        #[arg(long)]
        build_only: bool,
    },
    /// Import the deprivation lookup the dashboards cut by, then rebuild their figures.
    ///
    /// Takes the ONS postcode lookup (a CSV with a postcode column such as pcds and an LSOA
    /// column such as lsoa21cd: the National Statistics Postcode Lookup or the postcode to
    /// output area lookup) and the English Indices of Deprivation file (LSOA code and IMD
    /// decile). Both are checked whole first; a refused file changes nothing.
    ImportDeprivation {
        /// A TOML configuration file.
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// The postcode lookup CSV.
        #[arg(long)]
        postcodes: PathBuf,
        /// The Indices of Deprivation CSV.
        #[arg(long)]
        imd: PathBuf,
        /// The IMD version to record (for example IoD2019); told from the file's LSOA header
        /// when not given.
        #[arg(long)]
        imd_version: Option<String>,
    },
    /// Print a documented example configuration file.
    DefaultConfig,
    /// Check a questionnaire, a triage pathway, outcome measures or a community directory
    /// before using them.
    ///
    /// Either file may be left out to check against the shipped one. Problems are reported
    /// with the file, the line and what is wrong; nothing is changed.
    CheckContent {
        /// A questionnaire (FHIR Questionnaire, JSON).
        #[arg(long)]
        questionnaire: Option<PathBuf>,
        /// A triage pathway (TOML).
        #[arg(long)]
        pathway: Option<PathBuf>,
        /// Outcome measures (TOML).
        #[arg(long)]
        measures: Option<PathBuf>,
        /// A community directory (TOML).
        #[arg(long)]
        directory: Option<PathBuf>,
    },
}

fn init_logging(format: &str, level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve { config } => match Settings::load(config.as_deref()) {
            Ok(settings) => {
                init_logging(&settings.log.format, &settings.log.level);
                tracing::info!(settings = ?settings, "starting");
                serve::serve(settings).await
            }
            Err(error) => Err(error),
        },
        Command::Migrate { config, create } => match Settings::load(config.as_deref()) {
            Ok(settings) => {
                init_logging(&settings.log.format, &settings.log.level);
                serve::migrate(&settings, create).await
            }
            Err(error) => Err(error),
        },
        Command::Demo {
            database,
            listen,
            build_only,
        } => {
            init_logging("pretty", "info");
            demo::run(&database, listen, build_only).await
        }
        Command::ImportDeprivation {
            config,
            postcodes,
            imd,
            imd_version,
        } => match Settings::load(config.as_deref()) {
            Ok(settings) => {
                init_logging(&settings.log.format, &settings.log.level);
                serve::import_deprivation(&settings, &postcodes, &imd, imd_version.as_deref())
                    .await
                    .map(|s| {
                        println!(
                            "imported {} postcodes ({} without an English or Welsh LSOA left out) and {} LSOA deciles ({}); dashboards rebuilt over {} referrals",
                            s.postcodes, s.postcodes_skipped, s.lsoas, s.version, s.referrals
                        );
                    })
            }
            Err(error) => Err(error),
        },
        Command::DefaultConfig => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
        Command::CheckContent {
            questionnaire,
            pathway,
            measures,
            directory,
        } => config::ContentSettings {
            questionnaire,
            pathway,
            measures,
            directory,
        }
        .load()
        .map(|content| {
            let pathway = &content.pathway;
            println!(
                "questionnaire {} version {}: {} questions in {} steps",
                content.questionnaire.url,
                content.questionnaire.version,
                content.questionnaire.questions().count(),
                content.questionnaire.steps.len()
            );
            println!(
                "pathway {} version {}: {} red flags, {} routing rules, {} scores",
                pathway.name,
                pathway.version,
                pathway.red_flags.len(),
                pathway.rules.len(),
                pathway.scores.len()
            );
            println!(
                "community directory: {} services in {} areas; {} education pages",
                content.directory.services.len(),
                content.directory.areas.len(),
                content.education.topics.len()
            );
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
