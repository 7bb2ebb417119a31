//! Liveness and readiness probes for the orchestrator.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::context::Ctx;

/// `GET /healthz`: the process is up.
pub(crate) async fn live() -> Response {
    (StatusCode::OK, "ok").into_response()
}

/// `GET /readyz`: the database answers and its schema is the one this build expects.
pub(crate) async fn ready(ctx: Ctx) -> Response {
    let store = ctx.app().store();
    match (store.ping().await, store.schema_is_current().await) {
        (Ok(()), Ok(true)) => (StatusCode::OK, "ready").into_response(),
        (Ok(()), Ok(false)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "schema out of date: run jointly migrate",
        )
            .into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}
