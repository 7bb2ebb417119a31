//! Typed configuration: defaults, then a TOML file, then `JOINTLY_SECTION__KEY` environment
//! variables. Unknown keys are errors (a typo must not be silently ignored), everything is
//! checked at start, and the database URL's password never appears in output.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use jointly_domain::waiting::WaitingPolicy;
use jointly_notify::{NotifyChannel, NotifySettings, SmtpChannel, SmtpSettings, WorkerSettings};
use jointly_store::DatabaseUrl;
use serde::{Deserialize, Serialize};

/// Everything `jointly serve` needs.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The web server.
    #[serde(default)]
    pub server: ServerSettings,
    /// The database.
    #[serde(default)]
    pub database: DatabaseSettings,
    /// How the service names itself.
    #[serde(default)]
    pub service: ServiceSettings,
    /// Message delivery.
    #[serde(default)]
    pub messages: MessageSettings,
    /// Logging.
    #[serde(default)]
    pub log: LogSettings,
    /// The service's own questionnaire and triage pathway, if it replaces the shipped ones.
    #[serde(default)]
    pub content: ContentSettings,
}

/// Clinical content files. Either may be left out to use the one shipped with Jointly; any
/// file given is checked completely at start, and refused naming the line if it is wrong.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    /// A questionnaire shaped like FHIR `Questionnaire` (JSON).
    pub questionnaire: Option<PathBuf>,
    /// A triage pathway (TOML).
    pub pathway: Option<PathBuf>,
    /// Outcome measures (TOML), replacing the shipped ones: for example the shipped file with
    /// a licensed instrument added.
    pub measures: Option<PathBuf>,
    /// The community directory (TOML), replacing the shipped sample with the services of the
    /// area.
    pub directory: Option<PathBuf>,
}

impl ContentSettings {
    /// Loads and checks the content.
    pub fn load(&self) -> anyhow::Result<jointly_app::Content> {
        jointly_app::Content::load(
            self.questionnaire.as_deref(),
            self.pathway.as_deref(),
            self.measures.as_deref(),
            self.directory.as_deref(),
        )
        .map_err(|e| anyhow::anyhow!("content: {e}"))
    }
}

/// The web server.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on.
    pub listen: String,
    /// The address people use to reach the site; form posts must come from it.
    pub public_url: String,
    /// Send cookies only over secure connections (browsers count localhost as secure).
    pub secure_cookies: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: true,
        }
    }
}

/// The database.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` (add `?mode=rwc` to create it) or `postgres://USER:PASSWORD@HOST/DB`.
    pub url: String,
    /// Most connections in the pool.
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://jointly.db".into(),
            max_connections: 16,
        }
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = DatabaseUrl::parse(&self.url)
            .map_or_else(|_| "(invalid)".to_owned(), |u| u.to_string());
        f.debug_struct("DatabaseSettings")
            .field("url", &url)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// How the service names itself to patients.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    /// Service name.
    pub name: String,
    /// The phone number on every page and message.
    pub phone: String,
    /// The provider's ODS code, on the monthly Friends and Family Test return.
    #[serde(default = "sample_ods_code")]
    pub ods_code: String,
    /// Minutes between rebuilds of the dashboards' figures (1 to 1440).
    #[serde(default = "dashboards_refresh_minutes")]
    pub dashboards_refresh_minutes: u32,
}

fn dashboards_refresh_minutes() -> u32 {
    15
}

fn sample_ods_code() -> String {
    "ZZ001".into()
}

impl Default for ServiceSettings {
    fn default() -> Self {
        Self {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            ods_code: sample_ods_code(),
            dashboards_refresh_minutes: dashboards_refresh_minutes(),
        }
    }
}

