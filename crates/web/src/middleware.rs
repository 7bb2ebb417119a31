//! Cross-cutting middleware: security headers, request logging by route template, and a
//! per-address rate limit for sign-in and referral forms.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Sets the security headers on every response.
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.public_url.starts_with("https://") {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !is_static {
        // Pages carry personal data: never keep them in shared or browser caches.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Logs each request by method, route template, status and time taken. Never the full URL,
/// query or body, which can carry personal data.
pub(crate) async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Limit {
    /// Sign-in attempts (codes and passwords).
    SignIn,
    /// Requests for a sign-in code.
    CodeRequest,
    /// Referrals submitted.
    Referral,
}

impl Limit {
    /// Most requests per address per minute: generous for a household or a GP surgery
    /// behind one address, tight for a script.
    fn per_minute(self) -> u32 {
        match self {
            Self::SignIn => 20,
            Self::CodeRequest => 10,
            Self::Referral => 30,
        }
    }
}

/// Counts requests per address in one-minute windows, in memory (each app instance limits
/// separately; the per-account limits in the database hold across instances).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<(IpAddr, Limit), (Instant, u32)>>,
}

impl RateLimiter {
    /// True when `address` may make another `limit` request now.
    pub(crate) fn allow(&self, address: Option<IpAddr>, limit: Limit) -> bool {
        let Some(address) = address else { return true };
        let now = Instant::now();
        let window = Duration::from_secs(60);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 50_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = windows.entry((address, limit)).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= limit.per_minute()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_separately() {
        let limiter = RateLimiter::default();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..10 {
            assert!(limiter.allow(Some(a), Limit::CodeRequest));
        }
        assert!(!limiter.allow(Some(a), Limit::CodeRequest));
        assert!(limiter.allow(Some(b), Limit::CodeRequest));
        assert!(limiter.allow(Some(a), Limit::SignIn));
        assert!(limiter.allow(None, Limit::CodeRequest));
    }
}
