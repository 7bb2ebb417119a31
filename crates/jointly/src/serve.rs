//! Wiring: the store, the application, the web router and the message worker, run together
//! until a shutdown signal, then stopped in order so no acknowledged work is lost.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use jointly_app::{App, AppSettings, ImportSummary};
use jointly_domain::waiting::WaitingPolicy;
use jointly_domain::{Clock, SystemClock};
use jointly_notify::{
    Channel, DeliveryWorker, FileChannel, LetterChannel, NotifyChannel, PrintChannel, Renderer,
    RoutedChannel, SmtpChannel, TeamDetails,
};
use jointly_store::{ConnectOptions, DatabaseUrl, Store};
use jointly_web::{AppState, WebConfig, load_catalog, router};
use tokio::sync::watch;

use crate::config::{MessageSettings, Settings};

/// How often expired sessions and sign-in codes are removed.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(600);

/// How often due reminders are looked for: reminders are days ahead, so a minute is prompt.
const REMINDERS_EVERY: Duration = Duration::from_secs(60);

/// How often rota slots are made up to the horizon: the horizon moves a day a day.
const ROTAS_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Opens the configured database.
pub async fn open(settings: &Settings, create: bool) -> anyhow::Result<Store> {
    let url = DatabaseUrl::parse_with(&settings.database.url, create).context("database.url")?;
    let options = ConnectOptions {
        max_connections: settings.database.max_connections,
        ..ConnectOptions::default()
    };
    Store::connect(&url, &options)
        .await
        .with_context(|| format!("could not open the database {url}"))
}

/// `jointly migrate`
pub async fn migrate(settings: &Settings, create: bool) -> anyhow::Result<()> {
    let store = open(settings, create).await?;
    let before = store.schema_version().await?;
    store.migrate().await.context("migrating the database")?;
    let after = store.schema_version().await?;
    println!("database schema at version {after} (was {before})");
    store.close().await;
    Ok(())
}

/// `jointly serve`
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let store = open(&settings, false).await?;
    if !store.schema_is_current().await? {
        bail!("the database schema is not up to date: run `jointly migrate` first");
    }
    let listen: SocketAddr = settings.server.listen.parse()?;
    run(store, &settings, listen, false, |_| {}).await
}

/// The application over `store` as configured, and the message renderer it queues for.
async fn build_app(
    store: &Store,
    settings: &Settings,
    clock: Arc<dyn Clock>,
    demo: bool,
) -> anyhow::Result<(App, Arc<Renderer>)> {
    let link_key = jointly_app::appointment_link_key(store, clock.now())
        .await
        .context("the appointment-link key")?;
    let renderer = Arc::new(
        Renderer::new(TeamDetails {
            name: settings.service.name.clone(),
            phone: settings.service.phone.clone(),
            public_url: settings.server.public_url.clone(),
        })?
        .with_links(link_key),
    );
    let content = Arc::new(settings.content.load()?);
    let app = App::new(
        store.clone(),
        clock,
        renderer.clone(),
        content,
        AppSettings {
            demo,
            organisation_code: settings.service.ods_code.clone(),
            receipt_token: Some(settings.messages.notify_callback_token.clone())
                .filter(|t| !t.trim().is_empty()),
            ..AppSettings::default()
        },
    );
    Ok((app, renderer))
}

/// Imports the deprivation lookup from the ONS postcode lookup and the English Indices of
/// Deprivation file, then rebuilds the dashboards' figures. A refused file changes nothing.
pub async fn import_deprivation(
    settings: &Settings,
    postcodes: &Path,
    imd: &Path,
    version: Option<&str>,
) -> anyhow::Result<ImportSummary> {
    let store = open(settings, false).await?;
    if !store.schema_is_current().await? {
        bail!("the database schema is not up to date: run `jointly migrate` first");
    }
    let (app, _) = build_app(&store, settings, Arc::new(SystemClock), false).await?;
    let open_file = |path: &Path| {
        std::fs::File::open(path)
            .map(std::io::BufReader::new)
            .with_context(|| format!("could not open {}", path.display()))
    };
    let summary = app
        .import_deprivation(open_file(postcodes)?, open_file(imd)?, version)
        .await;
    store.close().await;
    Ok(summary?)
}