/// Message delivery: into a folder (one JSON file per message), or text messages and emails
/// through GOV.UK Notify; letters always go as PDF to the print folder.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSettings {
    /// The delivery channel for text messages and emails: `file` or `notify`.
    pub channel: String,
    /// Emails by another channel: empty (as `channel`), `file`, `notify` or `smtp`.
    pub email_channel: String,
    /// Letters: `print` (PDFs into `print_folder`) or `notify` (GOV.UK Notify prints and
    /// posts them, second class; braille and audio still go to the print folder).
    pub letter_channel: String,
    /// The SMTP relay when `email_channel` is `smtp`: `smtp://host:25`,
    /// `smtp://user:password@host:587?tls=required` or `smtps://user:password@host:465`
    /// (secret; never logged).
    pub smtp_url: String,
    /// The sender of emails sent by SMTP, for example `Jointly MSK <msk.jointly@nhs.net>`.
    pub smtp_from: String,
    /// Messages one person (or their carer) may be sent in an hour before the rest wait;
    /// urgent advice is never held. 0 for no limit.
    pub per_person_per_hour: u32,
    /// GOV.UK Notify's address.
    pub notify_base_url: String,
    /// The Notify API key (secret; never logged).
    pub notify_api_key: String,
    /// The Notify template for text messages (body `((body))`).
    pub notify_sms_template_id: String,
    /// The Notify template for emails (subject `((subject))`, body `((body))`).
    pub notify_email_template_id: String,
    /// The bearer token GOV.UK Notify sends with delivery receipts to
    /// `/api/v1/notify/receipts` (secret; never logged); empty refuses receipts.
    pub notify_callback_token: String,
    /// Folder for the file channel.
    pub folder: PathBuf,
    /// Folder the print room collects letters from (a PDF and a JSON print job per letter).
    pub print_folder: PathBuf,
    /// Days before an appointment that reminders go out, for example `[7, 1]`; empty for none.
    pub reminder_days: Vec<u32>,
    /// Days between "still waiting" updates to people on a waiting list.
    pub wait_update_days: u32,
    /// Days waited before "do you still need this?".
    pub still_needed_after_days: u32,
    /// Days to answer it before a coordinator is asked to call.
    pub still_needed_reply_days: u32,
}

impl Default for MessageSettings {
    fn default() -> Self {
        Self {
            channel: "file".into(),
            email_channel: String::new(),
            letter_channel: "print".into(),
            smtp_url: String::new(),
            smtp_from: String::new(),
            per_person_per_hour: WorkerSettings::default().per_person_per_hour,
            notify_base_url: "https://api.notifications.service.gov.uk".into(),
            notify_api_key: String::new(),
            notify_sms_template_id: String::new(),
            notify_email_template_id: String::new(),
            notify_callback_token: String::new(),
            folder: PathBuf::from("outbox-files"),
            print_folder: PathBuf::from("print-files"),
            reminder_days: jointly_app::DEFAULT_REMINDER_DAYS.to_vec(),
            wait_update_days: WaitingPolicy::default().update_every_days,
            still_needed_after_days: WaitingPolicy::default().validate_after_days,
            still_needed_reply_days: WaitingPolicy::default().reply_within_days,
        }
    }
}

impl std::fmt::Debug for MessageSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageSettings")
            .field("channel", &self.channel)
            .field("email_channel", &self.email_channel)
            .field("letter_channel", &self.letter_channel)
            .field("smtp_url", &"(secret)")
            .field("smtp_from", &self.smtp_from)
            .field("per_person_per_hour", &self.per_person_per_hour)
            .field("folder", &self.folder)
            .field("print_folder", &self.print_folder)
            .field("notify_base_url", &self.notify_base_url)
            .field("notify_api_key", &"(secret)")
            .field("notify_callback_token", &"(secret)")
            .finish_non_exhaustive()
    }
}

impl MessageSettings {
    /// The GOV.UK Notify settings.
    pub fn notify_settings(&self) -> NotifySettings {
        NotifySettings {
            base_url: self.notify_base_url.clone(),
            api_key: self.notify_api_key.clone(),
            sms_template_id: self.notify_sms_template_id.clone(),
            email_template_id: self.notify_email_template_id.clone(),
        }
    }

    /// The SMTP settings.
    pub fn smtp_settings(&self) -> SmtpSettings {
        SmtpSettings {
            url: self.smtp_url.clone(),
            from: self.smtp_from.clone(),
            timeout: std::time::Duration::from_secs(30),
        }
    }

    /// Emails' channel: `email_channel`, or `channel` when that is empty.
    pub fn email_channel(&self) -> &str {
        if self.email_channel.is_empty() {
            &self.channel
        } else {
            &self.email_channel
        }
    }

    /// How the outbox worker paces itself.
    pub fn worker_settings(&self) -> WorkerSettings {
        WorkerSettings {
            per_person_per_hour: self.per_person_per_hour,
            ..WorkerSettings::default()
        }
    }

