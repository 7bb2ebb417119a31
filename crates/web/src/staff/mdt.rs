//! The multidisciplinary team list (`/staff/mdt`): referrals marked for discussion that the
//! reader may see, each linked to its referral where the outcome is recorded. The same over
//! the API.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::{label, referral_id};
use crate::render::{PageContext, Text, render_page};
use crate::staff::services::SavedQuery;

struct MdtRow {
    id: String,
    name: String,
    reference: String,
    urgency: Text,
    status: Text,
}

#[derive(Template)]
#[template(path = "staff/mdt.html")]
struct MdtPage {
    page: PageContext,
    rows: Vec<MdtRow>,
    notice: Option<Text>,
}

/// `GET /staff/mdt`
pub(crate) async fn list(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let listed = ctx.app().mdt_list(ctx.principal()).await?;
    let page = PageContext::new(&ctx, "mdt-title");
    let rows = listed
        .iter()
        .map(|item| MdtRow {
            id: item.referral.id.to_string(),
            name: item.patient_name.to_string(),
            reference: item.referral.reference.to_string(),
            urgency: label(&page, "urgency", item.referral.urgency.as_str()),
            status: label(&page, "referral-status", item.referral.status.as_str()),
        })
        .collect();
    let notice = query.is_saved().then(|| page.t("mdt-saved"));
    Ok(render_page(&MdtPage { page, rows, notice }))
}

#[derive(Serialize)]
struct MdtItemOut {
    referral_id: String,
    reference: String,
    patient: String,
    urgency: &'static str,
    status: &'static str,
    version: i64,
}

/// `GET /api/v1/mdt`
pub(crate) async fn api_list(ctx: Ctx) -> Result<Response, WebError> {
    let listed = ctx.app().mdt_list(ctx.principal()).await?;
    let out: Vec<_> = listed
        .iter()
        .map(|item| MdtItemOut {
            referral_id: item.referral.id.to_string(),
            reference: item.referral.reference.to_string(),
            patient: item.patient_name.to_string(),
            urgency: item.referral.urgency.as_str(),
            status: item.referral.status.as_str(),
            version: item.referral.version,
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}

/// An MDT outcome over the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutcomeBody {
    mdt_outcome: String,
    version: i64,
}

#[derive(Serialize)]
struct OutcomeOut {
    entry_id: String,
    at: String,
}

/// `POST /api/v1/referrals/{id}/mdt-outcome`
pub(crate) async fn api_outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OutcomeBody>,
) -> Result<Response, WebError> {
    let entry = ctx
        .app()
        .record_mdt_outcome(
            ctx.principal(),
            referral_id(&id)?,
            &body.mdt_outcome,
            &body.version.to_string(),
        )
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &OutcomeOut {
            entry_id: entry.id.to_string(),
            at: entry.at.to_string(),
        },
    ))
}
