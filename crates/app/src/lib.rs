//! Jointly's use cases. Each public method is one command or query: it checks who is asking
//! (role and relationship), applies the domain's rules, writes the change with its events,
//! messages and audit entries in one transaction, and records every read of patient data.
//! Web handlers and the API call these and nothing else.

mod appointment_links;
mod attendance;
mod auth;
mod booking;
mod choice;
mod classes;
mod clinics;
mod communication;
mod content;
mod conversations;
mod dashboards;
mod deprivation;
mod discharge;
mod error;
mod exercises;
mod feedback;
mod intake;
mod keeping_informed;
mod mdt;
mod measures;
mod offers;
mod online;
mod onward;
mod organisations;
mod outbox;
mod passport;
mod principal;
mod public_waits;
mod questions;
mod rebooking;
mod reminders;
mod rotas;
mod services;
mod signposting;
mod surgery;
mod system_records;
mod system_search;
mod systems;
mod tasks;
mod triage;
mod waiting;

use std::sync::Arc;

use jiff::SignedDuration;
use jointly_domain::Clock;
use jointly_notify::Renderer;
use jointly_store::Store;

pub use appointment_links::{LinkState, LinkedAppointment, appointment_link_key};
pub use attendance::{ClinicOutcome, LATE_MINUTES, next_outcomes};
pub use auth::{NewSession, SignInRequest, hash_password};
pub use booking::{BookingConfirmation, PortalOverview, ReferralOffer};
pub use choice::{SEARCH_RESULTS, SlotChoice, SlotSearchResult};
pub use classes::{ClassForm, ClassOffer};
pub use clinics::ClinicDay;
pub use communication::{CallToMake, Inbox, ReceiptOutcome};
pub use content::{Content, ContentError};
pub use conversations::{ConversationView, ConversationWatch};
pub use dashboards::{
    CapacityLine, CapacityQuery, CapacityView, DEFAULT_THRESHOLD, Dashboard, DashboardQuery,
    DashboardView, GapAlert, GroupFigures, Headline, PERIODS, SitRepLine, WaitFigures, sitrep_csv,
};
pub use deprivation::{ImportError, ImportSummary, read_imd_file, read_postcode_lookup};
pub use discharge::{DischargeForm, DischargeView};
pub use error::AppError;
pub use exercises::ExerciseView;
pub use feedback::{FeedbackLink, FeedbackReview};
pub use intake::{Intake, IntakeReceipt, IntakeRoute};
pub use keeping_informed::{InformedCounts, WaitEstimate};
pub use measures::MeasuresView;
pub use offers::OfferPreferencesForm;
pub use online::{
    ABOUT_FIELDS, CARER_FIELDS, CONTACT_FIELDS, DRAFT_LIFETIME, Draft, DraftData, DraftTicket,
    Step, StepSaved, carer_from_form, person_from_form,
};
pub use onward::SystemOnwardReferral;
pub use organisations::{IssuedKey, OrganisationForm, hash_api_key};
pub use outbox::OutboxItem;
pub use passport::{PassportView, TimelineItem};
pub use principal::{Principal, SignedIn};
pub use public_waits::{FirstAppointment, ServiceWaits};
pub use rebooking::ChangeSearch;
pub use reminders::DEFAULT_REMINDER_DAYS;
pub use rotas::{ExceptionForm, ExceptionOutcome, RotaOverview, SessionForm};
pub use signposting::SignpostView;
pub use surgery::SurgeryReadiness;
pub use system_search::{Found, FoundServiceRequest, Page};
pub use systems::{Diary, SystemReferral, SystemToken, TOKEN_LIFETIME, TokenRefusal};
pub use tasks::DuplicateChoice;
pub use triage::{AdviceForm, StaffReferralView, TriageForm};
pub use waiting::{LONGEST_SHOWN, WaitingLine, WaitingLists};

/// Limits and lifetimes that shape sign-in and sessions.
#[derive(Clone, Debug)]
pub struct AppSettings {
    /// How long a sign-in code works.
    pub code_lifetime: SignedDuration,
    /// Codes a patient may be sent in any [`AppSettings::code_window`].
    pub codes_per_window: i64,
    /// The window over which codes are counted.
    pub code_window: SignedDuration,
    /// Wrong guesses before a code stops working.
    pub code_attempts: i64,
    /// Failed staff sign-ins before the account is locked for [`AppSettings::lockout`].
    pub staff_failures_before_lockout: i64,
    /// How long a locked account stays locked.
    pub lockout: SignedDuration,
    /// A session ends after this long without use.
    pub session_idle: SignedDuration,
    /// Demo mode: the staff outbox page shows message content.
    pub demo: bool,
    /// The bearer token the message provider sends with delivery receipts; none refuses them.
    pub receipt_token: Option<String>,
    /// The provider's ODS code, on the FFT return.
    pub organisation_code: String,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            code_lifetime: SignedDuration::from_mins(10),
            codes_per_window: 3,
            code_window: SignedDuration::from_mins(15),
            code_attempts: 5,
            staff_failures_before_lockout: 5,
            lockout: SignedDuration::from_mins(15),
            session_idle: SignedDuration::from_mins(30),
            organisation_code: "ZZ001".into(),
            demo: false,
            receipt_token: None,
        }
    }
}

/// The application: every use case hangs off this.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    renderer: Arc<Renderer>,
    content: Arc<Content>,
    settings: AppSettings,
    /// New messages in conversations, for pages that are open on them.
    conversation_events: tokio::sync::broadcast::Sender<jointly_domain::ConversationId>,
    /// Set when the server is shutting down: open event streams end.
    streams_closing: Arc<tokio::sync::watch::Sender<bool>>,
    /// Signs connected systems' access tokens (loaded from the store on first use).
    token_key: systems::TokenKey,
    /// Expected waits told on referral receipts, reused for a few minutes.
    wait_estimates: Arc<intake::WaitEstimates>,
}

impl App {
    /// Wires the application together.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        renderer: Arc<Renderer>,
        content: Arc<Content>,
        settings: AppSettings,
    ) -> Self {
        Self {
            store,
            clock,
            renderer,
            content,
            settings,
            conversation_events: tokio::sync::broadcast::channel(256).0,
            streams_closing: Arc::new(tokio::sync::watch::channel(false).0),
            token_key: systems::TokenKey::default(),
            wait_estimates: Arc::default(),
        }
    }

    /// The questionnaire and pathway in use.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The store, for health checks and background jobs.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The settings.
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }
}
