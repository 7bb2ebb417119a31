//! The multidisciplinary team list (`/staff/mdt`): referrals marked for discussion that the
//! reader may see, each linked to its referral where the outcome is recorded. The same over
//! the API.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// A referral listed for discussion at the MDT.
#[derive(Serialize, ToSchema)]
struct MdtItemOut {
    referral_id: String,
    /// The referral's reference, as the person and staff quote it.
    reference: String,
    /// The patient's name.
    patient: String,
    /// `emergency`, `urgent`, `soon` or `routine`.
    urgency: &'static str,
    /// The referral's status: `awaiting_triage`, `waiting`, `booked`, `advice_given`,
    /// `withdrawn` or `discharged`.
    status: &'static str,
    /// The referral's version: send it back with the outcome.
    version: i64,
}

/// Lists the referrals marked for discussion at the multidisciplinary team meeting.
///
/// Only those the caller may see, most urgent first.
#[utoipa::path(get, path = "/api/v1/mdt", tag = "clinical",
    responses((status = 200, description = "The referrals listed for the MDT", body = [MdtItemOut])))]
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MdtOutcomeBody {
    /// What the MDT decided (at most 5,000 characters).
    mdt_outcome: String,
    /// The referral's `version` as read.
    version: i64,
}

/// The outcome as recorded in the person's passport.
#[derive(Serialize, ToSchema)]
struct MdtOutcomeOut {
    /// The id of the outcome's entry in the person's passport.
    entry_id: String,
    /// When it was recorded (RFC 3339).
    at: String,
}

/// Records what the MDT decided about a listed referral.
///
/// The outcome goes in the person's passport and the referral leaves the MDT list.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/mdt-outcome", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = MdtOutcomeBody,
    responses(
        (status = 201, description = "Recorded", body = MdtOutcomeOut),
        (status = 409, description = "The referral changed since `version` was read (`referral_changed`), or it is not listed for the MDT (`invalid_transition`)", body = crate::openapi::Problem),
        (status = 422, description = "The outcome is missing or too long", body = crate::openapi::Problem)))]
pub(crate) async fn api_outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MdtOutcomeBody>,
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
        &MdtOutcomeOut {
            entry_id: entry.id.to_string(),
            at: entry.at.to_string(),
        },
    ))
}