    /// How people on a waiting list are kept informed.
    pub fn waiting_policy(&self) -> WaitingPolicy {
        WaitingPolicy {
            update_every_days: self.wait_update_days,
            validate_after_days: self.still_needed_after_days,
            reply_within_days: self.still_needed_reply_days,
        }
    }
}

/// Logging.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` for people, `json` for log collectors.
    pub format: String,
    /// A tracing filter, for example `info` or `jointly=debug,info`.
    pub level: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: "pretty".into(),
            level: "info".into(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("database", &self.database)
            .field("service", &self.service)
            .field("messages", &self.messages)
            .field("log", &self.log)
            .field("content", &self.content)
            .finish()
    }
}

/// A documented example configuration, printed by `jointly default-config`.
pub const EXAMPLE: &str = include_str!("../jointly.example.toml");

impl Settings {
    /// Loads defaults, then `file` (which must exist if given), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.is_file() {
                bail!("the configuration file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file(file));
        }
        // Only SECTION__KEY variables are configuration; others with the prefix (for example
        // the test suite's JOINTLY_TEST_POSTGRES) are not ours to judge.
        let env = Env::prefixed("JOINTLY_")
            .filter(|key| key.as_str().contains("__"))
            .split("__");
        let settings: Settings = figment
            .merge(env)
            .extract()
            .map_err(|e| anyhow::anyhow!("configuration error: {e}"))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks every value, naming the first that is wrong.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.server.listen.parse::<SocketAddr>().with_context(|| {
            format!(
                "server.listen `{}` is not an address like 127.0.0.1:8080",
                self.server.listen
            )
        })?;
        let url = &self.server.public_url;
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with('/') {
            bail!(
                "server.public_url `{url}` must start with http:// or https:// and not end with /"
            );
        }
        if url.starts_with("http://") && self.server.secure_cookies && !is_local(url) {
            bail!("server.public_url `{url}` uses plain http on a public address; use https");
        }
        if self.database.max_connections == 0 || self.database.max_connections > 1000 {
            bail!("database.max_connections must be between 1 and 1000");
        }
        if self.service.name.trim().is_empty() {
            bail!("service.name must not be empty");
        }
        if !(1..=1440).contains(&self.service.dashboards_refresh_minutes) {
            bail!("service.dashboards_refresh_minutes must be from 1 to 1440");
        }
        if self
            .service
            .phone
            .chars()
            .filter(char::is_ascii_digit)
            .count()
            < 10
        {
            bail!(
                "service.phone `{}` must be a full phone number",
                self.service.phone
            );
        }
        match self.messages.channel.as_str() {
            "file" => {}
            "notify" => {
                NotifyChannel::new(self.messages.notify_settings())
                    .map_err(|e| anyhow::anyhow!("messages.notify_*: {e}"))?;
            }
            other => bail!("messages.channel `{other}` must be `file` or `notify`"),
        }
        match self.messages.email_channel() {
            "file" => {}
            "notify" => {
                NotifyChannel::new(self.messages.notify_settings())
                    .map_err(|e| anyhow::anyhow!("messages.notify_*: {e}"))?;
            }
            "smtp" => {
                SmtpChannel::new(&self.messages.smtp_settings())
                    .map_err(|e| anyhow::anyhow!("messages.smtp_*: {e}"))?;
            }
            other => {
                bail!("messages.email_channel `{other}` must be empty, `file`, `notify` or `smtp`")
            }
        }
        match self.messages.letter_channel.as_str() {
            "print" => {}
            "notify" => {
                NotifyChannel::new(self.messages.notify_settings())
                    .map_err(|e| anyhow::anyhow!("messages.notify_*: {e}"))?;
            }
            other => bail!("messages.letter_channel `{other}` must be `print` or `notify`"),
        }
        if self.messages.per_person_per_hour > 1000 {
            bail!("messages.per_person_per_hour must be from 0 (no limit) to 1000");
        }
        let mut days = self.messages.reminder_days.clone();
        days.sort_unstable();
        days.dedup();
        if days.len() != self.messages.reminder_days.len()
            || days.iter().any(|d| !(1..=28).contains(d))
        {
            bail!(
                "messages.reminder_days {:?} must be different whole days from 1 to 28, for example [7, 1]",
                self.messages.reminder_days
            );
        }
        let m = &self.messages;
        if !(7..=90).contains(&m.wait_update_days) {
            bail!("messages.wait_update_days must be from 7 to 90");
        }
        if !(28..=365).contains(&m.still_needed_after_days) {
            bail!("messages.still_needed_after_days must be from 28 to 365");
        }
        if !(3..=60).contains(&m.still_needed_reply_days) {
            bail!("messages.still_needed_reply_days must be from 3 to 60");
        }
        self.content.load()?;
        if !matches!(self.log.format.as_str(), "pretty" | "json") {
            bail!(
                "log.format `{}` must be `pretty` or `json`",
                self.log.format
            );
        }
        Ok(())
    }
}

