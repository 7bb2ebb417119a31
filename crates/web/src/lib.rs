//! Jointly's web front: the public site, the patient portal, the staff workspace and the JSON
//! API, on one axum router. Pages are server-rendered (askama) and work without JavaScript;
//! every string comes from the translation layer; every route declares who may use it.

mod api;
mod calendar;
mod chart;
mod context;
mod cookies;
mod csrf;
mod diagram;
mod error;
mod fhir;
mod form;
mod guard;
mod i18n;
mod middleware;
mod openapi;
mod pages;
mod questions;
mod render;
mod routes;
mod staff;

use std::sync::Arc;

use jointly_app::App;
use jointly_i18n::Catalog;

pub use i18n::load_catalog;
pub use routes::{Access, RouteInfo, Surface, route_table, router};

/// Settings the web layer needs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The address people use to reach the site, for example `https://msk.example.nhs.uk`.
    /// Form posts must come from this origin.
    pub public_url: String,
    /// Mark cookies `Secure` (and use `__Host-` names). Browsers accept secure cookies from
    /// `localhost` over plain HTTP, so this stays on except for unusual test set-ups.
    pub secure_cookies: bool,
    /// The service's name, shown in the header and messages.
    pub service_name: String,
    /// The phone number people can always call.
    pub service_phone: String,
    /// Demo mode: the staff outbox shows what would have been sent.
    pub demo: bool,
}

/// Shared state for every handler.
#[derive(Clone)]
pub struct AppState {
    app: App,
    catalog: Arc<Catalog>,
    config: Arc<WebConfig>,
    limiter: Arc<middleware::RateLimiter>,
}

impl AppState {
    /// Builds the state from the application, the page translations and the settings.
    pub fn new(app: App, catalog: Arc<Catalog>, config: WebConfig) -> Self {
        Self {
            app,
            catalog,
            config: Arc::new(config),
            limiter: Arc::new(middleware::RateLimiter::default()),
        }
    }
}