/// Runs the service on `store` until Ctrl-C or SIGTERM.
pub async fn run(
    store: Store,
    settings: &Settings,
    listen: SocketAddr,
    demo: bool,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (app, renderer) = build_app(&store, settings, clock.clone(), demo).await?;
    let catalog = Arc::new(load_catalog().context("page translations")?);
    let app_for_jobs = app.clone();
    let app_for_population = app.clone();
    let app_for_streams = app.clone();
    let state = AppState::new(
        app,
        catalog,
        WebConfig {
            public_url: settings.server.public_url.clone(),
            secure_cookies: settings.server.secure_cookies,
            service_name: settings.service.name.clone(),
            service_phone: settings.service.phone.clone(),
            demo,
        },
    );
    let channel = Arc::new(delivery_channel(&settings.messages)?);
    let (stop, stopped) = watch::channel(false);
    let worker = DeliveryWorker::new(
        store.clone(),
        renderer,
        channel,
        clock.clone(),
        settings.messages.worker_settings(),
    );
    let worker = tokio::spawn(worker.run(wait_for(stopped.clone())));
    let scheduled = tokio::spawn(scheduled(
        app_for_jobs,
        settings.messages.reminder_days.clone(),
        settings.messages.waiting_policy(),
        wait_for(stopped.clone()),
    ));
    let population = tokio::spawn(population(
        app_for_population,
        Duration::from_secs(u64::from(settings.service.dashboards_refresh_minutes) * 60),
        wait_for(stopped.clone()),
    ));
    let housekeeping = tokio::spawn(housekeeping(store.clone(), clock, wait_for(stopped)));

    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("could not listen on {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "listening");
    on_ready(address);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
        let app = app_for_streams;
        async move {
            shutdown_signal().await;
            // Pages listening for new messages would hold the server open: end their streams.
            app.close_streams();
        }
    })
    .await
    .context("the web server failed")?;

    // Requests have drained; let the worker finish the message it is sending, then close.
    let _ = stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
    let _ = housekeeping.await;
    let _ = scheduled.await;
    let _ = population.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn wait_for(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Scheduled work: reminders queued as they fall due (the outbox worker sends them); rota
/// slots made up to the horizon, and people on waiting lists kept informed, at start and every
/// few hours after.
async fn scheduled(
    app: App,
    days: Vec<u32>,
    waiting: WaitingPolicy,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    let mut rotas_due = tokio::time::Instant::now();
    loop {
        if !days.is_empty()
            && let Err(error) = app.queue_reminders(&days).await
        {
            tracing::warn!(%error, "reminders could not be queued");
        }
        if tokio::time::Instant::now() >= rotas_due {
            if let Err(error) = app.extend_rota_slots().await {
                tracing::warn!(%error, "rota slots could not be made");
            }
            if let Err(error) = app.keep_waiting_informed(waiting).await {
                tracing::warn!(%error, "waiting-list updates could not be queued");
            }
            if let Err(error) = app.raise_communication_reviews().await {
                tracing::warn!(%error, "communication-need reviews could not be raised");
            }
            rotas_due += ROTAS_EVERY;
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(REMINDERS_EVERY) => {}
        }
    }
}

/// The dashboards' figures, rebuilt at start and then every `every`.
async fn population(app: App, every: Duration, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        match app.refresh_population().await {
            Ok(referrals) => tracing::info!(referrals, "dashboard figures rebuilt"),
            Err(error) => tracing::warn!(%error, "dashboard figures could not be rebuilt"),
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(every) => {}
        }
    }
}

async fn housekeeping(
    store: Store,
    clock: Arc<dyn Clock>,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        match store.purge_expired_credentials(clock.now()).await {
            Ok(removed) if removed > 0 => {
                tracing::info!(removed, "expired sessions and codes removed")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "housekeeping could not reach the store"),
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(HOUSEKEEPING_EVERY) => {}
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

/// The channels messages leave by: text messages and emails into the folder or through GOV.UK
/// Notify, emails optionally by SMTP, letters as PDF into the print folder or through Notify.
fn delivery_channel(messages: &MessageSettings) -> anyhow::Result<RoutedChannel> {
    let folder: Arc<dyn Channel> = Arc::new(
        FileChannel::new(&messages.folder)
            .with_context(|| format!("message folder {}", messages.folder.display()))?,
    );
    let post: Arc<dyn Channel> = Arc::new(
        PrintChannel::new(&messages.print_folder)
            .with_context(|| format!("print folder {}", messages.print_folder.display()))?,
    );
    let notify = || -> anyhow::Result<Arc<dyn Channel>> {
        Ok(Arc::new(
            NotifyChannel::new(messages.notify_settings())
                .map_err(|e| anyhow::anyhow!("messages.notify_*: {e}"))?,
        ))
    };
    let text = match messages.channel.as_str() {
        "notify" => notify()?,
        _ => folder.clone(),
    };
    let email = match messages.email_channel() {
        "notify" => notify()?,
        "smtp" => Arc::new(
            SmtpChannel::new(&messages.smtp_settings())
                .map_err(|e| anyhow::anyhow!("messages.smtp_*: {e}"))?,
        ),
        _ => folder,
    };
    let post = match messages.letter_channel.as_str() {
        "notify" => Arc::new(LetterChannel {
            posted: notify()?,
            print_room: post,
        }),
        _ => post,
    };
    Ok(RoutedChannel { text, email, post })
}