fn is_local(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    matches!(host, "localhost" | "127.0.0.1" | "[") || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_file(text: &str) -> anyhow::Result<Settings> {
        let path = std::env::temp_dir().join(format!(
            "jointly-config-{}.toml",
            std::process::id() as u64 * 1000 + text.len() as u64
        ));
        std::fs::write(&path, text)?;
        let result = Settings::load(Some(&path));
        let _ = std::fs::remove_file(path);
        result
    }

    #[test]
    fn the_example_is_valid() {
        let settings = with_file(EXAMPLE).expect("example config loads");
        assert_eq!(settings.server.listen, "127.0.0.1:8080");
    }

    #[test]
    fn mistakes_are_named() {
        let err = with_file("[server]\nlisten = \"everywhere\"\npublic_url = \"http://127.0.0.1:8080\"\nsecure_cookies = true\n").unwrap_err();
        assert!(err.to_string().contains("server.listen"), "{err}");
        let err = with_file("[databse]\nurl = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("databse"), "{err}");
        let err =
            with_file("[database]\nurl = \"sqlite://x.db\"\nmax_connections = 0\n").unwrap_err();
        assert!(err.to_string().contains("max_connections"), "{err}");
        for days in ["[7, 7]", "[0]", "[30]", "[\"soon\"]"] {
            let err = with_file(&format!(
                "[messages]\nchannel = \"file\"\nfolder = \"m\"\nreminder_days = {days}\n"
            ))
            .unwrap_err();
            assert!(err.to_string().contains("reminder_days"), "{days}: {err}");
        }
        let err = with_file("[messages]\nchannel = \"pigeon\"\nfolder = \"m\"\n").unwrap_err();
        assert!(err.to_string().contains("messages.channel"), "{err}");
        let err = with_file(
            "[messages]\nchannel = \"notify\"\nfolder = \"m\"\nnotify_api_key = \"nope\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("messages.notify"), "{err}");
        let err = with_file("[messages]\nemail_channel = \"pigeon\"\n").unwrap_err();
        assert!(err.to_string().contains("messages.email_channel"), "{err}");
        let err = with_file(
            "[messages]\nemail_channel = \"smtp\"\nsmtp_url = \"gopher://secret@x\"\nsmtp_from = \"a <a@b.nhs.uk>\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("messages.smtp"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = with_file("[messages]\nemail_channel = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:25\"\nsmtp_from = \"nobody\"\n").unwrap_err();
        assert!(err.to_string().contains("nobody"), "{err}");
        let ok = with_file(
            "[messages]\nemail_channel = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:25\"\nsmtp_from = \"Jointly <msk@nhs.test>\"\nper_person_per_hour = 0\n",
        );
        assert!(ok.is_ok(), "{ok:?}");
        let err = with_file("[messages]\nletter_channel = \"pigeon\"\n").unwrap_err();
        assert!(err.to_string().contains("messages.letter_channel"), "{err}");
        let err = with_file("[messages]\nletter_channel = \"notify\"\n").unwrap_err();
        assert!(err.to_string().contains("messages.notify"), "{err}");
        let err = with_file("[messages]\nper_person_per_hour = 5000\n").unwrap_err();
        assert!(err.to_string().contains("per_person_per_hour"), "{err}");
        let err = Settings::load(Some(Path::new("/no/such/jointly.toml"))).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[test]
    fn the_password_never_shows() {
        let mut settings = Settings::default();
        settings.database.url = "postgres://jointly:s3cret@db/jointly".into();
        assert!(!format!("{settings:?}").contains("s3cret"));
        settings.messages.notify_api_key = "live-key-with-a-s3cret-inside".into();
        assert!(!format!("{settings:?}").contains("s3cret"));
    }
}
